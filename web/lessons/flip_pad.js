// Buttons that add flips to a lesson's sequence: H, T, Undo and Reset, with the flips shown as letters.
import { el, button } from "../lib/dom.js";
import { TEXT } from "./text.js";

/** Most flips a pad adds (the state's limit for the chapters' extra flips). */
export const MAX_MORE = 200;

/**
 * A flip pad for `testid`: get() → the added flips, set(flips) stores them; `shown(added)` gives the
 * line shown beside the buttons. Returns {el, sync()}.
 */
export function flipPad({ testid, get, set, shown }) {
  const T = TEXT.flips;
  const add = (token) => get().length < MAX_MORE && set(get() + token);
  const h = button(T.heads, () => add("0"), { class: "flip", "data-testid": `${testid}-h` });
  const t = button(T.tails, () => add("1"), { class: "flip", "data-testid": `${testid}-t` });
  const undo = button(T.undo, () => set(get().slice(0, -1)), { "data-testid": `${testid}-undo` });
  const reset = button(T.reset, () => set(""), { "data-testid": `${testid}-reset` });
  const line = el("p", { class: "sequence", "data-testid": `${testid}-flips` });
  const pad = el("div", { class: "flip-pad" }, el("div", { class: "flip-buttons" }, h, t, undo, reset), line);
  function sync() {
    const more = get();
    undo.disabled = more.length === 0;
    reset.disabled = more.length === 0;
    h.disabled = t.disabled = more.length >= MAX_MORE;
    line.textContent = shown(more);
    line.dataset.tokens = more;
    // A button that just went disabled under the keyboard's focus hands it to H.
    if (pad.contains(document.activeElement) && document.activeElement.disabled) h.focus();
  }
  sync();
  return { el: pad, sync };
}
