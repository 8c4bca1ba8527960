//! What the server targets' round trip shares: the `service!` macro (the
//! recording handler, the `Seen` inputs, `resend`), a client config whose
//! transport keeps the request it is given (and answers 200), the check
//! that the client could write a request, and the helpers that poll and
//! show one. Each target builds its own crate's `Client` from the config.
//! The macros use `client`, `sent`, `block_on`, `Mutex`, `Bytes` and
//! `roundtrip` as the target has them in scope.

use bytes::Bytes;
use smithy_rt::client::transport::{self, TransportResult};
use smithy_rt::client::{Config, Credentials, Error};
use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

/// One handler: `[input]` for an operation with an input, `[none]` for
/// one without.
macro_rules! method {
    ([input] $f:ident($input:ty) -> $output:ty, $error:ty = |$i:ident| $answer:expr) => {
        async fn $f(&self, input: $input) -> Result<$output, $error> {
            #[allow(unused_variables)]
            let $i = &input;
            let answer = $answer;
            self.record(Seen::$f(input));
            Ok(answer)
        }
    };
    ([none] $f:ident($input:ty) -> $output:ty, $error:ty = |$i:ident| $answer:expr) => {
        async fn $f(&self) -> Result<$output, $error> {
            self.record(Seen::$f(()));
            Ok($answer)
        }
    };
}

/// One client call.
macro_rules! call {
    ([input] $c:ident . $f:ident($x:ident)) => {
        sent(block_on($c.$f($x.clone())))
    };
    ([none] $c:ident . $f:ident($x:ident)) => {{
        let () = *$x;
        sent(block_on($c.$f()))
    }};
}

/// The handler of service trait `$service` (one line per operation, each
/// with its answer), the `Seen` enum of its inputs, and `resend`, which
/// sends a `Seen` again with the target's `client()`.
macro_rules! service {
    (impl $service:path; $([$kind:ident] $f:ident($input:ty) -> $output:ty, $error:ty = |$i:ident| $answer:expr;)*) => {
        /// The input a handler received.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(non_camel_case_types)]
        enum Seen {
            $($f($input),)*
        }

        /// Records the input it receives, and answers with a success.
        #[derive(Default)]
        struct Handler {
            seen: Mutex<Option<Seen>>,
        }

        impl Handler {
            fn record(&self, seen: Seen) {
                let previous = self.seen.lock().unwrap().replace(seen);
                assert!(previous.is_none(), "the handler was called twice");
            }
        }

        impl $service for Handler {
            $(method!([$kind] $f($input) -> $output, $error = |$i| $answer);)*
        }

        /// Sends `seen` with the generated client; the request it wrote,
        /// if it could write one.
        fn resend(seen: &Seen) -> Option<http::Request<Bytes>> {
            let c = client();
            let written = match seen {
                $(Seen::$f(x) => call!([$kind] c.$f(x)),)*
            };
            let request = roundtrip::take_sent();
            assert_eq!(written, request.is_some(), "sent exactly when written");
            request
        }
    };
}

/// The request the client sent last.
pub static SENT: Mutex<Option<http::Request<Bytes>>> = Mutex::new(None);

/// The request the client sent last, taken.
pub fn take_sent() -> Option<http::Request<Bytes>> {
    SENT.lock().unwrap().take()
}

/// A config whose transport keeps each request in `SENT` and answers 200
/// with `{}` in `media`; an unset idempotency token becomes `token`.
pub fn capturing_config(media: &'static str, token: &'static str) -> Config {
    Config::builder()
        .endpoint_url("http://127.0.0.1:1")
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .max_attempts(1)
        .idempotency_token_provider(move || token.to_owned())
        .transport(transport::from_fn(move |request| {
            *SENT.lock().unwrap() = Some(request);
            async move {
                let r: TransportResult = Ok(http::Response::builder()
                    .status(200)
                    .header("content-type", media)
                    .body(Bytes::from_static(b"{}"))
                    .expect("a valid response"));
                r
            }
        }))
        .build()
}

/// Whether the client wrote the request. It refuses one thing the server
/// accepts by design: a `@hostLabel` member that is no host label (the
/// spec has clients check it; the server reads the member from the body).
/// Anything else it cannot write is a failure: an input the server
/// accepted must be expressible as a request.
pub fn sent<O, E: std::fmt::Debug>(result: Result<O, Error<E>>) -> bool {
    match result {
        Err(Error::Build(e)) => {
            let shown = format!("{e:?}");
            assert!(
                shown.contains("is bound to the host"),
                "the client cannot send an input the server accepted: {shown}"
            );
            false
        }
        _ => true,
    }
}

/// Polls a future that never waits (the generated server does no I/O, the
/// client's transport answers at once).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the future waited"),
    }
}

pub fn describe(request: &http::Request<Bytes>) -> String {
    format!(
        "{} {}\n{:?}\n\n{}",
        request.method(),
        request.uri(),
        request.headers(),
        String::from_utf8_lossy(request.body())
    )
}
