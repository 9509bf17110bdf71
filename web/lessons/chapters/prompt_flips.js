// Chapter 3, a prompt is just more flips: a hard prompt moves Bayes's Beta(α, β) to
// Beta(α + heads, β + tails), and the prompted network follows; the reader extends the prompt.
import { bayes_next, model_predict, posterior_density } from "../../pkg/promptlab.js";
import { el } from "../../lib/dom.js";
import { number, prob } from "../../lib/format.js";
import { newestAnswer } from "../newest_answer.js";
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

const hard = (tokens) => JSON.stringify({ kind: "hard", tokens });

/** What the engine says about prompt `prompt` on the shipped LSTM: {bayes, net, a0, b0, a, b}. */
async function answerOf(prompt, models) {
  const model = await models.load("lstm");
  const net = model_predict(model.config, model.weights, "", hard(prompt))[0][0];
  const bayes = bayes_next(PRIOR, prompt)[prompt.length][0];
  const prior = posterior_density(PRIOR, "", DENSITY_POINTS);
  const post = posterior_density(PRIOR, prompt, DENSITY_POINTS);
  return { bayes, net, a0: prior.a, b0: prior.b, a: post.a, b: post.b };
}

export default {
  guess: { key: "g3", kind: "slider" },

  mount(api) {
    const t = api.text;
    const prompt = api.state().c3prompt;
    const values = { prompt: asLetters(prompt, TEXT.flips.none) };
    const { wrap, reveal, answer } = chapterParts(api, values);
    const predictive = figureBox("lesson3-predictive", t.figures[0]);
    const posterior = figureBox("lesson3-posterior", t.figures[1]);
    const pad = flipPad({
      testid: "lesson3-pad",
      get: () => api.state().c3more,
      set: (more) => {
        api.save({ c3more: more });
        pad.sync();
        draw();
      },
      shown: (more) => asLetters(prompt + more, TEXT.flips.none),
    });
    const links = () => api.labLinks([{ label: t.lab[0], view: "predict", lab: { source: "random", alphas: [1, 1], model: "lstm", flips: "", hard: prompt + api.state().c3more } }]);
    let link = links();
    const guess = createGuess({ key: "g3", kind: "slider", question: say(t.question, values), state: api.state, save: api.save, onChange: render });
    answer.append(api.paragraph(t.after), pad.el, el("div", { class: "figures" }, predictive.el, posterior.el), link);
    wrap.append(guess.el, reveal, answer);
    let closed = false;
    const answers = newestAnswer(reveal, () => closed);

    /** The figures for the prompt with the reader's flips added: the bets while reading it, and the belief after it. */
    let drawn = 0;
    async function draw() {
      const mine = ++drawn;
      const all = prompt + api.state().c3more;
      const model = await api.models.load("lstm");
      if (closed || mine !== drawn) return;
      const net = model_predict(model.config, model.weights, all, null);
      const bayes = bayes_next(PRIOR, all);
      const post = posterior_density(PRIOR, all, DENSITY_POINTS);
      predictive.draw(api.chart, predictiveFigure({ flips: all, bayes, net }));
      posterior.draw(api.chart, posteriorFigure({ post, netP: net[all.length][0] }));
      const fresh = links();
      link.replaceWith(fresh);
      link = fresh;
    }

    async function render() {
      const g = api.state().g3;
      if (g === "") {
        answers.forget();
        conceal(answer, reveal);
        return;
      }
      const a = await answers.of(() => answerOf(prompt, api.models));
      if (!a) return;
      const words = [guessWords(g), say(t.reveal, { bayes: prob(a.bayes), net: prob(a.net), a0: number(a.a0), b0: number(a.b0), a: number(a.a), b: number(a.b) })];
      if (g !== SHOWN) words.push(say(TEXT.guess.off, { off: prob(Math.abs(Number(g) - a.net)) }));
      reveal.textContent = words.join(" ");
      reveal.dataset.bayes = String(a.bayes);
      reveal.dataset.net = String(a.net);
      answer.hidden = false;
      draw();
    }

    return { el: wrap, start: render, unmount: () => (closed = true) };
  },

  async summary(state, text, models) {
    const prompt = state.c3prompt;
    const a = await answerOf(prompt, models);
    return { question: say(text.summary, { prompt: asLetters(prompt, TEXT.flips.none) }), guess: state.g3, answer: say(text.answer, { bayes: prob(a.bayes), net: prob(a.net) }) };
  },
};
