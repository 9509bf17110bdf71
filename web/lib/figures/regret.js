// The regret figure drawn for the size it is shown at: chosen methods' cumulative regret against the
// oracle after each flip (the engine's median and 25–75 % band from the results' summaries).
import { COLOURS } from "../../charts.js";

/**
 * The chart of `methods` (labels) of an experiment's `results` on evaluation source `source`: each
 * method's summary median as a line and its q25–q75 as a band, steps 1…N_eval, with a dotted line at
 * step `mark` (or none). `styleOf(label)` gives a method's {colour, dash} (lib/method_style.js).
 * A method the results lack is left out. Returns {spec, legend}.
 */
export function regretFigure({ results, source, methods, mark, styleOf }) {
  const lines = [];
  const bands = [];
  const legend = [];
  let top = 0;
  for (const label of methods) {
    const sum = results.methods.find((m) => m.method === label)?.summary[source];
    if (!sum) continue;
    const style = styleOf(label);
    const steps = sum.median.map((_, i) => i + 1);
    lines.push({ points: steps.map((s, i) => [s, sum.median[i]]), colour: style.colour, dash: Boolean(style.dash), width: 2 });
    bands.push({ points: steps.map((s, i) => [s, sum.q25[i], sum.q75[i]]), colour: style.colour });
    legend.push({ label, colour: style.colour, dash: Boolean(style.dash) });
    for (const v of sum.q75) if (Number.isFinite(v) && v > top) top = v;
  }
  const n = results.key_steps.eval;
  return {
    spec: {
      title: `cumulative regret against the oracle on ${source}, median and 25–75 % band`,
      xLabel: "flips", yLabel: "nats", x: [0, n], y: [0, Math.max(top, 1e-3) * 1.05], integerX: true,
      lines, bands,
      vlines: mark ? [{ x: mark, colour: COLOURS.axis, dash: true }] : [],
      height: 260,
    },
    legend,
  };
}
