// Times the page's wasm engine in a worker of headless Chromium, as the Pretrain view runs it:
// node tests/e2e/bench.mjs CONFIG.json [STEPS] [WARMUP] → one JSON line (ms per pretraining step).
// Needs the page served at E2E_URL (./build.sh bench serves it).
import fs from "node:fs";
import { load, openBrowser } from "./browser.mjs";

const [configPath, stepsArg = "10", warmupArg = "2"] = process.argv.slice(2);
if (!configPath) {
  console.error("usage: node tests/e2e/bench.mjs CONFIG.json [STEPS] [WARMUP]");
  process.exit(2);
}
const browser = await openBrowser();
try {
  const { page } = await browser.newPage();
  await load(page); // the served page: its origin, CSP and wasm package
  const out = await page.evaluate(
    (msg) =>
      new Promise((resolve) => {
        const worker = new Worker("./bench_worker.js", { type: "module" });
        worker.onmessage = (e) => {
          worker.terminate();
          resolve(e.data);
        };
        worker.onerror = (e) => resolve({ error: e.message ?? "the bench worker failed" });
        worker.postMessage(msg);
      }),
    { config: fs.readFileSync(configPath, "utf8"), steps: Number(stepsArg), warmup: Number(warmupArg) },
  );
  if (out.error) throw new Error(out.error);
  const times = [...out.times].sort((a, b) => a - b);
  console.log(JSON.stringify({ ms_per_step_median: times[Math.floor(times.length / 2)], ms_per_step_min: times[0], steps: times.length }));
} finally {
  await browser.close();
}
