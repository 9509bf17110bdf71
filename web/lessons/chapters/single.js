// Chapter 4, prompting a single coin: the best hard prompt (exact, PreBayesPT) against HardPT,
// RealPT, SoftPT and FullWT in a live run; the reader first picks the one that gets closest.
import * as S from "../../state.js";
import { styleOf } from "../../lib/method_style.js";
import { entry } from "../../lib/catalog.js";
import { regretFigure } from "../../lib/figures/regret.js";
import { TEXT } from "../text.js";
import { chapterParts } from "../chapter_parts.js";
import { say } from "../words.js";
import { conceal, createGuess, guessWords, SHOWN } from "../guess.js";
import { createRunBox } from "../run_box.js";
import { figureBox } from "../figure_box.js";
import { experimentKey, resultOf } from "../compute.js";
import { excessOfWords, excessWords, failedWords, promptKeys, rankOf, runLab, startRun } from "../experiment_chapter.js";

/** The choices: the run's tuners and the exact best hard prompt (the state's list, so a link's g4 is one of them). */
const CHOICES = S.LESSON_CHOICES.g4;
const TUNERS = CHOICES.filter((m) => m !== "PreBayesPT");

/** The chapter's run for the state's coin and seed. */
export const singleLab = (state) => runLab({ target: { tsource: "single", tbias: state.c4bias }, methods: TUNERS, seed: state.c4seed });

export default {
  guess: { key: "g4", kind: "choice" },

  mount(api) {
    const t = api.text;
    const lab = singleLab(api.state());
    const values = { bias: lab.tbias, k: lab.plen, n: lab.tlength };
    const { wrap, reveal, answer } = chapterParts(api, values);
    const run = createRunBox("run-4");
    const figure = figureBox("lesson4-regret", t.figures[0]);
    const guess = createGuess({ key: "g4", kind: "choice", question: say(t.question, values), options: CHOICES.map((m) => ({ value: m, label: m })), state: api.state, save: api.save, onChange: render });
    answer.append(api.paragraph(say(t.after, values)), figure.el, api.labLinks([{ label: t.lab[0], view: "prompt", lab: promptKeys(lab) }]));
    wrap.append(guess.el, run.el, reveal, answer);
    let out = resultOf(experimentKey(lab)) ?? null;
    let failure = null;

    function render() {
      const g = api.state().g4;
      if (g === "") {
        conceal(answer, reveal);
        return;
      }
      if (!out) {
        answer.hidden = true;
        reveal.textContent = failure ? failedWords(failure) : TEXT.guess.waiting;
        return;
      }
      const rank = rankOf(out.results, CHOICES);
      const [best, ...others] = rank.ranked;
      const words = [guessWords(g)];
      if (g !== SHOWN) words.push(g === best?.method ? TEXT.guess.right : TEXT.guess.wrong);
      words.push(say(t.reveal, { best: best?.method ?? "–", bestExcess: excessOfWords(best, CHOICES[0]), n: lab.tlength, others: excessWords(others, rank.missing) }));
      // The prompts (the catalog's prefix tuners) the engine ranks above PreBayesPT: beyond what a hard prompt does for a perfect Bayesian.
      const above = rank.ranked.slice(0, rank.ranked.findIndex((e) => e.method === "PreBayesPT")).map((e) => e.method).filter((m) => entry(m)?.prefix);
      // A weight tuner first (the catalog's tuners that are not prefixes): the run's lesson for prompting.
      if (best && entry(best.method)?.kind === "tuner" && !entry(best.method).prefix) words.push(say(t.weights, { best: best.method }));
      if (above.length) words.push(say(t.beyond, { methods: above.join(", ") }));
      reveal.textContent = words.join(" ");
      reveal.dataset.best = best?.method ?? "";
      reveal.dataset.excess = JSON.stringify(rank.ranked.map(({ method, median }) => ({ method, median })));
      answer.hidden = false;
      figure.draw(api.chart, regretFigure({ results: out.results, source: out.results.eval_sources[0], methods: CHOICES, mark: lab.tlength, styleOf }));
    }

    return {
      el: wrap,
      start() {
        render();
        startRun(run, lab, api.models, (done, why) => {
          [out, failure] = [done, why];
          render();
        });
      },
      unmount: () => run.stop(),
    };
  },

  summary(state, text) {
    const lab = singleLab(state);
    const done = resultOf(experimentKey(lab));
    const best = done ? rankOf(done.results, CHOICES).ranked[0]?.method : null;
    return { question: say(text.summary, { bias: lab.tbias }), guess: state.g4, answer: done ? say(text.answer, { best: best ?? "–" }) : null };
  },
};
