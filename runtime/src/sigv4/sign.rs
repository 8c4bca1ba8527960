//! Signing: in the `Authorization` header ([`sign`]) or in the query
//! string ([`presign`]).

use super::canonical::{self, CanonicalHeader, HeaderValues, PathStyle};
use super::{ALGORITHM, crypto, string_to_sign, time};
use http::header::{AUTHORIZATION, HOST};
use http::{HeaderMap, HeaderName, HeaderValue};
use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";

/// Headers that are never signed, though sent: `authorization` (the
/// signature itself) and headers that proxies and the transport add,
/// change or drop, or that change between attempts of one call: the union
/// of the AWS SDKs' lists (the AWS SDK for Rust's `authorization`,
/// `user-agent`, `x-amzn-trace-id`, `transfer-encoding`; the Java SDK's
/// `connection`, `expect`; botocore's other hop-by-hop headers) and the
/// SDKs' per-attempt `amz-sdk-invocation-id` and `amz-sdk-request`.
/// Every other header present is signed, `content-length` included (as
/// the AWS SDK for Rust does).
pub const UNSIGNED_HEADERS: &[&str] = &[
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "authorization",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// Headers a presigned URL does not sign either, as the AWS SDK for Rust
/// leaves them out: they are often added after the URL is made.
const UNSIGNED_IN_QUERY: &[&str] = &["x-amz-checksum-mode", "x-amz-user-agent"];

/// Who signs, for what, and when.
#[derive(Clone, Copy)]
pub struct SigningParams<'a> {
    /// The access key ID (`AKIA…`, `ASIA…`): RFC 3986 unreserved
    /// characters only.
    pub access_key_id: &'a str,
    /// The secret access key. Never printed.
    pub secret_access_key: &'a str,
    /// The session token of temporary credentials, sent as
    /// `x-amz-security-token`. Never printed.
    pub session_token: Option<&'a str>,
    /// The signing region (`us-east-1`): unreserved characters only.
    pub region: &'a str,
    /// The signing name of the service (`pca-connector-scep`): unreserved
    /// characters only.
    pub service: &'a str,
    /// The signing time (`SystemTime::now()` but in tests), 1970 to 9999.
    pub time: SystemTime,
}

impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::Redacted)
            .field(
                "session_token",
                &self.session_token.map(|_| crate::Redacted),
            )
            .field("region", &self.region)
            .field("service", &self.service)
            .field("time", &self.time)
            .finish()
    }
}

/// How to sign beyond the credentials: the defaults ([`SigningSettings::DEFAULT`])
/// are those of every AWS service but S3, and of this crate's client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SigningSettings {
    /// URI-encode the path once more ("double encoding": `%3A` is signed
    /// as `%253A`), as every service but S3 expects. Default `true`.
    pub double_encode_path: bool,
    /// Normalize the path before encoding it ([`normalize_path`](super::normalize_path)),
    /// as every service but S3 does. Default `true`.
    pub normalize_path: bool,
    /// Add `x-amz-content-sha256` (the payload hash) to the request and
    /// sign it, as S3 requires (header signing only). Default `false`.
    pub content_sha256_header: bool,
    /// Leave the session token out of the signature and add it afterwards
    /// (what a few services, such as IoT's WebSocket endpoint, expect).
    /// Default `false`: the token is signed.
    pub omit_session_token: bool,
}

impl SigningSettings {
    /// Every AWS service but S3: path normalized and encoded once more,
    /// no `x-amz-content-sha256`, the session token signed.
    pub const DEFAULT: Self = Self {
        double_encode_path: true,
        normalize_path: true,
        content_sha256_header: false,
        omit_session_token: false,
    };

    fn path_style(&self) -> PathStyle {
        PathStyle {
            double_encode: self.double_encode_path,
            normalize: self.normalize_path,
        }
    }
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why a request could not be signed. Never carries a secret: header
/// values are not quoted, only header names.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The signing time is before 1970 or after the year 9999.
    InvalidTime,
    /// A header that would be signed has a value that is not UTF-8 text.
    InvalidHeaderValue {
        /// The header's name.
        name: String,
    },
    /// The access key ID, region or service is empty or has characters
    /// other than RFC 3986's unreserved ones.
    InvalidParam {
        /// `access_key_id`, `region` or `service`.
        param: &'static str,
    },
    /// The session token is not a valid header value (visible ASCII).
    InvalidSessionToken,
    /// The request has no `host` header and its URI no authority to take
    /// one from.
    MissingHost,
    /// The presigned URI is not a valid URI (its path was not one).
    InvalidUri,
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::InvalidTime => {
                f.write_str("the signing time is not between 1970 and 9999")
            }
            SigningError::InvalidHeaderValue { name } => {
                write!(f, "the value of header `{name}` is not UTF-8 text")
            }
            SigningError::InvalidParam { param } => write!(
                f,
                "the signing parameter `{param}` is empty or has characters other than A-Z a-z 0-9 - . _ ~"
            ),
            SigningError::InvalidSessionToken => {
                f.write_str("the session token is not a valid header value")
            }
            SigningError::MissingHost => {
                f.write_str("the request has no host header and its URI no authority")
            }
            SigningError::InvalidUri => f.write_str("the presigned URI is not a valid URI"),
        }
    }
}

impl std::error::Error for SigningError {}

/// A request to sign, borrowed: what SigV4 covers of it. Usually made by
/// [`SignableRequest::from_parts`]; written out by hand it can describe a
/// path that an [`http::Uri`] cannot hold.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    /// The method (`GET`).
    pub method: &'a str,
    /// The path as it goes on the wire, percent-encoded (`/tags/arn%3Aaws`).
    pub path: &'a str,
    /// The query as it goes on the wire, without `?`.
    pub query: Option<&'a str>,
    /// The `host` to sign (and set) when `headers` has none: the URI's
    /// authority without user information, and without the port when it
    /// is the scheme's default.
    pub default_host: Option<&'a str>,
    /// The headers.
    pub headers: &'a HeaderMap,
}

impl<'a> SignableRequest<'a> {
    /// The request of `parts`.
    pub fn from_parts(parts: &'a http::request::Parts) -> Self {
        let uri = &parts.uri;
        let default_host = uri.authority().map(|authority| {
            let host = authority.as_str();
            let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
            let default_port = match uri.scheme_str() {
                Some("http") => Some(":80"),
                Some("https") => Some(":443"),
                _ => None,
            };
            default_port
                .and_then(|port| host.strip_suffix(port))
                .unwrap_or(host)
        });
        SignableRequest {
            method: parts.method.as_str(),
            path: uri.path(),
            query: uri.query(),
            default_host,
            headers: &parts.headers,
        }
    }
}

impl fmt::Debug for SignableRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials: names only.
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("default_host", &self.default_host)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A signature and how to apply it: the headers to set (and, presigning,
/// the new query), with the canonical request and string to sign it was
/// computed from.
pub struct SigningOutput {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Option<String>,
}

impl SigningOutput {
    /// The canonical request. It holds the session token when that was
    /// signed, and every signed header: log it with care.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signature (64 lowercase hex digits).
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The headers to set, replacing any of the same name: `host` (when
    /// taken from the URI) and, for header signing, `x-amz-date`,
    /// `x-amz-content-sha256` (when asked for), `x-amz-security-token`
    /// (with a session token) and `authorization`.
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    /// For a presigned request, the whole new query (the request's own
    /// parameters, then the `X-Amz-*` ones ending with `X-Amz-Signature`).
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// Sets the headers (and, presigning, the query) on `parts`.
    pub fn apply_to(self, parts: &mut http::request::Parts) -> Result<(), SigningError> {
        apply(self.headers, self.query, parts)
    }
}

fn apply(
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Option<String>,
    parts: &mut http::request::Parts,
) -> Result<(), SigningError> {
    if let Some(query) = query {
        let path = parts.uri.path();
        let mut path_and_query = String::with_capacity(path.len() + 1 + query.len());
        path_and_query.push_str(path);
        path_and_query.push('?');
        path_and_query.push_str(&query);
        let path_and_query = http::uri::PathAndQuery::try_from(path_and_query)
            .map_err(|_| SigningError::InvalidUri)?;
        let mut uri = parts.uri.clone().into_parts();
        uri.path_and_query = Some(path_and_query);
        parts.uri = http::Uri::from_parts(uri).map_err(|_| SigningError::InvalidUri)?;
    }
    for (name, value) in headers {
        parts.headers.insert(name, value);
    }
    Ok(())
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The canonical request and the headers may hold the session token.
        f.debug_struct("SigningOutput")
            .field("canonical_request", &crate::Redacted)
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("query", &self.query.as_ref().map(|_| crate::Redacted))
            .finish()
    }
}

/// Signs `parts` (with its whole `body`) in place, as every AWS service
/// but S3 expects ([`SigningSettings::DEFAULT`]): sets `x-amz-date`,
/// `x-amz-security-token` (with a session token) and `authorization`, and
/// `host` from the URI's authority when there is no `host` header.
///
/// Signs `host`, `x-amz-date`, `x-amz-security-token` and every other
/// header present but those of [`UNSIGNED_HEADERS`]. The payload hash is
/// that of `body`, or the value of an `x-amz-content-sha256` header when
/// the request has one (`UNSIGNED-PAYLOAD`, or a hash computed earlier).
/// Signing again (a retry) replaces the previous signature's headers.
pub fn sign_request(
    parts: &mut http::request::Parts,
    body: &[u8],
    params: &SigningParams<'_>,
) -> Result<(), SigningError> {
    sign(
        &SignableRequest::from_parts(parts),
        body,
        params,
        &SigningSettings::DEFAULT,
    )?
    .apply_to(parts)
}

/// [`sign_request`] with other settings; returns what it computed.
pub fn sign_request_with(
    parts: &mut http::request::Parts,
    body: &[u8],
    params: &SigningParams<'_>,
    settings: &SigningSettings,
) -> Result<SigningOutput, SigningError> {
    let output = sign(&SignableRequest::from_parts(parts), body, params, settings)?;
    apply(output.headers.clone(), None, parts)?;
    Ok(output)
}

/// Presigns `parts` in place: adds `X-Amz-Algorithm`, `X-Amz-Credential`,
/// `X-Amz-Date`, `X-Amz-SignedHeaders`, `X-Amz-Expires`,
/// `X-Amz-Security-Token` (with a session token) and `X-Amz-Signature` to
/// its query, so that the URL alone authenticates for `expires_in` (AWS
/// accepts up to seven days). The payload hash is computed as
/// [`sign_request`] does.
pub fn presign_request(
    parts: &mut http::request::Parts,
    body: &[u8],
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<(), SigningError> {
    let request = SignableRequest::from_parts(parts);
    presign(
        &request,
        body,
        params,
        &SigningSettings::DEFAULT,
        expires_in,
    )?
    .apply_to(parts)
}

/// Checks what goes into the credential scope and `Authorization`.
fn check_params(params: &SigningParams<'_>) -> Result<(), SigningError> {
    for (param, value) in [
        ("access_key_id", params.access_key_id),
        ("region", params.region),
        ("service", params.service),
    ] {
        let ok = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        if !ok {
            return Err(SigningError::InvalidParam { param });
        }
    }
    Ok(())
}

/// What header and query signing share: the time, the payload hash, the
/// host, and the request's own headers to sign.
struct Prepared<'a> {
    amz_date: String,
    scope: String,
    payload_hash: Cow<'a, str>,
    /// The host taken from the URI, when there is no `host` header.
    added_host: Option<&'a str>,
    headers: Vec<CanonicalHeader<'a>>,
}

fn prepare<'a>(
    request: &SignableRequest<'a>,
    body: &[u8],
    params: &SigningParams<'_>,
    skip: impl Fn(&str) -> bool,
) -> Result<Prepared<'a>, SigningError> {
    check_params(params)?;
    let amz_date = time::format_amz_date(params.time)?;
    let mut scope = String::with_capacity(40 + params.region.len() + params.service.len());
    scope.push_str(&amz_date[..8]);
    scope.push('/');
    scope.push_str(params.region);
    scope.push('/');
    scope.push_str(params.service);
    scope.push_str("/aws4_request");
    let map = request.headers;
    let payload_hash = match map.get(X_AMZ_CONTENT_SHA256) {
        Some(value) => {
            Cow::Borrowed(
                value
                    .to_str()
                    .map_err(|_| SigningError::InvalidHeaderValue {
                        name: X_AMZ_CONTENT_SHA256.to_owned(),
                    })?,
            )
        }
        None => Cow::Owned(crypto::sha256_hex(body)),
    };
    let added_host = if map.contains_key(HOST) {
        None
    } else {
        Some(request.default_host.ok_or(SigningError::MissingHost)?)
    };
    let mut headers = Vec::with_capacity(map.keys_len() + 4);
    for key in map.keys() {
        let name = key.as_str();
        if UNSIGNED_HEADERS.contains(&name) || skip(name) {
            continue;
        }
        let values = map.get_all(key);
        if values
            .iter()
            .any(|v| std::str::from_utf8(v.as_bytes()).is_err())
        {
            return Err(SigningError::InvalidHeaderValue {
                name: name.to_owned(),
            });
        }
        headers.push(CanonicalHeader {
            name,
            values: HeaderValues::All(values),
        });
    }
    if let Some(host) = added_host {
        headers.push(CanonicalHeader {
            name: HOST.as_str(),
            values: HeaderValues::One(host.as_bytes()),
        });
    }
    Ok(Prepared {
        amz_date,
        scope,
        payload_hash,
        added_host,
        headers,
    })
}

/// Sorts `headers` and joins their names.
fn signed_headers(headers: &mut [CanonicalHeader<'_>]) -> String {
    headers.sort_unstable_by(|a, b| a.name.cmp(b.name));
    let mut out = String::with_capacity(headers.iter().map(|h| h.name.len() + 1).sum());
    for (i, header) in headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(header.name);
    }
    out
}

fn header_value(name: &str, value: String) -> Result<HeaderValue, SigningError> {
    HeaderValue::try_from(value).map_err(|_| SigningError::InvalidHeaderValue {
        name: name.to_owned(),
    })
}

/// The canonical request, string to sign and signature.
fn compute(
    parts: &canonical::Parts<'_>,
    amz_date: &str,
    scope: &str,
    params: &SigningParams<'_>,
) -> (String, String, String) {
    let mut creq = Vec::with_capacity(512);
    canonical::write(&mut creq, parts);
    let sts = string_to_sign(amz_date, scope, &creq);
    let key = crypto::signing_key(
        params.secret_access_key,
        &amz_date[..8],
        params.region,
        params.service,
    );
    let signature = key.sign(sts.as_bytes());
    // Method and path are `str`s and the signed header values were checked
    // to be UTF-8: the conversion never fails.
    let creq = String::from_utf8(creq)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (creq, sts, signature)
}

/// Signs `request` in the `Authorization` header, without changing it:
/// the output says which headers to set. See [`sign_request`].
pub fn sign(
    request: &SignableRequest<'_>,
    body: &[u8],
    params: &SigningParams<'_>,
    settings: &SigningSettings,
) -> Result<SigningOutput, SigningError> {
    let token = match params.session_token {
        Some(token) => {
            Some(HeaderValue::from_str(token).map_err(|_| SigningError::InvalidSessionToken)?)
        }
        None => None,
    };
    let omit_token = settings.omit_session_token;
    let has_token = token.is_some();
    // Headers the signer sets are signed with their new values.
    let Prepared {
        amz_date,
        scope,
        payload_hash,
        added_host,
        mut headers,
    } = prepare(request, body, params, |name| {
        name == X_AMZ_DATE || (name == X_AMZ_SECURITY_TOKEN && (has_token || omit_token))
    })?;
    let add_content_sha256 =
        settings.content_sha256_header && !request.headers.contains_key(X_AMZ_CONTENT_SHA256);
    headers.push(CanonicalHeader {
        name: X_AMZ_DATE,
        values: HeaderValues::One(amz_date.as_bytes()),
    });
    if add_content_sha256 {
        headers.push(CanonicalHeader {
            name: X_AMZ_CONTENT_SHA256,
            values: HeaderValues::One(payload_hash.as_bytes()),
        });
    }
    if let (Some(token), false) = (params.session_token, omit_token) {
        headers.push(CanonicalHeader {
            name: X_AMZ_SECURITY_TOKEN,
            values: HeaderValues::One(token.as_bytes()),
        });
    }
    let signed_headers = signed_headers(&mut headers);
    let (canonical_request, string_to_sign, signature) = compute(
        &canonical::Parts {
            method: request.method,
            path: request.path,
            query: request.query.unwrap_or(""),
            headers: &headers,
            signed_headers: &signed_headers,
            payload_hash: &payload_hash,
            style: settings.path_style(),
        },
        &amz_date,
        &scope,
        params,
    );

    let mut authorization = String::with_capacity(
        ALGORITHM.len()
            + 48
            + params.access_key_id.len()
            + scope.len()
            + signed_headers.len()
            + signature.len(),
    );
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(params.access_key_id);
    authorization.push('/');
    authorization.push_str(&scope);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(&signed_headers);
    authorization.push_str(", Signature=");
    authorization.push_str(&signature);

    drop(headers);
    let mut headers = Vec::with_capacity(5);
    if let Some(host) = added_host {
        headers.push((HOST, header_value(HOST.as_str(), host.to_owned())?));
    }
    let payload_hash = add_content_sha256.then(|| payload_hash.into_owned());
    headers.push((
        HeaderName::from_static(X_AMZ_DATE),
        header_value(X_AMZ_DATE, amz_date)?,
    ));
    if let Some(hash) = payload_hash {
        headers.push((
            HeaderName::from_static(X_AMZ_CONTENT_SHA256),
            header_value(X_AMZ_CONTENT_SHA256, hash)?,
        ));
    }
    if let Some(mut token) = token {
        token.set_sensitive(true);
        headers.push((HeaderName::from_static(X_AMZ_SECURITY_TOKEN), token));
    }
    let mut authorization = header_value(AUTHORIZATION.as_str(), authorization)?;
    authorization.set_sensitive(true);
    headers.push((AUTHORIZATION, authorization));
    Ok(SigningOutput {
        canonical_request,
        string_to_sign,
        signature,
        headers,
        query: None,
    })
}

/// Appends `&name=value` (or `name=value` to an empty `out`), `value`
/// URI-encoded.
fn push_param(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(name);
    out.push('=');
    out.push_str(&super::uri_encode(value, true));
}

/// Signs `request` in its query string (a presigned URL), valid for
/// `expires_in`, without changing it: the output has the new query (and
/// the `host` header to set when it was taken from the URI). See
/// [`presign_request`].
pub fn presign(
    request: &SignableRequest<'_>,
    body: &[u8],
    params: &SigningParams<'_>,
    settings: &SigningSettings,
    expires_in: Duration,
) -> Result<SigningOutput, SigningError> {
    if let Some(token) = params.session_token {
        HeaderValue::from_str(token).map_err(|_| SigningError::InvalidSessionToken)?;
    }
    let omit_token = settings.omit_session_token;
    let mut prepared = prepare(request, body, params, |name| {
        UNSIGNED_IN_QUERY.contains(&name) || (omit_token && name == X_AMZ_SECURITY_TOKEN)
    })?;
    let signed_headers = signed_headers(&mut prepared.headers);
    let mut credential =
        String::with_capacity(params.access_key_id.len() + 1 + prepared.scope.len());
    credential.push_str(params.access_key_id);
    credential.push('/');
    credential.push_str(&prepared.scope);

    // The request's own parameters, then ours in the order the AWS SDKs
    // write them.
    let mut query = request.query.unwrap_or("").to_owned();
    push_param(&mut query, "X-Amz-Algorithm", ALGORITHM);
    push_param(&mut query, "X-Amz-Credential", &credential);
    push_param(&mut query, "X-Amz-Date", &prepared.amz_date);
    push_param(&mut query, "X-Amz-SignedHeaders", &signed_headers);
    push_param(
        &mut query,
        "X-Amz-Expires",
        &expires_in.as_secs().to_string(),
    );
    let unsigned_len = query.len();
    if let Some(token) = params.session_token {
        push_param(&mut query, "X-Amz-Security-Token", token);
    }
    let signed_query = if omit_token {
        &query[..unsigned_len]
    } else {
        &query[..]
    };
    let (canonical_request, string_to_sign, signature) = compute(
        &canonical::Parts {
            method: request.method,
            path: request.path,
            query: signed_query,
            headers: &prepared.headers,
            signed_headers: &signed_headers,
            payload_hash: &prepared.payload_hash,
            style: settings.path_style(),
        },
        &prepared.amz_date,
        &prepared.scope,
        params,
    );
    push_param(&mut query, "X-Amz-Signature", &signature);
    let mut headers = Vec::new();
    if let Some(host) = prepared.added_host {
        headers.push((HOST, header_value(HOST.as_str(), host.to_owned())?));
    }
    Ok(SigningOutput {
        canonical_request,
        string_to_sign,
        signature,
        headers,
        query: Some(query),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "session/token+secret==";

    fn params(token: Option<&'static str>) -> SigningParams<'static> {
        SigningParams {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: SECRET,
            session_token: token,
            region: "us-east-1",
            service: "service",
            time: UNIX_EPOCH + Duration::from_secs(1_440_938_160),
        }
    }

    fn parts(uri: &str) -> http::request::Parts {
        http::Request::get(uri).body(()).unwrap().into_parts().0
    }

    #[test]
    fn signs_the_vanilla_case_and_sets_the_host() {
        let mut p = parts("https://example.amazonaws.com:443/");
        sign_request(&mut p, b"", &params(None)).unwrap();
        assert_eq!(p.headers["host"], "example.amazonaws.com");
        assert_eq!(p.headers["x-amz-date"], "20150830T123600Z");
        assert_eq!(
            p.headers["authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert!(p.headers["authorization"].is_sensitive());
        // Signing again (a retry) gives the same headers, not more.
        sign_request(&mut p, b"", &params(None)).unwrap();
        assert_eq!(p.headers.len(), 3);
        // Other ports and user information.
        let mut p = parts("http://user:pw@localhost:8080/");
        sign_request(&mut p, b"", &params(None)).unwrap();
        assert_eq!(p.headers["host"], "localhost:8080");
        let mut p = parts("http://[::1]:80/");
        sign_request(&mut p, b"", &params(None)).unwrap();
        assert_eq!(p.headers["host"], "[::1]");
    }

    #[test]
    fn signs_and_sets_the_session_token() {
        let mut p = parts("https://example.amazonaws.com/");
        let out = sign_request_with(&mut p, b"", &params(Some(TOKEN)), &SigningSettings::DEFAULT)
            .unwrap();
        assert_eq!(p.headers["x-amz-security-token"], TOKEN);
        assert!(p.headers["x-amz-security-token"].is_sensitive());
        assert!(out.canonical_request().contains("x-amz-security-token:"));
        let mut settings = SigningSettings::DEFAULT;
        settings.omit_session_token = true;
        let mut p = parts("https://example.amazonaws.com/");
        let out = sign_request_with(&mut p, b"", &params(Some(TOKEN)), &settings).unwrap();
        assert_eq!(p.headers["x-amz-security-token"], TOKEN);
        assert!(!out.canonical_request().contains("x-amz-security-token"));
    }

    #[test]
    fn refuses_what_cannot_be_signed() {
        let mut p = parts("/");
        assert_eq!(
            sign_request(&mut p, b"", &params(None)),
            Err(SigningError::MissingHost)
        );
        let mut p = parts("https://example.amazonaws.com/");
        p.headers
            .insert("x-custom", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        let err = sign_request(&mut p, b"", &params(None)).unwrap_err();
        assert_eq!(
            err,
            SigningError::InvalidHeaderValue {
                name: "x-custom".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "the value of header `x-custom` is not UTF-8 text"
        );
        // Not signed, so not checked.
        p.headers.remove("x-custom");
        p.headers
            .insert("user-agent", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        assert!(sign_request(&mut p, b"", &params(None)).is_ok());

        let mut p = parts("https://example.amazonaws.com/");
        let err = sign_request(&mut p, b"", &params(Some("line\nbreak secret"))).unwrap_err();
        assert_eq!(err, SigningError::InvalidSessionToken);
        assert!(!err.to_string().contains("secret"));
        for (param, bad) in [
            ("access_key_id", ""),
            ("region", "us/east"),
            ("service", "a b"),
        ] {
            let mut params = params(None);
            match param {
                "access_key_id" => params.access_key_id = bad,
                "region" => params.region = bad,
                _ => params.service = bad,
            }
            assert_eq!(
                sign_request(&mut p, b"", &params),
                Err(SigningError::InvalidParam { param })
            );
        }
        let mut early = params(None);
        early.time = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(
            sign_request(&mut p, b"", &early),
            Err(SigningError::InvalidTime)
        );
        let mut late = params(None);
        late.time = UNIX_EPOCH + Duration::from_secs(400_000_000_000);
        assert_eq!(
            sign_request(&mut p, b"", &late),
            Err(SigningError::InvalidTime)
        );
        assert!(!p.headers.contains_key("authorization"));
    }

    #[test]
    fn debug_shows_no_secret() {
        let params = params(Some(TOKEN));
        let text = format!("{params:?}");
        assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
        let mut p = parts("https://example.amazonaws.com/");
        p.headers
            .insert("x-secret-header", "hunter2".parse().unwrap());
        let request = SignableRequest::from_parts(&p);
        let text = format!("{request:?}");
        assert!(
            text.contains("x-secret-header") && !text.contains("hunter2"),
            "{text}"
        );
        let out = sign(&request, b"", &params, &SigningSettings::DEFAULT).unwrap();
        let text = format!("{out:?}");
        assert!(!text.contains(TOKEN) && !text.contains("hunter2"), "{text}");
        assert!(text.contains(out.signature()), "{text}");
    }

    #[test]
    fn presigns() {
        let mut p = parts("https://example.amazonaws.com/x?a=1");
        presign_request(&mut p, b"", &params(Some(TOKEN)), Duration::from_secs(60)).unwrap();
        let query = p.uri.query().unwrap();
        assert!(query.starts_with("a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=60&X-Amz-Security-Token=session%2Ftoken%2Bsecret%3D%3D&X-Amz-Signature="), "{query}");
        assert_eq!(p.headers["host"], "example.amazonaws.com");
        assert!(!p.headers.contains_key("authorization"));
    }
}
