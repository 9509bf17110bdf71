// A figure's "Data" disclosure: the HTML table of what it plots (FigureData.table), with its caption.
import { watchOverflow } from "./scroll_hint.js";

let captions = 0;

/** A <details> whose <summary> is "Data" holding `table` ({caption, columns, rows}: strings, first cell the row's name). */
export function dataTable(table) {
  const details = document.createElement("details");
  details.className = "fig-data";
  const summary = document.createElement("summary");
  summary.textContent = "Data";
  const t = document.createElement("table");
  t.className = "regret fig-table";
  // The caption is shown above the scrolling box, so a wide table on a phone never cuts it; the
  // table keeps it (visually hidden) for screen readers, and the scrolling box is named by the shown one.
  const caption = document.createElement("caption");
  caption.className = "visually-hidden";
  const shown = document.createElement("p");
  shown.className = "fig-table-caption";
  shown.id = `fig-table-caption-${++captions}`;
  shown.setAttribute("aria-hidden", "true");
  t.append(caption, document.createElement("thead"), document.createElement("tbody"));
  // A wide table scrolls inside its own box, reachable from the keyboard.
  const scroller = document.createElement("div");
  scroller.className = "fig-table-scroll";
  scroller.tabIndex = 0;
  scroller.setAttribute("role", "region");
  scroller.setAttribute("aria-labelledby", shown.id);
  scroller.append(t);
  const hint = document.createElement("p");
  hint.className = "note scroll-hint";
  hint.id = `${shown.id}-hint`;
  scroller.setAttribute("aria-describedby", hint.id);
  hint.hidden = true;
  details.append(summary, shown, scroller, hint);
  watchOverflow(scroller, hint);
  updateDataTable(details, table);
  return details;
}

/**
 * Brings the table of `details` (made by dataTable) up to `table`, touching only the cells whose text
 * changed and adding or removing only the rows and columns that changed, so an open table keeps its
 * focus and scroll position while a run updates it.
 */
export function updateDataTable(details, table) {
  const t = details.querySelector("table");
  const shown = details.querySelector(".fig-table-caption");
  setText(t.caption, table.caption);
  setText(shown, table.caption);
  let head = t.tHead.rows[0];
  if (!head) head = t.tHead.insertRow();
  fillRow(head, table.columns, () => {
    const th = document.createElement("th");
    th.scope = "col";
    return th;
  });
  const body = t.tBodies[0];
  while (body.rows.length > table.rows.length) body.lastElementChild.remove();
  table.rows.forEach((row, i) => {
    const tr = body.rows[i] ?? body.appendChild(document.createElement("tr"));
    fillRow(tr, row, (j) => {
      const c = document.createElement(j === 0 ? "th" : "td");
      if (j === 0) c.scope = "row";
      return c;
    });
  });
}

/** Makes row `tr` hold the strings `cells`, each cell made by `make(j)` when the row lacks it. */
function fillRow(tr, cells, make) {
  while (tr.cells.length > cells.length) tr.lastElementChild.remove();
  cells.forEach((text, j) => setText(tr.cells[j] ?? tr.appendChild(make(j)), text));
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
