// The lessons' live computations, in workers: an experiment through the Prompt view's pool, or a
// pretraining run through the Pretrain view's worker. Each finished result is kept for the page's
// life under its config, so a chapter opened again (or the summary) shows it without recomputing.
import { check_experiment } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { ExperimentPool } from "../pool.js";
import { errorFrom } from "../lib/messages.js";

/** Finished results by key; and the runs still going, by key. */
const finished = new Map();
const going = new Map();

/** The finished result under `key`, or undefined. */
export const resultOf = (key) => finished.get(key);

/** The key of an experiment: its config and its network. */
export const experimentKey = (labState) => `${labState.tmodel} ${S.experimentConfigJson(labState)}`;

/**
 * A handle on a computation: {key, promise, cancel(), onProgress(listener)} where a listener gets
 * (done, total, data) in units of work (data: a pretraining run's KL points so far). Asking again for a key that is running joins that run.
 */
function handle(key, begin) {
  if (finished.has(key)) return { key, promise: Promise.resolve(finished.get(key)), cancel() {}, onProgress() {} };
  if (going.has(key)) return going.get(key);
  const listeners = new Set();
  const report = (done, total, data) => listeners.forEach((l) => l(done, total, data));
  const run = begin(report);
  const h = {
    key,
    promise: run.promise.then(
      (out) => {
        finished.set(key, out);
        if (going.get(key) === h) going.delete(key);
        return out;
      },
      (e) => {
        if (going.get(key) === h) going.delete(key);
        throw e;
      },
    ),
    // A cancelled run is forgotten at once, so a chapter opened again starts afresh rather than joining it.
    cancel: () => {
      if (going.get(key) === h) going.delete(key);
      run.cancel();
    },
    onProgress: (l) => listeners.add(l),
  };
  going.set(key, h);
  return h;
}

/**
 * Runs the Prompt view's experiment for the lab state `labState` (S.defaults() with the chapter's
 * settings) on `models`; resolves to {results, figures, csv, seconds}.
 */
export function experiment(labState, models) {
  const key = experimentKey(labState);
  return handle(key, (report) => {
    const pool = new ExperimentPool();
    let cancelled = false;
    const promise = (async () => {
      const config = S.experimentConfigJson(labState);
      const model = await models.load(labState.tmodel);
      if (cancelled) throw new Error("cancelled");
      const plan = check_experiment(config, model.config);
      const steps = labState.tsteps;
      const total = plan.order.length * steps;
      const progress = new Map(); // job → units done
      const tell = () => report([...progress.values()].reduce((a, b) => a + b, 0), total);
      const t0 = performance.now();
      report(0, total);
      const out = await pool.run({
        config,
        modelConfig: model.config,
        weights: model.weights,
        jobs: plan.order,
        onProgress: (job, step) => {
          progress.set(job, Math.min(step, steps));
          tell();
        },
        onJob: (job) => {
          progress.set(job, steps);
          tell();
        },
      });
      return { ...out, seconds: (performance.now() - t0) / 1000 };
    })();
    return {
      promise,
      cancel: () => {
        cancelled = true;
        pool.cancel();
      },
    };
  });
}

/**
 * Pretrains a fresh network on the pretraining config JSON `config` in the Pretrain view's worker;
 * resolves to {kl: [[step, nats per flip]], losses, seconds}.
 */
export function pretraining(config) {
  return handle(`pretrain ${config}`, (report) => {
    const worker = new Worker(new URL("../workers/pretrain.js", import.meta.url), { type: "module" });
    let fail;
    const promise = new Promise((resolve, reject) => {
      fail = reject;
      const kl = [];
      const losses = [];
      const t0 = performance.now();
      worker.onerror = (e) => {
        worker.terminate();
        reject(new Error(`the worker failed: ${e.message ?? "unknown error"}`));
      };
      worker.onmessage = ({ data: msg }) => {
        if (msg.type === "progress") {
          losses.push(...msg.losses);
          if (msg.kl) kl.push([msg.kl.step, msg.kl.value]);
          report(msg.step, msg.total, kl);
        } else if (msg.type === "done") {
          worker.terminate();
          resolve({ kl, losses, seconds: (performance.now() - t0) / 1000 });
        } else if (msg.type === "error") {
          worker.terminate();
          reject(errorFrom(msg.problem ?? { message: msg.message }));
        }
      };
      worker.postMessage({ type: "start", config });
    });
    return {
      promise,
      cancel: () => {
        worker.terminate();
        fail(new Error("cancelled"));
      },
    };
  });
}
