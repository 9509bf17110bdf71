"""The reference's bench-lstm-single: pretraining, seven gradient tuners x 3 repetitions, evaluation -> one JSON line {total_s, pretrain_s, tuning_s}.

The settings of the engine's preset `bench-lstm-single`: LSTM E = H = 32 pretrained 500 x 256 at N = 100 on Random
Coins; SimplexPT, RealPT, SoftPT, FullWT, EmbedWT, UnembedWT and Un+EmbedWT, each 3 repetitions of 300 steps x 256 at
N = 50 with K = 6 (lr 5e-3, one-hot prefix init) on Single Coin 0.2; then each tuned predictor (and the untuned one)
evaluated on the same 2048 sequences of N = 200: per-step regret against the oracle. tuning_s covers tuning and evaluation.
"""

import json
import sys
import time

import runtime  # sets XLA's flags before jax loads
import jax
import jax.numpy as jnp
import optax

from model import init_params, log_loss, log_probs
from step import clipped_adam, pretraining, sample

MODEL = {"architecture": "lstm", "embedding_dim": 32, "hidden_sizes": [32]}
PRETRAIN = {"source": {"kind": "random", "alphas": [1.0, 1.0]}, "sequence_length": 100, "batch_size": 256, "steps": 500}
TARGET = {"kind": "single", "probs": [0.2, 0.8]}
TUNE_STEPS, TUNE_BATCH, TUNE_LENGTH, K, REPETITIONS, TUNE_LR = 300, 256, 50, 6, 3, 5e-3
EVAL_SEQUENCES, EVAL_LENGTH = 2048, 200
TUNERS = ["SimplexPT", "RealPT", "SoftPT", "FullWT", "EmbedWT", "UnembedWT", "Un+EmbedWT"]
WEIGHT_PARTS = {"EmbedWT": ("embedding",), "UnembedWT": ("unembedding",), "Un+EmbedWT": ("embedding", "unembedding")}


def one_hot_prefix(key, dim):
    """K random one-hot rows of size `dim` (the 1 at the largest of `dim` uniform draws)."""
    return jax.nn.one_hot(jnp.argmax(jax.random.uniform(key, (K, dim)), axis=1), dim, dtype=jnp.float32)


def tuner(name, vocab):
    """(initial trained values from (pretrained, key), forward(trained, pretrained, tokens) -> log probs) of a tuner:
    which parameters it trains and how the prefix enters the network."""
    e = MODEL["embedding_dim"]
    if name == "SimplexPT":
        return (lambda p, key: one_hot_prefix(key, vocab),
                lambda t, p, x: log_probs(p, MODEL, x, prefix=jax.nn.softmax(t, axis=1)))
    if name == "RealPT":
        return lambda p, key: one_hot_prefix(key, vocab), lambda t, p, x: log_probs(p, MODEL, x, prefix=t)
    if name == "SoftPT":
        return lambda p, key: one_hot_prefix(key, e), lambda t, p, x: log_probs(p, MODEL, x, soft=t)
    if name == "FullWT":
        return lambda p, key: p, lambda t, p, x: log_probs(t, MODEL, x)
    parts = WEIGHT_PARTS[name]
    return (lambda p, key: {n: p[n] for n in parts}, lambda t, p, x: log_probs({**p, **t}, MODEL, x))


def tune_and_evaluate(pretrained, eval_tokens, oracle_loss):
    """Every tuner x repetition, each tuned for TUNE_STEPS jitted steps, then evaluated; their mean cumulative regrets."""
    opt = clipped_adam(TUNE_LR)
    regrets = {}

    @jax.jit
    def untuned_regret(p):
        return ((-(log_probs(p, MODEL, eval_tokens) * eval_tokens).sum(-1)).mean(0) - oracle_loss).cumsum()

    regrets["NoTuning"] = float(untuned_regret(pretrained)[-1])
    for name in TUNERS:
        initial, forward = tuner(name, 2)

        def step(trained, opt_state, p, key, forward=forward):
            tokens = sample(key, TARGET, TUNE_BATCH, TUNE_LENGTH)
            loss, grads = jax.value_and_grad(lambda t: log_loss(forward(t, p, tokens), tokens))(trained)
            updates, opt_state = opt.update(grads, opt_state, trained)
            return optax.apply_updates(trained, updates), opt_state, loss

        step = jax.jit(step)
        regret = jax.jit(lambda t, p, forward=forward: ((-(forward(t, p, eval_tokens) * eval_tokens).sum(-1)).mean(0) - oracle_loss).cumsum())
        for rep in range(REPETITIONS):
            k_init, k_data = jax.random.split(jax.random.fold_in(jax.random.PRNGKey(1), TUNERS.index(name) * 100 + rep))
            trained = initial(pretrained, k_init)
            opt_state = opt.init(trained)
            for key in jax.random.split(k_data, TUNE_STEPS):
                trained, opt_state, loss = step(trained, opt_state, pretrained, key)
            regrets[f"{name}/{rep}"] = float(regret(trained, pretrained)[-1])
    return regrets


def main():
    t0 = time.perf_counter()
    init, step, _, _ = pretraining({"model": MODEL, "pretraining": PRETRAIN})
    k_init, k_data, k_eval = jax.random.split(jax.random.PRNGKey(0), 3)
    params = init_params(k_init, MODEL, 2)
    opt_state = init(params)
    losses = []
    for key in jax.random.split(k_data, PRETRAIN["steps"]):
        params, opt_state, loss = step(params, opt_state, key)
        losses.append(loss)
    losses = [float(x) for x in losses]
    t1 = time.perf_counter()
    if not sum(losses[-20:]) < sum(losses[:20]):
        sys.exit(f"refused: the reference's pretraining loss did not drop ({losses[0]:.2f} -> {losses[-1]:.2f})")

    eval_tokens = sample(k_eval, TARGET, EVAL_SEQUENCES, EVAL_LENGTH)
    oracle = jnp.log(jnp.asarray(TARGET["probs"], jnp.float32))
    oracle_loss = (-(eval_tokens * oracle).sum(-1)).mean(0)  # (N,) mean over sequences
    regrets = tune_and_evaluate(params, eval_tokens, oracle_loss)
    t2 = time.perf_counter()
    print(json.dumps({
        "total_s": t2 - t0,
        "pretrain_s": t1 - t0,
        "tuning_s": t2 - t1,
        "pretrain_loss": [losses[0], losses[-1]],
        "cumulative_regret_at_200": regrets,
        "runs_on": runtime.describe(),
    }))


if __name__ == "__main__":
    main()
