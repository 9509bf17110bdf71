//! Internal-state trajectories projected by a PCA fitted on pretraining-source trajectories (SPEC §5).

use candle_core::{DType, Tensor};

use super::Prepared;
use crate::config::Architecture;
use crate::error::{Error, Result};
use crate::eval::Pca;
use crate::model::{one_hot, Predictor, Prefix};
use crate::results::{StateProjection, Trajectory};
use crate::config::Method;
use crate::results::Repetition;

/// Prefixed trajectories drawn per prefix method (the first sequences of the set).
const PREFIXED_PER_METHOD: usize = 4;

/// Records the state named by the architecture (LSTM: last layer's hidden
/// state; Transformer: last layer's attention output) on pretraining-source
/// sequences, fits the PCA on them, and projects the prefixed trajectories too.
pub fn project_states(prep: &Prepared, prefixed: &[(String, Prefix)]) -> Result<StateProjection> {
    let model = &prep.config.model;
    let last = model.hidden_sizes.len() - 1;
    let state = match model.architecture {
        Architecture::Lstm => format!("layer{last}_hidden"),
        Architecture::Transformer => format!("layer{last}_attention_out"),
        Architecture::Linear => return Err(Error::invalid("evaluation.record_states", true, "false for the Linear torso (it has no internal states)")),
    };
    let p = &prep.config.pretraining;
    let m = prep.config.evaluation.state_sequences;
    let batch = p.source.sample(&mut crate::seed::stream(prep.config.seed, "states"), m, p.sequence_length)?;
    let x = one_hot(&batch.tokens, m, batch.length, batch.vocab, prep.predictor.params.dtype())?;
    let bias = |b: usize| batch.truth_at(b, 0)[0];

    let source_paths = record(&prep.predictor, &x, &Prefix::None, &state)?;
    let all: Vec<Vec<f64>> = source_paths.iter().flatten().cloned().collect();
    let pca = Pca::fit(&all)?;
    let project = |path: &[Vec<f64>]| path.iter().map(|s| pca.project(s)).collect::<Vec<_>>();
    let source_trajectories = source_paths
        .iter()
        .enumerate()
        .map(|(b, path)| Trajectory { method: "NoTuning".to_string(), bias: bias(b), prefix_len: 0, points: project(path) })
        .collect();

    let few = PREFIXED_PER_METHOD.min(m);
    let x_few = x.narrow(0, 0, few)?;
    let mut prefix_trajectories = Vec::new();
    for (label, prefix) in prefixed {
        let k = prefix.len();
        for (b, path) in record(&prep.predictor, &x_few, prefix, &state)?.iter().enumerate() {
            prefix_trajectories.push(Trajectory { method: label.clone(), bias: bias(b), prefix_len: k, points: project(path) });
        }
    }
    Ok(StateProjection { state, explained_variance: pca.explained, source_trajectories, prefix_trajectories })
}

/// Per sequence, the state vectors at every position: the K prefix positions
/// (starting with the BOS slot) followed by one per real token.
fn record(predictor: &Predictor, x: &Tensor, prefix: &Prefix, state: &str) -> Result<Vec<Vec<Vec<f64>>>> {
    let fwd = predictor.forward(x, prefix, true)?;
    let missing = || Error::other(format!("state {state} was not recorded"));
    let real = fwd.states.as_ref().and_then(|s| s.get(state)).ok_or_else(missing)?;
    let full = match fwd.prefix_states.as_ref().and_then(|s| s.get(state)) {
        Some(pre) => Tensor::cat(&[pre, real], 1)?,
        None => real.clone(),
    };
    Ok(full.to_dtype(DType::F64)?.to_vec3::<f64>()?)
}

/// The prefix a finished prefix-tuning repetition feeds the pretrained net,
/// rebuilt from its recorded rows (a simplex prefix's softmax rows are fed as
/// real rows: the network input is the same). None for weight tuners.
pub(super) fn prefix_of(method: Method, rep: &Repetition, prep: &Prepared) -> Result<Option<Prefix>> {
    let Some(rows) = rep.prefix.as_ref().filter(|_| method.is_prefix()) else { return Ok(None) };
    if method == Method::HardPt {
        let tokens = rows.iter().map(|r| (0..r.len()).max_by(|&a, &b| r[a].total_cmp(&r[b])).unwrap_or(0) as u32).collect();
        return Ok(Some(Prefix::Hard(tokens)));
    }
    let (k, d) = (rows.len(), rows.first().map_or(0, Vec::len));
    let t = Tensor::from_vec(rows.concat(), (k, d), &candle_core::Device::Cpu)?.to_dtype(prep.predictor.params.dtype())?;
    Ok(Some(if method == Method::SoftPt { Prefix::Soft(t) } else { Prefix::Real(t) }))
}
