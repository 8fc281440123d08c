use std::process::ExitCode;

use clap::Parser;
use orchard::cli::{Cli, Command};

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
    default_sigpipe();
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
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
