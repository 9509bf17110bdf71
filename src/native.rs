//! Native-only process settings that make small-tensor training fast.

/// Keeps freed tensor buffers inside the process instead of returning them
/// to the OS after every op: glibc otherwise maps large buffers fresh each
/// time, and the page faults cost more than the arithmetic at these sizes.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator thresholds; it is called before
    // any training starts and has no memory-safety preconditions.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}

/// Makes candle's element-wise and matmul kernels single-threaded unless the
/// user chose otherwise (CANDLE_NUM_THREADS / RAYON_NUM_THREADS). At these
/// tensor sizes its thread pool costs more than it saves, and promptlab runs
/// whole tuning repetitions in parallel instead. Call before any tensor work.
pub fn one_kernel_thread() {
    for var in ["CANDLE_NUM_THREADS", "RAYON_NUM_THREADS"] {
        if std::env::var_os(var).is_none() {
            std::env::set_var(var, "1");
        }
    }
}

/// Threads for running repetitions in parallel: the machine's cores.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
