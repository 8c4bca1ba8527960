//! The generated restJson1 server of this project's model: any method,
//! path, query, headers and body through routing, the HTTP bindings, JSON
//! deserialization and validation. Never a panic (libFuzzer aborts on one,
//! even one the server would catch); every rejection is a protocol error
//! (`X-Amzn-Errortype` and a JSON object body); an input that reaches the
//! handler satisfies every constraint of the model.
//!
//! Round trip: an input the server accepts is sent again by the generated
//! client (its request writer, through a transport that captures the
//! request instead of sending it), and the server must accept that request
//! too, with an equal input. The client fills an unset idempotency token
//! (here with a fixed one), so the second input is compared with the first
//! with its token filled.

#![no_main]

#[path = "request.rs"]
mod request;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use pca_connector_scep::client::{Client, Config, Credentials, Error};
use pca_connector_scep::error::InternalServerException;
use pca_connector_scep::input::*;
use pca_connector_scep::operation::*;
use pca_connector_scep::output::*;
use pca_connector_scep::server::{PcaConnectorScep, Server};
use smithy_rt::client::transport::{self, TransportResult};
use smithy_rt::validation::Validate;
use std::future::Future;
use std::pin::pin;
use std::sync::{Mutex, OnceLock};
use std::task::{Context, Poll, Waker};

/// What the client fills an unset idempotency token with.
const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// Records the input it receives (after checking that it is valid), and
/// answers with an error.
#[derive(Default)]
struct Handler {
    seen: Mutex<Option<Seen>>,
}

macro_rules! handlers {
    ($($f:ident($input:ty) -> $output:ty, $error:ty;)*) => {
        /// The input a handler received.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(non_camel_case_types)]
        enum Seen {
            $($f($input),)*
        }

        impl PcaConnectorScep for Handler {
            $(
                async fn $f(&self, input: $input) -> Result<$output, $error> {
                    if let Err(v) = input.validate() {
                        panic!("the handler received an invalid input: {v}");
                    }
                    let previous = self.seen.lock().unwrap().replace(Seen::$f(input));
                    assert!(previous.is_none(), "the handler was called twice");
                    Err(InternalServerException::new("fuzz").into())
                }
            )*
        }

        /// Sends `seen` with the generated client; the request it wrote.
        fn resend(seen: &Seen) -> http::Request<Bytes> {
            let c = client();
            match seen {
                $(Seen::$f(input) => sent(block_on(c.$f(input.clone()))),)*
            }
            SENT.lock().unwrap().take().expect("the client sent no request")
        }
    };
}

handlers! {
    create_challenge(CreateChallengeRequest) -> CreateChallengeResponse, CreateChallengeError;
    create_connector(CreateConnectorRequest) -> CreateConnectorResponse, CreateConnectorError;
    delete_challenge(DeleteChallengeRequest) -> (), DeleteChallengeError;
    delete_connector(DeleteConnectorRequest) -> (), DeleteConnectorError;
    get_challenge_metadata(GetChallengeMetadataRequest) -> GetChallengeMetadataResponse, GetChallengeMetadataError;
    get_challenge_password(GetChallengePasswordRequest) -> GetChallengePasswordResponse, GetChallengePasswordError;
    get_connector(GetConnectorRequest) -> GetConnectorResponse, GetConnectorError;
    list_challenge_metadata(ListChallengeMetadataRequest) -> ListChallengeMetadataResponse, ListChallengeMetadataError;
    list_connectors(ListConnectorsRequest) -> ListConnectorsResponse, ListConnectorsError;
    list_tags_for_resource(ListTagsForResourceRequest) -> ListTagsForResourceResponse, ListTagsForResourceError;
    tag_resource(TagResourceRequest) -> (), TagResourceError;
    untag_resource(UntagResourceRequest) -> (), UntagResourceError;
}

/// The request the client sent last.
static SENT: Mutex<Option<http::Request<Bytes>>> = Mutex::new(None);

/// A client whose transport keeps the request in `SENT` and answers 200.
fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let config = Config::builder()
            .endpoint_url("http://127.0.0.1:1")
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .max_attempts(1)
            .idempotency_token_provider(|| TOKEN.to_owned())
            .transport(transport::from_fn(|request| {
                *SENT.lock().unwrap() = Some(request);
                async {
                    let r: TransportResult = Ok(http::Response::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body(Bytes::from_static(b"{}"))
                        .expect("a valid response"));
                    r
                }
            }))
            .build();
        Client::new(config)
    })
}

/// Fails when the client could not write the request (an input the server
/// accepted must be expressible as a request).
fn sent<O, E: std::fmt::Debug>(result: Result<O, Error<E>>) {
    if let Err(Error::Build(e)) = result {
        panic!("the client cannot send an input the server accepted: {e:?}");
    }
}

/// `seen` as the client sends it: an unset idempotency token filled.
fn with_token(seen: &Seen) -> Seen {
    let mut seen = seen.clone();
    match &mut seen {
        Seen::create_challenge(i) => {
            i.client_token.get_or_insert_with(|| TOKEN.to_owned());
        }
        Seen::create_connector(i) => {
            i.client_token.get_or_insert_with(|| TOKEN.to_owned());
        }
        _ => {}
    }
    seen
}

/// Polls a future that never waits (the generated server does no I/O, the
/// client's transport answers at once).
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the future waited"),
    }
}

fn check_response(response: &http::Response<Bytes>) {
    let status = response.status().as_u16();
    assert!((200..600).contains(&status), "status {status}");
    if status >= 400 {
        assert!(
            response.headers().contains_key("x-amzn-errortype"),
            "{status} without X-Amzn-Errortype"
        );
        let body: serde_json::Value =
            serde_json::from_slice(response.body()).expect("an error body is JSON");
        assert!(body.is_object(), "error body {body}");
    }
}

fn describe(request: &http::Request<Bytes>) -> String {
    format!(
        "{} {}\n{:?}\n\n{}",
        request.method(),
        request.uri(),
        request.headers(),
        String::from_utf8_lossy(request.body())
    )
}

fuzz_target!(|data: &[u8]| {
    let Some(request) = request::parse(data) else {
        return;
    };
    let server = Server::new(Handler::default());
    let response = block_on(server.handle(request));
    check_response(&response);
    let Some(first) = server.service().seen.lock().unwrap().take() else {
        return;
    };
    let again = resend(&first);
    let shown = describe(&again);
    let response = block_on(server.handle(again));
    check_response(&response);
    let Some(second) = server.service().seen.lock().unwrap().take() else {
        panic!(
            "the server refused the client's request for an input it accepted\n\
             input: {first:?}\nrequest: {shown}\nresponse: {} {}",
            response.status(),
            String::from_utf8_lossy(response.body())
        );
    };
    let expected = with_token(&first);
    assert!(
        second == expected,
        "the round trip changed the input\nfirst:  {expected:?}\nsecond: {second:?}\nrequest: {shown}"
    );
});
