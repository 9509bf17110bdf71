// The Share dialog builds a teacher's link that reproduces the page's state with the chosen view, hidden and
// locked controls and ask-first; it is a modal axe finds nothing serious in; downloads are named after the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { loadFresh, screenshot, sharedBrowser } from "./browser.mjs";
import { SMALL_RUN, runPrompt } from "./views.mjs";

const { newPage } = sharedBrowser();
const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The page's state as its link says. */
const linkState = (page) => page.evaluate(async () => (await import("./state.js")).parse(location.hash).state);

test("the Share dialog's link opens a fresh page in the same state, with the chosen view, hidden and locked controls", async () => {
  const { page, problems } = await newPage();
  await loadFresh(page, "#view=predict&source=single&bias=0.35&flips=0101&model=transformer&tsource=mixture&tcoins=0.1,0.7&plen=3");
  await page.getByTestId("share-open").click();
  await page.getByTestId("share-dialog").waitFor();
  await page.getByTestId("share-view").selectOption("prompt");
  await page.getByTestId("share-hide-bias").check();
  await page.getByTestId("share-hide-tabs").check();
  await page.getByTestId("share-lock-plen").check();
  await page.getByTestId("share-lock-tcoins").check();
  await page.getByTestId("share-ask").check();
  const link = await page.getByTestId("share-link").inputValue();
  assert.equal(await page.getByTestId("share-try").getAttribute("href"), link, "the try-it link opens the same link");
  const summary = await page.getByTestId("share-summary").textContent();
  assert.match(summary, /^Students open Prompt\. Hidden: .*Tab bar.*\. Locked: .*Prefix length K.*\. The Prompt view asks for a guess/, summary);
  // With ask first, the teacher's own guess never travels in the link.
  const withGuess = await page.evaluate(async () => {
    const { shareLink } = await import("./lib/share.js");
    const S = await import("./state.js");
    const s = { ...S.parse(location.hash).state, gp: "SoftPT" };
    const choices = { view: "prompt", lesson: 1, hide: [], lock: [], fresh: false };
    return [S.parse(new URL(shareLink(s, { ...choices, ask: true })).hash).state.gp, S.parse(new URL(shareLink(s, { ...choices, ask: false })).hash).state.gp];
  });
  assert.deepEqual(withGuess, ["", "SoftPT"]);
  const before = await linkState(page);
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("share-dialog").isHidden(), true, "Escape closes the dialog");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "share-open", "focus returns to Share");

  const fresh = await newPage();
  await fresh.page.goto(link);
  await fresh.page.waitForSelector("body[data-ready='true']", { timeout: 60_000 });
  const after = await linkState(fresh.page);
  assert.deepEqual(after, { ...before, view: "prompt", hide: ["tabs", "bias"], lock: ["tcoins", "plen"], ask: 1 }, "every state key equal, plus the choices");
  const seen = await fresh.page.evaluate(() => ({
    tabs: document.querySelector(".tabs").checkVisibility(),
    plen: document.getElementById("t-plen").disabled,
    coinA: document.getElementById("t-coin-a").disabled,
    theoryCoinA: document.getElementById("th-coin-a").disabled,
    plenValue: document.getElementById("t-plen").value,
    ask: document.querySelector("[data-testid=guess-gp]") !== null,
  }));
  assert.deepEqual(seen, { tabs: false, plen: true, coinA: true, theoryCoinA: true, plenValue: "3", ask: true });
  await fresh.page.evaluate(() => { location.hash = location.hash.replace("view=prompt", "view=predict"); });
  await fresh.page.waitForFunction(() => !document.getElementById("view-predict").hidden);
  assert.equal(await fresh.page.locator("#bias").isVisible(), false, "Predict's bias is hidden");
  assert.equal(await fresh.page.locator("#model").inputValue(), "transformer");
  assert.deepEqual([...problems, ...fresh.problems], []);
  await fresh.page.close();
  await page.close();
});

test("the Share dialog offers every view's controls, the tab bar and the chapter navigation, and a chapter for Learn", async () => {
  const { page } = await newPage();
  await loadFresh(page, "#view=learn&lesson=3");
  await page.getByTestId("share-open").click();
  for (const key of ["tabs", "lessons", "g4", "bias", "flips", "tsteps", "tbias", "kmax", "steps"]) {
    assert.equal(await page.getByTestId(`share-hide-${key}`).count(), 1, `hide ${key}`);
    assert.equal(await page.getByTestId(`share-lock-${key}`).count(), 1, `lock ${key}`);
  }
  assert.equal(await page.getByTestId("share-lesson").inputValue(), "3");
  await page.getByTestId("share-lesson").selectOption("5");
  await page.getByTestId("share-lock-lessons").check();
  const link = await page.getByTestId("share-link").inputValue();
  assert.match(link, /lesson=5/);
  assert.match(link, /lock=lessons/);
  await page.getByTestId("share-copy").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=share-said]").textContent !== "");
  assert.match(await page.getByTestId("share-said").textContent(), /Copied|Selected/);
  await page.close();
});

for (const width of [1280, 360]) {
  test(`the open Share dialog at ${width} px fits and has no serious or critical axe finding`, async () => {
    const { page } = await newPage({ width, height: 800 });
    await loadFresh(page, "#view=prompt");
    const headerFits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(headerFits, "the header with Share fits the width");
    await page.getByTestId("share-open").click();
    await page.getByTestId("share-dialog").waitFor();
    // What opens and whether it asks first come before the rows of controls, then the opened view's controls.
    const order = await page.evaluate(() => [...document.getElementById("share-dialog").children].map((c) =>
      c.querySelector("#share-view") ? "opens" : c.querySelector("#share-ask") ? "ask" : c.querySelector("#share-fresh") ? "fresh" : c.matches("fieldset") ? c.querySelector("legend").textContent : null).filter(Boolean));
    assert.deepEqual(order.slice(0, 4), ["opens", "ask", "fresh", "Prompt"]);
    await screenshot(page, `share-dialog-${width}`);
    await page.evaluate(AXE);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const found = result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
    assert.deepEqual(found, []);
    const box = await page.getByTestId("share-dialog").boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= width, "the dialog fits the width");
    await page.close();
  });
}

/** The name of the file the click on `locator` saves. */
async function savedName(page, locator) {
  const [download] = await Promise.all([page.waitForEvent("download"), locator.click()]);
  return download.suggestedFilename();
}

test("downloads are named after the run they come from, whatever the controls say after it", async () => {
  const { page, problems } = await newPage();
  await loadFresh(page, `#view=prompt&${SMALL_RUN}`);
  await runPrompt(page);
  const expected = (state, what, ext) => page.evaluate(async ([s, w, e]) => (await import("./lib/file_names.js")).runFileName("prompt", s, w, e), [state, what, ext]);
  const ran = await linkState(page);
  const csv = await savedName(page, page.getByTestId("t-csv"));
  assert.equal(csv, await expected(ran, "summary", "csv"));
  assert.match(csv, /^promptlab-prompt-single0\.3-[0-9a-f]{8}-summary\.csv$/);
  const figure = page.locator("[data-testid=t-figures] figure[data-name^='regret_cumulative']").first();
  const stem = (await figure.getAttribute("data-name")).replace(/\.svg$/, "");
  const svgButton = figure.getByRole("button", { name: /as SVG/ });
  const svg = await savedName(page, svgButton);
  assert.equal(svg, await expected(ran, stem, "svg"));
  // A control changed after the run renames nothing of that run's.
  await page.getByTestId("t-steps").fill("12");
  assert.equal(await savedName(page, page.getByTestId("t-csv")), csv);
  assert.equal(await savedName(page, svgButton), svg);
  // Another run, another name.
  await runPrompt(page);
  const second = await savedName(page, page.getByTestId("t-csv"));
  assert.notEqual(second, csv);
  assert.equal(second, await expected(await linkState(page), "summary", "csv"));
  assert.deepEqual(problems, []);
  await page.close();
});

test("the Predict and Pretrain live charts download as SVG named after what they were drawn for", async () => {
  const { page, problems } = await newPage();
  await loadFresh(page, "#view=predict&source=single&bias=0.3&flips=0110");
  await page.waitForFunction(() => document.getElementById("readout").dataset.flips === "0110");
  const drawnFor = await linkState(page);
  const name = await savedName(page, page.getByRole("button", { name: "Download the next-flip chart as SVG" }));
  const expected = await page.evaluate(async (s) => (await import("./lib/file_names.js")).runFileName("predict", s, "predictive", "svg"), drawnFor);
  assert.equal(name, expected);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the posterior chart as SVG" }).click()]);
  const text = fs.readFileSync(await download.path(), "utf8");
  assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  await page.locator("#tab-pretrain").click();
  const loss = await savedName(page, page.getByRole("button", { name: "Download the training loss chart as SVG" }));
  assert.match(loss, /^promptlab-pretrain-lstm32-[0-9a-f]{8}-loss\.svg$/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the Share dialog can leave out the guesses made on the page", async () => {
  const { page } = await newPage();
  await loadFresh(page, "#view=learn&lesson=1&g1=0.7&g5=yes");
  await page.getByTestId("share-open").click();
  assert.match(await page.getByTestId("share-link").inputValue(), /g1=0\.7/, "kept by default: the link is the page");
  await page.getByTestId("share-fresh").check();
  const link = await page.getByTestId("share-link").inputValue();
  assert.doesNotMatch(link, /g1=|g5=/);
  assert.match(link, /view=learn/);
  await page.close();
});
