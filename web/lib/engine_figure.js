// One of the engine's figures on the page: drawn by the engine at the width it is shown at (without
// its own title and legend), shown inline after sanitising, with an HTML legend of toggles, the
// readout and Data table of its FigureData, and SVG, PNG and embed-link buttons.
import { FigureSet } from "../pkg/promptlab.js";
import { button, el } from "./dom.js";
import { download, pngOfSvg } from "./download.js";
import { showEmbedLink } from "./embed.js";
import { figureFrame } from "./figure_frame.js";
import { hiddenKeys, onToggle } from "./series_filter.js";

/** Whether the engine figure `name` (a stem, or a file name) pictures the network's internal states (the Inside view's). */
export function isStateFigure(name) {
  return name.startsWith("pca_states");
}

/** The engine's FigureSet of each results object, parsed once (and freed once no figure of it is on the page). */
const sets = new WeakMap();

/** The FigureSet of `results` (an experiment's results object). */
export function figureSet(results) {
  if (!sets.has(results)) sets.set(results, new FigureSet(results));
  return sets.get(results);
}

/** The figure stems of `results`, in the engine's order. */
export const figureNames = (results) => [...figureSet(results).names()];

/** Narrowest and widest the engine draws a figure (its FigureOptions' width range). */
const MIN_WIDTH = 280;
const MAX_WIDTH = 2400;

/**
 * Every engine figure made and not yet let go: {el, results, set, observer, seen, born, stale, draw}.
 * A figure counts as let go once it is off the page after having been on it (`seen`), or when it was
 * never put on the page by the time a later task ran (`born` older than `generation`).
 */
const shown = new Set();
let generation = 0;
let ticking = false;

/** Advances `generation` once the task that made figures is over. */
function tickLater() {
  if (ticking) return;
  ticking = true;
  setTimeout(() => {
    ticking = false;
    generation += 1;
  }, 0);
}

/** Lets go of the figures no longer on the page: their observers stop, and a FigureSet no figure uses is freed. */
function prune() {
  for (const f of shown) {
    if (f.el.isConnected) f.seen = true;
    else if (f.seen || f.born < generation) release(f);
  }
}

/** Lets go of figure entry `f`, freeing its FigureSet when no other figure on the page draws from it. */
function release(f) {
  f.observer.disconnect();
  shown.delete(f);
  if ([...shown].some((g) => g.set === f.set)) return;
  if (sets.get(f.results) === f.set) sets.delete(f.results);
  f.set.free?.();
}

/** How many engine figures the page holds, and how many FigureSets they draw from (what the memory test watches). */
export function held() {
  return { figures: shown.size, sets: new Set([...shown].map((f) => f.set)).size };
}

onToggle(() => {
  prune();
  for (const f of shown) {
    if (!f.el.isConnected) continue;
    if (f.el.offsetParent !== null) f.draw();
    else f.stale = true;
  }
});

/**
 * A <figure> of the engine's figure `name` (a stem, or "STEM.svg") of `results`; without `embed`, no
 * Embed link (a figure whose run the page's link does not describe). `fileName(stem, ext)` names its
 * downloads (lib/file_names.js's runFileName for the run's state).
 */
export function engineFigure(results, name, { embed = true, fileName = (stem, ext) => `${stem}.${ext}` } = {}) {
  prune();
  const stem = name.replace(/\.svg$/, "");
  const set = figureSet(results);
  const frame = figureFrame(stem);
  const { fig, box } = frame;
  const full = () => set.figure(stem, { width: 800, chrome: true, hidden: hiddenKeys() });
  const buttons = el("div", { class: "buttons exports" },
    button("SVG", () => download(fileName(stem, "svg"), new Blob([full().svg], { type: "image/svg+xml" })), { "aria-label": `Download ${stem} as SVG` }),
    button("PNG", () => pngOfSvg(full().svg).then((png) => download(fileName(stem, "png"), png)), { "aria-label": `Download ${stem} as PNG` }),
  );
  // The figure as its embed will draw it: at the embed's width, without the series the link's off= hides.
  const asEmbedded = (width) => {
    try {
      return { ...set.figure(stem, { width, chrome: false, hidden: hiddenKeys() }), stem };
    } catch {
      return null;
    }
  };
  if (embed) buttons.append(button("Embed link", () => showEmbedLink(fig, stem, stem, box.figureData, asEmbedded), { "aria-label": `Embed link for ${stem}` }));
  fig.append(buttons);

  let drawnWidth = 0;
  let timer = 0;
  const entry = {
    el: fig,
    results,
    set,
    seen: false,
    born: generation,
    stale: false,
    observer: null,
    draw() {
      entry.stale = false;
      const width = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, Math.floor(box.clientWidth || fig.clientWidth || 640)));
      drawnWidth = width;
      try {
        frame.show(set.figure(stem, { width, chrome: false, hidden: hiddenKeys() }));
      } catch (e) {
        frame.fail(e?.message ?? e);
      }
    },
  };
  // Drawn when it first shows, for the width it is shown at, and again a moment after that width changes.
  entry.observer = new ResizeObserver(() => {
    if (!fig.isConnected) {
      if (entry.seen) release(entry);
      return;
    }
    entry.seen = true;
    if (fig.offsetParent === null) return;
    const width = Math.floor(box.clientWidth);
    if (!entry.stale && Math.abs(width - drawnWidth) < 2) return;
    clearTimeout(timer);
    timer = setTimeout(() => entry.draw(), drawnWidth === 0 ? 0 : 150);
  });
  entry.observer.observe(box);
  shown.add(entry);
  tickLater();
  return fig;
}
