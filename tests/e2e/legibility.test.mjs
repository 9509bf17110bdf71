// Every view's figures at 1280 px and 360 px in Chromium at 1× device pixel ratio: no text under 11 CSS px,
// no two texts overlapping, no text outside its figure, no HTML legend over its chart.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { load, screenshot, sharedBrowser } from "./browser.mjs";
import { MIN_TEXT_PX, findings, keepBlobs, saveScan, scanFigures } from "./legibility.mjs";
import { VIEWS } from "./views.mjs";

const { newPage } = sharedBrowser();
/** view → width → the scan's counts, printed as a table at the end. */
const table = [];

after(() => {
  console.log("view      width  figures texts smallest(px) under-11 overlaps outside legend-over-chart");
  for (const r of table) console.log(`${r.view.padEnd(9)} ${String(r.width).padStart(5)}  ${String(r.figures).padStart(7)} ${String(r.texts).padStart(5)} ${String(r.smallest).padStart(12)} ${String(r.small).padStart(8)} ${String(r.overlaps).padStart(8)} ${String(r.outside).padStart(7)} ${String(r.legendOverChart).padStart(17)}`);
});

for (const width of [1280, 360]) {
  test(`at ${width} px every view's figures have legible text: none under ${MIN_TEXT_PX} px, none overlapping, none outside`, async (t) => {
    const { page, problems } = await newPage({ width, height: 900 });
    await keepBlobs(page);
    for (const view of VIEWS) {
      await view.open(page);
      await screenshot(page, `legibility-${view.name}-${width}px`);
      const scan = await scanFigures(page, view.root);
      saveScan(`${view.name}-${width}px`, scan);
      table.push({ view: view.name, width, ...scan, figures: scan.figures.length });
      await t.test(`${view.name} at ${width} px`, () => {
        assert.ok(scan.figures.length > 0 && scan.texts > 0, `${view.name}: the scan found no figure text to measure`);
        const where = findings(scan);
        assert.equal(scan.small, 0, `${view.name} at ${width} px: ${scan.small} texts under ${MIN_TEXT_PX} px (smallest ${scan.smallest} px); figures must be drawn at the size they are shown, not scaled down\n${where}`);
        assert.equal(scan.overlaps, 0, `${view.name} at ${width} px: ${scan.overlaps} pairs of overlapping texts\n${where}`);
        assert.equal(scan.outside, 0, `${view.name} at ${width} px: ${scan.outside} texts outside their figure\n${where}`);
        assert.equal(scan.legendOverChart, 0, `${view.name} at ${width} px: ${scan.legendOverChart} legends over their chart\n${where}`);
      });
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test("the scan finds what it looks for: a planted figure with a 9 px text, two overlapping texts and one outside", async () => {
  const { page } = await newPage({ width: 1280, height: 900 });
  await load(page, "#view=predict");
  await page.evaluate(() => {
    const NS = "http://www.w3.org/2000/svg";
    const fig = document.createElement("figure");
    const svg = document.createElementNS(NS, "svg");
    for (const [k, v] of Object.entries({ width: 400, height: 200, viewBox: "0 0 800 400" })) svg.setAttribute(k, String(v));
    const text = (x, y, size, words) => {
      const t = document.createElementNS(NS, "text");
      for (const [k, v] of Object.entries({ x, y, "font-size": size })) t.setAttribute(k, String(v));
      t.textContent = words;
      svg.append(t);
    };
    text(20, 50, 18, "drawn at 18, shown at 9"); // viewBox halves it
    text(20, 200, 30, "first label");
    text(40, 205, 30, "second label");
    text(20, 300, 30, "a halo"); // an exact copy is a halo, not an overlap
    text(20, 300, 30, "a halo");
    text(760, 380, 30, "off the edge");
    fig.append(svg);
    document.getElementById("view-predict").append(fig);
  });
  const scan = await scanFigures(page, "#view-predict");
  const planted = scan.figures.at(-1);
  assert.deepEqual(planted.small, ['"drawn at 18, shown at 9" at 9 px']);
  assert.deepEqual(planted.overlaps, ['"first label" × "second label"']);
  assert.deepEqual(planted.outside, ['"off the edge"']);
  await page.close();
});
