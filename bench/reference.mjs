// The reference figures the bench prints beside its own: the paper's JAX library (XLA on CPU, 2 threads, jit-compiled) measured on this 2-core machine kind.

/** Milliseconds per Adam step, by bench config (bench/configs/NAME.json). */
export const MS_PER_STEP = { lstm: 16, transformer: 98, "lstm-paper": 364, "transformer-paper": 1119 };

/** Wall seconds of the bench-lstm-single experiment, whole and in its two parts. */
export const BENCH_LSTM_SINGLE = { total_s: 265, pretrain_s: 45, tuning_s: 220 };
