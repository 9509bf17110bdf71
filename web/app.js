// promptlab page logic: wires the wasm engine (pkg/promptlab.js) to the controls; all text via textContent.
import init, { bayes_predict, Trainer } from "./pkg/promptlab.js";

const $ = (id) => document.getElementById(id);
const SLICE_MS = 50; // Work per setTimeout slice, so the page stays responsive.

let trainer = null;
let stopRequested = false;

/** Shows `message` (or clears it) in the error line beside a control. */
function showError(id, message) {
  $(id).textContent = message ?? "";
}

/** The message of anything thrown (a JS Error from the engine, or a JSON.parse error). */
function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}

/** One table row of cells; `header` makes them th. */
function row(cells, header = false) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const cell = document.createElement(header ? "th" : "td");
    cell.textContent = c;
    tr.append(cell);
  }
  return tr;
}

/** Recomputes the prediction table from the source and tokens boxes. */
function updatePredictions() {
  const table = $("predict-table");
  const tokens = $("tokens").value;
  let steps, network = null;
  try {
    steps = bayes_predict($("source").value, tokens);
    if (trainer) network = trainer.model_probs(tokens);
    showError("predict-error", null);
  } catch (e) {
    showError("predict-error", messageOf(e));
    return;
  }
  const digits = tokens.replace(/[\s,]/g, "");
  const v = steps.length ? steps[0].probs.length : 0;
  const head = ["step", "token"];
  for (let i = 0; i < v; i++) head.push(`Bayes P(${i})`);
  if (network) for (let i = 0; i < v; i++) head.push(`network P(${i})`);
  table.replaceChildren(row(head, true));
  steps.forEach((s, n) => {
    const cells = [String(s.step), digits[n]];
    for (const p of s.probs) cells.push(p.toFixed(4));
    if (network) for (const p of network[n].model_probs) cells.push(p.toFixed(4));
    table.append(row(cells));
  });
}

/** Draws the loss curve (nats per sequence) on the canvas. */
function drawLosses(losses) {
  const canvas = $("loss-chart");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (losses.length === 0) return;
  const lo = Math.min(...losses), hi = Math.max(...losses);
  const pad = 24, w = canvas.width - 2 * pad, h = canvas.height - 2 * pad;
  const x = (i) => pad + (losses.length === 1 ? 0 : (i / (losses.length - 1)) * w);
  const y = (l) => pad + (hi === lo ? h / 2 : ((hi - l) / (hi - lo)) * h);
  ctx.strokeStyle = "#1565c0";
  ctx.beginPath();
  losses.forEach((l, i) => (i === 0 ? ctx.moveTo(x(i), y(l)) : ctx.lineTo(x(i), y(l))));
  ctx.stroke();
  ctx.fillStyle = "#444";
  ctx.font = "12px sans-serif";
  ctx.fillText(`${hi.toFixed(2)} nats`, 2, 14);
  ctx.fillText(`${lo.toFixed(2)} nats`, 2, canvas.height - 4);
}

/** Starts a fresh network for the config box and trains it N steps in slices. */
function startPretraining() {
  showError("pretrain-error", null);
  const n = Number($("steps").value);
  let config;
  try {
    if (!Number.isInteger(n) || n < 1) throw new Error(`N must be a positive integer, got ${$("steps").value}`);
    config = JSON.parse($("config").value);
    if (config === null || typeof config !== "object" || Array.isArray(config)) throw new Error("config must be a JSON object");
    config.pretraining = { ...(config.pretraining ?? {}), steps: n };
    if (trainer) trainer.free();
    trainer = null;
    trainer = new Trainer(JSON.stringify(config));
  } catch (e) {
    showError("pretrain-error", messageOf(e));
    return;
  }
  const losses = [];
  let perSlice = 1;
  stopRequested = false;
  $("pretrain").disabled = true;
  $("stop").disabled = false;
  const finish = (note) => {
    $("pretrain").disabled = false;
    $("stop").disabled = true;
    $("pretrain-status").textContent = note;
    updatePredictions();
  };
  const slice = () => {
    if (stopRequested) return finish(`stopped after ${trainer.steps_done()} of ${n} steps`);
    const t0 = performance.now();
    let taken;
    try {
      taken = trainer.step(perSlice);
      losses.push(...taken);
    } catch (e) {
      showError("pretrain-error", messageOf(e));
      return finish(`failed after ${trainer.steps_done()} steps`);
    }
    const ms = performance.now() - t0;
    perSlice = Math.max(1, Math.round((perSlice * SLICE_MS) / Math.max(ms, 1)));
    drawLosses(losses);
    const last = losses[losses.length - 1];
    $("pretrain-status").textContent =
      `step ${trainer.steps_done()} / ${n}: loss ${last.toFixed(3)} nats per sequence (${(ms / Math.max(1, taken.length)).toFixed(1)} ms per step)`;
    if (trainer.remaining() > 0) setTimeout(slice, 0);
    else finish(`done: ${n} steps, final loss ${last.toFixed(3)} nats per sequence`);
  };
  setTimeout(slice, 0);
}

async function main() {
  try {
    await init();
  } catch (e) {
    $("status").textContent = `could not load the engine: ${messageOf(e)}`;
    return;
  }
  $("status").textContent = "engine ready";
  $("source").addEventListener("input", updatePredictions);
  $("tokens").addEventListener("input", updatePredictions);
  $("pretrain").addEventListener("click", startPretraining);
  $("stop").addEventListener("click", () => { stopRequested = true; });
  updatePredictions();
}

main();
