// Stale and shared state in headless Chromium: results marked out of date when their settings change,
// each view's own seed (old links' shared seed still read), the embed box following the link, and
// the status line shown only on the view it belongs to.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../../web/state.js";
import { load, loadFresh, sharedBrowser, screenshot, text } from "./browser.mjs";

/** A tiny experiment: one tuner, one repetition of a few steps, so the run takes seconds. */
const TINY = "#view=prompt&tsource=single&tbias=0.3&methods=SoftPT&plen=2&tsteps=5&tbatch=8&reps=1&tlength=20&elength=20&eseqs=16&promptseed=3";

const browser = sharedBrowser();

/** Whether the element `id` is shown dimmed (its own opacity below 1) and carries the stale mark. */
function dimmed(page, id) {
  return page.evaluate((i) => {
    const el = document.getElementById(i);
    return el.classList.contains("stale") && Number(getComputedStyle(el).opacity) < 1;
  }, id);
}

/** Waits until the note `id` is shown (or hidden, with `shown` false). */
async function noteShown(page, id, shown = true) {
  await page.waitForFunction(([i, s]) => document.getElementById(i).hidden === !s, [id, shown]);
}

/** Clicks Run and waits for the run's results. */
async function run(page) {
  await page.evaluate(() => delete document.body.dataset.runSeconds);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds && document.body.dataset.promptRunning === "false", null, { timeout: 300_000 });
}

test("a changed setting marks the last run's table, figures and Inside figures out of date; reverting or a new run clears it", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, TINY);
  await run(page);
  await noteShown(page, "t-stale", false);
  assert.equal(await dimmed(page, "t-results"), false);

  // K 2 → 3: the results say which K they are for and which the controls say, and are dimmed.
  await page.getByTestId("t-plen").fill("3");
  await noteShown(page, "t-stale");
  const note = await text(page, "t-stale");
  assert.match(note, /^These results are for K = 2; the controls now say K = 3\. Press Run for the new settings\.$/);
  for (const id of ["t-results", "chart-tuning", "t-progress"]) assert.equal(await dimmed(page, id), true, `${id} dimmed`);
  // The seed too, named with the K in one sentence.
  await page.getByTestId("t-seed").fill("4");
  await page.waitForFunction(() => /seed 3/.test(document.getElementById("t-stale").textContent));
  assert.match(await text(page, "t-stale"), /for K = 2 and seed 3; the controls now say K = 3 and seed 4\./);
  await screenshot(page, "prompt-stale");

  // Inside's figures come from the same run: marked the same way.
  await page.click("#tab-inside");
  await noteShown(page, "inside-stale");
  assert.match(await text(page, "inside-stale"), /^These figures are for K = 2 and seed 3; .*Press Run in the Prompt view/);
  assert.equal(await dimmed(page, "inside-figures"), true);

  // Back to the run's settings: unmarked everywhere.
  await page.click("#tab-prompt");
  await page.getByTestId("t-plen").fill("2");
  await page.getByTestId("t-seed").fill("3");
  await noteShown(page, "t-stale", false);
  assert.equal(await dimmed(page, "t-results"), false);
  assert.equal(await page.locator("#inside-stale").isHidden(), true);
  assert.equal(await dimmed(page, "inside-figures"), false);

  // A change made in the Theory view (it edits the target) marks the Prompt results too.
  await page.click("#tab-theory");
  await page.getByTestId("th-bias").fill("0.4");
  await page.click("#tab-prompt");
  await noteShown(page, "t-stale");
  assert.match(await text(page, "t-stale"), /the target Single Coin P\(H\) = 0\.3; the controls now say the target Single Coin P\(H\) = 0\.4/);
  // A new run with the new settings clears the mark.
  await run(page);
  await noteShown(page, "t-stale", false);
  assert.equal(await dimmed(page, "t-results"), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test("Pretrain's curves are marked out of date when a training setting changes, and unmarked when it returns", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=pretrain&arch=lstm&width=8&steps=5&batch=8&length=20&pretrainseed=1");
  await noteShown(page, "pt-stale", false);
  await page.getByTestId("pt-start").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=pt-step]").textContent === "5 / 5", null, { timeout: 120_000 });
  await page.waitForFunction(() => !document.querySelector("[data-testid=pt-start]").disabled);
  await noteShown(page, "pt-stale", false);
  await page.getByTestId("pt-steps").fill("6");
  await noteShown(page, "pt-stale");
  assert.equal(await text(page, "pt-stale"), "These curves are for 5 steps; the controls now say 6 steps. Press Start pretraining for the new settings.");
  assert.equal(await dimmed(page, "pt-figures"), true);
  assert.equal(await dimmed(page, "pt-readout"), true);
  await page.getByTestId("pt-steps").fill("5");
  await noteShown(page, "pt-stale", false);
  assert.equal(await dimmed(page, "pt-figures"), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test("state.js: each view has its own seed key, and an old link's shared seed sets every one of them", () => {
  const fresh = S.parse("#predictseed=5&promptseed=9&pretrainseed=11").state;
  assert.deepEqual([fresh.predictseed, fresh.promptseed, fresh.pretrainseed], ["5", "9", "11"]);
  const old = S.parse("#seed=42").state;
  assert.deepEqual([old.predictseed, old.promptseed, old.pretrainseed], ["42", "42", "42"]);
  // A view's own key wins over the old shared one, wherever it stands in the link.
  const both = S.parse("#promptseed=7&seed=42").state;
  assert.deepEqual([both.predictseed, both.promptseed, both.pretrainseed], ["42", "7", "42"]);
  // The link written back names the views' keys, never the old one.
  const hash = S.serialize(old);
  assert.match(hash, /(^|&)predictseed=42(&|$)/);
  assert.doesNotMatch(hash, /(^|&)seed=/);
  assert.match(S.experimentConfigJson(both), /^\{"seed":7,/);
  assert.match(S.pretrainConfigJson(both), /^\{"seed":42,/);
  const bad = S.parse("#seed=x1");
  assert.equal(bad.problems.length, 1);
  assert.match(bad.problems[0], /seed="x1" is not valid here/);
});

test("drawing on Predict moves only Predict's seed; an old link's seed sets both views' seeds", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict&predictseed=5&promptseed=9&n=10");
  await page.getByTestId("draw").click();
  await page.waitForFunction(() => document.getElementById("seed").value === "6");
  await page.getByTestId("draw").click();
  await page.waitForFunction(() => document.getElementById("seed").value === "7");
  assert.equal(await page.getByTestId("t-seed").inputValue(), "9", "the Prompt seed is left alone");
  assert.match(page.url(), /[#&]promptseed=9(&|$)/);
  assert.match(page.url(), /[#&]predictseed=7(&|$)/);
  // And the experiment the Prompt view would run still uses its own seed.
  const config = await page.evaluate(async () => (await import("./state.js")).experimentConfigJson((await import("./state.js")).parse(location.hash).state));
  assert.match(config, /^\{"seed":9,/);

  await loadFresh(page, "#view=prompt&seed=42");
  assert.equal(await page.getByTestId("t-seed").inputValue(), "42");
  assert.equal(await page.getByTestId("seed").inputValue(), "42");
  assert.equal(await page.getByTestId("pt-seed").inputValue(), "42");
  assert.match(page.url(), /[#&]predictseed=42&promptseed=42&pretrainseed=42(&|$)/);
  assert.doesNotMatch(page.url(), /[#&]seed=/);
  assert.equal(await page.getByTestId("url-message").isHidden(), true, "an old key is no link problem");
  assert.deepEqual(problems, []);
  await page.close();
});

test("Predict's embed box follows the link: it shows the new source after the source changes", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict&source=mixture&flips=0110");
  await page.getByRole("button", { name: "Embed link for the posterior chart" }).click();
  const box = page.locator("#chart-posterior").locator("xpath=ancestor::figure").getByTestId("embed-link");
  assert.match(await box.inputValue(), /source=mixture/);
  assert.match(await box.inputValue(), /embed=posterior/);
  await page.getByTestId("source-kind").selectOption("random");
  await page.waitForFunction(() => /source=random/.test(document.querySelector("#chart-posterior").closest("figure").querySelector("textarea.embed-link").value));
  assert.doesNotMatch(await box.inputValue(), /source=mixture/);
  // A flip and a typed link change are followed too.
  await page.getByTestId("flip-h").click();
  await page.waitForFunction(() => /flips=01100(&|")/.test(document.querySelector("#chart-posterior").closest("figure").querySelector("textarea.embed-link").value));
  await page.evaluate(() => {
    location.hash = location.hash.replace("source=random", "source=single");
  });
  await page.waitForFunction(() => /source=single/.test(document.querySelector("#chart-posterior").closest("figure").querySelector("textarea.embed-link").value));
  // The snippet's own link embeds the posterior of the state it shows.
  const src = /src="([^"]+)"/.exec(await box.inputValue())[1];
  assert.equal(S.parse(new URL(src).hash).state.source, "single");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the status line shows a view's message only on that view", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, TINY);
  await run(page);
  assert.match(await text(page, "status"), /^Experiment finished in [\d.]+ s\.$/);
  for (const view of ["predict", "theory", "pretrain"]) {
    await page.click(`#tab-${view}`);
    assert.doesNotMatch(await text(page, "status"), /Experiment/, `${view} shows the Prompt run's status`);
  }
  // Inside shows the same run, so it tells of it too; back on Prompt the message is still there.
  await page.click("#tab-inside");
  assert.match(await text(page, "status"), /^Experiment finished/);
  await page.click("#tab-prompt");
  assert.match(await text(page, "status"), /^Experiment finished/);
  // Pretrain's message stays on Pretrain.
  await page.click("#tab-pretrain");
  await page.getByTestId("pt-steps").fill("3");
  await page.getByTestId("pt-width").fill("8");
  await page.getByTestId("pt-start").click();
  await page.waitForFunction(() => /^Pretraining/.test(document.getElementById("status").textContent), null, { timeout: 120_000 });
  await page.click("#tab-prompt");
  assert.match(await text(page, "status"), /^Experiment finished/);
  await page.click("#tab-predict");
  assert.doesNotMatch(await text(page, "status"), /Pretraining|Experiment/);
  assert.deepEqual(problems, []);
  await page.close();
});
