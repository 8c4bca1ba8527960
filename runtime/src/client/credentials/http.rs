//! How providers reach their endpoints: the transport they were given, or
//! a default one made at first use, with a time limit on each attempt.

use crate::client::transport::{HttpTransport, TransportErrorKind};
use bytes::Bytes;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// A provider's way to send requests. Cloning shares the transport.
#[derive(Clone, Debug, Default)]
pub(crate) struct Http {
    given: Option<Arc<dyn HttpTransport>>,
    default: Arc<OnceLock<Option<Arc<dyn HttpTransport>>>>,
}

/// Why a request got no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SendError {
    /// Nothing answered: no connection, no answer in time, or no
    /// transport. The endpoint is probably not there (IMDS off EC2).
    pub(crate) unreachable: bool,
    message: String,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Http {
    /// Requests sent with `transport`, else with the default transport.
    pub(crate) fn new(transport: Option<Arc<dyn HttpTransport>>) -> Http {
        Http {
            given: transport,
            default: Arc::default(),
        }
    }

    /// Whether this sends with `transport`.
    pub(crate) fn uses(&self, transport: &Arc<dyn HttpTransport>) -> bool {
        self.given
            .as_ref()
            .is_some_and(|t| std::ptr::addr_eq(Arc::as_ptr(t), Arc::as_ptr(transport)))
    }

    fn transport(&self) -> Option<Arc<dyn HttpTransport>> {
        match &self.given {
            Some(t) => Some(Arc::clone(t)),
            None => self.default.get_or_init(default_transport).clone(),
        }
    }

    /// Sends `request`, waiting at most `timeout` for the whole response.
    /// Errors never quote the request (its headers may hold a token).
    pub(crate) async fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
    ) -> Result<http::Response<Bytes>, SendError> {
        let Some(transport) = self.transport() else {
            // Nothing can answer: a chain moves on past IMDS.
            return Err(SendError {
                unreachable: true,
                message: "no transport: give the provider one, or enable feature `client-hyper`"
                    .to_owned(),
            });
        };
        match tokio::time::timeout(timeout, transport.send(request)).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) => Err(SendError {
                unreachable: e.kind() == TransportErrorKind::Connect,
                message: e.to_string(),
            }),
            Err(_) => Err(SendError {
                unreachable: true,
                message: format!("no answer within {} ms", timeout.as_millis()),
            }),
        }
    }
}

#[cfg(feature = "client-hyper")]
fn default_transport() -> Option<Arc<dyn HttpTransport>> {
    // The SDKs' connect timeout; each provider limits its attempts itself.
    Some(Arc::new(
        crate::client::hyper_transport::HyperTransport::new(Some(Duration::from_millis(3100))),
    ))
}

#[cfg(not(feature = "client-hyper"))]
fn default_transport() -> Option<Arc<dyn HttpTransport>> {
    None
}

/// `http::Request` building never fails for the fixed methods and the
/// URIs and headers providers check first; this turns the rare failure
/// (a URI that does not parse) into a configuration error's text.
pub(crate) fn request(
    method: http::Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> Result<http::Request<Bytes>, String> {
    let uri: http::Uri = uri
        .parse()
        .map_err(|_| format!("`{uri}` is not a valid URI"))?;
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        let value = http::HeaderValue::from_str(value)
            .map_err(|_| format!("the value of header `{name}` is not a valid header value"))?;
        builder = builder.header(*name, value);
    }
    builder
        .body(body)
        .map_err(|_| "the request could not be built".to_owned())
}

/// The form encoding of `pairs` (`a=1&b=x%20y`), every byte but the
/// unreserved characters percent-encoded.
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::sigv4::uri_encode(k, true),
                crate::sigv4::uri_encode(v, true)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::credentials::test_support::*;

    #[tokio::test]
    async fn errors_and_timeouts() {
        let http = Http::new(Some(unreachable()));
        let request = request(http::Method::GET, "http://127.0.0.1:1/", &[], Bytes::new()).unwrap();
        let e = http
            .send(request.clone(), Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(e.unreachable);
        let slow: Arc<dyn HttpTransport> = Arc::new(crate::client::transport::from_fn(|_| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(http::Response::new(Bytes::new()))
        }));
        let http = Http::new(Some(Arc::clone(&slow)));
        assert!(http.uses(&slow));
        assert!(!http.uses(&unreachable()));
        let e = http
            .send(request, Duration::from_millis(20))
            .await
            .unwrap_err();
        assert_eq!(e.to_string(), "no answer within 20 ms");
        assert!(e.unreachable);
    }

    #[test]
    fn building_requests() {
        assert_eq!(
            super::request(http::Method::GET, "not a uri", &[], Bytes::new()).unwrap_err(),
            "`not a uri` is not a valid URI"
        );
        let e = super::request(
            http::Method::GET,
            "http://x/",
            &[("authorization", "a\nb")],
            Bytes::new(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            "the value of header `authorization` is not a valid header value"
        );
        assert_eq!(
            form(&[("Action", "AssumeRole"), ("RoleSessionName", "a b/c=")]),
            "Action=AssumeRole&RoleSessionName=a%20b%2Fc%3D"
        );
    }
}
