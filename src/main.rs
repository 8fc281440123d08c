use std::process::ExitCode;

use clap::Parser;
use orchard::cli::{Cli, Command};

/// mimalloc rather than the system allocator: reading and identity make and free millions of
/// small strings and tables on every thread, and glibc's allocator (its locking, zeroing and
/// consolidating) was a fifth of a large report's time. Set up by [`orchard::memory::tune`].
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    orchard::memory::tune();
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
