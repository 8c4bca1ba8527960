//! `smithy_rt::sigv4` against the AWS signing test suite and against the
//! AWS SDK for Rust's own signer (`aws-sigv4`).
//!
//! The suite is found at `$SIGV4_TEST_SUITE`, or at
//! `../../shared/sigv4-test-suite` from this crate (see its README).
//!
//! # How a case's path maps to the path on the wire
//!
//! Every expected canonical path in the suite is the case's path, as the
//! signer receives it, normalized when `normalize` is set and then
//! URI-encoded exactly once: `@` becomes `%40` and `%3D` becomes `%253D`
//! (the old-format cases `double-encode-path` and `double-url-encode`),
//! the raw `ሴ` of `get-utf8` becomes `%E1%88%B4`, and the raw space of
//! `get-space-*` becomes `%20`. So the path in a case's files *is* the path
//! on the wire, verbatim (raw spaces and UTF-8 included, as aws-c-auth sends
//! them), and the signer's "encode the wire path once more" rule (double
//! encoding) reproduces every expected canonical path; no case wants a
//! decoding step. (A real client would send a space as `%20`, which every
//! service but S3 then signs as `%2520`; the suite simply has a raw space
//! on its wire.)
//!
//! The wire path is read from the case's signed request
//! (`header-signed-request.txt`), which is the request as sent. Its
//! `request.txt` has the same path in 39 of the 40 folders; in
//! `get-space-normalized` it writes the raw space as `%20` (so that HTTP
//! parsers accept the line), while its signed requests, its expected
//! canonical path (`/example%20space/`, not `%2520`) and its
//! `get-space-unnormalized` twin all have the raw space. The test checks
//! that this is the only kind of difference.
//!
//! An `http::Uri` holds raw UTF-8 but not a raw space: the two
//! `get-space-*` cases are signed through a hand-made [`SignableRequest`]
//! (the same signer, without `http::request::Parts`); every other case
//! through `sign_request`/`presign_request` on `http::request::Parts`.

#![cfg(feature = "sigv4")]

use smithy_rt::sigv4::{
    self, SignableRequest, SigningOutput, SigningParams, SigningSettings, UNSIGNED_HEADERS,
};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn suite_dir() -> PathBuf {
    match std::env::var_os("SIGV4_TEST_SUITE") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/sigv4-test-suite"),
    }
}

/// A request as a case file writes it.
#[derive(Debug, Clone, PartialEq)]
struct FileRequest {
    method: String,
    /// The request target: path and query, raw.
    target: String,
    /// Names as written, values with optional whitespace removed and
    /// folded lines unfolded (each fold becomes one space, RFC 9112 §5.2).
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl FileRequest {
    fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(p, _)| p)
    }

    fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn header_map(&self) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in &self.headers {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                http::HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    /// Lower-case names, sorted by name (values of one name in order).
    fn normalized_headers(&self) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        headers.sort_by(|a, b| a.0.cmp(&b.0));
        headers
    }
}

fn parse_request(text: &str) -> FileRequest {
    let text = text.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("a request line");
    // The target may hold raw spaces: the method ends at the first space,
    // the version starts after the last.
    let (method, rest) = request_line.split_once(' ').expect("a method");
    // `double-url-encode`'s signed request line has no version.
    let target = match rest.rsplit_once(' ') {
        Some((target, version)) if version.starts_with("HTTP/") => target,
        _ => rest,
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let (_, value) = headers.last_mut().expect("a header before a folded line");
            value.push(' ');
            value.push_str(line.trim_matches([' ', '\t']));
        } else if !line.is_empty() {
            let (name, value) = line.split_once(':').expect("name:value");
            headers.push((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()));
        }
    }
    FileRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

/// `request` with the headers that `output` sets, and its new query.
fn signed_request(request: &FileRequest, output: &SigningOutput) -> FileRequest {
    let mut map = request.header_map();
    for (name, value) in output.headers() {
        map.insert(name.clone(), value.clone());
    }
    let target = match output.query() {
        Some(query) => format!("{}?{query}", request.path()),
        None => request.target.clone(),
    };
    FileRequest {
        method: request.method.clone(),
        target,
        headers: map
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
            .collect(),
        body: request.body.clone(),
    }
}

/// Whether `signed` (ours) is `expected` (the file's), headers compared by
/// lower-case name, values of one name in order.
fn same_request(signed: &FileRequest, expected: &FileRequest) -> bool {
    signed.method == expected.method
        && signed.target == expected.target
        && signed.normalized_headers() == expected.normalized_headers()
        && signed.body == expected.body
}

fn read(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file)).ok()
}

/// A file's text as an expected value: the trailing newline some have is
/// not part of it (canonical requests end with the payload hash).
fn expected(dir: &Path, file: &str) -> String {
    read(dir, file)
        .unwrap_or_else(|| panic!("{}/{file} is missing", dir.display()))
        .trim_end_matches(['\n', '\r'])
        .to_owned()
}

fn parse_time(rfc3339: &str) -> SystemTime {
    // `2015-08-30T12:36:00Z` → `20150830T123600Z`.
    let compact: String = rfc3339.chars().filter(|c| *c != '-' && *c != ':').collect();
    amz_time(&compact)
}

fn amz_time(amz_date: &str) -> SystemTime {
    let secs = sigv4::parse_amz_date(amz_date).expect("a yyyyMMddTHHmmssZ date");
    UNIX_EPOCH + Duration::from_secs(secs as u64)
}

/// The case's wire path (see the module documentation): the signed
/// request's, checked against `request.txt`'s.
fn wire_path(request: &FileRequest, signed: &FileRequest) -> Result<String, String> {
    let file_path = request.path();
    let wire = signed.path();
    if file_path == wire || file_path == wire.replace(' ', "%20") {
        Ok(wire.to_owned())
    } else {
        Err(format!(
            "request.txt's path {file_path:?} is not the signed request's {wire:?}"
        ))
    }
}

/// The case's request with the wire path.
fn wire_request(request: &FileRequest, path: &str) -> FileRequest {
    let mut request = request.clone();
    request.target = match request.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    request
}

/// `request` as `http::request::Parts`, when an `http::Uri` can hold its
/// target.
fn to_parts(request: &FileRequest) -> Option<http::request::Parts> {
    let uri: http::Uri = request.target.parse().ok()?;
    let mut parts = http::Request::builder()
        .method(request.method.as_str())
        .uri(uri)
        .body(())
        .unwrap()
        .into_parts()
        .0;
    parts.headers = request.header_map();
    Some(parts)
}

fn from_parts(parts: &http::request::Parts, body: &[u8]) -> FileRequest {
    FileRequest {
        method: parts.method.to_string(),
        target: parts.uri.path_and_query().unwrap().to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
            .collect(),
        body: body.to_vec(),
    }
}

/// One signing of a case: what the signer computed, and the request it
/// made.
struct Signed {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    request: FileRequest,
}

/// Signs `request` in its headers (or, with `expires_in`, its query),
/// through `Parts` when the target fits an `http::Uri`.
fn sign_case(
    request: &FileRequest,
    params: &SigningParams<'_>,
    settings: &SigningSettings,
    expires_in: Option<Duration>,
) -> Signed {
    let output = match to_parts(request) {
        Some(parts) => {
            let signable = SignableRequest::from_parts(&parts);
            let output = match expires_in {
                None => sigv4::sign(&signable, &request.body, params, settings),
                Some(expires_in) => {
                    sigv4::presign(&signable, &request.body, params, settings, expires_in)
                }
            }
            .unwrap();
            // The entry points that change `Parts` (the client's) make the
            // same request.
            let mut changed = parts.clone();
            let default = *settings == SigningSettings::DEFAULT;
            match expires_in {
                None if default => sigv4::sign_request(&mut changed, &request.body, params),
                None => sigv4::sign_request_with(&mut changed, &request.body, params, settings)
                    .map(drop),
                Some(expires_in) if default => {
                    sigv4::presign_request(&mut changed, &request.body, params, expires_in)
                }
                Some(expires_in) => sigv4::presign(
                    &SignableRequest::from_parts(&parts),
                    &request.body,
                    params,
                    settings,
                    expires_in,
                )
                .and_then(|output| output.apply_to(&mut changed)),
            }
            .unwrap();
            assert!(same_request(
                &from_parts(&changed, &request.body),
                &signed_request(request, &output)
            ));
            output
        }
        None => {
            let headers = request.header_map();
            let signable = SignableRequest {
                method: &request.method,
                path: request.path(),
                query: request.query(),
                default_host: None,
                headers: &headers,
            };
            match expires_in {
                None => sigv4::sign(&signable, &request.body, params, settings),
                Some(expires_in) => {
                    sigv4::presign(&signable, &request.body, params, settings, expires_in)
                }
            }
            .unwrap()
        }
    };
    Signed {
        canonical_request: output.canonical_request().to_owned(),
        string_to_sign: output.string_to_sign().to_owned(),
        signature: output.signature().to_owned(),
        request: signed_request(request, &output),
    }
}

/// Compares one signing with a case's `<prefix>-*.txt` files; each
/// mismatch is a line of `failures`.
fn check(
    name: &str,
    dir: &Path,
    prefix: &str,
    signed: &Signed,
    failures: &mut Vec<String>,
) -> usize {
    let mut checks = 0;
    let mut compare = |what: &str, ours: &str, theirs: &str| {
        checks += 1;
        if ours != theirs {
            failures.push(format!(
                "{name} ({prefix}): {what} differs\n--- expected\n{theirs}\n--- ours\n{ours}\n"
            ));
        }
    };
    compare(
        "canonical request",
        &signed.canonical_request,
        &expected(dir, &format!("{prefix}-canonical-request.txt")),
    );
    compare(
        "string to sign",
        &signed.string_to_sign,
        &expected(dir, &format!("{prefix}-string-to-sign.txt")),
    );
    compare(
        "signature",
        &signed.signature,
        &expected(dir, &format!("{prefix}-signature.txt")),
    );
    let file = parse_request(&expected(dir, &format!("{prefix}-signed-request.txt")));
    checks += 1;
    if !same_request(&signed.request, &file) {
        failures.push(format!(
            "{name} ({prefix}): signed request differs\n--- expected\n{file:#?}\n--- ours\n{:#?}\n",
            signed.request
        ));
    }
    checks
}

/// A case in the current format (with `context.json`).
fn run_case(name: &str, dir: &Path, failures: &mut Vec<String>) -> usize {
    let context: serde_json::Value =
        serde_json::from_str(&read(dir, "context.json").unwrap()).unwrap();
    let credentials = &context["credentials"];
    let text = |v: &serde_json::Value| v.as_str().expect("a string").to_owned();
    let flag = |key: &str, default: bool| context[key].as_bool().unwrap_or(default);
    let access_key_id = text(&credentials["access_key_id"]);
    let secret = text(&credentials["secret_access_key"]);
    let token = credentials.get("token").map(text);
    let region = text(&context["region"]);
    let service = text(&context["service"]);
    let params = SigningParams {
        access_key_id: &access_key_id,
        secret_access_key: &secret,
        session_token: token.as_deref(),
        region: &region,
        service: &service,
        time: parse_time(&text(&context["timestamp"])),
    };
    let mut settings = SigningSettings::DEFAULT;
    settings.normalize_path = flag("normalize", true);
    settings.content_sha256_header = flag("sign_body", false);
    settings.omit_session_token = flag("omit_session_token", false);
    let expires_in = Duration::from_secs(context["expiration_in_seconds"].as_u64().unwrap());

    let request = parse_request(&read(dir, "request.txt").unwrap());
    let signed_file = parse_request(&expected(dir, "header-signed-request.txt"));
    let path = match wire_path(&request, &signed_file) {
        Ok(path) => path,
        Err(e) => {
            failures.push(format!("{name}: {e}"));
            return 1;
        }
    };
    let request = wire_request(&request, &path);
    let mut checks = 0;
    let signed = sign_case(&request, &params, &settings, None);
    checks += check(name, dir, "header", &signed, failures);
    let presigned = sign_case(&request, &params, &settings, Some(expires_in));
    checks += check(name, dir, "query", &presigned, failures);
    checks
}

/// The secrets of the old-format cases, which their files do not give: the
/// AWS SDK for Rust's public test credentials (`Credentials::for_tests`).
/// `double-url-encode`'s `AKIDEXAMPLE` signature was made with a secret
/// that is not the suite's usual example key, so its signature is not
/// compared; everything else is.
const OLD_FORMAT_SECRETS: &[(&str, &str)] = &[("ANOTREAL", "notrealrnrELgWzOk3IfjzDKtFBhDby")];

/// A case in the old format (`double-*`): no context; the signed request's
/// `Authorization` names the access key, date, region and service. The
/// canonical request was written at the time its own `x-amz-date` line
/// says (for `double-encode-path`, another time than its signed request's:
/// the signer sets `x-amz-date`), with the AWS SDK for Rust's default
/// settings, which are ours.
fn run_old_case(name: &str, dir: &Path, failures: &mut Vec<String>) -> usize {
    let request = parse_request(&read(dir, "request.txt").unwrap());
    let signed_file = parse_request(&expected(dir, "header-signed-request.txt"));
    let authorization = signed_file
        .header("authorization")
        .expect("an Authorization");
    let credential = authorization
        .split(", ")
        .find_map(|p| p.strip_prefix("AWS4-HMAC-SHA256 Credential="))
        .expect("a Credential");
    let [access_key_id, _date, region, service, "aws4_request"] =
        credential.split('/').collect::<Vec<_>>()[..]
    else {
        panic!("{name}: malformed Credential {credential}");
    };
    let secret = OLD_FORMAT_SECRETS
        .iter()
        .find(|(id, _)| *id == access_key_id)
        .map(|(_, secret)| *secret);
    let path = match wire_path(&request, &signed_file) {
        Ok(path) => path,
        Err(e) => {
            failures.push(format!("{name}: {e}"));
            return 1;
        }
    };
    let request = wire_request(&request, &path);
    let mut checks = 0;

    // The canonical request (and string to sign, when given), at the
    // canonical request's time.
    let expected_creq = expected(dir, "header-canonical-request.txt");
    let creq_date = expected_creq
        .lines()
        .find_map(|l| l.strip_prefix("x-amz-date:"))
        .expect("an x-amz-date line");
    let params = SigningParams {
        access_key_id,
        secret_access_key: secret.unwrap_or("unknown"),
        session_token: None,
        region,
        service,
        time: amz_time(creq_date),
    };
    let signed = sign_case(&request, &params, &SigningSettings::DEFAULT, None);
    checks += 1;
    if signed.canonical_request != expected_creq {
        failures.push(format!(
            "{name}: canonical request differs\n--- expected\n{expected_creq}\n--- ours\n{}\n",
            signed.canonical_request
        ));
    }
    if let Some(sts) = read(dir, "header-string-to-sign.txt") {
        checks += 1;
        if signed.string_to_sign != sts.trim_end() {
            failures.push(format!(
                "{name}: string to sign differs\n--- expected\n{sts}\n--- ours\n{}\n",
                signed.string_to_sign
            ));
        }
    }

    // The signed request, at its own time; its signature only when the
    // secret is known.
    let signed_date = signed_file.header("x-amz-date").expect("an X-Amz-Date");
    let params = SigningParams {
        time: amz_time(signed_date),
        ..params
    };
    let mut signed = sign_case(&request, &params, &SigningSettings::DEFAULT, None).request;
    let mut expected_request = signed_file.clone();
    if secret.is_none() {
        let mask = |r: &mut FileRequest| {
            for (n, v) in &mut r.headers {
                if n.eq_ignore_ascii_case("authorization") {
                    let (head, signature) = v.rsplit_once("Signature=").unwrap();
                    assert!(
                        signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit())
                    );
                    *v = format!("{head}Signature=(not compared)");
                }
            }
        };
        mask(&mut signed);
        mask(&mut expected_request);
    }
    checks += 1;
    if !same_request(&signed, &expected_request) {
        failures.push(format!(
            "{name}: signed request differs\n--- expected\n{expected_request:#?}\n--- ours\n{signed:#?}\n"
        ));
    }
    checks
}

#[test]
fn aws_signing_test_suite() {
    let root = suite_dir().join("v4");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("the SigV4 test suite is not at {}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    let (mut current, mut old, mut checks) = (0, 0, 0);
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if dir.join("context.json").exists() {
            current += 1;
            checks += run_case(&name, dir, &mut failures);
        } else {
            assert!(
                name.starts_with("double-"),
                "{name}: no context.json, and not one of the old-format cases"
            );
            old += 1;
            checks += run_old_case(&name, dir, &mut failures);
        }
    }
    println!(
        "{} cases ({current} current, {old} old-format), {checks} comparisons",
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(cases.len(), 40, "the suite has 40 case folders");
    assert_eq!((current, old), (38, 2));
    // Per current case: 4 header and 4 query comparisons; per old one: the
    // canonical request, the signed request, and the string to sign of
    // `double-url-encode`.
    assert_eq!(checks, 38 * 8 + 2 + 3);
}

// ---------------------------------------------------------------------------
// The differential test against `aws-sigv4`.
// ---------------------------------------------------------------------------

/// SplitMix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn text(&mut self, alphabet: &[&str], max: usize) -> String {
        let len = self.below(max + 1);
        (0..len).map(|_| self.pick(alphabet)).collect()
    }
}

const UNRESERVED: &[&str] = &["a", "Z", "0", "9", "-", ".", "_", "~", "q", "K"];
/// What a path may hold in an `http::Uri` besides unreserved characters
/// and escapes.
const PATH_OTHER: &[&str] = &[
    "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@", "%", "\"", "{", "}", "é", "ሴ",
];
const ESCAPES: &[&str] = &[
    "%20",
    "%2F",
    "%2f",
    "%3A",
    "%3a",
    "%25",
    "%7E",
    "%41",
    "%E1%88%B4",
    "%FF",
    "%zz",
    "%4",
    "%",
];
/// What a query may hold besides those.
const QUERY_OTHER: &[&str] = &[
    "!", "$", "'", "(", ")", "*", "+", ",", ";", ":", "@", "/", "?", "{", "}", "|", "^", "é", "ሴ",
    "=",
];
const HEADER_NAMES: &[&str] = &[
    "accept",
    "content-type",
    "content-length",
    "x-amz-target",
    "x-amz-meta-a",
    "x-amz-user-agent",
    "x-custom",
    "X-Mixed-Case",
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "connection",
    "transfer-encoding",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "authorization",
    "x-amz-date",
];
const HEADER_VALUE: &[&str] = &[
    "a", "b", "Z", "0", " ", " ", "  ", "   ", "-", ",", ";", "=", "\"", "/", ":", "(", "{", "~",
    "%",
];

fn generate(rng: &mut Rng) -> (http::request::Parts, Vec<u8>) {
    let method = rng.pick(&["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]);
    let authority = rng.pick(&[
        "https://example.amazonaws.com",
        "https://example.amazonaws.com:443",
        "http://localhost:8080",
        "http://127.0.0.1:80",
        "https://pca-connector-scep.us-east-1.amazonaws.com",
    ]);
    let mut path = String::new();
    for _ in 0..rng.below(5) {
        path.push('/');
        match rng.below(10) {
            0 => path.push('.'),
            1 => path.push_str(".."),
            2 => {}
            _ => {
                for _ in 0..rng.below(8) {
                    let piece = match rng.below(4) {
                        0 => rng.pick(PATH_OTHER),
                        1 => rng.pick(ESCAPES),
                        _ => rng.pick(UNRESERVED),
                    };
                    path.push_str(piece);
                }
            }
        }
    }
    if path.is_empty() || rng.chance(15) {
        path.push('/');
    }
    let mut uri = format!("{authority}{path}");
    if rng.chance(60) {
        uri.push('?');
        let keys = ["a", "b", "Param", "param", "x-id", "", "ሴ", "k%20", "a+b"];
        for i in 0..rng.below(6) {
            if i > 0 {
                uri.push('&');
            }
            if rng.chance(10) {
                continue; // an empty pair
            }
            if rng.chance(60) {
                uri.push_str(rng.pick(&keys));
            } else {
                uri.push_str(&rng.text(UNRESERVED, 4));
            }
            if rng.chance(80) {
                uri.push('=');
                for _ in 0..rng.below(8) {
                    let piece = match rng.below(4) {
                        0 => rng.pick(QUERY_OTHER),
                        1 => rng.pick(ESCAPES),
                        _ => rng.pick(UNRESERVED),
                    };
                    uri.push_str(piece);
                }
            }
        }
    }
    let mut builder = http::Request::builder().method(method).uri(&uri);
    if rng.chance(30) {
        let host = uri.split("//").nth(1).unwrap().split('/').next().unwrap();
        builder = builder.header("host", host);
    }
    let mut parts = builder.body(()).unwrap().into_parts().0;
    for _ in 0..rng.below(7) {
        let name = http::HeaderName::from_bytes(rng.pick(HEADER_NAMES).as_bytes()).unwrap();
        let value = if name == "x-amz-date" {
            "20000101T000000Z".to_owned()
        } else {
            rng.text(HEADER_VALUE, 16)
        };
        parts
            .headers
            .append(name, http::HeaderValue::from_str(&value).unwrap());
    }
    let body: Vec<u8> = match rng.below(3) {
        0 => Vec::new(),
        1 => br#"{"name":"connector","tags":{"a":"b"}}"#.to_vec(),
        _ => (0..rng.below(600)).map(|_| rng.next() as u8).collect(),
    };
    if rng.chance(10) {
        let value = if rng.chance(50) {
            sha256_hex(&body)
        } else {
            "UNSIGNED-PAYLOAD".to_owned()
        };
        parts
            .headers
            .insert("x-amz-content-sha256", value.parse().unwrap());
    }
    (parts, body)
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Credentials {
    access_key_id: String,
    secret: String,
    token: Option<String>,
    region: &'static str,
    service: &'static str,
    time: SystemTime,
}

fn credentials(rng: &mut Rng) -> Credentials {
    const KEY: &[&str] = &["A", "K", "I", "D", "Q", "7", "2"];
    const SECRET: &[&str] = &["a", "B", "c", "/", "+", "9", "x", "Y"];
    const TOKEN: &[&str] = &["A", "z", "/", "+", "=", "0", "Q", "w"];
    Credentials {
        access_key_id: format!("AKIA{}", rng.text(KEY, 16)),
        secret: rng.text(SECRET, 60),
        token: rng.chance(40).then(|| format!("T{}", rng.text(TOKEN, 300))),
        region: rng.pick(&["us-east-1", "eu-west-3", "ap-southeast-2"]),
        service: rng.pick(&["pca-connector-scep", "service", "lambda"]),
        // 1970 to 2100.
        time: UNIX_EPOCH + Duration::from_secs(rng.next() % 4_102_444_800),
    }
}

/// What `aws-sigv4` makes of `parts`: the signed request (header signing)
/// or the presigned one, and the signature.
fn aws_sign(
    parts: &http::request::Parts,
    body: &[u8],
    creds: &Credentials,
    expires_in: Option<Duration>,
) -> (http::Request<()>, String) {
    use aws_sigv4::http_request::{
        SignableBody, SignableRequest as AwsRequest, SignatureLocation,
        SigningSettings as AwsSettings,
    };
    let identity = aws_credential_types::Credentials::new(
        &creds.access_key_id,
        &creds.secret,
        creds.token.clone(),
        None,
        "differential",
    )
    .into();
    // The defaults are double encoding, path normalization, no
    // x-amz-content-sha256 and the session token signed: ours.
    let mut settings = AwsSettings::default();
    settings.excluded_headers = Some(UNSIGNED_HEADERS.iter().map(|h| Cow::Borrowed(*h)).collect());
    if let Some(expires_in) = expires_in {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(expires_in);
    }
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(creds.region)
        .name(creds.service)
        .time(creds.time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let body = match parts.headers.get("x-amz-content-sha256") {
        Some(hash) => SignableBody::Precomputed(hash.to_str().unwrap().to_owned()),
        None => SignableBody::Bytes(body),
    };
    let request = AwsRequest::new(
        parts.method.as_str(),
        parts.uri.to_string(),
        parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap())),
        body,
    )
    .unwrap();
    let (instructions, signature) = aws_sigv4::http_request::sign(request, &params)
        .unwrap()
        .into_parts();
    let mut signed = http::Request::from_parts(parts.clone(), ());
    instructions.apply_to_request_http1x(&mut signed);
    (signed, signature)
}

#[test]
fn differential_against_aws_sigv4() {
    const REQUESTS: usize = 6000;
    let mut rng = Rng(0x5167_7634_2024_0001);
    let mut presigned = 0;
    let mut with_query = 0;
    let mut with_token = 0;
    let mut with_body = 0;
    for i in 0..REQUESTS {
        let (parts, body) = generate(&mut rng);
        let creds = credentials(&mut rng);
        let params = SigningParams {
            access_key_id: &creds.access_key_id,
            secret_access_key: &creds.secret,
            session_token: creds.token.as_deref(),
            region: creds.region,
            service: creds.service,
            time: creds.time,
        };
        with_query += usize::from(parts.uri.query().is_some());
        with_token += usize::from(creds.token.is_some());
        with_body += usize::from(!body.is_empty());
        let context = || {
            format!(
                "request {i}: {} {} {:?} body {} bytes, token {}",
                parts.method,
                parts.uri,
                parts.headers,
                body.len(),
                creds.token.is_some()
            )
        };

        let mut ours = parts.clone();
        sigv4::sign_request(&mut ours, &body, &params)
            .unwrap_or_else(|e| panic!("{e}: {}", context()));
        let (theirs, _) = aws_sign(&parts, &body, &creds, None);
        for header in ["authorization", "x-amz-date", "x-amz-security-token"] {
            assert_eq!(
                ours.headers.get(header).map(|v| v.as_bytes()),
                theirs.headers().get(header).map(|v| v.as_bytes()),
                "{header} of {}",
                context()
            );
        }

        if i % 4 == 0 {
            presigned += 1;
            let expires_in = Duration::from_secs(1 + rng.next() % 604_800);
            let output = sigv4::presign(
                &SignableRequest::from_parts(&parts),
                &body,
                &params,
                &SigningSettings::DEFAULT,
                expires_in,
            )
            .unwrap();
            let (theirs, signature) = aws_sign(&parts, &body, &creds, Some(expires_in));
            assert_eq!(output.signature(), signature, "presigned {}", context());
            // The same parameters, whatever their encoding.
            let params_of = |query: &str| {
                let mut pairs: Vec<(String, String)> = query
                    .split('&')
                    .filter(|p| p.starts_with("X-Amz-"))
                    .map(|p| {
                        let (k, v) = p.split_once('=').unwrap();
                        (k.to_owned(), percent_decode(v))
                    })
                    .collect();
                pairs.sort();
                pairs
            };
            assert_eq!(
                params_of(output.query().unwrap()),
                params_of(theirs.uri().query().unwrap()),
                "presigned {}",
                context()
            );
        }
    }
    println!(
        "{REQUESTS} requests signed in headers, {presigned} presigned; {with_query} with a query, {with_token} with a session token, {with_body} with a body"
    );
    assert!(with_query > REQUESTS / 2 && with_token > REQUESTS / 4 && with_body > REQUESTS / 2);
}

fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let mut rest = s.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        let escaped = (b == b'%')
            .then(|| tail.get(..2))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                rest = &tail[2..];
            }
            None => {
                out.push(b);
                rest = tail;
            }
        }
    }
    String::from_utf8(out).unwrap()
}
