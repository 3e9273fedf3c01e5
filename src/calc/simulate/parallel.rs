//! Replications on every core, with results that do not depend on the number of threads: each
//! replication is a pure function of its index (its seed is `seed + index`), the workers take
//! fixed strides of the indices, and the results come back in index order, so the reduction
//! that follows adds them in the same order whatever ran where.

use std::num::NonZeroUsize;

/// Threads to use for `requested` (0: every core the OS offers), never more than `jobs`.
pub(super) fn threads(requested: u32, jobs: usize) -> usize {
    let wanted = if requested == 0 {
        std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
    } else {
        requested as usize
    };
    wanted.clamp(1, jobs.max(1))
}

/// `f(i)` for every `i` in `range`, in order, computed on up to `threads` threads. Worker `w`
/// computes indices `start + w`, `start + w + threads`, …; the first error in index order wins.
pub(super) fn map_ordered<T: Send, E: Send>(
    range: std::ops::Range<u32>,
    threads: usize,
    f: &(impl Fn(u32) -> Result<T, E> + Sync),
) -> Result<Vec<T>, E> {
    let jobs = range.len();
    let threads = threads.clamp(1, jobs.max(1));
    if threads == 1 {
        return range.map(f).collect();
    }
    let start = range.start;
    let mut slots: Vec<Option<Result<T, E>>> = (0..jobs).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|w| {
                scope.spawn(move || (w..jobs).step_by(threads).map(|i| (i, f(start + i as u32))).collect::<Vec<_>>())
            })
            .collect();
        for h in handles {
            // A worker panics only if `f` does; re-raise it on this thread.
            let done = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            for (i, r) in done {
                slots[i] = Some(r);
            }
        }
    });
    slots.into_iter().map(|s| s.unwrap_or_else(|| unreachable!("every index is computed by one worker"))).collect()
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
    fn thread_count_is_bounded_by_the_jobs() {
        assert_eq!(threads(8, 3), 3);
        assert_eq!(threads(1, 30), 1);
        assert_eq!(threads(5, 0), 1);
        assert!(threads(0, 30) >= 1);
    }
}
