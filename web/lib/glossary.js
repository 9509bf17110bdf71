// The glossary: every method and baseline name with the engine's one-line description (method_catalog).
import { catalog } from "./catalog.js";
import { styleOf } from "./method_style.js";
import { descriptionId, glossaryId } from "./terms.js";

/** What kind of name an entry is, from its catalog flags. */
function kindOf(e) {
  if (e.oracle) return "the oracle regret is measured against";
  if (e.kind === "tuner") return e.prefix ? "prefix tuner" : "weight tuner";
  return "baseline";
}

/** Fills the list `dl` with one term and description per catalog entry, in display order. */
export function buildGlossary(dl) {
  const rows = [];
  for (const e of catalog()) {
    const dt = document.createElement("dt");
    dt.id = glossaryId(e.label);
    dt.tabIndex = -1;
    dt.dataset.term = e.label;
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = styleOf(e.label).colour;
    const name = document.createElement("strong");
    name.textContent = e.label;
    const kind = document.createElement("span");
    kind.className = "term-kind";
    kind.textContent = ` (${kindOf(e)})`;
    dt.append(swatch, name, kind);
    const dd = document.createElement("dd");
    dd.id = descriptionId(e.label);
    dd.textContent = e.description;
    rows.push(dt, dd);
  }
  dl.replaceChildren(...rows);
}
