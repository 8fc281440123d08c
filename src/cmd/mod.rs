//! One module per subcommand, each with its `run`.

pub mod compare;
pub mod history;
pub mod inspect;
pub mod report;
pub mod snapshot;
pub mod synth;
