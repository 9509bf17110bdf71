// The page's figure builders (web/lib/figures) fed the engine's own outputs: every drawn series is the engine's numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";
import { predictiveFigure } from "../../web/lib/figures/predictive.js";
import { posteriorFigure } from "../../web/lib/figures/posterior.js";
import { reachFigure } from "../../web/lib/figures/reach.js";
import { beliefsFigure, bestPromptTokens } from "../../web/lib/figures/beliefs.js";
import { klFigure, lossFigure, SHIPPED_KL } from "../../web/lib/figures/pretrain_curves.js";
import { DENSITY_POINTS } from "../../web/lib/figures/density.js";
import { COLOURS } from "../../web/charts.js";
import { prob } from "../../web/lib/format.js";

const UNIFORM = '{"kind":"random","alphas":[1,1]}';
const MIXTURE = '{"kind":"mixture","weights":[0.5,0.5],"probs":[[0.2,0.8],[0.8,0.2]]}';
const SINGLE = '{"kind":"single","probs":[0.3,0.7]}';
const SMALL = '{"seed":5,"model":{"embedding_dim":8,"hidden_sizes":[8]},"pretraining":{"batch_size":8,"sequence_length":12,"steps":6}}';
const styleOf = (label) => engine.method_style(label);
const lineOf = (spec, colour) => spec.lines.filter((l) => l.colour === colour);

test("predictiveFigure draws P(H) of every engine row at its flip count, the flips as the strip", () => {
  const flips = "0110100";
  const bayes = engine.bayes_next(UNIFORM, flips);
  const trainer = new engine.Trainer(SMALL);
  trainer.step(6);
  const net = engine.model_predict(trainer.config_json(), trainer.weights(), flips, null);
  trainer.free();
  const { spec, legend } = predictiveFigure({ flips, bayes, net });
  assert.deepEqual(lineOf(spec, COLOURS.bayes)[0].points, bayes.map((row, k) => [k, row[0]]));
  assert.deepEqual(lineOf(spec, COLOURS.network)[0].points, net.map((row, k) => [k, row[0]]));
  assert.equal(spec.strip, flips);
  assert.deepEqual(spec.x, [0, flips.length]);
  assert.deepEqual(legend.map((l) => l.label), ["exact Bayes", "network"]);
  // A missing network (or source) draws only the other curve.
  assert.deepEqual(predictiveFigure({ flips, bayes, net: null }).spec.lines.map((l) => l.colour), [COLOURS.bayes]);
  assert.equal(predictiveFigure({ flips: "", bayes: null, net: null }).spec.lines.length, 0);
});

test("posteriorFigure draws the engine's density, weights or point mass, and the mean as Bayes's P(next = H)", () => {
  const netP = 0.61;
  const beta = engine.posterior_density(UNIFORM, "0010", DENSITY_POINTS);
  let fig = posteriorFigure({ post: beta, netP });
  assert.deepEqual(fig.spec.lines[0].points, beta.points.map((x, i) => [x, beta.density[i]]));
  assert.deepEqual(fig.spec.vlines.map((v) => v.x), [beta.mean, netP]);
  assert.ok(fig.legend.some((l) => l.label === `mean ${prob(beta.mean)} = Bayes P(next = H)`));
  assert.match(fig.note, /^Random Coins/);

  const mix = engine.posterior_density(MIXTURE, "0010", DENSITY_POINTS);
  fig = posteriorFigure({ post: mix, netP });
  assert.deepEqual(fig.spec.bars.map((b) => [b.x, b.y, b.label]), [[mix.p0[0], mix.weights[0], "A"], [mix.p0[1], mix.weights[1], "B"]]);
  assert.deepEqual(fig.spec.vlines.map((v) => v.x), [mix.mean, netP]);
  assert.match(fig.note, /^Two-Coin Mixture/);

  const point = engine.posterior_density(SINGLE, "0010", DENSITY_POINTS);
  fig = posteriorFigure({ post: point, netP });
  assert.deepEqual(fig.spec.bars.map((b) => [b.x, b.y]), [[0.3, 1]]);
  assert.equal(fig.legend[0].label, "known bias 0.3000 = Bayes P(next = H)");

  fig = posteriorFigure({ post: null, netP: NaN });
  assert.ok(fig.spec.message && fig.legend.length === 0 && /Fix the source/.test(fig.note));
});

test("reachFigure draws the engine's curve, its limit, the run's K and each network dot at its K", () => {
  const target = JSON.stringify({ kind: "single", probs: [0.2, 0.8] });
  const r = engine.reach(UNIFORM, target, 12, 30);
  const bare = reachFigure({ r, kmax: 12, points: [], k: undefined, styleOf });
  assert.deepEqual(bare.spec.lines[0].points, r.rows.map((row) => [row.prefix_length, row.excess_regret]));
  assert.deepEqual(bare.spec.x, [0, 12]);
  assert.ok(bare.spec.y[1] >= Math.max(...r.rows.map((row) => row.excess_regret)));
  assert.equal(bare.legend.length, 2);

  const points = [{ method: "PreBayes", x: 0, y: r.rows[0].excess_regret, q25: 0.9 * r.rows[0].excess_regret, q75: 1.1 * r.rows[0].excess_regret }, { method: "HardPT", x: 4, y: 0.5, q25: NaN, q75: NaN }];
  const fig = reachFigure({ r, kmax: 12, points, k: 4, styleOf });
  const marked = fig.spec.lines.filter((l) => l.markers).map((l) => l.points);
  assert.deepEqual(marked, [[[4, r.rows[4].excess_regret]], [[0, points[0].y]], [[4, 0.5]]]);
  assert.deepEqual(fig.spec.vlines.map((v) => v.x), [4]);
  assert.deepEqual(fig.spec.pointLabels.map((p) => [p.text, p.colour]), [["PreBayes", styleOf("PreBayes").colour], ["HardPT", styleOf("HardPT").colour]]);
  assert.deepEqual(fig.legend.slice(2).map((l) => l.label.split(":")[0]), ["the run's K = 4", "PreBayes", "HardPT"]);
});

test("beliefsFigure draws the engine's prior, the posterior after the best K-flip prompt, and the target", () => {
  const pretrain = UNIFORM;
  // Unequal weights, so a bar drawn for the wrong coin shows.
  const uneven = '{"kind":"mixture","weights":[0.3,0.7],"probs":[[0.2,0.8],[0.7,0.3]]}';
  for (const target of [SINGLE, uneven, '{"kind":"random","alphas":[3,5]}']) {
    const r = engine.reach(pretrain, target, 10, 30);
    const k = 7;
    const tokens = bestPromptTokens(r, k);
    assert.equal(tokens.length, k);
    assert.deepEqual([...tokens].filter((t) => t === "0").length, r.rows[k].best_counts[0]);
    const prior = engine.posterior_density(pretrain, "", DENSITY_POINTS);
    const prompted = engine.posterior_density(pretrain, tokens, DENSITY_POINTS);
    const goal = engine.posterior_density(target, "", DENSITY_POINTS);
    const { spec, legend, note } = beliefsFigure({ r, k, prior, prompted, goal });
    const curve = (d) => d.points.map((x, i) => [x, d.density[i]]);
    assert.deepEqual(spec.lines.map((l) => l.points), [curve(prior), curve(prompted)]);
    assert.ok(legend[1].label.includes(`Beta(${prompted.a}, ${prompted.b})`), legend[1].label);
    assert.ok(note.length > 0);
    if (goal.kind === "beta") assert.deepEqual(spec.areas[0].points, curve(goal));
    if (goal.kind === "point") assert.deepEqual(spec.bars.map((b) => b.x), [goal.p0]);
    if (goal.kind === "mixture") {
      // Bars as tall as each coin's weight, as a fraction of the chart's height.
      assert.deepEqual(spec.bars.map((b) => b.x), goal.p0);
      spec.bars.forEach((b, i) => assert.ok(Math.abs(b.y / (spec.y[1] * 0.9) - goal.weights[i]) < 1e-12));
    }
  }
});

test("lossFigure and klFigure draw the trainer's losses and KLs, and the shipped models' KL line", () => {
  const trainer = new engine.Trainer(SMALL);
  const losses = Array.from(trainer.step(6));
  const kl = [[6, trainer.kl_to_bayes(16, 12)]];
  trainer.free();
  const loss = lossFigure({ losses, total: 6, running: false });
  assert.deepEqual(loss.spec.lines[0].points, losses.map((y, i) => [i + 1, y]));
  assert.ok(loss.spec.y[0] <= Math.min(...losses) && loss.spec.y[1] >= Math.max(...losses));
  assert.equal(loss.spec.message, undefined);
  assert.equal(lossFigure({ losses: [], total: 0, running: true }).spec.message, "starting…");

  const fig = klFigure({ kl, steps: 6, total: 6, running: false });
  assert.deepEqual(lineOf(fig.spec, COLOURS.kl)[0].points, kl);
  assert.deepEqual(lineOf(fig.spec, COLOURS.axis)[0].points, [[0, SHIPPED_KL], [6, SHIPPED_KL]]);
  assert.ok(fig.spec.y[0] <= Math.min(kl[0][1], SHIPPED_KL) && fig.spec.y[1] >= kl[0][1]);
  assert.deepEqual(fig.legend.map((l) => l.label), ["KL to Bayes", "0.01: the shipped models are below"]);
});
