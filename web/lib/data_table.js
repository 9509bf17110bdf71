// A figure's "Data" disclosure: the HTML table of what it plots (FigureData.table), with its caption.

/** A <details> whose <summary> is "Data" holding `table` ({caption, columns, rows}: strings, first cell the row's name). */
export function dataTable(table) {
  const details = document.createElement("details");
  details.className = "fig-data";
  const summary = document.createElement("summary");
  summary.textContent = "Data";
  const t = document.createElement("table");
  t.className = "regret fig-table";
  // The caption is shown above the scrolling box, so a wide table on a phone never cuts it; the
  // table keeps it (visually hidden) for screen readers.
  const caption = document.createElement("caption");
  caption.className = "visually-hidden";
  caption.textContent = table.caption;
  const shown = document.createElement("p");
  shown.className = "fig-table-caption";
  shown.setAttribute("aria-hidden", "true");
  shown.textContent = table.caption;
  const head = document.createElement("tr");
  for (const c of table.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    head.append(th);
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const row of table.rows) {
    const tr = document.createElement("tr");
    row.forEach((cell, j) => {
      const c = document.createElement(j === 0 ? "th" : "td");
      if (j === 0) c.scope = "row";
      c.textContent = cell;
      tr.append(c);
    });
    tbody.append(tr);
  }
  t.append(caption, thead, tbody);
  // A wide table scrolls inside its own box, reachable from the keyboard.
  const scroller = document.createElement("div");
  scroller.className = "fig-table-scroll";
  scroller.tabIndex = 0;
  scroller.setAttribute("role", "region");
  scroller.setAttribute("aria-label", table.caption);
  scroller.append(t);
  details.append(summary, shown, scroller);
  return details;
}
