// The tuning figure: every job's tuning loss per step while the Prompt view runs, as a chart spec.
import { extent, seriesPoints } from "../../charts.js";
import { nats } from "../format.js";
import { keySteps, lastSummary, tableAt } from "./figure_parts.js";

/**
 * The chart of each job's losses (`lossesOf(job)`: the engine's tuning losses so far, step i + 1 at
 * index i) of `jobs` [{method, repetition}], over `total` steps; `methods` the run's tuners (the legend,
 * one toggle each); `finished(job)` whether the engine has returned that job; `styleOf(label)` a
 * method's {colour, dash}; `message` what an empty chart says. A tuner that draws no line says so in
 * its legend entry: none of its jobs has a loss yet, or (every job returned without one) it has no loss curve.
 */
export function tuningFigure({ jobs, lossesOf, total, methods, finished = () => false, styleOf, message }) {
  const lines = [];
  const series = [];
  let lo = Infinity, hi = -Infinity;
  for (const job of jobs) {
    const losses = lossesOf(job);
    const style = styleOf(job.method);
    lines.push({ key: job.method, points: seriesPoints(losses), colour: style.colour, dash: style.dash, width: 1.2 });
    series.push({ key: job.method, label: `${job.method} repetition ${job.repetition + 1}`, colour: style.colour, dash: style.dash ? "6 4" : null,
      swatch: "line", x: losses.map((_, i) => i + 1), y: losses, q25: null, q75: null });
  }
  const fit = (shown) => {
    let a = Infinity, b = -Infinity;
    for (const job of jobs) {
      if (!shown.includes(job.method)) continue;
      const range = extent(lossesOf(job));
      if (range) { a = Math.min(a, range[0]); b = Math.max(b, range[1]); }
    }
    if (!Number.isFinite(a)) { a = 0; b = 1; }
    const pad = (b - a) * 0.05 || 1;
    return [Math.max(0, a - pad), b + pad];
  };
  const n = Math.max(0, ...series.map((s) => s.x.length));
  return {
    spec: {
      title: "tuning loss per step, every job",
      xLabel: "tuning step", yLabel: "nats / sequence",
      x: [0, Math.max(total, 1)], y: fit(methods), integerX: true,
      lines, message, fitY: fit,
      figure: {
        series,
        readout: "x",
        summary: lastSummary("Tuning loss (nats per sequence)", (k) => `at step ${k}`, nats),
        table: n > 0 ? tableAt("Tuning loss (nats per sequence) of every job at the key steps", series, keySteps(1, n), (k) => `step ${k}`, nats) : null,
      },
    },
    legend: methods.map((m) => ({ key: m, label: legendLabel(m, jobs.filter((j) => j.method === m), lossesOf, finished), colour: styleOf(m).colour, dash: styleOf(m).dash })),
  };
}

/** A tuner's legend label: its name, and why it draws no line when it draws none (of its jobs `mine`). */
function legendLabel(method, mine, lossesOf, finished) {
  if (mine.length === 0 || mine.some((j) => lossesOf(j).length > 0)) return method;
  return mine.every(finished) ? `${method} (no loss curve)` : `${method} (no loss yet)`;
}
