// The offline copy: a second visit runs with no network (service worker), a rebuilt site replaces the old one
// without a page ever getting files of two builds, serve.py sends gzip, and the web app manifest is valid.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import zlib from "node:zlib";
import { BASE, ROOT, loadFresh, openBrowser, ready, reload } from "./browser.mjs";
import { SMALL_RUN, runPrompt } from "./views.mjs";
import { writeServiceWorker } from "../../tools/precache.mjs";

const WWW = path.join(ROOT, "www");
const VERSION_HEADER = "x-promptlab-version";

/** The version written into the sw.js served at `base`. */
async function builtVersion(base) {
  const source = await (await fetch(new URL("sw.js", base))).text();
  return source.match(/const VERSION = "([0-9a-f]{16})"/)?.[1];
}

/**
 * Waits until the page's service worker has either filled its whole cache and become active ("activated") or
 * failed to ("redundant", e.g. when the files do not hash to the version in sw.js); returns which.
 */
const activated = (page) => page.evaluate(async () => {
  // A registration can exist a moment before its first worker does: wait for both.
  let worker = null;
  for (;;) {
    const reg = await navigator.serviceWorker.getRegistration();
    worker = reg ? (reg.installing ?? reg.waiting ?? reg.active) : null;
    if (worker) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  while (!["activated", "redundant"].includes(worker.state)) await new Promise((r) => worker.addEventListener("statechange", r, { once: true }));
  return worker.state;
});

/**
 * Collects, from `context`, the bytes the network carried in each phase (headers and encoded bodies, counted in the
 * phase the request started in; none for answers from the service worker's cache), the requests that failed, and the
 * answers from the service worker's cache. `settle()` waits until every finished request has been counted.
 */
function watch(context) {
  const seen = { phase: "first", bytes: {}, failed: [], fromCache: [] };
  const phases = new WeakMap();
  const counting = new Set();
  context.on("request", (req) => phases.set(req, seen.phase));
  context.on("requestfinished", (req) => {
    const count = (async () => {
      const res = await req.response();
      if (res?.fromServiceWorker()) {
        seen.fromCache.push({ url: req.url(), version: res.headers()[VERSION_HEADER] });
        return;
      }
      const sizes = await req.sizes().catch(() => null);
      const phase = phases.get(req) ?? seen.phase;
      if (sizes) seen.bytes[phase] = (seen.bytes[phase] ?? 0) + sizes.responseHeadersSize + sizes.responseBodySize + sizes.requestHeadersSize;
    })();
    // A request still being counted when its browser closes has no answer to read any more; anything else is a failure.
    const counted = count.catch((error) => {
      if (!/has been closed/.test(String(error?.message))) seen.failed.push(`${req.url()}: not counted: ${error?.message}`);
    });
    counting.add(counted);
    counted.finally(() => counting.delete(counted));
  });
  context.on("requestfailed", (req) => seen.failed.push(`${req.url()}: ${req.failure()?.errorText}`));
  context.on("response", (res) => {
    if (res.status() >= 400) seen.failed.push(`${res.url()}: HTTP ${res.status()}`);
  });
  seen.settle = async () => {
    while (counting.size) await Promise.all([...counting]);
  };
  return seen;
}

/** What the service worker's caches hold: {names, bytes} (the bodies' sizes summed), and the storage estimate. */
const cacheSize = (page) => page.evaluate(async () => {
  let bytes = 0;
  const names = await caches.keys();
  for (const name of names) {
    const cache = await caches.open(name);
    for (const req of await cache.keys()) bytes += (await (await cache.match(req)).arrayBuffer()).byteLength;
  }
  return { names, bytes, usage: (await navigator.storage.estimate()).usage };
});

test("a second visit works with no network: reload offline, switch to the Transformer and run an experiment", { timeout: 900_000 }, async () => {
  const browser = await openBrowser({ serviceWorkers: "allow" });
  try {
    const seen = watch(browser.context);
    const { page, problems } = await browser.newPage();
    await loadFresh(page, "#view=predict&source=single&bias=0.3&flips=0110");
    assert.equal(await activated(page), "activated");
    seen.phase = "second";
    await reload(page);
    assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), "the second visit is served by the service worker");
    await seen.settle();
    const { first = 0, second = 0 } = seen.bytes;
    const size = await cacheSize(page);
    console.log(`bytes over the network: first visit ${first} (page and the service worker's copy), second visit ${second}`);
    console.log(`service worker cache: ${size.bytes} bytes of bodies in ${size.names.join(", ")}; storage estimate ${size.usage} bytes`);
    const version = await builtVersion(BASE);
    assert.ok(size.names.includes(`promptlab-${version}`), `the cache of this build (${version}) is there: ${size.names}`);

    await browser.context.setOffline(true);
    seen.fromCache.length = 0;
    await reload(page);
    await page.getByTestId("model").selectOption("transformer");
    await page.waitForFunction(() => document.getElementById("readout").dataset.model === "transformer" && document.getElementById("net-p0").textContent !== "–", null, { timeout: 60_000 });
    assert.equal(await page.getByTestId("model-error").textContent(), "");

    await loadFresh(page, `#view=prompt&${SMALL_RUN}&tmodel=transformer`);
    await runPrompt(page);
    assert.equal(await page.getByTestId("prompt-error").textContent(), "");
    assert.ok(seen.fromCache.some((r) => r.url.endsWith("models/transformer/model.safetensors")), "the Transformer came from the cache");
    assert.ok(seen.fromCache.some((r) => r.url.endsWith("promptlab_bg.wasm")), "the engine came from the cache");
    assert.deepEqual([...new Set(seen.fromCache.map((r) => r.version))], [version], "every answer offline is of this build");
    assert.deepEqual(seen.failed, [], "no request failed");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve) => {
    const server = http.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** serve.py on folder `dir`: resolves to {url, stop()} once it answers. */
async function serve(dir) {
  const port = await freePort();
  const child = spawn("python3", [path.join(ROOT, "serve.py"), dir, String(port)], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}/`;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, stop: () => child.kill() };
}

/** Makes `file` under `dir` older than it is, so serve.py no longer trusts it as the twin of a newer file. */
function age(dir, file) {
  const p = path.join(dir, file);
  if (fs.existsSync(p)) fs.utimesSync(p, new Date(0), new Date(0));
}

test("a rebuilt site replaces the old one on the next visit, and no page gets files of two builds", { timeout: 600_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promptlab-site-"));
  fs.cpSync(WWW, dir, { recursive: true });
  const site = await serve(dir);
  const browser = await openBrowser({ serviceWorkers: "allow" });
  try {
    const seen = watch(browser.context);
    const versions = () => [...new Set(seen.fromCache.map((r) => r.version))];
    const open = await browser.newPage();
    await open.page.goto(`${site.url}#view=predict&flips=01`);
    await ready(open.page);
    assert.equal(await activated(open.page), "activated");
    const v1 = await builtVersion(site.url);
    await open.page.reload();
    await ready(open.page);
    assert.deepEqual(versions(), [v1]);

    // The rebuild: one file changes (its stale gzip twin must not be sent), and sw.js gets the new version.
    fs.appendFileSync(path.join(dir, "app.js"), "\n// rebuilt\n");
    age(dir, "app.js.gz");
    const { version: v2 } = writeServiceWorker(dir);
    age(dir, "sw.js.gz");
    assert.notEqual(v2, v1);

    // The next visit is still served by the old worker (the update is found on the way) and gets only v1 ...
    seen.fromCache.length = 0;
    const next = await browser.newPage();
    await next.page.goto(`${site.url}#view=predict&flips=01`);
    await ready(next.page);
    assert.deepEqual(versions(), [v1]);
    // ... then the new build takes over, and both open pages say so; each keeps its own version meanwhile.
    await next.page.getByTestId("update-note").waitFor({ timeout: 120_000 });
    await open.page.getByTestId("update-note").waitFor();
    seen.fromCache.length = 0;
    const late = await open.page.evaluate(async () => {
      const res = await fetch("app.js");
      return { version: res.headers.get("x-promptlab-version"), rebuilt: (await res.text()).includes("// rebuilt") };
    });
    assert.deepEqual(late, { version: v1, rebuilt: false }, "an old page fetching late still gets its own build");
    const wasm = browser.context.waitForEvent("requestfinished", (r) => r.url().endsWith("promptlab_bg.wasm"));
    await open.page.evaluate(() => {
      window.lateWorker = new Worker(new URL("workers/experiment.js", location.href), { type: "module" });
    });
    assert.equal((await (await wasm).response()).headers()[VERSION_HEADER], v1, "a worker started late by an old page gets the old build");
    await seen.settle();
    assert.deepEqual(versions(), [v1]);

    // A reload is a new visit: all of v2, with the changed file.
    seen.fromCache.length = 0;
    await next.page.reload();
    await ready(next.page);
    assert.deepEqual(versions(), [v2], JSON.stringify(seen.fromCache.filter((r) => r.version !== v2)));
    assert.ok(seen.fromCache.some((r) => r.url.endsWith("/app.js")));
    assert.ok(await next.page.evaluate(async () => (await (await fetch("app.js")).text()).includes("// rebuilt")));

    // Once no page uses v1, its cache goes (at a later navigation: a pin is kept for a while in case its page is new).
    await open.page.close();
    for (;;) {
      await next.page.goto("about:blank");
      await next.page.goto(`${site.url}#view=predict&flips=01`);
      await ready(next.page);
      if (!(await next.page.evaluate(() => caches.keys())).includes(`promptlab-${v1}`)) break;
      await next.page.waitForTimeout(3000);
    }
    assert.ok((await next.page.evaluate(() => caches.keys())).includes(`promptlab-${v2}`));
    assert.deepEqual(seen.failed, []);
    assert.deepEqual([...open.problems, ...next.problems], []);
  } finally {
    await browser.close();
    site.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a site whose files do not hash to its sw.js version is never cached, and the page still works online", { timeout: 300_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promptlab-site-"));
  fs.cpSync(WWW, dir, { recursive: true });
  fs.appendFileSync(path.join(dir, "app.js"), "\n// changed after the build\n");
  age(dir, "app.js.gz");
  const site = await serve(dir);
  const browser = await openBrowser({ serviceWorkers: "allow" });
  try {
    const { page, problems } = await browser.newPage();
    await page.goto(`${site.url}#view=predict&flips=01`);
    await ready(page);
    assert.equal(await activated(page), "redundant");
    assert.deepEqual((await page.evaluate(() => caches.keys())).filter((n) => n !== "promptlab-pins"), []);
    await page.reload();
    await ready(page);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    site.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** GET `file` from `base` with raw bytes, headers and status: {status, headers, body}. */
function rawGet(base, file, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(new URL(file, base), { headers }, (res) => {
      const parts = [];
      res.on("data", (c) => parts.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    }).on("error", reject);
  });
}

test("serve.py sends the wasm and the JS gzipped to a client that accepts it, and plain otherwise", async () => {
  for (const [file, type] of [["pkg/promptlab_bg.wasm", "application/wasm"], ["app.js", "text/javascript"]]) {
    const plain = fs.readFileSync(path.join(WWW, file));
    const gz = await rawGet(BASE, file, { "Accept-Encoding": "gzip, deflate, br" });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers["content-encoding"], "gzip", file);
    assert.equal(gz.headers["content-type"], type);
    assert.equal(gz.headers.vary, "Accept-Encoding");
    assert.equal(Number(gz.headers["content-length"]), gz.body.length);
    assert.ok(gz.body.length < plain.length, `${file}: ${gz.body.length} gzipped bytes, ${plain.length} plain`);
    assert.ok(zlib.gunzipSync(gz.body).equals(plain), `${file}: the gzipped body is the file`);
    console.log(`${file}: ${plain.length} bytes, ${gz.body.length} gzipped`);

    const raw = await rawGet(BASE, file);
    assert.equal(raw.headers["content-encoding"], undefined);
    assert.equal(raw.headers["content-type"], type);
    assert.ok(raw.body.equals(plain), `${file}: the plain body is the file`);
  }
  for (const file of ["sw.js", "index.html", ""]) {
    assert.equal((await rawGet(BASE, file, { "Accept-Encoding": "gzip" })).headers["cache-control"], "no-cache", file || "/");
  }
});

test("the web app manifest has no errors, its icons load at their sizes, and the page is installable", async () => {
  const browser = await openBrowser({ serviceWorkers: "allow" });
  try {
    const { page, problems } = await browser.newPage();
    await loadFresh(page, "#view=predict");
    assert.equal(await activated(page), "activated");
    const cdp = await browser.context.newCDPSession(page);
    const manifest = await cdp.send("Page.getAppManifest");
    assert.deepEqual(manifest.errors, [], JSON.stringify(manifest.errors));
    const data = JSON.parse(manifest.data);
    assert.equal(data.display, "standalone");
    assert.equal(data.start_url, "./index.html");
    for (const icon of data.icons) {
      const res = await page.request.get(new URL(icon.src, manifest.url).href);
      assert.equal(res.status(), 200, icon.src);
      assert.equal(res.headers()["content-type"], icon.type, icon.src);
      if (icon.type === "image/png") {
        const png = await res.body();
        const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
        assert.equal(`${w}x${h}`, icon.sizes, icon.src);
      }
    }
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
