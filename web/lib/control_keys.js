// Which page controls set each state key: the one table a teacher's hide= / lock= and the Share dialog read.
// Each entry: `views` (where its controls are, the first one names the group), `name` (the controls'
// human name) and `controls` (CSS selectors of the controls, or of a box holding them; `also`: lines
// that go with them, hidden with them).

import { TEACHER_PARTS as PART_KEYS } from "../state.js";

/** The page's parts that are not state keys but may be hidden or locked, and the state key each stands for (state.js's list). */
export { PART_KEYS };

const guess = (n) => ({ views: ["learn"], name: `Chapter ${n}: the guess`, controls: [`[data-testid=guess-g${n}]`] });
const source = (prefix, name) => ({
  kind: [`#${prefix}kind`],
  alphas: [`#${prefix}alpha-h`, `#${prefix}alpha-t`],
  bias: [`#${prefix}bias`, `#${prefix}bias-range`],
  coins: [`#${prefix}coin-a`, `#${prefix}coin-b`],
  weights: [`#${prefix}weight-a`, `#${prefix}weight-b`, `#${prefix}weight`, `#${prefix}weight-range`],
  name,
});
const predictSource = { ...source("", ""), kind: ["#source-kind"] };
const target = source("t-");
const theory = source("th-");

/** State key (or part) → {views, name, controls, also?}. Keys missing here have no control: they are set by the link alone. */
export const CONTROLS = {
  view: { views: ["page"], name: "Tab bar (which view is open)", controls: [".tabs"] },
  tabs: { views: ["page"], name: "Tab bar", controls: [".tabs"] },
  off: { views: ["page"], name: "Legend toggles (which methods the figures show)", controls: [".legend button[aria-pressed]"] },
  source: { views: ["predict"], name: "Where the flips come from", controls: predictSource.kind },
  alphas: { views: ["predict"], name: "Random Coins prior α", controls: predictSource.alphas },
  bias: { views: ["predict"], name: "Single Coin bias P(H)", controls: predictSource.bias },
  coins: { views: ["predict"], name: "Mixture coins A and B", controls: predictSource.coins },
  weights: { views: ["predict"], name: "Mixture weights", controls: predictSource.weights },
  model: { views: ["predict"], name: "Network", controls: ["#model"], also: ["#model-note", "#model-error"] },
  flips: {
    views: ["predict"],
    name: "Flips (H, T, Undo, Reset, Draw, keys, your own flips)",
    controls: ["#flip-h", "#flip-t", "#undo", "#reset", "#draw", "#own-flips-text", "#own-flips-use", "#own-flips-file"],
    also: [".flip-buttons", "#flip-controls > .note", "#own-flips > .note", ".own-flips-actions"],
  },
  n: { views: ["predict"], name: "Flips to draw", controls: ["#draw-n"] },
  predictseed: { views: ["predict"], name: "Predict seed", controls: ["#seed"] },
  hard: { views: ["predict"], name: "Hard prompt / tuned prefix", controls: ["#hard", "#tuned-prefix"], also: ["#prefix-note", "#prefix-error"] },
  tsource: { views: ["prompt", "theory"], name: "Target task", controls: [...target.kind, ...theory.kind] },
  talphas: { views: ["prompt", "theory"], name: "Target Random Coins α", controls: [...target.alphas, ...theory.alphas] },
  tbias: { views: ["prompt", "theory"], name: "Target bias P(H)", controls: [...target.bias, ...theory.bias] },
  tcoins: { views: ["prompt", "theory"], name: "Target coins A and B", controls: [...target.coins, ...theory.coins] },
  tweights: { views: ["prompt", "theory"], name: "Target weights", controls: [...target.weights, ...theory.weights] },
  tmodel: { views: ["prompt"], name: "Network to adapt", controls: ["#t-model"] },
  methods: { views: ["prompt"], name: "Tuners to run", controls: ["#methods"] },
  plen: { views: ["prompt"], name: "Prefix length K", controls: ["#t-plen"] },
  tsteps: { views: ["prompt"], name: "Steps", controls: ["#t-steps"] },
  reps: { views: ["prompt"], name: "Repetitions", controls: ["#t-reps"] },
  tbatch: { views: ["prompt"], name: "Batch size", controls: ["#t-batch"] },
  tlength: { views: ["prompt", "theory"], name: "N_tune flips (Theory: N flips scored)", controls: ["#t-length", "#th-steps"] },
  tlr: { views: ["prompt"], name: "Learning rate", controls: ["#t-lr"] },
  elength: { views: ["prompt"], name: "N_eval flips", controls: ["#e-length"] },
  eseqs: { views: ["prompt"], name: "Eval sequences", controls: ["#e-seqs"] },
  promptseed: { views: ["prompt"], name: "Prompt seed", controls: ["#t-seed"] },
  gp: { views: ["prompt"], name: "The guess before the results (with ask first)", controls: ["[data-testid=guess-gp]"] },
  kmax: { views: ["theory"], name: "Longest prompt K", controls: ["#th-kmax"] },
  kshow: { views: ["theory"], name: "Prompt length in the posterior picture", controls: ["#th-k-range"] },
  arch: { views: ["pretrain"], name: "Architecture", controls: ["#pt-arch"] },
  width: { views: ["pretrain"], name: "Width E", controls: ["#pt-width"] },
  steps: { views: ["pretrain"], name: "Steps", controls: ["#pt-steps"] },
  batch: { views: ["pretrain"], name: "Batch size", controls: ["#pt-batch"] },
  length: { views: ["pretrain"], name: "Flips / sequence", controls: ["#pt-length"] },
  lr: { views: ["pretrain"], name: "Learning rate", controls: ["#pt-lr"] },
  pretrainseed: { views: ["pretrain"], name: "Pretrain seed", controls: ["#pt-seed"] },
  lesson: { views: ["learn"], name: "Chapter (list, previous / next, ← → keys)", controls: [".lesson-map", ".lesson-nav"], also: [".lesson-keys"] },
  lessons: { views: ["learn"], name: "Chapter navigation", controls: [".lesson-map", ".lesson-nav"], also: [".lesson-keys"] },
  g1: guess(1),
  c1more: { views: ["learn"], name: "Chapter 1: more flips", controls: ["[data-testid=lesson1-pad]"] },
  g2: guess(2),
  g3: guess(3),
  c3more: { views: ["learn"], name: "Chapter 3: more prompt flips", controls: ["[data-testid=lesson3-pad]"] },
  g4: guess(4),
  g5: guess(5),
  g6: guess(6),
};

/** The groups of the Share dialog, in order: view name → heading. */
export const GROUPS = { page: "Whole page", learn: "Learn", predict: "Predict", prompt: "Prompt", theory: "Theory", pretrain: "Pretrain" };

/** The state keys a hide= / lock= list stands for: its names, and for a part (tabs, lessons) its state key too. */
export function keysOf(names) {
  return new Set(names.flatMap((n) => (Object.hasOwn(PART_KEYS, n) ? [n, PART_KEYS[n]] : [n])));
}
