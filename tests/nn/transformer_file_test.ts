import assert from "node:assert/strict";
import { seededRandom } from "../../lib/math/random.ts";
import {
  createTransformer,
  loadTransformer,
  QUICK_TRANSFORMER_RUN,
  saveTransformer,
  type TransformerRunSettings,
  transformerSettingsHash,
} from "../../lib/nn/mod.ts";
import { buildVocabulary } from "../../lib/text/vocabulary.ts";

const text = [["the", "cat", "sat"], ["a", "dog", "ran"]];
const vocabulary = buildVocabulary(text);
const settings: TransformerRunSettings = {
  ...QUICK_TRANSFORMER_RUN,
  config: { contextSize: 4, embeddingSize: 4, layers: 1, heads: 2, hiddenSize: 8 },
};
const evaluation = (meanNll: number) => ({ meanNll, perplexity: Math.exp(meanNll), tokens: 8 });
const record = {
  settings,
  history: { trainLoss: [2.5, 2.25], validation: [{ step: 0, loss: 2.6 }] },
  results: {
    validationLoss: 2.5,
    heldOut: evaluation(2.4),
    unigram: evaluation(3.1),
    bigram: evaluation(2.7),
    trigram: evaluation(2.6),
    mixture: { transformerWeight: 0.75, heldOut: evaluation(2.3) },
  },
};

/** Saves a tiny model into a fresh temporary folder and returns the header's path. */
async function saved(): Promise<string> {
  const folder = await Deno.makeTempDir();
  const model = createTransformer(vocabulary, settings.config, seededRandom(1));
  await saveTransformer(model, record, `${folder}/tiny.json`);
  return `${folder}/tiny.json`;
}

Deno.test("saveTransformer() then loadTransformer() gives back the same model", async () => {
  const path = await saved();
  const original = createTransformer(vocabulary, settings.config, seededRandom(1));
  const loaded = await loadTransformer(path);
  assert.deepEqual(loaded.vocabulary.words, vocabulary.words);
  assert.deepEqual(loaded.history, record.history);
  assert.deepEqual(loaded.results, record.results);
  assert.deepEqual(loaded.settings, settings);
  loaded.model.parameters.forEach((p, i) => {
    assert.deepEqual(p.shape, original.parameters[i]!.shape);
    assert.deepEqual(p.data, original.parameters[i]!.data);
  });
  assert.deepEqual(loaded.model.next(["the"]), original.next(["the"]));
  const header = JSON.parse(await Deno.readTextFile(path));
  assert.equal(header.model, "transformer");
  assert.equal(header.weights.bytes, original.parameterCount * 4);
  assert.equal(header.settingsHash, await transformerSettingsHash(settings));
  assert.deepEqual(header.tensors[1], { name: "positionEmbeddings", shape: [4, 4], offset: 8 * 4 });
});

Deno.test("loadTransformer() says what is wrong with a bad file", async (t) => {
  const expect = async (path: string, problem: RegExp) => {
    await assert.rejects(() => loadTransformer(path), (error: Error) => {
      assert.match(error.message, /^Cannot load the model .*: /);
      assert.match(error.message, problem);
      assert.match(error.message, /Run `deno task train transformer`/);
      return true;
    });
  };
  const edit = async (change: (header: Record<string, unknown>) => void) => {
    const path = await saved();
    const header = JSON.parse(await Deno.readTextFile(path));
    change(header);
    await Deno.writeTextFile(path, JSON.stringify(header));
    return path;
  };
  await t.step("missing", async () => {
    await expect(`${await Deno.makeTempDir()}/none.json`, /the file does not exist/);
  });
  await t.step("not JSON", async () => {
    const path = await saved();
    await Deno.writeTextFile(path, "{ not json");
    await expect(path, /it is not valid JSON/);
  });
  await t.step("another format, version or model", async () => {
    await expect(await edit((h) => (h.format = "npz")), /`format` must be "how-llms-work\/model"/);
    await expect(await edit((h) => (h.version = 2)), /format version 2; this code reads version 1/);
    await expect(await edit((h) => (h.model = "mlp")), /`model` must be "transformer", got "mlp"/);
  });
  await t.step("settings edited after training", async () => {
    const path = await edit((h) => ((h.settings as TransformerRunSettings).initSeed = 99));
    await expect(path, /`settingsHash` .* does not match its settings/);
  });
  await t.step("weights missing or changed", async () => {
    const gone = await saved();
    await Deno.remove(gone.replace(".json", ".bin"));
    await expect(gone, /its weights file .*tiny\.bin does not exist/);
    const changed = await saved();
    const bytes = await Deno.readFile(changed.replace(".json", ".bin"));
    bytes[0] = bytes[0]! ^ 1;
    await Deno.writeFile(changed.replace(".json", ".bin"), bytes);
    await expect(changed, /does not match the header's SHA-256/);
  });
  await t.step("a tensor renamed", async () => {
    const path = await edit((h) => {
      (h.tensors as { name: string }[])[1]!.name = "positions";
    });
    await expect(
      path,
      /`tensors\[1\]` must be positionEmbeddings of shape \[4, 4\], got "positions"/,
    );
  });
});
