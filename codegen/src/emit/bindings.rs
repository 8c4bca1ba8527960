//! HTTP bindings of one operation, both directions of the server: reading
//! the input out of a request (labels, query, headers, prefix headers,
//! query maps, payload or JSON body) and writing the output into a response
//! (status code, headers, prefix headers, payload or JSON body).
//!
//! The generated code is glue; every rule lives in `smithy_rt::bindings`
//! and `smithy_rt::server`, tested there.

use super::paths::{ident, rust_type, type_path};
use crate::ir::{
    Binding, Member, Model, Operation, Segment, Shape, ShapeId, ShapeKind, Simple, TimestampFormat,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where a scalar is written as text; decides the default timestamp format.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    Uri,
    Header,
}

pub(crate) fn format_tokens(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::DateTime => quote!(::smithy_rt::datetime::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::smithy_rt::datetime::TimestampFormat::HttpDate),
        TimestampFormat::EpochSeconds => {
            quote!(::smithy_rt::datetime::TimestampFormat::EpochSeconds)
        }
    }
}

/// The timestamp format of a member bound to text: the member's (or its
/// target's, or its list member's), else the default of its place.
pub(crate) fn text_format(
    model: &Model,
    m: &Member,
    target: &ShapeId,
    place: Place,
) -> TimestampFormat {
    m.timestamp_format
        .or(model.shape(target).timestamp_format)
        .or_else(|| match &model.shape(&m.target).kind {
            ShapeKind::List(l) => l.member.timestamp_format,
            _ => None,
        })
        .unwrap_or(match place {
            Place::Uri => TimestampFormat::DateTime,
            Place::Header => TimestampFormat::HttpDate,
        })
}

/// An expression parsing the `&str` expression `v` as a `target`, with `?`
/// for failures (the server's parsers, which reject with the member's name).
fn parse_text(
    model: &Model,
    m: &Member,
    target: &ShapeId,
    v: TokenStream,
    place: Place,
) -> TokenStream {
    let member = &m.name;
    parse_text_with(
        model,
        m,
        target,
        v,
        place,
        &|f, args| quote!(::smithy_rt::bindings::#f(#args, #member)?),
    )
}

/// An expression parsing the `&str` expression `v` as a `target` read
/// from `place`; `call(f, args)` is the call of the side's parser `f`
/// (`parse_timestamp`, `parse_blob`, `parse_media_type_string`,
/// `parse::<T>`) on `args`, `?` included. The server and the client share
/// the rules and differ in their parsers' errors.
pub(crate) fn parse_text_with(
    model: &Model,
    m: &Member,
    target: &ShapeId,
    v: TokenStream,
    place: Place,
    call: &dyn Fn(TokenStream, TokenStream) -> TokenStream,
) -> TokenStream {
    let shape = model.shape(target);
    match &shape.kind {
        ShapeKind::Simple(Simple::String)
            if shape.media_type.is_some() && matches!(place, Place::Header) =>
        {
            call(quote!(parse_media_type_string), v)
        }
        ShapeKind::Simple(Simple::String) => quote!(::std::string::String::from(#v)),
        ShapeKind::Enum(_) => {
            let ty = type_path(shape);
            quote!(#ty::from(#v))
        }
        ShapeKind::IntEnum(_) => {
            let ty = type_path(shape);
            let parsed = call(quote!(parse::<i32>), v);
            quote!(#ty::from(#parsed))
        }
        ShapeKind::Simple(Simple::Timestamp) => {
            let f = format_tokens(text_format(model, m, target, place));
            call(quote!(parse_timestamp), quote!(#v, #f))
        }
        ShapeKind::Simple(Simple::Blob) => call(quote!(parse_blob), v),
        _ => {
            let ty = rust_type(model, target);
            call(quote!(parse::<#ty>), v)
        }
    }
}

/// An expression writing the reference expression `v` (a `&target`) as
/// header text (a `String`).
fn write_text(model: &Model, m: &Member, target: &ShapeId, v: TokenStream) -> TokenStream {
    write_text_at(model, m, target, v, Place::Header)
}

/// An expression writing the reference expression `v` (a `&target`) as
/// text (a `String`) for `place`: a header, or a URI label or query value.
pub(crate) fn write_text_at(
    model: &Model,
    m: &Member,
    target: &ShapeId,
    v: TokenStream,
    place: Place,
) -> TokenStream {
    let shape = model.shape(target);
    match &shape.kind {
        ShapeKind::Simple(Simple::String)
            if shape.media_type.is_some() && matches!(place, Place::Header) =>
        {
            quote!(::smithy_rt::http_bindings::encode_media_type(#v))
        }
        ShapeKind::Simple(Simple::String) => quote!(::std::string::String::from(#v.as_str())),
        ShapeKind::Enum(_) => quote!(::std::string::String::from(#v.as_str())),
        ShapeKind::IntEnum(_) => quote!(#v.value().to_string()),
        ShapeKind::Simple(Simple::Timestamp) => {
            let f = format_tokens(text_format(model, m, target, place));
            quote!(#f.format(#v))
        }
        ShapeKind::Simple(Simple::Blob) => {
            quote!(::smithy_rt::http_bindings::encode_blob(#v.as_bytes()))
        }
        ShapeKind::Simple(Simple::Float) => quote!(::smithy_rt::number::format_f32(*#v)),
        ShapeKind::Simple(Simple::Double) => quote!(::smithy_rt::number::format_f64(*#v)),
        _ => quote!(#v.to_string()),
    }
}

/// The statements that replace `request` by its decompressed form when
/// `o` has `@requestCompression` and the body says it is compressed (any
/// protocol's deserializer starts with them).
pub(crate) fn decompression(o: &Operation) -> Option<TokenStream> {
    (!o.request_compression.is_empty()).then(|| {
        quote! {
            let decompressed;
            let request = match ::smithy_rt::bindings::decompress(request)? {
                ::std::option::Option::Some(r) => {
                    decompressed = r;
                    &decompressed
                }
                ::std::option::Option::None => request,
            };
        }
    })
}

pub(crate) fn deserializer_name(o: &Operation) -> proc_macro2::Ident {
    format_ident!("deserialize_{}", o.fn_name.trim_start_matches("r#"))
}

pub(crate) fn serializer_name(o: &Operation) -> proc_macro2::Ident {
    format_ident!("serialize_{}", o.fn_name.trim_start_matches("r#"))
}

/// The writer of an error structure; its prefix is no operation
/// function's (`deserialize_`, `serialize_`), so the names never collide.
pub(crate) fn error_writer_name(shape: &Shape) -> proc_macro2::Ident {
    format_ident!(
        "write_error_{}",
        crate::naming::fn_name(&shape.id.name).trim_start_matches("r#")
    )
}

/// `deserialize_<op>`: every binding into the unvalidated input, then
/// validation.
pub(crate) fn deserializer(model: &Model, o: &Operation) -> Option<TokenStream> {
    let input_id = o.input.as_ref()?;
    let input = model.shape(input_id);
    let ShapeKind::Structure(st) = &input.kind else {
        return None;
    };
    let typed = type_path(input);
    let raw_ty = {
        let n = ident(&input.rust_name);
        quote!(crate::unvalidated::#n)
    };
    let name = deserializer_name(o);
    let h = o.http.as_ref().expect("server bindings need routes");
    let label_index = |member: &str| {
        h.segments
            .iter()
            .filter(|s| matches!(s, Segment::Label { .. }))
            .position(|s| matches!(s, Segment::Label { name, .. } if name == member))
            .expect("labels were checked against members")
    };
    let has = |f: &dyn Fn(&Binding) -> bool| st.members.iter().any(|m| f(&m.binding));
    let has_body = has(&|b| *b == Binding::Body);
    let has_query = has(&|b| matches!(b, Binding::Query(_) | Binding::QueryParams));
    let has_labels = has(&|b| *b == Binding::Label);
    let has_other = has(&|b| {
        matches!(
            b,
            Binding::Header(_) | Binding::PrefixHeaders(_) | Binding::Payload
        )
    });
    let mutable = if has_labels || has_query || has_other {
        quote!(mut)
    } else {
        quote!()
    };
    let decompress = decompression(o);
    let start = if has_body {
        quote! {
            ::smithy_rt::server::check_content_type(request.headers(), request.body())?;
            let #mutable raw: #raw_ty = ::smithy_rt::server::json_body(request.body())?;
        }
    } else if has(&|b| *b == Binding::Payload) || st.members.is_empty() {
        // An empty input takes whatever body it is sent
        // (RestJsonEmptyInputAndEmptyOutputWithJson).
        quote!(let #mutable raw = #raw_ty::default();)
    } else {
        // Members, none in the body: no Content-Type
        // (RestJsonWithoutBodyEmptyInputExpectsEmptyContentType).
        quote! {
            ::smithy_rt::server::check_no_content_type(request.headers(), request.body())?;
            let #mutable raw = #raw_ty::default();
        }
    };
    let reads_request = has_body || has_query || has_other || !st.members.is_empty();
    let unused = match (reads_request, has_labels) {
        (true, true) => quote!(),
        (true, false) => quote!(let _ = labels;),
        (false, true) => quote!(let _ = request;),
        (false, false) => quote!(let _ = (request, labels);),
    };
    let query = has_query
        .then(|| quote!(let query = ::smithy_rt::server::Query::parse(request.uri().query())?;));
    // `httpQueryParams` gets every query parameter, those bound by
    // `httpQuery` too (RestJsonServersPutAllQueryParamsInMap); only the
    // route's own literals are left out.
    let bound_query: Vec<&str> = h.query.iter().map(|(k, _)| k.as_str()).collect();
    let bindings = st.members.iter().map(|m| {
        let field = ident(&m.rust_name);
        let member = &m.name;
        let target = model.shape(&m.target);
        match &m.binding {
            Binding::Body | Binding::ResponseCode => quote!(),
            Binding::Label => {
                let i = label_index(&m.name);
                if matches!(target.kind, ShapeKind::Simple(Simple::String)) {
                    quote!(raw.#field = ::std::option::Option::Some(labels.get(#i, #member)?.into_owned());)
                } else {
                    let value = parse_text(model, m, &m.target, quote!(label), Place::Uri);
                    quote! {
                        let label = labels.get(#i, #member)?;
                        let label: &str = &label;
                        raw.#field = ::std::option::Option::Some(#value);
                    }
                }
            }
            Binding::Query(q) => {
                if let ShapeKind::List(l) = &target.kind {
                    let item = parse_text(model, m, &l.member.target, quote!(v), Place::Uri);
                    quote! {
                        let mut values = ::std::vec::Vec::new();
                        for v in query.all(#q) {
                            values.push(#item);
                        }
                        if !values.is_empty() {
                            raw.#field = ::std::option::Option::Some(values);
                        }
                    }
                } else {
                    let value = parse_text(model, m, &m.target, quote!(v), Place::Uri);
                    quote! {
                        if let ::std::option::Option::Some(v) = query.first(#q) {
                            raw.#field = ::std::option::Option::Some(#value);
                        }
                    }
                }
            }
            Binding::QueryParams => {
                let ShapeKind::Map(map) = &target.kind else { unreachable!("checked when lowered") };
                let key = parse_text(model, m, &map.key.target, quote!(k.as_str()), Place::Uri);
                let value = match &model.shape(&map.value.target).kind {
                    ShapeKind::List(l) => {
                        let item = parse_text(model, m, &l.member.target, quote!(v.as_str()), Place::Uri);
                        quote!(vs.iter().map(|v| #item).collect())
                    }
                    _ => {
                        let item = parse_text(model, m, &map.value.target, quote!(v.as_str()), Place::Uri);
                        quote!({ let v = &vs[0]; #item })
                    }
                };
                quote! {
                    if let ::std::option::Option::Some(params) = ::smithy_rt::bindings::query_params(query.pairs(), &[#(#bound_query),*]) {
                        raw.#field = ::std::option::Option::Some(params.into_iter().map(|(k, vs)| (#key, #value)).collect());
                    }
                }
            }
            Binding::Header(name) => {
                if let ShapeKind::List(l) = &target.kind {
                    let http_date = matches!(model.shape(&l.member.target).kind, ShapeKind::Simple(Simple::Timestamp))
                        && text_format(model, m, &l.member.target, Place::Header) == TimestampFormat::HttpDate;
                    let item = parse_text(model, m, &l.member.target, quote!(v.as_str()), Place::Header);
                    quote! {
                        if let ::std::option::Option::Some(items) = ::smithy_rt::bindings::header_list(request.headers(), #name, #http_date, #member)? {
                            let mut values = ::std::vec::Vec::with_capacity(items.len());
                            for v in &items {
                                values.push(#item);
                            }
                            raw.#field = ::std::option::Option::Some(values);
                        }
                    }
                } else {
                    let value = parse_text(model, m, &m.target, quote!(v.as_str()), Place::Header);
                    quote! {
                        if let ::std::option::Option::Some(v) = ::smithy_rt::bindings::header(request.headers(), #name, #member)? {
                            raw.#field = ::std::option::Option::Some(#value);
                        }
                    }
                }
            }
            Binding::PrefixHeaders(prefix) => {
                let ShapeKind::Map(map) = &target.kind else { unreachable!("checked when lowered") };
                let key = parse_text(model, m, &map.key.target, quote!(k.as_str()), Place::Header);
                let value = parse_text(model, m, &map.value.target, quote!(v.as_str()), Place::Header);
                quote! {
                    if let ::std::option::Option::Some(headers) = ::smithy_rt::bindings::prefix_headers(request.headers(), #prefix, #member)? {
                        raw.#field = ::std::option::Option::Some(headers.into_iter().map(|(k, v)| (#key, #value)).collect());
                    }
                }
            }
            Binding::Payload => payload_in(m, target),
        }
    });
    let parts = if has_other {
        "URI, headers and body"
    } else {
        "labels, query and JSON body"
    };
    let doc = format!(
        " Reads the input of `{}` from a request whose route matched: {parts}, then validates it.",
        o.id.name
    );
    Some(quote! {
        #[doc = #doc]
        pub fn #name(request: &http::Request<Bytes>, labels: &Labels<'_>) -> ::std::result::Result<#typed, Rejection> {
            #unused
            #decompress
            #start
            #query
            #(#bindings)*
            raw.validate().map_err(Rejection::Validation)
        }
    })
}

/// Reads an `httpPayload` member from the whole body.
fn payload_in(m: &Member, target: &crate::ir::Shape) -> TokenStream {
    let field = ident(&m.rust_name);
    let member = &m.name;
    let media = target.media_type.clone();
    let check = |default: &str| {
        let expected = media.clone().unwrap_or_else(|| default.to_owned());
        quote!(::smithy_rt::bindings::check_payload_type(request.headers(), request.body(), #expected)?;)
    };
    match &target.kind {
        ShapeKind::Simple(Simple::Blob) => {
            // A blob without `mediaType` is any bytes, of any declared type
            // (RestJsonHttpPayloadTraitsWithBlobAcceptsAllContentTypes).
            let check = match &media {
                Some(_) => check("application/octet-stream"),
                None => TokenStream::new(),
            };
            let value = if target.streaming {
                quote!(
                    (!request.body().is_empty())
                        .then(|| ::smithy_rt::ByteStream::from(request.body().clone()))
                )
            } else {
                quote!(::smithy_rt::bindings::blob_payload(request.body()))
            };
            quote!(#check raw.#field = #value;)
        }
        ShapeKind::Simple(Simple::String) => {
            let check = check("text/plain");
            quote!(#check raw.#field = ::smithy_rt::bindings::string_payload(request.body(), #member)?;)
        }
        ShapeKind::Enum(_) => {
            let ty = type_path(target);
            let check = check("text/plain");
            quote!(#check raw.#field = ::smithy_rt::bindings::string_payload(request.body(), #member)?.map(|s| #ty::from(s.as_str()));)
        }
        ShapeKind::Structure(_) => {
            let check = check("application/json");
            quote!(#check raw.#field = ::smithy_rt::bindings::structure_payload(request.body(), #member)?;)
        }
        _ => {
            let check = check("application/json");
            quote!(#check raw.#field = ::smithy_rt::bindings::json_payload(request.body(), #member)?;)
        }
    }
}

/// Whether a structure written as a response needs its own writer: it has
/// members bound to anything but the JSON body.
pub(crate) fn has_bound_members(shape: &Shape) -> bool {
    match &shape.kind {
        ShapeKind::Structure(st) => st.members.iter().any(|m| {
            matches!(
                m.binding,
                Binding::Header(_)
                    | Binding::PrefixHeaders(_)
                    | Binding::Payload
                    | Binding::ResponseCode
            )
        }),
        _ => false,
    }
}

/// Whether an output needs its own serializer (anything but a JSON body).
pub(crate) fn needs_serializer(model: &Model, o: &Operation) -> bool {
    o.output
        .as_ref()
        .is_some_and(|out| has_bound_members(model.shape(out)))
}

/// `serialize_<op>`: the output as a response, for outputs with bound
/// members.
pub(crate) fn serializer(model: &Model, o: &Operation) -> Option<TokenStream> {
    if !needs_serializer(model, o) {
        return None;
    }
    let shape = model.shape(o.output.as_ref()?);
    let code = o.http.as_ref().expect("server bindings need routes").code;
    let doc = format!(
        " Writes the output of `{}` as a response: status, headers and body.",
        o.id.name
    );
    structure_writer(model, shape, code, None, &serializer_name(o), &doc)
}

/// `write_error_<error>`: an error structure with bound members as a
/// response (its status, `X-Amzn-Errortype`, headers and body), so that its
/// header-bound members go in headers rather than the body.
pub(crate) fn error_writer(model: &Model, shape: &Shape, status: u16) -> Option<TokenStream> {
    if !has_bound_members(shape) {
        return None;
    }
    let doc = format!(
        " Writes the error `{}` as a response: status, `X-Amzn-Errortype`, headers and body.",
        shape.id.name
    );
    structure_writer(
        model,
        shape,
        status,
        Some(&shape.id.name),
        &error_writer_name(shape),
        &doc,
    )
}

/// A structure (an output, or an error when `error_type` is given) written
/// as a response with status `code`.
fn structure_writer(
    model: &Model,
    shape: &Shape,
    code: u16,
    error_type: Option<&str>,
    name: &proc_macro2::Ident,
    doc: &str,
) -> Option<TokenStream> {
    let ShapeKind::Structure(st) = &shape.kind else {
        return None;
    };
    let typed = type_path(shape);
    let optional = |m: &Member| !m.is_present();
    // `v` is a reference to the member's value, whatever its presence.
    let with_value = |m: &Member, body: TokenStream| -> TokenStream {
        let field = ident(&m.rust_name);
        if optional(m) {
            quote!(if let ::std::option::Option::Some(v) = &output.#field { #body })
        } else {
            quote!({ let v = &output.#field; #body })
        }
    };
    let payload = st.members.iter().find(|m| m.binding == Binding::Payload);
    // URI bindings mean nothing in a response: such members go in the body.
    let body_members: Vec<&Member> = st
        .members
        .iter()
        .filter(|m| {
            matches!(
                m.binding,
                Binding::Body | Binding::Label | Binding::Query(_) | Binding::QueryParams
            )
        })
        .collect();
    // Items the writer needs, and the expression of the response before
    // headers are set.
    let (items, start) = if let Some(p) = payload {
        let target = model.shape(&p.target);
        let field = ident(&p.rust_name);
        let media = target.media_type.clone();
        let (ct, bytes) = match &target.kind {
            ShapeKind::Simple(Simple::Blob) => (
                media.unwrap_or_else(|| "application/octet-stream".into()),
                quote!(v.as_bytes().to_vec()),
            ),
            ShapeKind::Simple(Simple::String) => (
                media.unwrap_or_else(|| "text/plain".into()),
                quote!(v.as_bytes().to_vec()),
            ),
            ShapeKind::Enum(_) => ("text/plain".into(), quote!(v.as_str().as_bytes().to_vec())),
            _ => (
                "application/json".into(),
                quote!(match ::smithy_rt::__private::serde_json::to_vec(v) {
                    ::std::result::Result::Ok(b) => b,
                    ::std::result::Result::Err(e) =>
                        return internal_error_response(&::std::format!(
                            "the response could not be serialized: {e}"
                        )),
                }),
            ),
        };
        let present = if optional(p) {
            quote!(&output.#field)
        } else {
            quote!(::std::option::Option::Some(&output.#field))
        };
        (
            TokenStream::new(),
            quote! {
                match #present {
                    ::std::option::Option::Some(v) => ::smithy_rt::bindings::payload_response(#code, #ct, #bytes),
                    ::std::option::Option::None => ::smithy_rt::server::empty_response(#code),
                }
            },
        )
    } else {
        let entries = body_members.iter().map(|m| {
            let wire = &m.json_name;
            let value = match super::json::codec(model, m) {
                Some(codec) => quote!(&::smithy_rt::nested::SerializeWith::<#codec, _>::new(v)),
                None => quote!(v),
            };
            with_value(
                m,
                quote!(::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, #value)?;),
            )
        });
        // A local item: the model's types are named by full paths here.
        let body_name = format_ident!("{}Body", shape.rust_name);
        let (bind_output, map_mut) = if body_members.is_empty() {
            (quote!(let _ = self.0;), quote!())
        } else {
            (quote!(let output = self.0;), quote!(mut))
        };
        let doc = format!(
            " The JSON body of `{}`: its members bound to no header, status or payload.",
            shape.id.name
        );
        let items = quote! {
            #[doc = #doc]
            struct #body_name<'a>(&'a #typed);
            impl ::serde::Serialize for #body_name<'_> {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    #bind_output
                    let #map_mut map = ::serde::Serializer::serialize_map(serializer, ::std::option::Option::None)?;
                    #(#entries)*
                    ::serde::ser::SerializeMap::end(map)
                }
            }
        };
        (
            items,
            quote!(::smithy_rt::server::json_response(#code, &#body_name(output), internal_error_response)),
        )
    };
    let headers = st.members.iter().filter_map(|m| {
        let target = model.shape(&m.target);
        Some(match &m.binding {
            Binding::Header(name) => {
                if let ShapeKind::List(l) = &target.kind {
                    let http_date = matches!(model.shape(&l.member.target).kind, ShapeKind::Simple(Simple::Timestamp))
                        && text_format(model, m, &l.member.target, Place::Header) == TimestampFormat::HttpDate;
                    let item = write_text(model, m, &l.member.target, quote!(x));
                    with_value(m, quote!(::smithy_rt::bindings::set_header_list(response.headers_mut(), #name, v.iter().map(|x| #item), #http_date);))
                } else {
                    let text = write_text(model, m, &m.target, quote!(v));
                    with_value(m, quote!(::smithy_rt::bindings::set_header(response.headers_mut(), #name, &#text);))
                }
            }
            Binding::PrefixHeaders(prefix) => with_value(
                m,
                quote! {
                    for (k, x) in v {
                        ::smithy_rt::bindings::set_header(response.headers_mut(), &::std::format!("{}{}", #prefix, k), x.as_str());
                    }
                },
            ),
            Binding::ResponseCode => with_value(m, quote!(::smithy_rt::bindings::set_status(&mut response, *v);)),
            _ => return None,
        })
    });
    let headers: Vec<TokenStream> = headers.collect();
    let error_header = error_type.map(|n| {
        quote!(::smithy_rt::bindings::set_header(response.headers_mut(), ::smithy_rt::server::ERROR_TYPE_HEADER, #n);)
    });
    let body = if headers.is_empty() && error_header.is_none() {
        start
    } else {
        quote! {
            let mut response = #start;
            #(#headers)*
            #error_header
            response
        }
    };
    Some(quote! {
        #[doc = #doc]
        pub fn #name(output: &#typed) -> http::Response<Bytes> {
            #items
            #body
        }
    })
}
