import assert from "node:assert/strict";
import { seededRandom } from "../../lib/math/random.ts";
import {
  createMlp,
  Mlp,
  mlpExamples,
  MlpTrainer,
  type MlpTrainingSettings,
  tensor,
} from "../../lib/nn/mod.ts";
import { buildVocabulary } from "../../lib/text/vocabulary.ts";
import { assertClose } from "../_helpers.ts";
import { assertGradients } from "./_gradients.ts";

const text = Object.freeze(
  [["the", "cat", "sat"], ["the", "dog", "sat", "down"], ["a", "cat", "ran"]].map((s) =>
    Object.freeze(s)
  ),
);
const vocabulary = buildVocabulary(text); // </s> <unk> + 7 words
const config = Object.freeze({ contextSize: 2, embeddingSize: 3, hiddenSize: 5 });

const settings: MlpTrainingSettings = {
  steps: 40,
  batchSize: 5,
  learningRate: 0.03,
  warmupSteps: 5,
  finalFraction: 0.1,
  weightDecay: 0,
  beta1: 0.9,
  beta2: 0.999,
  seed: 3,
  validateEvery: 10,
};

Deno.test("mlpExamples() pads each sentence start with </s>", () => {
  const { contexts, targets, contextSize } = mlpExamples([["cat", "sat"]], vocabulary, 3);
  const cat = vocabulary.id("cat");
  const sat = vocabulary.id("sat");
  assert.equal(contextSize, 3);
  assert.deepEqual([...contexts], [0, 0, 0, 0, 0, cat, 0, cat, sat]);
  assert.deepEqual([...targets], [cat, sat, 0]);
  assert.equal(mlpExamples(text, vocabulary, 2).targets.length, 3 + 4 + 3 + 3);
});

Deno.test("createMlp() makes parameters of the documented shapes, repeatably", () => {
  const a = createMlp(vocabulary, config, seededRandom(1));
  const b = createMlp(vocabulary, config, seededRandom(1));
  assert.deepEqual(a.parameters.map((p) => p.shape), [[9, 3], [6, 5], [5], [5, 9], [9]]);
  assert.equal(a.parameterCount, 27 + 30 + 5 + 45 + 9);
  a.parameters.forEach((p, i) => assert.deepEqual(p.data, b.parameters[i]!.data));
  assert.throws(() => createMlp(vocabulary, { ...config, hiddenSize: 0 }, seededRandom(1)), {
    name: "RangeError",
    message: "`hiddenSize` must be an integer >= 1, got 0",
  });
  assert.throws(
    () => new Mlp(vocabulary, config, { ...a, hiddenBias: tensor([0, 0]) }),
    { name: "RangeError", message: "`hiddenBias` must have shape [5], got [2]" },
  );
});

Deno.test("Mlp.next() is a distribution over the vocabulary", () => {
  const model = createMlp(vocabulary, config, seededRandom(2));
  const next = model.next(["the"]);
  assert.equal(next.length, vocabulary.size);
  assertClose(next.reduce((s, c) => s + c.probability, 0), 1, 1e-6);
  for (let i = 1; i < next.length; i++) assert.ok(next[i - 1]!.probability >= next[i]!.probability);
  assert.deepEqual([...model.contextIds(["x", "</s>", "the"])], [0, vocabulary.id("the")]);
  assert.deepEqual(model.next(["cat", "</s>"]), model.next([]));
});

Deno.test("Mlp.evaluate() is −mean ln of tokenProbabilities()", () => {
  const model = createMlp(vocabulary, config, seededRandom(2), { dtype: "float64" });
  const p = model.tokenProbabilities(text);
  const { meanNll, perplexity, tokens } = model.evaluate(text);
  assert.equal(tokens, 13);
  assertClose(meanNll, -p.reduce((s, v) => s + Math.log(v), 0) / p.length, 1e-12);
  assertClose(perplexity, Math.exp(meanNll), 1e-12);
  // Nearly uniform at the start: output weights are N(0, 0.01²).
  assertClose(meanNll, Math.log(vocabulary.size), 0.01);
});

Deno.test("the whole MLP's gradient matches finite differences", () => {
  const model = createMlp(vocabulary, config, seededRandom(4), { dtype: "float64" });
  const { contexts, targets } = mlpExamples(text, vocabulary, 2);
  // Larger output weights than at initialisation, so every path carries a sizeable gradient.
  for (let i = 0; i < model.outputWeights.size; i++) model.outputWeights.data[i]! *= 100;
  assertGradients(() => model.loss(contexts, targets), model.parameters);
});

Deno.test("MlpTrainer is deterministic and resumable", async (t) => {
  const examples = mlpExamples(text, vocabulary, 2);
  const train = (chunks: number[]) => {
    const model = createMlp(vocabulary, config, seededRandom(5));
    const trainer = new MlpTrainer(model, examples, settings, examples);
    for (const steps of chunks) trainer.run(steps);
    return trainer;
  };
  const whole = train([40]);
  await t.step("the loss falls", () => {
    const { trainLoss, validation } = whole.history;
    assert.equal(trainLoss.length, 40);
    assert.deepEqual(validation.map((v) => v.step), [0, 10, 20, 30, 40]);
    assert.ok(validation.at(-1)!.loss < validation[0]!.loss - 0.5);
  });
  await t.step("run(15) + run(25) is run(40), bit for bit", () => {
    const parts = train([15, 25]);
    assert.deepEqual(parts.history, whole.history);
    whole.model.parameters.forEach((p, i) =>
      assert.deepEqual(p.data, parts.model.parameters[i]!.data)
    );
  });
  await t.step("never runs past `steps`", () => {
    const trainer = train([50]);
    assert.equal(trainer.step, 40);
    assert.equal(trainer.examplesSeen, 200);
  });
  await t.step("another seed gives another run", () => {
    const model = createMlp(vocabulary, config, seededRandom(5));
    const other = new MlpTrainer(model, examples, { ...settings, seed: 4 }).run(5);
    assert.notDeepEqual(other.trainLoss, whole.history.trainLoss.slice(0, 5));
  });
  await t.step("checks its settings", () => {
    const model = createMlp(vocabulary, config, seededRandom(5));
    assert.throws(() => new MlpTrainer(model, examples, { ...settings, batchSize: 100 }), {
      name: "RangeError",
      message: "`train` must hold at least one batch (100 examples), got 13",
    });
    assert.throws(() => new MlpTrainer(model, mlpExamples(text, vocabulary, 3), settings), {
      name: "RangeError",
      message: "`train` must have contextSize 2 like the model, got 3",
    });
  });
});
