//! The orchestrator: one call of an operation, from the request the
//! generated writer built to the output the generated reader returns.
//!
//! For each call: credentials are resolved once; then for each attempt the
//! request is completed (endpoint, host prefix, SDK headers), signed, sent
//! under the attempt timeout and read; a failure is classified
//! ([`super::retry`]) and retried after a jittered backoff while attempts
//! and the retry quota last. The body (compressed once, with its
//! `Content-MD5` once) and the idempotency token (set by the generated
//! code before the request is written) are the same on every attempt.

use super::config::Config;
use super::credentials::{Credentials, SharedCredentialsProvider};
use super::error::{BuildError, Error, TimeoutError, TimeoutKind};
use super::retry::{Jitter, RetryKind, TokenBucket};
use super::transport::{HttpTransport, TransportErrorKind};
use bytes::Bytes;
use std::sync::Arc;
use std::time::SystemTime;
use tracing::Instrument as _;

/// What the client needs to know of its service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceInfo {
    /// The service's shape name.
    pub name: &'static str,
    /// `aws.api#service` `sdkId`: names the service-specific endpoint
    /// settings.
    pub sdk_id: Option<&'static str>,
    /// `aws.api#service` `endpointPrefix` (endpoints themselves come from
    /// the service's rule set, compiled into its crate).
    pub endpoint_prefix: Option<&'static str>,
    /// `aws.auth#sigv4` `name`: the signing name; `None` when the service
    /// is not signed with SigV4.
    pub signing_name: Option<&'static str>,
    /// The service's `version`, when it has one.
    pub api_version: Option<&'static str>,
}

/// How an operation is authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Signed with SigV4; credentials are required.
    SigV4,
    /// `@optionalAuth`: signed when credentials are at hand, sent
    /// anonymously when none are.
    Optional,
    /// `@auth([])`, or a service without SigV4: never signed.
    None,
}

/// What the client needs to know of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationInfo {
    /// The operation's shape name.
    pub name: &'static str,
    /// How it is authenticated.
    pub auth: Auth,
    /// `@requestCompression` with gzip.
    pub gzip: bool,
    /// `@httpChecksumRequired`: a `Content-MD5` header is sent.
    pub checksum_required: bool,
}

/// A request as the generated writer builds it: relative to the endpoint.
#[derive(Clone, Debug)]
pub struct Request {
    /// The method.
    pub method: http::Method,
    /// The path (percent-encoded, starting with `/`) and query string.
    pub path_and_query: String,
    /// Headers bound from the input, and `Content-Type`.
    pub headers: http::HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The `@endpoint` host prefix, labels filled in.
    pub host_prefix: Option<String>,
}

impl Request {
    /// An empty request of `method` to `path_and_query`.
    pub fn new(method: http::Method, path_and_query: String) -> Self {
        Request {
            method,
            path_and_query,
            headers: http::HeaderMap::new(),
            body: Bytes::new(),
            host_prefix: None,
        }
    }
}

/// The modelled error enum of an operation, as the orchestrator sees it:
/// whether an error is `@retryable`.
pub trait ModeledError: std::error::Error + Send + Sync + 'static {
    /// How the error is retried by its model: `Throttling` for
    /// `@retryable(throttling: true)`, `Transient` for `@retryable`, `None`
    /// for anything else (the error's code and status may still make it
    /// retryable, as for any error response).
    fn retry_kind(&self) -> Option<RetryKind>;

    /// The error's type name (its shape name).
    fn code(&self) -> &str;
}

/// A client's shared state: its configuration resolved for its service.
/// Cheap to clone.
#[derive(Clone, Debug)]
pub struct Handle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: &'static ServiceInfo,
    endpoint_url: Option<String>,
    endpoint: Result<Endpoint, BuildError>,
    region: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    transport: Result<Arc<dyn HttpTransport>, BuildError>,
    config: Config,
    quota: TokenBucket,
}

/// A parsed endpoint URL.
#[derive(Clone, Debug)]
struct Endpoint {
    scheme: String,
    host: String,
    /// `:port`, or empty.
    port: String,
    /// The path prefix, without a trailing `/`.
    path: String,
}

impl Endpoint {
    fn parse(url: &str) -> Result<Endpoint, BuildError> {
        let bad = |why: &str| BuildError::new(format!("the endpoint URL `{url}` {why}"));
        let uri: http::Uri = url.parse().map_err(|_| bad("is not a valid URI"))?;
        let scheme = uri.scheme_str().ok_or_else(|| bad("has no scheme"))?;
        if scheme != "http" && scheme != "https" {
            return Err(bad("is neither http nor https"));
        }
        let host = uri.host().ok_or_else(|| bad("has no host"))?;
        if uri.query().is_some() {
            return Err(bad("has a query string"));
        }
        Ok(Endpoint {
            scheme: scheme.to_owned(),
            host: host.to_owned(),
            port: uri.port_u16().map(|p| format!(":{p}")).unwrap_or_default(),
            path: uri.path().trim_end_matches('/').to_owned(),
        })
    }

    fn uri(
        &self,
        host_prefix: Option<&str>,
        path_and_query: &str,
    ) -> Result<http::Uri, BuildError> {
        let text = format!(
            "{}://{}{}{}{}{}",
            self.scheme,
            host_prefix.unwrap_or(""),
            self.host,
            self.port,
            self.path,
            path_and_query
        );
        text.parse()
            .map_err(|_| BuildError::new(format!("`{text}` is not a valid URI")))
    }
}

impl Handle {
    /// The client state of `service` under `config`. Nothing fails here:
    /// a missing endpoint or transport is reported by each call.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Handle {
        let endpoint_url = config.endpoint_url.clone().or_else(|| {
            let sources = config.sources.as_ref()?;
            let sdk_id = service.sdk_id.unwrap_or(service.name);
            super::profile::endpoint_url(
                &sources.env,
                &sources.profiles,
                &super::profile::service_env_suffix(sdk_id),
                &super::profile::services_key(sdk_id),
            )
        });
        let endpoint = match &endpoint_url {
            Some(url) => Endpoint::parse(url),
            None => Err(BuildError::new(format!(
                "no endpoint URL is configured, and `{}` has no endpoint rule set to resolve one from: set one (Config::builder().endpoint_url(..), or AWS_ENDPOINT_URL)",
                service.name
            ))),
        };
        let transport = match &config.transport {
            Some(t) => Ok(t.clone()),
            None => default_transport(&config),
        };
        Handle {
            inner: Arc::new(Inner {
                service,
                endpoint_url,
                endpoint,
                region: config.region.clone(),
                credentials: config.credentials.clone(),
                transport,
                quota: TokenBucket::default(),
                config,
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The region requests are signed for (the rule set's `AWS::Region`).
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The endpoint URL configured for this service: set explicitly, or
    /// by `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL` or the shared
    /// files (the rule set's `SDK::Endpoint`).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.inner.endpoint_url.as_deref()
    }

    /// A value for an unset `@idempotencyToken` member: a fresh UUID v4,
    /// or what the configured provider gives.
    pub fn idempotency_token(&self) -> String {
        match &self.inner.config.idempotency_token {
            Some(f) => f(),
            None => uuid::Uuid::new_v4().to_string(),
        }
    }

    /// Calls `op` with `request` at the configured endpoint URL (for a
    /// service without an endpoint rule set), reading each response with
    /// `read`.
    pub async fn invoke<O, E: ModeledError>(
        &self,
        op: &'static OperationInfo,
        request: Request,
        read: fn(http::Response<Bytes>) -> Result<O, Error<E>>,
    ) -> Result<O, Error<E>> {
        self.invoke_at(op, None, request, read).await
    }

    /// Calls `op` with `request` at `endpoint`, as the service's rule set
    /// resolved it: its URL, its headers, and the signing name and region
    /// of its `sigv4` auth scheme when it has one. A resolution error is
    /// the call's [`Error::Build`].
    pub async fn invoke_resolved<O, E: ModeledError>(
        &self,
        op: &'static OperationInfo,
        endpoint: Result<crate::endpoint::Endpoint, crate::endpoint::ResolveError>,
        request: Request,
        read: fn(http::Response<Bytes>) -> Result<O, Error<E>>,
    ) -> Result<O, Error<E>> {
        self.invoke_at(op, Some(endpoint), request, read).await
    }

    async fn invoke_at<O, E: ModeledError>(
        &self,
        op: &'static OperationInfo,
        resolved: Option<Result<crate::endpoint::Endpoint, crate::endpoint::ResolveError>>,
        request: Request,
        read: fn(http::Response<Bytes>) -> Result<O, Error<E>>,
    ) -> Result<O, Error<E>> {
        let span = tracing::debug_span!(
            "call",
            service = self.inner.service.name,
            operation = op.name,
        );
        let call = self.call(op, resolved, request, read);
        match self.inner.config.timeouts.operation {
            Some(limit) => match tokio::time::timeout(limit, call).instrument(span).await {
                Ok(r) => r,
                Err(_) => Err(Error::Timeout(TimeoutError {
                    kind: TimeoutKind::Operation,
                    after: limit,
                })),
            },
            None => call.instrument(span).await,
        }
    }

    async fn call<O, E: ModeledError>(
        &self,
        op: &'static OperationInfo,
        resolved: Option<Result<crate::endpoint::Endpoint, crate::endpoint::ResolveError>>,
        mut request: Request,
        read: fn(http::Response<Bytes>) -> Result<O, Error<E>>,
    ) -> Result<O, Error<E>> {
        let inner = &*self.inner;
        let parsed;
        let mut signing_override = (None, None);
        let endpoint = match resolved {
            None => inner
                .endpoint
                .as_ref()
                .map_err(|e| Error::Build(e.clone()))?,
            Some(Err(e)) => {
                return Err(Error::Build(BuildError::new(format!(
                    "the endpoint could not be resolved: {}",
                    e.message()
                ))));
            }
            Some(Ok(resolved)) => {
                parsed = Endpoint::parse(resolved.url()).map_err(Error::Build)?;
                for (name, values) in resolved.headers() {
                    let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                        Error::Build(BuildError::new(format!(
                            "the endpoint's header name `{name}` is not valid"
                        )))
                    })?;
                    for v in values {
                        let v = http::HeaderValue::from_str(v).map_err(|_| {
                            Error::Build(BuildError::new(format!(
                                "the endpoint's `{name}` header value is not valid"
                            )))
                        })?;
                        request.headers.append(name.clone(), v);
                    }
                }
                if let Some(scheme) = resolved.auth_scheme(&["sigv4"]) {
                    let text = |k: &str| scheme.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                    signing_override = (text("signingName"), text("signingRegion"));
                }
                &parsed
            }
        };
        let transport = inner
            .transport
            .as_ref()
            .map_err(|e| Error::Build(e.clone()))?;
        let uri = endpoint
            .uri(request.host_prefix.as_deref(), &request.path_and_query)
            .map_err(Error::Build)?;
        let (name, region) = signing_override;
        let mut signer = self.signer(op, region).await?;
        if let (Some((_, _, signing_name)), Some(n)) = (&mut signer, name) {
            *signing_name = std::borrow::Cow::Owned(n);
        }
        prepare_body(&inner.config, op, &mut request);
        let invocation_id = uuid::Uuid::new_v4().to_string();
        let max = inner.config.retry.max_attempts.max(1);
        let mut jitter = Jitter::new();
        let mut spent = 0;
        let mut attempt = 1;
        loop {
            let mut http_request = http::Request::new(request.body.clone());
            *http_request.method_mut() = request.method.clone();
            *http_request.uri_mut() = uri.clone();
            *http_request.headers_mut() = request.headers.clone();
            set_sdk_headers(&mut http_request, &invocation_id, attempt, max);
            if let Some((credentials, region, name)) = &signer {
                let (mut parts, body) = http_request.into_parts();
                sign(&mut parts, &body, credentials, region, name).map_err(Error::Build)?;
                http_request = http::Request::from_parts(parts, body);
            }
            let outcome = self
                .attempt(http_request, transport, read)
                .instrument(tracing::debug_span!("attempt", attempt))
                .await;
            let kind = match &outcome {
                Ok(_) => {
                    if inner.config.retry.quota {
                        inner.quota.release(if spent > 0 {
                            spent
                        } else {
                            super::retry::NO_RETRY_INCREMENT
                        });
                    }
                    return outcome;
                }
                Err(e) => retry_kind(e),
            };
            let Some(kind) = kind.filter(|_| attempt < max) else {
                return outcome;
            };
            if inner.config.retry.quota {
                match inner.quota.acquire(kind) {
                    Some(cost) => spent = cost,
                    None => {
                        tracing::debug!(attempt, "retry quota exhausted; not retrying");
                        return outcome;
                    }
                }
            }
            let delay = inner.config.retry.backoff(attempt, jitter.next());
            tracing::debug!(attempt, ?kind, ?delay, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// The credentials, region and signing name to sign `op` with, or
    /// `None` to send it unsigned.
    /// `region`: the signing region the endpoint gives, which wins over
    /// the configured one (and needs none).
    async fn signer<E>(
        &self,
        op: &OperationInfo,
        region: Option<String>,
    ) -> Result<Option<(Credentials, String, std::borrow::Cow<'static, str>)>, Error<E>> {
        let inner = &*self.inner;
        let Some(name) = inner.service.signing_name else {
            return Ok(None);
        };
        if op.auth == Auth::None {
            return Ok(None);
        }
        let provider = match (&inner.credentials, op.auth) {
            (Some(p), _) => p,
            (None, Auth::Optional) => return Ok(None),
            (None, _) => {
                return Err(Error::Build(BuildError::new(format!(
                    "`{}` must be signed and no credentials are configured (Config::builder().credentials(..), or Config::from_env())",
                    op.name
                ))));
            }
        };
        let credentials = match provider.provide_credentials().await {
            Ok(c) => c,
            Err(_) if op.auth == Auth::Optional => return Ok(None),
            Err(e) => return Err(Error::Credentials(e)),
        };
        let region = region.or_else(|| inner.region.clone()).ok_or_else(|| {
            Error::Build(BuildError::new(
                "no region is configured to sign the request for (AWS_REGION, or Config::builder().region(..))",
            ))
        })?;
        Ok(Some((
            credentials,
            region,
            std::borrow::Cow::Borrowed(name),
        )))
    }

    async fn attempt<O, E: ModeledError>(
        &self,
        request: http::Request<Bytes>,
        transport: &Arc<dyn HttpTransport>,
        read: fn(http::Response<Bytes>) -> Result<O, Error<E>>,
    ) -> Result<O, Error<E>> {
        let send = transport.send(request);
        let response = match self.inner.config.timeouts.attempt {
            Some(limit) => match tokio::time::timeout(limit, send).await {
                Ok(r) => r,
                Err(_) => {
                    return Err(Error::Timeout(TimeoutError {
                        kind: TimeoutKind::Attempt,
                        after: limit,
                    }));
                }
            },
            None => send.await,
        }
        .map_err(Error::Transport)?;
        let status = response.status().as_u16();
        let meta = super::error::ResponseMeta::of(&response);
        let result = read(response);
        tracing::debug!(
            status,
            request_id = meta.request_id.as_deref().unwrap_or(""),
            ok = result.is_ok(),
            "response"
        );
        result
    }
}

/// How a failed attempt is retried, if it is.
fn retry_kind<E: ModeledError>(e: &Error<E>) -> Option<RetryKind> {
    match e {
        Error::Modeled(m, meta) => m
            .retry_kind()
            .or_else(|| super::retry::classify(Some(m.code()), meta.status)),
        Error::Service(s) => super::retry::classify(s.code.as_deref(), s.meta.status),
        Error::Response(r) => super::retry::classify(None, r.meta.status),
        Error::Timeout(t) if t.kind == TimeoutKind::Attempt => Some(RetryKind::Timeout),
        Error::Transport(t) => match t.kind() {
            TransportErrorKind::Connect | TransportErrorKind::Io => Some(RetryKind::Transient),
            _ => None,
        },
        _ => None,
    }
}

/// Compresses the body when the operation allows gzip and the
/// configuration wants it, then adds `Content-MD5` when required (of the
/// bytes sent). Done once: every attempt sends the same body.
fn prepare_body(config: &Config, op: &OperationInfo, request: &mut Request) {
    if op.gzip && config.compression.enabled && request.body.len() >= config.compression.min_bytes {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing to a Vec cannot fail.
        if encoder.write_all(&request.body).is_ok() {
            if let Ok(gz) = encoder.finish() {
                request.body = Bytes::from(gz);
                let encoding = match request.headers.get(http::header::CONTENT_ENCODING) {
                    Some(v) => format!("{}, gzip", String::from_utf8_lossy(v.as_bytes())),
                    None => "gzip".to_owned(),
                };
                if let Ok(v) = http::HeaderValue::from_str(&encoding) {
                    request.headers.insert(http::header::CONTENT_ENCODING, v);
                }
            }
        }
    }
    if op.checksum_required && !request.headers.contains_key("content-md5") {
        use base64::Engine as _;
        use md5::Digest as _;
        let digest = md5::Md5::digest(&request.body);
        let value = base64::engine::general_purpose::STANDARD.encode(digest);
        if let Ok(v) = http::HeaderValue::from_str(&value) {
            request.headers.insert("content-md5", v);
        }
    }
    if !request.body.is_empty()
        || matches!(
            request.method,
            http::Method::POST | http::Method::PUT | http::Method::PATCH
        )
    {
        request.headers.insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from(request.body.len()),
        );
    }
}

const USER_AGENT: &str = concat!("smithy-rt/", env!("CARGO_PKG_VERSION"), " lang/rust");

fn set_sdk_headers(
    request: &mut http::Request<Bytes>,
    invocation_id: &str,
    attempt: u32,
    max: u32,
) {
    let headers = request.headers_mut();
    if !headers.contains_key(http::header::USER_AGENT) {
        headers.insert(
            http::header::USER_AGENT,
            http::HeaderValue::from_static(USER_AGENT),
        );
    }
    if let Ok(v) = http::HeaderValue::from_str(invocation_id) {
        headers.insert("amz-sdk-invocation-id", v);
    }
    if let Ok(v) = http::HeaderValue::from_str(&format!("attempt={attempt}; max={max}")) {
        headers.insert("amz-sdk-request", v);
    }
}

fn sign(
    parts: &mut http::request::Parts,
    body: &[u8],
    credentials: &Credentials,
    region: &str,
    name: &str,
) -> Result<(), BuildError> {
    let params = crate::sigv4::SigningParams {
        access_key_id: credentials.access_key_id(),
        secret_access_key: credentials.secret_access_key(),
        session_token: credentials.session_token(),
        region,
        service: name,
        time: SystemTime::now(),
    };
    crate::sigv4::sign_request(parts, body, &params)
        .map_err(|e| BuildError::new(format!("the request could not be signed: {e}")))
}

#[cfg(feature = "client-hyper")]
fn default_transport(config: &Config) -> Result<Arc<dyn HttpTransport>, BuildError> {
    Ok(Arc::new(super::hyper_transport::HyperTransport::new(
        config.timeouts.connect,
    )))
}

#[cfg(not(feature = "client-hyper"))]
fn default_transport(_: &Config) -> Result<Arc<dyn HttpTransport>, BuildError> {
    Err(BuildError::new(
        "no transport: set one (Config::builder().transport(..)) or enable the default one (feature `client-hyper`)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_and_calls_cross_threads() {
        fn send_sync<T: Send + Sync + Clone>() {}
        send_sync::<Handle>();
        send_sync::<Config>();
        // A call's future can be spawned on a multi-threaded runtime.
        fn send<T: Send>(_: &T) {}
        let h = Handle::new(Config::builder().build(), &SERVICE);
        fn read(_: http::Response<Bytes>) -> Result<(), Error<Never>> {
            Ok(())
        }
        let call = h.invoke(
            &OPERATION,
            Request::new(http::Method::GET, "/".into()),
            read,
        );
        send(&call);
    }

    static SERVICE: ServiceInfo = ServiceInfo {
        name: "S",
        sdk_id: None,
        endpoint_prefix: None,
        signing_name: None,
        api_version: None,
    };
    static OPERATION: OperationInfo = OperationInfo {
        name: "O",
        auth: Auth::None,
        gzip: false,
        checksum_required: false,
    };

    #[derive(Debug)]
    enum Never {}
    impl std::fmt::Display for Never {
        fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match *self {}
        }
    }
    impl std::error::Error for Never {}
    impl ModeledError for Never {
        fn retry_kind(&self) -> Option<RetryKind> {
            match *self {}
        }
        fn code(&self) -> &str {
            match *self {}
        }
    }

    #[test]
    fn endpoints() {
        let e = Endpoint::parse("http://127.0.0.1:8080/base/").unwrap();
        assert_eq!(
            e.uri(Some("foo."), "/x?y=1").unwrap().to_string(),
            "http://foo.127.0.0.1:8080/base/x?y=1"
        );
        assert!(Endpoint::parse("ftp://x").is_err());
        assert!(Endpoint::parse("http://x/?q=1").is_err());
        assert!(Endpoint::parse("no scheme").is_err());
        let no_endpoint = Handle::new(Config::builder().build(), &SERVICE);
        let msg = no_endpoint
            .inner
            .endpoint
            .as_ref()
            .unwrap_err()
            .message()
            .to_owned();
        assert!(msg.contains("no endpoint URL is configured"), "{msg}");
    }
}
