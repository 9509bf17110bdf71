// One small Two-Coin Mixture run in headless Chromium, read the way a student reads it: one regret
// baseline in every text, TargetBayes's price in words, the Theory dots in the curve's units at their
// own K, a tuned hard prompt read by exact Bayes in Predict, and losses to no tuning said in words.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { engine } from "../common/engine.mjs";
import { load, openBrowser, screenshot, text } from "./browser.mjs";

const PRIOR = JSON.stringify({ kind: "random", alphas: [1, 1] });
const COINS = [0.2, 0.8];
const MIXTURE = { kind: "mixture", weights: [0.5, 0.5], probs: COINS.map((p) => [p, 1 - p]) };
/** N_tune = the Theory view's N; K = 2; 256 evaluation sequences of 40 flips. */
const N = 30;
const K = 2;
const SEQUENCES = 256;
const RUN = `#view=prompt&tsource=mixture&tcoins=${COINS.join(",")}&tweights=0.5,0.5&methods=HardPT,SimplexPT&plen=${K}&tsteps=20&tbatch=16&reps=2&tlength=${N}&elength=40&eseqs=${SEQUENCES}&kmax=10&seed=3`;

let browser, page, problems, results;
before(async () => {
  browser = await openBrowser();
  ({ page, problems } = await browser.newPage());
  await load(page, RUN);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds, null, { timeout: 600_000 });
  await page.waitForFunction(() => [...document.querySelectorAll(".engine-figure")].filter((f) => f.offsetParent !== null).every((f) => f.querySelector(".fig-host svg")));
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("t-json").click()]);
  results = JSON.parse(fs.readFileSync(await json.path(), "utf8"));
});
after(async () => {
  await page?.close();
  await browser?.close();
});

/** The regret table's medians, method → {step → median}. */
function tableOf(p) {
  return p.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll('[data-testid="regret-table"] tr[data-method]')].map((tr) => [tr.dataset.method, Object.fromEntries([...tr.querySelectorAll("td")].map((td) => [td.dataset.step, Number(td.dataset.median)]))])),
  );
}

test("the intro, the table caption, the figure captions and the engine's axis all measure regret against the oracle", async () => {
  const wording = /regret against the oracle/i;
  const intro = await page.locator("#view-prompt .intro").textContent();
  assert.match(intro, wording);
  assert.match(await page.locator('[data-testid="regret-table"] caption').textContent(), wording);
  const captions = await page.locator(".engine-figure figcaption").allTextContents();
  for (const stem of ["regret_cumulative", "regret_instant", "bars"]) {
    const caption = await page.locator(`.engine-figure[data-name^="${stem}"] figcaption`).textContent();
    assert.match(caption, wording, `${stem}: ${caption}`);
  }
  // The engine's own SVG says the same on its title and axis.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download regret_cumulative_target as SVG" }).click()]);
  const svg = fs.readFileSync(await download.path(), "utf8");
  assert.match(svg, /Cumulative regret against the oracle on target/);
  assert.match(svg, /cumulative regret against the oracle \(nats\)/);
  // Nothing in the Prompt view calls TargetBayes the baseline of regret.
  const view = await page.locator("#view-prompt").textContent();
  assert.doesNotMatch(view, /(against|over) TargetBayes/, captions.join(" | "));
});

test("the sentence beside the table gives TargetBayes's price of not knowing the coin with its own row's numbers", async () => {
  const rows = await tableOf(page);
  const floor = await text(page, "t-floor");
  assert.match(floor, /not knowing which coin/);
  const steps = Object.keys(rows.TargetBayes);
  assert.ok(steps.length >= 2, JSON.stringify(rows.TargetBayes));
  for (const step of steps) assert.ok(floor.includes(rows.TargetBayes[step].toFixed(3)), `${floor} lacks ${rows.TargetBayes[step]}`);
  // On this mixture it is about ln 2 once the flips have revealed the coin.
  const last = rows.TargetBayes[steps[steps.length - 1]];
  assert.ok(Math.abs(last - Math.LN2) < 0.1, `TargetBayes ${last}`);
});

/** log Γ(n + 1) = ln n! by summation (n is small here). */
const lnFactorial = (n) => {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
};
const logSumExp = (xs) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};

/**
 * The mean and standard deviation, over sequences of `n` flips drawn from the mixture, of PreBayes's
 * cumulative log loss minus TargetBayes's: both depend on the sequence only through its number of
 * heads h, so summing over h gives them exactly (log p_TB − log p_PB, where p_PB = h!(n−h)!/(n+1)!).
 */
function preBayesExcess(n) {
  let mean = 0, second = 0;
  for (let h = 0; h <= n; h++) {
    const logTarget = logSumExp(COINS.map((p) => Math.log(0.5) + h * Math.log(p) + (n - h) * Math.log(1 - p)));
    const logPre = lnFactorial(h) + lnFactorial(n - h) - lnFactorial(n + 1);
    const prob = Math.exp(lnFactorial(n) - lnFactorial(h) - lnFactorial(n - h) + logTarget);
    const f = logTarget - logPre;
    mean += prob * f;
    second += prob * f * f;
  }
  return { mean, sd: Math.sqrt(second - mean * mean) };
}

test("the Theory dots are in the curve's units: PreBayes sits on the curve at K = 0 within sampling error", async () => {
  await page.click("#tab-theory");
  await page.waitForFunction(() => Number(document.getElementById("reach-note").dataset.points) > 0);
  const dots = JSON.parse(await page.getByTestId("reach-note").getAttribute("data-dots"));
  const rows = await tableOf(page);
  // Each dot is the method's cumulative regret minus TargetBayes's at N (one repetition for the Bayes rows).
  const pre = dots.find((d) => d.method === "PreBayes");
  assert.ok(Math.abs(pre.y - (rows.PreBayes[N] - rows.TargetBayes[N])) < 1e-9, `${pre.y} vs ${rows.PreBayes[N]} − ${rows.TargetBayes[N]}`);
  // The engine computes the shift per repetition; the page shows its numbers.
  const excess = engine.excess_over_target(results, "target", N);
  for (const d of dots) assert.ok(Math.abs(d.y - excess.find((e) => e.method === d.method).median) < 1e-12, d.method);
  // The curve at K = 0 is the exact mean of that excess; the dot is its mean over the run's sampled
  // sequences, so it lies within 4 standard errors (sd / √sequences) of it.
  const r0 = engine.reach(PRIOR, JSON.stringify(MIXTURE), 10, N).rows[0].excess_regret;
  const { mean, sd } = preBayesExcess(N);
  assert.ok(Math.abs(mean - r0) < 1e-9, `the exact sum ${mean} is the engine's R_0 ${r0}`);
  const tolerance = (4 * sd) / Math.sqrt(SEQUENCES);
  assert.ok(Math.abs(pre.y - r0) < tolerance, `PreBayes dot ${pre.y} vs R_0 ${r0} (tolerance ${tolerance})`);
  // Before the shift it sat about ln 2 higher, far outside that tolerance.
  assert.ok(Math.abs(rows.PreBayes[N] - r0) > 3 * tolerance);
  assert.match(await text(page, "reach-note"), /minus TargetBayes/);
});

/** The boxes of the Theory chart's dot labels; asserts every dot is named and no two names overlap. */
async function checkLabels(page, methods) {
  const boxes = await page.evaluate(() => [...document.querySelectorAll("#chart-reach .point-labels text")].map((t) => {
    const { x, y, width, height } = t.getBBox();
    return { text: t.textContent, x, y, width, height };
  }));
  assert.ok(boxes.every((b) => b.width > 0 && b.height > 0), JSON.stringify(boxes));
  assert.deepEqual(boxes.map((b) => b.text).sort(), methods);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;
      assert.ok(apart, `${a.text} overlaps ${b.text}`);
    }
  }
}

test("each Theory dot sits at its own K, the run's K is marked on the curve, and the dots' labels do not overlap", async () => {
  const dots = JSON.parse(await page.getByTestId("reach-note").getAttribute("data-dots"));
  const catalog = engine.method_catalog();
  const methods = dots.map((d) => d.method).sort();
  assert.deepEqual(methods, ["HardPT", "NoTuning", "PreBayes", "PreBayesPT", "SimplexPT"]);
  for (const d of dots) {
    const where = catalog.find((c) => c.label === d.method).theory_k;
    assert.equal(d.x, where === "zero" ? 0 : K, `${d.method} (${where}) at x = ${d.x}`);
  }
  assert.equal(await page.getByTestId("reach-note").getAttribute("data-run-k"), String(K));
  assert.match(await page.locator("#legend-reach").textContent(), new RegExp(`the run's K = ${K}`));
  // Every dot is named beside it, and no two names overlap, on a laptop and on a phone.
  await checkLabels(page, methods);
  await screenshot(page, "theory-mixture-dots");
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForFunction(() => document.querySelector("#chart-reach svg").getAttribute("width") < 400);
  await checkLabels(page, methods);
  await screenshot(page, "theory-mixture-dots-360");
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("a tuned HardPT prompt in Predict is real flips: exact Bayes reads it, and no continuous-prefix message", async () => {
  await page.click("#tab-predict");
  const tuned = engine.tuned_prompts(results).find((p) => p.method === "HardPT");
  assert.equal(tuned.prefix.kind, "hard");
  const tokens = tuned.prefix.tokens;
  const options = await page.locator("#tuned-prefix option").allTextContents();
  const label = options.find((o) => o.startsWith("HardPT"));
  assert.ok(label, `${options}`);
  assert.ok(label.includes([...tokens].map((t) => "HT"[t]).join("")), label);
  await page.selectOption("#tuned-prefix", { label });
  await page.waitForFunction(() => /real flips/.test(document.getElementById("prefix-note").textContent));
  const note = await text(page, "prefix-note");
  assert.doesNotMatch(note, /continuous/);
  assert.match(note, /exact Bayes/);
  // Bayes's number is the one after reading the prompt's flips, then the user's.
  const { source, flips } = await page.evaluate(() => ({ source: document.getElementById("readout").dataset.source, flips: document.getElementById("readout").dataset.flips }));
  const want = engine.bayes_next(source, tokens + flips)[tokens.length + flips.length][0];
  await page.waitForFunction((w) => document.getElementById("bayes-p0").textContent === w, want.toFixed(4));
  // A continuous prefix still says Bayes cannot read it.
  const soft = options.find((o) => o.startsWith("SimplexPT"));
  assert.ok(soft, options.join(", "));
  await page.selectOption("#tuned-prefix", { label: soft });
  await page.waitForFunction(() => /continuous/.test(document.getElementById("prefix-note").textContent));
  await page.selectOption("#tuned-prefix", { label: "none" });
  await page.click("#tab-prompt");
});

test("where a method did worse than its reference, the page says so beside the table with the engine's numbers", async () => {
  const findings = engine.worse_than_baselines(results, "target");
  // On this mixture the best hard prompt is the empty one: exact Bayes is worse behind its best 2-flip prompt.
  assert.ok(findings.some((w) => w.method === "PreBayesPT" && w.baseline === "PreBayes" && w.forced_flips), JSON.stringify(findings));
  assert.deepEqual(JSON.parse(await page.getByTestId("t-worse").getAttribute("data-findings")), findings.map((w) => w.method));
  const items = await page.locator('[data-testid="t-worse"] li').allTextContents();
  const all = items.join(" ");
  for (const w of findings) {
    if (w.method !== "PreBayesPT") assert.ok(items.some((t) => t.startsWith(`${w.method} did worse than no tuning`)), `${w.method}: ${all}`);
    for (const s of w.steps.slice(0, 1)) {
      assert.ok(all.includes(s.median.toFixed(3)) && all.includes(s.baseline.toFixed(3)), `${w.method} at ${s.step}: ${all}`);
    }
  }
  assert.match(all, new RegExp(`exactly K = ${K} real flips`));
  assert.match(all, /no prompt at all beats the best of/);
  await screenshot(page, "prompt-mixture-words");
  assert.deepEqual(problems, []);
});
