// A drawn figure on the page: its SVG inside a focusable role="img" box labelled with the data's
// summary, the readout over it, an aria-live line for keyboard readouts, and its "Data" table (under
// the figure's legend when the legend follows the box, so the chart and its key stay together).
import { dataTable } from "./data_table.js";
import { attachReadout } from "./readout.js";

/**
 * Fills `container` with `svg` (an SVG element drawn at FigureData `data`'s width), its readout and
 * live line, and puts its Data table after the legend that follows `container` (or inside it when
 * none does); keeps the Data disclosure open if it was. Returns the readout.
 */
export function showFigure(container, svg, data) {
  const old = container.figureDetails;
  const wasOpen = old?.open ?? false;
  old?.remove();
  container.figureDetails = null;
  // A redraw keeps the readout where it was, and the focus when the figure had it.
  const wasAt = container.querySelector(".fig-readout:not([hidden])")?.dataset.x;
  const hadFocus = document.activeElement?.classList.contains("fig-host") && container.contains(document.activeElement);
  svg.setAttribute("aria-hidden", "true");
  svg.removeAttribute("role");
  svg.removeAttribute("aria-label");
  const host = document.createElement("div");
  host.className = "fig-host";
  host.tabIndex = 0;
  host.setAttribute("role", "img");
  host.setAttribute("aria-label", data.summary || data.title);
  host.dataset.figure = data.name;
  host.style.width = `${data.width}px`;
  host.append(svg);
  const live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  const parts = [host, live];
  const legend = container.nextElementSibling?.classList.contains("legend") ? container.nextElementSibling : null;
  if (data.table && data.table.rows.length > 0) {
    const details = dataTable(data.table);
    details.open = wasOpen;
    container.figureDetails = details;
    const notes = legend?.nextElementSibling?.classList.contains("fig-notes") ? legend.nextElementSibling : null;
    if (legend) (notes ?? legend).after(details);
    else parts.push(details);
  }
  container.replaceChildren(...parts);
  container.figureData = data;
  const readout = attachReadout(host, data, live);
  if (hadFocus) host.focus({ preventScroll: true });
  if (wasAt !== undefined) {
    const k = readout.stops.findIndex((p) => String(p.x) === wasAt);
    if (k >= 0) readout.show(k, false);
  }
  return readout;
}
