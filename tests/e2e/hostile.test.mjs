// Hand-edited links are hostile input: markup and script never run or enter the page, huge numbers are
// refused beside their controls, and deep, endless or 1 MB states fall back to the defaults with a message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFresh, sharedBrowser, settled, text } from "./browser.mjs";

const browser = sharedBrowser();

/** A page whose dialogs (alert, confirm, prompt) are recorded and dismissed. */
async function hostilePage() {
  const { page, problems } = await browser.newPage();
  const dialogs = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return { page, problems, dialogs };
}

/** What an injection would leave behind: scripts, inline handlers, stray images, the marker it sets. */
function footprint(page) {
  return page.evaluate(() => ({
    scripts: document.querySelectorAll("script").length,
    images: document.querySelectorAll("img").length,
    handlers: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${el.tagName}.${a.name}`)),
    frames: document.querySelectorAll("iframe, object, embed").length,
    pwned: window.pwned ?? null,
    visibleText: document.querySelector("main").innerText.length,
  }));
}

const PAYLOADS = [
  "#flips=<script>window.pwned=1</script>",
  "#flips=%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E",
  '#hard=<img src=x onerror="window.pwned=1;alert(1)">',
  "#<img src=x onerror=alert(2)>=1",
  '#embed="><svg/onload=window.pwned=1>',
  "#view=javascript:alert(3)",
  "#seed=1<script>alert(4)</script>",
  "#source=single&bias=</p><script>alert(5)</script>",
  "#view=prompt&methods=SoftPT,<img src=x onerror=alert(6)>",
  "#view=predict&off=<img src=x onerror=alert(8)>",
  "#view=theory&tsource=mixture&tcoins=<iframe src=javascript:alert(7)>,0.8",
];

test("markup and script in a link are shown as text, never run or injected", async () => {
  const { page, problems, dialogs } = await hostilePage();
  await loadFresh(page, "");
  const clean = await footprint(page);
  for (const hash of PAYLOADS) {
    await loadFresh(page, hash);
    const after = await footprint(page);
    assert.equal(after.pwned, null, hash);
    assert.deepEqual(after.handlers, [], hash);
    assert.equal(after.scripts, clean.scripts, hash);
    assert.equal(after.images, clean.images, hash);
    assert.equal(after.frames, 0, hash);
    assert.ok(after.visibleText > 200, `${hash}: the page is blank`);
    // The refusal quotes the text back as text.
    assert.equal(await page.getByTestId("url-message").isVisible(), true, hash);
    assert.match(await text(page, "url-message"), /^Link problem: .*not valid here|unknown key/, hash);
  }
  assert.match(await text(page, "url-message"), /tcoins="<iframe src=javascrip…"/);
  // The same payloads as hash changes on a live page.
  for (const hash of PAYLOADS) {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await page.waitForFunction(() => !document.getElementById("url-message").hidden);
    const after = await footprint(page);
    assert.equal(after.pwned, null, hash);
    assert.deepEqual(after.handlers, [], hash);
    assert.equal(after.scripts, clean.scripts, hash);
  }
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await page.close();
});

const HUGE = [
  // [hash, error line, the field the engine names, the input marked invalid, the button that must wait]
  ["#view=predict&source=single&bias=1e308", "source-error", "invalid source.probs[0] = 1e308: must be a probability in [0, 1]", "bias", null],
  ["#view=prompt&tsteps=9999999", "prompt-error", "invalid tuning.steps = 9999999: must be an integer in 1..=1000000", "t-steps", "t-run"],
  ["#view=prompt&tbias=1e308", "prompt-error", "invalid tuning.source.probs[0] = 1e308: must be a probability in [0, 1]", "t-bias", "t-run"],
  ["#view=prompt&eseqs=9999999", "prompt-error", "invalid evaluation.num_sequences = 9999999: must be an integer in 1..=65536", "e-seqs", "t-run"],
  ["#view=prompt&tlr=1e308", "prompt-error", "invalid tuning.learning_rate = 1e308: must be a finite number in (0, 10]", "t-lr", "t-run"],
  ["#view=pretrain&width=9999999", "pretrain-error", "invalid model.embedding_dim = 9999999: must be an integer in 1..=1024", "pt-width", "pt-start"],
  ["#view=pretrain&steps=9999999", "pretrain-error", "invalid pretraining.steps = 9999999: must be an integer in 1..=1000000", "pt-steps", "pt-start"],
  ["#view=pretrain&lr=1e308", "pretrain-error", "invalid pretraining.learning_rate = 1e308: must be a finite number in (0, 10]", "pt-lr", "pt-start"],
  ["#view=theory&kmax=9999999", "theory-error", "invalid max_prefix = 9999999: must be an integer in 0..=10000", "th-kmax", null],
];

test("huge numbers in a link are refused beside their controls, and the page keeps working", async () => {
  const { page, problems, dialogs } = await hostilePage();
  for (const [hash, errorId, message, input, button] of HUGE) {
    await loadFresh(page, hash);
    await page.waitForFunction((id) => document.getElementById(id).textContent !== "", errorId);
    // The engine's precise line is kept on the error line; the page shows a plain sentence naming the control.
    assert.equal(await page.getByTestId(errorId).getAttribute("data-engine"), message, hash);
    const label = (await page.locator(`label[for="${input}"]`).textContent()).trim();
    const plain = await text(page, errorId);
    assert.ok(plain.startsWith(`${label} must be `) && /; it is (9999999|1e\+308)\.$/.test(plain), `${hash}: ${plain}`);
    assert.equal(await page.locator(`#${input}`).getAttribute("aria-invalid"), "true", `${hash}: ${input} not marked`);
    assert.equal(await page.locator(`#${input}`).getAttribute("aria-describedby"), errorId, hash);
    if (button) assert.equal(await page.locator(`#${button}`).isDisabled(), true, `${hash}: ${button} should wait`);
    // Syntax was fine, so the link itself is not the problem: the engine's refusal is the only message.
    assert.equal(await page.getByTestId("url-message").isVisible(), false, hash);
    assert.ok((await footprint(page)).visibleText > 200, `${hash}: the page is blank`);
  }

  // Fixing the value in place clears the refusal and frees the button (here on the Pretrain view).
  await loadFresh(page, "#view=pretrain&width=9999999");
  await page.locator("#pt-width").fill("16");
  await page.waitForFunction(() => document.getElementById("pretrain-error").textContent === "");
  assert.equal(await page.locator("#pt-width").getAttribute("aria-invalid"), null);
  assert.equal(await page.locator("#pt-start").isDisabled(), false);

  // A hash edited on a live page is judged the same way.
  await page.evaluate(() => {
    location.hash = "view=prompt&tsteps=9999999";
  });
  await page.waitForFunction(() => /tuning\.steps = 9999999/.test(document.getElementById("prompt-error").dataset.engine));
  assert.equal(await page.locator("#t-run").isDisabled(), true);
  assert.equal(await page.locator("#view-prompt").isVisible(), true);

  // Predict still computes with a refused source: the network answers, Bayes waits for a valid source.
  await loadFresh(page, "#view=predict&source=single&bias=1e308");
  await page.getByTestId("flip-h").click();
  await settled(page, "0");
  assert.match(await text(page, "net-p0"), /^0\.\d{4}$/);
  assert.equal(await text(page, "bayes-p0"), "–");
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await page.close();
});

const MALFORMED = [
  // [what, hash, what the message must mention]
  ["deeply nested brackets", `#tcoins=${"[".repeat(5000)}${"]".repeat(5000)}`, /tcoins=/],
  ["nested percent-encoding", `#flips=${"%25".repeat(3000)}30`, /flips=/],
  ["a deeply nested key", `#${"a[b]".repeat(2500)}=1`, /unknown key "a\[b\]a\[b\]/],
  ["endless separators", `#${"&".repeat(5000)}${"=".repeat(5000)}`, /unknown key ""/],
  ["a 1 MB state", `#flips=${"01".repeat(1 << 19)}`, /1048582 characters long \(at most 12000\); using the defaults/],
  ["a 1 MB key", `#${"k".repeat(1 << 20)}=1`, /characters long/],
];

test("deeply nested, endless and 1 MB links fall back to the defaults with a message", async () => {
  const { page, problems, dialogs } = await hostilePage();
  for (const [what, hash, mention] of MALFORMED) {
    await loadFresh(page, hash);
    assert.equal(await page.getByTestId("url-message").isVisible(), true, what);
    assert.match(await text(page, "url-message"), mention, what);
    assert.ok((await text(page, "url-message")).length < 2000, `${what}: the message repeats the input`);
    // Defaults: no flips, the default coins, and a link rewritten to a short, valid state.
    assert.equal(await text(page, "flip-summary"), "No flips yet.", what);
    assert.equal(await page.locator("#t-coin-a").inputValue(), "0.2", what);
    assert.ok((await page.evaluate(() => location.hash.length)) < 1000, `${what}: the hostile state stayed in the address bar`);
    // The page opens on Learn, the default view, and the lab works.
    assert.equal(await page.locator("#view-learn").isVisible(), true, what);
    await page.locator("#tab-predict").click();
    await page.getByTestId("flip-t").click();
    await settled(page, "1");
    assert.equal(await text(page, "bayes-p0"), (1 / 3).toFixed(4), what);
  }
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await page.close();
});
