// Printing the Prompt view after a run in Chromium: the print stylesheet hides every control and keeps the
// view's title, text, figures and results table in black on white; beforeprint opens every figure's Data table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { screenshot, sharedBrowser } from "./browser.mjs";
import { VIEWS } from "./views.mjs";

const { newPage } = sharedBrowser();

/** The controls still shown: buttons (but method names and legend entries, which read as words), fields, the tab bar. */
const shownControls = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("button, input, select, textarea, [role=tablist], progress, .run-box, footer, .glossary")]
      .filter((e) => !(e.matches("button.term") || e.closest(".legend")))
      .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden")
      .map((e) => e.id || e.dataset.testid || e.outerHTML.slice(0, 60)),
  );

for (const width of [1280, 360]) {
  test(`at ${width} px the printed Prompt view after a run shows its title, figures and results table, and no control`, async () => {
    const { page, problems } = await newPage({ width, height: 900 });
    await VIEWS.find((v) => v.name === "prompt").open(page);
    // A figure's Data disclosure, closed, as the page draws them: beforeprint opens it and afterprint closes it.
    await page.evaluate(() => {
      const d = document.createElement("details");
      d.id = "planted-data";
      d.append(Object.assign(document.createElement("summary"), { textContent: "Data" }), Object.assign(document.createElement("p"), { textContent: "a table" }));
      document.querySelector("#t-figures figure").append(d);
    });
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => dispatchEvent(new Event("beforeprint")));
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll("figure details")].filter((d) => !d.open).length), 0, "every figure's Data table is open for print");
    assert.equal(await page.getByTestId("print-title").textContent(), "Prompt view");
    await screenshot(page, `print-prompt-${width}px`);

    assert.deepEqual(await shownControls(page), [], "no control on paper");
    const shown = await page.evaluate(() => {
      const visible = (e) => Boolean(e) && e.getClientRects().length > 0;
      const figures = [...document.querySelectorAll("#view-prompt figure")];
      return {
        figures: figures.filter(visible).length,
        all: figures.length,
        images: [...document.querySelectorAll("#t-figures figure img, #t-figures figure svg")].filter(visible).length,
        table: visible(document.querySelector("#t-table table")),
        intro: visible(document.querySelector("#view-prompt .intro")),
        breaks: [...new Set(figures.map((f) => getComputedStyle(f).breakInside))],
        ink: [...new Set(["#view-prompt .intro", "#t-summary", "#t-figures figcaption", "#t-table td", ".tagline"].map((s) => getComputedStyle(document.querySelector(s)).color))],
        paper: getComputedStyle(document.body).backgroundColor,
        widest: Math.max(...figures.filter(visible).map((f) => f.getBoundingClientRect().width)),
        graphics: Math.max(...[...document.querySelectorAll("#t-figures figure svg")].filter(visible).map((g) => g.getBoundingClientRect().right)),
        settings: visible(document.querySelector("#t-settings")) ? document.querySelector("#t-settings").textContent : null,
        switches: [...document.querySelectorAll(".fig-data > summary")].filter(visible).length,
        main: document.querySelector("main").getBoundingClientRect().width,
        mainRight: document.querySelector("main").getBoundingClientRect().right,
      };
    });
    assert.equal(shown.figures, shown.all, "every figure of the view is printed");
    assert.ok(shown.images >= 5, `the engine's figures are printed (${shown.images})`);
    assert.equal(shown.table, true, "the results table is printed");
    assert.equal(shown.intro, true, "the view's text is printed");
    assert.deepEqual(shown.breaks, ["avoid"], "no figure is split across pages");
    assert.deepEqual(shown.ink, ["rgb(0, 0, 0)"], "text is black");
    assert.match(shown.paper, /^rgba?\((255, 255, 255|0, 0, 0, 0)\)?/, "on white");
    assert.ok(shown.widest <= shown.main + 1 && shown.graphics <= shown.mainRight + 1, `figures fit the paper (${shown.widest} of ${shown.main} px)`);
    assert.match(shown.settings ?? "", /^Computed with the target Single Coin P\(H\) = 0\.3, .*K = 2, .*seed 1\.$/, "the run's settings are printed");
    assert.equal(shown.switches, 0, "no Data switch on paper: the tables are open");

    await page.evaluate(() => dispatchEvent(new Event("afterprint")));
    await page.emulateMedia({ media: "screen" });
    assert.equal(await page.evaluate(() => document.getElementById("planted-data").open), false, "afterprint closes what beforeprint opened");
    assert.equal(await page.getByTestId("print-title").count(), 0);
    assert.equal(await page.locator("#t-run").isVisible(), true, "the controls are back on screen");
    // A series hidden with a legend is named on paper.
    await page.locator("#t-figures figure .legend button", { hasText: "SoftPT" }).first().click();
    await page.waitForFunction(() => /(^|&)off=SoftPT(&|$)/.test(location.hash.slice(1)));
    await page.evaluate(() => dispatchEvent(new Event("beforeprint")));
    assert.equal(await page.getByTestId("print-title").textContent(), "Prompt view (hidden with the legends: SoftPT)");
    await page.evaluate(() => dispatchEvent(new Event("afterprint")));
    assert.deepEqual(problems, []);
    await page.close();
  });
}
