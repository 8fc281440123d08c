//! One module per subcommand, each with its `run`.

pub mod inspect;
pub mod report;
pub mod synth;
