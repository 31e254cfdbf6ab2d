import assert from "node:assert/strict";
import { measureTraining } from "../../bench/training_step.ts";
import { QUICK_TRANSFORMER_RUN } from "../../lib/nn/transformer_run.ts";

Deno.test("measureTraining() times B × T tokens per step on the quick run", async () => {
  const { tokens, seconds, what } = await measureTraining({
    settings: QUICK_TRANSFORMER_RUN,
    threads: 1,
    warmupSteps: 1,
    steps: 2,
  });
  const { batchSize } = QUICK_TRANSFORMER_RUN.training;
  assert.equal(tokens, 2 * batchSize * QUICK_TRANSFORMER_RUN.config.contextSize);
  assert.ok(seconds > 0 && Number.isFinite(seconds), `seconds = ${seconds}`);
  assert.match(what, /batch 16 × context 16, 2 timed steps after 1 warm-up, 1 gemm thread$/);
});

Deno.test("measureTraining() rejects step counts the run cannot give", async (t) => {
  const settings = QUICK_TRANSFORMER_RUN;
  await t.step("no timed steps", async () => {
    await assert.rejects(measureTraining({ settings, steps: 0 }), RangeError);
  });
  await t.step("negative warm-up", async () => {
    await assert.rejects(measureTraining({ settings, warmupSteps: -1, steps: 1 }), RangeError);
  });
  await t.step("more steps than the run has", async () => {
    await assert.rejects(
      measureTraining({ settings, warmupSteps: 1, steps: settings.training.steps }),
      /at most the run's 200 steps, got 201/,
    );
  });
});
