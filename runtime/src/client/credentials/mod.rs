//! AWS credentials and where they come from, as the AWS SDKs find them.
//!
//! [`DefaultCredentialsChain`] asks, in this order, and the first source
//! that gives credentials wins:
//!
//! 1. the environment ([`EnvironmentCredentials`]: `AWS_ACCESS_KEY_ID`…);
//! 2. the selected profile of the shared files ([`ProfileCredentials`]):
//!    static keys, `credential_process`, `role_arn` with `source_profile`
//!    or `credential_source` (STS `AssumeRole`), `role_arn` with
//!    `web_identity_token_file` (STS `AssumeRoleWithWebIdentity`), or IAM
//!    Identity Center (`sso_session` / `sso_start_url`);
//! 3. a web identity token named by the environment
//!    ([`WebIdentityCredentials`]: `AWS_WEB_IDENTITY_TOKEN_FILE`,
//!    `AWS_ROLE_ARN`, as EKS sets them);
//! 4. the container credentials endpoint ([`ContainerCredentials`]: ECS,
//!    EKS Pod Identity);
//! 5. the EC2 instance metadata service, IMDSv2 only
//!    ([`ImdsCredentials`]).
//!
//! A provider that finds nothing says so with
//! [`CredentialsErrorKind::NotLoaded`], and a chain moves on to its next
//! source; a provider that is configured but broken (half a key pair, a
//! profile naming a missing `source_profile`) fails with
//! [`CredentialsErrorKind::InvalidConfiguration`], and one that is
//! configured but whose source failed (STS refused, the command exited
//! with an error) with [`CredentialsErrorKind::ProviderError`]; a chain
//! stops at either, as the SDKs' chains do, rather than silently using
//! another identity.
//!
//! Every HTTP request of these providers goes through an
//! [`HttpTransport`](super::transport::HttpTransport): the one given to
//! the provider, else the default one (feature `client-hyper`).
//!
//! No secret (secret access key, session token, web identity token, SSO
//! access token, container authorization token, IMDS session token) is
//! ever printed: not by `Debug`, not in an error, not in a log event.

mod cache;
mod chain;
mod container;
mod environment;
mod http;
mod imds;
mod process;
mod profile;
mod sso;
mod sts;
mod web_identity;
mod xml;

pub use chain::DefaultCredentialsChain;
pub use container::ContainerCredentials;
pub use environment::EnvironmentCredentials;
pub use imds::ImdsCredentials;
pub use profile::ProfileCredentials;
pub use web_identity::WebIdentityCredentials;

pub(crate) use imds::region_blocking as imds_region;

use crate::client::env::Env;
use crate::client::profile::ProfileSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// AWS credentials: an access key id, its secret access key, and for
/// temporary credentials a session token and an expiry.
///
/// `Debug` shows the access key id and the expiry, never the secret or
/// the token (it prints [`crate::REDACTED`] in their place).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials that do not expire (unless [`Credentials::with_expiry`]
    /// says when).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// These credentials, expiring at `expiry`.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials expire; `None` for long-term ones.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::Redacted)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::Redacted),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// What a [`ProvideCredentials`] returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked before each request is signed.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials to sign with now.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

/// Fixed credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// A credentials provider shared by clients.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

/// Whether a source had nothing, was broken, or failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source has no credentials (nothing set); a chain tries its next
    /// source.
    NotLoaded,
    /// The source is configured but cannot give credentials (half a key
    /// pair, a malformed file, a missing profile that was asked for by
    /// name, a `source_profile` cycle); a chain stops and reports it.
    InvalidConfiguration,
    /// The source is configured, but asking it failed (STS or the SSO
    /// portal answered with an error, the endpoint could not be reached,
    /// the `credential_process` command exited with an error or printed
    /// something else than credentials); a chain stops and reports it.
    ProviderError,
}

/// Why no credentials could be provided. Its text names the source and
/// the setting, never a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
}

impl CredentialsError {
    /// The source has no credentials; `message` says what was looked for.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        CredentialsError {
            kind: CredentialsErrorKind::NotLoaded,
            message: message.into(),
        }
    }

    /// The source is configured but broken; `message` says how (and must
    /// not quote a secret).
    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        CredentialsError {
            kind: CredentialsErrorKind::InvalidConfiguration,
            message: message.into(),
        }
    }

    /// The source is configured but failed; `message` says how (and must
    /// not quote a secret).
    pub fn provider_error(message: impl Into<String>) -> Self {
        CredentialsError {
            kind: CredentialsErrorKind::ProviderError,
            message: message.into(),
        }
    }

    /// Whether the source had nothing, was broken or failed.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The same error, its text preceded by `prefix` and `: `.
    pub(crate) fn context(mut self, prefix: impl fmt::Display) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }

    /// The same text, as a configuration error (a source the
    /// configuration asked for had nothing).
    pub(crate) fn required(mut self) -> Self {
        if self.kind == CredentialsErrorKind::NotLoaded {
            self.kind = CredentialsErrorKind::InvalidConfiguration;
        }
        self
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// The shared files' profiles with `profile` selected (else the one
/// `AWS_PROFILE` names); none when they cannot be read (the profile
/// provider reports that).
fn profiles(env: &Env, profile: Option<&str>) -> ProfileSet {
    let set = ProfileSet::load(env).unwrap_or_default();
    match profile {
        Some(name) => set.with_selected(name),
        None => set,
    }
}

/// An RFC 3339 time (`2026-12-07T10:00:00Z`, with a fraction or a UTC
/// offset), as STS, `credential_process`, containers and IMDS write
/// expirations.
fn parse_time(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    // The AWS CLI v1 wrote SSO token expiries as `…T10:00:00UTC`.
    let fixed;
    let text = match text.strip_suffix("UTC") {
        Some(rest) => {
            fixed = format!("{rest}Z");
            fixed.as_str()
        }
        None => text,
    };
    crate::datetime::with_utc_offsets(|| crate::DateTime::parse_date_time(text))
        .ok()
        .map(SystemTime::from)
}

/// A string member of a JSON object, when present and a non-empty string.
fn json_str<'a>(object: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    object
        .get(key)
        .and_then(serde_json::Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Why a JSON document could not be read, without quoting it (it may hold
/// secrets): the kind of error and where.
fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Io => "could not be read",
        serde_json::error::Category::Syntax => "is not valid JSON",
        serde_json::error::Category::Data => "has an unexpected shape",
        serde_json::error::Category::Eof => "ends early",
    };
    format!("{what} (line {}, column {})", e.line(), e.column())
}

/// Credentials from a JSON object holding them under the names
/// `access`, `secret`, `token` (optional) and an optional RFC 3339
/// `expiration`; `what` names the document in errors.
fn credentials_from_json(
    object: &serde_json::Value,
    [access, secret, token, expiration]: [&str; 4],
    what: &str,
) -> Result<Credentials, CredentialsError> {
    let missing =
        |key: &str| CredentialsError::provider_error(format!("{what}: no `{key}` in the answer"));
    let access_key_id = json_str(object, access).ok_or_else(|| missing(access))?;
    let secret_access_key = json_str(object, secret).ok_or_else(|| missing(secret))?;
    let session_token = json_str(object, token).map(str::to_owned);
    let credentials = Credentials::new(access_key_id, secret_access_key, session_token);
    match object.get(expiration) {
        None | Some(serde_json::Value::Null) => Ok(credentials),
        Some(value) => {
            let at = value.as_str().and_then(parse_time).ok_or_else(|| {
                CredentialsError::provider_error(format!(
                    "{what}: `{expiration}` is not an RFC 3339 time"
                ))
            })?;
            Ok(credentials.with_expiry(at))
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use std::time::Duration;

    #[test]
    fn credentials_accessors_and_redacted_debug() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let c = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_owned())).with_expiry(at);
        assert_eq!(c.access_key_id(), "AKIDEXAMPLE");
        assert_eq!(c.secret_access_key(), SECRET);
        assert_eq!(c.session_token(), Some(TOKEN));
        assert_eq!(c.expiry(), Some(at));
        let debug = format!("{c:?}");
        assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
        assert!(debug.contains(crate::REDACTED), "{debug}");
        assert_no_secret(&debug);
        let long_term = Credentials::new("AKID", SECRET, None);
        assert_eq!(long_term.session_token(), None);
        assert_eq!(long_term.expiry(), None);
        assert!(format!("{long_term:?}").contains("session_token: None"));
        assert_ne!(long_term, c);
    }

    #[tokio::test]
    async fn fixed_credentials_provide_themselves() {
        let c = Credentials::new("AKID", SECRET, None);
        assert_eq!(c.provide_credentials().await.unwrap(), c);
        let shared: SharedCredentialsProvider = Arc::new(c.clone());
        assert_eq!(shared.provide_credentials().await.unwrap(), c);
        assert_eq!(Arc::new(shared).provide_credentials().await.unwrap(), c);
    }

    #[test]
    fn error_kinds_and_text() {
        let e = CredentialsError::not_loaded("nothing here");
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(e.to_string(), "nothing here");
        let e = e.context("source").required();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(e.to_string(), "source: nothing here");
        let e = CredentialsError::provider_error("refused");
        assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(
            e.clone().required().kind(),
            CredentialsErrorKind::ProviderError
        );
        let e = CredentialsError::invalid_configuration("broken");
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
        assert_eq!(boxed.to_string(), "broken");
    }

    #[test]
    fn times_and_json_helpers() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert_eq!(parse_time("2027-01-15T08:00:00Z"), Some(at));
        assert_eq!(parse_time("2027-01-15T08:00:00UTC"), Some(at));
        assert_eq!(parse_time("2027-01-15T09:00:00+01:00"), Some(at));
        assert_eq!(parse_time("tomorrow"), None);
        let e =
            serde_json::from_str::<serde_json::Value>(&format!("{{\"k\": {SECRET}}}")).unwrap_err();
        let text = json_error(&e);
        assert_eq!(text, "is not valid JSON (line 1, column 7)");
        let names = ["A", "S", "T", "E"];
        let v =
            serde_json::json!({"A": "AKID", "S": SECRET, "T": TOKEN, "E": "2027-01-15T08:00:00Z"});
        let c = credentials_from_json(&v, names, "doc").unwrap();
        assert_eq!(c.expiry(), Some(at));
        assert_eq!(c.session_token(), Some(TOKEN));
        let v = serde_json::json!({"A": "AKID", "S": SECRET, "E": "soon"});
        let e = credentials_from_json(&v, names, "doc").unwrap_err();
        assert_eq!(e.to_string(), "doc: `E` is not an RFC 3339 time");
        let v = serde_json::json!({"A": "AKID", "T": TOKEN});
        let e = credentials_from_json(&v, names, "doc").unwrap_err();
        assert_eq!(e.to_string(), "doc: no `S` in the answer");
        assert_error_has_no_secret(&e);
    }
}
