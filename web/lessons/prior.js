// The prior the lessons' exact Bayes uses: the shipped networks' pretraining source, as the engine's JSON.
import * as S from "../state.js";

/** Random Coins with α = (1, 1), the source every shipped network was pretrained on. */
export const PRIOR = JSON.stringify(S.THEORY_PRETRAIN);
