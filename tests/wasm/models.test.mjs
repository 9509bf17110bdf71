// The models shipped in www/models (built by ./build.sh build) are near-Bayes-optimal on held-out Random Coins data.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { engine, ROOT } from "../common/engine.mjs";

const MODELS = path.join(ROOT, "www", "models");
/** Held-out batch: 256 sequences of the pretraining length, from a seed no model was trained with. */
const SEQUENCES = 256, LENGTH = 100, SEED = 20250517n;

function shipped(name) {
  const dir = path.join(MODELS, name);
  return {
    config: fs.readFileSync(path.join(dir, "config.json"), "utf8"),
    weights: new Uint8Array(fs.readFileSync(path.join(dir, "model.safetensors"))),
  };
}

for (const name of ["lstm", "transformer"]) {
  test(`shipped ${name}: mean KL to Bayes < 0.01 nats per step`, () => {
    const { config, weights } = shipped(name);
    assert.equal(JSON.parse(config).pretraining.sequence_length, LENGTH);
    const kl = engine.model_kl_to_bayes(config, weights, SEQUENCES, LENGTH, SEED);
    console.log(`${name}: KL to Bayes ${kl.toFixed(5)} nats/step on ${SEQUENCES} x ${LENGTH} held-out flips`);
    assert.ok(Number.isFinite(kl) && kl >= 0, `KL ${kl}`);
    assert.ok(kl < 0.01, `KL ${kl} nats/step is not below 0.01`);
  });
}

test("the untrained model is far from Bayes (it cannot use the flips)", () => {
  const { config, weights } = shipped("untrained");
  assert.equal(JSON.parse(config).model.trained, false);
  const kl = engine.model_kl_to_bayes(config, weights, 64, LENGTH, SEED);
  console.log(`untrained: KL to Bayes ${kl.toFixed(5)} nats/step`);
  assert.ok(kl > 0.05, `untrained KL ${kl}`);
});

test("the same seed gives the same held-out KL; another seed a different one", () => {
  const { config, weights } = shipped("lstm");
  const a = engine.model_kl_to_bayes(config, weights, 32, 50, 1n);
  assert.equal(engine.model_kl_to_bayes(config, weights, 32, 50, 1n), a);
  assert.notEqual(engine.model_kl_to_bayes(config, weights, 32, 50, 2n), a);
});

test("the Transformer refuses sequences whose attention would not fit, with a message instead of a crash", () => {
  const { config, weights } = shipped("transformer");
  const long = "01".repeat(1500);
  assert.throws(() => engine.model_predict(config, weights, long, null), (e) => e instanceof Error && /invalid tokens = 3000 tokens: must be at most \d+ tokens/.test(e.message));
  // The engine is still usable afterwards, and the LSTM takes the same sequence.
  assert.equal(engine.model_predict(config, weights, "01", null).length, 3);
  const lstm = shipped("lstm");
  assert.equal(engine.model_predict(lstm.config, lstm.weights, long, null).length, 3001);
});
