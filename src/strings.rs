//! String interning: repeated texts (names, URLs) are stored once and
//! referred to by a small integer, so that millions of message rows stay compact.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// A reference to an interned string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

impl Sym {
    /// The empty string, always present.
    pub const EMPTY: Sym = Sym(0);
}

/// A table of distinct strings, kept end to end in one buffer: no allocation per string,
/// and a symbol costs a few bytes of index beside its text.
#[derive(Debug)]
pub struct Interner {
    /// Every string, end to end, in the order of its symbol.
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<usize>,
    /// Each string's hash (by `state`), so that the table grows without hashing again and
    /// another interner sharing `state` can take strings in without hashing them.
    hashes: Vec<u64>,
    /// Symbols by the hash of their text.
    table: HashTable<Sym>,
    state: foldhash::fast::RandomState,
}

impl Default for Interner {
    fn default() -> Self {
        Interner::with_state(foldhash::fast::RandomState::default())
    }
}

impl Interner {
    fn with_state(state: foldhash::fast::RandomState) -> Self {
        Interner::with_state_and_capacity(state, 0, 0)
    }

    fn with_state_and_capacity(
        state: foldhash::fast::RandomState,
        strings: usize,
        bytes: usize,
    ) -> Self {
        let mut i = Interner {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(strings),
            hashes: Vec::with_capacity(strings),
            table: HashTable::with_capacity(strings),
            state,
        };
        i.intern("");
        i
    }

    /// An empty interner that hashes as this one does, so that [`Interner::absorb`] can take
    /// its strings into this one without hashing them again.
    pub fn sibling(&self) -> Interner {
        Interner::with_state(self.state)
    }

    /// A [`Interner::sibling`] with room for `strings` strings of `bytes` bytes in all: one
    /// that grows re-inserts every string (by its stored hash) and copies every text each
    /// time.
    pub fn sibling_with_capacity(&self, strings: usize, bytes: usize) -> Interner {
        Interner::with_state_and_capacity(self.state, strings, bytes)
    }

    /// Room for `strings` more strings of `bytes` more bytes in all, where memory allows:
    /// growing a table of millions re-inserts every string, on one thread.
    pub fn reserve(&mut self, strings: usize, bytes: usize) {
        let hashes = &self.hashes;
        let _ = self
            .table
            .try_reserve(strings, |sym| hashes[sym.0 as usize]);
        let _ = self.ends.try_reserve(strings);
        let _ = self.hashes.try_reserve(strings);
        let _ = self.text.try_reserve(bytes);
    }

    /// The symbol of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> Sym {
        let hash = self.state.hash_one(s);
        self.intern_hashed(s, hash)
    }

    /// Interns `text(raw)`, the text of a field's bytes `raw`, comparing `raw` first with the
    /// texts of `likely` (symbols of this interner): a message row mostly repeats texts of the
    /// row before it (the two people writing to each other), and comparing
    /// bytes is cheaper than decoding them, hashing and a lookup. `text` must give back every
    /// text interned here as it is (its texts are decoded and trimmed already), so the symbol
    /// is the same either way.
    pub fn intern_likely(
        &mut self,
        likely: &[Sym],
        raw: &[u8],
        text: impl FnOnce(&[u8]) -> std::borrow::Cow<'_, str>,
    ) -> Sym {
        for &sym in likely {
            if self.get(sym).as_bytes() == raw {
                return sym;
            }
        }
        self.intern(&text(raw))
    }

    fn intern_hashed(&mut self, s: &str, hash: u64) -> Sym {
        let (text, ends) = (&self.text, &self.ends);
        let get = |sym: &Sym| text_of(text, ends, *sym);
        if let Some(&sym) = self.table.find(hash, |sym| get(sym) == s) {
            return sym;
        }
        let sym = Sym(self.ends.len() as u32);
        let hashes = &self.hashes;
        self.table
            .insert_unique(hash, sym, |sym| hashes[sym.0 as usize]);
        self.text.push_str(s);
        self.ends.push(self.text.len());
        self.hashes.push(hash);
        sym
    }

    /// Takes in every string of `other` (a [`Interner::sibling`] of this one), in the order
    /// of its symbols; returns the symbol here of each symbol there.
    pub fn absorb(&mut self, other: &Interner) -> Vec<Sym> {
        debug_assert!(self.state.hash_one("x") == other.state.hash_one("x"));
        (0..other.ends.len())
            .map(|i| {
                let sym = Sym(i as u32);
                self.intern_hashed(other.get(sym), other.hashes[i])
            })
            .collect()
    }

    /// The text of a symbol.
    pub fn get(&self, sym: Sym) -> &str {
        text_of(&self.text, &self.ends, sym)
    }
    /// Every string, in the order of its symbol.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.get(Sym(i as u32)))
    }
    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// The bytes of all strings together.
    pub fn bytes(&self) -> usize {
        self.text.len()
    }
    /// Whether only the empty string is present.
    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }
}

/// A number given by [`Prints`]: of its own kind, so that it is never taken for a [`Sym`] (the
/// text of a conversation id is not kept anywhere to look up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PrintId(pub u32);

impl PrintId {
    /// The empty text, always numbered first.
    pub const EMPTY: PrintId = PrintId(0);
}

/// Dense numbers for texts known by their 128-bit fingerprints alone: conversation ids, which
/// only group rows (nothing reads their text back). At ten million messages they were 40% of
/// the interned texts: each copied, compared on every lookup in a table of millions, and
/// given a normalised name and a URL key it never needed. Number 0 is the empty text.
#[derive(Debug)]
pub struct Prints {
    /// Each number's fingerprint ([`Prints::of`]).
    prints: Vec<u128>,
    /// Numbers by their fingerprint's low half (already a uniform hash).
    table: HashTable<PrintId>,
}

impl Default for Prints {
    fn default() -> Self {
        Prints::with_capacity(0)
    }
}

impl Prints {
    /// Room for `n` texts without growing.
    pub fn with_capacity(n: usize) -> Self {
        let mut p = Prints {
            prints: Vec::with_capacity(n),
            table: HashTable::with_capacity(n),
        };
        p.number(Prints::of(""));
        p
    }

    /// The fingerprint of a text: XXH3-128 of its bytes (two texts share one with odds of
    /// 2^-128).
    pub fn of(text: &str) -> u128 {
        xxhash_rust::xxh3::xxh3_128(text.as_bytes())
    }

    /// The number of the text of fingerprint `print`, given the next when new.
    pub fn number(&mut self, print: u128) -> PrintId {
        let prints = &self.prints;
        if let Some(&id) = self
            .table
            .find(print as u64, |i| prints[i.0 as usize] == print)
        {
            return id;
        }
        let id = PrintId(self.prints.len() as u32);
        self.table
            .insert_unique(print as u64, id, |i| prints[i.0 as usize] as u64);
        self.prints.push(print);
        id
    }

    /// Takes in every text of `other`, in the order of its numbers; returns the number here
    /// of each number there.
    pub fn absorb(&mut self, other: &Prints) -> Vec<PrintId> {
        other.prints.iter().map(|&p| self.number(p)).collect()
    }

    /// Room for `n` more texts, where memory allows.
    pub fn reserve(&mut self, n: usize) {
        let prints = &self.prints;
        let _ = self.table.try_reserve(n, |i| prints[i.0 as usize] as u64);
        let _ = self.prints.try_reserve(n);
    }

    /// How many texts are numbered, the empty one included.
    pub fn len(&self) -> usize {
        self.prints.len()
    }

    /// Whether only the empty text is numbered.
    pub fn is_empty(&self) -> bool {
        self.prints.len() <= 1
    }
}

fn text_of<'t>(text: &'t str, ends: &[usize], sym: Sym) -> &'t str {
    let i = sym.0 as usize;
    let (start, end) = (if i == 0 { 0 } else { ends[i - 1] }, ends[i]);
    assert!(start <= end && end <= text.len());
    // SAFETY: every end is where a whole string pushed onto `text` ends, a char boundary;
    // checking the boundaries again on every comparison was a few percent of reading.
    unsafe { text.get_unchecked(start..end) }
}

/// `str::trim`, quicker for the usual text that neither starts nor ends with a space: a
/// visible ASCII character at both ends is not trimmed.
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_once() {
        let mut i = Interner::default();
        assert_eq!(i.intern(""), Sym::EMPTY);
        let a = i.intern("a");
        assert_eq!(i.intern("a"), a);
        assert_ne!(i.intern("b"), a);
        assert_eq!(i.get(a), "a");
        assert_eq!(i.len(), 3);
        assert_eq!(i.iter().collect::<Vec<_>>(), ["", "a", "b"]);
    }

    #[test]
    fn prints_number_texts_in_first_seen_order() {
        let mut a = Prints::default();
        assert_eq!(a.number(Prints::of("")), PrintId::EMPTY);
        let x = a.number(Prints::of("x"));
        assert_eq!(
            (x, a.number(Prints::of("x")), a.len()),
            (PrintId(1), PrintId(1), 2)
        );
        let mut b = Prints::default();
        let (y, x_there) = (b.number(Prints::of("y")), b.number(Prints::of("x")));
        let moved = a.absorb(&b);
        assert_eq!(moved[0], PrintId::EMPTY);
        assert_eq!(moved[y.0 as usize], PrintId(2), "new to a: numbered next");
        assert_eq!(moved[x_there.0 as usize], x, "known to a: its number there");
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "ab",
            "a b",
            "\u{a0}a",
            "a\u{3000}",
            "é",
            " é ",
            "\u{85}x",
            "x\u{2028}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn a_likely_symbol_is_taken_only_when_its_text_is_the_same() {
        let mut i = Interner::default();
        let (a, b) = (i.intern("a"), i.intern("b"));
        // Texts trimmed, as the readers give them.
        fn text(raw: &[u8]) -> std::borrow::Cow<'_, str> {
            trim(std::str::from_utf8(raw).unwrap()).into()
        }
        assert_eq!(i.intern_likely(&[b, a], b"a", text), a);
        assert_eq!(
            i.intern_likely(&[b], b"a", text),
            a,
            "a wrong guess changes nothing"
        );
        assert_eq!(
            i.intern_likely(&[b], b" a ", text),
            a,
            "bytes that are not the text are made text"
        );
        let c = i.intern_likely(&[a, b], b"c", text);
        assert_eq!((c, i.get(c), i.len()), (Sym(3), "c", 4));
        assert_eq!(i.intern_likely(&[], b"", text), Sym::EMPTY);
        assert_eq!(i.intern_likely(&[a], b"  ", text), Sym::EMPTY);
    }

    #[test]
    fn absorbing_a_sibling_keeps_first_seen_order() {
        let mut whole = Interner::default();
        let mut part = whole.sibling();
        whole.intern("b");
        for t in ["c", "b", "a"] {
            part.intern(t);
        }
        let map = whole.absorb(&part);
        assert_eq!(map.len(), 4);
        assert_eq!(map[0], Sym::EMPTY);
        assert_eq!(whole.iter().collect::<Vec<_>>(), ["", "b", "c", "a"]);
        for (i, t) in part.iter().enumerate() {
            assert_eq!(whole.get(map[i]), t);
        }
    }
}
