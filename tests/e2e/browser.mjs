// The one helper for opening the page in Debian's headless Chromium (never a downloaded browser): launch on a
// fresh profile, a new page at a given size, load a link and wait until it is ready or settled, screenshots.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

/** Repository root (two levels above this file). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The served page, set by ./build.sh test (E2E_URL=http://127.0.0.1:PORT/). */
export const BASE = process.env.E2E_URL ?? "http://127.0.0.1:8000/";
/** Where the tests save screenshots of each view. */
export const SHOTS = path.join(ROOT, "target", "e2e-screenshots");

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // performance.memory in exact bytes, and gc() for the memory test.
  "--enable-precise-memory-info",
  "--js-flags=--expose-gc",
];

/**
 * Chromium on a fresh user-data-dir. `newPage({width, height})` opens a page whose
 * console errors, page errors and requests that leave localhost are collected in
 * its `problems` list; `close()` ends the browser and deletes the profile.
 * The service worker is blocked unless `serviceWorkers: "allow"` (the offline tests), so other tests see the network.
 */
export async function openBrowser({ serviceWorkers = "block" } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "promptlab-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    serviceWorkers,
  });
  const newPage = async ({ width = 1280, height = 900 } = {}) => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    const problems = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (req) => {
      const url = new URL(req.url());
      if (!["127.0.0.1", "localhost"].includes(url.hostname) && !["blob:", "data:"].includes(url.protocol)) {
        problems.push(`request off localhost: ${req.url()}`);
      }
    });
    return { page, problems };
  };
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, newPage, close };
}

/** One browser for a test file: opened before its tests and closed after them; `newPage` as `openBrowser`'s. */
export function sharedBrowser() {
  let browser;
  before(async () => {
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return { newPage: (options) => browser.newPage(options) };
}

/** Opens the page at `hash` without waiting for it (for a page that does its work before it is ready to read). */
export async function visit(page, hash = "") {
  await page.goto(`${BASE}${hash}`);
}

/** Waits until the page has drawn its first numbers. */
export async function ready(page) {
  await page.waitForSelector("body[data-ready='true']", { timeout: 60_000 });
}

/** Opens the page at `hash` and waits until it has drawn its first numbers. */
export async function load(page, hash = "") {
  await visit(page, hash);
  await ready(page);
}

/** Opens `hash` as a fresh load, never a same-page hash change (through a blank page first). */
export async function loadFresh(page, hash = "") {
  await page.goto("about:blank");
  await load(page, hash);
}

/** Reloads the page and waits until it has drawn its first numbers. */
export async function reload(page) {
  await page.reload();
  await ready(page);
}

/** The text of the element with data-testid `id`. */
export async function text(page, id) {
  return (await page.getByTestId(id).textContent()).trim();
}

/** Waits until the readout shows the numbers for `flips`. */
export async function settled(page, flips) {
  await page.waitForFunction((f) => document.getElementById("readout").dataset.flips === f, flips, { timeout: 30_000 });
}

/** Saves a full-page screenshot as target/e2e-screenshots/NAME.png. */
export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Waits for error line `id` to hold a message, then returns {plain, engine, inFieldset, invalid}: the line's
 * text, the engine's own line kept beside it, whether one fieldset holds both the line and input `input`,
 * and that input's aria-invalid.
 */
export async function refusal(page, id, input) {
  await page.waitForFunction((e) => document.getElementById(e).textContent !== "", id);
  return page.evaluate(([e, i]) => {
    const line = document.getElementById(e);
    const fieldset = line.closest("fieldset");
    return { plain: line.textContent, engine: line.dataset.engine, inFieldset: Boolean(fieldset && fieldset.contains(document.getElementById(i))), invalid: document.getElementById(i).getAttribute("aria-invalid") };
  }, [id, input]);
}

/** Waits until error line `id` is empty. */
export const cleared = (page, id) => page.waitForFunction((e) => document.getElementById(e).textContent === "", id);
