// The FigureData of a live chart (the figure contract's shape) and the chart spec with the series the legend hid left out.
import { isHidden } from "./series_filter.js";

/** `spec` without the parts whose key is hidden, its y range refit to what is left (spec.fitY) when something was hidden. */
export function withoutHidden(spec) {
  const keep = (xs) => (xs ?? []).filter((p) => !(p.key && isHidden(p.key)));
  const series = spec.figure?.series ?? [];
  const hiddenAny = series.some((s) => s.toggle !== false && isHidden(s.key));
  const shown = series.filter((s) => !isHidden(s.key)).map((s) => s.key);
  const everything = hiddenAny && series.length > 0 && series.every((s) => s.toggle === false || isHidden(s.key));
  return {
    ...spec,
    lines: keep(spec.lines), areas: keep(spec.areas), bands: keep(spec.bands), bars: keep(spec.bars),
    vlines: keep(spec.vlines), pointLabels: keep(spec.pointLabels),
    y: hiddenAny && spec.fitY ? spec.fitY(shown) : spec.y,
    message: everything ? "every series is hidden: press one in the legend" : spec.message,
  };
}

/** The FigureData of a drawn chart: the drawing's size, plot rectangle and axes, and its builder's series, table and summary. */
export function figureData(name, spec, { width, height, plot, x, y, logY }) {
  const f = spec.figure ?? {};
  const series = (f.series ?? []).map((s) => {
    const hidden = s.toggle !== false && isHidden(s.key);
    const empty = hidden ? [] : null;
    return {
      key: s.key, label: s.label ?? s.key, colour: s.colour, dash: s.dash ?? null, swatch: s.swatch ?? "line",
      toggle: s.toggle !== false, hidden,
      x: empty ?? s.x, y: empty ?? s.y,
      q25: s.q25 ? empty ?? s.q25 : null, q75: s.q75 ? empty ?? s.q75 : null,
      labels: s.labels ? empty ?? s.labels : null,
    };
  });
  return {
    name: name || spec.title,
    title: spec.title,
    subtitle: "",
    summary: (typeof f.summary === "function" ? f.summary(series.filter((s) => !s.hidden)) : f.summary) ?? spec.title,
    width, height, plot,
    x: { label: spec.xLabel, lo: x[0], hi: x[1], log: false, categories: null },
    y: { label: spec.yLabel, lo: y[0], hi: y[1], log: logY, categories: null },
    readout: f.readout ?? "x",
    series,
    notes: f.notes ?? [],
    gradient: null,
    table: f.table ?? null,
  };
}

