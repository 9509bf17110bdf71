// The Trainer class: stepping, predictions, and a weights round trip through load_model_predict.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";

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

test("steps in parts: two trainers sharing each step end with the bits of one computing both parts", () => {
  const config = '{"seed":5,"model":{"embedding_dim":8,"hidden_sizes":[8]},"pretraining":{"batch_size":5,"sequence_length":10,"steps":6}}';
  const [a, b, alone, whole] = [0, 1, 2, 3].map(() => new engine.Trainer(config));
  assert.equal(a.parts(), 2);
  for (let step = 0; step < 6; step++) {
    const shares = [a.part(0, 2), b.part(1, 2)];
    assert.ok(shares[0].grads instanceof Float64Array && shares[0].grads.length === shares[1].grads.length);
    const losses = shares.map((s) => s.loss);
    const grads = shares.map((s) => s.grads);
    const la = a.apply(losses, grads);
    assert.equal(b.apply(losses, grads), la);
    const own = [alone.part(0, 2), alone.part(1, 2)];
    assert.equal(alone.apply(own.map((s) => s.loss), own.map((s) => s.grads)), la);
    // A whole-batch step sums in another order: equal to f32 rounding, which a few steps amplify a little.
    const [lw] = whole.step(1);
    assert.ok(Math.abs(lw - la) <= 1e-4 * lw, `step ${step}: whole ${lw} vs parts ${la}`);
  }
  assert.deepEqual(a.weights(), b.weights());
  assert.deepEqual(a.weights(), alone.weights());
  assert.equal(a.steps_done(), 6);
  assert.throws(() => a.part(0, 2), /pretraining.steps/);
});

test("bad parts throw clear errors and leave the trainer usable", () => {
  const t = new engine.Trainer(CONFIG);
  assert.throws(() => t.part(2, 2), /part/);
  assert.throws(() => t.part(0, 9), /1..=4/);
  const s0 = t.part(0, 2);
  const s1 = t.part(1, 2);
  assert.throws(() => t.apply([s0.loss, s1.loss], [s0.grads]), /one per loss/);
  assert.throws(() => t.apply([s0.loss, s1.loss], [s0.grads, [1, 2]]), /grads\[1\].*Float64Array/);
  assert.throws(() => t.apply([s0.loss, s1.loss], [s0.grads, s1.grads.subarray(1)]), /parts\[1\]\.grads/);
  assert.ok(Number.isFinite(t.apply([s0.loss, s1.loss], [s0.grads, s1.grads])));
  assert.equal(t.steps_done(), 1);
});
