// One worker of the Prompt view's pool (a module worker): holds one wasm ExperimentSession
// (the pretrained net and the fixed evaluation sets) and runs the jobs the page hands it.
//
// Messages in:  {type: "init", config, modelConfig, weights}   build the session
//               {type: "job", id, method, repetition}          run one repetition of one tuner
//               {type: "assemble", finished, started}          baselines, summaries, figures, CSV
// Messages out: {type: "ready"}, {type: "progress", id, step, total, losses, wasmBytes},
//               {type: "result", id, repetition}, {type: "assembled", results, figures, csv},
//               {type: "error", id?, problem: {message, field?, value?, allowed?}}
import init, { ExperimentSession, experiment_figures, experiment_summary_csv } from "../pkg/promptlab.js";
import { problemOf } from "../lib/messages.js";

/** Least time between two progress messages of one job. */
const PROGRESS_MS = 100;

let session = null;
let wasm = null; // the module's exports: its linear memory's size is reported with the progress
const engine = init().then((exports) => (wasm = exports));

function runJob({ id, method, repetition }) {
  let losses = [];
  let last = performance.now();
  const onStep = (step, total, loss) => {
    losses.push(loss);
    const now = performance.now();
    if (now - last >= PROGRESS_MS || step === total) {
      postMessage({ type: "progress", id, step, total, losses, wasmBytes: wasm.memory.buffer.byteLength });
      losses = [];
      last = now;
    }
  };
  const rep = session.run_job(method, repetition, onStep);
  postMessage({ type: "result", id, repetition: rep });
}

function assemble({ finished, started }) {
  const results = session.assemble(finished, started);
  const figures = experiment_figures(results);
  const csv = experiment_summary_csv(results);
  postMessage({ type: "assembled", results, figures, csv });
}

onmessage = async (event) => {
  const msg = event.data;
  try {
    await engine;
    if (msg.type === "init") {
      session?.free();
      session = new ExperimentSession(msg.config, msg.modelConfig, msg.weights);
      postMessage({ type: "ready" });
    } else if (!session) {
      throw new Error("the worker has no experiment yet");
    } else if (msg.type === "job") {
      runJob(msg);
    } else if (msg.type === "assemble") {
      assemble(msg);
    }
  } catch (e) {
    postMessage({ type: "error", id: msg.id, problem: problemOf(e) });
  }
};
