// The bench's timing loop: single pretraining steps of the engine's Trainer, shared by the page's
// worker (bench/page/worker.js, in Chromium) and the Node driver (bench/node.mjs).

/** Milliseconds of each of `steps` timed Adam steps, after `warmup` untimed ones, of a fresh `Trainer` for `configText`. */
export function timeSteps(Trainer, configText, steps, warmup) {
  const config = JSON.parse(configText);
  config.pretraining = { ...(config.pretraining ?? {}), steps: steps + warmup };
  const trainer = new Trainer(JSON.stringify(config));
  try {
    for (let i = 0; i < warmup; i++) trainer.step(1);
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
