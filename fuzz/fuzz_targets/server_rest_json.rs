//! The generated restJson1 server of this project's model: any method,
//! path, query, headers and body through routing, the HTTP bindings, JSON
//! deserialization and validation. Never a panic (libFuzzer aborts on one,
//! even one the server would catch); every rejection is a protocol error
//! (`X-Amzn-Errortype` and a JSON object body); an input that reaches the
//! handler satisfies every constraint of the model.

#![no_main]

#[path = "request.rs"]
mod request;

use libfuzzer_sys::fuzz_target;
use pca_connector_scep::error::InternalServerException;
use pca_connector_scep::input::*;
use pca_connector_scep::operation::*;
use pca_connector_scep::output::*;
use pca_connector_scep::server::{PcaConnectorScep, Server};
use smithy_rt::validation::Validate;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Checks that the input it receives is valid, and answers with an error.
struct Handler;

macro_rules! handlers {
    ($($f:ident($input:ty) -> $output:ty, $error:ty;)*) => {
        impl PcaConnectorScep for Handler {
            $(
                async fn $f(&self, input: $input) -> Result<$output, $error> {
                    if let Err(v) = input.validate() {
                        panic!("the handler received an invalid input: {v}");
                    }
                    Err(InternalServerException::new("fuzz").into())
                }
            )*
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

/// Polls a future that never waits (the generated server does no I/O).
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the server waited"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(request) = request::parse(data) else {
        return;
    };
    let server = Server::new(Handler);
    let response = block_on(server.handle(request));
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
});
