// The pretraining worker (a module worker): owns one wasm Trainer and advances it in slices,
// so the page stays responsive and a "stop" message is seen between slices.
//
// Messages in:  {type: "start", config}   a fresh network for this config JSON
//               {type: "stop"}            stop after the current slice
//               {type: "export"}          send the current weights back
// Messages out: {type: "ready"}, {type: "progress", step, total, losses, kl, msPerStep},
//               {type: "done", reason}, {type: "model", config, weights, steps}, {type: "error", message}
import init, { Trainer } from "./pkg/promptlab.js";

const SLICE_MS = 150; // work per slice
const KL_EVERY_MS = 400; // time between KL evaluations
const KL_SEQUENCES = 64; // held-out sequences for the live KL (drawn once)
const KL_MAX_LENGTH = 1000;

let trainer = null;
let stopRequested = false;
let running = false;

const messageOf = (e) => (e instanceof Error ? e.message : String(e));
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

async function run(config) {
  if (trainer) trainer.free();
  trainer = null;
  try {
    trainer = new Trainer(config);
  } catch (e) {
    postMessage({ type: "error", message: messageOf(e) });
    return;
  }
  const total = trainer.remaining();
  const klLength = Math.min(JSON.parse(trainer.config_json()).pretraining.sequence_length, KL_MAX_LENGTH);
  const kl = () => ({ step: trainer.steps_done(), value: trainer.kl_to_bayes(KL_SEQUENCES, klLength) });
  running = true;
  stopRequested = false;
  try {
    postMessage({ type: "progress", step: 0, total, losses: [], kl: kl(), msPerStep: null });
    let perSlice = 1;
    let lastKl = performance.now();
    while (trainer.remaining() > 0 && !stopRequested) {
      const t0 = performance.now();
      const losses = trainer.step(perSlice);
      const ms = performance.now() - t0;
      perSlice = Math.max(1, Math.min(50, Math.round((perSlice * SLICE_MS) / Math.max(ms, 1))));
      const now = performance.now();
      const done = trainer.remaining() === 0;
      let point = null;
      if (done || now - lastKl > KL_EVERY_MS) {
        point = kl();
        lastKl = performance.now();
      }
      postMessage({ type: "progress", step: trainer.steps_done(), total, losses, kl: point, msPerStep: ms / Math.max(1, losses.length) });
      await pause();
    }
    if (stopRequested && trainer.steps_done() > 0) {
      postMessage({ type: "progress", step: trainer.steps_done(), total, losses: [], kl: kl(), msPerStep: null });
    }
    postMessage({ type: "done", reason: stopRequested ? "stopped" : "finished", step: trainer.steps_done(), total });
  } catch (e) {
    postMessage({ type: "error", message: messageOf(e) });
  } finally {
    running = false;
  }
}

function exportModel() {
  if (!trainer) {
    postMessage({ type: "error", message: "no network to use yet: start pretraining first" });
    return;
  }
  try {
    const weights = trainer.weights();
    postMessage({ type: "model", config: trainer.config_json(), weights, steps: trainer.steps_done() }, [weights.buffer]);
  } catch (e) {
    postMessage({ type: "error", message: messageOf(e) });
  }
}

const ready = init().then(
  () => postMessage({ type: "ready" }),
  (e) => postMessage({ type: "error", message: `could not load the engine in the worker: ${messageOf(e)}` }),
);

onmessage = async (event) => {
  await ready;
  const msg = event.data;
  if (msg.type === "start") {
    if (running) {
      stopRequested = true;
      while (running) await pause();
    }
    run(msg.config);
  } else if (msg.type === "stop") {
    stopRequested = true;
  } else if (msg.type === "export") {
    exportModel();
  }
};
