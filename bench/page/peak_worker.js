// The bench page's peak worker: times a large square f32 product through the page's own wasm engine (its dense
// path, one thread), as a Pretrain worker runs it. Served at /bench/peak_worker.js beside the page (bench/site.mjs).
//
// Message in:  {size, reps}   the product's side and its timed repetitions (after one untimed)
// Message out: {ready}        once the engine is loaded (answered to any message before the first {size, reps})
//              {peak}         the engine's Peak: {gmacs, gflops, size, ms, reps, threads, gemm_threads}
//              {error}        the engine's message
import init, { peak_gemm } from "/pkg/promptlab.js";

const engine = init();

onmessage = async ({ data }) => {
  try {
    await engine;
    if (data?.size === undefined) postMessage({ ready: true });
    else postMessage({ peak: peak_gemm(data.size, data.reps) });
  } catch (e) {
    postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
