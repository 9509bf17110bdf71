// A plain sentence for an engine refusal {field, value, allowed}, naming the controls by their visible labels.
// It reads the engine's few phrasings of a range in `allowed` (the CLI shows them as they are); any other
// refusal reads "<control> must be <allowed>; it is <value>".
import { number } from "./format.js";

/** "a", "a and b", "a, b and c". */
export const inWords = (xs) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);

const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** A value as the engine wrote it, with a plain number's binary noise rounded away (1.2, not 1.2000000000000002). */
function shown(value) {
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value) ? number(Number(value)) : value;
}

/** The engine's phrasings of what is allowed, each with its sentence (`name`: the controls; `v`: the value shown). */
const PHRASES = [
  [/^an integer in (\S+)\.\.=(\S+)$/, ([, lo, hi], name, v) => `${name} must be a whole number from ${lo} to ${hi}; it is ${v}.`],
  [/^a finite number in \(0, (\S+)\]$/, ([, hi], name, v) => `${name} must be a number above 0 and at most ${hi}; it is ${v}.`],
  [/^a probability in \[0, 1\]$/, (_, name, v) => `${name} must be a probability from 0 to 1; it is ${v}.`],
  [/^entries summing to 1\b/, (_, name, v) => `${name} must add up to 1; they add up to ${shown(v.replace(/^entries summing to /, ""))}.`],
  [/^sizes that need at most (\S+ \S+) \((.+)\)$/, ([, most, how], name, v) => `${name}: this run would need ${v.replace(/^a run needing /, "")}, more than the ${most} a page may use; ${how}.`],
  [/^a method of (.+)$/, ([, rest], name, v) => `${name}: ${v} is not a method of ${rest}.`],
];

/**
 * The plain sentence for refusal `problem` ({field, value, allowed}) of the controls named `names`
 * (their visible labels, at least one).
 */
export function plainSentence(problem, names) {
  const name = inWords(names);
  const v = shown(problem.value);
  for (const [pattern, sentence] of PHRASES) {
    const m = pattern.exec(problem.allowed);
    if (m) return capital(sentence(m, name, v));
  }
  return capital(`${name} must be ${problem.allowed}; it is ${v}.`);
}
