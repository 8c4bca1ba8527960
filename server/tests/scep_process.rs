//! SCEP through the server binary over loopback HTTP: the `Endpoint` that
//! `GetConnector` returns enrolls devices, oversized bodies are refused, and
//! the CA key and issued serial numbers survive `kill -9`.

use der::{Decode as _, Encode as _};
use pca_connector_scep_server::scep::crypto::{Cipher, Digest};
use pca_connector_scep_server::scep::message::{MessageType, PkiStatus};
use pca_connector_scep_server::scep::requester::{Requester, generate_key};
use pca_connector_scep_server::store::Store;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use x509_cert::Certificate;

const CA_ARN: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

struct Server {
    child: Child,
    host: String,
}

impl Server {
    fn start(data_dir: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--no-auth",
                "--create-delay-ms",
                "0",
            ])
            .arg("--data-dir")
            .arg(data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let host = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Self { child, host }
    }

    /// `(status, body)` of one request.
    fn request(
        &self,
        method: &str,
        target: &str,
        content_type: &str,
        body: &[u8],
    ) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.host).unwrap();
        let content_type = if body.is_empty() {
            String::new()
        } else {
            format!("Content-Type: {content_type}\r\n")
        };
        let head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\n{content_type}Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.host,
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (and close) before reading all of a body it
        // refuses.
        let _ = stream.write_all(body);
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        let split = out
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete response head");
        let head = String::from_utf8_lossy(&out[..split]).to_string();
        let status = head[9..12].parse().unwrap();
        let mut body = out[split + 4..].to_vec();
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            body = dechunk(&body);
        }
        (status, body)
    }

    /// A JSON API call; `Null` sends no body (as clients do for operations
    /// without body members).
    fn json(&self, method: &str, target: &str, body: serde_json::Value) -> serde_json::Value {
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        let (status, out) = self.request(method, target, "application/json", &bytes);
        assert!(
            (200..300).contains(&status),
            "{status} {}",
            String::from_utf8_lossy(&out)
        );
        if out.is_empty() {
            return serde_json::Value::Null;
        }
        serde_json::from_slice(&out).unwrap()
    }

    fn kill9(mut self) {
        // SIGKILL: no shutdown code runs.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

/// The path of a connector's `Endpoint` on this server, and a challenge
/// password, both made through the API.
fn connector_with_challenge(server: &Server) -> (String, String) {
    let arn = server.json(
        "POST",
        "/connectors",
        serde_json::json!({ "CertificateAuthorityArn": CA_ARN }),
    )["ConnectorArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let encoded = arn.replace(':', "%3A").replace('/', "%2F");
    let connector = server.json(
        "GET",
        &format!("/connectors/{encoded}"),
        serde_json::Value::Null,
    );
    let endpoint = connector["Connector"]["Endpoint"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = endpoint
        .strip_prefix(&format!("http://{}", server.host))
        .unwrap_or_else(|| panic!("{endpoint} is on the server's address"))
        .to_owned();
    let password = server.json(
        "POST",
        "/challenges",
        serde_json::json!({ "ConnectorArn": arn }),
    )["Challenge"]["Password"]
        .as_str()
        .unwrap()
        .to_owned();
    (path, password)
}

fn ca_certificate(server: &Server, endpoint: &str) -> Certificate {
    let (status, body) = server.request(
        "GET",
        &format!("{endpoint}?operation=GetCACert"),
        "text/plain",
        b"",
    );
    assert_eq!(status, 200);
    Certificate::from_der(&body).unwrap()
}

/// Enrolls a new device; returns its certificate's serial number (hex).
fn enroll(
    server: &Server,
    endpoint: &str,
    ca: &Certificate,
    device: &Requester,
    password: &str,
    n: u32,
) -> String {
    let csr = device
        .certificate_request(&format!("CN=device-{n}"), Some(password))
        .unwrap();
    let (der, _) = device
        .pki_message(
            ca,
            MessageType::PkcsReq,
            &format!("tx-{n}"),
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    let (status, body) = server.request(
        "POST",
        &format!("{endpoint}?operation=PKIOperation"),
        "application/x-pki-message",
        &der,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let reply = device.read_reply(&body, ca).unwrap();
    assert_eq!(reply.status, Some(PkiStatus::Success), "{reply:?}");
    let cert = reply.certificate.unwrap();
    pca_connector_scep_server::scep::ca::serial_hex(&cert.tbs_certificate.serial_number)
}

#[test]
fn the_endpoint_enrolls_and_the_ca_and_serials_survive_kill_9() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scep-durability");
    let _ = std::fs::remove_dir_all(&dir);
    let device = Requester::self_signed(generate_key(2048).unwrap(), "CN=device").unwrap();

    let server = Server::start(&dir);
    let (endpoint, password) = connector_with_challenge(&server);
    assert!(endpoint.starts_with("/scep/"), "{endpoint}");
    let (status, caps) = server.request(
        "GET",
        &format!("{endpoint}?operation=GetCACaps"),
        "text/plain",
        b"",
    );
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&caps).contains("POSTPKIOperation"));
    let ca = ca_certificate(&server, &endpoint);
    let first = [
        enroll(&server, &endpoint, &ca, &device, &password, 1),
        enroll(&server, &endpoint, &ca, &device, &password, 2),
    ];
    server.kill9();

    let server = Server::start(&dir);
    assert_eq!(
        ca_certificate(&server, &endpoint),
        ca,
        "the same CA after kill -9"
    );
    let third = enroll(&server, &endpoint, &ca, &device, &password, 3);
    assert!(
        !first.contains(&third),
        "serial {third} was not reused: {first:?}"
    );
    server.kill9();

    let store = Store::open(&dir).unwrap();
    let rows = store.transaction(|tx| tx.certificates(CA_ARN)).unwrap();
    let serials: Vec<&str> = rows.iter().map(|r| r.serial.as_str()).collect();
    assert_eq!(
        serials,
        [first[0].as_str(), first[1].as_str(), third.as_str()]
    );
    for row in &rows {
        let cert = Certificate::from_der(&row.certificate_der).unwrap();
        assert_eq!(cert.tbs_certificate.issuer, ca.tbs_certificate.subject);
        assert_eq!(cert.to_der().unwrap(), row.certificate_der);
    }
}

#[test]
fn oversized_bodies_are_refused_before_anything_is_read_into_a_message() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scep-oversized");
    let _ = std::fs::remove_dir_all(&dir);
    let server = Server::start(&dir);
    let (endpoint, _) = connector_with_challenge(&server);
    let big = vec![0x30u8; pca_connector_scep_server::scep::MAX_MESSAGE_BYTES + 1];
    let (status, body) = server.request(
        "POST",
        &format!("{endpoint}?operation=PKIOperation"),
        "application/x-pki-message",
        &big,
    );
    assert_eq!(status, 413, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("larger than"));
    // Unsigned SCEP requests never reach the AWS API: SigV4 is not asked
    // for, and the API's routes are not SCEP's.
    let (status, _) = server.request("GET", "/scep/?operation=GetCACaps", "text/plain", b"");
    assert_eq!(status, 404);
    // The server is still serving.
    let (status, _) = server.request(
        "GET",
        &format!("{endpoint}?operation=GetCACaps"),
        "text/plain",
        b"",
    );
    assert_eq!(status, 200);
    server.kill9();
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.transaction(|tx| tx.certificate_count()).unwrap(), 0);
}
