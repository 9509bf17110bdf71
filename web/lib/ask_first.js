// "Ask first" (ask=1 in the link): the Prompt view asks which tuner will win before it shows a run's
// results, with the lessons' guess box; after the guess, the engine's ranking says who did, in words.
import { rank_by_excess } from "../pkg/promptlab.js";
import { nats } from "./format.js";
import { term } from "./terms.js";
import { createGuess, SHOWN } from "../lessons/guess.js";

/** What the results box says while it waits for a guess. */
export const WAITING = "Choose your guess above to see the results.";

/**
 * The ask-first box of the Prompt view in `box`: `state()` and `save(change)` as the page's,
 * `onChange()` runs when the guess changes. Returns {sync(), open(), sentence(results)}: sync() after the state changed, open() whether results may show.
 */
export function createAskFirst({ box, state, save, onChange }) {
  let built = "";
  let guess = null;

  /** Builds the guess box afresh when the link asks first and the tuners changed. */
  function sync() {
    const s = state();
    box.hidden = s.ask !== 1;
    if (s.ask !== 1) {
      box.replaceChildren();
      built = "";
      return;
    }
    const signature = s.methods.join(",");
    if (signature === built) {
      guess?.sync();
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
      onChange,
    });
    box.replaceChildren(guess.el);
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

  return { sync, open, sentence };
}
