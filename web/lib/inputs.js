// Typed values read out of the page's inputs, or an error naming the field when the entry is not one.
import { $ } from "./dom.js";

/** A number input's value, or an error naming `what`. */
export function numberFrom(id, what) {
  const v = $(id).valueAsNumber;
  if (!Number.isFinite(v)) throw new Error(`${what}: enter a number`);
  return v;
}

/** A number input's value as a whole number ≥ 0, or an error naming `what`. */
export function integerFrom(id, what) {
  const v = numberFrom(id, what);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${what}: enter a whole number`);
  return v;
}

/** A seed input's value as a decimal string of a u64, or an error. */
export function seedFrom(id) {
  const text = $(id).value.trim();
  if (!/^\d{1,20}$/.test(text) || BigInt(text) >= 2n ** 64n) throw new Error("seed: enter a whole number from 0 to 18446744073709551615");
  return String(BigInt(text));
}
