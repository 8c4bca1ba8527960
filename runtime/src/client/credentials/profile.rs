//! Credentials from a profile of the shared `config` and `credentials`
//! files: what the profile says to use, followed through `source_profile`
//! chains of roles.

use super::container::ContainerCredentials;
use super::environment::EnvironmentCredentials;
use super::http::Http;
use super::imds::ImdsCredentials;
use super::sso::Sso;
use super::sts::{Role, Sts};
use super::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, process, web_identity,
};
use crate::client::env::Env;
use crate::client::profile::{Profile, ProfileSet};
use crate::client::transport::HttpTransport;
use std::sync::Arc;

/// Credentials from a profile of the shared files, read again at each
/// call. The profile is the one given to
/// [`ProfileCredentials::with_profile`], else `AWS_PROFILE`, else
/// `default`. What it holds decides, first match wins:
///
/// 1. `role_arn` with `web_identity_token_file` (and optionally
///    `role_session_name`): STS `AssumeRoleWithWebIdentity` with the token
///    in that file;
/// 2. `role_arn` with `source_profile`: the credentials of that profile
///    (itself followed the same way, so roles can be chained), then STS
///    `AssumeRole` (with `role_session_name`, `external_id`,
///    `duration_seconds` when set). A profile naming itself uses its own
///    static keys as the source. A cycle is an error naming the profiles;
/// 3. `role_arn` with `credential_source` (`Environment`,
///    `Ec2InstanceMetadata` or `EcsContainer`): those credentials, then
///    STS `AssumeRole`;
/// 4. `sso_session` (a `[sso-session NAME]` section with `sso_start_url`
///    and `sso_region`) or, the legacy way, `sso_start_url` and
///    `sso_region`, with `sso_account_id` and `sso_role_name`: IAM
///    Identity Center, the role's credentials from the SSO portal with the
///    token `aws sso login` cached in `~/.aws/sso/cache/` (see below);
/// 5. static keys: `aws_access_key_id`, `aws_secret_access_key`,
///    `aws_session_token`;
/// 6. `credential_process`: the command's output.
///
/// STS is reached at the endpoint and region the selected profile and the
/// environment configure (see the [module documentation](super)). SSO
/// reads the token `aws sso login` cached and never refreshes it: when it
/// has expired, the error says to log in again. `mfa_serial` is not
/// supported (there is no one to ask for a code).
///
/// Errors:
///
/// - no such profile: [`NotLoaded`](super::CredentialsErrorKind::NotLoaded)
///   for the implicit `default`, but
///   [`InvalidConfiguration`](super::CredentialsErrorKind::InvalidConfiguration)
///   for a profile asked for by name (the CLI refuses to run then);
/// - a profile with none of the above: `NotLoaded`;
/// - half a key pair, a malformed or unreadable file, a missing
///   `source_profile`, a cycle, an unknown `credential_source`:
///   `InvalidConfiguration`, naming the profile and property;
/// - a source that fails (STS, the SSO portal, the command):
///   [`ProviderError`](super::CredentialsErrorKind::ProviderError).
#[derive(Clone, Debug, Default)]
pub struct ProfileCredentials {
    env: Env,
    profile: Option<String>,
    http: Http,
}

/// Where the first credentials of a profile chain come from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Base {
    Static(Credentials),
    Process(String),
    WebIdentity {
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
    Sso(Box<Sso>),
    Named(NamedSource),
}

/// A `credential_source`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// The credentials of a profile: its base, in profile `base_profile`, then
/// the roles to assume in turn, each with the profile naming it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Plan {
    base_profile: String,
    base: Base,
    roles: Vec<(String, Role)>,
}

impl ProfileCredentials {
    /// Credentials from the shared files `env` locates, for the profile
    /// `AWS_PROFILE` names (else `default`), services reached with the
    /// default transport.
    pub fn new(env: Env) -> Self {
        ProfileCredentials {
            env,
            profile: None,
            http: Http::default(),
        }
    }

    /// The same, for profile `name` whatever `AWS_PROFILE` says.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The same, services (STS, SSO, IMDS, containers) reached with
    /// `transport`.
    pub fn with_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.http = Http::new(Some(transport));
        self
    }

    pub(crate) fn with_http(env: Env, profile: Option<String>, http: Http) -> Self {
        ProfileCredentials { env, profile, http }
    }

    pub(crate) async fn load(&self) -> Result<Credentials, CredentialsError> {
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
        let set = set
            .map_err(|e| CredentialsError::invalid_configuration(format!("profile `{name}`: {e}")))?
            .with_selected(name.clone());
        let plan = resolve(&set, &name, explicit)?;
        self.run(plan, &set).await
    }

    async fn run(&self, plan: Plan, set: &ProfileSet) -> Result<Credentials, CredentialsError> {
        let sts = Sts::new(&self.env, set, self.http.clone());
        let at = |p: &str| format!("profile `{p}`");
        let named = |source: &str| {
            format!(
                "profile `{}`: credential_source {source}",
                plan.base_profile
            )
        };
        let mut credentials = match plan.base {
            Base::Static(credentials) => credentials,
            Base::Process(command) => process::run(&command, &plan.base_profile).await?,
            Base::WebIdentity {
                token_file,
                role_arn,
                session_name,
            } => web_identity::assume_role(
                &self.env,
                &sts,
                &token_file,
                &role_arn,
                session_name.as_deref(),
            )
            .await
            .map_err(|e| e.context(at(&plan.base_profile)))?,
            Base::Sso(sso) => sso.credentials(&self.env, set, &self.http).await?,
            Base::Named(NamedSource::Environment) => EnvironmentCredentials::new(self.env.clone())
                .load()
                .map_err(|e| e.context(named("Environment")).required())?,
            Base::Named(NamedSource::Ec2InstanceMetadata) => ImdsCredentials::with_http(
                self.env.clone(),
                Some(set.selected_name().to_owned()),
                self.http.clone(),
            )
            .provide_credentials()
            .await
            .map_err(|e| e.context(named("Ec2InstanceMetadata")).required())?,
            Base::Named(NamedSource::EcsContainer) => {
                ContainerCredentials::with_http(self.env.clone(), self.http.clone())
                    .provide_credentials()
                    .await
                    .map_err(|e| e.context(named("EcsContainer")).required())?
            }
        };
        for (profile, role) in &plan.roles {
            tracing::debug!(profile = %profile, role = %role.arn, "assuming a role");
            credentials = sts
                .assume_role(&credentials, role)
                .await
                .map_err(|e| e.context(at(profile)))?;
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

/// The value of `key` in `profile`, when set and not empty.
fn setting<'a>(profile: &'a Profile, key: &str) -> Option<&'a str> {
    profile.get(key).map(str::trim).filter(|v| !v.is_empty())
}

/// How to get the credentials of profile `name`, following
/// `source_profile`s.
fn resolve(set: &ProfileSet, name: &str, explicit: bool) -> Result<Plan, CredentialsError> {
    let mut visited: Vec<String> = Vec::new();
    let mut roles = Vec::new();
    let mut current = name.to_owned();
    let base = loop {
        if visited.contains(&current) {
            let mut path = visited.clone();
            path.push(current);
            let path = path
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(" -> ");
            return Err(CredentialsError::invalid_configuration(format!(
                "profile `{name}`: source_profile cycle: {path}"
            )));
        }
        let Some(profile) = set.get(&current) else {
            let message = match visited.last() {
                None => format!(
                    "profile `{current}`: no such profile in {} or {}",
                    set.config_origin(),
                    set.credentials_origin()
                ),
                Some(previous) => {
                    format!("profile `{previous}`: its source_profile `{current}` does not exist")
                }
            };
            return Err(if explicit || !visited.is_empty() {
                CredentialsError::invalid_configuration(message)
            } else {
                CredentialsError::not_loaded(message)
            });
        };
        visited.push(current.clone());
        let invalid = |why: &str| {
            CredentialsError::invalid_configuration(format!("profile `{current}`: {why}"))
        };
        let Some(role_arn) = setting(profile, "role_arn") else {
            match leaf_base(&current, profile, set)? {
                Some(base) => break base,
                None if visited.len() == 1 => {
                    return Err(CredentialsError::not_loaded(format!(
                        "profile `{current}`: no aws_access_key_id in it"
                    )));
                }
                None => {
                    return Err(invalid(
                        "it is a source_profile but holds no credentials (no aws_access_key_id, credential_process, sso_session or role_arn)",
                    ));
                }
            }
        };
        let session_name = setting(profile, "role_session_name").map(str::to_owned);
        if let Some(token_file) = setting(profile, "web_identity_token_file") {
            break Base::WebIdentity {
                token_file: token_file.to_owned(),
                role_arn: role_arn.to_owned(),
                session_name,
            };
        }
        let duration_seconds = match setting(profile, "duration_seconds") {
            None => None,
            Some(v) => Some(
                v.parse::<u32>()
                    .map_err(|_| invalid("duration_seconds is not a number of seconds"))?,
            ),
        };
        roles.push((
            current.clone(),
            Role {
                arn: role_arn.to_owned(),
                session_name,
                external_id: setting(profile, "external_id").map(str::to_owned),
                duration_seconds,
            },
        ));
        match (
            setting(profile, "source_profile"),
            setting(profile, "credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "both source_profile and credential_source are set; only one may be",
                ));
            }
            (None, None) => {
                return Err(invalid(
                    "role_arn is set but neither source_profile nor credential_source is",
                ));
            }
            (None, Some(source)) => {
                break Base::Named(match source {
                    "Environment" => NamedSource::Environment,
                    "Ec2InstanceMetadata" => NamedSource::Ec2InstanceMetadata,
                    "EcsContainer" => NamedSource::EcsContainer,
                    other => {
                        return Err(invalid(&format!(
                            "credential_source `{other}` is not one of Environment, Ec2InstanceMetadata, EcsContainer"
                        )));
                    }
                });
            }
            (Some(source), None) if source == current => {
                // A profile that is its own source: its static keys.
                match static_keys(&current, profile)? {
                    Some(credentials) => break Base::Static(credentials),
                    None => {
                        return Err(invalid(
                            "it is its own source_profile but has no aws_access_key_id",
                        ));
                    }
                }
            }
            (Some(source), None) => current = source.to_owned(),
        }
    };
    roles.reverse();
    Ok(Plan {
        base_profile: visited.last().cloned().unwrap_or_default(),
        base,
        roles,
    })
}

/// The base of a profile without `role_arn`: SSO, static keys or a
/// process; `None` when it has none of them.
fn leaf_base(
    name: &str,
    profile: &Profile,
    set: &ProfileSet,
) -> Result<Option<Base>, CredentialsError> {
    if setting(profile, "web_identity_token_file").is_some() {
        return Err(CredentialsError::invalid_configuration(format!(
            "profile `{name}`: web_identity_token_file is set but role_arn is not"
        )));
    }
    if let Some(sso) = Sso::from_profile(name, profile, set)? {
        return Ok(Some(Base::Sso(Box::new(sso))));
    }
    if let Some(credentials) = static_keys(name, profile)? {
        return Ok(Some(Base::Static(credentials)));
    }
    Ok(setting(profile, "credential_process").map(|c| Base::Process(c.to_owned())))
}

/// The static keys of a profile; `None` without any; an error with half a
/// pair.
fn static_keys(name: &str, profile: &Profile) -> Result<Option<Credentials>, CredentialsError> {
    const KEY: &str = "aws_access_key_id";
    const SECRET: &str = "aws_secret_access_key";
    match (setting(profile, KEY), setting(profile, SECRET)) {
        (Some(key), Some(secret)) => Ok(Some(Credentials::new(
            key,
            secret,
            setting(profile, "aws_session_token").map(str::to_owned),
        ))),
        (Some(_), None) => Err(CredentialsError::invalid_configuration(format!(
            "profile `{name}`: {KEY} is set but {SECRET} is not"
        ))),
        (None, Some(_)) => Err(CredentialsError::invalid_configuration(format!(
            "profile `{name}`: {SECRET} is set but {KEY} is not"
        ))),
        (None, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::super::CredentialsErrorKind;
    use super::super::sts::answer;
    use super::super::test_support::*;
    use super::*;
    use crate::client::env::tests::TempDir;
    use std::sync::Mutex;

    #[tokio::test]
    async fn profile_credentials_from_files() {
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
        let c = ProfileCredentials::new(env.clone()).load().await.unwrap();
        // The credentials file wins over the config file.
        assert_eq!(c, Credentials::new("AKIDDEFAULT", SECRET, None));
        let c = ProfileCredentials::new(env.clone())
            .with_profile("dev")
            .load()
            .await
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
        let c = ProfileCredentials::new(env.clone()).load().await.unwrap();
        assert_eq!(c.access_key_id(), "AKIDDEV");
        // `with_profile` wins over AWS_PROFILE.
        let e = ProfileCredentials::new(env)
            .with_profile("default")
            .load()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    }

    #[tokio::test]
    async fn profile_credentials_errors() {
        let dir = TempDir::new("creds-profile-errors");
        let config = format!(
            "[default]\nregion = us-east-1\n\
             [profile half]\naws_access_key_id = AKIDHALF\n\
             [profile other-half]\naws_secret_access_key = {SECRET}\n\
             [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\n\
             [profile both]\nrole_arn = arn:r\nsource_profile = half\ncredential_source = Environment\n\
             [profile unknown-source]\nrole_arn = arn:r\ncredential_source = Moon\n\
             [profile web]\nweb_identity_token_file = /tmp/token\n\
             [profile dangling]\nrole_arn = arn:r\nsource_profile = nowhere\n\
             [profile empty-source]\nrole_arn = arn:r\nsource_profile = default\n\
             [profile bad-duration]\nrole_arn = arn:r\nsource_profile = half\nduration_seconds = an hour\n\
             [profile env-source]\nrole_arn = arn:r\ncredential_source = Environment\n\
             [profile process-and-keys]\ncredential_process = /bin/creds\n\
             aws_access_key_id = AKIDKEYS\naws_secret_access_key = {SECRET}\n"
        );
        let env = shared_files(&dir, &config, "", &[]);
        let load = async |name: Option<&str>| {
            let p = ProfileCredentials::new(env.clone());
            match name {
                Some(n) => p.with_profile(n).load().await,
                None => p.load().await,
            }
        };
        let expect = async |name: Option<&str>, kind, text: &str| {
            let e = load(name).await.unwrap_err();
            assert_eq!(e.kind(), kind, "{e}");
            assert_eq!(e.to_string(), text);
            assert_error_has_no_secret(&e);
        };
        use CredentialsErrorKind::{InvalidConfiguration, NotLoaded};
        expect(
            None,
            NotLoaded,
            "profile `default`: no aws_access_key_id in it",
        )
        .await;
        for (profile, text) in [
            (
                "half",
                "profile `half`: aws_access_key_id is set but aws_secret_access_key is not",
            ),
            (
                "other-half",
                "profile `other-half`: aws_secret_access_key is set but aws_access_key_id is not",
            ),
            (
                "role",
                "profile `role`: role_arn is set but neither source_profile nor credential_source is",
            ),
            (
                "both",
                "profile `both`: both source_profile and credential_source are set; only one may be",
            ),
            (
                "unknown-source",
                "profile `unknown-source`: credential_source `Moon` is not one of Environment, \
                 Ec2InstanceMetadata, EcsContainer",
            ),
            (
                "web",
                "profile `web`: web_identity_token_file is set but role_arn is not",
            ),
            (
                "dangling",
                "profile `dangling`: its source_profile `nowhere` does not exist",
            ),
            (
                "empty-source",
                "profile `default`: it is a source_profile but holds no credentials \
                 (no aws_access_key_id, credential_process, sso_session or role_arn)",
            ),
            (
                "bad-duration",
                "profile `bad-duration`: duration_seconds is not a number of seconds",
            ),
            (
                "env-source",
                "profile `env-source`: credential_source Environment: environment: \
                 AWS_ACCESS_KEY_ID is not set",
            ),
        ] {
            expect(Some(profile), InvalidConfiguration, text).await;
        }
        // Static keys win over credential_process.
        assert_eq!(
            load(Some("process-and-keys"))
                .await
                .unwrap()
                .access_key_id(),
            "AKIDKEYS"
        );
        let config_path = dir.0.join("config").display().to_string();
        let creds_path = dir.0.join("credentials").display().to_string();
        expect(
            Some("missing"),
            InvalidConfiguration,
            &format!("profile `missing`: no such profile in {config_path} or {creds_path}"),
        )
        .await;
    }

    #[tokio::test]
    async fn missing_profiles() {
        let dir = TempDir::new("creds-missing");
        let env = shared_files(&dir, "[profile dev]\nregion = x\n", "", &[]);
        // The implicit default: nothing here, the chain moves on.
        let e = ProfileCredentials::new(env).load().await.unwrap_err();
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
            let e = ProfileCredentials::new(env).load().await.unwrap_err();
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
        let e = ProfileCredentials::new(env).load().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
    }

    #[tokio::test]
    async fn malformed_files_are_configuration_errors() {
        let dir = TempDir::new("creds-malformed");
        let env = shared_files(
            &dir,
            "[default]\nregion = x\n",
            &format!("[default]\naws_secret_access_key {SECRET}\n"),
            &[],
        );
        let e = ProfileCredentials::new(env).load().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        let path = dir.0.join("credentials").display().to_string();
        assert_eq!(
            e.to_string(),
            format!("profile `default`: {path}, line 2: a property line without `=`")
        );
        assert_error_has_no_secret(&e);
    }

    /// A fake STS answering with a key id made of the caller's key id and
    /// the role's name (`AKIDBASE.r1`), so that a test sees the chain; and
    /// the requests it saw.
    fn fake_sts() -> (Arc<dyn HttpTransport>, Arc<Mutex<Vec<Seen>>>) {
        let expiration = in_secs(3600);
        fake(move |r| {
            let caller = r
                .header("authorization")
                .and_then(|a| a.split("Credential=").nth(1))
                .and_then(|c| c.split('/').next())
                .unwrap_or("unsigned")
                .to_owned();
            let role = r
                .body
                .split('&')
                .find_map(|p| p.strip_prefix("RoleArn="))
                .unwrap_or("")
                .rsplit("%2F")
                .next()
                .unwrap_or("")
                .to_owned();
            let action = if r.body.contains("Action=AssumeRoleWithWebIdentity") {
                "AssumeRoleWithWebIdentity"
            } else {
                "AssumeRole"
            };
            (
                200,
                answer(action, &format!("{caller}.{role}"), "s", "t", &expiration),
            )
        })
    }

    #[tokio::test]
    async fn role_chains_through_source_profiles() {
        let dir = TempDir::new("creds-roles");
        let config = "[profile top]\nrole_arn = arn:aws:iam::1:role/r2\nsource_profile = middle\n\
             role_session_name = mine\nexternal_id = ext\nregion = eu-west-1\n\
             [profile middle]\nrole_arn = arn:aws:iam::1:role/r1\nsource_profile = base\n\
             [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n\
             [profile self]\nrole_arn = arn:aws:iam::1:role/own\nsource_profile = self\n\
             aws_access_key_id = AKIDSELF\naws_secret_access_key = s\n\
             [profile from-env]\nrole_arn = arn:aws:iam::1:role/e\ncredential_source = Environment\n";
        let env = shared_files(
            &dir,
            config,
            "",
            &[
                ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
            ],
        );
        let (t, seen) = fake_sts();
        let load = async |name: &str| {
            ProfileCredentials::new(env.clone())
                .with_profile(name)
                .with_transport(Arc::clone(&t))
                .load()
                .await
                .unwrap()
        };
        let c = load("top").await;
        assert_eq!(c.access_key_id(), "AKIDBASE.r1.r2");
        assert!(c.expiry().is_some());
        {
            let seen = seen.lock().unwrap();
            assert_eq!(seen.len(), 2);
            assert!(
                seen[1].body.contains("RoleSessionName=mine&ExternalId=ext"),
                "{}",
                seen[1].body
            );
            // Signed for the selected profile's region.
            assert!(
                seen[1]
                    .header("authorization")
                    .unwrap()
                    .contains("/eu-west-1/sts/")
            );
        }
        assert_eq!(load("self").await.access_key_id(), "AKIDSELF.own");
        assert_eq!(load("from-env").await.access_key_id(), "AKIDENV.e");
    }

    #[tokio::test]
    async fn credential_sources_of_the_instance_and_the_container() {
        let dir = TempDir::new("creds-named-sources");
        let config = "[profile ecs]\nrole_arn = arn:aws:iam::1:role/fromecs\ncredential_source = EcsContainer\n\
             [profile ec2]\nrole_arn = arn:aws:iam::1:role/fromec2\ncredential_source = Ec2InstanceMetadata\n";
        let env = shared_files(
            &dir,
            config,
            "",
            &[
                ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
                (
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "http://127.0.0.1:9/creds",
                ),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://imds.local"),
            ],
        );
        let expiration = in_secs(3600);
        let (t, seen) = fake(move |r| {
            let json = |key: &str| {
                format!(
                    "{{\"Code\": \"Success\", \"AccessKeyId\": \"{key}\", \"SecretAccessKey\": \"s\", \
                     \"Token\": \"t\", \"Expiration\": \"{expiration}\"}}"
                )
            };
            let body = if r.uri.starts_with("http://sts.local") {
                let caller = r
                    .header("authorization")
                    .and_then(|a| a.split("Credential=").nth(1))
                    .and_then(|c| c.split('/').next())
                    .unwrap_or("unsigned")
                    .to_owned();
                answer(
                    "AssumeRole",
                    &format!("{caller}.role"),
                    "s",
                    "t",
                    &expiration,
                )
            } else if r.uri.starts_with("http://127.0.0.1:9/") {
                json("AKIDECS")
            } else if r.method == "PUT" {
                "imds-token".to_owned()
            } else if r.uri.ends_with('/') {
                "instance-role".to_owned()
            } else {
                json("AKIDEC2")
            };
            (200, body)
        });
        let load = async |name: &str| {
            ProfileCredentials::new(env.clone())
                .with_profile(name)
                .with_transport(Arc::clone(&t))
                .load()
                .await
                .unwrap()
                .access_key_id()
                .to_owned()
        };
        assert_eq!(load("ecs").await, "AKIDECS.role");
        assert_eq!(load("ec2").await, "AKIDEC2.role");
        assert_eq!(seen.lock().unwrap().len(), 2 + 4);
    }

    #[tokio::test]
    async fn source_profile_cycles_are_named() {
        let dir = TempDir::new("creds-cycle");
        let config = "[profile a]\nrole_arn = arn:r\nsource_profile = b\n\
             [profile b]\nrole_arn = arn:r\nsource_profile = c\n\
             [profile c]\nrole_arn = arn:r\nsource_profile = a\n";
        let env = shared_files(&dir, config, "", &[]);
        let e = ProfileCredentials::new(env)
            .with_profile("a")
            .load()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "profile `a`: source_profile cycle: `a` -> `b` -> `c` -> `a`"
        );
    }

    #[tokio::test]
    async fn web_identity_in_a_profile() {
        let dir = TempDir::new("creds-web-profile");
        let token = dir.write("token", TOKEN);
        let config = format!(
            "[default]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = {}\n\
             role_session_name = s1\n\
             [profile chained]\nrole_arn = arn:aws:iam::1:role/next\nsource_profile = default\n",
            token.display()
        );
        let env = shared_files(
            &dir,
            &config,
            "",
            &[("AWS_ENDPOINT_URL", "http://sts.local")],
        );
        let (t, seen) = fake_sts();
        let c = ProfileCredentials::new(env.clone())
            .with_transport(Arc::clone(&t))
            .load()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "unsigned.web");
        assert!(seen.lock().unwrap()[0].body.contains("RoleSessionName=s1"));
        let c = ProfileCredentials::new(env)
            .with_profile("chained")
            .with_transport(t)
            .load()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "unsigned.web.next");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn credential_process_in_a_profile() {
        let dir = TempDir::new("creds-process-profile");
        let out = dir.write(
            "out.json",
            &format!(
                "{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"{SECRET}\", \
                 \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"{}\"}}",
                in_secs(3600)
            ),
        );
        let config = format!(
            "[default]\ncredential_process = cat \"{}\"\n\
             [profile role]\nrole_arn = arn:aws:iam::1:role/p\nsource_profile = default\n",
            out.display()
        );
        let env = shared_files(
            &dir,
            &config,
            "",
            &[("AWS_ENDPOINT_URL_STS", "http://sts.local")],
        );
        let c = ProfileCredentials::new(env.clone()).load().await.unwrap();
        assert_eq!(c.access_key_id(), "AKIDPROC");
        assert!(c.expiry().is_some());
        let (t, _) = fake_sts();
        let c = ProfileCredentials::new(env)
            .with_profile("role")
            .with_transport(t)
            .load()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "AKIDPROC.p");
    }

    #[tokio::test]
    async fn sso_in_a_profile() {
        let dir = TempDir::new("creds-sso-profile");
        let config = "[default]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n\
             [sso-session corp]\nsso_start_url = https://corp/start\nsso_region = eu-west-2\n";
        let home = dir.0.display().to_string();
        let env = shared_files(
            &dir,
            config,
            "",
            &[
                ("HOME", &home),
                ("AWS_ENDPOINT_URL_SSO", "http://sso.local"),
            ],
        );
        let e = ProfileCredentials::new(env).load().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
        assert!(
            e.to_string()
                .starts_with("profile `default`: SSO: no cached token at "),
            "{e}"
        );
    }
}
