// The reachability figure: the best hard prompt's excess regret over TargetBayes by prompt length, with the networks' dots.
import { COLOURS } from "../../charts.js";
import { nats } from "../format.js";
import { keySteps, tableAt } from "./figure_parts.js";

/**
 * The chart of the engine's reach result `r` ({rows: [{prefix_length, excess_regret}], limit}) for
 * prompt lengths 0..`kmax`. `points` are the networks' dots ([] when none): [{method, x, y, q25, q75}]
 * with x the prompt length and y, q25, q75 nats over TargetBayes; `k` is the run's prompt length
 * (undefined when no run is shown), marked on the curve. `styleOf(label)` gives a method's
 * {colour, dash} (lib/method_style.js; only asked when there are points). Returns {spec, legend}.
 */
export function reachFigure({ r, kmax, points, k, styleOf }) {
  const topOf = (shown) => {
    const ys = [...r.rows.map((row) => row.excess_regret), ...points.filter((p) => shown.includes(p.method)).flatMap((p) => [p.y, p.q75])];
    return Math.max(...ys.filter(Number.isFinite), 1e-3) * 1.08;
  };
  const top = topOf(points.map((p) => p.method));
  const xmax = Math.max(1, kmax, ...points.map((p) => p.x));
  const lines = [{ points: r.rows.map((row) => [row.prefix_length, row.excess_regret]), colour: COLOURS.bayes, width: 2 }];
  if (r.limit <= top) lines.push({ points: [[0, r.limit], [xmax, r.limit]], colour: COLOURS.axis, dash: true, width: 1 });
  const vlines = [];
  const pointLabels = [];
  const runRow = k === undefined ? null : r.rows.find((row) => row.prefix_length === k);
  if (runRow) {
    // The run's K on the curve: a faint line up to it and the curve's own point there.
    vlines.push({ x: k, colour: COLOURS.grid, dash: true });
    lines.push({ points: [[k, runRow.excess_regret]], colour: COLOURS.bayes, markers: true, dash: true });
  }
  // Each dot at its own K; labels beside the dots keep dots at the same K apart.
  for (const p of points) {
    const style = styleOf(p.method);
    if (Number.isFinite(p.q25) && Number.isFinite(p.q75) && p.q75 > p.q25) lines.push({ key: p.method, points: [[p.x, p.q25], [p.x, p.q75]], colour: style.colour, width: 1 });
    lines.push({ key: p.method, points: [[p.x, p.y]], colour: style.colour, markers: true, dash: style.dash });
    pointLabels.push({ key: p.method, x: p.x, y: p.y, text: p.method, colour: style.colour });
  }
  const spec = {
    title: "excess regret over TargetBayes of the best hard prompt, by prompt length",
    xLabel: "prompt length K (flips)", yLabel: "excess regret, nats over TargetBayes", yLabelShort: "nats over TargetBayes",
    x: [0, xmax], y: [0, top], integerX: true, lines, vlines, pointLabels,
    fitY: (shown) => [0, topOf(shown)],
  };
  const curve = { key: "best_hard", label: "exact Bayes + best hard prompt", colour: COLOURS.bayes, dash: null, swatch: "line", toggle: false,
    x: r.rows.map((row) => row.prefix_length), y: r.rows.map((row) => row.excess_regret), q25: null, q75: null };
  const dots = points.map((p) => ({ key: p.method, label: p.method, colour: styleOf(p.method).colour, dash: styleOf(p.method).dash ?? null, swatch: "marker",
    x: [p.x], y: [p.y], q25: Number.isFinite(p.q25) ? [p.q25] : null, q75: Number.isFinite(p.q75) ? [p.q75] : null }));
  const series = [curve, ...dots];
  const ks = [...new Set([...keySteps(0, kmax), ...points.map((p) => p.x)])].sort((a, b) => a - b);
  spec.figure = {
    series,
    readout: "x",
    summary: (shown) => {
      const dotsShown = shown.filter((s) => s.key !== curve.key).map((s) => `${s.label} ${nats(s.y[0])} at K = ${s.x[0]}`);
      return `The best hard prompt's excess regret over TargetBayes is ${nats(curve.y[0])} with no prompt and ${nats(curve.y[curve.y.length - 1])} at K = ${curve.x[curve.x.length - 1]}; the limit of long prompts is ${nats(r.limit)}${dotsShown.length ? `; ${dotsShown.join(", ")}` : ""}.`;
    },
    table: tableAt("Excess regret over TargetBayes (nats) by prompt length K; the networks' medians [25 %, 75 %] at their K", [curve], ks, (k) => `K = ${k}`, nats),
    notes: [`limit of long prompts: ${nats(r.limit)}`],
  };
  if (points.length) spec.figure.table.rows.push(...points.map((p) => [p.method, ...ks.map((k) => (k === p.x ? `${nats(p.y)}${Number.isFinite(p.q25) ? ` [${nats(p.q25)}, ${nats(p.q75)}]` : ""}` : ""))]));
  const legend = [{ label: "exact Bayes + best hard prompt", colour: COLOURS.bayes }];
  legend.push({ label: r.limit <= top ? `limit of long prompts: ${nats(r.limit)}` : `limit of long prompts: ${nats(r.limit)} (off the chart)`, colour: COLOURS.axis, dash: true });
  if (runRow) legend.push({ label: `the run's K = ${k}: best hard prompt ${nats(runRow.excess_regret)}`, colour: COLOURS.bayes, dash: true });
  for (const p of points) legend.push({ key: p.method, label: `${p.method}: ${nats(p.y)}`, colour: styleOf(p.method).colour, dash: styleOf(p.method).dash ?? null });
  return { spec, legend };
}
