//! Calling handlers: panic containment, the `Dispatch` trait a generated
//! `Server` implements, and the `tower::Service` adapter.

use super::{MAX_BODY_BYTES, Rejection};
use bytes::Bytes;
use http::Response;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Calls a handler and awaits its future: the value, or the message of a
/// panic, whether it happened while making the future or while polling it.
pub async fn catch_unwind<F: Future>(call: impl FnOnce() -> F) -> Result<F::Output, String> {
    let future = std::panic::catch_unwind(AssertUnwindSafe(call)).map_err(panic_message)?;
    CatchUnwind {
        inner: Box::pin(future),
    }
    .await
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "handler panicked".to_owned())
}

struct CatchUnwind<F: Future> {
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.inner.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(panic) => Poll::Ready(Err(panic_message(panic))),
        }
    }
}

/// A generated service's request handler: implemented by the generated
/// `Server`.
pub trait Dispatch: Send + Sync + 'static {
    /// Routes, deserializes, validates, calls the handler, serializes.
    fn dispatch(
        &self,
        request: http::Request<Bytes>,
    ) -> impl Future<Output = Response<Bytes>> + Send;
}

/// A `tower::Service` over any request body, so a generated server mounts
/// in hyper (via hyper-util's `TowerToHyperService`) or axum as it is.
pub struct TowerService<D> {
    inner: Arc<D>,
}

impl<D> TowerService<D> {
    /// Wraps a dispatcher.
    pub fn new(inner: D) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }
}

impl<D> Clone for TowerService<D> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<D> fmt::Debug for TowerService<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TowerService")
    }
}

impl<D, B> tower_service::Service<http::Request<B>> for TowerService<D>
where
    D: Dispatch,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<http_body_util::Full<Bytes>>;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        use http_body_util::BodyExt as _;
        let inner = Arc::clone(&self.inner);
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response = match http_body_util::Limited::new(body, MAX_BODY_BYTES)
                .collect()
                .await
            {
                Ok(collected) => {
                    inner
                        .dispatch(http::Request::from_parts(parts, collected.to_bytes()))
                        .await
                }
                Err(e)
                    if e.downcast_ref::<http_body_util::LengthLimitError>()
                        .is_some() =>
                {
                    Rejection::PayloadTooLarge.into_response()
                }
                Err(e) => {
                    Rejection::serialization(format!("the request body could not be read: {e}"))
                        .into_response()
                }
            };
            Ok(response.map(http_body_util::Full::new))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        let out = block_on(catch_unwind(|| async { panic!("boom") }));
        assert_eq!(out.unwrap_err(), "boom");
        fn sync_panic() -> std::future::Ready<u8> {
            panic!("before the future")
        }
        let out = block_on(catch_unwind(sync_panic));
        assert_eq!(out.unwrap_err(), "before the future");
        let out = block_on(catch_unwind(|| async { 7 }));
        assert_eq!(out.unwrap(), 7);
    }

    /// Polls a future that never waits to completion.
    fn block_on<F: Future>(f: F) -> F::Output {
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut f = Box::pin(f);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
}
