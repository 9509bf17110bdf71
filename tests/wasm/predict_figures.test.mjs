// The engine's Predict view figures (PredictFigureSet) in wasm: the numbers the page's own calls give, the page's labels, refusals by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";
import { predictiveFigure } from "../../web/lib/figures/predictive.js";
import { DENSITY_POINTS } from "../../web/lib/figures/density.js";

const UNIFORM = '{"kind":"random","alphas":[1,1]}';
const MIXTURE = '{"kind":"mixture","weights":[0.5,0.5],"probs":[[0.2,0.8],[0.8,0.2]]}';
const SMALL = '{"seed":5,"model":{"embedding_dim":8,"hidden_sizes":[8]},"pretraining":{"batch_size":8,"sequence_length":12,"steps":6}}';
const seriesOf = (data, key) => data.series.find((s) => s.key === key);

/** A tiny network trained for 6 steps: {config, weights}. */
function network() {
  const trainer = new engine.Trainer(SMALL);
  trainer.step(6);
  const net = { config: trainer.config_json(), weights: trainer.weights() };
  trainer.free();
  return net;
}

test("PredictFigureSet draws what the Predict view computes: Bayes after the hard prompt, the network behind it, the posterior", () => {
  const { config, weights } = network();
  const [hard, flips] = ["001", "0110100"];
  for (const source of [UNIFORM, MIXTURE]) {
    const set = new engine.PredictFigureSet(source, hard, flips, config, weights);
    assert.deepEqual([...set.names()], ["predictive", "posterior"]);
    const { svg, data } = set.figure("predictive", { width: 360 });
    assert.ok(svg.startsWith("<svg") && data.width === 360);
    // The page's calls (web/views/predict.js) and its figure builder.
    const bayes = engine.bayes_next(source, hard + flips).slice(hard.length);
    const net = engine.model_predict(config, weights, flips, JSON.stringify({ kind: "hard", tokens: hard }));
    assert.deepEqual(seriesOf(data, "bayes").y, bayes.map((row) => row[0]));
    assert.deepEqual(seriesOf(data, "network").y, net.map((row) => row[0]));
    const page = predictiveFigure({ flips, bayes, net }).spec.figure.series;
    assert.deepEqual(data.series.map((s) => [s.key, s.label, s.colour]), page.map((s) => [s.key, s.label, s.colour]));
    const post = set.figure("posterior", { width: 800 }).data;
    const density = engine.posterior_density(source, hard + flips, DENSITY_POINTS);
    const p = seriesOf(post, "posterior");
    if (density.kind === "beta") assert.deepEqual([p.x, p.y], [density.points, density.density]);
    else assert.deepEqual([p.x, p.y], [density.p0, density.weights]);
    assert.deepEqual(seriesOf(post, "network").x, [net[flips.length][0], net[flips.length][0]]);
    set.free();
  }
  // Without a network: Bayes alone.
  const alone = new engine.PredictFigureSet(UNIFORM, "", flips, undefined, undefined);
  assert.deepEqual(alone.figure("predictive").data.series.map((s) => s.key), ["bayes"]);
  // The strip of flips above the plot is explained in the figure's notes, and only when it is drawn.
  assert.deepEqual(alone.figure("predictive").data.notes, ["squares above the plot: the flips, filled H, open T"]);
  alone.free();
  const none = new engine.PredictFigureSet(UNIFORM, "", "", undefined, undefined);
  assert.deepEqual(none.figure("predictive").data.notes, []);
  none.free();
});

test("PredictFigureSet refuses bad input by name", () => {
  assert.throws(() => new engine.PredictFigureSet(UNIFORM, "0x", "01"), /hard\[1\]/);
  assert.throws(() => new engine.PredictFigureSet(UNIFORM, "", "012"), /tokens\[2\]/);
  assert.throws(() => new engine.PredictFigureSet("{", "", "01"), /JSON/);
  const set = new engine.PredictFigureSet(UNIFORM, "", "01");
  assert.throws(() => set.figure("nope"), /figure/);
  assert.throws(() => set.figure("predictive", { width: 100 }), /width/);
  set.free();
});
