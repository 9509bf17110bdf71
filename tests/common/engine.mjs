// The one loader of the Node build of the wasm engine (target/pkg-node, CommonJS from wasm-bindgen --target nodejs).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** Repository root (two levels above this file). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const require = createRequire(import.meta.url);
/** The engine's exports, as the page imports them from www/pkg/promptlab.js. */
export const engine = require(path.join(ROOT, "target", "pkg-node", "promptlab.js"));
