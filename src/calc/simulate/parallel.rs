//! Replications on every core, with results that do not depend on the number of threads: each
//! replication is a pure function of its index (its seed is `seed + index`), the workers take
//! the next index as they finish one, and the results are handed on in index order, so the
//! reduction that follows adds them in the same order whatever ran where.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

/// Threads to use for `requested` (0: every core the OS offers), never more than `jobs`.
pub(super) fn threads(requested: u32, jobs: usize) -> usize {
    let wanted = if requested == 0 {
        std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
    } else {
        requested as usize
    };
    wanted.clamp(1, jobs.max(1))
}

/// `f(i)` for every `i` in `range`, in order, computed on up to `threads` threads; the first
/// error in index order wins.
pub(super) fn map_ordered<T: Send, E: Send>(
    range: std::ops::Range<u32>,
    threads: usize,
    f: &(impl Fn(u32) -> Result<T, E> + Sync),
) -> Result<Vec<T>, E> {
    map_ordered_while(range, threads, f, |_| true)
}

/// `f(i)` for `i` in `range` in index order until `more` (shown the results so far, in order,
/// after each one) returns false; computed on up to `threads` threads that each take the next
/// index as they finish one, so some results past the stop may be computed and dropped. What
/// `more` sees, and so what this returns, does not depend on the threads: results are handed
/// to it strictly in index order. The first error in index order wins.
///
/// The threads are started once per call (not per round of results), and nobody waits for the
/// slowest of a round: a worker goes on to the next index at once.
pub(super) fn map_ordered_while<T: Send, E: Send>(
    range: std::ops::Range<u32>,
    threads: usize,
    f: &(impl Fn(u32) -> Result<T, E> + Sync),
    mut more: impl FnMut(&[T]) -> bool,
) -> Result<Vec<T>, E> {
    let threads = threads.clamp(1, range.len().max(1));
    let mut out = Vec::with_capacity(range.len());
    if threads == 1 {
        for i in range {
            out.push(f(i)?);
            if !more(&out) {
                break;
            }
        }
        return Ok(out);
    }
    // 64 bits, so that the few increments past the end cannot wrap around to a small index.
    let next = AtomicU64::new(u64::from(range.start));
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(u32, Result<T, E>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Ok(i) = u32::try_from(next.fetch_add(1, Ordering::Relaxed)) else { break };
                    if i >= range.end || tx.send((i, f(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Results arrive in any order; hand them on in index order.
        let mut pending = std::collections::BTreeMap::new();
        let mut expected = range.start;
        let result = 'receive: {
            for (i, r) in &rx {
                pending.insert(i, r);
                while let Some(r) = pending.remove(&expected) {
                    expected += 1;
                    out.push(match r {
                        Ok(t) => t,
                        Err(e) => break 'receive Err(e),
                    });
                    if expected == range.end || !more(&out) {
                        break 'receive Ok(());
                    }
                }
            }
            // Every sender is gone before the range was done: a worker panicked, and the
            // scope re-raises it when it joins.
            Ok(())
        };
        stop.store(true, Ordering::Relaxed);
        result
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_index_order_for_any_thread_count() {
        let f = |i: u32| -> Result<u64, ()> { Ok(u64::from(i) * 7 + 1) };
        let serial: Vec<u64> = (3..40_u32).map(|i| u64::from(i) * 7 + 1).collect();
        for t in [1, 2, 3, 8, 64] {
            assert_eq!(map_ordered(3..40, t, &f).unwrap(), serial, "threads {t}");
        }
        assert_eq!(map_ordered(0..0, 4, &f).unwrap(), Vec::<u64>::new());
        // The first error in index order, not the first to finish.
        let g = |i: u32| if i % 5 == 4 { Err(i) } else { Ok(i) };
        assert_eq!(map_ordered(0..20, 3, &g), Err(4));
    }

    #[test]
    fn a_stop_falls_at_the_same_result_for_any_thread_count() {
        // Stop once the results so far sum past 100: 0 + 7 + 14 + 21 + 28 + 35 = 105, six results.
        let f = |i: u32| -> Result<u32, u32> { Ok(i * 7) };
        for t in [1, 2, 3, 8] {
            let mut calls = 0;
            let out = map_ordered_while(0..40, t, &f, |so_far| {
                calls += 1;
                so_far.iter().sum::<u32>() <= 100
            })
            .unwrap();
            assert_eq!(out, [0, 7, 14, 21, 28, 35], "threads {t}");
            // `more` saw every prefix once, in order.
            assert_eq!(calls, 6, "threads {t}");
        }
        // An error before the stop wins; one after it is never seen.
        let g = |i: u32| if i == 3 { Err(i) } else { Ok(i) };
        let h = |i: u32| if i == 9 { Err(i) } else { Ok(i) };
        for t in [1, 2, 5] {
            assert_eq!(map_ordered_while(0..20, t, &g, |v| v.len() < 5), Err(3), "threads {t}");
            assert_eq!(map_ordered_while(0..20, t, &h, |v| v.len() < 5), Ok(vec![0, 1, 2, 3, 4]), "threads {t}");
        }
        // Never stopping is the plain ordered map, from any start.
        assert_eq!(map_ordered_while(5..9, 3, &f, |_| true).unwrap(), [35, 42, 49, 56]);
        assert_eq!(map_ordered_while(0..0, 3, &f, |_| false).unwrap(), Vec::<u32>::new());
    }

    #[test]
    fn thread_count_is_bounded_by_the_jobs() {
        assert_eq!(threads(8, 3), 3);
        assert_eq!(threads(1, 30), 1);
        assert_eq!(threads(5, 0), 1);
        assert!(threads(0, 30) >= 1);
    }
}
