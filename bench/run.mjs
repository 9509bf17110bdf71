// The bench driver (./build.sh bench calls it after building): speed, printed as tables, against a reference measured in the same run.
// Three sections: ms per Adam step natively, in wasm under Node, in a Chromium worker and in the page's own
// pretraining (two workers), beside the JAX reference of bench/reference/ (the small nets and the paper's size);
// the small-* presets' wall times; the bench-lstm-single experiment natively, in a browser tab and in the reference.
// BENCH_STEPS (20), BENCH_WARMUP (3) and BENCH_PAPER_STEPS (5, after 1 warm-up) set the steps timed per row.
// BENCH_REFERENCE_PYTHON names the python of the reference's venv (./build.sh bench --reference sets it); without
// it the ratio columns say "not measured", and BENCH_REFERENCE_WHY says why.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./child.mjs";
import { WARM_MS } from "./page/steps.js";
import { PEAK_HEADERS, peakColumns } from "./peak.mjs";
import { serveSite } from "./site.mjs";
import { count } from "./step_args.mjs";
import { NOT_MEASURED, headerLine, lastJsonLine, medianOf, msOf, ratio, rowLine, widthsOf } from "./table.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const OUT = path.join(ROOT, "target", "bench");
const PROMPTLAB = path.join(ROOT, "target", "release", "promptlab");
const REFUSALS = path.join(OUT, "refusals.txt");
const REFERENCE = path.join(BENCH, "reference");
const REFERENCE_PYTHON = process.env.BENCH_REFERENCE_PYTHON || "";

/** The goals: each ratio to the reference at most this (a ratio above its goal is printed with a trailing "!"). */
const GOALS = { native: 0.5, nativeLstmSmall: 0.4, page: 1.5, singleNative: 0.4, singleTab: 0.6 };

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

/** The JSON line of the last command medianOrRefused ran ({} when it failed). */
let lastLine = {};

/** The median of a bench command's JSON line, or "refused" when it fails (its stderr goes to refusals.txt). */
async function medianOrRefused(command, args, env) {
  const result = await run(command, args, { cwd: ROOT, env });
  fs.appendFileSync(REFUSALS, result.stderr);
  lastLine = (result.ok && lastJsonLine(result.stdout)) || {};
  return result.ok ? medianOf(result.stdout) : "refused";
}

/** Why the reference is missing from this run, or "" when it is measured. */
function referenceMissing() {
  return REFERENCE_PYTHON ? "" : process.env.BENCH_REFERENCE_WHY || "BENCH_REFERENCE_PYTHON is not set";
}

/** The reference's bench line for a row ({cell, line}): its ms per step (or "refused", or "not measured") and its parsed JSON. */
async function referenceStep(config, n, w, env) {
  if (!REFERENCE_PYTHON) return { cell: NOT_MEASURED, line: null };
  const result = await run(REFERENCE_PYTHON, [path.join(REFERENCE, "bench_step.py"), config, "--steps", n, "--warmup", w], { cwd: REFERENCE, env });
  if (!result.ok) {
    const why = result.stderr.trim().split("\n").pop();
    fs.appendFileSync(REFUSALS, `reference: ${why}\n`);
    return { cell: "refused", line: null, why };
  }
  return { cell: medianOf(result.stdout), line: lastJsonLine(result.stdout) };
}

/**
 * One row's [header, cell] pairs, in the order printed. `r` holds the row ({name, label, paper, config}) and its
 * measured cells (native, node, chromium, page, ref: ms per step as printed). Further columns go at the end.
 */
function stepCells(r, peak) {
  const nativeGoal = r.name === "lstm" ? GOALS.nativeLstmSmall : GOALS.native;
  const [work, nativePeak, chromiumPeak] = peak({ config: r.config, native: r.native, chromium: r.chromium });
  const pagePeak = peak({ config: r.config, native: r.native, chromium: r.page, chromiumWorkers: 2 })[2];
  return [
    ["model, batch x length", r.label],
    ["native base", r.baseline],
    ["native", r.native],
    ["Node", r.node],
    ["Chromium", r.chromium],
    ["page (2 workers)", r.page],
    ["ref", r.ref],
    ["Chr/native", ratio(r.chromium, r.native)],
    ["native/ref", ratio(r.native, r.ref, nativeGoal)],
    ["Chr/ref", ratio(r.chromium, r.ref)],
    ["page/ref", ratio(r.page, r.ref, GOALS.page)],
    [PEAK_HEADERS[0], work],
    [PEAK_HEADERS[1], nativePeak],
    [PEAK_HEADERS[2], chromiumPeak],
    ["page %peak", pagePeak],
  ];
}

async function stepTable(env, steps, warmup, big) {
  section(
    `bench: ms per Adam step (forward + backward + update), median of ${steps} steps after ${warmup} warm-up (${big} after 1 at the paper's size); in wasm the warm-up lasts at least ${WARM_MS / 1000} s (V8 swaps in optimised code meanwhile)`,
  );
  fs.writeFileSync(REFUSALS, "");
  const peak = await peakColumns(env);
  const simdPaths = new Set();
  let widths = null;
  let referenceLine = null;
  const pageWorkers = new Set();
  for (const [i, { name, label, paper }] of STEP_ROWS.entries()) {
    const config = path.join(BENCH, "configs", `${name}.json`);
    const [n, w] = paper ? [big, "1"] : [steps, warmup];
    const nativeArgs = ["bench", "--config", config, "--steps", n, "--warmup", w];
    const baseline = await medianOrRefused(PROMPTLAB, nativeArgs, { ...env, PROMPTLAB_SIMD: "baseline" });
    const native = await medianOrRefused(PROMPTLAB, nativeArgs, env);
    simdPaths.add(lastLine.simd ?? "?");
    const ref = await referenceStep(config, n, w, env);
    referenceLine ??= ref.line;
    const node = await medianOrRefused(process.execPath, [path.join(BENCH, "node.mjs"), config, n, w], env);
    const chromium = await medianOrRefused(process.execPath, [path.join(BENCH, "chromium.mjs"), config, n, w], env);
    const pageRun = await run(process.execPath, [path.join(BENCH, "page_pretrain.mjs"), config, n, w], { cwd: ROOT, env });
    fs.appendFileSync(REFUSALS, pageRun.stderr);
    const page = pageRun.ok ? msOf(pageRun.stdout, "ms_per_step_mean") : "refused";
    pageWorkers.add(lastJsonLine(pageRun.stdout)?.workers ?? "?");
    const cells = stepCells({ name, label, paper, config, baseline, native, node, chromium, page, ref: ref.cell }, peak);
    if (i === 0) {
      widths = widthsOf(cells, 42);
      console.log(headerLine(cells, widths));
    }
    console.log(rowLine(cells, widths));
  }
  console.log(
    "(native: release build; the fused LSTM op splits its batch over every core, the paper-size dense products their rows, and attention, LayerNorm and GELU their independent rows; Node and Chromium: the page's wasm package, one thread;",
  );
  console.log(
    ` page: the Pretrain view's worker (web/workers/pretrain.js) in headless Chromium on ${[...pageWorkers].join("/")} workers, mean wall time per step between its progress messages after the warm-up, live KL included;`,
  );
  console.log(` native base: the same binary with its own loops on baseline instructions (PROMPTLAB_SIMD=baseline); native: its loops on the widest the CPU has (${[...simdPaths].join("/")}); the matrix products pick their kernels themselves in both (gemm's run-time dispatch);`);
  const missing = referenceMissing();
  if (missing) console.log(` ref: not measured (${missing});`);
  else if (referenceLine) console.log(` ref: bench/reference/ (${referenceLine.runs_on}); timed: ${referenceLine.timed};`);
  else console.log(" ref: bench/reference/ refused every row (see below);");
  console.log(
    ` goals: native/ref <= ${GOALS.native} (<= ${GOALS.nativeLstmSmall} for LSTM small), page/ref <= ${GOALS.page}; a ratio above its goal ends in "!")`,
  );
  console.log(peak.footer);
  const refusals = fs.readFileSync(REFUSALS, "utf8");
  const messages = refusals.split("\n").flatMap((line) => line.match(/invalid .*MB/) ?? line.match(/^reference: .*/) ?? []);
  if (messages.length) {
    console.log("refused (the message):");
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

/** The reference's bench-lstm-single ({total_s, pretrain_s, tuning_s, runs_on}), or {missing: why}. */
async function referenceExperiment(env) {
  const missing = referenceMissing();
  if (missing) return { missing };
  const result = await run(REFERENCE_PYTHON, [path.join(REFERENCE, "experiment.py")], { cwd: REFERENCE, env });
  const r = lastJsonLine(result.stdout);
  if (!result.ok || typeof r?.total_s !== "number") return { missing: `refused: ${result.stderr.trim().split("\n").pop()}` };
  return r;
}

async function benchLstmSingle(env) {
  section("bench: bench-lstm-single (pretraining 500 x 256, seven tuners x 3 repetitions x 300 steps x 256, evaluation on 2048 x 200)");
  const reference = await referenceExperiment(env);
  const refS = reference.missing ? NOT_MEASURED : reference.total_s.toFixed(1);
  const refText = reference.missing
    ? `${NOT_MEASURED} (${reference.missing})`
    : `${refS} s (pretraining ${reference.pretrain_s.toFixed(1)} s, tuning and evaluation ${reference.tuning_s.toFixed(1)} s)`;
  console.log(`${"reference (bench/reference/experiment.py)".padEnd(36)} ${refText}`);

  const args = ["experiment", "--preset", "bench-lstm-single", "--out", path.join(OUT, "bench-lstm-single")];
  const native = await run(PROMPTLAB, args, { cwd: ROOT, env, stdout: "ignore" });
  if (!native.ok) throw failed("promptlab experiment --preset bench-lstm-single", native);
  const seconds = native.seconds.toFixed(1);
  console.log(`${"native (every core)".padEnd(36)} ${seconds.padStart(8)} s  ${ratio(seconds, refS, GOALS.singleNative).padStart(12)} the reference`);

  const tab = await run(process.execPath, [path.join(BENCH, "chromium_experiment.mjs")], { cwd: ROOT, env, stderr: "inherit" });
  const r = lastJsonLine(tab.stdout);
  if (!tab.ok || typeof r?.total_s !== "number") throw failed("bench/chromium_experiment.mjs", tab);
  const tabS = r.total_s.toFixed(1);
  console.log(
    `${("browser tab (Chromium, " + r.workers + " workers)").padEnd(36)} ${tabS.padStart(8)} s  ${ratio(tabS, refS, GOALS.singleTab).padStart(12)} the reference (pretraining ${r.pretrain_s.toFixed(1)} s, experiment ${r.experiment_s.toFixed(1)} s)`,
  );
  if (!reference.missing) console.log(`(ref: ${reference.runs_on})`);
  console.log(`(goals: native <= ${GOALS.singleNative}x, tab <= ${GOALS.singleTab}x the reference; a ratio above its goal ends in "!")`);
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
