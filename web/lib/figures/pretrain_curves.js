// The pretraining figures: the loss per step and the KL to exact Bayes on a held-out batch, as chart specs.
import { COLOURS, extent, seriesPoints } from "../../charts.js";
import { nats } from "../format.js";
import { readoutNumber } from "../readout.js";
import { keySteps, lastSummary, tableAt } from "./figure_parts.js";

/** The KL (nats per flip) the shipped models are below, drawn as a dashed line on the KL chart. */
export const SHIPPED_KL = 0.01;

/** The x range [0, steps] of both charts: the run's total steps, or as many as were done. */
const stepRange = (total, steps) => [0, Math.max(total, steps, 1)];

/** What an empty chart says: the run is starting, or has not been started. */
const waiting = (running) => (running ? "starting…" : "press Start pretraining");

/**
 * The chart of the training loss per step. `losses` are the losses so far (nats per sequence,
 * step i + 1 at index i), `total` the run's steps (0 before a run), `running` whether it runs.
 * Returns {spec, legend} (legend [] : the one curve needs none).
 */
export function lossFigure({ losses, total, running }) {
  const n = losses.length;
  const [lo, hi] = extent(losses) ?? [0, 1];
  const pad = (hi - lo) * 0.05 || 1;
  return {
    spec: {
      title: "training loss per step",
      xLabel: "step", yLabel: "nats / sequence",
      x: stepRange(total, n), y: [Math.max(0, lo - pad), hi + pad], integerX: true,
      lines: [{ points: seriesPoints(losses), colour: COLOURS.loss, width: 1.5 }],
      message: n === 0 ? waiting(running) : undefined,
      figure: figureOf({ key: "loss", label: "training loss", colour: COLOURS.loss, x: losses.map((_, i) => i + 1), y: losses },
        "Training loss (nats per sequence)", "Training loss per step (nats per sequence) at the key steps", nats),
    },
    legend: [],
  };
}

/**
 * The chart of the KL to exact Bayes (log scale), with the shipped models' SHIPPED_KL line. `kl` are
 * the measurements so far, [[step, nats per flip]]; `steps` the steps done (the losses' count),
 * `total` the run's steps, `running` whether it runs. Returns {spec, legend}.
 */
export function klFigure({ kl, steps, total, running }) {
  const kls = kl.map(([, v]) => v).filter((v) => Number.isFinite(v) && v > 0);
  const klHi = Math.max(0.1, ...kls);
  const klLo = Math.min(0.001, ...kls);
  const x = stepRange(total, steps);
  return {
    spec: {
      title: "KL to the exact Bayes predictor on a held-out batch",
      xLabel: "step", yLabel: "nats / flip",
      x, y: [10 ** Math.floor(Math.log10(klLo)), 10 ** Math.ceil(Math.log10(klHi))], logY: true, integerX: true,
      lines: [
        { points: [[0, SHIPPED_KL], [x[1], SHIPPED_KL]], colour: COLOURS.axis, dash: true, width: 1 },
        { points: kl, colour: COLOURS.kl, markers: true },
      ],
      message: kl.length === 0 ? waiting(running) : undefined,
      figure: {
        ...figureOf({ key: "kl", label: "KL to Bayes", colour: COLOURS.kl, x: kl.map(([step]) => step), y: kl.map(([, v]) => v) },
          "KL to exact Bayes on a held-out batch (nats per flip)", "KL to exact Bayes (nats per flip) at the measured steps", readoutNumber, kl.map(([step]) => step)),
        notes: [`${SHIPPED_KL}: the shipped models are below`],
      },
    },
    legend: [
      { label: "KL to Bayes", colour: COLOURS.kl },
      { label: `${SHIPPED_KL}: the shipped models are below`, colour: COLOURS.axis, dash: true },
    ],
  };
}

/** The FigureData parts of a one-series curve: its series, the table at the key steps (or at `at`), and the summary of its last value. */
function figureOf(one, lead, caption, fmt, at) {
  const series = [{ dash: null, swatch: "line", toggle: false, q25: null, q75: null, ...one }];
  const steps = at ? keySteps(0, at.length - 1).map((i) => at[i]) : keySteps(one.x[0] ?? 1, one.x[one.x.length - 1] ?? 1);
  return {
    series,
    readout: "x",
    summary: one.x.length ? lastSummary(lead, (k) => `at step ${k}`, fmt) : `${lead}: no steps yet.`,
    table: one.x.length ? tableAt(caption, series, steps, (k) => `step ${k}`, fmt) : null,
  };
}
