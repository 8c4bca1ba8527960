//! AWS credentials and where they come from: fixed keys ([`Credentials`]),
//! the environment ([`EnvironmentCredentials`]), the shared files
//! ([`ProfileCredentials`]), and the chain of both the AWS SDKs use by
//! default ([`DefaultCredentialsChain`]).
//!
//! A provider that finds nothing says so with
//! [`CredentialsErrorKind::NotLoaded`], and a chain moves on to its next
//! source; a provider that is configured but broken (half a key pair, a
//! profile that names a source this crate does not implement) fails with
//! [`CredentialsErrorKind::InvalidConfiguration`], and a chain stops there,
//! as the SDKs' chains do, rather than silently using another identity.
//!
//! No secret access key or session token is ever printed: not by `Debug`,
//! not in an error.

use super::env::Env;
use super::profile::{Profile, ProfileSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

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

/// Whether a source had nothing or was broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source has no credentials (nothing set); a chain tries its next
    /// source.
    NotLoaded,
    /// The source is configured but cannot give credentials (half a key
    /// pair, a malformed file, a missing profile that was asked for by
    /// name, a credential source not supported yet); a chain stops and
    /// reports it.
    InvalidConfiguration,
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

    /// Whether the source had nothing or was broken.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// (optionally) `AWS_SESSION_TOKEN`.
///
/// Neither key set is [`NotLoaded`](CredentialsErrorKind::NotLoaded); one
/// without the other is
/// [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration),
/// naming the missing variable. Empty values are unset.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentCredentials {
    env: Env,
}

impl EnvironmentCredentials {
    /// Credentials from the variables of `env`.
    pub fn new(env: Env) -> Self {
        EnvironmentCredentials { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        const KEY: &str = "AWS_ACCESS_KEY_ID";
        const SECRET: &str = "AWS_SECRET_ACCESS_KEY";
        match (self.env.get(KEY), self.env.get(SECRET)) {
            (Some(key), Some(secret)) => Ok(Credentials::new(
                key,
                secret,
                self.env.get("AWS_SESSION_TOKEN"),
            )),
            (None, None) => Err(CredentialsError::not_loaded(format!(
                "environment: {KEY} is not set"
            ))),
            (Some(_), None) => Err(CredentialsError::invalid_configuration(format!(
                "environment: {KEY} is set but {SECRET} is not"
            ))),
            (None, Some(_)) => Err(CredentialsError::invalid_configuration(format!(
                "environment: {SECRET} is set but {KEY} is not"
            ))),
        }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

/// Properties that make a profile get its credentials from a source this
/// crate does not implement yet. Each takes precedence over static keys in
/// the CLI and the SDKs.
const UNSUPPORTED_FIRST: [&str; 4] = [
    "role_arn",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
];

/// Credentials from the static keys (`aws_access_key_id`,
/// `aws_secret_access_key`, `aws_session_token`) of a profile of the shared
/// files, read again at each call.
///
/// The profile is the one given to [`ProfileCredentials::with_profile`],
/// else `AWS_PROFILE`, else `default`. Errors:
///
/// - no such profile: [`NotLoaded`](CredentialsErrorKind::NotLoaded) for
///   the implicit `default`, but
///   [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration)
///   for a profile asked for by name (the CLI refuses to run then);
/// - a profile without keys: `NotLoaded`;
/// - half a key pair, a malformed or unreadable file, or a profile whose
///   credentials come from `role_arn`, `web_identity_token_file`,
///   `sso_session` / `sso_start_url` or (without static keys)
///   `credential_process`, which are not supported yet:
///   `InvalidConfiguration`, naming the property.
#[derive(Clone, Debug, Default)]
pub struct ProfileCredentials {
    env: Env,
    profile: Option<String>,
}

impl ProfileCredentials {
    /// Credentials from the shared files `env` locates, for the profile
    /// `AWS_PROFILE` names (else `default`).
    pub fn new(env: Env) -> Self {
        ProfileCredentials { env, profile: None }
    }

    /// The same, for profile `name` whatever `AWS_PROFILE` says.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let explicit = self.profile.is_some() || self.env.get("AWS_PROFILE").is_some();
        let set = ProfileSet::load(&self.env);
        let name = match (&self.profile, &set) {
            (Some(name), _) => name.clone(),
            (None, Ok(set)) => set.selected_name().to_owned(),
            (None, Err(_)) => self
                .env
                .get("AWS_PROFILE")
                .unwrap_or_else(|| "default".to_owned()),
        };
        let set = set.map_err(|e| {
            CredentialsError::invalid_configuration(format!("profile `{name}`: {e}"))
        })?;
        let Some(profile) = set.get(&name) else {
            let message = format!(
                "profile `{name}`: no such profile in {} or {}",
                set.config_origin(),
                set.credentials_origin()
            );
            return Err(if explicit {
                CredentialsError::invalid_configuration(message)
            } else {
                CredentialsError::not_loaded(message)
            });
        };
        static_keys(&name, profile)
    }
}

/// The value of `key` in `profile`, when set and not empty.
fn setting<'a>(profile: &'a Profile, key: &str) -> Option<&'a str> {
    profile.get(key).filter(|v| !v.trim().is_empty())
}

fn static_keys(name: &str, profile: &Profile) -> Result<Credentials, CredentialsError> {
    let unsupported = |key: &str| {
        CredentialsError::invalid_configuration(format!(
            "profile `{name}`: credentials from `{key}` are not supported yet"
        ))
    };
    if let Some(key) = UNSUPPORTED_FIRST
        .into_iter()
        .find(|key| setting(profile, key).is_some())
    {
        return Err(unsupported(key));
    }
    const KEY: &str = "aws_access_key_id";
    const SECRET: &str = "aws_secret_access_key";
    match (setting(profile, KEY), setting(profile, SECRET)) {
        (Some(key), Some(secret)) => Ok(Credentials::new(
            key,
            secret,
            setting(profile, "aws_session_token").map(str::to_owned),
        )),
        (Some(_), None) => Err(CredentialsError::invalid_configuration(format!(
            "profile `{name}`: {KEY} is set but {SECRET} is not"
        ))),
        (None, Some(_)) => Err(CredentialsError::invalid_configuration(format!(
            "profile `{name}`: {SECRET} is set but {KEY} is not"
        ))),
        (None, None) if setting(profile, "credential_process").is_some() => {
            Err(unsupported("credential_process"))
        }
        (None, None) => Err(CredentialsError::not_loaded(format!(
            "profile `{name}`: no {KEY} in it"
        ))),
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        // The files are small and local: read them in place.
        Box::pin(std::future::ready(self.load()))
    }
}

/// Credentials whose expiry is this close are not reused from the cache.
const EXPIRY_BUFFER: Duration = Duration::from_secs(5 * 60);

/// The AWS SDKs' default credentials chain, as far as this crate goes:
/// the environment ([`EnvironmentCredentials`]), then the shared files
/// ([`ProfileCredentials`]).
///
/// The first source that gives credentials wins, and they are reused until
/// five minutes before they expire (forever for long-term keys). A source
/// that has nothing lets the next one try; a source that is configured but
/// broken stops the chain with its error. When every source has nothing,
/// the error lists each one and why, for example `no credentials:
/// environment: AWS_ACCESS_KEY_ID is not set; profile `default`: no such
/// profile in /home/me/.aws/config or /home/me/.aws/credentials`.
///
/// Two calls made at once while nothing is cached may both ask the
/// sources.
pub struct DefaultCredentialsChain {
    sources: Vec<(&'static str, SharedCredentialsProvider)>,
    cache: Mutex<Option<Credentials>>,
}

impl DefaultCredentialsChain {
    /// The chain, reading `env` (and the files it locates).
    pub fn new(env: Env) -> Self {
        DefaultCredentialsChain::from_sources(vec![
            (
                "environment",
                Arc::new(EnvironmentCredentials::new(env.clone())),
            ),
            ("profile", Arc::new(ProfileCredentials::new(env))),
        ])
    }

    /// The chain, with profile `name` instead of the one `AWS_PROFILE`
    /// names.
    pub fn with_profile(env: Env, name: impl Into<String>) -> Self {
        DefaultCredentialsChain::from_sources(vec![
            (
                "environment",
                Arc::new(EnvironmentCredentials::new(env.clone())),
            ),
            (
                "profile",
                Arc::new(ProfileCredentials::new(env).with_profile(name)),
            ),
        ])
    }

    fn from_sources(sources: Vec<(&'static str, SharedCredentialsProvider)>) -> Self {
        DefaultCredentialsChain {
            sources,
            cache: Mutex::new(None),
        }
    }

    fn cached(&self) -> Option<Credentials> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.as_ref().filter(|c| reusable(c)).cloned()
    }

    fn remember(&self, credentials: &Credentials) {
        if reusable(credentials) {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            *cache = Some(credentials.clone());
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.cached() {
            return Ok(credentials);
        }
        let mut tried = Vec::with_capacity(self.sources.len());
        for (name, source) in &self.sources {
            match source.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(source = name, "credentials loaded");
                    self.remember(&credentials);
                    return Ok(credentials);
                }
                Err(e) if e.kind() == CredentialsErrorKind::NotLoaded => {
                    tracing::debug!(source = name, reason = %e, "no credentials");
                    tried.push(e.message);
                }
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::not_loaded(format!(
            "no credentials: {}",
            tried.join("; ")
        )))
    }
}

/// Whether `credentials` can be kept for later calls.
fn reusable(credentials: &Credentials) -> bool {
    match credentials.expiry() {
        None => true,
        Some(expiry) => SystemTime::now()
            .checked_add(EXPIRY_BUFFER)
            .is_some_and(|soon| soon < expiry),
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.lock().is_ok_and(|c| c.is_some());
        f.debug_struct("DefaultCredentialsChain")
            .field("sources", &self.sources)
            .field("cached", &cached)
            .finish()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::env::tests::TempDir;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";

    fn assert_no_secret(text: &str) {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }

    fn assert_error_has_no_secret(e: &CredentialsError) {
        assert_no_secret(&e.to_string());
        assert_no_secret(&format!("{e:?}"));
    }

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
        let e = CredentialsError::invalid_configuration("broken");
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
        assert_eq!(boxed.to_string(), "broken");
    }

    fn env(vars: &[(&str, &str)]) -> Env {
        Env::from_vars(vars.iter().copied())
    }

    #[test]
    fn environment_credentials() {
        let full = env(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]);
        let c = EnvironmentCredentials::new(full).load().unwrap();
        assert_eq!(
            c,
            Credentials::new("AKIDENV", SECRET, Some(TOKEN.to_owned()))
        );
        let no_token = env(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", ""),
        ]);
        assert_eq!(
            EnvironmentCredentials::new(no_token)
                .load()
                .unwrap()
                .session_token(),
            None
        );

        let e = EnvironmentCredentials::new(env(&[("AWS_SESSION_TOKEN", TOKEN)]))
            .load()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(e.to_string(), "environment: AWS_ACCESS_KEY_ID is not set");

        let e = EnvironmentCredentials::new(env(&[("AWS_ACCESS_KEY_ID", "AKIDENV")]))
            .load()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
        );

        let e = EnvironmentCredentials::new(env(&[
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]))
        .load()
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
        );
        assert_error_has_no_secret(&e);
    }

    /// Writes the shared files and returns the variables that point at
    /// them, plus `extra`.
    fn shared_files(dir: &TempDir, config: &str, credentials: &str, extra: &[(&str, &str)]) -> Env {
        let c = dir.write("config", config);
        let k = dir.write("credentials", credentials);
        let mut vars = vec![
            ("AWS_CONFIG_FILE".to_owned(), c.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                k.display().to_string(),
            ),
        ];
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Env::from_vars(vars)
    }

    #[test]
    fn profile_credentials_from_files() {
        let dir = TempDir::new("creds-profile");
        let env = shared_files(
            &dir,
            "[default]\nregion = us-east-1\naws_access_key_id = FROM_CONFIG\n\
             aws_secret_access_key = config-secret\n\
             [profile dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n\
             aws_session_token = dev-token\n",
            &format!(
                "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = {SECRET}\n"
            ),
            &[],
        );
        let c = ProfileCredentials::new(env.clone()).load().unwrap();
        // The credentials file wins over the config file.
        assert_eq!(c, Credentials::new("AKIDDEFAULT", SECRET, None));
        let c = ProfileCredentials::new(env.clone())
            .with_profile("dev")
            .load()
            .unwrap();
        assert_eq!(
            c,
            Credentials::new("AKIDDEV", "dev-secret", Some("dev-token".to_owned()))
        );
        let env = shared_files(
            &dir,
            "[profile dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n",
            "",
            &[("AWS_PROFILE", "dev")],
        );
        let c = ProfileCredentials::new(env.clone()).load().unwrap();
        assert_eq!(c.access_key_id(), "AKIDDEV");
        // `with_profile` wins over AWS_PROFILE.
        let e = ProfileCredentials::new(env)
            .with_profile("default")
            .load()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    }

    #[test]
    fn profile_credentials_errors() {
        let dir = TempDir::new("creds-profile-errors");
        let config = format!(
            "[default]\nregion = us-east-1\n\
             [profile half]\naws_access_key_id = AKIDHALF\n\
             [profile other-half]\naws_secret_access_key = {SECRET}\n\
             [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n\
             aws_access_key_id = AKID\naws_secret_access_key = {SECRET}\n\
             [profile web]\nweb_identity_token_file = /tmp/token\n\
             [profile sso]\nsso_session = corp\n\
             [profile legacy-sso]\nsso_start_url = https://x/start\n\
             [profile process]\ncredential_process = /bin/creds --secret {SECRET}\n\
             [profile process-and-keys]\ncredential_process = /bin/creds\n\
             aws_access_key_id = AKIDKEYS\naws_secret_access_key = {SECRET}\n\
             [sso-session corp]\nsso_region = us-east-1\n"
        );
        let env = shared_files(&dir, &config, "", &[]);
        let load = |name: Option<&str>| {
            let p = ProfileCredentials::new(env.clone());
            match name {
                Some(n) => p.with_profile(n).load(),
                None => p.load(),
            }
        };
        let expect = |name: Option<&str>, kind, text: &str| {
            let e = load(name).unwrap_err();
            assert_eq!(e.kind(), kind, "{e}");
            assert_eq!(e.to_string(), text);
            assert_error_has_no_secret(&e);
        };
        use CredentialsErrorKind::{InvalidConfiguration, NotLoaded};
        expect(
            None,
            NotLoaded,
            "profile `default`: no aws_access_key_id in it",
        );
        expect(
            Some("half"),
            InvalidConfiguration,
            "profile `half`: aws_access_key_id is set but aws_secret_access_key is not",
        );
        expect(
            Some("other-half"),
            InvalidConfiguration,
            "profile `other-half`: aws_secret_access_key is set but aws_access_key_id is not",
        );
        for (profile, key) in [
            ("role", "role_arn"),
            ("web", "web_identity_token_file"),
            ("sso", "sso_session"),
            ("legacy-sso", "sso_start_url"),
            ("process", "credential_process"),
        ] {
            expect(
                Some(profile),
                InvalidConfiguration,
                &format!("profile `{profile}`: credentials from `{key}` are not supported yet"),
            );
        }
        // Static keys win over credential_process.
        assert_eq!(
            load(Some("process-and-keys")).unwrap().access_key_id(),
            "AKIDKEYS"
        );
        let config_path = dir.0.join("config").display().to_string();
        let creds_path = dir.0.join("credentials").display().to_string();
        expect(
            Some("missing"),
            InvalidConfiguration,
            &format!("profile `missing`: no such profile in {config_path} or {creds_path}"),
        );
    }

    #[test]
    fn missing_profiles() {
        let dir = TempDir::new("creds-missing");
        let env = shared_files(&dir, "[profile dev]\nregion = x\n", "", &[]);
        // The implicit default: nothing here, the chain moves on.
        let e = ProfileCredentials::new(env).load().unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        assert!(
            e.to_string()
                .starts_with("profile `default`: no such profile in "),
            "{e}"
        );
        // Named by AWS_PROFILE, even `default`: a configuration error.
        for name in ["default", "nope"] {
            let env = shared_files(
                &dir,
                "[profile dev]\nregion = x\n",
                "",
                &[("AWS_PROFILE", name)],
            );
            let e = ProfileCredentials::new(env).load().unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
            assert!(
                e.to_string()
                    .starts_with(&format!("profile `{name}`: no such profile"))
            );
        }
        // No files at all.
        let env = Env::from_vars([
            (
                "AWS_CONFIG_FILE",
                dir.0.join("none-1").display().to_string(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.0.join("none-2").display().to_string(),
            ),
        ]);
        let e = ProfileCredentials::new(env).load().unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
    }

    #[test]
    fn malformed_files_are_configuration_errors() {
        let dir = TempDir::new("creds-malformed");
        let env = shared_files(
            &dir,
            "[default]\nregion = x\n",
            &format!("[default]\naws_secret_access_key {SECRET}\n"),
            &[],
        );
        let e = ProfileCredentials::new(env).load().unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        let path = dir.0.join("credentials").display().to_string();
        assert_eq!(
            e.to_string(),
            format!("profile `default`: {path}, line 2: a property line without `=`")
        );
        assert_error_has_no_secret(&e);
    }

    /// A source that counts its calls and always answers the same.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        answer: Result<Credentials, CredentialsError>,
    }

    impl Counting {
        fn new(answer: Result<Credentials, CredentialsError>) -> Arc<Counting> {
            Arc::new(Counting {
                calls: AtomicUsize::new(0),
                answer,
            })
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            Box::pin(std::future::ready(self.answer.clone()))
        }
    }

    fn chain(sources: &[(&'static str, &Arc<Counting>)]) -> DefaultCredentialsChain {
        DefaultCredentialsChain::from_sources(
            sources
                .iter()
                .map(|(name, s)| (*name, Arc::clone(*s) as SharedCredentialsProvider))
                .collect(),
        )
    }

    #[tokio::test]
    async fn chain_order_and_caching() {
        let first = Counting::new(Err(CredentialsError::not_loaded("first: nothing")));
        let second = Counting::new(Ok(Credentials::new("AKID2", SECRET, None)));
        let third = Counting::new(Ok(Credentials::new("AKID3", SECRET, None)));
        let c = chain(&[("first", &first), ("second", &second), ("third", &third)]);
        assert_eq!(
            c.provide_credentials().await.unwrap().access_key_id(),
            "AKID2"
        );
        assert_eq!((first.calls(), second.calls(), third.calls()), (1, 1, 0));
        // Cached: no source is asked again.
        assert_eq!(
            c.provide_credentials().await.unwrap().access_key_id(),
            "AKID2"
        );
        assert_eq!((first.calls(), second.calls(), third.calls()), (1, 1, 0));
        let debug = format!("{c:?}");
        assert!(debug.contains("cached: true"), "{debug}");
        assert_no_secret(&debug);
    }

    #[tokio::test]
    async fn chain_caches_until_expiry() {
        let later = SystemTime::now() + Duration::from_secs(3600);
        let lasting = Counting::new(Ok(Credentials::new("AKID", SECRET, None).with_expiry(later)));
        let c = chain(&[("lasting", &lasting)]);
        c.provide_credentials().await.unwrap();
        c.provide_credentials().await.unwrap();
        assert_eq!(lasting.calls(), 1);

        // Expiring within the buffer, or expired: asked again each time.
        for expiry in [
            SystemTime::now() + Duration::from_secs(60),
            SystemTime::now() - Duration::from_secs(60),
        ] {
            let expiring = Counting::new(Ok(
                Credentials::new("AKID", SECRET, None).with_expiry(expiry)
            ));
            let c = chain(&[("expiring", &expiring)]);
            let got = c.provide_credentials().await.unwrap();
            assert_eq!(got.expiry(), Some(expiry));
            c.provide_credentials().await.unwrap();
            assert_eq!(expiring.calls(), 2);
        }
    }

    #[tokio::test]
    async fn chain_stops_at_a_broken_source() {
        let broken = Counting::new(Err(CredentialsError::invalid_configuration(
            "broken: half a key pair",
        )));
        let fine = Counting::new(Ok(Credentials::new("AKID", SECRET, None)));
        let c = chain(&[("broken", &broken), ("fine", &fine)]);
        let e = c.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(e.to_string(), "broken: half a key pair");
        assert_eq!(fine.calls(), 0);
        // Failures are not cached: the next call asks again.
        c.provide_credentials().await.unwrap_err();
        assert_eq!(broken.calls(), 2);
    }

    #[tokio::test]
    async fn default_chain_prefers_the_environment() {
        let dir = TempDir::new("chain-env");
        let profile = format!(
            "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = {SECRET}\n"
        );
        let env = shared_files(
            &dir,
            "",
            &profile,
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ],
        );
        let c = DefaultCredentialsChain::new(env)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "AKIDENV");
        // Without the environment's keys, the profile's.
        let env = shared_files(&dir, "", &profile, &[]);
        let c = DefaultCredentialsChain::new(env)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "AKIDPROFILE");
        // With a profile named explicitly.
        let env = shared_files(
            &dir,
            "[profile dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n",
            &profile,
            &[],
        );
        let c = DefaultCredentialsChain::with_profile(env, "dev")
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "AKIDDEV");
    }

    #[tokio::test]
    async fn default_chain_stops_at_half_environment_keys() {
        let dir = TempDir::new("chain-half");
        let env = shared_files(
            &dir,
            "",
            &format!(
                "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = {SECRET}\n"
            ),
            &[("AWS_ACCESS_KEY_ID", "AKIDENV")],
        );
        let e = DefaultCredentialsChain::new(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
        );
    }

    #[tokio::test]
    async fn default_chain_lists_every_source_tried() {
        let dir = TempDir::new("chain-none");
        let env = shared_files(&dir, "[profile dev]\nregion = x\n", "", &[]);
        let chain = DefaultCredentialsChain::new(env);
        let e = chain.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        let config = dir.0.join("config").display().to_string();
        let creds = dir.0.join("credentials").display().to_string();
        assert_eq!(
            e.to_string(),
            format!(
                "no credentials: environment: AWS_ACCESS_KEY_ID is not set; \
                 profile `default`: no such profile in {config} or {creds}"
            )
        );
        assert!(format!("{chain:?}").contains("cached: false"));
        // A profile that is there but has no keys.
        let env = shared_files(&dir, "[default]\nregion = x\n", "", &[]);
        let e = DefaultCredentialsChain::new(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no credentials: environment: AWS_ACCESS_KEY_ID is not set; \
             profile `default`: no aws_access_key_id in it"
        );
    }

    #[tokio::test]
    async fn default_chain_stops_at_unsupported_profile_sources() {
        let dir = TempDir::new("chain-unsupported");
        let env = shared_files(
            &dir,
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n",
            "",
            &[],
        );
        let e = DefaultCredentialsChain::new(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "profile `default`: credentials from `role_arn` are not supported yet"
        );
    }

    #[test]
    fn futures_are_send() {
        fn send<T: Send>(_: &T) {}
        let chain = DefaultCredentialsChain::new(Env::from_vars([("X", "1")]));
        send(&chain.provide_credentials());
        let shared: SharedCredentialsProvider = Arc::new(chain);
        send(&shared.provide_credentials());
    }
}
