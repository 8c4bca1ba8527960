//! `pca-connector-scep-server [--listen ADDR] [--data-dir DIR] [--region R]
//! [--account-id ID] [--no-auth] [...]`: see `--help`.

use pca_connector_scep_server::{App, Options, serve};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

const HELP: &str = "\
A local AWS Private CA Connector for SCEP server.

usage: pca-connector-scep-server [options]

  --listen ADDR                 address to listen on (default 127.0.0.1:8080; port 0 picks one)
  --data-dir DIR                where the SQLite database lives (default ./pca-connector-scep-data)
  --region REGION               region in ARNs (default us-east-1)
  --account-id ID               account in ARNs (default 000000000000)
  --access-key KEY              SigV4 access key id clients sign with (default test)
  --secret-key SECRET           SigV4 secret access key (default test)
  --no-auth                     accept requests without checking signatures
  --create-delay-ms MS          how long new connectors stay CREATING (default 500)
  --fail-ca-arn ARN             connectors for this CA fail with PRIVATECA_RESOURCE_NOT_FOUND (repeatable)
  --max-connectors N            connectors per account (default 100)
  --max-challenges-per-connector N
                                challenges per connector (default 1000)
  --intune-challenges FILE      challenge passwords that Intune connectors accept over SCEP, one per
                                line (standing in for Microsoft Intune; without it they accept none)

When ready it prints `listening on http://ADDR`; SIGTERM or Ctrl-C stop it gracefully.";

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut key = None;
    let mut secret = None;
    let mut no_auth = false;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        let number = |v: String| {
            v.parse::<i64>()
                .map_err(|_| format!("`{flag}` needs a number, not `{v}`"))
        };
        match flag.as_str() {
            "--listen" => {
                let v = value()?;
                o.listen = v
                    .parse()
                    .map_err(|_| format!("`{v}` is not an address like 127.0.0.1:8080"))?;
            }
            "--data-dir" => o.data_dir = value()?.into(),
            "--region" => o.region = value()?,
            "--account-id" => {
                let v = value()?;
                if v.len() != 12 || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("`{v}` is not a 12-digit account id"));
                }
                o.account_id = v;
            }
            "--access-key" => key = Some(value()?),
            "--secret-key" => secret = Some(value()?),
            "--no-auth" => no_auth = true,
            "--create-delay-ms" => {
                o.create_delay = Duration::from_millis(number(value()?)?.max(0) as u64)
            }
            "--intune-challenges" => o.intune_challenges = Some(value()?.into()),
            "--fail-ca-arn" => o.failing_ca_arns.push(value()?),
            "--max-connectors" => o.max_connectors = number(value()?)?,
            "--max-challenges-per-connector" => o.max_challenges_per_connector = number(value()?)?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    o.credentials = if no_auth {
        None
    } else {
        Some((
            key.unwrap_or_else(|| "test".into()),
            secret.unwrap_or_else(|| "test".into()),
        ))
    };
    Ok(o)
}

/// Registers the SIGTERM and Ctrl-C handlers now (before the server says it
/// is listening, so no signal can arrive unhandled) and returns a future that
/// completes on either.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// The request log: `tracing` events at INFO and above as one JSON object
/// a line on stderr, their fields at the top level.
fn init_logging() {
    let subscriber = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
}

fn main() -> ExitCode {
    init_logging();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let runtime = match pca_connector_scep_server::runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(options.listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {}: {e}", options.listen);
                return ExitCode::FAILURE;
            }
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let app = match App::new(&options, format!("http://{addr}")) {
            Ok(app) => Arc::new(app.with_inline_enrollments()),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let shutdown = match shutdown_signal() {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot handle signals: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("listening on http://{addr}");
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        match serve(listener, app, shutdown).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
