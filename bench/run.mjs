// The bench driver (./build.sh bench calls it after building): speed against the reference figures, printed as tables.
// Three sections: ms per Adam step natively, in wasm under Node and in a Chromium worker (the small nets and the
// paper's size); the small-* presets' wall times; the bench-lstm-single experiment natively and in a browser tab.
// BENCH_STEPS (20), BENCH_WARMUP (3) and BENCH_PAPER_STEPS (5, after 1 warm-up) set the steps timed per row.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./child.mjs";
import { BENCH_LSTM_SINGLE, MS_PER_STEP } from "./reference.mjs";
import { serveSite } from "./site.mjs";
import { count } from "./step_args.mjs";
import { lastJsonLine, medianOf, ratio, stepRow } from "./table.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const OUT = path.join(ROOT, "target", "bench");
const PROMPTLAB = path.join(ROOT, "target", "release", "promptlab");
const REFUSALS = path.join(OUT, "refusals.txt");

/** The per-step table's rows: bench/configs/NAME.json, its label, and whether it is the paper's size. */
const STEP_ROWS = [
  { name: "lstm", label: "LSTM E=32 h32, 64x100", paper: false },
  { name: "transformer", label: "Transformer E=32 4 heads MLP 128, 64x100", paper: false },
  { name: "lstm-paper", label: "LSTM E=128 h128, 256x100", paper: true },
  { name: "transformer-paper", label: "Transformer E=128 MLP 512, 256x100", paper: true },
];

const PRESETS = [
  "small-lstm-single",
  "small-lstm-mixture",
  "small-transformer-single",
  "small-transformer-mixture",
  "small-untrained-lstm-single",
  "small-untrained-transformer-single",
];

const section = (title) => console.log(`\n==== ${title} ====`);

/** The environment knob `name` as given (its default when unset or empty); exits with status 2 unless it is a whole number ≥ `min`. */
function knob(name, fallback, min) {
  const value = process.env[name] || fallback;
  if (count(value, min) === null) {
    console.error(`error: ${name} must be a whole number >= ${min} (got ${JSON.stringify(value)})`);
    process.exit(2);
  }
  return value;
}

/** A command that failed, as an error carrying the end of its stderr. */
function failed(what, result) {
  const tail = result.stderr.trim().split("\n").slice(-20).join("\n");
  return new Error(`${what} failed${tail ? `:\n${tail}` : ""}`);
}

/** The median of a bench command's JSON line, or "refused" when it fails (its stderr goes to refusals.txt). */
async function medianOrRefused(command, args, env) {
  const result = await run(command, args, { cwd: ROOT, env });
  fs.appendFileSync(REFUSALS, result.stderr);
  return result.ok ? medianOf(result.stdout) : "refused";
}

async function stepTable(env, steps, warmup, big) {
  section(
    `bench: ms per Adam step (forward + backward + update), median of ${steps} steps after ${warmup} warm-up (${big} after 1 at the paper's size)`,
  );
  fs.writeFileSync(REFUSALS, "");
  console.log(stepRow(["model, batch x length", "native", "Node", "Chromium", "Chr/native", "ref", "native/ref", "Chr/ref"]));
  for (const { name, label, paper } of STEP_ROWS) {
    const config = path.join(BENCH, "configs", `${name}.json`);
    const [n, w] = paper ? [big, "1"] : [steps, warmup];
    const native = await medianOrRefused(PROMPTLAB, ["bench", "--config", config, "--steps", n, "--warmup", w], env);
    const node = await medianOrRefused(process.execPath, [path.join(BENCH, "node.mjs"), config, n, w], env);
    const chromium = await medianOrRefused(process.execPath, [path.join(BENCH, "chromium.mjs"), config, n, w], env);
    const ref = String(MS_PER_STEP[name]);
    console.log(stepRow([label, native, node, chromium, ratio(chromium, native), ref, ratio(native, ref), ratio(chromium, ref)]));
  }
  console.log(
    "(native: release build; the fused LSTM op splits its batch over every core, the paper-size dense products their rows, and attention, LayerNorm and GELU their independent rows; Node and Chromium: the page's wasm package, one thread;",
  );
  console.log(" ref: the paper's JAX library on this machine kind, 2 threads, jit-compiled; goals native/ref <= 0.5, Chr/ref <= 2)");
  const refusals = fs.readFileSync(REFUSALS, "utf8");
  if (refusals.includes("invalid")) {
    console.log("refused (the engine's message):");
    const messages = refusals.split("\n").flatMap((line) => line.match(/invalid .*MB/) ?? []);
    for (const message of [...new Set(messages)].sort()) console.log(`  ${message}`);
  }
}

async function presetTimes(env) {
  section("bench: wall time of the small-* presets (native, every core)");
  for (const preset of PRESETS) {
    const args = ["experiment", "--preset", preset, "--out", path.join(OUT, preset)];
    const result = await run(PROMPTLAB, args, { cwd: ROOT, env, stdout: "ignore" });
    if (!result.ok) throw failed(`promptlab experiment --preset ${preset}`, result);
    console.log(`${preset.padEnd(36)} ${result.seconds.toFixed(1).padStart(8)} s`);
  }
}

async function benchLstmSingle(env) {
  const reference = BENCH_LSTM_SINGLE;
  section(
    `bench: bench-lstm-single (reference: ${reference.total_s} s = ${reference.pretrain_s} s pretraining + ${reference.tuning_s} s tuning and evaluation)`,
  );
  const args = ["experiment", "--preset", "bench-lstm-single", "--out", path.join(OUT, "bench-lstm-single")];
  const native = await run(PROMPTLAB, args, { cwd: ROOT, env, stdout: "ignore" });
  if (!native.ok) throw failed("promptlab experiment --preset bench-lstm-single", native);
  const seconds = native.seconds.toFixed(1);
  console.log(`${"native (every core)".padEnd(36)} ${seconds.padStart(8)} s  ${ratio(seconds, String(reference.total_s)).padStart(6)} the reference`);

  const tab = await run(process.execPath, [path.join(BENCH, "chromium_experiment.mjs")], { cwd: ROOT, env, stderr: "inherit" });
  const r = lastJsonLine(tab.stdout);
  if (!tab.ok || typeof r?.total_s !== "number") throw failed("bench/chromium_experiment.mjs", tab);
  console.log(
    `${("browser tab (Chromium, " + r.workers + " workers)").padEnd(36)} ${r.total_s.toFixed(1).padStart(8)} s  ${((r.total_s / reference.total_s).toFixed(2) + "x").padStart(6)} the reference (pretraining ${r.pretrain_s.toFixed(1)} s, experiment ${r.experiment_s.toFixed(1)} s)`,
  );
}

async function main() {
  const steps = knob("BENCH_STEPS", "20", 1);
  const warmup = knob("BENCH_WARMUP", "3", 0);
  const big = knob("BENCH_PAPER_STEPS", "5", 1);
  const www = path.join(ROOT, "www");
  for (const needed of [PROMPTLAB, path.join(www, "index.html"), path.join(ROOT, "target", "pkg-node")]) {
    if (!fs.existsSync(needed)) throw new Error(`${path.relative(ROOT, needed)} is missing: run ./build.sh build first`);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const site = await serveSite([
    ["/bench/", path.join(BENCH, "page")],
    ["/", www],
  ]);
  const env = { ...process.env, E2E_URL: site.url };
  try {
    await stepTable(env, steps, warmup, big);
    await presetTimes(env);
    await benchLstmSingle(env);
  } finally {
    await site.close();
  }
}

main().catch((e) => {
  console.error(`error: ${e.message}`);
  process.exitCode = 1;
});
