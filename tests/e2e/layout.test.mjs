// The page's layout measured in headless Chromium at 360 px (and 1280 px): no text cut off, no sideways
// scroll, the same header on every view, bar labels off their bars, and the regret table's scroll region.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFresh, sharedBrowser, screenshot } from "./browser.mjs";

const VIEWS = ["learn", "predict", "prompt", "inside", "theory", "pretrain"];
/** A tiny experiment, for a regret table to measure. */
const TINY = "#view=prompt&tsource=single&tbias=0.3&methods=SoftPT,FullWT&plen=2&tsteps=5&tbatch=8&reps=1&tlength=20&elength=60&eseqs=16";

const browser = sharedBrowser();

/** Shown text boxes whose text is wider than the box (cut off or spilling out), outside charts and the table's scroll region. */
function clipped(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("label, legend, figcaption, button, th, td, p, h1, .what, .legend-item > span, .method, .method-name, .progress-note, output")]
      .filter((el) => el.offsetParent !== null && el.clientWidth > 0 && !el.closest("svg, .table-scroll"))
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} "${el.textContent.trim().slice(0, 30)}" ${el.scrollWidth} > ${el.clientWidth}`),
  );
}

/** The header's height and every tab's box, rounded to the pixel. */
function headerBoxes(page) {
  return page.evaluate(() => ({
    height: Math.round(document.querySelector("header").getBoundingClientRect().height),
    tabs: [...document.querySelectorAll('[role="tab"]')].map((t) => {
      const r = t.getBoundingClientRect();
      return [Math.round(r.left), Math.round(r.top), Math.round(r.width)];
    }),
  }));
}

/** Bar labels of chart `id` that intersect any bar of that chart (as "label ∩ bar" boxes), and how many labels it has. */
function labelsOnBars(page, id) {
  return page.evaluate((chart) => {
    const svg = document.querySelector(`#${chart} svg`);
    const boxes = (sel) => [...svg.querySelectorAll(sel)].map((e) => e.getBoundingClientRect());
    const labels = boxes(".bar-label");
    const bars = boxes(".bar");
    const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const hits = [];
    labels.forEach((l, i) => bars.forEach((b, j) => meets(l, b) && hits.push(`label ${i} ∩ bar ${j}`)));
    return { labels: labels.length, bars: bars.length, hits };
  }, id);
}

test("at 360 px: no text is cut off, nothing scrolls sideways, and the header is the same on every view", async () => {
  const { page, problems } = await browser.newPage({ width: 360, height: 780 });
  let first = null;
  for (const view of VIEWS) {
    await loadFresh(page, `#view=${view}&source=mixture&flips=0010110`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${view}: the page is ${overflow} px wider than the screen`);
    assert.deepEqual(await clipped(page), [], `${view}: text cut off`);
    const header = await headerBoxes(page);
    if (first) assert.deepEqual(header, first, `${view}: the header differs from Learn's`);
    else first = header;
    await screenshot(page, `layout-${view}-360px`);
  }
  // The same at 1280 px.
  await page.setViewportSize({ width: 1280, height: 900 });
  first = null;
  for (const view of VIEWS) {
    await loadFresh(page, `#view=${view}&source=mixture&flips=0010110`);
    assert.deepEqual(await clipped(page), [], `${view} at 1280 px: text cut off`);
    const header = await headerBoxes(page);
    if (first) assert.deepEqual(header, first, `${view} at 1280 px: the header differs`);
    else first = header;
    await screenshot(page, `layout-${view}-1280px`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("at 360 px the posterior's coin labels never sit on their bars, however tall the bars", async () => {
  const { page, problems } = await browser.newPage({ width: 360, height: 780 });
  // Even odds, then all the weight on coin B (ten heads against coins 0.2 / 0.8), then coin B at the edge.
  for (const hash of ["#view=predict&source=mixture&flips=01", "#view=predict&source=mixture&flips=0000000000", "#view=predict&source=mixture&coins=0.2,0.97&flips=000000000000"]) {
    await loadFresh(page, hash);
    const { labels, bars, hits } = await labelsOnBars(page, "chart-posterior");
    assert.equal(labels, 2, hash);
    assert.equal(bars, 2, hash);
    assert.deepEqual(hits, [], hash);
    // Every label stays inside the chart.
    const inside = await page.evaluate(() => {
      const svg = document.querySelector("#chart-posterior svg").getBoundingClientRect();
      return [...document.querySelectorAll("#chart-posterior .bar-label")].every((l) => {
        const r = l.getBoundingClientRect();
        return r.left >= svg.left && r.right <= svg.right && r.top >= svg.top && r.bottom <= svg.bottom;
      });
    });
    assert.ok(inside, `${hash}: a label leaves the chart`);
  }
  await screenshot(page, "layout-posterior-360px");
  // The Theory view's target coins are drawn the same way.
  await loadFresh(page, "#view=theory&tsource=mixture&tweights=0.9,0.1");
  const theory = await labelsOnBars(page, "chart-beliefs");
  assert.equal(theory.labels, 2);
  assert.deepEqual(theory.hits, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the regret table: a labelled, focusable scroll region with a hint while it is wider than the screen", async () => {
  const { page, problems } = await browser.newPage({ width: 360, height: 780 });
  await loadFresh(page, TINY);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds && document.body.dataset.promptRunning === "false", null, { timeout: 300_000 });
  const region = page.getByRole("region", { name: "Regret table" });
  assert.equal(await region.count(), 1);
  assert.equal(await region.getAttribute("tabindex"), "0");
  assert.equal(await region.locator("table.regret").count(), 1);
  const sizes = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(sizes.scroll > sizes.client, `at 360 px the table (${sizes.scroll} px) is wider than its region (${sizes.client} px)`);
  assert.equal(await page.getByTestId("t-table-hint").isVisible(), true, "the hint shows");
  assert.equal(await region.getAttribute("aria-describedby"), "t-table-hint");
  // The page itself does not scroll sideways; the region does, from the keyboard too.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
  await region.focus();
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.getElementById("t-table").scrollLeft > 0);
  assert.deepEqual(await clipped(page), []);
  await screenshot(page, "layout-prompt-table-360px");
  // A figure's Data table wider than the phone says so too.
  const data = page.locator("#t-figures figure details.fig-data").first();
  await data.locator("summary").click();
  const scroller = data.locator(".fig-table-scroll");
  assert.ok(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth), "the first figure's table is wider than the phone");
  const hint = data.locator(".scroll-hint");
  assert.equal(await hint.isVisible(), true, "its hint shows");
  assert.equal(await scroller.getAttribute("aria-describedby"), await hint.getAttribute("id"));
  assert.match(await hint.textContent(), /swipe it sideways/);
  // Wide enough for the whole table: no hint.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction(() => document.getElementById("t-table-hint").hidden);
  const wide = await region.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  assert.ok(wide, "the table fits at 1280 px");
  await screenshot(page, "layout-prompt-table-1280px");
  assert.deepEqual(problems, []);
  await page.close();
});
