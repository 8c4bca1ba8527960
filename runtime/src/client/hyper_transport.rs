//! The default transport: hyper-util's pooled client (keep-alive, HTTP/1.1
//! and HTTP/2 chosen by ALPN) over rustls with the *ring* provider and the
//! platform's root certificates. Plain `http://` endpoints (a local server)
//! work too.

use super::transport::{
    BoxFuture, HttpTransport, TransportError, TransportErrorKind, TransportResult,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::error::Error as _;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// hyper's pooled client as an [`HttpTransport`]. Cloning shares the pool.
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<Https, Full<Bytes>>,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HyperTransport")
    }
}

impl HyperTransport {
    /// A transport whose connections time out after `connect_timeout`
    /// (TCP connect; TLS is part of the attempt timeout). Must be called
    /// inside a Tokio runtime's context or before any request is sent on
    /// one (the pool spawns its connection tasks on the current runtime).
    pub fn new(connect_timeout: Option<Duration>) -> Self {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(connect_timeout);
        http.set_nodelay(true);
        // ring rather than aws-lc-rs: a fraction of the build time for a
        // consumer (see docs/ARCHITECTURE.md); rustls marks it deprecated
        // only because it lacks post-quantum key exchange.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        let builder = match builder.with_provider_and_native_roots(provider.clone()) {
            Ok(b) => b,
            // No root certificate on this machine: TLS endpoints will fail
            // to verify (with that reason); plain HTTP still works.
            Err(_) => hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(
                rustls::ClientConfig::builder_with_provider(provider)
                    .with_safe_default_protocol_versions()
                    .map(|b| {
                        b.with_root_certificates(rustls::RootCertStore::empty())
                            .with_no_client_auth()
                    })
                    .unwrap_or_else(|_| unreachable_config()),
            ),
        };
        let https = builder
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(https);
        HyperTransport { client }
    }
}

/// ring's provider supports the default protocol versions; this is never
/// reached, but must not panic.
fn unreachable_config() -> rustls::ClientConfig {
    rustls::ClientConfig::builder()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}

impl HttpTransport for HyperTransport {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'static, TransportResult> {
        let client = self.client.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let request = http::Request::from_parts(parts, Full::new(body));
            let response = client.request(request).await.map_err(|e| {
                let kind = if e.is_connect() {
                    TransportErrorKind::Connect
                } else {
                    TransportErrorKind::Io
                };
                // hyper-util's error says little; its source says why.
                match e.source() {
                    Some(s) => TransportError::new(kind, format!("{e}: {s}")),
                    None => TransportError::new(kind, e),
                }
            })?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| TransportError::new(TransportErrorKind::Io, e))?
                .to_bytes();
            Ok(http::Response::from_parts(parts, body))
        })
    }
}
