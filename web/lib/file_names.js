// Names of the files the page saves, after the run they come from (view, target, short config key),
// so thirty students' downloads of different runs never collide and one run's files sort together.
import { experimentKey, predictKey, pretrainKey, hashText } from "./config_key.js";
import * as S from "../state.js";

/** A number as a file-name part: digits, with "." kept and anything else dropped. */
const part = (x) => String(x).replace(/[^0-9.]/g, "");

/** A source in a few file-name characters: single0.2, mixture0.2-0.8, random1-1. */
export function sourceTag(kind, { alphas, bias, coins }) {
  if (kind === "single") return `single${part(bias)}`;
  if (kind === "mixture") return `mixture${coins.map(part).join("-")}`;
  return `random${alphas.map(part).join("-")}`;
}

/** The target part and key of view `view`'s run in `state`. */
function runOf(view, state) {
  const target = sourceTag(state.tsource, { alphas: state.talphas, bias: state.tbias, coins: state.tcoins });
  switch (view) {
    case "predict":
      return [sourceTag(state.source, state), predictKey(state)];
    case "pretrain":
      return [`${state.arch}${state.width}`, pretrainKey(state)];
    case "theory":
      return [target, hashText(`theory\n${JSON.stringify(S.targetSource(state))}\nkmax=${state.kmax}\nsteps=${state.tlength}`)];
    case "learn":
      return [`chapter${state.lesson}`, hashText(`learn\n${S.serialize(state)}`)];
    default:
      return [target, experimentKey(state)];
  }
}

/**
 * The file name of `what` (e.g. "summary", "regret_cumulative") with extension `ext` from view
 * `view`'s run in `state`: promptlab-prompt-single0.2-3f9a2c1b-summary.csv.
 */
export function runFileName(view, state, what, ext) {
  const [target, key] = runOf(view, state);
  return `promptlab-${view}-${target}-${key.slice(0, 8)}-${what}.${ext}`;
}
