//! String interning: repeated texts (conversation ids, names, URLs) are stored once and
//! referred to by a small integer, so that millions of message rows stay compact.

use crate::hash::HashMap;

/// A reference to an interned string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

impl Sym {
    /// The empty string, always present.
    pub const EMPTY: Sym = Sym(0);
}

/// A table of distinct strings.
#[derive(Debug)]
pub struct Interner {
    map: HashMap<Box<str>, Sym>,
    strings: Vec<Box<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut i = Interner {
            map: HashMap::default(),
            strings: Vec::new(),
        };
        i.intern("");
        i
    }
}

impl Interner {
    /// The symbol of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let sym = Sym(self.strings.len() as u32);
        self.strings.push(s.into());
        self.map.insert(s.into(), sym);
        sym
    }
    /// The text of a symbol.
    pub fn get(&self, sym: Sym) -> &str {
        &self.strings[sym.0 as usize]
    }
    /// Every string, in the order of its symbol.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.strings.iter().map(|s| &**s)
    }
    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }
    /// Whether only the empty string is present.
    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
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
    }
}
