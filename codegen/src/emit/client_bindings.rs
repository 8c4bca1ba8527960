//! HTTP bindings of one operation for the client, the mirror image of
//! [`super::bindings`]: writing the input into a request (labels, query,
//! headers, prefix headers, host prefix, payload or JSON body) and reading
//! the output or an error out of a response (status code, headers, prefix
//! headers, payload or JSON body). A protocol without HTTP bindings
//! (awsJson) has every member lowered to the body and every route to
//! `POST /`, so the same writer serves it; its [`ClientProtocol`] then
//! finishes the request (target, media type).
//!
//! Both directions read the same IR as the server's (each member's
//! `Binding`, the operation's `HttpRoute`). Every rule lives in
//! `smithy_rt::client::rest_json`; the generated code is glue.

use super::bindings::{Place, parse_text_with, text_format, write_text_at};
use super::client::ClientProtocol;
use super::paths::{ident, type_path};
use super::types::member_type;
use crate::ir::{
    Binding, Member, Model, Operation, Segment, Shape, ShapeId, ShapeKind, Simple, TimestampFormat,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) fn writer_name(o: &Operation) -> proc_macro2::Ident {
    format_ident!("write_{}", o.fn_name.trim_start_matches("r#"))
}

pub(crate) fn reader_name(o: &Operation) -> proc_macro2::Ident {
    format_ident!("read_{}", o.fn_name.trim_start_matches("r#"))
}

/// The reader of a structure (an output or an error) out of a response;
/// its prefix is no operation function's, so the names never collide.
fn structure_reader_name(shape: &Shape) -> proc_macro2::Ident {
    format_ident!(
        "read_shape_{}",
        crate::naming::fn_name(&shape.id.name).trim_start_matches("r#")
    )
}

const RT: &str = "::smithy_rt::client::rest_json";

fn rt() -> TokenStream {
    RT.parse().expect("a path")
}

/// `write_<op>`: the input as a request relative to the endpoint, finished
/// by the service's protocol (`wire`).
pub(crate) fn writer(model: &Model, wire: &dyn ClientProtocol, o: &Operation) -> TokenStream {
    let h = o.http.as_ref().expect("client bindings need routes");
    let rt = rt();
    let name = writer_name(o);
    let method = format_ident!("{}", h.method);
    let input_shape = o.input.as_ref().map(|i| model.shape(i));
    let members: Vec<&Member> = match input_shape.map(|s| &s.kind) {
        Some(ShapeKind::Structure(st)) => st.members.iter().collect(),
        _ => Vec::new(),
    };
    let member = |name: &str| members.iter().copied().find(|m| m.name == name);
    // The path, segment by segment.
    let mut path = Vec::new();
    for seg in &h.segments {
        match seg {
            Segment::Literal(l) => {
                let text = format!("/{l}");
                path.push(quote!(path.push_str(#text);));
            }
            Segment::Label { name, greedy } => {
                let m = member(name).expect("labels were checked against members");
                path.push(quote!(path.push('/');));
                let value = label_text(model, m);
                let wire = &m.name;
                path.push(quote! {
                    #rt::push_label(&mut path, #value, #wire, #greedy)?;
                });
            }
        }
    }
    if h.segments.is_empty() || h.trailing_slash {
        path.push(quote!(path.push('/');));
    }
    // The route's query literals, as written.
    let literal: Vec<String> = h
        .query
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.clone(),
        })
        .collect();
    let literal = literal.join("&");
    let bound_query: Vec<&str> = members
        .iter()
        .filter_map(|m| match &m.binding {
            Binding::Query(q) => Some(q.as_str()),
            _ => None,
        })
        .collect();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for m in &members {
        let target = model.shape(&m.target);
        let wire = &m.name;
        match &m.binding {
            Binding::Query(q) => {
                let body = if let ShapeKind::List(l) = &target.kind {
                    let item = text_ref(model, m, &l.member.target, quote!(x), Place::Uri);
                    quote!(for x in v { query.push(#q, #item); })
                } else {
                    let text = text_ref(model, m, &m.target, quote!(v), Place::Uri);
                    quote!(query.push(#q, #text);)
                };
                query.push(with_value(m, body));
            }
            Binding::QueryParams => {
                let ShapeKind::Map(map) = &target.kind else {
                    unreachable!("checked when lowered")
                };
                let value = match &model.shape(&map.value.target).kind {
                    ShapeKind::List(l) => {
                        let item = text_ref(model, m, &l.member.target, quote!(x), Place::Uri);
                        quote!(for x in v { query.push(k, #item); })
                    }
                    _ => {
                        let item = text_ref(model, m, &map.value.target, quote!(v), Place::Uri);
                        quote!(query.push(k, #item);)
                    }
                };
                // `httpQuery` members win over the map (RestJsonQueryPrecedence).
                query.push(with_value(
                    m,
                    quote! {
                        for (k, v) in v {
                            let k: &str = k.as_ref();
                            if [#(#bound_query),*].contains(&k) {
                                continue;
                            }
                            #value
                        }
                    },
                ));
            }
            Binding::Header(name) => {
                let body = if let ShapeKind::List(l) = &target.kind {
                    let http_date = matches!(
                        model.shape(&l.member.target).kind,
                        ShapeKind::Simple(Simple::Timestamp)
                    ) && text_format(model, m, &l.member.target, Place::Header)
                        == TimestampFormat::HttpDate;
                    let item = write_text_at(model, m, &l.member.target, quote!(x), Place::Header);
                    quote!(#rt::set_header_list(&mut request.headers, #name, v.iter().map(|x| #item), #http_date, #wire)?;)
                } else {
                    let text = text_ref(model, m, &m.target, quote!(v), Place::Header);
                    quote!(#rt::set_header(&mut request.headers, #name, #text, #wire)?;)
                };
                headers.push(with_value(m, body));
            }
            Binding::PrefixHeaders(prefix) => {
                headers.push(with_value(
                    m,
                    quote! {
                        for (k, x) in v {
                            #rt::set_header(&mut request.headers, &::std::format!("{}{}", #prefix, k), x.as_str(), #wire)?;
                        }
                    },
                ));
            }
            _ => {}
        }
    }
    let host_prefix = o
        .host_prefix
        .as_ref()
        .map(|p| host_prefix(model, &members, p));
    let body = body_writer(model, input_shape, &members);
    let uses_input = !members.is_empty();
    let (input_param, unused) = match input_shape {
        Some(s) => {
            let ty = type_path(s);
            let unused = (!uses_input).then(|| quote!(let _ = input;));
            (quote!(input: &#ty), quote!(#unused))
        }
        None => (quote!(), quote!()),
    };
    let query_setup = if query.is_empty() {
        quote!(let query = #rt::QueryWriter::new(#literal);)
    } else {
        quote!(let mut query = #rt::QueryWriter::new(#literal);)
    };
    let doc = format!(
        " Writes the input of `{}` as a request relative to the endpoint.",
        o.id.name
    );
    let finish = wire.finish_request(model, o);
    let request_mut =
        if headers.is_empty() && body.is_empty() && host_prefix.is_none() && finish.is_none() {
            quote!()
        } else {
            quote!(mut)
        };
    quote! {
        #[doc = #doc]
        fn #name(#input_param) -> ::std::result::Result<::smithy_rt::client::Request, ::smithy_rt::client::BuildError> {
            #unused
            let mut path = ::std::string::String::new();
            #(#path)*
            #query_setup
            #(#query)*
            query.finish(&mut path);
            let #request_mut request = ::smithy_rt::client::Request::new(::smithy_rt::client::http::Method::#method, path);
            #(#headers)*
            #host_prefix
            #body
            #finish
            ::std::result::Result::Ok(request)
        }
    }
}

/// A `&str` expression of the text of `v` (a reference to a `target`):
/// the value itself for strings and enums, else its written-out text.
fn text_ref(
    model: &Model,
    m: &Member,
    target: &ShapeId,
    v: TokenStream,
    place: Place,
) -> TokenStream {
    let shape = model.shape(target);
    match &shape.kind {
        ShapeKind::Simple(Simple::String)
            if shape.media_type.is_none() || matches!(place, Place::Uri) =>
        {
            quote!(#v.as_str())
        }
        ShapeKind::Enum(_) => quote!(#v.as_str()),
        _ => {
            let text = write_text_at(model, m, target, v, place);
            quote!(&#text)
        }
    }
}

/// `v` bound to a reference to the member's value of `input`, around
/// `body`; skipped when the member is unset.
fn with_value(m: &Member, body: TokenStream) -> TokenStream {
    let field = ident(&m.rust_name);
    if m.is_present() {
        quote!({ let v = &input.#field; #body })
    } else {
        quote!(if let ::std::option::Option::Some(v) = &input.#field { #body })
    }
}

/// The text of a label member (required, so a plain field), as a `&str`
/// expression.
fn label_text(model: &Model, m: &Member) -> TokenStream {
    let field = ident(&m.rust_name);
    let target = model.shape(&m.target);
    match &target.kind {
        ShapeKind::Simple(Simple::String) | ShapeKind::Enum(_) => quote!(input.#field.as_str()),
        _ => {
            let text = write_text_at(model, m, &m.target, quote!(v), Place::Uri);
            quote!(&{ let v = &input.#field; #text })
        }
    }
}

/// The host prefix with its `{label}`s filled from `@hostLabel` members.
fn host_prefix(model: &Model, members: &[&Member], pattern: &str) -> TokenStream {
    let mut parts = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let lit = &rest[..start];
        parts.extend(push_literal(lit));
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let label = &after[..end];
        if let Some(m) = members.iter().find(|m| m.name == label) {
            let value = label_text(model, m);
            let wire = &m.name;
            parts.push(quote! {
                let label: &str = #value;
                if label.is_empty() || !label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
                    return ::std::result::Result::Err(::smithy_rt::client::BuildError::new(::std::format!(
                        "`{}` is bound to the host and must be a non-empty host label (letters, digits, `-`, `.`), not `{}`", #wire, label
                    )));
                }
                prefix.push_str(label);
            });
        }
        rest = &after[end + 1..];
    }
    parts.extend(push_literal(rest));
    quote! {
        let mut prefix = ::std::string::String::new();
        #(#parts)*
        request.host_prefix = ::std::option::Option::Some(prefix);
    }
}

/// Appends literal text to `prefix`.
fn push_literal(lit: &str) -> Option<TokenStream> {
    let mut chars = lit.chars();
    match (chars.next(), chars.next()) {
        (None, _) => None,
        (Some(c), None) => Some(quote!(prefix.push(#c);)),
        _ => Some(quote!(prefix.push_str(#lit);)),
    }
}

/// Sets the request body: the payload member, or the JSON body of the
/// body-bound members (always an object when there are any, `{}` when all
/// are unset), or nothing.
fn body_writer(model: &Model, input: Option<&Shape>, members: &[&Member]) -> TokenStream {
    let rt = rt();
    if let Some(p) = members.iter().find(|m| m.binding == Binding::Payload) {
        let target = model.shape(&p.target);
        let media = target.media_type.clone();
        let (ct, bytes) = match &target.kind {
            ShapeKind::Simple(Simple::Blob) if target.streaming => (
                media.unwrap_or_else(|| "application/octet-stream".into()),
                quote!(v.clone().into_bytes()),
            ),
            ShapeKind::Simple(Simple::Blob) => (
                media.unwrap_or_else(|| "application/octet-stream".into()),
                quote!(::smithy_rt::client::Bytes::copy_from_slice(v.as_bytes())),
            ),
            ShapeKind::Simple(Simple::String) => (
                media.unwrap_or_else(|| "text/plain".into()),
                quote!(::smithy_rt::client::Bytes::copy_from_slice(v.as_bytes())),
            ),
            ShapeKind::Enum(_) => (
                "text/plain".into(),
                quote!(::smithy_rt::client::Bytes::copy_from_slice(
                    v.as_str().as_bytes()
                )),
            ),
            ShapeKind::Structure(_) => {
                // An unset structure payload is sent as `{}`
                // (RestJsonHttpWithEmptyStructurePayload).
                let field = ident(&p.rust_name);
                return if p.is_present() {
                    quote!(request.body = #rt::json_body(&mut request.headers, &input.#field)?;)
                } else {
                    quote!(request.body = match &input.#field {
                        ::std::option::Option::Some(v) => #rt::json_body(&mut request.headers, v)?,
                        ::std::option::Option::None => #rt::json_body(&mut request.headers, &::smithy_rt::union::Empty {})?,
                    };)
                };
            }
            _ => {
                return with_value(
                    p,
                    quote!(request.body = #rt::json_body(&mut request.headers, v)?;),
                );
            }
        };
        return with_value(
            p,
            quote!(request.body = #rt::payload_body(&mut request.headers, #ct, #bytes);),
        );
    }
    let body_members: Vec<&&Member> = members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    if body_members.is_empty() {
        return TokenStream::new();
    }
    let Some(shape) = input else {
        return TokenStream::new();
    };
    let typed = type_path(shape);
    let entries = body_members.iter().map(|m| {
        let wire = &m.json_name;
        let value = match super::json::codec(model, m) {
            Some(codec) => quote!(&::smithy_rt::nested::SerializeWith::<#codec, _>::new(v)),
            None => quote!(v),
        };
        let field = ident(&m.rust_name);
        if m.default.is_some() && m.is_present() {
            // A top-level member at its default is left out: the service
            // fills it in (RestJsonClientSkipsTopLevelDefaultValuesInInput).
            let f = ident(&super::types::default_fn(m));
            quote!({ let v = &input.#field; if *v != #typed::#f() { ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, #value)?; } })
        } else if m.is_present() {
            quote!({ let v = &input.#field; ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, #value)?; })
        } else {
            quote!(if let ::std::option::Option::Some(v) = &input.#field { ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, #value)?; })
        }
    });
    quote! {
        /// The members bound to the JSON body.
        struct Body<'a>(&'a #typed);
        impl ::serde::Serialize for Body<'_> {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let input = self.0;
                let mut map = ::serde::Serializer::serialize_map(serializer, ::std::option::Option::None)?;
                #(#entries)*
                ::serde::ser::SerializeMap::end(map)
            }
        }
        request.body = #rt::json_body(&mut request.headers, &Body(input))?;
    }
}

/// `read_<op>`: a response as the output or the operation's error.
pub(crate) fn reader(model: &Model, o: &Operation) -> TokenStream {
    let rt = rt();
    let name = reader_name(o);
    let error = super::server::error_enum_name(o);
    let arms = o.errors.iter().map(|e| {
        let shape = model.shape(e);
        let code = &shape.id.name;
        let variant = ident(&shape.rust_name);
        let read = structure_reader_name(shape);
        quote!(#code => ::std::option::Option::Some(#read(response).map(crate::operation::#error::#variant)),)
    });
    let (output_ty, read_output) = match &o.output {
        Some(out) => {
            let shape = model.shape(out);
            let ty = type_path(shape);
            let read = structure_reader_name(shape);
            (
                ty,
                quote!(#read(&response).map_err(::smithy_rt::client::Error::Response)),
            )
        }
        None => (quote!(()), quote!(::std::result::Result::Ok(()))),
    };
    let doc = format!(
        " Reads a response of `{}`: its output, or its error.",
        o.id.name
    );
    let modeled = if o.errors.is_empty() {
        quote!(|_, _| ::std::option::Option::None)
    } else {
        quote!(|code, response| match code {
            #(#arms)*
            _ => ::std::option::Option::None,
        })
    };
    quote! {
        #[doc = #doc]
        fn #name(response: ::smithy_rt::client::http::Response<::smithy_rt::client::Bytes>) -> ::std::result::Result<#output_ty, ::smithy_rt::client::Error<crate::operation::#error>> {
            if !#rt::is_success(&response) {
                return ::std::result::Result::Err(#rt::read_error(response, #modeled));
            }
            #read_output
        }
    }
}

/// `read_shape_<structure>`: an output or error structure out of a
/// response (body, headers, status, payload).
pub(crate) fn structure_reader(model: &Model, shape: &Shape) -> Option<TokenStream> {
    let ShapeKind::Structure(st) = &shape.kind else {
        return None;
    };
    let rt = rt();
    let name = structure_reader_name(shape);
    let typed = type_path(shape);
    let doc = format!(" Reads `{}` out of a response.", shape.id.name);
    let bound = st.members.iter().any(|m| {
        !matches!(
            m.binding,
            Binding::Body | Binding::Label | Binding::Query(_) | Binding::QueryParams
        )
    });
    if !bound {
        // Every member is in the JSON body: the type's own deserializer.
        return Some(quote! {
            #[doc = #doc]
            fn #name(response: &::smithy_rt::client::http::Response<::smithy_rt::client::Bytes>) -> ::std::result::Result<#typed, ::smithy_rt::client::ResponseError> {
                #rt::read_json::<#typed>(response)
            }
        });
    }
    let in_body = |m: &Member| {
        matches!(
            m.binding,
            Binding::Body | Binding::Label | Binding::Query(_) | Binding::QueryParams
        )
    };
    let body_members: Vec<&Member> = st.members.iter().filter(|m| in_body(m)).collect();
    let has_payload = st.members.iter().any(|m| m.binding == Binding::Payload);
    // The body members, read by a local deserializer into `Option`s.
    let (body_items, read_body) = if body_members.is_empty() || has_payload {
        (TokenStream::new(), TokenStream::new())
    } else {
        let fields: Vec<_> = body_members
            .iter()
            .map(|m| ident(&crate::naming::member_local(&m.rust_name)))
            .collect();
        let types: Vec<TokenStream> = body_members
            .iter()
            .map(|m| {
                let ty = member_type(model, m);
                if m.is_present() {
                    ty
                } else {
                    quote!(::std::option::Option<#ty>)
                }
            })
            .collect();
        let error = quote!(<A::Error as ::serde::de::Error>);
        let arms: Vec<TokenStream> = body_members
            .iter()
            .zip(&fields)
            .zip(&types)
            .map(|((m, f), ty)| {
                let wire = &m.json_name;
                let value = match super::json::codec(model, m) {
                    Some(codec) => {
                        quote!(map.next_value::<::smithy_rt::nested::With<#codec, #ty>>()?.0)
                    }
                    None => quote!(map.next_value::<#ty>()?),
                };
                quote! {
                    #wire => {
                        if body.#f.is_some() {
                            return ::std::result::Result::Err(#error::duplicate_field(#wire));
                        }
                        body.#f = ::std::option::Option::Some(#value);
                    }
                }
            })
            .collect();
        let read_keys = super::json::read_object(&arms);
        let de = super::json::map_deserialize(
            &quote!(Body),
            &quote!(Body),
            "a JSON object",
            quote! {
                let mut body = Body::default();
                #read_keys
                ::std::result::Result::Ok(body)
            },
            quote!(deserializer.deserialize_map(__Visitor)),
        );
        (
            quote! {
                /// The members in the JSON body, as read.
                #[derive(Default)]
                struct Body { #(#fields: ::std::option::Option<#types>,)* }
                #de
            },
            quote!(let body: Body = #rt::read_json(response)?;),
        )
    };
    let inits = st.members.iter().map(|m| {
        let field = ident(&m.rust_name);
        let wire = &m.name;
        let target = model.shape(&m.target);
        if m.binding == Binding::Payload
            && target.streaming
            && matches!(target.kind, ShapeKind::Simple(Simple::Blob))
        {
            // A stream is always there, empty or not.
            let stream = quote!(::smithy_rt::ByteStream::from(response.body().clone()));
            return if m.is_present() {
                quote!(#field: #stream)
            } else {
                quote!(#field: ::std::option::Option::Some(#stream))
            };
        }
        if m.binding == Binding::ResponseCode {
            // The status is always there.
            let status = quote!(i32::from(response.status().as_u16()));
            return if m.is_present() {
                quote!(#field: #status)
            } else {
                quote!(#field: ::std::option::Option::Some(#status))
            };
        }
        // The member's value as an `Option` of its Rust type.
        let value: TokenStream = match &m.binding {
            b if in_body(m) && !has_payload => {
                let _ = b;
                let local = ident(&crate::naming::member_local(&m.rust_name));
                if m.is_present() {
                    quote!(body.#local)
                } else {
                    quote!(body.#local.flatten())
                }
            }
            Binding::Header(h) => header_value(model, m, target, h),
            Binding::PrefixHeaders(prefix) => {
                quote! {{
                    let headers = #rt::prefix_headers(response, #prefix)?;
                    (!headers.is_empty()).then_some(headers)
                }}
            }
            Binding::Payload => payload_value(target),
            _ => quote!(::std::option::Option::None),
        };
        let value = if m.boxed {
            quote!((#value).map(::std::boxed::Box::new))
        } else {
            value
        };
        if m.is_optional_default() {
            let f = ident(&super::types::default_fn(m));
            quote!(#field: ::std::option::Option::Some((#value).unwrap_or_else(#typed::#f)))
        } else if m.default.is_some() {
            let f = ident(&super::types::default_fn(m));
            quote!(#field: (#value).unwrap_or_else(#typed::#f))
        } else if m.required {
            let msg = format!("the response has no `{wire}`, which is required");
            quote!(#field: (#value).ok_or_else(|| #rt::unreadable(response, #msg, ::std::option::Option::None))?)
        } else {
            quote!(#field: #value)
        }
    });
    Some(quote! {
        #[doc = #doc]
        fn #name(response: &::smithy_rt::client::http::Response<::smithy_rt::client::Bytes>) -> ::std::result::Result<#typed, ::smithy_rt::client::ResponseError> {
            #body_items
            #read_body
            ::std::result::Result::Ok(#typed { #(#inits),* })
        }
    })
}

/// A header-bound member's value (an `Option`), parsed.
fn header_value(model: &Model, m: &Member, target: &Shape, name: &str) -> TokenStream {
    let rt = rt();
    if let ShapeKind::List(l) = &target.kind {
        let http_date = matches!(
            model.shape(&l.member.target).kind,
            ShapeKind::Simple(Simple::Timestamp)
        ) && text_format(model, m, &l.member.target, Place::Header)
            == TimestampFormat::HttpDate;
        let item = parse_text(model, m, &l.member.target, quote!(x.as_str()), name);
        quote! {
            match #rt::header(response, #name)? {
                ::std::option::Option::Some(v) => {
                    let mut items = ::std::vec::Vec::new();
                    for x in #rt::header_items(response, &v, #http_date, #name)? {
                        items.push(#item);
                    }
                    ::std::option::Option::Some(items)
                }
                ::std::option::Option::None => ::std::option::Option::None,
            }
        }
    } else {
        let shape = model.shape(&m.target);
        match &shape.kind {
            ShapeKind::Simple(Simple::String) if shape.media_type.is_none() => {
                quote!(#rt::header(response, #name)?)
            }
            ShapeKind::Enum(_) => {
                let ty = type_path(shape);
                quote!(#rt::header(response, #name)?.map(|v| #ty::from(v.as_str())))
            }
            _ => {
                let value = parse_text(model, m, &m.target, quote!(v.as_str()), name);
                quote! {
                    match #rt::header(response, #name)? {
                        ::std::option::Option::Some(v) => ::std::option::Option::Some(#value),
                        ::std::option::Option::None => ::std::option::Option::None,
                    }
                }
            }
        }
    }
}

/// An expression parsing the `&str` expression `v` (header `name`) as a
/// `target`, with `?` for failures (the client's parsers, which name the
/// header and keep the response).
fn parse_text(
    model: &Model,
    m: &Member,
    target: &ShapeId,
    v: TokenStream,
    name: &str,
) -> TokenStream {
    let rt = rt();
    parse_text_with(
        model,
        m,
        target,
        v,
        Place::Header,
        &|f, args| quote!(#rt::#f(response, #args, #name)?),
    )
}

/// A payload member's value (an `Option`), read from the whole body.
fn payload_value(target: &Shape) -> TokenStream {
    let rt = rt();
    match &target.kind {
        ShapeKind::Simple(Simple::Blob) if target.streaming => {
            quote!(::std::option::Option::Some(::smithy_rt::ByteStream::from(
                response.body().clone()
            )))
        }
        ShapeKind::Simple(Simple::Blob) => quote! {
            (!response.body().is_empty()).then(|| ::smithy_rt::Blob::new(response.body().to_vec()))
        },
        ShapeKind::Simple(Simple::String) => quote!(#rt::read_text_payload(response)?),
        ShapeKind::Enum(_) => {
            let ty = type_path(target);
            quote!(#rt::read_text_payload(response)?.map(|s| #ty::from(s.as_str())))
        }
        _ => quote!(#rt::read_json_payload(response)?),
    }
}
