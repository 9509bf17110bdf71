// The Learn view checked by axe-core in Chromium: every chapter, its answer shown and its runs done,
// at 1280 px and 360 px, with no serious or critical finding.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { loadFresh, sharedBrowser } from "./browser.mjs";

const { newPage } = sharedBrowser();
const require = createRequire(import.meta.url);
/** axe-core's script, evaluated in the page (through the debugger, which the page's CSP does not govern). */
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
/** How many live runs each chapter makes. */
const RUNS = { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 0 };

/** axe's serious and critical violations inside the Learn view, as "rule: target" lines. */
async function violations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document.getElementById("view-learn"), { resultTypes: ["violations"] }));
  return result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

for (const width of [1280, 360]) {
  test(`at ${width} px every chapter's question, then every chapter answered and run, has no serious or critical axe finding`, async () => {
    const { page, problems } = await newPage({ width, height: 900 });
    // Each question before its guess.
    for (let n = 1; n <= 6; n++) {
      await loadFresh(page, `#lesson=${n}`);
      assert.deepEqual(await violations(page), [], `chapter ${n}'s question at ${width} px`);
    }
    const guesses = "g1=0.7&g2=shown&g3=0.8&g4=FullWT&g5=no&g6=shown";
    await loadFresh(page, `#lesson=1&${guesses}`);
    for (let n = 1; n <= 7; n++) {
      if (n > 1) await page.getByTestId("lesson-next").click();
      await page.waitForFunction((n) => document.querySelector("[data-testid=lesson]").dataset.lesson === String(n), n);
      await page.waitForFunction((c) => [...document.querySelectorAll("[data-testid=lesson] .run-box")].filter((b) => b.dataset.state === "done").length === c, RUNS[n], { timeout: 300_000 });
      if (n < 7) await page.waitForFunction((n) => document.querySelector(`[data-testid=answer-${n}]`).hidden === false, n, { timeout: 60_000 });
      else await page.waitForSelector("[data-filled=true]");
      assert.deepEqual(await violations(page), [], `chapter ${n} at ${width} px`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
}
