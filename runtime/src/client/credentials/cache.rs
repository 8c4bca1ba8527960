//! The credentials cache of a chain: credentials are reused until they
//! come close to their expiry, and then refreshed by one caller at a time.
//!
//! - Fresh credentials (no expiry, or more than [`REFRESH_BEFORE`] left)
//!   are returned as they are.
//! - Credentials within [`REFRESH_BEFORE`] of their expiry are refreshed
//!   by the first caller to see it; callers arriving during that refresh
//!   keep getting the cached ones while they are still usable (more than
//!   [`USABLE_FOR`] left). Should the refresh fail, the cached ones are
//!   returned while usable, with a warning.
//! - With nothing usable cached, callers wait for the one load in
//!   progress and take its result; when it failed, the next waiter tries
//!   again.

use super::{Credentials, CredentialsError};
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Credentials are refreshed this long before they expire.
pub(crate) const REFRESH_BEFORE: Duration = Duration::from_secs(5 * 60);

/// Credentials with less than this left are not handed out from the cache.
pub(crate) const USABLE_FOR: Duration = Duration::from_secs(15);

/// See the module's documentation.
#[derive(Debug, Default)]
pub(crate) struct CredentialsCache {
    current: Mutex<Option<Credentials>>,
    loading: tokio::sync::Mutex<()>,
}

/// Whether `credentials` have more than `margin` left.
fn lasts(credentials: &Credentials, margin: Duration) -> bool {
    match credentials.expiry() {
        None => true,
        Some(expiry) => SystemTime::now()
            .checked_add(margin)
            .is_some_and(|soon| soon < expiry),
    }
}

impl CredentialsCache {
    /// Whether credentials are cached (usable or not).
    pub(crate) fn is_filled(&self) -> bool {
        self.current.lock().is_ok_and(|c| c.is_some())
    }

    fn current(&self) -> Option<Credentials> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn fresh(&self) -> Option<Credentials> {
        self.current().filter(|c| lasts(c, REFRESH_BEFORE))
    }

    fn usable(&self) -> Option<Credentials> {
        self.current().filter(|c| lasts(c, USABLE_FOR))
    }

    /// The cached credentials, or those `load` gives (see the module's
    /// documentation).
    pub(crate) async fn get_or_load<F, Fut>(&self, load: F) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        let _guard = match self.loading.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                // Another caller is loading: use what is cached meanwhile.
                if let Some(credentials) = self.usable() {
                    return Ok(credentials);
                }
                let guard = self.loading.lock().await;
                if let Some(credentials) = self.usable() {
                    return Ok(credentials);
                }
                guard
            }
        };
        // A load may have finished between the first look and the lock.
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        match load().await {
            Ok(credentials) => {
                let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
                *current = lasts(&credentials, USABLE_FOR).then(|| credentials.clone());
                Ok(credentials)
            }
            Err(e) => match self.usable() {
                Some(credentials) => {
                    tracing::warn!(
                        reason = %e,
                        "credentials could not be refreshed; the cached ones are used until they expire"
                    );
                    Ok(credentials)
                }
                None => Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn expiring_in(secs: u64) -> Credentials {
        Credentials::new("AKID", SECRET, Some(TOKEN.to_owned()))
            .with_expiry(SystemTime::now() + Duration::from_secs(secs))
    }

    #[tokio::test]
    async fn fresh_credentials_are_reused_and_expiring_ones_refreshed() {
        let cache = CredentialsCache::default();
        let calls = AtomicUsize::new(0);
        let load = |secs| {
            calls.fetch_add(1, Ordering::SeqCst);
            std::future::ready(Ok(expiring_in(secs)))
        };
        cache.get_or_load(|| load(3600)).await.unwrap();
        cache.get_or_load(|| load(3600)).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(cache.is_filled());

        // Within REFRESH_BEFORE of their expiry: refreshed at the next call.
        let cache = CredentialsCache::default();
        cache.get_or_load(|| load(120)).await.unwrap();
        let c = cache.get_or_load(|| load(3600)).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert!(c.expiry().unwrap() > SystemTime::now() + Duration::from_secs(3000));
        // Expired ones are not even kept.
        let cache = CredentialsCache::default();
        cache.get_or_load(|| load(1)).await.unwrap();
        assert!(!cache.is_filled());
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_usable_credentials() {
        let cache = CredentialsCache::default();
        cache
            .get_or_load(|| std::future::ready(Ok(expiring_in(120))))
            .await
            .unwrap();
        let c = cache
            .get_or_load(|| std::future::ready(Err(CredentialsError::provider_error("down"))))
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "AKID");
        // Nothing cached: the error.
        let cache = CredentialsCache::default();
        let e = cache
            .get_or_load(|| std::future::ready(Err(CredentialsError::provider_error("down"))))
            .await
            .unwrap_err();
        assert_eq!(e.to_string(), "down");
    }

    /// Loads that count themselves and take `delay`.
    async fn slow_load(
        calls: Arc<AtomicUsize>,
        delay: Duration,
        secs: u64,
    ) -> Result<Credentials, CredentialsError> {
        calls.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(delay).await;
        Ok(expiring_in(secs))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_load() {
        let cache = Arc::new(CredentialsCache::default());
        let calls = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
                tokio::spawn(async move {
                    cache
                        .get_or_load(|| slow_load(calls, Duration::from_millis(100), 3600))
                        .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_caller_refreshes_while_others_use_the_cached_credentials() {
        let cache = Arc::new(CredentialsCache::default());
        let calls = Arc::new(AtomicUsize::new(0));
        // Cached, but due for a refresh.
        cache
            .get_or_load(|| slow_load(Arc::clone(&calls), Duration::ZERO, 120))
            .await
            .unwrap();
        let refresher = {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            tokio::spawn(async move {
                cache
                    .get_or_load(|| slow_load(calls, Duration::from_millis(300), 3600))
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        // During the refresh: the cached ones, at once, and no other load.
        let started = std::time::Instant::now();
        for _ in 0..8 {
            let c = cache
                .get_or_load(|| slow_load(Arc::clone(&calls), Duration::from_secs(5), 3600))
                .await
                .unwrap();
            assert!(c.expiry().unwrap() < SystemTime::now() + Duration::from_secs(200));
        }
        assert!(started.elapsed() < Duration::from_millis(200));
        let c = refresher.await.unwrap().unwrap();
        assert!(c.expiry().unwrap() > SystemTime::now() + Duration::from_secs(3000));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        // Afterwards, the refreshed ones.
        let c = cache
            .get_or_load(|| slow_load(Arc::clone(&calls), Duration::ZERO, 3600))
            .await
            .unwrap();
        assert!(c.expiry().unwrap() > SystemTime::now() + Duration::from_secs(3000));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
