//! The generated client's response reading: any status, headers and body
//! as the answer to any operation of this project's model. Never a panic;
//! a 2xx answer is an output or a `Response` error (an unreadable body), a
//! non-2xx one is a modelled error, a `Service` error or a `Response`
//! error, never an output; nothing else (the request is valid and the
//! transport always answers).
//!
//! The input is text: the operation's name and the status on the first
//! line, headers, a blank line, the body:
//!
//! ```text
//! GetConnector 404
//! x-amzn-errortype: ResourceNotFoundException
//!
//! {"message": "no such connector"}
//! ```

#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use pca_connector_scep::client::{Client, Config, Credentials, Error};
use pca_connector_scep::input::*;
use smithy_rt::client::transport::{self, TransportResult};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

fn parse(data: &[u8]) -> Option<(String, http::Response<Bytes>)> {
    let split = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match split {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.lines();
    let (operation, status) = lines.next()?.split_once(' ')?;
    let status = http::StatusCode::from_u16(status.trim().parse().ok()?).ok()?;
    let mut builder = http::Response::builder().status(status);
    for line in lines {
        let (name, value) = line.split_once(':')?;
        builder = builder.header(name.trim(), value.trim_start());
    }
    let response = builder.body(Bytes::copy_from_slice(body)).ok()?;
    Some((operation.to_owned(), response))
}

/// Polls a future that never waits (the transport answers at once; one
/// attempt, no timeout).
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the call waited although the transport answered at once"),
    }
}

/// What a call may return for a response of `status`.
fn check<O, E: std::fmt::Debug>(status: u16, result: Result<O, Error<E>>) {
    let success = (200..300).contains(&status);
    match result {
        Ok(_) => assert!(success, "an output from a {status} response"),
        Err(Error::Response(e)) => assert_eq!(e.meta.status, status),
        Err(Error::Modeled(e, meta)) => {
            assert!(!success, "a modelled error {e:?} from a {status} response");
            assert_eq!(meta.status, status);
        }
        Err(Error::Service(e)) => {
            assert!(!success, "a service error {e:?} from a {status} response");
            assert_eq!(e.meta.status, status);
        }
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

const ARN: &str = "arn:aws:pca-connector-scep:us-east-1:123456789012:connector/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e";

fuzz_target!(|data: &[u8]| {
    let Some((operation, response)) = parse(data) else {
        return;
    };
    let status = response.status().as_u16();
    let answer = std::sync::Mutex::new(Some(response));
    let config = Config::builder()
        .endpoint_url("http://127.0.0.1:1")
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .max_attempts(1)
        .transport(transport::from_fn(move |_request| {
            let r = answer.lock().unwrap().take();
            async move {
                let r: TransportResult = Ok(r.expect("one request per input"));
                r
            }
        }))
        .build();
    let c = Client::new(config);
    match operation.as_str() {
        "CreateChallenge" => check(
            status,
            block_on(c.create_challenge(CreateChallengeRequest::new(ARN))),
        ),
        "CreateConnector" => check(
            status,
            block_on(c.create_connector(CreateConnectorRequest::new(ARN))),
        ),
        "DeleteChallenge" => check(
            status,
            block_on(c.delete_challenge(DeleteChallengeRequest::new(ARN))),
        ),
        "DeleteConnector" => check(
            status,
            block_on(c.delete_connector(DeleteConnectorRequest::new(ARN))),
        ),
        "GetChallengeMetadata" => check(
            status,
            block_on(c.get_challenge_metadata(GetChallengeMetadataRequest::new(ARN))),
        ),
        "GetChallengePassword" => check(
            status,
            block_on(c.get_challenge_password(GetChallengePasswordRequest::new(ARN))),
        ),
        "GetConnector" => check(
            status,
            block_on(c.get_connector(GetConnectorRequest::new(ARN))),
        ),
        "ListChallengeMetadata" => check(
            status,
            block_on(c.list_challenge_metadata(ListChallengeMetadataRequest::new(ARN))),
        ),
        "ListConnectors" => check(
            status,
            block_on(c.list_connectors(ListConnectorsRequest::new())),
        ),
        "ListTagsForResource" => check(
            status,
            block_on(c.list_tags_for_resource(ListTagsForResourceRequest::new(ARN))),
        ),
        "TagResource" => check(
            status,
            block_on(c.tag_resource(TagResourceRequest::new(
                ARN,
                std::collections::BTreeMap::new(),
            ))),
        ),
        "UntagResource" => check(
            status,
            block_on(c.untag_resource(UntagResourceRequest::new(ARN, vec!["k".into()]))),
        ),
        _ => {}
    }
});
