//! SCEP enrollments per second, side by side in one run: this server (the
//! release binary, `--no-auth`) and micromdm's `scepserver` from Debian's
//! `scep` package, both with a 2048-bit RSA CA, doing the same enrollments.
//!
//! `cargo bench -p pca-connector-scep-server --bench scep`
//!
//! - `enroll_*`: sequential. Each iteration is one enrollment over a new
//!   loopback connection: a `PKCSReq` (SHA-256, AES-128-CBC, a 2048-bit-key
//!   CSR with a unique subject and a challenge password) is POSTed, and the
//!   `CertRep` is read and its signature and `pkiStatus` SUCCESS checked.
//!   Building the request is done outside the timed part. Enrollments per
//!   second = 1 / time per iteration.
//! - `concurrent_8_clients_keep_alive`: 8 client threads, each on one
//!   keep-alive connection, enroll as fast as the server answers (requests
//!   built beforehand, replies checked after the clock stops); both servers in turn, twice. Printed at the end:
//!   enrollments per second, median and p99 latency of each, and the ratio.
//! - `rsa_2048_*`: one RSA-2048 private-key operation (PKCS #1 v1.5
//!   SHA-256 signature, PKCS #1 v1.5 decryption of a 16-byte key) with
//!   aws-lc-rs, which the server uses, and with the `rsa` crate, which it
//!   used before.
//!
//! Without `scepserver` on PATH, only this server is measured.

use pca_connector_scep_server::scep::crypto::{self, Cipher, Digest, PrivateKey};
use pca_connector_scep_server::scep::message::{self, MessageType, PkiStatus};
use pca_connector_scep_server::scep::requester::{Requester, generate_key};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use x509_cert::Certificate;

const CA_ARN: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
const MICROMDM_CHALLENGE: &str = "bench-challenge";

/// Processes to stop when the benchmarks end.
static CHILDREN: Mutex<Vec<Child>> = Mutex::new(Vec::new());

/// What the concurrent benchmark prints at the end.
static REPORT: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn main() {
    // The servers are stopped even when a benchmark panics.
    let outcome = std::panic::catch_unwind(divan::main);
    for mut child in CHILDREN.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
        let _ = child.kill();
        let _ = child.wait();
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    for line in REPORT.lock().unwrap().iter() {
        println!("{line}");
    }
}

/// A SCEP server under test: where to POST, its CA, and the challenge.
struct Target {
    host: String,
    path: String,
    ca: Certificate,
    challenge: String,
    /// The server's process id, to read the CPU time it spends.
    pid: u32,
}

/// CPU time (user + system) process `pid` has spent so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime and
    // stime are the 12th and 13th, in clock ticks (100 per second on Linux).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks: u64 = fields
        .get(11..13)
        .map_or(0, |f| f.iter().map(|t| t.parse::<u64>().unwrap_or(0)).sum());
    Duration::from_millis(ticks * 10)
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

/// One keep-alive HTTP/1.1 connection.
struct Connection {
    host: String,
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(host: &str) -> Self {
        let stream = TcpStream::connect(host).unwrap();
        stream.set_nodelay(true).unwrap();
        Self {
            host: host.to_owned(),
            reader: BufReader::new(stream),
        }
    }

    /// POSTs `body` and reads the response: `(status, body)`.
    fn post(&mut self, target: &str, content_type: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let mut request = format!(
            "POST {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            self.host,
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        self.reader.get_mut().write_all(&request).unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line[9..12].parse().unwrap();
        let (mut length, mut chunked, mut close) = (None, false, false);
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            let header = line.trim_end().to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            if let Some(v) = header.strip_prefix("content-length:") {
                length = Some(v.trim().parse::<usize>().unwrap());
            } else if header.starts_with("transfer-encoding:") && header.contains("chunked") {
                chunked = true;
            } else if header.starts_with("connection:") && header.contains("close") {
                close = true;
            }
        }
        let mut out = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line).unwrap();
                let size = usize::from_str_radix(line.trim(), 16).unwrap();
                let start = out.len();
                out.resize(start + size + 2, 0);
                self.reader.read_exact(&mut out[start..]).unwrap();
                out.truncate(start + size);
                if size == 0 {
                    break;
                }
            }
        } else {
            out.resize(length.unwrap_or(0), 0);
            self.reader.read_exact(&mut out).unwrap();
        }
        if close {
            *self = Self::open(&self.host.clone());
        }
        (status, out)
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
        let pid = child.id();
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
            pid,
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
            let pid = child.id();
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
                pid,
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

fn check_reply(status: u16, reply: &[u8]) {
    assert!(
        signed_success(status, reply),
        "not a signed SUCCESS: {:?}",
        message::parse(reply).map(|r| (r.fail_info, r.fail_info_text))
    );
}

/// Whether the reply is a signed `CertRep` SUCCESS (a signed FAILURE is a
/// `false`; anything else fails the benchmark).
fn signed_success(status: u16, reply: &[u8]) -> bool {
    assert_eq!(status, 200);
    let reply = message::parse(reply).unwrap();
    assert!(reply.signature.is_ok());
    reply.pki_status == Some(PkiStatus::Success)
}

fn enroll(target: &Target, body: Vec<u8>) {
    let (status, reply) = http(
        &target.host,
        "POST",
        &format!("{}?operation=PKIOperation", target.path),
        "application/x-pki-message",
        &body,
    );
    check_reply(status, &reply);
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

/// Clients of the concurrent benchmark, and enrollments per client per run.
const CLIENTS: usize = 8;
const PER_CLIENT: usize = 150;

/// One concurrent run: every request's latency, how many got a
/// certificate, and the wall time.
struct Run {
    latencies: Vec<Duration>,
    issued: usize,
    wall: Duration,
    /// CPU time the server spent during the run.
    server_cpu: Duration,
}

/// `CLIENTS` keep-alive clients enrolling `PER_CLIENT` times each.
/// micromdm's file depot sometimes answers FAILURE under concurrent load
/// (two requests read its serial file while a third rewrites it: "could
/// not convert to serial number"); those are counted, not retried, and only
/// certificates issued count towards the rate.
fn concurrent_run(target: &'static Target) -> Run {
    let requests: Vec<Vec<Vec<u8>>> = (0..CLIENTS)
        .map(|_| (0..PER_CLIENT).map(|_| request(target)).collect())
        .collect();
    let path = format!("{}?operation=PKIOperation", target.path);
    let barrier = std::sync::Barrier::new(CLIENTS + 1);
    std::thread::scope(|scope| {
        let clients: Vec<_> = requests
            .into_iter()
            .map(|bodies| {
                let (path, barrier) = (&path, &barrier);
                scope.spawn(move || {
                    let mut connection = Connection::open(&target.host);
                    let mut latencies = Vec::with_capacity(bodies.len());
                    let mut replies = Vec::with_capacity(bodies.len());
                    barrier.wait();
                    for body in bodies {
                        let started = Instant::now();
                        replies.push(connection.post(path, "application/x-pki-message", &body));
                        latencies.push(started.elapsed());
                    }
                    (latencies, replies)
                })
            })
            .collect();
        let cpu = cpu_time(target.pid);
        barrier.wait();
        let started = Instant::now();
        let mut run = Run {
            latencies: Vec::new(),
            issued: 0,
            wall: Duration::ZERO,
            server_cpu: Duration::ZERO,
        };
        let mut replies = Vec::new();
        for client in clients {
            let (latencies, sent) = client.join().unwrap();
            run.latencies.extend(latencies);
            replies.extend(sent);
        }
        run.wall = started.elapsed();
        run.server_cpu = cpu_time(target.pid).saturating_sub(cpu);
        // Checked after the clock stops, so that the checks' CPU does not
        // compete with the server's on the same cores.
        run.issued = replies
            .iter()
            .filter(|(status, reply)| signed_success(*status, reply))
            .count();
        run
    })
}

/// Certificates issued per second, median and p99 latency, requests that
/// did not get a certificate, server CPU time per request.
fn summary(runs: &[Run]) -> (f64, Duration, Duration, usize, Duration) {
    let mut latencies: Vec<Duration> = runs
        .iter()
        .flat_map(|r| r.latencies.iter().copied())
        .collect();
    latencies.sort();
    let wall: Duration = runs.iter().map(|r| r.wall).sum();
    let issued: usize = runs.iter().map(|r| r.issued).sum();
    let rate = issued as f64 / wall.as_secs_f64();
    let at = |q: f64| latencies[((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    let cpu: Duration = runs.iter().map(|r| r.server_cpu).sum();
    let per_request = cpu / latencies.len() as u32;
    (
        rate,
        at(0.5),
        at(0.99),
        latencies.len() - issued,
        per_request,
    )
}

/// The concurrent case: both servers in turn, twice each; the figures are
/// printed after divan's table (divan's own time for this function is the
/// whole run's and means nothing).
#[divan::bench(sample_count = 1, sample_size = 1)]
fn concurrent_8_clients_keep_alive() {
    let this = local();
    let other = micromdm();
    // Warm both up (CA loaded, connections, caches).
    concurrent_run_small(this);
    if let Some(other) = other {
        concurrent_run_small(other);
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        ours.push(concurrent_run(this));
        if let Some(other) = other {
            theirs.push(concurrent_run(other));
        }
    }
    let mut report = REPORT.lock().unwrap();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    report.push(format!(
        "concurrent, {CLIENTS} keep-alive clients, {} enrollments per server:",
        2 * CLIENTS * PER_CLIENT
    ));
    let (rate, p50, p99, failed, cpu) = summary(&ours);
    report.push(format!(
        "  this server          {rate:7.1} enrollments/s   median {:6.2} ms   p99 {:6.2} ms   server CPU {:.2} ms/request   {failed} FAILURE replies",
        ms(p50),
        ms(p99),
        ms(cpu)
    ));
    if !theirs.is_empty() {
        let (their_rate, p50, p99, failed, cpu) = summary(&theirs);
        report.push(format!(
            "  micromdm scepserver  {their_rate:7.1} enrollments/s   median {:6.2} ms   p99 {:6.2} ms   server CPU {:.2} ms/request   {failed} FAILURE replies",
            ms(p50),
            ms(p99),
            ms(cpu)
        ));
        report.push(format!(
            "  this server / micromdm: {:.2}x the rate",
            rate / their_rate
        ));
    }
}

fn concurrent_run_small(target: &'static Target) {
    let mut connection = Connection::open(&target.host);
    let path = format!("{}?operation=PKIOperation", target.path);
    for _ in 0..10 {
        let (status, reply) = connection.post(&path, "application/x-pki-message", &request(target));
        check_reply(status, &reply);
    }
}

/// An RSA-2048 key in both libraries' forms.
fn rsa_key() -> &'static (PrivateKey, rsa::RsaPrivateKey) {
    static KEY: OnceLock<(PrivateKey, rsa::RsaPrivateKey)> = OnceLock::new();
    KEY.get_or_init(|| {
        use rsa::pkcs8::DecodePrivateKey as _;
        let key = generate_key(2048).unwrap();
        let rustcrypto = rsa::RsaPrivateKey::from_pkcs8_der(key.pkcs8_der()).unwrap();
        (key, rustcrypto)
    })
}

/// A content-encryption key encrypted to `rsa_key()`.
fn encrypted_cek() -> &'static Vec<u8> {
    static CEK: OnceLock<Vec<u8>> = OnceLock::new();
    CEK.get_or_init(|| {
        let public = crypto::rsa_public_key(rsa_key().0.public_key_info()).unwrap();
        crypto::rsa_encrypt(&public, &[7; 16]).unwrap()
    })
}

/// One RSA-2048 PKCS #1 v1.5 SHA-256 signature with aws-lc-rs (what the
/// server does twice per enrollment: the certificate and the reply).
#[divan::bench(sample_count = 100)]
fn rsa_2048_sign_aws_lc_rs(bencher: divan::Bencher) {
    let key = &rsa_key().0;
    bencher.bench_local(|| key.sign(Digest::Sha256, b"message").unwrap());
}

/// The same signature with the `rsa` crate.
#[divan::bench(sample_count = 100)]
fn rsa_2048_sign_rsa_crate(bencher: divan::Bencher) {
    let key = &rsa_key().1;
    let digest = Digest::Sha256.hash(b"message");
    bencher.bench_local(|| {
        key.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
            .unwrap()
    });
}

/// One RSA-2048 PKCS #1 v1.5 decryption with aws-lc-rs (the content key of
/// each request).
#[divan::bench(sample_count = 100)]
fn rsa_2048_decrypt_aws_lc_rs(bencher: divan::Bencher) {
    let key = &rsa_key().0;
    let cek = encrypted_cek();
    bencher.bench_local(|| key.decrypt(cek).unwrap());
}

/// The same decryption with the `rsa` crate.
#[divan::bench(sample_count = 100)]
fn rsa_2048_decrypt_rsa_crate(bencher: divan::Bencher) {
    let key = &rsa_key().1;
    let cek = encrypted_cek();
    bencher.bench_local(|| key.decrypt(rsa::Pkcs1v15Encrypt, cek).unwrap());
}
