// Embed snippets: the <iframe> (embed.html showing one figure alone, lazy, full width, with a human
// title and a height for its figure's shape) and the optional resizer script, kept up to date with the page's link.
import * as S from "../state.js";
import { el } from "./dom.js";
import { embedName, isPredictFigure } from "./embed_name.js";
import { sourceWords } from "./settings_words.js";

export { embedName };

/** The column width a snippet's first height is computed for, px (a typical blog column). */
const COLUMN = 640;
/** Room the embed gives besides the plot: title line, legend, notes, Data disclosure and the link back, px. */
const ROWS = 170;

/** The embed snippets shown so far: box → {name, data}. */
const shown = new Map();

/** The hash parts of the page's link an embed keeps (not the page's view, nor another embed's settings). */
function keptHash() {
  // A blog's figure is no classroom's: a teacher's hide / lock / ask and guesses stay out of it.
  const drop = ["embed=", "view=", "run=", "interactive=", "hide=", "lock=", "ask=", "gp="];
  return location.hash.replace(/^#/, "").split("&").filter((p) => p && !drop.some((d) => p.startsWith(d)));
}

/** Counts as words in a title ("three tuners"); digits past ten. */
const COUNTS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** What figure `name` is computed from, in words, from the page's link: the tuners and target, or the flips' source. */
function targetOf(name) {
  const s = S.parse(location.hash, { anyMethods: true }).state;
  if (isPredictFigure(name)) return `flips from ${sourceWords(s.source, s)}`;
  const n = s.methods.length;
  const target = sourceWords(s.tsource, { alphas: s.talphas, bias: s.tbias, coins: s.tcoins, weights: s.tweights });
  return `${COUNTS[n] ?? n} ${n === 1 ? "tuner" : "tuners"} on the target ${target}`;
}

/** An engine title inside a sentence: its first letter lower-cased unless it starts a symbol like P(H), without the engine's "on target". */
function titleWords(title) {
  const words = title.replace(/ on target$/, "");
  return /^[A-Z][a-z]/.test(words) ? words.charAt(0).toLowerCase() + words.slice(1) : words;
}

/** The frame's first height for figure `name` drawn as FigureData `data` (its shape at COLUMN px; Predict's charts have a fixed height). */
function heightOf(name, data) {
  if (!data?.width || !data?.height) return 480;
  const plot = isPredictFigure(name) ? data.height : Math.round((COLUMN * data.height) / data.width);
  return plot + ROWS;
}

/** The snippet of figure `name` (FigureData `data` gives its title and shape): the iframe, then the optional script. */
export function snippet(name, data) {
  const src = new URL("embed.html", location.href);
  src.hash = [...keptHash(), `embed=${name}`].join("&");
  const script = new URL("embed.js", location.href);
  const what = data?.title ? titleWords(data.title) : name.replace(/_/g, " ");
  const title = `promptlab: ${what}, ${targetOf(name)}`.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<iframe src="${src.href}" loading="lazy" width="100%" height="${heightOf(name, data)}" style="border:0;display:block" title="${title}"></iframe>\n<script async src="${script.href}"></script>`;
}

/**
 * Shows, under `fig`, the snippet embedding figure `stem` (FigureData `data`, when drawn, gives its
 * title and shape); `what` names the figure for screen readers.
 */
export function showEmbedLink(fig, stem, what = stem, data = null) {
  const name = embedName(stem);
  if (!name) return;
  let box = fig.querySelector("textarea.embed-link");
  if (!box) {
    box = el("textarea", { class: "embed-link", rows: "4", "aria-label": `Embed code for ${what}`, "data-testid": "embed-link", spellcheck: "false" });
    box.readOnly = true;
    const note = el("p", { class: "note embed-note" });
    note.textContent = "Paste this into your page. The script line is optional: it fits each promptlab frame's height to its figure; without it the frame keeps the height given.";
    fig.append(box, note);
  }
  shown.set(box, { name, data });
  box.value = snippet(name, data);
  box.select();
}

/** Rewrites every embed snippet shown for the page's current link (call it whenever the link changes). */
export function refreshEmbedLinks() {
  for (const [box, { name, data }] of shown) {
    if (!box.isConnected) shown.delete(box);
    else box.value = snippet(name, data);
  }
}
