//! The transport: what sends one HTTP request and returns the whole
//! response. The client needs nothing else from it, so users can bring
//! their own (a proxy, a recorded session, an in-memory service in tests)
//! by implementing [`HttpTransport`] or wrapping a closure with
//! [`from_fn`]. The default, behind the `client-hyper` feature, is
//! hyper-util's pooled client over rustls.

use bytes::Bytes;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The result of sending a request.
pub type TransportResult = Result<http::Response<Bytes>, TransportError>;

/// Sends requests. Implementations must be cheap to share: the client
/// holds one in an `Arc` and calls it from many tasks.
pub trait HttpTransport: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` (an absolute URI, every header set, the whole body)
    /// and reads the whole response.
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'static, TransportResult>;
}

/// What failed in the transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, TLS handshake, connect
    /// timeout). The request was not sent, so any operation can retry.
    Connect,
    /// The connection failed while the request was sent or the response
    /// read.
    Io,
    /// Anything else (for example an invalid URI).
    Other,
}

/// A transport failure, with its cause.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// A failure of `kind` caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    /// What failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TransportErrorKind::Connect => write!(f, "could not connect: {}", self.source),
            TransportErrorKind::Io => write!(f, "the connection failed: {}", self.source),
            TransportErrorKind::Other => {
                write!(f, "the request could not be sent: {}", self.source)
            }
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A transport that calls `f` for each request.
pub fn from_fn<F, Fut>(f: F) -> FnTransport<F>
where
    F: Fn(http::Request<Bytes>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = TransportResult> + Send + 'static,
{
    FnTransport(f)
}

/// See [`from_fn`].
pub struct FnTransport<F>(F);

impl<F> fmt::Debug for FnTransport<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTransport")
    }
}

impl<F, Fut> HttpTransport for FnTransport<F>
where
    F: Fn(http::Request<Bytes>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = TransportResult> + Send + 'static,
{
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'static, TransportResult> {
        Box::pin((self.0)(request))
    }
}
