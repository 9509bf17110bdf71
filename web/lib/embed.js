// Embed snippets: the <iframe> (embed.html showing one figure alone, lazy, full width, with a human
// title and the height its content measures in a blog column) and the optional resizer script, kept up to
// date with the page's link.
import * as S from "../state.js";
import { copyField } from "./copy_text.js";
import { button, el } from "./dom.js";
import { measureEmbed } from "./embed_height.js";
import { embedName, isPredictFigure } from "./embed_name.js";
import { flipCount, sourceWords } from "./settings_words.js";

export { embedName };

/** The column width a snippet's height is measured for, px (a typical blog column). */
export const COLUMN = 640;
/** Room the embed gives besides the plot, for the estimate shown until the measurement is in: title, legend, notes, Data, the link back, px. */
const ROWS = 230;

/** The embed snippets shown so far: box → {name, data, draw, measured: {src, height} | null}. */
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
  if (isPredictFigure(name)) return `${flipCount(s.flips)}, Bayes for the source ${sourceWords(s.source, s)}`;
  const n = s.methods.length;
  const target = sourceWords(s.tsource, { alphas: s.talphas, bias: s.tbias, coins: s.tcoins, weights: s.tweights });
  return `${COUNTS[n] ?? n} ${n === 1 ? "tuner" : "tuners"} on the target ${target}`;
}

/** An engine title inside a sentence: its first letter lower-cased unless it starts a symbol like P(H), without the engine's "on target". */
function titleWords(title) {
  const words = title.replace(/ on target$/, "");
  return /^[A-Z][a-z]/.test(words) ? words.charAt(0).toLowerCase() + words.slice(1) : words;
}

/** An estimate of the frame's height for a figure drawn as FigureData `data` (its shape at COLUMN px), until it is measured. */
function estimate(data) {
  if (!data?.width || !data?.height) return 620;
  return Math.round((COLUMN * data.height) / data.width) + ROWS;
}

/** The embed link of figure `name` for the page's current link. */
function embedSrc(name) {
  const src = new URL("embed.html", location.href);
  src.hash = [...keptHash(), `embed=${name}`].join("&");
  return src.href;
}

/** The snippet of figure `name` (FigureData `data` gives its title and shape) at frame height `height`: the iframe, then the optional script. */
export function snippet(name, data, height = estimate(data)) {
  const script = new URL("embed.js", location.href);
  const words = data?.title ? titleWords(data.title) : name.replace(/_/g, " ");
  // A posterior whose title names only its shape ("point mass: the bias is known") says what it is first.
  const what = name === "posterior" && !/posterior/.test(words) ? `posterior (${words})` : words;
  const title = `promptlab: ${what}, ${targetOf(name)}`.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<iframe src="${embedSrc(name)}" loading="lazy" width="100%" height="${height}" style="border:0;display:block" title="${title}"></iframe>\n<script async src="${script.href}"></script>`;
}

/** Writes the snippet of `box`'s entry; measures its frame's height first when the link changed since the last measurement. */
function write(box) {
  const entry = shown.get(box);
  const src = embedSrc(entry.name);
  const known = entry.measured?.src === src ? entry.measured.height : null;
  box.value = snippet(entry.name, entry.data, known ?? undefined);
  box.dataset.measured = known ? "true" : "false";
  if (known || !entry.draw || entry.measuring === src) return;
  entry.measuring = src;
  measureEmbed(src, COLUMN, entry.draw).then((height) => {
    if (entry.measuring === src) entry.measuring = null;
    if (!height || shown.get(box) !== entry || embedSrc(entry.name) !== src) return;
    entry.measured = { src, height };
    const selected = document.activeElement === box;
    write(box);
    if (selected) box.select();
  });
}

/**
 * Shows, under `fig`, the snippet embedding figure `stem` (FigureData `data`, when drawn, gives its
 * title and shape); `what` names the figure for screen readers. `draw(width)` draws the figure as the
 * embed will ({svg, data, stem} from the engine, or a Promise of it), for measuring the frame's height.
 */
export function showEmbedLink(fig, stem, what = stem, data = null, draw = null) {
  const name = embedName(stem);
  if (!name) return;
  let box = fig.querySelector("textarea.embed-link");
  if (!box) {
    box = el("textarea", { class: "embed-link", rows: "4", "aria-label": `Embed code for ${what}`, "data-testid": "embed-link", spellcheck: "false" });
    box.readOnly = true;
    const note = el("p", { class: "note embed-note" });
    note.textContent = `Paste this into your page. The height given fits a ${COLUMN} px column. The script line is optional: it fits each promptlab frame's height to its figure at any width.`;
    const said = el("span", { class: "note", role: "status", "data-testid": "embed-copied" });
    const copy = button("Copy", () => copyField(box, said), { class: "embed-button", "aria-label": `Copy the embed code for ${what}`, "data-testid": "embed-copy" });
    fig.append(box, el("div", { class: "buttons embed-copy" }, copy, said), note);
  }
  const before = shown.get(box);
  shown.set(box, { name, data, draw, measured: before?.name === name ? before.measured : null, measuring: null });
  write(box);
  box.select();
}

/** Rewrites every embed snippet shown for the page's current link (call it whenever the link changes). */
export function refreshEmbedLinks() {
  for (const box of shown.keys()) {
    if (!box.isConnected) shown.delete(box);
    else write(box);
  }
}
