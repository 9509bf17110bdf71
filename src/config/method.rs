//! The tuners of SPEC §4 by their plot labels, what each does in plain words, and how prefixes start.

use serde::{Deserialize, Serialize};

use super::{Architecture, ModelConfig};
use crate::error::{Error, Result};

/// A tuning method; serialised as its label (`"SoftPT"`, `"Un+EmbedWT"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Method {
    /// Exhaustive search over all V^K hard prefixes.
    #[serde(rename = "HardPT")]
    HardPt,
    /// K real vectors through a softmax, prepended as inputs.
    #[serde(rename = "SimplexPT")]
    SimplexPt,
    /// K unconstrained real input vectors.
    #[serde(rename = "RealPT")]
    RealPt,
    /// K vectors in embedding space (soft prompting).
    #[serde(rename = "SoftPT")]
    SoftPt,
    /// All weights except LoRA adapters.
    #[serde(rename = "FullWT")]
    FullWt,
    /// Only the LoRA adapters (Transformer).
    #[serde(rename = "LoRAWT")]
    LoraWt,
    /// Only the embedding layer.
    #[serde(rename = "EmbedWT")]
    EmbedWt,
    /// Only the unembedding layer.
    #[serde(rename = "UnembedWT")]
    UnembedWt,
    /// Embedding and unembedding layers.
    #[serde(rename = "Un+EmbedWT")]
    UnEmbedWt,
}

/// How a tuned prefix starts (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrefixInit {
    /// Random one-hot rows (the default).
    OneHot,
    /// Uniform [0, 1) entries.
    Simplex,
    /// All zeros.
    Zeros,
}

/// Where the Theory view plots a method's result on the reachability curve (excess regret
/// against prompt length K).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TheoryK {
    /// At K = 0: the predictor sees no prompt.
    Zero,
    /// At the run's prompt length K (`tuning.prefix_length`).
    Prefix,
    /// Not plotted.
    None,
}

impl Method {
    /// Every method, in display order.
    pub const ALL: [Method; 9] = [
        Method::HardPt,
        Method::SimplexPt,
        Method::RealPt,
        Method::SoftPt,
        Method::FullWt,
        Method::LoraWt,
        Method::EmbedWt,
        Method::UnembedWt,
        Method::UnEmbedWt,
    ];

    /// The label users see in plots.
    pub fn label(self) -> &'static str {
        match self {
            Method::HardPt => "HardPT",
            Method::SimplexPt => "SimplexPT",
            Method::RealPt => "RealPT",
            Method::SoftPt => "SoftPT",
            Method::FullWt => "FullWT",
            Method::LoraWt => "LoRAWT",
            Method::EmbedWt => "EmbedWT",
            Method::UnembedWt => "UnembedWT",
            Method::UnEmbedWt => "Un+EmbedWT",
        }
    }

    /// What the method does, in one line of plain words for a student who has not read the paper.
    pub fn description(self) -> &'static str {
        match self {
            Method::HardPt => "searches every prompt of K real flips and keeps the best one",
            Method::SimplexPt => "learns K blurred flips, each a weighted mix of the possible flips (say 70 % H, 30 % T), put in front of the sequence",
            Method::RealPt => "learns K input vectors of any real numbers, put in front of the sequence where flips would go",
            Method::SoftPt => "learns K vectors fed in after the network's input layer, so they need not look like any real flip",
            Method::FullWt => "retrains all of the network's weights on the target task",
            Method::LoraWt => "retrains only small add-on matrices beside the Transformer's attention weights",
            Method::EmbedWt => "retrains only the input layer, which turns each flip into a vector",
            Method::UnembedWt => "retrains only the output layer, which turns the network's state into next-flip probabilities",
            Method::UnEmbedWt => "retrains only the input and the output layers (EmbedWT and UnembedWT together)",
        }
    }

    /// Where the Theory view plots this tuner: at the run's prompt length K, every one.
    pub fn theory_k(self) -> TheoryK {
        TheoryK::Prefix
    }

    /// The method whose label is `label` (e.g. `"Un+EmbedWT"`).
    pub fn from_label(label: &str) -> Result<Method> {
        Method::ALL.into_iter().find(|m| m.label() == label).ok_or_else(|| {
            let all: Vec<&str> = Method::ALL.iter().map(|m| m.label()).collect();
            Error::invalid("method", label, format!("one of {}", all.join(", ")))
        })
    }

    /// True for the four prefix tuners.
    pub fn is_prefix(self) -> bool {
        matches!(self, Method::HardPt | Method::SimplexPt | Method::RealPt | Method::SoftPt)
    }

    /// Whether a tuning step backpropagates through the whole torso: every tuner but
    /// HardPT (a search, no gradients) and UnembedWT (its gradient stops at the output
    /// layer). These are the long jobs; runners start them first (see `experiment::jobs`).
    pub fn backprops_through_torso(self) -> bool {
        !matches!(self, Method::HardPt | Method::UnembedWt)
    }

    /// Whether a weight tuner trains the parameter called `name`.
    pub fn trains(self, name: &str) -> bool {
        let embedding = name.starts_with("embedding.");
        let unembedding = name.starts_with("unembedding.");
        match self {
            Method::HardPt | Method::SimplexPt | Method::RealPt | Method::SoftPt => false,
            Method::FullWt => !name.contains(".lora_"),
            Method::LoraWt => name.contains(".lora_"),
            Method::EmbedWt => embedding,
            Method::UnembedWt => unembedding,
            Method::UnEmbedWt => embedding || unembedding,
        }
    }

    /// The methods that apply to `model` (LoRA needs a Transformer with adapters;
    /// an untrained, frozen torso rules out tuners that change it).
    pub fn applicable(model: &ModelConfig) -> Vec<Method> {
        Method::ALL.into_iter().filter(|m| m.check(model, "tuning.methods").is_ok()).collect()
    }

    /// Refuses this method for `model` with the reason.
    pub fn check(self, model: &ModelConfig, field: &str) -> Result<()> {
        if self == Method::LoraWt && !model.has_lora() {
            let why = if model.architecture == Architecture::Transformer {
                "a method of this model (LoRAWT needs model.lora_rank ≥ 1)"
            } else {
                "a method of this model (LoRAWT needs a Transformer; this is not one)"
            };
            return Err(Error::invalid(field, self.label(), why));
        }
        if !model.trained && matches!(self, Method::FullWt | Method::LoraWt) {
            return Err(Error::invalid(
                field,
                self.label(),
                "a method of an untrained net (its torso is frozen; use prefix tuners or EmbedWT/UnembedWT/Un+EmbedWT)",
            ));
        }
        Ok(())
    }
}
