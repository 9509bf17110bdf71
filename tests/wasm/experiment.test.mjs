// Experiments split into jobs across wasm sessions (as the page's workers do) reproduce the native CLI's numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { engine, ROOT } from "../common/engine.mjs";

const configText = fs.readFileSync(path.join(ROOT, "tests", "wasm", "experiment.json"), "utf8");
const modelDir = path.join(ROOT, "target", "wasm-agreement");
const modelConfig = () => fs.readFileSync(path.join(modelDir, "config.json"), "utf8");
const weights = () => new Uint8Array(fs.readFileSync(path.join(modelDir, "model.safetensors")));
const session = () => new engine.ExperimentSession(configText, modelConfig(), weights());

/** Runs every job, alternating between two sessions, and groups the repetitions by method. */
function runAll(calls) {
  const workers = [session(), session()];
  const jobs = workers[0].jobs();
  const finished = new Map();
  jobs.forEach((job, i) => {
    const rep = workers[i % 2].run_job(job.method, job.repetition, (step, total, loss) => calls.push({ job, step, total, loss }));
    if (!finished.has(job.method)) finished.set(job.method, []);
    finished.get(job.method)[job.repetition] = rep;
  });
  return [...finished].map(([method, repetitions]) => ({ method, repetitions }));
}

function csvRows(text) {
  const [header, ...rows] = text.trim().split("\n");
  assert.equal(header, "eval_source,method,step,median,q25,q75");
  return rows.map((r) => r.split(","));
}

test("an experiment in pieces matches the native run to 1e-4", () => {
  const calls = [];
  const started = Date.now();
  const finished = runAll(calls);
  const results = session().assemble(finished, started);
  assert.ok(results.timings.total >= 0 && results.timings.total < 600);
  assert.deepEqual(results.eval_sources, ["coin", "pair"]);
  const steps = JSON.parse(configText).tuning.steps;
  assert.ok(calls.length > 0 && calls.every((c) => c.total === steps && Number.isFinite(c.loss)));
  const wasm = csvRows(engine.experiment_summary_csv(results));
  const nativePath = path.join(ROOT, "target", "wasm-experiment", "summary.csv");
  assert.ok(fs.existsSync(nativePath), `${nativePath} missing: run ./build.sh test`);
  const native = csvRows(fs.readFileSync(nativePath, "utf8"));
  assert.equal(wasm.length, native.length);
  wasm.forEach((row, i) => {
    assert.deepEqual(row.slice(0, 3), native[i].slice(0, 3));
    for (let c = 3; c < 6; c++) {
      const [a, b] = [Number(row[c]), Number(native[i][c])];
      assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `${native[i].slice(0, 3)} col ${c}: wasm ${a} vs native ${b}`);
    }
  });
});

test("the plan lists the jobs in the workers' order: long ones first, short ones (HardPT, UnembedWT) last", () => {
  const plan = engine.check_experiment(configText, modelConfig());
  const jobs = session().jobs();
  assert.deepEqual(plan.order, jobs);
  assert.equal(plan.jobs, jobs.length);
  const short = (j) => ["HardPT", "UnembedWT"].includes(j.method);
  const firstShort = jobs.findIndex(short);
  assert.ok(firstShort > 0 && jobs.slice(firstShort).every(short), JSON.stringify(jobs));
  assert.deepEqual([...new Set(jobs.map((j) => j.method))].sort(), [...plan.methods].sort());
});

test("figures come out as SVG documents", () => {
  const results = session().assemble(runAll([]), Date.now());
  const figures = engine.experiment_figures(results);
  const names = figures.map(([name]) => name);
  for (const want of ["regret_cumulative_coin.svg", "regret_cumulative_pair.svg", "bars_coin.svg", "tuning_loss.svg", "hard_prefix_ranking.svg", "pca_states.svg"]) {
    assert.ok(names.includes(want), `${want} missing from ${names}`);
  }
  for (const [name, svg] of figures) {
    assert.ok(svg.trimStart().startsWith("<svg") && svg.trimEnd().endsWith("</svg>"), name);
    assert.ok(!/NaN|Infinity/.test(svg), `${name} has a non-finite number`);
  }
});

test("bad job requests throw clear errors", () => {
  const s = session();
  assert.throws(() => s.run_job("MagicPT", 0, () => {}), (e) => e instanceof Error && /method/.test(e.message));
  assert.throws(() => s.run_job("SoftPT", 99, () => {}), (e) => e instanceof Error && /repetition/.test(e.message));
  assert.throws(() => s.assemble([], Date.now()), (e) => e instanceof Error && /no results for/.test(e.message));
  assert.throws(() => new engine.ExperimentSession("{\"tuning\":{\"steps\":0}}", modelConfig(), weights()), (e) => e instanceof Error && /tuning.steps/.test(e.message));
  assert.throws(() => new engine.ExperimentSession(configText, modelConfig(), new Uint8Array([1, 2, 3])), (e) => e instanceof Error && /safetensors/.test(e.message));
});

/** One assembled run shared by the tests below (the experiment is the slow part). */
let shared = null;
function sharedResults() {
  shared ??= session().assemble(runAll([]), Date.now());
  return shared;
}

/** The page's rule, re-implemented here: per prefix tuner, the repetition with a prefix, not
 * diverged, with the lowest finite mean of its last ≤ 10 tuning losses (first on ties). */
function expectedPrompts(results) {
  const out = [];
  for (const m of results.methods) {
    if (!["HardPT", "SimplexPT", "RealPT", "SoftPT"].includes(m.method)) continue;
    let best = null;
    m.repetitions.forEach((r, i) => {
      if (!r.prefix || r.diverged) return;
      const tail = r.tuning_loss.slice(-10);
      const score = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
      if (Number.isFinite(score) && (!best || score < best.score)) best = { r, i, score };
    });
    if (!best) continue;
    const rows = best.r.prefix;
    const prefix = m.method === "HardPT"
      ? { kind: "hard", tokens: rows.map((row) => String(row.indexOf(Math.max(...row)))).join("") }
      : { kind: m.method === "SoftPT" ? "soft" : "real", rows };
    out.push({ method: m.method, repetition: best.i, repetitions: m.repetitions.length, prefix_length: rows.length, prefix });
  }
  return out;
}

test("tuned_prompts picks each prefix tuner's best repetition as the page's rule does, as prompts model_predict takes", () => {
  const results = sharedResults();
  const prompts = engine.tuned_prompts(results);
  assert.deepEqual(prompts.map((p) => p.method), ["HardPT", "SimplexPT", "RealPT", "SoftPT"]);
  assert.deepEqual(prompts, expectedPrompts(results));
  const k = JSON.parse(configText).tuning.prefix_length;
  for (const p of prompts) {
    assert.equal(p.prefix_length, k, p.method);
    assert.ok(p.repetition >= 0 && p.repetition < p.repetitions, p.method);
    const rows = engine.model_predict(modelConfig(), weights(), "0110", JSON.stringify(p.prefix));
    assert.equal(rows.length, 5, p.method);
  }
  // A tie keeps the first repetition; a diverged or prefix-less one is never chosen; the engine
  // and the rule above agree on these edited results too.
  const edited = structuredClone(results);
  for (const m of edited.methods) {
    if (m.method === "RealPT") m.repetitions.forEach((r) => (r.tuning_loss = [1, 2, 3]));
    if (m.method === "SimplexPT") m.repetitions[0].diverged = { step: 1, message: "loss = NaN" };
    if (m.method === "SoftPT") m.repetitions.forEach((r) => (r.prefix = null));
  }
  const again = engine.tuned_prompts(edited);
  assert.deepEqual(again, expectedPrompts(edited));
  assert.equal(again.find((p) => p.method === "RealPT").repetition, 0);
  assert.equal(again.find((p) => p.method === "SimplexPT").repetition, 1);
  assert.equal(again.find((p) => p.method === "SoftPT"), undefined);
  assert.throws(() => engine.tuned_prompts({ methods: [] }), (e) => e instanceof Error && /results/.test(e.message));
});

test("method_catalog lists every label a run reports, in its order, the prefix tuners flagged, with the Theory view's K", () => {
  const catalog = engine.method_catalog();
  const labels = catalog.map((c) => c.label);
  assert.deepEqual(labels, [
    "HardPT", "SimplexPT", "RealPT", "SoftPT", "FullWT", "LoRAWT", "EmbedWT", "UnembedWT", "Un+EmbedWT",
    "NoTuning", "RandomPF", "PreBayes", "PreBayesPT", "TargetBayes", "ground_truth",
  ]);
  const results = sharedResults();
  const reported = results.methods.map((m) => m.method);
  assert.ok(reported.length > 0);
  for (const m of results.methods) {
    const entry = catalog.find((c) => c.label === m.method);
    assert.ok(entry, `${m.method} missing from the catalog`);
    assert.equal(entry.kind, m.kind, m.method);
  }
  const positions = reported.map((label) => labels.indexOf(label));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), "a run's methods follow the catalog's order");
  assert.deepEqual(catalog.filter((c) => c.prefix).map((c) => c.label), ["HardPT", "SimplexPT", "RealPT", "SoftPT"]);
  assert.deepEqual(catalog.filter((c) => c.kind === "tuner").length, 9);
  // The Theory view: NoTuning and PreBayes at K = 0; RandomPF, TargetBayes and ground_truth not drawn; the rest at K.
  const theoryK = (label) => (["NoTuning", "PreBayes"].includes(label) ? "zero" : ["RandomPF", "TargetBayes", "ground_truth"].includes(label) ? "none" : "prefix");
  catalog.forEach((c) => assert.equal(c.theory_k, theoryK(c.label), c.label));
  assert.equal(catalog.length, 15);
  for (const c of catalog) assert.ok(c.description.length > 20 && !c.description.includes("\n"), c.label);
  assert.match(catalog.find((c) => c.label === "TargetBayes").description, /without knowing the coin/);
  // ground_truth is the oracle regret is measured against: a run lists it, but it is no baseline to compare with.
  assert.deepEqual(catalog.filter((c) => c.oracle).map((c) => c.label), ["ground_truth"]);
  for (const c of catalog) assert.equal(typeof c.oracle, "boolean", c.label);
});
