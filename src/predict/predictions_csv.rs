//! Flips and every prediction made along them as CSV: one row before each flip and one after the last.

use std::fmt::Write;

use crate::error::{Error, Result};

/// The CSV header, one column per line of [`predictions_csv`].
pub const PREDICTIONS_HEADER: &str = "flips_seen,flip,bayes_p_heads,network_p_heads,network_minus_bayes";

/// `tokens` (0 = H, 1 = T) and the predictions made after each prefix of them as CSV: a header, then
/// row k for k = 0..=N holds k, the flip just read (H/T, empty in row 0), exact Bayes's P(next = H)
/// `bayes_p_heads[k]`, the network's `network_p_heads[k]` and their difference (both empty when there
/// is no network). Numbers are written in full (shortest text that reads back as the same f64).
pub fn predictions_csv(tokens: &[u32], bayes_p_heads: &[f64], network_p_heads: Option<&[f64]>) -> Result<String> {
    let rows = tokens.len() + 1;
    let check = |name: &str, len: usize| {
        if len == rows {
            Ok(())
        } else {
            Err(Error::invalid(name, format!("{len} predictions"), format!("{rows} predictions: one before each of the {} flips and one after the last", tokens.len())))
        }
    };
    check("bayes_p_heads", bayes_p_heads.len())?;
    if let Some(net) = network_p_heads {
        check("network_p_heads", net.len())?;
    }
    if let Some(i) = tokens.iter().position(|&t| t > 1) {
        return Err(Error::invalid(format!("tokens[{i}]"), tokens[i], "0 (H) or 1 (T)"));
    }
    let mut out = String::with_capacity(40 * rows);
    out.push_str(PREDICTIONS_HEADER);
    out.push('\n');
    for k in 0..rows {
        let flip = if k == 0 { "" } else if tokens[k - 1] == 0 { "H" } else { "T" };
        let bayes = bayes_p_heads[k];
        // Writing to a String cannot fail.
        let _ = match network_p_heads {
            Some(net) => writeln!(out, "{k},{flip},{bayes},{},{}", net[k], net[k] - bayes),
            None => writeln!(out, "{k},{flip},{bayes},,"),
        };
    }
    Ok(out)
}
