//! Constraint validators for every shape reachable from an operation input.
//!
//! Two files come from here:
//!
//! - `validation.rs`: `impl Validate` for the typed structures and unions
//!   (checks `length`, `pattern`, `range`, `uniqueItems`, enum membership and
//!   union membership; `required` holds by construction), the compiled-once
//!   patterns, and the conversion of violations into the model's
//!   `ValidationException`.
//! - `unvalidated.rs`: a mirror of each such structure and union in which
//!   every member is optional. A server deserializes requests into these, so
//!   that a missing required member is a constraint violation ("Member must
//!   not be null") reported with all the others, and `build` turns a mirror
//!   into the typed value when nothing is wrong.
//!
//! Members are checked in declaration order; for one member, `length` comes
//! before `pattern`.

use super::paths::{ident, rust_type, type_path};
use crate::ir::{
    self, Binding, Constraints, Model, Shape, ShapeId, ShapeKind, Simple, Structure, Union,
};
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// Structures and unions reachable from some operation input.
pub(crate) fn input_closure(model: &Model) -> BTreeSet<ShapeId> {
    let mut reachable = model.reachable(model.operations.iter().filter_map(|o| o.input.clone()));
    reachable.retain(|id| {
        matches!(
            model.shape(id).kind,
            ShapeKind::Structure(_) | ShapeKind::Union(_)
        )
    });
    reachable
}

/// The generated validation files, when the model has operation inputs.
pub(crate) struct Validation {
    pub validation: TokenStream,
    pub unvalidated: TokenStream,
    /// `smithy-rt` features that some pattern needs (`regex`, `fancy-regex`).
    pub runtime_features: std::collections::BTreeSet<&'static str>,
}

struct Cx<'m> {
    model: &'m Model,
    /// Patterns used so far: ECMA source to the static that holds it.
    patterns: RefCell<BTreeMap<String, PatternStatic>>,
}

struct PatternStatic {
    name: proc_macro2::Ident,
    ecma: String,
    rust: String,
    engine: crate::ecma_regex::Engine,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Checking a typed value: nested structures call `Validate`.
    Typed,
    /// Checking a mirror before `build`: nested structures are converted
    /// (and checked) by their own `build`.
    Mirror,
}

pub(crate) fn emit(model: &Model) -> Option<Validation> {
    let closure = input_closure(model);
    if closure.is_empty() {
        return None;
    }
    let cx = Cx {
        model,
        patterns: RefCell::new(BTreeMap::new()),
    };
    let mut impls = Vec::new();
    let mut mirrors = Vec::new();
    let mut shapes: Vec<&Shape> = closure.iter().map(|id| model.shape(id)).collect();
    shapes.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    for shape in shapes {
        match &shape.kind {
            ShapeKind::Structure(st) => {
                impls.push(cx.validate_structure(shape, st));
                mirrors.push(cx.mirror_structure(shape, st));
            }
            ShapeKind::Union(u) => {
                impls.push(cx.validate_union(shape, u));
                mirrors.push(cx.mirror_union(shape, u));
            }
            _ => {}
        }
    }
    let conversion = validation_exception(model);
    let patterns = cx.patterns.into_inner();
    let mut statics: Vec<_> = patterns.values().collect();
    statics.sort_by(|a, b| a.name.cmp(&b.name));
    let mut runtime_features = std::collections::BTreeSet::new();
    let statics: Vec<TokenStream> = statics
        .into_iter()
        .map(|p| {
            let compiled = super::patterns::compile(&p.rust, p.engine);
            if let Some(f) = compiled.runtime_feature() {
                runtime_features.insert(f);
            }
            super::patterns::pattern_static(&p.name, &p.ecma, &p.rust, &compiled)
        })
        .collect();
    let validation = quote! {
        #![doc = " Constraint validation of operation inputs and everything they contain."]
        #![doc = ""]
        #![doc = " Patterns were compiled into DFAs by the generator (`smithy_rt::validation::Dfa`);"]
        #![doc = " each static shows its ECMA-262 source and the translation the DFA was built from."]
        #(#statics)*
        #(#impls)*
        #conversion
    };
    let unvalidated = quote! {
        #![doc = " Operation inputs as read from the wire, before validation: every member is"]
        #![doc = " optional. `build` (or `validate`) checks every constraint, including"]
        #![doc = " `required`, and returns the typed value or every violation."]
        #(#mirrors)*
    };
    Some(Validation {
        validation,
        unvalidated,
        runtime_features,
    })
}

/// `impl From<Violations> for ValidationException` when the model has an
/// error structure of that name whose only required member is its message.
fn validation_exception(model: &Model) -> TokenStream {
    let Some((shape, build)) =
        super::message_error(model, "ValidationException", quote!(violations.message()))
    else {
        return TokenStream::new();
    };
    let path = type_path(shape);
    let doc = format!(
        " The `{}` a server returns for these violations: its message is `N validation error(s) detected.` followed by each violation.",
        shape.id.name
    );
    let build = match field_list(model, shape) {
        Some(fields) => quote! {{
            let mut exception = #build;
            #fields
            exception
        }},
        None => build,
    };
    quote! {
        #[doc = #doc]
        impl ::std::convert::From<::smithy_rt::validation::Violations> for #path {
            fn from(violations: ::smithy_rt::validation::Violations) -> Self {
                #build
            }
        }
    }
}

/// Fills in the `fieldList` member of a validation exception (as
/// `smithy.framework#ValidationException` has: a list of structures with a
/// required string `path` and `message`), one entry per violation.
fn field_list(model: &Model, shape: &Shape) -> Option<TokenStream> {
    let ShapeKind::Structure(st) = &shape.kind else {
        return None;
    };
    let list = st.members.iter().find(|m| m.name == "fieldList")?;
    let ShapeKind::List(l) = &model.shape(&list.target).kind else {
        return None;
    };
    let entry = model.shape(&l.member.target);
    let ShapeKind::Structure(e) = &entry.kind else {
        return None;
    };
    let string = |name: &str| {
        e.members.iter().find(|m| {
            m.name == name
                && m.required
                && matches!(
                    model.shape(&m.target).kind,
                    ShapeKind::Simple(ir::Simple::String)
                )
        })
    };
    let (_, _) = (string("path")?, string("message")?);
    if e.members.iter().filter(|m| m.required).count() != 2 || l.sparse {
        return None;
    }
    let entry_ty = type_path(entry);
    let field = ident(&list.rust_name);
    // `new` takes the required members in declaration order.
    let args = e.members.iter().filter(|m| m.required).map(|m| {
        if m.name == "path" {
            quote!(v.path.clone())
        } else {
            quote!(v.message.clone())
        }
    });
    let items = quote! {
        violations
            .iter()
            .map(|v| #entry_ty::new(#(#args),*))
            .collect()
    };
    Some(if list.required || list.default.is_some() {
        quote!(exception.#field = #items;)
    } else {
        quote!(exception.#field = ::std::option::Option::Some(#items);)
    })
}

impl Cx<'_> {
    fn shape(&self, id: &ShapeId) -> &Shape {
        self.model.shape(id)
    }

    /// The static holding pattern `p`, named after `shape` when the pattern
    /// is the shape's own, else numbered in order of first use.
    fn pattern_static(&self, p: &ir::Pattern, shape: &Shape) -> proc_macro2::Ident {
        let mut patterns = self.patterns.borrow_mut();
        if let Some(s) = patterns.get(&p.ecma) {
            return s.name.clone();
        }
        let own = shape.constraints.pattern.as_ref() == Some(p);
        let own_name = format!("{}_PATTERN", shape.id.name.to_shouty_snake_case());
        let taken = patterns.values().any(|s| s.name == own_name);
        let name = if own && !taken {
            format_ident!("{}_PATTERN", shape.id.name.to_shouty_snake_case())
        } else {
            format_ident!("PATTERN_{}", patterns.len())
        };
        patterns.insert(
            p.ecma.clone(),
            PatternStatic {
                name: name.clone(),
                ecma: p.ecma.clone(),
                rust: p.rust.clone(),
                engine: p.engine,
            },
        );
        name
    }

    /// Whether values of `target` are represented differently before
    /// validation (they contain a structure or union).
    fn needs_mirror(&self, target: &ShapeId) -> bool {
        match &self.shape(target).kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => true,
            ShapeKind::List(l) => self.needs_mirror(&l.member.target),
            ShapeKind::Map(m) => self.needs_mirror(&m.value.target),
            _ => false,
        }
    }

    /// The mirror type of a reference to `target`.
    fn mirror_type(&self, target: &ShapeId) -> TokenStream {
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

    /// Checks of one value. `v` is an expression of type `&T`, `path` of
    /// type `&Path`.
    fn checks(
        &self,
        cons: &Constraints,
        target: &ShapeId,
        v: TokenStream,
        path: TokenStream,
        mode: Mode,
    ) -> TokenStream {
        let shape = self.shape(target);
        let cons = cons.or(&shape.constraints);
        let length = |len: TokenStream| match cons.length {
            Some((min, max)) => {
                let (min, max) = (opt_u64(min), opt_u64(max));
                quote!(out.length(#path, #len, #min, #max);)
            }
            None => TokenStream::new(),
        };
        match &shape.kind {
            ShapeKind::Simple(Simple::String) => {
                let len = length(quote!(#v.chars().count()));
                let pattern = cons.pattern.as_ref().map(|p| {
                    let name = self.pattern_static(p, shape);
                    quote!(out.pattern(#path, #v, &crate::validation::#name);)
                });
                quote!(#len #pattern)
            }
            ShapeKind::Simple(Simple::Blob) => length(quote!(#v.as_bytes().len())),
            ShapeKind::Simple(
                kind @ (Simple::Byte | Simple::Short | Simple::Integer | Simple::Long),
            ) => match cons.range {
                Some((min, max)) if is_integral(min) && is_integral(max) => {
                    let (min, max) = (opt_i64(min), opt_i64(max));
                    let wide = if *kind == Simple::Long {
                        quote!(*#v)
                    } else {
                        quote!(i64::from(*#v))
                    };
                    quote!(out.range_int(#path, #wide, #min, #max);)
                }
                Some((min, max)) => {
                    let (min, max) = (opt_f64(min), opt_f64(max));
                    quote!(out.range_float(#path, *#v as f64, #min, #max);)
                }
                None => TokenStream::new(),
            },
            ShapeKind::Simple(Simple::Float | Simple::Double) => match cons.range {
                Some((min, max)) => {
                    let (min, max) = (opt_f64(min), opt_f64(max));
                    quote!(out.range_float(#path, f64::from(*#v), #min, #max);)
                }
                None => TokenStream::new(),
            },
            ShapeKind::Simple(_) => TokenStream::new(),
            ShapeKind::Enum(e) => {
                let ty = type_path(shape);
                // `internal` values are not named to clients.
                let allowed = if e.values.iter().any(|v| v.internal) {
                    let public = e.values.iter().filter(|v| !v.internal).map(|v| &v.value);
                    quote!(&[#(#public),*])
                } else {
                    quote!(#ty::VALUES)
                };
                quote! {
                    if let #ty::Unknown(_) = #v {
                        out.enum_value(#path, #allowed);
                    }
                }
            }
            ShapeKind::IntEnum(_) => {
                let ty = type_path(shape);
                quote! {
                    if let #ty::Unknown(_) = #v {
                        out.int_enum_value(#path, #ty::VALUES);
                    }
                }
            }
            ShapeKind::Structure(_) | ShapeKind::Union(_) => match mode {
                Mode::Typed => {
                    quote!(::smithy_rt::validation::Validate::validate_into(#v, #path, out);)
                }
                Mode::Mirror => TokenStream::new(),
            },
            ShapeKind::List(l) => {
                let len = length(quote!(#v.len()));
                let unique = cons
                    .unique_items
                    .then(|| quote!(out.unique_items(#path, #v);));
                // In mirror mode, elements that are mirrors are checked when
                // they are built.
                let each = if mode == Mode::Mirror && self.needs_mirror(&l.member.target) {
                    TokenStream::new()
                } else {
                    let inner = self.checks(
                        &l.member.constraints,
                        &l.member.target,
                        quote!(item),
                        quote!(&path),
                        mode,
                    );
                    if inner.is_empty() {
                        TokenStream::new()
                    } else if l.sparse {
                        quote! {
                            for (i, item) in #v.iter().enumerate() {
                                if let ::std::option::Option::Some(item) = item {
                                    let path = ::smithy_rt::validation::Path::index(#path, i);
                                    #inner
                                }
                            }
                        }
                    } else {
                        quote! {
                            for (i, item) in #v.iter().enumerate() {
                                let path = ::smithy_rt::validation::Path::index(#path, i);
                                #inner
                            }
                        }
                    }
                };
                quote!(#len #unique #each)
            }
            ShapeKind::Map(m) => {
                let len = length(quote!(#v.len()));
                // A key's violation is reported at the map's path, as the
                // protocol tests expect (RestJsonMalformedLengthMapKey).
                let key_checks = self.checks(
                    &m.key.constraints,
                    &m.key.target,
                    quote!(key),
                    path.clone(),
                    mode,
                );
                let value_checks = if mode == Mode::Mirror && self.needs_mirror(&m.value.target) {
                    TokenStream::new()
                } else {
                    self.checks(
                        &m.value.constraints,
                        &m.value.target,
                        quote!(value),
                        quote!(&path),
                        mode,
                    )
                };
                let value_checks = if m.sparse && !value_checks.is_empty() {
                    quote!(if let ::std::option::Option::Some(value) = value { #value_checks })
                } else {
                    value_checks
                };
                let each = if key_checks.is_empty() && value_checks.is_empty() {
                    TokenStream::new()
                } else {
                    let value_path = (!value_checks.is_empty())
                        .then(|| quote!(let path = ::smithy_rt::validation::Path::key(#path, key.as_str());));
                    quote! {
                        for (key, value) in #v {
                            let _ = (key, value);
                            #key_checks
                            #value_path
                            #value_checks
                        }
                    }
                };
                quote!(#len #each)
            }
        }
    }

    /// Mirror-mode checks of an owned value `v` (an expression such as
    /// `value` or `*value`), through a borrow named `checked`.
    fn checks_owned(&self, cons: &Constraints, target: &ShapeId, v: TokenStream) -> TokenStream {
        let checks = self.checks(cons, target, quote!(checked), quote!(&path), Mode::Mirror);
        if checks.is_empty() {
            TokenStream::new()
        } else {
            quote! {{
                let checked = &#v;
                #checks
            }}
        }
    }

    /// Converts a mirror value `v` (by value) of `target` into an
    /// `Option` of the typed value, checking what is inside.
    /// Whether [`Self::build`] of a `target` value is the value itself.
    fn builds_as_is(&self, target: &ShapeId) -> bool {
        match &self.shape(target).kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => false,
            ShapeKind::List(_) | ShapeKind::Map(_) => !self.needs_mirror(target),
            _ => true,
        }
    }

    fn build(&self, target: &ShapeId, v: TokenStream, path: TokenStream) -> TokenStream {
        let shape = self.shape(target);
        match &shape.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => quote!(#v.build(#path, out)),
            ShapeKind::List(l) if self.needs_mirror(target) => {
                let inner_checks =
                    self.checks_owned(&l.member.constraints, &l.member.target, quote!(item));
                let inner = self.build(&l.member.target, quote!(item), quote!(&path));
                let push = if l.sparse {
                    quote! {
                        match item {
                            ::std::option::Option::Some(item) => {
                                #inner_checks
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
                let inner = self.build(&m.value.target, quote!(value), quote!(&path));
                let insert = if m.sparse {
                    quote! {
                        match value {
                            ::std::option::Option::Some(value) => {
                                #value_checks
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

    fn validate_structure(&self, shape: &Shape, st: &Structure) -> TokenStream {
        let ty = type_path(shape);
        let members = st.members.iter().map(|m| {
            let field = ident(&m.rust_name);
            let wire = &m.json_name;
            let value = if m.boxed {
                quote!(&**value)
            } else {
                quote!(value)
            };
            let checks = self.checks(&m.constraints, &m.target, value, quote!(&path), Mode::Typed);
            if checks.is_empty() {
                return TokenStream::new();
            }
            if super::types::is_present(m) {
                quote! {{
                    let value = &self.#field;
                    let path = path.key(#wire);
                    #checks
                }}
            } else {
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#field {
                        let path = path.key(#wire);
                        #checks
                    }
                }
            }
        });
        quote! {
            impl ::smithy_rt::validation::Validate for #ty {
                #[allow(unused_variables)]
                fn validate_into(&self, path: &::smithy_rt::validation::Path<'_>, out: &mut ::smithy_rt::validation::Violations) {
                    #(#members)*
                }
            }
        }
    }

    fn validate_union(&self, shape: &Shape, u: &Union) -> TokenStream {
        let ty = type_path(shape);
        let arms = u.members.iter().map(|m| {
            let variant = ident(&m.rust_name);
            let wire = &m.json_name;
            if self.is_unit(&m.target) {
                return quote!(Self::#variant => {});
            }
            let value = if m.boxed {
                quote!(&**value)
            } else {
                quote!(value)
            };
            let checks = self.checks(&m.constraints, &m.target, value, quote!(&path), Mode::Typed);
            quote! {
                Self::#variant(value) => {
                    let path = path.key(#wire);
                    #checks
                }
            }
        });
        let unknown = ident(crate::naming::UNKNOWN_VARIANT);
        quote! {
            impl ::smithy_rt::validation::Validate for #ty {
                #[allow(unused_variables)]
                fn validate_into(&self, path: &::smithy_rt::validation::Path<'_>, out: &mut ::smithy_rt::validation::Violations) {
                    match self {
                        #(#arms)*
                        Self::#unknown => out.unknown_union_member(path),
                    }
                }
            }
        }
    }

    fn is_unit(&self, target: &ShapeId) -> bool {
        matches!(self.shape(target).kind, ShapeKind::Simple(Simple::Unit))
    }

    fn mirror_structure(&self, shape: &Shape, st: &Structure) -> TokenStream {
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
                match super::json::codec(self.model, m) {
                    Some(codec) => quote!(#wire => out.#field = map.next_value::<::smithy_rt::nested::With<#codec, _>>()?.0,),
                    None => quote!(#wire => out.#field = map.next_value()?,),
                }
            })
            .collect();
        let read_members = if body_arms.is_empty() {
            quote! {
                let out = #name::default();
                while map.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                    map.next_value::<::serde::de::IgnoredAny>()?;
                }
            }
        } else {
            quote! {
                let mut out = #name::default();
                while let ::std::option::Option::Some(key) = map.next_key::<::smithy_rt::union::Key<'de>>()? {
                    match &*key {
                        #(#body_arms)*
                        _ => {
                            map.next_value::<::serde::de::IgnoredAny>()?;
                        }
                    }
                }
            }
        };
        let expecting = format!("a JSON object for structure `{}`", shape.id.name);
        let deserialize = super::json::map_deserialize(
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
                // Absent: the model's default, which needs no checking.
                let default = ident(&super::types::default_fn(m));
                quote! {
                    let #local = match self.#field {
                        ::std::option::Option::Some(value) => {
                            let path = path.key(#wire);
                            #checks
                            #built
                        }
                        ::std::option::Option::None => ::std::option::Option::Some(#typed::#default()),
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

    fn mirror_union(&self, shape: &Shape, u: &Union) -> TokenStream {
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
        let deserialize = super::types::union_deserialize(shape, u, &payload, true);
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

fn is_integral(v: Option<f64>) -> bool {
    v.is_none_or(|v| v.fract() == 0.0 && v.abs() < 9.0e15)
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

fn opt_i64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = v as i64;
            quote!(::std::option::Option::Some(#v))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}
