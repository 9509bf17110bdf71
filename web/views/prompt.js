// The Prompt view: target and tuner controls, the worker-pool run with live loss curves and
// progress, then a regret table, the engine's own figures and the exports.
// Every number comes from the engine (check_experiment, the workers' sessions, assemble).
import { check_experiment, worse_than_baselines } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { ExperimentPool, poolSize } from "../pool.js";
import { drawLegend } from "../lib/legend.js";
import { tuningFigure } from "../lib/figures/tuning_loss.js";
import { $ } from "../lib/dom.js";
import { catalog } from "../lib/catalog.js";
import { download } from "../lib/download.js";
import { nats } from "../lib/format.js";
import { engineFigure, isStateFigure } from "../lib/engine_figure.js";
import { integerFrom, numberFrom } from "../lib/inputs.js";
import { messageOf, showError } from "../lib/messages.js";
import { styleOf } from "../lib/method_style.js";
import { explain, term } from "../lib/terms.js";
import { showMineOption } from "../lib/models.js";
import { watchOverflow } from "../lib/scroll_hint.js";
import { experimentWords } from "../lib/settings_words.js";
import { markStale, staleNote } from "../lib/stale.js";
import { floorSentence, keySteps, worseSentences } from "../lib/regret_words.js";
import { bindTarget } from "../lib/source_controls.js";
import { showStatus } from "../lib/status.js";
import { inWords } from "../lib/plain_errors.js";
import { createAskFirst, LOSS_WAITING, WAITING } from "../lib/ask_first.js";
import { runFileName } from "../lib/file_names.js";

/** Input ids for engine field names (longest prefix wins). */
const PROMPT_FIELDS = {
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

/** The whole-number inputs of the budget: input id → [state key, name in messages]. */
const INTEGER_INPUTS = {
  "t-plen": ["plen", "prefix length K"],
  "t-steps": ["tsteps", "steps"],
  "t-reps": ["reps", "repetitions"],
  "t-batch": ["tbatch", "batch size"],
  "t-length": ["tlength", "flips per tuning sequence"],
  "e-length": ["elength", "flips per evaluation sequence"],
  "e-seqs": ["eseqs", "evaluation sequences"],
};

/** The baselines every experiment runs besides the chosen tuners (the engine's catalog, without the oracle regret is measured against). */
function baselineMethods() {
  return catalog().filter((m) => m.kind === "baseline" && !m.oracle).map((m) => m.label);
}

/** The views whose status line tells of this view's runs (the Inside view shows the same run). */
const RUN_VIEWS = ["prompt", "inside"];

/**
 * The Prompt view's controller. `ctx` gives state(), save(change) (applies a change to the state
 * and the link), loadModel(name), chart(id, spec), onResults(run) (a run's results are in),
 * setRunDisabled(disabled) (the Inside view's Run button follows this view's) and onStale(then, now)
 * (the last run's settings and the controls', in words, after every change; then is null before a run and while one lasts).
 */
export function createPrompt(ctx) {
  const run = { pool: null, running: false, jobs: [], methods: [], losses: new Map(), done: new Map(), memory: new Map(), total: 0, last: null, serial: 0 };
  let drawQueued = false;
  // With ask=1 a run's results wait for the student's guess; a guess shows the last run's.
  const ask = createAskFirst({
    box: $("t-ask"),
    state: ctx.state,
    save: ctx.save,
    ran: () => Boolean(run.last),
    onChange: () => {
      // Drawn while hidden it had no width: drawn again as it shows.
      if (guardLoss()) queueLossChart();
      if (run.last) showResults(run.last);
      ctx.onGuess?.();
    },
  });
  const target = bindTarget({
    prefix: "t-",
    state: ctx.state,
    apply: (delta) => change(delta),
    fail: (e) => showError("prompt-error", e, PROMPT_FIELDS),
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
    $("t-seed").value = s.promptseed;
    for (const box of $("methods").querySelectorAll("input")) box.checked = s.methods.includes(box.value);
    ask.sync();
    if (guardLoss()) queueLossChart();
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
      explain(label, m, box);
      group.append(label);
      box.addEventListener("change", () => {
        const chosen = [...group.querySelectorAll("input:checked")].map((b) => b.value);
        change({ methods: S.METHODS.filter((x) => chosen.includes(x)) });
        ask.sync();
      });
    }
  }

  /** Applies a control change, then re-checks the plan with the engine. */
  function change(delta) {
    ctx.save(delta);
    check();
  }

  /** The controls' experiment settings in words (lib/settings_words.js). */
  const settingsNow = () => experimentWords(ctx.state(), $("t-model").selectedOptions[0]?.textContent ?? ctx.state().tmodel);

  /** Marks the last run's results out of date while the controls say other settings. */
  function markIfStale() {
    // While a run lasts the controls are locked and the new results are on their way: nothing is marked.
    const then = run.running ? null : (run.last?.settings ?? null);
    const now = settingsNow();
    const note = then ? staleNote({ then, now, what: "These results", action: "Press Run for the new settings." }) : null;
    markStale("t-stale", ["t-progress", "chart-tuning", "legend-tuning", "t-results"], note);
    ctx.onStale(then, now);
  }

  let checkSerial = 0;
  /** Asks the engine whether the current config is valid for the chosen network; marks what it refuses. */
  async function check() {
    const serial = ++checkSerial;
    markIfStale();
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
        : `${plan.methods.length} tuner${plan.methods.length === 1 ? "" : "s"} × ${s.reps} repetition${s.reps === 1 ? "" : "s"} = ${plan.jobs} jobs on ${workers} worker${workers === 1 ? "" : "s"}, plus the baselines ${inWords(baselineMethods())}.`;
      showError("prompt-error", null, PROMPT_FIELDS);
      setRunDisabled(run.running || plan.jobs === 0);
      return { plan, model };
    } catch (e) {
      if (serial !== checkSerial) return null;
      showError("prompt-error", e, PROMPT_FIELDS);
      $("t-plan").textContent = "";
      setRunDisabled(true);
      return null;
    }
  }

  function setRunDisabled(disabled) {
    $("t-run").disabled = disabled;
    ctx.setRunDisabled(disabled);
  }

  function setRunning(running) {
    run.running = running;
    setRunDisabled(running);
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
      name.append(term(m));
      const bar = document.createElement("progress");
      bar.max = reps * steps;
      bar.value = 0;
      bar.setAttribute("aria-label", `${m} progress`);
      bar.dataset.method = m;
      const note = document.createElement("span");
      note.className = "progress-note";
      note.dataset.testid = `progress-${m}`;
      note.textContent = m === "HardPT" ? `exhaustive search over every hard prefix, 0 / ${reps} repetitions done` : `0 / ${reps * steps} steps (${steps} per repetition)`;
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
    note.textContent = `${steps} / ${bar.max} steps (${bar.max / reps} per repetition), ${finished} / ${reps} repetitions done${diverged.length ? ` — ${diverged.join("; ")}` : ""}`;
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

  /** Asked first, the live tuning loss stays hidden until the guess is in, as the results do; true when it has just been shown. */
  function guardLoss() {
    const open = ask.open();
    // Called with every redraw of the live chart: the page changes only when the guess came or went.
    if (open === !$("t-loss-figure").hidden) return false;
    $("t-loss-figure").hidden = !open;
    $("t-loss-wait").hidden = open;
    $("t-loss-wait").textContent = open ? "" : LOSS_WAITING;
    return open;
  }

  function drawLossChart() {
    guardLoss();
    const steps = ctx.state().tsteps;
    const figure = tuningFigure({
      jobs: run.jobs, lossesOf: (job) => run.losses.get(job) ?? [], finished: (job) => run.done.has(job), total: run.total || steps, methods: run.methods, styleOf,
      message: run.jobs.length === 0 ? "press Run" : run.jobs.every((j) => (run.losses.get(j) ?? []).length === 0) ? "starting the workers…" : undefined,
    });
    ctx.chart("chart-tuning", figure.spec);
    drawLegend($("legend-tuning"), figure.legend);
  }

  /** Whether focus has fallen out of the page's controls (to the body, or onto a disabled or hidden one). */
  const focusLost = () => {
    const el = document.activeElement;
    return !el || el === document.body || el.disabled || el.offsetParent === null;
  };

  async function start() {
    if (run.running) return;
    // Run is disabled while the run lasts: focus moves to Cancel beside it, and back to Run at the end.
    const fromRun = document.activeElement === $("t-run");
    const checked = await check();
    if (!checked) return;
    const { plan, model } = checked;
    // The state the run is computed with, kept apart: its files are named after it, whatever the controls say later.
    if (run.guessUsed) {
      ctx.save({ gp: "" });
      ask.sync();
      run.guessUsed = false;
    }
    const s = structuredClone(ctx.state());
    const serial = ++run.serial;
    const settings = settingsNow();
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
    markIfStale();
    if (fromRun) $("t-cancel").focus();
    drawLossChart();
    const t0 = performance.now();
    showStatus(`Running ${plan.jobs} jobs on ${Math.min(poolSize(), plan.jobs)} workers…`, RUN_VIEWS);
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
      run.last = { ...out, seconds, hash: location.hash, settings, state: s };
      showResults(run.last);
      showStatus(`Experiment finished in ${seconds.toFixed(1)} s.`, RUN_VIEWS);
      ctx.onResults(run.last);
    } catch (e) {
      if (serial !== run.serial) return;
      const message = messageOf(e);
      if (message === "cancelled") showStatus("Experiment cancelled; the workers were stopped.", RUN_VIEWS);
      else showError("prompt-error", e, PROMPT_FIELDS);
    } finally {
      if (serial === run.serial) {
        const hadFocus = document.activeElement === $("t-cancel") || fromRun;
        setRunning(false);
        run.pool = null;
        await check();
        if (hadFocus && focusLost() && !$("t-run").disabled && serial === run.serial) $("t-run").focus();
      }
    }
  }

  function cancel() {
    if (!run.pool) return;
    run.pool.cancel();
    document.body.dataset.cancelled = String(Number(document.body.dataset.cancelled ?? 0) + 1);
  }

  /** File names of run `last`'s downloads in view `view`, after the state it was computed with. */
  const fileOf = (last, view) => (what, ext) => runFileName(view, last.state, what, ext);

  /** The regret table: median [q25, q75] cumulative regret of every method at the key steps. */
  function regretTable(results) {
    const table = document.createElement("table");
    table.className = "regret";
    table.dataset.testid = "regret-table";
    table.setAttribute("data-testid", "regret-table");
    const source = results.eval_sources[0];
    const keys = keySteps(results);
    const caption = document.createElement("caption");
    caption.textContent = `Cumulative regret against the oracle on "${source}" (nats; median over repetitions, 25–75 % in brackets)`;
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
      name.append(swatch, term(m.method));
      tr.append(name);
      for (const k of keys) {
        const td = document.createElement("td");
        const [med, q25, q75] = [sum.median[k - 1], sum.q25[k - 1], sum.q75[k - 1]];
        td.dataset.step = String(k);
        td.dataset.median = String(med);
        td.textContent = Number.isFinite(med) ? `${nats(med)} [${nats(q25)}, ${nats(q75)}]` : "diverged";
        tr.append(td);
      }
      table.append(tr);
    }
    return table;
  }

  /** What TargetBayes costs and which methods did worse than their reference, in words from the results. */
  function tableNotes(results) {
    const source = results.eval_sources[0];
    const notes = document.createElement("div");
    notes.className = "table-notes";
    const floor = document.createElement("p");
    floor.className = "note";
    floor.dataset.testid = "t-floor";
    floor.setAttribute("data-testid", "t-floor");
    floor.textContent = floorSentence(results, source) ?? "";
    const worse = document.createElement("ul");
    worse.className = "note worse";
    worse.setAttribute("data-testid", "t-worse");
    let findings = [];
    try {
      findings = worse_than_baselines(results, source);
    } catch (e) {
      showError("prompt-error", messageOf(e), PROMPT_FIELDS);
    }
    const sentences = worseSentences(findings, results.config.tuning.prefix_length);
    worse.dataset.findings = JSON.stringify(findings.map((w) => w.method));
    for (const text of sentences) {
      const li = document.createElement("li");
      li.textContent = text;
      worse.append(li);
    }
    notes.append(floor);
    if (sentences.length) notes.append(worse);
    return notes;
  }

  function showResults(last) {
    const { results, figures, csv } = last;
    // Asked first: the results stay behind the guess box until the guess is in.
    ask.say();
    $("t-wait").hidden = ask.open();
    $("t-wait").textContent = ask.open() ? "" : WAITING;
    $("t-results").hidden = !ask.open();
    // A guess is for one run: the next run asks again.
    run.guessUsed = ctx.state().ask === 1 && ask.open();
    $("t-guess-words").textContent = ask.open() ? ask.sentence(results) : "";
    $("t-guess-words").hidden = $("t-guess-words").textContent === "";
    const summary = $("t-summary");
    const diverged = results.methods.flatMap((m) => m.repetitions.map((r, i) => (r.diverged ? `${m.method} repetition ${i + 1} ${r.diverged.message}` : null)).filter(Boolean));
    summary.textContent = `Finished in ${last.seconds.toFixed(1)} s (engine total ${results.timings.total.toFixed(1)} s).${diverged.length ? ` Stopped: ${diverged.join("; ")}.` : ""}`;
    // What the results were computed with, so a screenshot or a printout carries its settings.
    $("t-settings").textContent = last.settings ? `Computed with ${Object.values(last.settings).join(", ")}.` : "";
    $("t-table").replaceChildren(regretTable(results));
    const box = $("t-figures");
    $("t-notes").replaceChildren(tableNotes(results));
    box.replaceChildren();
    for (const name of figures.map(([file]) => file)) {
      if (name === "pretraining_loss.svg" || isStateFigure(name)) continue;
      box.append(engineFigure(results, name, { fileName: fileOf(last, "prompt") }));
    }
    const name = fileOf(last, "prompt");
    $("t-csv").onclick = () => download(name("summary", "csv"), new Blob([csv], { type: "text/csv" }));
    $("t-json").onclick = () => download(name("results", "json"), new Blob([JSON.stringify(results)], { type: "application/json" }));
    box.dataset.csv = csv;
  }

  /** Reads a control into a change; a bad entry shows beside the controls. */
  const onInput = (read) => () => {
    try {
      change(read());
    } catch (e) {
      showError("prompt-error", e, PROMPT_FIELDS);
    }
  };
  $("t-model").addEventListener("change", () => change({ tmodel: $("t-model").value }));
  for (const [id, [key, what]] of Object.entries(INTEGER_INPUTS)) {
    $(id).addEventListener("input", onInput(() => ({ [key]: integerFrom(id, what) })));
  }
  $("t-lr").addEventListener("input", onInput(() => ({ tlr: numberFrom("t-lr", "learning rate") })));
  $("t-run").addEventListener("click", () => start());
  watchOverflow("t-table", "t-table-hint");
  $("t-cancel").addEventListener("click", () => cancel());

  return {
    sync,
    check,
    start,
    buildMethodBoxes,
    drawLossChart,
    offerMine: (net) => showMineOption($("t-model"), net),
    get last() { return run.last; },
    resultsOpen: () => ask.open(),
    fileOf,
  };
}
