//! Hash maps and sets with a fast hasher. std's SipHash was the largest single cost of
//! identity on large exports; foldhash is several times faster and still seeded per process,
//! so crafted input cannot force collisions. Nothing depends on iteration order.

/// A `HashMap` with foldhash.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A `HashSet` with foldhash.
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// Ids (`u32`) found by the hash of a key that the caller keeps: the key is stored once, in
/// the caller's table, and compared there. Open addressing with linear probing; a slot holds
/// the hash's high half and the id. A key's slot follows from its hash, and unlike a
/// hashbrown table this one can fetch it on request ([`IdIndex::prefetch`]), so a caller
/// inserting keys in an order it must keep can have the slots of the keys ahead fetched while
/// it deals with this one: a million connections are then not a million waits on memory, one
/// after another.
pub struct IdIndex {
    /// Each slot the hash's high half above the id plus one; 0 when empty. Plain words, so
    /// that the table is allocated zeroed: room never used is only address space.
    slots: Vec<u64>,
    len: usize,
}

/// A slot's id, when it holds one.
fn id_in(slot: u64) -> Option<u32> {
    (slot as u32).checked_sub(1)
}

impl IdIndex {
    /// Room for `n` ids without growing.
    pub fn with_capacity(n: usize) -> IdIndex {
        IdIndex {
            slots: vec![0; Self::slots_for(n)],
            len: 0,
        }
    }

    /// Slots for `n` ids: at most three in four used, so that probes stay short.
    fn slots_for(n: usize) -> usize {
        (n + n / 3 + 1).next_power_of_two().max(16)
    }

    /// The slot `hash` starts probing at, and its tag (the hash's high half, in place).
    fn start(&self, hash: u64) -> (usize, u64) {
        (hash as usize & (self.slots.len() - 1), hash & !0xffff_ffff)
    }

    /// The id whose key has `hash` and for which `is_key` holds, if any.
    pub fn find(&self, hash: u64, mut is_key: impl FnMut(u32) -> bool) -> Option<u32> {
        let (mut i, tag) = self.start(hash);
        let mask = self.slots.len() - 1;
        loop {
            let slot = self.slots[i];
            let id = id_in(slot)?;
            if slot & !0xffff_ffff == tag && is_key(id) {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `id`, whose key has `hash` and is not in the index yet; `hash_of` gives any id's
    /// key hash, for when the index grows.
    pub fn insert_unique(&mut self, hash: u64, id: u32, hash_of: impl Fn(u32) -> u64) {
        assert!(id < u32::MAX, "ids below u32::MAX");
        if Self::slots_for(self.len + 1) > self.slots.len() {
            let old = std::mem::replace(&mut self.slots, vec![0; Self::slots_for(self.len + 1)]);
            for id in old.into_iter().filter_map(id_in) {
                self.place(hash_of(id), id);
            }
        }
        self.place(hash, id);
        self.len += 1;
    }

    /// Puts `id` in the first empty slot from `hash`'s.
    fn place(&mut self, hash: u64, id: u32) {
        let (mut i, tag) = self.start(hash);
        let mask = self.slots.len() - 1;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = tag | u64::from(id + 1);
    }

    /// Asks for the slot `hash` starts at to be fetched into the cache, ahead of a
    /// [`IdIndex::find`] or [`IdIndex::insert_unique`] with it. Only a hint: it changes no
    /// outcome.
    pub fn prefetch(&self, hash: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            let (i, _) = self.start(hash);
            // SAFETY: `i` is within `slots` (masked by its length less one), and a prefetch
            // reads nothing the program sees.
            unsafe {
                use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
                _mm_prefetch::<_MM_HINT_T0>(self.slots.as_ptr().add(i).cast());
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = hash;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn ids_are_found_by_their_keys_as_the_index_grows() {
        // Keys held by the caller, as people are; the index starts too small and grows.
        let state = foldhash::fast::RandomState::default();
        let keys: Vec<String> = (0..5_000).map(|i| format!("in/person-{i}")).collect();
        let hash_of = |id: u32| state.hash_one(&keys[id as usize]);
        let mut index = IdIndex::with_capacity(3);
        for id in 0..keys.len() as u32 {
            let hash = hash_of(id);
            index.prefetch(hash);
            assert_eq!(
                index.find(hash, |k| keys[k as usize] == keys[id as usize]),
                None
            );
            index.insert_unique(hash, id, hash_of);
        }
        for (id, key) in keys.iter().enumerate() {
            let found = index.find(state.hash_one(key), |k| &keys[k as usize] == key);
            assert_eq!(found, Some(id as u32), "{key}");
        }
        let absent = "in/nobody".to_string();
        assert_eq!(
            index.find(state.hash_one(&absent), |k| keys[k as usize] == absent),
            None
        );
        assert!(index.slots.len() >= keys.len() * 4 / 3);
    }

    #[test]
    fn keys_of_one_hash_are_told_apart_by_the_caller() {
        // Every key with the same hash: the index finds each by the caller's comparison.
        let keys = [
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
        ];
        let mut index = IdIndex::with_capacity(0);
        for id in 0..keys.len() as u32 {
            index.insert_unique(42, id, |_| 42);
        }
        for (id, key) in keys.iter().enumerate() {
            assert_eq!(
                index.find(42, |k| keys[k as usize] == *key),
                Some(id as u32)
            );
        }
        assert_eq!(index.find(42, |_| false), None);
        // Another hash starting among them is told apart by its high half, and one starting
        // at an empty slot finds nothing, whatever the caller says.
        assert_eq!(index.find(43 | 1 << 40, |_| true), None, "another tag");
        assert_eq!(index.find(5, |_| true), None, "an empty slot");
    }
}
