//! The generated awsJson1_1 server of the Smithy protocol tests'
//! `JsonProtocol` service (`tests/protocol/aws-json-1-1`, 18 operations:
//! every scalar, timestamps, blobs, documents, unions, sparse collections,
//! enums, int enums, request compression): any method, path, headers
//! (`X-Amz-Target`, `Content-Type`, `Content-Encoding`) and body through
//! routing by target, deserialization and validation. Never a panic; every
//! rejection is an awsJson error (a JSON object body with `__type`); an
//! input that reaches a handler is answered with a success.
//!
//! Round trip: an input the server accepts is sent again by the generated
//! client (through a transport that captures the request), and the server
//! must accept that request with an equal input (`PartialEq`, or equal
//! `Debug` forms for NaN, which never equals itself). The client refuses
//! one thing by design: a `@hostLabel` member that is no host label.
//!
//! Each handler records its input and answers with an echo of it (where
//! input and output are one shape) or the output's default. The list
//! below mirrors the service trait (a model change that adds an operation
//! fails to compile here).

#![no_main]

#[path = "request.rs"]
mod request;
#[path = "roundtrip.rs"]
#[macro_use]
mod roundtrip;

use aws_json_1_1_protocol::client::Client;
use aws_json_1_1_protocol::operation::*;
use aws_json_1_1_protocol::server::{JsonProtocol, Server};
use aws_json_1_1_protocol::{input, output, types};
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use roundtrip::{block_on, describe, sent};
use std::sync::{Mutex, OnceLock};

service! {
    impl JsonProtocol;
    [input] content_type_parameters(input::ContentTypeParametersInput) -> output::ContentTypeParametersOutput, ContentTypeParametersError = |i| Default::default();
    [none] datetime_offsets(()) -> types::DatetimeOffsetsOutput, DatetimeOffsetsError = |i| Default::default();
    [none] empty_operation(()) -> (), EmptyOperationError = |i| ();
    [none] endpoint_operation(()) -> (), EndpointOperationError = |i| ();
    [input] endpoint_with_host_label_operation(types::HostLabelInput) -> (), EndpointWithHostLabelOperationError = |i| ();
    [none] fractional_seconds(()) -> types::FractionalSecondsOutput, FractionalSecondsError = |i| Default::default();
    [none] greeting_with_errors(()) -> types::GreetingWithErrorsOutput, GreetingWithErrorsError = |i| Default::default();
    [none] host_with_path_operation(()) -> (), HostWithPathOperationError = |i| ();
    [input] json_enums(types::JsonEnumsInputOutput) -> types::JsonEnumsInputOutput, JsonEnumsError = |i| i.clone();
    [input] json_int_enums(types::JsonIntEnumsInputOutput) -> types::JsonIntEnumsInputOutput, JsonIntEnumsError = |i| i.clone();
    [input] json_unions(types::UnionInputOutput) -> types::UnionInputOutput, JsonUnionsError = |i| i.clone();
    [input] kitchen_sink_operation(types::KitchenSink) -> types::KitchenSink, KitchenSinkOperationError = |i| i.clone();
    [input] null_operation(types::NullOperationInputOutput) -> types::NullOperationInputOutput, NullOperationError = |i| i.clone();
    [input] operation_with_optional_input_output(input::OperationWithOptionalInputOutputInput) -> output::OperationWithOptionalInputOutputOutput, OperationWithOptionalInputOutputError = |i| Default::default();
    [input] put_and_get_inline_documents(types::PutAndGetInlineDocumentsInputOutput) -> types::PutAndGetInlineDocumentsInputOutput, PutAndGetInlineDocumentsError = |i| i.clone();
    [input] put_with_content_encoding(input::PutWithContentEncodingInput) -> (), PutWithContentEncodingError = |i| ();
    [input] simple_scalar_properties(types::SimpleScalarPropertiesInputOutput) -> types::SimpleScalarPropertiesInputOutput, SimpleScalarPropertiesError = |i| i.clone();
    [input] sparse_nulls_operation(types::SparseNullsOperationInputOutput) -> types::SparseNullsOperationInputOutput, SparseNullsOperationError = |i| i.clone();
}

/// The client, over `roundtrip::capturing_config`.
fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::new(roundtrip::capturing_config(
            "application/x-amz-json-1.1",
            "00000000-0000-4000-8000-000000000000",
        ))
    })
}

/// Every response has a status; every error response is an awsJson error:
/// a JSON object naming its type in `__type`, in the protocol's media type.
fn check_response(response: &http::Response<Bytes>, handled: bool) {
    let status = response.status().as_u16();
    assert!((200..600).contains(&status), "status {status}");
    if status >= 400 {
        assert!(
            !handled,
            "{status} for a request the handler answered: {}",
            String::from_utf8_lossy(response.body())
        );
        let media = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok());
        assert_eq!(media, Some("application/x-amz-json-1.1"), "{status}");
        let body: serde_json::Value =
            serde_json::from_slice(response.body()).expect("an error body is JSON");
        assert!(
            body.get("__type")
                .and_then(serde_json::Value::as_str)
                .is_some(),
            "error body without __type: {body}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(request) = request::parse(data) else {
        return;
    };
    let server = Server::new(Handler::default());
    let response = block_on(server.handle(request));
    let first = server.service().seen.lock().unwrap().take();
    check_response(&response, first.is_some());
    let Some(first) = first else {
        return;
    };
    let Some(again) = resend(&first) else {
        return;
    };
    let shown = describe(&again);
    let response = block_on(server.handle(again));
    let second = server.service().seen.lock().unwrap().take();
    check_response(&response, second.is_some());
    let Some(second) = second else {
        panic!(
            "the server refused the client's request for an input it accepted\n\
             input: {first:?}\nrequest: {shown}\nresponse: {} {}",
            response.status(),
            String::from_utf8_lossy(response.body())
        );
    };
    // NaN never equals itself: equal Debug forms are the same input.
    assert!(
        second == first || format!("{second:?}") == format!("{first:?}"),
        "the round trip changed the input\nfirst:  {first:?}\nsecond: {second:?}\nrequest: {shown}"
    );
});
