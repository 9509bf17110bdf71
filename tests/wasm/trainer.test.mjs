// The Trainer class: stepping, predictions, and a weights round trip through load_model_predict.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "./pkg.mjs";

const CONFIG = '{"seed":3,"model":{"embedding_dim":8,"hidden_sizes":[8]},"pretraining":{"batch_size":4,"sequence_length":10,"steps":8}}';
const TOKENS = "0110100";

test("step, model_probs, weights and a reload give identical predictions", () => {
  const trainer = new engine.Trainer(CONFIG);
  assert.equal(trainer.steps_done(), 0);
  assert.equal(trainer.remaining(), 8);

  const losses = trainer.step(5);
  assert.equal(losses.length, 5);
  for (const l of losses) assert.ok(Number.isFinite(l) && l > 0, `loss ${l}`);
  assert.equal(trainer.steps_done(), 5);
  assert.equal(trainer.remaining(), 3);
  assert.equal(trainer.step(10).length, 3, "never steps past pretraining.steps");
  assert.equal(trainer.remaining(), 0);

  const steps = trainer.model_probs(TOKENS);
  assert.equal(steps.length, TOKENS.length);
  for (const s of steps) {
    for (const probs of [s.probs, s.model_probs]) {
      assert.equal(probs.length, 2);
      const sum = probs.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `step ${s.step}: probabilities sum to ${sum}`);
    }
  }

  const weights = trainer.weights();
  assert.ok(weights instanceof Uint8Array && weights.length > 0);
  const config = trainer.config_json();
  assert.equal(JSON.parse(config).seed, 3);
  const source = JSON.stringify(JSON.parse(config).pretraining.source);
  const reloaded = engine.load_model_predict(config, weights, source, TOKENS);
  assert.deepEqual(reloaded, steps);
  trainer.free();
});
