//! All weights of one network, addressed by dotted name (`torso.layer0.w_hh`), saved as safetensors.

use std::collections::{BTreeMap, HashMap};

use candle_core::{DType, Device, Tensor, Var};

use super::weight::Weight;
use crate::error::{Error, Result};

/// Named trainable variables in a fixed (sorted) order, so that every sweep
/// over them — gradient norms, optimiser updates, files — is deterministic.
#[derive(Debug, Clone)]
pub struct Params {
    vars: BTreeMap<String, Var>,
    dtype: DType,
}

impl Params {
    /// An empty store whose tensors will have `dtype` (F32 normally, F64 for gradient checks).
    pub fn new(dtype: DType) -> Self {
        Params { vars: BTreeMap::new(), dtype }
    }

    /// Element type of every variable.
    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// Adds variable `name` with the given values and shape and returns it as a trainable weight.
    pub fn add(&mut self, name: &str, values: Vec<f64>, shape: &[usize]) -> Result<Weight> {
        if self.vars.contains_key(name) {
            return Err(Error::other(format!("parameter {name} defined twice")));
        }
        let t = Tensor::from_vec(values, shape, &Device::Cpu)?.to_dtype(self.dtype)?;
        let var = Var::from_tensor(&t)?;
        self.vars.insert(name.to_string(), var.clone());
        Ok(Weight::new(name, var))
    }

    /// The variable called `name`.
    pub fn get(&self, name: &str) -> Result<&Var> {
        self.vars.get(name).ok_or_else(|| Error::other(format!("no parameter named {name}")))
    }

    /// Names and variables in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Var)> {
        self.vars.iter()
    }

    /// The variables whose names pass `keep`, in sorted order.
    pub fn select(&self, keep: impl Fn(&str) -> bool) -> Vec<Var> {
        self.vars.iter().filter(|(n, _)| keep(n)).map(|(_, v)| v.clone()).collect()
    }

    /// Total number of scalars.
    pub fn count(&self) -> usize {
        self.vars.values().map(|v| v.elem_count()).sum()
    }

    /// Copies every value of `other` (same names and shapes) into these variables.
    pub fn copy_from(&self, other: &Params) -> Result<()> {
        for (name, var) in &self.vars {
            let src = other.get(name)?;
            if src.dims() != var.dims() {
                return Err(Error::other(format!("cannot copy {name}: shape {:?} vs {:?}", src.dims(), var.dims())));
            }
            var.set(&src.as_tensor().to_dtype(self.dtype)?)?;
        }
        Ok(())
    }

    /// Serialises every variable as F32 safetensors bytes.
    pub fn to_safetensors(&self) -> Result<Vec<u8>> {
        let tensors: Vec<(String, Tensor)> = self
            .vars
            .iter()
            .map(|(n, v)| Ok((n.clone(), v.as_tensor().to_dtype(DType::F32)?)))
            .collect::<Result<_>>()?;
        safetensors::serialize(tensors.iter().map(|(n, t)| (n.as_str(), t)), None)
            .map_err(|e| Error::other(format!("cannot write safetensors: {e}")))
    }

    /// Overwrites every variable from safetensors bytes; the file must hold
    /// exactly these names with these shapes, else nothing is changed.
    pub fn load_safetensors(&self, bytes: &[u8]) -> Result<()> {
        let loaded: HashMap<String, Tensor> = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)
            .map_err(|e| Error::other(format!("model file is not valid safetensors: {e}")))?;
        for (name, var) in &self.vars {
            let t = loaded.get(name).ok_or_else(|| Error::other(format!("model file lacks parameter {name}")))?;
            if t.dims() != var.dims() {
                return Err(Error::other(format!(
                    "model file has {name} with shape {:?}, the config needs {:?}",
                    t.dims(),
                    var.dims()
                )));
            }
        }
        if let Some(extra) = loaded.keys().find(|n| !self.vars.contains_key(*n)) {
            return Err(Error::other(format!("model file has parameter {extra}, which the config does not define")));
        }
        let mut converted = Vec::with_capacity(self.vars.len());
        for (name, var) in &self.vars {
            let t = loaded[name].to_dtype(self.dtype)?;
            let finite = t.to_dtype(DType::F64)?.flatten_all()?.to_vec1::<f64>()?.iter().all(|x| x.is_finite());
            if !finite {
                return Err(Error::other(format!("model file has non-finite values in {name}")));
            }
            converted.push((var, t));
        }
        for (var, t) in converted {
            var.set(&t)?;
        }
        Ok(())
    }
}
