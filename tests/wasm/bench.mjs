// Times wasm pretraining steps under Node: node bench.mjs CONFIG.json STEPS WARMUP → one JSON line (ms per step).
import fs from "node:fs";
import { engine } from "../common/engine.mjs";
import { timeSteps } from "../../web/bench_steps.js";

const [configPath, stepsArg = "10", warmupArg = "2"] = process.argv.slice(2);
if (!configPath) {
  console.error("usage: node tests/wasm/bench.mjs CONFIG.json [STEPS] [WARMUP]");
  process.exit(2);
}
const configText = fs.readFileSync(configPath, "utf8");
const times = timeSteps(engine.Trainer, configText, Number(stepsArg), Number(warmupArg)).sort((a, b) => a - b);
console.log(JSON.stringify({
  ms_per_step_median: times.length ? times[Math.floor(times.length / 2)] : null,
  ms_per_step_min: times.length ? times[0] : null,
  steps: times.length,
  architecture: JSON.parse(configText).model?.architecture ?? "lstm",
}));
