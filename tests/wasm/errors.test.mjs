// Bad input reaches JS as an Error whose message names the problem, never as a panic.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { engine, ROOT } from "../common/engine.mjs";

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
  throwsNaming(() => engine.load_model_predict(SMALL, new Uint8Array([1, 2, 3]), COIN, "01"), /not valid safetensors/));

test("corrupt or mismatched model files are refused with a message", () => {
  const model = (name) => [
    fs.readFileSync(path.join(ROOT, "www", "models", name, "config.json"), "utf8"),
    new Uint8Array(fs.readFileSync(path.join(ROOT, "www", "models", name, "model.safetensors"))),
  ];
  const [lstm, weights] = model("lstm");
  const [transformer, transformerWeights] = model("transformer");
  assert.equal(engine.load_model_predict(lstm, weights, COIN, "01").length, 2, "the intact file loads");
  const load = (config, bytes) => () => engine.load_model_predict(config, bytes, COIN, "01");
  throwsNaming(load(lstm, new Uint8Array()), /^model file is not valid safetensors: header too small/);
  throwsNaming(load(lstm, weights.slice(0, weights.length - 100)), /^model file is not valid safetensors: incomplete metadata/);
  throwsNaming(load(lstm, weights.slice(0, 50)), /^model file is not valid safetensors: invalid header length/);
  const flipped = weights.slice();
  flipped[10] ^= 0xff;
  throwsNaming(load(lstm, flipped), /^model file is not valid safetensors: invalid UTF-8 in header/);
  // Bytes of all ones are NaNs in f32: the first tensor's data is overwritten.
  const nan = weights.slice();
  const header = Number(new DataView(nan.buffer).getBigUint64(0, true));
  nan.fill(0xff, 8 + header, 8 + header + 64);
  throwsNaming(load(lstm, nan), /^model file has non-finite values in /);
  throwsNaming(load(lstm, transformerWeights), /^model file lacks parameter torso\.layer0\.bias/);
  throwsNaming(load(transformer, weights), /^model file lacks parameter torso\.layer0\.attn\./);
});

test("Trainer.model_probs with a bad token", () => {
  const trainer = new engine.Trainer(SMALL);
  throwsNaming(() => trainer.model_probs("07"), /tokens/);
  trainer.free();
});

/** The JS Error `f` throws. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    return e;
  }
  assert.fail("did not throw");
}

test("a refused field reaches JS as properties field, value and allowed beside the one-line message", () => {
  const cases = [
    [() => engine.bayes_predict('{"kind":"single","probs":[0.3,0.3]}', "01"), "source.probs", "entries summing to 0.6", "entries summing to 1 (within 0.000001)"],
    [() => engine.bayes_predict(COIN, "0120"), "tokens[2]", "'2'", "a digit in 0..=1"],
    [() => engine.pretrain_steps(SMALL, 0), "steps", "0", "an integer in 1..=3 (pretraining.steps)"],
    [() => engine.random_tokens(COIN, 0, 0n), "n", "0", "an integer in 1..=10000"],
    [() => engine.reach(COIN, '{"kind":"random","alphas":[1,1,1]}', 3, 10), "target", "V = 3", "the pretraining source's vocabulary size V = 2"],
    [() => new engine.Trainer('{"pretraining":{"batch_size":0}}'), "pretraining.batch_size", "0", "an integer in 1..=4096"],
  ];
  for (const [f, field, value, allowed] of cases) {
    const e = thrown(f);
    assert.equal(e.field, field, e.message);
    assert.equal(e.value, value, e.message);
    assert.equal(e.allowed, allowed, e.message);
    assert.equal(e.message, `invalid ${field} = ${value}: must be ${allowed}`);
  }
});

test("any other refusal is a plain Error with the message alone", () => {
  for (const f of [() => engine.bayes_predict("{", "01"), () => engine.load_model_predict(SMALL, new Uint8Array([1, 2, 3]), COIN, "01")]) {
    const e = thrown(f);
    assert.ok(e.message.length > 0 && !e.message.includes("\n"), e.message);
    assert.deepEqual([e.field, e.value, e.allowed], [undefined, undefined, undefined], e.message);
  }
  assert.match(thrown(() => engine.bayes_predict("{", "01")).message, /^source: malformed JSON: /);
  assert.match(thrown(() => engine.reach("{", COIN, 3, 10)).message, /^pretrain: malformed JSON: /);
});
