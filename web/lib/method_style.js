// The engine's colour and dash of each method label, asked once per label, so the page draws every
// method as the engine's figures do.
import { method_style } from "../pkg/promptlab.js";

const styles = new Map();

/** The engine's {colour, dash} of a method label. */
export function styleOf(label) {
  if (!styles.has(label)) styles.set(label, method_style(label));
  return styles.get(label);
}
