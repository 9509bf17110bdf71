// promptlab's service worker: the whole built site cached per build, so a second visit works with no network.
// Versions: the build writes VERSION (a hash of every precached file) and FILES below. Install fetches FILES into
// cache promptlab-VERSION and refuses it unless the bodies hash to VERSION (never a cache of two builds).
// Each client is pinned to one version: a navigation to the version of the worker that serves it, a worker
// client to the version of the client that started it; every response a client gets comes from its version's
// cache (header x-promptlab-version). A new worker activates at once, so the next navigation gets the new version,
// while pages already open keep their own; a version's cache is deleted once no live client is pinned to it.

// precache:begin
const VERSION = "unbuilt";
const FILES = [];
// precache:end

const PREFIX = "promptlab-";
const PINS = "promptlab-pins"; // cache used as a store: /__pin/CLIENT → "VERSION TIME", kept when the worker sleeps
// A client pinned this recently may not be listed by clients.matchAll yet (a navigation's client is listed once its
// document exists), so its pin is kept even if it is not seen.
const NEW_CLIENT_MS = 30_000;
const cacheName = (v) => `${PREFIX}${v}`;
const pinKey = (id) => new URL(`__pin/${encodeURIComponent(id)}`, self.registration.scope).href;

/** Hex of the SHA-256 of `data` (string or ArrayBuffer). */
async function sha256(data) {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A copy of `res` with body `body`, stamped with `version`, without the transfer's encoding headers. */
function stamped(res, body, version) {
  const headers = new Headers(res.headers);
  for (const h of ["content-encoding", "content-length", "transfer-encoding"]) headers.delete(h);
  headers.set("x-promptlab-version", version);
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
}

async function install() {
  const bodies = await Promise.all(FILES.map(async (f) => {
    const res = await fetch(new URL(f, self.registration.scope), { cache: "no-cache" });
    if (!res.ok) throw new Error(`${f}: HTTP ${res.status}`);
    return [f, res, await res.arrayBuffer()];
  }));
  let listing = "";
  for (const [f, , body] of bodies) listing += `${f}\n${await sha256(body)}\n`;
  const got = (await sha256(listing)).slice(0, 16);
  if (got !== VERSION) throw new Error(`the site changed while it was cached (files hash to ${got}, not ${VERSION})`);
  const cache = await caches.open(cacheName(VERSION));
  await Promise.all(bodies.map(([f, res, body]) => cache.put(new URL(f, self.registration.scope), stamped(res, body, VERSION))));
}

self.addEventListener("install", (event) => {
  // An unbuilt copy (web/sw.js copied as it is) caches nothing and takes over at once: the network serves the page.
  if (FILES.length === 0) return void self.skipWaiting();
  event.waitUntil(install().then(() => self.skipWaiting(), async (e) => {
    await caches.delete(cacheName(VERSION));
    throw e;
  }));
});

const pins = new Map(); // client id → version, mirrored in the PINS cache
const workerPins = new Map(); // worker script URL → version of the client that last started it

async function pin(id, version) {
  if (!id) return;
  pins.set(id, version);
  await (await caches.open(PINS)).put(pinKey(id), new Response(`${version} ${Date.now()}`));
}

async function pinned(id) {
  if (!id) return null;
  if (!pins.has(id)) {
    const hit = await caches.match(pinKey(id), { cacheName: PINS });
    if (!hit) return null;
    pins.set(id, (await hit.text()).split(" ")[0]);
  }
  return pins.get(id);
}

/** The version whose files client `event.clientId` gets (pinning new clients on the way). */
async function versionOf(event) {
  const req = event.request;
  if (req.mode === "navigate") {
    await pin(event.resultingClientId, VERSION);
    return VERSION;
  }
  let version = await pinned(event.clientId);
  if (!version && event.clientId) {
    // A worker client met before any pin: the version of the client that fetched its script.
    const client = await self.clients.get(event.clientId);
    version = (client && workerPins.get(client.url.split("#")[0])) ?? VERSION;
    await pin(event.clientId, version);
  }
  version ??= VERSION;
  if (["worker", "sharedworker"].includes(req.destination)) {
    workerPins.set(req.url.split("#")[0], version);
    await pin(event.resultingClientId, version);
  }
  return version;
}

/** The cache key of a same-origin URL: no hash, and a folder means its index.html. */
function keyOf(url) {
  const u = new URL(url);
  u.hash = "";
  if (u.pathname.endsWith("/")) u.pathname += "index.html";
  return u.href;
}

async function respond(event) {
  const version = await versionOf(event);
  const name = cacheName(version);
  const navigate = event.request.mode === "navigate";
  const hit = (await caches.has(name)) ? await caches.match(keyOf(event.request.url), { cacheName: name, ignoreSearch: navigate }) : undefined;
  if (navigate) event.waitUntil(prune());
  if (hit) return hit;
  // A client of an older build whose cache is gone must not get this build's files: it is told to reload instead.
  if (version !== VERSION && !(await caches.has(name))) {
    return new Response("This copy of promptlab was replaced by a newer one: reload the page.", {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8", "x-promptlab-version": version },
    });
  }
  return fetch(event.request);
}

/** Forgets pins of clients that are gone and deletes every other version's cache no live client is pinned to. */
async function prune() {
  const live = new Set((await self.clients.matchAll({ includeUncontrolled: true, type: "all" })).map((c) => c.id));
  const store = await caches.open(PINS);
  const used = new Set([VERSION]);
  for (const req of await store.keys()) {
    const id = decodeURIComponent(req.url.slice(pinKey("").length));
    const [version, time] = (await (await store.match(req)).text()).split(" ");
    if (live.has(id) || Date.now() - Number(time) < NEW_CLIENT_MS) used.add(version);
    else {
      pins.delete(id);
      await store.delete(req);
    }
  }
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== PINS && !used.has(name.slice(PREFIX.length))) await caches.delete(name);
  }
}

self.addEventListener("activate", (event) => {
  if (FILES.length > 0) event.waitUntil(prune());
  else event.waitUntil(caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX)).map((n) => caches.delete(n)))));
});

self.addEventListener("fetch", (event) => {
  if (FILES.length === 0 || event.request.method !== "GET" || new URL(event.request.url).origin !== self.location.origin) return;
  event.respondWith(respond(event));
});
