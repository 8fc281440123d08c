use std::process::ExitCode;

use clap::Parser;
use orchard::cli::{Cli, Command};

fn main() -> ExitCode {
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
