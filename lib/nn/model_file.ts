/**
 * The file format of trained weights: a readable JSON header and a binary payload next to it.
 *
 * `models/mlp.json` holds the format name and version, the model's sizes, its vocabulary, the run
 * settings with their SHA-256 (so a hand-edited header is caught), the results and loss history of
 * the run, and a list of tensors (name, shape, offset). `models/mlp.bin` holds every tensor's
 * entries back to back as little-endian float32, in that list's order; its length and SHA-256
 * are in the header. Loading checks all of it and says what is wrong.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import type { LanguageModelEvaluation } from "../text/language_model.ts";
import { Vocabulary } from "../text/vocabulary.ts";
import { Mlp, MLP_PARAMETER_NAMES, type MlpParameters, mlpParameterShapes } from "./mlp.ts";
import type { MlpRunSettings } from "./mlp_run.ts";
import type { TrainingHistory } from "./mlp_trainer.ts";
import { Tensor } from "./tensor.ts";

/** The `format` field of a model header. */
export const MODEL_FORMAT = "how-llms-work/model";
/** The header version this code writes and reads. */
export const MODEL_FORMAT_VERSION = 1;
/** Where the committed MLP lives: models/mlp.json in the project root. */
export const DEFAULT_MLP_PATH: URL = new URL("../../models/mlp.json", import.meta.url);

/** The results of a run, stored with its weights. */
export interface MlpResults {
  /** Mean loss on the validation slice after the last step, nats per token. */
  validationLoss: number;
  /** The whole held-out text: mean NLL, perplexity, tokens. */
  heldOut: LanguageModelEvaluation;
  /**
   * {@link mlpWeightsSha256} of the weights after the first `step` steps of the run: a fixed short
   * run from the seed must reproduce it, which proves the training code has not changed.
   */
  checkpoint: { step: number; sha256: string };
}

/** After how many steps `deno task train mlp` records {@link MlpResults.checkpoint}. */
export const CHECKPOINT_STEP = 10;

/** The JSON header of a saved MLP. */
export interface MlpHeader {
  /** {@link MODEL_FORMAT}. */
  format: string;
  /** {@link MODEL_FORMAT_VERSION}. */
  version: number;
  /** "mlp". */
  model: string;
  /** The run's settings (model sizes, data, seeds, optimizer). */
  settings: MlpRunSettings;
  /** SHA-256 (hex) of the canonical JSON of `settings`. */
  settingsHash: string;
  /** Held-out results. */
  results: MlpResults;
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

/** A loaded MLP with everything saved alongside it. */
export interface SavedMlp {
  /** The model, with the language-model interface and its embeddings. */
  model: Mlp;
  /** Its vocabulary (also `model.vocabulary`). */
  vocabulary: Vocabulary;
  /** The settings of the run that trained it. */
  settings: MlpRunSettings;
  /** Training loss of every step and the validation curve, for a loss chart. */
  history: TrainingHistory;
  /** The recorded held-out results. */
  results: MlpResults;
}

/**
 * JSON with object keys sorted at every level, so equal settings always give the same text.
 *
 * @param value Plain data (objects, arrays, strings, numbers, booleans, null).
 * @returns The canonical JSON text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJson } from "./model_file.ts";
 *
 * assert.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The SHA-256 of some bytes, as 64 hex digits.
 *
 * @param bytes The data.
 * @returns The hex digest.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Hex } from "./model_file.ts";
 *
 * const hash = await sha256Hex(new TextEncoder().encode("abc"));
 * assert.equal(hash.slice(0, 16), "ba7816bf8f01cfea"); // FIPS 180-2, example B.1
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A model's weights as the payload stores them: every parameter in save order (embeddings, W₁,
 * b₁, W₂, b₂), each entry as 4 little-endian bytes of float32.
 *
 * @param model The model.
 * @returns A new byte array of 4 × parameterCount bytes.
 * @throws {RangeError} When a weight is NaN or infinite.
 */
export function mlpWeightBytes(model: Mlp): Uint8Array {
  const bytes = new Uint8Array(model.parameterCount * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const name of MLP_PARAMETER_NAMES) {
    const t = model[name];
    for (let i = 0; i < t.size; i++) {
      const x = t.data[i]!;
      if (!Number.isFinite(x)) {
        throw new RangeError(`\`${name}\` holds a non-finite weight at ${i}: ${formatValue(x)}`);
      }
      view.setFloat32((offset + i) * 4, x, true);
    }
    offset += t.size;
  }
  return bytes;
}

/**
 * The SHA-256 (hex) of a model's weights, {@link mlpWeightBytes}: equal hashes mean equal weights,
 * bit for bit.
 *
 * @param model The model.
 * @returns 64 hex digits.
 * @throws {RangeError} When a weight is NaN or infinite.
 */
export function mlpWeightsSha256(model: Mlp): Promise<string> {
  return sha256Hex(mlpWeightBytes(model));
}

/**
 * The SHA-256 of a run's settings: the hex digest of their {@link canonicalJson}.
 *
 * @param settings The settings.
 * @returns 64 hex digits.
 */
export function settingsHash(settings: MlpRunSettings): Promise<string> {
  return sha256Hex(new TextEncoder().encode(canonicalJson(settings)));
}

function toUrl(path: string | URL): URL {
  if (path instanceof URL) return path;
  return path.startsWith("file:") ? new URL(path) : new URL(path, `file://${Deno.cwd()}/`);
}

/**
 * Writes a model's header and payload (the payload next to the header, `.json` → `.bin`).
 *
 * @param model The trained model.
 * @param record The run's settings, history and results.
 * @param path Where to write the header (default models/mlp.json); must end in `.json`.
 * @returns The header written, and the payload's path.
 * @throws {RangeError} When `path` does not end in `.json` or a weight is not finite.
 * Running cost: O(parameters), one SHA-256 over the payload.
 */
export async function saveMlp(
  model: Mlp,
  record: { settings: MlpRunSettings; history: TrainingHistory; results: MlpResults },
  path: string | URL = DEFAULT_MLP_PATH,
): Promise<{ header: MlpHeader; weightsPath: URL }> {
  const headerUrl = toUrl(path);
  if (!headerUrl.pathname.endsWith(".json")) {
    throw new RangeError(`\`path\` must end in ".json", got ${formatValue(String(path))}`);
  }
  const weightsUrl = new URL(headerUrl.href.replace(/\.json$/, ".bin"));
  const bytes = mlpWeightBytes(model);
  const tensors: MlpHeader["tensors"] = [];
  let offset = 0;
  for (const name of MLP_PARAMETER_NAMES) {
    tensors.push({ name, shape: [...model[name].shape], offset });
    offset += model[name].size;
  }
  const header: MlpHeader = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    model: "mlp",
    settings: record.settings,
    settingsHash: await settingsHash(record.settings),
    results: record.results,
    history: record.history,
    vocabulary: [...model.vocabulary.words],
    tensors,
    weights: {
      file: weightsUrl.pathname.split("/").at(-1)!,
      dtype: "float32",
      byteOrder: "little-endian",
      bytes: bytes.length,
      sha256: await sha256Hex(bytes),
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
    `Cannot load the model ${url.pathname}: ${problem}. Run \`deno task train mlp\` to recreate ` +
      `it, or restore the committed file (\`git checkout -- models/\`)`,
    cause === undefined ? undefined : { cause },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Loads a saved MLP and checks it: format and version, header fields, payload length and
 * SHA-256, the settings hash, tensor shapes against the sizes, finite weights.
 *
 * @param path The header (default models/mlp.json, the committed model).
 * @returns `{ model, vocabulary, settings, history, results }`.
 * @throws {Error} Naming the file and the problem: missing file, invalid JSON, another format or
 * version, a missing or malformed field, a payload of the wrong length or content, a settings
 * hash that does not match.
 * Running cost: reads about 4 bytes per weight, one SHA-256.
 * @example The committed model
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMlp } from "./model_file.ts";
 *
 * const { model, history } = await loadMlp();
 * assert.equal(model.vocabulary.size, 5002);
 * assert.ok(history.trainLoss.length > 0);
 * const next = model.next(["the", "united"]);
 * assert.ok(next.findIndex((c) => c.word === "states") < 3);
 * ```
 */
export async function loadMlp(path: string | URL = DEFAULT_MLP_PATH): Promise<SavedMlp> {
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
  if (parsed.model !== "mlp") {
    throw fileError(url, `its \`model\` must be "mlp", got ${formatValue(parsed.model)}`);
  }
  for (const field of ["settings", "results", "history", "weights"]) {
    if (!isObject(parsed[field])) throw fileError(url, `its \`${field}\` is missing`);
  }
  for (const field of ["vocabulary", "tensors"]) {
    if (!Array.isArray(parsed[field])) throw fileError(url, `its \`${field}\` is missing`);
  }
  const header = parsed as unknown as MlpHeader;
  const expectedHash = await settingsHash(header.settings);
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
  if ((await sha256Hex(bytes)) !== header.weights.sha256) {
    throw fileError(url, "its weights file does not match the header's SHA-256 (another run?)");
  }
  const config = header.settings.config;
  let shapes: ReturnType<typeof mlpParameterShapes>;
  try {
    shapes = mlpParameterShapes(config, vocabulary.size);
  } catch (error) {
    throw fileError(url, `its \`settings.config\` is invalid`, error);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parameters: Partial<MlpParameters> = {};
  for (const [i, name] of MLP_PARAMETER_NAMES.entries()) {
    const entry = header.tensors[i];
    const expected = shapes[name];
    if (
      entry?.name !== name || !Array.isArray(entry.shape) ||
      canonicalJson(entry.shape) !== canonicalJson(expected)
    ) {
      throw fileError(
        url,
        `its \`tensors[${i}]\` must be ${name} of shape ${formatValue(expected)}, got ${
          formatValue(entry?.name)
        } of shape ${formatValue(entry?.shape)}`,
      );
    }
    const size = expected.reduce((p, n) => p * n, 1);
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
    parameters[name] = new Tensor(data, expected, true);
  }
  const model = new Mlp(vocabulary, config, parameters as MlpParameters);
  return {
    model,
    vocabulary,
    settings: header.settings,
    history: header.history,
    results: header.results,
  };
}
