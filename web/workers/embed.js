// The one worker of an embedded figure (a module worker): loads the engine, reads the embed's link,
// computes what the figure needs (an experiment's jobs and assembly, or the Predict view's numbers)
// and draws engine figures at the width the embed asks for.
//
// Every message in carries an `id`, and every reply to it the same `id`.
// Messages in:  {type: "init", hash}                       read the link (the engine's tuner list first)
//               {type: "compute"}                          run the experiment's jobs here and assemble them
//               {type: "use", results}                     take an experiment another embed computed
//               {type: "predict"}                          the Predict view's figures for the link
//               {type: "draw", width, hidden}              draw the figure
// Messages out: {type: "ready", problems, catalog, name}, {type: "progress", done, total},
//               {type: "results", results, jobs}, {type: "drawn", svg, data, width},
//               {type: "figures", problems}, {type: "error", problem}
import init, { ExperimentSession, FigureSet, check_experiment, method_catalog } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { embedName } from "../lib/embed_name.js";
import { fetchModel } from "../lib/models.js";
import { problemOf } from "../lib/messages.js";
import { predictSet } from "../lib/predict_set.js";

const engine = init();
let asking = null; // the id of the request being answered: every reply carries it
const reply = (msg) => postMessage({ ...msg, id: asking });
let state = null;
let set = null; // the FigureSet of the experiment's results, or the PredictFigureSet of the link's flips
let stem = null; // the engine figure stem of the embed's name

/** The shipped network `name` ({config, weights}) from the site's models/NAME/. */
function loadModel(name) {
  if (name === "mine") throw new Error("an embed cannot use a network pretrained in a page; pick a shipped network");
  return fetchModel(name, new URL("../", import.meta.url));
}

function start({ hash }) {
  const catalog = method_catalog();
  S.setMethods(catalog.filter((m) => m.kind === "tuner").map((m) => m.label));
  const parsed = S.parse(hash);
  state = parsed.state;
  reply({ type: "ready", problems: parsed.problems, catalog, name: state.embed });
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
  reply({ type: "progress", done, total: plan.order.length });
  for (const job of plan.order) {
    const rep = session.run_job(job.method, job.repetition, () => {});
    if (!finished.has(job.method)) finished.set(job.method, []);
    finished.get(job.method)[job.repetition] = rep;
    done += 1;
    reply({ type: "progress", done, total: plan.order.length });
  }
  const results = session.assemble([...finished].map(([method, repetitions]) => ({ method, repetitions })), started);
  session.free();
  // The results go out first: other embeds of the page draw their own figures from them, even if this one's is missing.
  reply({ type: "results", results, jobs: plan.order.length });
  use(results);
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
  reply({ type: "drawn", svg: drawn.svg, data: drawn.data, width, stem });
}

/** The Predict view's two figures for the link, drawn by the engine as the Predict view computes them. */
async function predict() {
  set?.free();
  set = null;
  const made = await predictSet(state, () => loadModel(state.model));
  set = made.set;
  stem = state.embed;
  reply({ type: "figures", problems: made.problems });
}

const HANDLERS = { init: start, compute, use: ({ results }) => use(results), draw, predict };

onmessage = async ({ data: msg }) => {
  try {
    await engine;
    asking = msg.id;
    await HANDLERS[msg.type]?.(msg);
  } catch (e) {
    postMessage({ type: "error", id: msg.id, problem: problemOf(e), during: msg.type });
  }
};
