// Bad input reaches JS as an Error whose message names the problem, never as a panic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "./pkg.mjs";

/** Asserts `f` throws a JS Error whose message matches `pattern`. */
function throwsNaming(f, pattern) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

const COIN = '{"kind":"random","alphas":[1,1]}';
const SMALL = '{"model":{"embedding_dim":4,"hidden_sizes":[4]},"pretraining":{"batch_size":2,"sequence_length":5,"steps":3}}';

test("malformed source JSON", () => throwsNaming(() => engine.bayes_predict("{", "01"), /malformed JSON/));

test("probabilities not summing to 1", () =>
  throwsNaming(() => engine.bayes_predict('{"kind":"single","probs":[0.3,0.3]}', "01"), /probs/));

test("a token outside 0..V-1", () => throwsNaming(() => engine.bayes_predict(COIN, "0120"), /tokens/));

test("a config with an unknown field", () => {
  throwsNaming(() => new engine.Trainer('{"bogus":1}'), /bogus/);
  throwsNaming(() => engine.pretrain_steps('{"model":{"layers":2}}', 1), /layers/);
});

test("pretrain_steps refuses 0 steps and more than pretraining.steps", () => {
  throwsNaming(() => engine.pretrain_steps(SMALL, 0), /steps/);
  throwsNaming(() => engine.pretrain_steps(SMALL, 4), /steps/);
});

test("weights that do not fit the config", () =>
  throwsNaming(() => engine.load_model_predict(SMALL, new Uint8Array([1, 2, 3]), COIN, "01"), /./));

test("Trainer.model_probs with a bad token", () => {
  const trainer = new engine.Trainer(SMALL);
  throwsNaming(() => trainer.model_probs("07"), /tokens/);
  trainer.free();
});
