//! IAM Identity Center (SSO): role credentials from the SSO portal, with
//! the access token `aws sso login` cached.
//!
//! A profile names its session with `sso_session` (a `[sso-session NAME]`
//! section holding `sso_start_url` and `sso_region`), or, the legacy way,
//! holds `sso_start_url` and `sso_region` itself; it names the account and
//! role with `sso_account_id` and `sso_role_name`. The token is read from
//! `~/.aws/sso/cache/<SHA-1 of the session name, or of the start URL for
//! the legacy way, in hex>.json` (`accessToken`, `expiresAt`), and given
//! to `GET /federation/credentials` of
//! `https://portal.sso.{sso_region}.amazonaws.com` (or
//! `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL`, the `services` section's
//! `sso`, the profile's `endpoint_url`).
//!
//! The token itself is never refreshed here (with its refresh token, as
//! the SDKs do for `sso_session`): an expired token is an error telling
//! the user to run `aws sso login` again.

use super::http::{self, Http};
use super::{Credentials, CredentialsError, json_error, json_str, parse_time};
use crate::client::env::Env;
use crate::client::profile::{self, Profile, ProfileSet};
use bytes::Bytes;
use sha1::{Digest, Sha1};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

const TIMEOUT: Duration = Duration::from_secs(30);

/// What a profile says about its SSO role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sso {
    profile: String,
    session: Option<String>,
    start_url: String,
    region: String,
    account_id: String,
    role_name: String,
}

impl Sso {
    /// The SSO settings of profile `name`; `None` when it has none.
    pub(crate) fn from_profile(
        name: &str,
        profile: &Profile,
        set: &ProfileSet,
    ) -> Result<Option<Sso>, CredentialsError> {
        let get = |key: &str| profile.get(key).filter(|v| !v.trim().is_empty());
        let invalid = |why: String| {
            CredentialsError::invalid_configuration(format!("profile `{name}`: {why}"))
        };
        let (session, start_url, region) = match (get("sso_session"), get("sso_start_url")) {
            (None, None) => return Ok(None),
            (Some(session), _) => {
                let section = set.sso_session(session).ok_or_else(|| {
                    invalid(format!(
                        "sso_session `{session}` has no [sso-session {session}] section"
                    ))
                })?;
                let value = |key: &str| {
                    section
                        .get(key)
                        .filter(|v| !v.trim().is_empty())
                        .ok_or_else(|| invalid(format!("[sso-session {session}] has no {key}")))
                };
                let (url, region) = (value("sso_start_url")?, value("sso_region")?);
                // A profile may repeat them, but not differently.
                for (key, v) in [("sso_start_url", url), ("sso_region", region)] {
                    if get(key).is_some_and(|mine| mine != v) {
                        return Err(invalid(format!(
                            "its {key} differs from that of [sso-session {session}]"
                        )));
                    }
                }
                (Some(session.to_owned()), url, region)
            }
            (None, Some(url)) => {
                let region = get("sso_region").ok_or_else(|| {
                    invalid("sso_start_url is set but sso_region is not".to_owned())
                })?;
                (None, url, region)
            }
        };
        let required = |key: &str| {
            get(key)
                .map(str::to_owned)
                .ok_or_else(|| invalid(format!("SSO credentials need {key}")))
        };
        Ok(Some(Sso {
            profile: name.to_owned(),
            session,
            start_url: start_url.to_owned(),
            region: region.to_owned(),
            account_id: required("sso_account_id")?,
            role_name: required("sso_role_name")?,
        }))
    }

    fn login_hint(&self) -> String {
        match &self.session {
            Some(session) => format!("run `aws sso login --sso-session {session}`"),
            None => format!("run `aws sso login --profile {}`", self.profile),
        }
    }

    fn cache_file(&self, env: &Env) -> Option<PathBuf> {
        let key = self.session.as_deref().unwrap_or(&self.start_url);
        let digest = Sha1::digest(key.as_bytes());
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Some(
            env.home_dir()?
                .join(".aws")
                .join("sso")
                .join("cache")
                .join(format!("{name}.json")),
        )
    }

    /// The cached access token, when it is there and not expired.
    fn token(&self, env: &Env) -> Result<String, CredentialsError> {
        let what = format!("profile `{}`: SSO", self.profile);
        let path = self.cache_file(env).ok_or_else(|| {
            CredentialsError::invalid_configuration(format!(
                "{what}: no home directory to find the token cache in"
            ))
        })?;
        let text = match env.read_file(&path) {
            Ok(Some(text)) => text,
            Ok(None) => {
                return Err(CredentialsError::provider_error(format!(
                    "{what}: no cached token at {}: {}",
                    path.display(),
                    self.login_hint()
                )));
            }
            Err(e) => {
                return Err(CredentialsError::provider_error(format!(
                    "{what}: the cached token {} cannot be read: {e}",
                    path.display()
                )));
            }
        };
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            CredentialsError::provider_error(format!(
                "{what}: the cached token {} {}",
                path.display(),
                json_error(&e)
            ))
        })?;
        let broken = |why: &str| {
            CredentialsError::provider_error(format!(
                "{what}: the cached token {} {why}: {}",
                path.display(),
                self.login_hint()
            ))
        };
        let token = json_str(&value, "accessToken").ok_or_else(|| broken("has no accessToken"))?;
        let expires = json_str(&value, "expiresAt")
            .and_then(parse_time)
            .ok_or_else(|| broken("has no valid expiresAt"))?;
        if expires <= SystemTime::now() {
            return Err(CredentialsError::provider_error(format!(
                "{what}: the SSO token expired at {}: {} (it is not refreshed here)",
                crate::DateTime::from(expires),
                self.login_hint()
            )));
        }
        Ok(token.to_owned())
    }

    /// The role's credentials from the SSO portal.
    pub(crate) async fn credentials(
        &self,
        env: &Env,
        profiles: &ProfileSet,
        http: &Http,
    ) -> Result<Credentials, CredentialsError> {
        let token = self.token(env)?;
        let what = format!("profile `{}`: SSO", self.profile);
        let endpoint = profile::endpoint_url(env, profiles, "SSO", "sso").unwrap_or_else(|| {
            let cn = if self.region.starts_with("cn-") {
                ".cn"
            } else {
                ""
            };
            format!("https://portal.sso.{}.amazonaws.com{cn}", self.region)
        });
        let url = format!(
            "{}/federation/credentials?account_id={}&role_name={}",
            endpoint.trim_end_matches('/'),
            crate::sigv4::uri_encode(&self.account_id, true),
            crate::sigv4::uri_encode(&self.role_name, true)
        );
        let request = http::request(
            ::http::Method::GET,
            &url,
            &[("x-amz-sso_bearer_token", &token)],
            Bytes::new(),
        )
        .map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "{what}: {}",
                e.replace("header `x-amz-sso_bearer_token`", "the cached token")
            ))
        })?;
        tracing::debug!(endpoint = %endpoint, profile = %self.profile, "asking the SSO portal");
        let response = http
            .send(request, TIMEOUT)
            .await
            .map_err(|e| CredentialsError::provider_error(format!("{what}: {endpoint}: {e}")))?;
        let status = response.status().as_u16();
        if status == 401 || status == 403 {
            return Err(CredentialsError::provider_error(format!(
                "{what}: the portal refused the token (status {status}): {}",
                self.login_hint()
            )));
        }
        if !response.status().is_success() {
            return Err(CredentialsError::provider_error(format!(
                "{what}: the portal answered with status {status}"
            )));
        }
        let value: serde_json::Value = serde_json::from_slice(response.body()).map_err(|e| {
            CredentialsError::provider_error(format!(
                "{what}: the portal's answer {}",
                json_error(&e)
            ))
        })?;
        let role = value.get("roleCredentials").ok_or_else(|| {
            CredentialsError::provider_error(format!("{what}: no roleCredentials in the answer"))
        })?;
        let missing = |key: &str| {
            CredentialsError::provider_error(format!("{what}: no `{key}` in the answer"))
        };
        let access = json_str(role, "accessKeyId").ok_or_else(|| missing("accessKeyId"))?;
        let secret = json_str(role, "secretAccessKey").ok_or_else(|| missing("secretAccessKey"))?;
        let session = json_str(role, "sessionToken").map(str::to_owned);
        let expiration = role
            .get("expiration")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| missing("expiration"))?;
        Ok(Credentials::new(access, secret, session)
            .with_expiry(SystemTime::UNIX_EPOCH + Duration::from_millis(expiration)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::CredentialsErrorKind;
    use super::super::test_support::*;
    use super::*;
    use crate::client::env::tests::TempDir;

    const CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n\
         sso_role_name = Dev Role\nregion = eu-west-1\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-2\n\
         [profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-2\n\
         sso_account_id = 1\nsso_role_name = r\n\
         [profile no-role]\nsso_session = corp\nsso_account_id = 1\n\
         [profile missing-session]\nsso_session = nope\n\
         [profile mismatch]\nsso_session = corp\nsso_region = us-west-1\nsso_account_id = 1\nsso_role_name = r\n";

    fn sso(set: &ProfileSet, name: &str) -> Result<Option<Sso>, CredentialsError> {
        Sso::from_profile(name, set.get(name).unwrap(), set)
    }

    #[test]
    fn settings_and_cache_file_names() {
        let set = ProfileSet::parse(CONFIG, "").unwrap();
        let dev = sso(&set, "dev").unwrap().unwrap();
        assert_eq!(dev.session.as_deref(), Some("corp"));
        assert_eq!(dev.region, "eu-west-2");
        let home = env(&[("HOME", "/home/me")]);
        // SHA-1 of "corp" and of the start URL.
        assert_eq!(
            dev.cache_file(&home).unwrap(),
            PathBuf::from(format!("/home/me/.aws/sso/cache/{}.json", hex_sha1("corp")))
        );
        let legacy = sso(&set, "legacy").unwrap().unwrap();
        assert_eq!(
            legacy.cache_file(&home).unwrap().file_name().unwrap(),
            format!("{}.json", hex_sha1("https://old.awsapps.com/start")).as_str()
        );
        for (name, text) in [
            (
                "no-role",
                "profile `no-role`: SSO credentials need sso_role_name",
            ),
            (
                "missing-session",
                "profile `missing-session`: sso_session `nope` has no [sso-session nope] section",
            ),
            (
                "mismatch",
                "profile `mismatch`: its sso_region differs from that of [sso-session corp]",
            ),
        ] {
            let e = sso(&set, name).unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
            assert_eq!(e.to_string(), text);
        }
    }

    /// The well-known SHA-1 test vector checks the crate; this computes
    /// the file names the tests write.
    fn hex_sha1(s: &str) -> String {
        Sha1::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn sha1_of_a_known_vector() {
        assert_eq!(hex_sha1("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    fn write_token(dir: &TempDir, key: &str, token: &str, expires: &str) {
        let cache = dir.0.join(".aws/sso/cache");
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(
            cache.join(format!("{}.json", hex_sha1(key))),
            format!(
                "{{\"startUrl\": \"https://corp.awsapps.com/start\", \"region\": \"eu-west-2\", \
                 \"accessToken\": \"{token}\", \"expiresAt\": \"{expires}\"}}"
            ),
        )
        .unwrap();
    }

    #[tokio::test]
    async fn role_credentials_from_the_portal() {
        let dir = TempDir::new("sso");
        let home = dir.0.display().to_string();
        write_token(&dir, "corp", TOKEN, &in_secs(3600));
        let set = ProfileSet::parse(CONFIG, "").unwrap().with_selected("dev");
        let (t, seen) = fake(|_| {
            (
                200,
                format!(
                    "{{\"roleCredentials\": {{\"accessKeyId\": \"ASIASSO\", \"secretAccessKey\": \"{SECRET}\", \
                     \"sessionToken\": \"{TOKEN}\", \"expiration\": 1800000000000}}}}"
                ),
            )
        });
        let e = env(&[
            ("HOME", &home),
            ("AWS_ENDPOINT_URL_SSO", "http://sso.local"),
        ]);
        let s = sso(&set, "dev").unwrap().unwrap();
        let c = s.credentials(&e, &set, &Http::new(Some(t))).await.unwrap();
        assert_eq!(c.access_key_id(), "ASIASSO");
        assert_eq!(
            c.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000))
        );
        let seen = seen.lock().unwrap();
        assert_eq!(
            seen[0].uri,
            "http://sso.local/federation/credentials?account_id=123456789012&role_name=Dev%20Role"
        );
        assert_eq!(seen[0].header("x-amz-sso_bearer_token"), Some(TOKEN));
    }

    #[tokio::test]
    async fn expired_or_missing_tokens_ask_for_a_login() {
        let dir = TempDir::new("sso-expired");
        let home = dir.0.display().to_string();
        let set = ProfileSet::parse(CONFIG, "").unwrap();
        let e = env(&[
            ("HOME", &home),
            ("AWS_ENDPOINT_URL_SSO", "http://sso.local"),
        ]);
        let http = Http::new(Some(unreachable()));
        let s = sso(&set, "dev").unwrap().unwrap();
        let err = s.credentials(&e, &set, &http).await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert!(
            err.to_string()
                .starts_with("profile `dev`: SSO: no cached token at ")
                && err
                    .to_string()
                    .ends_with(": run `aws sso login --sso-session corp`"),
            "{err}"
        );
        write_token(&dir, "corp", TOKEN, "2020-01-01T00:00:00Z");
        let err = s.credentials(&e, &set, &http).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `dev`: SSO: the SSO token expired at 2020-01-01T00:00:00Z: \
             run `aws sso login --sso-session corp` (it is not refreshed here)"
        );
        assert_error_has_no_secret(&err);
        let legacy = sso(&set, "legacy").unwrap().unwrap();
        write_token(&dir, "https://old.awsapps.com/start", TOKEN, &in_secs(600));
        let (t, _) = fake(|_| (401, format!("{{\"message\": \"{TOKEN}\"}}")));
        let err = legacy
            .credentials(&e, &set, &Http::new(Some(t)))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `legacy`: SSO: the portal refused the token (status 401): \
             run `aws sso login --profile legacy`"
        );
        assert_error_has_no_secret(&err);
    }
}
