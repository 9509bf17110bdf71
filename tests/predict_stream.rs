//! Predictions on tokens that arrive in pieces: `predict --tokens -` over standard input, the engine's streaming predictors, and their limits.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use candle_core::DType;
use common::{coin, promptlab, two_coins, uniform};
use promptlab::config::{Architecture, ModelConfig};
use promptlab::model::Predictor;
use promptlab::predict::{network_rows, predict, predict_stream, stream_limit, LstmCarry, PredictStep};
use promptlab::sources::Source;
use rand::Rng;

/// A reader that hands out its bytes a few at a time (1 to 7), cutting characters and lines anywhere.
struct Trickle {
    data: Vec<u8>,
    at: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (1 + self.at % 7).min(buf.len()).min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn digits(n: usize, v: u32, seed: u64) -> Vec<u32> {
    let mut rng = promptlab::seed::stream(seed, "stream-test");
    (0..n).map(|_| rng.random_range(0..v)).collect()
}

/// `tokens` written with spaces, commas, line breaks and an em space (3 bytes in UTF-8) between them.
fn written(tokens: &[u32]) -> Vec<u8> {
    let seps = [" ", ",", "\n", "\u{2003}", "", ""];
    tokens.iter().enumerate().map(|(i, t)| format!("{t}{}", seps[i % seps.len()])).collect::<String>().into_bytes()
}

fn streamed(source: &Source, text: Vec<u8>, model: Option<&Predictor>) -> promptlab::error::Result<Vec<PredictStep>> {
    let mut all = Vec::new();
    predict_stream(source, Trickle { data: text, at: 0 }, model, &mut |steps| {
        all.extend_from_slice(steps);
        Ok(true)
    })?;
    Ok(all)
}

fn net(architecture: Architecture, hidden: &[usize], vocab: usize) -> Predictor {
    let config = ModelConfig { architecture, embedding_dim: 8, hidden_sizes: hidden.to_vec(), num_heads: 2, ..ModelConfig::default() };
    Predictor::new(&config, vocab, 7, DType::F32).unwrap()
}

#[test]
fn streamed_bayes_equals_predict_on_the_whole_sequence() {
    let three = Source::Random { alphas: vec![0.5, 1.0, 2.0] };
    for (source, v) in [(uniform(), 2), (coin(0.3), 2), (two_coins(), 2), (three, 3)] {
        let tokens = digits(700, v, v as u64);
        let whole = predict(&source, &tokens, None).unwrap();
        assert_eq!(streamed(&source, written(&tokens), None).unwrap(), whole, "{source:?}");
    }
}

#[test]
fn an_lstms_carried_state_gives_the_engines_forward_pass() {
    for (hidden, v) in [(vec![8], 2), (vec![6, 5], 3)] {
        let p = net(Architecture::Lstm, &hidden, v);
        let tokens = digits(600, v as u32, 11);
        let rows = network_rows(&p, &tokens, None).unwrap();
        let mut carry = LstmCarry::new(&p).unwrap();
        let mut got = vec![carry.start()];
        got.extend(tokens.iter().map(|&t| carry.step(t)));
        assert_eq!(got.len(), rows.len());
        let worst = got.iter().flatten().zip(rows.iter().flatten()).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        assert!(worst < 1e-5, "hidden {hidden:?}: carried state is {worst} from the forward pass");
        // The stream hands out the same rows beside the exact Bayes ones.
        let source = Source::Random { alphas: vec![1.0; v] };
        let steps = streamed(&source, written(&tokens), Some(&p)).unwrap();
        assert_eq!(steps.len(), tokens.len());
        assert!(steps.iter().zip(&got).all(|(s, row)| s.model_probs.as_ref() == Some(row)));
    }
}

#[test]
fn a_transformer_streams_up_to_its_attention_limit_and_refuses_beyond_naming_it() {
    let p = net(Architecture::Transformer, &[8], 2);
    let limit = stream_limit(&p);
    assert!(limit > 1000 && limit < 10_000, "limit {limit}");
    let tokens = digits(limit, 2, 3);
    let steps = streamed(&uniform(), written(&tokens), Some(&p)).unwrap();
    assert_eq!(steps, predict(&uniform(), &tokens, Some(&p)).unwrap());
    let over = digits(limit + 1, 2, 3);
    let err = streamed(&uniform(), written(&over), Some(&p)).unwrap_err().to_string();
    assert!(err.contains(&format!("at most {limit} tokens")), "{err}");
}

#[test]
fn bad_stdin_is_refused_in_one_line_naming_the_token() {
    let run = |input: &[u8]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_promptlab"))
            .args(["predict", "--source", r#"{"kind":"random","alphas":[1,1]}"#, "--tokens", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let err = run(b"0 1\n1 2 0");
    assert!(err.contains("tokens[3] = '2'") && err.contains("a digit in 0..=1"), "{err}");
    let err = run(b"01\xff1");
    assert!(err.contains("tokens[2]") && err.contains("not UTF-8"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // An empty input has no steps.
    let out = promptlab(&["predict", "--source", r#"{"kind":"random","alphas":[1,1]}"#, "--tokens", ""]);
    assert!(out.status.success() && out.stdout.is_empty());
}

/// Waits for `child` and returns whether it succeeded and its own peak resident memory, in bytes
/// (wait4's usage of that one process: other tests' children, which run in this process too, do not count).
fn wait_with_peak_rss(child: std::process::Child) -> (bool, f64) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    (libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, usage.ru_maxrss as f64 * 1024.0)
}

#[test]
fn a_million_tokens_through_stdin_stream_in_flat_memory_to_the_closed_form() {
    const N: usize = 1_000_000;
    let mut child = Command::new(env!("CARGO_BIN_EXE_promptlab"))
        .args(["predict", "--source", r#"{"kind":"random","alphas":[1,1]}"#, "--tokens", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // Lines come as the tokens arrive, before the input ends.
    stdin.write_all(b"0 1 1\n").unwrap();
    stdin.flush().unwrap();
    let first: Vec<serde_json::Value> = (0..3).map(|_| serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap()).collect();
    assert_eq!(first[2]["probs"][0].as_f64(), Some(0.5));
    let tokens = digits(N - 3, 2, 5);
    // Laplace's rule at step N: P(0 | the first N − 1 tokens, `zeros` of them 0) = (1 + zeros) / (2 + N − 1).
    let zeros = 1 + tokens[..N - 4].iter().filter(|&&t| t == 0).count();
    let writer = std::thread::spawn(move || {
        for piece in tokens.chunks(10_000) {
            let text: String = piece.iter().map(|t| char::from_digit(*t, 10).unwrap()).collect();
            stdin.write_all(text.as_bytes()).unwrap();
            stdin.write_all(b"\n").unwrap();
        }
    });
    let (mut n, mut last) = (3, String::new());
    for line in lines {
        last = line.unwrap();
        n += 1;
    }
    writer.join().unwrap();
    let (ok, peak) = wait_with_peak_rss(child);
    assert!(ok, "promptlab predict --tokens - failed");
    assert_eq!(n, N, "one line per token");
    let step: PredictStep = serde_json::from_str(&last).unwrap();
    assert_eq!(step.step, N);
    let expected = (1 + zeros) as f64 / (N + 1) as f64;
    assert!((step.probs[0] - expected).abs() < 1e-9, "{} vs {expected}", step.probs[0]);
    assert!(peak < 40e6, "peak resident memory {:.1} MB for {N} tokens", peak / 1e6);
}
