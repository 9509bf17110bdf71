// An invalid hard prompt on Predict: a plain sentence beside it, and the old prompt's "reads the prompt" note cleared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cleared, load, refusal, screenshot, settled, sharedBrowser, text } from "./browser.mjs";

const browser = sharedBrowser();

test("an invalid hard prompt shows a plain sentence and clears the old prompt's note", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict");
  await page.getByTestId("hard").fill("HT");
  await page.waitForFunction(() => /read the prompt HT \(2 flips\)/.test(document.getElementById("prefix-note").textContent));
  await page.getByTestId("hard").fill("HTX");
  const r = await refusal(page, "prefix-error", "hard");
  assert.equal(r.plain, 'The hard prompt takes up to 256 flips written as H/T or 0/1; "HTX" is not one, so the curves still read the last valid prompt, HT.');
  assert.equal(r.invalid, "true");
  assert.ok(r.inFieldset);
  assert.equal(await text(page, "prefix-note"), "", "the old prompt's note is gone");
  // A flip recomputes the view; the refusal stays and the old note does not come back.
  await page.getByTestId("flip-h").click();
  await settled(page, "0");
  assert.equal(await text(page, "prefix-note"), "");
  assert.match(await text(page, "prefix-error"), /^The hard prompt takes/);
  await screenshot(page, "messages-hard-prompt");
  await page.getByTestId("hard").fill("HTT");
  await page.waitForFunction(() => /read the prompt HTT \(3 flips\)/.test(document.getElementById("prefix-note").textContent));
  await cleared(page, "prefix-error");
  assert.equal(await page.getByTestId("hard").getAttribute("aria-invalid"), null);
  assert.deepEqual(problems, []);
  await page.close();
});
