// Refusals read as plain sentences naming the control, beside it (the engine's precise line kept aside).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cleared, load, refusal, screenshot, sharedBrowser } from "./browser.mjs";

const browser = sharedBrowser();

test("refusals of several controls read as plain sentences naming the control, beside it", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict&source=mixture");

  // Source weights that do not add up to 1.
  await page.getByTestId("weight-b").fill("0.7");
  let r = await refusal(page, "source-error", "weight-b");
  assert.equal(r.plain, "Weight of A and Weight of B must add up to 1; they add up to 1.2.");
  assert.match(r.engine, /^invalid source\.weights = entries summing to 1\.2/, "the engine keeps its precise line");
  assert.ok(r.inFieldset);
  assert.equal(r.invalid, "true");
  await screenshot(page, "messages-weights");
  await page.getByTestId("weight-b").fill("0.5");
  await cleared(page, "source-error");

  // A probability out of [0, 1].
  await page.getByTestId("coin-a").fill("1.4");
  r = await refusal(page, "source-error", "coin-a");
  assert.equal(r.plain, "Coin A: P(H) must be a probability from 0 to 1; it is 1.4.");
  assert.equal(r.invalid, "true");
  await page.getByTestId("coin-a").fill("0.2");
  await cleared(page, "source-error");

  // Steps out of range, on the Prompt view.
  await page.locator("#tab-prompt").click();
  await page.getByTestId("t-steps").fill("0");
  r = await refusal(page, "prompt-error", "t-steps");
  assert.equal(r.plain, "Steps must be a whole number from 1 to 1000000; it is 0.");
  assert.match(r.engine, /^invalid tuning\.steps = 0: must be an integer in 1\.\.=1000000$/);
  assert.ok(r.inFieldset);
  await page.getByTestId("t-steps").fill("100");
  await cleared(page, "prompt-error");

  // A learning rate of 0.
  await page.getByTestId("t-lr").fill("0");
  r = await refusal(page, "prompt-error", "t-lr");
  assert.equal(r.plain, "Learning rate must be a number above 0 and at most 10; it is 0.");
  await page.getByTestId("t-lr").fill("0.005");
  await cleared(page, "prompt-error");

  // A tuner the network cannot take names the tuner group.
  await page.getByTestId("t-model").selectOption("untrained");
  r = await refusal(page, "prompt-error", "methods");
  assert.match(r.plain, /^Tuners to run: FullWT is not a method of an untrained net \(/);
  await page.getByTestId("t-model").selectOption("lstm");
  await cleared(page, "prompt-error");

  // Pretrain: a width out of range.
  await page.locator("#tab-pretrain").click();
  await page.getByTestId("pt-width").fill("0");
  r = await refusal(page, "pretrain-error", "pt-width");
  assert.match(r.plain, /^Width E must be a whole number from 1 to \d+; it is 0\.$/);
  assert.deepEqual(problems, []);
  await page.close();
});
