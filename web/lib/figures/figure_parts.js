// Parts of a live chart's FigureData that its builder fills from the engine's numbers: the table at
// key steps, the summary of the last step, and the y range refit to the series left shown.

/** The key steps of 0..n (or 1..n): every step up to 10 steps, else the first, quarter, half, three quarters and last. */
export function keySteps(first, n) {
  if (n - first <= 10) return Array.from({ length: n - first + 1 }, (_, i) => first + i);
  return [...new Set([first, Math.round(first + (n - first) / 4), Math.round(first + (n - first) / 2), Math.round(first + (3 * (n - first)) / 4), n])];
}

/** A value and its [q25, q75] (when the series has them) at index i, in `fmt`. */
function cell(s, i, fmt) {
  if (i < 0 || !Number.isFinite(s.y[i])) return "–";
  const q = s.q25 && s.q75 && Number.isFinite(s.q25[i]) ? ` [${fmt(s.q25[i])}, ${fmt(s.q75[i])}]` : "";
  return `${fmt(s.y[i])}${q}`;
}

/**
 * The table {caption, columns, rows} of `series` (each a FigureData series) at the x values `xs`: a row
 * per series, a column per x named `column(x)`, its value there (picked, not computed) in `fmt`. A whole
 * x (a step, a count of flips, a prompt length) is matched exactly, so a series that has not reached it
 * or stopped before it shows "–"; a fractional x (a bias on a density's grid) takes the grid point
 * nearest it inside the series' range.
 */
export function tableAt(caption, series, xs, column, fmt) {
  return {
    caption,
    columns: ["series", ...xs.map(column)],
    rows: series.filter((s) => s.x.length > 0).map((s) => [s.label, ...xs.map((x) => cell(s, indexAt(s.x, x), fmt))]),
  };
}

/** The index in `xs` of the value `v` (-1 when it is missing); for a fractional `v`, of the nearest value within xs's range. */
export function indexAt(xs, v) {
  const exact = xs.indexOf(v);
  if (exact >= 0 || Number.isInteger(v)) return exact;
  let best = -1;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < lo) lo = xs[i];
    if (xs[i] > hi) hi = xs[i];
    if (best < 0 || Math.abs(xs[i] - v) < Math.abs(xs[best] - v)) best = i;
  }
  return v >= lo && v <= hi ? best : -1;
}

/** A series of an engine density result `d` ({points, density}) over the bias. */
export function densitySeries(key, label, colour, dash, d, toggle = false) {
  return { key, label, colour, dash: dash ? "6 4" : null, swatch: "line", toggle, x: d.points, y: d.density, q25: null, q75: null };
}

/** The biases a density table is read at (the grid point nearest each). */
export const TABLE_BIASES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** A summary function of the shown series: `lead`, then each series' last value "at `where(x)`" in `fmt`. */
export function lastSummary(lead, where, fmt) {
  return (shown) => {
    const parts = shown.filter((s) => s.x.length > 0).map((s) => {
      const i = s.x.length - 1;
      return `${s.label} ${fmt(s.y[i])} ${where(s.x[i])}`;
    });
    return parts.length ? `${lead}: ${parts.join("; ")}.` : `${lead}: every series is hidden.`;
  };
}

/** A fitY for spec: [lo, the highest q75 (or value) of the shown series, at least `least`, × pad]. */
export function fitTop(series, lo, pad, least) {
  return (shownKeys) => {
    let top = 0;
    for (const s of series) {
      if (!shownKeys.includes(s.key)) continue;
      for (const v of s.q75 ?? s.y) if (Number.isFinite(v) && v > top) top = v;
    }
    return [lo, Math.max(top, least) * pad];
  };
}
