// The embed page: one figure of a link alone. It shows the build-time preview at once, starts its one
// worker (the engine) when the figure scrolls into view or on a click, shares an experiment with the
// other embeds of the page, then shows the live figure; read-only unless the link says interactive=1.
import * as S from "../state.js";
import { useCatalog } from "../lib/catalog.js";
import { previewKey, experimentKey } from "../lib/config_key.js";
import { $, button, el } from "../lib/dom.js";
import { embedView, isPredictFigure } from "../lib/embed_name.js";
import { figureFrame } from "../lib/figure_frame.js";
import { messageOf } from "../lib/messages.js";
import { hiddenKeys, onToggle, setHidden } from "../lib/series_filter.js";
import { SHIPPED } from "../lib/models.js";
import { experimentWords, flipCount, sourceWords } from "../lib/settings_words.js";
import { sharedResults } from "../lib/share_results.js";
import { connect } from "../lib/worker_calls.js";

const { state } = S.parse(location.hash, { anyMethods: true });
const name = state.embed;
const interactive = state.interactive === "1";
const body = document.body;
const place = $("embed-figure");
const since = () => Math.round(performance.now());

/** The full page's link for the same state (without the embed's own keys), in a new tab. */
function linkBack() {
  const full = { ...state, view: name ? embedView(name) : "learn", embed: "", run: "visible", interactive: "0" };
  $("embed-open").href = `index.html#${S.serialize(full)}`;
}

/** What the figure is computed from, in words, under it: a blog's reader sees the setup without opening the page. */
function settingsLine() {
  const network = SHIPPED[isPredictFigure(name) ? state.model : state.tmodel] ?? "a network of this page";
  if (isPredictFigure(name)) {
    // The flips are the link's (typed, pasted or drawn): the source is what exact Bayes assumes they come from.
    const prompt = state.hard ? `, both after the hard prompt ${[...state.hard].map((t) => "HT"[t]).join("")}` : "";
    const count = flipCount(state.flips);
    return `${count.charAt(0).toUpperCase()}${count.slice(1)} read by exact Bayes for the source ${sourceWords(state.source, state)} and by the network: ${network}${prompt}.`;
  }
  const w = experimentWords(state, network);
  return `Computed with ${[w.target, `the network: ${network}`, w.methods, w.plen, w.tsteps, w.reps, w.elength].join(", ")}.`;
}

/** Tells the host page the content's height (lib's embed.js on the host sizes the frame to it). */
function reportSize() {
  if (window.parent === window) return;
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  window.parent.postMessage({ type: "promptlab:size", height }, "*");
}

function problem(text) {
  $("embed-problem").textContent = text;
  $("embed-problem").hidden = false;
  $("embed-status").textContent = "";
}

/** The width the figure is drawn at: the frame's, within the engine's 280..=2400 px. */
const drawWidth = () => Math.max(280, Math.min(2400, Math.floor(place.clientWidth || 640)));

/** Longest the engine waits for the preview's picture to load, ms. */
const PREVIEW_WAIT_MS = 1500;

/** Shows the build-time preview of this link when the site has one, else an honest waiting box; resolves once it is drawn. */
async function showPreview() {
  let entry = null;
  let shown = null;
  try {
    const index = await (await fetch("previews/index.json")).json();
    entry = index[previewKey(state, name)] ?? null;
  } catch {
    entry = null;
  }
  if (body.dataset.live || body.dataset.measuring) return;
  const wrap = el("figure", { class: "embed-preview", "data-testid": "embed-preview" });
  if (entry) {
    // Drawn at two widths at build time: the browser takes the one that fits the frame, so its text stays legible.
    const srcset = entry.narrow ? `previews/${entry.narrow.file} ${entry.narrow.width}w, previews/${entry.file} ${entry.width}w` : null;
    const img = el("img", { src: `previews/${entry.file}`, alt: `Preview of the figure: ${entry.title}`, width: String(entry.width), height: String(entry.height) });
    if (srcset) {
      img.srcset = srcset;
      img.sizes = "100vw";
    }
    wrap.append(el("figcaption", { class: "preview-label" }, "Preview, computed when the site was built — the live figure is on its way"), img);
    // The engine waits for the preview (at most PREVIEW_WAIT_MS): its download and compile would only delay the picture.
    shown = Promise.race([
      new Promise((resolve) => {
        img.addEventListener("load", resolve);
        img.addEventListener("error", resolve);
      }),
      new Promise((resolve) => setTimeout(resolve, PREVIEW_WAIT_MS)),
    ]);
    img.addEventListener("load", () => {
      body.dataset.previewMs = String(since());
      reportSize();
    });
    body.dataset.preview = "shown";
  } else {
    const height = isPredictFigure(name) ? 210 : Math.round(drawWidth() * 0.6);
    const box = el("div", { class: "embed-waiting" }, "Computing the live figure…");
    box.style.height = `${height}px`;
    wrap.append(box);
    body.dataset.preview = "none";
  }
  place.replaceChildren(wrap);
  if (state.run === "click" && !body.dataset.started) {
    wrap.append(button("Compute the live figure", () => start(), { class: "primary embed-compute", "data-testid": "embed-compute" }));
  }
  await shown;
}

let worker = null;

/** Starts the worker and the computation, once. */
async function start() {
  if (body.dataset.started) return;
  body.dataset.started = String(since());
  place.querySelector(".embed-compute")?.remove();
  $("embed-status").textContent = "Starting the engine…";
  worker = connect(new Worker("workers/embed.js", { type: "module" }), ({ done, total }) => {
    $("embed-status").textContent = `Computing the live figure: ${done} / ${total} tuning jobs done…`;
  });
  try {
    const ready = await worker.ask({ type: "init", hash: location.hash }, "ready");
    useCatalog(ready.catalog);
    if (ready.problems.length) problem(`Link problem: ${ready.problems.join("; ")}.`);
    if (isPredictFigure(name)) await livePredict();
    else await liveExperiment();
    $("embed-status").textContent = "";
  } catch (e) {
    problem(`Could not compute the live figure: ${messageOf(e)}`);
  }
}

/** Replaces the preview with the live figure `node` (once). */
function goLive(node) {
  if (!node.isConnected) place.replaceChildren(node);
  if (!body.dataset.live) {
    body.dataset.live = "true";
    body.dataset.liveMs = String(since());
  }
  reportSize();
}

/** Redraws `draw()` a moment after the frame's width changes. */
function onWidth(draw) {
  let width = drawWidth();
  let timer = 0;
  new ResizeObserver(() => {
    const now = drawWidth();
    if (Math.abs(now - width) < 2) return;
    width = now;
    clearTimeout(timer);
    timer = setTimeout(draw, 150);
  }).observe(place);
}

async function liveExperiment() {
  const { results, by } = await sharedResults(experimentKey(state), async () => {
    const out = await worker.ask({ type: "compute" }, "results");
    body.dataset.jobs = String(out.jobs);
    return out.results;
  });
  body.dataset.computed = by;
  if (by === "shared") {
    body.dataset.jobs = "0";
    await worker.ask({ type: "use", results }, null);
  }
  await showLive();
}

async function livePredict() {
  const { problems } = await worker.ask({ type: "predict" }, "figures");
  if (problems.length) problem(problems.join(" "));
  await showLive();
}

/** The frame of engine figure `stem` as this embed shows it. */
function embedFrame(stem) {
  const frame = figureFrame(stem);
  // The Predict view's figures keep its boxes' ids, so a link's figure is found the same way on both pages.
  if (isPredictFigure(name)) frame.box.id = `chart-${name}`;
  return frame;
}

/** Draws the worker's figure at the frame's width, again after a width change (and a legend toggle, when interactive). */
async function showLive() {
  let frame = null;
  const draw = async () => {
    const drawn = await worker.ask({ type: "draw", width: drawWidth(), hidden: hiddenKeys() }, "drawn");
    if (!frame) frame = embedFrame(drawn.stem);
    if (drawn.data?.title) document.title = `promptlab: ${drawn.data.title}`;
    frame.show(drawn, { toggles: interactive });
    goLive(frame.fig);
  };
  await draw();
  onWidth(() => draw().catch((e) => problem(messageOf(e))));
  if (interactive) onToggle(() => draw().catch((e) => problem(messageOf(e))));
}

/**
 * For the full page that writes this embed's snippet (same origin only; a host of another origin cannot
 * reach it): the width the figure is drawn at, and the height of the frame's content once a drawn
 * {svg, data, stem} is laid out here exactly as the live figure would be. The frame then computes nothing.
 */
window.promptlabEmbedLayout = {
  width: drawWidth,
  height({ svg, data, stem }) {
    body.dataset.measuring = "true";
    const frame = embedFrame(stem);
    frame.show({ svg, data }, { toggles: interactive });
    place.replaceChildren(frame.fig);
    $("embed-status").textContent = "";
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  },
};

/** Starts when the figure scrolls into view (run=visible) or waits for the button (run=click). */
function whenToStart() {
  if (state.run === "click") return;
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      seen.disconnect();
      start();
    }
  });
  seen.observe(place);
}

function main() {
  linkBack();
  if (name) $("embed-settings").textContent = settingsLine();
  new ResizeObserver(reportSize).observe(document.documentElement);
  window.addEventListener("message", (e) => {
    if (e.data?.type === "promptlab:ask-size" && e.source === window.parent) reportSize();
  });
  if (!name) {
    problem("This embed link names no figure: add embed=NAME (for example embed=predictive).");
    return;
  }
  setHidden(state.off);
  document.title = `promptlab: ${name.replace(/_/g, " ")}`;
  showPreview().then(whenToStart);
}

main();


