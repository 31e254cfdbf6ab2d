import assert from "node:assert/strict";
import { seededRandom } from "../../lib/math/random.ts";
import {
  canonicalJson,
  createMlp,
  loadMlp,
  loadMlpRunData,
  MLP_RUN,
  type MlpRunSettings,
  mlpWeightBytes,
  mlpWeightsSha256,
  QUICK_MLP_RUN,
  saveMlp,
  settingsHash,
  startMlpRun,
} from "../../lib/nn/mod.ts";
import { buildVocabulary } from "../../lib/text/vocabulary.ts";

const text = [["the", "cat", "sat"], ["a", "dog", "ran"]];
const vocabulary = buildVocabulary(text);
const settings: MlpRunSettings = {
  ...QUICK_MLP_RUN,
  config: { contextSize: 2, embeddingSize: 3, hiddenSize: 4 },
};
const record = {
  settings,
  history: { trainLoss: [2.5, 2.25], validation: [{ step: 0, loss: 2.6 }] },
  results: {
    validationLoss: 2.5,
    heldOut: { meanNll: 2.4, perplexity: Math.exp(2.4), tokens: 8 },
    checkpoint: { step: 10, sha256: "0".repeat(64) },
  },
};

/** Saves a tiny model into a fresh temporary folder and returns the header's path. */
async function saved(): Promise<string> {
  const folder = await Deno.makeTempDir();
  const model = createMlp(vocabulary, settings.config, seededRandom(1));
  await saveMlp(model, record, `${folder}/tiny.json`);
  return `${folder}/tiny.json`;
}

Deno.test("canonicalJson() sorts keys so equal settings hash equally", async () => {
  assert.equal(
    canonicalJson({ b: [1, { y: 2, x: 1 }], a: "s" }),
    '{"a":"s","b":[1,{"x":1,"y":2}]}',
  );
  const { training, ...rest } = settings;
  const reordered = JSON.parse(JSON.stringify({ training, ...rest })); // "training" first
  assert.equal(await settingsHash(reordered), await settingsHash(settings));
  assert.match(await settingsHash(settings), /^[0-9a-f]{64}$/);
});

Deno.test("mlpWeightBytes() lays out every weight as little-endian float32", async () => {
  const model = createMlp(vocabulary, settings.config, seededRandom(1));
  const bytes = mlpWeightBytes(model);
  assert.equal(bytes.length, 4 * model.parameterCount);
  const view = new DataView(bytes.buffer);
  assert.equal(view.getFloat32(0, true), model.embeddings.data[0]);
  const last = model.parameterCount - 1;
  assert.equal(view.getFloat32(4 * last, true), model.outputBias.data.at(-1));
  const other = createMlp(vocabulary, settings.config, seededRandom(2));
  assert.notEqual(await mlpWeightsSha256(model), await mlpWeightsSha256(other));
});

Deno.test("saveMlp() then loadMlp() gives back the same model", async () => {
  const path = await saved();
  const original = createMlp(vocabulary, settings.config, seededRandom(1));
  const loaded = await loadMlp(path);
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
  assert.equal(header.weights.bytes, original.parameterCount * 4);
  assert.equal(header.weights.file, "tiny.bin");
});

Deno.test("loadMlp() says what is wrong with a bad file", async (t) => {
  const expect = async (path: string, problem: RegExp) => {
    await assert.rejects(() => loadMlp(path), (error: Error) => {
      assert.match(error.message, /^Cannot load the model .*: /);
      assert.match(error.message, problem);
      assert.match(error.message, /Run `deno task train mlp`/);
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
  await t.step("another format or version", async () => {
    await expect(
      await edit((h) => (h.format = "npz")),
      /`format` must be "how-llms-work\/model", got "npz"/,
    );
    await expect(await edit((h) => (h.version = 2)), /format version 2; this code reads version 1/);
  });
  await t.step("settings edited after training", async () => {
    const path = await edit((h) => ((h.settings as MlpRunSettings).initSeed = 99));
    await expect(path, /`settingsHash` .* does not match its settings/);
  });
  await t.step("a field missing", async () => {
    await expect(await edit((h) => delete h.tensors), /its `tensors` is missing/);
  });
  await t.step("weights missing, truncated or changed", async () => {
    const gone = await saved();
    await Deno.remove(gone.replace(".json", ".bin"));
    await expect(gone, /its weights file .*tiny\.bin does not exist/);
    const short = await saved();
    const bytes = await Deno.readFile(short.replace(".json", ".bin"));
    await Deno.writeFile(short.replace(".json", ".bin"), bytes.subarray(4));
    await expect(
      short,
      new RegExp(`has ${bytes.length - 4} bytes; the header expects ${bytes.length}`),
    );
    const changed = await saved();
    bytes[0] = bytes[0]! ^ 1;
    await Deno.writeFile(changed.replace(".json", ".bin"), bytes);
    await expect(changed, /does not match the header's SHA-256/);
  });
  await t.step("a tensor of the wrong shape", async () => {
    const path = await edit((h) => {
      (h.tensors as { shape: number[] }[])[2]!.shape = [5];
    });
    await expect(
      path,
      /`tensors\[2\]` must be hiddenBias of shape \[4\], got "hiddenBias" of shape \[5\]/,
    );
  });
});

Deno.test("the committed models/mlp.* belong to the committed code", async (t) => {
  const saved = await loadMlp();
  await t.step("trained with MLP_RUN from lib/nn/mlp_run.ts", () => {
    assert.deepEqual(saved.settings, MLP_RUN);
    assert.equal(saved.history.trainLoss.length, MLP_RUN.training.steps);
  });
  const data = await loadMlpRunData(saved.settings);
  await t.step("on the vocabulary the code builds", () => {
    assert.deepEqual(saved.vocabulary.words, data.vocabulary.words);
  });
  await t.step(
    "the first 10 steps from the seed give the recorded losses and weights",
    async () => {
      const { step, sha256 } = saved.results.checkpoint;
      assert.equal(step, 10);
      const trainer = startMlpRun(saved.settings, data);
      trainer.run(step);
      assert.deepEqual(trainer.history.trainLoss, saved.history.trainLoss.slice(0, step));
      assert.deepEqual(trainer.history.validation, saved.history.validation.slice(0, 1));
      assert.equal(await mlpWeightsSha256(trainer.model), sha256);
    },
  );
  await t.step("the weights give the recorded validation loss, bit for bit", () => {
    assert.equal(saved.model.meanLoss(data.validation), saved.results.validationLoss);
    assert.equal(saved.history.validation.at(-1)!.loss, saved.results.validationLoss);
  });
  await t.step("the recorded held-out perplexity beats the count bigram's (111.02)", () => {
    assert.equal(saved.results.heldOut.tokens, 121_445);
    assert.ok(saved.results.heldOut.perplexity < 111.02);
  });
});
