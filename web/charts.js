// Small inline-SVG charts drawn with createElementNS from numbers the engine returned.
// They know nothing of the model: a spec of lines, areas, bars and markers in data units.

import { figureData, withoutHidden } from "./lib/chart_data.js";
import { showFigure } from "./lib/figure_host.js";

const SVG = "http://www.w3.org/2000/svg";

/** Colour-blind-safe colours (Okabe–Ito), the same roles as the engine's figures. */
export const COLOURS = {
  bayes: "#000000", // exact Bayes: black, dashed
  network: "#0072B2", // the network: blue
  loss: "#0072B2",
  kl: "#D55E00", // vermillion
  fill: "#9a9a9a",
  grid: "#e3e3e3",
  axis: "#555555",
};

/**
 * The points [step, y] (step = index + 1) of a per-step series, thinned to at most 2 × `buckets`:
 * each bucket of consecutive steps keeps its lowest and its highest value, so spikes stay visible
 * however long the run (a chart never holds more points than it has pixels to show).
 */
export function seriesPoints(ys, buckets = 600) {
  if (ys.length <= 2 * buckets) return ys.map((y, i) => [i + 1, y]);
  const out = [];
  const size = ys.length / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.floor((b + 1) * size);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (ys[i] < ys[lo]) lo = i;
      if (ys[i] > ys[hi]) hi = i;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) out.push([i + 1, ys[i]]);
  }
  return out;
}

/** [least, greatest] finite value of `ys` (a loop: spreading a million values into Math.min overflows the stack), or null. */
export function extent(ys) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const y of ys) {
    if (!Number.isFinite(y)) continue;
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** An SVG element `name` with attributes `attrs`, appended to `parent` when given. */
export function svgNode(name, attrs, parent) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (parent) parent.append(el);
  return el;
}
const node = svgNode;

/** The stroke-dasharray of a spec's `dash`: an SVG dasharray string as given (the engine's), true for the page's dashes, else none. */
export const dashArray = (dash) => (typeof dash === "string" && dash.trim() ? dash : dash === true ? "6 4" : "none");

/** Estimated advance of one character of 12 px text, px (generous, as the point labels' estimate). */
const AXIS_CHAR = 6.6;

/** `full`, or `short` when `full` would not fit in `room` px of 12 px text, else the longer one cut to fit with "…". */
export function fitLabel(full, short, room) {
  const fits = (t) => t.length * AXIS_CHAR <= room;
  if (!full || fits(full)) return full ?? "";
  if (short && fits(short)) return short;
  const chars = Math.max(1, Math.floor(room / AXIS_CHAR) - 1);
  return `${(short || full).slice(0, chars).trimEnd()}…`;
}

function text(parent, x, y, content, attrs = {}) {
  const t = node("text", { x, y, ...attrs }, parent);
  t.textContent = content;
  return t;
}

/** About `count` round tick values covering [lo, hi]. */
export function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function label(v) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

/** A polyline path through [x, y] pixel points, broken at non-finite values. */
function pathData(points) {
  let d = "";
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/**
 * Draws a chart into `container` (replacing what was there), sized to its width.
 * spec: { title, xLabel, yLabel, yLabelShort? (shown when yLabel is longer than the plot is high), x: [lo, hi], y: [lo, hi], height?, logY?,
 *         lines: [{points: [[x, y]…], colour, dash? (true, or an SVG dasharray such as the engine's), markers?}],
 *         areas: [{points, colour}], bands: [{points: [[x, lo, hi]…], colour}] (a shaded range),
 *         bars: [{x, y, width, colour, label?}], vlines: [{x, colour, dash?}],
 *         strip?: "0110" (flips shown above the plot), message?: text centred in an empty plot,
 *         pointLabels?: [{x, y, text, colour}] (names beside points, stacked where they would overlap),
 *         figure?: {summary, series, table, notes, readout} (the FigureData parts its builder picked from
 *         the engine's numbers), fitY?: (shownKeys) => [lo, hi] (the y range once some series are hidden) }
 * Any line, band, area, bar, vline or point label with a `key` that the legend hid (lib/series_filter.js)
 * is left out. Returns the chart's FigureData (web/../prompts figure contract), also kept as container.figureData.
 */
export function drawChart(container, raw) {
  const spec = withoutHidden(raw);
  const width = Math.max(260, Math.floor(container.clientWidth || 320));
  const height = spec.height ?? 210;
  const strip = spec.strip && spec.strip.length <= 200 ? spec.strip : "";
  const m = { left: 50, right: 14, top: strip ? 22 : 10, bottom: 40 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const [x0, x1] = spec.x[1] > spec.x[0] ? spec.x : [spec.x[0], spec.x[0] + 1];
  let [y0, y1] = spec.y;
  if (!(y1 > y0)) y1 = y0 + 1;
  const logY = Boolean(spec.logY);
  const ty = (v) => (logY ? Math.log10(Math.max(v, 1e-12)) : v);
  const [ly0, ly1] = [ty(y0), ty(y1)];
  const px = (v) => m.left + ((v - x0) / (x1 - x0)) * w;
  const py = (v) => m.top + h - ((ty(v) - ly0) / (ly1 - ly0)) * h;

  const svg = node("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": spec.title, class: "chart" });
  const clipId = `clip-${container.id || Math.random().toString(36).slice(2)}`;
  node("rect", { x: m.left, y: m.top, width: w, height: h }, node("clipPath", { id: clipId }, node("defs", {}, svg)));

  // Grid and axes.
  const yTicks = logY
    ? ticks(Math.floor(ly0), Math.ceil(ly1), Math.min(6, Math.ceil(ly1) - Math.floor(ly0))).filter((e) => Number.isInteger(e)).map((e) => 10 ** e).filter((v) => v >= y0 * 0.999 && v <= y1 * 1.001)
    : ticks(y0, y1, Math.max(2, Math.round(h / 40)));
  const xTicks = ticks(x0, x1, Math.max(2, Math.round(w / 70))).filter((v) => !spec.integerX || Number.isInteger(v));
  const axes = node("g", { class: "axes", "font-size": 11, fill: COLOURS.axis }, svg);
  for (const v of yTicks) {
    node("line", { x1: m.left, x2: m.left + w, y1: py(v), y2: py(v), stroke: COLOURS.grid }, axes);
    text(axes, m.left - 6, py(v) + 4, label(v), { "text-anchor": "end" });
  }
  for (const v of xTicks) {
    node("line", { x1: px(v), x2: px(v), y1: m.top + h, y2: m.top + h + 4, stroke: COLOURS.axis }, axes);
    text(axes, px(v), m.top + h + 16, label(v), { "text-anchor": "middle" });
  }
  node("rect", { x: m.left, y: m.top, width: w, height: h, fill: "none", stroke: COLOURS.axis, "stroke-width": 1 }, axes);
  text(axes, m.left + w / 2, height - 6, spec.xLabel, { "text-anchor": "middle", "font-size": 12 });
  text(axes, 12, m.top + h / 2, fitLabel(spec.yLabel, spec.yLabelShort, h), { "text-anchor": "middle", "font-size": 12, transform: `rotate(-90 12 ${m.top + h / 2})` });

  // Flips above the plot: filled square = H (token 0), open square = T (token 1).
  if (strip) {
    const g = node("g", { class: "strip" }, svg);
    const size = Math.max(2, Math.min(8, (w / Math.max(1, x1 - x0)) * 0.7));
    [...strip].forEach((t, i) => {
      const cx = px(i + 1);
      const heads = t === "0";
      node("rect", {
        x: cx - size / 2, y: 6, width: size, height: size,
        fill: heads ? "#000" : "#fff", stroke: heads ? "#000" : "#666", "stroke-width": 1,
      }, g);
    });
  }

  const plot = node("g", { "clip-path": `url(#${clipId})` }, svg);
  for (const a of spec.areas ?? []) {
    const pts = a.points.map(([x, y]) => [px(x), py(y)]);
    if (pts.length < 2) continue;
    const d = `${pathData(pts)}L${pts[pts.length - 1][0].toFixed(1)},${py(y0)}L${pts[0][0].toFixed(1)},${py(y0)}Z`;
    node("path", { d, fill: a.colour, "fill-opacity": 0.3, stroke: "none" }, plot);
  }
  for (const band of spec.bands ?? []) {
    if (band.points.length < 2) continue;
    const upper = band.points.map(([x, , hi]) => [px(x), py(hi)]);
    const lower = band.points.map(([x, lo]) => [px(x), py(lo)]).reverse();
    node("path", { d: `${pathData([...upper, ...lower])}Z`, fill: band.colour, "fill-opacity": 0.18, stroke: "none" }, plot);
  }
  for (const b of spec.bars ?? []) {
    const left = px(b.x - b.width / 2), right = px(b.x + b.width / 2);
    node("rect", { class: "bar", x: left, y: py(b.y), width: Math.max(2, right - left), height: Math.max(0, py(y0) - py(b.y)), fill: b.colour }, plot);
  }
  // Bar labels above their bar where there is room, else beside its top (never on it), on a white
  // halo so the lines crossing them stay readable.
  const labels = node("g", { "font-size": 12, "font-weight": 700, fill: COLOURS.bayes, stroke: "#fff", "stroke-width": 3, "paint-order": "stroke", "stroke-linejoin": "round" }, svg);
  for (const b of spec.bars ?? []) {
    if (!b.label) continue;
    const top = py(b.y);
    const left = px(b.x - b.width / 2), right = Math.max(left + 2, px(b.x + b.width / 2));
    if (top - m.top >= 20) {
      text(labels, (left + right) / 2, top - 5, b.label, { class: "bar-label", "text-anchor": "middle" });
    } else {
      const onRight = right + 18 <= m.left + w;
      text(labels, onRight ? right + 4 : left - 4, Math.max(top, m.top) + 12, b.label, { class: "bar-label", "text-anchor": onRight ? "start" : "end" });
    }
  }
  for (const v of spec.vlines ?? []) {
    if (!Number.isFinite(v.x)) continue;
    node("line", { x1: px(v.x), x2: px(v.x), y1: m.top, y2: m.top + h, stroke: v.colour, "stroke-width": 2, "stroke-dasharray": dashArray(v.dash) }, plot);
  }
  for (const l of spec.lines ?? []) {
    const pts = l.points.map(([x, y]) => [px(x), py(y)]);
    node("path", { d: pathData(pts), fill: "none", stroke: l.colour, "stroke-width": l.width ?? 2, "stroke-dasharray": dashArray(l.dash), "stroke-linejoin": "round" }, plot);
  }
  // Markers outside the clip, so points on the frame stay whole.
  const markers = node("g", {}, svg);
  for (const l of spec.lines ?? []) {
    if (!l.markers || l.points.length > 60) continue;
    for (const [x, y] of l.points) {
      if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue;
      node("circle", { cx: px(x), cy: py(y), r: 3, fill: l.dash ? "#fff" : l.colour, stroke: l.colour, "stroke-width": 1.5 }, markers);
    }
  }
  drawPointLabels(node("g", { class: "point-labels", "font-size": 11 }, svg), spec.pointLabels ?? [], px, py, { top: m.top, bottom: m.top + h, right: m.left + w });
  if (spec.message) {
    text(svg, m.left + w / 2, m.top + h * 0.3, spec.message, { "text-anchor": "middle", "font-size": 13, fill: COLOURS.axis });
  }
  const data = figureData(container.id, spec, { width, height, plot: { left: m.left, top: m.top, width: w, height: h }, x: [x0, x1], y: [y0, y1], logY });
  showFigure(container, svg, data);
  return data;
}

/** Vertical room of one point label, px. */
const LABEL_ROW = 15;
/** Estimated advance of one character of an 11 px label, px (generous, so estimates do not collide when glyphs would). */
const LABEL_CHAR = 6.6;

/**
 * Labels beside points [{x, y, text, colour}] in data units, right of the point (left of it near the
 * right edge). Points are taken by x, then from the top; a label that would overlap one already placed
 * (of this x or another) moves to the nearest free row, and is joined to its point by a thin line when it moved.
 */
function drawPointLabels(g, labels, px, py, box) {
  const placed = [];
  const todo = labels
    .filter((l) => Number.isFinite(l.x) && Number.isFinite(l.y))
    .map((l) => ({ l, x: px(l.x), cy: Math.min(box.bottom, Math.max(box.top, py(l.y))) }))
    .sort((a, b) => a.x - b.x || a.cy - b.cy);
  for (const p of todo) {
    const width = p.l.text.length * LABEL_CHAR;
    const left = p.x > box.right - width - 16;
    const x0 = left ? p.x - 12 - width : p.x + 12;
    const hits = (ty) => placed.some((q) => x0 < q.x0 + q.width && q.x0 < x0 + width && Math.abs(ty - q.ty) < LABEL_ROW);
    // The nearest free row: the point's own, then one below, one above, two below, …, inside the plot.
    const rows = [0];
    for (let d = 1; d <= 2 * todo.length; d++) rows.push(d, -d);
    const fits = (ty) => ty >= box.top + 4 && ty <= box.bottom - 2;
    const free = rows.map((d) => p.cy + d * LABEL_ROW).find((ty) => fits(ty) && !hits(ty));
    const ty = free ?? p.cy;
    placed.push({ x0, width, ty });
    if (Math.abs(ty - p.cy) > 2) node("line", { x1: p.x, y1: p.cy, x2: left ? x0 + width + 2 : x0 - 2, y2: ty, stroke: p.l.colour, "stroke-width": 0.8 }, g);
    text(g, left ? x0 + width : x0, ty + 4, p.l.text, { fill: "#222", "text-anchor": left ? "end" : "start" });
  }
}
