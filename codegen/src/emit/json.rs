//! restJson1 JSON bodies: which serde adapter a member needs.
//!
//! The generated types (de)serialize as restJson1 bodies. Most scalars are
//! plain serde values; two need an adapter from `smithy_rt`, whatever list
//! and map nesting they sit in (the runtime's `Nested` lifts one adapter
//! through `Option`, `Vec`, `BTreeMap` and `Box`):
//!
//! - timestamps with a `timestampFormat` other than `epoch-seconds` (the
//!   body default, which `DateTime`'s own serde writes);
//! - floats and doubles, whose NaN and infinities travel as the strings
//!   `"NaN"`, `"Infinity"` and `"-Infinity"`.

use crate::ir::{self, Model, ShapeKind, Simple, TimestampFormat};
use proc_macro2::TokenStream;
use quote::quote;

/// The scalar at the bottom of a member's list and map nesting, with the
/// timestamp format that applies to it.
fn leaf(model: &Model, m: &ir::Member) -> (Option<Simple>, Option<TimestampFormat>) {
    let mut target = &m.target;
    let mut format = m.timestamp_format;
    loop {
        let shape = model.shape(target);
        match &shape.kind {
            ShapeKind::List(l) => {
                format = l
                    .member
                    .timestamp_format
                    .or(model.shape(&l.member.target).timestamp_format);
                target = &l.member.target;
            }
            ShapeKind::Map(mp) => {
                format = mp
                    .value
                    .timestamp_format
                    .or(model.shape(&mp.value.target).timestamp_format);
                target = &mp.value.target;
            }
            ShapeKind::Simple(s) => {
                let format = format.or(shape.timestamp_format);
                return (Some(*s), format);
            }
            _ => return (None, None),
        }
    }
}

/// The `with = "..."` part of a member's `#[serde(...)]` (with a leading
/// comma), or nothing.
pub(crate) fn with_attr(model: &Model, m: &ir::Member) -> TokenStream {
    match adapter(model, m) {
        Some(path) => quote!(, with = #path),
        None => TokenStream::new(),
    }
}

/// The adapter module a member's body value goes through, if any.
pub(crate) fn adapter(model: &Model, m: &ir::Member) -> Option<&'static str> {
    match leaf(model, m) {
        (Some(Simple::Timestamp), Some(TimestampFormat::DateTime)) => {
            Some("::smithy_rt::datetime::date_time")
        }
        (Some(Simple::Timestamp), Some(TimestampFormat::HttpDate)) => {
            Some("::smithy_rt::datetime::http_date")
        }
        (Some(Simple::Float | Simple::Double), _) => Some("::smithy_rt::number::float"),
        _ => None,
    }
}

/// The codec type of a member's adapter (`<adapter>::Format`), for reading
/// one value with `smithy_rt::nested::With`.
pub(crate) fn codec(model: &Model, m: &ir::Member) -> Option<TokenStream> {
    let path: syn::Path = syn::parse_str(&format!("{}::Format", adapter(model, m)?))
        .expect("adapter paths are valid Rust paths");
    Some(quote!(#path))
}
