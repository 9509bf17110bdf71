// The Learn view read as a student reads it: every chapter in order, a guess before every answer,
// the answer hidden until then and equal to the engine's own numbers (computed here through the
// Node engine for the settings the chapter shows), the summary holding every guess; a chapter
// opened from a link at 360 px whose lab link gives the same numbers; keys, cancel and the URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { engine, ROOT } from "../common/engine.mjs";
import { load, loadFresh, screenshot, sharedBrowser, text } from "./browser.mjs";
import { nats, prob } from "../../web/lib/format.js";

const { newPage } = sharedBrowser();
const PRIOR = JSON.stringify({ kind: "random", alphas: [1, 1] });
const HIDDEN = "The answer appears here once you lock in a guess, or press “Just show me”.";

/** A shipped model's config and weights, as the page fetches them. */
function model(name) {
  const dir = path.join(ROOT, "www", "models", name);
  return { config: fs.readFileSync(path.join(dir, "config.json"), "utf8"), weights: new Uint8Array(fs.readFileSync(path.join(dir, "model.safetensors"))) };
}

/** The shipped LSTM's P(H) for the first flip after hard prompt `prompt` and flips `flips`. */
function network(flips, prompt = null) {
  const m = model("lstm");
  const rows = engine.model_predict(m.config, m.weights, flips, prompt === null ? null : JSON.stringify({ kind: "hard", tokens: prompt }));
  return rows[flips.length][0];
}

/** Exact Bayes's P(H) after `flips` under the shipped networks' prior. */
const bayes = (flips) => engine.bayes_next(PRIOR, flips)[flips.length][0];

/** Runs the experiment of a run box's key ("MODEL CONFIG") through the Node engine; its excess over TargetBayes after N_tune flips, method → median. */
function excess(key) {
  const space = key.indexOf(" ");
  const m = model(key.slice(0, space));
  const session = new engine.ExperimentSession(key.slice(space + 1), m.config, m.weights);
  const finished = new Map();
  for (const job of session.jobs()) {
    if (!finished.has(job.method)) finished.set(job.method, []);
    finished.get(job.method)[job.repetition] = session.run_job(job.method, job.repetition, () => {});
  }
  const results = session.assemble([...finished].map(([method, repetitions]) => ({ method, repetitions })), Date.now());
  const rows = engine.excess_over_target(results, results.eval_sources[0], results.config.tuning.sequence_length);
  session.free();
  return Object.fromEntries(rows.map((r) => [r.method, r.median]));
}

/** The chapter shown, its answer's visibility and its reveal line. */
async function chapterState(page, n) {
  return page.evaluate((n) => ({
    lesson: document.querySelector("[data-testid=lesson]").dataset.lesson,
    answerHidden: document.querySelector(`[data-testid=answer-${n}]`)?.hidden,
    reveal: document.querySelector(`[data-testid=reveal-${n}]`)?.textContent,
  }), n);
}

/** Waits until chapter `n`'s answer is shown. */
const answered = (page, n) => page.waitForFunction((n) => document.querySelector(`[data-testid=answer-${n}]`)?.hidden === false, n, { timeout: 120_000 });
/** Waits until `count` run boxes of the open chapter have finished. */
const runsDone = (page, count = 1) => page.waitForFunction((count) => [...document.querySelectorAll("[data-testid=lesson] .run-box")].filter((b) => b.dataset.state === "done").length === count, count, { timeout: 300_000 });
/** How many live runs each chapter makes. */
const RUNS = { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2 };
const reveal = (page, n) => page.getByTestId(`reveal-${n}`);

/** Locks in a slider guess `value` for key `key`. */
async function slide(page, key, value) {
  await page.getByTestId(`${key}-range`).fill(value);
  await page.getByTestId(`${key}-lock`).click();
}

/** Locks in a choice `value` for key `key`. */
async function choose(page, key, value) {
  await page.getByTestId(`${key}-${value}`).check();
  await page.getByTestId(`${key}-lock`).click();
}

/** Every run box key of the open chapter (its network and config JSON). */
const runKeys = (page) => page.evaluate(() => [...document.querySelectorAll("[data-testid=lesson] .run-box")].map((b) => b.dataset.config));

test("a first visit opens Learn; a student reads every chapter in order, guessing before each answer, and the summary holds every guess", async () => {
  const { page, problems } = await newPage();
  // Every main-thread task over 50 ms, for the note (measured, not asserted: a loaded machine stretches them).
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => Math.round(e.duration)))).observe({ type: "longtask", buffered: true });
  });
  await load(page, "");
  assert.equal(await page.locator("#tab-learn").getAttribute("aria-selected"), "true");
  const paint = await page.evaluate(() => ({ at: Number(document.body.dataset.lessonPaintMs), load: performance.getEntriesByType("navigation")[0].loadEventEnd }));
  console.log(`chapter 1 first paint: ${paint.at} ms after navigation start, ${(paint.at - paint.load).toFixed(0)} ms after the load event`);

  // 1. A coin and a guess: Laplace's rule after H H H H H.
  let s = await chapterState(page, 1);
  assert.equal(s.lesson, "1");
  assert.equal(s.answerHidden, true);
  assert.equal(s.reveal, HIDDEN);
  const b1 = bayes("00000");
  assert.doesNotMatch(await page.getByTestId("lesson").textContent(), new RegExp(prob(b1)), "the answer is not in the text before the guess");
  await slide(page, "g1", "0.7");
  await answered(page, 1);
  assert.match(await reveal(page, 1).textContent(), new RegExp(`^You said 0\\.70\\. Exact Bayes says ${prob(b1)}\\. .*Beta\\(6, 1\\)`));
  assert.equal(await reveal(page, 1).getAttribute("aria-live"), "polite");
  // The reader flips: the figures follow (an H more moves the bet to Bayes's after six heads).
  await page.getByTestId("lesson1-pad-h").click();
  assert.equal(await text(page, "lesson1-pad-flips"), "H H H H H H");
  assert.match(await page.evaluate(() => location.hash), /c1more=0(&|$)/);

  // 2. The network learned to be Bayesian.
  await page.getByTestId("lesson-next").click();
  s = await chapterState(page, 2);
  assert.deepEqual([s.lesson, s.answerHidden, s.reveal], ["2", true, HIDDEN]);
  await slide(page, "g2", "0.6");
  await answered(page, 2);
  const [b2, n2] = [bayes("00100"), network("00100")];
  assert.match(await reveal(page, 2).textContent(), new RegExp(`^You said 0\\.60\\. Bayes says ${prob(b2)}, the network ${prob(n2)}`));
  // A live pretraining run: the KL to Bayes falls from the random start.
  await page.getByTestId("lesson2-start").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=run-2]").dataset.state === "done", null, { timeout: 120_000 });
  const kl = await page.getByTestId("lesson2-kl-words").evaluate((p) => ({ first: Number(p.dataset.first), last: Number(p.dataset.last) }));
  assert.ok(kl.last < kl.first / 5, `KL ${kl.first} → ${kl.last}`);
  console.log(`chapter 2 pretraining: ${await page.getByTestId("run-2").getAttribute("data-seconds")} s`);

  // 3. A prompt is just more flips: Beta(1, 1) → Beta(7, 1) after H×6.
  await page.keyboard.press("ArrowRight");
  s = await chapterState(page, 3);
  assert.deepEqual([s.lesson, s.answerHidden, s.reveal], ["3", true, HIDDEN]);
  await slide(page, "g3", "0.8");
  await answered(page, 3);
  const [b3, n3] = [bayes("000000"), network("", "000000")];
  assert.match(await reveal(page, 3).textContent(), new RegExp(`Beta\\(1, 1\\) → Beta\\(7, 1\\), and says ${prob(b3)}; the prompted network says ${prob(n3)}`));

  // 4. Prompting a single coin: the closest method is the engine's.
  await page.getByTestId("lesson-next").click();
  s = await chapterState(page, 4);
  assert.deepEqual([s.lesson, s.answerHidden, s.reveal], ["4", true, HIDDEN]);
  await choose(page, "g4", "SoftPT");
  await answered(page, 4);
  await runsDone(page);
  const [key4] = await runKeys(page);
  assert.match(key4, /"probs":\[0\.2,0\.8\]/);
  const e4 = excess(key4);
  const shown4 = JSON.parse(await reveal(page, 4).getAttribute("data-excess"));
  for (const { method, median } of shown4) assert.ok(Math.abs(median - e4[method]) < 1e-9, `${method}: page ${median}, engine ${e4[method]}`);
  // The sentence the reader sees holds every method's number, as the page formats nats.
  const words4 = await reveal(page, 4).textContent();
  for (const m of ["HardPT", "RealPT", "SoftPT", "FullWT", "PreBayesPT"]) assert.ok(words4.includes(nats(e4[m])), `${m} ${nats(e4[m])} in: ${words4}`);
  const best4 = shown4[0].method;
  assert.equal(best4, Object.entries(e4).filter(([m]) => ["HardPT", "RealPT", "SoftPT", "FullWT", "PreBayesPT"].includes(m)).sort((a, b) => a[1] - b[1])[0][0]);
  assert.match(await reveal(page, 4).textContent(), new RegExp(`^You said SoftPT\\. (Right|Not this time)\\. Closest: ${best4}`));
  console.log(`chapter 4 run: ${await page.locator("[data-testid=run-4]").getAttribute("data-seconds")} s`);

  // 5. Where no prompt can help: the engine's exact verdict, then a live run.
  await page.getByTestId("lesson-next").click();
  s = await chapterState(page, 5);
  assert.deepEqual([s.lesson, s.answerHidden, s.reveal], ["5", true, HIDDEN]);
  await choose(page, "g5", "yes");
  await answered(page, 5);
  const r5 = engine.reach(PRIOR, JSON.stringify({ kind: "mixture", weights: [0.5, 0.5], probs: [[0.2, 0.8], [0.8, 0.2]] }), 100, 50);
  assert.equal(r5.reachable, false);
  assert.equal(await reveal(page, 5).getAttribute("data-answer"), "no");
  assert.equal(Number(await reveal(page, 5).getAttribute("data-gap")), r5.gap);
  assert.match(await reveal(page, 5).textContent(), /^You said Yes\. Not this time\. The engine says no/);
  await runsDone(page);
  const e5 = excess((await runKeys(page))[0]);
  for (const { method, median } of JSON.parse(await page.getByTestId("lesson5-run-words").getAttribute("data-excess"))) assert.ok(Math.abs(median - e5[method]) < 1e-9, method);
  const words5 = `${await reveal(page, 5).textContent()} ${await text(page, "lesson5-run-words")}`;
  for (const x of [r5.gap, r5.limit, r5.rows[6].excess_regret, e5.PreBayesPT, e5.HardPT, e5.SoftPT, e5.FullWT]) assert.ok(words5.includes(nats(x)), `${nats(x)} in: ${words5}`);
  console.log(`chapter 5 run: ${await page.locator("[data-testid=run-5]").getAttribute("data-seconds")} s`);

  // 6. Soft prompts: the untrained network's numbers and the states picture.
  await page.getByTestId("lesson-next").click();
  s = await chapterState(page, 6);
  assert.deepEqual([s.lesson, s.answerHidden, s.reveal], ["6", true, HIDDEN]);
  await page.getByTestId("g6-show").click();
  await answered(page, 6);
  await runsDone(page, 2);
  const keys6 = await runKeys(page);
  assert.match(keys6[0], /^untrained /);
  const e6 = excess(keys6[0]);
  const shown6 = JSON.parse(await reveal(page, 6).getAttribute("data-excess"));
  for (const { method, median } of shown6) assert.ok(Math.abs(median - e6[method]) < 1e-9, method);
  assert.equal(await reveal(page, 6).getAttribute("data-answer"), e6.SoftPT < e6.HardPT ? "yes" : "no");
  const words6 = await reveal(page, 6).textContent();
  for (const m of ["NoTuning", "HardPT", "SoftPT"]) assert.ok(words6.includes(nats(e6[m])), `${m} ${nats(e6[m])} in: ${words6}`);
  assert.match(await reveal(page, 6).textContent(), /^You chose to see the answer without guessing\./);
  await page.waitForSelector("[data-testid=lesson6-figure] .fig-host svg");
  console.log(`chapter 6 runs: ${(await page.locator("[data-testid=lesson] .run-box").evaluateAll((bs) => bs.map((b) => b.dataset.seconds))).join(" s, ")} s`);

  // 7. What you found: every guess, and the engine's answers.
  await page.getByTestId("lesson-next").click();
  await page.waitForSelector("[data-filled=true]");
  const guesses = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => text(page, `summary-guess-${n}`)));
  assert.deepEqual(guesses, ["0.70", "0.60", "0.80", "SoftPT", "Yes", "You chose to see the answer without guessing."]);
  assert.equal(await text(page, "summary-answer-4"), best4);
  assert.equal(await text(page, "summary-answer-5"), "No");
  const answers = await page.getByTestId("lesson-answers").inputValue();
  for (const n of [1, 2, 3, 4, 5, 6]) assert.match(answers, new RegExp(`^${n}\\. `, "m"));
  assert.match(answers, new RegExp(prob(b1)));
  // The guesses live in the link: a reload keeps them.
  const hash = await page.evaluate(() => location.hash);
  for (const part of ["lesson=7", "g1=0.70", "g2=0.60", "g3=0.80", "g4=SoftPT", "g5=yes", "g6=shown"]) assert.ok(hash.includes(part), `${part} in ${hash}`);
  await screenshot(page, "learn-7-1280");
  const long = await page.evaluate(() => window.longTasks);
  console.log(`main-thread tasks over 50 ms during the whole walk: ${long.length ? long.join(", ") + " ms" : "none"}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the chapters follow their settings in the link: another seed, bias or flips gives the engine's numbers for those", async () => {
  const { page, problems } = await newPage();
  await loadFresh(page, "#lesson=1&c1flips=0101&g1=shown");
  await answered(page, 1);
  assert.match(await reveal(page, 1).textContent(), new RegExp(`Exact Bayes says ${prob(bayes("0101"))}\\. .*Beta\\(3, 3\\)`));
  await loadFresh(page, "#lesson=4&c4bias=0.35&c4seed=7&g4=shown");
  await answered(page, 4);
  await runsDone(page);
  const [key] = await runKeys(page);
  assert.match(key, /^lstm \{"seed":7,/);
  assert.match(key, /"probs":\[0\.35,0\.65\]/);
  const e = excess(key);
  for (const { method, median } of JSON.parse(await reveal(page, 4).getAttribute("data-excess"))) assert.ok(Math.abs(median - e[method]) < 1e-9, method);
  assert.match(await page.getByTestId("lesson").textContent(), /lands H with probability 0\.35/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("at 360 px a chapter opened from a lesson= link fits the screen, and its lab link shows the same numbers in Predict", async () => {
  const { page, problems } = await newPage({ width: 360, height: 780 });
  await loadFresh(page, "#lesson=3&c3prompt=0001&g3=0.5");
  await answered(page, 3);
  const shown = await reveal(page, 3).evaluate((p) => ({ bayes: Number(p.dataset.bayes), net: Number(p.dataset.net) }));
  assert.equal(shown.bayes, bayes("0001"));
  assert.equal(shown.net, network("", "0001"));
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page is ${width} px wide at 360 px`);
  await screenshot(page, "learn-3-360");
  // Every other chapter, answers shown, fits the phone's width too.
  for (const n of [1, 2, 4, 5, 6, 7]) {
    await page.getByTestId(`lesson-step-${n}`).click();
    if (n < 7) {
      await page.getByTestId(`g${n}-show`).click();
      await answered(page, n);
      await runsDone(page, RUNS[n]);
    } else await page.waitForSelector("[data-filled=true]");
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= 360, `chapter ${n} is ${w} px wide at 360 px`);
  }
  await page.getByTestId("lesson-step-3").click();
  await answered(page, 3);
  await page.getByTestId("lab-predict").click();
  await page.waitForFunction(() => document.getElementById("view-predict").hidden === false && document.getElementById("readout").dataset.flips === "");
  await page.waitForFunction((p) => document.getElementById("net-p0").textContent === p, prob(shown.net));
  assert.equal(await text(page, "bayes-p0"), prob(shown.bayes));
  assert.equal(await page.getByTestId("hard").inputValue(), "0001");
  // The Learn tab brings the reader back to the chapter, guess kept.
  await page.locator("#tab-learn").click();
  await answered(page, 3);
  assert.equal(await page.getByTestId("guess-g3").getAttribute("data-guess"), "0.5");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the guess and the chapters work from the keyboard, and a live run can be cancelled and run again", async () => {
  const { page, problems } = await newPage();
  await loadFresh(page, "#lesson=1");
  await page.getByTestId("g1-range").focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  assert.equal(await text(page, "g1-value"), "0.55");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await answered(page, 1);
  assert.match(await reveal(page, 1).textContent(), /^You said 0\.55\./);
  // Guess again hides the answer.
  await page.getByTestId("g1-again").click();
  assert.equal((await chapterState(page, 1)).answerHidden, true);
  // ← → move between chapters once focus is outside the guess's controls.
  await page.getByTestId("lesson-next").focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.equal((await chapterState(page, 4)).lesson, "4");
  assert.equal(await page.evaluate(() => document.activeElement.id), "lesson-title");
  await page.getByTestId("run-4-cancel").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=run-4]").dataset.state === "cancelled");
  assert.equal(await page.getByTestId("run-4-again").isVisible(), true);
  await page.getByTestId("run-4-again").click();
  await choose(page, "g4", "FullWT");
  await runsDone(page);
  await answered(page, 4);
  assert.match(await reveal(page, 4).textContent(), /^You said FullWT\./);
  await page.keyboard.press("ArrowLeft");
  assert.equal((await chapterState(page, 3)).lesson, "3");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a link's bad lesson values are named and refused, a run the engine refuses says so, and a chapter left mid-run starts afresh when opened again", async () => {
  const { page, problems } = await newPage();
  await loadFresh(page, "#lesson=9&g4=Bogus&g5=maybe&g1=0.123");
  const message = await text(page, "url-message");
  for (const part of ["lesson=\"9\"", "g4=\"Bogus\"", "g5=\"maybe\"", "g1=\"0.123\""]) assert.ok(message.includes(part), `${part} in: ${message}`);
  assert.equal((await chapterState(page, 1)).lesson, "1");
  // The engine refuses a coin of bias 2: the run and the reveal say why, nothing throws.
  await loadFresh(page, "#lesson=4&c4bias=2&g4=shown");
  await page.waitForFunction(() => document.querySelector("[data-testid=run-4]").dataset.state === "failed");
  assert.match(await reveal(page, 4).textContent(), /^Could not compute this: .*tuning\.source/);
  assert.equal((await chapterState(page, 4)).answerHidden, true);
  // Leave chapter 4 while its run goes, through the address bar, then come back: it runs again.
  await loadFresh(page, "#lesson=4&c4seed=5");
  await page.waitForFunction(() => document.querySelector("[data-testid=run-4]").dataset.state === "running");
  await page.evaluate(() => (location.hash = "#lesson=5&c4seed=5"));
  await page.waitForFunction(() => document.querySelector("[data-testid=lesson]").dataset.lesson === "5");
  await page.goBack();
  await page.waitForFunction(() => document.querySelector("[data-testid=lesson]").dataset.lesson === "4");
  assert.notEqual(await page.getByTestId("run-4").getAttribute("data-state"), "cancelled");
  await runsDone(page);
  assert.deepEqual(problems, []);
  await page.close();
});
