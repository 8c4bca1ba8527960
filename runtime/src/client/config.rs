//! Client configuration: region, endpoint, credentials, retries,
//! timeouts, request compression and the transport, set explicitly with
//! [`Config::builder`] or read from the environment and the shared AWS
//! files with [`Config::from_env`].

use super::credentials::{DefaultCredentialsChain, ProvideCredentials, SharedCredentialsProvider};
use super::env::Env;
use super::profile::{self, ProfileSet};
use super::retry::RetryConfig;
use super::transport::HttpTransport;
use crate::endpoint::Value as EndpointValue;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Timeouts. `None` is no limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Establishing a TCP connection (the default transport). Default
    /// 3.1 s, as the AWS SDKs.
    pub connect: Option<Duration>,
    /// One attempt: sending the request and reading the whole response.
    pub attempt: Option<Duration>,
    /// The whole call, every attempt and backoff included.
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(Duration::from_millis(3100)),
            attempt: None,
            operation: None,
        }
    }
}

/// `@requestCompression`: request bodies of operations that allow it are
/// gzip-compressed when they reach a minimum size, as the AWS SDKs do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompressionConfig {
    /// Whether compression is on. Default true
    /// (`AWS_DISABLE_REQUEST_COMPRESSION` / `disable_request_compression`
    /// turn it off).
    pub enabled: bool,
    /// Bodies smaller than this are sent as they are. Default 10240 bytes
    /// (`AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` /
    /// `request_min_compression_size_bytes`, at most 10485760).
    pub min_bytes: usize,
}

impl Default for CompressionConfig {
    fn default() -> Self {
        CompressionConfig {
            enabled: true,
            min_bytes: 10_240,
        }
    }
}

/// Where `from_env` read its settings, for what only the service can
/// resolve (its own `AWS_ENDPOINT_URL_<SERVICE>` and `services` section).
#[derive(Clone, Debug)]
pub(crate) struct Sources {
    pub(crate) env: Env,
    pub(crate) profiles: ProfileSet,
    /// The credentials chain `from_env` made, which `build` gives the
    /// configured transport.
    pub(crate) chain: Arc<DefaultCredentialsChain>,
}

/// A client's configuration. Cheap to clone.
#[derive(Clone, Default)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) compression: CompressionConfig,
    pub(crate) transport: Option<Arc<dyn HttpTransport>>,
    pub(crate) sources: Option<Sources>,
    pub(crate) idempotency_token: Option<Arc<dyn Fn() -> String + Send + Sync>>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) endpoint_params: BTreeMap<String, EndpointValue>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials providers print no secret; the transport its name.
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("compression", &self.compression)
            .field("transport", &self.transport)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("endpoint_params", &self.endpoint_params)
            .finish()
    }
}

impl Config {
    /// A builder with nothing set: no region, endpoint or credentials; the
    /// default retries, timeouts and transport.
    pub fn builder() -> Builder {
        Builder(Config::default())
    }

    /// Settings from the process environment and the shared `config` and
    /// `credentials` files, as the AWS SDKs read them: the region
    /// (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else
    /// the EC2 instance metadata service), the endpoint
    /// (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    /// `services` section and `endpoint_url`), credentials (the SDKs'
    /// default chain: the environment, the profile, a web identity token,
    /// the container endpoint, then IMDS; see
    /// [`DefaultCredentialsChain`]), `AWS_MAX_ATTEMPTS` / `max_attempts`,
    /// and the request compression settings.
    ///
    /// Fails when a shared file exists but cannot be read or parsed.
    pub fn from_env() -> Result<Config, profile::ProfileError> {
        Ok(Builder::from_env_of(Env::real())?.build())
    }

    /// This configuration as a builder, to change some settings.
    pub fn to_builder(&self) -> Builder {
        Builder(self.clone())
    }

    /// The region, when set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint URL, when set explicitly or by the environment's
    /// general settings (a service-specific one is resolved by the client).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are asked for (`AWS_USE_FIPS_ENDPOINT`,
    /// `use_fips_endpoint`): the endpoint rule set's `AWS::UseFIPS`.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack (IPv4 and IPv6) endpoints are asked for
    /// (`AWS_USE_DUALSTACK_ENDPOINT`, `use_dualstack_endpoint`): the
    /// endpoint rule set's `AWS::UseDualStack`.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// A service-specific endpoint rule-set parameter set by name
    /// ([`Builder::endpoint_param`]).
    pub fn endpoint_param(&self, name: &str) -> Option<&EndpointValue> {
        self.endpoint_params.get(name)
    }

    /// The credentials provider requests are signed with, when one is
    /// configured (from [`Config::from_env`], the default chain).
    pub fn credentials(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials.as_ref()
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug)]
pub struct Builder(Config);

impl Builder {
    /// [`Config::from_env`] as a builder, reading `env`.
    pub fn from_env_of(env: Env) -> Result<Builder, profile::ProfileError> {
        let profiles = ProfileSet::load(&env)?;
        let selected = profiles.selected();
        let setting = |var: &str, key: &str| {
            env.get(var)
                .or_else(|| selected.and_then(|p| p.get(key)).map(str::to_owned))
        };
        let mut config = Config {
            region: profile::region(&env, &profiles),
            ..Config::default()
        };
        let chain = Arc::new(DefaultCredentialsChain::new(env.clone()));
        config.credentials = Some(chain.clone());
        let flag = |var: &str, key: &str| {
            setting(var, key).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        };
        config.use_fips = flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
        config.use_dual_stack = flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
        if let Some(n) =
            setting("AWS_MAX_ATTEMPTS", "max_attempts").and_then(|v| v.trim().parse::<u32>().ok())
        {
            config.retry.max_attempts = n.max(1);
        }
        if let Some(v) = setting(
            "AWS_DISABLE_REQUEST_COMPRESSION",
            "disable_request_compression",
        ) {
            config.compression.enabled = !v.trim().eq_ignore_ascii_case("true");
        }
        if let Some(n) = setting(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "request_min_compression_size_bytes",
        )
        .and_then(|v| v.trim().parse::<usize>().ok())
        {
            config.compression.min_bytes = n.min(10_485_760);
        }
        config.sources = Some(Sources {
            env,
            profiles,
            chain,
        });
        Ok(Builder(config))
    }

    /// The region requests are signed for (and, without an endpoint URL,
    /// sent to).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.0.region = Some(region.into());
        self
    }

    /// Asks for FIPS endpoints (the rule set's `AWS::UseFIPS`).
    pub fn use_fips(mut self, on: bool) -> Self {
        self.0.use_fips = on;
        self
    }

    /// Asks for dual-stack endpoints (the rule set's `AWS::UseDualStack`).
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.0.use_dual_stack = on;
        self
    }

    /// Sets a parameter of the service's endpoint rule set by its name in
    /// the rule set (a `smithy.rules#clientContextParams` parameter, e.g.
    /// `ForcePathStyle`). A value of the wrong type is ignored.
    pub fn endpoint_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<EndpointValue>,
    ) -> Self {
        self.0.endpoint_params.insert(name.into(), value.into());
        self
    }

    /// The endpoint every request goes to, e.g. `http://127.0.0.1:8080`
    /// (a path is kept as a prefix of every operation's path).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.0.endpoint_url = Some(url.into());
        self
    }

    /// The credentials requests are signed with (a [`super::credentials::Credentials`]
    /// for fixed keys, or any provider).
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.0.credentials = Some(Arc::new(provider));
        self
    }

    /// No credentials: operations that require signing fail without
    /// sending; those with `@optionalAuth` are sent unsigned.
    pub fn no_credentials(mut self) -> Self {
        self.0.credentials = None;
        self
    }

    /// The retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.0.retry = retry;
        self
    }

    /// Attempts in all, the first included (1 turns retries off).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.0.retry.max_attempts = n.max(1);
        self
    }

    /// The timeouts.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.0.timeouts = timeouts;
        self
    }

    /// The connect timeout of the default transport.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.0.timeouts.connect = Some(t);
        self
    }

    /// The timeout of each attempt.
    pub fn attempt_timeout(mut self, t: Duration) -> Self {
        self.0.timeouts.attempt = Some(t);
        self
    }

    /// The timeout of the whole call.
    pub fn operation_timeout(mut self, t: Duration) -> Self {
        self.0.timeouts.operation = Some(t);
        self
    }

    /// Request compression settings.
    pub fn compression(mut self, compression: CompressionConfig) -> Self {
        self.0.compression = compression;
        self
    }

    /// The transport requests are sent with, instead of the default one.
    pub fn transport(mut self, transport: impl HttpTransport) -> Self {
        self.0.transport = Some(Arc::new(transport));
        self
    }

    /// What fills unset `@idempotencyToken` members, instead of a fresh
    /// UUID v4 (for tests that need a fixed token).
    pub fn idempotency_token_provider(
        mut self,
        f: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.0.idempotency_token = Some(Arc::new(f));
        self
    }

    /// The configuration.
    ///
    /// From [`Config::from_env`]: the credentials chain is given the
    /// configured transport (for STS, SSO, containers and IMDS), and
    /// without a region from the environment or the profile (nor one set
    /// on this builder), the EC2 instance metadata service is asked for
    /// one (IMDSv2; this blocks for at most three seconds, and much less
    /// off EC2 or with `AWS_EC2_METADATA_DISABLED=true`).
    pub fn build(mut self) -> Config {
        if let Some(sources) = &mut self.0.sources {
            let chain = Arc::clone(&sources.chain);
            let ours = self
                .0
                .credentials
                .as_ref()
                .is_some_and(|c| std::ptr::addr_eq(Arc::as_ptr(c), Arc::as_ptr(&chain)));
            if let (true, Some(transport)) = (ours, &self.0.transport) {
                sources.chain = chain.using(transport);
                self.0.credentials = Some(sources.chain.clone());
            }
            if self.0.region.is_none() {
                self.0.region = super::credentials::imds_region(
                    &sources.env,
                    &sources.profiles,
                    self.0.transport.clone(),
                );
            }
        }
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_sets_what_it_is_given() {
        let c = Config::builder()
            .region("eu-west-1")
            .endpoint_url("http://localhost:1")
            .max_attempts(0)
            .attempt_timeout(Duration::from_secs(2))
            .build();
        assert_eq!(c.region(), Some("eu-west-1"));
        assert_eq!(c.endpoint_url(), Some("http://localhost:1"));
        assert_eq!(c.retry().max_attempts, 1);
        assert_eq!(c.timeouts().attempt, Some(Duration::from_secs(2)));
        assert_eq!(c.timeouts().connect, Some(Duration::from_millis(3100)));
    }

    #[test]
    fn environment_settings() {
        let env = Env::from_vars([
            ("AWS_REGION", "ap-south-1"),
            ("AWS_MAX_ATTEMPTS", "5"),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "true"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "99999999"),
            ("AWS_CONFIG_FILE", "/nonexistent/smithy-rt/config"),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/smithy-rt/credentials",
            ),
        ]);
        let c = Builder::from_env_of(env).unwrap().build();
        assert_eq!(c.region(), Some("ap-south-1"));
        assert_eq!(c.retry().max_attempts, 5);
        assert!(!c.compression.enabled);
        assert_eq!(c.compression.min_bytes, 10_485_760);
        assert!(c.credentials.is_some());
    }
}
