//! `--anonymize`: stable pseudonyms for every name, and URLs, e-mails and companies dropped,
//! so that a report can be shared (DESIGN.md). Applied to the analysis before any output is
//! rendered, so every output — charts included — sees only pseudonyms.

use crate::analysis::Analysis;

/// Adjectives and nouns for readable pseudonyms ("Amber Heron 3f2a").
const ADJECTIVES: [&str; 32] = [
    "Amber", "Azure", "Bold", "Brisk", "Calm", "Cedar", "Clever", "Coral", "Crimson", "Dapper",
    "Eager", "Fern", "Gentle", "Golden", "Hazel", "Indigo", "Jolly", "Keen", "Lively", "Lunar",
    "Mellow", "Misty", "Noble", "Olive", "Plucky", "Quiet", "Russet", "Sage", "Silver", "Swift",
    "Tawny", "Vivid",
];
const NOUNS: [&str; 32] = [
    "Badger", "Bee", "Bison", "Crane", "Dove", "Falcon", "Finch", "Fox", "Gecko", "Hare", "Heron",
    "Ibis", "Jay", "Koala", "Lark", "Lynx", "Marten", "Moth", "Newt", "Otter", "Owl", "Panda",
    "Puffin", "Quail", "Raven", "Robin", "Seal", "Stoat", "Swan", "Tern", "Wren", "Yak",
];

/// A keyed 64-bit hash of `text`: SipHash-2-4 (a fixed, published algorithm, so pseudonyms
/// stay the same across orchard versions) keyed by the salt.
fn keyed_hash(salt: &str, text: &str) -> u64 {
    use std::hash::Hasher;
    // FNV-1a folds the salt into the two 64-bit SipHash keys.
    let fnv = |seed: u64| {
        salt.bytes()
            .fold(seed, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
    };
    // `SipHasher` is deprecated only in favour of the unspecified `DefaultHasher`; its
    // algorithm being fixed is exactly what stable pseudonyms need.
    #[allow(deprecated)]
    let mut h =
        std::hash::SipHasher::new_with_keys(fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142));
    h.write(text.as_bytes());
    h.finish()
}

/// The pseudonym of a person key: two words and four hex digits.
pub fn pseudonym(salt: &str, key: &str) -> String {
    let h = keyed_hash(salt, key);
    format!(
        "{} {} {:04x}",
        ADJECTIVES[(h & 31) as usize],
        NOUNS[((h >> 5) & 31) as usize],
        (h >> 16) & 0xffff
    )
}

/// The anonymous key that replaces a person key.
pub fn anonymous_key(salt: &str, key: &str) -> String {
    format!("anon:{:016x}", keyed_hash(salt, key))
}

/// Replaces every name and key with its pseudonym and drops companies, positions, URLs and
/// paths (which hold the export's folder name, often the owner's).
pub fn anonymize(a: &mut Analysis, salt: &str) {
    for p in a.id.people.iter_mut() {
        p.name = pseudonym(salt, &p.key);
        p.key = anonymous_key(salt, &p.key);
        p.company.clear();
        p.position.clear();
    }
    if let Some(key) = a.id.owner.key.take() {
        a.id.owner.name = Some(pseudonym(salt, &key));
        a.id.owner.key = Some(anonymous_key(salt, &key));
    } else if let Some(name) = a.id.owner.name.take() {
        a.id.owner.name = Some(pseudonym(salt, &name));
    }
    if let Some(list) = a.insights.reconnect.as_mut() {
        for r in list {
            r.name = pseudonym(salt, &r.key);
            r.key = anonymous_key(salt, &r.key);
            r.company.clear();
        }
    }
    a.insights.companies.clear();
    if let Some(invitations) = a.id.invitations.as_mut() {
        for i in invitations {
            i.key = anonymous_key(salt, &i.key);
            i.message.clear();
        }
    }
    for f in a.export.files.iter_mut() {
        f.path = f.kind.usual_name().to_string();
        f.ignored.clear();
    }
    a.export.name = "export".into();
    a.anonymized = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_per_salt_and_differ_across_salts() {
        let a = pseudonym("s1", "linkedin.com/in/ada");
        assert_eq!(a, pseudonym("s1", "linkedin.com/in/ada"));
        assert_ne!(a, pseudonym("s2", "linkedin.com/in/ada"));
        assert_ne!(a, pseudonym("s1", "linkedin.com/in/alan"));
        assert!(!a.to_lowercase().contains("ada"));
        assert!(anonymous_key("s1", "linkedin.com/in/ada").starts_with("anon:"));
    }

    /// Pinned so that a change of algorithm — which would re-key every shared report — is
    /// noticed.
    #[test]
    fn pseudonym_algorithm_is_pinned() {
        assert_eq!(pseudonym("salt", "linkedin.com/in/ada"), "Quiet Dove 4956");
    }
}
