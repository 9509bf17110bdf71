// Chapter 5, where no prompt can help: the Two-Coin Mixture's exact reachability (the Theory view's
// curve and verdict, and why: a Beta posterior has one peak), then a live run where hard prompts
// stay above TargetBayes and weight tuning comes down to it.
import { posterior_density, reach } from "../../pkg/promptlab.js";
import * as S from "../../state.js";
import { el } from "../../lib/dom.js";
import { nats, number } from "../../lib/format.js";
import { messageOf } from "../../lib/messages.js";
import { reachFigure } from "../../lib/figures/reach.js";
import { beliefsFigure, bestPromptTokens } from "../../lib/figures/beliefs.js";
import { DENSITY_POINTS } from "../../lib/figures/density.js";
import { styleOf } from "../../lib/method_style.js";
import { TEXT } from "../text.js";
import { chapterParts } from "../chapter_parts.js";
import { say } from "../words.js";
import { conceal, createGuess, guessWords, SHOWN, verdictWord } from "../guess.js";
import { PRIOR } from "../prior.js";
import { createRunBox } from "../run_box.js";
import { figureBox } from "../figure_box.js";
import { experimentKey, resultOf } from "../compute.js";
import { excessWords, failedWords, promptKeys, rankOf, runLab, startRun } from "../experiment_chapter.js";

const TUNERS = ["HardPT", "SoftPT", "FullWT"];
/** The methods the run's sentence names: the exact best hard prompt, then the tuners. */
const NAMED = ["PreBayesPT", ...TUNERS];

/** The chapter's run for the state's mixture and seed. */
export const mixtureLab = (state) => runLab({ target: { tsource: "mixture", tcoins: state.c5coins, tweights: state.c5weights }, methods: TUNERS, seed: state.c5seed });

/** The engine's exact reachability for the run's target, prompts up to the Theory view's K, over N_tune flips. */
function reachOf(lab) {
  return reach(PRIOR, JSON.stringify(S.targetSource(lab)), lab.kmax, lab.tlength);
}

/** The engine's verdict in words: {words, answer: "yes" | "no"}. */
function verdictOf(r, lab, t) {
  const last = r.rows[r.rows.length - 1];
  if (r.reachable) return { answer: "yes", words: say(t.reachable, { k: last.prefix_length, excess: nats(last.excess_regret), n: lab.tlength }) };
  // The prompt whose excess is the engine's gap: a row of the curve, or else its limit.
  const best = r.rows.reduce((a, b) => (b.excess_regret < a.excess_regret ? b : a));
  const which = best.excess_regret > r.gap ? t.bestLimit : best.prefix_length === 0 ? t.bestNone : say(t.bestK, { k: best.prefix_length, counts: `${best.best_counts[0]} H + ${best.best_counts[1]} T` });
  return { answer: "no", words: say(t.unreachable, { best: which, gap: nats(r.gap), limit: nats(r.limit), n: lab.tlength }) };
}

export default {
  guess: { key: "g5", kind: "verdict" },

  mount(api) {
    const t = api.text;
    const lab = mixtureLab(api.state());
    const values = { coinA: number(lab.tcoins[0]), coinB: number(lab.tcoins[1]), weightA: number(lab.tweights[0]), weightB: number(lab.tweights[1]) };
    const { wrap, reveal, answer } = chapterParts(api, values);
    const run = createRunBox("run-5");
    const runWords = el("p", { class: "reveal", "data-testid": "lesson5-run-words" });
    const curve = figureBox("lesson5-reach", t.figures[0]);
    const beliefs = figureBox("lesson5-beliefs", t.figures[1]);
    const guess = createGuess({ key: "g5", kind: "verdict", question: say(t.question, values), state: api.state, save: api.save, onChange: render });
    answer.append(el("div", { class: "figures" }, curve.el, beliefs.el), runWords, api.labLinks([
      { label: t.lab[0], view: "theory", lab: promptKeys(lab) },
      { label: t.lab[1], view: "prompt", lab: promptKeys(lab) },
    ]));
    wrap.append(guess.el, run.el, reveal, answer);
    let out = resultOf(experimentKey(lab)) ?? null;
    let failure = null;
    let reached = null; // the engine's reach result, once the answer is shown

    function render() {
      const g = api.state().g5;
      if (g === "") {
        conceal(answer, reveal);
        return;
      }
      let r;
      try {
        r = reachOf(lab);
      } catch (e) {
        reveal.textContent = say(TEXT.run.failed, { message: messageOf(e) });
        return;
      }
      reached = r;
      const v = verdictOf(r, lab, t);
      const words = [guessWords(g, verdictWord)];
      if (g !== SHOWN) words.push(g === v.answer ? TEXT.guess.right : TEXT.guess.wrong);
      words.push(say(t.reveal, { verdict: v.words }));
      reveal.textContent = words.join(" ");
      reveal.dataset.answer = v.answer;
      reveal.dataset.gap = String(r.gap);
      answer.hidden = false;
      curve.draw(api.chart, reachFigure({ r, kmax: lab.kmax, points: [], k: undefined, styleOf }));
      const k = lab.plen;
      const prior = posterior_density(PRIOR, "", DENSITY_POINTS);
      const prompted = posterior_density(PRIOR, bestPromptTokens(r, k), DENSITY_POINTS);
      const goal = posterior_density(JSON.stringify(S.targetSource(lab)), "", DENSITY_POINTS);
      beliefs.draw(api.chart, beliefsFigure({ r, k, prior, prompted, goal }));
      showRun();
    }

    /** The live run's excess over TargetBayes, once it is in and the answer is shown. */
    function showRun() {
      if (answer.hidden) return;
      if (!out) {
        runWords.textContent = failure ? failedWords(failure) : "";
        return;
      }
      const rank = rankOf(out.results, NAMED);
      const rows = NAMED.map((m) => rank.of(m)).filter(Boolean);
      const exactK = reached.rows[lab.plen].excess_regret;
      runWords.textContent = say(t.run, { k: lab.plen, n: lab.tlength, exactK: nats(exactK), ranking: excessWords(rows, rank.missing), sequences: lab.eseqs, best: rank.ranked[0]?.method ?? "–" });
      runWords.dataset.excess = JSON.stringify(rows.map(({ method, median }) => ({ method, median })));
    }

    return {
      el: wrap,
      start() {
        render();
        startRun(run, lab, api.models, (done, why) => {
          [out, failure] = [done, why];
          showRun();
        });
      },
      unmount: () => run.stop(),
    };
  },

  summary(state, text) {
    const lab = mixtureLab(state);
    const values = { coinA: number(lab.tcoins[0]), coinB: number(lab.tcoins[1]) };
    let answer;
    try {
      answer = verdictWord(reachOf(lab).reachable ? "yes" : "no");
    } catch (e) {
      answer = messageOf(e);
    }
    return { question: say(text.summary, values), guess: state.g5, answer: say(text.answer, { answer }) };
  },
};
