//! Work over many briefs on every core, with results in input order: `validate`, `check` and
//! `build` go through their files here, so what they print never depends on scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads work on `items` things: the cores there are, at most one per item.
pub(crate) fn workers(items: usize) -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(items).max(1)
}

/// `work` applied to every item, on [`workers`] threads that take the next item off a shared
/// counter; the results in the order of `items`. `done` is bumped after each item (for a
/// progress bar).
///
/// # Errors
/// `work` panicked (a bug: the panic message is already on stderr); the run must fail rather
/// than pass with an item missing.
pub(crate) fn map<T, R, F>(items: &[T], done: &AtomicUsize, work: F) -> anyhow::Result<Vec<R>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = workers(items.len());
    if threads == 1 {
        return Ok(items
            .iter()
            .map(|item| {
                let r = work(item);
                done.fetch_add(1, Ordering::Relaxed);
                r
            })
            .collect());
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let mut panicked = false;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut finished = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        finished.push((i, work(item)));
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    finished
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(finished) => {
                    for (i, r) in finished {
                        slots[i] = Some(r);
                    }
                }
                Err(_) => panicked = true,
            }
        }
    });
    if panicked {
        anyhow::bail!("internal error: a worker thread failed");
    }
    // Every index below `items.len()` was taken by exactly one thread, which filled its slot.
    Ok(slots.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order() {
        // Uneven work, so threads finish out of order; the answer is the sequential map.
        let items: Vec<u64> = (0..200).collect();
        let done = AtomicUsize::new(0);
        let out = map(&items, &done, |&n| (0..(n % 7) * 5_000).fold(n, |a, b| a.wrapping_mul(31).wrapping_add(b)));
        let expected: Vec<u64> =
            items.iter().map(|&n| (0..(n % 7) * 5_000).fold(n, |a, b| a.wrapping_mul(31).wrapping_add(b))).collect();
        assert_eq!(out.unwrap(), expected);
        assert_eq!(done.load(Ordering::Relaxed), 200);
        assert!(map(&[] as &[u8], &done, |&b| b).unwrap().is_empty());
    }
}
