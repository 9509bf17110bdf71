// The one worker of an embedded figure (a module worker): loads the engine, reads the embed's link,
// computes what the figure needs (an experiment's jobs and assembly, or the Predict view's numbers)
// and draws engine figures at the width the embed asks for.
//
// Messages in:  {type: "init", hash}                       read the link (the engine's tuner list first)
//               {type: "compute"}                          run the experiment's jobs here and assemble them
//               {type: "use", results}                     take an experiment another embed computed
//               {type: "draw", width, hidden}              draw the figure (engine figures)
//               {type: "predict"}                          the Predict view's numbers for the link
// Messages out: {type: "ready", problems, catalog, name}, {type: "progress", done, total},
//               {type: "results", results, jobs}, {type: "drawn", svg, data, width},
//               {type: "numbers", flips, bayes, net, posterior, errors}, {type: "error", problem}
import init, { ExperimentSession, FigureSet, bayes_next, check_experiment, method_catalog, model_predict, posterior_density } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { embedName } from "../lib/embed_name.js";
import { DENSITY_POINTS } from "../lib/figures/density.js";
import { messageOf, problemOf } from "../lib/messages.js";

const engine = init();
let state = null;
let set = null; // the FigureSet of the experiment's results
let stem = null; // the engine figure stem of the embed's name

/** The shipped network `name` ({config, weights}) from models/NAME/. */
async function loadModel(name) {
  if (name === "mine") throw new Error("an embed cannot use a network pretrained in a page; pick a shipped network");
  const url = (file) => new URL(`../models/${name}/${file}`, import.meta.url);
  const [c, w] = await Promise.all([fetch(url("config.json")), fetch(url("model.safetensors"))]);
  if (!c.ok || !w.ok) throw new Error(`could not load the ${name} model (models/${name}/: HTTP ${c.ok ? w.status : c.status})`);
  return { config: await c.text(), weights: new Uint8Array(await w.arrayBuffer()) };
}

function start({ hash }) {
  const catalog = method_catalog();
  S.setMethods(catalog.filter((m) => m.kind === "tuner").map((m) => m.label));
  const parsed = S.parse(hash);
  state = parsed.state;
  postMessage({ type: "ready", problems: parsed.problems, catalog, name: state.embed });
}

/** Runs every job of the link's experiment in this worker, then assembles them (as the Prompt view's pool does across workers). */
async function compute() {
  const model = await loadModel(state.tmodel);
  const config = S.experimentConfigJson(state);
  const plan = check_experiment(config, model.config);
  const session = new ExperimentSession(config, model.config, model.weights);
  const started = Date.now();
  const finished = new Map();
  let done = 0;
  postMessage({ type: "progress", done, total: plan.order.length });
  for (const job of plan.order) {
    const rep = session.run_job(job.method, job.repetition, () => {});
    if (!finished.has(job.method)) finished.set(job.method, []);
    finished.get(job.method)[job.repetition] = rep;
    done += 1;
    postMessage({ type: "progress", done, total: plan.order.length });
  }
  const results = session.assemble([...finished].map(([method, repetitions]) => ({ method, repetitions })), started);
  session.free();
  use(results);
  postMessage({ type: "results", results, jobs: plan.order.length });
}

/** Takes `results` as the experiment the figure is drawn from. */
function use(results) {
  set?.free();
  set = new FigureSet(results);
  stem = [...set.names()].find((s) => embedName(s) === state.embed) ?? null;
  if (!stem) throw new Error(`this experiment has no ${state.embed.replace(/_/g, " ")} figure`);
}

function draw({ width, hidden }) {
  const drawn = set.figure(stem, { width, chrome: false, hidden });
  postMessage({ type: "drawn", svg: drawn.svg, data: drawn.data, width, stem });
}

/** The Predict view's numbers for the link: exact Bayes's predictive and posterior, and the network's predictive. */
async function predict() {
  const { flips, hard } = state;
  const source = S.sourceJson(state);
  const errors = {};
  let bayes = null, posterior = null, net = null;
  try {
    bayes = bayes_next(source, hard + flips).slice(hard.length);
    posterior = posterior_density(source, hard + flips, DENSITY_POINTS);
  } catch (e) {
    errors.source = messageOf(e);
  }
  try {
    const model = await loadModel(state.model);
    net = model_predict(model.config, model.weights, flips, hard ? JSON.stringify({ kind: "hard", tokens: hard }) : null);
  } catch (e) {
    errors.model = messageOf(e);
  }
  postMessage({ type: "numbers", flips, bayes, net, posterior, errors });
}

const HANDLERS = { init: start, compute, use: ({ results }) => use(results), draw, predict };

onmessage = async ({ data: msg }) => {
  try {
    await engine;
    await HANDLERS[msg.type]?.(msg);
  } catch (e) {
    postMessage({ type: "error", problem: problemOf(e), during: msg.type });
  }
};
