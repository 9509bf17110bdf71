// The bench page's worker: times single pretraining steps of the page's own wasm engine in a browser
// worker, as the Pretrain view runs them. Served at /bench/worker.js beside the page (bench/site.mjs).
//
// Message in:  {config, steps, warmup}   a config JSON (pretraining.steps is set here), steps to time
// Message out: {times}                   milliseconds of each timed step (forward, backward, Adam)
//              {error}                   the engine's message
import init, { Trainer } from "/pkg/promptlab.js";
import { timeSteps } from "./steps.js";

const engine = init();

onmessage = async ({ data: { config, steps, warmup } }) => {
  try {
    await engine;
    postMessage({ times: timeSteps(Trainer, config, steps, warmup) });
  } catch (e) {
    postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
