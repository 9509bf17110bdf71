// Writes the service worker's version and file list into DIR/sw.js: node tools/precache.mjs DIR (the built site, www/).
// The list is every file under DIR except sw.js, *.gz, *.d.ts and bench-only files; the version is a hash of their
// paths and contents, so any change to the site makes a new sw.js, which the browser installs as a new version.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Files the service worker never precaches: itself, compressed twins, type declarations, the bench page's files. */
const skip = (rel) => rel === "sw.js" || rel.endsWith(".gz") || rel.endsWith(".d.ts") || /(^|\/)bench[_/]/.test(rel);

/** Every file under `dir` as a path relative to it with "/" separators, sorted bytewise. */
function walk(dir, rel = "") {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, r) : [r];
  });
}

/** The site's precache list and version: {files, version}; the version is computed as sw.js recomputes it at install. */
export function precache(dir) {
  const files = walk(dir).filter((r) => !skip(r)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const outer = crypto.createHash("sha256");
  for (const f of files) {
    outer.update(`${f}\n${crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, f))).digest("hex")}\n`);
  }
  return { files, version: outer.digest("hex").slice(0, 16) };
}

/** Rewrites the lines between the precache markers of DIR/sw.js; returns the version. */
export function writeServiceWorker(dir) {
  const file = path.join(dir, "sw.js");
  const source = fs.readFileSync(file, "utf8");
  const { files, version } = precache(dir);
  const block = `// precache:begin\nconst VERSION = ${JSON.stringify(version)};\nconst FILES = ${JSON.stringify(files, null, 0)};\n// precache:end`;
  const next = source.replace(/\/\/ precache:begin[\s\S]*?\/\/ precache:end/, block);
  if (next === source && !source.includes(block)) throw new Error(`${file} has no precache markers`);
  fs.writeFileSync(file, next);
  return { version, count: files.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node tools/precache.mjs DIR");
    process.exit(2);
  }
  const { version, count } = writeServiceWorker(dir);
  console.log(`${dir}/sw.js: version ${version}, ${count} files precached`);
}
