// The next-flip figure: exact Bayes's and the network's P(next flip = H) after each flip, as a chart spec.
import { COLOURS } from "../../charts.js";
import { prob } from "../format.js";
import { keySteps, lastSummary, tableAt } from "./figure_parts.js";

/**
 * The chart of P(next flip = H) after 0, 1, …, n flips. `flips` is the flips as tokens ("0" = H,
 * "1" = T, n of them); `bayes` and `net` are the engine's rows (bayes_next / model_predict: n + 1
 * rows of probabilities of tokens 0..V-1, row k after k flips), either may be null (not drawn, nor in the legend).
 * Returns {spec, legend}: the drawChart spec (with its FigureData parts) and the drawLegend items.
 */
export function predictiveFigure({ flips, bayes, net }) {
  const lines = [];
  const series = [];
  const add = (key, label, rows, colour, dash) => {
    const x = rows.map((_, k) => k);
    const y = rows.map((row) => row[0]);
    series.push({ key, label, colour, dash: dash ? "6 4" : null, swatch: "line", x, y, q25: null, q75: null });
    lines.push({ key, points: x.map((k) => [k, y[k]]), colour, dash, markers: true });
  };
  if (net) add("network", "network", net, COLOURS.network, false);
  if (bayes) add("bayes", "exact Bayes", bayes, COLOURS.bayes, true);
  const n = flips.length;
  return {
    spec: {
      title: "P(next flip = H) after each flip: exact Bayes and the network",
      xLabel: "flips seen",
      yLabel: "P(next = H)",
      x: [0, Math.max(n, 4)],
      y: [0, 1],
      integerX: true,
      lines,
      strip: flips,
      figure: {
        series,
        readout: "x",
        summary: lastSummary("P(next flip = H)", (k) => `after ${k} flip${k === 1 ? "" : "s"}`, prob),
        table: tableAt("P(next flip = H) after the key numbers of flips", series, keySteps(0, n), (k) => `after ${k}`, prob),
      },
    },
    legend: [
      ...(bayes ? [{ key: "bayes", label: "exact Bayes", colour: COLOURS.bayes, dash: true }] : []),
      ...(net ? [{ key: "network", label: "network", colour: COLOURS.network }] : []),
    ],
  };
}
