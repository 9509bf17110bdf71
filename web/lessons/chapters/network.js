// Chapter 2, a network that learned to be Bayesian: the shipped LSTM's bets lie on Bayes's, and a
// short live pretraining run shows a fresh network's KL to Bayes falling from a random start.
import { bayes_next, model_predict } from "../../pkg/promptlab.js";
import * as S from "../../state.js";
import { el, button } from "../../lib/dom.js";
import { nats, prob, probDiff } from "../../lib/format.js";
import { newestAnswer } from "../newest_answer.js";
import { predictiveFigure } from "../../lib/figures/predictive.js";
import { klFigure } from "../../lib/figures/pretrain_curves.js";
import { TEXT } from "../text.js";
import { chapterParts } from "../chapter_parts.js";
import { PRIOR } from "../prior.js";
import { asLetters, say } from "../words.js";
import { conceal, createGuess, guessWords, SHOWN } from "../guess.js";
import { figureBox } from "../figure_box.js";
import { createRunBox } from "../run_box.js";
import { pretraining, resultOf } from "../compute.js";


/** The Pretrain view's settings of the live run: its defaults (an LSTM as wide as the shipped one) and the chapter's seed. */
export function pretrainLab(state) {
  const d = S.defaults();
  return { arch: "lstm", width: d.width, steps: d.steps, batch: d.batch, length: d.length, lr: d.lr, pretrainseed: state.c2seed };
}

/** What the engine says after flips `flips`: {bayes, net, rows: {bayes, net}}. */
async function answerOf(flips, models) {
  const model = await models.load("lstm");
  const net = model_predict(model.config, model.weights, flips, null);
  const bayes = bayes_next(PRIOR, flips);
  return { bayes: bayes[flips.length][0], net: net[flips.length][0], rows: { bayes, net } };
}

export default {
  guess: { key: "g2", kind: "slider" },

  mount(api) {
    const t = api.text;
    const flips = api.state().c2flips;
    const values = { flips: asLetters(flips, TEXT.flips.none) };
    const { wrap, reveal, answer } = chapterParts(api, values);
    const predictive = figureBox("lesson2-predictive", t.figures[0]);
    const kl = figureBox("lesson2-kl", t.figures[1]);
    const klWords = el("p", { class: "reveal", "data-testid": "lesson2-kl-words" });
    const run = createRunBox("run-2");
    const lab = { ...S.defaults(), ...pretrainLab(api.state()) };
    const config = S.pretrainConfigJson(lab);
    const startButton = button(t.start, () => startRun(), { class: "primary", "data-testid": "lesson2-start" });
    const guess = createGuess({ key: "g2", kind: "slider", question: say(t.question, values), state: api.state, save: api.save, onChange: render });
    answer.append(
      predictive.el,
      api.paragraph(t.after),
      el("div", { class: "buttons" }, startButton),
      run.el,
      kl.el,
      klWords,
      api.labLinks([
        { label: t.lab[0], view: "predict", lab: { source: "random", alphas: [1, 1], model: "lstm", flips, hard: "" } },
        { label: t.lab[1], view: "pretrain", lab: pretrainLab(api.state()) },
      ]),
    );
    wrap.append(guess.el, reveal, answer);
    let closed = false;
    const answers = newestAnswer(reveal, () => closed);

    function drawKl(points, total) {
      kl.draw(api.chart, klFigure({ kl: points, steps: points.length ? points[points.length - 1][0] : 0, total, running: run.busy }));
    }

    function showKl(out) {
      drawKl(out.kl, lab.steps);
      const [first, last] = [out.kl[0], out.kl[out.kl.length - 1]];
      klWords.textContent = say(t.kl, { steps: last[0], first: nats(first[1]), last: nats(last[1]) });
      klWords.dataset.first = String(first[1]);
      klWords.dataset.last = String(last[1]);
      startButton.hidden = true;
    }

    function startRun() {
      startButton.disabled = true;
      run.start(
        () => {
          const h = pretraining(config);
          h.onProgress((_done, total, points) => points && !closed && drawKl(points, total));
          return h;
        },
        (out) => {
          startButton.disabled = false;
          showKl(out);
        },
        () => (startButton.disabled = false),
      );
    }

    async function render() {
      const g = api.state().g2;
      if (g === "") {
        answers.forget();
        conceal(answer, reveal);
        return;
      }
      const a = await answers.of(() => answerOf(flips, api.models));
      if (!a) return;
      const words = [guessWords(g), say(t.reveal, { bayes: prob(a.bayes), net: prob(a.net), diff: probDiff(a.net - a.bayes) })];
      if (g !== SHOWN) words.push(say(TEXT.guess.off, { off: prob(Math.abs(Number(g) - a.net)) }));
      reveal.textContent = words.join(" ");
      reveal.dataset.bayes = String(a.bayes);
      reveal.dataset.net = String(a.net);
      answer.hidden = false;
      predictive.draw(api.chart, predictiveFigure({ flips, bayes: a.rows.bayes, net: a.rows.net }));
      const done = resultOf(`pretrain ${config}`);
      if (done) showKl(done);
      else drawKl([], lab.steps);
    }

    return {
      el: wrap,
      start: render,
      unmount: () => {
        closed = true;
        run.stop();
      },
    };
  },

  async summary(state, text, models) {
    const flips = state.c2flips;
    const a = await answerOf(flips, models);
    return { question: say(text.summary, { flips: asLetters(flips, TEXT.flips.none) }), guess: state.g2, answer: say(text.answer, { bayes: prob(a.bayes), net: prob(a.net) }) };
  },
};
