// A drawn figure on the page: its SVG inside a focusable role="img" box labelled with the data's
// summary, the readout over it, an aria-live line for keyboard readouts, and its "Data" table (under
// the figure's legend when the legend follows the box, so the chart and its key stay together).
import { dataTable, updateDataTable } from "./data_table.js";
import { attachReadout } from "./readout.js";

/**
 * Fills `container` with `svg` (an SVG element drawn at FigureData `data`'s width), its readout and
 * live line, and puts its Data table after the legend that follows `container` (or inside it when
 * none does). A redraw keeps the Data disclosure it made before (open or not, its focus and scroll),
 * changing only its table when the table changed, and keeps a readout that was showing. Returns the readout.
 */
export function showFigure(container, svg, data) {
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
  const details = placeDetails(container, data.table);
  // Everything but a Data disclosure kept inside goes (moving that one would drop its focus and scroll).
  for (const child of [...container.children]) if (child !== details) child.remove();
  container.prepend(host, live);
  if (details && !details.isConnected) container.append(details);
  container.figureData = data;
  const readout = attachReadout(host, data, live);
  container.figureReadout = readout;
  if (hadFocus) host.focus({ preventScroll: true });
  if (wasAt !== undefined) {
    const k = readout.stops.findIndex((p) => String(p.x) === wasAt);
    if (k >= 0) readout.show(k, false);
  }
  return readout;
}

/**
 * The Data disclosure of `container` for `table` (or null when there is no table): the one made
 * before when there is one (its table brought up to date), else a new one. It is put after the legend
 * (and its notes) that follows `container`; one that belongs inside `container` is left where it is,
 * or unplaced when new.
 */
function placeDetails(container, table) {
  const old = container.figureDetails ?? null;
  if (!table || table.rows.length === 0) {
    old?.remove();
    container.figureDetails = null;
    return null;
  }
  const details = old ?? dataTable(table);
  if (old) updateDataTable(old, table);
  container.figureDetails = details;
  const legend = container.nextElementSibling?.classList.contains("legend") ? container.nextElementSibling : null;
  const notes = legend?.nextElementSibling?.classList.contains("fig-notes") ? legend.nextElementSibling : null;
  const after = notes ?? legend;
  if (after && after.nextElementSibling !== details) after.after(details);
  return details;
}
