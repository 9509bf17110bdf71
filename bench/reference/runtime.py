"""What the reference runs on, read at run time: JAX and optax versions, the XLA device and its threads."""

import os

# XLA's CPU backend: Eigen's thread pool over every core this process may use (the default, made explicit).
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=true")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jaxlib  # noqa: E402
import optax  # noqa: E402


def describe():
    """One line: versions, device and thread count."""
    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    device = jax.devices()[0]
    return f"jax {jax.__version__}, jaxlib {jaxlib.__version__}, optax {optax.__version__}, XLA on {device.platform}, {threads} threads"
