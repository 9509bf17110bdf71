// The Theory view in headless Chromium: the criterion's verdict follows the sliders where the exact
// computation says, the curve is the engine's, and the networks' results appear once a run matches.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { engine } from "../common/engine.mjs";
import { ROOT, load, sharedBrowser, screenshot, text } from "./browser.mjs";

const PRIOR = JSON.stringify({ kind: "random", alphas: [1, 1] });

const browser = sharedBrowser();

/** Moves a range input to `value` as a user would (input events). */
async function slide(page, id, value) {
  await page.getByTestId(id).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

/** The verdict's text as shown now. */
function verdictText(page) {
  return page.evaluate(() => document.getElementById("theory-verdict").textContent);
}

/** Waits until the verdict states a case in a text other than `previous`, then reads it. */
async function verdict(page, previous) {
  await page.waitForFunction(
    (before) => {
      const box = document.getElementById("theory-verdict");
      return ["reachable", "unreachable"].includes(box.dataset.case) && box.textContent !== before;
    },
    previous,
  );
  return page.evaluate(() => ({ kase: document.getElementById("theory-verdict").dataset.case, text: document.getElementById("theory-verdict").textContent }));
}

test("the stated case flips between reachable and unreachable where the theory says", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=theory&tsource=single&tbias=0.2&tlength=50&kmax=100");
  let v = await verdict(page, "");
  assert.equal(v.kase, "reachable", v.text);
  // The stated numbers are the engine's own.
  const exact = engine.reach(PRIOR, JSON.stringify({ kind: "single", probs: [0.2, 0.8] }), 100, 50);
  const last = exact.rows[100];
  assert.ok(v.text.includes(`${last.best_counts[0]} H + ${last.best_counts[1]} T`), v.text);
  assert.ok(v.text.includes(last.excess_regret.toFixed(4)), `${v.text} vs ${last.excess_regret}`);
  assert.equal(await page.locator("#chart-reach svg path").count() >= 1, true);

  // Two coins, 0.2 / 0.8, equal weights: not reachable, with the engine's gap.
  await page.getByTestId("th-kind").selectOption("mixture");
  v = await verdict(page, v.text);
  assert.equal(v.kase, "unreachable", v.text);
  const mix = engine.reach(PRIOR, JSON.stringify({ kind: "mixture", weights: [0.5, 0.5], probs: [[0.2, 0.8], [0.8, 0.2]] }), 100, 50);
  assert.ok(!mix.reachable && v.text.includes(mix.gap.toFixed(4)), `${v.text} vs gap ${mix.gap}`);
  assert.match(v.text, /no prompt at all/);
  await screenshot(page, "theory-mixture");

  // All weight on coin A: a single coin again, so reachable; back to 0.6: not.
  await slide(page, "th-weight-range", 1);
  await page.waitForFunction(() => document.getElementById("theory-verdict").dataset.case === "reachable");
  await slide(page, "th-weight-range", 0.6);
  await page.waitForFunction(() => document.getElementById("theory-verdict").dataset.case === "unreachable");
  // Both coins alike: the mixture is one coin, reachable.
  await page.getByTestId("th-coin-b").fill("0.2");
  await page.waitForFunction(() => document.getElementById("theory-verdict").dataset.case === "reachable");
  await page.getByTestId("th-coin-b").fill("0.3");
  await page.waitForFunction(() => document.getElementById("theory-verdict").dataset.case === "unreachable");

  // A single coin's bias slider keeps it reachable anywhere inside (0, 1).
  await page.getByTestId("th-kind").selectOption("single");
  for (const b of [0.05, 0.5, 0.93]) {
    const before = await verdictText(page);
    await slide(page, "th-bias-range", b);
    await page.waitForFunction((want) => Number(document.getElementById("th-bias").value) === want, b);
    assert.equal((await verdict(page, before)).kase, "reachable");
  }
  // The posterior picture follows the prompt-length slider: after K flips the Beta has a + b = 2 + K.
  await slide(page, "th-k-range", 40);
  await page.waitForFunction(() => /after the best 40-flip prompt/.test(document.getElementById("legend-beliefs").textContent));
  const legend = await page.locator("#legend-beliefs").textContent();
  const [, a, b] = /Beta\(([\d.]+), ([\d.]+)\)/.exec(legend.split("after the best")[1]);
  assert.equal(Number(a) + Number(b), 42);
  // Bad input is refused beside the control.
  await page.getByTestId("th-bias").fill("1.7");
  await page.waitForFunction(() => document.getElementById("theory-error").textContent !== "");
  assert.match(await page.getByTestId("theory-error").getAttribute("data-engine"), /target\.probs/);
  assert.equal(await text(page, "theory-error"), "Bias P(H) must be a probability from 0 to 1; it is 1.7.");
  assert.equal(await page.getByTestId("th-bias").getAttribute("aria-invalid"), "true");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a matching Prompt run puts the networks' results on the curve", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=prompt&tsource=single&tbias=0.2&methods=SoftPT,FullWT&plen=4&tsteps=20&tbatch=16&reps=1&tlength=30&elength=40&eseqs=64&kmax=20");
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds, null, { timeout: 300_000 });
  await page.click("#tab-theory");
  await page.waitForFunction(() => Number(document.getElementById("reach-note").dataset.points) > 0);
  const legend = await page.locator("#legend-reach").textContent();
  for (const m of ["SoftPT", "FullWT", "PreBayes", "PreBayesPT", "NoTuning"]) assert.ok(legend.includes(`${m}:`), `${m} missing from ${legend}`);
  // PreBayes, estimated on sampled sequences, lies near the exact value at K = 0.
  const exact = engine.reach(PRIOR, JSON.stringify({ kind: "single", probs: [0.2, 0.8] }), 20, 30).rows[0].excess_regret;
  const pre = Number(/PreBayes: ([\d.]+)/.exec(legend)[1]);
  assert.ok(Math.abs(pre - exact) < 0.25 * exact, `PreBayes ${pre} vs exact ${exact}`);
  await screenshot(page, "theory-with-networks");
  // Another target: the dots go, with a note saying why.
  await slide(page, "th-bias-range", 0.7);
  await page.waitForFunction(() => document.getElementById("reach-note").dataset.points === "0");
  assert.match(await text(page, "reach-note"), /another target/);
  assert.deepEqual(problems, []);
  await page.close();
});
