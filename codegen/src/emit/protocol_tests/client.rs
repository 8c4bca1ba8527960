//! Client-side protocol compliance tests: the `httpRequestTests` and
//! `httpResponseTests` cases that apply to clients, as Rust tests of the
//! generated client. A request case calls the operation with the case's
//! `params` through a transport that captures the request; a response case
//! has the transport answer with the case's response and compares what the
//! call returns with the case's `params`. The support crate
//! (`protocol_tests::client`, hand-written) does the sending and comparing.

use super::{TestFile, View, doc_of, has_nan, pairs, str_of, strings, value, value_in};
use crate::emit::paths::{ident, opt_str};
use crate::emit::server::error_enum_name;
use crate::ir::{Model, Operation, ShapeId, ShapeKind, Simple};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// Whether a case applies to clients (`appliesTo` absent or `client`).
fn for_client(case: &Value) -> bool {
    match case.get("appliesTo").and_then(Value::as_str) {
        None => true,
        Some(a) => a == "client",
    }
}

/// The client test file of `model`'s service, whose crate is `krate`;
/// `None` when the model has no client bindings or no client case.
pub fn emit(model: &Model, krate: &str, cache: &crate::emit::RenderCache) -> Option<TestFile> {
    if !crate::emit::server::applies(model) {
        return None;
    }
    let root = {
        let k = ident(krate);
        quote!(::#k)
    };
    let service = model.service.as_ref()?;
    let mut counts = super::Counts::default();
    let ops: Vec<&Operation> = model
        .operations
        .iter()
        .filter(|o| !o.event_stream)
        .collect();

    let names = super::CaseNames::new(model, for_client);
    let name = |id: &str, suffix: &str| names.name(id, suffix);

    let mut tests = Vec::new();
    for o in &ops {
        for case in o.compliance_tests.request.iter().filter(|c| for_client(c)) {
            let id = str_of(case, "id").unwrap_or_default();
            tests.push(request_test(model, &root, o, case, name(id, "request")));
            counts.request += 1;
        }
        for case in o.compliance_tests.response.iter().filter(|c| for_client(c)) {
            let id = str_of(case, "id").unwrap_or_default();
            let expected = match &o.output {
                Some(out) => value_in(View::Read, model, &root, out, None, case.get("params")),
                None => quote!(()),
            };
            let check = quote!(|r| ::protocol_tests::client::expect_output(r, #expected, COMPARE));
            tests.push(response_test(
                model,
                &root,
                o,
                case,
                name(id, "response"),
                check,
            ));
            counts.response += 1;
        }
    }
    // Error cases: the error comes back from the first operation that can
    // return it.
    for s in model.shapes.values() {
        let ShapeKind::Structure(st) = &s.kind else {
            continue;
        };
        let Some(e) = &st.error else { continue };
        let cases: Vec<&Value> = e.response_tests.iter().filter(|c| for_client(c)).collect();
        if cases.is_empty() {
            continue;
        }
        let Some(o) = ops.iter().find(|o| o.errors.contains(&s.id)) else {
            continue;
        };
        let error = error_enum_name(o);
        for case in cases {
            let id = str_of(case, "id").unwrap_or_default();
            let built = value_in(View::Read, model, &root, &s.id, None, case.get("params"));
            let check = quote! {
                |r| {
                    let expected: #root::operation::#error = (#built).into();
                    ::protocol_tests::client::expect_error(r, expected, COMPARE)
                }
            };
            tests.push(response_test(
                model,
                &root,
                o,
                case,
                name(id, "response"),
                check,
            ));
            counts.response += 1;
        }
    }
    if counts.request + counts.response == 0 {
        return None;
    }
    let doc = format!(
        " The protocol compliance tests of `{}`'s client: {} request and {} response cases.",
        service.id, counts.request, counts.response
    );
    let file = quote! {
        #![doc = #doc]
        #![allow(clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)]

        #(#tests)*
    };
    Some(TestFile {
        source: crate::emit::render(file, cache),
        counts,
    })
}

/// The call of operation `o` with `input` (an expression) on a client made
/// from `config`.
fn call(root: &TokenStream, o: &Operation, input: TokenStream) -> TokenStream {
    let f = ident(&crate::naming::client_method(&o.fn_name));
    let args = if o.input.is_some() { input } else { quote!() };
    quote! {
        |config| async move {
            #root::client::Client::new(config).#f(#args).await
        }
    }
}

fn request_test(
    model: &Model,
    root: &TokenStream,
    o: &Operation,
    case: &Value,
    fname: proc_macro2::Ident,
) -> TokenStream {
    let key = format!("client request {}", str_of(case, "id").unwrap_or_default());
    let input = match &o.input {
        Some(i) => {
            let v = value(model, root, i, None, case.get("params"));
            quote!(let input = #v;)
        }
        None => quote!(),
    };
    let method = str_of(case, "method").unwrap_or("GET");
    let uri = str_of(case, "uri").unwrap_or("/");
    let host = opt_str(str_of(case, "host"));
    let resolved = opt_str(str_of(case, "resolvedHost"));
    let query = strings(case.get("queryParams"));
    let forbid_query = strings(case.get("forbidQueryParams"));
    let require_query = strings(case.get("requireQueryParams"));
    let headers = pairs(case.get("headers"));
    let forbid = strings(case.get("forbidHeaders"));
    let require = strings(case.get("requireHeaders"));
    let body = opt_str(str_of(case, "body"));
    let media = opt_str(str_of(case, "bodyMediaType"));
    let call = call(root, o, quote!(input));
    let doc = doc_of(case);
    quote! {
        #doc
        #[test]
        fn #fname() {
            #input
            ::protocol_tests::client::request_case(#key, #host, &::protocol_tests::client::ExpectedRequest {
                method: #method,
                uri: #uri,
                query: &[#query],
                forbid_query: &[#forbid_query],
                require_query: &[#require_query],
                headers: &[#headers],
                forbid_headers: &[#forbid],
                require_headers: &[#require],
                body: #body,
                media_type: #media,
                resolved_host: #resolved,
            }, #call);
        }
    }
}

fn response_test(
    model: &Model,
    root: &TokenStream,
    o: &Operation,
    case: &Value,
    fname: proc_macro2::Ident,
    check: TokenStream,
) -> TokenStream {
    let key = format!("client response {}", str_of(case, "id").unwrap_or_default());
    let code = case.get("code").and_then(Value::as_u64).unwrap_or(200) as u16;
    let headers = pairs(case.get("headers"));
    let body = str_of(case, "body").unwrap_or("");
    let input = match &o.input {
        Some(i) => {
            let v = filler(model, root, i);
            quote!(let input = #v;)
        }
        None => quote!(),
    };
    let compare = if has_nan(case.get("params")) {
        quote!(::protocol_tests::Compare::Debug)
    } else {
        quote!(::protocol_tests::Compare::Eq)
    };
    let call = call(root, o, quote!(input));
    let doc = doc_of(case);
    quote! {
        #doc
        #[test]
        fn #fname() {
            const COMPARE: ::protocol_tests::Compare = #compare;
            #input
            ::protocol_tests::client::response_case(#key, &::protocol_tests::client::CannedResponse {
                code: #code,
                headers: &[#headers],
                body: #body,
            }, #call, #check);
        }
    }
}

/// An input whose required members hold something a request can carry
/// (a non-empty label, a known enum value): response cases need any
/// request that can be sent.
fn filler(model: &Model, root: &TokenStream, input: &ShapeId) -> TokenStream {
    let ShapeKind::Structure(st) = &model.shape(input).kind else {
        return value(model, root, input, None, None);
    };
    let mut params = serde_json::Map::new();
    for m in st.members.iter().filter(|m| m.required) {
        if let Some(v) = filler_value(model, &m.target, 0) {
            params.insert(m.name.clone(), v);
        }
    }
    value(model, root, input, None, Some(&Value::Object(params)))
}

fn filler_value(model: &Model, target: &ShapeId, depth: usize) -> Option<Value> {
    if depth > 8 {
        return None;
    }
    let shape = model.shape(target);
    Some(match &shape.kind {
        ShapeKind::Simple(Simple::String) => Value::from("filler"),
        ShapeKind::Simple(Simple::Timestamp) => Value::from(0),
        ShapeKind::Enum(e) => Value::from(e.values.first()?.value.clone()),
        ShapeKind::IntEnum(e) => Value::from(e.values.first()?.value),
        ShapeKind::Union(u) => {
            let m = u.members.first()?;
            let v = filler_value(model, &m.target, depth + 1).unwrap_or(Value::Null);
            let mut o = serde_json::Map::new();
            o.insert(m.name.clone(), v);
            Value::Object(o)
        }
        ShapeKind::Structure(st) => {
            let mut o = serde_json::Map::new();
            for m in st.members.iter().filter(|m| m.required) {
                if let Some(v) = filler_value(model, &m.target, depth + 1) {
                    o.insert(m.name.clone(), v);
                }
            }
            Value::Object(o)
        }
        _ => return None,
    })
}
