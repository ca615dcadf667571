//! The shared emulator object behind every request: configuration, the store under a mutex,
//! the fault dice, and the single writer of the state file.
//!
//! Persistence is group-committed. A change is applied in memory under the store lock and
//! gets a version number; before the response goes out, the handler makes sure a state file
//! of at least that version is on disk. Writes are serialised by one async mutex, and a
//! writer always saves the newest state, so a burst of concurrent changes costs a few writes,
//! not one each, while every acknowledged change is durable.

use super::Config;
use super::catalog::{self, TypeSpec};
use super::clock::now_ms;
use super::faults::Faults;
use super::http::ApiError;
use super::persist;
use super::store::{Ctx, Store, availability_key};
use crate::vocab::Region;
use std::sync::{Mutex, MutexGuard};

pub(crate) struct Emulator {
    pub config: Config,
    inner: Mutex<Inner>,
    /// What the state file holds now.
    persisted: tokio::sync::Mutex<Persisted>,
    pub faults: Mutex<Faults>,
}

/// The state file's content as last written: the store's version then, and its bytes (a
/// change that changed nothing, a start of a running machine, leaves the file as it is).
#[derive(Default)]
struct Persisted {
    version: u64,
    bytes: Option<Vec<u8>>,
}

struct Inner {
    store: Store,
    /// Bumped on every successful change.
    version: u64,
    rng: fastrand::Rng,
}

/// Lock a std mutex, shrugging off poisoning: the emulator's code does not panic while holding
/// a lock, and a test that did should not wedge every later request.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Emulator {
    pub(crate) fn new(config: Config, store: Store) -> Emulator {
        let rng = config.rng_seed.map_or_else(fastrand::Rng::new, |seed| {
            fastrand::Rng::with_seed(seed ^ 0x5eed)
        });
        let faults = Faults::configured(config.rng_seed, &config.faults);
        Emulator {
            inner: Mutex::new(Inner {
                store,
                version: 0,
                rng,
            }),
            persisted: tokio::sync::Mutex::new(Persisted::default()),
            faults: Mutex::new(faults),
            config,
        }
    }

    fn step_ms(&self) -> i64 {
        i64::try_from(self.config.transition_ms).unwrap_or(i64::MAX / 4)
    }

    /// Read the store at a consistent instant.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Store, i64) -> T) -> T {
        let inner = lock(&self.inner);
        f(&inner.store, now_ms())
    }

    /// Apply a change and make it durable before returning. `f` must validate before it
    /// modifies anything, so an `Err` leaves the store untouched. If the state file cannot be
    /// written the caller gets a 500: the change stays in memory (and reaches the file with
    /// the next successful write) but was never acknowledged.
    pub(crate) async fn mutate<T>(
        &self,
        f: impl FnOnce(&mut Store, &mut Ctx) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let (value, version) = {
            let mut guard = lock(&self.inner);
            let inner = &mut *guard;
            let mut ctx = Ctx {
                now: now_ms(),
                step_ms: self.step_ms(),
                rng: &mut inner.rng,
            };
            let value = f(&mut inner.store, &mut ctx)?;
            inner.version += 1;
            (value, inner.version)
        };
        self.commit(version).await?;
        Ok(value)
    }

    /// Make sure the state file holds at least `version`.
    async fn commit(&self, version: u64) -> Result<(), ApiError> {
        let Some(path) = self.config.state_file.clone() else {
            return Ok(());
        };
        let mut persisted = self.persisted.lock().await;
        if persisted.version >= version {
            // A writer that ran while we waited already saved our change.
            return Ok(());
        }
        let (bytes, snapshot_version) = {
            let inner = lock(&self.inner);
            let bytes = serde_json::to_vec(&inner.store)
                .map_err(|e| ApiError::internal(format!("cannot serialise state: {e}")))?;
            (bytes, inner.version)
        };
        if persisted.bytes.as_ref() != Some(&bytes) {
            let bytes = tokio::task::spawn_blocking(move || {
                persist::write_atomic(&path, &bytes).map(|()| bytes)
            })
            .await
            .map_err(|e| ApiError::internal(format!("state writer failed: {e}")))?
            .map_err(|e| ApiError::internal(format!("cannot save state file: {e}")))?;
            persisted.bytes = Some(bytes);
        }
        persisted.version = snapshot_version;
        Ok(())
    }

    /// Is this `x-api-key` accepted? Without `--api-key` flags any non-empty key is; with them,
    /// those keys and the ones issued by `/apiTokens/createPublic`.
    pub(crate) fn is_valid_key(&self, key: &str) -> bool {
        if key.is_empty() {
            return false;
        }
        self.config.api_keys.is_empty()
            || self.config.api_keys.iter().any(|k| k == key)
            || lock(&self.inner).store.is_issued_key(key)
    }

    /// Availability: an override set through the control API wins, then `--available` /
    /// `--unavailable` flags, then the built-in defaults.
    pub(crate) fn availability(&self, region: &Region, machine_type: &TypeSpec) -> bool {
        let key = availability_key(region, machine_type);
        let overridden = lock(&self.inner).store.availability.get(&key).copied();
        let flagged = || {
            let flag = self.config.availability.iter().find(|(k, _)| *k == key);
            flag.map(|&(_, available)| available)
        };
        overridden
            .or_else(flagged)
            .unwrap_or_else(|| catalog::default_availability(region, machine_type))
    }

    pub(crate) fn take_capacity_failure(&self) -> bool {
        lock(&self.faults).take_capacity_failure()
    }
}
