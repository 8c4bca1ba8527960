//! The EC2 instance metadata service (IMDS), IMDSv2 only: a session token
//! first (`PUT /latest/api/token`), then each request with it. IMDSv1
//! (requests without a token) is never used, so a metadata service that
//! does not give tokens is an error rather than a silent downgrade.
//!
//! The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` or the profile's
//! `ec2_metadata_service_endpoint`, else by
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` /
//! `ec2_metadata_service_endpoint_mode`: `http://169.254.169.254` (`IPv4`,
//! the default) or `http://[fd00:ec2::254]` (`IPv6`).
//! `AWS_EC2_METADATA_DISABLED=true` turns it off. Each attempt is limited
//! to one second and a request is tried at most twice (a refused
//! connection or no answer in time is not retried), so that where there
//! is no metadata service it costs little.

use super::http::{self, Http};
use super::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, credentials_from_json,
    json_error, json_str,
};
use crate::client::env::Env;
use crate::client::profile::ProfileSet;
use crate::client::transport::HttpTransport;
use bytes::Bytes;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);
const ATTEMPTS: usize = 2;
const TOKEN_TTL: u64 = 21_600;
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const EXTENDED: &str = "/latest/meta-data/iam/security-credentials-extended/";
const LEGACY: &str = "/latest/meta-data/iam/security-credentials/";

/// Credentials of the IAM role attached to the EC2 instance, from its
/// metadata service, IMDSv2 only: a session token first
/// (`PUT /latest/api/token`), then the role's name and its credentials
/// with it; never a request without a token (IMDSv1).
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` or the profile's
/// `ec2_metadata_service_endpoint`, else `http://169.254.169.254`, or
/// `http://[fd00:ec2::254]` when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`
/// (or `ec2_metadata_service_endpoint_mode`) is `IPv6`.
/// `AWS_EC2_METADATA_DISABLED=true` turns it off. Each attempt is limited
/// to one second, and a request is tried at most twice.
///
/// The metadata service turned off or not there (no connection, no answer
/// within a second) is [`NotLoaded`](super::CredentialsErrorKind::NotLoaded),
/// and so is an instance without a role; a metadata service that refuses
/// a session token, or answers with an error, is
/// [`ProviderError`](super::CredentialsErrorKind::ProviderError). The
/// session token is kept (it lasts six hours) and never printed.
#[derive(Clone, Debug, Default)]
pub struct ImdsCredentials {
    env: Env,
    profile: Option<String>,
    http: Http,
    token: Arc<TokenCache>,
}

impl ImdsCredentials {
    /// Credentials from the metadata service `env` configures, reached
    /// with the default transport.
    pub fn new(env: Env) -> Self {
        ImdsCredentials::with_http(env, None, Http::default())
    }

    /// The same, reached with `transport`.
    pub fn with_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.http = Http::new(Some(transport));
        self
    }

    pub(crate) fn with_http(env: Env, profile: Option<String>, http: Http) -> Self {
        ImdsCredentials {
            env,
            profile,
            http,
            token: Arc::default(),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let profiles = super::profiles(&self.env, self.profile.as_deref());
        let Some(imds) = Imds::configured(&self.env, &profiles, &self.http, &self.token)? else {
            return Err(CredentialsError::not_loaded(
                "IMDS: turned off by AWS_EC2_METADATA_DISABLED",
            ));
        };
        imds.credentials().await
    }
}

impl ProvideCredentials for ImdsCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

/// The session token and when to stop using it. `Debug` tells only
/// whether there is one.
#[derive(Default)]
struct TokenCache(Mutex<Option<(String, String, Instant)>>);

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.0.lock().is_ok_and(|t| t.is_some());
        write!(f, "TokenCache {{ cached: {cached} }}")
    }
}

impl TokenCache {
    fn get(&self, endpoint: &str) -> Option<String> {
        let cached = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|(at, _, until)| at == endpoint && Instant::now() < *until)
            .map(|(_, token, _)| token.clone())
    }

    fn set(&self, endpoint: &str, token: Option<String>) {
        let mut cached = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Renewed a minute early.
        let until = Instant::now() + Duration::from_secs(TOKEN_TTL - 60);
        *cached = token.map(|t| (endpoint.to_owned(), t, until));
    }
}

/// The metadata service at one endpoint.
struct Imds<'a> {
    endpoint: String,
    http: &'a Http,
    token: &'a TokenCache,
}

impl<'a> Imds<'a> {
    /// The metadata service as configured; `None` when turned off.
    fn configured(
        env: &Env,
        profiles: &ProfileSet,
        http: &'a Http,
        token: &'a TokenCache,
    ) -> Result<Option<Imds<'a>>, CredentialsError> {
        if env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return Ok(None);
        }
        let setting = |var: &str, key: &str| {
            env.get(var).or_else(|| {
                profiles
                    .selected()
                    .and_then(|p| p.get(key))
                    .filter(|v| !v.trim().is_empty())
                    .map(str::to_owned)
            })
        };
        let endpoint = match setting(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        ) {
            Some(endpoint) => endpoint.trim().trim_end_matches('/').to_owned(),
            None => match setting(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                "ec2_metadata_service_endpoint_mode",
            ) {
                None => "http://169.254.169.254".to_owned(),
                Some(mode) if mode.trim().eq_ignore_ascii_case("ipv4") => {
                    "http://169.254.169.254".to_owned()
                }
                Some(mode) if mode.trim().eq_ignore_ascii_case("ipv6") => {
                    "http://[fd00:ec2::254]".to_owned()
                }
                Some(mode) => {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "IMDS: endpoint mode `{}` is neither IPv4 nor IPv6",
                        mode.trim()
                    )));
                }
            },
        };
        Ok(Some(Imds {
            endpoint,
            http,
            token,
        }))
    }

    /// Sends what `build` makes, retrying once on a failed connection or
    /// a server error, but not when nothing answered.
    async fn send(
        &self,
        what: &str,
        build: impl Fn() -> Result<::http::Request<Bytes>, String>,
    ) -> Result<::http::Response<Bytes>, CredentialsError> {
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let request = build().map_err(|e| {
                CredentialsError::invalid_configuration(format!("IMDS: {what}: {e}"))
            })?;
            match self.http.send(request, ATTEMPT_TIMEOUT).await {
                Err(e) if e.unreachable => {
                    return Err(CredentialsError::not_loaded(format!(
                        "IMDS: {}: {e}",
                        self.endpoint
                    )));
                }
                Err(e) => last = e.to_string(),
                Ok(r) if r.status().is_server_error() && attempt < ATTEMPTS => {
                    last = format!("status {}", r.status().as_u16());
                }
                Ok(r) => return Ok(r),
            }
        }
        Err(CredentialsError::provider_error(format!(
            "IMDS: {what}: {last}"
        )))
    }

    /// A session token, kept from an earlier call or asked for.
    async fn token(&self) -> Result<String, CredentialsError> {
        if let Some(token) = self.token.get(&self.endpoint) {
            return Ok(token);
        }
        let url = format!("{}/latest/api/token", self.endpoint);
        let ttl = TOKEN_TTL.to_string();
        let what = "the session token request (PUT /latest/api/token)";
        let response = self
            .send(what, || {
                http::request(
                    ::http::Method::PUT,
                    &url,
                    &[("x-aws-ec2-metadata-token-ttl-seconds", &ttl)],
                    Bytes::new(),
                )
            })
            .await?;
        let status = response.status();
        if !status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "IMDS: {what} was answered with status {}; IMDSv1 (without a token) is not used",
                status.as_u16()
            )));
        }
        let token = std::str::from_utf8(response.body())
            .ok()
            .map(str::trim)
            .filter(|t| !t.is_empty() && ::http::HeaderValue::from_str(t).is_ok())
            .ok_or_else(|| {
                CredentialsError::provider_error(format!(
                    "IMDS: {what} was answered without a usable token"
                ))
            })?
            .to_owned();
        self.token.set(&self.endpoint, Some(token.clone()));
        Ok(token)
    }

    /// `GET path` with the session token: the body, or `None` for a 404.
    async fn get(&self, path: &str) -> Result<Option<Bytes>, CredentialsError> {
        let url = format!("{}{path}", self.endpoint);
        let what = format!("GET {path}");
        for renewed in [false, true] {
            let token = self.token().await?;
            let response = self
                .send(&what, || {
                    http::request(
                        ::http::Method::GET,
                        &url,
                        &[(TOKEN_HEADER, &token)],
                        Bytes::new(),
                    )
                })
                .await?;
            match response.status().as_u16() {
                200 => return Ok(Some(response.into_body())),
                404 => return Ok(None),
                // The token expired or was revoked: once with a new one.
                401 if !renewed => self.token.set(&self.endpoint, None),
                status => {
                    return Err(CredentialsError::provider_error(format!(
                        "IMDS: {what} was answered with status {status}"
                    )));
                }
            }
        }
        Err(CredentialsError::provider_error(format!(
            "IMDS: {what} was refused with a new session token too (status 401)"
        )))
    }

    fn first_line(body: &[u8]) -> Option<String> {
        std::str::from_utf8(body)
            .ok()?
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_owned)
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        // The extended path first, as the SDKs ask it now; the older one
        // where it is not served.
        let (base, body) = match self.get(EXTENDED).await? {
            Some(body) => (EXTENDED, body),
            None => match self.get(LEGACY).await? {
                Some(body) => (LEGACY, body),
                None => {
                    return Err(CredentialsError::not_loaded(
                        "IMDS: no IAM role is attached to this instance",
                    ));
                }
            },
        };
        let role = Self::first_line(&body).ok_or_else(|| {
            CredentialsError::not_loaded("IMDS: no IAM role is attached to this instance")
        })?;
        if role.contains(['/', '?', '#']) {
            return Err(CredentialsError::provider_error(
                "IMDS: the role name it gave is not a role name",
            ));
        }
        let body = self.get(&format!("{base}{role}")).await?.ok_or_else(|| {
            CredentialsError::provider_error(format!("IMDS: no credentials for role `{role}`"))
        })?;
        let value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            CredentialsError::provider_error(format!(
                "IMDS: the credentials of role `{role}` {}",
                json_error(&e)
            ))
        })?;
        match json_str(&value, "Code") {
            None | Some("Success") => {}
            Some(code) => {
                return Err(CredentialsError::provider_error(format!(
                    "IMDS: the credentials of role `{role}` were refused: {code}"
                )));
            }
        }
        credentials_from_json(
            &value,
            ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"],
            "IMDS",
        )
    }

    async fn region(&self) -> Result<String, CredentialsError> {
        let body = self
            .get("/latest/meta-data/placement/region")
            .await?
            .ok_or_else(|| CredentialsError::provider_error("IMDS: no region"))?;
        Self::first_line(&body).ok_or_else(|| CredentialsError::provider_error("IMDS: no region"))
    }
}

/// The region of the EC2 instance, from its metadata service; `None`
/// when it is turned off, not there, or fails (logged at debug level).
///
/// For a caller that is not async ([`crate::client::Config::from_env`]):
/// asks on a thread of its own, with a runtime of its own, for at most
/// three seconds in all (and much less where nothing answers).
pub(crate) fn region_blocking(
    env: &Env,
    profiles: &ProfileSet,
    transport: Option<Arc<dyn HttpTransport>>,
) -> Option<String> {
    let token = TokenCache::default();
    let http = Http::new(transport);
    let imds = match Imds::configured(env, profiles, &http, &token) {
        Ok(Some(imds)) => imds,
        Ok(None) => return None,
        Err(e) => {
            tracing::debug!(reason = %e, "no region from IMDS");
            return None;
        }
    };
    let ask = async {
        match tokio::time::timeout(Duration::from_secs(3), imds.region()).await {
            Ok(result) => result,
            Err(_) => Err(CredentialsError::not_loaded("IMDS: no answer within 3 s")),
        }
    };
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| CredentialsError::provider_error(format!("IMDS: {e}")))?;
            runtime.block_on(ask)
        })
        .join()
        .unwrap_or_else(|_| {
            Err(CredentialsError::provider_error(
                "IMDS: the lookup panicked",
            ))
        })
    });
    match result {
        Ok(region) => {
            tracing::debug!(region = %region, "region from IMDS");
            Some(region)
        }
        Err(e) => {
            tracing::debug!(reason = %e, "no region from IMDS");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::CredentialsErrorKind;
    use super::super::test_support::*;
    use super::*;

    /// A metadata service with role `r` and its credentials; `legacy`
    /// serves only the older path, `v1_only` gives no tokens.
    fn service(
        legacy: bool,
        v1_only: bool,
    ) -> (Arc<dyn HttpTransport>, Arc<std::sync::Mutex<Vec<Seen>>>) {
        let expiration = in_secs(3600);
        fake(move |r| {
            let path = r.uri.trim_start_matches("http://imds.local");
            if r.method == "PUT" {
                assert_eq!(path, "/latest/api/token");
                assert_eq!(
                    r.header("x-aws-ec2-metadata-token-ttl-seconds"),
                    Some("21600")
                );
                return if v1_only {
                    (404, String::new())
                } else {
                    (200, TOKEN.to_owned())
                };
            }
            if r.header(TOKEN_HEADER) != Some(TOKEN) {
                return (401, String::new());
            }
            let extended = path.starts_with(EXTENDED);
            match path.rsplit('/').next() {
                _ if extended && legacy => (404, String::new()),
                Some("") => (200, "r\n".to_owned()),
                Some("r") => (
                    200,
                    format!(
                        "{{\"Code\": \"Success\", \"Type\": \"AWS-HMAC\", \"AccessKeyId\": \"ASIAIMDS\", \
                         \"SecretAccessKey\": \"{SECRET}\", \"Token\": \"{TOKEN}\", \
                         \"Expiration\": \"{expiration}\"}}"
                    ),
                ),
                Some("region") => (200, "eu-north-1".to_owned()),
                _ => (404, String::new()),
            }
        })
    }

    fn provider(t: Arc<dyn HttpTransport>) -> ImdsCredentials {
        ImdsCredentials::new(env(&[(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "http://imds.local/",
        )]))
        .with_transport(t)
    }

    #[tokio::test]
    async fn token_first_then_role_then_credentials() {
        let (t, seen) = service(false, false);
        let p = provider(t);
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id(), "ASIAIMDS");
        assert_eq!(c.session_token(), Some(TOKEN));
        assert!(c.expiry().is_some());
        let paths = |seen: &[Seen]| -> Vec<String> {
            seen.iter()
                .map(|r| format!("{} {}", r.method, r.uri))
                .collect()
        };
        assert_eq!(
            paths(&seen.lock().unwrap()),
            [
                "PUT http://imds.local/latest/api/token",
                "GET http://imds.local/latest/meta-data/iam/security-credentials-extended/",
                "GET http://imds.local/latest/meta-data/iam/security-credentials-extended/r",
            ]
        );
        // The token is kept.
        p.provide_credentials().await.unwrap();
        assert_eq!(seen.lock().unwrap().len(), 5);
        let debug = format!("{p:?}");
        assert!(debug.contains("cached: true"), "{debug}");
        assert_no_secret(&debug);

        // Older metadata services: the legacy path.
        let (t, seen) = service(true, false);
        provider(t).provide_credentials().await.unwrap();
        assert_eq!(
            paths(&seen.lock().unwrap())[2..],
            [
                "GET http://imds.local/latest/meta-data/iam/security-credentials/",
                "GET http://imds.local/latest/meta-data/iam/security-credentials/r",
            ]
        );
    }

    #[tokio::test]
    async fn no_token_is_an_error_not_imdsv1() {
        let (t, seen) = service(false, true);
        let e = provider(t).provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(
            e.to_string(),
            "IMDS: the session token request (PUT /latest/api/token) was answered with status 404; \
             IMDSv1 (without a token) is not used"
        );
        assert_eq!(seen.lock().unwrap().len(), 1, "no request without a token");
    }

    #[tokio::test]
    async fn absent_disabled_and_misconfigured() {
        let e = provider(unreachable())
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(
            e.to_string(),
            "IMDS: http://imds.local: could not connect: connection refused"
        );
        let p = ImdsCredentials::new(env(&[("AWS_EC2_METADATA_DISABLED", "TRUE")]))
            .with_transport(unreachable());
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(
            e.to_string(),
            "IMDS: turned off by AWS_EC2_METADATA_DISABLED"
        );
        let p = ImdsCredentials::new(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipx")]));
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        // No role: nothing here.
        let (t, _) = fake(|r| {
            if r.method == "PUT" {
                (200, "tok".to_owned())
            } else {
                (404, String::new())
            }
        });
        let e = provider(t).provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(
            e.to_string(),
            "IMDS: no IAM role is attached to this instance"
        );
    }

    #[test]
    fn endpoints() {
        let http = Http::default();
        let token = TokenCache::default();
        let endpoint = |vars: &[(&str, &str)], config: &str| {
            let profiles = ProfileSet::parse(config, "").unwrap();
            Imds::configured(&env(vars), &profiles, &http, &token)
                .unwrap()
                .unwrap()
                .endpoint
        };
        assert_eq!(endpoint(&[], ""), "http://169.254.169.254");
        assert_eq!(
            endpoint(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")], ""),
            "http://[fd00:ec2::254]"
        );
        assert_eq!(
            endpoint(
                &[],
                "[default]\nec2_metadata_service_endpoint_mode = IPv6\n"
            ),
            "http://[fd00:ec2::254]"
        );
        assert_eq!(
            endpoint(
                &[(
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                    "http://127.0.0.1:1234/"
                )],
                "[default]\nec2_metadata_service_endpoint = http://x\n"
            ),
            "http://127.0.0.1:1234"
        );
        assert_eq!(
            endpoint(&[], "[default]\nec2_metadata_service_endpoint = http://x\n"),
            "http://x"
        );
    }

    #[test]
    fn region_on_a_thread_of_its_own() {
        let (t, _) = service(false, false);
        let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://imds.local")]);
        assert_eq!(
            region_blocking(&e, &ProfileSet::default(), Some(t)).as_deref(),
            Some("eu-north-1")
        );
        assert_eq!(
            region_blocking(&e, &ProfileSet::default(), Some(unreachable())),
            None
        );
        let off = env(&[("AWS_EC2_METADATA_DISABLED", "true")]);
        assert_eq!(region_blocking(&off, &ProfileSet::default(), None), None);
    }
}
