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
