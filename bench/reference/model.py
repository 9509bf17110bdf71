"""The predictor of SPEC §3 in pure JAX: one-hot inputs with a BOS slot, embedding, LSTM or Transformer torso, unembedding, log-softmax."""

import math

import jax
import jax.numpy as jnp

LN_EPS = 1e-6


def lecun_normal(key, fan_in, shape):
    """Draws of N(0, 1/fan_in), the dense kernels' initialiser."""
    return jax.random.normal(key, shape, jnp.float32) / math.sqrt(max(fan_in, 1))


def orthogonal_gates(key, h):
    """The (H, 4H) recurrent kernel of an LSTM: one random orthogonal block per gate."""
    blocks = [jnp.linalg.qr(jax.random.normal(k, (h, h), jnp.float32))[0] for k in jax.random.split(key, 4)]
    return jnp.concatenate(blocks, axis=1)


def init_params(key, model, vocab):
    """Every weight of the network described by a config's `model` section, by name, for `vocab` tokens."""
    e = model["embedding_dim"]
    hidden = model["hidden_sizes"]
    keys = iter(jax.random.split(key, 64))
    params = {
        "embedding": {"w": lecun_normal(next(keys), vocab, (vocab, e)), "b": jnp.zeros(e, jnp.float32)},
        "torso": [],
    }
    if model["architecture"] == "lstm":
        width = e
        for h in hidden:
            params["torso"].append({
                "w_ih": lecun_normal(next(keys), width, (width, 4 * h)),
                "w_hh": orthogonal_gates(next(keys), h),
                "bias": jnp.zeros(4 * h, jnp.float32),
            })
            width = h
        out_width = width
    elif model["architecture"] == "transformer":
        wide_factor = model.get("widening_factor", 4)
        norm = lambda offset: {"scale": jnp.ones(e, jnp.float32), **({"offset": jnp.zeros(e, jnp.float32)} if offset else {})}
        for h in hidden:
            params["torso"].append({
                "ln_attn": norm(True),
                "q": lecun_normal(next(keys), e, (e, e)),
                "k": lecun_normal(next(keys), e, (e, e)),
                "v": lecun_normal(next(keys), e, (e, e)),
                "out": lecun_normal(next(keys), e, (e, e)),
                "q_norm": norm(False),
                "k_norm": norm(False),
                "ln_mlp": norm(True),
                "mlp_in": lecun_normal(next(keys), e, (e, h * wide_factor)),
                "mlp_out": lecun_normal(next(keys), h * wide_factor, (h * wide_factor, e)),
                "ln_out": norm(True),
            })
        out_width = e
    else:
        raise ValueError(f"model.architecture: {model['architecture']!r}; the reference has lstm and transformer")
    params["unembedding"] = {"w": lecun_normal(next(keys), out_width, (out_width, vocab)), "b": jnp.zeros(vocab, jnp.float32)}
    return params


def lstm(layers, x):
    """Stacked LSTM layers (gates: input, forget, cell, output) over (B, T, E) from a zero state."""
    for layer in layers:
        h_size = layer["w_hh"].shape[0]
        projected = jnp.swapaxes(x @ layer["w_ih"] + layer["bias"], 0, 1)  # (T, B, 4H)

        def cell(carry, xw, w_hh=layer["w_hh"], h_size=h_size):
            h, c = carry
            gates = xw + h @ w_hh
            i, f, g, o = (gates[:, j * h_size:(j + 1) * h_size] for j in range(4))
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), h

        zero = jnp.zeros((x.shape[0], h_size), x.dtype)
        _, hs = jax.lax.scan(cell, (zero, zero), projected)
        x = jnp.swapaxes(hs, 0, 1)
    return x


def layer_norm(x, norm):
    """LayerNorm over the last axis, with a scale and, if the norm has one, an offset."""
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    y = (x - mean) * jax.lax.rsqrt(var + LN_EPS) * norm["scale"]
    return y + norm["offset"] if "offset" in norm else y


def sinusoids(t, e):
    """(T, E) positions: for inverse frequencies 10000^(-2i/E), [sin(t f)…, cos(t f)…] cut to E."""
    inv = 1e4 ** (-jnp.arange(0, e + 1, 2, dtype=jnp.float32) / e)
    angles = jnp.arange(t, dtype=jnp.float32)[:, None] * inv[None, :]
    return jnp.concatenate([jnp.sin(angles), jnp.cos(angles)], axis=1)[:, :e]


def transformer(blocks, x, heads):
    """Decoder-only pre-LN blocks over (B, T, E): causal MHA with q/k LayerNorm, GELU MLP, residuals, LayerNorm."""
    b, t, e = x.shape
    d = e // heads
    x = x + sinusoids(t, e)
    mask = jnp.tril(jnp.ones((t, t), bool))
    split = lambda y: y.reshape(b, t, heads, d).transpose(0, 2, 1, 3)
    for blk in blocks:
        a = layer_norm(x, blk["ln_attn"])
        q = split(layer_norm(a @ blk["q"], blk["q_norm"]))
        k = split(layer_norm(a @ blk["k"], blk["k_norm"]))
        v = split(a @ blk["v"])
        scores = jnp.where(mask, (q @ k.transpose(0, 1, 3, 2)) / math.sqrt(d), -jnp.inf)
        mixed = (jax.nn.softmax(scores, axis=-1) @ v).transpose(0, 2, 1, 3).reshape(b, t, e)
        x = x + mixed @ blk["out"]
        m = jax.nn.gelu(layer_norm(x, blk["ln_mlp"]) @ blk["mlp_in"], approximate=True) @ blk["mlp_out"]
        x = layer_norm(x + m, blk["ln_out"])
    return x


def log_probs(params, model, tokens, prefix=None, soft=None):
    """(B, N, V) log predictions of one-hot `tokens` (B, N, V); row n predicts token n before seeing it.

    `prefix` (K, V) input rows go after the BOS slot before embedding; `soft` (K, E) rows go right
    after the BOS embedding. Outputs at prefix positions and after the last token are dropped.
    """
    b, n, vocab = tokens.shape
    rows = [jnp.zeros((b, 1, vocab), tokens.dtype)]
    if prefix is not None:
        rows.append(jnp.broadcast_to(prefix, (b,) + prefix.shape))
    x = jnp.concatenate(rows + [tokens], axis=1)
    emb = x @ params["embedding"]["w"] + params["embedding"]["b"]
    if soft is not None:
        emb = jnp.concatenate([emb[:, :1], jnp.broadcast_to(soft, (b,) + soft.shape), emb[:, 1:]], axis=1)
    if model["architecture"] == "lstm":
        out = lstm(params["torso"], emb)
    else:
        out = transformer(params["torso"], emb, model.get("num_heads", 4))
    k = emb.shape[1] - 1 - n
    logits = out[:, k:k + n] @ params["unembedding"]["w"] + params["unembedding"]["b"]
    return jax.nn.log_softmax(logits, axis=-1)


def log_loss(lp, tokens):
    """Sum over steps of the log loss of each real token, mean over the batch (nats per sequence)."""
    return -(lp * tokens).sum() / tokens.shape[0]
