//! Statistics used by the network figures: Wilson and Newcombe intervals, Kaplan–Meier,
//! Gini. Each is checked against a published worked example in the tests below.

/// The normal quantile for a two-sided 95% interval (METRICS.md §5).
pub const Z95: f64 = 1.959964;

/// A proportion with its Wilson score interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Proportion {
    /// Trials.
    pub n: u64,
    /// Successes.
    pub x: u64,
    /// `x / n`.
    pub rate: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// The Wilson score interval for `x` of `n` (Newcombe 1998a, method 3); `None` when `n` = 0.
///
/// ```
/// use orchard::metrics::stats::{wilson, Z95};
/// let p = wilson(81, 263, Z95).unwrap();
/// assert!((p.low - 0.2553).abs() < 5e-5 && (p.high - 0.3662).abs() < 5e-5);
/// ```
pub fn wilson(x: u64, n: u64, z: f64) -> Option<Proportion> {
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let p = x as f64 / nf;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / (1.0 + z2 / nf);
    Some(Proportion {
        n,
        x,
        rate: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// A difference of two proportions with its interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    /// `p1 − p2`.
    pub value: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// `p1 − p2` with Newcombe's hybrid score interval (Newcombe 1998b, method 10).
pub fn newcombe(a: &Proportion, b: &Proportion) -> Difference {
    let d = a.rate - b.rate;
    let delta = ((a.rate - a.low).powi(2) + (b.high - b.rate).powi(2)).sqrt();
    let epsilon = ((a.high - a.rate).powi(2) + (b.rate - b.low).powi(2)).sqrt();
    Difference {
        value: d,
        low: d - delta,
        high: d + epsilon,
    }
}

/// A Kaplan–Meier estimate: the distinct event times and `S` just after each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Survival {
    /// `(t, S(t))` at each distinct event time, ascending.
    pub curve: Vec<(i64, f64)>,
    /// The largest time observed, event or censored.
    pub max_time: Option<i64>,
}

impl Survival {
    /// Kaplan–Meier from `(time, event)` pairs (METRICS.md §6): at each distinct event time `t`,
    /// `n_t` = subjects with time ≥ `t`, `d_t` = events at `t`, `S(t) = Π (1 − d_t / n_t)`.
    pub fn estimate(subjects: &[(i64, bool)]) -> Survival {
        let mut sorted = subjects.to_vec();
        sorted.sort_unstable_by_key(|&(t, _)| t);
        let mut curve = Vec::new();
        let mut s = 1.0;
        let mut i = 0;
        while i < sorted.len() {
            let t = sorted[i].0;
            let at_risk = sorted.len() - i;
            let j = i + sorted[i..].partition_point(|&(u, _)| u == t);
            let events = sorted[i..j].iter().filter(|&&(_, e)| e).count();
            if events > 0 {
                s *= 1.0 - events as f64 / at_risk as f64;
                curve.push((t, s));
            }
            i = j;
        }
        Survival {
            curve,
            max_time: sorted.last().map(|&(t, _)| t),
        }
    }

    /// `S(t)`, including the events at `t`; `None` beyond the largest time observed.
    pub fn at(&self, t: i64) -> Option<f64> {
        if self.max_time.is_none_or(|m| t > m) {
            return None;
        }
        let k = self.curve.partition_point(|&(u, _)| u <= t);
        Some(if k == 0 { 1.0 } else { self.curve[k - 1].1 })
    }

    /// The smallest event time with `S(t) ≤ 0.5`.
    pub fn median(&self) -> Option<i64> {
        self.curve.iter().find(|&&(_, s)| s <= 0.5).map(|&(t, _)| t)
    }
}

/// Gini of non-negative values, zeros included (METRICS.md §6): `None` when they sum to 0.
pub fn gini(values: &[u64]) -> Option<f64> {
    let mut x = values.to_vec();
    x.sort_unstable();
    let total: f64 = x.iter().map(|&v| v as f64).sum();
    if total == 0.0 {
        return None;
    }
    let n = x.len() as f64;
    let weighted: f64 = x
        .iter()
        .enumerate()
        .map(|(i, &v)| (i + 1) as f64 * v as f64)
        .sum();
    Some(2.0 * weighted / (n * total) - (n + 1.0) / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Newcombe R. G. (1998a) "Two-sided confidence intervals for the single proportion:
    /// comparison of seven methods", Statistics in Medicine 17:857–872, Table I, method 3
    /// (Wilson score, no continuity correction).
    #[test]
    fn wilson_matches_newcombe_1998a() {
        for (x, n, lo, hi) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let p = wilson(x, n, Z95).unwrap();
            assert!(
                close(p.low, lo, 5e-5) && close(p.high, hi, 5e-5),
                "{x}/{n}: {p:?}"
            );
        }
        assert_eq!(wilson(0, 0, Z95), None);
    }

    /// Newcombe R. G. (1998b) "Interval estimation for the difference between independent
    /// proportions: comparison of eleven methods", Statistics in Medicine 17:873–890, Table II,
    /// method 10 (hybrid score).
    #[test]
    fn newcombe_matches_newcombe_1998b() {
        for ((x1, n1), (x2, n2), lo, hi) in [
            ((56, 70), (48, 80), 0.0524, 0.3339),
            ((9, 10), (3, 10), 0.1705, 0.8090),
            ((5, 56), (0, 29), -0.0381, 0.1926),
            ((0, 10), (0, 20), -0.1611, 0.2775),
            ((0, 10), (0, 10), -0.2775, 0.2775),
        ] {
            let a = wilson(x1, n1, Z95).unwrap();
            let b = wilson(x2, n2, Z95).unwrap();
            let d = newcombe(&a, &b);
            assert!(
                close(d.low, lo, 5e-5) && close(d.high, hi, 5e-5),
                "{x1}/{n1} − {x2}/{n2}: {d:?}"
            );
        }
    }

    /// Freireich et al. (1963) 6-MP remission times, as worked in Kleinbaum & Klein,
    /// "Survival Analysis: A Self-Learning Text", 3rd ed., ch. 2 (censored times marked false).
    #[test]
    fn kaplan_meier_matches_the_6mp_leukaemia_example() {
        let data: Vec<(i64, bool)> = [
            (6, true),
            (6, true),
            (6, true),
            (6, false),
            (7, true),
            (9, false),
            (10, true),
            (10, false),
            (11, false),
            (13, true),
            (16, true),
            (17, false),
            (19, false),
            (20, false),
            (22, true),
            (23, true),
            (25, false),
            (32, false),
            (32, false),
            (34, false),
            (35, false),
        ]
        .to_vec();
        let km = Survival::estimate(&data);
        let want = [
            (6, 0.8571),
            (7, 0.8067),
            (10, 0.7529),
            (13, 0.6902),
            (16, 0.6275),
            (22, 0.5378),
            (23, 0.4482),
        ];
        assert_eq!(km.curve.len(), want.len());
        for ((t, s), (wt, ws)) in km.curve.iter().zip(want) {
            assert_eq!(*t, wt);
            assert!(close(*s, ws, 5e-5), "S({t}) = {s}");
        }
        assert_eq!(km.at(5), Some(1.0));
        assert!(close(km.at(12).unwrap(), 0.7529, 5e-5));
        assert_eq!(km.at(35), Some(km.curve.last().unwrap().1));
        assert_eq!(km.at(36), None);
        assert_eq!(km.median(), Some(23));
        assert_eq!(Survival::estimate(&[(3, false)]).median(), None);
    }

    #[test]
    fn gini_limits() {
        assert_eq!(gini(&[0, 0, 0]), None);
        assert!(close(gini(&[5, 5, 5, 5]).unwrap(), 0.0, 1e-12));
        // One holder of everything among n → (n − 1)/n.
        assert!(close(gini(&[0, 0, 0, 9]).unwrap(), 0.75, 1e-12));
        assert!(close(gini(&[7]).unwrap(), 0.0, 1e-12));
        // By hand: x = 1, 2, 3 → 2·(1 + 4 + 9)/(3·6) − 4/3 = 28/18 − 24/18 = 2/9.
        assert!(close(gini(&[3, 1, 2]).unwrap(), 2.0 / 9.0, 1e-12));
    }
}
