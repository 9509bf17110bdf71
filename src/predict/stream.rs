//! Predictions on tokens that arrive in pieces (e.g. standard input): exact Bayes by running counts, an LSTM by its carried state, memory flat in the length.

use std::io::Read;

use super::{predict, LstmCarry, PredictStep};
use crate::bayes::Posterior;
use crate::config::{max_positions, Architecture, MAX_SEQUENCE_LENGTH};
use crate::error::{Error, Result};
use crate::model::Predictor;
use crate::sources::{push_tokens, Source};

/// Bytes read from the input at a time.
pub const CHUNK_BYTES: usize = 1 << 16;

/// Token digits read from a byte stream piece by piece, in [`crate::sources::parse_tokens`]'s syntax.
pub struct TokenChunks<R> {
    input: R,
    vocab: usize,
    /// Tokens parsed so far (the index of the next one, for error messages).
    seen: usize,
    /// Bytes read but not yet parsed: at most the start of one UTF-8 character.
    pending: Vec<u8>,
    buffer: Vec<u8>,
}

impl<R: Read> TokenChunks<R> {
    /// Tokens `0..vocab-1` read from `input`.
    pub fn new(input: R, vocab: usize) -> Self {
        TokenChunks { input, vocab, seen: 0, pending: Vec::new(), buffer: vec![0; CHUNK_BYTES] }
    }

    /// The tokens of the next piece of input (possibly none, e.g. a line of spaces), or
    /// None at its end. Returns as soon as some input arrives, so typed tokens get answers.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<u32>>> {
        let n = loop {
            match self.input.read(&mut self.buffer) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::other(format!("tokens: cannot read the input: {e}"))),
            }
        };
        if n == 0 {
            if !self.pending.is_empty() {
                return Err(self.not_text());
            }
            return Ok(None);
        }
        self.pending.extend_from_slice(&self.buffer[..n]);
        // A character cut at the end of this piece waits for the next one; bytes that are no
        // character at all are refused once the tokens before them are parsed.
        let (valid, broken) = match std::str::from_utf8(&self.pending) {
            Ok(text) => (text.len(), false),
            Err(e) => (e.valid_up_to(), e.error_len().is_some()),
        };
        let text = std::str::from_utf8(&self.pending[..valid]).map_err(|_| self.not_text())?;
        let mut tokens = Vec::with_capacity(valid);
        self.seen += push_tokens(text, self.vocab, self.seen, &mut tokens)?;
        if broken {
            return Err(self.not_text());
        }
        self.pending.drain(..valid);
        Ok(Some(tokens))
    }

    fn not_text(&self) -> Error {
        Error::invalid(format!("tokens[{}]", self.seen), "bytes that are not UTF-8 text", format!("digits in 0..={}", self.vocab - 1))
    }
}

/// The exact Bayes predictive of a source, kept by running counts (constant memory).
pub struct BayesStream {
    posterior: Posterior,
    log_p: Vec<f64>,
}

impl BayesStream {
    /// The prior predictive of `source`.
    pub fn new(source: &Source) -> Result<Self> {
        source.validate("source")?;
        Ok(BayesStream { posterior: Posterior::new(source)?, log_p: vec![0.0; source.vocab_size()] })
    }

    /// P(next = v | the tokens seen), v in 0..V-1.
    pub fn probs(&mut self) -> Vec<f64> {
        self.posterior.log_predictive(&mut self.log_p);
        self.log_p.iter().map(|l| l.exp()).collect()
    }

    /// Conditions on one more token.
    pub fn observe(&mut self, token: u32) -> Result<()> {
        self.posterior.observe(token)
    }
}

/// Most tokens a network without carried state (a Transformer, a Linear torso) takes from a
/// stream: the whole sequence goes through one forward pass, within the engine's caps.
pub fn stream_limit(predictor: &Predictor) -> usize {
    let attention = match predictor.config.architecture {
        // BOS and the placeholder of `network_rows` take two positions.
        Architecture::Transformer => max_positions(&predictor.config).saturating_sub(2),
        _ => usize::MAX,
    };
    attention.min(MAX_SEQUENCE_LENGTH)
}

/// [`predict`] on tokens read from `input` piece by piece: hands `emit` the steps of each piece
/// as soon as they are known and stops early when it returns false. Returns the number of tokens.
///
/// Without a model, or with an LSTM (its state carried from token to token), memory stays flat
/// however long the input. A Transformer attends to every earlier token at once, so its tokens
/// are gathered and run in one pass: more than [`stream_limit`] of them are refused, naming the limit.
pub fn predict_stream(
    source: &Source,
    input: impl Read,
    model: Option<&Predictor>,
    emit: &mut dyn FnMut(&[PredictStep]) -> Result<bool>,
) -> Result<usize> {
    let v = source.vocab_size();
    let mut bayes = BayesStream::new(source)?;
    if let Some(p) = model.filter(|p| p.vocab != v) {
        return Err(Error::invalid("model", format!("V = {}", p.vocab), format!("the source's vocabulary size {v}")));
    }
    let mut chunks = TokenChunks::new(input, v);
    let mut carry = match model {
        Some(p) if p.config.architecture == Architecture::Lstm => Some(LstmCarry::new(p)?),
        Some(p) => return whole(source, &mut chunks, p, emit),
        None => None,
    };
    let mut next_model = carry.as_mut().map(LstmCarry::start);
    let mut n = 0;
    while let Some(tokens) = chunks.next_chunk()? {
        let mut steps = Vec::with_capacity(tokens.len());
        for &t in &tokens {
            n += 1;
            steps.push(PredictStep { step: n, probs: bayes.probs(), model_probs: next_model.take() });
            bayes.observe(t)?;
            next_model = carry.as_mut().map(|c| c.step(t));
        }
        if !steps.is_empty() && !emit(&steps)? {
            break;
        }
    }
    Ok(n)
}

/// A network without carried state: gathers at most [`stream_limit`] tokens, then one pass.
fn whole<R: Read>(source: &Source, chunks: &mut TokenChunks<R>, p: &Predictor, emit: &mut dyn FnMut(&[PredictStep]) -> Result<bool>) -> Result<usize> {
    let limit = stream_limit(p);
    let mut tokens = Vec::new();
    while let Some(piece) = chunks.next_chunk()? {
        tokens.extend(piece);
        if tokens.len() > limit {
            let why = match p.config.architecture {
                Architecture::Transformer => "this Transformer attends to all earlier tokens in one pass, and its attention memory grows with the square of the length",
                _ => "this network reads the whole sequence in one pass",
            };
            return Err(Error::invalid(
                "tokens",
                format!("more than {limit} tokens"),
                format!("at most {limit} tokens with --model ({why}; without --model, or with an LSTM model, any length streams)"),
            ));
        }
    }
    let steps = predict(source, &tokens, Some(p))?;
    emit(&steps)?;
    Ok(tokens.len())
}
