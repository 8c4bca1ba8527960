//! awsJson1_0 and awsJson1_1 server bindings: what differs from restJson1
//! in `server.rs` and `operation.rs`. Routing is a `match` on the operation
//! name that `X-Amz-Target` carries; inputs are the whole JSON body (the
//! lowering put every member there, under its own name); outputs are 200
//! with the protocol's media type; errors carry `__type` in the body. The
//! wire rules themselves are `smithy_rt::server::aws_json`.

use super::bindings::{decompression, deserializer_name};
use super::client::ClientProtocol;
use super::paths::{ident, type_path};
use super::server::{ServeParams, ServerProtocol};
use crate::ir::{Fault, Model, Operation, Protocol, Shape, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// `aws.protocols#awsJson1_0` and `aws.protocols#awsJson1_1`.
pub(crate) struct AwsJson;

impl ServerProtocol for AwsJson {
    fn imports(&self) -> TokenStream {
        quote!(
            use ::smithy_rt::server::{http, Bytes, Rejection};
        )
    }

    fn routing(&self, model: &Model) -> TokenStream {
        route(model)
    }

    fn dispatch(
        &self,
        model: &Model,
        ops: &[proc_macro2::Ident],
        serves: &[proc_macro2::Ident],
    ) -> TokenStream {
        let version = version(model).expect("an awsJson service");
        quote! {
            let operation = match route(&request) {
                ::std::result::Result::Ok(operation) => operation,
                ::std::result::Result::Err(e) => return e.into_response(#version),
            };
            let mut response = match operation {
                #(Operation::#ops => self.#serves(&request).await,)*
            };
        }
    }

    fn items(&self, model: &Model) -> Vec<TokenStream> {
        model
            .operations
            .iter()
            .filter(|o| !o.event_stream)
            .filter_map(|o| deserializer(model, o))
            .collect()
    }

    fn rejection_response(&self, model: &Model, validation: Option<(&Shape, u16)>) -> TokenStream {
        rejection_response(model, validation)
    }

    fn internal_error(
        &self,
        model: &Model,
        shape: Option<&Shape>,
        body: TokenStream,
    ) -> TokenStream {
        let name = shape.map_or_else(|| "InternalFailure".to_owned(), |s| error_type(model, s));
        named_error_response(model, 500, &name, body)
    }

    fn error_response(&self, model: &Model, shape: &Shape, status: u16) -> TokenStream {
        error_response(model, shape, status)
    }

    fn serve_params(&self) -> ServeParams {
        // No labels: the request alone.
        ServeParams {
            params: quote!(request: &http::Request<Bytes>),
            forward: quote!(),
            ignore_extra: quote!(),
            ignore_all: quote!(let _ = request;),
        }
    }

    fn no_input_check(&self, model: &Model) -> TokenStream {
        // The media type all the same (AwsJson10ServiceSupportsNoPayloadForNoInput).
        no_input_check(model)
    }

    fn ok_response(&self, model: &Model, o: &Operation, server: &TokenStream) -> TokenStream {
        ok_response(model, o, server)
    }
}

impl ClientProtocol for AwsJson {
    /// The target, the media type (and `{}` for an empty body), and
    /// `x-amzn-query-mode` for a query-compatible service.
    fn finish_request(&self, model: &Model, o: &Operation) -> Option<TokenStream> {
        let s = model.service.as_ref()?;
        let media = s.protocol?.media_type();
        let target = format!("{}.{}", s.id.name, o.id.name);
        let query_compatible = s
            .protocols
            .iter()
            .any(|p| p == "aws.protocols#awsQueryCompatible");
        Some(
            quote!(::smithy_rt::client::aws_json::finish(&mut request, #media, #target, #query_compatible);),
        )
    }
}

/// `smithy_rt::server::aws_json::Version` of the model's service, when it
/// speaks awsJson.
pub(crate) fn version(model: &Model) -> Option<TokenStream> {
    match model.service.as_ref()?.protocol? {
        Protocol::AwsJson1_0 => Some(quote!(::smithy_rt::server::aws_json::Version::V1_0)),
        Protocol::AwsJson1_1 => Some(quote!(::smithy_rt::server::aws_json::Version::V1_1)),
        Protocol::RestJson1 => None,
    }
}

/// The `__type` an error is sent with: its shape ID under 1.0, its name
/// under 1.1 (as the protocols' compliance tests have them).
fn error_type(model: &Model, shape: &Shape) -> String {
    match model.service.as_ref().and_then(|s| s.protocol) {
        Some(Protocol::AwsJson1_0) => shape.id.to_string(),
        _ => shape.id.name.clone(),
    }
}

fn query_compatible(model: &Model) -> bool {
    model.service.as_ref().is_some_and(|s| {
        s.protocols
            .iter()
            .any(|p| p == "aws.protocols#awsQueryCompatible")
    })
}

/// The response of error `shape` (in the local `e`), with `status`.
fn error_response(model: &Model, shape: &Shape, status: u16) -> TokenStream {
    let version = version(model).expect("an awsJson service");
    let name = error_type(model, shape);
    let info = match &shape.kind {
        ShapeKind::Structure(st) => st.error.as_ref(),
        _ => None,
    };
    if query_compatible(model) {
        let code = info
            .and_then(|i| i.query_code.clone())
            .unwrap_or_else(|| shape.id.name.clone());
        let client = info.is_none_or(|i| i.fault == Fault::Client);
        quote!(::smithy_rt::server::aws_json::query_compatible_error_response(#version, #status, #name, e, #code, #client))
    } else {
        quote!(::smithy_rt::server::aws_json::error_response(#version, #status, #name, e))
    }
}

/// A protocol error response named `name` with `status` and body `body`
/// (an expression of a `Serialize` type).
fn named_error_response(model: &Model, status: u16, name: &str, body: TokenStream) -> TokenStream {
    let version = version(model).expect("an awsJson service");
    quote!(::smithy_rt::server::aws_json::error_response(#version, #status, #name, &#body))
}

/// `rejection_response`'s body: constraint violations as the model's
/// `ValidationException` (when it has one), the rest as protocol errors.
fn rejection_response(model: &Model, validation: Option<(&Shape, u16)>) -> TokenStream {
    let version = version(model).expect("an awsJson service");
    match validation {
        Some((shape, status)) => {
            let ty = type_path(shape);
            let name = error_type(model, shape);
            quote! {
                match rejection {
                    ::smithy_rt::server::Rejection::Validation(violations) => {
                        ::smithy_rt::server::aws_json::error_response(#version, #status, #name, &#ty::from(violations))
                    }
                    other => ::smithy_rt::server::aws_json::rejection_response(#version, other),
                }
            }
        }
        None => quote!(::smithy_rt::server::aws_json::rejection_response(#version, rejection)),
    }
}

/// `route`: the operation a request names, by a `match` on the name's
/// length and then on the names of that length (a string `match` compares
/// arm by arm; grouped, a name meets a few candidates at most).
fn route(model: &Model) -> TokenStream {
    let service = &model.service.as_ref().expect("a service").id.name;
    let mut by_length: std::collections::BTreeMap<usize, Vec<&Operation>> = Default::default();
    for o in &model.operations {
        by_length.entry(o.id.name.len()).or_default().push(o);
    }
    let groups = by_length.iter().map(|(len, ops)| {
        let arms = ops.iter().map(|o| {
            let name = &o.id.name;
            let v = ident(&o.rust_name);
            quote!(#name => ::std::result::Result::Ok(Operation::#v),)
        });
        quote!(#len => match name { #(#arms)* _ => unknown(), },)
    });
    quote! {
        /// The operation a request names: `POST /` with `X-Amz-Target:
        /// {Service}.{Operation}`.
        pub fn route(request: &http::Request<Bytes>) -> ::std::result::Result<Operation, ::smithy_rt::server::aws_json::UnknownOperation> {
            let name = ::smithy_rt::server::aws_json::target(request.method(), request.uri().path(), request.headers(), #service)?;
            let unknown = || ::std::result::Result::Err(::smithy_rt::server::aws_json::UnknownOperation::named(name));
            match name.len() {
                #(#groups)*
                _ => unknown(),
            }
        }
    }
}

/// `deserialize_<op>`: the media type, the JSON body (empty reads as
/// `{}`), then validation.
fn deserializer(model: &Model, o: &Operation) -> Option<TokenStream> {
    let input = model.shape(o.input.as_ref()?);
    let version = version(model).expect("an awsJson service");
    let typed = type_path(input);
    let raw = {
        let n = ident(&input.rust_name);
        quote!(crate::unvalidated::#n)
    };
    let name = deserializer_name(o);
    let doc = format!(
        " Reads the input of `{}` from a request that names it: its JSON body, then validates it.",
        o.id.name
    );
    let decompress = decompression(o);
    Some(quote! {
        #[doc = #doc]
        pub fn #name(request: &http::Request<Bytes>) -> ::std::result::Result<#typed, Rejection> {
            #decompress
            ::smithy_rt::server::aws_json::check_content_type(#version, request.headers())?;
            let raw: #raw = ::smithy_rt::server::json_body(request.body())?;
            raw.validate().map_err(Rejection::Validation)
        }
    })
}

/// What an operation without input checks: the media type only (its body
/// is ignored).
fn no_input_check(model: &Model) -> TokenStream {
    let version = version(model).expect("an awsJson service");
    quote!(::smithy_rt::server::aws_json::check_content_type(#version, request.headers()))
}

/// The response to a successful call of `o`, whose output is in the local
/// `output`; `server` is the path of the generated `server` module.
fn ok_response(model: &Model, o: &Operation, server: &TokenStream) -> TokenStream {
    let version = version(model).expect("an awsJson service");
    match &o.output {
        Some(_) => {
            quote!(::smithy_rt::server::aws_json::response(#version, &output, #server internal_error_response))
        }
        None => {
            quote!({ let () = output; ::smithy_rt::server::aws_json::empty_response(#version) })
        }
    }
}
