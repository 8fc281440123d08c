//! Hash maps and sets with a fast hasher. std's SipHash was the largest single cost of
//! identity on large exports; foldhash is several times faster and still seeded per process,
//! so crafted input cannot force collisions. Nothing depends on iteration order.

/// A `HashMap` with foldhash.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A `HashSet` with foldhash.
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
