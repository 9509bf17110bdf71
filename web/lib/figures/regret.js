// The regret figure drawn for the size it is shown at: chosen methods' cumulative regret against the
// oracle after each flip (the engine's median and 25–75 % band from the results' summaries).
import { COLOURS } from "../../charts.js";
import { nats } from "../format.js";
import { fitTop, keySteps, lastSummary, tableAt } from "./figure_parts.js";

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
  const series = [];
  for (const label of methods) {
    const sum = results.methods.find((m) => m.method === label)?.summary[source];
    if (!sum) continue;
    const style = styleOf(label);
    const steps = sum.median.map((_, i) => i + 1);
    series.push({ key: label, label, colour: style.colour, dash: style.dash ? "6 4" : null, swatch: "band", x: steps, y: sum.median, q25: sum.q25, q75: sum.q75 });
    lines.push({ key: label, points: steps.map((s, i) => [s, sum.median[i]]), colour: style.colour, dash: style.dash, width: 2 });
    bands.push({ key: label, points: steps.map((s, i) => [s, sum.q25[i], sum.q75[i]]), colour: style.colour });
    legend.push({ key: label, label, colour: style.colour, dash: style.dash });
  }
  const n = results.key_steps.eval;
  const fit = fitTop(series, 0, 1.05, 1e-3);
  const keys = [...new Set([...keySteps(1, n), ...(mark ? [mark] : [])])].sort((a, b) => a - b);
  return {
    spec: {
      title: `cumulative regret against the oracle on ${source}, median and 25–75 % band`,
      xLabel: "flips", yLabel: "nats", x: [0, n], y: fit(series.map((s) => s.key)), integerX: true,
      lines, bands,
      vlines: mark ? [{ x: mark, colour: COLOURS.axis, dash: true }] : [],
      height: 260,
      fitY: fit,
      figure: {
        series,
        readout: "x",
        summary: lastSummary(`Cumulative regret against the oracle on ${source} (nats, median)`, (k) => `after ${k} flips`, nats),
        table: tableAt(`Cumulative regret against the oracle on ${source} (nats), median [25 %, 75 %], at the key flips`, series, keys, (k) => `flip ${k}`, nats),
      },
    },
    legend,
  };
}
