// The guess a lesson asks before it answers: a probability on a slider, a choice of method, or a
// yes/no verdict, kept in the link; the answer stays hidden until a guess is locked in or skipped.
import { el, button } from "../lib/dom.js";
import { TEXT } from "./text.js";
import { say } from "./words.js";

/** The guess value that means "show the answer without a guess". */
export const SHOWN = "shown";

/**
 * A guess box for state key `key`. `kind` is "slider" (a probability), "choice" or "verdict"
 * (`options`: [{value, label}]; a verdict's are Yes / No). `question` is the box's legend.
 * `onChange(guess)` is called with the guess whenever it is locked in, skipped or cleared ("").
 * Returns {el, sync()}: sync() shows the state's guess (call it after the state changed).
 */
export function createGuess({ key, kind, question, options = [], state, save, onChange }) {
  const T = TEXT.guess;
  const box = el("fieldset", { class: "guess", "data-testid": `guess-${key}` });
  const legend = el("legend", {}, question);
  box.append(legend);
  let read;
  let setValue;
  let controls = [];
  if (kind === "slider") {
    const id = `${key}-range`;
    const range = el("input", { type: "range", id, min: "0", max: "1", step: "0.01", value: "0.5", "data-testid": `${key}-range` });
    const out = el("output", { for: id, class: "guess-value", "data-testid": `${key}-value` }, "0.50");
    range.addEventListener("input", () => (out.textContent = Number(range.value).toFixed(2)));
    box.append(el("label", { for: id }, T.yourGuess, out), el("div", { class: "slider" }, el("span", { "aria-hidden": "true" }, "0"), range, el("span", { "aria-hidden": "true" }, "1")));
    read = () => Number(range.value).toFixed(2);
    controls = [range];
    setValue = (v) => {
      range.value = v;
      out.textContent = Number(v).toFixed(2);
    };
  } else {
    const list = kind === "verdict" ? [{ value: "yes", label: T.yes }, { value: "no", label: T.no }] : options;
    const group = el("div", { class: "choices", role: "radiogroup", "aria-label": question });
    for (const o of list) {
      const id = `${key}-${o.value}`;
      const radio = el("input", { type: "radio", name: key, id, value: o.value, "data-testid": id });
      group.append(el("label", { for: id, class: "choice" }, radio, o.node ?? o.label));
      controls.push(radio);
    }
    box.append(group);
    read = () => controls.find((r) => r.checked)?.value ?? null;
    setValue = (v) => controls.forEach((r) => (r.checked = r.value === v));
  }
  const problem = el("p", { class: "error", role: "alert" });
  const lock = button(T.lock, () => {
    const v = read();
    if (v === null) {
      problem.textContent = T.pick;
      return;
    }
    commit(v);
  }, { class: "primary", "data-testid": `${key}-lock` });
  const show = button(T.show, () => commit(SHOWN), { "data-testid": `${key}-show` });
  const again = button(T.again, () => commit(""), { "data-testid": `${key}-again` });
  box.append(el("div", { class: "buttons" }, lock, show, again), problem);

  function commit(v) {
    problem.textContent = "";
    save({ [key]: v });
    sync();
    // Focus stays in the box: on "Guess again" when a guess is in, on the first control when cleared.
    (v === "" ? controls[0] : again).focus();
    onChange(v);
  }

  function sync() {
    const v = state()[key];
    const done = v !== "";
    if (done && v !== SHOWN) setValue(v);
    for (const c of controls) c.disabled = done;
    lock.hidden = done;
    show.hidden = done;
    again.hidden = !done;
    box.dataset.guess = v;
  }

  sync();
  return { el: box, sync };
}

/** Hides a chapter's `answer` until a guess is in: its reveal line says how to see it, and holds no numbers. */
export function conceal(answer, reveal) {
  answer.hidden = true;
  reveal.textContent = TEXT.guess.hidden;
  for (const key of Object.keys(reveal.dataset)) if (key !== "testid") delete reveal.dataset[key];
}

/** A verdict's value ("yes" / "no") in words. */
export function verdictWord(value) {
  return value === "yes" ? TEXT.guess.yes : TEXT.guess.no;
}

/** Words for a guess beside the answer: "You said 0.70." / "You chose to see the answer…". */
export function guessWords(guess, label = (g) => g) {
  return guess === SHOWN ? TEXT.guess.skipped : say(TEXT.guess.youSaid, { guess: label(guess) });
}
