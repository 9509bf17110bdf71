// The Prompt view's worker pool: one experiment worker per core, each holding the same
// session; (method, repetition) jobs go to whichever worker is free. Cancelling
// terminates every worker at once, so nothing keeps running or holding memory.
import { errorFrom } from "./lib/messages.js";

/** Workers to start: one per logical core the browser reports (at least 1, at most 16). */
export function poolSize() {
  const cores = Number(navigator.hardwareConcurrency) || 2;
  return Math.max(1, Math.min(16, cores));
}

export class ExperimentPool {
  constructor() {
    this.workers = [];
    this.cancelled = false;
    this.fail = null;
  }

  /**
   * Runs every job of `plan.jobs` ([{method, repetition}]) and assembles the results.
   * `onProgress(job, step, total, losses)` gets the new tuning losses of a job;
   * `onJob(job, repetition)` each finished repetition. Resolves to {results, figures, csv}.
   */
  run({ config, modelConfig, weights, jobs, onProgress, onJob, size = poolSize() }) {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      this.fail = (problem) => {
        this.terminate();
        reject(errorFrom(problem));
      };
      const queue = jobs.map((job, id) => ({ ...job, id }));
      const finished = new Map(); // method → repetitions
      let outstanding = jobs.length;
      const count = Math.max(1, Math.min(size, jobs.length));

      const next = (worker) => {
        const job = queue.shift();
        if (job) worker.postMessage({ type: "job", ...job });
      };
      const assemble = (worker) => {
        const list = [...finished].map(([method, repetitions]) => ({ method, repetitions }));
        worker.postMessage({ type: "assemble", finished: list, started });
      };

      for (let w = 0; w < count; w++) {
        const worker = new Worker(new URL("./workers/experiment.js", import.meta.url), { type: "module" });
        this.workers.push(worker);
        worker.onerror = (e) => this.fail?.({ message: `a worker failed: ${e.message ?? "unknown error"}` });
        worker.onmessage = ({ data: msg }) => {
          if (this.cancelled) return;
          if (msg.type === "ready") next(worker);
          else if (msg.type === "progress") onProgress?.(jobs[msg.id], msg.step, msg.total, msg.losses, { worker: w, wasmBytes: msg.wasmBytes });
          else if (msg.type === "result") {
            const job = jobs[msg.id];
            if (!finished.has(job.method)) finished.set(job.method, []);
            finished.get(job.method)[job.repetition] = msg.repetition;
            onJob?.(job, msg.repetition);
            outstanding -= 1;
            if (outstanding === 0) assemble(worker);
            else next(worker);
          } else if (msg.type === "assembled") {
            this.terminate();
            resolve({ results: msg.results, figures: msg.figures, csv: msg.csv });
          } else if (msg.type === "error") {
            const job = msg.id === undefined ? null : jobs[msg.id];
            this.fail?.(job ? { ...msg.problem, message: `${job.method}, repetition ${job.repetition + 1}: ${msg.problem.message}` } : msg.problem);
          }
        };
        // Each worker gets its own copy of the weights (a few hundred kB).
        worker.postMessage({ type: "init", config, modelConfig, weights: weights.slice() });
      }
    });
  }

  /** Stops every worker now; the pending run rejects with "cancelled". */
  cancel() {
    const fail = this.fail;
    this.cancelled = true;
    this.terminate();
    fail?.call(this, { message: "cancelled" });
  }

  terminate() {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.fail = null;
  }
}
