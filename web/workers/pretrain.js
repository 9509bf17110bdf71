// The pretraining worker (a module worker): owns one wasm Trainer and advances it in slices,
// so the page stays responsive and a "stop" message is seen between slices.
//
// Every step is cut into the engine's parts (Trainer.parts(), 2) whatever the cores, so the
// numbers never depend on them. With 2 or more cores, a helper worker (this same script,
// started by this one) computes part 1 while this worker computes part 0; both apply the two
// shares, in part order, to their own copy of the run, so both copies stay identical.
//
// Messages in:  {type: "start", config}   a fresh network for this config JSON
//               {type: "stop"}            stop after the current slice
//               {type: "export"}          send the current weights back
// Messages out: {type: "ready"}, {type: "progress", step, total, losses, kl, msPerStep, workers},
//               {type: "done", reason}, {type: "model", config, weights, steps},
//               {type: "error", message, problem?: {message, field?, value?, allowed?}}
// As a helper:  in {type: "helper-start", config}, {type: "part", part, parts}, {type: "apply", losses, grads};
//               out {type: "ready"}, {type: "share", step, loss, grads}, {type: "error", message}
import init, { Trainer } from "../pkg/promptlab.js";
import { messageOf, problemOf } from "../lib/messages.js";

const SLICE_MS = 150; // work per slice
const KL_EVERY_MS = 400; // time between KL evaluations
const KL_SEQUENCES = 64; // held-out sequences for the live KL (drawn once)
const KL_MAX_LENGTH = 1000;

let trainer = null;
let stopRequested = false;
let running = false;

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

// ---------- the helper: a second copy of the run that computes part 1 of each step ----------

let helper = null; // {worker, replies: [], waiting: resolve | null} in the leading worker
const cores = () => Number(navigator.hardwareConcurrency) || 1;

/** The helper's next message (a Promise), or the error that ended it. */
function fromHelper() {
  if (helper.replies.length > 0) return Promise.resolve(helper.replies.shift());
  return new Promise((resolve) => (helper.waiting = resolve));
}

function startHelper() {
  const worker = new Worker(new URL("./pretrain.js", import.meta.url), { type: "module" });
  helper = { worker, replies: [], waiting: null };
  const deliver = (msg) => {
    if (helper?.worker !== worker) return;
    if (helper.waiting) {
      const resolve = helper.waiting;
      helper.waiting = null;
      resolve(msg);
    } else helper.replies.push(msg);
  };
  worker.onmessage = (e) => deliver(e.data);
  worker.onerror = (e) => deliver({ type: "error", message: `the helper worker failed: ${e.message ?? "unknown error"}` });
}

/** A helper holding a fresh copy of `config`'s run, or null (one core, or it could not start: this worker computes every part). */
async function helperFor(config, parts) {
  if (parts < 2 || cores() < 2) return null;
  try {
    if (!helper) {
      startHelper();
      const hello = await fromHelper();
      if (hello.type !== "ready") throw new Error(hello.message);
    }
    helper.replies = [];
    helper.worker.postMessage({ type: "helper-start", config });
    const reply = await fromHelper();
    if (reply.type !== "ready") throw new Error(reply.message);
    return helper;
  } catch {
    helper?.worker.terminate();
    helper = null;
    return null;
  }
}

/** One step cut into `parts`: part 1 on the helper if there is one, every other part here. */
async function partedStep(parts, withHelper) {
  const shares = [];
  if (withHelper) withHelper.worker.postMessage({ type: "part", part: 1, parts });
  for (let p = 0; p < parts; p++) {
    if (withHelper && p === 1) shares.push(null);
    else shares.push(trainer.part(p, parts));
  }
  if (withHelper) {
    const reply = await fromHelper();
    if (reply.type !== "share") throw new Error(reply.message ?? "the helper worker stopped answering");
    if (reply.step !== trainer.steps_done()) throw new Error(`the helper worker fell out of step (its step ${reply.step}, ours ${trainer.steps_done()})`);
    shares[1] = reply;
  }
  const losses = shares.map((s) => s.loss);
  const grads = shares.map((s) => s.grads);
  if (withHelper) withHelper.worker.postMessage({ type: "apply", losses, grads });
  return trainer.apply(losses, grads);
}

/** The helper's side: a copy of the run that computes the parts it is asked for and applies every step. */
function onHelperMessage(msg) {
  try {
    if (msg.type === "helper-start") {
      if (trainer) trainer.free();
      trainer = null;
      trainer = new Trainer(msg.config);
      postMessage({ type: "ready" });
    } else if (msg.type === "part") {
      const share = trainer.part(msg.part, msg.parts);
      postMessage({ type: "share", step: trainer.steps_done(), loss: share.loss, grads: share.grads }, [share.grads.buffer]);
    } else if (msg.type === "apply") {
      trainer.apply(msg.losses, msg.grads);
    }
  } catch (e) {
    postMessage({ type: "error", message: messageOf(e) });
  }
}

// ---------- the leading worker ----------

async function run(config) {
  if (trainer) trainer.free();
  trainer = null;
  try {
    trainer = new Trainer(config);
  } catch (e) {
    postMessage({ type: "error", message: messageOf(e), problem: problemOf(e) });
    return;
  }
  running = true;
  stopRequested = false;
  const parts = trainer.parts();
  const total = trainer.remaining();
  const klLength = Math.min(JSON.parse(trainer.config_json()).pretraining.sequence_length, KL_MAX_LENGTH);
  const kl = () => ({ step: trainer.steps_done(), value: trainer.kl_to_bayes(KL_SEQUENCES, klLength) });
  try {
    const withHelper = total > 0 ? await helperFor(config, parts) : null;
    const workers = withHelper ? 2 : 1;
    postMessage({ type: "progress", step: 0, total, losses: [], kl: kl(), msPerStep: null, workers });
    let perSlice = 1;
    let lastKl = performance.now();
    while (trainer.remaining() > 0 && !stopRequested) {
      const t0 = performance.now();
      const losses = [];
      while (losses.length < perSlice && trainer.remaining() > 0) losses.push(await partedStep(parts, withHelper));
      const ms = performance.now() - t0;
      perSlice = Math.max(1, Math.min(50, Math.round((perSlice * SLICE_MS) / Math.max(ms, 1))));
      const now = performance.now();
      const done = trainer.remaining() === 0;
      let point = null;
      if (done || now - lastKl > KL_EVERY_MS) {
        point = kl();
        lastKl = performance.now();
      }
      postMessage({ type: "progress", step: trainer.steps_done(), total, losses, kl: point, msPerStep: ms / Math.max(1, losses.length), workers });
      await pause();
    }
    if (stopRequested && trainer.steps_done() > 0) {
      postMessage({ type: "progress", step: trainer.steps_done(), total, losses: [], kl: kl(), msPerStep: null, workers });
    }
    postMessage({ type: "done", reason: stopRequested ? "stopped" : "finished", step: trainer.steps_done(), total });
  } catch (e) {
    postMessage({ type: "error", message: messageOf(e), problem: problemOf(e) });
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
    postMessage({ type: "error", message: messageOf(e), problem: problemOf(e) });
  }
}

const ready = init().then(
  () => postMessage({ type: "ready" }),
  (e) => postMessage({ type: "error", message: `could not load the engine in the worker: ${messageOf(e)}` }),
);

onmessage = async (event) => {
  await ready;
  const msg = event.data;
  if (["helper-start", "part", "apply"].includes(msg.type)) {
    onHelperMessage(msg);
  } else if (msg.type === "start") {
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
