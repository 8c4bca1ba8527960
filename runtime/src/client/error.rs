//! The error of a client call, [`Error`], and its parts.
//!
//! Every variant says what went wrong and where, keeps what is needed to
//! debug it (status, request id, the body of an unreadable response) and
//! chains its cause through [`std::error::Error::source`]. None of them
//! holds a credential.

use super::credentials::CredentialsError;
use super::transport::TransportError;
use bytes::Bytes;
use std::fmt;
use std::time::Duration;

/// What a call of an operation can fail with; `E` is the operation's
/// generated error enum (its modelled errors).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// A modelled error of the operation, with the response it came in.
    Modeled(E, ResponseMeta),
    /// An error response the model does not know for this operation.
    Service(ServiceError),
    /// The request could not be built (for example an empty URI label or
    /// no endpoint configured); nothing was sent.
    Build(BuildError),
    /// No credentials to sign the request with; nothing was sent.
    Credentials(CredentialsError),
    /// A timeout expired.
    Timeout(TimeoutError),
    /// The request could not be sent, or the connection failed before a
    /// whole response arrived.
    Transport(TransportError),
    /// A response arrived but could not be read as the operation's output
    /// or as an error.
    Response(ResponseError),
}

impl<E> Error<E> {
    /// The modelled error, when the call failed with one.
    pub fn modeled(&self) -> Option<&E> {
        match self {
            Error::Modeled(e, _) => Some(e),
            _ => None,
        }
    }

    /// The modelled error, by value.
    pub fn into_modeled(self) -> Option<E> {
        match self {
            Error::Modeled(e, _) => Some(e),
            _ => None,
        }
    }

    /// The request id of the response, when one arrived and carried it.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Modeled(_, meta) => meta.request_id.as_deref(),
            Error::Service(e) => e.meta.request_id.as_deref(),
            Error::Response(e) => e.meta.request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of the response, when one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Modeled(_, meta) => Some(meta.status),
            Error::Service(e) => Some(e.meta.status),
            Error::Response(e) => Some(e.meta.status),
            _ => None,
        }
    }

    /// The same error with its modelled error mapped by `f`.
    pub fn map_modeled<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Modeled(e, meta) => Error::Modeled(f(e), meta),
            Error::Service(e) => Error::Service(e),
            Error::Build(e) => Error::Build(e),
            Error::Credentials(e) => Error::Credentials(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Response(e) => Error::Response(e),
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Modeled(e, meta) => write!(f, "{e}{meta}"),
            Error::Service(e) => fmt::Display::fmt(e, f),
            Error::Build(e) => write!(f, "the request could not be built: {e}"),
            Error::Credentials(e) => write!(f, "the request could not be signed: {e}"),
            Error::Timeout(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => fmt::Display::fmt(e, f),
            Error::Response(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Modeled(e, _) => Some(e),
            Error::Service(e) => Some(e),
            Error::Build(e) => Some(e),
            Error::Credentials(e) => Some(e),
            Error::Timeout(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::Response(e) => Some(e),
        }
    }
}

/// What is known of a response that carried an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-requestid` (or `x-amz-request-id`), when present.
    pub request_id: Option<String>,
}

impl ResponseMeta {
    /// The status and request id of `response`.
    pub fn of<B>(response: &http::Response<B>) -> Self {
        let request_id = ["x-amzn-requestid", "x-amz-request-id"]
            .iter()
            .find_map(|h| response.headers().get(*h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ResponseMeta {
            status: response.status().as_u16(),
            request_id,
        }
    }
}

impl fmt::Display for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

/// An error response whose type the operation does not model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    /// The error type (the shape name, namespace and `:` suffix removed),
    /// when the response named one.
    pub code: Option<String>,
    /// The message, when the body carried one.
    pub message: Option<String>,
    /// Status and request id.
    pub meta: ResponseMeta,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("unknown service error"))?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        fmt::Display::fmt(&self.meta, f)
    }
}

impl std::error::Error for ServiceError {}

/// Why a request could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
        }
    }

    /// A required member that is bound to the URI is empty.
    pub fn empty_label(member: &str) -> Self {
        BuildError::new(format!(
            "`{member}` is bound to the URI path and must not be empty"
        ))
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

/// Which timeout expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutKind {
    /// One attempt (sending the request and reading the whole response).
    Attempt,
    /// The whole operation, retries and backoff included.
    Operation,
}

/// A timeout that expired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    /// Which one.
    pub kind: TimeoutKind,
    /// Its configured length.
    pub after: Duration,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Attempt => "the attempt",
            TimeoutKind::Operation => "the operation",
        };
        write!(f, "{what} timed out after {:?}", self.after)
    }
}

impl std::error::Error for TimeoutError {}

/// A response that could not be read. Its status, headers' request id and
/// body are kept for debugging.
#[derive(Debug)]
pub struct ResponseError {
    /// Status and request id.
    pub meta: ResponseMeta,
    /// The body as received.
    pub body: Bytes,
    /// What was wrong.
    pub message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ResponseError {
    /// A response of `meta` and `body` that is wrong as `message` says,
    /// because of `source`.
    pub fn new(
        meta: ResponseMeta,
        body: Bytes,
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        ResponseError {
            meta,
            body,
            message: message.into(),
            source,
        }
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response could not be read: {}", self.message)?;
        fmt::Display::fmt(&self.meta, f)
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[derive(Debug)]
    struct NotFound;
    impl fmt::Display for NotFound {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("ResourceNotFoundException: no such connector")
        }
    }
    impl std::error::Error for NotFound {}

    #[test]
    fn display_and_sources() {
        let meta = ResponseMeta {
            status: 404,
            request_id: Some("abc".into()),
        };
        let e: Error<NotFound> = Error::Modeled(NotFound, meta.clone());
        assert_eq!(
            e.to_string(),
            "ResourceNotFoundException: no such connector (HTTP 404, request id abc)"
        );
        assert_eq!(e.request_id(), Some("abc"));
        assert_eq!(e.status(), Some(404));
        assert!(e.source().unwrap().is::<NotFound>());
        let s: Error<NotFound> = Error::Service(ServiceError {
            code: Some("Weird".into()),
            message: None,
            meta: meta.clone(),
        });
        assert_eq!(s.to_string(), "Weird (HTTP 404, request id abc)");
        let r: Error<NotFound> = Error::Response(ResponseError::new(
            meta,
            Bytes::from_static(b"<html>"),
            "the body is not JSON",
            Some(Box::new(std::fmt::Error)),
        ));
        assert!(r.to_string().contains("the body is not JSON"));
        assert!(r.source().unwrap().source().is_some());
        let b: Error<NotFound> = Error::Build(BuildError::empty_label("ConnectorArn"));
        assert_eq!(
            b.to_string(),
            "the request could not be built: `ConnectorArn` is bound to the URI path and must not be empty"
        );
        assert!(b.modeled().is_none());
    }

    #[test]
    fn request_id_header() {
        let r = http::Response::builder()
            .status(500)
            .header("x-amzn-RequestId", "r-1")
            .body(())
            .unwrap();
        assert_eq!(
            ResponseMeta::of(&r),
            ResponseMeta {
                status: 500,
                request_id: Some("r-1".into())
            }
        );
    }
}
