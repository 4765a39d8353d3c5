//! A computed view shared by every reader, per language (the dashboard's status and
//! overview chart: computing it for each of fifty readers at once took the machine).
//! A view is served while it is at most `max_age` old (or ten times as long as it
//! took to compute, if that is longer); after that the data's stamp
//! (`Store::data_stamp`) is read, and the view computed again only when the stamp
//! moved. One computation at a time per language. While one is under way, readers
//! that arrive meanwhile get the view kept before it (one computation old) rather than
//! wait for it; only when there is none yet do they wait, and get its result (single
//! flight). The reader who found the data moved gets the new view. Errors are not kept.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::lang::Lang;

pub struct Fresh<K, T> {
    max_age: Duration,
    /// Chinese, English.
    slots: [Slot<K, T>; 2],
}

struct Slot<K, T> {
    /// Held only to look or store, never across an await.
    state: Mutex<State<K, T>>,
    /// Held by the computation when there is no view yet, so readers wait for it.
    first: tokio::sync::Mutex<()>,
}

struct State<K, T> {
    kept: Option<Kept<K, T>>,
    computing: bool,
}

struct Kept<K, T> {
    key: K,
    /// When the view was last known to match the data (computed or its stamp read).
    checked: Instant,
    /// How long computing it took.
    took: Duration,
    value: Arc<T>,
}

/// A view is kept at least this many times as long as it took to compute, so that
/// computing takes at most a tenth of one core however many figures the plan holds
/// (the load test's dashboard over half a million figures took some 400 ms to compute,
/// and recomputed every second it held the writers back: BENCHMARKS.md).
const KEPT_PER_COMPUTED: u32 = 10;

/// Views computed faster than this are kept for `max_age` only.
const SLOW_TO_COMPUTE: Duration = Duration::from_millis(10);

impl<K, T> Kept<K, T> {
    fn fresh(&self, max_age: Duration) -> bool {
        let longer = if self.took >= SLOW_TO_COMPUTE { self.took * KEPT_PER_COMPUTED } else { Duration::ZERO };
        self.checked.elapsed() < max_age.max(longer)
    }
}

/// Ends a computation's mark however it ends (done, failed, or its reader gone).
struct Computing<'s, K, T>(&'s Mutex<State<K, T>>);

impl<K, T> Drop for Computing<'_, K, T> {
    fn drop(&mut self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).computing = false;
    }
}

impl<K: PartialEq, T> Fresh<K, T> {
    pub fn new(max_age: Duration) -> Fresh<K, T> {
        let slot =
            || Slot { state: Mutex::new(State { kept: None, computing: false }), first: tokio::sync::Mutex::new(()) };
        Fresh { max_age, slots: [slot(), slot()] }
    }

    /// The view in `lang`: the kept one while it is fresh, its stamp has not moved or
    /// another reader is computing the next, else `compute`'s for the stamp read.
    pub async fn get<E, S, C>(
        &self,
        lang: Lang,
        stamp: impl FnOnce() -> S,
        compute: impl FnOnce() -> C,
    ) -> Result<Arc<T>, E>
    where
        S: Future<Output = Result<K, E>>,
        C: Future<Output = Result<T, E>>,
    {
        let slot = &self.slots[usize::from(lang == Lang::En)];
        let state = || slot.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = state().kept.as_ref().filter(|kept| kept.fresh(self.max_age)) {
            return Ok(kept.value.clone());
        }
        // With no view yet, one reader computes and the others wait here for it.
        let no_view_yet = state().kept.is_none();
        let _first = if no_view_yet { Some(slot.first.lock().await) } else { None };
        // Read before computing: data written meanwhile is in the view or, if not,
        // moves the stamp past the one kept, and a later reader computes again.
        let key = stamp().await?;
        let computing = {
            let mut state = state();
            if let Some(kept) = state.kept.as_mut().filter(|kept| kept.key == key) {
                kept.checked = Instant::now();
                return Ok(kept.value.clone());
            }
            if let Some(kept) = state.kept.as_ref().filter(|_| state.computing) {
                return Ok(kept.value.clone());
            }
            state.computing = true;
            Computing(&slot.state)
        };
        let began = Instant::now();
        let value = Arc::new(compute().await?);
        let took = began.elapsed();
        state().kept = Some(Kept { key, checked: Instant::now(), took, value: value.clone() });
        drop(computing);
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::poll_once;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn get(fresh: &Fresh<u32, usize>, lang: Lang, key: u32, computed: &AtomicUsize) -> usize {
        let view = fresh
            .get::<(), _, _>(lang, || async move { Ok(key) }, || async { Ok(computed.fetch_add(1, Ordering::SeqCst)) })
            .await
            .unwrap();
        *view
    }

    #[tokio::test]
    async fn a_fresh_view_is_served_as_it_is_even_when_the_data_moved() {
        let fresh = Fresh::new(Duration::from_secs(3600));
        let computed = AtomicUsize::new(0);
        assert_eq!(get(&fresh, Lang::Zh, 1, &computed).await, 0);
        assert_eq!(get(&fresh, Lang::Zh, 2, &computed).await, 0, "within max_age the stamp is not read");
        assert_eq!(get(&fresh, Lang::En, 2, &computed).await, 1, "each language its own view");
        assert_eq!(computed.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_old_view_is_computed_again_only_when_the_stamp_moved() {
        let fresh = Fresh::new(Duration::ZERO);
        let computed = AtomicUsize::new(0);
        assert_eq!(get(&fresh, Lang::Zh, 1, &computed).await, 0);
        assert_eq!(get(&fresh, Lang::Zh, 1, &computed).await, 0, "same stamp: kept");
        assert_eq!(get(&fresh, Lang::Zh, 2, &computed).await, 1, "moved: computed again");
        assert_eq!(get(&fresh, Lang::Zh, 2, &computed).await, 1);
    }

    #[tokio::test]
    async fn an_error_is_not_kept() {
        let fresh: Fresh<u32, usize> = Fresh::new(Duration::from_secs(3600));
        let failed = fresh.get(Lang::Zh, || async { Ok(1) }, || async { Err("no plan") }).await;
        assert_eq!(failed.err(), Some("no plan"));
        let computed = AtomicUsize::new(7);
        assert_eq!(get(&fresh, Lang::Zh, 1, &computed).await, 7);
    }

    /// With a view kept, a reader arriving while another computes the next gets the
    /// kept one at once; the reader computing gets the new one. A computation whose
    /// reader went away leaves no mark: the next reader computes.
    #[tokio::test]
    async fn readers_arriving_during_a_recomputation_get_the_kept_view() {
        let fresh = Fresh::<u32, usize>::new(Duration::ZERO);
        let computed = AtomicUsize::new(0);
        assert_eq!(get(&fresh, Lang::Zh, 1, &computed).await, 0);
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let computing = fresh.get::<(), _, _>(
            Lang::Zh,
            || async { Ok(2) },
            || async {
                released.await.unwrap();
                Ok(computed.fetch_add(1, Ordering::SeqCst))
            },
        );
        tokio::pin!(computing);
        assert!(poll_once(computing.as_mut()).await.is_none(), "under way");
        assert_eq!(get(&fresh, Lang::Zh, 2, &computed).await, 0, "the kept view, at once");
        assert_eq!(computed.load(Ordering::SeqCst), 1, "not computed again meanwhile");
        release.send(()).unwrap();
        assert_eq!(*computing.await.unwrap(), 1, "the computing reader gets the new view");
        assert_eq!(get(&fresh, Lang::Zh, 2, &computed).await, 1);

        let mut gone =
            Box::pin(fresh.get::<(), _, _>(Lang::Zh, || async { Ok(3) }, std::future::pending::<Result<usize, ()>>));
        assert!(poll_once(gone.as_mut()).await.is_none());
        drop(gone);
        assert_eq!(get(&fresh, Lang::Zh, 3, &computed).await, 2, "computed by the next reader");
    }

    /// A view that took long to compute is kept ten times as long, whatever
    /// `max_age` says: the data's stamp is not even read meanwhile.
    #[tokio::test]
    async fn a_view_slow_to_compute_is_kept_longer() {
        let fresh = Fresh::<u32, usize>::new(Duration::ZERO);
        let view = fresh
            .get::<(), _, _>(
                Lang::Zh,
                || async { Ok(1) },
                || async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    Ok(7)
                },
            )
            .await
            .unwrap();
        assert_eq!(*view, 7);
        let computed = AtomicUsize::new(0);
        // Within three seconds of a computation that took 0.3: kept, stamp unread.
        let kept = fresh
            .get::<(), _, _>(Lang::Zh, || async { Err(()) }, || async { Ok(computed.fetch_add(1, Ordering::SeqCst)) })
            .await;
        assert_eq!(kept.map(|view| *view), Ok(7));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_arriving_during_a_computation_wait_for_it() {
        let fresh = Arc::new(Fresh::<u32, usize>::new(Duration::from_secs(3600)));
        let computed = Arc::new(AtomicUsize::new(0));
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let (fresh, computed) = (fresh.clone(), computed.clone());
                tokio::spawn(async move {
                    let view = fresh
                        .get::<(), _, _>(
                            Lang::Zh,
                            || async { Ok(1) },
                            || async {
                                tokio::time::sleep(Duration::from_millis(50)).await;
                                Ok(computed.fetch_add(1, Ordering::SeqCst))
                            },
                        )
                        .await
                        .unwrap();
                    *view
                })
            })
            .collect();
        for reader in readers {
            assert_eq!(reader.await.unwrap(), 0);
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1, "computed once for all");
    }
}
