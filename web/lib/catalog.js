// The engine's catalog of method and baseline labels (method_catalog), asked once after init().
import { method_catalog } from "../pkg/promptlab.js";

let list = null;

/** Every label a run can report, in display order: [{label, kind, prefix, theory_k, oracle, description}]. */
export function catalog() {
  if (!list) list = method_catalog();
  return list;
}

/** The catalog entry of `label`, or null for a label the engine does not know. */
export function entry(label) {
  return catalog().find((e) => e.label === label) ?? null;
}

/** Takes the catalog from elsewhere (an embed's worker asked the engine), for a page that never loads the engine itself. */
export function useCatalog(given) {
  list = given;
}
