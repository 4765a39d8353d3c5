//! Work spread over the machine's cores with results in input order, so that what
//! is printed never depends on which thread did what.

/// Output rows (a status, a report line) are cheap to make: below this many per
/// core they are made on one thread.
pub const ROWS_PER_THREAD: usize = 500;

/// `work` applied to consecutive chunks of `items`, one chunk per core, and the
/// results joined in the order of `items`. Lists of fewer than `min_per_thread`
/// items per core stay on this thread: a thread costs more than a district's fifty
/// targets take.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    min_per_thread: usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(min_per_thread).max(1);
    if chunk >= items.len() {
        return work(items);
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = items.chunks(chunk).map(|part| scope.spawn(|| work(part))).collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_however_the_work_is_split() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled: Vec<u32> = items.iter().map(|i| i * 2).collect();
        for min_per_thread in [0, 1, 7, 999, 1000, 5000] {
            let got = map_chunks(&items, min_per_thread, |part| part.iter().map(|i| i * 2).collect());
            assert_eq!(got, doubled, "min {min_per_thread}");
        }
        assert!(map_chunks(&[] as &[u32], 1, |part| part.to_vec()).is_empty());
    }
}
