// The bench's browser-tab experiment: bench-lstm-single in headless Chromium, as a user would run it:
// pretrain in the Pretrain view, use that network in the Prompt view, run seven tuners × 3 repetitions on
// the worker pool. node bench/chromium_experiment.mjs → one JSON line {pretrain_s, experiment_s, total_s, workers}.
// The same settings as the engine's preset `bench-lstm-single` (src/experiment/presets.rs); needs the page at E2E_URL.
import { load, openBrowser } from "../tests/e2e/browser.mjs";

const HOUR = 3_600_000;
const browser = await openBrowser();
try {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=pretrain&arch=lstm&width=32&steps=500&batch=256&length=100&lr=0.001&seed=0");
  const t0 = Date.now();
  await page.getByTestId("pt-start").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=pt-step]").textContent === "500 / 500", null, { timeout: HOUR });
  await page.waitForFunction(() => !document.querySelector("[data-testid=pt-start]").disabled, null, { timeout: HOUR });
  const pretrainS = (Date.now() - t0) / 1000;
  await page.getByTestId("pt-use").click();
  await page.waitForFunction(() => document.getElementById("readout").dataset.model === "mine");
  await page.evaluate(() => {
    location.hash =
      "view=prompt&tmodel=mine&tsource=single&tbias=0.2&methods=SimplexPT,RealPT,SoftPT,FullWT,EmbedWT,UnembedWT,Un+EmbedWT" +
      "&plen=6&tsteps=300&tbatch=256&tlength=50&tlr=0.005&reps=3&elength=200&eseqs=2048&seed=0";
  });
  await page.waitForFunction(() => /21 jobs/.test(document.getElementById("t-plan").textContent), null, { timeout: 60_000 });
  await page.waitForFunction(() => !document.getElementById("t-run").disabled);
  const workers = Number(/on (\d+) workers?/.exec(await page.getByTestId("t-plan").textContent())[1]);
  await page.getByTestId("t-run").click();
  await page.waitForSelector("[data-testid=t-results]:not([hidden])", { timeout: HOUR });
  const experimentS = Number(await page.evaluate(() => document.body.dataset.runSeconds));
  if (problems.length) throw new Error(problems.join("; "));
  console.log(JSON.stringify({ pretrain_s: pretrainS, experiment_s: experimentS, total_s: pretrainS + experimentS, workers }));
} finally {
  await browser.close();
}
