// Figure readouts in headless Chromium: the hover and keyboard readouts of an engine figure equal its
// run's summary.csv, a legend toggle redraws through the engine and stays in the link, a live chart's
// readout equals the engine's numbers, and every figure carries its Data table and summary label.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { engine } from "../common/engine.mjs";
import { readoutNumber } from "../../web/lib/readout.js";
import { load, reload, screenshot, sharedBrowser } from "./browser.mjs";

const browser = sharedBrowser();
/** axe-core's script, evaluated in the page. */
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** A small Prompt experiment: two tuners, two repetitions of 10 steps, 60 evaluation flips. */
const SMALL = "#view=prompt&tsource=single&tbias=0.3&methods=RealPT,SoftPT&plen=4&tsteps=10&tbatch=16&reps=2&elength=60&eseqs=64&promptseed=7";
const STEM = "regret_cumulative_target";
const FIG = `[data-testid=figure-${STEM}]`;

/** Clicks Run and waits until the regret figure is drawn. */
async function run(page) {
  await page.evaluate(() => delete document.body.dataset.runSeconds);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds, null, { timeout: 300_000 });
  await page.waitForSelector(`${FIG} .fig-host svg`);
}

/** summary.csv as rows {source, method, step, median, q25, q75}. */
const csvRows = (csv) => csv.trim().split("\n").slice(1).map((line) => {
  const [source, method, step, median, q25, q75] = line.split(",");
  return { source, method, step: Number(step), median: Number(median), q25: Number(q25), q75: Number(q75) };
});

/** The readout element's raw numbers and text, of the figure whose box is `sel`. */
const readout = (page, sel) => page.locator(`${sel} [data-testid=readout]`).evaluate((el) => ({
  hidden: el.hidden, x: Number(el.dataset.x), values: JSON.parse(el.dataset.values), text: el.innerText,
}));

const close = (a, b) => Math.abs(a - b) <= 1e-9 + 1e-6 * Math.abs(b);

test("hovering the regret figure at three steps shows summary.csv's numbers for every visible method", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, SMALL);
  await run(page);
  const csv = csvRows(await page.evaluate(() => document.getElementById("t-figures").dataset.csv)).filter((r) => r.source === "target");
  const data = await page.locator(FIG).evaluate((el) => el.figureData);
  assert.ok(data.series.length >= 3, "tuners and baselines");
  await page.locator(FIG).scrollIntoViewIfNeeded();
  const box = await page.locator(`${FIG} svg`).boundingBox();
  for (const step of [1, 30, 60]) {
    const px = data.plot.left + ((step - data.x.lo) / (data.x.hi - data.x.lo)) * data.plot.width;
    await page.mouse.move(box.x + px, box.y + data.plot.top + data.plot.height / 2);
    const r = await readout(page, FIG);
    assert.equal(r.hidden, false);
    assert.equal(r.x, step);
    const visible = data.series.filter((s) => !s.hidden && s.x.includes(step));
    assert.deepEqual(r.values.map((v) => v.key).sort(), visible.map((s) => s.key).sort());
    for (const v of r.values) {
      const row = csv.find((c) => c.method === v.key && c.step === step);
      assert.ok(row, `${v.key} at step ${step} in summary.csv`);
      assert.ok(close(v.y, row.median), `${v.key} median at ${step}: ${v.y} vs ${row.median}`);
      if (v.q25 !== null) assert.ok(close(v.q25, row.q25) && close(v.q75, row.q75), `${v.key} quartiles at ${step}`);
      const label = data.series.find((s) => s.key === v.key).label;
      const q = v.q25 === null ? "" : ` [${readoutNumber(v.q25)}, ${readoutNumber(v.q75)}]`;
      assert.ok(r.text.includes(`${label}: ${readoutNumber(v.y)}${q}`), `${v.key}'s line in ${r.text}`);
    }
  }
  // The figure's label is its summary, and its Data table holds the data's caption and rows.
  assert.equal(await page.locator(`${FIG} [role=img]`).getAttribute("aria-label"), data.summary);
  assert.ok(data.summary.length > 20);
  await page.locator(`figure:has(${FIG}) details.fig-data summary`).click();
  assert.equal((await page.locator(`figure:has(${FIG}) table caption`).textContent()).trim(), data.table.caption);
  const rows = await page.locator(`figure:has(${FIG}) table tbody tr`).allInnerTexts();
  assert.equal(rows.length, data.table.rows.length);
  assert.deepEqual(rows.map((r) => r.split("\t")[0]), data.table.rows.map((r) => r[0]));
  assert.deepEqual(problems, []);
  await page.close();
});

test("arrow keys step the readout along the steps; Home and End go to the ends", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, SMALL);
  await run(page);
  const host = page.locator(`${FIG} [role=img]`);
  await host.focus();
  await page.keyboard.press("Home");
  assert.equal((await readout(page, FIG)).x, 1);
  for (let k = 0; k < 5; k++) await page.keyboard.press("ArrowRight");
  assert.equal((await readout(page, FIG)).x, 6);
  await page.keyboard.press("ArrowLeft");
  assert.equal((await readout(page, FIG)).x, 5);
  await page.keyboard.press("End");
  assert.equal((await readout(page, FIG)).x, 60);
  assert.match(await page.locator(`${FIG} [aria-live=polite]`).textContent(), /60/);
  await page.keyboard.press("Escape");
  assert.equal((await readout(page, FIG)).hidden, true);
  await screenshot(page, "readout-prompt-1280");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a legend toggle hides the series through the engine, the link keeps it, and a reload keeps it", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, SMALL);
  await run(page);
  const fig = page.locator(`.engine-figure[data-name="${STEM}.svg"]`);
  await fig.locator("button.legend-toggle[data-key=SoftPT]").click();
  await page.waitForFunction(() => /(^|&)off=SoftPT(&|$)/.test(location.hash.slice(1)));
  await page.waitForFunction((sel) => document.querySelector(sel).figureData.series.find((s) => s.key === "SoftPT").hidden, FIG);
  const data = await page.locator(FIG).evaluate((el) => el.figureData);
  assert.deepEqual(data.series.find((s) => s.key === "SoftPT").y, []);
  assert.equal(await fig.locator("button.legend-toggle[data-key=SoftPT]").getAttribute("aria-pressed"), "false");
  await page.locator(`${FIG} [role=img]`).focus();
  await page.keyboard.press("End");
  const r = await readout(page, FIG);
  assert.ok(!r.values.some((v) => v.key === "SoftPT"), "the readout leaves SoftPT out");
  assert.ok(r.values.some((v) => v.key === "RealPT"));
  await reload(page);
  assert.match(page.url(), /off=SoftPT/);
  await run(page);
  const again = await page.locator(FIG).evaluate((el) => el.figureData);
  assert.equal(again.series.find((s) => s.key === "SoftPT").hidden, true);
  assert.equal(again.series.find((s) => s.key === "RealPT").hidden, false);
  assert.equal(await page.locator(`.engine-figure[data-name="${STEM}.svg"] button.legend-toggle[data-key=SoftPT]`).getAttribute("aria-pressed"), "false");
  // A link without off= shows it again.
  await page.evaluate(() => { location.hash = location.hash.replace(/&?off=SoftPT/, ""); });
  await page.waitForFunction((sel) => !document.querySelector(sel).figureData.series.find((s) => s.key === "SoftPT").hidden, FIG);
  assert.equal(await page.locator(`.engine-figure[data-name="${STEM}.svg"] button.legend-toggle[data-key=SoftPT]`).getAttribute("aria-pressed"), "true");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the Predict chart's readout equals the engine's bayes_next, and its Data table and label come from the data", async () => {
  const flips = "0010111";
  for (const width of [1280, 360]) {
    const { page, problems } = await browser.newPage({ width, height: 900 });
    await load(page, `#view=predict&source=random&alphas=1,1&flips=${flips}`);
    await page.waitForFunction(() => document.getElementById("readout").dataset.flips === "0010111");
    const bayes = engine.bayes_next('{"kind":"random","alphas":[1,1]}', flips);
    const sel = "#chart-predictive";
    await page.locator(`${sel} [role=img]`).focus();
    await page.keyboard.press("Home");
    for (let k = 0; k <= flips.length; k++) {
      const r = await readout(page, sel);
      assert.equal(r.x, k);
      const b = r.values.find((v) => v.key === "bayes");
      assert.equal(b.y, bayes[k][0], `Bayes after ${k} flips`);
      assert.ok(r.text.includes(`exact Bayes: ${readoutNumber(bayes[k][0])}`), r.text);
      assert.ok(r.values.some((v) => v.key === "network"));
      if (k < flips.length) await page.keyboard.press("ArrowRight");
    }
    await page.keyboard.press("ArrowLeft");
    await screenshot(page, `readout-predict-${width}`);
    const data = await page.locator(sel).evaluate((el) => el.figureData);
    assert.equal(await page.locator(`${sel} [role=img]`).getAttribute("aria-label"), data.summary);
    assert.match(data.summary, /exact Bayes 0\.\d{4} after 7 flips/);
    assert.equal(await page.locator(`figure:has(${sel}) table caption`).textContent(), data.table.caption);
    assert.equal(await page.locator(`figure:has(${sel}) table tbody tr`).count(), data.table.rows.length);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test("screenshots of the Prompt and Inside figures with a readout at 1280 and 360 px", async () => {
  for (const width of [1280, 360]) {
    const { page, problems } = await browser.newPage({ width, height: 900 });
    await load(page, SMALL);
    await run(page);
    await page.locator(`${FIG} [role=img]`).focus();
    await page.keyboard.press("End");
    await page.locator(FIG).scrollIntoViewIfNeeded();
    await screenshot(page, `readout-prompt-${width}`);
    await page.locator("#tab-inside").click();
    const pca = "[data-testid=figure-pca_states] [role=img]";
    await page.waitForSelector(pca);
    await page.locator(pca).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal((await readout(page, "[data-testid=figure-pca_states]")).hidden, false);
    await screenshot(page, `readout-inside-${width}`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test("the link's off key holds distinct series keys, is written only when non-empty, and refuses anything else by name", async () => {
  const S = await import("../../web/state.js");
  assert.deepEqual(S.parse("off=SoftPT,bayes").state.off, ["SoftPT", "bayes"]);
  assert.equal(S.parse("off=SoftPT,bayes").problems.length, 0);
  // Every engine series key survives the link, Un+EmbedWT's "+" too.
  const written = S.serialize({ ...S.defaults(), off: ["Un+EmbedWT", "SoftPT"] });
  assert.deepEqual(S.parse(written.replace(/^#/, "")).state.off, ["Un+EmbedWT", "SoftPT"]);
  assert.ok(!/(^|&)off=/.test(S.serialize(S.defaults())), "no off= when nothing is hidden");
  assert.match(S.serialize({ ...S.defaults(), off: ["SoftPT", "network"] }), /(^|&)off=SoftPT,network(&|$)/);
  for (const bad of ["off=SoftPT,SoftPT", "off=<b>", `off=${"a,".repeat(S.MAX_OFF)}a`, "off=a,,b"]) {
    const { state, problems } = S.parse(bad);
    assert.deepEqual(state.off, [], bad);
    assert.match(problems.join(" "), /^off=/, bad);
  }
});

test("with readouts showing and every Data table open, axe finds nothing serious in the figures of any lab view", async () => {
  for (const width of [1280, 360]) {
    const { page, problems } = await browser.newPage({ width, height: 900 });
    await load(page, SMALL);
    await run(page);
    await page.evaluate(AXE);
    for (const view of ["predict", "prompt", "inside", "theory", "pretrain"]) {
      await page.locator(`#tab-${view}`).click();
      await page.waitForFunction((v) => [...document.querySelectorAll(`#view-${v} .chart-box`)].every((b) => b.querySelector(".fig-host")), view, { timeout: 60_000 });
      await page.evaluate((v) => {
        for (const d of document.querySelectorAll(`#view-${v} details.fig-data`)) d.open = true;
      }, view);
      await page.locator(`#view-${view} .fig-host`).first().focus();
      await page.keyboard.press("End");
      const result = await page.evaluate((v) => window.axe.run({ include: [...document.querySelectorAll(`#view-${v} figure`)] }, { resultTypes: ["violations"] }), view);
      const serious = result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
      assert.deepEqual(serious, [], `${view} at ${width} px`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
});
