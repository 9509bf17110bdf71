// The Theory view: the engine's exact reachability (best hard prompt of every length for the exact
// Bayes predictor), the criterion's verdict, the networks' results overlaid, and the posterior picture.
import { excess_over_target, posterior_density, reach } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { drawLegend } from "../lib/legend.js";
import { entry } from "../lib/catalog.js";
import { $ } from "../lib/dom.js";
import { nats, prob } from "../lib/format.js";
import { integerFrom } from "../lib/inputs.js";
import { messageOf, showError } from "../lib/messages.js";
import { styleOf } from "../lib/method_style.js";
import { bindTarget } from "../lib/source_controls.js";
import { beliefsFigure, bestPromptTokens } from "../lib/figures/beliefs.js";
import { DENSITY_POINTS } from "../lib/figures/density.js";
import { reachFigure } from "../lib/figures/reach.js";

const flips = (counts) => `${counts[0]} H + ${counts[1]} T`;

/** Input ids for engine field names. */
const THEORY_FIELDS = {
  "target.probs[0]": ["th-bias", "th-coin-a"],
  "target.probs[1]": ["th-coin-b"],
  "target.probs": ["th-bias", "th-coin-a", "th-coin-b"],
  "target.weights": ["th-weight"],
  "target.alphas[0]": ["th-alpha-h"],
  "target.alphas[1]": ["th-alpha-t"],
  "target.alphas": ["th-alpha-h", "th-alpha-t"],
  steps: ["th-steps"],
  max_prefix: ["th-kmax"],
  target: ["th-bias", "th-coin-a", "th-coin-b", "th-weight"],
};

/**
 * Where a method's result sits on the reachability curve, for a run with prompt length `k`, from the
 * engine's catalog: "zero" → K = 0, "prefix" → K = k, "none" (or an unknown label) → not drawn (null).
 */
function promptLengthOf(method, k) {
  const at = entry(method)?.theory_k;
  return at === "zero" ? 0 : at === "prefix" ? k : null;
}

/**
 * The Theory view's controller; `ctx` gives state(), apply(change) (which also re-syncs the
 * Prompt view, whose target this view edits), chart(id, spec) and lastRun() = the Prompt view's
 * last results.
 */
export function createTheory(ctx) {
  const target = bindTarget({
    prefix: "th-",
    oneWeight: true,
    state: ctx.state,
    apply: ctx.apply,
    fail: (e) => showError("theory-error", e, THEORY_FIELDS),
  });

  function sync() {
    const s = ctx.state();
    target.sync();
    $("th-steps").value = s.tlength;
    $("th-kmax").value = s.kmax;
    $("th-k-range").max = String(s.kmax);
    $("th-k-range").value = String(Math.min(s.kshow, s.kmax));
    $("th-k-value").textContent = String(Math.min(s.kshow, s.kmax));
  }

  function update() {
    const s = ctx.state();
    const pretrain = JSON.stringify(S.THEORY_PRETRAIN);
    const target = JSON.stringify(S.targetSource(s));
    let r;
    try {
      r = reach(pretrain, target, s.kmax, s.tlength);
    } catch (e) {
      showError("theory-error", e, THEORY_FIELDS);
      $("theory-verdict").textContent = "";
      $("theory-verdict").dataset.case = "";
      ctx.chart("chart-reach", { title: "no result", xLabel: "prompt length K", yLabel: "nats over TargetBayes", x: [0, 1], y: [0, 1], message: "fix the input above" });
      ctx.chart("chart-beliefs", { title: "no result", xLabel: "bias P(H)", yLabel: "density", x: [0, 1], y: [0, 1], message: "fix the input above" });
      return;
    }
    showError("theory-error", null, THEORY_FIELDS);
    verdict(r, s);
    drawReach(r, s);
    drawBeliefs(r, s, pretrain, target);
  }

  function verdict(r, s) {
    const box = $("theory-verdict");
    const best = r.rows.reduce((a, b) => (b.excess_regret < a.excess_regret ? b : a));
    const last = r.rows[r.rows.length - 1];
    box.dataset.case = r.reachable ? "reachable" : "unreachable";
    box.classList.toggle("reachable", r.reachable);
    box.textContent = r.reachable
      ? `Reachable. Prompting can make the Bayes predictor optimal for this target: the best prompt of ${last.prefix_length} flips (${flips(last.best_counts)}) leaves ${nats(last.excess_regret)} nats of excess regret over ${s.tlength} flips, and longer prompts bring it to 0.`
      : `Not reachable. No hard prompt brings the Bayes predictor within ${nats(r.gap)} nats of the target's own over ${s.tlength} flips (the best is ${best.prefix_length === 0 ? "no prompt at all" : `${best.prefix_length} flips, ${flips(best.best_counts)}`}); very long prompts tend to ${nats(r.limit)} nats, the cost of betting on a single coin of bias ${prob(r.limit_probs[0])}.`;
  }

  /** The networks' results of the last Prompt run, when it was for this very target and N. */
  function networkPoints(s) {
    const last = ctx.lastRun();
    if (!last) return { points: [], note: "Run an experiment in the Prompt view to see where the networks land." };
    const c = last.results.config;
    const same = JSON.stringify(c.tuning.source) === JSON.stringify(S.targetSource(s)) && c.tuning.sequence_length === s.tlength;
    const pre = c.pretraining.source;
    if (!same) return { points: [], note: "The last Prompt run was for another target or N: run it again for this one to see the networks here." };
    if (pre.kind !== "random" || JSON.stringify(pre.alphas) !== "[1,1]") return { points: [], note: "The last Prompt run's network was pretrained on another prior than Random Coins (1, 1)." };
    const source = last.results.eval_sources.includes("target") ? "target" : last.results.eval_sources[0];
    const n = s.tlength;
    const k = c.tuning.prefix_length;
    if (n > last.results.key_steps.eval) return { points: [], note: `The last Prompt run scored only ${last.results.key_steps.eval} flips per sequence, fewer than the ${n} flips here.` };
    let excess;
    try {
      excess = excess_over_target(last.results, source, n);
    } catch (e) {
      return { points: [], note: `The last Prompt run's results cannot be placed here: ${messageOf(e)}` };
    }
    const points = [];
    for (const e of excess) {
      const x = promptLengthOf(e.method, k);
      if (x === null || !Number.isFinite(e.median)) continue;
      points.push({ method: e.method, x, y: e.median, q25: e.q25, q75: e.q75 });
    }
    const at = [...new Set(points.map((p) => p.x))].sort((a, b) => b - a).map((x) => `K = ${x}: ${points.filter((p) => p.x === x).map((p) => p.method).join(", ")}`);
    return {
      points,
      k,
      note: `Dots: the last Prompt run's cumulative regret after ${n} flips minus TargetBayes's on the same ${c.evaluation.num_sequences} sampled sequences, computed per repetition, then the median over repetitions (whiskers: 25–75 %), the curve's units. Each dot sits at its own prompt length (${at.join("; ")}). PreBayes should sit on the curve at K = 0 and PreBayesPT near it at K = ${k}, up to sampling error.`,
    };
  }

  function drawReach(r, s) {
    const { points, note, k } = networkPoints(s);
    const figure = reachFigure({ r, kmax: s.kmax, points, k, styleOf });
    ctx.chart("chart-reach", figure.spec);
    drawLegend($("legend-reach"), figure.legend);
    const note$ = $("reach-note");
    note$.textContent = note;
    note$.dataset.points = String(points.length);
    note$.dataset.dots = JSON.stringify(points.map(({ method, x, y }) => ({ method, x, y })));
    note$.dataset.runK = k === undefined ? "" : String(k);
  }

  function drawBeliefs(r, s, pretrain, target) {
    const k = Math.min(s.kshow, s.kmax);
    const figure = beliefsFigure({
      r,
      k,
      prior: posterior_density(pretrain, "", DENSITY_POINTS),
      prompted: posterior_density(pretrain, bestPromptTokens(r, k), DENSITY_POINTS),
      goal: posterior_density(target, "", DENSITY_POINTS),
    });
    ctx.chart("chart-beliefs", figure.spec);
    drawLegend($("legend-beliefs"), figure.legend);
    $("beliefs-note").textContent = figure.note;
  }

  const onInput = (read) => () => {
    try {
      ctx.apply(read());
    } catch (e) {
      showError("theory-error", e, THEORY_FIELDS);
    }
  };
  $("th-steps").addEventListener("input", onInput(() => ({ tlength: integerFrom("th-steps", "N flips scored") })));
  $("th-kmax").addEventListener("input", onInput(() => ({ kmax: integerFrom("th-kmax", "longest prompt K") })));
  $("th-k-range").addEventListener("input", onInput(() => ({ kshow: Number($("th-k-range").value) })));

  return { sync, update };
}
