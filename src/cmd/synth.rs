//! `orchard synth`: a synthetic export with its ground truth.

use anyhow::Result;

use crate::cli::SynthArgs;
use crate::report::thousands;
use crate::synth::{synth, Era, SynthOptions};

/// Runs `orchard synth`.
pub fn run(args: &SynthArgs) -> Result<()> {
    let era = Era::from_year(args.era).expect("clap admits only known eras");
    let clock = std::time::Instant::now();
    let out = synth(&SynthOptions {
        connections: args.connections,
        messages: args.messages,
        seed: args.seed,
        era,
        zip: args.zip,
        out: args.output.clone(),
    })?;
    println!(
        "Wrote {} rows in {:.1} s\n  export: {}\n  truth:  {}",
        thousands(out.rows),
        clock.elapsed().as_secs_f64(),
        out.export.display(),
        out.truth.display()
    );
    Ok(())
}
