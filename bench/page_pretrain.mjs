// The bench's page-pretraining driver: the Pretrain view's own worker (www/workers/pretrain.js, which starts a helper
// worker for part 1 of every step when the browser reports 2 or more cores) in headless Chromium, timed from its progress messages.
// node bench/page_pretrain.mjs CONFIG.json [STEPS] [WARMUP] → one JSON line {ms_per_step_mean, steps, workers}.
// The mark is the first progress message at or after step WARMUP and at least WARM_MS after the first one (bench/page/steps.js:
// V8 tiers the wasm up meanwhile); the time is the wall time from the mark to the first progress message at least STEPS
// steps later, over the steps between them, so it includes the view's live KL evaluations. Then the run is stopped.
// Needs the bench site served at E2E_URL (bench/run.mjs serves it).
import { load, openBrowser } from "../tests/e2e/browser.mjs";
import { MAX_STEPS, WARM_MS } from "./page/steps.js";
import { stepArgs } from "./step_args.mjs";

const HOUR = 3_600_000;
const { configText, steps, warmup } = stepArgs("node bench/page_pretrain.mjs");
const config = JSON.parse(configText);
config.pretraining = { ...(config.pretraining ?? {}), steps: MAX_STEPS };

const browser = await openBrowser();
try {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict"); // the served page: its origin, CSP and wasm package
  const out = await page.evaluate(
    ({ config, steps, warmup, warmMs, timeout }) =>
      new Promise((resolve) => {
        const worker = new Worker("./workers/pretrain.js", { type: "module" });
        const end = (result) => {
          clearTimeout(timer);
          worker.terminate();
          resolve(result);
        };
        const timer = setTimeout(() => end({ error: "the pretraining worker did not finish within an hour" }), timeout);
        let first = null; // the time of the first progress message
        let mark = null; // {step, t}: where the timing starts
        let measured = null;
        let workers = null;
        worker.onmessage = ({ data }) => {
          const t = performance.now();
          if (data.type === "progress" && !measured) {
            workers = data.workers;
            first ??= t;
            if (!mark && data.step >= warmup && t - first >= warmMs) mark = { step: data.step, t };
            else if (mark && data.step >= mark.step + steps) {
              measured = { ms: (t - mark.t) / (data.step - mark.step), steps: data.step - mark.step, workers };
              worker.postMessage({ type: "stop" });
            }
          } else if (data.type === "done") {
            end(measured ?? { error: `the run ended ${data.reason} at step ${data.step}` });
          } else if (data.type === "error") {
            end({ error: data.message });
          }
        };
        worker.onerror = (e) => end({ error: e.message ?? "the pretraining worker failed" });
        worker.postMessage({ type: "start", config });
      }),
    { config: JSON.stringify(config), steps, warmup, warmMs: WARM_MS, timeout: HOUR },
  );
  if (out.error) throw new Error(out.error);
  if (problems.length) throw new Error(problems.join("; "));
  console.log(JSON.stringify({ ms_per_step_mean: out.ms, steps: out.steps, workers: out.workers }));
} finally {
  await browser.close();
}
