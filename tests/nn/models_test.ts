import assert from "node:assert/strict";
import {
  loadModel,
  loadTransformer,
  loadTransformerRunData,
  MODEL_NAMES,
  startTransformerRun,
  TRANSFORMER_RUN,
} from "../../lib/nn/mod.ts";
import { softmax } from "../../lib/math/softmax.ts";
import { countLanguageModel } from "../../lib/text/language_model.ts";
import { assertClose } from "../_helpers.ts";

const question = ["the", "boy", "went", "to", "the"];

Deno.test("loadModel() gives each trained model by name, in well under a second", async (t) => {
  const words: (readonly string[])[] = [];
  for (const name of MODEL_NAMES) {
    await t.step(name, async () => {
      const start = performance.now();
      const model = await loadModel(name);
      const ms = performance.now() - start;
      assert.ok(ms < 1000, `loading took ${ms.toFixed(0)} ms`);
      assert.equal(model.name, name);
      assert.equal(model.vocabulary.size, 5002);
      words.push(model.vocabulary.words);
      const next = model.next(question);
      assert.equal(next.length, 5002);
      assertClose(next.reduce((sum, c) => sum + c.probability, 0), 1, 1e-9);
      for (let i = 1; i < next.length; i++) {
        assert.ok(next[i - 1]!.probability >= next[i]!.probability);
      }
      // nextLogits is next before softmax and sorting, in id order.
      const logits = model.nextLogits(question);
      assert.equal(logits.length, 5002);
      const probabilities = softmax(logits);
      for (const c of [next[0]!, next[1]!, next[100]!, next.at(-1)!]) {
        assertClose(probabilities[model.vocabulary.id(c.word)]!, c.probability, 1e-12);
      }
      assert.throws(() => model.nextLogits("the boy" as never), /`context`.*"the boy"/);
      const { tokens, perplexity } = model.evaluate([["the", "boy", "went", "home", "."]]);
      assert.equal(tokens, 6);
      assert.ok(perplexity > 1 && perplexity < 5002);
      assert.equal(model.heldOut.tokens, 121_445);
    });
  }
  await t.step("both on the same vocabulary", () => {
    assert.deepEqual(words[0], words[1]);
  });
});

Deno.test("loadModel() rejects an unknown name", async () => {
  await assert.rejects(() => loadModel("gpt-5" as "mlp"), {
    name: "RangeError",
    message: '`name` must be one of "mlp", "transformer", got "gpt-5"',
  });
});

Deno.test("the committed models/transformer.* belong to the committed code", async (t) => {
  const saved = await loadTransformer();
  await t.step("trained with TRANSFORMER_RUN from lib/nn/transformer_run.ts", () => {
    assert.deepEqual(saved.settings, TRANSFORMER_RUN);
    assert.equal(saved.history.trainLoss.length, TRANSFORMER_RUN.training.steps);
  });
  const data = await loadTransformerRunData(saved.settings);
  await t.step("on the vocabulary the code builds (the MLP's)", () => {
    assert.deepEqual(saved.vocabulary.words, data.vocabulary.words);
  });
  await t.step("the first 10 steps from the seed give the recorded losses, bit for bit", () => {
    const trainer = startTransformerRun(saved.settings, data);
    trainer.run(10);
    assert.deepEqual(trainer.history.trainLoss, saved.history.trainLoss.slice(0, 10));
    assert.deepEqual(trainer.history.validation, saved.history.validation.slice(0, 1));
  });
  await t.step("the weights give the recorded validation loss, bit for bit", () => {
    const { evaluationStride: stride, validationEvery: every } = saved.settings;
    const logProbabilities = saved.model.streamLogProbabilities(data.heldOut, { stride, every });
    let sum = 0;
    for (let i = 0; i < logProbabilities.length; i++) sum -= logProbabilities[i]!;
    assert.equal(sum / logProbabilities.length, saved.results.validationLoss);
    assert.equal(saved.history.validation.at(-1)!.loss, saved.results.validationLoss);
  });
  await t.step("the recorded trigram is the count model on the same vocabulary", () => {
    const trigram = countLanguageModel(data.trainSentences, data.vocabulary, { n: 3 });
    const live = trigram.evaluate(data.heldOutSentences);
    assert.equal(live.tokens, saved.results.heldOut.tokens);
    assertClose(live.meanNll, saved.results.trigram.meanNll, 1e-12);
  });
  await t.step("held out, the transformer beats the trigram, and the mixture beats both", () => {
    const { heldOut, trigram, mixture } = saved.results;
    assert.equal(heldOut.tokens, 121_445);
    assert.ok(heldOut.perplexity < trigram.perplexity);
    assert.ok(mixture.heldOut.perplexity < heldOut.perplexity);
  });
  await t.step("changing a later word never changes an earlier prediction", () => {
    const sentence = ["the", "boy", "went", "to", "the", "park", "."];
    const changed = ["the", "boy", "went", "to", "a", "school", "!"];
    for (let i = 0; i <= 4; i++) {
      assert.deepEqual(
        saved.model.next(changed.slice(0, i)),
        saved.model.next(sentence.slice(0, i)),
      );
    }
    assert.notDeepEqual(
      saved.model.next(changed.slice(0, 5)),
      saved.model.next(sentence.slice(0, 5)),
    );
  });
});
