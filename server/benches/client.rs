//! Client CPU time per call: the generated client against the official
//! `aws-sdk-pcaconnectorscep`, both calling the same server binary over
//! loopback (plain HTTP, keep-alive, SigV4), for `GetConnector` and
//! `CreateConnector` (with a fixed `ClientToken`, so the server answers
//! each repeat from its idempotency record).
//!
//! `cargo bench -p pca-connector-scep-server --bench client`
//!
//! The server is another process, and each client runs on a current-thread
//! Tokio runtime, so the CPU time of this thread (`/proc/thread-self/schedstat`,
//! nanoseconds) is the client's: serializing, signing, sending, receiving and
//! parsing. Rounds alternate between the two clients; the median round is
//! reported, with the ratio from the same run.

use aws_sdk_pcaconnectorscep as sdk;
use pca_connector_scep::client::{Client, Config, Credentials};
use pca_connector_scep::input::{CreateConnectorRequest, GetConnectorRequest};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

const CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
const CALLS: u32 = 2000;
const ROUNDS: usize = 5;

/// CPU time of this thread, in nanoseconds.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .expect("/proc/thread-self/schedstat (Linux) gives the thread's CPU time")
}

/// Runs `calls` of `f`; CPU and wall microseconds per call.
async fn measure<F, Fut>(mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (cpu, wall) = (thread_cpu_ns(), Instant::now());
    for _ in 0..CALLS {
        f().await;
    }
    let cpu = (thread_cpu_ns() - cpu) as f64 / 1000.0 / f64::from(CALLS);
    let wall = wall.elapsed().as_secs_f64() * 1e6 / f64::from(CALLS);
    (cpu, wall)
}

fn median(mut v: Vec<(f64, f64)>) -> (f64, f64) {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    v[v.len() / 2]
}

fn main() {
    let data = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("client-bench-data");
    let _ = std::fs::remove_dir_all(&data);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
        .args(["--listen", "127.0.0.1:0", "--create-delay-ms", "0"])
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
    let url = line.trim().trim_start_matches("listening on ").to_owned();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let ours = Client::new(
            Config::builder()
                .endpoint_url(&url)
                .region("us-east-1")
                .credentials(Credentials::new("test", "test", None))
                .max_attempts(1)
                .build(),
        );
        let theirs = sdk::Client::from_conf(
            sdk::Config::builder()
                .http_client(aws_smithy_http_client::Builder::new().build_http())
                .endpoint_url(&url)
                .region(sdk::config::Region::new("us-east-1"))
                .credentials_provider(sdk::config::Credentials::new(
                    "test", "test", None, None, "bench",
                ))
                .retry_config(sdk::config::retry::RetryConfig::disabled())
                .build(),
        );
        let mut create = CreateConnectorRequest::new(CA);
        create.client_token = Some("client-bench-token".into());
        let arn = ours
            .create_connector(create.clone())
            .await
            .unwrap()
            .connector_arn
            .unwrap();

        let ours_get = || {
            let (c, arn) = (&ours, &arn);
            async move {
                let out = c.get_connector(GetConnectorRequest::new(arn)).await.unwrap();
                assert!(out.connector.is_some());
            }
        };
        let theirs_get = || {
            let (c, arn) = (&theirs, &arn);
            async move {
                let out = c.get_connector().connector_arn(arn).send().await.unwrap();
                assert!(out.connector.is_some());
            }
        };
        let ours_create = || {
            let (c, input) = (&ours, create.clone());
            async move {
                let out = c.create_connector(input).await.unwrap();
                assert!(out.connector_arn.is_some());
            }
        };
        let theirs_create = || {
            let c = &theirs;
            async move {
                let out = c
                    .create_connector()
                    .certificate_authority_arn(CA)
                    .client_token("client-bench-token")
                    .send()
                    .await
                    .unwrap();
                assert!(out.connector_arn.is_some());
            }
        };
        // Warm-up: connections, pools, caches.
        measure(ours_get).await;
        measure(theirs_get).await;

        let (mut og, mut tg, mut oc, mut tc) = (vec![], vec![], vec![], vec![]);
        for _ in 0..ROUNDS {
            og.push(measure(ours_get).await);
            tg.push(measure(theirs_get).await);
            oc.push(measure(ours_create).await);
            tc.push(measure(theirs_create).await);
        }
        println!("client CPU per call (median of {ROUNDS} rounds of {CALLS} calls), wall in brackets");
        for (name, o, t) in [
            ("GetConnector", median(og), median(tg)),
            ("CreateConnector", median(oc), median(tc)),
        ] {
            println!(
                "{name:<16} generated {:>6.1} µs [{:>6.1}]   SDK {:>6.1} µs [{:>6.1}]   ratio {:.2}",
                o.0,
                o.1,
                t.0,
                t.1,
                o.0 / t.0
            );
        }
    });
    let _ = child.kill();
    let _ = child.wait();
}
