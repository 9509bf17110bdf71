// The wasm functions behind the page: posterior density, next-flip predictives, seeded draws, live KL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";

const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const UNIFORM = '{"kind":"random","alphas":[1,1]}';
const MIXTURE = '{"kind":"mixture","weights":[0.5,0.5],"probs":[[0.2,0.8],[0.8,0.2]]}';
const SMALL = '{"seed":5,"model":{"embedding_dim":8,"hidden_sizes":[8]},"pretraining":{"batch_size":8,"sequence_length":12,"steps":6}}';

function throwsNaming(f, pattern) {
  assert.throws(f, (e) => e instanceof Error && pattern.test(e.message));
}

test("posterior_density: Beta(1+h, 1+t) on a grid, matching closed forms", () => {
  const prior = engine.posterior_density(UNIFORM, "", 10);
  assert.equal(prior.kind, "beta");
  assert.deepEqual([prior.a, prior.b], [1, 1]);
  assert.equal(prior.density.length, 10);
  prior.density.forEach((d) => close(d, 1, 1e-12, "Beta(1,1)"));
  const post = engine.posterior_density(UNIFORM, "0", 10);
  assert.deepEqual([post.a, post.b], [2, 1]);
  assert.equal(post.points.length, 10);
  assert.equal(post.density.length, 10);
  post.points.forEach((x, i) => close(post.density[i], 2 * x, 1e-12, `Beta(2,1) at ${x}`));
  close(engine.posterior_density(UNIFORM, "0110", 10).mean, 0.5, 1e-15, "mean after 0110");
});

test("posterior_density: mixture weights and a single coin's point mass", () => {
  const mix = engine.posterior_density(MIXTURE, "0", 10);
  assert.equal(mix.kind, "mixture");
  close(mix.weights[0], 0.2, 1e-12, "weight of coin A after one H");
  close(mix.weights[1], 0.8, 1e-12, "weight of coin B after one H");
  assert.deepEqual(mix.p0, [0.2, 0.8]);
  assert.deepEqual(engine.posterior_density('{"kind":"single","probs":[0.3,0.7]}', "01", 10), { kind: "point", p0: 0.3 });
});

test("bayes_next: N + 1 rows following Laplace's rule", () => {
  const tokens = "0110100";
  const rows = engine.bayes_next(UNIFORM, tokens);
  assert.equal(rows.length, tokens.length + 1);
  let heads = 0;
  rows.forEach((row, k) => {
    close(row[0], (heads + 1) / (k + 2), 1e-12, `P(H) after ${k} flips`);
    close(row[0] + row[1], 1, 1e-12, "sum");
    if (tokens[k] === "0") heads += 1;
  });
});

test("model_predict: N + 1 rows; the first N match load_model_predict", () => {
  const trainer = new engine.Trainer(SMALL);
  trainer.step(6);
  const config = trainer.config_json(), weights = trainer.weights();
  const rows = engine.model_predict(config, weights, "0110", null);
  assert.equal(rows.length, 5);
  const steps = engine.load_model_predict(config, weights, UNIFORM, "0110");
  assert.equal(steps.length, 4);
  steps.forEach((s) => assert.equal(s.model_probs.length, 2));
  steps.forEach((s, k) => s.model_probs.forEach((p, v) => close(rows[k][v], p, 1e-6, `step ${k} P(${v})`)));
  assert.equal(engine.model_predict(config, weights, "", undefined).length, 1, "the prior prediction alone");
  // A hard prefix is the same as prepending its tokens and dropping their rows.
  const prefixed = engine.model_predict(config, weights, "10", '{"kind":"hard","tokens":"011"}');
  const joined = engine.model_predict(config, weights, "01110", null);
  assert.equal(prefixed.length, 3);
  assert.equal(joined.length, 6);
  prefixed.forEach((row) => assert.equal(row.length, 2));
  prefixed.forEach((row, k) => row.forEach((p, v) => close(p, joined[k + 3][v], 1e-5, `prefixed step ${k}`)));
  throwsNaming(() => engine.model_predict(config, weights, "0120", null), /tokens/);
  throwsNaming(() => engine.model_predict(config, weights, "01", '{"kind":"soft","rows":[[1,2]]}'), /prefix.rows\[0\]/);
  throwsNaming(() => engine.model_predict(config, weights, "01", "{"), /prefix: malformed JSON/);
  trainer.free();
});

test("random_tokens: seeded, digits of the source's vocabulary, and refusals", () => {
  const a = engine.random_tokens(UNIFORM, 50, 7n);
  assert.match(a, /^[01]{50}$/);
  assert.equal(engine.random_tokens(UNIFORM, 50, 7n), a);
  assert.notEqual(engine.random_tokens(UNIFORM, 50, 8n), a);
  assert.equal(engine.random_tokens('{"kind":"single","probs":[1,0]}', 5, 0n), "00000");
  throwsNaming(() => engine.random_tokens(UNIFORM, 0, 0n), /invalid n = 0/);
  throwsNaming(() => engine.random_tokens('{"kind":"single","probs":[1.5,-0.5]}', 5, 0n), /source.probs\[0\]/);
  throwsNaming(() => engine.posterior_density(MIXTURE.replace("0.5,0.5", "0.5,0.6"), "", 10), /source.weights/);
});

test("Trainer.kl_to_bayes: one fixed held-out batch, finite, falls with training", () => {
  const config = '{"seed":1,"model":{"embedding_dim":16,"hidden_sizes":[16]},"pretraining":{"batch_size":16,"sequence_length":20,"steps":60,"learning_rate":0.01}}';
  const trainer = new engine.Trainer(config);
  const before = trainer.kl_to_bayes(32, 20);
  assert.ok(Number.isFinite(before) && before > 0, `KL ${before}`);
  assert.equal(trainer.kl_to_bayes(32, 20), before, "the same batch every call");
  trainer.step(60);
  const after = trainer.kl_to_bayes(32, 20);
  assert.ok(after < before, `KL did not fall: ${before} -> ${after}`);
  throwsNaming(() => trainer.kl_to_bayes(0, 20), /num_sequences/);
  throwsNaming(() => trainer.kl_to_bayes(4, 5000), /length/);
  trainer.free();
});
