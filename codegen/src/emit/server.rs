//! Server bindings for a service: the `Operation` enum and per-operation
//! error enums (`operation.rs`), and the server trait, route table, request
//! deserializers, response and error serializers and dispatcher
//! (`server.rs`). The restJson1 wire is written here and in `bindings.rs`,
//! awsJson's in `aws_json.rs`; everything protocol-generic is in
//! `smithy_rt::server`, and what is emitted is the per-operation glue.

use super::aws_json;
use super::bindings::{
    deserializer, deserializer_name, error_writer, error_writer_name, has_bound_members,
    serializer, serializer_name,
};
use super::doc_attrs;
use super::paths::{ident, type_path};
use crate::ir::{Fault, Model, Operation, Segment, Shape, ShapeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Whether the model gets server bindings: a service with a protocol the
/// generator speaks whose operations all have routes (awsJson's are all
/// `POST /`).
pub(crate) fn applies(model: &Model) -> bool {
    model.service.as_ref().is_some_and(|s| s.protocol.is_some())
        && !model.operations.is_empty()
        && model.operations.iter().all(|o| o.http.is_some())
}

fn error_shapes<'m>(model: &'m Model, op: &Operation) -> Vec<&'m Shape> {
    let mut errors: Vec<&Shape> = op.errors.iter().map(|e| model.shape(e)).collect();
    errors.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    errors
}

fn error_status(shape: &Shape) -> u16 {
    match &shape.kind {
        ShapeKind::Structure(st) => match &st.error {
            Some(e) => e.http_status.unwrap_or(match e.fault {
                Fault::Client => 400,
                Fault::Server => 500,
            }),
            None => 500,
        },
        _ => 500,
    }
}

pub(crate) fn error_enum_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Error", op.rust_name)
}

/// `operation.rs`: the `Operation` enum and one error enum per operation.
pub(crate) fn operation_module(model: &Model) -> TokenStream {
    let variants: Vec<_> = model
        .operations
        .iter()
        .map(|o| ident(&o.rust_name))
        .collect();
    let docs = model.operations.iter().map(|o| {
        let first = o
            .docs
            .as_deref()
            .and_then(|d| d.split("\n\n").next())
            .unwrap_or("");
        let text = format!("`{}`. {first}", o.id.name);
        doc_attrs(Some(text.trim_end_matches(". ").trim()), "")
    });
    let arms = |f: &dyn Fn(&Operation) -> TokenStream| -> Vec<TokenStream> {
        model
            .operations
            .iter()
            .map(|o| {
                let v = ident(&o.rust_name);
                let value = f(o);
                quote!(Self::#v => #value,)
            })
            .collect()
    };
    fn http(o: &Operation) -> &crate::ir::HttpRoute {
        o.http.as_ref().expect("server bindings need routes")
    }
    let names = arms(&|o| {
        let n = &o.id.name;
        quote!(#n)
    });
    let methods = arms(&|o| {
        let m = format_ident!("{}", http(o).method);
        quote!(::smithy_rt::http::Method::#m)
    });
    let uris = arms(&|o| {
        let u = &http(o).uri;
        quote!(#u)
    });
    let codes = arms(&|o| {
        let c = http(o).code;
        quote!(#c)
    });
    let readonly = arms(&|o| {
        let r = o.readonly;
        quote!(#r)
    });
    let idempotent = arms(&|o| {
        let r = o.idempotent;
        quote!(#r)
    });
    let errors = arms(&|o| {
        let names = error_shapes(model, o)
            .into_iter()
            .map(|s| s.id.name.clone());
        quote!(&[#(#names),*])
    });
    let error_enums = model.operations.iter().map(|o| error_enum(model, o));
    quote! {
        #![doc = " The service's operations and, for each, the errors it can return."]

        /// An operation of the service, with its HTTP binding.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Operation {
            #(#docs #variants,)*
        }

        impl Operation {
            /// Every operation, in the order of the route table.
            pub const ALL: &'static [Operation] = &[#(Self::#variants),*];

            /// The operation's shape name.
            pub const fn name(self) -> &'static str {
                match self { #(#names)* }
            }

            /// The HTTP method.
            pub fn method(self) -> ::smithy_rt::http::Method {
                match self { #(#methods)* }
            }

            /// The URI pattern, as in the model.
            pub const fn uri(self) -> &'static str {
                match self { #(#uris)* }
            }

            /// The status code of a successful response.
            pub const fn success_code(self) -> u16 {
                match self { #(#codes)* }
            }

            /// Whether the operation is `@readonly`.
            pub const fn readonly(self) -> bool {
                match self { #(#readonly)* }
            }

            /// Whether the operation is `@idempotent`.
            pub const fn idempotent(self) -> bool {
                match self { #(#idempotent)* }
            }

            /// The shape names of the errors the operation can return.
            pub const fn errors(self) -> &'static [&'static str] {
                match self { #(#errors)* }
            }
        }

        impl ::std::fmt::Display for Operation {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        #(#error_enums)*
    }
}

fn error_enum(model: &Model, op: &Operation) -> TokenStream {
    let name = error_enum_name(op);
    let doc = format!(" An error `{}` can return.", op.id.name);
    let errors = error_shapes(model, op);
    let variants = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let ty = type_path(s);
        let d = format!(" `{}`", s.id.name);
        quote!(#[doc = #d] #v(#ty),)
    });
    let froms = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let ty = type_path(s);
        quote! {
            impl ::std::convert::From<#ty> for #name {
                fn from(e: #ty) -> Self { Self::#v(e) }
            }
        }
    });
    let each = |f: &dyn Fn(&Shape) -> TokenStream| -> Vec<TokenStream> {
        errors
            .iter()
            .map(|s| {
                let v = ident(&s.rust_name);
                let value = f(s);
                quote!(Self::#v(e) => #value,)
            })
            .collect()
    };
    let display = each(&|_| quote!(::std::fmt::Display::fmt(e, f)));
    let source = each(&|_| quote!(::std::option::Option::Some(e)));
    let types = each(&|s| {
        let n = &s.id.name;
        quote!({ let _ = e; #n })
    });
    let statuses = each(&|s| {
        let c = error_status(s);
        quote!({ let _ = e; #c })
    });
    let responses = each(&|s| {
        let n = &s.id.name;
        let c = error_status(s);
        if aws_json::version(model).is_some() {
            aws_json::error_response(model, s, c)
        } else if has_bound_members(s) {
            let writer = error_writer_name(s);
            quote!(crate::server::#writer(e))
        } else {
            quote!(::smithy_rt::server::error_response(#c, #n, e))
        }
    });
    if errors.is_empty() {
        return quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = " The operation declares no errors."]
            #[derive(Clone, Debug, PartialEq)]
            pub enum #name {}

            impl ::std::fmt::Display for #name {
                fn fmt(&self, _: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match *self {}
                }
            }

            impl ::std::error::Error for #name {}

            impl #name {
                /// The error's shape name.
                pub fn error_type(&self) -> &'static str { match *self {} }
                /// The HTTP status of the error.
                pub fn http_status(&self) -> u16 { match *self {} }
                /// The error as a response of the service's protocol.
                #[cfg(feature = "server")]
                pub fn to_response(&self) -> ::smithy_rt::server::http::Response<::smithy_rt::server::Bytes> { match *self {} }
            }
        };
    }
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #(#froms)*

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self { #(#display)* }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self { #(#source)* }
            }
        }

        impl #name {
            /// The error's shape name.
            pub fn error_type(&self) -> &'static str {
                match self { #(#types)* }
            }

            /// The HTTP status of the error (`httpError`).
            pub fn http_status(&self) -> u16 {
                match self { #(#statuses)* }
            }

            /// The error as a response of the service's protocol: its status, its
            /// type (restJson1: `X-Amzn-Errortype`; awsJson: `__type` in the
            /// body), its members as a JSON body.
            #[cfg(feature = "server")]
            pub fn to_response(&self) -> ::smithy_rt::server::http::Response<::smithy_rt::server::Bytes> {
                match self { #(#responses)* }
            }
        }
    }
}

/// `server.rs`.
pub(crate) fn server_module(model: &Model) -> TokenStream {
    let service = model.service.as_ref().expect("applies() checked");
    let trait_name = ident(&crate::naming::type_name(&service.id.name));
    let trait_doc = format!(
        " The operations of `{}`: implement this trait to serve the API, then mount [`Server`].",
        service.id.name
    );
    let methods = model.operations.iter().filter(|o| !o.event_stream).map(|o| {
        let f = ident(&o.fn_name);
        let docs = doc_attrs(o.docs.as_deref(), &format!("`{}`.", o.id.name));
        let output = output_type(model, o);
        let error = error_enum_name(o);
        let input = o.input.as_ref().map(|i| {
            let ty = type_path(model.shape(i));
            quote!(, input: #ty)
        });
        quote! {
            #docs
            fn #f(&self #input) -> impl ::std::future::Future<Output = ::std::result::Result<#output, crate::operation::#error>> + Send;
        }
    });

    let routes = model.operations.iter().map(|o| {
        let h = o.http.as_ref().expect("applies() checked");
        let m = format_ident!("{}", h.method);
        let segs = h.segments.iter().map(|s| match s {
            Segment::Literal(l) => quote!(::smithy_rt::server::Seg::Literal(#l)),
            Segment::Label { greedy: false, .. } => quote!(::smithy_rt::server::Seg::Label),
            Segment::Label { greedy: true, .. } => quote!(::smithy_rt::server::Seg::Greedy),
        });
        let query = h.query.iter().map(|(k, v)| match v {
            Some(v) => quote!((#k, ::std::option::Option::Some(#v))),
            None => quote!((#k, ::std::option::Option::None)),
        });
        quote! {
            ::smithy_rt::server::Route {
                method: ::smithy_rt::server::http::Method::#m,
                segments: &[#(#segs),*],
                query: &[#(#query),*],
            }
        }
    });

    let aws = aws_json::version(model);
    let accept = accept_check(model);
    let deserializers: Vec<TokenStream> = model
        .operations
        .iter()
        .filter(|o| !o.event_stream)
        .filter_map(|o| match aws {
            Some(_) => aws_json::deserializer(model, o),
            None => deserializer(model, o),
        })
        .collect();
    let serializers: Vec<TokenStream> = model
        .operations
        .iter()
        .filter(|o| !o.event_stream && aws.is_none())
        .filter_map(|o| serializer(model, o))
        .collect();
    let error_writers: Vec<TokenStream> = model
        .operations
        .iter()
        .filter(|o| !o.event_stream && aws.is_none())
        .flat_map(|o| o.errors.iter())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter_map(|e| {
            let shape = model.shape(e);
            error_writer(model, shape, error_status(shape))
        })
        .collect();
    let validation_shape =
        super::message_error(model, "ValidationException", quote!(violations.message()));
    let validation_response = match validation_shape {
        _ if aws.is_some() => aws_json::rejection_response(
            model,
            validation_shape.map(|(shape, _)| (shape, error_status(shape))),
        ),
        Some((shape, _)) => {
            let ty = type_path(shape);
            let status = error_status(shape);
            let n = &shape.id.name;
            quote! {
                match rejection {
                    ::smithy_rt::server::Rejection::Validation(violations) => {
                        ::smithy_rt::server::error_response(#status, #n, &#ty::from(violations))
                    }
                    other => other.into_response(),
                }
            }
        }
        None => quote!(rejection.into_response()),
    };
    let message = quote!(message.to_owned());
    let internal = [
        "InternalServerException",
        "InternalServerError",
        "InternalFailure",
    ]
    .iter()
    .find_map(|name| super::message_error(model, name, message.clone()));
    let internal = match internal {
        Some((shape, build)) if aws.is_some() => {
            aws_json::named_error_response(model, 500, &aws_json::error_type(model, shape), build)
        }
        None if aws.is_some() => aws_json::named_error_response(
            model,
            500,
            "InternalFailure",
            quote!(::smithy_rt::server::InternalFailure { message }),
        ),
        Some((shape, build)) => {
            let n = &shape.id.name;
            quote!(::smithy_rt::server::error_response(500, #n, &#build))
        }
        None => quote!(::smithy_rt::server::error_response(
            500,
            "InternalFailure",
            &::smithy_rt::server::InternalFailure { message }
        )),
    };
    let ops: Vec<_> = model
        .operations
        .iter()
        .map(|o| ident(&o.rust_name))
        .collect();
    let serves: Vec<_> = model.operations.iter().map(serve_name).collect();
    let calls = model.operations.iter().map(|o| call(model, o));
    let (imports, routing, dispatch) = match &aws {
        Some(version) => (
            quote!(
                use ::smithy_rt::server::{http, Bytes, Rejection};
            ),
            aws_json::route(model),
            quote! {
                let operation = match route(&request) {
                    ::std::result::Result::Ok(operation) => operation,
                    ::std::result::Result::Err(e) => return e.into_response(#version),
                };
                let mut response = match operation {
                    #(Operation::#ops => self.#serves(&request).await,)*
                };
            },
        ),
        None => (
            quote!(
                use ::smithy_rt::server::{http, Bytes, Labels, Rejection, RouteError};
            ),
            quote! {
                static ROUTES: &[::smithy_rt::server::Route] = &[#(#routes),*];
                const ROUTER: ::smithy_rt::server::Router = ::smithy_rt::server::Router::new(ROUTES);

                /// Matches a request to its operation: segment by segment, labels still
                /// percent-encoded (decode them with [`Labels::get`]), query literals
                /// honoured.
                pub fn route<'a>(method: &http::Method, path: &'a str, query: ::std::option::Option<&'a str>) -> ::std::result::Result<(Operation, Labels<'a>), RouteError> {
                    ROUTER.route(method, path, query).map(|(i, labels)| (Operation::ALL[i], labels))
                }
            },
            quote! {
                let (operation, labels) = match route(request.method(), request.uri().path(), request.uri().query()) {
                    ::std::result::Result::Ok(hit) => hit,
                    ::std::result::Result::Err(e) => return e.into(),
                };
                let mut response = match #accept {
                    ::std::result::Result::Err(r) => rejection_response(r),
                    ::std::result::Result::Ok(()) => match operation {
                        #(Operation::#ops => self.#serves(&request, &labels).await,)*
                    },
                };
            },
        ),
    };
    let protocol = model
        .service
        .as_ref()
        .and_then(|s| s.protocol)
        .map_or("", |p| p.trait_id().trim_start_matches("aws.protocols#"));
    let server_doc = format!(" Serves `S` over {protocol}: route, deserialize, validate, call the");

    quote! {
        #![doc = " Server bindings: implement the service trait, wrap it in [`Server`], and"]
        #![doc = " mount [`Server::into_service`] (a `tower::Service`) in hyper or axum, or call"]
        #![doc = " [`Server::handle`] directly."]
        // Deserializers fill a default input member by member, one binding at a
        // time; a struct literal would not be clearer.
        #![allow(clippy::field_reassign_with_default)]

        use crate::operation::Operation;
        #imports

        #[doc = #trait_doc]
        ///
        /// Each method receives a validated input. Returning an error sends it with
        /// its modelled status; a panic is answered with a 500 and never drops the
        /// connection.
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*
        }

        #routing

        /// The response for a request rejected before its handler ran.
        pub fn rejection_response(rejection: Rejection) -> http::Response<Bytes> {
            #validation_response
        }

        /// The 500 response for a handler that panicked or a response that could
        /// not be serialized. The cause is not sent to the client.
        pub fn internal_error_response(message: &str) -> http::Response<Bytes> {
            #internal
        }

        #(#deserializers)*

        #(#serializers)*
        #(#error_writers)*

        #[doc = #server_doc]
        #[doc = " handler, serialize."]
        #[derive(Debug)]
        pub struct Server<S> {
            service: S,
        }

        impl<S: #trait_name> Server<S> {
            /// A server for `service`.
            pub fn new(service: S) -> Self {
                Self { service }
            }

            /// The service this server calls.
            pub fn service(&self) -> &S {
                &self.service
            }

            /// A `tower::Service` over any request body.
            pub fn into_service(self) -> ::smithy_rt::server::TowerService<Self> {
                ::smithy_rt::server::TowerService::new(self)
            }

            /// Answers one request. The response of a request that matched an
            /// operation carries that [`Operation`] in its extensions (for logs
            /// and metrics, without routing again).
            pub async fn handle(&self, request: http::Request<Bytes>) -> http::Response<Bytes> {
                #dispatch
                response.extensions_mut().insert(operation);
                response
            }

            #(#calls)*
        }

        impl<S: #trait_name> ::smithy_rt::server::Dispatch for Server<S> {
            fn dispatch(&self, request: http::Request<Bytes>) -> impl ::std::future::Future<Output = http::Response<Bytes>> + Send {
                self.handle(request)
            }
        }
    }
}

fn output_type(model: &Model, o: &Operation) -> TokenStream {
    match &o.output {
        Some(out) => type_path(model.shape(out)),
        None => quote!(()),
    }
}

/// The method of `Server` that serves one operation.
fn serve_name(o: &Operation) -> proc_macro2::Ident {
    format_ident!("serve_{}", o.fn_name.trim_start_matches("r#"))
}

fn call(model: &Model, o: &Operation) -> TokenStream {
    let method = serve_name(o);
    let aws = aws_json::version(model).is_some();
    // awsJson has no labels: its serve methods take the request alone.
    let (params, labels_arg, ignore_labels, ignore_all) = if aws {
        (
            quote!(request: &http::Request<Bytes>),
            quote!(),
            quote!(),
            quote!(let _ = request;),
        )
    } else {
        (
            quote!(request: &http::Request<Bytes>, labels: &Labels<'_>),
            quote!(, labels),
            quote!(let _ = labels;),
            quote!(let _ = (request, labels);),
        )
    };
    if o.event_stream {
        let message = format!(
            "`{}` streams events, which this server does not support",
            o.id.name
        );
        return quote! {
            async fn #method(&self, #params) -> http::Response<Bytes> {
                #ignore_all
                ::smithy_rt::server::event_streams_unsupported(#message)
            }
        };
    }
    let f = ident(&o.fn_name);
    let (prepare, invoke) = match &o.input {
        Some(_) => {
            let d = deserializer_name(o);
            (
                quote! {
                    let input = match #d(request #labels_arg) {
                        ::std::result::Result::Ok(input) => input,
                        ::std::result::Result::Err(r) => return rejection_response(r),
                    };
                },
                quote!(self.service.#f(input)),
            )
        }
        None => {
            // restJson1: no input, so no body, and no Content-Type
            // (RestJsonWithoutBodyExpectsEmptyContentType); awsJson: the
            // media type all the same (AwsJson10ServiceSupportsNoPayloadForNoInput).
            let check = if aws {
                aws_json::no_input_check(model)
            } else {
                quote!(::smithy_rt::server::check_no_content_type(
                    request.headers(),
                    request.body()
                ))
            };
            (
                quote! {
                    #ignore_labels
                    if let ::std::result::Result::Err(r) = #check {
                        return rejection_response(r);
                    }
                },
                quote!(self.service.#f()),
            )
        }
    };
    let ok = ok_response(model, o, &TokenStream::new());
    quote! {
        async fn #method(&self, #params) -> http::Response<Bytes> {
            #prepare
            match ::smithy_rt::server::catch_unwind(|| #invoke).await {
                ::std::result::Result::Ok(::std::result::Result::Ok(output)) => #ok,
                ::std::result::Result::Ok(::std::result::Result::Err(error)) => error.to_response(),
                ::std::result::Result::Err(_panic) => internal_error_response("The server encountered an internal error."),
            }
        }
    }
}

/// The response to a successful call of `o`, whose output is in the local
/// `output`; `server` is the path of the generated `server` module, as seen
/// from where the expression is used (empty inside that module).
pub(crate) fn ok_response(model: &Model, o: &Operation, server: &TokenStream) -> TokenStream {
    if aws_json::version(model).is_some() {
        return aws_json::ok_response(model, o, server);
    }
    let code = o.http.as_ref().expect("applies() checked").code;
    match &o.output {
        Some(_) if super::bindings::needs_serializer(model, o) => {
            let s = serializer_name(o);
            quote!(#server #s(&output))
        }
        Some(_) => {
            quote!(::smithy_rt::server::json_response(#code, &output, #server internal_error_response))
        }
        None => quote!({ let () = output; ::smithy_rt::server::empty_response(#code) }),
    }
}

/// The `Accept` check of `Server::handle`: JSON, except for operations whose
/// response is a payload of another media type (a blob without `mediaType`
/// admits any).
fn accept_check(model: &Model) -> TokenStream {
    let json = quote!(::smithy_rt::server::check_accept(request.headers()));
    let arms: Vec<TokenStream> = model
        .operations
        .iter()
        .filter_map(|o| {
            let out = model.shape(o.output.as_ref()?);
            let ShapeKind::Structure(st) = &out.kind else {
                return None;
            };
            let p = st
                .members
                .iter()
                .find(|m| m.binding == crate::ir::Binding::Payload)?;
            let target = model.shape(&p.target);
            let media = match &target.kind {
                ShapeKind::Simple(crate::ir::Simple::Blob) => target.media_type.clone(),
                ShapeKind::Simple(crate::ir::Simple::String) => Some(
                    target
                        .media_type
                        .clone()
                        .unwrap_or_else(|| "text/plain".into()),
                ),
                ShapeKind::Enum(_) => Some("text/plain".into()),
                _ => return None,
            };
            let op = ident(&o.rust_name);
            Some(match media {
                Some(m) => quote!(Operation::#op => ::smithy_rt::server::check_accept_media(request.headers(), #m),),
                None => quote!(Operation::#op => ::std::result::Result::Ok(()),),
            })
        })
        .collect();
    if arms.is_empty() {
        json
    } else if arms.len() == model.operations.len() {
        quote!(match operation { #(#arms)* })
    } else {
        quote!(match operation { #(#arms)* _ => #json })
    }
}
