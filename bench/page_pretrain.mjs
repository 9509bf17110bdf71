// The bench's page-pretraining driver: the Pretrain view's own worker (www/workers/pretrain.js, which starts a helper
// worker for part 1 of every step when the browser reports 2 or more cores) in headless Chromium, timed from its progress messages.
// node bench/page_pretrain.mjs CONFIG.json [STEPS] [WARMUP] → one JSON line {ms_per_step_mean, steps, workers}.
// The run takes WARMUP + STEPS steps; the time is the wall time from the last progress message at or before step WARMUP
// to the last one (step WARMUP + STEPS), over the steps between them, so it includes the view's live KL evaluations.
// Needs the bench site served at E2E_URL (bench/run.mjs serves it).
import { load, openBrowser } from "../tests/e2e/browser.mjs";
import { stepArgs } from "./step_args.mjs";

const HOUR = 3_600_000;
const { configText, steps, warmup } = stepArgs("node bench/page_pretrain.mjs");
const config = JSON.parse(configText);
config.pretraining = { ...(config.pretraining ?? {}), steps: warmup + steps };

const browser = await openBrowser();
try {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict"); // the served page: its origin, CSP and wasm package
  const out = await page.evaluate(
    ({ config, warmup, timeout }) =>
      new Promise((resolve) => {
        const worker = new Worker("./workers/pretrain.js", { type: "module" });
        const end = (result) => {
          clearTimeout(timer);
          worker.terminate();
          resolve(result);
        };
        const timer = setTimeout(() => end({ error: "the pretraining worker did not finish within an hour" }), timeout);
        let mark = null; // {step, t}: the last progress message at or before step `warmup`
        let last = null;
        let workers = null;
        worker.onmessage = ({ data }) => {
          const t = performance.now();
          if (data.type === "progress") {
            workers = data.workers;
            if (data.step <= warmup) mark = { step: data.step, t };
            last = { step: data.step, t };
          } else if (data.type === "done") {
            if (data.reason !== "finished" || !mark || !last || last.step <= mark.step) end({ error: `the run ended ${data.reason} at step ${data.step}` });
            else end({ ms: (last.t - mark.t) / (last.step - mark.step), steps: last.step - mark.step, workers });
          } else if (data.type === "error") {
            end({ error: data.message });
          }
        };
        worker.onerror = (e) => end({ error: e.message ?? "the pretraining worker failed" });
        worker.postMessage({ type: "start", config });
      }),
    { config: JSON.stringify(config), warmup, timeout: HOUR },
  );
  if (out.error) throw new Error(out.error);
  if (problems.length) throw new Error(problems.join("; "));
  console.log(JSON.stringify({ ms_per_step_mean: out.ms, steps: out.steps, workers: out.workers }));
} finally {
  await browser.close();
}
