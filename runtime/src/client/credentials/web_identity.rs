//! Credentials for a role assumed with a web identity token (an OIDC
//! token written to a file, as EKS does for IAM roles for service
//! accounts), through STS `AssumeRoleWithWebIdentity`.

use super::http::Http;
use super::sts::Sts;
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::client::env::Env;
use crate::client::transport::HttpTransport;
use std::sync::Arc;

/// Credentials for the role `AWS_ROLE_ARN` names, assumed with the token
/// in the file `AWS_WEB_IDENTITY_TOKEN_FILE` names (read again at each
/// call: it is rotated), under the session name `AWS_ROLE_SESSION_NAME`
/// (else one made of the time).
///
/// No token file is [`NotLoaded`](super::CredentialsErrorKind::NotLoaded);
/// a token file without a role is
/// [`InvalidConfiguration`](super::CredentialsErrorKind::InvalidConfiguration);
/// an unreadable file or an STS error is
/// [`ProviderError`](super::CredentialsErrorKind::ProviderError). See the
/// STS endpoint and region in the [module documentation](super).
#[derive(Clone, Debug, Default)]
pub struct WebIdentityCredentials {
    env: Env,
    profile: Option<String>,
    http: Http,
}

impl WebIdentityCredentials {
    /// Credentials from the variables of `env`, STS reached with the
    /// default transport.
    pub fn new(env: Env) -> Self {
        WebIdentityCredentials::with_http(env, None, Http::default())
    }

    /// The same, STS reached with `transport`.
    pub fn with_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.http = Http::new(Some(transport));
        self
    }

    pub(crate) fn with_http(env: Env, profile: Option<String>, http: Http) -> Self {
        WebIdentityCredentials { env, profile, http }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        const FILE: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";
        const ROLE: &str = "AWS_ROLE_ARN";
        let Some(file) = self.env.get(FILE) else {
            return Err(CredentialsError::not_loaded(format!(
                "web identity: {FILE} is not set"
            )));
        };
        let Some(role_arn) = self.env.get(ROLE) else {
            return Err(CredentialsError::invalid_configuration(format!(
                "web identity: {FILE} is set but {ROLE} is not"
            )));
        };
        let profiles = super::profiles(&self.env, self.profile.as_deref());
        let sts = Sts::new(&self.env, &profiles, self.http.clone());
        assume_role(
            &self.env,
            &sts,
            &file,
            &role_arn,
            self.env.get("AWS_ROLE_SESSION_NAME").as_deref(),
        )
        .await
        .map_err(|e| e.context("web identity"))
    }
}

/// Assumes `role_arn` with the token in `token_file`.
pub(crate) async fn assume_role(
    env: &Env,
    sts: &Sts,
    token_file: &str,
    role_arn: &str,
    session_name: Option<&str>,
) -> Result<Credentials, CredentialsError> {
    let path = env.expand_home(token_file);
    let token = match env.read_file(&path) {
        Ok(Some(token)) if !token.trim().is_empty() => token,
        Ok(Some(_)) => {
            return Err(CredentialsError::provider_error(format!(
                "the token file {} is empty",
                path.display()
            )));
        }
        Ok(None) => {
            return Err(CredentialsError::provider_error(format!(
                "no token file at {}",
                path.display()
            )));
        }
        Err(e) => {
            return Err(CredentialsError::provider_error(format!(
                "the token file {} cannot be read: {e}",
                path.display()
            )));
        }
    };
    sts.assume_role_with_web_identity(role_arn, session_name, token.trim())
        .await
}

impl ProvideCredentials for WebIdentityCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::super::CredentialsErrorKind;
    use super::super::sts::answer;
    use super::super::test_support::*;
    use super::*;
    use crate::client::env::tests::TempDir;

    #[tokio::test]
    async fn role_from_the_environment() {
        let dir = TempDir::new("web-identity");
        let token_file = dir.write("token", &format!("{TOKEN}\n"));
        let (t, seen) = fake(|_| {
            (
                200,
                answer(
                    "AssumeRoleWithWebIdentity",
                    "ASIAWEB",
                    "s",
                    "t",
                    &in_secs(3600),
                ),
            )
        });
        let token_path = token_file.display().to_string();
        let vars = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_path.as_str()),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod"),
            ("AWS_ROLE_SESSION_NAME", "pod-session"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
            ("AWS_CONFIG_FILE", "/nonexistent/smithy-rt/config"),
        ];
        let p = WebIdentityCredentials::new(env(&vars)).with_transport(t);
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id(), "ASIAWEB");
        {
            let seen = seen.lock().unwrap();
            assert!(seen[0].body.contains("RoleSessionName=pod-session"));
            assert!(seen[0].body.contains(&format!("WebIdentityToken={TOKEN}")));
        }
        assert_no_secret(&format!("{p:?}"));

        // The token file is read again at each call.
        std::fs::remove_file(&token_file).unwrap();
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(
            e.to_string(),
            format!("web identity: no token file at {token_path}")
        );
    }

    #[tokio::test]
    async fn missing_settings() {
        let p = WebIdentityCredentials::new(env(&[("AWS_ROLE_ARN", "arn:r")]));
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(
            e.to_string(),
            "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set"
        );
        let p = WebIdentityCredentials::new(env(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")]));
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"
        );
    }
}
