//! Passes over millions of rows that keep their order or add up counts, made on every thread:
//! run on one, each was a tenth of a second of L's report with the other core idle.

use rayon::prelude::*;

/// The lists put end to end, copied on every thread (each fresh page of memory is dear to
/// touch first, and a list of ten million rows has twenty thousand).
pub fn concat<T: Copy + Send + Sync>(lists: &[Vec<T>]) -> Vec<T> {
    let total = lists.iter().map(Vec::len).sum();
    let mut all = Vec::with_capacity(total);
    let mut parts = Vec::with_capacity(lists.len());
    let mut rest = &mut all.spare_capacity_mut()[..total];
    for list in lists {
        let (part, after) = rest.split_at_mut(list.len());
        parts.push(part);
        rest = after;
    }
    parts.into_par_iter().zip(lists).for_each(|(part, list)| {
        for (slot, &x) in part.iter_mut().zip(list) {
            slot.write(x);
        }
    });
    // SAFETY: the parts cover the first `total` slots, and each was written above.
    unsafe { all.set_len(total) };
    all
}

/// How many rows a thread takes at a time.
const PART: usize = 1 << 16;

/// The rows `keep` keeps, in order, found and gathered on every thread.
pub fn gather<T: Sync>(rows: &[T], keep: impl Fn(&T) -> bool + Sync) -> Vec<&T> {
    let parts: Vec<Vec<&T>> = rows
        .par_chunks(PART)
        .map(|part| part.iter().filter(|r| keep(r)).collect())
        .collect();
    concat(&parts)
}

/// `bins` counts over `rows`: `count` adds each row's to the counts it is handed, a part of the
/// rows on each thread, and the parts' counts are summed.
pub fn tally<T: Sync>(rows: &[T], bins: usize, count: impl Fn(&T, &mut [u64]) + Sync) -> Vec<u64> {
    rows.par_chunks(PART)
        .map(|part| {
            let mut counts = vec![0; bins];
            part.iter().for_each(|r| count(r, &mut counts));
            counts
        })
        .reduce(
            || vec![0; bins],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                a
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_put_end_to_end_and_rows_gathered_in_order() {
        let lists = vec![vec![1u32, 2], vec![], vec![3], vec![], vec![4, 5, 6]];
        assert_eq!(concat(&lists), [1, 2, 3, 4, 5, 6]);
        assert_eq!(concat::<u32>(&[]), Vec::<u32>::new());
        // Across many parts of the gathering.
        let rows: Vec<u64> = (0..300_000).map(|i| i * 7 % 1_000).collect();
        let keep = |r: &u64| r % 3 == 0;
        let expected: Vec<&u64> = rows.iter().filter(|r| keep(r)).collect();
        let gathered = gather(&rows, keep);
        assert_eq!(gathered, expected);
        assert!(gathered
            .iter()
            .zip(&expected)
            .all(|(a, b)| std::ptr::eq(*a, *b)));
    }

    #[test]
    fn counts_over_many_parts_add_up() {
        // 300,000 rows 0, 1, 2, 0, 1, 2, ...: a third in each bin, counted in five parts; a
        // row of 2 also adds 10 to bin 3.
        let rows: Vec<usize> = (0..300_000).map(|i| i % 3).collect();
        let counts = tally(&rows, 4, |&r, c| {
            c[r] += 1;
            if r == 2 {
                c[3] += 10;
            }
        });
        assert_eq!(counts, [100_000, 100_000, 100_000, 1_000_000]);
        assert_eq!(tally(&[] as &[usize], 2, |_, _| {}), [0, 0]);
    }
}
