// One set of coin-source controls bound to the state: the Predict view's source and the Prompt
// and Theory views' target are three of them (kind, bias slider, two coins, their weights, Beta prior).
import * as S from "../state.js";
import { $, el } from "./dom.js";
import { numberFrom } from "./inputs.js";

const clamp01 = (x) => Math.min(1, Math.max(0, x));

/** The state keys of the Predict view's source and of the target task. */
export const SOURCE_KEYS = { kind: "source", alphas: "alphas", bias: "bias", coins: "coins", weights: "weights" };
const TARGET_KEYS = { kind: "tsource", alphas: "talphas", bias: "tbias", coins: "tcoins", weights: "tweights" };

/** The source kinds' names in the kind menus. */
const KIND_NAMES = {
  random: "Random Coins (Beta prior)",
  single: "Single Coin (one known bias)",
  mixture: "Two-Coin Mixture (coin A or B)",
};

/** A labelled number input (id, test id and label for). */
function numberField(id, ...label) {
  const input = el("input", { id, type: "number", step: "any", inputmode: "decimal", "data-testid": id });
  return el("div", { class: "field" }, el("label", { for: id }, ...label), input);
}

/** A labelled slider over [0, 1] beside its number input (ids `id` and `${id}-range`). */
function sliderField(id, label, sliderName) {
  const range = el("input", { id: `${id}-range`, type: "range", min: "0", max: "1", step: "0.01", "aria-label": sliderName, "data-testid": `${id}-range` });
  const input = el("input", { id, type: "number", step: "any", inputmode: "decimal", "data-testid": id });
  return el("div", { class: "field wide" }, el("label", { for: id }, label), el("div", { class: "slider" }, range, input));
}

const sub = (text) => el("sub", {}, text);

/**
 * Fills `box` with the controls of one source: the `kindId` menu (kinds in `order`, labelled
 * `kindLabel`) and one group of parameters per kind, `${prefix}params-KIND`: the bias
 * `${prefix}bias` with a slider, coins `${prefix}coin-a|b`, their weights as two inputs
 * `${prefix}weight-a|b` or, with `oneWeight`, one slider `${prefix}weight` (B gets the rest),
 * and the Beta prior `${prefix}alpha-h|t`. Every input's test id is its id.
 */
function build(box, { prefix, kindId, kindLabel, order, oneWeight, what }) {
  const id = (name) => `${prefix}${name}`;
  const menu = el("select", { id: kindId, "data-testid": kindId }, ...order.map((k) => el("option", { value: k }, KIND_NAMES[k])));
  const slider = `${what}bias P(H) slider`;
  const groups = {
    random: [numberField(id("alpha-h"), "α", sub("H"), " (prior heads)"), numberField(id("alpha-t"), "α", sub("T"), " (prior tails)")],
    single: [sliderField(id("bias"), "Bias P(H)", slider[0].toUpperCase() + slider.slice(1))],
    mixture: [
      numberField(id("coin-a"), "Coin A: P(H)"),
      numberField(id("coin-b"), "Coin B: P(H)"),
      ...(oneWeight
        ? [sliderField(id("weight"), "Weight of coin A (B gets the rest)", "Weight of coin A slider")]
        : [numberField(id("weight-a"), "Weight of A"), numberField(id("weight-b"), "Weight of B")]),
    ],
  };
  box.replaceChildren(el("label", { for: kindId }, kindLabel), menu, ...order.map((k) => el("div", { class: "params", id: id(`params-${k}`) }, ...groups[k])));
}

/**
 * Builds one source's controls into `box` (see `build`: `prefix`, `kindId`, `kindLabel`, `order`,
 * `oneWeight`) and binds them to the state `keys`. `state()` is the current state, `apply(delta)`
 * applies a change (it may throw), `fail(error)` shows a bad entry; `what` prefixes the bias's
 * name in messages. Returns sync(), which writes the state into the controls.
 */
export function bindSource({ box, prefix, kindId, kindLabel, order = S.SOURCES, oneWeight = false, keys, state, apply, fail, what = "" }) {
  build(box, { prefix, kindId, kindLabel, order, oneWeight, what });
  const id = (name) => `${prefix}${name}`;
  const on = (inputId, event, read) => {
    $(inputId).addEventListener(event, () => {
      try {
        apply(read());
        if (inputId === kindId) sync();
      } catch (e) {
        fail(e);
      }
    });
  };
  /** The pair under `key` with entry i read from input `inputId`. */
  const pair = (key, i, inputId, name) => () => {
    const xs = [...state()[key]];
    xs[i] = numberFrom(inputId, name);
    return { [key]: xs };
  };
  const weightOfA = (w) => ({ [keys.weights]: [w, Number((1 - w).toPrecision(15))] });

  on(kindId, "change", () => ({ [keys.kind]: $(kindId).value }));
  on(id("bias"), "input", () => {
    const bias = numberFrom(id("bias"), `${what}bias P(H)`);
    $(id("bias-range")).value = clamp01(bias);
    return { [keys.bias]: bias };
  });
  on(id("bias-range"), "input", () => {
    $(id("bias")).value = $(id("bias-range")).value;
    return { [keys.bias]: Number($(id("bias-range")).value) };
  });
  on(id("coin-a"), "input", pair(keys.coins, 0, id("coin-a"), "coin A"));
  on(id("coin-b"), "input", pair(keys.coins, 1, id("coin-b"), "coin B"));
  if (oneWeight) {
    on(id("weight"), "input", () => weightOfA(numberFrom(id("weight"), "weight of coin A")));
    on(id("weight-range"), "input", () => weightOfA(Number($(id("weight-range")).value)));
  } else {
    on(id("weight-a"), "input", pair(keys.weights, 0, id("weight-a"), "weight of A"));
    on(id("weight-b"), "input", pair(keys.weights, 1, id("weight-b"), "weight of B"));
  }
  on(id("alpha-h"), "input", pair(keys.alphas, 0, id("alpha-h"), "αH"));
  on(id("alpha-t"), "input", pair(keys.alphas, 1, id("alpha-t"), "αT"));

  function sync() {
    const s = state();
    $(kindId).value = s[keys.kind];
    for (const kind of S.SOURCES) $(id(`params-${kind}`)).hidden = kind !== s[keys.kind];
    $(id("bias")).value = s[keys.bias];
    $(id("bias-range")).value = clamp01(s[keys.bias]);
    $(id("coin-a")).value = s[keys.coins][0];
    $(id("coin-b")).value = s[keys.coins][1];
    if (oneWeight) {
      $(id("weight")).value = s[keys.weights][0];
      $(id("weight-range")).value = clamp01(s[keys.weights][0]);
    } else {
      $(id("weight-a")).value = s[keys.weights][0];
      $(id("weight-b")).value = s[keys.weights][1];
    }
    $(id("alpha-h")).value = s[keys.alphas][0];
    $(id("alpha-t")).value = s[keys.alphas][1];
  }

  return { sync };
}

/** The target task's controls of a view (ids `${prefix}…`, in the box `${prefix}source-box`), as in `bindSource`. */
export function bindTarget({ prefix, oneWeight = false, state, apply, fail }) {
  const order = ["single", "mixture", "random"];
  const box = $(`${prefix}source-box`);
  return bindSource({ box, prefix, kindId: `${prefix}kind`, kindLabel: "Target task", order, oneWeight, keys: TARGET_KEYS, state, apply, fail, what: "target " });
}
