//! A network's predictive after each prefix of some tokens, behind an optional prompt, within the forward-pass memory caps.

use candle_core::DType;

use super::PromptSpec;
use crate::config::{in_range, max_positions, MAX_SEQUENCE_LENGTH};
use crate::error::{Error, Result};
use crate::model::{one_hot, Predictor, Prefix};

/// `predictor`'s predictive after each prefix of `tokens`, behind the prompt written in
/// `prompt_json` (see [`PromptSpec::parse`]): N + 1 rows of V probabilities, row k =
/// P(next = v | prompt, first k tokens).
pub fn network_rows(predictor: &Predictor, tokens: &[u32], prompt_json: Option<&str>) -> Result<Vec<Vec<f64>>> {
    let v = predictor.vocab;
    in_range("tokens", tokens.len(), 0, MAX_SEQUENCE_LENGTH)?;
    let prefix = match PromptSpec::parse(prompt_json)? {
        None => Prefix::None,
        Some(spec) => spec.to_prefix(predictor)?,
    };
    // Inputs: BOS, the prefix, the tokens and the placeholder below.
    let cap = max_positions(&predictor.config);
    if tokens.len() + prefix.len() + 2 > cap {
        return Err(Error::invalid(
            "tokens",
            format!("{} tokens", tokens.len()),
            format!(
                "at most {} tokens for this Transformer (its attention memory grows with the square of the length)",
                cap.saturating_sub(prefix.len() + 2)
            ),
        ));
    }
    // The net drops its last output, so one placeholder token buys the prediction after the real ones
    // (causal: the placeholder never influences it).
    let mut inputs = tokens.to_vec();
    inputs.push(0);
    let x = one_hot(&inputs, 1, inputs.len(), v, predictor.params.dtype())?;
    let lp = predictor.forward(&x, &prefix, false)?.log_probs.to_dtype(DType::F64)?.flatten_all()?.to_vec1::<f64>()?;
    Ok(lp.chunks(v).map(|row| row.iter().map(|l| l.exp()).collect()).collect())
}
