"""The reference's per-step bench: python bench_step.py CONFIG.json --steps N --warmup W -> one JSON line, as `promptlab bench` prints.

Each timed step is the whole jitted pretraining step (drawing the batch, forward, backward, clipping, Adam), as the
engine's bench times `Pretrainer::step`. Before timing, the step is checked: the loss of the untrained net on its
first batch must lie near N ln V (FIRST_LOSS_BAND), and the loss on that batch must have dropped after the steps; otherwise it refuses.
"""

import argparse
import json
import math
import statistics
import sys
import time

import runtime  # sets XLA's flags before jax loads
import jax

from model import init_params
from step import PRETRAIN_SOURCE, pretraining, vocab_of

# The band, in units of N ln V, the untrained net's first loss must fall in. An untrained net predicts near
# uniformly; the Transformer's final LayerNorm gives its logits unit scale, so it starts 15-40 % above
# (the engine's: 80-85 nats at N = 100; this init: 85-95). A wrong reduction (a mean over steps, a sum over the batch) lands far outside.
FIRST_LOSS_BAND = (0.8, 1.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    if args.steps < 1 or args.warmup < 0:
        sys.exit("error: --steps must be >= 1 and --warmup >= 0")
    with open(args.config) as f:
        config = json.load(f)
    pre = config.get("pretraining", {})
    vocab = vocab_of(pre.get("source", PRETRAIN_SOURCE))
    length = pre.get("sequence_length", 100)

    init, step, loss_on, batch_of = pretraining(config)
    key = jax.random.PRNGKey(config.get("seed", 0))
    k_init, k_data = jax.random.split(key)
    params = init_params(k_init, config["model"], vocab)
    opt_state = init(params)
    keys = jax.random.split(k_data, args.warmup + args.steps)
    first = batch_of(keys[0])
    first_loss = float(loss_on(params, first))
    uniform = length * math.log(vocab)
    low, high = FIRST_LOSS_BAND
    if not low <= first_loss / uniform <= high:
        sys.exit(f"refused: the untrained reference's first loss {first_loss:.2f} is not within "
                 f"{low}-{high} x N ln V = {uniform:.2f}")

    times = []
    for i, k in enumerate(keys):
        t0 = time.perf_counter()
        params, opt_state, loss = step(params, opt_state, k)
        loss.block_until_ready()
        if i >= args.warmup:
            times.append((time.perf_counter() - t0) * 1e3)
    last_loss = float(loss_on(params, first))
    if not last_loss < first_loss:
        sys.exit(f"refused: the reference's loss on its first batch did not drop over {len(keys)} steps "
                 f"({first_loss:.3f} -> {last_loss:.3f})")
    times.sort()
    print(json.dumps({
        "ms_per_step_median": times[len(times) // 2],
        "ms_per_step_min": times[0],
        "steps": len(times),
        "architecture": config["model"].get("architecture", "lstm"),
        "batch_size": pre.get("batch_size", 64),
        "sequence_length": length,
        "first_loss": first_loss,
        "loss_after": last_loss,
        "timed": "the jitted step: batch drawn, forward, backward, clipping, Adam",
        "runs_on": runtime.describe(),
    }))


if __name__ == "__main__":
    main()
