// The beliefs figure: the pretraining prior, the posterior after the best K-flip prompt, and the target, over the coin's bias.
import { COLOURS } from "../../charts.js";
import { number, prob } from "../format.js";
import { readoutNumber } from "../readout.js";
import { densitySeries, TABLE_BIASES, tableAt } from "./figure_parts.js";

const flips = (counts) => `${counts[0]} H + ${counts[1]} T`;

/** The tokens of the best `k`-flip prompt of reach result `r` (its H flips, then its T flips), whose posterior the figure draws. */
export function bestPromptTokens(r, k) {
  const counts = r.rows[k].best_counts;
  return "0".repeat(counts[0]) + "1".repeat(counts[1]);
}

/**
 * The chart of three of the engine's posterior_density results over the bias P(H): `prior` (the
 * pretraining prior, no flips), `prompted` (the pretraining prior after bestPromptTokens(r, k)), and
 * `goal` (the target source, no flips: beta, mixture or point). `r` is the reach result and `k` the
 * prompt length shown. The densities are inputs, so this stays free of the engine. Returns
 * {spec, legend, note}: the drawChart spec, the drawLegend items and the sentence under the chart.
 */
export function beliefsFigure({ r, k, prior, prompted, goal }) {
  const counts = r.rows[k].best_counts;
  const curve = (d) => d.points.map((x, i) => [x, d.density[i]]);
  const finiteMax = (d) => Math.max(...d.density.filter(Number.isFinite));
  const heights = [finiteMax(prior), finiteMax(prompted)];
  const areas = [];
  const lines = [
    { points: curve(prior), colour: COLOURS.axis, dash: true, width: 1.2 },
    { points: curve(prompted), colour: COLOURS.network, width: 2 },
  ];
  const bars = [];
  let goalLabel;
  if (goal.kind === "beta") {
    heights.push(finiteMax(goal));
    areas.push({ points: curve(goal), colour: COLOURS.kl });
    goalLabel = `target: Beta(${goal.a}, ${goal.b}) over coins`;
  } else if (goal.kind === "mixture") {
    goalLabel = `target: coins ${goal.p0.map(number).join(" / ")} with weights ${goal.weights.map(number).join(" / ")}`;
  } else {
    goalLabel = `target: one coin, P(H) = ${number(goal.p0)}`;
  }
  const top = Math.min(Math.max(...heights, 1) * 1.1, 1e6);
  // Point masses are drawn as bars whose height is their weight times the chart's height.
  if (goal.kind === "mixture") goal.p0.forEach((p, i) => bars.push({ x: p, y: goal.weights[i] * top * 0.9, width: 0.025, colour: COLOURS.kl, label: "AB"[i] ?? "" }));
  if (goal.kind === "point") bars.push({ x: goal.p0, y: top * 0.9, width: 0.025, colour: COLOURS.kl });
  const promptedLabel = `after the best ${k}-flip prompt (${flips(counts)}): Beta(${prompted.a}, ${prompted.b})`;
  const series = [
    densitySeries("prior", "prior Beta(1, 1)", COLOURS.axis, true, prior),
    densitySeries("prompted", promptedLabel, COLOURS.network, false, prompted),
    goal.kind === "beta"
      ? densitySeries("target", goalLabel, COLOURS.kl, false, goal)
      : { key: "target", label: `${goalLabel} (weight)`, colour: COLOURS.kl, dash: null, swatch: "bar", toggle: false,
          x: goal.kind === "mixture" ? goal.p0 : [goal.p0], y: goal.kind === "mixture" ? goal.weights : [1], q25: null, q75: null },
  ];
  return {
    spec: {
      title: "prior, prompted posterior and target over the coin's bias",
      xLabel: "bias P(H)", yLabel: "density", x: [0, 1], y: [0, top], areas, bars, lines,
      figure: {
        series,
        readout: "x",
        summary: `Over the coin's bias: the prior Beta(1, 1); ${promptedLabel}; ${goalLabel}.`,
        table: tableAt("Densities over the bias P(H) at the grid point nearest each bias (the target's coins: their weights)", series.slice(0, goal.kind === "beta" ? 3 : 2), TABLE_BIASES, (b) => `bias ≈ ${b}`, readoutNumber),
        notes: goal.kind === "beta" ? [] : [`target weights: ${series[2].x.map((p, i) => `${prob(p)}: ${number(series[2].y[i])}`).join(", ")}`],
      },
    },
    legend: [
      { label: "prior Beta(1, 1)", colour: COLOURS.axis, dash: true },
      { label: promptedLabel, colour: COLOURS.network },
      { label: goalLabel, colour: COLOURS.kl, kind: goal.kind === "beta" ? "area" : "bar" },
    ],
    note: goal.kind === "mixture"
      ? "A Beta posterior has one peak, wherever the prompt puts it; the target's coins sit at two places at once. Bars show the target's weights (as a fraction of the chart's height)."
      : goal.kind === "point"
        ? "Each prompt flip narrows the Beta posterior; with enough flips at the coin's frequency it becomes a spike on the target's coin."
        : "The prompt adds its counts to the prior's; a target prior that is wider than Beta(1, 1) cannot be reached by adding flips.",
  };
}
