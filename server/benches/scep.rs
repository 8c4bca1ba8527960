//! SCEP enrollments per second, side by side in one run: this server (the
//! release binary, `--no-auth`) and micromdm's `scepserver` from Debian's
//! `scep` package, both with a 2048-bit RSA CA, doing the same enrollments.
//!
//! `cargo bench -p pca-connector-scep-server --bench scep`
//!
//! Each iteration is one enrollment over a new loopback connection: a
//! `PKCSReq` (SHA-256, AES-128-CBC, a fresh 2048-bit-key CSR with a unique
//! subject and a challenge password) is POSTed, and the `CertRep` is read
//! and its signature and `pkiStatus` SUCCESS checked. Building the request
//! is done outside the timed part. Enrollments per second = 1 / time per
//! iteration. Without `scepserver` on PATH, only this server is measured.

use pca_connector_scep_server::scep::crypto::{Cipher, Digest};
use pca_connector_scep_server::scep::message::{self, MessageType, PkiStatus};
use pca_connector_scep_server::scep::requester::{Requester, generate_key};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use x509_cert::Certificate;

const CA_ARN: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
const MICROMDM_CHALLENGE: &str = "bench-challenge";

/// Processes to stop when the benchmarks end.
static CHILDREN: Mutex<Vec<Child>> = Mutex::new(Vec::new());

fn main() {
    divan::main();
    for mut child in CHILDREN.lock().unwrap().drain(..) {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A SCEP server under test: where to POST, its CA, and the challenge.
struct Target {
    host: String,
    path: String,
    ca: Certificate,
    challenge: String,
}

/// `(status, body)` of one request on a new connection.
fn http(host: &str, method: &str, target: &str, content_type: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_nodelay(true).unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    let end = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = std::str::from_utf8(&out[9..12]).unwrap().parse().unwrap();
    let head = String::from_utf8_lossy(&out[..end]).to_ascii_lowercase();
    let body = &out[end + 4..];
    if head.contains("transfer-encoding: chunked") {
        (status, dechunk(body))
    } else {
        (status, body.to_vec())
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = std::str::from_utf8(&body[..line]).unwrap().trim();
        let size = usize::from_str_radix(size, 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line + 2..line + 2 + size]);
        body = &body[line + 2 + size + 2..];
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_listening(host: &str) {
    for _ in 0..200 {
        if TcpStream::connect(host).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("nothing listens on {host}");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scep-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn local() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let dir = scratch("local");
        let mut child = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
            .args(["--listen", "127.0.0.1:0", "--no-auth", "--create-delay-ms", "0"])
            .arg("--data-dir")
            .arg(dir.join("data"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        CHILDREN.lock().unwrap().push(child);
        let host = line.trim().strip_prefix("listening on http://").unwrap().to_owned();
        let json = |target: &str, body: serde_json::Value| -> serde_json::Value {
            let (status, out) = http(&host, "POST", target, "application/json", body.to_string().as_bytes());
            assert!((200..300).contains(&status));
            serde_json::from_slice(&out).unwrap()
        };
        let arn = json("/connectors", serde_json::json!({ "CertificateAuthorityArn": CA_ARN }))["ConnectorArn"]
            .as_str()
            .unwrap()
            .to_owned();
        let challenge = json("/challenges", serde_json::json!({ "ConnectorArn": arn }))["Challenge"]["Password"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/scep/{}", arn.rsplit('/').next().unwrap());
        let (status, ca) = http(&host, "GET", &format!("{path}?operation=GetCACert"), "text/plain", b"");
        assert_eq!(status, 200);
        Target {
            host,
            path,
            ca: der::Decode::from_der(&ca).unwrap(),
            challenge,
        }
    })
}

fn micromdm() -> Option<&'static Target> {
    static TARGET: OnceLock<Option<Target>> = OnceLock::new();
    TARGET
        .get_or_init(|| {
            let dir = scratch("micromdm");
            let depot = dir.join("depot");
            let init = Command::new("scepserver")
                .args(["ca", "-init", "-keySize", "2048", "-depot"])
                .arg(&depot)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .ok()?;
            assert!(init.success(), "scepserver ca -init failed");
            let port = free_port();
            let child = Command::new("scepserver")
                .args([
                    "-port",
                    &port.to_string(),
                    "-challenge",
                    MICROMDM_CHALLENGE,
                    "-allowrenew",
                    "0",
                    "-depot",
                ])
                .arg(&depot)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .ok()?;
            CHILDREN.lock().unwrap().push(child);
            let host = format!("127.0.0.1:{port}");
            wait_listening(&host);
            let (status, ca) = http(&host, "GET", "/scep?operation=GetCACert", "text/plain", b"");
            assert_eq!(status, 200);
            Some(Target {
                host,
                path: "/scep".into(),
                ca: der::Decode::from_der(&ca).unwrap(),
                challenge: MICROMDM_CHALLENGE.into(),
            })
        })
        .as_ref()
}

fn device() -> &'static Requester {
    static DEVICE: OnceLock<Requester> = OnceLock::new();
    DEVICE.get_or_init(|| {
        Requester::self_signed(generate_key(2048).unwrap(), "CN=bench device").unwrap()
    })
}

/// A PKCSReq for a new subject.
fn request(target: &Target) -> Vec<u8> {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let device = device();
    let subject = format!("CN=bench-{}-{n}", std::process::id());
    let csr = device
        .certificate_request(&subject, Some(&target.challenge))
        .unwrap();
    let (der, _) = device
        .pki_message(
            &target.ca,
            MessageType::PkcsReq,
            &format!("bench-{n}"),
            &csr,
            Digest::Sha256,
            Cipher::Aes128,
        )
        .unwrap();
    der
}

fn enroll(target: &Target, body: Vec<u8>) {
    let (status, reply) = http(
        &target.host,
        "POST",
        &format!("{}?operation=PKIOperation", target.path),
        "application/x-pki-message",
        &body,
    );
    assert_eq!(status, 200);
    let reply = message::parse(&reply).unwrap();
    assert!(reply.signature.is_ok());
    assert_eq!(
        reply.pki_status,
        Some(PkiStatus::Success),
        "{:?}",
        reply.fail_info
    );
}

#[divan::bench(sample_count = 100)]
fn enroll_this_server(bencher: divan::Bencher) {
    let target = local();
    bencher
        .with_inputs(|| request(target))
        .bench_local_values(|body| enroll(target, body));
}

#[divan::bench(sample_count = 100)]
fn enroll_micromdm_scepserver(bencher: divan::Bencher) {
    let Some(target) = micromdm() else {
        eprintln!("scepserver is not on PATH (apt-get install scep): skipped");
        return;
    };
    bencher
        .with_inputs(|| request(target))
        .bench_local_values(|body| enroll(target, body));
}

/// One RSA-2048 private-key operation (PKCS #1 v1.5 SHA-256 signature) with
/// the `rsa` crate: an enrollment needs three on the server (decrypting the
/// content key, signing the certificate, signing the reply), which is most
/// of its time.
#[divan::bench(sample_count = 100)]
fn rsa_2048_private_key_operation(bencher: divan::Bencher) {
    let key = &device().key;
    bencher.bench_local(|| {
        pca_connector_scep_server::scep::crypto::sign_rsa(key, Digest::Sha256, b"message").unwrap()
    });
}
