/**
 * The transformer's weights on disk, in the MLP's format (model_file.ts): `models/transformer.json`
 * is a readable header (format and version, the run's settings and their SHA-256, results, loss
 * history, vocabulary, and each tensor's name, shape and offset) and `models/transformer.bin`
 * holds every tensor's entries back to back as little-endian float32, in the header's order, with
 * its length and SHA-256 in the header. Loading checks all of it and says what is wrong.
 *
 * Besides the held-out loss, the header stores numbers that take too long to compute in a
 * notebook cell: the held-out losses of the interpolated unigram, bigram and trigram count models
 * on the same vocabulary (lib/text/language_model.ts), and of a mixture of the transformer with
 * that trigram.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import type { LanguageModelEvaluation } from "../text/language_model.ts";
import { Vocabulary } from "../text/vocabulary.ts";
import { canonicalJson, MODEL_FORMAT, MODEL_FORMAT_VERSION } from "./model_file.ts";
import type { TrainingHistory } from "./mlp_trainer.ts";
import { Tensor } from "./tensor.ts";
import { Transformer, transformerParameterShapes } from "./transformer.ts";
import type { TransformerRunSettings } from "./transformer_run.ts";

/** Where the committed transformer lives: models/transformer.json in the project root. */
export const DEFAULT_TRANSFORMER_PATH: URL = new URL(
  "../../models/transformer.json",
  import.meta.url,
);

/** The results of a run, stored with its weights (all on the full held-out text). */
export interface TransformerResults {
  /** Mean loss on the validation slice after the last step, nats per token. */
  validationLoss: number;
  /** The transformer on the whole held-out text. */
  heldOut: LanguageModelEvaluation;
  /** The unigram count model (interpolated with the uniform) on the same vocabulary and text. */
  unigram: LanguageModelEvaluation;
  /** The interpolated bigram count model on the same vocabulary and text. */
  bigram: LanguageModelEvaluation;
  /** The interpolated trigram count model on the same vocabulary and text. */
  trigram: LanguageModelEvaluation;
  /**
   * λ P_transformer + (1 − λ) P_trigram, with λ chosen on the validation slice from 0.5, 0.55, …,
   * 0.95.
   */
  mixture: { transformerWeight: number; heldOut: LanguageModelEvaluation };
}

/** The JSON header of a saved transformer. */
export interface TransformerHeader {
  /** `MODEL_FORMAT` of model_file.ts. */
  format: string;
  /** `MODEL_FORMAT_VERSION`. */
  version: number;
  /** "transformer". */
  model: string;
  /** The run's settings. */
  settings: TransformerRunSettings;
  /** SHA-256 (hex) of the canonical JSON of `settings`. */
  settingsHash: string;
  /** Held-out results. */
  results: TransformerResults;
  /** Losses of every step and the validation curve. */
  history: TrainingHistory;
  /** The tokens, in id order. */
  vocabulary: string[];
  /** Each tensor's name, shape and offset (in float32 entries) into the payload. */
  tensors: { name: string; shape: number[]; offset: number }[];
  /** The payload file: name (next to the header), dtype, byte order, length, SHA-256 (hex). */
  weights: {
    file: string;
    dtype: "float32";
    byteOrder: "little-endian";
    bytes: number;
    sha256: string;
  };
}

/** A loaded transformer with everything saved alongside it. */
export interface SavedTransformer {
  /** The model. */
  model: Transformer;
  /** Its vocabulary (also `model.vocabulary`). */
  vocabulary: Vocabulary;
  /** The settings of the run that trained it. */
  settings: TransformerRunSettings;
  /** Training loss of every step and the validation curve. */
  history: TrainingHistory;
  /** The recorded held-out results. */
  results: TransformerResults;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The SHA-256 of a run's settings: the hex digest of their canonical JSON (model_file.ts).
 *
 * @param settings The settings.
 * @returns 64 hex digits.
 */
export function transformerSettingsHash(settings: TransformerRunSettings): Promise<string> {
  return sha256(new TextEncoder().encode(canonicalJson(settings)));
}

function toUrl(path: string | URL): URL {
  if (path instanceof URL) return path;
  return path.startsWith("file:") ? new URL(path) : new URL(path, `file://${Deno.cwd()}/`);
}

/**
 * Writes a transformer's header and payload (the payload next to the header, `.json` → `.bin`).
 *
 * @param model The trained model.
 * @param record The run's settings, history and results.
 * @param path Where to write the header (default models/transformer.json); must end in `.json`.
 * @returns The header written and the payload's path.
 * @throws {RangeError} When `path` does not end in `.json` or a weight is not finite.
 * Running cost: O(parameters), one SHA-256 over the payload.
 */
export async function saveTransformer(
  model: Transformer,
  record: {
    settings: TransformerRunSettings;
    history: TrainingHistory;
    results: TransformerResults;
  },
  path: string | URL = DEFAULT_TRANSFORMER_PATH,
): Promise<{ header: TransformerHeader; weightsPath: URL }> {
  const headerUrl = toUrl(path);
  if (!headerUrl.pathname.endsWith(".json")) {
    throw new RangeError(`\`path\` must end in ".json", got ${formatValue(String(path))}`);
  }
  const weightsUrl = new URL(headerUrl.href.replace(/\.json$/, ".bin"));
  const bytes = new Uint8Array(model.parameterCount * 4);
  const view = new DataView(bytes.buffer);
  const tensors: TransformerHeader["tensors"] = [];
  let offset = 0;
  model.parameters.forEach((t, k) => {
    const name = model.parameterNames[k]!;
    tensors.push({ name, shape: [...t.shape], offset });
    for (let i = 0; i < t.size; i++) {
      const x = t.data[i]!;
      if (!Number.isFinite(x)) {
        throw new RangeError(`\`${name}\` holds a non-finite weight at ${i}: ${formatValue(x)}`);
      }
      view.setFloat32((offset + i) * 4, x, true);
    }
    offset += t.size;
  });
  const header: TransformerHeader = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    model: "transformer",
    settings: record.settings,
    settingsHash: await transformerSettingsHash(record.settings),
    results: record.results,
    history: record.history,
    vocabulary: [...model.vocabulary.words],
    tensors,
    weights: {
      file: weightsUrl.pathname.split("/").at(-1)!,
      dtype: "float32",
      byteOrder: "little-endian",
      bytes: bytes.length,
      sha256: await sha256(bytes),
    },
  };
  await Deno.mkdir(new URL("./", headerUrl), { recursive: true });
  await Deno.writeFile(weightsUrl, bytes);
  await Deno.writeTextFile(headerUrl, JSON.stringify(header, null, 1) + "\n");
  return { header, weightsPath: weightsUrl };
}

/** An error saying what is wrong with a model file and how to get a good one. */
function fileError(url: URL, problem: string, cause?: unknown): Error {
  return new Error(
    `Cannot load the model ${url.pathname}: ${problem}. Run \`deno task train transformer\` to ` +
      "recreate it, or restore the committed file (`git checkout -- models/`)",
    cause === undefined ? undefined : { cause },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Loads a saved transformer and checks it: format and version, header fields, payload length and
 * SHA-256, the settings hash, tensor names and shapes against the sizes, finite weights.
 *
 * @param path The header (default models/transformer.json, the committed model).
 * @returns `{ model, vocabulary, settings, history, results }`.
 * @throws {Error} Naming the file and the problem: missing file, invalid JSON, another format or
 * version, a missing or malformed field, a payload of the wrong length or content, a settings
 * hash that does not match.
 * Running cost: reads 4 bytes per weight, one SHA-256; a few milliseconds.
 * @example The committed model
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadTransformer } from "./transformer_file.ts";
 *
 * const { model, results } = await loadTransformer();
 * assert.equal(model.vocabulary.size, 5002);
 * assert.ok(results.heldOut.perplexity < results.trigram.perplexity);
 * assert.equal(model.next(["the", "united"])[0]!.word, "states");
 * ```
 */
export async function loadTransformer(
  path: string | URL = DEFAULT_TRANSFORMER_PATH,
): Promise<SavedTransformer> {
  const url = toUrl(path);
  let text: string;
  try {
    text = await Deno.readTextFile(url);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw fileError(url, "the file does not exist", error);
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fileError(url, `it is not valid JSON (${(error as Error).message})`, error);
  }
  if (!isObject(parsed) || parsed.format !== MODEL_FORMAT) {
    throw fileError(
      url,
      `its \`format\` must be "${MODEL_FORMAT}", got ${
        formatValue(isObject(parsed) ? parsed.format : parsed)
      }`,
    );
  }
  if (parsed.version !== MODEL_FORMAT_VERSION) {
    throw fileError(
      url,
      `it has format version ${
        formatValue(parsed.version)
      }; this code reads version ${MODEL_FORMAT_VERSION}`,
    );
  }
  if (parsed.model !== "transformer") {
    throw fileError(url, `its \`model\` must be "transformer", got ${formatValue(parsed.model)}`);
  }
  for (const field of ["settings", "results", "history", "weights"]) {
    if (!isObject(parsed[field])) throw fileError(url, `its \`${field}\` is missing`);
  }
  for (const field of ["vocabulary", "tensors"]) {
    if (!Array.isArray(parsed[field])) throw fileError(url, `its \`${field}\` is missing`);
  }
  const header = parsed as unknown as TransformerHeader;
  const expectedHash = await transformerSettingsHash(header.settings);
  if (header.settingsHash !== expectedHash) {
    throw fileError(
      url,
      `its \`settingsHash\` ${formatValue(header.settingsHash)} does not match its settings ` +
        `(${expectedHash}): the header was edited`,
    );
  }
  let vocabulary: Vocabulary;
  try {
    vocabulary = new Vocabulary(header.vocabulary);
  } catch (error) {
    throw fileError(url, `its \`vocabulary\` is invalid (${(error as Error).message})`, error);
  }
  const weightsUrl = new URL(String(header.weights.file), url);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(weightsUrl);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw fileError(url, `its weights file ${weightsUrl.pathname} does not exist`, error);
    }
    throw error;
  }
  if (bytes.length !== header.weights.bytes) {
    throw fileError(
      url,
      `its weights file has ${bytes.length} bytes; the header expects ${
        formatValue(header.weights.bytes)
      }`,
    );
  }
  if ((await sha256(bytes)) !== header.weights.sha256) {
    throw fileError(url, "its weights file does not match the header's SHA-256 (another run?)");
  }
  let shapes: [string, number[]][];
  try {
    shapes = transformerParameterShapes(header.settings.config, vocabulary.size);
  } catch (error) {
    throw fileError(url, "its `settings.config` is invalid", error);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parameters = shapes.map(([name, shape], i) => {
    const entry = header.tensors[i];
    if (
      entry?.name !== name || !Array.isArray(entry.shape) ||
      canonicalJson(entry.shape) !== canonicalJson(shape)
    ) {
      throw fileError(
        url,
        `its \`tensors[${i}]\` must be ${name} of shape ${formatValue(shape)}, got ${
          formatValue(entry?.name)
        } of shape ${formatValue(entry?.shape)}`,
      );
    }
    const size = shape.reduce((p, n) => p * n, 1);
    if (
      !Number.isInteger(entry.offset) || entry.offset < 0 ||
      (entry.offset + size) * 4 > bytes.length
    ) {
      throw fileError(
        url,
        `its \`tensors[${i}].offset\` ${formatValue(entry.offset)} is out of range`,
      );
    }
    const data = new Float32Array(size);
    for (let j = 0; j < size; j++) {
      data[j] = view.getFloat32((entry.offset + j) * 4, true);
      if (!Number.isFinite(data[j])) {
        throw fileError(url, `its weights hold a non-finite value in ${name} at ${j}`);
      }
    }
    return new Tensor(data, shape, true);
  });
  if (header.tensors.length !== shapes.length) {
    throw fileError(
      url,
      `its \`tensors\` must list ${shapes.length} tensors, got ${header.tensors.length}`,
    );
  }
  return {
    model: new Transformer(vocabulary, header.settings.config, parameters),
    vocabulary,
    settings: header.settings,
    history: header.history,
    results: header.results,
  };
}
