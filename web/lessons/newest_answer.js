// A chapter's answer of which only the newest counts: one asked for again (a new guess) or a chapter
// that closed while it was computing leaves that result, and its failure, unshown.
import { messageOf } from "../lib/messages.js";
import { TEXT } from "./text.js";
import { say } from "./words.js";

/**
 * `of(compute)` resolves to compute()'s answer, or null when a newer call (or `forget()`) came since or
 * `isClosed()`; a failure of the newest call is written into `reveal`.
 */
export function newestAnswer(reveal, isClosed) {
  let serial = 0;
  return {
    forget() {
      serial++;
    },
    async of(compute) {
      const mine = ++serial;
      try {
        const a = await compute();
        return isClosed() || mine !== serial ? null : a;
      } catch (e) {
        if (!isClosed() && mine === serial) reveal.textContent = say(TEXT.run.failed, { message: messageOf(e) });
        return null;
      }
    },
  };
}
