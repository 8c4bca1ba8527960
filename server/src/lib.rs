//! A local AWS Private CA Connector for SCEP, served over HTTP on the
//! generated restJson1 bindings: handlers implement the generated service
//! trait (`service`), state lives in SQLite (`store`), requests are
//! authenticated with SigV4 (`sigv4`). Routing, request parsing, validation
//! and serialization all come from the generated crate.

pub mod scep;
pub mod service;
pub mod sigv4;
pub mod store;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use pca_connector_scep::server::Server;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Everything the binary's flags set.
#[derive(Clone, Debug)]
pub struct Options {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub listen: SocketAddr,
    /// Where the database lives.
    pub data_dir: PathBuf,
    /// Region in ARNs.
    pub region: String,
    /// Account in ARNs.
    pub account_id: String,
    /// `None` turns SigV4 verification off.
    pub credentials: Option<(String, String)>,
    /// How long connectors stay `CREATING`.
    pub create_delay: Duration,
    /// CA ARNs whose connectors fail to create.
    pub failing_ca_arns: Vec<String>,
    /// Connectors per account.
    pub max_connectors: i64,
    /// Challenges per connector.
    pub max_challenges_per_connector: i64,
    /// The file of challenge passwords Intune connectors accept (SCEP).
    pub intune_challenges: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".parse().expect("valid address"),
            data_dir: PathBuf::from("pca-connector-scep-data"),
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            credentials: Some(("test".into(), "test".into())),
            create_delay: Duration::from_millis(500),
            failing_ca_arns: Vec::new(),
            max_connectors: 100,
            max_challenges_per_connector: 1000,
            intune_challenges: None,
        }
    }
}

/// The HTTP application: authentication, request ids, logging, and the
/// generated dispatcher.
pub struct App {
    server: Server<service::Scep>,
    scep: Arc<scep::Scep>,
    /// At most [`enrollment_permits`] `PKIOperation`s run at a time.
    scep_permits: Arc<tokio::sync::Semaphore>,
    /// Whether `PKIOperation`s run inline on the async worker: only on a
    /// runtime with a worker more than there are permits ([`runtime`]), so
    /// that one is always left for the API, `GetCACert` and accepting.
    /// Otherwise they run as blocking sections, which costs a hand-off of
    /// the worker (about 0.15 ms per enrollment on the bench machine).
    inline_enrollments: bool,
    verifier: Option<sigv4::Verifier>,
}

impl App {
    /// Opens the store and builds the service for `options`, serving at
    /// `base_url`.
    pub fn new(options: &Options, base_url: String) -> Result<Self, String> {
        let store = Arc::new(store::Store::open(&options.data_dir).map_err(|e| {
            format!(
                "cannot open the database in {}: {e}",
                options.data_dir.display()
            )
        })?);
        let scep = Arc::new(scep::Scep::new(
            Arc::clone(&store),
            scep::Config {
                region: options.region.clone(),
                account_id: options.account_id.clone(),
                intune_challenges: options.intune_challenges.clone(),
            },
        ));
        let config = service::Config {
            region: options.region.clone(),
            account_id: options.account_id.clone(),
            base_url,
            create_delay: options.create_delay,
            failing_ca_arns: options.failing_ca_arns.iter().cloned().collect(),
            max_connectors: options.max_connectors,
            max_challenges_per_connector: options.max_challenges_per_connector,
        };
        let service = service::Scep::new(store, config)
            .map_err(|e| format!("cannot initialize the database: {e}"))?;
        let verifier = options
            .credentials
            .as_ref()
            .map(|(key, secret)| sigv4::Verifier {
                credentials: [(key.clone(), secret.clone())].into(),
                service: "pca-connector-scep".into(),
                max_skew_secs: 15 * 60,
            });
        Ok(Self {
            server: Server::new(service),
            scep,
            scep_permits: Arc::new(tokio::sync::Semaphore::new(enrollment_permits())),
            inline_enrollments: false,
            verifier,
        })
    }

    /// Runs `PKIOperation`s inline on the async workers, at most
    /// [`enrollment_permits`] at a time: for a runtime with a worker more
    /// than that, as [`runtime`] builds.
    pub fn with_inline_enrollments(mut self) -> Self {
        self.inline_enrollments = true;
        self
    }

    /// Answers one request, and logs one line for it.
    pub async fn handle(&self, request: http::Request<Incoming>) -> http::Response<Full<Bytes>> {
        let started = Instant::now();
        let request_id = uuid::Uuid::new_v4().to_string();
        let (parts, body) = request.into_parts();
        if parts.uri.path().starts_with("/scep/") {
            // SCEP clients don't sign with SigV4; the endpoint checks
            // challenges and message signatures itself.
            let response = match Limited::new(body, scep::MAX_MESSAGE_BYTES).collect().await {
                Err(_) => scep::Response {
                    status: 413,
                    content_type: "text/plain; charset=utf-8",
                    body: Bytes::from(format!(
                        "the PKI message is larger than {} bytes\n",
                        scep::MAX_MESSAGE_BYTES
                    )),
                    operation: "PKIOperation",
                    failure: Some("body too large".into()),
                },
                Ok(body) => self.scep_response(&parts, body.to_bytes()).await,
            };
            let operation = response.operation;
            let failure = response.failure.clone();
            let response = response.into_http();
            return self.finish(response, &request_id, operation, failure, started);
        }
        let response = match Limited::new(body, smithy_rt::server::MAX_BODY_BYTES)
            .collect()
            .await
        {
            Err(_) => smithy_rt::server::Rejection::PayloadTooLarge.into_response(),
            Ok(body) => {
                let body = body.to_bytes();
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64);
                match self.verifier.as_ref().map(|v| v.verify(&parts, &body, now)) {
                    Some(Err(e)) => smithy_rt::server::error_response(
                        403,
                        e.error_type(),
                        &serde_json::json!({ "message": e.message() }),
                    ),
                    _ => {
                        self.server
                            .handle(http::Request::from_parts(parts, body))
                            .await
                    }
                }
            }
        };
        // The dispatcher says which operation it answered: no second routing.
        let operation = response
            .extensions()
            .get::<pca_connector_scep::operation::Operation>()
            .map_or("-", |op| op.name());
        self.finish(response, &request_id, operation, None, started)
    }

    /// Answers a SCEP request: a `PKIOperation` under a permit, inline (see
    /// `inline_enrollments`) or as a blocking section (on a current-thread
    /// runtime, on a blocking thread); anything else here.
    async fn scep_response(&self, parts: &http::request::Parts, body: Bytes) -> scep::Response {
        let query = parts.uri.query().unwrap_or("");
        if !scep::is_pki_operation(query) {
            return self
                .scep
                .handle(&parts.method, parts.uri.path(), query, &body);
        }
        let permit = Arc::clone(&self.scep_permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let scep = &self.scep;
        let method = &parts.method;
        let path = parts.uri.path();
        if self.inline_enrollments {
            return scep.handle(method, path, query, &body);
        }
        if tokio::runtime::Handle::current().runtime_flavor()
            == tokio::runtime::RuntimeFlavor::MultiThread
        {
            // This thread becomes a blocking one for the enrollment, and the
            // worker's other tasks move to another thread.
            let response = tokio::task::block_in_place(|| scep.handle(method, path, query, &body));
            drop(permit);
            return response;
        }
        let scep = Arc::clone(scep);
        let method = method.clone();
        let path = path.to_owned();
        let query = query.to_owned();
        let answered = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            scep.handle(&method, &path, &query, &body)
        })
        .await;
        answered.unwrap_or_else(|_| scep::Response {
            status: 500,
            content_type: "text/plain; charset=utf-8",
            body: Bytes::from_static(b"internal error\n"),
            operation: "PKIOperation",
            failure: Some("the enrollment panicked".into()),
        })
    }

    /// Adds the request id and logs the request.
    fn finish(
        &self,
        mut response: http::Response<Bytes>,
        request_id: &str,
        operation: &str,
        scep_failure: Option<String>,
        started: Instant,
    ) -> http::Response<Full<Bytes>> {
        if let Ok(v) = http::HeaderValue::from_str(request_id) {
            response.headers_mut().insert("x-amzn-requestid", v);
        }
        let error = response
            .headers()
            .get(smithy_rt::server::ERROR_TYPE_HEADER)
            .and_then(|v| v.to_str().ok());
        tracing::info!(
            target: "pca_connector_scep_server::request",
            request_id,
            operation,
            status = u64::from(response.status().as_u16()),
            error,
            latency_us = started.elapsed().as_micros() as u64,
            scep_failure = scep_failure.as_deref(),
            "request"
        );
        response.map(Full::new)
    }
}

/// How many `PKIOperation`s run at once: two per core. An enrollment is
/// about 2.4 ms of CPU in three RSA operations that depend on each other,
/// and between them it waits (for the store's lock, its write, the
/// scheduler); with one enrollment per core those waits left the cores
/// about 15% idle under load, and with two per core the kernel always has
/// another enrollment to run (concurrent bench: 680 to 770 enrollments/s,
/// less CPU per enrollment, p99 latency unchanged; four per core measured
/// no faster and its p99 was worse).
pub fn enrollment_permits() -> usize {
    2 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The runtime the binary serves on: multi-threaded, with one async worker
/// more than [`enrollment_permits`]. With [`App::with_inline_enrollments`],
/// enrollments run on the workers without a hand-off, and the extra worker
/// is always free for the API, `GetCACert` and new connections.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(enrollment_permits() + 1)
        .enable_all()
        .build()
}

/// Serves on `listener` until `shutdown` completes, then lets requests in
/// flight finish (for up to 10 seconds).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(a) => a,
                    // Out of file descriptors and the like: keep serving.
                    Err(_) => { tokio::time::sleep(Duration::from_millis(10)).await; continue; }
                };
                let _ = stream.set_nodelay(true);
                let app = Arc::clone(&app);
                let service = hyper::service::service_fn(move |request| {
                    let app = Arc::clone(&app);
                    async move { Ok::<_, Infallible>(app.handle(request).await) }
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
    Ok(())
}
