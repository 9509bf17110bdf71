// The frame of one engine figure: caption, subtitle, the drawn box, an HTML legend, notes and a problem
// line, filled from a drawn {svg, data} whether the engine ran on the page or in a worker.
import { el } from "./dom.js";
import { parseSvg } from "./engine_svg.js";
import { showFigure } from "./figure_host.js";
import { drawLegend } from "./legend.js";

/** The legend items of FigureData `data`: its series (toggles where allowed and `toggles`, in the engine's dash), then its colour gradient. */
function legendItems(data, toggles) {
  const items = data.series.map((s) => ({ key: toggles && s.toggle ? s.key : undefined, label: s.label, colour: s.colour, dash: s.dash ?? null, kind: s.swatch }));
  if (data.gradient) items.push({ label: `${data.gradient.label}: ${data.gradient.lo} to ${data.gradient.hi}`, kind: "gradient", stops: data.gradient.stops, colour: "#000" });
  return items;
}

/**
 * A <figure class="engine-figure"> for engine figure `stem`: {fig, box, show(drawn, {toggles}), fail(message)}.
 * `show` puts a drawn `{svg, data}` in (legend toggles unless `toggles` is false); `fail` says it could not be drawn.
 */
export function figureFrame(stem) {
  const fig = el("figure", { class: "engine-figure" });
  fig.dataset.name = `${stem}.svg`;
  const caption = el("figcaption");
  const subtitle = el("p", { class: "note fig-subtitle" });
  const box = el("div", { class: "chart-box engine-box", "data-testid": `figure-${stem}` });
  const legend = el("div", { class: "legend" });
  const notes = el("p", { class: "note fig-notes" });
  const problem = el("p", { class: "error", role: "alert" });
  problem.hidden = true;
  fig.append(caption, subtitle, box, legend, notes, problem);
  return {
    fig,
    box,
    show({ svg, data }, { toggles = true } = {}) {
      caption.textContent = data.title;
      subtitle.textContent = data.subtitle;
      subtitle.hidden = !data.subtitle;
      showFigure(box, parseSvg(svg), data);
      drawLegend(legend, legendItems(data, toggles));
      notes.textContent = data.notes.join(" · ");
      notes.hidden = data.notes.length === 0;
      // The Data disclosure goes under the legend and notes, so the chart and its key stay together.
      if (box.figureDetails?.parentElement === box) notes.after(box.figureDetails);
      problem.hidden = true;
    },
    fail(message) {
      problem.textContent = `Could not draw ${stem}: ${message}`;
      problem.hidden = false;
    },
  };
}
