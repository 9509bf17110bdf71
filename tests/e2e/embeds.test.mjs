// Embedded figures on someone else's page in headless Chromium: a host on another origin with three
// embeds and embed.js (frames fit their content at 1280 and 360 px, no sideways scrolling, previews
// before live figures, one experiment computed once, live figures equal to the full page's), read-only
// key presses, interactive=1, run=click and run=visible, and old index.html#embed= links.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { BASE, sharedBrowser, screenshot, visit } from "./browser.mjs";
import { SMALL_RUN, runPrompt } from "./views.mjs";

const browser = sharedBrowser();
/** The host page: another origin than the embeds' (its own port), served by this file; `hostHtml` is what it answers. */
let hostHtml = "";
let HOST = "";
const hostServer = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(hostHtml);
});
before(() => new Promise((resolve) => hostServer.listen(0, "127.0.0.1", () => {
  HOST = `http://localhost:${hostServer.address().port}/blog.html`;
  resolve();
})));
after(() => new Promise((resolve) => hostServer.close(resolve)));
const FLIPS = "source=single&bias=0.3&flips=0110100111";
const LINKS = {
  regret: `embed.html#${SMALL_RUN}&embed=regret_cumulative`,
  bars: `embed.html#${SMALL_RUN}&embed=bars`,
  predictive: `embed.html#${FLIPS}&embed=predictive`,
};

/** A blog post holding `links` as promptlab iframes (as the snippet writes them) and, with `script`, embed.js. */
function hostPage(links, { script = true, spacer = 0 } = {}) {
  const frames = links.map((l) => `<p>Some words of the post before the figure.</p>\n<iframe src="${BASE}${l}" loading="lazy" width="100%" height="440" style="border:0;display:block" title="promptlab figure"></iframe>`).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>A blog</title></head>
<body style="margin:0 auto;max-width:700px;padding:8px;font-family:sans-serif"><h1>A post</h1><div style="height:${spacer}px"></div>${frames}
${script ? `<script async src="${BASE}embed.js"></script>` : ""}</body></html>`;
}

/** Opens a host page of `html` at HOST on a page of `width` × `height`. */
async function openHost(html, { width = 1280, height = 3000 } = {}) {
  const { page } = await browser.newPage({ width, height });
  hostHtml = html;
  await page.goto(HOST);
  return page;
}

/** The promptlab frame whose link holds `part`. */
const frameOf = (page, part) => page.frames().find((f) => f.url().includes(part));

/** Waits until the frame of link part `part` exists and shows its live figure; returns the frame. */
async function live(page, part) {
  await page.waitForFunction((p) => [...document.querySelectorAll("iframe")].some((f) => f.src.includes(p)), part);
  let frame = null;
  for (let i = 0; i < 600 && !(frame = frameOf(page, part)); i++) await page.waitForTimeout(100);
  await frame.waitForFunction(() => document.body.dataset.live === "true", null, { timeout: 600_000 });
  return frame;
}

/** [frame height on the host, content height in the frame] of every promptlab iframe. */
async function heights(page) {
  const out = [];
  const frames = await page.$$("iframe");
  for (const handle of frames) {
    const frame = await handle.contentFrame();
    const outer = await handle.evaluate((f) => f.getBoundingClientRect().height);
    const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    out.push([outer, inner]);
  }
  return out;
}

/** Waits until every promptlab frame of `page` has redrawn its figure for the frame's present width. */
async function redrawn(page) {
  for (const handle of await page.$$("iframe")) {
    const frame = await handle.contentFrame();
    await frame.waitForFunction(() => {
      const svg = document.querySelector("#embed-figure .engine-figure svg");
      const width = Math.max(280, Math.floor(document.getElementById("embed-figure").clientWidth));
      return svg && Math.abs(Number(svg.getAttribute("width")) - width) < 2;
    }, null, { timeout: 30_000 });
  }
}

/** Waits until every frame is within 4 px of its content's height (embed.js at work), then returns the heights. */
async function fitted(page) {
  let last = [];
  for (let i = 0; i < 200; i++) {
    last = await heights(page);
    if (last.every(([a, b]) => Math.abs(a - b) <= 4)) return last;
    await page.waitForTimeout(100);
  }
  return last;
}

/** The series of the figure drawn in `where` (a page or frame), by box selector: [{key, x, y}]. */
const seriesOf = (where, selector) => where.evaluate((s) => document.querySelector(s).figureData.series.map((x) => ({ key: x.key, x: x.x, y: x.y })), selector);

/** Asserts two series lists hold the same keys and values to float tolerance. */
function sameSeries(a, b, what) {
  assert.deepEqual(a.map((s) => s.key), b.map((s) => s.key), `${what}: series`);
  for (let i = 0; i < a.length; i++) {
    assert.equal(a[i].y.length, b[i].y.length, `${what}: ${a[i].key} length`);
    a[i].y.forEach((y, k) => assert.ok(Math.abs(y - b[i].y[k]) <= 1e-9 * Math.max(1, Math.abs(y)) || (Number.isNaN(y) && Number.isNaN(b[i].y[k])), `${what}: ${a[i].key}[${k}] ${y} vs ${b[i].y[k]}`));
  }
}

test("a host page on another origin with three embeds: previews first, one shared run, frames fit their content, figures equal the full page's", async () => {
  const page = await openHost(hostPage(Object.values(LINKS)));
  const regret = await live(page, "embed=regret_cumulative");
  const bars = await live(page, "embed=bars");
  const predictive = await live(page, "embed=predictive");

  // Previews of the listed links appear before their live figures.
  for (const [name, frame] of [["regret", regret], ["bars", bars]]) {
    const d = await frame.evaluate(() => ({ ...document.body.dataset }));
    assert.equal(d.preview, "shown", `${name}: the build-time preview is shown`);
    assert.ok(Number(d.previewMs) <= Number(d.liveMs), `${name}: preview at ${d.previewMs} ms, live at ${d.liveMs} ms`);
    console.log(`three embeds: ${name} preview at ${d.previewMs} ms, live at ${d.liveMs} ms after its frame started`);
  }
  // The experiment of the two figures is computed once: one frame ran its jobs, the other got the results.
  const runs = await Promise.all([regret, bars].map((f) => f.evaluate(() => ({ computed: document.body.dataset.computed, jobs: Number(document.body.dataset.jobs) }))));
  assert.deepEqual(runs.map((r) => r.computed).sort(), ["self", "shared"]);
  assert.deepEqual(runs.map((r) => r.jobs).sort(), [0, 6], "3 tuners × 2 repetitions run once in all");

  // Every frame fits its content at 1280 px and at 360 px, and the host never scrolls sideways.
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 3000 });
    await redrawn(page);
    const h = await fitted(page);
    for (const [outer, inner] of h) assert.ok(Math.abs(outer - inner) <= 4, `at ${width} px a frame is ${outer} px high for ${inner} px of content`);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(sideways <= 0, `at ${width} px the host scrolls ${sideways} px sideways`);
    await screenshot(page, `embeds-host-${width}`);
  }

  // The live figures are the full page's for the same link.
  const { page: full } = await browser.newPage();
  await full.goto(`${BASE}#view=prompt&${SMALL_RUN}`);
  await full.waitForSelector("body[data-ready='true']", { timeout: 60_000 });
  await runPrompt(full);
  for (const [stem, frame] of [["regret_cumulative_target", regret], ["bars_target", bars]]) {
    const box = `[data-testid="figure-${stem}"]`;
    sameSeries(await seriesOf(frame, box), await seriesOf(full, box), stem);
  }
  await full.goto(`${BASE}#view=predict&${FLIPS}`);
  await full.waitForFunction(() => document.getElementById("readout")?.dataset.flips === "0110100111", null, { timeout: 60_000 });
  sameSeries(await seriesOf(predictive, "#chart-predictive"), await seriesOf(full, "#chart-predictive"), "predictive");
  await full.close();
  await page.close();
});

/** Clicks the Embed link button of the figure whose box is `box` in `page` and returns its snippet once its height is measured. */
async function measuredSnippet(page, box) {
  const fig = page.locator(box).locator("xpath=ancestor::figure");
  await fig.locator("button", { hasText: "Embed link" }).click();
  const text = fig.getByTestId("embed-link");
  await page.waitForFunction((t) => t.dataset.measured === "true", await text.elementHandle(), { timeout: 60_000 });
  await fig.getByTestId("embed-copy").click();
  // Copy copies the snippet, or selects it where the page may not use the clipboard.
  await page.waitForFunction((said) => /^(Copied\.|Selected: press Ctrl\+C)/.test(said.textContent), await fig.getByTestId("embed-copied").elementHandle());
  return text.inputValue();
}

test("the page's snippets, pasted without the script, are as high as their live figures in a 640 px column, lazy, full width and titled in words", { timeout: 900_000 }, async () => {
  const { page } = await browser.newPage();
  await page.goto(`${BASE}#view=prompt&${SMALL_RUN}`);
  await page.waitForSelector("body[data-ready='true']", { timeout: 60_000 });
  await runPrompt(page);
  const snippets = [];
  for (const stem of ["regret_cumulative_target", "bars_target", "hard_prefix_ranking"]) snippets.push(await measuredSnippet(page, `[data-testid="figure-${stem}"]`));
  await page.locator("#tab-inside").click();
  await page.waitForFunction(() => document.getElementById("inside-figures").children.length > 0);
  snippets.push(await measuredSnippet(page, '#view-inside [data-testid^="figure-pca_states_by_step"]'));
  await page.goto(`${BASE}#view=predict&source=mixture&flips=0110100111`);
  await page.waitForFunction(() => document.getElementById("readout")?.dataset.flips === "0110100111", null, { timeout: 60_000 });
  for (const id of ["predictive", "posterior"]) snippets.push(await measuredSnippet(page, `#chart-${id}`));
  await page.close();

  const frames = snippets.map((s) => s.split("\n")[0]);
  for (const f of frames) {
    assert.match(f, /^<iframe src="[^"]+embed\.html#[^"]+" loading="lazy" width="100%" height="\d+" style="border:0;display:block" title="[^"]+"><\/iframe>$/, f);
    const title = /title="([^"]+)"/.exec(f)[1];
    assert.match(title, /^promptlab: [^_]+, (three tuners on the target Single Coin P\(H\) = 0\.3|10 flips, Bayes for the source )/, `a title in words: ${title}`);
  }
  // A 640 px column on another origin, without embed.js: each frame keeps the height its snippet gives.
  const host = await openHost(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title></head>
<body style="margin:0 auto;max-width:640px;padding:0 8px;font-family:sans-serif"><h1>A post</h1>${frames.map((f) => `<p>Words.</p>${f}`).join("\n")}</body></html>`, { width: 1280, height: 6000 });
  for (const f of frames) await live(host, /embed=(\w+)/.exec(f)[0]);
  await redrawn(host);
  const given = frames.map((f) => Number(/height="(\d+)"/.exec(f)[1]));
  const h = await heights(host);
  h.forEach(([outer, inner], i) => {
    const name = /embed=(\w+)/.exec(frames[i])[1];
    assert.equal(outer, given[i], `${name}: the frame keeps its snippet's height`);
    assert.ok(Math.abs(outer - inner) <= 4, `${name}: the snippet gives ${outer} px for ${inner} px of content in a 640 px column`);
  });
  await host.close();
});

test("one embed alone: its preview, then its live figure (times for the note)", async () => {
  const page = await openHost(hostPage([LINKS.regret]));
  const frame = await live(page, "embed=regret_cumulative");
  const d = await frame.evaluate(() => ({ ...document.body.dataset }));
  assert.equal(d.preview, "shown");
  assert.ok(Number(d.previewMs) <= Number(d.liveMs));
  console.log(`one embed: preview at ${d.previewMs} ms, live at ${d.liveMs} ms after its frame started; computed ${d.computed}, ${d.jobs} jobs`);
  await page.close();
});

test("a read-only embed: key presses and clicks change neither the link nor the figure; interactive=1 lets a legend toggle", async () => {
  const { page } = await browser.newPage({ width: 700, height: 900 });
  await visit(page, LINKS.predictive);
  await page.waitForFunction(() => document.body.dataset.live === "true", null, { timeout: 60_000 });
  const before = { hash: await page.evaluate(() => location.hash), series: await seriesOf(page, "#chart-predictive") };
  assert.equal(await page.locator("button.legend-toggle").count(), 0, "no legend toggles");
  await page.locator("#chart-predictive .fig-host").click();
  for (const key of ["t", "h", "T", "H", "0", "1", "u", "Backspace", "ArrowLeft", "ArrowRight", "Space", "Enter"]) await page.keyboard.press(key);
  await page.locator(".legend").first().click();
  assert.equal(await page.evaluate(() => location.hash), before.hash);
  assert.deepEqual(await seriesOf(page, "#chart-predictive"), before.series);

  await page.goto("about:blank");
  await visit(page, `${LINKS.predictive}&interactive=1`);
  await page.waitForFunction(() => document.body.dataset.live === "true", null, { timeout: 60_000 });
  const toggle = page.locator('button.legend-toggle[data-key="network"]');
  await toggle.click();
  await page.waitForFunction(() => document.querySelector("#chart-predictive").figureData.series.find((s) => s.key === "network").hidden);
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  await page.close();
});

test("run=click computes nothing until the button is pressed; run=visible nothing while the frame is off-screen", async () => {
  const { page } = await browser.newPage({ width: 700, height: 900 });
  await visit(page, `${LINKS.regret}&run=click`);
  await page.waitForFunction(() => document.body.dataset.previewMs);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.body.dataset.started), undefined);
  assert.equal(page.workers().length, 0, "no worker before the click");
  await page.getByTestId("embed-compute").click();
  await page.waitForFunction(() => document.body.dataset.live === "true", null, { timeout: 600_000 });
  await page.close();

  const host = await openHost(hostPage([LINKS.bars], { spacer: 2600 }).replace('loading="lazy" ', ""), { width: 1280, height: 800 });
  let frame = null;
  for (let i = 0; i < 300 && !(frame = frameOf(host, "embed=bars")); i++) await host.waitForTimeout(100);
  // An off-screen cross-origin frame is throttled: its preview's load event may wait until it is seen,
  // so this waits for the preview to be placed, then longer than the preview's longest wait (1.5 s).
  await frame.waitForFunction(() => document.body.dataset.preview === "shown", null, { timeout: 60_000 });
  await host.waitForTimeout(2000);
  assert.equal(await frame.evaluate(() => document.body.dataset.started), undefined, "off-screen: not started");
  await host.locator("iframe").scrollIntoViewIfNeeded();
  await frame.waitForFunction(() => document.body.dataset.live === "true", null, { timeout: 600_000 });
  await host.close();
});

test("an old index.html#…&embed= link opens the embed page at once, and the embed has the link back and looks right at 360 px", async () => {
  const { page } = await browser.newPage({ width: 360, height: 800 });
  await visit(page, `#${FLIPS}&embed=posterior`);
  await page.waitForURL(/embed\.html#/);
  await page.waitForFunction(() => document.body.dataset.live === "true", null, { timeout: 60_000 });
  assert.equal(await page.locator("header, nav, fieldset").count(), 0, "no page chrome");
  const back = page.getByTestId("embed-open");
  assert.equal(await back.getAttribute("target"), "_blank");
  assert.equal(await back.getAttribute("rel"), "noopener");
  const href = await back.getAttribute("href");
  assert.match(href, /^index\.html#view=predict&/);
  assert.doesNotMatch(href, /embed=|run=|interactive=/);
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(sideways <= 0);
  await screenshot(page, "embed-posterior-360");
  await page.close();
});
