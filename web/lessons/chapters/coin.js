// Chapter 1, a coin and a guess: the exact Bayes predictive after a few flips is Laplace's rule,
// and the posterior over the coin's bias moves as the reader flips.
import { bayes_next, posterior_density } from "../../pkg/promptlab.js";
import { el } from "../../lib/dom.js";
import { number, prob } from "../../lib/format.js";
import { predictiveFigure } from "../../lib/figures/predictive.js";
import { posteriorFigure } from "../../lib/figures/posterior.js";
import { DENSITY_POINTS } from "../../lib/figures/density.js";
import { TEXT } from "../text.js";
import { chapterParts } from "../chapter_parts.js";
import { PRIOR } from "../prior.js";
import { asLetters, say } from "../words.js";
import { conceal, createGuess, guessWords, SHOWN } from "../guess.js";
import { figureBox } from "../figure_box.js";
import { flipPad } from "../flip_pad.js";


/** What the engine says about the question's flips: {bayes, a, b}. */
function answerOf(flips) {
  const bayes = bayes_next(PRIOR, flips)[flips.length][0];
  const post = posterior_density(PRIOR, flips, DENSITY_POINTS);
  return { bayes, a: post.a, b: post.b };
}

export default {
  guess: { key: "g1", kind: "slider" },

  mount(api) {
    const t = api.text;
    const flips = api.state().c1flips;
    const values = { flips: asLetters(flips, TEXT.flips.none) };
    const { wrap, reveal, answer } = chapterParts(api, values);
    const predictive = figureBox("lesson1-predictive", t.figures[0]);
    const posterior = figureBox("lesson1-posterior", t.figures[1]);
    const pad = flipPad({
      testid: "lesson1-pad",
      get: () => api.state().c1more,
      set: (more) => {
        api.save({ c1more: more });
        pad.sync();
        draw();
      },
      shown: (more) => `${asLetters(flips + more, TEXT.flips.none)}`,
    });
    const guess = createGuess({ key: "g1", kind: "slider", question: say(t.question, values), state: api.state, save: api.save, onChange: render });
    /** The Predict view with every flip shown here. */
    const links = () => api.labLinks([{ label: t.lab[0], view: "predict", lab: { source: "random", alphas: [1, 1], model: "lstm", flips: flips + api.state().c1more, hard: "" } }]);
    let link = links();
    answer.append(api.paragraph(t.after), pad.el, el("div", { class: "figures" }, predictive.el, posterior.el), link);
    wrap.append(guess.el, reveal, answer);

    function draw() {
      const all = flips + api.state().c1more;
      const bayes = bayes_next(PRIOR, all);
      const post = posterior_density(PRIOR, all, DENSITY_POINTS);
      predictive.draw(api.chart, predictiveFigure({ flips: all, bayes, net: null }));
      posterior.draw(api.chart, posteriorFigure({ post, netP: null }));
      const fresh = links();
      link.replaceWith(fresh);
      link = fresh;
    }

    function render() {
      const g = api.state().g1;
      if (g === "") {
        conceal(answer, reveal);
        return;
      }
      const a = answerOf(flips);
      const words = [guessWords(g), say(t.reveal, { bayes: prob(a.bayes), a: number(a.a), b: number(a.b) })];
      if (g !== SHOWN) words.push(say(TEXT.guess.off, { off: prob(Math.abs(Number(g) - a.bayes)) }));
      reveal.textContent = words.join(" ");
      reveal.dataset.bayes = String(a.bayes);
      answer.hidden = false;
      draw();
    }

    return { el: wrap, start: render };
  },

  /** The question and the engine's answer, for the summary. */
  summary(state, text) {
    const flips = state.c1flips;
    const a = answerOf(flips);
    return { question: say(text.summary, { flips: asLetters(flips, TEXT.flips.none) }), guess: state.g1, answer: say(text.answer, { bayes: prob(a.bayes) }) };
  },
};
