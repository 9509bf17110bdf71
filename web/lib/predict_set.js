// The Predict view's figures of a link as its embed draws them (the engine's PredictFigureSet: exact Bayes's
// predictive and posterior and the network's predictive), without the network when it cannot be had or refuses.
import { PredictFigureSet } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { messageOf } from "./messages.js";

/** {set, problems} for the flips of `state`; `load()` gives (or a Promise of) the network {config, weights}, or throws. */
export async function predictSet(state, load) {
  const problems = [];
  let model = null;
  try {
    model = await load();
  } catch (e) {
    problems.push(messageOf(e));
  }
  const source = S.sourceJson(state);
  try {
    return { set: new PredictFigureSet(source, state.hard, state.flips, model?.config, model?.weights), problems };
  } catch (e) {
    if (!model) throw e;
    problems.push(messageOf(e));
    return { set: new PredictFigureSet(source, state.hard, state.flips), problems };
  }
}
