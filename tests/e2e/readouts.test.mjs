// Figure readouts in headless Chromium: the hover and keyboard readouts of an engine figure equal its
// run's summary.csv, a legend toggle redraws through the engine and stays in the link, a live chart's
// readout equals the engine's numbers, and every figure carries its Data table and summary label; the
// readout keeps inside its figure and off the axes, and a live run updates an open Data table in place.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { engine } from "../common/engine.mjs";
import { readoutNumber } from "../../web/lib/readout.js";
import { tableAt } from "../../web/lib/figures/figure_parts.js";
import { tuningFigure } from "../../web/lib/figures/tuning_loss.js";
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

/**
 * In the page: the readout's box of the figure box `sel`, its host's and its SVG's boxes, and the
 * boxes of the SVG's texts outside the plot panel (tick labels, axis titles), all in page px.
 */
const readoutLayout = (page, sel) => page.locator(sel).evaluate((box) => {
  const d = box.figureData;
  const rect = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
  const svg = box.querySelector(".fig-host svg");
  const s = svg.getBoundingClientRect();
  const plot = { left: s.left + d.plot.left, top: s.top + d.plot.top, right: s.left + d.plot.left + d.plot.width, bottom: s.top + d.plot.top + d.plot.height };
  const inPlot = (r) => r.left >= plot.left - 0.5 && r.right <= plot.right + 0.5 && r.top >= plot.top - 0.5 && r.bottom <= plot.bottom + 0.5;
  const axes = [...svg.querySelectorAll("text")].map((t) => ({ text: t.textContent, ...rect(t) })).filter((r) => r.right > r.left && !inPlot(r));
  const label = box.querySelector("[data-testid=readout]");
  return { hidden: label.hidden, label: rect(label), host: rect(box.querySelector(".fig-host")), svg: rect(svg), plot, axes };
});

const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

test("the readout stays inside its figure, under the plot and off the data, the tick labels and the axis titles, at 360 and 1280 px", async () => {
  const withHard = SMALL.replace("methods=RealPT,SoftPT", "methods=HardPT,RealPT,SoftPT");
  for (const width of [360, 1280]) {
    const { page, problems } = await browser.newPage({ width, height: 900 });
    await load(page, withHard);
    await run(page);
    for (const sel of [FIG, "#chart-tuning"]) {
      await page.locator(sel).scrollIntoViewIfNeeded();
      const data = await page.locator(sel).evaluate((el) => el.figureData);
      const svg = await page.locator(`${sel} .fig-host svg`).boundingBox();
      // The pointer at the plot's corners and centre, then the keys at both ends.
      const at = [[0.03, 0.97], [0.97, 0.03], [0.5, 0.5], [0.03, 0.03], [0.97, 0.97]];
      const moves = [
        ...at.map(([fx, fy]) => async () => page.mouse.move(svg.x + data.plot.left + fx * data.plot.width, svg.y + data.plot.top + fy * data.plot.height)),
        async () => { await page.locator(`${sel} [role=img]`).focus(); await page.keyboard.press("Home"); },
        async () => page.keyboard.press("End"),
      ];
      for (const [k, move] of moves.entries()) {
        await move();
        const l = await readoutLayout(page, sel);
        const where = `${sel} at ${width} px, move ${k}`;
        assert.equal(l.hidden, false, where);
        assert.ok(inside(l.label, l.host), `${where}: the readout ${JSON.stringify(l.label)} leaves its host ${JSON.stringify(l.host)}`);
        const covered = l.axes.filter((t) => meets(l.label, t)).map((t) => t.text);
        assert.deepEqual(covered, [], `${where}: the readout covers axis text`);
        assert.ok(l.label.top >= l.svg.bottom - 0.5, `${where}: the readout is under the figure, not over it`);
      }
      await page.mouse.move(0, 0);
    }
    // A tuner that draws no loss line says so in the live legend.
    assert.deepEqual(await page.locator("#legend-tuning button.legend-toggle").allInnerTexts(), ["HardPT (no loss curve)", "RealPT", "SoftPT"]);
    // Each Data table's scroll box is named by the caption shown above it, not by a second copy of it.
    for (const region of await page.locator(".fig-table-scroll").all()) {
      assert.equal(await region.getAttribute("aria-label"), null);
      const id = await region.getAttribute("aria-labelledby");
      assert.ok(id);
      const caption = await page.locator(`[id="${id}"]`).textContent();
      assert.equal(caption, await region.locator("caption").textContent());
    }
    await screenshot(page, `readout-placement-${width}`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test("a live run updates the open Data table in place: the same table keeps its focus and scroll while its numbers change", async () => {
  const { page, problems } = await browser.newPage({ width: 360, height: 900 });
  await load(page, "#view=prompt&methods=SoftPT&reps=1&tsteps=6000&tbatch=8&tlength=20&eseqs=16&elength=20");
  const reached = (n) => page.waitForFunction((k) => Number(/^(\d+) \//.exec(document.querySelector("[data-testid=progress-SoftPT]").textContent)?.[1]) >= k, n, { timeout: 120_000 });
  await page.getByTestId("t-run").click();
  await reached(300);
  const fig = page.locator("figure:has(#chart-tuning)");
  await fig.locator("details.fig-data summary").click();
  const before = await fig.evaluate((f) => {
    const scroller = f.querySelector(".fig-table-scroll");
    scroller.focus();
    scroller.scrollLeft = scroller.scrollWidth;
    f.querySelector("details.fig-data").dataset.mark = "kept";
    return { scroll: scroller.scrollLeft, last: f.querySelector("thead th:last-child").textContent, cells: f.querySelector("tbody").innerText };
  });
  await reached(3000);
  const after = await fig.evaluate((f) => {
    const scroller = f.querySelector(".fig-table-scroll");
    return {
      mark: f.querySelector("details.fig-data").dataset.mark, open: f.querySelector("details.fig-data").open,
      focused: document.activeElement === scroller, scroll: scroller.scrollLeft,
      last: f.querySelector("thead th:last-child").textContent, cells: f.querySelector("tbody").innerText, tables: f.querySelectorAll("details.fig-data").length,
    };
  });
  assert.equal(after.mark, "kept", "the Data disclosure was replaced");
  assert.equal(after.tables, 1);
  assert.equal(after.open, true);
  assert.equal(after.focused, true, "the open table lost its focus");
  assert.ok(before.scroll > 0, "the table scrolls sideways at 360 px");
  assert.equal(after.scroll, before.scroll, "the open table lost its scroll position");
  assert.notEqual(after.last, before.last, "the table's last key step moved on");
  assert.notEqual(after.cells, before.cells);
  await page.getByTestId("t-cancel").click();
  assert.deepEqual(problems, []);
  await page.close();
});

test("a Data table shows a job's loss only at the steps it reached, and a tuner that draws no line says so in its legend entry", () => {
  const jobs = [{ method: "HardPT", repetition: 0 }, { method: "SoftPT", repetition: 0 }, { method: "SoftPT", repetition: 1 }, { method: "RealPT", repetition: 0 }];
  const losses = new Map([[jobs[0], []], [jobs[1], [5, 4, 3, 2, 1, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.04]], [jobs[2], [6, 5, 4]], [jobs[3], []]]);
  const { spec, legend } = tuningFigure({
    jobs, lossesOf: (j) => losses.get(j), finished: (j) => j.method === "HardPT", total: 12, methods: ["HardPT", "SoftPT", "RealPT"],
    styleOf: () => ({ colour: "#000000", dash: null }),
  });
  const table = spec.figure.table;
  assert.deepEqual(table.columns, ["series", "step 1", "step 4", "step 7", "step 9", "step 12"]);
  assert.deepEqual(table.rows, [
    ["SoftPT repetition 1", "5.000", "2.000", "0.4000", "0.2000", "0.0400"],
    // Three steps in (behind, or stopped): nothing is shown under the steps it has not reached.
    ["SoftPT repetition 2", "6.000", "–", "–", "–", "–"],
  ]);
  assert.deepEqual(legend.map((l) => [l.key, l.label]), [["HardPT", "HardPT (no loss curve)"], ["SoftPT", "SoftPT"], ["RealPT", "RealPT (no loss yet)"]]);
  // A step that a series skips is missing too; a bias between grid points takes the nearest grid point.
  const s = { key: "a", label: "a", x: [1, 2, 4], y: [10, 20, 40], q25: null, q75: null };
  assert.deepEqual(tableAt("c", [s], [2, 3, 4, 5], String, String).rows, [["a", "20", "–", "40", "–"]]);
  const grid = { key: "g", label: "g", x: [0.08, 0.18, 0.28], y: [1, 2, 3], q25: null, q75: null };
  assert.deepEqual(tableAt("c", [grid], [0.1, 0.2, 0.9], String, String).rows, [["g", "1", "2", "–"]]);
});
