// The speed benchmark's worker (./build.sh bench): times single pretraining steps of the page's own
// wasm engine in a browser worker, as the Pretrain view runs them.
//
// Message in:  {config, steps, warmup}   a config JSON (pretraining.steps is set here), steps to time
// Message out: {times}                   milliseconds of each timed step (forward, backward, Adam)
//              {error}                   the engine's message
import init, { Trainer } from "./pkg/promptlab.js";

const engine = init();

onmessage = async ({ data: { config, steps, warmup } }) => {
  try {
    await engine;
    const parsed = JSON.parse(config);
    parsed.pretraining = { ...(parsed.pretraining ?? {}), steps: steps + warmup };
    const trainer = new Trainer(JSON.stringify(parsed));
    for (let i = 0; i < warmup; i++) trainer.step(1);
    const times = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      trainer.step(1);
      times.push(performance.now() - t0);
    }
    trainer.free();
    postMessage({ times });
  } catch (e) {
    postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
