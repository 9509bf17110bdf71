// The Pretrain view: a fresh network trained in a background worker (with a helper on a second
// core), its live loss and KL to exact Bayes, and handing the result to the other views.
import { check_config } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { drawLegend } from "../lib/legend.js";
import { $ } from "../lib/dom.js";
import { klFigure, lossFigure } from "../lib/figures/pretrain_curves.js";
import { nats } from "../lib/format.js";
import { integerFrom, numberFrom } from "../lib/inputs.js";
import { showError } from "../lib/messages.js";
import { pretrainWords } from "../lib/settings_words.js";
import { markStale, staleNote } from "../lib/stale.js";
import { showStatus } from "../lib/status.js";
import { chartButtons } from "../lib/chart_download.js";
import { runFileName } from "../lib/file_names.js";

/** Input ids for engine field names (longest prefix wins). */
const PRETRAIN_FIELDS = {
  "model.embedding_dim": ["pt-width"],
  "model.hidden_sizes": ["pt-width"],
  "model.num_heads": ["pt-width"],
  "pretraining.steps": ["pt-steps"],
  "pretraining.batch_size": ["pt-batch"],
  "pretraining.sequence_length": ["pt-length"],
  "pretraining.learning_rate": ["pt-lr"],
  seed: ["pt-seed"],
};

/**
 * The Pretrain view's controller. `ctx` gives state(), save(change) (applies a change to the state
 * and the link), ready() (the engine is loaded), chart(id, spec) and useNetwork(net), which makes
 * the network pretrained here ({config, weights, steps, arch}) the page's own.
 */
export function createPretrain(ctx) {
  const training = { worker: null, running: false, invalid: false, losses: [], kl: [], total: 0, config: null, settings: null, state: null };
  let drawQueued = false;

  function sync() {
    const s = ctx.state();
    $("pt-seed").value = s.pretrainseed;
    $("pt-arch").value = s.arch;
    $("pt-width").value = s.width;
    $("pt-steps").value = s.steps;
    $("pt-batch").value = s.batch;
    $("pt-length").value = s.length;
    $("pt-lr").value = s.lr;
  }

  function worker() {
    if (!training.worker) {
      training.worker = new Worker(new URL("../workers/pretrain.js", import.meta.url), { type: "module" });
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

  function start() {
    showError("pretrain-error", null, PRETRAIN_FIELDS);
    training.losses = [];
    training.kl = [];
    training.config = S.pretrainConfigJson(ctx.state());
    training.settings = settingsNow();
    training.state = structuredClone(ctx.state());
    $("pt-step").textContent = "starting…";
    for (const id of ["pt-loss", "pt-kl", "pt-speed"]) $(id).textContent = "–";
    setRunning(true);
    markIfStale();
    worker().postMessage({ type: "start", config: training.config });
    draw();
  }

  function onWorkerMessage(msg) {
    if (msg.type === "progress") {
      training.total = msg.total;
      training.losses.push(...msg.losses);
      if (msg.kl) training.kl.push([msg.kl.step, msg.kl.value]);
      $("pt-step").textContent = `${msg.step} / ${msg.total}`;
      const last = training.losses[training.losses.length - 1];
      if (last !== undefined) {
        $("pt-loss").textContent = nats(last);
        $("pt-loss").dataset.value = String(last); // the exact loss, for tests and the curious
      }
      if (msg.kl) $("pt-kl").textContent = nats(msg.kl.value);
      if (msg.msPerStep) $("pt-speed").textContent = msg.msPerStep.toFixed(1);
      if (msg.workers) {
        $("pt-speed").dataset.workers = String(msg.workers);
        $("pt-speed-what").textContent = msg.workers > 1 ? `ms per step (${msg.workers} workers)` : "ms per step";
      }
      if (!drawQueued) {
        drawQueued = true;
        requestAnimationFrame(() => {
          drawQueued = false;
          draw();
        });
      }
    } else if (msg.type === "done") {
      setRunning(false);
      markIfStale();
      showStatus(`Pretraining ${msg.reason} after ${msg.step} of ${msg.total} steps.`, ["pretrain"]);
    } else if (msg.type === "error") {
      showError("pretrain-error", msg.problem ?? msg.message, PRETRAIN_FIELDS);
      setRunning(false);
      $("pt-step").textContent = "–";
    } else if (msg.type === "model") {
      const arch = JSON.parse(msg.config).model.architecture === "transformer" ? "Transformer" : "LSTM";
      ctx.useNetwork({ config: msg.config, weights: msg.weights, steps: msg.steps, arch });
      showStatus(`Your ${arch} network is selected in Predict.`, ["predict"]);
    }
  }

  /** The loss and KL charts of the current (or last) run. */
  function draw() {
    const { losses, kl, total, running } = training;
    ctx.chart("chart-loss", lossFigure({ losses, total, running }).spec);
    const figure = klFigure({ kl, steps: losses.length, total, running });
    ctx.chart("chart-kl", figure.spec);
    drawLegend($("legend-kl"), figure.legend);
  }

  /** The controls' training settings in words (lib/settings_words.js). */
  const settingsNow = () => pretrainWords(ctx.state(), $("pt-arch").selectedOptions[0]?.textContent ?? ctx.state().arch);

  /** Marks the curves and numbers out of date while the controls say other settings than the run's (not while it runs). */
  function markIfStale() {
    const shown = !training.running && training.settings && training.losses.length > 0;
    const note = shown ? staleNote({ then: training.settings, now: settingsNow(), what: "These curves", action: "Press Start pretraining for the new settings." }) : null;
    markStale("pt-stale", ["pt-readout", "pt-figures"], note);
  }

  /** Asks the engine whether the controls make a valid run; a refusal shows beside them and Start waits. */
  function check() {
    markIfStale();
    if (!ctx.ready()) return;
    try {
      check_config(S.pretrainConfigJson(ctx.state()));
      training.invalid = false;
      showError("pretrain-error", null, PRETRAIN_FIELDS);
    } catch (e) {
      training.invalid = true;
      showError("pretrain-error", e, PRETRAIN_FIELDS);
    }
    $("pt-start").disabled = training.running || training.invalid;
  }

  /** Reads a control into a change, then checks the run; a bad entry shows beside the controls. */
  const onInput = (read) => () => {
    try {
      ctx.save(read());
      check();
    } catch (e) {
      training.invalid = true;
      $("pt-start").disabled = true;
      showError("pretrain-error", e, PRETRAIN_FIELDS);
    }
  };
  $("pt-arch").addEventListener("change", onInput(() => ({ arch: $("pt-arch").value })));
  $("pt-width").addEventListener("input", onInput(() => ({ width: integerFrom("pt-width", "width") })));
  $("pt-steps").addEventListener("input", onInput(() => ({ steps: integerFrom("pt-steps", "steps") })));
  $("pt-batch").addEventListener("input", onInput(() => ({ batch: integerFrom("pt-batch", "batch size") })));
  $("pt-length").addEventListener("input", onInput(() => ({ length: integerFrom("pt-length", "flips per sequence") })));
  $("pt-lr").addEventListener("input", onInput(() => ({ lr: numberFrom("pt-lr", "learning rate") })));
  // The curves' downloads are named after the run they show (before any run, after the controls).
  for (const [id, what, stem] of [["chart-loss", "the training loss chart", "loss"], ["chart-kl", "the KL chart", "kl"]]) {
    $(id).closest("figure").append(chartButtons($(id), what, (ext) => runFileName("pretrain", training.state ?? ctx.state(), stem, ext)));
  }
  $("pt-start").addEventListener("click", start);
  $("pt-stop").addEventListener("click", () => training.worker?.postMessage({ type: "stop" }));
  $("pt-use").addEventListener("click", () => training.worker?.postMessage({ type: "export" }));

  return { sync, check, draw };
}
