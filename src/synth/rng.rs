//! A small PRNG of our own, xoshiro256** seeded by splitmix64, so that a seed gives the same
//! export whatever crate versions are in use. Only IEEE-exact float operations (`+ − × ÷ √`)
//! are used on its output, so the bytes do not depend on the platform's `libm` either.

/// splitmix64's finaliser: a bijection on `u64` that scrambles its input well.
pub(crate) const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman and Vigna), one independent stream per purpose.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// The stream `stream` of `seed`: streams of one seed are unrelated to each other.
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut state = seed ^ mix64(stream ^ 0x6A09_E667_F3BC_C908);
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix64(state)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is far below anything visible).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `0..n`, as an index.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi` (`lo` when the range is empty).
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo) as u64 + 1) as i64
        }
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// A Pareto draw with tail index 4/3 (`u^(−3/4)`, at least 1), capped: message counts per
    /// tie are heavy-tailed in real networks.
    pub fn heavy(&mut self, cap: f64) -> f64 {
        let u = 1.0 - self.unit();
        let s = u.sqrt();
        (1.0 / (s * s.sqrt())).min(cap)
    }

    /// Roughly log-uniform in `lo..=hi` (`lo ≥ 1`): an octave uniformly, then a point in it.
    /// Gaps between messages span minutes to months, each scale about as common.
    pub fn spread(&mut self, lo: i64, hi: i64) -> i64 {
        let lo = lo.max(1);
        if hi <= lo {
            return lo;
        }
        let octaves = (63 - (hi / lo).leading_zeros()) as u64;
        let base = lo << self.below(octaves + 1);
        (base + self.below(base as u64) as i64).min(hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(7, 1).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::new(7, 1).next_u64(), Rng::new(7, 2).next_u64());
        assert_ne!(Rng::new(7, 1).next_u64(), Rng::new(8, 1).next_u64());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = Rng::new(1, 0);
        for _ in 0..10_000 {
            assert!(r.below(7) < 7);
            let b = r.between(-3, 3);
            assert!((-3..=3).contains(&b));
            let s = r.spread(60, 86_400);
            assert!((60..=86_400).contains(&s));
            let h = r.heavy(50.0);
            assert!((1.0..=50.0).contains(&h));
        }
        assert_eq!(r.between(5, 5), 5);
        assert_eq!(r.spread(10, 3), 10);
    }

    #[test]
    fn mix_is_a_bijection_on_a_sample() {
        let mut seen: Vec<u64> = (0..10_000).map(mix64).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 10_000);
    }
}
