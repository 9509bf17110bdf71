// Embed names: the figure an `embed=NAME` link shows, the engine figure stems it stands for, and the view that holds it.
import * as S from "../state.js";

/** Figure names an embed link can ask for (S.FIGURES), longest first for prefix matching. */
const FIGURE_STEMS = [...S.FIGURES].sort((a, b) => b.length - a.length);

/** The embed name of a figure file stem (e.g. regret_cumulative_target → regret_cumulative), or null. */
export function embedName(stem) {
  return FIGURE_STEMS.find((f) => stem === f || stem.startsWith(`${f}_`)) ?? null;
}

/** Whether embed name `name` is one of the Predict view's live charts (computed without an experiment). */
export const isPredictFigure = (name) => name === "predictive" || name === "posterior";

/** The full page's view that holds the figure of embed name `name`. */
export function embedView(name) {
  return isPredictFigure(name) ? "predict" : name.startsWith("pca_states") ? "inside" : "prompt";
}
