// The Prompt and Inside views: target and tuner controls, the worker-pool run with live
// loss curves and progress, then the engine's own figures, a regret table and exports.
// Every number comes from the engine (check_experiment, the workers' sessions, assemble).
import { check_experiment, method_style } from "./pkg/promptlab.js";
import * as S from "./state.js";
import { ExperimentPool, poolSize } from "./pool.js";
import { extent, seriesPoints } from "./charts.js";
import { bindTarget } from "./source_controls.js";

const $ = (id) => document.getElementById(id);
const messageOf = (e) => (e instanceof Error ? e.message : String(e));

/** Input ids for engine field names (longest prefix wins). */
export const PROMPT_FIELDS = {
  "tuning.source.probs[0]": ["t-bias", "t-coin-a"],
  "tuning.source.probs[1]": ["t-coin-b"],
  "tuning.source.probs": ["t-bias", "t-coin-a", "t-coin-b"],
  "tuning.source.weights": ["t-weight-a", "t-weight-b"],
  "tuning.source.alphas[0]": ["t-alpha-h"],
  "tuning.source.alphas[1]": ["t-alpha-t"],
  "tuning.source.alphas": ["t-alpha-h", "t-alpha-t"],
  "tuning.prefix_length": ["t-plen"],
  "tuning.steps": ["t-steps"],
  "tuning.repetitions": ["t-reps"],
  "tuning.batch_size": ["t-batch"],
  "tuning.sequence_length": ["t-length"],
  "tuning.learning_rate": ["t-lr"],
  "tuning.methods": ["methods"],
  "evaluation.sequence_length": ["e-length"],
  "evaluation.num_sequences": ["e-seqs"],
  memory: ["t-batch", "e-seqs", "e-length"],
  seed: ["t-seed"],
};

/** Human captions of the engine's figure files (by name prefix). */
const CAPTIONS = [
  ["regret_cumulative", "Cumulative regret against TargetBayes (nats), median and 25–75 % band"],
  ["regret_instant", "Regret per flip against TargetBayes (nats / flip)"],
  ["bars", "Cumulative regret at N_tune, N_train and N_eval"],
  ["tuning_loss", "Tuning loss of every repetition"],
  ["hard_prefix_ranking", "Best hard prefixes: the network (HardPT) and exact Bayes (PreBayesPT)"],
  ["pca_states_by_step", "Internal states in the PCA plane, coloured by position in the sequence"],
  ["pca_states", "Internal states in the PCA plane, coloured by the coin's bias, with the tuned prefixes"],
  ["pretraining_loss", "Pretraining loss of the network"],
];

const styles = new Map();
/** The engine's colour and dash of a method label (one per label, as in every figure). */
export function styleOf(label) {
  if (!styles.has(label)) styles.set(label, method_style(label));
  return styles.get(label);
}

/**
 * The Prompt view's controller. `ctx` gives it the page's shared pieces:
 * state(), commit(change), loadModel(name), chart(id, spec), drawLegend(el, items),
 * showError(errorId, message, group), onResults(run) and status(text).
 */
export function createPrompt(ctx) {
  const run = { pool: null, running: false, jobs: [], methods: [], losses: new Map(), done: new Map(), memory: new Map(), total: 0, last: null, serial: 0 };
  let drawQueued = false;
  const target = bindTarget({
    prefix: "t-",
    state: ctx.state,
    apply: (delta) => change(delta),
    fail: (message) => ctx.showError("prompt-error", message, "prompt"),
  });

  function sync() {
    const s = ctx.state();
    target.sync();
    $("t-model").value = s.tmodel;
    $("t-plen").value = s.plen;
    $("t-steps").value = s.tsteps;
    $("t-reps").value = s.reps;
    $("t-batch").value = s.tbatch;
    $("t-length").value = s.tlength;
    $("t-lr").value = s.tlr;
    $("e-length").value = s.elength;
    $("e-seqs").value = s.eseqs;
    $("t-seed").value = s.seed;
    for (const box of $("methods").querySelectorAll("input")) box.checked = s.methods.includes(box.value);
  }

  function buildMethodBoxes() {
    const group = $("methods");
    group.replaceChildren();
    for (const m of S.METHODS) {
      const label = document.createElement("label");
      label.className = "method";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = m;
      box.dataset.testid = `method-${m}`;
      box.setAttribute("data-testid", `method-${m}`);
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = styleOf(m).colour;
      const name = document.createElement("span");
      name.textContent = m;
      label.append(box, swatch, name);
      group.append(label);
      box.addEventListener("change", () => {
        const chosen = [...group.querySelectorAll("input:checked")].map((b) => b.value);
        change({ methods: S.METHODS.filter((x) => chosen.includes(x)) });
      });
    }
  }

  /** Applies a control change, then re-checks the plan with the engine. */
  function change(delta) {
    ctx.commit(delta);
    check();
  }

  let checkSerial = 0;
  /** Asks the engine whether the current config is valid for the chosen network; marks what it refuses. */
  async function check() {
    const serial = ++checkSerial;
    const s = ctx.state();
    try {
      const model = await ctx.loadModel(s.tmodel);
      if (serial !== checkSerial) return null;
      const plan = check_experiment(S.experimentConfigJson(s), model.config);
      for (const box of $("methods").querySelectorAll("input")) {
        const ok = plan.applicable.includes(box.value);
        // A ticked box that no longer applies stays enabled, so it can be unticked.
        box.disabled = (!ok && !box.checked) || run.running;
        box.closest("label").title = ok ? "" : `${box.value} does not apply to this network`;
      }
      const workers = Math.min(poolSize(), plan.jobs);
      $("t-plan").textContent = plan.jobs === 0
        ? "Pick at least one tuner."
        : `${plan.methods.length} tuner${plan.methods.length === 1 ? "" : "s"} × ${s.reps} repetition${s.reps === 1 ? "" : "s"} = ${plan.jobs} jobs on ${workers} worker${workers === 1 ? "" : "s"}, plus the baselines NoTuning, RandomPF, TargetBayes, PreBayes and PreBayesPT.`;
      ctx.showError("prompt-error", null, "prompt");
      for (const id of ["t-run", "inside-run"]) $(id).disabled = run.running || plan.jobs === 0;
      return { plan, model };
    } catch (e) {
      if (serial !== checkSerial) return null;
      ctx.showError("prompt-error", messageOf(e), "prompt");
      $("t-plan").textContent = "";
      for (const id of ["t-run", "inside-run"]) $(id).disabled = true;
      return null;
    }
  }

  function setRunning(running) {
    run.running = running;
    for (const id of ["t-run", "inside-run"]) $(id).disabled = running;
    $("t-cancel").disabled = !running;
    for (const el of document.querySelectorAll("#target-controls select, #target-controls input, #tuner-controls input")) el.disabled = running;
    document.body.dataset.promptRunning = String(running);
  }

  /** Progress rows, one per method: a bar over all its repetitions' steps. */
  function buildProgress(methods, reps, steps) {
    const list = $("t-progress");
    list.replaceChildren();
    for (const m of methods) {
      const row = document.createElement("div");
      row.className = "progress-row";
      const name = document.createElement("span");
      name.className = "method-name";
      name.style.borderColor = styleOf(m).colour;
      name.textContent = m;
      const bar = document.createElement("progress");
      bar.max = reps * steps;
      bar.value = 0;
      bar.setAttribute("aria-label", `${m} progress`);
      bar.dataset.method = m;
      const note = document.createElement("span");
      note.className = "progress-note";
      note.dataset.testid = `progress-${m}`;
      note.textContent = m === "HardPT" ? `exhaustive search over every hard prefix, 0 / ${reps} repetitions done` : `0 / ${reps * steps} steps`;
      row.append(name, bar, note);
      list.append(row);
    }
  }

  function updateProgress(method) {
    const bar = $("t-progress").querySelector(`progress[data-method="${CSS.escape(method)}"]`);
    const note = $("t-progress").querySelector(`[data-testid="progress-${CSS.escape(method)}"]`);
    if (!bar || !note) return;
    let steps = 0;
    let finished = 0;
    for (const job of run.jobs) {
      if (job.method !== method) continue;
      steps += run.losses.get(job)?.length ?? 0;
      if (run.done.has(job)) finished += 1;
    }
    const reps = run.jobs.filter((j) => j.method === method).length;
    if (method === "HardPT") {
      // An exhaustive search, not a descent: progress counts finished repetitions.
      bar.max = reps;
      bar.value = finished;
      note.textContent = `exhaustive search over every hard prefix, ${finished} / ${reps} repetitions done`;
      return;
    }
    bar.value = steps;
    const diverged = [...run.done].filter(([j, r]) => j.method === method && r.diverged).sort(([a], [b]) => a.repetition - b.repetition).map(([j, r]) => `repetition ${j.repetition + 1} ${r.diverged.message}`);
    note.textContent = `${steps} / ${bar.max} steps, ${finished} / ${reps} repetitions done${diverged.length ? ` — ${diverged.join("; ")}` : ""}`;
    if (diverged.length) note.classList.add("warning-text");
  }

  /** The engine's memory in the largest worker (wasm linear memory, which never shrinks: flat means no leak). */
  function showMemory() {
    const bytes = Math.max(...run.memory.values());
    const el = $("t-memory");
    el.dataset.bytes = String(bytes);
    el.textContent = `Engine memory: ${(bytes / 1048576).toFixed(1)} MB in the largest of ${run.memory.size} worker${run.memory.size === 1 ? "" : "s"}.`;
  }

  function queueLossChart() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      drawLossChart();
    });
  }

  function drawLossChart() {
    const lines = [];
    let lo = Infinity, hi = -Infinity;
    for (const job of run.jobs) {
      const losses = run.losses.get(job) ?? [];
      const style = styleOf(job.method);
      lines.push({ points: seriesPoints(losses), colour: style.colour, dash: Boolean(style.dash), width: 1.2 });
      const range = extent(losses);
      if (range) { lo = Math.min(lo, range[0]); hi = Math.max(hi, range[1]); }
    }
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    const pad = (hi - lo) * 0.05 || 1;
    const steps = ctx.state().tsteps;
    ctx.chart("chart-tuning", {
      title: "tuning loss per step, every job",
      xLabel: "tuning step", yLabel: "nats / sequence",
      x: [0, Math.max(run.total || steps, 1)], y: [Math.max(0, lo - pad), hi + pad], integerX: true,
      lines,
      message: run.jobs.length === 0 ? "press Run" : lines.every((l) => l.points.length === 0) ? "starting the workers…" : undefined,
    });
    const methods = run.methods;
    ctx.drawLegend($("legend-tuning"), methods.map((m) => ({ label: m, colour: styleOf(m).colour, dash: Boolean(styleOf(m).dash) })));
  }

  async function start() {
    if (run.running) return;
    const checked = await check();
    if (!checked) return;
    const { plan, model } = checked;
    const s = ctx.state();
    const serial = ++run.serial;
    run.jobs = plan.order; // the engine's order: long jobs first, so the workers finish together
    run.methods = plan.methods; // display order
    run.losses = new Map(run.jobs.map((j) => [j, []]));
    run.done = new Map();
    run.memory = new Map();
    $("t-memory").textContent = "";
    run.total = s.tsteps;
    run.pool = new ExperimentPool();
    $("t-results").hidden = true;
    buildProgress(plan.methods, s.reps, s.tsteps);
    setRunning(true);
    drawLossChart();
    const t0 = performance.now();
    ctx.status(`Running ${plan.jobs} jobs on ${Math.min(poolSize(), plan.jobs)} workers…`);
    try {
      const out = await run.pool.run({
        config: S.experimentConfigJson(s),
        modelConfig: model.config,
        weights: model.weights,
        jobs: run.jobs,
        onProgress: (job, _step, _total, losses, { worker, wasmBytes }) => {
          run.losses.get(job).push(...losses);
          run.memory.set(worker, wasmBytes);
          updateProgress(job.method);
          showMemory();
          queueLossChart();
        },
        onJob: (job, rep) => {
          run.done.set(job, rep);
          // The engine's own record of every applied step (progress messages are throttled and stop at a divergence).
          if (rep.tuning_loss.length > 0 || rep.diverged) run.losses.set(job, [...rep.tuning_loss]);
          queueLossChart();
          updateProgress(job.method);
        },
      });
      if (serial !== run.serial) return;
      const seconds = (performance.now() - t0) / 1000;
      document.body.dataset.runSeconds = seconds.toFixed(2);
      run.last = { ...out, seconds, hash: location.hash };
      showResults(run.last);
      ctx.status(`Experiment finished in ${seconds.toFixed(1)} s.`);
      ctx.onResults(run.last);
    } catch (e) {
      if (serial !== run.serial) return;
      const message = messageOf(e);
      if (message === "cancelled") ctx.status("Experiment cancelled; the workers were stopped.");
      else ctx.showError("prompt-error", message, "prompt");
    } finally {
      if (serial === run.serial) {
        setRunning(false);
        run.pool = null;
        check();
      }
    }
  }

  function cancel() {
    if (!run.pool) return;
    run.pool.cancel();
    document.body.dataset.cancelled = String(Number(document.body.dataset.cancelled ?? 0) + 1);
  }

  /** The regret table: median [q25, q75] cumulative regret of every method at the key steps. */
  function regretTable(results) {
    const table = document.createElement("table");
    table.className = "regret";
    table.dataset.testid = "regret-table";
    table.setAttribute("data-testid", "regret-table");
    const source = results.eval_sources[0];
    const keys = [...new Set([results.key_steps.tune, results.key_steps.train, results.key_steps.eval])].filter((k) => k >= 1 && k <= results.key_steps.eval);
    const caption = document.createElement("caption");
    caption.textContent = `Cumulative regret on "${source}" (nats; median over repetitions, 25–75 % in brackets)`;
    const head = document.createElement("tr");
    for (const h of ["method", ...keys.map((k) => `after ${k} flips`)]) {
      const th = document.createElement("th");
      th.textContent = h;
      th.scope = "col";
      head.append(th);
    }
    table.append(caption, head);
    for (const m of results.methods) {
      const sum = m.summary[source];
      if (!sum) continue;
      const tr = document.createElement("tr");
      tr.dataset.method = m.method;
      const name = document.createElement("th");
      name.scope = "row";
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = styleOf(m.method).colour;
      name.append(swatch, document.createTextNode(m.method));
      tr.append(name);
      for (const k of keys) {
        const td = document.createElement("td");
        const [med, q25, q75] = [sum.median[k - 1], sum.q25[k - 1], sum.q75[k - 1]];
        td.dataset.step = String(k);
        td.dataset.median = String(med);
        td.textContent = Number.isFinite(med) ? `${med.toFixed(3)} [${q25.toFixed(3)}, ${q75.toFixed(3)}]` : "diverged";
        tr.append(td);
      }
      table.append(tr);
    }
    return table;
  }

  function showResults(last) {
    const { results, figures, csv } = last;
    $("t-results").hidden = false;
    const summary = $("t-summary");
    const diverged = results.methods.flatMap((m) => m.repetitions.map((r, i) => (r.diverged ? `${m.method} repetition ${i + 1} ${r.diverged.message}` : null)).filter(Boolean));
    summary.textContent = `Finished in ${last.seconds.toFixed(1)} s (engine total ${results.timings.total.toFixed(1)} s).${diverged.length ? ` Stopped: ${diverged.join("; ")}.` : ""}`;
    const box = $("t-figures");
    box.replaceChildren(regretTable(results));
    const inside = $("inside-figures");
    inside.replaceChildren();
    for (const [name, svg] of figures) {
      if (name === "pretraining_loss.svg") continue;
      const fig = engineFigure(name, svg);
      (name.startsWith("pca_states") ? inside : box).append(fig);
    }
    $("inside-empty").hidden = figures.some(([n]) => n.startsWith("pca_states"));
    $("t-csv").onclick = () => download("summary.csv", new Blob([csv], { type: "text/csv" }));
    $("t-json").onclick = () => download("results.json", new Blob([JSON.stringify(results)], { type: "application/json" }));
    box.dataset.csv = csv;
  }

  return {
    sync,
    check,
    start,
    cancel,
    buildMethodBoxes,
    change,
    drawLossChart,
    get last() { return run.last; },
    get running() { return run.running; },
  };
}

/** A figure of the engine's SVG, shown as an image (no markup from data enters the page) with SVG and PNG downloads. */
export function engineFigure(name, svg) {
  const fig = document.createElement("figure");
  fig.className = "engine-figure";
  fig.dataset.name = name;
  const stem = name.replace(/\.svg$/, "");
  const caption = document.createElement("figcaption");
  caption.textContent = CAPTIONS.find(([prefix]) => stem.startsWith(prefix))?.[1] ?? stem;
  const img = document.createElement("img");
  const blob = new Blob([svg], { type: "image/svg+xml" });
  img.src = URL.createObjectURL(blob);
  img.alt = caption.textContent;
  img.dataset.testid = `figure-${stem}`;
  img.setAttribute("data-testid", `figure-${stem}`);
  const buttons = document.createElement("div");
  buttons.className = "buttons exports";
  const svgButton = document.createElement("button");
  svgButton.type = "button";
  svgButton.textContent = "SVG";
  svgButton.setAttribute("aria-label", `Download ${stem} as SVG`);
  svgButton.addEventListener("click", () => download(name, blob));
  const pngButton = document.createElement("button");
  pngButton.type = "button";
  pngButton.textContent = "PNG";
  pngButton.setAttribute("aria-label", `Download ${stem} as PNG`);
  pngButton.addEventListener("click", () => pngOf(img).then((png) => download(`${stem}.png`, png)));
  const embedButton = document.createElement("button");
  embedButton.type = "button";
  embedButton.textContent = "Embed link";
  embedButton.setAttribute("aria-label", `Show a link that embeds ${stem} alone`);
  embedButton.addEventListener("click", () => showEmbedLink(fig, stem));
  buttons.append(svgButton, pngButton, embedButton);
  fig.append(caption, img, buttons);
  return fig;
}

/** Figure names an embed link can ask for (S.FIGURES), longest first for prefix matching. */
const FIGURE_STEMS = [...S.FIGURES].sort((a, b) => b.length - a.length);

/** The embed name of an engine figure file stem (e.g. regret_cumulative_target → regret_cumulative). */
export function embedName(stem) {
  return FIGURE_STEMS.find((f) => stem === f || stem.startsWith(`${f}_`)) ?? null;
}

/** Shows, under `fig`, a link to this page showing only figure `name` (for an iframe). */
export function showEmbedLink(fig, stem) {
  const name = embedName(stem);
  if (!name) return;
  let box = fig.querySelector("input.embed-link");
  if (!box) {
    box = document.createElement("input");
    box.className = "embed-link";
    box.readOnly = true;
    box.setAttribute("aria-label", "Embed link");
    box.setAttribute("data-testid", "embed-link");
    fig.append(box);
  }
  const url = new URL(location.href);
  const hash = url.hash.replace(/^#/, "").split("&").filter((p) => p && !p.startsWith("embed=") && !p.startsWith("view="));
  url.hash = [...hash, `embed=${name}`].join("&");
  box.value = `<iframe src="${url.href}" width="640" height="440" style="border:0" title="promptlab: ${name}"></iframe>`;
  box.select();
}

/** Rasterises an image at twice its size. */
export function pngOf(img) {
  return new Promise((resolve, reject) => {
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, img.naturalWidth * scale);
    canvas.height = Math.max(1, img.naturalHeight * scale);
    const g = canvas.getContext("2d");
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("could not draw the PNG"))), "image/png");
  });
}

/** Saves a blob under `name` through a temporary link. */
export function download(name, blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
