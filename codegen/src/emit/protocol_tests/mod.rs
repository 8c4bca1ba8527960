//! Protocol compliance tests: the `smithy.test` cases of a service
//! (`httpRequestTests`, `httpResponseTests`, `httpMalformedRequestTests`)
//! as Rust tests against its generated server.
//!
//! The tests live outside the generated crate and reach it by its crate
//! name. Typed values (request `params`, response outputs and errors) are
//! built here, from the IR, as Rust constructor expressions; the support
//! crate `protocol-tests` (hand-written) sends requests and compares.
//! Only cases that apply to servers are emitted.

pub mod client;
mod request_body;

use super::paths::{ident, opt_str};
use super::server::{error_enum_name, ok_response};
use crate::ir::{Binding, Member, Model, Operation, Shape, ShapeId, ShapeKind, Simple};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;

/// How many test cases of each kind a file holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// `httpRequestTests` cases.
    pub request: usize,
    /// `httpResponseTests` cases (on operations and errors).
    pub response: usize,
    /// `httpMalformedRequestTests` cases, after expanding `testParameters`.
    pub malformed: usize,
}

/// A test file and what it holds.
#[derive(Clone, Debug)]
pub struct TestFile {
    /// The Rust source.
    pub source: String,
    /// The number of tests of each kind.
    pub counts: Counts,
}

/// Whether a case applies to servers (`appliesTo` absent or `server`).
fn for_server(case: &Value) -> bool {
    match case.get("appliesTo").and_then(Value::as_str) {
        None => true,
        Some(a) => a == "server",
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The test file of `model`'s service, which a crate named `krate` holds
/// (its Rust name, e.g. `rest_json_protocol`). `None` when the model has no
/// restJson1 server. Items whose formatted text `cache` holds are not
/// formatted again (see [`super::emit_cached`]).
pub fn emit(model: &Model, krate: &str, cache: &super::RenderCache) -> Option<TestFile> {
    if !super::server::applies(model) {
        return None;
    }
    let root = {
        let k = ident(krate);
        quote!(::#k)
    };
    let service = model.service.as_ref()?;
    let trait_name = ident(&crate::naming::type_name(&service.id.name));
    let mut counts = Counts::default();

    let methods = model.operations.iter().filter(|o| !o.event_stream).map(|o| {
        let f = ident(&o.fn_name);
        let output = match &o.output {
            Some(out) => path(&root, model.shape(out)),
            None => quote!(()),
        };
        let error = error_enum_name(o);
        let (param, arg) = match &o.input {
            Some(i) => {
                let ty = path(&root, model.shape(i));
                (quote!(, input: #ty), quote!(input))
            }
            None => (TokenStream::new(), quote!(())),
        };
        quote! {
            fn #f(&self #param) -> impl ::std::future::Future<Output = ::std::result::Result<#output, #root::operation::#error>> + Send {
                ::std::future::ready(self.0.call(#arg))
            }
        }
    });

    let names = CaseNames::new(model, for_server);
    let name = |id: &str, suffix: &str| names.name(id, suffix);

    let mut tests = Vec::new();
    for o in model.operations.iter().filter(|o| !o.event_stream) {
        for case in o.compliance_tests.request.iter().filter(|c| for_server(c)) {
            let id = str_of(case, "id").unwrap_or_default();
            tests.push(request_test(model, &root, o, case, name(id, "request")));
            counts.request += 1;
        }
        for case in o.compliance_tests.response.iter().filter(|c| for_server(c)) {
            let id = str_of(case, "id").unwrap_or_default();
            let output = match &o.output {
                Some(out) => value(model, &root, out, None, case.get("params")),
                None => quote!(()),
            };
            let respond = ok_response(model, o, &quote!(#root::server::));
            let produce = quote! {
                let output = #output;
                #respond
            };
            tests.push(response_test(case, name(id, "response"), produce));
            counts.response += 1;
        }
        for case in o
            .compliance_tests
            .malformed
            .iter()
            .filter(|c| for_server(c))
        {
            for (i, expanded) in expand(case).into_iter().enumerate() {
                let base = crate::naming::fn_name(str_of(case, "id").unwrap_or_default());
                let base = base.trim_start_matches("r#");
                let (fname, key) = match expanded.1 {
                    true => (
                        format_ident!("{base}_case{i}"),
                        format!(
                            "malformed {}_case{i}",
                            str_of(case, "id").unwrap_or_default()
                        ),
                    ),
                    false => (
                        format_ident!("{base}"),
                        format!("malformed {}", str_of(case, "id").unwrap_or_default()),
                    ),
                };
                tests.push(malformed_test(&expanded.0, fname, &key));
                counts.malformed += 1;
            }
        }
    }
    // Error response cases: the error is returned by the first operation
    // that can return it.
    for s in model.shapes.values() {
        let ShapeKind::Structure(st) = &s.kind else {
            continue;
        };
        let Some(e) = &st.error else { continue };
        let cases: Vec<&Value> = e.response_tests.iter().filter(|c| for_server(c)).collect();
        if cases.is_empty() {
            continue;
        }
        let Some(o) = model
            .operations
            .iter()
            .find(|o| !o.event_stream && o.errors.contains(&s.id))
        else {
            continue;
        };
        let error = error_enum_name(o);
        for case in cases {
            let id = str_of(case, "id").unwrap_or_default();
            let built = value(model, &root, &s.id, None, case.get("params"));
            let produce = quote! {
                let error: #root::operation::#error = (#built).into();
                error.to_response()
            };
            tests.push(response_test(case, name(id, "response"), produce));
            counts.response += 1;
        }
    }

    let doc = format!(
        " The {} protocol compliance tests of `{}`: {} request, {} response and {} malformed-request cases.",
        service
            .protocol
            .map_or("", |p| p.trait_id().trim_start_matches("aws.protocols#")),
        service.id,
        counts.request,
        counts.response,
        counts.malformed
    );
    let file = quote! {
        #![doc = #doc]
        #![allow(clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)]


        /// Records the input of each call and returns what the test prepared.
        struct Handler(::std::sync::Arc<::protocol_tests::Recorder>);

        impl #root::server::#trait_name for Handler {
            #(#methods)*
        }

        fn server() -> (::std::sync::Arc<::protocol_tests::Recorder>, #root::server::Server<Handler>) {
            let recorder = ::std::sync::Arc::new(::protocol_tests::Recorder::default());
            (recorder.clone(), #root::server::Server::new(Handler(recorder)))
        }

        #(#tests)*
    };
    Some(TestFile {
        source: super::render(file, cache),
        counts,
    })
}

/// The test function names of a service's cases: a case's id in snake
/// case, with `_request` or `_response` added when a request and a
/// response case share the id.
pub(crate) struct CaseNames {
    both: BTreeSet<String>,
}

impl CaseNames {
    /// The names of the cases of `model` that `applies` keeps.
    pub(crate) fn new(model: &Model, applies: fn(&Value) -> bool) -> Self {
        let ids = |cases: &[Value], out: &mut BTreeSet<String>| {
            for c in cases.iter().filter(|c| applies(c)) {
                out.insert(str_of(c, "id").unwrap_or_default().to_owned());
            }
        };
        let mut request_ids = BTreeSet::new();
        let mut response_ids = BTreeSet::new();
        for o in model.operations.iter().filter(|o| !o.event_stream) {
            ids(&o.compliance_tests.request, &mut request_ids);
            ids(&o.compliance_tests.response, &mut response_ids);
        }
        for s in model.shapes.values() {
            if let ShapeKind::Structure(st) = &s.kind {
                if let Some(e) = &st.error {
                    ids(&e.response_tests, &mut response_ids);
                }
            }
        }
        CaseNames {
            both: request_ids.intersection(&response_ids).cloned().collect(),
        }
    }

    /// The test function of case `id`; `suffix` is `request` or `response`.
    pub(crate) fn name(&self, id: &str, suffix: &str) -> proc_macro2::Ident {
        let base = crate::naming::fn_name(id);
        let base = base.trim_start_matches("r#");
        if self.both.contains(id) {
            format_ident!("{base}_{suffix}")
        } else {
            format_ident!("{base}")
        }
    }
}

fn path(root: &TokenStream, shape: &Shape) -> TokenStream {
    let module = ident(shape.category.module());
    let name = ident(&shape.rust_name);
    quote!(#root::#module::#name)
}

/// The HTTP request of a request case. A case describes what a client
/// sends, and its headers need not be all of them, so two gaps are filled
/// as every client fills them:
/// - a case that gives a body and its `bodyMediaType` but no `Content-Type`
///   is sent with that media type as its `Content-Type`
///   (RestJsonEndpointTraitWithHostLabel);
/// - a case of a `@requestCompression` operation that names gzip in its
///   `Content-Encoding` and leaves the body out (compressed bytes are not
///   deterministic) is sent the JSON body of its `params`, gzip-compressed
///   (SDKAppliedContentEncoding_restJson1).
///
/// - an awsJson case without `X-Amz-Target` or `Content-Type` is sent
///   with its operation's target and its protocol's media type.
///
/// Malformed-request cases are sent exactly as given.
fn request(model: &Model, o: &Operation, case: &Value) -> TokenStream {
    let mut headers = header_list(case.get("headers"));
    let header = |headers: &[(String, String)], name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut body = str_of(case, "body").map(str::to_owned);
    let mut media = str_of(case, "bodyMediaType").map(str::to_owned);
    let gzip = header(&headers, "Content-Encoding").is_some_and(|e| {
        e.rsplit(',')
            .next()
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("gzip"))
    });
    let compress = body.is_none()
        && gzip
        && o.request_compression.iter().any(|c| c == "gzip")
        && o.input.as_ref().is_some_and(|input| {
            let params = case.get("params").cloned().unwrap_or_default();
            match request_body::json_body(model, input, &params) {
                Some(json) => {
                    body = Some(json);
                    media = Some(
                        protocol_of(model)
                            .map_or("application/json", |p| p.media_type())
                            .into(),
                    );
                    true
                }
                None => false,
            }
        });
    let body = body.unwrap_or_default();
    let protocol = protocol_of(model);
    if let (Some(service), Some(p)) = (&model.service, protocol) {
        if !p.has_http_bindings() {
            // awsJson names the operation in X-Amz-Target and the protocol
            // in Content-Type, which some cases leave out
            // (AwsJson10ServerPopulatesDefaultsWhenMissingInRequestBody,
            // AwsJson10EndpointTrait); a case belongs to one operation of
            // one protocol, so both are known.
            if header(&headers, "X-Amz-Target").is_none() {
                headers.push((
                    "X-Amz-Target".into(),
                    format!("{}.{}", service.id.name, o.id.name),
                ));
            }
            if header(&headers, "Content-Type").is_none() {
                headers.push(("Content-Type".into(), p.media_type().into()));
            }
        }
    }
    if let Some(media) = media {
        if !body.is_empty() && header(&headers, "Content-Type").is_none() {
            headers.push(("Content-Type".into(), media));
        }
    }
    request_literal(case, &headers, &body, compress)
}

fn protocol_of(model: &Model) -> Option<crate::ir::Protocol> {
    model.service.as_ref().and_then(|s| s.protocol)
}

/// A case's malformed request, exactly as given.
fn malformed_request(case: &Value) -> TokenStream {
    let headers = header_list(case.get("headers"));
    request_literal(case, &headers, str_of(case, "body").unwrap_or(""), false)
}

/// The `protocol_tests::Request` of a case: its method, URI and query, and
/// the given headers and body.
fn request_literal(
    case: &Value,
    headers: &[(String, String)],
    body: &str,
    gzip: bool,
) -> TokenStream {
    let method = str_of(case, "method").unwrap_or("GET");
    let uri = str_of(case, "uri").unwrap_or("/");
    let query = case
        .get("queryParams")
        .and_then(Value::as_array)
        .map(|q| q.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        .unwrap_or_default();
    let headers = headers.iter().map(|(k, v)| quote!((#k, #v)));
    let body = Literal::byte_string(body.as_bytes());
    quote! {
        &::protocol_tests::Request {
            method: #method,
            uri: #uri,
            query: &[#(#query),*],
            headers: &[#(#headers),*],
            body: #body,
            gzip: #gzip,
        }
    }
}

fn header_list(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// A case's headers (an object of strings) as `(name, value)` tuples.
fn pairs(v: Option<&Value>) -> TokenStream {
    let items = header_list(v).into_iter().map(|(k, v)| quote!((#k, #v)));
    quote!(#(#items),*)
}

fn strings(v: Option<&Value>) -> TokenStream {
    let items = v
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        .unwrap_or_default();
    quote!(#(#items),*)
}

fn doc_of(case: &Value) -> TokenStream {
    let doc = str_of(case, "documentation").unwrap_or("").trim();
    let id = str_of(case, "id").unwrap_or_default();
    let line = if doc.is_empty() {
        format!(" `{id}`.")
    } else {
        format!(" `{id}`: {}", doc.replace('\n', " "))
    };
    quote!(#[doc = #line])
}

fn request_test(
    model: &Model,
    root: &TokenStream,
    o: &Operation,
    case: &Value,
    fname: proc_macro2::Ident,
) -> TokenStream {
    let key = format!("request {}", str_of(case, "id").unwrap_or_default());
    let expected = match &o.input {
        Some(i) => {
            let params = case.get("params").map(|p| server_view(model, i, p));
            value_in(View::Read, model, root, i, None, params.as_ref())
        }
        None => quote!(()),
    };
    let compare = if has_nan(case.get("params")) {
        quote!(::protocol_tests::Compare::Debug)
    } else {
        quote!(::protocol_tests::Compare::Eq)
    };
    let req = request(model, o, case);
    let doc = doc_of(case);
    quote! {
        #doc
        #[test]
        fn #fname() {
            let (recorder, server) = server();
            ::protocol_tests::request_case(#key, &recorder, &server, #req, #expected, #compare);
        }
    }
}

/// A request case's `params` as a server can receive them: an empty list
/// bound to the query string has no wire form (the query then holds no such
/// parameter), so the server sees the member absent
/// (RestJsonOmitsEmptyListQueryValues).
fn server_view(model: &Model, input: &ShapeId, params: &Value) -> Value {
    let mut params = params.clone();
    if let (ShapeKind::Structure(st), Some(given)) =
        (&model.shape(input).kind, params.as_object_mut())
    {
        for m in &st.members {
            let empty_list = given
                .get(&m.name)
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty);
            if matches!(m.binding, Binding::Query(_)) && empty_list {
                given.remove(&m.name);
            }
        }
    }
    params
}

fn response_test(case: &Value, fname: proc_macro2::Ident, produce: TokenStream) -> TokenStream {
    let key = format!("response {}", str_of(case, "id").unwrap_or_default());
    let code = case.get("code").and_then(Value::as_u64).unwrap_or(200) as u16;
    let headers = pairs(case.get("headers"));
    let forbid = strings(case.get("forbidHeaders"));
    let require = strings(case.get("requireHeaders"));
    let body = opt_str(str_of(case, "body"));
    let media = opt_str(str_of(case, "bodyMediaType"));
    let doc = doc_of(case);
    quote! {
        #doc
        #[test]
        fn #fname() {
            let response = { #produce };
            ::protocol_tests::response_case(#key, response, &::protocol_tests::ExpectedResponse {
                code: #code,
                headers: &[#headers],
                forbid_headers: &[#forbid],
                require_headers: &[#require],
                body: #body,
                media_type: #media,
            });
        }
    }
}

fn malformed_test(case: &Value, fname: proc_macro2::Ident, key: &str) -> TokenStream {
    let null = Value::Null;
    let req = malformed_request(case.get("request").unwrap_or(&null));
    let resp = case.get("response").unwrap_or(&null);
    let code = resp.get("code").and_then(Value::as_u64).unwrap_or(400) as u16;
    let headers = pairs(resp.get("headers"));
    let body = resp.get("body");
    let media = opt_str(body.and_then(|b| str_of(b, "mediaType")));
    let assertion = body.and_then(|b| b.get("assertion"));
    let contents = opt_str(assertion.and_then(|a| str_of(a, "contents")));
    let regex = opt_str(assertion.and_then(|a| str_of(a, "messageRegex")));
    let doc = doc_of(case);
    quote! {
        #doc
        #[test]
        fn #fname() {
            let (recorder, server) = server();
            ::protocol_tests::malformed_case(#key, &recorder, &server, #req, &::protocol_tests::ExpectedMalformed {
                code: #code,
                headers: &[#headers],
                body: #contents,
                media_type: #media,
                message_regex: #regex,
            });
        }
    }
}

/// The cases of a malformed-request test: one per index of its
/// `testParameters` (all lists have the same length), with `$name:L`
/// replaced by the value, `$name:S` by the value as a JSON string and `$$`
/// by `$`, in every string of the case (a case without parameters is one
/// case, formatted the same way). The flag says whether the case was expanded.
fn expand(case: &Value) -> Vec<(Value, bool)> {
    let Some(params) = case.get("testParameters").and_then(Value::as_object) else {
        // Unparameterized cases are formatted too (`$$` is a `$`).
        let mut c = case.clone();
        interpolate(&mut c, &[]);
        return vec![(c, false)];
    };
    let n = params
        .values()
        .filter_map(Value::as_array)
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    (0..n)
        .map(|i| {
            let mut subs: Vec<(String, String)> = Vec::new();
            for (name, values) in params {
                let v = values
                    .get(i)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let quoted = serde_json::to_string(&v).expect("strings serialize");
                subs.push((format!("${name}:L"), v));
                subs.push((format!("${name}:S"), quoted));
            }
            // Longer names first, so `$ab:L` is not replaced as `$a`...
            subs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
            let mut c = case.clone();
            if let Some(obj) = c.as_object_mut() {
                obj.remove("testParameters");
            }
            interpolate(&mut c, &subs);
            (c, true)
        })
        .collect()
}

fn interpolate(v: &mut Value, subs: &[(String, String)]) {
    match v {
        Value::String(s) => *s = format_text(s, subs),
        Value::Array(a) => a.iter_mut().for_each(|v| interpolate(v, subs)),
        Value::Object(o) => {
            let entries: Vec<(String, Value)> = std::mem::take(o).into_iter().collect();
            for (k, mut v) in entries {
                interpolate(&mut v, subs);
                o.insert(format_text(&k, subs), v);
            }
        }
        _ => {}
    }
}

/// Smithy's code-writer formatting of a parameterized case: `$$` is a
/// literal `$`, `$name:L` and `$name:S` are replaced, and any other `$` is
/// kept.
fn format_text(s: &str, subs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("$$") {
            out.push('$');
            rest = after;
        } else if let Some((from, to)) = subs
            .iter()
            .find(|(from, _)| rest.starts_with(from.as_str()))
        {
            out.push_str(to);
            rest = &rest[from.len()..];
        } else {
            out.push('$');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

fn has_nan(v: Option<&Value>) -> bool {
    match v {
        Some(Value::String(s)) => s == "NaN",
        Some(Value::Array(a)) => a.iter().any(|v| has_nan(Some(v))),
        Some(Value::Object(o)) => o.values().any(|v| has_nan(Some(v))),
        _ => false,
    }
}

/// A Rust expression of the type of `target` with the value `v` (the
/// `params` form: member names as keys, timestamps in epoch seconds, blobs
/// as their text). `None` or `null` gives the type's empty value.
fn value(
    model: &Model,
    root: &TokenStream,
    target: &ShapeId,
    member: Option<&Member>,
    v: Option<&Value>,
) -> TokenStream {
    value_in(View::Given, model, root, target, member, v)
}

/// Whose value a case's `params` describe.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum View {
    /// What a writer is given (a client's input, a server's output): a
    /// member the case leaves out is unset.
    Given,
    /// What a reader produced (a server's input, a client's output): a
    /// member with a default that clients may leave unset
    /// (`ir::Member::is_optional_default`) is `Some` of its default when
    /// the case leaves it out, as the reader fills it in.
    Read,
}

/// [`value`] as seen from `view`.
pub(super) fn value_in(
    view: View,
    model: &Model,
    root: &TokenStream,
    target: &ShapeId,
    member: Option<&Member>,
    v: Option<&Value>,
) -> TokenStream {
    let shape = model.shape(target);
    let null = Value::Null;
    let v = v.unwrap_or(&null);
    let _ = member;
    match &shape.kind {
        ShapeKind::Simple(s) => simple(*s, shape, v, root, model, target),
        ShapeKind::Enum(_) => {
            let ty = path(root, shape);
            let s = v.as_str().unwrap_or_default();
            quote!(#ty::from(#s))
        }
        ShapeKind::IntEnum(_) => {
            let ty = path(root, shape);
            let n = v.as_i64().unwrap_or_default() as i32;
            quote!(#ty::from(#n))
        }
        ShapeKind::List(l) => {
            let items = v.as_array().map(Vec::as_slice).unwrap_or_default();
            let items = items.iter().map(|item| {
                if l.sparse {
                    if item.is_null() {
                        quote!(::std::option::Option::None)
                    } else {
                        let e = value_in(view, model, root, &l.member.target, None, Some(item));
                        quote!(::std::option::Option::Some(#e))
                    }
                } else {
                    value_in(view, model, root, &l.member.target, None, Some(item))
                }
            });
            quote!(::std::vec![#(#items),*])
        }
        ShapeKind::Map(m) => {
            let entries: Vec<TokenStream> = v
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, item)| {
                            let key = value_in(
                                view,
                                model,
                                root,
                                &m.key.target,
                                None,
                                Some(&Value::String(k.clone())),
                            );
                            let val = if m.sparse {
                                if item.is_null() {
                                    quote!(::std::option::Option::None)
                                } else {
                                    let e = value_in(
                                        view,
                                        model,
                                        root,
                                        &m.value.target,
                                        None,
                                        Some(item),
                                    );
                                    quote!(::std::option::Option::Some(#e))
                                }
                            } else {
                                value_in(view, model, root, &m.value.target, None, Some(item))
                            };
                            quote!((#key, #val))
                        })
                        .collect()
                })
                .unwrap_or_default();
            if entries.is_empty() {
                quote!(::std::collections::BTreeMap::new())
            } else {
                quote!(::std::collections::BTreeMap::from([#(#entries),*]))
            }
        }
        ShapeKind::Structure(st) => {
            let ty = path(root, shape);
            let given = |m: &Member| v.get(&m.name).filter(|x| !x.is_null());
            let member_value = |m: &Member, x: Option<&Value>| {
                let e = value_in(view, model, root, &m.target, Some(m), x);
                if m.boxed {
                    quote!(::std::boxed::Box::new(#e))
                } else {
                    e
                }
            };
            let args = st.members.iter().filter(|m| m.is_param()).map(|m| {
                match given(m) {
                    Some(x) => member_value(m, Some(x)),
                    // A required member the case leaves out: the type's
                    // empty value.
                    None => member_value(m, None),
                }
            });
            let sets: Vec<TokenStream> = st
                .members
                .iter()
                .filter(|m| !m.is_param())
                .filter_map(|m| {
                    let f = ident(&m.rust_name);
                    let Some(x) = given(m) else {
                        if view == View::Read && m.is_optional_default() {
                            let d = ident(&super::types::default_fn(m));
                            return Some(
                                quote!(value.#f = ::std::option::Option::Some(#ty::#d());),
                            );
                        }
                        return None;
                    };
                    let e = member_value(m, Some(x));
                    Some(if m.is_present() {
                        quote!(value.#f = #e;)
                    } else {
                        quote!(value.#f = ::std::option::Option::Some(#e);)
                    })
                })
                .collect();
            if sets.is_empty() {
                quote!(#ty::new(#(#args),*))
            } else {
                quote!({
                    let mut value = #ty::new(#(#args),*);
                    #(#sets)*
                    value
                })
            }
        }
        ShapeKind::Union(u) => {
            let ty = path(root, shape);
            let chosen = v.as_object().and_then(|o| {
                u.members
                    .iter()
                    .find_map(|m| o.get(&m.name).filter(|x| !x.is_null()).map(|x| (m, x)))
            });
            match chosen {
                Some((m, x)) => {
                    let var = ident(&m.rust_name);
                    if matches!(model.shape(&m.target).kind, ShapeKind::Simple(Simple::Unit)) {
                        quote!(#ty::#var)
                    } else {
                        let e = value_in(view, model, root, &m.target, Some(m), Some(x));
                        let e = if m.boxed {
                            quote!(::std::boxed::Box::new(#e))
                        } else {
                            e
                        };
                        quote!(#ty::#var(#e))
                    }
                }
                None => quote!(::std::unreachable!("the case gives no union member")),
            }
        }
    }
}

fn simple(
    s: Simple,
    shape: &Shape,
    v: &Value,
    root: &TokenStream,
    model: &Model,
    target: &ShapeId,
) -> TokenStream {
    let _ = (root, model, target);
    let float = |v: &Value, ty: TokenStream, lit: fn(f64) -> Literal| match v {
        Value::String(s) if s == "NaN" => quote!(#ty::NAN),
        Value::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
        Value::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
        _ => {
            let f = v.as_f64().unwrap_or_default();
            let l = lit(f.abs());
            if f.is_sign_negative() && f != 0.0 {
                quote!(-#l)
            } else {
                quote!(#l)
            }
        }
    };
    let int = |v: &Value, suffix: &str| {
        let i = v.as_i64().unwrap_or_default();
        let l: Literal = format!("{}{suffix}", i.unsigned_abs())
            .parse()
            .expect("an integer literal");
        if i < 0 { quote!(-#l) } else { quote!(#l) }
    };
    match s {
        Simple::Blob => {
            let bytes = Literal::byte_string(v.as_str().unwrap_or_default().as_bytes());
            if shape.streaming {
                quote!(::smithy_rt::ByteStream::from_static(#bytes))
            } else {
                quote!(::smithy_rt::Blob::new(#bytes.to_vec()))
            }
        }
        Simple::Boolean => {
            let b = v.as_bool().unwrap_or_default();
            quote!(#b)
        }
        Simple::String => {
            let s = v.as_str().unwrap_or_default();
            quote!(::std::string::String::from(#s))
        }
        Simple::Byte => int(v, "i8"),
        Simple::Short => int(v, "i16"),
        Simple::Integer => int(v, "i32"),
        Simple::Long => int(v, "i64"),
        Simple::Float => float(v, quote!(f32), |f| Literal::f32_suffixed(f as f32)),
        Simple::Double => float(v, quote!(f64), Literal::f64_suffixed),
        Simple::Timestamp => {
            let t = v.as_f64().unwrap_or_default();
            let secs = t.floor() as i64;
            let nanos = (((t - t.floor()) * 1e6).round() as u32) * 1000;
            quote!(::smithy_rt::DateTime::from_secs_and_nanos(#secs, #nanos))
        }
        Simple::Document => {
            let json = v.to_string();
            quote!(::smithy_rt::document_literal(#json))
        }
        Simple::BigInteger => {
            let n = v.to_string();
            quote!(::smithy_rt::BigInteger::literal(#n))
        }
        Simple::BigDecimal => {
            let n = v.to_string();
            quote!(::smithy_rt::BigDecimal::literal(#n))
        }
        Simple::Unit => quote!(()),
    }
}
