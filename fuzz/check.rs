// Shared by the targets (included, not a module of its own crate): what must hold of any
// export that was read.
use orchard::export::Export;

/// The accounting adds up to the rows kept, and every date the export reports lies within it.
pub fn check(export: &Export) {
    let acc = export.accounting();
    if let (Some(b), Some(c)) = (&acc.connections, &export.connections) {
        assert_eq!(b.rows(), c.rows.len() as u64);
    }
    if let (Some(b), Some(m)) = (&acc.messages, &export.messages) {
        assert_eq!(b.rows(), m.rows.len() as u64);
    }
    if let (Some(b), Some(i)) = (&acc.invitations, &export.invitations) {
        assert_eq!(b.rows(), i.rows.len() as u64);
    }
    if let (Some(a), Some(b)) = (export.earliest_day(), export.latest_day()) {
        assert!(a <= b);
        let _ = orchard::export::format_day(a);
        let _ = orchard::export::format_day(b);
    }
}
