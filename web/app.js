// promptlab page wiring: controls ↔ state (state.js, kept in the URL hash) ↔ the wasm engine.
// Every number shown comes from the engine; text goes in with textContent only.
import init, { bayes_next, check_config, model_predict, posterior_density, random_tokens } from "./pkg/promptlab.js";
import * as S from "./state.js";
import { COLOURS, drawChart, drawLegend, extent, seriesPoints } from "./charts.js";
import { createPrompt, embedName, PROMPT_FIELDS, showEmbedLink } from "./prompt.js";
import { createTheory, THEORY_FIELDS } from "./theory.js";
import { bindSource, numberFrom, SOURCE_KEYS } from "./source_controls.js";

const $ = (id) => document.getElementById(id);
const messageOf = (e) => (e instanceof Error ? e.message : String(e));
const fmt = (p) => (Number.isFinite(p) ? p.toFixed(4) : "–");

/** Grid points of the Beta density drawn in the posterior chart. */
const DENSITY_POINTS = 400;
/** The shipped models: www/models/NAME/{config.json, model.safetensors}. */
const SHIPPED = {
  lstm: "LSTM (E = 32, hidden 32), pretrained on Random Coins (1, 1)",
  transformer: "Transformer (E = 32, 4 heads, MLP 32 × 4), pretrained on Random Coins (1, 1)",
  untrained: "LSTM with random weights, never trained: it cannot use the flips",
};

let state = S.defaults();
/** Tuned prefixes of the last Prompt run: label → {spec, note} (kept for this page only). */
const tunedPrefixes = new Map();
const prompt = createPrompt({
  state: () => state,
  commit: (change) => {
    Object.assign(state, change);
    writeHash();
  },
  loadModel: (name) => loadModel(name),
  chart: (id, spec) => chart(id, spec),
  drawLegend,
  showError: (id, message, group) => showError(id, message, group),
  status: (text) => {
    $("status").textContent = text;
  },
  onResults: (last) => {
    rememberPrefixes(last);
    if (state.view === "theory") theory.update();
  },
});
const theory = createTheory({
  state: () => state,
  apply: (change) => applyTheory(change),
  chart: (id, spec) => chart(id, spec),
  drawLegend,
  showError: (id, message, group) => showError(id, message, group),
  lastRun: () => prompt.last,
});
// The Predict view's source controls.
const source = bindSource({
  box: $("source-box"),
  prefix: "",
  kindId: "source-kind",
  kindLabel: "Where the flips come from",
  keys: SOURCE_KEYS,
  state: () => state,
  apply: (change) => commit(change),
  fail: (message) => showError("source-error", message, state.source),
});
let engineReady = false;
const loaded = new Map(); // model name → Promise<{config, weights, steps}>
let mine = null; // the network pretrained in this page, once "used"
let renderSerial = 0;
let firstChartMs = null;
const lastCharts = new Map(); // chart id → spec, redrawn on resize

// ---------- state ↔ URL ----------

function writeHash() {
  const hash = `#${S.serialize(state)}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

function readHash() {
  const { state: parsed, problems } = S.parse(location.hash);
  if (parsed.model === "mine" && !mine) {
    problems.push("the network pretrained in this page is not kept across reloads; showing the pretrained LSTM");
    parsed.model = "lstm";
  }
  if (parsed.tmodel === "mine" && !mine) {
    problems.push("the network pretrained in this page is not kept across reloads; adapting the pretrained LSTM");
    parsed.tmodel = "lstm";
  }
  state = parsed;
  const box = $("url-message");
  box.hidden = problems.length === 0;
  box.textContent = problems.length ? `Link problem: ${problems.join("; ")}.` : "";
}

/** Applies a state change from a control, then recomputes. */
function commit(change) {
  Object.assign(state, change);
  writeHash();
  if (state.view === "predict") updatePredict();
}

// ---------- controls ← state ----------

function syncControls() {
  source.sync();
  $("model").value = state.model;
  $("draw-n").value = state.n;
  $("seed").value = state.seed;
  $("pt-seed").value = state.seed;
  $("pt-arch").value = state.arch;
  $("pt-width").value = state.width;
  $("pt-steps").value = state.steps;
  $("pt-batch").value = state.batch;
  $("pt-length").value = state.length;
  $("pt-lr").value = state.lr;
  $("hard").value = state.hard;
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
  if (view === "theory" && engineReady) {
    theory.sync();
    theory.update();
  }
  redrawAll();
}

// ---------- errors beside controls ----------

/** Input ids for engine field names (longest prefix wins), so a refusal marks the right control. */
const FIELD_INPUTS = {
  random: { "source.alphas[0]": ["alpha-h"], "source.alphas[1]": ["alpha-t"], "source.alphas": ["alpha-h", "alpha-t"] },
  single: { "source.probs": ["bias"] },
  mixture: {
    "source.weights": ["weight-a", "weight-b"],
    "source.probs[0]": ["coin-a"],
    "source.probs[1]": ["coin-b"],
    "source.probs": ["coin-a", "coin-b"],
  },
  pretrain: {
    "model.embedding_dim": ["pt-width"],
    "model.hidden_sizes": ["pt-width"],
    "model.num_heads": ["pt-width"],
    "pretraining.steps": ["pt-steps"],
    "pretraining.batch_size": ["pt-batch"],
    "pretraining.sequence_length": ["pt-length"],
    "pretraining.learning_rate": ["pt-lr"],
    seed: ["pt-seed"],
  },
  prompt: PROMPT_FIELDS,
  theory: THEORY_FIELDS,
};

function fieldOf(message) {
  const m = /^invalid ([\w.[\]]+)/.exec(message);
  return m ? m[1] : null;
}

/** Shows `message` in the error line `errorId` and marks the inputs it names (of the group `group`). */
function showError(errorId, message, group) {
  $(errorId).textContent = message ?? "";
  if (!group) return;
  const map = FIELD_INPUTS[group];
  const all = new Set(Object.values(map).flat());
  const field = message ? fieldOf(message) : null;
  const key = field ? Object.keys(map).filter((k) => field.startsWith(k)).sort((a, b) => b.length - a.length)[0] : null;
  const bad = new Set(key ? map[key] : []);
  for (const id of all) {
    if (bad.has(id)) {
      $(id).setAttribute("aria-invalid", "true");
      $(id).setAttribute("aria-describedby", errorId);
    } else {
      $(id).removeAttribute("aria-invalid");
    }
  }
}

// ---------- models ----------

async function fetchModel(name) {
  const [c, w] = await Promise.all([fetch(`models/${name}/config.json`), fetch(`models/${name}/model.safetensors`)]);
  if (!c.ok || !w.ok) throw new Error(`could not load the ${name} model (models/${name}/: HTTP ${c.ok ? w.status : c.status})`);
  const config = await c.text();
  return { config, weights: new Uint8Array(await w.arrayBuffer()), steps: JSON.parse(config).pretraining?.steps };
}

function loadModel(name) {
  if (name === "mine") return mine ? Promise.resolve(mine) : Promise.reject(new Error("no network pretrained in this page yet"));
  if (!loaded.has(name)) {
    const p = fetchModel(name);
    p.catch(() => loaded.delete(name)); // a failed load is retried next time
    loaded.set(name, p);
  }
  return loaded.get(name);
}

function modelNote(name) {
  if (name === "mine" && mine) return `Your ${mine.arch} network, pretrained here for ${mine.steps} steps.`;
  return SHIPPED[name] ?? "";
}

// ---------- Predict view ----------

async function updatePredict() {
  if (!engineReady) return;
  const serial = ++renderSerial;
  const flips = state.flips;
  const source = S.sourceJson(state);
  const tuned = tunedPrefixes.get($("tuned-prefix").value) ?? null;
  // A hard prompt is read by exact Bayes too (it only counts); a tuned continuous prefix exists for the network only.
  const hard = tuned ? "" : state.hard;
  let bayes = null, posterior = null, sourceError = null;
  try {
    bayes = bayes_next(source, hard + flips).slice(hard.length);
    posterior = posterior_density(source, hard + flips, DENSITY_POINTS);
  } catch (e) {
    sourceError = messageOf(e);
  }
  showError("source-error", sourceError, state.source);

  let net = null, modelError = null, prefixError = null;
  const modelName = state.model;
  try {
    const model = await loadModel(modelName);
    if (serial !== renderSerial) return;
    const spec = tuned ? tuned.spec : hard ? JSON.stringify({ kind: "hard", tokens: hard }) : null;
    try {
      if (tuned && tuned.model !== modelName) throw new Error(`this prefix was tuned for the ${tuned.model} network: pick that network to use it`);
      net = model_predict(model.config, model.weights, flips, spec);
    } catch (e) {
      if (!spec) throw e;
      prefixError = messageOf(e);
    }
  } catch (e) {
    modelError = messageOf(e);
  }
  showError("prefix-error", prefixError);
  $("prefix-note").textContent = tuned
    ? `${tuned.note} Exact Bayes cannot read a continuous prefix, so its curve is the unprompted one.`
    : hard
      ? `Both the network and exact Bayes read the prompt ${[...hard].map((t) => "HT"[t]).join("")} (${hard.length} flips) before your flips.`
      : "";
  if (serial !== renderSerial) return;
  showError("model-error", modelError);
  $("model-note").textContent = modelNote(modelName);

  renderFlips(flips);
  const n = flips.length;
  const bayesP = bayes ? bayes[n][0] : NaN;
  const netP = net ? net[n][0] : NaN;
  $("bayes-p0").textContent = fmt(bayesP);
  $("net-p0").textContent = fmt(netP);
  $("diff-p0").textContent = Number.isFinite(bayesP) && Number.isFinite(netP) ? `${netP - bayesP >= 0 ? "+" : "−"}${Math.abs(netP - bayesP).toFixed(4)}` : "–";

  drawPredictive(flips, bayes, net);
  drawPosterior(posterior, netP);
  const readout = $("readout");
  readout.dataset.flips = flips;
  readout.dataset.model = modelName;
  readout.dataset.source = source;
  if (firstChartMs === null && bayes && net) {
    firstChartMs = performance.now();
    document.body.dataset.firstChartMs = firstChartMs.toFixed(0);
  }
}

function renderFlips(flips) {
  const heads = [...flips].filter((t) => t === "0").length;
  const n = flips.length;
  $("flip-summary").textContent = n === 0 ? "No flips yet." : `${n} flip${n === 1 ? "" : "s"}: ${heads} H, ${n - heads} T`;
  const shown = n > 400 ? `…${flips.slice(-400)}` : flips;
  $("flip-sequence").textContent = [...shown].map((t) => (t === "0" ? "H" : t === "1" ? "T" : t)).join("");
  $("flip-sequence").dataset.tokens = flips;
  $("undo").disabled = n === 0;
  $("reset").disabled = n === 0;
}

function drawPredictive(flips, bayes, net) {
  const n = flips.length;
  const lines = [];
  if (net) lines.push({ points: net.map((row, k) => [k, row[0]]), colour: COLOURS.network, markers: true });
  if (bayes) lines.push({ points: bayes.map((row, k) => [k, row[0]]), colour: COLOURS.bayes, dash: true, markers: true });
  chart("chart-predictive", {
    title: "P(next flip = H) after each flip: exact Bayes and the network",
    xLabel: "flips seen",
    yLabel: "P(next = H)",
    x: [0, Math.max(n, 4)],
    y: [0, 1],
    integerX: true,
    lines,
    strip: flips,
  });
  drawLegend($("legend-predictive"), [
    { label: "exact Bayes", colour: COLOURS.bayes, dash: true },
    { label: "network", colour: COLOURS.network },
  ]);
}

function drawPosterior(post, netP) {
  const note = $("posterior-note");
  if (!post) {
    chart("chart-posterior", { title: "posterior unavailable", xLabel: "bias P(H)", yLabel: "density", x: [0, 1], y: [0, 1], message: "no posterior: the source is invalid" });
    $("legend-posterior").replaceChildren();
    note.textContent = "Fix the source above to see the posterior.";
    return;
  }
  const vlines = [{ x: netP, colour: COLOURS.network }];
  const legend = [];
  if (post.kind === "beta") {
    const peak = Math.max(...post.density.filter(Number.isFinite));
    const top = Math.min(Math.max(peak * 1.1, 1.2), 1e6);
    const points = post.points.map((x, i) => [x, post.density[i]]);
    chart("chart-posterior", {
      title: `Beta(${post.a}, ${post.b}) posterior density of the bias`,
      xLabel: "bias P(H)", yLabel: "density", x: [0, 1], y: [0, top],
      areas: [{ points, colour: COLOURS.fill }],
      lines: [{ points, colour: COLOURS.bayes, width: 1.5 }],
      vlines: [{ x: post.mean, colour: COLOURS.bayes, dash: true }, ...vlines],
    });
    legend.push({ label: `Beta(${trim(post.a)}, ${trim(post.b)}) density`, colour: COLOURS.fill, kind: "area" });
    legend.push({ label: `mean ${fmt(post.mean)} = Bayes P(next = H)`, colour: COLOURS.bayes, dash: true });
    note.textContent = "Random Coins: the bias has a Beta prior; each H adds 1 to αH, each T adds 1 to αT.";
  } else if (post.kind === "mixture") {
    chart("chart-posterior", {
      title: "posterior weight of each coin",
      xLabel: "bias P(H)", yLabel: "posterior weight", x: [0, 1], y: [0, 1.12],
      bars: post.p0.map((p, i) => ({ x: p, y: post.weights[i], width: 0.03, colour: COLOURS.bayes, label: post.p0.length === 2 ? "AB"[i] : String(i + 1) })),
      vlines: [{ x: post.mean, colour: COLOURS.bayes, dash: true }, ...vlines],
    });
    legend.push({ label: `posterior weights ${post.weights.map(fmt).join(" / ")} (coin A / B)`, colour: COLOURS.bayes, kind: "bar" });
    legend.push({ label: `mean ${fmt(post.mean)} = Bayes P(next = H)`, colour: COLOURS.bayes, dash: true });
    note.textContent = "Two-Coin Mixture: the flips shift the weight towards the coin that explains them better.";
  } else {
    chart("chart-posterior", {
      title: "point mass: the bias is known",
      xLabel: "bias P(H)", yLabel: "probability", x: [0, 1], y: [0, 1],
      bars: [{ x: post.p0, y: 1, width: 0.02, colour: COLOURS.bayes }],
      vlines,
    });
    legend.push({ label: `known bias ${fmt(post.p0)} = Bayes P(next = H)`, colour: COLOURS.bayes, kind: "bar" });
    note.textContent = "Single Coin: the bias is known, so the flips teach Bayes nothing.";
  }
  legend.push({ label: "network P(next = H)", colour: COLOURS.network });
  drawLegend($("legend-posterior"), legend);
}

function trim(x) {
  return String(Number(x.toPrecision(6)));
}

function chart(id, spec) {
  lastCharts.set(id, spec);
  drawChart($(id), spec);
}

function redrawAll() {
  for (const [id, spec] of lastCharts) {
    const box = $(id);
    if (box.offsetParent !== null) drawChart(box, spec);
  }
}

function flip(token) {
  if (state.flips.length >= S.MAX_FLIPS) {
    $("draw-error").textContent = `At most ${S.MAX_FLIPS} flips; undo or reset first.`;
    return;
  }
  $("draw-error").textContent = "";
  commit({ flips: state.flips + token });
}

function draw() {
  try {
    const n = Number($("draw-n").value);
    const flips = random_tokens(S.sourceJson(state), n, BigInt(state.seed));
    $("draw-error").textContent = "";
    // The next draw uses the next seed, so pressing again gives new flips (and the link still reproduces these).
    const next = (BigInt(state.seed) + 1n) % 2n ** 64n;
    commit({ flips, n, seed: String(next) });
    for (const id of ["seed", "pt-seed", "t-seed"]) $(id).value = state.seed;
  } catch (e) {
    $("draw-error").textContent = messageOf(e);
  }
}

// ---------- Pretrain view ----------

const training = { worker: null, ready: null, running: false, invalid: false, losses: [], kl: [], total: 0, config: null };

function worker() {
  if (!training.worker) {
    training.worker = new Worker(new URL("./workers.js", import.meta.url), { type: "module" });
    training.worker.onmessage = (e) => onWorkerMessage(e.data);
    training.worker.onerror = (e) => {
      showError("pretrain-error", `the worker failed: ${e.message ?? "unknown error"}`);
      setRunning(false);
    };
  }
  return training.worker;
}

function setRunning(running) {
  training.running = running;
  $("pt-start").disabled = running || training.invalid;
  $("pt-stop").disabled = !running;
  $("pt-use").disabled = running || training.losses.length === 0;
}

function startPretraining() {
  showError("pretrain-error", null, "pretrain");
  training.losses = [];
  training.kl = [];
  training.config = S.pretrainConfigJson(state);
  $("pt-step").textContent = "starting…";
  for (const id of ["pt-loss", "pt-kl", "pt-speed"]) $(id).textContent = "–";
  setRunning(true);
  worker().postMessage({ type: "start", config: training.config });
  drawTraining();
}

let drawQueued = false;
function onWorkerMessage(msg) {
  if (msg.type === "progress") {
    training.total = msg.total;
    training.losses.push(...msg.losses);
    if (msg.kl) training.kl.push([msg.kl.step, msg.kl.value]);
    $("pt-step").textContent = `${msg.step} / ${msg.total}`;
    const last = training.losses[training.losses.length - 1];
    if (last !== undefined) {
      $("pt-loss").textContent = last.toFixed(3);
      $("pt-loss").dataset.value = String(last); // the exact loss, for tests and the curious
    }
    if (msg.kl) $("pt-kl").textContent = msg.kl.value.toFixed(4);
    if (msg.msPerStep) $("pt-speed").textContent = msg.msPerStep.toFixed(1);
    if (msg.workers) {
      $("pt-speed").dataset.workers = String(msg.workers);
      $("pt-speed-what").textContent = msg.workers > 1 ? `ms per step (${msg.workers} workers)` : "ms per step";
    }
    if (!drawQueued) {
      drawQueued = true;
      requestAnimationFrame(() => {
        drawQueued = false;
        drawTraining();
      });
    }
  } else if (msg.type === "done") {
    setRunning(false);
    $("status").textContent = `Pretraining ${msg.reason} after ${msg.step} of ${msg.total} steps.`;
  } else if (msg.type === "error") {
    showError("pretrain-error", msg.message, "pretrain");
    setRunning(false);
    $("pt-step").textContent = "–";
  } else if (msg.type === "model") {
    const arch = JSON.parse(msg.config).model.architecture === "transformer" ? "Transformer" : "LSTM";
    mine = { config: msg.config, weights: msg.weights, steps: msg.steps, arch };
    for (const select of ["model", "t-model"]) {
      const option = $(select).querySelector('option[value="mine"]');
      option.hidden = false;
      option.disabled = false;
      option.textContent = `Your ${arch} (${msg.steps} steps, from Pretrain)`;
    }
    commit({ view: "predict", model: "mine" });
    syncControls();
    $("status").textContent = `Your ${arch} network is selected in Predict.`;
  }
}

function drawTraining() {
  const n = training.losses.length;
  const [lo, hi] = extent(training.losses) ?? [0, 1];
  const pad = (hi - lo) * 0.05 || 1;
  chart("chart-loss", {
    title: "training loss per step",
    xLabel: "step", yLabel: "nats / sequence",
    x: [0, Math.max(training.total, n, 1)], y: [Math.max(0, lo - pad), hi + pad], integerX: true,
    lines: [{ points: seriesPoints(training.losses), colour: COLOURS.loss, width: 1.5 }],
    message: n === 0 ? (training.running ? "starting…" : "press Start pretraining") : undefined,
  });
  const kls = training.kl.map(([, v]) => v).filter((v) => Number.isFinite(v) && v > 0);
  const klHi = Math.max(0.1, ...kls);
  const klLo = Math.min(0.001, ...kls);
  chart("chart-kl", {
    title: "KL to the exact Bayes predictor on a held-out batch",
    xLabel: "step", yLabel: "nats / flip",
    x: [0, Math.max(training.total, n, 1)], y: [10 ** Math.floor(Math.log10(klLo)), 10 ** Math.ceil(Math.log10(klHi))], logY: true, integerX: true,
    lines: [
      { points: [[0, 0.01], [Math.max(training.total, n, 1), 0.01]], colour: COLOURS.axis, dash: true, width: 1 },
      { points: training.kl, colour: COLOURS.kl, markers: true },
    ],
    message: training.kl.length === 0 ? (training.running ? "starting…" : "press Start pretraining") : undefined,
  });
  drawLegend($("legend-kl"), [
    { label: "KL to Bayes", colour: COLOURS.kl },
    { label: "0.01: the shipped models are below", colour: COLOURS.axis, dash: true },
  ]);
}

// ---------- tuned prefixes → Predict ----------

/** Keeps each prefix tuner's best repetition (lowest mean loss over its last 10 steps) for the Predict view. */
function rememberPrefixes(last) {
  tunedPrefixes.clear();
  const select = $("tuned-prefix");
  select.replaceChildren(new Option("none", ""));
  const model = state.tmodel;
  for (const m of last.results.methods) {
    if (!["HardPT", "SimplexPT", "RealPT", "SoftPT"].includes(m.method)) continue;
    let best = null;
    m.repetitions.forEach((r, i) => {
      if (!r.prefix || r.diverged) return;
      const tail = r.tuning_loss.slice(-10);
      const score = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
      if (Number.isFinite(score) && (!best || score < best.score)) best = { r, i, score };
    });
    if (!best) continue;
    const rows = best.r.prefix;
    const spec = m.method === "HardPT"
      ? { kind: "hard", tokens: rows.map((row) => String(row.indexOf(Math.max(...row)))).join("") }
      : { kind: m.method === "SoftPT" ? "soft" : "real", rows };
    const label = `${m.method}, repetition ${best.i + 1}`;
    tunedPrefixes.set(label, {
      spec: JSON.stringify(spec),
      model,
      note: `The ${m.method} prefix (K = ${rows.length}) tuned for ${describeTarget()} on the ${model} network, repetition ${best.i + 1} of ${m.repetitions.length} (lowest final tuning loss).`,
    });
    select.append(new Option(`${label}${spec.kind === "hard" ? ` (${[...spec.tokens].map((t) => "HT"[t]).join("")})` : ""}`, label));
  }
  select.disabled = tunedPrefixes.size === 0;
}

function describeTarget() {
  if (state.tsource === "single") return `Single Coin ${state.tbias}`;
  if (state.tsource === "mixture") return `the mixture of coins ${state.tcoins.join(" / ")}`;
  return `Random Coins (${state.talphas.join(", ")})`;
}

// ---------- wiring ----------

function onPretrainInput(read) {
  return () => {
    try {
      Object.assign(state, read());
      writeHash();
      checkPretrain();
    } catch (e) {
      training.invalid = true;
      $("pt-start").disabled = true;
      showError("pretrain-error", messageOf(e), "pretrain");
    }
  };
}

/** Asks the engine whether the Pretrain controls make a valid run; a refusal shows beside them and Start waits. */
function checkPretrain() {
  if (!engineReady) return;
  try {
    check_config(S.pretrainConfigJson(state));
    training.invalid = false;
    showError("pretrain-error", null, "pretrain");
  } catch (e) {
    training.invalid = true;
    showError("pretrain-error", messageOf(e), "pretrain");
  }
  $("pt-start").disabled = training.running || training.invalid;
}

/** Applies a Theory view change: it edits the Prompt view's target and N_tune, so both views agree. */
function applyTheory(change) {
  Object.assign(state, change);
  writeHash();
  theory.sync();
  prompt.sync();
  theory.update();
  prompt.check();
}

function seedFrom(id) {
  const text = $(id).value.trim();
  if (!/^\d{1,20}$/.test(text) || BigInt(text) >= 2n ** 64n) throw new Error("seed: enter a whole number from 0 to 18446744073709551615");
  return String(BigInt(text));
}

function integerFrom(id, what) {
  const v = numberFrom(id, what);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${what}: enter a whole number`);
  return v;
}

function wire() {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener("click", () => {
      commit({ view: tab.dataset.view });
      showView(state.view);
    });
    tab.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const i = S.VIEWS.indexOf(state.view);
      const next = S.VIEWS[(i + (e.key === "ArrowRight" ? 1 : S.VIEWS.length - 1)) % S.VIEWS.length];
      commit({ view: next });
      showView(next);
      $(`tab-${next}`).focus();
    });
  }
  $("model").addEventListener("change", () => commit({ model: $("model").value }));

  $("flip-h").addEventListener("click", () => flip("0"));
  $("flip-t").addEventListener("click", () => flip("1"));
  $("undo").addEventListener("click", () => commit({ flips: state.flips.slice(0, -1) }));
  $("reset").addEventListener("click", () => commit({ flips: "" }));
  $("draw").addEventListener("click", draw);
  $("draw-n").addEventListener("input", () => {
    const n = $("draw-n").valueAsNumber;
    if (Number.isInteger(n) && n >= 0 && n <= 9_999_999) {
      state.n = n;
      writeHash();
    }
  });
  const seedInputs = { seed: "draw-error", "pt-seed": "pretrain-error", "t-seed": "prompt-error" };
  for (const [id, errorId] of Object.entries(seedInputs)) {
    $(id).addEventListener("input", () => {
      try {
        state.seed = seedFrom(id);
        for (const other of Object.keys(seedInputs)) if (other !== id) $(other).value = state.seed;
        $(errorId).textContent = "";
        writeHash();
        if (id === "t-seed") prompt.check();
      } catch (e) {
        $(errorId).textContent = messageOf(e);
      }
    });
  }

  $("hard").addEventListener("input", () => {
    const text = $("hard").value.trim().toUpperCase().replace(/H/g, "0").replace(/T/g, "1");
    if (!/^[01]{0,256}$/.test(text)) {
      showError("prefix-error", "hard prompt: type up to 256 flips as H/T or 0/1");
      return;
    }
    $("tuned-prefix").value = "";
    commit({ hard: text });
  });
  $("tuned-prefix").addEventListener("change", () => updatePredict());

  // Prompt view controls (its target controls are bound in prompt.js; the tuner boxes are built
  // once the engine has given their colours).
  const onPrompt = (read) => () => {
    try {
      prompt.change(read());
    } catch (e) {
      showError("prompt-error", messageOf(e), "prompt");
    }
  };
  $("t-model").addEventListener("change", () => prompt.change({ tmodel: $("t-model").value }));
  const integers = { "t-plen": ["plen", "prefix length K"], "t-steps": ["tsteps", "steps"], "t-reps": ["reps", "repetitions"], "t-batch": ["tbatch", "batch size"], "t-length": ["tlength", "flips per tuning sequence"], "e-length": ["elength", "flips per evaluation sequence"], "e-seqs": ["eseqs", "evaluation sequences"] };
  for (const [id, [key, what]] of Object.entries(integers)) {
    $(id).addEventListener("input", onPrompt(() => ({ [key]: integerFrom(id, what) })));
  }
  $("t-lr").addEventListener("input", onPrompt(() => ({ tlr: numberFrom("t-lr", "learning rate") })));
  // Theory view controls (its target controls are bound in theory.js).
  const onTheory = (read) => () => {
    try {
      applyTheory(read());
    } catch (e) {
      showError("theory-error", messageOf(e), "theory");
    }
  };
  $("th-steps").addEventListener("input", onTheory(() => ({ tlength: integerFrom("th-steps", "N flips scored") })));
  $("th-kmax").addEventListener("input", onTheory(() => ({ kmax: integerFrom("th-kmax", "longest prompt K") })));
  $("th-k-range").addEventListener("input", onTheory(() => ({ kshow: Number($("th-k-range").value) })));

  $("t-run").addEventListener("click", () => prompt.start());
  $("inside-run").addEventListener("click", () => prompt.start());
  $("t-cancel").addEventListener("click", () => prompt.cancel());

  $("pt-arch").addEventListener("change", onPretrainInput(() => ({ arch: $("pt-arch").value })));
  $("pt-width").addEventListener("input", onPretrainInput(() => ({ width: integerFrom("pt-width", "width") })));
  $("pt-steps").addEventListener("input", onPretrainInput(() => ({ steps: integerFrom("pt-steps", "steps") })));
  $("pt-batch").addEventListener("input", onPretrainInput(() => ({ batch: integerFrom("pt-batch", "batch size") })));
  $("pt-length").addEventListener("input", onPretrainInput(() => ({ length: integerFrom("pt-length", "flips per sequence") })));
  $("pt-lr").addEventListener("input", onPretrainInput(() => ({ lr: numberFrom("pt-lr", "learning rate") })));
  $("pt-start").addEventListener("click", startPretraining);
  $("pt-stop").addEventListener("click", () => training.worker?.postMessage({ type: "stop" }));
  $("pt-use").addEventListener("click", () => training.worker?.postMessage({ type: "export" }));

  document.addEventListener("keydown", (e) => {
    if (state.view !== "predict" || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.matches("input, select, textarea") || t.isContentEditable)) return;
    const key = e.key.toLowerCase();
    if (key === "h" || key === "0") flip("0");
    else if (key === "t" || key === "1") flip("1");
    else if (key === "u" || key === "backspace") commit({ flips: state.flips.slice(0, -1) });
    else return;
    e.preventDefault();
  });

  window.addEventListener("hashchange", () => {
    const embed = state.embed;
    readHash();
    // Embed mode hides the page chrome once, at load: a link that switches it starts afresh.
    if (state.embed !== embed) {
      location.reload();
      return;
    }
    syncControls();
    updatePredict();
    checkPretrain();
    prompt.sync();
    prompt.check();
    showView(state.view);
  });
  new ResizeObserver(() => redrawAll()).observe(document.querySelector("main"));
}

// ---------- embed mode ----------

/** With `embed=NAME` in the link, shows that one figure without page chrome (running the experiment first if it needs one). */
async function applyEmbed() {
  const name = state.embed;
  if (!name) return;
  document.body.classList.add("embed");
  const view = name === "predictive" || name === "posterior" ? "predict" : name.startsWith("pca_states") ? "inside" : "prompt";
  state.view = view;
  showView(view);
  if (view === "predict") {
    for (const fig of $("view-predict").querySelectorAll("figure")) fig.classList.toggle("embed-hidden", !fig.querySelector(`#chart-${name}`));
    redrawAll();
    return;
  }
  const status = $("status");
  status.classList.add("embed-wait");
  $("chart-tuning").closest("figure").classList.add("embed-hidden");
  await prompt.start();
  status.classList.remove("embed-wait");
  if (view === "inside") showView("inside");
  for (const el of [...$("t-figures").children, ...$("inside-figures").children]) {
    const stem = (el.dataset.name ?? "").replace(/\.svg$/, "");
    el.classList.toggle("embed-hidden", embedName(stem) !== name);
  }
}

async function main() {
  readHash();
  syncControls();
  wire();
  try {
    await init();
  } catch (e) {
    $("status").textContent = `Could not load the engine: ${messageOf(e)}`;
    return;
  }
  engineReady = true;
  prompt.buildMethodBoxes();
  prompt.sync();
  $("status").textContent = "Engine ready.";
  writeHash();
  await updatePredict();
  drawTraining();
  checkPretrain();
  prompt.drawLossChart();
  if (state.view === "theory") showView("theory");
  await prompt.check();
  document.body.dataset.ready = "true";
  for (const id of ["predictive", "posterior"]) {
    const fig = $(`chart-${id}`).closest("figure");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Embed link";
    button.className = "embed-button";
    button.addEventListener("click", () => showEmbedLink(fig, id));
    fig.append(button);
  }
  await applyEmbed();
}

main();
