"""The training step of SPEC §4 in JAX: a fresh batch from the source, summed log loss, global-norm clipping and Adam, jit-compiled as one function."""

import jax
import jax.numpy as jnp
import optax

from model import log_loss, log_probs

PRETRAIN_SOURCE = {"kind": "random", "alphas": [1.0, 1.0]}


def vocab_of(source):
    """V of a source config (`single`, `mixture` or `random`)."""
    return len(source["alphas"] if source["kind"] == "random" else source["probs"] if source["kind"] == "single" else source["probs"][0])


def sample(key, source, batch, length):
    """(B, N, V) one-hot tokens from a source: per sequence its coin (fixed, a mixture component, or p ~ Dirichlet), then i.i.d. flips."""
    k_coin, k_flips = jax.random.split(key)
    kind = source["kind"]
    if kind == "single":
        probs = jnp.broadcast_to(jnp.asarray(source["probs"], jnp.float32), (batch, len(source["probs"])))
    elif kind == "random":
        probs = jax.random.dirichlet(k_coin, jnp.asarray(source["alphas"], jnp.float32), (batch,))
    elif kind == "mixture":
        c = jax.random.categorical(k_coin, jnp.log(jnp.asarray(source["weights"], jnp.float32)), shape=(batch,))
        probs = jnp.asarray(source["probs"], jnp.float32)[c]
    else:
        raise ValueError(f"source.kind: {kind!r}; one of single, mixture, random")
    ids = jax.random.categorical(k_flips, jnp.log(probs)[:, None, :], shape=(batch, length))
    return jax.nn.one_hot(ids, probs.shape[1], dtype=jnp.float32)


def clipped_adam(learning_rate, max_grad_norm=1.0):
    """Adam (0.9, 0.999, 1e-8) after global-norm clipping."""
    return optax.chain(optax.clip_by_global_norm(max_grad_norm), optax.adam(learning_rate))


def pretraining(config):
    """(init, step, loss_on, batch_of) for a config's pretraining. `step(params, opt_state, key) -> (params, opt_state, loss)`
    is jitted and draws its own batch from `key`; `loss_on(params, tokens)` is the jitted loss on given tokens and
    `batch_of(key)` the batch a step with `key` trains on (both for checks outside the timed steps)."""
    model = config["model"]
    pre = config.get("pretraining", {})
    source = pre.get("source", PRETRAIN_SOURCE)
    batch, length = pre.get("batch_size", 64), pre.get("sequence_length", 100)
    opt = clipped_adam(pre.get("learning_rate", 1e-3), pre.get("max_grad_norm", 1.0))

    def loss_on(params, tokens):
        return log_loss(log_probs(params, model, tokens), tokens)

    def step(params, opt_state, key):
        tokens = sample(key, source, batch, length)
        loss, grads = jax.value_and_grad(loss_on)(params, tokens)
        updates, opt_state = opt.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    def batch_of(key):
        return sample(key, source, batch, length)

    return opt.init, jax.jit(step, donate_argnums=(0, 1)), jax.jit(loss_on), batch_of
