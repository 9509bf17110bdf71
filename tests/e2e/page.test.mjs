// The page in headless Chromium: exact numbers, the shipped network, URL state, bad input, in-browser pretraining.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { engine } from "../common/engine.mjs";
import { ROOT, SHOTS, load, sharedBrowser, reload, screenshot, settled, text } from "./browser.mjs";


const browser = sharedBrowser();

/** Reads the three readout numbers and the flip summary. */
async function readout(page) {
  return {
    bayes: await text(page, "bayes-p0"),
    net: await text(page, "net-p0"),
    diff: await text(page, "diff-p0"),
    summary: await text(page, "flip-summary"),
  };
}

test("loads without console errors or requests off localhost, and draws both charts", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict");
  const timing = await page.evaluate(() => ({
    firstChartMs: Number(document.body.dataset.firstChartMs),
    domContentLoadedMs: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
  }));
  console.log(`time to the first interactive chart: ${timing.firstChartMs} ms after navigation start (DOMContentLoaded at ${timing.domContentLoadedMs.toFixed(0)} ms)`);
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, "timing.json"), `${JSON.stringify(timing)}\n`);
  assert.ok(timing.firstChartMs > 0 && timing.firstChartMs < 30_000, `first chart after ${timing.firstChartMs} ms`);
  assert.equal(await text(page, "bayes-p0"), "0.5000");
  assert.match(await text(page, "net-p0"), /^0\.\d{4}$/);
  assert.equal(await page.locator("#chart-predictive svg path").count() >= 2, true, "two predictive curves");
  assert.equal(await page.locator("#chart-posterior svg path").count() >= 2, true, "density area and line");
  assert.equal(await page.getByTestId("url-message").isHidden(), true);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(await page.locator("script:not([src])").count(), 0, "no inline scripts");
  assert.deepEqual(problems, []);
  await page.close();
});

test("flips 0,1,1,0 by buttons and keys: Bayes is Laplace's rule, the shipped LSTM is within 0.05", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict&model=lstm");
  const flips = "0110";
  let heads = 0;
  for (let k = 0; k < flips.length; k++) {
    // Buttons for the first two flips, keys (H/T, then 0/1) for the others.
    if (k < 2) await page.getByTestId(flips[k] === "0" ? "flip-h" : "flip-t").click();
    else await page.keyboard.press(flips[k] === "0" ? (k === 3 ? "0" : "h") : k === 2 ? "t" : "1");
    if (flips[k] === "0") heads += 1;
    await settled(page, flips.slice(0, k + 1));
    const n = k + 1;
    const { bayes, net } = await readout(page);
    assert.equal(bayes, ((heads + 1) / (n + 2)).toFixed(4), `Bayes P(H) after ${n} flips`);
    assert.ok(Math.abs(Number(net) - Number(bayes)) <= 0.05, `network ${net} vs Bayes ${bayes} after ${n} flips`);
  }
  assert.equal(await text(page, "flip-summary"), "4 flips: 2 H, 2 T");
  assert.equal(await text(page, "flips"), "HTTH");
  assert.match(page.url(), /[#&]flips=0110(&|$)/);
  await screenshot(page, "predict");

  // Undo by key and by button, then reset.
  await page.keyboard.press("u");
  await settled(page, "011");
  assert.equal(await text(page, "bayes-p0"), (2 / 5).toFixed(4));
  await page.getByTestId("undo").click();
  await settled(page, "01");
  await page.getByTestId("reset").click();
  await settled(page, "");
  assert.equal(await text(page, "bayes-p0"), "0.5000");
  assert.deepEqual(problems, []);
  await page.close();
});

test("reloading the URL reproduces the same numbers and curves", async () => {
  const hash = "#view=predict&source=mixture&coins=0.3,0.9&weights=0.25,0.75&model=transformer&seed=3&n=20&flips=0010111";
  const first = await browser.newPage();
  await load(first.page, hash);
  await settled(first.page, "0010111");
  const numbers = await readout(first.page);
  const curves = await first.page.locator("#chart-predictive path, #chart-posterior rect").evaluateAll((els) => els.map((e) => e.getAttribute("d") ?? e.getAttribute("height")));
  const url = first.page.url();
  await reload(first.page);
  await settled(first.page, "0010111");
  assert.deepEqual(await readout(first.page), numbers, "after reload");

  const second = await browser.newPage();
  await load(second.page, new URL(url).hash);
  await settled(second.page, "0010111");
  assert.deepEqual(await readout(second.page), numbers, "in a new tab");
  const again = await second.page.locator("#chart-predictive path, #chart-posterior rect").evaluateAll((els) => els.map((e) => e.getAttribute("d") ?? e.getAttribute("height")));
  assert.deepEqual(again, curves);
  assert.equal(await second.page.getByTestId("source-kind").inputValue(), "mixture");
  assert.equal(await second.page.getByTestId("model").inputValue(), "transformer");
  // The exact mixture predictive, computed here by the Node build of the engine.
  const source = '{"kind":"mixture","weights":[0.25,0.75],"probs":[[0.3,0.7],[0.9,0.1]]}';
  const expected = engine.bayes_next(source, "0010111")[7][0];
  assert.equal(numbers.bayes, expected.toFixed(4));
  await screenshot(second.page, "predict-mixture");
  assert.deepEqual([...first.problems, ...second.problems], []);
  await first.page.close();
  await second.page.close();
});

test("bad input shows a plain sentence naming the control beside it (the engine's line kept), and the page keeps working", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict&source=single&bias=0.3");
  await page.getByTestId("bias").fill("1.5");
  const message = () => engine.bayes_next('{"kind":"single","probs":[1.5,-0.5]}', "");
  assert.throws(message);
  let expected;
  try {
    message();
  } catch (e) {
    expected = e.message;
  }
  await page.waitForFunction(() => document.querySelector("[data-testid=source-error]").textContent !== "");
  assert.equal(await page.getByTestId("source-error").getAttribute("data-engine"), expected);
  assert.match(expected, /source\.probs\[0\] = 1\.5/);
  assert.equal(await text(page, "source-error"), "Bias P(H) must be a probability from 0 to 1; it is 1.5.");
  assert.equal(await page.getByTestId("bias").getAttribute("aria-invalid"), "true");
  // The message sits inside the source controls, right after the inputs.
  assert.equal(await page.locator("#source-controls [data-testid=source-error]").count(), 1);
  await screenshot(page, "predict-error");

  // Still working: a flip updates the network's numbers; Bayes waits for a valid source.
  await page.getByTestId("flip-h").click();
  await settled(page, "0");
  assert.equal(await text(page, "bayes-p0"), "–");
  assert.match(await text(page, "net-p0"), /^0\.\d{4}$/);
  await page.getByTestId("bias").fill("0.3");
  await page.waitForFunction(() => document.querySelector("[data-testid=source-error]").textContent === "");
  await settled(page, "0");
  assert.equal(await text(page, "bayes-p0"), "0.3000");
  assert.equal(await page.getByTestId("bias").getAttribute("aria-invalid"), null);

  // Mixture weights that do not sum to 1.
  await page.getByTestId("source-kind").selectOption("mixture");
  await page.getByTestId("weight-b").fill("0.6");
  await page.waitForFunction(() => /weights/.test(document.querySelector("[data-testid=source-error]").dataset.engine));
  assert.match(await page.getByTestId("source-error").getAttribute("data-engine"), /^invalid source\.weights = entries summing to 1\.1/);
  assert.equal(await text(page, "source-error"), "Weight of A and Weight of B must add up to 1; they add up to 1.1.");
  assert.equal(await page.getByTestId("weight-a").getAttribute("aria-invalid"), "true");
  await page.getByTestId("weight-b").fill("0.5");
  await page.waitForFunction(() => document.querySelector("[data-testid=source-error]").textContent === "");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a malformed or oversized link falls back to defaults with a visible message", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict&flips=01x2&alphas=abc&bogus=1&model=lstm");
  assert.equal(await page.getByTestId("url-message").isVisible(), true);
  const note = await text(page, "url-message");
  assert.match(note, /flips/);
  assert.match(note, /alphas/);
  assert.match(note, /bogus/);
  assert.equal(await text(page, "flip-summary"), "No flips yet.");
  assert.equal(await page.getByTestId("alpha-h").inputValue(), "1");
  await page.getByTestId("flip-t").click();
  await settled(page, "1");
  assert.equal(await text(page, "bayes-p0"), (1 / 3).toFixed(4));

  await load(page, `#flips=${"0".repeat(13000)}`);
  assert.match(await text(page, "url-message"), /too long|characters long/);
  assert.equal(await text(page, "flip-summary"), "No flips yet.");
  assert.deepEqual(problems, []);
  await page.close();
});

test("drawing from the source gives the engine's seeded flips", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict&source=random&alphas=2,5&seed=42&n=30");
  await page.getByTestId("draw").click();
  const expected = engine.random_tokens('{"kind":"random","alphas":[2,5]}', 30, 42n);
  await settled(page, expected);
  assert.equal(await page.getByTestId("seed").inputValue(), "43", "the next draw uses the next seed");
  const heads = [...expected].filter((t) => t === "0").length;
  assert.equal(await text(page, "bayes-p0"), ((2 + heads) / (7 + 30)).toFixed(4));
  assert.deepEqual(problems, []);
  await page.close();
});

test("every control has a label and can be reached with the keyboard", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict");
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, button")]
      .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim()))
      .map((el) => el.id),
  );
  assert.deepEqual(unlabelled, []);
  // Tab from the top reaches the H button, and Enter on it flips heads.
  let reached = false;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.id === "flip-h");
  }
  assert.ok(reached, "Tab reaches the H button");
  await page.keyboard.press("Enter");
  await settled(page, "0");
  assert.deepEqual(problems, []);
  await page.close();
});

test("at 360 px wide nothing overflows sideways", async () => {
  for (const view of ["learn", "predict", "prompt", "inside", "theory", "pretrain"]) {
    const { page, problems } = await browser.newPage({ width: 360, height: 780 });
    await load(page, `#view=${view}&flips=0010110`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${view}: ${overflow} px too wide`);
    await screenshot(page, `${view}-360px`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test("Pretrain: a few steps in a worker give a finite loss and KL; stop; use the network in Predict", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=pretrain&arch=lstm&width=16&steps=15&batch=16&length=50&lr=0.003&seed=1");
  await page.getByTestId("pt-start").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=pt-step]").textContent === "15 / 15", null, { timeout: 120_000 });
  await page.waitForFunction(() => !document.querySelector("[data-testid=pt-start]").disabled);
  const loss = Number(await text(page, "pt-loss"));
  const kl = Number(await text(page, "pt-kl"));
  assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
  assert.ok(Number.isFinite(kl) && kl > 0, `KL ${kl}`);
  assert.equal(await page.locator("#chart-loss svg path").count(), 1);
  assert.equal(await text(page, "pretrain-error"), "");
  await screenshot(page, "pretrain");

  // Two workers shared every step (part 0 in one, part 1 in its helper), and the numbers are
  // exactly those of one trainer computing both parts: here, in the page's own thread.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await page.getByTestId("pt-speed").getAttribute("data-workers"), cores >= 2 ? "2" : "1");
  if (cores >= 2) assert.match(await page.locator("#pt-speed-what").textContent(), /2 workers/);
  const shared = Number(await page.getByTestId("pt-loss").getAttribute("data-value"));
  const alone = await page.evaluate(async () => {
    const S = await import("./state.js");
    const engine = await import("./pkg/promptlab.js");
    await engine.default();
    const t = new engine.Trainer(S.pretrainConfigJson(S.parse(location.hash).state));
    let loss = NaN;
    while (t.remaining() > 0) {
      const shares = [0, 1].map((p) => t.part(p, t.parts()));
      loss = t.apply(shares.map((s) => s.loss), shares.map((s) => s.grads));
    }
    return loss;
  });
  assert.ok(Number.isFinite(shared) && shared === alone, `page ${shared} vs one trainer ${alone}`);

  await page.getByTestId("pt-use").click();
  await page.waitForFunction(() => document.getElementById("readout").dataset.model === "mine");
  assert.equal(await page.getByTestId("model").inputValue(), "mine");
  assert.equal(await page.locator("#view-predict").isVisible(), true);
  await page.keyboard.press("h");
  await settled(page, "0");
  assert.match(await text(page, "net-p0"), /^0\.\d{4}$/);

  // A long run can be stopped.
  await page.locator("#tab-pretrain").click();
  await page.getByTestId("pt-steps").fill("100000");
  await page.getByTestId("pt-start").click();
  await page.waitForFunction(() => /^[1-9]\d* \//.test(document.querySelector("[data-testid=pt-step]").textContent), null, { timeout: 60_000 });
  await page.getByTestId("pt-stop").click();
  await page.waitForFunction(() => !document.querySelector("[data-testid=pt-start]").disabled, null, { timeout: 60_000 });
  assert.match(await text(page, "status"), /stopped after \d+ of 100000 steps/);

  // A refused config shows the engine's message beside the controls as it is typed, and Start waits.
  await page.getByTestId("pt-batch").fill("0");
  await page.waitForFunction(() => document.querySelector("[data-testid=pretrain-error]").textContent !== "");
  assert.match(await page.getByTestId("pretrain-error").getAttribute("data-engine"), /^invalid pretraining\.batch_size = 0/);
  assert.match(await text(page, "pretrain-error"), /^Batch size must be a whole number from 1 to \d+; it is 0\.$/);
  assert.equal(await page.getByTestId("pt-batch").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByTestId("pt-start").isDisabled(), true);
  await page.getByTestId("pt-batch").fill("16");
  await page.waitForFunction(() => document.querySelector("[data-testid=pretrain-error]").textContent === "");
  assert.equal(await page.getByTestId("pt-start").isDisabled(), false);
  assert.deepEqual(problems, []);
  await page.close();
});
