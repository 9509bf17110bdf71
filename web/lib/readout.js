// A figure's readout: a crosshair at the nearest step (or bar, or point) and a label with every visible
// series' values there, on pointer hover, touch and arrow keys; the values are the FigureData's own.

/** A value as the readout shows it: 4 significant digits, noise rounded away. */
export function readoutNumber(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** The pixel of data value `v` on axis `axis` ({lo, hi, log}) over `span` px from `start` (flipped for y). */
function pixel(axis, v, start, span, flip) {
  const t = axis.log ? Math.log10(v) : v;
  const lo = axis.log ? Math.log10(axis.lo) : axis.lo;
  const hi = axis.log ? Math.log10(axis.hi) : axis.hi;
  const f = (t - lo) / (hi - lo || 1);
  return flip ? start + span - f * span : start + f * span;
}

const px = (d, v) => pixel(d.x, v, d.plot.left, d.plot.width, false);
const py = (d, v) => pixel(d.y, v, d.plot.top, d.plot.height, true);

/**
 * The stops a readout steps through for FigureData `d`: for "x" (or "y") each distinct x (category)
 * of the visible series, with every series' index there; for "point" every point of every visible series.
 */
export function readoutStops(d) {
  const shown = d.series.filter((s) => !s.hidden && s.x.length > 0);
  if (d.readout === "point") {
    return shown.flatMap((s) => s.x.map((x, i) => ({ at: [px(d, x), py(d, s.y[i])], x, hits: [[s, i]] })))
      .filter((p) => p.at.every(Number.isFinite));
  }
  // Along y (horizontal bars) the series' y holds the category index and x the value.
  const vertical = d.readout === "y";
  const byX = new Map();
  for (const s of shown) {
    (vertical ? s.y : s.x).forEach((x, i) => {
      if (!Number.isFinite(x)) return;
      if (!byX.has(x)) byX.set(x, []);
      byX.get(x).push([s, i]);
    });
  }
  return [...byX.keys()].sort((a, b) => a - b).map((x) => ({ at: vertical ? py(d, x) : px(d, x), x, hits: byX.get(x) }))
    .filter((p) => Number.isFinite(p.at));
}

/** The heading of stop `p`: the x axis's label and value, the category's name, or the point's own words. */
function heading(d, p) {
  if (d.readout === "point") {
    const [s, i] = p.hits[0];
    return s.labels?.[i] ?? `${s.label}: ${d.x.label} ${readoutNumber(p.x)}`;
  }
  const axis = d.readout === "y" ? d.y : d.x;
  return axis.categories ? axis.categories[p.x] ?? String(p.x) : `${axis.label} ${readoutNumber(p.x)}`;
}

/** The value a readout of FigureData `d` shows of series `s` at index i (x for horizontal bars, else y). */
const valueOf = (d, s, i) => (d.readout === "y" ? s.x[i] : s.y[i]);

/** One line of a series at index i: its label, value and [q25, q75] when it has them. */
function line(d, s, i) {
  const q = s.q25 && s.q75 && Number.isFinite(s.q25[i]) ? ` [${readoutNumber(s.q25[i])}, ${readoutNumber(s.q75[i])}]` : "";
  return `${s.label}: ${readoutNumber(valueOf(d, s, i))}${q}`;
}

/**
 * Makes `host` (the focusable role="img" element whose top-left corner is the SVG's, drawn 1:1) show
 * the readout of FigureData `d`; keyboard readouts are announced in `live` (an aria-live element).
 * The stops are found on the first pointer or key event, not before (a live chart redraws every frame).
 */
export function attachReadout(host, d, live) {
  let stops = null;
  const stopsNow = () => (stops ??= readoutStops(d));
  const cross = document.createElement("div");
  cross.className = `fig-cross fig-cross-${d.readout}`;
  // The label sits under the plot, in the flow, so it never covers the data, an axis or the legend.
  const label = document.createElement("div");
  label.className = "fig-readout";
  label.setAttribute("data-testid", "readout");
  cross.hidden = label.hidden = true;
  host.append(cross, label);
  let current = -1;

  function show(k, announce) {
    const all = stopsNow();
    if (all.length === 0) return;
    current = Math.max(0, Math.min(all.length - 1, k));
    const p = all[current];
    const lines = [heading(d, p), ...(d.readout === "point" ? [] : p.hits.map(([s, i]) => line(d, s, i)))];
    if (d.readout === "point") {
      const [s, i] = p.hits[0];
      lines.push(`${d.x.label} ${readoutNumber(s.x[i])}, ${d.y.label} ${readoutNumber(s.y[i])}`);
    }
    label.replaceChildren(...lines.map((t, j) => {
      const row = document.createElement("div");
      row.className = j === 0 ? "fig-readout-head" : "fig-readout-line";
      row.textContent = t;
      return row;
    }));
    label.dataset.x = String(p.x);
    label.dataset.values = JSON.stringify(p.hits.map(([s, i]) => ({ key: s.key, x: s.x[i], y: s.y[i], value: valueOf(d, s, i), q25: s.q25?.[i] ?? null, q75: s.q75?.[i] ?? null })));
    cross.hidden = label.hidden = false;
    const { left, top, width, height } = d.plot;
    if (d.readout === "point") {
      Object.assign(cross.style, { left: `${p.at[0] - 6}px`, top: `${p.at[1] - 6}px`, width: "12px", height: "12px" });
    } else if (d.readout === "y") {
      Object.assign(cross.style, { left: `${left}px`, top: `${p.at}px`, width: `${width}px`, height: "0" });
    } else {
      Object.assign(cross.style, { left: `${p.at}px`, top: `${top}px`, width: "0", height: `${height}px` });
    }
    if (announce && live) live.textContent = lines.join("; ");
  }

  function hide() {
    cross.hidden = label.hidden = true;
  }

  /** The stop nearest the pointer at (x, y) px in the SVG's frame. */
  function nearest(x, y) {
    let best = -1;
    let bestDist = Infinity;
    stopsNow().forEach((p, k) => {
      const dist = d.readout === "point" ? Math.hypot(p.at[0] - x, p.at[1] - y) : Math.abs(p.at - (d.readout === "y" ? y : x));
      if (dist < bestDist) { bestDist = dist; best = k; }
    });
    return best;
  }

  const svg = () => host.querySelector("svg");
  host.addEventListener("pointermove", (e) => {
    const r = svg()?.getBoundingClientRect();
    if (!r) return;
    const x = e.clientX - r.left, y = e.clientY - r.top;
    const inside = x >= d.plot.left - 8 && x <= d.plot.left + d.plot.width + 8 && y >= d.plot.top - 8 && y <= d.plot.top + d.plot.height + 8;
    if (inside) {
      show(nearest(x, y), false);
    } else if (e.pointerType === "mouse") hide();
  });
  host.addEventListener("pointerdown", (e) => {
    if (e.pointerType === "mouse") return;
    const r = svg()?.getBoundingClientRect();
    if (!r) return;
    show(nearest(e.clientX - r.left, e.clientY - r.top), false);
  });
  host.addEventListener("pointerleave", (e) => {
    if (e.pointerType === "mouse") hide();
  });
  host.addEventListener("keydown", (e) => {
    const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[e.key];
    const last = () => stopsNow().length - 1;
    if (step !== undefined) show(current < 0 ? (step > 0 ? 0 : last()) : current + step, true);
    else if (e.key === "Home") show(0, true);
    else if (e.key === "End") show(last(), true);
    else if (e.key === "Escape") hide();
    else return;
    e.preventDefault();
  });
  host.addEventListener("blur", hide);
  return {
    show,
    hide,
    /** The stops (found now if they were not yet). */
    get stops() { return stopsNow(); },
  };
}
