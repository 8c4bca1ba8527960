//! Server plumbing shared by every generated service: restJson1 routing,
//! label and query decoding, strict scalar parsing, content negotiation,
//! protocol errors, response building, panic containment, and the
//! `tower::Service` adapter.
//!
//! Status codes and error type names follow smithy-rs's restJson1 servers.
//!
//! One module per concern, re-exported here: `routing` (routes, labels,
//! query strings), `request` (rejections, content negotiation, JSON
//! bodies), `response` (JSON, empty and error responses) and `handler`
//! (panic containment, `Dispatch`, the `tower::Service` adapter). The
//! awsJson1_0/1_1 wire rules (routing by `X-Amz-Target`, media types,
//! `__type` errors) are the `aws_json` module; rejections and the
//! handler plumbing serve both.

pub use bytes::Bytes;
pub use http;

/// The response header that names a modelled or protocol error.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// Largest request body the `tower::Service` adapter reads (8 MiB).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

pub mod aws_json;
mod handler;
mod request;
mod response;
mod routing;

pub use handler::{Dispatch, TowerService, catch_unwind};
pub(crate) use request::content_type_text;
pub use request::{
    Rejection, check_accept, check_accept_media, check_content_type, check_no_content_type,
    json_body,
};
pub use response::{
    InternalFailure, empty_response, error_response, event_streams_unsupported, json_response,
};
pub use routing::{Labels, MAX_LABELS, Query, Route, RouteError, Router, Seg, percent_decode};
