// Every lab view after its run, and an embed after its run, checked by axe-core in Chromium at 1280 px and
// 360 px: no serious or critical finding anywhere in the page, colour contrast (WCAG AA) included.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { sharedBrowser } from "./browser.mjs";
import { VIEWS, openEmbed } from "./views.mjs";

const { newPage } = sharedBrowser();
const require = createRequire(import.meta.url);
/** axe-core's script, evaluated in the page (through the debugger, which the page's CSP does not govern). */
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** axe's serious and critical violations in the whole document, as "rule: target (summary)" lines. */
async function violations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} (${(n.failureSummary ?? "").split("\n").slice(1, 2).join("").trim()})`));
}

for (const width of [1280, 360]) {
  test(`at ${width} px every lab view after its run, and an embed, has no serious or critical axe finding`, async (t) => {
    const { page, problems } = await newPage({ width, height: 900 });
    for (const view of VIEWS.filter((v) => !v.name.startsWith("learn"))) {
      await view.open(page);
      const found = await violations(page);
      await t.test(`${view.name} at ${width} px`, () => assert.deepEqual(found, [], `${view.name} at ${width} px`));
    }
    await openEmbed(page);
    const found = await violations(page);
    await t.test(`embed at ${width} px`, () => assert.deepEqual(found, [], `the regret embed at ${width} px`));
    assert.deepEqual(problems, []);
    await page.close();
  });
}
