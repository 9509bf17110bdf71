// The bench's own site on a free 127.0.0.1 port: /bench/… from bench/page/, everything else from www/ (one origin).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

/** Content types by file extension, as serve.py sends them; anything else is application/octet-stream. */
const TYPES = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** The file under one of `mounts` ([[url prefix, directory], …], first match wins) that `pathname` names, or null. */
function fileFor(mounts, pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const root = path.resolve(dir);
    let file = path.resolve(root, `.${path.posix.sep}${pathname.slice(prefix.length)}`);
    if (file !== root && !file.startsWith(root + path.sep)) return null;
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      return fs.statSync(file).isFile() ? file : null;
    } catch {
      return null;
    }
  }
  return null;
}

function answer(mounts, req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = fileFor(mounts, pathname);
  if (!file) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
    return;
  }
  const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  res.writeHead(200, { "Content-Type": type, "Content-Length": fs.statSync(file).size });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  fs.createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

/**
 * Serves `mounts` ([[url prefix, directory], …]) on a free port of 127.0.0.1.
 * Resolves to {url, close}: the site's root URL ("http://127.0.0.1:PORT/") and a function that stops it.
 */
export function serveSite(mounts) {
  const server = http.createServer((req, res) => answer(mounts, req, res));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const close = () =>
        new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        });
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close });
    });
  });
}
