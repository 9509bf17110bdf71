// The tuners and baselines the page lists come from the engine's method catalog: the link parser's tuners,
// the method checkboxes and the plan's baselines (the oracle left out).
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";
import { load, sharedBrowser } from "./browser.mjs";

const CATALOG = engine.method_catalog();

const browser = sharedBrowser();

test("the tuners a link may name are the engine's: an unknown one is named in the link message and the default kept", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=prompt&methods=SoftPT,Un+EmbedWT");
  const tuners = CATALOG.filter((c) => c.kind === "tuner").map((c) => c.label);
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll("#methods input")].map((b) => b.value)), tuners);
  const checked = () => page.evaluate(() => [...document.querySelectorAll("#methods input:checked")].map((b) => b.value));
  assert.deepEqual(await checked(), ["SoftPT", "Un+EmbedWT"], "every engine tuner, Un+EmbedWT too, is accepted");
  assert.equal(await page.getByTestId("url-message").isVisible(), false);
  await page.goto("about:blank");
  await load(page, "#view=prompt&methods=SoftPT,MagicPT");
  assert.match(await page.getByTestId("url-message").textContent(), /methods="SoftPT,MagicPT" is not valid here; using HardPT,SimplexPT,RealPT,SoftPT,FullWT/);
  assert.deepEqual(await checked(), ["HardPT", "SimplexPT", "RealPT", "SoftPT", "FullWT"]);
  // The plan names the engine's baselines, without the oracle regret is measured against.
  const baselines = CATALOG.filter((c) => c.kind === "baseline" && !c.oracle).map((c) => c.label);
  await page.waitForFunction(() => /plus the baselines/.test(document.getElementById("t-plan").textContent));
  const plan = await page.getByTestId("t-plan").textContent();
  for (const b of baselines) assert.ok(plan.includes(b), `${b} missing from: ${plan}`);
  assert.ok(!plan.includes("ground_truth"), plan);
  assert.deepEqual(problems, []);
  await page.close();
});
