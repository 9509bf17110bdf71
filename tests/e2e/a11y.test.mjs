// Keyboard and screen reader in headless Chromium: Home/End on the tabs, focus kept near Run through a
// run, distinct names for Predict's embed buttons, and alert regions in the accessibility tree only
// while they hold a message (read from Playwright's aria snapshot).
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, loadFresh, sharedBrowser } from "./browser.mjs";

const browser = sharedBrowser();

/** The id of the focused element ("" for the body). */
const focused = (page) => page.evaluate(() => (document.activeElement === document.body ? "" : document.activeElement?.id ?? ""));

/** The lines of the page's aria snapshot that are alerts. */
async function alerts(page) {
  return (await page.locator("body").ariaSnapshot()).split("\n").filter((l) => /^\s*- alert\b/.test(l)).map((l) => l.trim());
}

test("Home and End on the tab list go to the first and last tab; the arrows still wrap", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=prompt");
  await page.locator("#tab-prompt").focus();
  await page.keyboard.press("End");
  assert.equal(await focused(page), "tab-pretrain");
  assert.equal(await page.locator("#tab-pretrain").getAttribute("aria-selected"), "true");
  assert.equal(await page.locator("#view-pretrain").isVisible(), true);
  assert.match(page.url(), /[#&]view=pretrain(&|$)/);
  await page.keyboard.press("Home");
  assert.equal(await focused(page), "tab-learn");
  assert.equal(await page.locator("#view-learn").isVisible(), true);
  assert.equal(await page.locator("#tab-prompt").getAttribute("tabindex"), "-1", "only the selected tab is in the Tab order");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await focused(page), "tab-pretrain");
  await page.keyboard.press("ArrowRight");
  assert.equal(await focused(page), "tab-learn");
  await page.keyboard.press("ArrowRight");
  assert.equal(await focused(page), "tab-predict");
  // The page scrolls on neither key (their default is prevented).
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test("focus stays near Run through a run: on Cancel while it lasts, back on Run when it ends", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=prompt&tsource=single&tbias=0.3&methods=SoftPT&plen=2&tsteps=40&tbatch=8&reps=1&tlength=20&elength=20&eseqs=16");
  await page.locator("#t-run").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.body.dataset.promptRunning === "true");
  assert.equal(await focused(page), "t-cancel");
  await page.waitForFunction(() => document.body.dataset.runSeconds && document.body.dataset.promptRunning === "false", null, { timeout: 300_000 });
  await page.waitForFunction(() => document.activeElement?.id === "t-run", null, { timeout: 10_000 });
  // Pressing Enter again runs again: the keyboard user never has to find Run anew.
  await page.evaluate(() => delete document.body.dataset.runSeconds);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.body.dataset.runSeconds && document.body.dataset.promptRunning === "false", null, { timeout: 300_000 });
  await page.waitForFunction(() => document.activeElement?.id === "t-run", null, { timeout: 10_000 });
  // Cancelling by keyboard leaves focus on Run too.
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "t-cancel");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.body.dataset.promptRunning === "false");
  await page.waitForFunction(() => document.activeElement?.id === "t-run", null, { timeout: 10_000 });

  // Inside's Run button goes away once its figures are in: focus moves to them, not to the body.
  await loadFresh(page, "#view=inside&tsource=single&tbias=0.3&methods=SoftPT&plen=2&tsteps=5&tbatch=8&reps=1&tlength=20&elength=20&eseqs=16&promptseed=1");
  assert.equal(await page.locator("#inside-run").isVisible(), true);
  await page.locator("#inside-run").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("inside-figures").children.length > 0, null, { timeout: 300_000 });
  await page.waitForFunction(() => document.activeElement?.id === "inside-figures", null, { timeout: 10_000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test("the aria snapshot: Predict's two embed buttons have distinct names, and no empty alert is in the tree", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict&source=single&bias=0.3");
  const snapshot = await page.locator("#view-predict").ariaSnapshot();
  const embeds = snapshot.split("\n").filter((l) => /- button "Embed link/.test(l)).map((l) => /"([^"]+)"/.exec(l)[1]);
  assert.deepEqual(embeds, ["Embed link for the next-flip chart", "Embed link for the posterior chart"]);
  // The names start with the visible text, so speech input ("click Embed link") still finds them.
  assert.equal(await page.getByRole("button", { name: "Embed link for the posterior chart", exact: true }).count(), 1);

  // The page's alert regions (the error lines and the link's message) are all empty: none is in the tree.
  assert.ok((await page.locator('[role="alert"]').count()) >= 8);
  assert.deepEqual(await alerts(page), []);
  // A message puts its region in the tree, with the message as its text; clearing it takes it out.
  await page.getByTestId("bias").fill("1.5");
  await page.waitForFunction(() => document.getElementById("source-error").textContent !== "");
  const shown = await alerts(page);
  assert.equal(shown.length, 1, shown.join("\n"));
  assert.match(shown[0], /^- alert: .*1\.5/);
  await page.getByTestId("bias").fill("0.3");
  await page.waitForFunction(() => document.getElementById("source-error").textContent === "");
  assert.deepEqual(await alerts(page), []);
  // An error written straight into its line (a draw refused) shows too.
  await page.getByTestId("seed").fill("x");
  await page.waitForFunction(() => document.getElementById("draw-error").textContent !== "");
  assert.equal((await alerts(page)).length, 1);
  await page.getByTestId("seed").fill("1");
  await page.waitForFunction(() => document.getElementById("draw-error").textContent === "");
  assert.deepEqual(await alerts(page), []);
  // The other views' empty alerts are out of the tree as well.
  for (const view of ["prompt", "theory", "pretrain"]) {
    await page.click(`#tab-${view}`);
    assert.deepEqual(await alerts(page), [], view);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
