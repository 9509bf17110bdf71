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

/** numpy's default quantile (linear between order statistics), as the engine computes it. */
function quantileOf(values, q) {
  const s = [...values].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

test("excess_over_target is each repetition's cumulative regret minus TargetBayes's, then median and quartiles", () => {
  const results = sharedResults();
  const sum = (xs, n) => xs.slice(0, n).reduce((a, b) => a + b, 0);
  let checked = 0;
  for (const source of results.eval_sources) {
    const floorRow = results.methods.find((m) => m.method === "TargetBayes");
    assert.equal(floorRow.repetitions.length, 1);
    for (const step of [1, 10, results.key_steps.eval]) {
      const got = engine.excess_over_target(results, source, step);
      const want = results.methods.filter((m) => !["TargetBayes", "ground_truth"].includes(m.method));
      assert.deepEqual(got.map((e) => e.method), want.map((m) => m.method));
      const floor = sum(floorRow.repetitions[0].instant_regret[source], step);
      for (const [e, m] of got.map((e, i) => [e, want[i]])) {
        const values = m.repetitions.filter((r) => !r.diverged).map((r) => sum(r.instant_regret[source], step) - floor);
        assert.equal(e.repetitions, values.length, m.method);
        assert.equal(e.step, step);
        for (const [key, q] of [["median", 0.5], ["q25", 0.25], ["q75", 0.75]]) {
          assert.ok(Math.abs(e[key] - quantileOf(values, q)) < 1e-9, `${m.method} ${key} on ${source} at ${step}: ${e[key]} vs ${quantileOf(values, q)}`);
          checked += 1;
        }
        // The same shift as the summaries' own medians whenever TargetBayes is one exact repetition.
        assert.ok(Math.abs(e.median - (m.summary[source].median[step - 1] - floorRow.summary[source].median[step - 1])) < 1e-9, m.method);
      }
    }
  }
  assert.ok(checked > 30, `only ${checked} values checked`);
  assert.throws(() => engine.excess_over_target(results, "coin", 0), (e) => e.field === "step" && /1\.\.=30/.test(e.allowed));
  assert.throws(() => engine.excess_over_target(results, "coin", results.key_steps.eval + 1), (e) => e.field === "step");
  assert.throws(() => engine.excess_over_target(results, "nowhere", 5), (e) => e.field === "source" && /coin/.test(e.allowed));
});

test("rank_by_excess orders the asked methods by median excess over TargetBayes, ties in the asked order, and lists those with no result", () => {
  const results = sharedResults();
  const source = results.eval_sources[0];
  const step = results.key_steps.tune;
  const excess = engine.excess_over_target(results, source, step);
  const asked = ["SoftPT", "HardPT", "PreBayesPT", "NoTuning"];
  const r = engine.rank_by_excess(results, source, step, asked);
  const want = asked.map((m) => excess.find((e) => e.method === m)).sort((a, b) => a.median - b.median);
  assert.deepEqual(r.ranked, want);
  assert.deepEqual(r.missing, []);
  // A tie keeps the asked order; a method whose every repetition diverged is missing, not ranked.
  const edited = structuredClone(results);
  const row = (m) => edited.methods.find((x) => x.method === m);
  row("HardPT").repetitions = structuredClone(row("SoftPT").repetitions);
  for (const rep of row("RealPT").repetitions) rep.diverged = { step: 1, message: "diverged" };
  const tied = engine.rank_by_excess(edited, source, step, ["HardPT", "RealPT", "SoftPT"]);
  assert.deepEqual(tied.ranked.map((e) => e.method), ["HardPT", "SoftPT"]);
  assert.equal(tied.ranked[0].median, tied.ranked[1].median);
  assert.deepEqual(engine.rank_by_excess(edited, source, step, ["SoftPT", "HardPT"]).ranked.map((e) => e.method), ["SoftPT", "HardPT"]);
  assert.deepEqual(tied.missing, ["RealPT"]);
  // Unknown, floor or repeated labels are refused by position.
  assert.throws(() => engine.rank_by_excess(results, source, step, ["SoftPT", "MagicPT"]), (e) => e.field === "methods[1]" && /SoftPT/.test(e.allowed));
  assert.throws(() => engine.rank_by_excess(results, source, step, ["TargetBayes"]), (e) => e.field === "methods[0]");
  assert.throws(() => engine.rank_by_excess(results, source, step, ["SoftPT", "SoftPT"]), (e) => e.field === "methods[1]" && /once/.test(e.allowed));
  assert.throws(() => engine.rank_by_excess(results, source, 0, ["SoftPT"]), (e) => e.field === "step");
});

test("worse_than_baselines names a tuner whose band lies above NoTuning's, and PreBayesPT above PreBayes as forced flips", () => {
  const base = sharedResults();
  const steps = [...new Set([base.key_steps.tune, base.key_steps.train, base.key_steps.eval])].filter((n) => n >= 1 && n <= base.key_steps.eval).sort((a, b) => a - b);
  /** A copy whose `method` summary on "coin" is `of`'s shifted: median + gap, quartiles at ± spread around it. */
  const shifted = (results, method, of, gap, spread) => {
    const copy = structuredClone(results);
    const ref = copy.methods.find((m) => m.method === of).summary.coin;
    const row = copy.methods.find((m) => m.method === method);
    row.summary.coin = {
      median: ref.median.map((v) => v + gap),
      q25: ref.median.map((v) => v + gap - spread),
      q75: ref.median.map((v) => v + gap + spread),
    };
    return copy;
  };
  const quiet = (results) => results.methods.filter((m) => ["NoTuning", "PreBayes"].includes(m.method)).map((m) => m.method);
  assert.deepEqual(quiet(base).sort(), ["NoTuning", "PreBayes"]);
  // Every finding on the unedited run obeys the rule.
  for (const w of engine.worse_than_baselines(base, "coin")) for (const s of w.steps) assert.ok(s.q25 > s.baseline_q75 && s.median - s.baseline > Math.max(0.001, 0.01 * Math.abs(s.baseline)), JSON.stringify(w));
  const clean = (r) => engine.worse_than_baselines(r, "coin").filter((w) => w.method === "SimplexPT");
  // Half a nat worse with a narrow band: worse at every key step, with the numbers of both.
  let edited = shifted(base, "SimplexPT", "NoTuning", 0.5, 0.01);
  const [w] = clean(edited);
  assert.equal(w.baseline, "NoTuning");
  assert.equal(w.forced_flips, false);
  assert.deepEqual(w.steps.map((s) => s.step), steps);
  const notuning = edited.methods.find((m) => m.method === "NoTuning").summary.coin.median;
  for (const s of w.steps) {
    assert.ok(Math.abs(s.baseline - notuning[s.step - 1]) < 1e-12);
    assert.ok(Math.abs(s.median - s.baseline - 0.5) < 1e-9);
  }
  // A band that reaches below NoTuning: noise, not counted. A gap under 1 %: not counted. Better: not counted.
  assert.deepEqual(clean(shifted(base, "SimplexPT", "NoTuning", 0.5, 0.6)), []);
  const tiny = Math.min(...steps.map((n) => notuning[n - 1])) * 0.004;
  assert.deepEqual(clean(shifted(base, "SimplexPT", "NoTuning", tiny, 0)), []);
  assert.deepEqual(clean(shifted(base, "SimplexPT", "NoTuning", -0.5, 0.01)), []);
  // Exact Bayes hurt by its best K-flip prompt: PreBayesPT against PreBayes, and HardPT's loss is marked as forced flips.
  edited = shifted(shifted(base, "PreBayesPT", "PreBayes", 0.3, 0), "HardPT", "NoTuning", 0.4, 0.01);
  const found = engine.worse_than_baselines(edited, "coin");
  const pt = found.find((f) => f.method === "PreBayesPT");
  assert.equal(pt.baseline, "PreBayes");
  assert.equal(pt.forced_flips, true);
  assert.equal(found.find((f) => f.method === "HardPT").forced_flips, true);
  // Without PreBayesPT's loss, HardPT's is not explained by forced flips.
  const alone = engine.worse_than_baselines(shifted(base, "HardPT", "NoTuning", 0.4, 0.01), "coin").find((f) => f.method === "HardPT");
  assert.equal(alone.forced_flips, engine.worse_than_baselines(base, "coin").some((f) => f.method === "PreBayesPT" && f.steps.some((s) => alone.steps.some((a) => a.step === s.step))));
  assert.deepEqual(engine.worse_than_baselines(base, "nowhere"), []);
});

test("FigureSet draws each figure at the asked width with its data: cumulative regret as summary.csv, hidden series, clear refusals", () => {
  const results = sharedResults();
  const set = new engine.FigureSet(results);
  const stems = set.names();
  assert.deepEqual(stems, engine.experiment_figures(results).map(([name]) => name.replace(/\.svg$/, "")));
  const csv = csvRows(engine.experiment_summary_csv(results)).filter((r) => r[0] === "coin");
  for (const width of [341, 800]) {
    const { svg, data } = set.figure("regret_cumulative_coin", { width, chrome: false });
    assert.ok(svg.includes(`width="${width}"`) && data.width === width && data.readout === "x");
    assert.equal(data.name, "regret_cumulative_coin");
    for (const [, method, step, median] of csv) {
      const s = data.series.find((x) => x.key === method);
      assert.equal(s.y[Number(step) - 1], Number(median), `${method} at step ${step}`);
    }
    assert.ok(data.table.rows.length > 0 && data.summary.length > 0);
  }
  const hidden = set.figure("regret_cumulative_coin", { width: 400, hidden: ["NoTuning"] }).data;
  const off = hidden.series.find((s) => s.key === "NoTuning");
  assert.ok(off.hidden && off.y.length === 0);
  // The native CLI wrote each figure's data beside its SVG; the same run's numbers in wasm.
  const nativeDir = path.join(ROOT, "target", "wasm-experiment");
  for (const stem of stems) {
    const { data } = set.figure(stem, undefined);
    assert.equal(data.width, 800, stem);
    const native = JSON.parse(fs.readFileSync(path.join(nativeDir, `${stem}.json`), "utf8"));
    assert.equal(native.name, stem);
    if (stem.startsWith("regret_cumulative")) {
      for (const s of native.series) {
        const w = data.series.find((x) => x.key === s.key);
        assert.equal(s.y.length, w.y.length, `${stem} ${s.key}: length`);
        // Native and wasm runs agree to 1e-4 (see the first test); JSON writes NaN as null.
        s.y.forEach((v, i) => {
          const [a, b] = [v ?? NaN, w.y[i]];
          assert.ok((Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(a)), `${stem} ${s.key} step ${i + 1}: native ${a} vs wasm ${b}`);
        });
      }
    }
  }
  // The ranking is a dot plot; the PCA marks are fixed series with their points; no axis title is cut.
  const rank = set.figure("hard_prefix_ranking", { width: 360, chrome: false }).data;
  assert.deepEqual(rank.series.map((s) => [s.key, s.swatch]), [["network", "marker"], ["bayes", "ring"]]);
  const pca = set.figure("pca_states", { width: 360, chrome: false }).data;
  assert.deepEqual(pca.notes, []);
  const marks = pca.series.filter((s) => !s.toggle);
  assert.deepEqual(marks.map((s) => s.swatch), ["marker", "ring", "square"]);
  assert.ok(marks.every((s) => s.x.length > 0 && s.labels.length === s.x.length), "every mark has its points");
  assert.ok(!JSON.stringify(pca).includes("token 0") && JSON.stringify(pca).includes("P(H)"));
  for (const stem of stems) {
    const { svg } = set.figure(stem, { width: 280, height: 200, chrome: false });
    assert.ok(!/>\s*(cumulative|instant|tuning|log|mean|loss|step|prefix|evaluation)[^<]*…\s*</.test(svg), `${stem}: an axis title cut at 280 px`);
  }
  assert.throws(() => set.figure("regret_cumulative_coin", { width: 100 }), (e) => e.field === "width" && /280/.test(e.allowed));
  assert.throws(() => set.figure("regret_cumulative_coin", { width: 400, height: 5000 }), (e) => e.field === "height");
  assert.throws(() => set.figure("nope", {}), (e) => e.field === "figure" && /tuning_loss/.test(e.allowed));
  set.free();
});
