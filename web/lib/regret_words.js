// Sentences beside the regret table, built from a run's results and the engine's comparisons:
// what TargetBayes costs against the oracle, and which methods did worse than their reference.
import { inWords } from "./plain_errors.js";

const nats = (x) => x.toFixed(3);

/** The table's key steps of a run: N_tune, N_train, N_eval, distinct, in 1..N_eval. */
export function keySteps(results) {
  const k = results.key_steps;
  return [...new Set([k.tune, k.train, k.eval])].filter((n) => n >= 1 && n <= k.eval).sort((a, b) => a - b);
}

/**
 * Why TargetBayes is not at 0 (or that it is), with its own numbers from the results' TargetBayes
 * row on `source`; null when the row is missing.
 */
export function floorSentence(results, source) {
  const row = results.methods.find((m) => m.method === "TargetBayes")?.summary[source];
  if (!row) return null;
  const steps = keySteps(results);
  const values = steps.map((n) => row.median[n - 1]);
  if (!values.every(Number.isFinite)) return null;
  if (values.every((v) => v === 0)) {
    return "TargetBayes, the best any method can do without knowing the coin, scores 0 at every step: here it is the oracle itself, as the target hides no coin to learn.";
  }
  const costs = steps.map((n, i) => (i === 0 ? `${nats(values[i])} nats after ${n} flips` : `${nats(values[i])} after ${n}`));
  return `TargetBayes, the best any method can do without knowing the coin, still costs ${inWords(costs)} against the oracle: that is the price of not knowing which coin made each sequence, which the oracle knows and TargetBayes must infer from the flips.`;
}

/** "2.840 nats against NoTuning's 2.350 after 50 flips, 3.1 against 2.9 after 200". */
function lostAt(w) {
  return inWords(w.steps.map((s, i) => (i === 0 ? `${nats(s.median)} nats against ${w.baseline}'s ${nats(s.baseline)} after ${s.step} flips` : `${nats(s.median)} against ${nats(s.baseline)} after ${s.step}`)));
}

/**
 * One sentence per finding of the engine's worse_than_baselines for a run with prompt length `k`,
 * in its order; the PreBayesPT finding explains HardPT's when both are there.
 */
export function worseSentences(findings, k) {
  const forced = findings.find((w) => w.method === "PreBayesPT");
  const out = [];
  for (const w of findings) {
    if (w.method === "PreBayesPT") {
      if (findings.some((h) => h.method === "HardPT" && h.forced_flips)) continue;
      out.push(`Even exact Bayes does worse behind its best prompt of ${k} flips (PreBayesPT) than with none (PreBayes): ${lostAt(w)}. A hard prompt must be exactly K = ${k} real flips, and for this target no prompt at all beats the best of them.`);
      continue;
    }
    let text = `${w.method} did worse than no tuning at all: ${lostAt(w)} (its 25–75 % band lies above ${w.baseline}'s).`;
    if (w.method === "HardPT" && w.forced_flips && forced) {
      const s = forced.steps[0];
      text += ` A hard prompt must be exactly K = ${k} real flips, and for this target even exact Bayes does worse behind its best ${k}-flip prompt (PreBayesPT, ${nats(s.median)}) than with none (PreBayes, ${nats(s.baseline)}) after ${s.step} flips: here no prompt at all beats the best of ${k} flips.`;
    }
    out.push(text);
  }
  return out;
}
