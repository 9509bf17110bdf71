// What the experiment chapters share: the lab settings of a run (the Prompt view's budget with
// the chapter's target, tuners and seed), and the engine's excess over TargetBayes in words.
import { rank_by_excess } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { nats } from "../lib/format.js";
import { experiment, experimentKey } from "./compute.js";
import { TEXT } from "./text.js";
import { say } from "./words.js";

/**
 * The lab state of a chapter's run: the Prompt view's default budget, target `target` (keys
 * tsource, tbias, tcoins, tweights), network `tmodel`, tuners `methods`, seed `seed` and any
 * other budget keys in `budget` (e.g. tlr).
 */
export function runLab({ target, tmodel = "lstm", methods, seed, budget = {} }) {
  return { ...S.defaults(), ...target, tmodel, methods, promptseed: seed, ...budget };
}

/** The Prompt view's keys of a run's lab state, for its "Explore in the lab" link. */
export function promptKeys(lab) {
  const keys = ["tsource", "tbias", "tcoins", "tweights", "tmodel", "methods", "plen", "tsteps", "tbatch", "tlength", "tlr", "reps", "elength", "eseqs", "promptseed"];
  return Object.fromEntries(keys.map((k) => [k, lab[k]]));
}

/**
 * The engine's ranking of `labels` by excess over TargetBayes after the run's N_tune flips (the
 * Theory view's units): {ranked: [{method, median, q25, q75}] lowest first, ties in `labels`' order,
 * missing: [labels with no finite result]}, and `of(label)`, one method's row (or undefined).
 */
export function rankOf(results, labels) {
  const r = rank_by_excess(results, results.eval_sources[0], results.config.tuning.sequence_length, labels);
  return { ...r, of: (label) => r.ranked.find((e) => e.method === label) };
}

/** "HardPT 0.3012, SoftPT 0.0123" (median excess of each, in the order given), then any methods with no result. */
export function excessWords(rows, missing = []) {
  const words = rows.map((r) => `${r.method} ${nats(r.median)}`);
  if (missing.length) words.push(say(TEXT.run.noResult, { methods: missing.join(", ") }));
  return words.join(", ");
}

/** Why a run has no answer: it was cancelled, or the engine's message. */
export function failedWords(message) {
  return message === "cancelled" ? TEXT.run.cancelled : say(TEXT.run.failed, { message });
}

/** One method's median excess in nats, or the no-result words. */
export function excessOfWords(row, label) {
  return row ? nats(row.median) : say(TEXT.run.noResult, { methods: label });
}

/** The engine figure file of `results`' figures whose name starts with `stem` (e.g. "regret_cumulative_"). */
export function figureNamed(figures, stem, not = null) {
  return figures.find(([name]) => name.startsWith(stem) && !(not && name.startsWith(not))) ?? null;
}

/**
 * Starts the run of lab state `lab` on `models` in run box `run`, and calls `settle(out, failure)`
 * when it ends: the results (failure null), or null and why it has none.
 */
export function startRun(run, lab, models, settle) {
  run.el.dataset.config = experimentKey(lab);
  run.start(
    () => experiment(lab, models),
    (out) => settle(out, null),
    (message) => settle(null, message),
  );
}
