// The Predict view's "Your own flips" box: pasted and uploaded flips become the figures and the link; refusals name the first bad character; the CSV holds every prediction.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { engine } from "../common/engine.mjs";
import { load, refusal, reload, screenshot, settled, sharedBrowser, text } from "./browser.mjs";

const browser = sharedBrowser();
const SOURCE = '{"kind":"random","alphas":[1,1]}';
const START = "#view=predict&source=random&alphas=1,1&flips=0110";

/** The predictive chart's series by key: {bayes: [P(H) after 0..n flips], network: […]}. */
const series = (page) =>
  page.locator("#chart-predictive").evaluate((el) => Object.fromEntries(el.figureData.series.map((s) => [s.key, s.y])));

/** What a refusal must leave alone: the link, the flips drawn and the figures' data. */
const untouched = async (page) => ({ hash: await page.evaluate(() => location.hash), flips: await page.evaluate(() => document.getElementById("readout").dataset.flips), series: await series(page) });

/** Types `value` into the box and presses Use. */
async function paste(page, value) {
  await page.getByTestId("own-flips-text").fill(value);
  await page.getByTestId("own-flips-use").click();
}

/** The refusal beside the box once it is there. */
async function refusalText(page) {
  await page.waitForFunction(() => document.getElementById("own-flips-error").textContent !== "");
  return text(page, "own-flips-error");
}

/** `n` seeded flips (digits) drawn by the engine, as a class might have flipped them. */
const flipsOf = (n, seed) => engine.random_tokens('{"kind":"single","probs":[0.3,0.7]}', n, BigInt(seed));

test("bad text is refused beside the box, naming the first bad character and its position, and nothing else changes", async () => {
  for (const width of [1280, 360]) {
    const { page, problems } = await browser.newPage({ width, height: 900 });
    await load(page, START);
    await settled(page, "0110");
    const before = await untouched(page);
    const cases = [
      ["H T h,t;0", "Character 9 is “0”, but the flips before it are written as H and T: write every flip as H and T, or every flip as 0 and 1."],
      ["HT x T", "Character 4 is “x”: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like."],
      ["HT\nTH\nH🙂T", "Character 8 (line 3, column 2) is “🙂”: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like."],
      ["H,T,\n0", "Character 6 (line 2, column 1) is “0”, but the flips before it are written as H and T: write every flip as H and T, or every flip as 0 and 1."],
      ["H\u200BT", "Character 2 is U+200B: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like."],
      ["heads", "Character 2 is “e”: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like."],
      [" , \n", "There are no flips here: write them as H and T (or 0 and 1)."],
      ["H".repeat(10_001), "That is 10001 flips; at most 10000 are read at once."],
    ];
    for (const [value, sentence] of cases) {
      await page.evaluate(() => (document.getElementById("own-flips-error").textContent = ""));
      await paste(page, value);
      assert.equal(await refusalText(page), sentence, JSON.stringify(value.slice(0, 20)));
      assert.equal(await page.getByTestId("own-flips-text").getAttribute("aria-invalid"), "true");
      assert.match(await page.getByTestId("own-flips-error").getAttribute("data-engine"), /^invalid flips = /);
      assert.deepEqual(await untouched(page), before, "the link, flips and figures stay as they were");
    }
    await page.getByTestId("own-flips").scrollIntoViewIfNeeded();
    await page.evaluate(() => (document.getElementById("own-flips-error").textContent = ""));
    await paste(page, "HT\nTH\nH🙂T");
    const r = await refusal(page, "own-flips-error", "own-flips-text");
    assert.ok(r.inFieldset, "the sentence stands beside the box, in its fieldset");
    assert.equal(r.engine, "invalid flips = character 8 (line 3, column 2) “🙂”: must be H and T (or 0 and 1), with only spaces, new lines, commas, semicolons, |, /, -, _ or . between flips");
    await screenshot(page, `own-flips-error-${width}`);
    // While the text stands refused, Download saves nothing and says why.
    let saved = false;
    page.on("download", () => (saved = true));
    await page.getByTestId("predictions-csv").click();
    await page.waitForTimeout(500);
    assert.equal(saved, false, "no CSV of the earlier flips while the text is refused");
    assert.match(await text(page, "own-flips-error"), /^Character 8 .* No file was downloaded\. The figures still show the 4 flips from before: fix the text/);
    // Fixing the text clears the refusal.
    await paste(page, "H T");
    await settled(page, "01");
    assert.equal(await text(page, "own-flips-error"), "");
    assert.equal(await page.getByTestId("own-flips-text").getAttribute("aria-invalid"), null);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test("pasted flips with separators become the state's flips: the figures are the engine's, the flips show, the link and a reload keep them", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, START);
  await settled(page, "0110");
  await paste(page, "H, t; T | h / H - T _ t . h\r\nT\nh");
  const tokens = "0110011010";
  await settled(page, tokens);
  const check = async () => {
    const s = await series(page);
    assert.deepEqual(s.bayes, engine.bayes_next(SOURCE, tokens).map((r) => r[0]), "Bayes curve = bayes_next on the pasted tokens");
    assert.equal(s.network.length, tokens.length + 1);
    assert.equal(await text(page, "flips"), "HTTHHTTHTH");
    assert.equal(await text(page, "flip-summary"), "10 flips: 5 H, 5 T");
    assert.match(await page.evaluate(() => location.hash), new RegExp(`(^#|&)flips=${tokens}(&|$)`));
  };
  await check();
  assert.equal(await text(page, "own-flips-note"), "Read 10 flips (5 H, 5 T); the figures above show them.");
  await reload(page);
  await settled(page, tokens);
  await check();
  assert.deepEqual(problems, []);
  await page.close();
});

test("an uploaded file is read like a paste; a bad or too large file is refused by name", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, START);
  await settled(page, "0110");
  const file = page.getByTestId("own-flips-file");
  await file.setInputFiles({ name: "class.txt", mimeType: "text/plain", buffer: Buffer.from("\uFEFF0 1 1\r\n0 0\r\n1\r\n") });
  await settled(page, "011001");
  assert.equal(await page.getByTestId("own-flips-text").inputValue(), "\uFEFF0 1 1\r\n0 0\r\n1\r\n".replace(/^\uFEFF/, "").replace(/\r\n/g, "\n"));
  const before = await untouched(page);
  await file.setInputFiles({ name: "flips.csv", mimeType: "text/csv", buffer: Buffer.from("H,T\nH,X\n") });
  assert.equal(await refusalText(page), "Character 7 (line 2, column 3) is “X”: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like.");
  assert.deepEqual(await untouched(page), before);
  await page.evaluate(() => (document.getElementById("own-flips-error").textContent = ""));
  await file.setInputFiles({ name: "huge.txt", mimeType: "text/plain", buffer: Buffer.alloc(1_000_001, "H") });
  assert.equal(await refusalText(page), "The file “huge.txt” is 1,000,001 bytes; files up to 1,000,000 bytes (1 MB) are read.");
  assert.deepEqual(await untouched(page), before);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the CSV download holds the flips and every prediction the figure shows, named after the run", async () => {
  for (const width of [1280, 360]) {
    const { page, problems } = await browser.newPage({ width, height: 900 });
    await load(page, START);
    await settled(page, "0110");
    const tokens = flipsOf(200, 3);
    await paste(page, [...tokens].map((t) => "HT"[t]).join(" "));
    await settled(page, tokens);
    const s = await series(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("predictions-csv").click()]);
    assert.match(download.suggestedFilename(), /^promptlab-predict-random1-1-[0-9a-f]{8}-predictions\.csv$/);
    const lines = fs.readFileSync(await download.path(), "utf8").trim().split("\n");
    assert.equal(lines[0], "flips_seen,flip,bayes_p_heads,network_p_heads,network_minus_bayes");
    assert.equal(lines.length, tokens.length + 2);
    lines.slice(1).forEach((line, k) => {
      const [seen, flip, bayes, net, diff] = line.split(",");
      assert.equal(Number(seen), k);
      assert.equal(flip, k === 0 ? "" : "HT"[tokens[k - 1]]);
      assert.equal(Number(bayes), s.bayes[k], `Bayes after ${k} flips`);
      assert.equal(Number(net), s.network[k], `network after ${k} flips`);
      assert.equal(Number(diff), s.network[k] - s.bayes[k]);
    });
    assert.equal(Number(lines.at(-1).split(",")[2]).toFixed(4), await text(page, "bayes-p0"), "the last row is the readout's number");
    await page.getByTestId("chart-predictive").scrollIntoViewIfNeeded();
    await screenshot(page, `own-flips-200-${width}`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test("ten thousand pasted flips fit the link: a reload reads them all", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, START);
  await settled(page, "0110");
  const tokens = flipsOf(10_000, 7);
  await paste(page, tokens.replace(/(.{100})/g, "$1\n"));
  await page.waitForFunction((f) => document.getElementById("readout").dataset.flips === f, tokens, { timeout: 120_000 });
  assert.equal(await text(page, "flip-summary"), `10000 flips: ${[...tokens].filter((t) => t === "0").length} H, ${[...tokens].filter((t) => t === "1").length} T`);
  await reload(page);
  await page.waitForFunction((f) => document.getElementById("readout").dataset.flips === f, tokens, { timeout: 120_000 });
  assert.equal(await page.getByTestId("url-message").isHidden(), true, "the link was read whole");
  assert.deepEqual((await series(page)).bayes.length, 10_001);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the box fits 1280 and 360 px without sideways scrolling (screenshots)", async () => {
  for (const width of [1280, 360]) {
    const { page, problems } = await browser.newPage({ width, height: 900 });
    await load(page, START);
    await settled(page, "0110");
    await page.getByTestId("own-flips-text").fill("H T T H\nT H H T");
    await page.getByTestId("own-flips").scrollIntoViewIfNeeded();
    await screenshot(page, `own-flips-box-${width}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= width, "no sideways scrolling");
    for (const id of ["own-flips-use", "own-flips-file", "predictions-csv"]) {
      const box = await page.getByTestId(id).boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= width, `${id} within the page`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
});
