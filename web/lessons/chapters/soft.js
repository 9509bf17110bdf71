// Chapter 6, prompts that are not flips: the network's internal states in the PCA plane with the
// hard and soft prompts' paths, and a soft prompt steering a network never trained.
import { el } from "../../lib/dom.js";
import { engineFigure } from "../../lib/engine_figure.js";
import { runFileName } from "../../lib/file_names.js";
import { TEXT } from "../text.js";
import { chapterParts } from "../chapter_parts.js";
import { say } from "../words.js";
import { conceal, createGuess, guessWords, SHOWN, verdictWord } from "../guess.js";
import { createRunBox } from "../run_box.js";
import { experimentKey, resultOf } from "../compute.js";
import { excessOfWords, failedWords, figureNamed, promptKeys, rankOf, runLab, startRun } from "../experiment_chapter.js";

const TUNERS = ["HardPT", "SoftPT"];
/** The two runs: on the untrained network (which answers the question), then on the pretrained one. */
const NETWORKS = ["untrained", "lstm"];
/** A learning rate of 0.05 rather than the Prompt view's 0.005: a soft prompt on a network that never trained needs big steps to move it in 100. */
const BUDGET = { tlr: 0.05 };

/** The chapter's run on network `tmodel` for the state's coin and seed. */
export const softLab = (state, tmodel) => runLab({ target: { tsource: "single", tbias: state.c6bias }, tmodel, methods: TUNERS, seed: state.c6seed, budget: BUDGET });

/** The answer in the untrained run: the engine's ranking of the two prompts, "yes" when the soft one comes first. */
function answerOf(results) {
  const rank = rankOf(results, ["NoTuning", ...TUNERS]);
  const first = rankOf(results, TUNERS).ranked[0]?.method;
  return { rank, answer: first === "SoftPT" ? "yes" : "no" };
}

export default {
  guess: { key: "g6", kind: "verdict" },

  mount(api) {
    const t = api.text;
    const labs = Object.fromEntries(NETWORKS.map((n) => [n, softLab(api.state(), n)]));
    const values = { bias: labs.untrained.tbias, n: labs.untrained.tlength, k: labs.untrained.plen };
    const { wrap, reveal, answer } = chapterParts(api, values);
    const runs = Object.fromEntries(NETWORKS.map((n) => [n, createRunBox(`run-6-${n}`, say(t.runOn, { network: n === "lstm" ? t.pretrained : t.untrained }))]));
    const out = Object.fromEntries(NETWORKS.map((n) => [n, resultOf(experimentKey(labs[n])) ?? null]));
    const failures = {};
    const figure = el("div", { class: "figures engine-figures", "data-testid": "lesson6-figure" });
    // Which network's states the figure shows: the reader's one thing to do here.
    const choice = el("fieldset", { class: "show-which" }, el("legend", {}, t.show));
    let shown = "lstm";
    for (const [value, words] of [["lstm", t.pretrained], ["untrained", t.untrained]]) {
      const id = `lesson6-show-${value}`;
      const radio = el("input", { type: "radio", name: "lesson6-show", id, value, "data-testid": id });
      radio.checked = value === shown;
      radio.addEventListener("change", () => {
        shown = value;
        drawFigure();
      });
      choice.append(el("label", { for: id, class: "choice" }, radio, words));
    }
    const guess = createGuess({ key: "g6", kind: "verdict", question: say(t.question, values), state: api.state, save: api.save, onChange: render });
    answer.append(api.paragraph(t.after), choice, figure, api.labLinks([
      { label: t.lab[0], view: "prompt", lab: promptKeys(labs.untrained) },
      { label: t.lab[1], view: "inside", lab: promptKeys(labs.lstm) },
    ]));
    wrap.append(guess.el, ...NETWORKS.map((n) => runs[n].el), reveal, answer);

    function drawFigure() {
      const done = out[shown];
      const fig = done && figureNamed(done.figures, "pca_states", "pca_states_by_step");
      const waiting = failures[shown] ? failedWords(failures[shown]) : TEXT.run.starting;
      figure.replaceChildren(...(fig ? [engineFigure(done.results, fig[0], { embed: false, fileName: (stem, ext) => runFileName("learn", { ...labs[shown], lesson: 6 }, stem, ext) })] : [el("p", { class: "note" }, waiting)]));
    }

    function render() {
      const g = api.state().g6;
      if (g === "") {
        conceal(answer, reveal);
        return;
      }
      if (!out.untrained) {
        answer.hidden = true;
        reveal.textContent = failures.untrained ? failedWords(failures.untrained) : TEXT.guess.waiting;
        return;
      }
      const a = answerOf(out.untrained.results);
      const words = [guessWords(g, verdictWord)];
      if (g !== SHOWN) words.push(g === a.answer ? TEXT.guess.right : TEXT.guess.wrong);
      const at = (m) => excessOfWords(a.rank.of(m), m);
      words.push(say(t.reveal, { none: at("NoTuning"), hard: at("HardPT"), soft: at("SoftPT"), n: labs.untrained.tlength }));
      words.push(a.answer === "yes" ? t.steers : t.doesNot);
      if (out.lstm) {
        const p = rankOf(out.lstm.results, TUNERS);
        words.push(say(t.pretrainedRun, { hard: excessOfWords(p.of("HardPT"), "HardPT"), soft: excessOfWords(p.of("SoftPT"), "SoftPT"), lr: labs.lstm.tlr }));
      }
      reveal.textContent = words.join(" ");
      reveal.dataset.answer = a.answer;
      reveal.dataset.excess = JSON.stringify(a.rank.ranked.map(({ method, median }) => ({ method, median })));
      answer.hidden = false;
      drawFigure();
    }

    /** Runs the untrained network's experiment, then the pretrained one's (one pool at a time). */
    function runFrom(i) {
      const n = NETWORKS[i];
      if (!n) return;
      startRun(runs[n], labs[n], api.models, (done, why) => {
        out[n] = done;
        failures[n] = why;
        render();
        if (done) runFrom(i + 1);
      });
    }

    return {
      el: wrap,
      start() {
        render();
        runFrom(0);
      },
      unmount: () => NETWORKS.forEach((n) => runs[n].stop()),
    };
  },

  summary(state, text) {
    const lab = softLab(state, "untrained");
    const done = resultOf(experimentKey(lab));
    return { question: say(text.summary, { bias: lab.tbias }), guess: state.g6, answer: done ? say(text.answer, { answer: verdictWord(answerOf(done.results).answer) }) : null };
  },
};
