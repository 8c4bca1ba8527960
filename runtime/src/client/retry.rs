//! Retries as the AWS SDKs' `standard` mode does them: a few attempts
//! (3 by default), exponential backoff with full jitter capped at 20 s,
//! and a retry quota (a token bucket shared by every call of a client)
//! that stops retry storms when a service is down.
//!
//! What is retried: connection failures and timeouts of an attempt,
//! responses with status 500, 502, 503 or 504, the throttling and
//! transient error codes the SDKs list, and modelled errors marked
//! `@retryable`. Nothing else: other modelled errors are answers.

use std::sync::Mutex;
use std::time::Duration;

/// Why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asked the client to slow down.
    Throttling,
    /// A failure that another attempt may not meet (a 5xx, a dropped
    /// connection, a retryable modelled error).
    Transient,
    /// An attempt that timed out (costs more of the quota).
    Timeout,
}

/// Error codes the AWS SDKs treat as throttling.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes the AWS SDKs treat as transient.
pub const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Statuses that are retried whatever the error says.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// How an error response is retried, from its code and status.
pub fn classify(code: Option<&str>, status: u16) -> Option<RetryKind> {
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_CODES.contains(&code) {
            return Some(RetryKind::Transient);
        }
    }
    TRANSIENT_STATUSES
        .contains(&status)
        .then_some(RetryKind::Transient)
}

/// Retry settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (at least 1). Default 3.
    pub max_attempts: u32,
    /// The backoff before the first retry is a random duration up to this
    /// (full jitter); it doubles for each retry after. Default 1 s.
    pub initial_backoff: Duration,
    /// No backoff is longer. Default 20 s.
    pub max_backoff: Duration,
    /// Whether retries draw on the retry quota. Default true.
    pub quota: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota: true,
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }

    /// The backoff before retry number `retry` (1 for the first retry),
    /// with `jitter` drawn uniformly from `[0, 1)`.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 2f64.powi(retry.saturating_sub(1).min(62) as i32);
        let max = self.max_backoff.as_secs_f64();
        let secs = (jitter.clamp(0.0, 1.0) * self.initial_backoff.as_secs_f64() * factor).min(max);
        Duration::from_secs_f64(secs.max(0.0))
    }
}

/// The quota's size, and what retries cost and successes give back, as in
/// the SDKs' standard mode.
pub const QUOTA_CAPACITY: u32 = 500;
/// The cost of a retry.
pub const RETRY_COST: u32 = 5;
/// The cost of a retry after a timeout.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// What a success on the first attempt puts back.
pub const NO_RETRY_INCREMENT: u32 = 1;

/// The retry quota, shared by every call of one client.
#[derive(Debug)]
pub struct TokenBucket {
    tokens: Mutex<u32>,
}

impl Default for TokenBucket {
    fn default() -> Self {
        TokenBucket::new(QUOTA_CAPACITY)
    }
}

impl TokenBucket {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        TokenBucket {
            tokens: Mutex::new(capacity),
        }
    }

    /// Takes what a retry after `kind` costs; `None` (and nothing taken)
    /// when the quota cannot pay for it.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// Gives back `n` tokens (the cost of a retry that succeeded, or
    /// [`NO_RETRY_INCREMENT`] for a first attempt that did), never above
    /// the capacity.
    pub fn release(&self, n: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        *tokens = (*tokens + n).min(QUOTA_CAPACITY);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A small PRNG (xorshift64*) for jitter: no dependency, seeded per call
/// from the clock and a counter; jitter needs no cryptographic quality.
#[derive(Debug)]
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) fn new() -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let seed = nanos ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        Jitter(seed | 1)
    }

    /// A value in `[0, 1)`.
    pub(crate) fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(
            classify(Some("ThrottlingException"), 400),
            Some(RetryKind::Throttling)
        );
        assert_eq!(classify(Some("SlowDown"), 503), Some(RetryKind::Throttling));
        assert_eq!(
            classify(Some("RequestTimeout"), 400),
            Some(RetryKind::Transient)
        );
        assert_eq!(classify(None, 503), Some(RetryKind::Transient));
        assert_eq!(
            classify(Some("InternalServerException"), 500),
            Some(RetryKind::Transient)
        );
        assert_eq!(classify(Some("ValidationException"), 400), None);
        assert_eq!(classify(None, 501), None);
        assert_eq!(classify(None, 404), None);
    }

    #[test]
    fn backoff_is_exponential_jittered_and_capped() {
        let c = RetryConfig::default();
        assert_eq!(c.backoff(1, 0.0), Duration::ZERO);
        assert_eq!(c.backoff(1, 0.5), Duration::from_millis(500));
        assert_eq!(c.backoff(2, 0.5), Duration::from_secs(1));
        assert_eq!(c.backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(c.backoff(10, 0.99), Duration::from_secs(20));
        assert_eq!(c.backoff(u32::MAX, 0.99), Duration::from_secs(20));
        let mut j = Jitter::new();
        for _ in 0..1000 {
            let x = j.next();
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn quota_stops_retries_and_refills() {
        let b = TokenBucket::new(12);
        assert_eq!(b.acquire(RetryKind::Throttling), Some(5));
        assert_eq!(b.acquire(RetryKind::Transient), Some(5));
        assert_eq!(b.acquire(RetryKind::Transient), None);
        assert_eq!(b.available(), 2);
        b.release(5);
        assert_eq!(b.acquire(RetryKind::Timeout), None);
        b.release(3);
        assert_eq!(b.acquire(RetryKind::Timeout), Some(10));
        b.release(10_000);
        assert_eq!(b.available(), QUOTA_CAPACITY);
    }
}
