//! Credentials from the environment's variables.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::client::env::Env;

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// (optionally) `AWS_SESSION_TOKEN`.
///
/// Neither key set is [`NotLoaded`](super::CredentialsErrorKind::NotLoaded);
/// one without the other is
/// [`InvalidConfiguration`](super::CredentialsErrorKind::InvalidConfiguration),
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

    pub(crate) fn load(&self) -> Result<Credentials, CredentialsError> {
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

#[cfg(test)]
mod tests {
    use super::super::CredentialsErrorKind;
    use super::super::test_support::*;
    use super::*;

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
}
