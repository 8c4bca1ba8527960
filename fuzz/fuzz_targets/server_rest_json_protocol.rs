//! The generated restJson1 server of the Smithy protocol tests' `RestJson`
//! service (`tests/protocol/rest-json`, 106 operations: every HTTP binding,
//! timestamps, documents, unions, payloads, host prefixes):
//! any method, path, query, headers and body through routing, bindings,
//! deserialization and validation. Never a panic; every rejection is a
//! protocol error (`X-Amzn-Errortype` and a JSON object body); an input
//! that reaches a handler is answered with a success.
//!
//! Round trip, as for `server_rest_json`: an input the server accepts is
//! sent again by the generated client (through a transport that captures
//! the request), and the server must accept that request with an equal
//! input (`PartialEq`, or equal `Debug` forms for NaN, which never equals
//! itself). What differs by design is accounted for: a filled
//! idempotency token, the payload's media type in a `Content-Type` member,
//! the client's own headers in the map of `@httpPrefixHeaders("")`, an
//! empty structure payload, `@httpQueryParams` keys that `@httpQuery`
//! members bind (see `normalized`), and a `@hostLabel` member that is no
//! host label, which the client refuses to send (see `sent`).
//!
//! Each handler records its input and answers with an echo of it (where
//! input and output are one shape), the output's default, or a fixed value.
//! The list below mirrors the service trait (a model change that adds an
//! operation fails to compile here).

#![no_main]

#[path = "request.rs"]
mod request;
#[path = "roundtrip.rs"]
#[macro_use]
mod roundtrip;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use rest_json_protocol::client::Client;
use rest_json_protocol::operation::*;
use rest_json_protocol::server::{RestJson, Server};
use rest_json_protocol::{input, output, types};
use roundtrip::{block_on, describe, sent};
use std::sync::{Mutex, OnceLock};

/// What the client fills an unset idempotency token with.
const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

service! {
    impl RestJson;
    [input] all_query_string_types(types::AllQueryStringTypesInput) -> (), AllQueryStringTypesError = |i| ();
    [input] constant_and_variable_query_string(types::ConstantAndVariableQueryStringInput) -> (), ConstantAndVariableQueryStringError = |i| ();
    [input] constant_query_string(types::ConstantQueryStringInput) -> (), ConstantQueryStringError = |i| ();
    [input] content_type_parameters(input::ContentTypeParametersInput) -> output::ContentTypeParametersOutput, ContentTypeParametersError = |i| Default::default();
    [none] datetime_offsets(()) -> types::DatetimeOffsetsOutput, DatetimeOffsetsError = |i| Default::default();
    [input] document_type(types::DocumentTypeInputOutput) -> types::DocumentTypeInputOutput, DocumentTypeError = |i| i.clone();
    [input] document_type_as_map_value(types::DocumentTypeAsMapValueInputOutput) -> types::DocumentTypeAsMapValueInputOutput, DocumentTypeAsMapValueError = |i| i.clone();
    [input] document_type_as_payload(types::DocumentTypeAsPayloadInputOutput) -> types::DocumentTypeAsPayloadInputOutput, DocumentTypeAsPayloadError = |i| i.clone();
    [input] empty_input_and_empty_output(input::EmptyInputAndEmptyOutputInput) -> output::EmptyInputAndEmptyOutputOutput, EmptyInputAndEmptyOutputError = |i| Default::default();
    [none] endpoint_operation(()) -> (), EndpointOperationError = |i| ();
    [input] endpoint_with_host_label_operation(types::HostLabelInput) -> (), EndpointWithHostLabelOperationError = |i| ();
    [none] fractional_seconds(()) -> types::FractionalSecondsOutput, FractionalSecondsError = |i| Default::default();
    [none] greeting_with_errors(()) -> types::GreetingWithErrorsOutput, GreetingWithErrorsError = |i| Default::default();
    [none] host_with_path_operation(()) -> (), HostWithPathOperationError = |i| ();
    [input] http_checksum_required(types::HttpChecksumRequiredInputOutput) -> types::HttpChecksumRequiredInputOutput, HttpChecksumRequiredError = |i| i.clone();
    [input] http_empty_prefix_headers(input::HttpEmptyPrefixHeadersInput) -> output::HttpEmptyPrefixHeadersOutput, HttpEmptyPrefixHeadersError = |i| Default::default();
    [input] http_enum_payload(types::EnumPayloadInput) -> types::EnumPayloadInput, HttpEnumPayloadError = |i| i.clone();
    [input] http_payload_traits(types::HttpPayloadTraitsInputOutput) -> types::HttpPayloadTraitsInputOutput, HttpPayloadTraitsError = |i| i.clone();
    [input] http_payload_traits_with_media_type(types::HttpPayloadTraitsWithMediaTypeInputOutput) -> types::HttpPayloadTraitsWithMediaTypeInputOutput, HttpPayloadTraitsWithMediaTypeError = |i| i.clone();
    [input] http_payload_with_structure(types::HttpPayloadWithStructureInputOutput) -> types::HttpPayloadWithStructureInputOutput, HttpPayloadWithStructureError = |i| i.clone();
    [input] http_payload_with_union(types::HttpPayloadWithUnionInputOutput) -> types::HttpPayloadWithUnionInputOutput, HttpPayloadWithUnionError = |i| i.clone();
    [input] http_prefix_headers(input::HttpPrefixHeadersInput) -> output::HttpPrefixHeadersOutput, HttpPrefixHeadersError = |i| Default::default();
    [input] http_prefix_headers_in_response(input::HttpPrefixHeadersInResponseInput) -> output::HttpPrefixHeadersInResponseOutput, HttpPrefixHeadersInResponseError = |i| Default::default();
    [input] http_query_params_only_operation(types::HttpQueryParamsOnlyInput) -> (), HttpQueryParamsOnlyOperationError = |i| ();
    [input] http_request_with_float_labels(types::HttpRequestWithFloatLabelsInput) -> (), HttpRequestWithFloatLabelsError = |i| ();
    [input] http_request_with_greedy_label_in_path(types::HttpRequestWithGreedyLabelInPathInput) -> (), HttpRequestWithGreedyLabelInPathError = |i| ();
    [input] http_request_with_labels(types::HttpRequestWithLabelsInput) -> (), HttpRequestWithLabelsError = |i| ();
    [input] http_request_with_labels_and_timestamp_format(types::HttpRequestWithLabelsAndTimestampFormatInput) -> (), HttpRequestWithLabelsAndTimestampFormatError = |i| ();
    [input] http_request_with_regex_literal(types::HttpRequestWithRegexLiteralInput) -> (), HttpRequestWithRegexLiteralError = |i| ();
    [none] http_response_code(()) -> types::HttpResponseCodeOutput, HttpResponseCodeError = |i| Default::default();
    [input] http_string_payload(types::StringPayloadInput) -> types::StringPayloadInput, HttpStringPayloadError = |i| i.clone();
    [none] ignore_query_params_in_response(()) -> types::IgnoreQueryParamsInResponseOutput, IgnoreQueryParamsInResponseError = |i| Default::default();
    [input] input_and_output_with_headers(types::InputAndOutputWithHeadersIo) -> types::InputAndOutputWithHeadersIo, InputAndOutputWithHeadersError = |i| i.clone();
    [input] json_blobs(types::JsonBlobsInputOutput) -> types::JsonBlobsInputOutput, JsonBlobsError = |i| i.clone();
    [input] json_enums(types::JsonEnumsInputOutput) -> types::JsonEnumsInputOutput, JsonEnumsError = |i| i.clone();
    [input] json_int_enums(types::JsonIntEnumsInputOutput) -> types::JsonIntEnumsInputOutput, JsonIntEnumsError = |i| i.clone();
    [input] json_lists(types::JsonListsInputOutput) -> types::JsonListsInputOutput, JsonListsError = |i| i.clone();
    [input] json_maps(types::JsonMapsInputOutput) -> types::JsonMapsInputOutput, JsonMapsError = |i| i.clone();
    [input] json_timestamps(types::JsonTimestampsInputOutput) -> types::JsonTimestampsInputOutput, JsonTimestampsError = |i| i.clone();
    [input] json_unions(types::UnionInputOutput) -> types::UnionInputOutput, JsonUnionsError = |i| i.clone();
    [none] malformed_accept_with_body(()) -> types::GreetingStruct, MalformedAcceptWithBodyError = |i| Default::default();
    [none] malformed_accept_with_generic_string(()) -> types::MalformedAcceptWithGenericStringOutput, MalformedAcceptWithGenericStringError = |i| Default::default();
    [none] malformed_accept_with_payload(()) -> types::MalformedAcceptWithPayloadOutput, MalformedAcceptWithPayloadError = |i| Default::default();
    [input] malformed_blob(types::MalformedBlobInput) -> (), MalformedBlobError = |i| ();
    [input] malformed_boolean(types::MalformedBooleanInput) -> (), MalformedBooleanError = |i| ();
    [input] malformed_byte(types::MalformedByteInput) -> (), MalformedByteError = |i| ();
    [input] malformed_content_type_with_body(types::GreetingStruct) -> (), MalformedContentTypeWithBodyError = |i| ();
    [input] malformed_content_type_with_generic_string(types::MalformedContentTypeWithGenericStringInput) -> (), MalformedContentTypeWithGenericStringError = |i| ();
    [input] malformed_content_type_with_payload(types::MalformedContentTypeWithPayloadInput) -> (), MalformedContentTypeWithPayloadError = |i| ();
    [none] malformed_content_type_without_body(()) -> (), MalformedContentTypeWithoutBodyError = |i| ();
    [input] malformed_content_type_without_body_empty_input(types::MalformedContentTypeWithoutBodyEmptyInputInput) -> (), MalformedContentTypeWithoutBodyEmptyInputError = |i| ();
    [input] malformed_double(types::MalformedDoubleInput) -> (), MalformedDoubleError = |i| ();
    [input] malformed_float(types::MalformedFloatInput) -> (), MalformedFloatError = |i| ();
    [input] malformed_integer(types::MalformedIntegerInput) -> (), MalformedIntegerError = |i| ();
    [input] malformed_list(types::MalformedListInput) -> (), MalformedListError = |i| ();
    [input] malformed_long(types::MalformedLongInput) -> (), MalformedLongError = |i| ();
    [input] malformed_map(types::MalformedMapInput) -> (), MalformedMapError = |i| ();
    [input] malformed_request_body(types::MalformedRequestBodyInput) -> (), MalformedRequestBodyError = |i| ();
    [input] malformed_short(types::MalformedShortInput) -> (), MalformedShortError = |i| ();
    [input] malformed_string(types::MalformedStringInput) -> (), MalformedStringError = |i| ();
    [input] malformed_timestamp_body_date_time(types::MalformedTimestampBodyDateTimeInput) -> (), MalformedTimestampBodyDateTimeError = |i| ();
    [input] malformed_timestamp_body_default(types::MalformedTimestampBodyDefaultInput) -> (), MalformedTimestampBodyDefaultError = |i| ();
    [input] malformed_timestamp_body_http_date(types::MalformedTimestampBodyHttpDateInput) -> (), MalformedTimestampBodyHttpDateError = |i| ();
    [input] malformed_timestamp_header_date_time(types::MalformedTimestampHeaderDateTimeInput) -> (), MalformedTimestampHeaderDateTimeError = |i| ();
    [input] malformed_timestamp_header_default(types::MalformedTimestampHeaderDefaultInput) -> (), MalformedTimestampHeaderDefaultError = |i| ();
    [input] malformed_timestamp_header_epoch(types::MalformedTimestampHeaderEpochInput) -> (), MalformedTimestampHeaderEpochError = |i| ();
    [input] malformed_timestamp_path_default(types::MalformedTimestampPathDefaultInput) -> (), MalformedTimestampPathDefaultError = |i| ();
    [input] malformed_timestamp_path_epoch(types::MalformedTimestampPathEpochInput) -> (), MalformedTimestampPathEpochError = |i| ();
    [input] malformed_timestamp_path_http_date(types::MalformedTimestampPathHttpDateInput) -> (), MalformedTimestampPathHttpDateError = |i| ();
    [input] malformed_timestamp_query_default(types::MalformedTimestampQueryDefaultInput) -> (), MalformedTimestampQueryDefaultError = |i| ();
    [input] malformed_timestamp_query_epoch(types::MalformedTimestampQueryEpochInput) -> (), MalformedTimestampQueryEpochError = |i| ();
    [input] malformed_timestamp_query_http_date(types::MalformedTimestampQueryHttpDateInput) -> (), MalformedTimestampQueryHttpDateError = |i| ();
    [input] malformed_union(types::MalformedUnionInput) -> (), MalformedUnionError = |i| ();
    [input] media_type_header(types::MediaTypeHeaderInput) -> types::MediaTypeHeaderOutput, MediaTypeHeaderError = |i| Default::default();
    [none] no_input_and_no_output(()) -> (), NoInputAndNoOutputError = |i| ();
    [none] no_input_and_output(()) -> output::NoInputAndOutputOutput, NoInputAndOutputError = |i| Default::default();
    [input] null_and_empty_headers_client(types::NullAndEmptyHeadersIo) -> types::NullAndEmptyHeadersIo, NullAndEmptyHeadersClientError = |i| i.clone();
    [input] null_and_empty_headers_server(types::NullAndEmptyHeadersIo) -> types::NullAndEmptyHeadersIo, NullAndEmptyHeadersServerError = |i| i.clone();
    [input] omits_null_serializes_empty_string(types::OmitsNullSerializesEmptyStringInput) -> (), OmitsNullSerializesEmptyStringError = |i| ();
    [input] omits_serializing_empty_lists(types::OmitsSerializingEmptyListsInput) -> (), OmitsSerializingEmptyListsError = |i| ();
    [input] operation_with_defaults(input::OperationWithDefaultsInput) -> output::OperationWithDefaultsOutput, OperationWithDefaultsError = |i| output::OperationWithDefaultsOutput::new();
    [input] operation_with_nested_structure(input::OperationWithNestedStructureInput) -> output::OperationWithNestedStructureOutput, OperationWithNestedStructureError = |i| { let t = &i.top_level; let mut o = output::OperationWithNestedStructureOutput::new(t.dialog.clone()); o.dialog_list = t.dialog_list.clone(); o.dialog_map = t.dialog_map.clone(); o };
    [input] post_player_action(input::PostPlayerActionInput) -> output::PostPlayerActionOutput, PostPlayerActionError = |i| output::PostPlayerActionOutput::new(types::PlayerAction::Quit);
    [input] post_union_with_json_name(input::PostUnionWithJsonNameInput) -> output::PostUnionWithJsonNameOutput, PostUnionWithJsonNameError = |i| output::PostUnionWithJsonNameOutput::new(match &i.value { Some(v) if *v != types::UnionWithJsonName::Unknown => v.clone(), _ => types::UnionWithJsonName::Foo(String::new()) });
    [input] put_with_content_encoding(input::PutWithContentEncodingInput) -> (), PutWithContentEncodingError = |i| ();
    [input] query_idempotency_token_auto_fill(types::QueryIdempotencyTokenAutoFillInput) -> (), QueryIdempotencyTokenAutoFillError = |i| ();
    [input] query_params_as_string_list_map(types::QueryParamsAsStringListMapInput) -> (), QueryParamsAsStringListMapError = |i| ();
    [input] query_precedence(types::QueryPrecedenceInput) -> (), QueryPrecedenceError = |i| ();
    [input] recursive_shapes(types::RecursiveShapesInputOutput) -> types::RecursiveShapesInputOutput, RecursiveShapesError = |i| i.clone();
    [input] response_code_http_fallback(types::ResponseCodeHttpFallbackInputOutput) -> types::ResponseCodeHttpFallbackInputOutput, ResponseCodeHttpFallbackError = |i| i.clone();
    [none] response_code_required(()) -> output::ResponseCodeRequiredOutput, ResponseCodeRequiredError = |i| output::ResponseCodeRequiredOutput::new(200);
    [input] simple_scalar_properties(types::SimpleScalarPropertiesInputOutput) -> types::SimpleScalarPropertiesInputOutput, SimpleScalarPropertiesError = |i| i.clone();
    [input] sparse_json_lists(types::SparseJsonListsInputOutput) -> types::SparseJsonListsInputOutput, SparseJsonListsError = |i| i.clone();
    [input] sparse_json_maps(types::SparseJsonMapsInputOutput) -> types::SparseJsonMapsInputOutput, SparseJsonMapsError = |i| i.clone();
    [input] streaming_traits(types::StreamingTraitsInputOutput) -> types::StreamingTraitsInputOutput, StreamingTraitsError = |i| i.clone();
    [input] streaming_traits_require_length(input::StreamingTraitsRequireLengthInput) -> (), StreamingTraitsRequireLengthError = |i| ();
    [input] streaming_traits_with_media_type(types::StreamingTraitsWithMediaTypeInputOutput) -> types::StreamingTraitsWithMediaTypeInputOutput, StreamingTraitsWithMediaTypeError = |i| i.clone();
    [input] test_body_structure(types::TestBodyStructureInputOutput) -> types::TestBodyStructureInputOutput, TestBodyStructureError = |i| i.clone();
    [none] test_get_no_input_no_payload(()) -> types::TestNoPayloadInputOutput, TestGetNoInputNoPayloadError = |i| Default::default();
    [input] test_get_no_payload(types::TestNoPayloadInputOutput) -> types::TestNoPayloadInputOutput, TestGetNoPayloadError = |i| i.clone();
    [input] test_payload_blob(types::TestPayloadBlobInputOutput) -> types::TestPayloadBlobInputOutput, TestPayloadBlobError = |i| i.clone();
    [input] test_payload_structure(types::TestPayloadStructureInputOutput) -> types::TestPayloadStructureInputOutput, TestPayloadStructureError = |i| i.clone();
    [none] test_post_no_input_no_payload(()) -> types::TestNoPayloadInputOutput, TestPostNoInputNoPayloadError = |i| Default::default();
    [input] test_post_no_payload(types::TestNoPayloadInputOutput) -> types::TestNoPayloadInputOutput, TestPostNoPayloadError = |i| i.clone();
    [input] timestamp_format_headers(types::TimestampFormatHeadersIo) -> types::TimestampFormatHeadersIo, TimestampFormatHeadersError = |i| i.clone();
    [none] unit_input_and_output(()) -> (), UnitInputAndOutputError = |i| ();
}

/// The client, over `roundtrip::capturing_config`.
fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| Client::new(roundtrip::capturing_config("application/json", TOKEN)))
}

/// `seen` as the client sends it: an unset idempotency token filled; a
/// blob payload's unset `Content-Type` member (bound to the header) set to
/// the payload's media type, which the client sends in its place.
fn as_sent(seen: &Seen) -> Seen {
    let mut seen = seen.clone();
    match &mut seen {
        Seen::query_idempotency_token_auto_fill(i) => {
            i.token.get_or_insert_with(|| TOKEN.to_owned());
        }
        Seen::test_payload_blob(i) if i.data.is_some() => {
            i.content_type
                .get_or_insert_with(|| "application/octet-stream".to_owned());
        }
        _ => {}
    }
    seen
}

/// The headers the client adds to every request (signing, retries,
/// `User-Agent`, `Host`).
const CLIENT_HEADERS: &[&str] = &[
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "authorization",
    "host",
    "user-agent",
    "x-amz-date",
    "x-amz-security-token",
];

/// The query parameters that `AllQueryStringTypes` binds to members.
const ALL_QUERY_STRING_TYPES: &[&str] = &[
    "String",
    "StringList",
    "StringSet",
    "Byte",
    "Short",
    "Integer",
    "IntegerList",
    "IntegerSet",
    "Long",
    "Float",
    "Double",
    "DoubleList",
    "Boolean",
    "BooleanList",
    "Timestamp",
    "TimestampList",
    "Enum",
    "EnumList",
    "IntegerEnum",
    "IntegerEnumList",
];

/// An `@httpQueryParams` map without the parameters that `@httpQuery`
/// members bind: the server keeps their text as received (every value of
/// a repeated scalar, `01` for 1), the client writes them from the members
/// (one value, `1`) and leaves them out of the map, as the spec says.
fn drop_keys<V>(map: &mut Option<std::collections::BTreeMap<String, V>>, keys: &[&str]) {
    if let Some(m) = map {
        m.retain(|k, _| !keys.contains(&k.as_str()));
        if m.is_empty() {
            *map = None;
        }
    }
}

/// `seen` without what cannot survive the trip by design: the map of
/// `@httpPrefixHeaders("")` holds every header of the request, the
/// client's own among them; and a structure payload with no member set
/// is written `{}`, which the server reads as no payload (the protocol
/// tests' `RestJsonHttpWithEmptyStructurePayload`), while it reads an
/// object of unknown members only as an empty structure.
fn normalized(mut seen: Seen) -> Seen {
    match &mut seen {
        Seen::http_empty_prefix_headers(i) => {
            if let Some(m) = &mut i.prefix_headers {
                m.retain(|k, _| !CLIENT_HEADERS.contains(&k.to_ascii_lowercase().as_str()));
                if m.is_empty() {
                    i.prefix_headers = None;
                }
            }
        }
        Seen::all_query_string_types(i) => {
            drop_keys(
                &mut i.query_params_map_of_string_list,
                ALL_QUERY_STRING_TYPES,
            );
        }
        Seen::query_precedence(i) => drop_keys(&mut i.baz, &["bar"]),
        Seen::query_params_as_string_list_map(i) => drop_keys(&mut i.foo, &["corge"]),
        Seen::test_payload_structure(i) => {
            if i.payload_config == Some(Default::default()) {
                i.payload_config = None;
            }
        }
        Seen::http_payload_with_structure(i) => {
            if i.nested == Some(Default::default()) {
                i.nested = None;
            }
        }
        _ => {}
    }
    seen
}

/// Inputs whose round trip fails for a reason already reported (found by
/// this target), left out until it is fixed so that the target looks for
/// others: a greedy label with an empty segment. The server decodes `%2F`
/// inside a greedy label, so `.../baz/a/%2Fb` gives `a//b`, which the
/// client refuses to write ("must not have an empty path segment"), and
/// `.../baz/%2Fb` gives `/b`, which the client writes as `.../baz/b`
/// (the leading slash dropped), read back as `b`.
fn known_mismatch(seen: &Seen) -> bool {
    match seen {
        Seen::http_request_with_greedy_label_in_path(i) => i.baz.split('/').any(str::is_empty),
        _ => false,
    }
}

/// Every response has a status; every error response is a restJson1 error.
fn check_response(response: &http::Response<Bytes>, handled: bool) {
    let status = response.status().as_u16();
    assert!((200..600).contains(&status), "status {status}");
    if status >= 400 {
        assert!(
            !handled,
            "{status} for a request the handler answered: {}",
            String::from_utf8_lossy(response.body())
        );
        assert!(
            response.headers().contains_key("x-amzn-errortype"),
            "{status} without X-Amzn-Errortype"
        );
        let body: serde_json::Value =
            serde_json::from_slice(response.body()).expect("an error body is JSON");
        assert!(body.is_object(), "error body {body}");
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
    if known_mismatch(&first) {
        return;
    }
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
    let expected = normalized(as_sent(&first));
    let second = normalized(second);
    // NaN never equals itself: equal Debug forms are the same input.
    assert!(
        second == expected || format!("{second:?}") == format!("{expected:?}"),
        "the round trip changed the input\nfirst:  {expected:?}\nsecond: {second:?}\nrequest: {shown}"
    );
});
