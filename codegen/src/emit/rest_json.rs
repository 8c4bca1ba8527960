//! restJson1's server bindings: the route table and `route`, the `Accept`
//! check, the per-operation deserializers, serializers and error writers of
//! `bindings.rs`, and restJson1's responses and errors (`X-Amzn-Errortype`).

use super::bindings::{
    deserializer, error_writer, error_writer_name, has_bound_members, serializer, serializer_name,
};
use super::client::ClientProtocol;
use super::paths::{ident, type_path};
use super::server::{ServeParams, ServerProtocol, error_status};
use crate::ir::{Model, Operation, Segment, Shape, ShapeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `aws.protocols#restJson1`.
pub(crate) struct RestJson1;

impl ClientProtocol for RestJson1 {
    /// Nothing: restJson1 is its HTTP bindings.
    fn finish_request(&self, _: &Model, _: &Operation) -> Option<TokenStream> {
        None
    }
}

impl ServerProtocol for RestJson1 {
    fn imports(&self) -> TokenStream {
        quote!(
            use ::smithy_rt::server::{http, Bytes, Labels, Rejection, RouteError};
        )
    }

    fn routing(&self, model: &Model) -> TokenStream {
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

        quote! {
            static ROUTES: &[::smithy_rt::server::Route] = &[#(#routes),*];
            const ROUTER: ::smithy_rt::server::Router = ::smithy_rt::server::Router::new(ROUTES);

            /// Matches a request to its operation: segment by segment, labels still
            /// percent-encoded (decode them with [`Labels::get`]), query literals
            /// honoured.
            pub fn route<'a>(method: &http::Method, path: &'a str, query: ::std::option::Option<&'a str>) -> ::std::result::Result<(Operation, Labels<'a>), RouteError> {
                ROUTER.route(method, path, query).map(|(i, labels)| (Operation::ALL[i], labels))
            }
        }
    }

    fn dispatch(
        &self,
        model: &Model,
        ops: &[proc_macro2::Ident],
        serves: &[proc_macro2::Ident],
    ) -> TokenStream {
        let accept = accept_check(model);
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
        }
    }

    fn items(&self, model: &Model) -> Vec<TokenStream> {
        let ops = || model.operations.iter().filter(|o| !o.event_stream);
        let mut items: Vec<TokenStream> = ops().filter_map(|o| deserializer(model, o)).collect();
        items.extend(ops().filter_map(|o| serializer(model, o)));
        items.extend(
            ops()
                .flat_map(|o| o.errors.iter())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .filter_map(|e| {
                    let shape = model.shape(e);
                    error_writer(model, shape, error_status(shape))
                }),
        );
        items
    }

    fn rejection_response(&self, _model: &Model, validation: Option<(&Shape, u16)>) -> TokenStream {
        match validation {
            Some((shape, status)) => {
                let ty = type_path(shape);
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
        }
    }

    fn internal_error(
        &self,
        _model: &Model,
        shape: Option<&Shape>,
        body: TokenStream,
    ) -> TokenStream {
        match shape {
            Some(shape) => {
                let n = &shape.id.name;
                quote!(::smithy_rt::server::error_response(500, #n, &#body))
            }
            None => quote!(::smithy_rt::server::error_response(
                500,
                "InternalFailure",
                &#body
            )),
        }
    }

    fn error_response(&self, _model: &Model, shape: &Shape, status: u16) -> TokenStream {
        let n = &shape.id.name;
        if has_bound_members(shape) {
            let writer = error_writer_name(shape);
            quote!(crate::server::#writer(e))
        } else {
            quote!(::smithy_rt::server::error_response(#status, #n, e))
        }
    }

    fn serve_params(&self) -> ServeParams {
        ServeParams {
            params: quote!(request: &http::Request<Bytes>, labels: &Labels<'_>),
            forward: quote!(, labels),
            ignore_extra: quote!(let _ = labels;),
            ignore_all: quote!(let _ = (request, labels);),
        }
    }

    fn no_input_check(&self, _model: &Model) -> TokenStream {
        // No input, so no body, and no Content-Type
        // (RestJsonWithoutBodyExpectsEmptyContentType).
        quote!(::smithy_rt::server::check_no_content_type(
            request.headers(),
            request.body()
        ))
    }

    fn ok_response(&self, model: &Model, o: &Operation, server: &TokenStream) -> TokenStream {
        let code = o
            .http
            .as_ref()
            .expect("restJson1 operations have routes")
            .code;
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
