//! Who is in a synthetic export: a unique name and profile URL for every person index, worked
//! out on demand from the index (nothing is stored per person), and the owner.
//!
//! Names must be unique after METRICS.md §1 normalisation, or orchard would rightly merge two
//! people (2018–2021 files match people by name): every name is a mixed-radix reading of a
//! permuted index over word lists whose entries differ case-insensitively. URLs are unique by
//! a bijective hash of the index in their slug.

use super::rng::mix64;

/// First names (one word each, none shared case-insensitively with [`LAST`] or the owners).
// Packed: a word list reads better many to a line.
#[rustfmt::skip]
pub(crate) const FIRST: &[&str] = &[
    "Ada", "Adebayo", "Aditi", "Aiko", "Alejandro", "Amara", "Amir", "Ana", "Anaïs", "Andrea",
    "Aoife", "Arjun", "Astrid", "Ayesha", "Beatriz", "Benedikt", "Bilal", "Björn", "Bram",
    "Camila", "Carlos", "Chiara", "Chidi", "Chloé", "Daniel", "Darius", "Dmitri", "Ebru", "Elena",
    "Emeka", "Emma", "Esther", "Fatima", "Felix", "Fernanda", "Finn", "Gabriel", "Gemma",
    "Giulia", "Hamza", "Hana", "Hannah", "Hugo", "Ifeoma", "Ingrid", "Isabel", "Ivan", "Jakub",
    "James", "Javier", "Jia", "Joana", "José", "Julia", "Kai", "Karim", "Katarzyna", "Kenji",
    "Kofi", "Laila", "Lars", "Leila", "Liam", "Lucía", "Lukas", "Łukasz", "Mai", "Malik", "Marco",
    "Margarida", "Maria", "Mateo", "Mei", "Mia", "Mohamed", "Nadia", "Naomi", "Nikhil", "Nina",
    "Noah", "Nour", "Olga", "Olivia", "Omar", "Oscar", "Paula", "Pedro", "Priya", "Rafael",
    "Rahul", "Rania", "Ravi", "Rebecca", "Ricardo", "Rosa", "Ruth", "Sakura", "Samuel", "Sara",
    "Sebastián", "Siobhán", "Sofia", "Sól", "Stefan", "Sunita", "Tariq", "Thandiwe", "Thomas",
    "Tiago", "Tomasz", "Uchenna", "Valentina", "Vikram", "Wei", "Xavier", "Yara", "Yasmin",
    "Yuki", "Yusuf", "Zainab", "Zeynep", "Zoë", "Ümit", "Agnieszka", "Bongani", "Dagny", "Eero",
    "Farah", "Gustavo", "Hiroshi", "Imani", "Joaquín", "Kwame", "Lorenzo", "Matteo", "Nils",
    "Orla", "Pavel", "Quentin", "Rashida", "Soren", "Teodora", "Ulla",
];

/// Last names (no hyphen, so that a double surname `A-B` reads back one way only).
// Packed: a word list reads better many to a line.
#[rustfmt::skip]
pub(crate) const LAST: &[&str] = &[
    "Abara", "Acheampong", "Adeyemi", "Almeida", "Andersen", "Araújo", "Bakker", "Banerjee",
    "Barros", "Becker", "Bergström", "Bianchi", "Brennan", "Brown", "Carvalho", "Castillo",
    "Chen", "Chowdhury", "Costa", "Dąbrowski", "de Jong", "Delgado", "Demir", "Diallo", "Dubois",
    "Dutta", "Eriksson", "Esposito", "Fernández", "Ferreira", "Fischer", "Fitzgerald", "Fontaine",
    "García", "Gómez", "González", "Gupta", "Haddad", "Hansen", "Hashemi", "Hernández",
    "Hoffmann", "Horvath", "Ibrahim", "Ito", "Iyer", "Jansen", "Jensen", "Kaya", "Khan", "Kim",
    "Kowalski", "Kumar", "Larsen", "Laurent", "Lee", "Lindqvist", "López", "Lund", "Mahlangu",
    "Martín", "Martins", "Mendes", "Mensah", "Moreau", "Morris", "Müller", "Murphy", "Nakamura",
    "Nasser", "Ndlovu", "Nguyen", "Nielsen", "Novak", "Nowak", "Nwosu", "O'Brien", "O'Connor",
    "Okafor", "Okonkwo", "Oliveira", "Osei", "Özdemir", "Papadopoulos", "Patel", "Pereira",
    "Petrov", "Popescu", "Quinn", "Rahman", "Ramos", "Reddy", "Reyes", "Ribeiro", "Richter",
    "Rossi", "Ruiz", "Russo", "Saito", "Sánchez", "Santos", "Schmidt", "Schneider", "Sharma",
    "Silva", "Singh", "Sokolov", "Sousa", "Suzuki", "Svensson", "Tanaka", "Tekcan", "Torres",
    "Tran", "van der Berg", "Vasquez", "Virtanen", "Wagner", "Walsh", "Wang", "Weber",
    "Wiśniewski", "Wójcik", "Wu", "Yamamoto", "Yilmaz", "Zhang", "Zimmermann", "Achterberg",
    "Balogun", "Cardoso", "Dlamini", "Eze", "Fagerlund", "Grünewald", "Halvorsen", "Idowu",
    "Jovanović", "Kovač", "Lemaire", "Mbeki", "Nyström", "Ortega", "Pham", "Qureshi", "Rosales",
];

/// Owners: first names in no other list, so the owner never shares a name with anyone.
const OWNERS: &[(&str, &str)] = &[
    ("Wren", "Halloway"),
    ("Elif", "Sandoval"),
    ("Teodor", "Vance"),
    ("Ines", "Marlowe"),
    ("Oskar", "Lindqvist"),
    ("Maëlle", "Okonkwo"),
    ("Tomás", "Achterberg"),
    ("Ngozi", "Fontaine"),
];

/// Credentials and emoji some people put after their name. The first two hold a comma not
/// followed by a space, which `TO` splitting cuts apart and known names glue back
/// (METRICS.md §3).
const SUFFIXES: &[&str] = &[
    " (PMP, CSM,SAFe)",
    " (SPHRi, ACIPM,PCHRM)",
    ", PhD",
    ", MBA",
    ", CFA",
    ", MSc (SE).",
    " 🚀",
    " ✨",
];

/// Companies; a few hold commas or trailing spaces, as real ones do.
pub(crate) const COMPANIES: &[&str] = &[
    "Northwind Traders",
    "Contoso Ltd",
    "Fabrikam, Inc.",
    "Lumen Labs",
    "Copperline Media",
    "Delta Rail",
    "Oxbridge Biotech",
    "Keystone Ferries",
    "Juniper School",
    "Tallow & Wick",
    "Verde Analytics",
    "Cedar Health",
    "Brightwater Energy",
    "Helix Robotics",
    "Quantum Leap Consulting",
    "Atlas Logistics",
    "Bluefin Capital",
    "Harbor Freight Systems",
    "Nimbus Cloud",
    "Orchid Pharma",
    "Pinecrest University",
    "Riverside Hospital",
    "Summit Ventures",
    "Tidewater Foods",
    "Umbra Security",
    "Vector Design Studio",
    "Willow Creek Bank",
    "Zenith Aerospace",
    "Gegnat Yards ",
    "Banco Meridional",
    "Grupo Solaris",
    "Independent",
    "Self-employed",
    "Freelance",
    "Ministry of Digital Affairs",
    "European Data Authority",
    "Acme Widgets, LLC",
    "Kestrel Games",
    "Marigold Retail",
    "Obsidian Labs",
];

/// Positions; some with commas, one with a tab (FORMATS.md).
pub(crate) const POSITIONS: &[&str] = &[
    "Software Engineer",
    "Senior Data Scientist",
    "Product Manager",
    "Head of Talent Acquisition",
    "Talent Acquisition Specialist",
    "Co-Founder, Chief Product Officer",
    "CEO",
    "Founder & CEO",
    "Account Executive",
    "Marketing Manager",
    "UX Designer",
    "Research Assistant",
    "Policy Officer",
    "Head of Department",
    "Partner | Attorney at law",
    "Business Analyst",
    "Data Engineer",
    "Recruiter",
    "Sales Lead",
    "Teacher",
    "Nurse Practitioner",
    "Principal Scientist",
    "Programme Manager",
    "Owner, Lead Surveyor",
    "Engineering Manager",
    "Student",
    "Consultant",
    "VP of Research",
    "Analyst\tRisk",
    "Customer Success Manager",
];

/// Cities, for message text.
// Packed: a word list reads better many to a line.
#[rustfmt::skip]
pub(crate) const CITIES: &[&str] = &[
    "Lisbon", "Berlin", "Lagos", "Toronto", "Bangalore", "São Paulo", "Cork", "Nairobi",
    "Singapore", "Austin", "Warsaw", "Dubai", "Melbourne", "Madrid", "Seoul", "Cairo",
];

/// A tier of names: persons `start..start+size` read as a permutation of that many name
/// combinations (an affine map, bijective because its multiplier is a prime larger than
/// every factor of `size`).
#[derive(Clone, Copy, Debug)]
struct Tier {
    start: u64,
    size: u64,
    add: u64,
}

const MULTIPLIER: u64 = 1_000_000_007;

/// Unique names for person indices.
#[derive(Clone, Debug)]
pub(crate) struct Names {
    tiers: [Tier; 4],
}

/// The words of one name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Parts {
    /// First name.
    pub first: &'static str,
    /// A middle initial, `A`–`Z`.
    pub middle: Option<char>,
    /// Last name.
    pub last: &'static str,
    /// Second surname, joined with a hyphen.
    pub last2: Option<&'static str>,
}

impl Names {
    /// Plain `First Last` names first (every export up to ~23,000 people has only those),
    /// then middle initials, then double surnames, then both.
    pub fn new(seed: u64) -> Names {
        let (f, l) = (FIRST.len() as u64, LAST.len() as u64);
        let sizes = [f * l, f * l * 26, f * l * l, f * l * 26 * l];
        let mut start = 0;
        let tiers = sizes.map(|size| {
            let t = Tier {
                start,
                size,
                add: mix64(seed ^ start) % size,
            };
            start += size;
            t
        });
        Names { tiers }
    }

    /// How many distinct names there are.
    pub fn capacity(&self) -> u64 {
        let last = self.tiers[3];
        last.start + last.size
    }

    /// The words of person `idx`'s name (`idx < capacity()`).
    pub fn parts(&self, idx: u64) -> Parts {
        let (tier, t) = self
            .tiers
            .iter()
            .enumerate()
            .rfind(|(_, t)| idx >= t.start)
            .expect("tier 0 starts at 0");
        let k = idx - t.start;
        let mut p = ((u128::from(k) * u128::from(MULTIPLIER) + u128::from(t.add))
            % u128::from(t.size)) as u64;
        let mut digit = |n: usize| {
            let d = (p % n as u64) as usize;
            p /= n as u64;
            d
        };
        let first = FIRST[digit(FIRST.len())];
        let last = LAST[digit(LAST.len())];
        let letter = |i: usize| char::from(b'A' + i as u8);
        let (middle, last2) = match tier {
            0 => (None, None),
            1 => (Some(letter(digit(26))), None),
            2 => (None, Some(LAST[digit(LAST.len())])),
            _ => {
                let m = letter(digit(26));
                (Some(m), Some(LAST[digit(LAST.len())]))
            }
        };
        Parts {
            first,
            middle,
            last,
            last2,
        }
    }
}

/// The export's owner.
#[derive(Clone, Debug)]
pub(crate) struct Owner {
    /// First name.
    pub first: &'static str,
    /// Last name.
    pub last: &'static str,
    /// `First Last`.
    pub name: String,
    /// Profile URL.
    pub url: String,
    /// `urn:li:member:…` (mid-2023 invitations).
    pub urn: String,
}

/// Everyone's names and URLs, derived from person indices.
#[derive(Clone, Debug)]
pub(crate) struct Cast {
    names: Names,
    seed: u64,
    /// Person indices below this are connections: only they wear suffixes, which must be
    /// known names for `TO` splitting to glue them back (METRICS.md §3).
    connections: u64,
    /// Names that always wear a bare-comma suffix (sorted).
    credentials: Vec<u64>,
    /// The owner.
    pub owner: Owner,
}

impl Cast {
    /// The cast of one seed, with `connections` connections, `credentials` of whom always
    /// wear a bare-comma suffix.
    pub fn new(seed: u64, connections: u64, mut credentials: Vec<u64>) -> Cast {
        credentials.sort_unstable();
        let (first, last) = OWNERS[(mix64(seed ^ 0x0a11) % OWNERS.len() as u64) as usize];
        let tag = mix64(seed ^ 0x0a12) as u32;
        let mut slug = String::new();
        slugify(&format!("{first} {last}"), &mut slug);
        Cast {
            names: Names::new(seed),
            seed,
            connections,
            credentials,
            owner: Owner {
                first,
                last,
                name: format!("{first} {last}"),
                url: format!("https://www.linkedin.com/in/{slug}-{tag:08x}"),
                urn: format!("urn:li:member:{}", 100_000_000 + tag % 900_000_000),
            },
        }
    }

    /// The words of a name.
    pub fn parts(&self, name: u64) -> Parts {
        self.names.parts(name)
    }

    /// The suffix a connection wears after their last name, if any (3 in 100).
    pub fn suffix(&self, name: u64) -> &'static str {
        let h = mix64(self.seed ^ name.wrapping_mul(0x9E37_79B9));
        if self.credentials.binary_search(&name).is_ok() {
            SUFFIXES[(h >> 32) as usize % 2]
        } else if name < self.connections && h % 100 < 3 {
            SUFFIXES[(h >> 32) as usize % SUFFIXES.len()]
        } else {
            ""
        }
    }

    /// `First Name` and `Last Name` as `Connections.csv` holds them (middle initial with the
    /// first name, suffix with the last).
    pub fn name_fields(&self, name: u64, first: &mut String, last: &mut String) {
        let p = self.parts(name);
        first.push_str(p.first);
        if let Some(m) = p.middle {
            first.push(' ');
            first.push(m);
            first.push('.');
        }
        last.push_str(p.last);
        if let Some(l2) = p.last2 {
            last.push('-');
            last.push_str(l2);
        }
        last.push_str(self.suffix(name));
    }

    /// The full name as messages and invitations show it.
    pub fn full_name(&self, name: u64, out: &mut String) {
        let (mut first, mut last) = (String::new(), String::new());
        self.name_fields(name, &mut first, &mut last);
        out.push_str(&first);
        out.push(' ');
        out.push_str(&last);
    }

    /// Person `person`'s profile URL: raw Unicode (as in messages) or percent-encoded (as in
    /// `Connections.csv`). The slug ends in a bijective hash of the person, so it is unique
    /// even between two people of one name.
    pub fn url(&self, person: u64, name: u64, encoded: bool, out: &mut String) {
        let p = self.parts(name);
        let mut slug = String::new();
        slugify(p.first, &mut slug);
        slug.push('-');
        slugify(p.last, &mut slug);
        if let Some(l2) = p.last2 {
            slug.push('-');
            slugify(l2, &mut slug);
        }
        out.push_str("https://www.linkedin.com/in/");
        if encoded {
            percent_encode(&slug, out);
        } else {
            out.push_str(&slug);
        }
        let tag = permute32(person as u32 ^ self.seed as u32);
        use std::fmt::Write as _;
        let _ = write!(out, "-{tag:08x}");
    }

    /// A `urn:li:member:…` for a person.
    pub fn urn(&self, person: u64, out: &mut String) {
        use std::fmt::Write as _;
        let n = permute32(person as u32 ^ 0x5eed) % 900_000_000;
        let _ = write!(out, "urn:li:member:{}", 100_000_000 + n);
    }
}

/// A bijection on `u32` (xorshift and odd multipliers are each invertible).
fn permute32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7FEB_352D);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846C_A68B);
    x ^ (x >> 16)
}

/// Lowercase letters and digits kept (Unicode ones too), spaces to `-`, the rest dropped.
fn slugify(text: &str, out: &mut String) {
    let mut dash = true;
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            dash = false;
        } else if (c == ' ' || c == '-') && !dash {
            out.push('-');
            dash = true;
        }
    }
    if out.ends_with('-') {
        out.pop();
    }
}

/// Percent-encodes every byte outside ASCII, as `Connections.csv` writes URLs.
fn percent_encode(text: &str, out: &mut String) {
    use std::fmt::Write as _;
    for b in text.bytes() {
        if b.is_ascii() {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{normalise_name, url_key};
    use std::collections::HashSet;

    #[test]
    fn word_lists_never_collide() {
        let mut seen = HashSet::new();
        for w in FIRST.iter().chain(LAST).chain(OWNERS.iter().map(|o| &o.0)) {
            assert!(seen.insert(normalise_name(w)), "{w} twice");
            assert!(!w.contains('-'), "{w}");
        }
        for w in FIRST.iter().chain(OWNERS.iter().map(|o| &o.0)) {
            assert!(!w.contains(' '), "{w}");
        }
    }

    #[test]
    fn names_and_urls_are_unique_after_normalising() {
        let cast = Cast::new(3, 30_000, vec![5]);
        let mut names = HashSet::new();
        let mut urls = HashSet::new();
        // Across the tier boundaries too.
        let t1 = (FIRST.len() * LAST.len()) as u64;
        let picks = (0..30_000u64)
            .chain(t1 * 26..t1 * 26 + 2000)
            .chain(t1 * 27 - 500..t1 * 27 + 500);
        for i in picks {
            let mut n = String::new();
            cast.full_name(i, &mut n);
            assert!(names.insert(normalise_name(&n)), "{n}");
            assert_ne!(normalise_name(&n), normalise_name(&cast.owner.name));
            let (mut raw, mut enc) = (String::new(), String::new());
            cast.url(i, i, false, &mut raw);
            cast.url(i, i, true, &mut enc);
            let key = url_key(&raw).expect("usable");
            assert_eq!(url_key(&enc).as_deref(), Some(key.as_str()));
            assert!(urls.insert(key));
        }
        assert!(Names::new(1).capacity() > 50_000_000);
    }
}
