// A lesson figure: a caption, a chart box drawn by the page's chart code, its legend and a note.
import { drawLegend } from "../lib/legend.js";
import { el } from "../lib/dom.js";

/** A figure whose chart box has id `id`; draw(chart, {spec, legend, note}) draws one of lib/figures' results into it. */
export function figureBox(id, caption) {
  const box = el("div", { class: "chart-box", id, "data-testid": id });
  const legend = el("div", { class: "legend" });
  const note = el("p", { class: "note" });
  const fig = el("figure", {}, el("figcaption", {}, caption), box, legend, note);
  return {
    el: fig,
    draw(chart, { spec, legend: items = [], note: words = "" }) {
      chart(id, spec);
      drawLegend(legend, items);
      note.textContent = words;
    },
  };
}
