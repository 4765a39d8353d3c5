//! The plan figures are checked against, kept between requests: loading a city's plan
//! for every entry cost more than the entry. A cheap stamp (`Store::plan_stamp`: the
//! plan's load, archiving and latest adjustment) is read on every request; the kept
//! plan serves only while the stamp is the same, so a re-load, a bundle or an
//! adjustment made anywhere (the command line too) is seen by the next entry.

use std::sync::{Arc, Mutex};

use crate::error::StoreError;
use crate::plan::Plan;
use crate::store::{PlanStamp, Store};

#[derive(Default)]
pub struct PlanCache {
    kept: Mutex<Option<Kept>>,
}

struct Kept {
    id: String,
    stamp: PlanStamp,
    plan: Arc<Plan>,
}

impl PlanCache {
    /// Plan `id` as `Store::load_plan_for_checking` reads it, from `store` unless the
    /// kept one is still current. The stamp is read before the plan: a change between
    /// the two leaves a newer plan under an older stamp, which the next request reloads.
    pub fn checked_plan(&self, store: &Store, id: &str) -> Result<Arc<Plan>, StoreError> {
        let stamp = store.plan_stamp(id)?;
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = kept.as_ref().filter(|k| k.id == id && k.stamp == stamp) {
            return Ok(kept.plan.clone());
        }
        let plan = Arc::new(store.load_plan_for_checking(id)?);
        *kept = Some(Kept { id: id.to_string(), stamp, plan: plan.clone() });
        Ok(plan)
    }
}
