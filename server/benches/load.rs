//! Load over loopback: concurrent keep-alive HTTP/1.1 clients against the
//! server binary (release build), for `GetConnector` (a read) and
//! `CreateChallenge` (a durable write). Prints requests per second and
//! latency percentiles. Bounded in time; traffic stays on 127.0.0.1.
//!
//! `cargo bench -p pca-connector-scep-server --bench load`
//!
//! The server runs with `--no-auth`: the load generator does not sign.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 32;
const DURATION: Duration = Duration::from_secs(5);
const CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

/// Sends one request on a keep-alive connection; the status and body.
async fn call(stream: &mut TcpStream, buf: &mut Vec<u8>, request: &[u8]) -> (u16, Vec<u8>) {
    stream.write_all(request).await.unwrap();
    buf.clear();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            while buf.len() < end + 4 + len {
                let n = stream.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
            }
            let status = head[9..12].parse().unwrap();
            return (status, buf[end + 4..end + 4 + len].to_vec());
        }
    }
}

fn request(method: &str, path: &str, body: &str) -> Vec<u8> {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn load(addr: &str, name: &str, req: Vec<u8>, expect: u16) {
    let deadline = Instant::now() + DURATION;
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (addr, req) = (addr.to_owned(), req.clone());
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let mut buf = Vec::new();
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let start = Instant::now();
                let (status, body) = call(&mut stream, &mut buf, &req).await;
                assert_eq!(status, expect, "{}", String::from_utf8_lossy(&body));
                latencies.push(start.elapsed().as_micros() as u64);
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    println!(
        "{name:<16} {:>8.0} req/s   p50 {:>6} µs   p99 {:>6} µs   ({} requests, {CONNECTIONS} connections, {}s)",
        all.len() as f64 / DURATION.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        all.len(),
        DURATION.as_secs()
    );
}

fn main() {
    let data = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("load-data");
    let _ = std::fs::remove_dir_all(&data);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--no-auth",
            "--create-delay-ms",
            "0",
        ])
        .args(["--max-challenges-per-connector", "100000000"])
        .arg("--data-dir")
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("listening on http://")
        .to_owned();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        let mut buf = Vec::new();
        let body = format!(r#"{{"CertificateAuthorityArn": "{CA}"}}"#);
        let (_, created) = call(
            &mut stream,
            &mut buf,
            &request("POST", "/connectors", &body),
        )
        .await;
        let arn = serde_json::from_slice::<serde_json::Value>(&created).unwrap()["ConnectorArn"]
            .as_str()
            .unwrap()
            .to_owned();
        let encoded: String = arn
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        load(
            &addr,
            "GetConnector",
            request("GET", &format!("/connectors/{encoded}"), ""),
            200,
        )
        .await;
        let body = format!(r#"{{"ConnectorArn": "{arn}"}}"#);
        load(
            &addr,
            "CreateChallenge",
            request("POST", "/challenges", &body),
            202,
        )
        .await;
    });
    let _ = child.kill();
    let _ = child.wait();
}
