// A lesson's live computation on screen: a progress bar and a Cancel button while it runs, the
// time it took when done, and "Run again" after a cancel or a failure.
import { el, button } from "../lib/dom.js";
import { messageOf } from "../lib/messages.js";
import { TEXT } from "./text.js";
import { say } from "./words.js";

/**
 * A run box with data-testid `testid` (and, when a chapter has two, a `label` naming its run), hidden until its first start. start(begin, onDone, onFail)
 * calls `begin()` for a handle (compute.js), follows it, and calls `onDone(result)` once it
 * finishes or `onFail(message)` if it fails or is cancelled; stop() cancels a run still going
 * (when the chapter closes). `busy` says whether a run is going.
 */
export function createRunBox(testid, label = "") {
  const T = TEXT.run;
  const bar = el("progress", { max: "1", value: "0", "aria-label": T.starting });
  // The step count changes many times a second: it is shown, and only the run's start and end are announced.
  const words = el("span", { class: "run-words", "data-testid": `${testid}-words` }, T.starting);
  const said = el("span", { class: "visually-hidden", role: "status" });
  const cancel = button(T.cancel, () => current?.cancel(), { "data-testid": `${testid}-cancel` });
  const again = button(T.again, () => last && start(...last), { "data-testid": `${testid}-again`, hidden: "" });
  const box = el("div", { class: "run-box", "data-testid": testid, hidden: "" }, bar, words, said, cancel, again);
  if (label) box.prepend(el("span", { class: "run-label" }, label));
  let current = null;
  let last = null;
  let serial = 0;

  function show(text, announce = false) {
    words.textContent = text;
    bar.setAttribute("aria-label", text);
    if (announce) said.textContent = text;
  }

  function start(begin, onDone, onFail = () => {}) {
    last = [begin, onDone, onFail];
    const mine = ++serial;
    const h = begin();
    current = h;
    box.dataset.state = "running";
    box.hidden = false;
    bar.hidden = false;
    cancel.hidden = false;
    again.hidden = true;
    show(T.starting, true);
    h.onProgress((done, total) => {
      if (mine !== serial || total <= 0) return;
      bar.max = total;
      bar.value = done;
      show(say(T.running, { done, total, percent: Math.floor((100 * done) / total) }));
    });
    h.promise.then(
      (out) => {
        if (mine !== serial) return;
        current = null;
        box.dataset.state = "done";
        bar.max = 1;
        bar.value = 1;
        cancel.hidden = true;
        show(say(T.done, { seconds: out.seconds.toFixed(1) }), true);
        box.dataset.seconds = out.seconds.toFixed(2);
        onDone(out);
      },
      (e) => {
        if (mine !== serial) return;
        current = null;
        const message = messageOf(e);
        box.dataset.state = message === "cancelled" ? "cancelled" : "failed";
        cancel.hidden = true;
        again.hidden = false;
        show(message === "cancelled" ? T.cancelled : say(T.failed, { message }), true);
        onFail(message);
      },
    );
  }

  function stop() {
    serial += 1;
    current?.cancel();
    current = null;
  }

  return { el: box, start, stop, get busy() { return current !== null; } };
}
