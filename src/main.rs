use std::process::ExitCode;

use clap::Parser;
use orchard::cli::{Cli, Command};

/// mimalloc rather than the system allocator: reading and identity make and free millions of
/// small strings and tables on every thread, and glibc's allocator (its locking, zeroing and
/// consolidating) was a fifth of a large report's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    /// mimalloc's `mi_option_set` (linked in by `libmimalloc-sys`).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
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

/// Lets a closed pipe end the process quietly, as it ends other command-line tools
/// (`orchard history | head`): Rust ignores SIGPIPE, which turns the next print into a panic.
#[cfg(unix)]
fn default_sigpipe() {
    // SAFETY: called first thing in main, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn default_sigpipe() {}

fn main() -> ExitCode {
    keep_freed_memory();
    small_pages_only();
    default_sigpipe();
    // A panic is a bug: tell the user so in one line, without a backtrace hint. The exit code
    // stays 101, apart from the 1 of an error and the 2 of bad usage.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error in orchard ({what}{at}); this is a bug, please report it");
    }));
    let cli = Cli::parse();
    if let Command::Report(args) = &cli.command {
        if let Some(n) = args.threads {
            // Only fails when a pool already exists, which cannot happen this early.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(n as usize)
                .build_global();
        }
    }
    let result = match &cli.command {
        Command::Report(args) => orchard::cmd::report::run(args),
        Command::Inspect(args) => orchard::cmd::inspect::run(args),
        Command::Synth(args) => orchard::cmd::synth::run(args),
        Command::Snapshot(args) => orchard::cmd::snapshot::run(args),
        Command::Compare(args) => orchard::cmd::compare::run(args),
        Command::History(args) => orchard::cmd::history::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", message(&e));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes on one line, leaving out a cause the message already states (the
/// typed errors show their I/O cause in their own text).
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.is_empty() {
            out = text;
        } else if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
    }
    out
}
