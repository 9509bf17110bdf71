// The page's chart boxes: each chart's last spec is kept, so a resize or a tab switch redraws the
// visible ones at their new width.
import { drawChart } from "../charts.js";
import { $ } from "./dom.js";

/** chart(id, spec) draws `spec` into the box `id` and keeps it; redrawVisible() redraws every shown box. */
export function createChartBoxes() {
  const last = new Map(); // chart id → spec

  function chart(id, spec) {
    last.set(id, spec);
    drawChart($(id), spec);
  }

  function redrawVisible() {
    for (const [id, spec] of last) {
      const box = $(id);
      // A box taken off the page (a lesson chapter that closed) is forgotten.
      if (!box) last.delete(id);
      else if (box.offsetParent !== null) drawChart(box, spec);
    }
  }

  return { chart, redrawVisible };
}
