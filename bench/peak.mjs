// The bench's distance to the machine's limit: each row's counted work per step and the fraction of the measured peak
// of the engine's own f32 matrix product it reaches, natively (every core) and in Chromium workers (the page's wasm).
// bench/run.mjs imports peakColumns (the step table's extra cells per row and their footer).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./child.mjs";
import { lastJsonLine } from "./table.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const PROMPTLAB = path.join(ROOT, "target", "release", "promptlab");

/** The three cells' headers, in the order the columns function returns them. */
export const PEAK_HEADERS = ["MAC/step", "nat %peak", "Chr %peak"];

/** What the cells mean, in one line. */
export const PEAK_DEFINITION =
  "MAC/step: the step's multiply-adds counted by the engine from the config's shapes (its matrix products forward and backward as it runs them, plus the clipping norm's and Adam's 13 operations per trained weight; the element-wise work of cells, softmax, norms and GELU is not counted); %peak = (MAC per step / seconds per step) / (the path's measured peak MAC per second)";

/** The engine's Node build (target/pkg-node), loaded on first use so importing this file needs no build. */
async function nodeEngine() {
  return (await import("../tests/common/engine.mjs")).engine;
}

/** The work of one pretraining step of the config file `configPath`, counted by `engine`: {forward, backward, update, total, trained_weights}. */
export function stepWork(engine, configPath) {
  return engine.step_work(fs.readFileSync(configPath, "utf8"));
}

/** The native peak: `promptlab bench --peak` (every core the engine's products use); throws with its stderr when it fails. */
export async function nativePeak(env, size, reps) {
  const result = await run(PROMPTLAB, ["bench", "--peak", "--size", String(size), "--steps", String(reps)], { cwd: ROOT, env });
  const peak = lastJsonLine(result.stdout);
  if (!result.ok || typeof peak?.gmacs !== "number") throw new Error(`promptlab bench --peak failed: ${result.stderr.trim()}`);
  return peak;
}

/** The summed peak of `workers` Chromium workers timing the product at once (bench/peak_chromium.mjs; env.E2E_URL: the bench site). */
export async function chromiumPeak(env, size, reps, workers) {
  const args = [path.join(BENCH, "peak_chromium.mjs"), String(size), String(reps), String(workers)];
  const result = await run(process.execPath, args, { cwd: ROOT, env });
  const peak = lastJsonLine(result.stdout);
  if (!result.ok || typeof peak?.gmacs !== "number") throw new Error(`bench/peak_chromium.mjs failed: ${result.stderr.trim()}`);
  return peak;
}

/** Measures the native peak and the Chromium peaks of each count in `workers`; {native, chromium: {1: …, 2: …}, size, reps}. */
export async function measurePeaks(env, { size = 1024, reps = 10, workers = [1, 2] } = {}) {
  const native = await nativePeak(env, size, reps);
  const chromium = {};
  for (const w of workers) chromium[w] = await chromiumPeak(env, size, reps, w);
  return { native, chromium, size, reps };
}

/** A count of multiply-adds with an SI prefix: 80.0M, 2.37G. */
export function macs(n) {
  const [scale, unit] = n >= 1e12 ? [1e12, "T"] : n >= 1e9 ? [1e9, "G"] : n >= 1e6 ? [1e6, "M"] : [1e3, "k"];
  return `${(n / scale).toPrecision(3)}${unit}`;
}

/** The fraction (in %) of `peak` (GMAC/s) that `work` multiply-adds in `ms` milliseconds reach, as text; "-" without a measured time. */
export function percentOfPeak(work, ms, peak) {
  const t = Number(ms);
  if (!(typeof ms === "number" || /^[0-9.]+$/.test(String(ms))) || !(t > 0) || !(peak?.gmacs > 0)) return "-";
  return `${((work / (t * 1e-3) / 1e9 / peak.gmacs) * 100).toFixed(1)}%`;
}

/** The footer line naming both measured peaks and what the cells mean. */
export function peakFooter(peaks) {
  const { native, chromium, size, reps } = peaks;
  const chr = Object.entries(chromium)
    .map(([w, p]) => `${p.gmacs.toFixed(1)} GMAC/s with ${w} worker${w === "1" ? "" : "s"} (one thread each)`)
    .join(", ");
  return (
    `(peak: fastest of ${reps} f32 ${size}x${size} products through the engine's dense path: natively ${native.gmacs.toFixed(1)} GMAC/s ` +
    `(${native.threads} threads), in Chromium ${chr}; ${PEAK_DEFINITION})`
  );
}

/**
 * Measures both peaks once (env.E2E_URL: the bench site). Resolves to `columns(row)` with `row` = {config, native,
 * chromium, chromiumWorkers = 1}: a config path and its measured ms per step natively and in Chromium (numbers or the
 * printed figures; anything else gives "-"), run in that many workers. It returns [MAC/step, native %peak, Chromium
 * %peak] as text. `columns.footer` is the line to print under the table; `columns.peaks` the measured peaks.
 */
export async function peakColumns(env, options = {}) {
  const engine = await nodeEngine();
  const peaks = await measurePeaks(env, options);
  const columns = ({ config, native, chromium, chromiumWorkers = 1 }) => {
    const { total } = stepWork(engine, config);
    const chr = peaks.chromium[chromiumWorkers];
    return [macs(total), percentOfPeak(total, native, peaks.native), chr ? percentOfPeak(total, chromium, chr) : "-"];
  };
  columns.footer = peakFooter(peaks);
  columns.peaks = peaks;
  return columns;
}
