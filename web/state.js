// All UI state in one place, serialised to a human-readable URL hash (key=value&…).
// Only syntax is checked here (numbers, digits); the engine judges the science and
// its messages appear beside the controls.

/** Longest hash accepted; anything longer is ignored as a whole. */
export const MAX_HASH = 12000;
/** Most flips kept (the engine's sequence limit). */
export const MAX_FLIPS = 10000;

export const VIEWS = ["learn", "predict", "prompt", "inside", "theory", "pretrain"];
/** Chapters of the Learn view (lesson=1…LESSONS). */
export const LESSONS = 7;
export const SOURCES = ["random", "single", "mixture"];
export const MODELS = ["lstm", "transformer", "untrained", "mine"];
export const ARCHITECTURES = ["lstm", "transformer"];
/** Every tuner, in the engine's display order: empty until the page gives the engine's list (setMethods). */
export const METHODS = [];

/** Takes the engine's tuner labels (its method catalog's tuners) before any link is parsed. */
export function setMethods(labels) {
  METHODS.splice(0, METHODS.length, ...labels);
}
/** Figures an embed link may show alone: the Predict charts, and the Prompt / Inside figures (which run the experiment first). */
export const FIGURES = ["predictive", "posterior", "regret_cumulative", "regret_instant", "bars", "tuning_loss", "hard_prefix_ranking", "pca_states", "pca_states_by_step"];

/** The state a fresh page starts from (SPEC's default sources; the shipped LSTM). */
export function defaults() {
  return {
    view: "learn",
    source: "random",
    alphas: [1, 1], // Random Coins: Beta(alpha_H, alpha_T)
    bias: 0.2, // Single Coin: P(H) = P(token 0)
    coins: [0.2, 0.8], // Two-Coin Mixture: P(H) of coin A and coin B
    weights: [0.5, 0.5], // Two-Coin Mixture: prior weight of coin A and coin B
    model: "lstm",
    // Each view's own seed, a decimal string (the engine takes a u64, a BigInt in JS).
    predictseed: "0", // Predict: the next "draw from the source"
    promptseed: "0", // Prompt: the experiment (tuning data, prefix inits, evaluation)
    pretrainseed: "0", // Pretrain: the fresh network and its batches
    n: 20, // flips per "draw from the source"
    flips: "", // tokens 0 (H) and 1 (T)
    arch: "lstm", // pretraining: architecture
    width: 32, // pretraining: E = hidden size
    steps: 300,
    batch: 32,
    length: 100,
    lr: 0.001,
    // Prompt view: the target task, the network, the tuners and their budget.
    tsource: "single",
    talphas: [1, 1],
    tbias: 0.2,
    tcoins: [0.2, 0.8],
    tweights: [0.5, 0.5],
    tmodel: "lstm",
    methods: ["HardPT", "SimplexPT", "RealPT", "SoftPT", "FullWT"],
    plen: 6, // prefix length K
    tsteps: 100, // tuning steps per repetition
    tbatch: 32, // tuning batch size
    tlength: 50, // N_tune
    tlr: 0.005,
    reps: 3,
    elength: 100, // N_eval
    eseqs: 256, // evaluation sequences
    kmax: 100, // Theory view: longest hard prompt
    kshow: 6, // Theory view: prompt length in the posterior picture
    hard: "", // Predict view: a hard prefix (tokens) in front of the flips
    embed: "", // one figure alone, without page chrome ("" = the whole page)
    run: "visible", // an embed computes its live figure once it scrolls into view ("visible") or on a click ("click")
    interactive: "0", // "1": an embed's legend toggles work (else it is read-only)
    off: [], // series keys hidden by legend toggles, across every figure
    // A teacher's link: state keys whose controls are hidden or read-only (plus "tabs" and "lessons"),
    // and whether the Prompt view asks for a guess (gp) before it shows a run's results.
    hide: [],
    lock: [],
    ask: 0,
    gp: "",
    ...lessonDefaults(),
  };
}

/** The answers a lesson's choice or verdict offers, by guess key (chapter 4 picks a method, 5 and 6 say yes or no). */
export const LESSON_CHOICES = {
  g4: ["HardPT", "RealPT", "SoftPT", "FullWT", "PreBayesPT"],
  g5: ["yes", "no"],
  g6: ["yes", "no"],
};

/** The Learn view's keys (its chapter, guesses and chapter settings). */
export const LESSON_KEYS = Object.keys(lessonDefaults());

/**
 * The Learn view's state: the open chapter, each chapter's guess ("" = none yet, "shown" = the
 * reader asked to see the answer without guessing) and each chapter's settings.
 */
function lessonDefaults() {
  return {
    lesson: 1,
    g1: "", g2: "", g3: "", g4: "", g5: "", g6: "",
    c1flips: "00000", // chapter 1: the flips the question is about (0 = H)
    c1more: "", // chapter 1: flips the reader added after the answer
    c2flips: "00100", // chapter 2: the flips the network reads
    c2seed: "0", // chapter 2: the live pretraining run
    c3prompt: "000000", // chapter 3: the hard prompt the question is about
    c3more: "", // chapter 3: prompt flips the reader added after the answer
    c4bias: 0.2, // chapter 4: the Single Coin's P(H)
    c4seed: "0",
    c5coins: [0.2, 0.8], // chapter 5: the mixture's coins
    c5weights: [0.5, 0.5],
    c5seed: "0",
    c6bias: 0.2, // chapter 6: the Single Coin's P(H)
    c6seed: "0",
  };
}

/** How each key is parsed from and written to the hash; `parse` returns undefined for bad text. */
const number = (text) => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : undefined);
const integer = (text) => (/^\d{1,7}$/.test(text) ? Number(text) : undefined);
const numbers = (count) => (text) => {
  const parts = text.split(",");
  if (parts.length !== count) return undefined;
  const xs = parts.map(number);
  return xs.every((x) => x !== undefined) ? xs : undefined;
};
const seed = (t) => (/^\d{1,20}$/.test(t) && BigInt(t) < 2n ** 64n ? String(BigInt(t)) : undefined);
const oneOf = (choices) => (text) => (choices.includes(text) ? text : undefined);
const list = (xs) => xs.join(",");
/** Most series keys `off` may hide. */
export const MAX_OFF = 40;
/** Series keys: 1 to 40 letters, digits, `_`, `-`, `.` or `+` (as in Un+EmbedWT), distinct, at most MAX_OFF of them (unknown keys are kept: a link may name a method this run lacks). */
const seriesKeys = (t) => {
  const xs = t === "" ? [] : t.split(",");
  const ok = xs.length <= MAX_OFF && xs.every((x) => /^[A-Za-z0-9_.+-]{1,40}$/.test(x)) && new Set(xs).size === xs.length;
  return ok ? xs : undefined;
};

/** Most names one hide= or lock= list holds. */
const MAX_NAMES = 80;
/** A hide= / lock= list: distinct lower-case names (unknown ones are kept and reported by `parse`). */
const controlKeys = (t) => {
  const xs = t === "" ? [] : t.split(",");
  const ok = xs.length <= MAX_NAMES && xs.every((x) => /^[a-z0-9]{1,24}$/.test(x)) && new Set(xs).size === xs.length;
  return ok ? xs : undefined;
};

const KEYS = {
  view: { parse: oneOf(VIEWS), write: String },
  source: { parse: oneOf(SOURCES), write: String },
  alphas: { parse: numbers(2), write: list, when: (s) => s.source === "random" },
  bias: { parse: number, write: String, when: (s) => s.source === "single" },
  coins: { parse: numbers(2), write: list, when: (s) => s.source === "mixture" },
  weights: { parse: numbers(2), write: list, when: (s) => s.source === "mixture" },
  model: { parse: oneOf(MODELS), write: String },
  predictseed: { parse: seed, write: String },
  promptseed: { parse: seed, write: String },
  pretrainseed: { parse: seed, write: String },
  n: { parse: integer, write: String },
  flips: { parse: (t) => (/^[01]*$/.test(t) && t.length <= MAX_FLIPS ? t : undefined), write: String },
  arch: { parse: oneOf(ARCHITECTURES), write: String },
  width: { parse: integer, write: String },
  steps: { parse: integer, write: String },
  batch: { parse: integer, write: String },
  length: { parse: integer, write: String },
  lr: { parse: number, write: String },
  tsource: { parse: oneOf(SOURCES), write: String },
  talphas: { parse: numbers(2), write: list, when: (s) => s.tsource === "random" },
  tbias: { parse: number, write: String, when: (s) => s.tsource === "single" },
  tcoins: { parse: numbers(2), write: list, when: (s) => s.tsource === "mixture" },
  tweights: { parse: numbers(2), write: list, when: (s) => s.tsource === "mixture" },
  tmodel: { parse: oneOf(MODELS), write: String },
  methods: {
    parse: (t, { anyMethods = false } = {}) => {
      const xs = t === "" ? [] : t.split(",");
      const known = (x) => (anyMethods ? /^[A-Za-z0-9+]{1,40}$/.test(x) : METHODS.includes(x));
      return xs.every(known) && new Set(xs).size === xs.length ? xs : undefined;
    },
    write: list,
  },
  plen: { parse: integer, write: String },
  tsteps: { parse: integer, write: String },
  tbatch: { parse: integer, write: String },
  tlength: { parse: integer, write: String },
  tlr: { parse: number, write: String },
  reps: { parse: integer, write: String },
  elength: { parse: integer, write: String },
  eseqs: { parse: integer, write: String },
  kmax: { parse: integer, write: String },
  kshow: { parse: integer, write: String },
  hard: { parse: (t) => (/^[01]{0,256}$/.test(t) ? t : undefined), write: String },
  embed: { parse: oneOf(["", ...FIGURES]), write: String, when: (s) => s.embed !== "" },
  run: { parse: oneOf(["visible", "click"]), write: String, when: (s) => s.run !== "visible" },
  interactive: { parse: oneOf(["0", "1"]), write: String, when: (s) => s.interactive !== "0" },
  off: { parse: seriesKeys, write: list, when: (s) => s.off.length > 0 },
  hide: { parse: controlKeys, write: list, when: (s) => s.hide.length > 0 },
  lock: { parse: controlKeys, write: list, when: (s) => s.lock.length > 0 },
  ask: { parse: (t) => (t === "0" || t === "1" ? Number(t) : undefined), write: String, when: (s) => s.ask === 1 },
  gp: { parse: (t) => (t === "" || t === "shown" || METHODS.includes(t) ? t : undefined), write: String, when: (s) => s.gp !== "" },
  ...lessonKeys(),
};

/**
 * Names a teacher's hide= / lock= may list besides the state keys, each with the state key it stands for:
 * the tab bar (the view) and the Learn view's chapter navigation (the chapter).
 */
export const TEACHER_PARTS = { tabs: "view", lessons: "lesson" };

/** The names hide= / lock= understand: every state key and TEACHER_PARTS. */
export function teacherNames() {
  return [...Object.keys(KEYS), ...Object.keys(TEACHER_PARTS)];
}

/** The Learn view's keys: written only when they differ from the defaults, so lab links stay short. */
function lessonKeys() {
  const d = lessonDefaults();
  const flips = (max) => (t) => (new RegExp(`^[01]{0,${max}}$`).test(t) ? t : undefined);
  // A probability guess is what the slider gives: 0 to 1 in steps of 0.01.
  const guessProb = (t) => (t === "shown" || /^(0(\.\d{1,2})?|1(\.0{1,2})?)$/.test(t) ? t : undefined);
  const guessOf = (key) => oneOf(["shown", ...LESSON_CHOICES[key]]);
  const keys = {
    lesson: { parse: (t) => { const n = integer(t); return n >= 1 && n <= LESSONS ? n : undefined; }, write: String },
    g1: { parse: guessProb, write: String },
    g2: { parse: guessProb, write: String },
    g3: { parse: guessProb, write: String },
    g4: { parse: guessOf("g4"), write: String },
    g5: { parse: guessOf("g5"), write: String },
    g6: { parse: guessOf("g6"), write: String },
    c1flips: { parse: flips(40), write: String },
    c1more: { parse: flips(200), write: String },
    c2flips: { parse: flips(40), write: String },
    c2seed: { parse: seed, write: String },
    c3prompt: { parse: flips(40), write: String },
    c3more: { parse: flips(200), write: String },
    c4bias: { parse: number, write: String },
    c4seed: { parse: seed, write: String },
    c5coins: { parse: numbers(2), write: list },
    c5weights: { parse: numbers(2), write: list },
    c5seed: { parse: seed, write: String },
    c6bias: { parse: number, write: String },
    c6seed: { parse: seed, write: String },
  };
  for (const [key, k] of Object.entries(keys)) {
    const fallback = k.write(d[key]);
    k.when = key === "lesson" ? (s) => s.view === "learn" || s.lesson !== d.lesson : (s) => k.write(s[key]) !== fallback;
  }
  return keys;
}

/** Keys of older links, read but never written: the one seed all views once shared sets each view's own. */
const OLD_KEYS = {
  seed: { parse: seed, sets: ["predictseed", "promptseed", "pretrainseed"] },
};

/** The hash (without "#") for `state`: every key, except the parameters of sources not selected. */
export function serialize(state) {
  return Object.entries(KEYS)
    .filter(([, k]) => !k.when || k.when(state))
    .map(([key, k]) => `${key}=${encodeURIComponent(k.write(state[key]))}`)
    .join("&")
    .replace(/%2C/g, ",");
}

/**
 * Parses a hash (with or without "#") into `{state, problems}`: every key that is
 * missing keeps its default, and every malformed part is named in `problems`
 * (a too-long hash is ignored whole). With `anyMethods`, `methods` takes any
 * method-like names (for a look-up before the engine's list is known).
 */
export function parse(hash, { anyMethods = false } = {}) {
  const state = defaults();
  const problems = [];
  const given = new Set();
  const old = [];
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  if (text.length > MAX_HASH) {
    problems.push(`the link's state is ${text.length} characters long (at most ${MAX_HASH}); using the defaults`);
    return { state, problems };
  }
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    let value;
    try {
      value = decodeURIComponent(eq < 0 ? "" : part.slice(eq + 1));
    } catch {
      value = undefined;
    }
    if (Object.hasOwn(OLD_KEYS, key)) {
      const parsed = value === undefined ? undefined : OLD_KEYS[key].parse(value);
      if (parsed === undefined) problems.push(`${key}="${short(value ?? part)}" is not valid here; each view keeps its own seed`);
      else old.push([key, parsed]);
      continue;
    }
    const k = Object.hasOwn(KEYS, key) ? KEYS[key] : null;
    if (!k) {
      problems.push(`unknown key "${short(key)}" ignored`);
      continue;
    }
    const parsed = value === undefined ? undefined : k.parse(value, { anyMethods });
    if (parsed === undefined) {
      problems.push(`${key}="${short(value ?? part)}" is not valid here; using ${k.write(state[key]) || "none"}`);
      continue;
    }
    state[key] = parsed;
    given.add(key);
  }
  // An old key fills the keys it stands for, unless the link also names them itself.
  for (const [key, value] of old) for (const to of OLD_KEYS[key].sets) if (!given.has(to)) state[to] = value;
  const names = teacherNames();
  for (const key of ["hide", "lock"]) {
    const unknown = state[key].filter((x) => !names.includes(x));
    if (unknown.length) problems.push(`${key}= names unknown control${unknown.length === 1 ? "" : "s"} ${unknown.map((x) => `"${short(x)}"`).join(", ")}, kept but not applied`);
  }
  return { state, problems };
}

function short(text) {
  return text.length > 24 ? `${text.slice(0, 21)}…` : text;
}

/** The source JSON the engine takes for the state's selected source (H = token 0). */
export function sourceJson(state) {
  return JSON.stringify(source(state.source, state));
}

/** The Prompt view's target source as the engine's source object. */
export function targetSource(state) {
  return source(state.tsource, { alphas: state.talphas, bias: state.tbias, coins: state.tcoins, weights: state.tweights });
}

function source(kind, { alphas, bias, coins, weights }) {
  switch (kind) {
    case "single":
      return { kind: "single", probs: [bias, round(1 - bias)] };
    case "mixture":
      return { kind: "mixture", weights, probs: coins.map((p) => [p, round(1 - p)]) };
    default:
      return { kind: "random", alphas };
  }
}

/** The Theory view's pretraining prior: the shipped networks' Random Coins (1, 1). */
export const THEORY_PRETRAIN = { kind: "random", alphas: [1, 1] };

/**
 * The experiment config JSON of the Prompt view (the model and pretraining
 * fields come from the chosen network's own config.json in the engine).
 */
export function experimentConfigJson(state) {
  const rest = JSON.stringify({
    tuning: {
      source: targetSource(state),
      sequence_length: state.tlength,
      batch_size: state.tbatch,
      steps: state.tsteps,
      learning_rate: state.tlr,
      prefix_length: state.plen,
      repetitions: state.reps,
      methods: state.methods,
    },
    evaluation: { sequence_length: state.elength, num_sequences: state.eseqs, record_states: true, state_sequences: 24 },
  });
  return `{"seed":${state.promptseed},${rest.slice(1)}`;
}

/** 1 - p without the binary noise of 0.1-style decimals (0.7, not 0.30000000000000004). */
function round(x) {
  return Number(x.toPrecision(15));
}

/** The pretraining config JSON of the state's Pretrain controls (always on Random Coins with alphas (1, 1)). */
export function pretrainConfigJson(state) {
  const model = { architecture: state.arch, embedding_dim: state.width, hidden_sizes: [state.width] };
  if (state.arch === "transformer") model.num_heads = 4;
  const rest = JSON.stringify({
    model,
    pretraining: {
      source: { kind: "random", alphas: [1, 1] },
      sequence_length: state.length,
      batch_size: state.batch,
      steps: state.steps,
      learning_rate: state.lr,
    },
  });
  // The seed is a u64 written as digits: spliced in as text, since a JS number would round it past 2^53.
  return `{"seed":${state.pretrainseed},${rest.slice(1)}`;
}
