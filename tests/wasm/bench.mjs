// Times wasm pretraining steps under Node: node bench.mjs CONFIG.json STEPS WARMUP → one JSON line (ms per step).
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { engine } from "./pkg.mjs";

const [configPath, stepsArg = "10", warmupArg = "2"] = process.argv.slice(2);
if (!configPath) {
  console.error("usage: node tests/wasm/bench.mjs CONFIG.json [STEPS] [WARMUP]");
  process.exit(2);
}
const steps = Number(stepsArg), warmup = Number(warmupArg);
const config = JSON.parse(fs.readFileSync(configPath, "utf8"));
config.pretraining = { ...(config.pretraining ?? {}), steps: Math.max(1, steps + warmup) };

const trainer = new engine.Trainer(JSON.stringify(config));
for (let i = 0; i < warmup; i++) trainer.step(1);
const times = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  trainer.step(1);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({
  ms_per_step_median: times.length ? times[Math.floor(times.length / 2)] : null,
  ms_per_step_min: times.length ? times[0] : null,
  steps,
  architecture: config.model?.architecture ?? "lstm",
}));
