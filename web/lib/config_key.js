// Short content keys of the page's runs: a stable 16-hex-digit hash of the text of what a figure is
// computed from. It names downloads, finds an embed's build-time preview and lets embeds of one
// experiment share it. Not cryptographic; the same text gives the same key in every browser and in Node.
import * as S from "../state.js";
import { isPredictFigure } from "./embed_name.js";

/** A 64-bit hash of `text` (two independent 32-bit FNV-1a-style lanes over its UTF-16 code units), as 16 hex digits. */
export function hashText(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 13), 0x27d4eb2f);
  b ^= b >>> 16;
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** The text a Prompt / Inside run is computed from: its experiment config and the network it adapts. */
export function experimentText(state) {
  return `experiment\n${S.experimentConfigJson(state)}\nnetwork=${state.tmodel}`;
}

/** The text the Predict view's figures are computed from: source, network, hard prompt and flips. */
export function predictText(state) {
  return `predict\n${S.sourceJson(state)}\nnetwork=${state.model}\nhard=${state.hard}\nflips=${state.flips}`;
}

/** The text a Pretrain run is computed from: its pretraining config. */
export function pretrainText(state) {
  return `pretrain\n${S.pretrainConfigJson(state)}`;
}

/** Key of the Prompt / Inside experiment of `state`. */
export const experimentKey = (state) => hashText(experimentText(state));
/** Key of the Predict view's computation of `state`. */
export const predictKey = (state) => hashText(predictText(state));
/** Key of the Pretrain run of `state`. */
export const pretrainKey = (state) => hashText(pretrainText(state));

/** Key of an embed's build-time preview of figure `name` (an embed name) for `state`. */
export function previewKey(state, name) {
  return hashText(`${isPredictFigure(name) ? predictText(state) : experimentText(state)}\nfigure=${name}`);
}
