// The bench's Chromium driver: times the page's wasm engine in a worker of headless Chromium, as the Pretrain view runs it.
// node bench/chromium.mjs CONFIG.json [STEPS] [WARMUP] → one JSON line (ms per pretraining step).
// Needs the bench site served at E2E_URL (bench/run.mjs serves it: www/ with bench/page/ at /bench/).
import { load, openBrowser } from "../tests/e2e/browser.mjs";
import { stepArgs } from "./step_args.mjs";

const { configText, steps, warmup } = stepArgs("node bench/chromium.mjs");
const browser = await openBrowser();
try {
  const { page } = await browser.newPage();
  await load(page, "#view=predict"); // the served page: its origin, CSP and wasm package
  const out = await page.evaluate(
    (msg) =>
      new Promise((resolve) => {
        const worker = new Worker("./bench/worker.js", { type: "module" });
        worker.onmessage = (e) => {
          worker.terminate();
          resolve(e.data);
        };
        worker.onerror = (e) => resolve({ error: e.message ?? "the bench worker failed" });
        worker.postMessage(msg);
      }),
    { config: configText, steps, warmup },
  );
  if (out.error) throw new Error(out.error);
  const times = [...out.times].sort((a, b) => a - b);
  console.log(JSON.stringify({ ms_per_step_median: times[Math.floor(times.length / 2)], ms_per_step_min: times[0], steps: times.length }));
} finally {
  await browser.close();
}
