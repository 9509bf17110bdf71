//! The native command-line door into the engine: pretrain, predict, experiment, reach, bench.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use promptlab::config::Config;
use promptlab::error::{Error, Result};
use promptlab::predict::predict;
use promptlab::sources::{parse_tokens, Source};
use promptlab::train::Pretrainer;
use promptlab::checkpoint;

#[derive(Parser)]
#[command(name = "promptlab", version, about = "Pretrain coin-flip predictors and compare them with exact Bayes")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Pretrain a network; writes DIR/model.safetensors, DIR/config.json, DIR/loss.csv.
    Pretrain {
        /// Config JSON file (every field optional; see README). Omit for all defaults.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print, per step, the exact Bayes predictive of SOURCE before each token (JSON lines).
    /// With --figures, print nothing and write the Predict view's two figures instead:
    /// DIR/predictive.svg, DIR/predictive.json, DIR/posterior.svg and DIR/posterior.json.
    Predict {
        /// Source JSON, e.g. '{"kind":"random","alphas":[1,1]}'.
        #[arg(long)]
        source: String,
        /// Tokens as digits 0..V-1, e.g. 0110; `-` reads them from standard input (any length,
        /// whitespace and commas ignored) and prints each step as its token arrives.
        #[arg(long)]
        tokens: String,
        /// A model directory written by `pretrain`: adds the network's predictive.
        #[arg(long)]
        model: Option<PathBuf>,
        /// A hard prompt as digits, read by the network and exact Bayes before the tokens (as the page does).
        #[arg(long, requires = "figures")]
        hard: Option<String>,
        /// Output directory for the figures (SVG and their FigureData JSON).
        #[arg(long)]
        figures: Option<PathBuf>,
        /// Figure width in px (280..=2400; default 800).
        #[arg(long, requires = "figures")]
        width: Option<u32>,
    },
    /// Pretrain, tune every method R times and evaluate against exact Bayes; writes
    /// DIR/results.json, DIR/summary.csv and SVG figures (and the partial results
    /// DIR/run.json, DIR/model/, DIR/jobs/ that --resume and `assemble` read).
    Experiment {
        /// Config JSON file (see README); conflicts with --preset.
        #[arg(long, conflicts_with = "preset")]
        config: Option<PathBuf>,
        /// A named preset, e.g. small-lstm-single (see README for the list).
        #[arg(long)]
        preset: Option<String>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// A model directory written by `pretrain`: tune it instead of pretraining (its
        /// model and pretraining settings replace the config's).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Repetitions run in parallel (default: one per core). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Run only slice I of N (0-based) of the jobs (method × repetition; job i goes to
        /// shard i mod N) and write them as partial results; merge the shards with `assemble`.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        /// Skip the jobs an interrupted run already wrote into DIR (and reuse its network).
        #[arg(long)]
        resume: bool,
    },
    /// Merge the run directories of an experiment's shards into the results.json,
    /// summary.csv and figures one whole run writes.
    Assemble {
        /// Run directories written by `experiment --shard`.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// Draw an experiment's figures again from its results.json at another width: DIR/NAME.svg
    /// and DIR/NAME.json (FigureData) for every figure the results hold.
    Figures {
        /// A results.json written by `experiment` or `assemble`.
        #[arg(long)]
        results: PathBuf,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// Figure width in px (280..=2400).
        #[arg(long, default_value_t = promptlab::charts::WIDTH)]
        width: u32,
        /// Leave out each figure's own title and legend (as the page draws them, beside an HTML legend).
        #[arg(long)]
        no_chrome: bool,
    },
    /// Print, per prefix length k = 0..=K, the best hard prefix for the exact Bayes predictor
    /// of PRETRAIN and the excess regret (nats) it leaves over N steps of TARGET (JSON lines);
    /// exact sums over token counts. With --out, also writes DIR/reach.svg and DIR/reach.json.
    Reach {
        /// Pretraining source JSON, e.g. '{"kind":"random","alphas":[1,1]}'.
        #[arg(long)]
        pretrain: String,
        /// Target source JSON, e.g. '{"kind":"single","probs":[0.2,0.8]}'.
        #[arg(long)]
        target: String,
        /// Longest prefix K.
        #[arg(long)]
        max_prefix: usize,
        /// Target steps N the regret is summed over.
        #[arg(long)]
        steps: usize,
        /// Output directory for reach.svg and reach.json.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Time pretraining steps of CONFIG's network (ms per Adam step and the step's counted work;
    /// JSON line). With --peak, time a large square f32 product through the engine's gemm path
    /// instead (the machine's measured limit; JSON line).
    Bench {
        /// Config JSON file.
        #[arg(long, conflicts_with = "peak")]
        config: Option<PathBuf>,
        /// Timed steps (after a warm-up); with --peak, timed products (after one untimed).
        #[arg(long, default_value_t = 10)]
        steps: usize,
        /// Untimed warm-up steps.
        #[arg(long, default_value_t = 2)]
        warmup: usize,
        /// Measure the peak: the fastest SIZE × SIZE by SIZE × SIZE f32 product.
        #[arg(long)]
        peak: bool,
        /// Side of the --peak product (64..=4096; default 1024).
        #[arg(long, requires = "peak")]
        size: Option<usize>,
    },
}

fn main() -> ExitCode {
    promptlab::native::keep_freed_memory();
    promptlab::native::one_kernel_thread();
    let command = Cli::command().mut_subcommand("experiment", |c| c.after_help(methods_help()));
    let cli = Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit());
    let result = match cli.command {
        Command::Pretrain { config, out } => pretrain(config.as_deref(), &out),
        Command::Predict { source, tokens, model, hard, figures: Some(dir), width } => {
            predict_figures(&source, hard.as_deref().unwrap_or(""), &tokens, model.as_deref(), &dir, width)
        }
        Command::Predict { source, tokens, model, .. } => run_predict(&source, &tokens, model.as_deref()),
        Command::Experiment { config, preset, out, model, threads, shard, resume } => {
            let threads = threads.unwrap_or_else(promptlab::native::cores);
            experiment(config.as_deref(), preset.as_deref(), &out, model.as_deref(), threads, shard.as_deref(), resume)
        }
        Command::Assemble { dirs, out } => assemble(&dirs, &out),
        Command::Figures { results, out, width, no_chrome } => redraw_figures(&results, &out, width, !no_chrome),
        Command::Bench { peak: true, size, steps, .. } => bench_peak(size.unwrap_or(promptlab::kernels::DEFAULT_PEAK_SIZE), steps),
        Command::Bench { config, steps, warmup, .. } => bench(config.as_deref(), steps, warmup),
        Command::Reach { pretrain, target, max_prefix, steps, out } => {
            run_reach(&pretrain, &target, max_prefix, steps, out.as_deref())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The tuners and baselines of an experiment, one line each, for `experiment --help`.
fn methods_help() -> String {
    use promptlab::results::{method_catalog, MethodKind};
    let catalog = method_catalog();
    let width = catalog.iter().map(|m| m.label.len()).max().unwrap_or(0);
    let lines = |kind: MethodKind, oracle: bool| -> Vec<String> {
        let rows = catalog.iter().filter(|m| m.kind == kind && m.oracle == oracle);
        rows.map(|m| format!("  {:<width$}  {}", m.label, m.description)).collect()
    };
    format!(
        "Tuners (tuning.methods; null = all that apply):\n{}\n\nBaselines reported beside them:\n{}\n\nRegret is measured against:\n{}",
        lines(MethodKind::Tuner, false).join("\n"),
        lines(MethodKind::Baseline, false).join("\n"),
        lines(MethodKind::Baseline, true).join("\n")
    )
}

fn read_text(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| Error::other(format!("cannot read config {}: {e}", p.display())))
}

fn read_config(path: Option<&Path>) -> Result<Config> {
    match path {
        None => Ok(Config::default()),
        Some(p) => Config::from_json(&read_text(p)?),
    }
}

fn pretrain(config: Option<&Path>, out: &Path) -> Result<()> {
    let config = read_config(config)?;
    let mut trainer = Pretrainer::new(&config)?;
    let total = trainer.remaining();
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("pretraining {bar:30} {pos}/{len} steps  loss {msg}  {per_sec}  eta {eta}")
            .map_err(|e| Error::other(e.to_string()))?,
    );
    let start = Instant::now();
    trainer.run(total, |_, loss| {
        bar.set_message(format!("{loss:.3}"));
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    checkpoint::save(out, &config, &trainer.predictor)?;
    let mut csv = String::from("step,loss,grad_norm\n");
    for (i, (l, g)) in trainer.losses.iter().zip(&trainer.grad_norms).enumerate() {
        csv.push_str(&format!("{},{l},{g}\n", i + 1));
    }
    std::fs::write(out.join("loss.csv"), csv)?;
    let last = trainer.losses.last().map_or("-".to_string(), |l| format!("{l:.4}"));
    eprintln!(
        "pretrained {} steps in {:.1} s (final loss {last} nats/sequence); wrote {}",
        total,
        start.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

fn run_predict(source: &str, tokens: &str, model: Option<&Path>) -> Result<()> {
    let source = Source::from_json("source", source)?;
    let loaded = match model {
        Some(dir) => Some(load_model_dir(dir)?.1),
        None => None,
    };
    if tokens == "-" {
        return predict_stdin(&source, loaded.as_ref());
    }
    let tokens = parse_tokens(tokens, source.vocab_size())?;
    let steps = predict(&source, &tokens, loaded.as_ref())?;
    let mut out = std::io::stdout().lock();
    for s in steps {
        let line = serde_json::to_string(&s)?;
        if writeln!(out, "{line}").is_err() {
            break; // The reader went away (e.g. `| head`); stop quietly.
        }
    }
    Ok(())
}

/// Writes the Predict view's figures of SOURCE after the hard prompt and the tokens into `dir`.
fn predict_figures(source: &str, hard: &str, tokens: &str, model: Option<&Path>, dir: &Path, width: Option<u32>) -> Result<()> {
    use promptlab::charts::{predict_figures, FigureOptions};
    let source = Source::from_json("source", source)?;
    let hard = promptlab::predict::parse_hard(hard, source.vocab_size())?;
    let tokens = parse_tokens(tokens, source.vocab_size())?;
    let opts = FigureOptions { width: width.unwrap_or(promptlab::charts::WIDTH), ..FigureOptions::default() };
    opts.validate()?;
    let loaded = model.map(load_model_dir).transpose()?;
    let view = promptlab::predict::PredictView::compute(&source, &hard, &tokens, loaded.as_ref().map(|(_, p)| p))?;
    let figures = predict_figures(&view, &opts)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::other(format!("cannot create {}: {e}", dir.display())))?;
    for (stem, figure) in figures {
        std::fs::write(dir.join(format!("{stem}.svg")), figure.svg)?;
        std::fs::write(dir.join(format!("{stem}.json")), serde_json::to_string_pretty(&figure.data)?)?;
    }
    eprintln!("wrote predictive.svg, predictive.json, posterior.svg and posterior.json to {}", dir.display());
    Ok(())
}

/// `figures`: every figure of the results in `results_path`, drawn `width` px wide (with or without chrome), into `dir`.
fn redraw_figures(results_path: &Path, dir: &Path, width: u32, chrome: bool) -> Result<()> {
    let text = std::fs::read_to_string(results_path).map_err(|e| Error::other(format!("cannot read {}: {e}", results_path.display())))?;
    let results: promptlab::results::Results =
        serde_json::from_str(&text).map_err(|e| Error::other(format!("{} is not an experiment's results.json: {e}", results_path.display())))?;
    let opts = promptlab::charts::FigureOptions { width, chrome, ..promptlab::charts::FigureOptions::default() };
    opts.validate()?;
    std::fs::create_dir_all(dir).map_err(|e| Error::other(format!("cannot create {}: {e}", dir.display())))?;
    let figures = promptlab::charts::all_figure_data(&results, &opts)?;
    for (stem, figure) in &figures {
        std::fs::write(dir.join(format!("{stem}.svg")), &figure.svg)?;
        std::fs::write(dir.join(format!("{stem}.json")), serde_json::to_string_pretty(&figure.data)?)?;
    }
    eprintln!("wrote {} figures, {width} px wide, to {}", figures.len(), dir.display());
    Ok(())
}

/// `predict --tokens -`: JSON lines written (and flushed) piece by piece as the tokens arrive.
fn predict_stdin(source: &Source, model: Option<&promptlab::model::Predictor>) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut emit = |steps: &[promptlab::predict::PredictStep]| -> Result<bool> {
        for s in steps {
            if writeln!(out, "{}", serde_json::to_string(s)?).is_err() {
                return Ok(false); // The reader went away (e.g. `| head`); stop quietly.
            }
        }
        Ok(out.flush().is_ok())
    };
    promptlab::predict::predict_stream(source, std::io::stdin().lock(), model, &mut emit)?;
    Ok(())
}

fn run_reach(pretrain: &str, target: &str, max_prefix: usize, steps: usize, out: Option<&Path>) -> Result<()> {
    let pretrain = Source::from_json("pretrain", pretrain)?;
    let target = Source::from_json("target", target)?;
    let reach = promptlab::theory::reach(&pretrain, &target, max_prefix, steps)?;
    if let Some(dir) = out {
        std::fs::create_dir_all(dir).map_err(|e| Error::other(format!("cannot create {}: {e}", dir.display())))?;
        std::fs::write(dir.join("reach.json"), serde_json::to_string(&reach)?)?;
        let figure = promptlab::charts::reach_figure(&reach, &promptlab::charts::FigureOptions::default())?;
        std::fs::write(dir.join("reach.svg"), figure.svg)?;
        // reach.json holds the Reach itself; the figure's data goes beside it.
        std::fs::write(dir.join("reach_figure.json"), serde_json::to_string_pretty(&figure.data)?)?;
    }
    let mut stdout = std::io::stdout().lock();
    for row in &reach.rows {
        if writeln!(stdout, "{}", serde_json::to_string(row)?).is_err() {
            break; // The reader went away (e.g. `| head`); stop quietly.
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn experiment(
    config: Option<&Path>,
    preset: Option<&str>,
    out: &Path,
    model: Option<&Path>,
    threads: usize,
    shard: Option<&str>,
    resume: bool,
) -> Result<()> {
    use promptlab::experiment::Shard;
    let shard = shard.map(Shard::parse).transpose()?.unwrap_or(Shard::WHOLE);
    let loaded = model.map(load_model_dir).transpose()?;
    let config = match (preset, config, &loaded) {
        (Some(name), _, None) => promptlab::experiment::preset(name)?,
        (Some(name), _, Some((m, _))) => promptlab::experiment::preset(name)?.with_model_of(m)?,
        // With --model, the config is judged against the saved net (e.g. LoRAWT needs its Transformer).
        (None, Some(p), Some((m, _))) => Config::from_json_with_model(&read_text(p)?, m)?,
        (None, path, _) => read_config(path)?,
    };
    let pretrained = loaded.map(|(_, predictor)| predictor);
    let start = Instant::now();
    let bars = ExperimentBars::new();
    let run = promptlab::experiment::run_shard(&config, pretrained, shard, threads, resume, out, &|p| bars.update(p))?;
    bars.finish();
    if run.skipped > 0 {
        eprintln!("resumed: {} of {} jobs were already done", run.skipped, run.jobs);
    }
    if shard != Shard::WHOLE {
        eprintln!(
            "shard {shard}: {} jobs in {:.1} s; wrote {}. When every shard is done: promptlab assemble DIR... --out DIR",
            run.jobs,
            start.elapsed().as_secs_f64(),
            out.display()
        );
        return Ok(());
    }
    let mut results = promptlab::experiment::assemble_dirs(&[out.to_path_buf()])?;
    results.timings.total = start.elapsed().as_secs_f64();
    promptlab::experiment::write_results(out, &results)?;
    eprintln!("{}", final_table(&results));
    eprintln!("finished in {:.1} s; wrote {}", results.timings.total, out.display());
    Ok(())
}

fn assemble(dirs: &[PathBuf], out: &Path) -> Result<()> {
    let results = promptlab::experiment::assemble_dirs(dirs)?;
    promptlab::experiment::write_results(out, &results)?;
    eprintln!("{}", final_table(&results));
    eprintln!("assembled {} run directories; wrote {}", dirs.len(), out.display());
    Ok(())
}

/// Median cumulative regret at N_tune, N_train and N_eval per method, as a small table.
fn final_table(results: &promptlab::results::Results) -> String {
    let k = results.key_steps;
    let mut lines = Vec::new();
    for source in &results.eval_sources {
        lines.push(format!("cumulative regret against the oracle (nats, median over repetitions) on {source}; TargetBayes is the floor without knowing the coin:"));
        lines.push(format!("  {:<14}{:>12}{:>12}{:>12}", "method", format!("N={}", k.tune), format!("N={}", k.train), format!("N={}", k.eval)));
        for m in results.methods.iter().filter(|m| m.method != promptlab::experiment::Baseline::GroundTruth.label()) {
            let Some(s) = m.summary.get(source) else { continue };
            let at = |n: usize| s.median.get(n.saturating_sub(1)).map_or("-".to_string(), |v| format!("{v:.3}"));
            let diverged = m.repetitions.iter().filter(|r| r.diverged.is_some()).count();
            let note = if diverged > 0 { format!("  ({diverged} diverged)") } else { String::new() };
            lines.push(format!("  {:<14}{:>12}{:>12}{:>12}{note}", m.method, at(k.tune), at(k.train), at(k.eval)));
        }
    }
    lines.join("\n")
}

/// Terminal progress: one bar for pretraining, one per running method × repetition.
struct ExperimentBars {
    multi: indicatif::MultiProgress,
    bars: std::sync::Mutex<std::collections::HashMap<String, ProgressBar>>,
}

impl ExperimentBars {
    fn new() -> Self {
        ExperimentBars { multi: indicatif::MultiProgress::new(), bars: Default::default() }
    }

    /// The bar called `label`, created on first use.
    fn with_bar(&self, label: &str, total: usize, f: impl FnOnce(&ProgressBar)) {
        let Ok(mut bars) = self.bars.lock() else { return };
        let bar = bars.entry(label.to_string()).or_insert_with(|| {
            let bar = self.multi.add(ProgressBar::new(total as u64));
            if let Ok(style) = ProgressStyle::with_template("{prefix:<22} {bar:30} {pos}/{len}  loss {msg}  {per_sec}  eta {eta}") {
                bar.set_style(style);
            }
            bar.set_prefix(label.to_string());
            bar
        });
        f(bar);
    }

    fn update(&self, p: &promptlab::experiment::Progress) {
        use promptlab::experiment::Progress;
        match p {
            Progress::Pretraining { step, total, loss } => self.with_bar("pretraining", *total, |b| {
                b.set_position(*step as u64);
                b.set_message(format!("{loss:.3}"));
            }),
            Progress::Tuning { method, repetition, step, total, loss } => {
                self.with_bar(&format!("{} rep {}", method.label(), repetition + 1), *total, |b| {
                    b.set_position(*step as u64);
                    b.set_message(format!("{loss:.3}"));
                })
            }
            Progress::Evaluating { method, repetition } => {
                self.with_bar(&format!("{} rep {}", method.label(), repetition + 1), 1, |b| b.set_message("evaluating"))
            }
            Progress::Baselines => self.with_bar("baselines", 1, |b| b.set_message("evaluating")),
        }
    }

    fn finish(&self) {
        if let Ok(bars) = self.bars.lock() {
            bars.values().for_each(ProgressBar::finish_and_clear);
        }
    }
}

/// A model directory given with --model.
fn load_model_dir(dir: &Path) -> Result<(Config, promptlab::model::Predictor)> {
    if !dir.is_dir() {
        return Err(Error::other(format!("--model: no model directory at {}", dir.display())));
    }
    checkpoint::load(dir)
}

fn bench(config: Option<&Path>, steps: usize, warmup: usize) -> Result<()> {
    let mut config = read_config(config)?;
    config.pretraining.steps = (steps + warmup).max(1);
    let work = promptlab::train::step_work(&config)?;
    let mut trainer = Pretrainer::new(&config)?;
    for _ in 0..warmup {
        trainer.step()?;
    }
    let mut times = Vec::with_capacity(steps);
    for _ in 0..steps {
        let t = Instant::now();
        trainer.step()?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let median = if times.is_empty() { f64::NAN } else { times[times.len() / 2] };
    println!(
        "{}",
        serde_json::json!({"ms_per_step_median": median, "ms_per_step_min": times.first(), "steps": steps,
            "architecture": config.model.architecture, "batch_size": config.pretraining.batch_size,
            "sequence_length": config.pretraining.sequence_length, "work": work, "simd": promptlab::kernels::simd().name()})
    );
    Ok(())
}

/// `bench --peak`: the fastest of `reps` square products of side `size`, as one JSON line.
fn bench_peak(size: usize, reps: usize) -> Result<()> {
    let clock = Instant::now();
    let peak = promptlab::kernels::measure_peak(size, reps, || clock.elapsed().as_secs_f64() * 1e3)?;
    println!("{}", serde_json::to_string(&peak)?);
    Ok(())
}
