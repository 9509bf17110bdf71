// The bench's Chromium peak driver: times a large square f32 product through the page's wasm engine in WORKERS
// workers of headless Chromium at once (each one thread, as the page's Pretrain workers run).
// node bench/peak_chromium.mjs [SIZE] [REPS] [WORKERS] → one JSON line: the workers' summed peak and each one's.
// Needs the bench site served at E2E_URL (bench/run.mjs serves it: www/ with bench/page/ at /bench/).
import { load, openBrowser } from "../tests/e2e/browser.mjs";
import { count } from "./step_args.mjs";

const [size, reps, workers] = [
  [process.argv[2] ?? "1024", 64],
  [process.argv[3] ?? "10", 1],
  [process.argv[4] ?? "1", 1],
].map(([arg, min]) => count(arg, min));
if (size === null || reps === null || workers === null) {
  console.error("usage: node bench/peak_chromium.mjs [SIZE ≥ 64] [REPS ≥ 1] [WORKERS ≥ 1]");
  process.exit(2);
}

const browser = await openBrowser();
try {
  const { page } = await browser.newPage();
  await load(page, "#view=predict"); // the served page: its origin, CSP and wasm package
  const out = await page.evaluate(
    ({ size, reps, workers }) => {
      // Every worker loads the engine first, so the timed products of all of them overlap.
      const started = Array.from({ length: workers }, () => new Worker("./bench/peak_worker.js", { type: "module" }));
      const ask = (worker, msg) =>
        new Promise((resolve) => {
          worker.onmessage = (e) => resolve(e.data);
          worker.onerror = (e) => resolve({ error: e.message ?? "the peak worker failed" });
          worker.postMessage(msg);
        });
      return Promise.all(started.map((w) => ask(w, {})))
        .then((ready) => ready.find((r) => r.error) ?? Promise.all(started.map((w) => ask(w, { size, reps }))))
        .finally(() => started.forEach((w) => w.terminate()));
    },
    { size, reps, workers },
  );
  const failure = Array.isArray(out) ? out.find((r) => r.error) : out;
  if (failure?.error) throw new Error(failure.error);
  const peaks = out.map((r) => r.peak);
  const gmacs = peaks.reduce((sum, p) => sum + p.gmacs, 0);
  console.log(JSON.stringify({ gmacs, gflops: 2 * gmacs, size, reps, workers, threads: workers, each: peaks }));
} finally {
  await browser.close();
}
