// The settings of a run in words, one entry per control (field → words), for notes that say which
// settings a result is for: the Prompt view's experiment and the Pretrain view's training.

/** A source in words: its kind and parameters, from the state's keys `alphas`, `bias`, `coins`, `weights` for kind `kind`. */
export function sourceWords(kind, { alphas, bias, coins, weights }) {
  if (kind === "single") return `Single Coin P(H) = ${bias}`;
  if (kind === "mixture") return `Two-Coin Mixture P(H) = ${coins.join(" / ")} weighted ${weights.join(" / ")}`;
  return `Random Coins Beta(${alphas.join(", ")})`;
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A link's flips (a string of tokens) counted in words: "no flips", "1 flip", "30 flips". */
export const flipCount = (flips) => (flips.length === 0 ? "no flips" : plural(flips.length, "flip"));

/** The Prompt view's experiment settings of `s` in words; `network` is the chosen network's name as its menu shows it. */
export function experimentWords(s, network) {
  return {
    target: `the target ${sourceWords(s.tsource, { alphas: s.talphas, bias: s.tbias, coins: s.tcoins, weights: s.tweights })}`,
    network: `the network “${network}”`,
    methods: s.methods.length === 0 ? "no tuners" : `the tuners ${s.methods.join(" ")}`,
    plen: `K = ${s.plen}`,
    tsteps: plural(s.tsteps, "tuning step"),
    reps: plural(s.reps, "repetition"),
    tbatch: `batch size ${s.tbatch}`,
    tlength: `N_tune = ${s.tlength} flips`,
    tlr: `learning rate ${s.tlr}`,
    elength: `N_eval = ${s.elength} flips`,
    eseqs: plural(s.eseqs, "evaluation sequence"),
    seed: `seed ${s.promptseed}`,
  };
}

/** The Pretrain view's training settings of `s` in words; `architecture` is the architecture's name as its menu shows it. */
export function pretrainWords(s, architecture) {
  return {
    arch: `the ${architecture}`,
    width: `width E = ${s.width}`,
    steps: plural(s.steps, "step"),
    batch: `batch size ${s.batch}`,
    length: `${s.length} flips per sequence`,
    lr: `learning rate ${s.lr}`,
    seed: `seed ${s.pretrainseed}`,
  };
}
