//! A computed view shared by every reader, per language (the dashboard's status and
//! overview chart: computing it for each of fifty readers at once took the machine).
//! A view is served while it is at most `max_age` old; after that the data's stamp
//! (`Store::data_stamp`) is read, and the view computed again only when the stamp
//! moved. One computation at a time per language: readers that arrive meanwhile wait
//! for it and get its result (single flight). Errors are not kept.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::lang::Lang;

pub struct Fresh<K, T> {
    max_age: Duration,
    /// Chinese, English.
    slots: [Mutex<Option<Kept<K, T>>>; 2],
}

struct Kept<K, T> {
    key: K,
    /// When the view was last known to match the data (computed or its stamp read).
    checked: Instant,
    value: Arc<T>,
}

impl<K: PartialEq, T> Fresh<K, T> {
    pub fn new(max_age: Duration) -> Fresh<K, T> {
        Fresh { max_age, slots: [Mutex::new(None), Mutex::new(None)] }
    }

    /// The view in `lang`: the kept one while it is fresh or its stamp has not moved
    /// (`stamp` reads it), else `compute`'s for the stamp read.
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
        let mut slot = self.slots[usize::from(lang == Lang::En)].lock().await;
        if let Some(kept) = slot.as_ref().filter(|k| k.checked.elapsed() < self.max_age) {
            return Ok(kept.value.clone());
        }
        // Read before computing: data written meanwhile is in the view or, if not,
        // moves the stamp past the one kept, and the next reader computes again.
        let key = stamp().await?;
        if let Some(kept) = slot.as_mut().filter(|k| k.key == key) {
            kept.checked = Instant::now();
            return Ok(kept.value.clone());
        }
        let value = Arc::new(compute().await?);
        *slot = Some(Kept { key, checked: Instant::now(), value: value.clone() });
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
