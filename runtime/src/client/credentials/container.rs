//! Credentials from the container credentials endpoint: ECS task roles
//! and EKS Pod Identity.

use super::http::{self, Http};
use super::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, credentials_from_json,
    json_error,
};
use crate::client::env::Env;
use crate::client::transport::HttpTransport;
use bytes::Bytes;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

const RELATIVE: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const AUTH_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const AUTH_TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// Each attempt may take this long.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPTS: usize = 2;

/// Credentials from the container credentials endpoint:
///
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, a path on
///   `http://169.254.170.2` (ECS); else
/// - `AWS_CONTAINER_CREDENTIALS_FULL_URI`, a whole URL, which must be
///   `https`, or `http` to a loopback address or to the ECS and EKS
///   addresses (`169.254.170.2`, `169.254.170.23`, `fd00:ec2::23`).
///
/// The `Authorization` header is the content of the file
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` names (read again at each
/// call: EKS rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// Neither URI set is [`NotLoaded`](super::CredentialsErrorKind::NotLoaded);
/// a URI that is not allowed is
/// [`InvalidConfiguration`](super::CredentialsErrorKind::InvalidConfiguration);
/// an endpoint that fails (after two attempts of at most 5 s each) is
/// [`ProviderError`](super::CredentialsErrorKind::ProviderError).
#[derive(Clone, Debug, Default)]
pub struct ContainerCredentials {
    env: Env,
    http: Http,
}

impl ContainerCredentials {
    /// Credentials as the variables of `env` locate them, fetched with the
    /// default transport.
    pub fn new(env: Env) -> Self {
        ContainerCredentials {
            env,
            http: Http::default(),
        }
    }

    /// The same, fetched with `transport`.
    pub fn with_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.http = Http::new(Some(transport));
        self
    }

    pub(crate) fn with_http(env: Env, http: Http) -> Self {
        ContainerCredentials { env, http }
    }

    fn uri(&self) -> Result<String, CredentialsError> {
        if let Some(relative) = self.env.get(RELATIVE) {
            let slash = if relative.starts_with('/') { "" } else { "/" };
            return Ok(format!("http://169.254.170.2{slash}{relative}"));
        }
        let Some(full) = self.env.get(FULL) else {
            return Err(CredentialsError::not_loaded(format!(
                "container: neither {RELATIVE} nor {FULL} is set"
            )));
        };
        let invalid =
            |why: &str| CredentialsError::invalid_configuration(format!("container: {FULL} {why}"));
        let uri: ::http::Uri = full.parse().map_err(|_| invalid("is not a valid URI"))?;
        let host = uri.host().ok_or_else(|| invalid("has no host"))?;
        match uri.scheme_str() {
            Some("https") => Ok(full),
            Some("http") if allowed_http_host(host) => Ok(full),
            Some("http") => Err(invalid(
                "must be https, or http to a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23",
            )),
            _ => Err(invalid("must be an http or https URL")),
        }
    }

    /// The authorization token, when one is configured.
    fn token(&self) -> Result<Option<String>, CredentialsError> {
        if let Some(file) = self.env.get(AUTH_TOKEN_FILE) {
            let path = self.env.expand_home(&file);
            return match self.env.read_file(&path) {
                Ok(Some(token)) => Ok(Some(token.trim().to_owned())),
                Ok(None) => Err(CredentialsError::provider_error(format!(
                    "container: no token file at {} ({AUTH_TOKEN_FILE})",
                    path.display()
                ))),
                Err(e) => Err(CredentialsError::provider_error(format!(
                    "container: the token file {} ({AUTH_TOKEN_FILE}) cannot be read: {e}",
                    path.display()
                ))),
            };
        }
        Ok(self.env.get(AUTH_TOKEN))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let uri = self.uri()?;
        let token = self.token()?;
        let mut headers = vec![("accept", "application/json")];
        if let Some(token) = &token {
            headers.push(("authorization", token));
        }
        let request =
            http::request(::http::Method::GET, &uri, &headers, Bytes::new()).map_err(|e| {
                // The only header that can be invalid is the token's: say
                // which setting, not what it holds.
                CredentialsError::invalid_configuration(format!(
                    "container: {}",
                    e.replace("header `authorization`", "the authorization token")
                ))
            })?;
        tracing::debug!(uri = %uri, "asking the container credentials endpoint");
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let response = match self.http.send(request.clone(), ATTEMPT_TIMEOUT).await {
                Ok(r) => r,
                Err(e) => {
                    last = format!("{uri}: {e}");
                    continue;
                }
            };
            let status = response.status();
            if status.is_server_error() && attempt < ATTEMPTS {
                last = format!("{uri} answered with status {}", status.as_u16());
                continue;
            }
            if !status.is_success() {
                return Err(CredentialsError::provider_error(format!(
                    "container: {uri} answered with status {}",
                    status.as_u16()
                )));
            }
            let value: serde_json::Value =
                serde_json::from_slice(response.body()).map_err(|e| {
                    CredentialsError::provider_error(format!(
                        "container: the answer of {uri} {}",
                        json_error(&e)
                    ))
                })?;
            return credentials_from_json(
                &value,
                ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"],
                "container",
            );
        }
        Err(CredentialsError::provider_error(format!(
            "container: {last}"
        )))
    }
}

/// Whether plain HTTP may go to `host`: loopback, or the addresses of the
/// ECS and EKS credential endpoints.
fn allowed_http_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) => {
            ip.is_loopback()
                || ip == IpAddr::from([169, 254, 170, 2])
                || ip == IpAddr::from([169, 254, 170, 23])
                || ip == IpAddr::from([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23])
        }
        Err(_) => false,
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::super::CredentialsErrorKind;
    use super::super::test_support::{self, *};
    use super::*;
    use crate::client::env::tests::TempDir;

    fn body(expiration: &str) -> String {
        format!(
            "{{\"AccessKeyId\": \"ASIACONT\", \"SecretAccessKey\": \"{SECRET}\", \
             \"Token\": \"{TOKEN}\", \"Expiration\": \"{expiration}\", \"RoleArn\": \"arn:r\"}}"
        )
    }

    #[tokio::test]
    async fn relative_uri_and_token_file() {
        let dir = TempDir::new("container");
        let file = dir.write("token", "file-token\n");
        let file = file.display().to_string();
        let (t, seen) = fake(|_| (200, body(&in_secs(3600))));
        let p = ContainerCredentials::new(test_support::env(&[
            (RELATIVE, "/v2/credentials/abc"),
            (FULL, "http://127.0.0.1:9/ignored"),
            (AUTH_TOKEN, "env-token"),
            (AUTH_TOKEN_FILE, &file),
        ]))
        .with_transport(t);
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id(), "ASIACONT");
        assert_eq!(c.session_token(), Some(TOKEN));
        assert!(c.expiry().is_some());
        // The file is read again: a rotated token is sent next time.
        std::fs::write(&file, "rotated").unwrap();
        p.provide_credentials().await.unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].uri, "http://169.254.170.2/v2/credentials/abc");
        assert_eq!(seen[0].header("authorization"), Some("file-token"));
        assert_eq!(seen[1].header("authorization"), Some("rotated"));
    }

    #[test]
    fn allowed_uris() {
        let uri = |full: &str| ContainerCredentials::new(test_support::env(&[(FULL, full)])).uri();
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/creds",
            "http://[::1]:80/",
            "http://localhost/x",
            "http://169.254.170.2/x",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://creds.example.com/x",
        ] {
            assert_eq!(uri(ok).unwrap(), ok);
        }
        for bad in [
            "http://10.0.0.1/x",
            "http://example.com/x",
            "http://169.254.169.254/x",
            "ftp://127.0.0.1/x",
            "not a uri",
        ] {
            let e = uri(bad).unwrap_err();
            assert_eq!(
                e.kind(),
                CredentialsErrorKind::InvalidConfiguration,
                "{bad}"
            );
        }
        let e = ContainerCredentials::new(test_support::env(&[]))
            .uri()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(
            e.to_string(),
            "container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor \
             AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
        );
    }

    #[tokio::test]
    async fn failures_say_why_and_keep_the_token_secret() {
        let vars = [(FULL, "http://127.0.0.1:9/creds"), (AUTH_TOKEN, TOKEN)];
        let (t, seen) = fake(|_| (500, String::new()));
        let p = ContainerCredentials::new(test_support::env(&vars)).with_transport(t);
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(
            e.to_string(),
            "container: http://127.0.0.1:9/creds answered with status 500"
        );
        assert_eq!(seen.lock().unwrap().len(), 2, "retried once");
        let (t, _) = fake(|_| (200, format!("{{\"AccessKeyId\": \"{SECRET}")));
        let p = ContainerCredentials::new(test_support::env(&vars)).with_transport(t);
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "container: the answer of http://127.0.0.1:9/creds ends early (line 1, column 57)"
        );
        assert_error_has_no_secret(&e);
        let bad_token = format!("{TOKEN}\r\nx: y");
        let p = ContainerCredentials::new(test_support::env(&[
            (FULL, "http://127.0.0.1:9/creds"),
            (AUTH_TOKEN, &bad_token),
        ]));
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "container: the value of the authorization token is not a valid header value"
        );
        assert_error_has_no_secret(&e);
        assert_no_secret(&format!("{p:?}"));
        let p = ContainerCredentials::new(test_support::env(&vars)).with_transport(unreachable());
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "container: http://127.0.0.1:9/creds: could not connect: connection refused"
        );
    }
}
