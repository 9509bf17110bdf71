// The posterior figure: exact Bayes's belief about the coin's bias after the flips, beside the network's P(next = H).
import { COLOURS } from "../../charts.js";
import { prob as fmt } from "../format.js";
import { readoutNumber } from "../readout.js";
import { densitySeries, TABLE_BIASES, tableAt } from "./figure_parts.js";

const trim = (x) => String(Number(x.toPrecision(6)));

/**
 * The chart of the posterior over the bias P(H). `post` is the engine's posterior_density result
 * ({kind: "beta", a, b, mean, points, density} | {kind: "mixture", p0, weights, mean} |
 * {kind: "point", p0}), or null when the source was refused; `netP` is the network's P(next = H)
 * (NaN when it could not be computed), drawn as a vertical line; null for a figure of Bayes alone. Returns {spec, legend, note}: the drawChart
 * spec, the drawLegend items and the sentence shown under the chart.
 */
export function posteriorFigure({ post, netP }) {
  if (!post) {
    return {
      spec: { title: "posterior unavailable", xLabel: "bias P(H)", yLabel: "density", x: [0, 1], y: [0, 1], message: "no posterior: the source is invalid" },
      legend: [],
      note: "Fix the source above to see the posterior.",
    };
  }
  const vlines = netP === null ? [] : [{ x: netP, colour: COLOURS.network }];
  const legend = [];
  const netWords = netP === null ? "" : `; the network's P(next = H) is ${fmt(netP)}`;
  let spec, note;
  if (post.kind === "beta") {
    const peak = Math.max(...post.density.filter(Number.isFinite));
    const top = Math.min(Math.max(peak * 1.1, 1.2), 1e6);
    const points = post.points.map((x, i) => [x, post.density[i]]);
    spec = {
      title: `Beta(${post.a}, ${post.b}) posterior density of the bias`,
      xLabel: "bias P(H)", yLabel: "density", x: [0, 1], y: [0, top],
      areas: [{ points, colour: COLOURS.fill }],
      lines: [{ points, colour: COLOURS.bayes, width: 1.5 }],
      vlines: [{ x: post.mean, colour: COLOURS.bayes, dash: true }, ...vlines],
    };
    const series = [densitySeries("posterior", `Beta(${trim(post.a)}, ${trim(post.b)}) density`, COLOURS.bayes, false, post)];
    spec.figure = {
      series, readout: "x",
      summary: `Exact Bayes's posterior over the bias is Beta(${trim(post.a)}, ${trim(post.b)}), mean ${fmt(post.mean)} = Bayes P(next = H)${netWords}.`,
      table: tableAt("Posterior density at the grid point nearest each bias", series, TABLE_BIASES, (b) => `bias ≈ ${b}`, readoutNumber),
      notes: [`mean ${fmt(post.mean)} = Bayes P(next = H)`],
    };
    legend.push({ label: `Beta(${trim(post.a)}, ${trim(post.b)}) density`, colour: COLOURS.fill, kind: "area" });
    legend.push({ label: `mean ${fmt(post.mean)} = Bayes P(next = H)`, colour: COLOURS.bayes, dash: true });
    note = "Random Coins: the bias has a Beta prior; each H adds 1 to αH, each T adds 1 to αT.";
  } else if (post.kind === "mixture") {
    spec = {
      title: "posterior weight of each coin",
      xLabel: "bias P(H)", yLabel: "posterior weight", x: [0, 1], y: [0, 1.12],
      bars: post.p0.map((p, i) => ({ x: p, y: post.weights[i], width: 0.03, colour: COLOURS.bayes, label: post.p0.length === 2 ? "AB"[i] : String(i + 1) })),
      vlines: [{ x: post.mean, colour: COLOURS.bayes, dash: true }, ...vlines],
    };
    const series = [{ key: "posterior", label: "posterior weight", colour: COLOURS.bayes, dash: null, swatch: "bar", toggle: false, x: post.p0, y: post.weights, q25: null, q75: null }];
    spec.figure = {
      series, readout: "x",
      summary: `Exact Bayes's posterior weights of the coins ${post.p0.map(fmt).join(" / ")} are ${post.weights.map(fmt).join(" / ")}, mean ${fmt(post.mean)} = Bayes P(next = H)${netWords}.`,
      table: { caption: "Posterior weight of each coin", columns: ["coin", "bias P(H)", "posterior weight"], rows: post.p0.map((p, i) => [post.p0.length === 2 ? "AB"[i] : String(i + 1), fmt(p), fmt(post.weights[i])]) },
    };
    legend.push({ label: `posterior weights ${post.weights.map(fmt).join(" / ")} (coin A / B)`, colour: COLOURS.bayes, kind: "bar" });
    legend.push({ label: `mean ${fmt(post.mean)} = Bayes P(next = H)`, colour: COLOURS.bayes, dash: true });
    note = "Two-Coin Mixture: the flips shift the weight towards the coin that explains them better.";
  } else {
    spec = {
      title: "point mass: the bias is known",
      xLabel: "bias P(H)", yLabel: "probability", x: [0, 1], y: [0, 1],
      bars: [{ x: post.p0, y: 1, width: 0.02, colour: COLOURS.bayes }],
      vlines,
    };
    spec.figure = {
      series: [{ key: "posterior", label: "probability", colour: COLOURS.bayes, dash: null, swatch: "bar", toggle: false, x: [post.p0], y: [1], q25: null, q75: null }],
      readout: "x",
      summary: `The bias is known: ${fmt(post.p0)} = Bayes P(next = H)${netWords}.`,
      table: { caption: "The known bias", columns: ["what", "value"], rows: [["bias P(H)", fmt(post.p0)], ...(netP === null ? [] : [["network P(next = H)", fmt(netP)]])] },
    };
    legend.push({ label: `known bias ${fmt(post.p0)} = Bayes P(next = H)`, colour: COLOURS.bayes, kind: "bar" });
    note = "Single Coin: the bias is known, so the flips teach Bayes nothing.";
  }
  if (netP !== null) legend.push({ label: "network P(next = H)", colour: COLOURS.network });
  return { spec, legend, note };
}
