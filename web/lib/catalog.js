// The engine's catalog of every method and baseline label (kind, prefix, theory_k, description),
// loaded once after the engine starts.
import { method_catalog } from "../pkg/promptlab.js";

let list = null;

/** Every label a run's methods can hold, in display order: [{label, kind, prefix, theory_k, description}]. */
export function catalog() {
  if (!list) list = method_catalog();
  return list;
}

/** The catalog entry of `label`, or null for a label the engine does not know. */
export function entry(label) {
  return catalog().find((e) => e.label === label) ?? null;
}
