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
