// A drawn figure on the page: its SVG inside a focusable role="img" box labelled with the data's
// summary, the readout over it, an aria-live line for keyboard readouts, and its "Data" table.
import { dataTable } from "./data_table.js";
import { attachReadout } from "./readout.js";

/**
 * Fills `container` with `svg` (an SVG element drawn at FigureData `data`'s width) and its readout,
 * live line and Data table; keeps the Data disclosure open if it was. Returns the readout.
 */
export function showFigure(container, svg, data) {
  const wasOpen = container.querySelector(":scope > details.fig-data")?.open ?? false;
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
  if (data.table && data.table.rows.length > 0) {
    const details = dataTable(data.table);
    details.open = wasOpen;
    parts.push(details);
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
