// The next-flip figure: exact Bayes's and the network's P(next flip = H) after each flip, as a chart spec.
import { COLOURS } from "../../charts.js";

/**
 * The chart of P(next flip = H) after 0, 1, …, n flips. `flips` is the flips as tokens ("0" = H,
 * "1" = T, n of them); `bayes` and `net` are the engine's rows (bayes_next / model_predict: n + 1
 * rows of probabilities of tokens 0..V-1, row k after k flips), either may be null (not drawn, nor in the legend).
 * Returns {spec, legend}: the drawChart spec and the drawLegend items.
 */
export function predictiveFigure({ flips, bayes, net }) {
  const lines = [];
  if (net) lines.push({ points: net.map((row, k) => [k, row[0]]), colour: COLOURS.network, markers: true });
  if (bayes) lines.push({ points: bayes.map((row, k) => [k, row[0]]), colour: COLOURS.bayes, dash: true, markers: true });
  return {
    spec: {
      title: "P(next flip = H) after each flip: exact Bayes and the network",
      xLabel: "flips seen",
      yLabel: "P(next = H)",
      x: [0, Math.max(flips.length, 4)],
      y: [0, 1],
      integerX: true,
      lines,
      strip: flips,
    },
    legend: [
      ...(bayes ? [{ label: "exact Bayes", colour: COLOURS.bayes, dash: true }] : []),
      ...(net ? [{ label: "network", colour: COLOURS.network }] : []),
    ],
  };
}
