// Method and baseline names explained where they appear: the engine's descriptions as tooltips on hover,
// focus and tap (checkboxes, regret table rows, the live legend), and the glossary listing all 15.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";
import { load, sharedBrowser, screenshot } from "./browser.mjs";

const RUN = "#view=prompt&tsource=single&tbias=0.3&methods=HardPT,SoftPT,EmbedWT&plen=2&tsteps=5&tbatch=8&reps=1&elength=20&eseqs=16&seed=3";
const CATALOG = engine.method_catalog();

const browser = sharedBrowser();

/** The tooltip's state and what the focused element's aria-describedby names. */
const tipState = (page) =>
  page.evaluate(() => {
    const tip = document.getElementById("term-tip");
    const ids = (document.activeElement.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
    return {
      shown: Boolean(tip && !tip.hidden && tip.getBoundingClientRect().height > 0),
      text: tip?.textContent ?? "",
      term: tip?.dataset.term ?? "",
      described: ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" "),
    };
  });

const description = (label) => CATALOG.find((c) => c.label === label).description;

test("the glossary lists all 15 names with the engine's descriptions, in the catalog's order", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict");
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll("#glossary-list dt")].map((dt) => ({ label: dt.dataset.term, name: dt.querySelector("strong").textContent, text: dt.nextElementSibling.textContent })),
  );
  assert.equal(CATALOG.length, 15);
  assert.deepEqual(rows.map((r) => r.label), CATALOG.map((c) => c.label));
  for (const [i, c] of CATALOG.entries()) {
    assert.equal(rows[i].name, c.label);
    assert.equal(rows[i].text, c.description, c.label);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("every method checkbox shows its engine description on focus and on a tap; Escape hides it", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=prompt");
  const tuners = CATALOG.filter((c) => c.kind === "tuner").map((c) => c.label);
  const boxes = await page.evaluate(() => [...document.querySelectorAll("#methods input")].map((b) => b.value));
  assert.deepEqual(boxes, tuners, "the checkboxes are the engine's tuners, in its order");
  let disabled = 0;
  for (const label of tuners) {
    const box = page.getByTestId(`method-${label}`);
    if (await box.isDisabled()) {
      // A box that does not apply to this network cannot take focus; pointing at it still explains it.
      disabled += 1;
      await page.locator("label.method", { has: box }).hover();
      const tip = await tipState(page);
      assert.ok(tip.shown && tip.text === `${label}: ${description(label)}`, `${label}: ${JSON.stringify(tip)}`);
      assert.equal(await page.evaluate((id) => document.getElementById(id).textContent, await box.getAttribute("aria-describedby")), description(label));
      continue;
    }
    await box.focus();
    const tip = await tipState(page);
    assert.ok(tip.shown, `${label}: no tooltip on focus`);
    assert.equal(tip.term, label);
    assert.equal(tip.text, `${label}: ${description(label)}`);
    assert.equal(tip.described, description(label), `${label}: aria-describedby`);
  }
  assert.equal(disabled, 1, "only LoRAWT is off for the LSTM");
  await page.getByTestId("method-SoftPT").focus();
  await page.keyboard.press("Escape");
  assert.equal((await tipState(page)).shown, false, "Escape hides the tooltip");
  // A tap (a touch pointer) on a box's label shows its line too.
  await page.evaluate(() => document.activeElement.blur());
  await page.locator("label.method", { hasText: "SoftPT" }).dispatchEvent("pointerdown", { pointerType: "touch" });
  const tapped = await tipState(page);
  assert.ok(tapped.shown && tapped.term === "SoftPT", JSON.stringify(tapped));
  await page.locator("label.method", { hasText: "SoftPT" }).hover();
  await screenshot(page, "names-checkbox-tooltip");
  assert.deepEqual(problems, []);
  await page.close();
});

test("after a run, each name in the table and the legends has its description on focus; the table's names link to the glossary and the legend's toggle their series", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, RUN);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds, null, { timeout: 300_000 });
  const rows = await page.evaluate(() => [...document.querySelectorAll('[data-testid="regret-table"] tr[data-method]')].map((tr) => tr.dataset.method));
  assert.ok(rows.length >= 8, rows.join());
  for (const label of rows) {
    const name = page.locator(`[data-testid="regret-table"] tr[data-method="${label}"] th button.term`);
    assert.equal(await name.textContent(), label);
    await name.focus();
    const tip = await tipState(page);
    assert.ok(tip.shown, `${label}: no tooltip on focus`);
    assert.equal(tip.text, `${label}: ${description(label)}`);
    assert.equal(tip.described, description(label), `${label}: aria-describedby`);
  }
  // The live legend's names are toggle buttons: each says what it does, and explains its method on focus and on a tap.
  const legend = await page.evaluate(() => [...document.querySelectorAll("#legend-tuning button.legend-toggle")].map((b) => ({
    key: b.dataset.key, term: b.dataset.term, pressed: b.getAttribute("aria-pressed"), name: b.getAttribute("aria-label"), text: b.textContent, nested: b.querySelectorAll("button").length,
  })));
  assert.deepEqual(legend.map((l) => l.key), ["HardPT", "SoftPT", "EmbedWT"]);
  for (const l of legend) {
    assert.equal(l.term, l.key);
    assert.equal(l.pressed, "true", `${l.key} starts shown`);
    // Its name holds its visible label (HardPT's says it draws no loss curve).
    assert.equal(l.name, `Show ${l.text} in the figures`);
    assert.ok(l.text.startsWith(l.key), l.text);
    assert.equal(l.nested, 0, "no button inside a toggle");
    await page.locator(`#legend-tuning button.legend-toggle[data-key="${l.key}"]`).focus();
    const tip = await tipState(page);
    assert.ok(tip.shown, `${l.key}: no tooltip on focus`);
    assert.equal(tip.text, `${l.key}: ${description(l.key)}`);
    assert.equal(tip.described, description(l.key), `${l.key}: aria-describedby`);
  }
  await page.evaluate(() => document.activeElement.blur());
  await page.locator('#legend-tuning button.legend-toggle[data-key="HardPT"]').dispatchEvent("pointerdown", { pointerType: "touch" });
  const tapped = await tipState(page);
  assert.ok(tapped.shown && tapped.term === "HardPT", JSON.stringify(tapped));
  // Pressing one hides its series (the chart's data says so, the link keeps it), the focus stays on it; pressing again shows it.
  const soft = page.locator('#legend-tuning button.legend-toggle[data-key="SoftPT"]');
  const softShown = () => page.evaluate(() => !document.getElementById("chart-tuning").figureData.series.filter((s) => s.key === "SoftPT").every((s) => s.hidden));
  assert.equal(await softShown(), true);
  await soft.click();
  await page.waitForFunction(() => document.querySelector('#legend-tuning button.legend-toggle[data-key="SoftPT"]').getAttribute("aria-pressed") === "false");
  assert.equal(await softShown(), false, "SoftPT's lines are hidden");
  assert.match(await page.evaluate(() => location.hash), /[&#]off=SoftPT(&|$)/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.key), "SoftPT", "the focus stays on the toggle");
  await soft.click();
  await page.waitForFunction(() => document.querySelector('#legend-tuning button.legend-toggle[data-key="SoftPT"]').getAttribute("aria-pressed") === "true");
  assert.equal(await softShown(), true);
  // The engine figures' legends explain their methods the same way.
  const engineToggles = await page.evaluate(() => [...document.querySelectorAll('.engine-figure[data-name="regret_cumulative_target.svg"] .legend button.legend-toggle')].map((b) => [b.dataset.key, b.dataset.term]));
  assert.ok(engineToggles.length >= 8, JSON.stringify(engineToggles));
  for (const [key, termName] of engineToggles) assert.equal(termName, key);
  const preBayes = page.locator('.engine-figure[data-name="regret_cumulative_target.svg"] .legend button.legend-toggle[data-key="PreBayesPT"]');
  await preBayes.focus();
  assert.equal((await tipState(page)).text, `PreBayesPT: ${description("PreBayesPT")}`);

  // Pressing a name unfolds the glossary and goes to its entry; the link (the page's state) is untouched.
  assert.equal(await page.locator("#glossary-details").getAttribute("open"), null, "the glossary starts folded");
  const hash = await page.evaluate(() => location.hash);
  await page.locator('[data-testid="regret-table"] tr[data-method="TargetBayes"] th button.term').press("Enter");
  await page.waitForFunction(() => document.activeElement?.dataset.term === "TargetBayes" && document.activeElement.tagName === "DT");
  assert.equal(await page.locator("#glossary-details").getAttribute("open"), "");
  assert.equal(await page.locator('#glossary-list dt[data-term="TargetBayes"]').isVisible(), true);
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.equal(await page.getByTestId("url-message").isVisible(), false);

  // On touch, the first tap shows the line and stays; the second goes to the glossary.
  const name = page.locator('[data-testid="regret-table"] tr[data-method="PreBayes"] th button.term');
  await name.scrollIntoViewIfNeeded();
  const tap = () => name.evaluate((b) => {
    b.dispatchEvent(new PointerEvent("pointerdown", { pointerType: "touch", bubbles: true }));
    b.focus();
    b.click();
  });
  await tap();
  let state = await tipState(page);
  assert.ok(state.shown && state.term === "PreBayes", JSON.stringify(state));
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "BUTTON", "the first tap stays on the name");
  await tap();
  await page.waitForFunction(() => document.activeElement?.dataset.term === "PreBayes" && document.activeElement.tagName === "DT");
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(500);
  await page.locator('[data-testid="regret-table"] tr[data-method="RandomPF"] th button.term').focus();
  await screenshot(page, "names-table-tooltip-360px");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForTimeout(500);
  await page.locator('[data-testid="regret-table"] tr[data-method="RandomPF"] th button.term').focus();
  await screenshot(page, "names-table-tooltip");
  assert.deepEqual(problems, []);
  await page.close();
});
