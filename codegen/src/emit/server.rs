//! Server bindings for a service: the `Operation` enum and per-operation
//! error enums (`operation.rs`), and the server trait, route table, request
//! deserializers, response and error serializers and dispatcher
//! (`server.rs`). What differs by protocol comes from the protocol's
//! [`ServerProtocol`] (`rest_json.rs` with `bindings.rs`, `aws_json.rs`);
//! everything protocol-generic at run time is in `smithy_rt::server`, and
//! what is emitted is the per-operation glue.

use super::bindings::deserializer_name;
use super::doc_attrs;
use super::paths::{ident, type_path};
use super::{aws_json, rest_json};
use crate::ir::{Fault, Model, Operation, Protocol, Shape, ShapeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What a protocol adds to the server every protocol shares (the service
/// trait, the error enums, `Server<S>`, panic containment). Each protocol
/// is a module that implements it: `rest_json.rs`, `aws_json.rs`.
pub(crate) trait ServerProtocol {
    /// The `use` line of `server.rs`.
    fn imports(&self) -> TokenStream;
    /// `route` and what it needs.
    fn routing(&self, model: &Model) -> TokenStream;
    /// The start of `Server::handle`: routes `request`, binds `operation`
    /// and `mut response` (the matching `serve_<op>` method's answer).
    fn dispatch(
        &self,
        model: &Model,
        ops: &[proc_macro2::Ident],
        serves: &[proc_macro2::Ident],
    ) -> TokenStream;
    /// Per-operation functions: deserializers, and any serializers and
    /// error writers.
    fn items(&self, model: &Model) -> Vec<TokenStream>;
    /// `rejection_response`'s body (`rejection` in scope), given the
    /// model's `ValidationException` and its status, if it has one.
    fn rejection_response(&self, model: &Model, validation: Option<(&Shape, u16)>) -> TokenStream;
    /// A 500 with `body` (a `Serialize` expression; `message` in scope),
    /// typed as `shape` (the model's internal error) or `InternalFailure`.
    fn internal_error(
        &self,
        model: &Model,
        shape: Option<&Shape>,
        body: TokenStream,
    ) -> TokenStream;
    /// The response of error `shape` (in the local `e`) with `status`.
    fn error_response(&self, model: &Model, shape: &Shape, status: u16) -> TokenStream;
    /// The parameters of each `serve_<op>` method.
    fn serve_params(&self) -> ServeParams;
    /// What an operation without input checks of its request: an
    /// expression of `Result<(), Rejection>` (`request` in scope).
    fn no_input_check(&self, model: &Model) -> TokenStream;
    /// The response to a successful call of `o`, its output in the local
    /// `output`; `server` is the path of the `server` module from where the
    /// expression is used (empty inside it).
    fn ok_response(&self, model: &Model, o: &Operation, server: &TokenStream) -> TokenStream;
}

/// How a protocol's `serve_<op>` methods take the request.
pub(crate) struct ServeParams {
    /// The parameters after `&self`.
    pub params: TokenStream,
    /// What `deserialize_<op>` gets after the request.
    pub forward: TokenStream,
    /// Statements that mark the parameters besides the request used.
    pub ignore_extra: TokenStream,
    /// Statements that mark every parameter used.
    pub ignore_all: TokenStream,
}

/// The server protocol of `model`'s service.
fn protocol(model: &Model) -> &'static dyn ServerProtocol {
    match model.service.as_ref().and_then(|s| s.protocol) {
        Some(Protocol::AwsJson1_0 | Protocol::AwsJson1_1) => &aws_json::AwsJson,
        _ => &rest_json::RestJson1,
    }
}

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

pub(crate) fn error_status(shape: &Shape) -> u16 {
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
    let wire = protocol(model);
    let responses = each(&|s| wire.error_response(model, s, error_status(s)));
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

    let wire = protocol(model);
    let items = wire.items(model);
    let validation_shape =
        super::message_error(model, "ValidationException", quote!(violations.message()));
    let validation_response = wire.rejection_response(
        model,
        validation_shape.map(|(shape, _)| (shape, error_status(shape))),
    );
    let message = quote!(message.to_owned());
    let internal = [
        "InternalServerException",
        "InternalServerError",
        "InternalFailure",
    ]
    .iter()
    .find_map(|name| super::message_error(model, name, message.clone()));
    let internal = match internal {
        Some((shape, build)) => wire.internal_error(model, Some(shape), build),
        None => wire.internal_error(
            model,
            None,
            quote!(::smithy_rt::server::InternalFailure { message }),
        ),
    };
    let ops: Vec<_> = model
        .operations
        .iter()
        .map(|o| ident(&o.rust_name))
        .collect();
    let serves: Vec<_> = model.operations.iter().map(serve_name).collect();
    let calls = model.operations.iter().map(|o| call(model, wire, o));
    let imports = wire.imports();
    let routing = wire.routing(model);
    let dispatch = wire.dispatch(model, &ops, &serves);
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

        #(#items)*

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

fn call(model: &Model, wire: &dyn ServerProtocol, o: &Operation) -> TokenStream {
    let method = serve_name(o);
    let ServeParams {
        params,
        forward: labels_arg,
        ignore_extra: ignore_labels,
        ignore_all,
    } = wire.serve_params();
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
            let check = wire.no_input_check(model);
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
    protocol(model).ok_response(model, o, server)
}
