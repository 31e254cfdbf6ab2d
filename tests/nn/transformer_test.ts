import assert from "node:assert/strict";
import fc from "fast-check";
import { seededRandom } from "../../lib/math/random.ts";
import { logSumExp } from "../../lib/math/softmax.ts";
import {
  checkGradients,
  createTransformer,
  scoringWindows,
  type Tensor,
  tensor,
  tokenStream,
  Transformer,
  transformerParameterShapes,
  TransformerTrainer,
  type TransformerTrainingSettings,
} from "../../lib/nn/mod.ts";
import { buildVocabulary } from "../../lib/text/vocabulary.ts";
import { assertClose } from "../_helpers.ts";
import { GRADIENT_TOLERANCE } from "./_gradients.ts";

const text = Object.freeze(
  [["the", "cat", "sat"], ["the", "dog", "sat", "down"], ["a", "cat", "ran"]].map((s) =>
    Object.freeze(s)
  ),
);
const vocabulary = buildVocabulary(text); // </s> <unk> + 7 words
const config = Object.freeze({
  contextSize: 5,
  embeddingSize: 4,
  layers: 2,
  heads: 2,
  hiddenSize: 8,
});

const settings: TransformerTrainingSettings = {
  steps: 30,
  batchSize: 4,
  learningRate: 0.03,
  warmupSteps: 5,
  finalFraction: 0.1,
  weightDecay: 0.1,
  beta1: 0.9,
  beta2: 0.98,
  clipNorm: 1,
  seed: 3,
  validateEvery: 10,
};

Deno.test("createTransformer() makes the documented parameters, repeatably", () => {
  const a = createTransformer(vocabulary, config, seededRandom(1));
  const b = createTransformer(vocabulary, config, seededRandom(1));
  const shapes = transformerParameterShapes(config, vocabulary.size);
  assert.equal(shapes.length, 2 + 2 * 16 + 2);
  assert.deepEqual(a.parameters.map((p) => p.shape), shapes.map(([, shape]) => shape));
  assert.deepEqual(a.parameterNames.slice(0, 3), [
    "tokenEmbeddings",
    "positionEmbeddings",
    "blocks.0.attentionNormGain",
  ]);
  assert.equal(a.weights.blocks[1]!.mlpOutputWeights, a.parameters[2 + 16 + 14]);
  a.parameters.forEach((p, i) => assert.deepEqual(p.data, b.parameters[i]!.data));
  assert.deepEqual([...a.weights.blocks[0]!.mlpNormGain.data], [1, 1, 1, 1]);
  assert.throws(() => createTransformer(vocabulary, { ...config, heads: 3 }, seededRandom(1)), {
    name: "RangeError",
    message: "`heads` must divide `embeddingSize` (4), got 3",
  });
  assert.throws(() => new Transformer(vocabulary, config, a.parameters.slice(1)), {
    name: "RangeError",
    message: `\`parameters\` must hold ${shapes.length} tensors, got ${shapes.length - 1}`,
  });
  const wrong = [...a.parameters];
  wrong[1] = tensor([0, 0], [1, 2]);
  assert.throws(() => new Transformer(vocabulary, config, wrong), {
    name: "RangeError",
    message: "`positionEmbeddings` must have shape [5, 4], got [1, 2]",
  });
});

Deno.test("tokenStream() joins sentences with </s>, starting with one", () => {
  const stream = tokenStream(text, vocabulary);
  assert.equal(stream.length, 1 + 4 + 5 + 4);
  assert.deepEqual([...stream.subarray(0, 5)], [0, ...vocabulary.encode(["the", "cat", "sat"]), 0]);
});

Deno.test("scoringWindows() scores every token once, each with at least T − stride of context", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 200 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 40 }),
      (tokens, t, s) => {
        const stride = Math.min(s, t);
        const scored: number[] = [];
        for (const w of scoringWindows(tokens, t, stride)) {
          if (!(w.length <= t && w.start >= 0 && w.start + w.length <= tokens - 1)) return false;
          for (let i = w.from; i < w.length; i++) {
            const target = w.start + i + 1;
            if (target > t && i + 1 < t - stride + 1) return false; // too little context
            scored.push(target);
          }
        }
        return scored.length === tokens - 1 && scored.every((v, i) => v === i + 1);
      },
    ),
  );
});

Deno.test("Transformer: changing a later word never changes the prediction at an earlier position", () => {
  const model = createTransformer(vocabulary, config, seededRandom(2), { std: 0.5 });
  const ids = [0, 2, 3, 4, 0];
  const logitsOf = (window: number[]) => model.logits(model.hidden(window).hidden).data;
  const before = logitsOf(ids);
  const s = vocabulary.size;
  for (let position = 1; position < ids.length; position++) {
    for (let replacement = 0; replacement < s; replacement++) {
      if (replacement === ids[position]) continue;
      const changed = [...ids];
      changed[position] = replacement;
      const after = logitsOf(changed);
      assert.deepEqual(after.subarray(0, position * s), before.subarray(0, position * s));
    }
    const changed = [...ids];
    changed[position] = (ids[position]! + 1) % s;
    assert.notDeepEqual(logitsOf(changed).subarray(position * s), before.subarray(position * s));
  }
});

Deno.test("Transformer.next() is a sorted distribution over the whole vocabulary", () => {
  const model = createTransformer(vocabulary, config, seededRandom(2), { std: 0.5 });
  const next = model.next(["the", "cat"]);
  assert.equal(next.length, vocabulary.size);
  assertClose(next.reduce((sum, c) => sum + c.probability, 0), 1, 1e-6);
  for (let i = 1; i < next.length; i++) assert.ok(next[i - 1]!.probability >= next[i]!.probability);
  assert.deepEqual([...model.contextIds(["the", "zebra"])], [0, vocabulary.id("the"), 1]);
  assert.deepEqual(model.contextIds(["</s>", "the"]), model.contextIds(["the"]));
  const long = ["a", "cat", "ran", "</s>", "the", "dog", "sat"];
  assert.deepEqual(
    [...model.contextIds(long)],
    ["ran", "</s>", "the", "dog", "sat"].map((w) => vocabulary.id(w)), // the last T = 5 tokens
  );
  assert.deepEqual(model.next(["the", "zebra"]), model.next(["the", "<unk>"]));
});

Deno.test("Transformer.streamLogProbabilities() scores each token from its window", () => {
  const model = createTransformer(vocabulary, config, seededRandom(4), { std: 0.5 });
  const stream = tokenStream(text, vocabulary);
  const t = config.contextSize;
  const got = model.streamLogProbabilities(stream, { stride: 2 });
  assert.equal(got.length, stream.length - 1);
  let k = 0;
  for (const w of scoringWindows(stream.length, t, 2)) {
    const window = stream.subarray(w.start, w.start + w.length);
    const logits = model.logits(model.hidden(window).hidden).data;
    const s = vocabulary.size;
    for (let i = w.from; i < w.length; i++, k++) {
      const row = logits.subarray(i * s, (i + 1) * s);
      assertClose(got[k]!, row[stream[w.start + i + 1]!]! - logSumExp(row), 1e-6);
    }
  }
  const every = model.streamLogProbabilities(stream, { stride: 2, every: 2 });
  assert.ok(every.length < got.length && every[0] === got[0]);
});

Deno.test("Transformer.evaluate() is −mean ln of tokenProbabilities()", () => {
  const model = createTransformer(vocabulary, config, seededRandom(2));
  const p = model.tokenProbabilities(text);
  const { meanNll, perplexity, tokens } = model.evaluate(text);
  assert.equal(tokens, 13);
  assert.equal(p.length, 13);
  assertClose(meanNll, -p.reduce((s, v) => s + Math.log(v), 0) / p.length, 1e-6);
  assertClose(perplexity, Math.exp(meanNll), 1e-9);
  assertClose(meanNll, Math.log(vocabulary.size), 0.02); // σ = 0.02: nearly uniform at the start
  assert.throws(() => model.evaluate([]), { name: "RangeError" });
});

Deno.test("Transformer.attention() gives causal rows that sum to 1", () => {
  const model = createTransformer(vocabulary, config, seededRandom(2), { std: 0.5 });
  const { tokens, weights } = model.attention(["the", "cat", "sat"]);
  assert.deepEqual(tokens, ["</s>", "the", "cat", "sat"]);
  assert.equal(weights.length, config.layers);
  assert.equal(weights[0]!.length, config.heads);
  for (const layer of weights) {
    for (const head of layer) {
      head.forEach((row, i) => {
        assertClose(row.reduce((s, v) => s + v, 0), 1, 1e-6);
        row.forEach((v, j) => j > i && assert.equal(v, 0));
      });
    }
  }
});

Deno.test("Transformer.loss() gradients match finite differences for every parameter", () => {
  const model = createTransformer(vocabulary, config, seededRandom(1), {
    dtype: "float64",
    std: 0.5,
  });
  const inputs = [0, 2, 3, 4, 0, 5, 2, 3];
  const targets = [2, 3, 4, 0, 5, 2, 3, 0];
  const result = checkGradients(
    (parameters: Tensor[]) =>
      new Transformer(vocabulary, config, parameters).loss(inputs, targets, 2),
    [...model.parameters],
  );
  assert.ok(result.checked > 400);
  assert.ok(result.maxRelativeError < GRADIENT_TOLERANCE, JSON.stringify(result.worst));
});

Deno.test("TransformerTrainer runs repeatably and in pieces", async (t) => {
  const stream = tokenStream(text, vocabulary);
  const fresh = () =>
    new TransformerTrainer(
      createTransformer(vocabulary, config, seededRandom(1)),
      stream,
      settings,
      { stream, every: 1 },
    );
  await t.step("run(12) then run() equals run()", () => {
    const whole = fresh();
    whole.run();
    const pieces = fresh();
    pieces.run(12);
    pieces.run();
    assert.deepEqual(pieces.history, whole.history);
    pieces.model.parameters.forEach((p, i) =>
      assert.deepEqual(p.data, whole.model.parameters[i]!.data)
    );
    assert.equal(whole.step, 30);
    assert.equal(whole.tokensSeen, 30 * 4 * 5);
  });
  await t.step("validation at step 0, every 10 steps; the loss falls", () => {
    const { trainLoss, validation } = fresh().run();
    assert.deepEqual(validation.map((v) => v.step), [0, 10, 20, 30]);
    assert.ok(trainLoss.at(-1)! < trainLoss[0]! - 0.15, `${trainLoss[0]} → ${trainLoss.at(-1)}`);
    assert.ok(validation.at(-1)!.loss < validation[0]!.loss);
  });
  await t.step("settings are checked", () => {
    const model = createTransformer(vocabulary, config, seededRandom(1));
    assert.throws(() => new TransformerTrainer(model, stream, { ...settings, clipNorm: 0 }), {
      name: "RangeError",
      message: "`clipNorm` must be a finite number > 0, got 0",
    });
    assert.throws(() => new TransformerTrainer(model, stream.subarray(0, 6), settings), {
      name: "RangeError",
      message: "`train` must be an Int32Array of more than 6 token ids, got 6",
    });
  });
});
