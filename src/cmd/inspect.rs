//! `orchard inspect`: what an export holds, without computing metrics.

use anyhow::Result;

use crate::analysis::read;
use crate::cli::InspectArgs;
use crate::export::format_day;
use crate::identity::identify;
use crate::report::thousands;

/// Runs `orchard inspect`.
pub fn run(args: &InspectArgs) -> Result<()> {
    let opts = args.export.options();
    let (export, params) = read(&args.export.export, &opts)?;
    println!("Export: {}", args.export.export.display());
    println!("Files:");
    for f in &export.files {
        println!("  {:<12} {}", format!("{:?}", f.kind), f.path);
        println!(
            "  {:<12} format {}, {:?}{}",
            "",
            f.era,
            f.encoding,
            if f.preamble_lines > 0 {
                format!(", {} preamble line(s)", f.preamble_lines)
            } else {
                String::new()
            }
        );
        for i in &f.ignored {
            println!("  {:<12} ignored (a second file of this kind): {i}", "");
        }
    }
    match identify(&export, opts.owner.as_ref(), params.cutoff()) {
        Ok(id) => println!(
            "Owner: {} ({})",
            id.owner.name.as_deref().unwrap_or("unknown"),
            id.owner.key.as_deref().unwrap_or("no key")
        ),
        Err(e) => println!("Owner: {e}"),
    }
    match (export.earliest_day(), export.latest_day()) {
        (Some(a), Some(b)) => println!("Dates: {} to {}", format_day(a), format_day(b)),
        _ => println!("Dates: none readable"),
    }
    println!("As of: {}", format_day(params.as_of));
    println!("Rows:");
    let acc = export.accounting();
    for (name, b) in [
        ("Connections", acc.connections),
        ("messages", acc.messages),
        ("Invitations", acc.invitations),
    ] {
        match b {
            Some(b) => {
                let parts: Vec<String> =
                    b.0.iter()
                        .filter(|(_, n)| *n > 0)
                        .map(|(k, n)| format!("{k} {}", thousands(*n)))
                        .collect();
                println!(
                    "  {name:<12} {:>9} read: {}",
                    thousands(b.rows()),
                    parts.join(", ")
                );
            }
            None => println!("  {name:<12} (no file)"),
        }
    }
    Ok(())
}
