// The series hidden by legend toggles (the URL's `off` keys), shared by every figure of the page.

const hidden = new Set();
const listeners = [];

/** Whether series `key` is hidden. */
export const isHidden = (key) => hidden.has(key);

/** The hidden keys, in the order they were hidden. */
export const hiddenKeys = () => [...hidden];

/** Replaces the hidden keys (from a parsed link); tells the listeners when `notify` and the keys changed. */
export function setHidden(keys, notify = false) {
  const before = hiddenKeys().join(",");
  hidden.clear();
  for (const k of keys) hidden.add(k);
  if (notify && hiddenKeys().join(",") !== before) for (const f of listeners) f(hiddenKeys());
}

/** Hides series `key` if shown, shows it if hidden, then tells every listener the new keys. */
export function toggleSeries(key) {
  if (hidden.has(key)) hidden.delete(key);
  else hidden.add(key);
  for (const f of listeners) f(hiddenKeys());
}

/** Calls `f(keys)` after every toggle. */
export function onToggle(f) {
  listeners.push(f);
}
