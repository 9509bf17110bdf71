//! Native-only process settings that make small-tensor training fast.

/// Keeps freed tensor buffers inside the process instead of returning them
/// to the OS after every op. By default glibc maps every buffer over its mmap
/// threshold fresh and unmaps it on free; with several threads each unmap also
/// flushes the other cores' TLBs. At the paper's size that kernel work was a
/// third of an experiment's CPU time (75 s of system time in a 114 s run).
/// So: no mmap'd buffers (a cap of 0; mallopt cannot raise the threshold past
/// 32 MB, and an LSTM's kept rows are larger), one arena that grows with brk
/// (a thread arena cannot hold a buffer over 64 MB), and no trimming below 1 GB.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator settings; it is called before
    // any thread or training starts and has no memory-safety preconditions.
    unsafe {
        libc::mallopt(libc::M_MMAP_MAX, 0);
        libc::mallopt(libc::M_ARENA_MAX, 1);
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
