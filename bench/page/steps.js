// The bench's timing loop: single pretraining steps of the engine's Trainer, shared by the page's
// worker (bench/page/worker.js, in Chromium) and the Node driver (bench/node.mjs).

/**
 * The least warm-up in wasm, in ms. V8 starts wasm on its baseline compiler and swaps in optimised code function by
 * function, in the background, as it runs (on 2 cores, the LSTM small row in the page was seen to settle after about
 * 30 steps, 1.2 s, at 2.5x faster than its first steps). The timed steps start once this much time has passed and
 * the warm-up steps are done.
 */
export const WARM_MS = 3000;

/** Most steps a bench run may take (the engine's cap on pretraining.steps). */
export const MAX_STEPS = 1_000_000;

/**
 * Milliseconds of each of `steps` timed Adam steps of a fresh `Trainer` for `configText`, after untimed ones: at least
 * `warmup`, and for at least `warmMs` ms.
 */
export function timeSteps(Trainer, configText, steps, warmup, warmMs = WARM_MS) {
  const config = JSON.parse(configText);
  config.pretraining = { ...(config.pretraining ?? {}), steps: MAX_STEPS };
  const trainer = new Trainer(JSON.stringify(config));
  try {
    const start = performance.now();
    for (let i = 0; i < warmup || performance.now() - start < warmMs; i++) trainer.step(1);
    const times = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      trainer.step(1);
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    trainer.free();
  }
}
