//! The AWS SDKs' default credentials chain, with its cache.

use super::cache::CredentialsCache;
use super::container::ContainerCredentials;
use super::environment::EnvironmentCredentials;
use super::http::Http;
use super::imds::ImdsCredentials;
use super::profile::ProfileCredentials;
use super::web_identity::WebIdentityCredentials;
use super::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
    SharedCredentialsProvider,
};
use crate::client::env::Env;
use crate::client::transport::HttpTransport;
use std::fmt;
use std::sync::Arc;

/// The AWS SDKs' default credentials chain: the environment
/// ([`EnvironmentCredentials`]), the shared files' profile
/// ([`ProfileCredentials`]), a web identity token named by the environment
/// ([`WebIdentityCredentials`]), the container endpoint
/// ([`ContainerCredentials`]), then the EC2 instance metadata service
/// ([`ImdsCredentials`]).
///
/// The first source that gives credentials wins. A source that has nothing
/// lets the next one try; a source that is configured but broken or
/// failing stops the chain with its error. When every source has nothing,
/// the error lists each one and why, for example `no credentials:
/// environment: AWS_ACCESS_KEY_ID is not set; profile `default`: no such
/// profile in …; web identity: …; container: …; IMDS: …`.
///
/// The credentials are cached: reused until five minutes before they
/// expire (forever for long-term keys), then refreshed by one caller while
/// the others keep using the cached ones as long as they are valid; with
/// nothing valid cached, concurrent callers wait for a single load.
///
/// The services some sources call (STS, SSO, the container endpoint,
/// IMDS) are reached with the transport given to
/// [`DefaultCredentialsChain::with_transport`] (a configuration built
/// from the environment gives it its own), else with a default transport
/// of their own.
pub struct DefaultCredentialsChain {
    env: Env,
    profile: Option<String>,
    http: Http,
    sources: Vec<(&'static str, SharedCredentialsProvider)>,
    cache: CredentialsCache,
}

impl DefaultCredentialsChain {
    /// The chain, reading `env` (and the files it locates).
    pub fn new(env: Env) -> Self {
        DefaultCredentialsChain::build(env, None, Http::default())
    }

    /// The chain, with profile `name` instead of the one `AWS_PROFILE`
    /// names.
    pub fn with_profile(env: Env, name: impl Into<String>) -> Self {
        DefaultCredentialsChain::build(env, Some(name.into()), Http::default())
    }

    /// The same chain (nothing cached), its services reached with
    /// `transport`.
    pub fn with_transport(self, transport: Arc<dyn HttpTransport>) -> Self {
        DefaultCredentialsChain::build(self.env, self.profile, Http::new(Some(transport)))
    }

    /// The same chain (nothing cached) with `transport`, unless it already
    /// uses it.
    pub(crate) fn using(self: &Arc<Self>, transport: &Arc<dyn HttpTransport>) -> Arc<Self> {
        if self.http.uses(transport) {
            Arc::clone(self)
        } else {
            Arc::new(DefaultCredentialsChain::build(
                self.env.clone(),
                self.profile.clone(),
                Http::new(Some(Arc::clone(transport))),
            ))
        }
    }

    fn build(env: Env, profile: Option<String>, http: Http) -> Self {
        let sources: Vec<(&'static str, SharedCredentialsProvider)> = vec![
            (
                "environment",
                Arc::new(EnvironmentCredentials::new(env.clone())),
            ),
            (
                "profile",
                Arc::new(ProfileCredentials::with_http(
                    env.clone(),
                    profile.clone(),
                    http.clone(),
                )),
            ),
            (
                "web identity",
                Arc::new(WebIdentityCredentials::with_http(
                    env.clone(),
                    profile.clone(),
                    http.clone(),
                )),
            ),
            (
                "container",
                Arc::new(ContainerCredentials::with_http(env.clone(), http.clone())),
            ),
            (
                "IMDS",
                Arc::new(ImdsCredentials::with_http(
                    env.clone(),
                    profile.clone(),
                    http.clone(),
                )),
            ),
        ];
        DefaultCredentialsChain {
            env,
            profile,
            http,
            sources,
            cache: CredentialsCache::default(),
        }
    }

    #[cfg(test)]
    pub(crate) fn from_sources(sources: Vec<(&'static str, SharedCredentialsProvider)>) -> Self {
        DefaultCredentialsChain {
            env: Env::default(),
            profile: None,
            http: Http::default(),
            sources,
            cache: CredentialsCache::default(),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        self.cache.get_or_load(|| self.ask_sources()).await
    }

    async fn ask_sources(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(self.sources.len());
        for (name, source) in &self.sources {
            match source.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(source = name, "credentials loaded");
                    return Ok(credentials);
                }
                Err(e) if e.kind() == CredentialsErrorKind::NotLoaded => {
                    tracing::debug!(source = name, reason = %e, "no credentials");
                    tried.push(e.to_string());
                }
                Err(e) => {
                    tracing::debug!(source = name, reason = %e, "credentials source failed");
                    return Err(e);
                }
            }
        }
        Err(CredentialsError::not_loaded(format!(
            "no credentials: {}",
            tried.join("; ")
        )))
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("sources", &self.sources)
            .field("cached", &self.cache.is_filled())
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
    use super::super::test_support::*;
    use super::*;
    use crate::client::env::tests::TempDir;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, SystemTime};

    /// IMDS turned off, so that nothing leaves the machine.
    const NO_IMDS: (&str, &str) = ("AWS_EC2_METADATA_DISABLED", "true");

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
        let env = shared_files(&dir, "[profile dev]\nregion = x\n", "", &[NO_IMDS]);
        let chain = DefaultCredentialsChain::new(env);
        let e = chain.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        let config = dir.0.join("config").display().to_string();
        let creds = dir.0.join("credentials").display().to_string();
        assert_eq!(
            e.to_string(),
            format!(
                "no credentials: environment: AWS_ACCESS_KEY_ID is not set; \
                 profile `default`: no such profile in {config} or {creds}; \
                 web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set; \
                 container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor \
                 AWS_CONTAINER_CREDENTIALS_FULL_URI is set; \
                 IMDS: turned off by AWS_EC2_METADATA_DISABLED"
            )
        );
        assert!(format!("{chain:?}").contains("cached: false"));
        // A profile that is there but has no keys.
        // A profile that is there but has no keys; IMDS not there.
        let env = shared_files(&dir, "[default]\nregion = x\n", "", &[]);
        let e = DefaultCredentialsChain::new(env)
            .with_transport(unreachable())
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no credentials: environment: AWS_ACCESS_KEY_ID is not set; \
             profile `default`: no aws_access_key_id in it; \
             web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set; \
             container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor \
             AWS_CONTAINER_CREDENTIALS_FULL_URI is set; \
             IMDS: http://169.254.169.254: could not connect: connection refused"
        );
    }

    #[tokio::test]
    async fn default_chain_stops_at_a_broken_profile() {
        let dir = TempDir::new("chain-broken");
        let env = shared_files(
            &dir,
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n",
            "",
            &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/")],
        );
        let e = DefaultCredentialsChain::new(env)
            .with_transport(unreachable())
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "profile `default`: its source_profile `base` does not exist"
        );
    }

    #[tokio::test]
    async fn default_chain_order_after_the_profile() {
        let dir = TempDir::new("chain-order");
        let token = dir.write("token", TOKEN);
        let token = token.display().to_string();
        let expiration = in_secs(3600);
        let (t, seen) = fake(move |r| {
            let body = if r.uri.starts_with("http://sts.local") {
                super::super::sts::answer(
                    "AssumeRoleWithWebIdentity",
                    "ASIAWEB",
                    "s",
                    "t",
                    &expiration,
                )
            } else if r.uri.starts_with("http://127.0.0.1:1/") {
                format!(
                    "{{\"AccessKeyId\": \"ASIACONT\", \"SecretAccessKey\": \"s\", \"Expiration\": \"{expiration}\"}}"
                )
            } else if r.method == "PUT" {
                "imds-token".to_owned()
            } else if r.uri.ends_with('/') {
                "role".to_owned()
            } else {
                format!(
                    "{{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAIMDS\", \"SecretAccessKey\": \"s\", \"Token\": \"t\", \"Expiration\": \"{expiration}\"}}"
                )
            };
            (200, body)
        });
        let base = shared_files(&dir, "", "", &[]);
        let files: Vec<(String, String)> = ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"]
            .iter()
            .map(|k| (k.to_string(), base.get(k).unwrap()))
            .collect();
        let chain = |extra: &[(&str, &str)]| {
            let mut vars = files.clone();
            vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            DefaultCredentialsChain::new(Env::from_vars(vars)).with_transport(Arc::clone(&t))
        };
        let web = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.as_str()),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/w"),
            ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
        ];
        let container = (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:1/creds",
        );
        let imds = ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://imds.local");
        let mut all = web.to_vec();
        all.extend([container, imds]);
        let got = async |vars: &[(&str, &str)]| {
            chain(vars)
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id()
                .to_owned()
        };
        assert_eq!(got(&all).await, "ASIAWEB");
        assert_eq!(got(&[container, imds]).await, "ASIACONT");
        assert_eq!(got(&[imds]).await, "ASIAIMDS");
        assert_no_secret(&format!("{:?}", chain(&all)));
        let methods: Vec<String> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.method.clone())
            .collect();
        assert_eq!(methods, ["POST", "GET", "PUT", "GET", "GET"]);
    }

    /// A source that counts its calls and takes a while.
    #[derive(Debug)]
    struct Slow {
        calls: AtomicUsize,
    }

    impl ProvideCredentials for Slow {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            Box::pin(async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(Credentials::new("AKID", SECRET, None)
                    .with_expiry(SystemTime::now() + Duration::from_secs(3600)))
            })
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_load_once() {
        let slow = Arc::new(Slow {
            calls: AtomicUsize::new(0),
        });
        let chain = Arc::new(DefaultCredentialsChain::from_sources(vec![(
            "slow",
            Arc::clone(&slow) as SharedCredentialsProvider,
        )]));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let chain = Arc::clone(&chain);
                tokio::spawn(async move { chain.provide_credentials().await })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().access_key_id(), "AKID");
        }
        assert_eq!(slow.calls.load(Ordering::SeqCst), 1);
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
