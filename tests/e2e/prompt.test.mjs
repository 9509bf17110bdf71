// The Prompt and Inside views in headless Chromium: a tuning run on the worker pool,
// its table, figures and CSV against the engine run directly, URL reproducibility, cancel, bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { engine } from "../common/engine.mjs";
import { ROOT, SHOTS, load, sharedBrowser, reload, screenshot, text } from "./browser.mjs";


/** A small experiment: every tuner the LSTM allows except LoRA, 2 repetitions of 25 steps. */
const SMALL = "#view=prompt&tsource=single&tbias=0.3&methods=HardPT,SimplexPT,RealPT,SoftPT,FullWT,EmbedWT&plen=4&tsteps=25&tbatch=16&reps=2&elength=60&eseqs=64&seed=7";

const browser = sharedBrowser();

/** Starts watching main-thread long tasks (PerformanceObserver "longtask"). */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: "longtask" });
  });
}

/** Clicks Run and waits for the results; returns {seconds, longestTaskMs, csv}. */
async function runExperiment(page, timeout = 600_000) {
  await page.evaluate(() => delete document.body.dataset.runSeconds);
  await watchLongTasks(page);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds, null, { timeout });
  // Let the figures decode before reading the long-task record.
  await page.waitForFunction(() => [...document.querySelectorAll(".engine-figure")].filter((f) => f.offsetParent !== null).every((f) => f.querySelector(".fig-host svg")));
  return page.evaluate(() => ({
    seconds: Number(document.body.dataset.runSeconds),
    longestTaskMs: window.__longest,
    csv: document.getElementById("t-figures").dataset.csv,
  }));
}

/** The table's numbers, method → [median…]. */
async function table(page) {
  return page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll('[data-testid="regret-table"] tr[data-method]')].map((tr) => [tr.dataset.method, [...tr.querySelectorAll("td")].map((td) => Number(td.dataset.median))])),
  );
}

/** The experiment the page ran, computed again by the Node build of the engine in one session. */
async function engineCsv(page) {
  const { config, model } = await page.evaluate(async () => {
    const S = await import("./state.js");
    const state = S.parse(location.hash).state;
    return { config: S.experimentConfigJson(state), model: state.tmodel };
  });
  const dir = path.join(ROOT, "www", "models", model);
  const session = new engine.ExperimentSession(config, fs.readFileSync(path.join(dir, "config.json"), "utf8"), new Uint8Array(fs.readFileSync(path.join(dir, "model.safetensors"))));
  const grouped = new Map();
  for (const job of session.jobs()) {
    if (!grouped.has(job.method)) grouped.set(job.method, []);
    grouped.get(job.method)[job.repetition] = session.run_job(job.method, job.repetition, () => {});
  }
  const results = session.assemble([...grouped].map(([method, repetitions]) => ({ method, repetitions })), Date.now());
  session.free();
  return engine.experiment_summary_csv(results);
}

function assertCsvEqual(page, engineText) {
  const a = page.trim().split("\n");
  const b = engineText.trim().split("\n");
  assert.equal(a[0], "eval_source,method,step,median,q25,q75");
  assert.equal(a.length, b.length);
  for (let i = 1; i < a.length; i++) {
    const [x, y] = [a[i].split(","), b[i].split(",")];
    assert.deepEqual(x.slice(0, 3), y.slice(0, 3));
    for (let c = 3; c < 6; c++) assert.ok(Math.abs(Number(x[c]) - Number(y[c])) <= 1e-9, `row ${i} col ${c}: page ${x[c]} vs engine ${y[c]}`);
  }
}

test("a tuning run on the worker pool: live progress, table, engine figures and a CSV equal to the engine's", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, SMALL);
  assert.match(await text(page, "t-plan"), /6 tuners × 2 repetitions = 12 jobs/);
  assert.equal(await page.getByTestId("method-LoRAWT").isDisabled(), true, "LoRA does not apply to the LSTM");
  const run = await runExperiment(page);
  // Every method's progress reached its end.
  for (const m of ["SimplexPT", "RealPT", "SoftPT", "FullWT", "EmbedWT"]) {
    assert.match(await text(page, `progress-${m}`), /^50 \/ 50 steps \(25 per repetition\), 2 \/ 2 repetitions done/);
  }
  assert.match(await text(page, "progress-HardPT"), /2 \/ 2 repetitions done/);
  assert.ok((await page.locator("#chart-tuning svg path").count()) >= 10, "a live loss line per job");
  const names = await page.evaluate(() => [...document.querySelectorAll("#t-figures figure")].map((f) => f.dataset.name));
  for (const want of ["regret_cumulative_target.svg", "regret_instant_target.svg", "bars_target.svg", "tuning_loss.svg", "hard_prefix_ranking.svg"]) assert.ok(names.includes(want), `${want} missing: ${names}`);
  const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download regret_cumulative_target as SVG" }).click()]);
  assert.match(svgDownload.suggestedFilename(), /^promptlab-prompt-single0\.3-[0-9a-f]{8}-regret_cumulative_target\.svg$/, "named after the run");
  const regretSvg = fs.readFileSync(await svgDownload.path(), "utf8");
  assert.ok(regretSvg.trimStart().startsWith("<svg"));
  assert.match(regretSvg, /TargetBayes/);
  assert.match(regretSvg, /#0072B2/, "SoftPT in its engine colour");

  // The table shows the CSV's numbers, and the CSV is the engine's.
  const rows = await table(page);
  const csvLine = run.csv.split("\n").find((l) => l.startsWith("target,SoftPT,50,"));
  assert.ok(Math.abs(rows.SoftPT[0] - Number(csvLine.split(",")[3])) < 1e-12);
  assert.equal(rows.TargetBayes[0], 0);
  assertCsvEqual(run.csv, await engineCsv(page));

  // Downloads carry the same text.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("t-csv").click()]);
  assert.equal(download.suggestedFilename(), svgDownload.suggestedFilename().replace("regret_cumulative_target.svg", "summary.csv"), "the run's files share its name");
  assert.equal(fs.readFileSync(await download.path(), "utf8"), run.csv);
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("t-json").click()]);
  const results = JSON.parse(fs.readFileSync(await json.path(), "utf8"));
  assert.equal(results.config.tuning.steps, 25);
  const [png] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download bars_target as PNG" }).click()]);
  assert.equal(fs.readFileSync(await png.path()).subarray(1, 4).toString(), "PNG");
  await screenshot(page, "prompt");

  // Inside: the state figures of this run.
  await page.click("#tab-inside");
  assert.equal(await page.getByTestId("inside-empty").isHidden(), true);
  assert.equal(await page.locator("#inside-figures .engine-figure").count(), 2);
  await page.waitForFunction(() => document.querySelectorAll("#inside-figures .fig-host svg").length === 2);
  await screenshot(page, "inside");

  // Predict: a tuned prefix moves the network's prediction.
  await page.click("#tab-predict");
  const before = await text(page, "net-p0");
  const options = await page.locator("#tuned-prefix option").allTextContents();
  assert.ok(options.some((o) => o.startsWith("SoftPT")), `${options}`);
  await page.selectOption("#tuned-prefix", { label: options.find((o) => o.startsWith("SoftPT")) });
  await page.waitForFunction((b) => document.getElementById("net-p0").textContent !== b, before);
  assert.match(await text(page, "prefix-note"), /SoftPT prefix \(K = 4\)/);
  // A Single Coin 0.3 prefix, even after only 25 steps, pulls P(H) from about 0.5 towards 0.3.
  assert.ok(Number(await text(page, "net-p0")) < 0.48, `prompted P(H) = ${await text(page, "net-p0")}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("reloading the link reproduces the same numbers; cancel stops the workers and a re-run matches", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, SMALL);
  const first = await runExperiment(page);
  const firstTable = await table(page);
  await reload(page);
  // Cancel a run midway: progress freezes and the status says so.
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => [...document.querySelectorAll("#t-progress progress")].some((p) => p.value > 0), null, { timeout: 120_000 });
  await page.getByTestId("t-cancel").click();
  await page.waitForFunction(() => document.body.dataset.promptRunning === "false");
  assert.match(await text(page, "status"), /cancelled/);
  const frozen = await page.evaluate(() => [...document.querySelectorAll("#t-progress progress")].map((p) => p.value));
  await page.waitForTimeout(1500);
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll("#t-progress progress")].map((p) => p.value)), frozen, "no progress after cancel");
  assert.equal(await page.getByTestId("t-results").isHidden(), true);
  // Then the same run again: identical to the first page's.
  const second = await runExperiment(page);
  assert.equal(second.csv, first.csv);
  assert.deepEqual(await table(page), firstTable);
  assert.deepEqual(problems, []);
  await page.close();
});

test("bad input is refused beside the controls and the run button waits", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=prompt");
  await page.getByTestId("t-bias").fill("1.5");
  await page.waitForFunction(() => document.getElementById("prompt-error").textContent !== "");
  assert.match(await page.getByTestId("prompt-error").getAttribute("data-engine"), /tuning\.source\.probs.*1\.5/);
  assert.equal(await page.getByTestId("t-bias").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByTestId("t-run").isDisabled(), true);
  await page.getByTestId("t-bias").fill("0.25");
  await page.waitForFunction(() => document.getElementById("prompt-error").textContent === "");
  assert.equal(await page.getByTestId("t-run").isDisabled(), false);
  await page.getByTestId("t-plen").fill("20");
  await page.waitForFunction(() => document.getElementById("prompt-error").textContent !== "");
  assert.match(await page.getByTestId("prompt-error").getAttribute("data-engine"), /prefix_length/);
  assert.match(await text(page, "prompt-error"), /^Prefix length K must be at most \d+ /);
  await page.getByTestId("t-plen").fill("6");
  await page.getByTestId("t-kind").selectOption("mixture");
  await page.getByTestId("t-weight-a").fill("0.7");
  await page.waitForFunction(() => document.getElementById("prompt-error").textContent !== "");
  assert.match(await text(page, "prompt-error"), /^Weight of A and Weight of B must add up to 1; they add up to 1\.2\.$/);
  assert.equal(await page.getByTestId("t-weight-a").getAttribute("aria-invalid"), "true");
  await page.getByTestId("t-weight-a").fill("0.5");
  // LoRA applies to the Transformer only.
  await page.getByTestId("t-model").selectOption("transformer");
  await page.waitForFunction(() => !document.querySelector('[data-testid="method-LoRAWT"]').disabled);
  await page.getByTestId("t-model").selectOption("untrained");
  await page.waitForFunction(() => /FullWT/.test(document.getElementById("prompt-error").textContent));
  await page.getByTestId("method-FullWT").uncheck();
  await page.waitForFunction(() => document.getElementById("prompt-error").textContent === "");
  assert.equal(await page.getByTestId("method-FullWT").isDisabled(), true, "FullWT needs a trained network");
  await page.setViewportSize({ width: 360, height: 800 });
  await screenshot(page, "prompt-360px-error");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page wider than 360 px by ${overflow} px`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the default Prompt experiment: wall time and the longest main-thread task", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=prompt");
  const run = await runExperiment(page);
  const plan = await text(page, "t-plan");
  console.log(`default Prompt experiment (${plan}): ${run.seconds.toFixed(1)} s; longest main-thread task ${run.longestTaskMs.toFixed(0)} ms`);
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, "prompt-timing.json"), `${JSON.stringify({ plan, seconds: run.seconds, longestTaskMs: run.longestTaskMs })}\n`);
  assert.ok(run.longestTaskMs <= 100, `a main-thread task took ${run.longestTaskMs} ms`);
  // The observer does see long tasks: a 150 ms busy loop on the main thread is recorded.
  await page.evaluate(() => {
    setTimeout(() => {
      const t = performance.now();
      while (performance.now() - t < 150);
    }, 0);
  });
  await page.waitForFunction(() => window.__longest >= 140, null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await page.close();
});
