//! The two STS calls credential providers make, `AssumeRole` (signed with
//! the source credentials) and `AssumeRoleWithWebIdentity` (unsigned), as
//! plain awsQuery requests: a form-encoded `POST` and an XML answer.
//!
//! The endpoint is `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the
//! profile's `services` section (`sts =` / `endpoint_url`) or
//! `endpoint_url`, else the regional `https://sts.{region}.amazonaws.com`
//! (`.amazonaws.com.cn` in China);
//! the region is the configured one (`AWS_REGION`, `AWS_DEFAULT_REGION`,
//! the profile's `region`), else `us-east-1`.

use super::http::{self, Http};
use super::xml;
use super::{Credentials, CredentialsError, parse_time};
use crate::client::env::Env;
use crate::client::profile::{self, ProfileSet};
use bytes::Bytes;
use std::time::{Duration, SystemTime};

/// A whole call to STS may take this long.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Where STS calls go and which region they are signed for.
#[derive(Clone, Debug)]
pub(crate) struct Sts {
    http: Http,
    endpoint: String,
    region: String,
}

/// The role to assume and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Role {
    pub(crate) arn: String,
    pub(crate) session_name: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) duration_seconds: Option<u32>,
}

impl Sts {
    /// STS as `env` and the selected profile of `profiles` configure it.
    pub(crate) fn new(env: &Env, profiles: &ProfileSet, http: Http) -> Sts {
        let region = profile::region(env, profiles).unwrap_or_else(|| "us-east-1".to_owned());
        // The China partition's domain; every other region's is the same.
        let domain = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        let endpoint = profile::endpoint_url(env, profiles, "STS", "sts")
            .unwrap_or_else(|| format!("https://sts.{region}.{domain}"));
        Sts {
            http,
            endpoint,
            region,
        }
    }

    /// `AssumeRole`, signed with `source`.
    pub(crate) async fn assume_role(
        &self,
        source: &Credentials,
        role: &Role,
    ) -> Result<Credentials, CredentialsError> {
        let session = session_name(role.session_name.as_deref());
        let duration = role.duration_seconds.map(|d| d.to_string());
        let mut pairs = vec![
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", role.arn.as_str()),
            ("RoleSessionName", session.as_str()),
        ];
        if let Some(id) = &role.external_id {
            pairs.push(("ExternalId", id));
        }
        if let Some(d) = &duration {
            pairs.push(("DurationSeconds", d));
        }
        let what = format!("STS AssumeRole of {}", role.arn);
        let request = self.request(&pairs).map_err(|e| config_error(&what, &e))?;
        let (mut parts, body) = request.into_parts();
        let params = crate::sigv4::SigningParams {
            access_key_id: source.access_key_id(),
            secret_access_key: source.secret_access_key(),
            session_token: source.session_token(),
            region: &self.region,
            service: "sts",
            time: SystemTime::now(),
        };
        crate::sigv4::sign_request(&mut parts, &body, &params).map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "{what}: the request could not be signed: {e}"
            ))
        })?;
        let request = ::http::Request::from_parts(parts, body);
        self.call(request, "AssumeRole", &what).await
    }

    /// `AssumeRoleWithWebIdentity` with `token` (unsigned).
    pub(crate) async fn assume_role_with_web_identity(
        &self,
        role_arn: &str,
        session_name: Option<&str>,
        token: &str,
    ) -> Result<Credentials, CredentialsError> {
        let session = self::session_name(session_name);
        let pairs = [
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", "2011-06-15"),
            ("RoleArn", role_arn),
            ("RoleSessionName", session.as_str()),
            ("WebIdentityToken", token),
        ];
        let what = format!("STS AssumeRoleWithWebIdentity of {role_arn}");
        let request = self.request(&pairs).map_err(|e| config_error(&what, &e))?;
        self.call(request, "AssumeRoleWithWebIdentity", &what).await
    }

    fn request(&self, pairs: &[(&str, &str)]) -> Result<::http::Request<Bytes>, String> {
        let url = format!("{}/", self.endpoint.trim_end_matches('/'));
        http::request(
            ::http::Method::POST,
            &url,
            &[(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
            Bytes::from(http::form(pairs)),
        )
    }

    async fn call(
        &self,
        request: ::http::Request<Bytes>,
        action: &str,
        what: &str,
    ) -> Result<Credentials, CredentialsError> {
        tracing::debug!(endpoint = %self.endpoint, action, "calling STS");
        let response = self.http.send(request, TIMEOUT).await.map_err(|e| {
            CredentialsError::provider_error(format!("{what}: {}: {e}", self.endpoint))
        })?;
        let status = response.status();
        let body = String::from_utf8_lossy(response.body());
        if !status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "{what}: {}",
                error_text(status.as_u16(), &body)
            )));
        }
        parse_credentials(&body, action).map_err(|e| {
            CredentialsError::provider_error(format!("{what}: unexpected answer: {}", e.0))
        })
    }
}

fn config_error(what: &str, e: &str) -> CredentialsError {
    CredentialsError::invalid_configuration(format!("{what}: {e}"))
}

/// The session name given, else one made of the time, as the SDKs make
/// theirs.
fn session_name(given: Option<&str>) -> String {
    match given {
        Some(name) => name.to_owned(),
        None => format!(
            "smithy-rt-{}",
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default()
        ),
    }
}

/// An STS error answer's code and message (which name the problem, not
/// the request's secrets), or its status alone.
fn error_text(status: u16, body: &str) -> String {
    let code = xml::text(body, &["ErrorResponse", "Error", "Code"]);
    let message = xml::text(body, &["ErrorResponse", "Error", "Message"]);
    match (code, message) {
        (Ok(code), Ok(message)) => format!("{code} (status {status}): {message}"),
        (Ok(code), Err(_)) => format!("{code} (status {status})"),
        _ => format!("status {status}"),
    }
}

fn parse_credentials(body: &str, action: &str) -> Result<Credentials, xml::XmlError> {
    let response = format!("{action}Response");
    let result = format!("{action}Result");
    let path = |leaf| [response.as_str(), result.as_str(), "Credentials", leaf];
    let access = xml::text(body, &path("AccessKeyId"))?;
    let secret = xml::text(body, &path("SecretAccessKey"))?;
    let token = xml::text(body, &path("SessionToken"))?;
    let expiration = xml::text(body, &path("Expiration"))?;
    let expiry = parse_time(&expiration)
        .ok_or_else(|| xml::XmlError("<Expiration> is not an RFC 3339 time".to_owned()))?;
    if access.is_empty() || secret.is_empty() || token.is_empty() {
        return Err(xml::XmlError("empty credentials".to_owned()));
    }
    Ok(Credentials::new(access, secret, Some(token)).with_expiry(expiry))
}

/// An STS answer holding `credentials`, for tests (here and in the
/// providers that call STS).
#[cfg(test)]
pub(crate) fn answer(
    action: &str,
    access_key_id: &str,
    secret: &str,
    token: &str,
    expiration: &str,
) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n\
         <{action}Result><Credentials>\n\
         <AccessKeyId>{access_key_id}</AccessKeyId>\n\
         <SecretAccessKey>{secret}</SecretAccessKey>\n\
         <SessionToken>{token}</SessionToken>\n\
         <Expiration>{expiration}</Expiration>\n\
         </Credentials></{action}Result>\n\
         <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\n\
         </{action}Response>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn sts(vars: &[(&str, &str)], http: Http) -> Sts {
        Sts::new(&env(vars), &ProfileSet::default(), http)
    }

    #[test]
    fn endpoints_and_regions() {
        let s = sts(&[], Http::default());
        assert_eq!(s.endpoint, "https://sts.us-east-1.amazonaws.com");
        let s = sts(&[("AWS_REGION", "eu-west-3")], Http::default());
        assert_eq!(s.endpoint, "https://sts.eu-west-3.amazonaws.com");
        assert_eq!(s.region, "eu-west-3");
        let s = sts(&[("AWS_REGION", "cn-north-1")], Http::default());
        assert_eq!(s.endpoint, "https://sts.cn-north-1.amazonaws.com.cn");
        let s = sts(
            &[
                ("AWS_REGION", "eu-west-3"),
                ("AWS_ENDPOINT_URL", "http://other"),
                ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9"),
            ],
            Http::default(),
        );
        assert_eq!(s.endpoint, "http://127.0.0.1:9");
    }

    #[tokio::test]
    async fn assume_role_is_signed_and_read() {
        let expiration = in_secs(3600);
        let exp = expiration.clone();
        let (t, seen) = fake(move |_| {
            (
                200,
                answer("AssumeRole", "ASIAROLE", "role-secret", "role-token", &exp),
            )
        });
        let s = sts(
            &[
                ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
                ("AWS_REGION", "eu-central-1"),
            ],
            Http::new(Some(t)),
        );
        let role = Role {
            arn: "arn:aws:iam::123456789012:role/r".to_owned(),
            session_name: Some("me".to_owned()),
            external_id: Some("ext".to_owned()),
            duration_seconds: Some(900),
        };
        let source = Credentials::new("AKIDSOURCE", SECRET, Some(TOKEN.to_owned()));
        let c = s.assume_role(&source, &role).await.unwrap();
        assert_eq!(c.access_key_id(), "ASIAROLE");
        assert_eq!(c.secret_access_key(), "role-secret");
        assert_eq!(c.session_token(), Some("role-token"));
        assert_eq!(c.expiry(), parse_time(&expiration));
        let seen = seen.lock().unwrap();
        let r = &seen[0];
        assert_eq!(
            (r.method.as_str(), r.uri.as_str()),
            ("POST", "http://sts.local/")
        );
        assert_eq!(
            r.body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr\
             &RoleSessionName=me&ExternalId=ext&DurationSeconds=900"
        );
        let auth = r.header("authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDSOURCE/"),
            "{auth}"
        );
        assert!(auth.contains("/eu-central-1/sts/aws4_request"), "{auth}");
        assert_eq!(r.header("x-amz-security-token"), Some(TOKEN));
    }

    #[tokio::test]
    async fn web_identity_is_unsigned() {
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
        let s = sts(
            &[("AWS_ENDPOINT_URL", "http://sts.local/")],
            Http::new(Some(t)),
        );
        let c = s
            .assume_role_with_web_identity("arn:aws:iam::1:role/w", None, TOKEN)
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "ASIAWEB");
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].header("authorization"), None);
        assert!(
            seen[0].body.contains("RoleSessionName=smithy-rt-"),
            "{}",
            seen[0].body
        );
        assert!(seen[0].body.ends_with(&format!(
            "WebIdentityToken={}",
            crate::sigv4::uri_encode(TOKEN, true)
        )));
    }

    #[tokio::test]
    async fn errors_name_the_code_and_never_the_token() {
        let (t, _) = fake(|_| {
            (
                400,
                "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>\
                 <Message>Token expired</Message></Error><RequestId>r</RequestId></ErrorResponse>"
                    .to_owned(),
            )
        });
        let s = sts(
            &[("AWS_ENDPOINT_URL_STS", "http://sts.local")],
            Http::new(Some(t)),
        );
        let e = s
            .assume_role_with_web_identity("arn:aws:iam::1:role/w", Some("s"), TOKEN)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), super::super::CredentialsErrorKind::ProviderError);
        assert_eq!(
            e.to_string(),
            "STS AssumeRoleWithWebIdentity of arn:aws:iam::1:role/w: \
             InvalidIdentityToken (status 400): Token expired"
        );
        assert_error_has_no_secret(&e);
        // An answer that is not STS's.
        let (t, _) = fake(|_| (200, format!("<html>{SECRET}</html>")));
        let s = sts(
            &[("AWS_ENDPOINT_URL_STS", "http://sts.local")],
            Http::new(Some(t)),
        );
        let source = Credentials::new("AKID", SECRET, None);
        let role = Role {
            arn: "arn:r".to_owned(),
            session_name: None,
            external_id: None,
            duration_seconds: None,
        };
        let e = s.assume_role(&source, &role).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "STS AssumeRole of arn:r: unexpected answer: no <AssumeRoleResponse>"
        );
        let (t, _) = fake(|_| (503, "busy".to_owned()));
        let s = sts(
            &[("AWS_ENDPOINT_URL_STS", "http://sts.local")],
            Http::new(Some(t)),
        );
        let e = s.assume_role(&source, &role).await.unwrap_err();
        assert_eq!(e.to_string(), "STS AssumeRole of arn:r: status 503");
        let s = sts(
            &[("AWS_ENDPOINT_URL_STS", "http://sts.local")],
            Http::new(Some(unreachable())),
        );
        let e = s.assume_role(&source, &role).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "STS AssumeRole of arn:r: http://sts.local: could not connect: connection refused"
        );
    }
}
