// The wasm bayes_predict against closed forms: Laplace's rule and a two-coin mixture's posterior predictive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";

const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test("Random Coins with alphas (1,1) follows Laplace's rule of succession", () => {
  const tokens = "0110100";
  const steps = engine.bayes_predict('{"kind":"random","alphas":[1,1]}', tokens);
  assert.equal(steps.length, tokens.length);
  const counts = [0, 0];
  steps.forEach((s, n) => {
    assert.equal(s.step, n + 1);
    assert.equal(s.probs.length, 2);
    for (let v = 0; v < 2; v++) close(s.probs[v], (counts[v] + 1) / (n + 2), 1e-12, `step ${s.step} P(${v})`);
    assert.equal(s.model_probs, undefined);
    counts[Number(tokens[n])] += 1;
  });
});

test("a two-coin mixture gives the posterior predictive", () => {
  const weights = [0.5, 0.5];
  const rows = [[0.2, 0.8], [0.8, 0.2]];
  const source = JSON.stringify({ kind: "mixture", weights, probs: rows });
  const tokens = "0110100";
  const steps = engine.bayes_predict(source, tokens);
  assert.equal(steps.length, tokens.length);
  // By hand: after a single 0 the posterior is (0.1, 0.4)/0.5 = (0.2, 0.8), so P(0) = 0.2*0.2 + 0.8*0.8 = 0.68.
  close(steps[0].probs[0], 0.5, 1e-12, "prior P(0)");
  close(steps[1].probs[0], 0.68, 1e-12, "P(0) after '0'");
  let post = weights.slice();
  steps.forEach((s, n) => {
    const z = post[0] + post[1];
    for (let v = 0; v < 2; v++) {
      const expected = (post[0] * rows[0][v] + post[1] * rows[1][v]) / z;
      close(s.probs[v], expected, 1e-12, `step ${s.step} P(${v})`);
    }
    const x = Number(tokens[n]);
    post = [post[0] * rows[0][x], post[1] * rows[1][x]];
  });
});

test("empty tokens give no steps", () => {
  assert.deepEqual(engine.bayes_predict('{"kind":"single","probs":[0.3,0.7]}', ""), []);
});

test("bayes_next's first N rows are bayes_predict's steps, bit for bit, plus the row after the last token", () => {
  const tokens = "0110100";
  for (const source of ['{"kind":"random","alphas":[1,1]}', '{"kind":"mixture","weights":[0.5,0.5],"probs":[[0.2,0.8],[0.8,0.2]]}', '{"kind":"single","probs":[0.3,0.7]}']) {
    const rows = engine.bayes_next(source, tokens);
    const steps = engine.bayes_predict(source, tokens);
    assert.equal(rows.length, tokens.length + 1);
    assert.equal(steps.length, tokens.length);
    steps.forEach((s, n) => assert.deepEqual(s.probs, rows[n], `${source} step ${s.step}`));
  }
});
