//! How orchard's memory is set up for a run: the binary calls [`tune`] first thing in `main`,
//! with mimalloc as its global allocator, and so do the criterion benchmarks, so that they
//! measure what users run.

// Linked in whatever uses this module: `mi_option_set` comes from mimalloc's C library.
extern crate mimalloc;

extern "C" {
    /// mimalloc's `mi_option_set` (linked in by `libmimalloc-sys`).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Keeps freed memory for the run and asks for small pages only (below). Call it first thing
/// in `main`, before any other thread exists, in a program whose global allocator is
/// `mimalloc::MiMalloc`.
pub fn tune() {
    keep_freed_memory();
    small_pages_only();
}

/// Tells mimalloc never to hand freed memory back to the system while orchard runs. By
/// default it does so after 10 ms, and the chunks of the next window then fault the same
/// pages in again, zeroed by the kernel: on tier M that was 60,000–130,000 page faults and a
/// sixth of the CPU time, against 1,900 faults without. The peak is what a run costs, and
/// memory freed is reused for what comes next.
fn keep_freed_memory() {
    /// `mi_option_purge_delay` in the `mi_option_e` enum of the mimalloc (v3) that
    /// libmimalloc-sys 0.1.49 builds (Cargo.lock pins it).
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: called first thing in main, before any other thread exists (the option is not
    // thread-safe to set); -1 is the documented value for "no purging".
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Asks the kernel for ordinary 4 KiB pages only. mimalloc marks its arenas for transparent
/// huge pages, and on the VMs orchard is benchmarked on a fresh huge page costs five to eight
/// times as much per byte as fresh small pages (272 against 1,300–2,100 MB/s, measured with a
/// page-touching loop): on tier L the kernel's page zeroing was 13.8 s of system time with
/// them and 6.0 s without, and the run 31.8 s against 28.3 s. The setting covers every mapping
/// of the process, including any mimalloc made before `main`.
#[cfg(target_os = "linux")]
fn small_pages_only() {
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    // A kernel that refuses it leaves the default, which is only slower.
    unsafe {
        // prctl is variadic: every argument a full `unsigned long`, as the kernel reads them.
        let (on, unused) = (1 as libc::c_ulong, 0 as libc::c_ulong);
        libc::prctl(libc::PR_SET_THP_DISABLE, on, unused, unused, unused);
    }
}

#[cfg(not(target_os = "linux"))]
fn small_pages_only() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn tune_turns_transparent_huge_pages_off_for_the_process() {
        // Other test threads exist, against `tune`'s rule; harmless here: mimalloc is not
        // this process's allocator, so nothing reads the option being set.
        super::tune();
        let unused = 0 as libc::c_ulong;
        // SAFETY: PR_GET_THP_DISABLE reads a flag of the process; it touches no memory of ours.
        let disabled =
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, unused, unused, unused, unused) };
        assert_eq!(disabled, 1);
    }
}
