//! The `unvalidated` mirrors: types with every member optional, their
//! deserializers, and `build`, which checks a mirror and turns it into the
//! typed value.

use super::Cx;
use crate::emit::paths::{ident, rust_type, type_path};
use crate::ir::{self, Binding, Shape, ShapeId, ShapeKind, Simple, Structure, Union};
use proc_macro2::TokenStream;
use quote::quote;

impl Cx<'_> {
    /// Whether values of `target` are represented differently before
    /// validation (they contain a structure or union).
    pub(super) fn needs_mirror(&self, target: &ShapeId) -> bool {
        match &self.shape(target).kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => true,
            ShapeKind::List(l) => self.needs_mirror(&l.member.target),
            ShapeKind::Map(m) => self.needs_mirror(&m.value.target),
            _ => false,
        }
    }

    /// The mirror type of a reference to `target`.
    pub(super) fn mirror_type(&self, target: &ShapeId) -> TokenStream {
        let shape = self.shape(target);
        match &shape.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                let name = ident(&shape.rust_name);
                quote!(crate::unvalidated::#name)
            }
            ShapeKind::List(l) if self.needs_mirror(target) => {
                let inner = self.mirror_type(&l.member.target);
                if l.sparse {
                    quote!(::std::vec::Vec<::std::option::Option<#inner>>)
                } else {
                    quote!(::std::vec::Vec<#inner>)
                }
            }
            ShapeKind::Map(m) if self.needs_mirror(target) => {
                let k = rust_type(self.model, &m.key.target);
                let v = self.mirror_type(&m.value.target);
                if m.sparse {
                    quote!(::std::collections::BTreeMap<#k, ::std::option::Option<#v>>)
                } else {
                    quote!(::std::collections::BTreeMap<#k, #v>)
                }
            }
            _ => rust_type(self.model, target),
        }
    }

    /// Converts a mirror value `v` (by value) of `target` into an
    /// `Option` of the typed value, checking what is inside.
    /// Whether [`Self::build`] of a `target` value is the value itself.
    pub(super) fn builds_as_is(&self, target: &ShapeId) -> bool {
        match &self.shape(target).kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => false,
            ShapeKind::List(_) | ShapeKind::Map(_) => !self.needs_mirror(target),
            _ => true,
        }
    }

    pub(super) fn build(&self, target: &ShapeId, v: TokenStream, path: TokenStream) -> TokenStream {
        let shape = self.shape(target);
        match &shape.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => quote!(#v.build(#path, out)),
            ShapeKind::List(l) if self.needs_mirror(target) => {
                let inner_checks =
                    self.checks_owned(&l.member.constraints, &l.member.target, quote!(item));
                let (first, inner) = self.bound(&l.member.target, quote!(item), quote!(&path));
                let push = if l.sparse {
                    quote! {
                        match item {
                            ::std::option::Option::Some(item) => {
                                #inner_checks
                                #first
                                match #inner {
                                    ::std::option::Option::Some(item) => items.push(::std::option::Option::Some(item)),
                                    ::std::option::Option::None => ok = false,
                                }
                            }
                            ::std::option::Option::None => items.push(::std::option::Option::None),
                        }
                    }
                } else {
                    quote! {
                        #inner_checks
                        #first
                        match #inner {
                            ::std::option::Option::Some(item) => items.push(item),
                            ::std::option::Option::None => ok = false,
                        }
                    }
                };
                quote! {{
                    let mut ok = true;
                    let mut items = ::std::vec::Vec::with_capacity(#v.len());
                    for (i, item) in #v.into_iter().enumerate() {
                        let path = ::smithy_rt::validation::Path::index(#path, i);
                        #push
                    }
                    ok.then_some(items)
                }}
            }
            ShapeKind::Map(m) if self.needs_mirror(target) => {
                let value_checks =
                    self.checks_owned(&m.value.constraints, &m.value.target, quote!(value));
                let (first, inner) = self.bound(&m.value.target, quote!(value), quote!(&path));
                let insert = if m.sparse {
                    quote! {
                        match value {
                            ::std::option::Option::Some(value) => {
                                #value_checks
                                #first
                                match #inner {
                                    ::std::option::Option::Some(value) => { entries.insert(key, ::std::option::Option::Some(value)); }
                                    ::std::option::Option::None => ok = false,
                                }
                            }
                            ::std::option::Option::None => { entries.insert(key, ::std::option::Option::None); }
                        }
                    }
                } else {
                    quote! {
                        #value_checks
                        #first
                        match #inner {
                            ::std::option::Option::Some(value) => { entries.insert(key, value); }
                            ::std::option::Option::None => ok = false,
                        }
                    }
                };
                quote! {{
                    let mut ok = true;
                    let mut entries = ::std::collections::BTreeMap::new();
                    for (key, value) in #v {
                        let path = ::smithy_rt::validation::Path::key(#path, key.as_str());
                        #insert
                    }
                    ok.then_some(entries)
                }}
            }
            _ => quote!(::std::option::Option::Some(#v)),
        }
    }

    /// [`Cx::build`] of a list's or map's element as a statement to put
    /// first and an expression to `match` on: a nested list or map builds in
    /// a block, which is bound to `built` first rather than matched on
    /// (clippy's `blocks_in_conditions`).
    fn bound(
        &self,
        target: &ShapeId,
        v: TokenStream,
        path: TokenStream,
    ) -> (TokenStream, TokenStream) {
        let build = self.build(target, v, path);
        match &self.shape(target).kind {
            ShapeKind::List(_) | ShapeKind::Map(_) if self.needs_mirror(target) => {
                (quote!(let built = #build;), quote!(built))
            }
            _ => (TokenStream::new(), build),
        }
    }

    pub(super) fn is_unit(&self, target: &ShapeId) -> bool {
        matches!(self.shape(target).kind, ShapeKind::Simple(Simple::Unit))
    }

    pub(super) fn mirror_structure(&self, shape: &Shape, st: &Structure) -> TokenStream {
        let name = ident(&shape.rust_name);
        let typed = type_path(shape);
        let doc = format!(
            " [`{typed}`] before validation: every member is optional.",
            typed = typed.to_string().replace(' ', "")
        );
        let fields = st.members.iter().map(|m| {
            let field = ident(&m.rust_name);
            let wire = &m.json_name;
            let mut ty = self.mirror_type(&m.target);
            if m.boxed {
                ty = quote!(::std::boxed::Box<#ty>);
            }
            let doc = match m.binding {
                Binding::Body => format!(" `{}`, read from the JSON key `{wire}`.", m.name),
                // Bound to the URI: set by the router, never read from a body.
                Binding::Label | Binding::Query(_) | Binding::QueryParams => {
                    format!(" `{}`, bound to the URI (never read from a body).", m.name)
                }
                Binding::Header(_) | Binding::PrefixHeaders(_) => {
                    format!(
                        " `{}`, bound to HTTP headers (never read from a body).",
                        m.name
                    )
                }
                Binding::Payload => format!(" `{}`, the whole body.", m.name),
                Binding::ResponseCode => format!(" `{}`, the status code.", m.name),
            };
            quote! {
                #[doc = #doc]
                pub #field: ::std::option::Option<#ty>,
            }
        });
        // A map-only visitor: serde's derive would also accept a JSON array
        // for a structure, which restJson1 does not allow.
        let body_arms: Vec<TokenStream> = st
            .members
            .iter()
            .filter(|m| m.binding == Binding::Body)
            .map(|m| {
                let field = ident(&m.rust_name);
                let wire = &m.json_name;
                match crate::emit::json::codec(self.model, m) {
                    Some(codec) => quote!(#wire => out.#field = map.next_value::<::smithy_rt::nested::With<#codec, _>>()?.0,),
                    None => quote!(#wire => out.#field = map.next_value()?,),
                }
            })
            .collect();
        // `out` is only written to when some member is read from the body.
        let out = if body_arms.is_empty() {
            quote!(out)
        } else {
            quote!(mut out)
        };
        let read_keys = crate::emit::json::read_object(&body_arms);
        let read_members = quote! {
            let #out = #name::default();
            #read_keys
        };
        let expecting = format!("a JSON object for structure `{}`", shape.id.name);
        let deserialize = crate::emit::json::map_deserialize(
            &name,
            &name,
            &expecting,
            quote! {
                #read_members
                ::std::result::Result::Ok(out)
            },
            quote!(deserializer.deserialize_map(__Visitor)),
        );
        let steps = st.members.iter().map(|m| {
            let field = ident(&m.rust_name);
            let local = ident(&crate::naming::member_local(&m.rust_name));
            let wire = &m.json_name;
            let value = if m.boxed { quote!((*value)) } else { quote!(value) };
            let checks = self.checks_owned(&m.constraints, &m.target, value.clone());
            let built = self.build(&m.target, value.clone(), quote!(&path));
            let built = if m.boxed { quote!(#built.map(::std::boxed::Box::new)) } else { built };
            let built_optional = if self.needs_mirror(&m.target) {
                quote!(#built.map(::std::option::Option::Some))
            } else {
                quote!(::std::option::Option::Some(::std::option::Option::Some(#value)))
            };
            if m.default.is_some() {
                // Absent: the model's default, which needs no checking;
                // `Some` of it for a member clients may leave unset (see
                // `client_optional`).
                let default = ident(&crate::emit::types::default_fn(m));
                let (present, absent) = if m.is_optional_default() {
                    (
                        built_optional.clone(),
                        quote!(::std::option::Option::Some(::std::option::Option::Some(#typed::#default()))),
                    )
                } else {
                    (built.clone(), quote!(::std::option::Option::Some(#typed::#default())))
                };
                quote! {
                    let #local = match self.#field {
                        ::std::option::Option::Some(value) => {
                            let path = path.key(#wire);
                            #checks
                            #present
                        }
                        ::std::option::Option::None => #absent,
                    };
                }
            } else if m.required {
                quote! {
                    let #local = match self.#field {
                        ::std::option::Option::Some(value) => {
                            let path = path.key(#wire);
                            #checks
                            #built
                        }
                        ::std::option::Option::None => {
                            out.required(&path.key(#wire));
                            ::std::option::Option::None
                        }
                    };
                }
            } else {
                quote! {
                    let #local = match self.#field {
                        ::std::option::Option::Some(value) => {
                            let path = path.key(#wire);
                            #checks
                            #built_optional
                        }
                        ::std::option::Option::None => ::std::option::Option::Some(::std::option::Option::None),
                    };
                }
            }
        });
        let inits = st.members.iter().map(|m| {
            let field = ident(&m.rust_name);
            let local = ident(&crate::naming::member_local(&m.rust_name));
            quote!(#field: #local?)
        });
        let build_doc = " Checks every constraint below `path`; the typed value when none was broken, else `None` with the violations added to `out`.";
        quote! {
            #[doc = #doc]
            #[derive(Default, PartialEq)]
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }

            #deserialize

            impl #name {
                #[doc = #build_doc]
                #[allow(unused_variables)]
                pub fn build(self, path: &::smithy_rt::validation::Path<'_>, out: &mut ::smithy_rt::validation::Violations) -> ::std::option::Option<#typed> {
                    let before = out.len();
                    #(#steps)*
                    if out.len() != before {
                        return ::std::option::Option::None;
                    }
                    ::std::option::Option::Some(#typed { #(#inits),* })
                }

                /// Checks every constraint: the typed value, or every violation.
                pub fn validate(self) -> ::std::result::Result<#typed, ::smithy_rt::validation::Violations> {
                    let mut out = ::smithy_rt::validation::Violations::new();
                    match self.build(&::smithy_rt::validation::Path::Root, &mut out) {
                        ::std::option::Option::Some(value) if out.is_empty() => ::std::result::Result::Ok(value),
                        _ => ::std::result::Result::Err(out),
                    }
                }
            }
        }
    }

    pub(super) fn mirror_union(&self, shape: &Shape, u: &Union) -> TokenStream {
        let name = ident(&shape.rust_name);
        let typed = type_path(shape);
        let doc = format!(
            " [`{}`] before validation. Unknown members are rejected when read.",
            typed.to_string().replace(' ', "")
        );
        let variants = u.members.iter().map(|m| {
            let v = ident(&m.rust_name);
            let doc = format!(" `{}`", m.name);
            if self.is_unit(&m.target) {
                quote!(#[doc = #doc] #v,)
            } else {
                let mut ty = self.mirror_type(&m.target);
                if m.boxed {
                    ty = quote!(::std::boxed::Box<#ty>);
                }
                quote!(#[doc = #doc] #v(#ty),)
            }
        });
        let arms = u.members.iter().map(|m| {
            let v = ident(&m.rust_name);
            let wire = &m.json_name;
            if self.is_unit(&m.target) {
                return quote!(Self::#v => ::std::option::Option::Some(#typed::#v),);
            }
            let value = if m.boxed {
                quote!((*value))
            } else {
                quote!(value)
            };
            let checks = self.checks_owned(&m.constraints, &m.target, value.clone());
            // A value that is its own typed form is wrapped as it is (the
            // boxed one stays in its box).
            let built = if self.builds_as_is(&m.target) {
                quote!(::std::option::Option::Some(#typed::#v(value)))
            } else if m.boxed {
                let built = self.build(&m.target, value, quote!(&path));
                quote!(#built.map(|value| #typed::#v(::std::boxed::Box::new(value))))
            } else {
                let built = self.build(&m.target, value, quote!(&path));
                quote!(#built.map(#typed::#v))
            };
            quote! {
                Self::#v(value) => {
                    let path = path.key(#wire);
                    #checks
                    #built
                }
            }
        });
        let payload = |m: &ir::Member| {
            (!self.is_unit(&m.target)).then(|| {
                let ty = self.mirror_type(&m.target);
                if m.boxed {
                    quote!(::std::boxed::Box<#ty>)
                } else {
                    ty
                }
            })
        };
        let deserialize = crate::emit::types::union_deserialize(shape, u, &payload, true);
        quote! {
            #[doc = #doc]
            #[derive(PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }

            impl #name {
                /// Checks every constraint below `path`; the typed value when none
                /// was broken.
                #[allow(unused_variables)]
                pub fn build(self, path: &::smithy_rt::validation::Path<'_>, out: &mut ::smithy_rt::validation::Violations) -> ::std::option::Option<#typed> {
                    match self {
                        #(#arms)*
                    }
                }
            }

            #deserialize
        }
    }
}
