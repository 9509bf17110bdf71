// A teacher's link: hide= takes controls off the page and lock= makes them read-only, both still so after a
// reload and a re-render, and a locked key changes through no route (another view, a key press, the page's save).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFresh, reload, screenshot, sharedBrowser } from "./browser.mjs";
import { SMALL_RUN, runPrompt } from "./views.mjs";

const { newPage } = sharedBrowser();

/** For each selector: {present: in the page and not inside anything hidden, disabled}. */
function controls(page, selectors) {
  return page.evaluate((sels) => Object.fromEntries(sels.map((s) => {
    const node = document.querySelector(s);
    const controlsIn = node ? (node.matches("input, select, button") ? [node] : [...node.querySelectorAll("input, select, button")]) : [];
    return [s, { present: Boolean(node) && node.closest("[hidden]") === null && node.checkVisibility(), disabled: controlsIn.length > 0 && controlsIn.every((c) => c.disabled) }];
  })), selectors);
}

/** The page's state as its link says. */
const linkState = (page) => page.evaluate(async () => (await import("./state.js")).parse(location.hash).state);

test("hidden controls are absent and locked ones disabled on several views, still so after a reload", async () => {
  const { page, problems } = await newPage();
  const cases = [
    { hash: "#view=predict&source=single&hide=bias&lock=model", hidden: ["#bias"], locked: ["#model"], still: ["#source-kind"] },
    { hash: "#view=prompt&hide=tsteps&lock=plen,methods", hidden: ["#t-steps"], locked: ["#t-plen", "#methods"], still: ["#t-reps"] },
    { hash: "#view=pretrain&hide=steps&lock=width", hidden: ["#pt-steps"], locked: ["#pt-width"], still: ["#pt-batch"] },
    { hash: "#view=learn&lesson=4&hide=lessons&lock=g4", hidden: [".lesson-map", ".lesson-nav"], locked: ["[data-testid=guess-g4]"], still: ["[data-testid=lesson]"] },
    { hash: "#view=predict&hide=tabs", hidden: [".tabs"], locked: [], still: ["#model"] },
    { hash: "#view=predict&lock=tabs", hidden: [], locked: [".tabs"], still: ["#model"] },
  ];
  for (const c of cases) {
    await loadFresh(page, c.hash);
    if (c.hash.includes("lesson=4")) await page.waitForSelector("[data-testid=guess-g4]");
    for (const round of ["load", "reload"]) {
      const seen = await controls(page, [...c.hidden, ...c.locked, ...c.still]);
      for (const s of c.hidden) assert.equal(seen[s].present, false, `${c.hash}: ${s} is hidden after ${round}`);
      for (const s of c.locked) assert.deepEqual(seen[s], { present: true, disabled: true }, `${c.hash}: ${s} is locked after ${round}`);
      for (const s of c.still) assert.equal(seen[s].present, true, `${c.hash}: ${s} stays after ${round}`);
      if (c.locked.length) assert.ok(await page.getByTestId("teacher-note").first().isVisible(), `${c.hash}: the locked group says so`);
      if (round === "load") {
        await reload(page);
        if (c.hash.includes("lesson=4")) await page.waitForSelector("[data-testid=guess-g4]");
      }
    }
    if (c.hash.startsWith("#view=prompt")) await screenshot(page, "teacher-prompt-hidden-locked");
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("a hidden field goes whole (label, input, slider), and the locked control keeps its accessible name", async () => {
  const { page } = await newPage();
  await loadFresh(page, "#view=predict&source=single&hide=bias&lock=model");
  const hiddenLabel = await page.evaluate(() => document.querySelector("label[for=bias]").closest("[hidden]") !== null && document.getElementById("bias-range").closest("[hidden]") !== null);
  assert.ok(hiddenLabel, "the bias field's label and slider are hidden with it");
  assert.equal(await page.getByRole("combobox", { name: "Network" }).isDisabled(), true);
  await page.close();
});

test("a locked key changes through no route: a key press, another view, a run's end, the page's own save", async () => {
  const { page, problems } = await newPage();
  // Predict's H key adds a flip, unless flips are locked.
  await loadFresh(page, "#view=predict&flips=01&lock=flips");
  await page.locator("body").press("h");
  await page.locator("body").press("t");
  assert.equal((await linkState(page)).flips, "01", "H and T add no flips");
  assert.match(await page.getByTestId("status").textContent(), /^Flips \(H, T.*set by your teacher\.$/, "and the status line says why");
  assert.equal(await page.getByTestId("draw").isDisabled(), true, "drawing new flips is locked");
  assert.equal(await page.getByTestId("undo").isDisabled(), true, "undo stays locked though there are flips to undo");
  for (const id of ["own-flips-text", "own-flips-use", "own-flips-file"]) {
    assert.equal(await page.getByTestId(id).isDisabled(), true, `your own flips (${id}) are locked with the flips`);
  }
  // The Theory view edits the Prompt view's target: locked there too.
  await loadFresh(page, "#view=theory&tsource=single&tbias=0.3&lock=tbias");
  assert.equal(await page.locator("#th-bias").isDisabled(), true, "Theory's target bias is locked");
  // The last line of defence: a control forced back on still cannot change the key.
  await page.evaluate(() => {
    const input = document.getElementById("th-bias");
    input.disabled = false;
    input.value = "0.9";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  assert.equal((await linkState(page)).tbias, 0.3, "save() refuses the locked key");
  assert.ok(Number(await page.evaluate(() => document.body.dataset.lockRefused)) > 0);
  await page.waitForFunction(() => document.getElementById("th-bias").disabled, null, { timeout: 5000 });
  // A run's end re-enables the Prompt view's controls: the locked ones stay locked.
  await loadFresh(page, `#view=prompt&${SMALL_RUN}&lock=plen`);
  await runPrompt(page);
  assert.equal(await page.getByTestId("t-plen").isDisabled(), true, "K stays locked after the run");
  assert.equal(await page.getByTestId("t-steps").isDisabled(), false, "the others come back");
  // A locked tab bar keeps the view, even through a lesson's "open in the lab" link.
  await loadFresh(page, "#view=learn&lesson=1&g1=0.7&lock=tabs");
  await page.waitForSelector("[data-testid=lab-predict]");
  const href = await page.getByTestId("lab-predict").getAttribute("href");
  assert.match(href, /lock=tabs/, "the lab link keeps the teacher's lock");
  assert.match(href, /view=learn/, "the lab link keeps the locked view");
  // A chapter's setting that has no control of its own is kept by its lab link too.
  await loadFresh(page, "#view=learn&lesson=4&c4bias=0.3&lock=c4bias");
  await page.waitForSelector("[data-testid=lab-prompt]", { state: "attached" });
  assert.match(await page.getByTestId("lab-prompt").getAttribute("href"), /c4bias=0\.3.*lock=c4bias|lock=c4bias.*c4bias=0\.3/);
  // A hidden key is as fixed as a locked one: with the chapter navigation hidden, the arrow keys keep the chapter.
  await loadFresh(page, "#view=learn&lesson=2&hide=lessons");
  await page.locator("body").press("ArrowRight");
  await page.locator("body").press("ArrowLeft");
  await page.locator("body").press("ArrowLeft");
  assert.equal((await linkState(page)).lesson, 2, "the arrow keys change no hidden chapter");
  // A locked legend keeps its series: a toggle is undone, and the link keeps no change.
  await loadFresh(page, "#view=predict&flips=0110&lock=off");
  const toggles = page.locator("#view-predict .legend button[aria-pressed]");
  if (await toggles.count()) {
    assert.equal(await toggles.first().isDisabled(), true, "legend toggles are locked with off");
  }
  assert.deepEqual((await linkState(page)).off, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test("unknown names in hide= and lock= are reported and kept in the link", async () => {
  const { page } = await newPage();
  await loadFresh(page, "#view=predict&hide=bias,nosuch");
  assert.match(await page.getByTestId("url-message").textContent(), /nosuch/);
  assert.deepEqual((await linkState(page)).hide, ["bias", "nosuch"]);
  await page.close();
});

test("ask=1 keeps a run's results behind the guess box until a guess, then says who won; the guess survives a reload", async () => {
  const { page, problems } = await newPage();
  await loadFresh(page, `#view=prompt&ask=1&${SMALL_RUN}`);
  // Offered before the run, with the run's tuners as the choices.
  await page.getByTestId("guess-gp").waitFor();
  const options = await page.locator("[data-testid=guess-gp] input[type=radio]").evaluateAll((xs) => xs.map((x) => x.value));
  assert.deepEqual(options, ["HardPT", "SoftPT", "FullWT"]);
  await screenshot(page, "teacher-ask-before");
  // A guess before any run is confirmed with what to do next; "Guess again" takes it back.
  await page.getByTestId("gp-HardPT").check();
  await page.getByTestId("gp-lock").click();
  assert.equal(await page.getByTestId("ask-status").textContent(), "Your guess, HardPT, is in. Press Run: the results show when it has finished.");
  await page.getByTestId("gp-again").click();
  assert.equal(await page.getByTestId("ask-status").textContent(), "");
  await page.evaluate(() => delete document.body.dataset.runSeconds);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds && document.body.dataset.promptRunning === "false", null, { timeout: 300_000 });
  assert.equal(await page.getByTestId("t-results").isHidden(), true, "no table or figures before the guess");
  assert.match(await page.getByTestId("t-wait").textContent(), /Choose your guess/);
  // The live tuning loss would give the answer away too: it waits with the results.
  assert.equal(await page.locator("#t-loss-figure").isHidden(), true, "no live tuning loss before the guess");
  assert.match(await page.getByTestId("t-loss-wait").textContent(), /hidden until you guess/);
  assert.equal(await page.getByTestId("ask-status").textContent(), "");
  await page.locator("#tab-inside").click();
  assert.equal(await page.locator("#inside-figures").isHidden(), true, "Inside's figures wait too");
  await page.locator("#tab-prompt").click();
  await page.getByTestId("gp-SoftPT").check();
  await page.getByTestId("gp-lock").click();
  await page.getByTestId("t-results").waitFor();
  const words = await page.getByTestId("t-guess-words").textContent();
  assert.match(words, /^You guessed SoftPT\. Lowest regret after 30 flips: (HardPT|SoftPT|FullWT) \(/);
  assert.equal((await linkState(page)).gp, "SoftPT");
  assert.equal(await page.getByTestId("ask-status").textContent(), "Your guess, SoftPT, is in. The results are below.");
  // The loss chart shows with the results, drawn for the width it now has.
  assert.equal(await page.getByTestId("t-loss-wait").isHidden(), true);
  await page.waitForFunction(() => {
    const box = document.getElementById("chart-tuning");
    return Math.abs(Number(box.querySelector("svg")?.getAttribute("width")) - Math.max(260, box.clientWidth)) < 2;
  });
  await screenshot(page, "teacher-ask-after");
  await reload(page);
  assert.equal(await page.getByTestId("guess-gp").getAttribute("data-guess"), "SoftPT", "the guess is in the link");
  assert.deepEqual(problems, []);
  await page.close();
});

test("without ask=1 the Prompt view asks nothing", async () => {
  const { page } = await newPage();
  await loadFresh(page, "#view=prompt");
  assert.equal(await page.getByTestId("t-ask").isHidden(), true);
  assert.equal(await page.locator("[data-testid=guess-gp]").count(), 0);
  assert.equal(await page.locator("#t-loss-figure").isVisible(), true, "the live tuning loss shows");
  assert.equal(await page.getByTestId("t-loss-wait").isHidden(), true);
  await page.close();
});
