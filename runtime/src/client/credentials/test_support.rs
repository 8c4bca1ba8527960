//! What the providers' tests share: secrets that must never be printed,
//! shared files in a temporary directory, and a fake transport that
//! records each request and answers it from a closure.

use super::CredentialsError;
use crate::client::env::Env;
use crate::client::env::tests::TempDir;
use crate::client::transport::{self, HttpTransport};
use bytes::Bytes;
use std::sync::{Arc, Mutex};

pub(crate) const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub(crate) const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";

pub(crate) fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

pub(crate) fn assert_error_has_no_secret(e: &CredentialsError) {
    assert_no_secret(&e.to_string());
    assert_no_secret(&format!("{e:?}"));
}

pub(crate) fn env(vars: &[(&str, &str)]) -> Env {
    Env::from_vars(vars.iter().copied())
}

/// Writes the shared files and returns the variables that point at
/// them, plus `extra`.
pub(crate) fn shared_files(
    dir: &TempDir,
    config: &str,
    credentials: &str,
    extra: &[(&str, &str)],
) -> Env {
    let c = dir.write("config", config);
    let k = dir.write("credentials", credentials);
    let mut vars = vec![
        ("AWS_CONFIG_FILE".to_owned(), c.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            k.display().to_string(),
        ),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

/// A request as the fake transport saw it.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub(crate) method: String,
    pub(crate) uri: String,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: String,
}

impl Seen {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A transport answering each request with `answer(&request)`'s status
/// and body, and the requests it saw.
pub(crate) fn fake(
    answer: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static,
) -> (Arc<dyn HttpTransport>, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let t = transport::from_fn(move |request: http::Request<Bytes>| {
        let s = Seen {
            method: request.method().to_string(),
            uri: request.uri().to_string(),
            headers: request.headers().clone(),
            body: String::from_utf8_lossy(request.body()).into_owned(),
        };
        let (status, body) = answer(&s);
        log.lock().unwrap().push(s);
        let response = http::Response::builder()
            .status(status)
            .body(Bytes::from(body))
            .unwrap();
        async move { Ok(response) }
    });
    (Arc::new(t), seen)
}

/// A transport whose every request fails to connect.
pub(crate) fn unreachable() -> Arc<dyn HttpTransport> {
    Arc::new(transport::from_fn(|_| async {
        Err(transport::TransportError::new(
            transport::TransportErrorKind::Connect,
            "connection refused",
        ))
    }))
}

/// An RFC 3339 time `secs` seconds from now.
pub(crate) fn in_secs(secs: i64) -> String {
    let now = crate::DateTime::now().secs();
    crate::DateTime::from_secs(now + secs).to_string()
}
