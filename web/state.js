// All UI state in one place, serialised to a human-readable URL hash (key=value&…).
// Only syntax is checked here (numbers, digits); the engine judges the science and
// its messages appear beside the controls.

/** Longest hash accepted; anything longer is ignored as a whole. */
export const MAX_HASH = 12000;
/** Most flips kept (the engine's sequence limit). */
export const MAX_FLIPS = 10000;

export const VIEWS = ["predict", "pretrain"];
export const SOURCES = ["random", "single", "mixture"];
export const MODELS = ["lstm", "transformer", "untrained", "mine"];
export const ARCHITECTURES = ["lstm", "transformer"];

/** The state a fresh page starts from (SPEC's default sources; the shipped LSTM). */
export function defaults() {
  return {
    view: "predict",
    source: "random",
    alphas: [1, 1], // Random Coins: Beta(alpha_H, alpha_T)
    bias: 0.2, // Single Coin: P(H) = P(token 0)
    coins: [0.2, 0.8], // Two-Coin Mixture: P(H) of coin A and coin B
    weights: [0.5, 0.5], // Two-Coin Mixture: prior weight of coin A and coin B
    model: "lstm",
    seed: "0", // decimal string: the engine takes a u64 (a BigInt in JS)
    n: 20, // flips per "draw from the source"
    flips: "", // tokens 0 (H) and 1 (T)
    arch: "lstm", // pretraining: architecture
    width: 32, // pretraining: E = hidden size
    steps: 300,
    batch: 32,
    length: 100,
    lr: 0.001,
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
const oneOf = (choices) => (text) => (choices.includes(text) ? text : undefined);
const list = (xs) => xs.join(",");

const KEYS = {
  view: { parse: oneOf(VIEWS), write: String },
  source: { parse: oneOf(SOURCES), write: String },
  alphas: { parse: numbers(2), write: list, when: (s) => s.source === "random" },
  bias: { parse: number, write: String, when: (s) => s.source === "single" },
  coins: { parse: numbers(2), write: list, when: (s) => s.source === "mixture" },
  weights: { parse: numbers(2), write: list, when: (s) => s.source === "mixture" },
  model: { parse: oneOf(MODELS), write: String },
  seed: { parse: (t) => (/^\d{1,20}$/.test(t) && BigInt(t) < 2n ** 64n ? String(BigInt(t)) : undefined), write: String },
  n: { parse: integer, write: String },
  flips: { parse: (t) => (/^[01]*$/.test(t) && t.length <= MAX_FLIPS ? t : undefined), write: String },
  arch: { parse: oneOf(ARCHITECTURES), write: String },
  width: { parse: integer, write: String },
  steps: { parse: integer, write: String },
  batch: { parse: integer, write: String },
  length: { parse: integer, write: String },
  lr: { parse: number, write: String },
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
 * (a too-long hash is ignored whole).
 */
export function parse(hash) {
  const state = defaults();
  const problems = [];
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
    const k = Object.hasOwn(KEYS, key) ? KEYS[key] : null;
    if (!k) {
      problems.push(`unknown key "${short(key)}" ignored`);
      continue;
    }
    const parsed = value === undefined ? undefined : k.parse(value);
    if (parsed === undefined) {
      problems.push(`${key}="${short(value ?? part)}" is not valid here; using ${k.write(state[key]) || "none"}`);
      continue;
    }
    state[key] = parsed;
  }
  return { state, problems };
}

function short(text) {
  return text.length > 24 ? `${text.slice(0, 21)}…` : text;
}

/** The source JSON the engine takes for the state's selected source (H = token 0). */
export function sourceJson(state) {
  switch (state.source) {
    case "single":
      return JSON.stringify({ kind: "single", probs: [state.bias, round(1 - state.bias)] });
    case "mixture":
      return JSON.stringify({
        kind: "mixture",
        weights: state.weights,
        probs: state.coins.map((p) => [p, round(1 - p)]),
      });
    default:
      return JSON.stringify({ kind: "random", alphas: state.alphas });
  }
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
  return `{"seed":${state.seed},${rest.slice(1)}`;
}
