// promptlab page boot: the state (state.js, kept in the URL hash), the tabs, the engine's start, and
// the Learn view (lessons/) and the five lab views (views/), which talk to each other only through the callbacks given here.
// Every number shown comes from the engine; text goes in with textContent only.
import init from "./pkg/promptlab.js";
import * as S from "./state.js";
import { $ } from "./lib/dom.js";
import { hideEmptyAlerts } from "./lib/alerts.js";
import { createChartBoxes } from "./lib/chart_boxes.js";
import { syncLegends } from "./lib/legend.js";
import { onToggle, setHidden } from "./lib/series_filter.js";
import { buildGlossary } from "./lib/glossary.js";
import { catalog } from "./lib/catalog.js";
import { refreshEmbedLinks } from "./lib/embed.js";
import { messageOf } from "./lib/messages.js";
import { registerOffline } from "./lib/offline.js";
import { createModels } from "./lib/models.js";
import { bindPrint } from "./lib/print.js";
import { bindSeedInputs } from "./lib/seed_inputs.js";
import { bindShare } from "./lib/share.js";
import { createTeacher } from "./lib/teacher.js";
import { showStatus, showStatusOf } from "./lib/status.js";
import { createLearn } from "./lessons/learn.js";
import { createInside } from "./views/inside.js";
import { createPredict } from "./views/predict.js";
import { createPretrain } from "./views/pretrain.js";
import { createPrompt } from "./views/prompt.js";
import { createTheory } from "./views/theory.js";

let state = S.defaults();
let engineReady = false;
const models = createModels();
const { chart, redrawVisible } = createChartBoxes();
const teacher = createTeacher({ state: () => state });

const shared = {
  state: () => state,
  save,
  ready: () => engineReady,
  chart,
};
const inside = createInside({ run: () => prompt.start(), open: () => prompt.resultsOpen(), fileOf: (last, view) => prompt.fileOf(last, view) });
const prompt = createPrompt({
  ...shared,
  loadModel: (name) => models.load(name),
  setRunDisabled: (disabled) => inside.setRunDisabled(disabled),
  onStale: (then, now) => inside.markIfStale(then, now),
  onGuess: () => inside.gate(),
  onResults: (last) => {
    inside.showResults(last);
    predict.offerPrefixes(last);
    if (state.view === "theory") theory.update();
  },
});
const theory = createTheory({ ...shared, apply: applyTheory, lastRun: () => prompt.last });
const predict = createPredict({ ...shared, commit, models, showSeed: () => seeds.show() });
const pretrain = createPretrain({ ...shared, useNetwork });
const learn = createLearn({ ...shared, models, keep: teacher.keep });
const seeds = bindSeedInputs({
  inputs: {
    seed: { key: "predictseed", error: "draw-error" },
    "t-seed": { key: "promptseed", error: "prompt-error" },
    "pt-seed": { key: "pretrainseed", error: "pretrain-error" },
  },
  state: () => state,
  save,
  changed: (id) => {
    if (id === "t-seed") prompt.check();
    if (id === "pt-seed") pretrain.check();
  },
});

// ---------- state ↔ URL ----------

function writeHash() {
  const hash = `#${S.serialize(state)}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
  refreshEmbedLinks();
}

/** Reads the link into the state; `live` (a link changed on a live page) redraws the figures whose hidden series changed. */
function readHash(live = false) {
  const { state: parsed, problems } = S.parse(location.hash);
  if (parsed.model === "mine" && !models.mine) {
    problems.push("the network pretrained in this page is not kept across reloads; showing the pretrained LSTM");
    parsed.model = "lstm";
  }
  if (parsed.tmodel === "mine" && !models.mine) {
    problems.push("the network pretrained in this page is not kept across reloads; adapting the pretrained LSTM");
    parsed.tmodel = "lstm";
  }
  state = parsed;
  setHidden(state.off, live);
  syncLegends();
  const box = $("url-message");
  box.hidden = problems.length === 0;
  box.textContent = problems.length ? `Link problem: ${problems.join("; ")}.` : "";
}

/** Applies a change to the state and writes it into the link; a teacher's locked keys never change. */
function save(change) {
  Object.assign(state, teacher.allowed(change));
  writeHash();
}

/** Applies a change, then recomputes the Predict view if it is shown. */
function commit(change) {
  save(change);
  if (state.view === "predict") predict.update();
}

/** Applies a Theory view change: it edits the Prompt view's target and N_tune, so both views agree. */
function applyTheory(change) {
  save(change);
  theory.sync();
  prompt.sync();
  theory.update();
  prompt.check();
}

/** Makes the network pretrained in this page the page's own, and shows it in Predict. */
function useNetwork(net) {
  models.use(net);
  predict.offerMine(net);
  prompt.offerMine(net);
  commit({ view: "predict", model: "mine" });
  syncControls();
}

// A legend toggle hides or shows a series on every figure: the link keeps it, the shown figures redraw.
onToggle((keys) => {
  save({ off: keys });
  // A teacher's link may fix the hidden series (lock=off): then the toggle is undone.
  if (state.off.join(",") !== keys.join(",")) setHidden(state.off);
  syncLegends();
  redrawVisible();
});

// ---------- controls ← state, tabs ----------

function syncControls() {
  predict.sync();
  pretrain.sync();
  prompt.sync();
  theory.sync();
  showView(state.view);
}

function showView(view) {
  for (const v of S.VIEWS) {
    const tab = $(`tab-${v}`);
    const selected = v === view;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`view-${v}`).hidden = !selected;
  }
  showStatusOf(view);
  if (view === "learn") learn.show();
  else learn.hide();
  if (view === "theory" && engineReady) {
    theory.sync();
    theory.update();
  }
  redrawVisible();
}

function wire() {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener("click", () => {
      commit({ view: tab.dataset.view });
      showView(state.view);
    });
    // The WAI-ARIA tabs pattern: arrows move to the next or previous tab (wrapping), Home and End to the first and last.
    tab.addEventListener("keydown", (e) => {
      const i = S.VIEWS.indexOf(state.view);
      const to = { ArrowRight: i + 1, ArrowLeft: i + S.VIEWS.length - 1, Home: 0, End: S.VIEWS.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      const next = S.VIEWS[to % S.VIEWS.length];
      commit({ view: next });
      showView(next);
      $(`tab-${next}`).focus();
    });
  }
  window.addEventListener("hashchange", () => {
    const teach = S.serialize({ ...S.defaults(), hide: state.hide, lock: state.lock });
    readHash(true);
    refreshEmbedLinks();
    // A teacher's link hides or locks controls once, at load: a link that changes either starts afresh.
    if (S.serialize({ ...S.defaults(), hide: state.hide, lock: state.lock }) !== teach) {
      location.reload();
      return;
    }
    syncControls();
    predict.update();
    pretrain.check();
    prompt.sync();
    prompt.check();
    showView(state.view);
  });
  // Charts are drawn for their width: a taller page (a readout showing, a table opened) needs no redraw.
  let mainWidth = 0;
  new ResizeObserver(([e]) => {
    const w = Math.round(e.contentRect.width);
    if (w !== mainWidth) {
      mainWidth = w;
      redrawVisible();
    }
  }).observe(document.querySelector("main"));
}

async function main() {
  hideEmptyAlerts();
  bindPrint();
  // The link is read once the engine is in: the tuners it may name come from the engine's catalog.
  let failure = null;
  try {
    await init();
    S.setMethods(catalog().filter((m) => m.kind === "tuner").map((m) => m.label));
  } catch (e) {
    failure = e;
  }
  readHash();
  syncControls();
  wire();
  bindShare({ state: () => state });
  teacher.start();
  if (failure) {
    showStatus(`Could not load the engine: ${messageOf(failure)}`);
    return;
  }
  engineReady = true;
  buildGlossary($("glossary-list"));
  prompt.buildMethodBoxes();
  prompt.sync();
  showStatus("Engine ready.");
  writeHash();
  // The lesson first: its first chapter needs only exact Bayes, so it paints before the networks load.
  if (state.view === "learn") showView("learn");
  await predict.update();
  pretrain.draw();
  pretrain.check();
  prompt.drawLossChart();
  if (state.view === "theory") showView("theory");
  await prompt.check();
  document.body.dataset.ready = "true";
  registerOffline();
  predict.addEmbedButtons();
}

main();
