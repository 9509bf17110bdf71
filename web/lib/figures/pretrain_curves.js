// The pretraining figures: the loss per step and the KL to exact Bayes on a held-out batch, as chart specs.
import { COLOURS, extent, seriesPoints } from "../../charts.js";

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
    },
    legend: [
      { label: "KL to Bayes", colour: COLOURS.kl },
      { label: `${SHIPPED_KL}: the shipped models are below`, colour: COLOURS.axis, dash: true },
    ],
  };
}
