// "Ask first" (ask=1 in the link): the Prompt view asks which tuner will win before it shows a run's
// results, with the lessons' guess box; after the guess, the engine's ranking says who did, in words.
import { rank_by_excess } from "../pkg/promptlab.js";
import { el } from "./dom.js";
import { nats } from "./format.js";
import { term } from "./terms.js";
import { createGuess, SHOWN } from "../lessons/guess.js";

/** What the results box says while it waits for a guess. */
export const WAITING = "Choose your guess above to see the results.";

/** What stands in for the live tuning loss while the guess is not in: its lowest line would give the answer away. */
export const LOSS_WAITING = "The live tuning loss is hidden until you guess: its lowest line would give the answer away.";

/**
 * The ask-first box of the Prompt view in `box`: `state()` and `save(change)` as the page's,
 * `onChange()` runs when the guess changes, `ran()` says whether a run's results are in. Returns {sync(), open(), sentence(results), say()}: sync() after the state changed, open() whether results may show, say() after a run's results came in.
 */
export function createAskFirst({ box, state, save, onChange, ran = () => false }) {
  let built = "";
  let guess = null;
  let status = null;

  /** Builds the guess box afresh when the link asks first and the tuners changed. */
  function sync() {
    const s = state();
    box.hidden = s.ask !== 1;
    if (s.ask !== 1) {
      box.replaceChildren();
      built = "";
      status = null;
      return;
    }
    const signature = s.methods.join(",");
    if (signature === built) {
      guess?.sync();
      say();
      return;
    }
    built = signature;
    guess = createGuess({
      key: "gp",
      kind: "choice",
      question: "Before you look: which tuner will have the lowest regret at the last flip? The results stay hidden until you choose.",
      options: s.methods.map((m) => ({ value: m, label: m, node: term(m) })),
      state,
      save,
      onChange: (v) => {
        say();
        onChange(v);
      },
    });
    status = el("p", { class: "note ask-status", role: "status", "data-testid": "ask-status" });
    box.replaceChildren(guess.el, status);
    say();
  }

  /** Says, under the box, that the guess is in and what comes next. */
  function say() {
    if (!status) return;
    const g = state().gp;
    status.textContent = g === "" || g === SHOWN ? "" : `Your guess, ${g}, is in. ${ran() ? "The results are below." : "Press Run: the results show when it has finished."}`;
  }

  /** Whether a run's results may show: the link does not ask first, or the guess is in. */
  const open = () => state().ask !== 1 || state().gp !== "";

  /**
   * "You guessed X. Lowest regret after N flips: Y (… nats over TargetBayes), then …" from the engine's
   * ranking of the run's tuners by excess over TargetBayes at its last flip; "" when the link does not ask.
   */
  function sentence(results) {
    const s = state();
    if (s.ask !== 1 || s.gp === "") return "";
    const tuners = results.config.tuning.methods;
    const n = results.config.evaluation.sequence_length;
    const r = rank_by_excess(results, results.eval_sources[0], n, tuners);
    const [best, ...others] = r.ranked;
    if (!best) return `No tuner has a result after ${n} flips.`;
    const words = [s.gp === SHOWN ? "You chose to see the results without guessing." : `You guessed ${s.gp}.`];
    words.push(`Lowest regret after ${n} flips: ${best.method} (${nats(best.median)} nats more than TargetBayes, median over repetitions)${others.length ? `, then ${others.map((o) => `${o.method} ${nats(o.median)}`).join(", ")}` : ""}.`);
    if (r.missing.length) words.push(`No result for ${r.missing.join(", ")}.`);
    if (s.gp !== SHOWN) words.push(s.gp === best.method ? "Your guess was right." : `Not this time: ${best.method} won.`);
    return words.join(" ");
  }

  return { sync, open, sentence, say };
}
