// The bench's Node driver: times wasm pretraining steps under Node (the Node build of the engine, one thread).
// node bench/node.mjs CONFIG.json [STEPS] [WARMUP] → one JSON line (ms per step).
import { engine } from "../tests/common/engine.mjs";
import { timeSteps } from "./page/steps.js";
import { stepArgs } from "./step_args.mjs";

const { configText, steps, warmup } = stepArgs("node bench/node.mjs");
const times = timeSteps(engine.Trainer, configText, steps, warmup).sort((a, b) => a - b);
console.log(JSON.stringify({
  ms_per_step_median: times.length ? times[Math.floor(times.length / 2)] : null,
  ms_per_step_min: times.length ? times[0] : null,
  steps: times.length,
  architecture: JSON.parse(configText).model?.architecture ?? "lstm",
}));
