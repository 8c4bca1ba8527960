//! The client of a service (`client.rs`): `Client`, one `async fn`
//! per operation, a paginator per `@paginated` operation, and each
//! operation's request writer and response reader
//! ([`super::client_bindings`]). The machinery (signing, retries,
//! timeouts, credentials, the transport) is `smithy_rt::client`'s.

use super::client_bindings::{reader, reader_name, structure_reader, writer, writer_name};
use super::doc_attrs;
use super::paths::{ident, opt_str, rust_type, type_path};
use super::server::error_enum_name;
use crate::ir::{Member, Model, Operation, OperationAuth, Protocol, Shape, ShapeKind, Simple};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// What a protocol adds to the client's request writer, the mirror image
/// of [`super::server::ServerProtocol`]: the writer (`client_bindings`)
/// writes the HTTP bindings the protocol's lowering chose, and the protocol
/// finishes the request. Responses are read by one reader for both JSON
/// protocols: awsJson's error rules (`__type`, sanitised) are a subset of
/// restJson1's (`X-Amzn-Errortype`, then `code`, then `__type`).
pub(crate) trait ClientProtocol {
    /// Statements run on the written `request` (`mut`, in scope) before
    /// it is returned, if the protocol has any.
    fn finish_request(&self, model: &Model, o: &Operation) -> Option<TokenStream>;
}

/// The client protocol of `model`'s service.
fn protocol(model: &Model) -> &'static dyn ClientProtocol {
    match model.service.as_ref().and_then(|s| s.protocol) {
        Some(Protocol::AwsJson1_0 | Protocol::AwsJson1_1) => &super::aws_json::AwsJson,
        _ => &super::rest_json::RestJson1,
    }
}

/// The operations the client calls: all but event streams, which it does
/// not support.
fn operations(model: &Model) -> impl Iterator<Item = &Operation> {
    model.operations.iter().filter(|o| !o.event_stream)
}

/// `client.rs`.
pub(crate) fn client_module(model: &Model) -> TokenStream {
    let service = model
        .service
        .as_ref()
        .expect("clients are generated for services");
    let name = &service.id.name;
    let sdk_id = opt_str(service.sdk_id.as_deref());
    let prefix = opt_str(service.endpoint_prefix.as_deref());
    let signing = opt_str(service.sigv4_name.as_deref());
    let version = opt_str(service.version.as_deref());
    let title = service.title.as_deref().unwrap_or(name);
    let methods = operations(model).map(|o| method(model, o));
    let paginators = operations(model).filter_map(|o| paginator(model, o));
    let wire = protocol(model);
    let writers = operations(model).map(|o| writer(model, wire, o));
    let readers = operations(model).map(|o| reader(model, o));
    // Each output and error structure is read by one function.
    let mut read_shapes = BTreeSet::new();
    for o in operations(model) {
        read_shapes.extend(o.output.iter().cloned());
        read_shapes.extend(o.errors.iter().cloned());
    }
    let structure_readers = read_shapes
        .iter()
        .filter_map(|id| structure_reader(model, model.shape(id)));
    let retry_impls = operations(model).map(|o| retry_impl(model, o));
    let client_doc = format!(
        " A client of {title}. Cheap to clone: clones share the configuration, the connection pool and the retry quota."
    );
    let protocol = service
        .protocol
        .map_or("", |p| p.trait_id().trim_start_matches("aws.protocols#"));
    let module_doc = format!(
        " The {title} client: [`Client`], one `async fn` per operation, over {protocol}. Calls need a Tokio runtime."
    );
    quote! {
        #![doc = #module_doc]

        pub use ::smithy_rt::client::{
            Config, ConfigBuilder, Credentials, Error, RetryConfig, TimeoutConfig,
        };
        pub use ::smithy_rt::client::paginate::{Items, Paginator};

        /// What the client knows of the service.
        static SERVICE: ::smithy_rt::client::ServiceInfo = ::smithy_rt::client::ServiceInfo {
            name: #name,
            sdk_id: #sdk_id,
            endpoint_prefix: #prefix,
            signing_name: #signing,
            api_version: #version,
        };

        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: ::smithy_rt::client::Handle,
        }

        impl Client {
            /// A client with `config`. Nothing is checked here: a missing
            /// region or endpoint is reported by each call.
            pub fn new(config: Config) -> Self {
                Client { handle: ::smithy_rt::client::Handle::new(config, &SERVICE) }
            }

            /// The client's configuration.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            #(#methods)*
            #(#paginators)*
        }

        #(#retry_impls)*
        #(#writers)*
        #(#readers)*
        #(#structure_readers)*
    }
}

fn auth_tokens(o: &Operation) -> TokenStream {
    match o.auth {
        OperationAuth::Service => quote!(::smithy_rt::client::Auth::SigV4),
        OperationAuth::Optional => quote!(::smithy_rt::client::Auth::Optional),
        OperationAuth::None => quote!(::smithy_rt::client::Auth::None),
    }
}

/// The `async fn` of an operation.
fn method(model: &Model, o: &Operation) -> TokenStream {
    let f = ident(&crate::naming::client_method(&o.fn_name));
    let error = error_enum_name(o);
    let output = match &o.output {
        Some(out) => type_path(model.shape(out)),
        None => quote!(()),
    };
    let op_name = &o.id.name;
    let auth = auth_tokens(o);
    let gzip = o.request_compression.iter().any(|e| e == "gzip");
    let checksum = o.checksum_required;
    let write = writer_name(o);
    let read = reader_name(o);
    let docs = doc_attrs(o.docs.as_deref(), &format!("Calls `{op_name}`."));
    let (param, write_call, fill) = match &o.input {
        Some(i) => {
            let shape = model.shape(i);
            let ty = type_path(shape);
            let tokens = idempotency_tokens(shape);
            let fill = tokens.iter().map(|m| {
                let field = ident(&m.rust_name);
                if m.is_present() {
                    quote!(if input.#field.is_empty() { input.#field = self.handle.idempotency_token(); })
                } else {
                    quote!(if input.#field.is_none() { input.#field = ::std::option::Option::Some(self.handle.idempotency_token()); })
                }
            });
            let fill: Vec<TokenStream> = fill.collect();
            let binding = if fill.is_empty() {
                quote!()
            } else {
                quote!(let mut input = input;)
            };
            (
                quote!(, input: #ty),
                quote!(#write(&input)),
                quote!(#binding #(#fill)*),
            )
        }
        None => (quote!(), quote!(#write()), quote!()),
    };
    let rules = model
        .service
        .as_ref()
        .and_then(|s| s.endpoint_rules.as_ref());
    let call = match rules {
        None => quote!(self.handle.invoke(&OPERATION, request, #read).await),
        Some(_) => {
            let set = if o.endpoint_params.is_empty() {
                quote!()
            } else {
                let f = super::endpoint::operation_params_fn(o);
                if !o.endpoint_params.reads_input() {
                    quote!(crate::endpoint::#f(&mut params);)
                } else {
                    quote!(crate::endpoint::#f(&mut params, &input);)
                }
            };
            let binding = if o.endpoint_params.is_empty() {
                quote!(let params)
            } else {
                quote!(let mut params)
            };
            quote! {
                #binding = crate::endpoint::Params::from_handle(&self.handle);
                #set
                let endpoint = crate::endpoint::resolve(&params);
                self.handle.invoke_resolved(&OPERATION, endpoint, request, #read).await
            }
        }
    };
    let token_doc = if o
        .input
        .as_ref()
        .is_some_and(|i| !idempotency_tokens(model.shape(i)).is_empty())
    {
        quote!(#[doc = ""] #[doc = " An unset idempotency token is filled with a fresh UUID v4, the same on every retry."])
    } else {
        quote!()
    };
    quote! {
        #docs
        #token_doc
        pub async fn #f(&self #param) -> ::std::result::Result<#output, Error<crate::operation::#error>> {
            static OPERATION: ::smithy_rt::client::OperationInfo = ::smithy_rt::client::OperationInfo {
                name: #op_name,
                auth: #auth,
                gzip: #gzip,
                checksum_required: #checksum,
            };
            #fill
            let request = #write_call.map_err(Error::Build)?;
            #call
        }
    }
}

/// The `@idempotencyToken` string members of an input.
fn idempotency_tokens(shape: &Shape) -> Vec<&Member> {
    match &shape.kind {
        ShapeKind::Structure(st) => st.members.iter().filter(|m| m.idempotency_token).collect(),
        _ => Vec::new(),
    }
}

/// `impl ModeledError` for an operation's error enum: which errors are
/// `@retryable`.
fn retry_impl(model: &Model, o: &Operation) -> TokenStream {
    let error = error_enum_name(o);
    let arms: Vec<TokenStream> = o
        .errors
        .iter()
        .filter_map(|e| {
            let shape = model.shape(e);
            let ShapeKind::Structure(st) = &shape.kind else {
                return None;
            };
            let throttling = st.error.as_ref()?.retryable?;
            let v = ident(&shape.rust_name);
            let kind = if throttling {
                quote!(::smithy_rt::client::RetryKind::Throttling)
            } else {
                quote!(::smithy_rt::client::RetryKind::Transient)
            };
            Some(quote!(Self::#v(_) => ::std::option::Option::Some(#kind),))
        })
        .collect();
    let body = if o.errors.is_empty() {
        quote!(match *self {})
    } else if arms.is_empty() {
        quote!({
            let _ = self;
            ::std::option::Option::None
        })
    } else if arms.len() == o.errors.len() {
        quote!(match self { #(#arms)* })
    } else {
        quote!(match self { #(#arms)* _ => ::std::option::Option::None, })
    };
    quote! {
        impl ::smithy_rt::client::ModeledError for crate::operation::#error {
            fn retry_kind(&self) -> ::std::option::Option<::smithy_rt::client::RetryKind> {
                #body
            }

            fn code(&self) -> &str {
                self.error_type()
            }
        }
    }
}

/// The members along a dotted path from `shape` (`a.b`), each a structure
/// member.
fn member_path<'m>(model: &'m Model, shape: &'m Shape, path: &str) -> Option<Vec<&'m Member>> {
    let mut out = Vec::new();
    let mut current = shape;
    for part in path.split('.') {
        let ShapeKind::Structure(st) = &current.kind else {
            return None;
        };
        let m = st.members.iter().find(|m| m.name == part)?;
        current = model.shape(&m.target);
        out.push(m);
    }
    Some(out)
}

/// An expression reading the path `members` of `root` (a reference) as an
/// `Option<&T>`.
fn read_path(root: TokenStream, members: &[&Member]) -> TokenStream {
    let mut expr = quote!(::std::option::Option::Some(#root));
    for m in members {
        let field = ident(&m.rust_name);
        expr = if m.is_present() {
            quote!(#expr.map(|x| &x.#field))
        } else {
            quote!(#expr.and_then(|x| x.#field.as_ref()))
        };
    }
    expr
}

/// `<op>_paginator`: the pages (and, with `items`, the items) of a
/// `@paginated` operation whose tokens are strings.
/// What a paginator is built from: the input token member and the path to
/// the output token. `None` when the operation gets no paginator (not
/// `@paginated`, or tokens that are not optional strings).
fn paginator_tokens<'m>(model: &'m Model, o: &Operation) -> Option<(&'m Member, Vec<&'m Member>)> {
    let p = o.paginated.as_ref()?;
    let input = model.shape(o.input.as_ref()?);
    let output = model.shape(o.output.as_ref()?);
    let in_path = member_path(model, input, p.input_token.as_deref()?)?;
    let [in_token] = in_path[..] else { return None };
    let out_path = member_path(model, output, p.output_token.as_deref()?)?;
    let is_string = |m: &Member| {
        matches!(
            model.shape(&m.target).kind,
            ShapeKind::Simple(Simple::String)
        )
    };
    if !is_string(in_token)
        || !out_path.last().is_some_and(|m| is_string(m))
        || in_token.is_present()
    {
        return None;
    }
    Some((in_token, out_path))
}

/// The Rust API a paginated operation adds to the client, as text that
/// changes exactly when that API does: the pages method, and the items
/// method with its item type. `None` when the operation gets no paginator.
pub(crate) fn paginator_api(model: &Model, o: &Operation) -> Option<String> {
    paginator_tokens(model, o)?;
    let output = model.shape(o.output.as_ref()?);
    let (pages, items) = crate::naming::paginator_methods(&o.fn_name);
    let item = o
        .paginated
        .as_ref()
        .and_then(|p| p.items.as_deref())
        .and_then(|path| item_type(model, &member_path(model, output, path)?));
    Some(match item {
        Some(t) => {
            let t = t
                .to_string()
                .replace(' ', "")
                .replace("::std::string::", "")
                .replace("::std::option::", "")
                .replace("crate::", "");
            format!("{pages}` and `{items}` (items: `{t}`)")
        }
        None => format!("{pages}`"),
    })
}

/// The item type of the collection at the end of `members`.
fn item_type(model: &Model, members: &[&Member]) -> Option<TokenStream> {
    let last = members.last()?;
    Some(match &model.shape(&last.target).kind {
        ShapeKind::List(l) => {
            let t = rust_type(model, &l.member.target);
            if l.sparse {
                quote!(::std::option::Option<#t>)
            } else {
                t
            }
        }
        ShapeKind::Map(m) => {
            let k = rust_type(model, &m.key.target);
            let v = rust_type(model, &m.value.target);
            if m.sparse {
                quote!((#k, ::std::option::Option<#v>))
            } else {
                quote!((#k, #v))
            }
        }
        _ => return None,
    })
}

fn paginator(model: &Model, o: &Operation) -> Option<TokenStream> {
    let p = o.paginated.as_ref()?;
    let input = model.shape(o.input.as_ref()?);
    let output = model.shape(o.output.as_ref()?);
    let (in_token, out_path) = paginator_tokens(model, o)?;
    let (pages_f, items_f) = crate::naming::paginator_methods(&o.fn_name);
    let f = ident(&pages_f);
    let call = ident(&crate::naming::client_method(&o.fn_name));
    let input_ty = type_path(input);
    let output_ty = type_path(output);
    let error = error_enum_name(o);
    let token_field = ident(&in_token.rust_name);
    let next = read_path(quote!(o), &out_path);
    let doc = format!(
        " The pages of `{}`, from `input` on: a stream (and `next().await`) that stops when the service sends no next token, an empty one, or the one just sent.",
        o.id.name
    );
    let items = p.items.as_deref().and_then(|path| {
        let members = member_path(model, output, path)?;
        let item_ty = item_type(model, &members)?;
        // Taking the items out of a page by value.
        let mut take = quote!(::std::option::Option::Some(o));
        for m in &members {
            let field = ident(&m.rust_name);
            let unbox = if m.boxed { quote!(.map(|x| *x)) } else { quote!() };
            take = if m.is_present() {
                quote!(#take.map(|x| x.#field) #unbox)
            } else {
                quote!(#take.and_then(|x| x.#field) #unbox)
            };
        }
        let items_f = ident(&items_f);
        let doc = format!(
            " The items (`{path}`) of every page of `{}`, from `input` on.",
            o.id.name
        );
        Some(quote! {
            #[doc = #doc]
            pub fn #items_f(&self, input: #input_ty) -> Items<#input_ty, #output_ty, Error<crate::operation::#error>, #item_ty> {
                self.#f(input).items(|o| #take.map(|x| x.into_iter().collect()).unwrap_or_default())
            }
        })
    });
    Some(quote! {
        #[doc = #doc]
        pub fn #f(&self, input: #input_ty) -> Paginator<#input_ty, #output_ty, Error<crate::operation::#error>> {
            let client = self.clone();
            Paginator::new(
                input,
                ::std::sync::Arc::new(move |input| {
                    let client = client.clone();
                    ::std::boxed::Box::pin(async move { client.#call(input).await })
                }),
                |input, token| input.#token_field = token,
                |o| #next.map(::std::string::String::as_str),
            )
        }
        #items
    })
}
