//! Rust types for data shapes: structures, unions, enums.

use super::doc_attrs;
use super::paths::{ident, rust_type, type_path};
use crate::ir::{self, Category, Model, Shape, ShapeKind, Simple};
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn member_type(model: &Model, m: &ir::Member) -> TokenStream {
    let t = rust_type(model, &m.target);
    if m.boxed {
        quote!(::std::boxed::Box<#t>)
    } else {
        t
    }
}

/// The associated function that returns a member's default.
pub(crate) fn default_fn(m: &ir::Member) -> String {
    format!("__default_{}", m.rust_name.trim_start_matches("r#"))
}

fn default_text(d: &ir::DefaultValue) -> String {
    match d {
        ir::DefaultValue::Bool(b) => b.to_string(),
        ir::DefaultValue::Int(i) => i.to_string(),
        ir::DefaultValue::Float(f) => f.to_string(),
        ir::DefaultValue::String(s) => format!("{s:?}"),
        ir::DefaultValue::Timestamp(t) => format!("{t} (epoch seconds)"),
        ir::DefaultValue::EmptyList => "[]".into(),
        ir::DefaultValue::EmptyMap => "{}".into(),
        ir::DefaultValue::Blob(b) => format!("{} bytes", b.len()),
        ir::DefaultValue::Document(d) => d.to_string(),
        ir::DefaultValue::Big(n) => n.clone(),
    }
}

/// An expression of the member's Rust type with its default value.
fn default_expr(model: &Model, m: &ir::Member, d: &ir::DefaultValue) -> TokenStream {
    use proc_macro2::Literal;
    match d {
        ir::DefaultValue::Bool(b) => quote!(#b),
        ir::DefaultValue::Int(i)
            if matches!(model.shape(&m.target).kind, ShapeKind::IntEnum(_)) =>
        {
            let ty = type_path(model.shape(&m.target));
            let v = *i as i32;
            quote!(#ty::from(#v))
        }
        ir::DefaultValue::Int(i) => {
            let lit = Literal::u64_unsuffixed(i.unsigned_abs());
            if *i < 0 { quote!(-#lit) } else { quote!(#lit) }
        }
        ir::DefaultValue::Float(f) => {
            let lit = Literal::f64_unsuffixed(f.abs());
            if *f < 0.0 {
                quote!(-#lit)
            } else {
                quote!(#lit)
            }
        }
        ir::DefaultValue::Blob(b) => {
            let bytes = proc_macro2::Literal::byte_string(b);
            if model.shape(&m.target).streaming {
                quote!(::smithy_rt::ByteStream::from_static(#bytes))
            } else {
                quote!(::smithy_rt::Blob::new(#bytes.to_vec()))
            }
        }
        ir::DefaultValue::Document(d) => {
            let json = d.to_string();
            quote!(::smithy_rt::document_literal(#json))
        }
        ir::DefaultValue::Big(n) => {
            let ty = rust_type(model, &m.target);
            quote!(#ty::literal(#n))
        }
        ir::DefaultValue::String(s) => match &model.shape(&m.target).kind {
            ShapeKind::Enum(_) => {
                let ty = type_path(model.shape(&m.target));
                quote!(#ty::from(#s))
            }
            _ => quote!(::std::string::String::from(#s)),
        },
        ir::DefaultValue::Timestamp(t) => {
            let secs = t.floor() as i64;
            let nanos = (((t - t.floor()) * 1e6).round() as u32) * 1000;
            quote!(::smithy_rt::DateTime::from_secs_and_nanos(#secs, #nanos))
        }
        ir::DefaultValue::EmptyList => quote!(::std::vec::Vec::new()),
        ir::DefaultValue::EmptyMap => quote!(::std::collections::BTreeMap::new()),
    }
}

/// Whether the Rust type of `target` implements `Eq` (no floats inside).
fn is_eq(model: &Model, target: &ir::ShapeId, seen: &mut Vec<ir::ShapeId>) -> bool {
    if seen.contains(target) {
        return true;
    }
    seen.push(target.clone());
    let shape = model.shape(target);
    match &shape.kind {
        ShapeKind::Simple(s) => !matches!(s, Simple::Float | Simple::Double) && !(shape.streaming),
        ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => true,
        ShapeKind::List(l) => is_eq(model, &l.member.target, seen),
        ShapeKind::Map(m) => is_eq(model, &m.value.target, seen),
        ShapeKind::Structure(st) => st.members.iter().all(|m| is_eq(model, &m.target, seen)),
        ShapeKind::Union(u) => u.members.iter().all(|m| is_eq(model, &m.target, seen)),
    }
}

/// The items of one module: every shape of `category`, sorted by Rust name.
pub(crate) fn module_items(model: &Model, category: Category) -> TokenStream {
    let mut shapes: Vec<&Shape> = model
        .shapes
        .values()
        .filter(|s| s.category == category && has_named_type(s))
        .collect();
    shapes.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    shapes
        .into_iter()
        .map(|s| match &s.kind {
            ShapeKind::Structure(st) => structure(model, s, st),
            ShapeKind::Union(u) => union(model, s, u),
            ShapeKind::Enum(e) => enumeration(model, s, e),
            ShapeKind::IntEnum(e) => int_enumeration(s, e),
            ShapeKind::List(_) | ShapeKind::Map(_) | ShapeKind::Simple(_) => {
                unreachable!("filtered out")
            }
        })
        .collect()
}

/// Whether a shape becomes a named Rust type. Simple shapes, lists and maps
/// don't: references to them use primitives, `Vec` and `BTreeMap` directly.
pub(crate) fn has_named_type(shape: &Shape) -> bool {
    matches!(
        shape.kind,
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum(_) | ShapeKind::IntEnum(_)
    )
}

fn structure(model: &Model, shape: &Shape, st: &ir::Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` structure.", shape.id.name),
    );
    let has_required = st.members.iter().any(ir::Member::is_param);
    let has_defaults = st
        .members
        .iter()
        .any(|m| m.default.is_some() && m.is_present());
    let sensitive = shape.sensitive || st.members.iter().any(|m| m.sensitive);
    let eq = is_eq(model, &shape.id, &mut Vec::new());

    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    if eq {
        derives.push(quote!(Eq));
    }
    if !sensitive {
        derives.push(quote!(Debug));
    }
    if !has_required && !has_defaults {
        derives.push(quote!(Default));
    }

    let fields = struct_fields(model, st);
    let constructor = constructor(model, shape, st);
    let debug = sensitive.then(|| debug_impl(shape, st));
    let error = st.error.as_ref().map(|_| error_impl(model, shape, st));
    let serde = super::json::structure_serde(model, shape, st);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #constructor
        #serde
        #debug
        #error
    }
}

/// The fields of a structure (their JSON names and defaults are in its
/// serde impls, `super::json::structure_serde`).
fn struct_fields(model: &Model, st: &ir::Structure) -> Vec<TokenStream> {
    st.members
        .iter()
        .map(|m| {
            let field = ident(&m.rust_name);
            let ty = member_type(model, m);
            let docs = doc_attrs(m.docs.as_deref(), &format!("The `{}` member.", m.name));
            let required_note = if m.required {
                quote!(#[doc = ""] #[doc = "This member is required."])
            } else {
                TokenStream::new()
            };
            if let (Some(default), true) = (&m.default, m.client_optional) {
                let note = format!(
                    " Clients may leave it unset: `None` is not sent, and the service takes its default, `{}`. Read from the wire, an absent value is `Some` of that default.",
                    default_text(default)
                );
                quote! {
                    #docs
                    #[doc = ""]
                    #[doc = #note]
                    pub #field: ::std::option::Option<#ty>,
                }
            } else if let Some(default) = &m.default {
                let note = format!(" When absent on the wire: `{}`.", default_text(default));
                quote! {
                    #docs
                    #[doc = ""]
                    #[doc = #note]
                    pub #field: #ty,
                }
            } else if m.required {
                quote! {
                    #docs
                    #required_note
                    pub #field: #ty,
                }
            } else {
                quote! {
                    #docs
                    pub #field: ::std::option::Option<#ty>,
                }
            }
        })
        .collect()
}

/// `new(required...)`, the default functions, and `Default` when there are
/// no required members.
fn constructor(model: &Model, shape: &Shape, st: &ir::Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let has_required = st.members.iter().any(ir::Member::is_param);
    let has_defaults = st
        .members
        .iter()
        .any(|m| m.default.is_some() && m.is_present());
    let required: Vec<&ir::Member> = st.members.iter().filter(|m| m.is_param()).collect();
    let params = required.iter().map(|m| {
        let field = ident(&m.rust_name);
        let ty = rust_type(model, &m.target);
        quote!(#field: impl ::std::convert::Into<#ty>)
    });
    let inits = st.members.iter().map(|m| {
        let field = ident(&m.rust_name);
        if m.is_optional_default() {
            return quote!(#field: ::std::option::Option::None);
        }
        if m.default.is_some() {
            let f = ident(&default_fn(m));
            return quote!(#field: Self::#f());
        }
        match (m.required, m.boxed) {
            (true, false) => quote!(#field: #field.into()),
            (true, true) => quote!(#field: ::std::boxed::Box::new(#field.into())),
            (false, _) => quote!(#field: ::std::option::Option::None),
        }
    });
    let default_fns = st.members.iter().filter_map(|m| {
        let default = m.default.as_ref()?;
        let f = ident(&default_fn(m));
        let ty = rust_type(model, &m.target);
        let value = default_expr(model, m, default);
        let doc = format!(" The model's default for `{}`.", m.name);
        Some(quote! {
            #[doc = #doc]
            #[doc(hidden)]
            pub fn #f() -> #ty {
                #value
            }
        })
    });
    let manual_default = (!has_required && has_defaults).then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let new_doc = match (has_required, has_defaults) {
        (true, false) => format!(
            " Creates `{}` from its required members; optional members start as `None`.",
            shape.rust_name
        ),
        (true, true) => format!(
            " Creates `{}` from its required members; members with a default start at it, optional members as `None`.",
            shape.rust_name
        ),
        (false, false) => format!(" Creates `{}` with every member unset.", shape.rust_name),
        (false, true) => format!(
            " Creates `{}` with members with a default at it and the others unset.",
            shape.rust_name
        ),
    };
    let allow = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    };

    quote! {
        impl #name {
            #[doc = #new_doc]
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }

            #(#default_fns)*
        }

        #manual_default
    }
}

/// `Debug` that redacts sensitive members (or the whole structure).
fn debug_impl(shape: &Shape, st: &ir::Structure) -> TokenStream {
    let name = ident(&shape.rust_name);

    if shape.sensitive {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Debug::fmt(&::smithy_rt::Redacted, f)
                }
            }
        }
    } else {
        let shape_name = &shape.rust_name;
        let fields = st.members.iter().map(|m| {
            let field = ident(&m.rust_name);
            let label = m.rust_name.trim_start_matches("r#");
            if m.sensitive {
                quote!(.field(#label, &::smithy_rt::Redacted))
            } else {
                quote!(.field(#label, &self.#field))
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#shape_name) #(#fields)* .finish()
                }
            }
        }
    }
}

/// `Display` and `Error` for an error structure.
fn error_impl(model: &Model, shape: &Shape, st: &ir::Structure) -> TokenStream {
    let name = ident(&shape.rust_name);

    let shape_name = &shape.id.name;
    let message = super::message_member(model, st);
    let display = match message {
        Some(m) if m.sensitive => quote!(f.write_str(#shape_name)),
        Some(m) => {
            let field = ident(&m.rust_name);
            // Shape names are identifiers: no braces to escape.
            let with_message = format!("{shape_name}: {{}}");
            if m.required {
                quote!(write!(f, #with_message, self.#field))
            } else {
                quote! {
                    match &self.#field {
                        ::std::option::Option::Some(message) => write!(f, #with_message, message),
                        ::std::option::Option::None => f.write_str(#shape_name),
                    }
                }
            }
        }
        None => quote!(f.write_str(#shape_name)),
    };
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for #name {}
    }
}

fn union(model: &Model, shape: &Shape, u: &ir::Union) -> TokenStream {
    let name = ident(&shape.rust_name);
    let shape_name = &shape.id.name;
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` union.", shape.id.name),
    );
    let eq = is_eq(model, &shape.id, &mut Vec::new());
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    if eq {
        derives.push(quote!(Eq));
    }
    let sensitive = shape.sensitive;
    if !sensitive {
        derives.push(quote!(Debug));
    }
    let is_unit =
        |m: &ir::Member| matches!(model.shape(&m.target).kind, ShapeKind::Simple(Simple::Unit));
    let variants = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let docs = doc_attrs(m.docs.as_deref(), &format!("The `{}` member.", m.name));
        if is_unit(m) {
            quote!(#docs #v,)
        } else {
            let ty = member_type(model, m);
            quote!(#docs #v(#ty),)
        }
    });
    let unknown = ident(crate::naming::UNKNOWN_VARIANT);
    let ser_arms = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.json_name;
        if is_unit(m) {
            quote!(Self::#v => map.serialize_entry(#wire, &::smithy_rt::union::Empty {})?,)
        } else {
            quote!(Self::#v(value) => map.serialize_entry(#wire, value)?,)
        }
    });
    let unknown_error = format!("the unknown variant of union `{shape_name}` cannot be serialized");
    let debug = sensitive.then(|| {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Debug::fmt(&::smithy_rt::Redacted, f)
                }
            }
        }
    });
    let payload = |m: &ir::Member| (!is_unit(m)).then(|| member_type(model, m));
    let deserialize = union_deserialize(shape, u, &payload, false);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member that this version of the model does not know, received
            /// from a newer peer. It cannot be serialized.
            #unknown,
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                match self {
                    #(#ser_arms)*
                    Self::#unknown => return ::std::result::Result::Err(<S::Error as ::serde::ser::Error>::custom(#unknown_error)),
                }
                map.end()
            }
        }

        #deserialize

        #debug
    }
}

/// `impl Deserialize` for a union (typed or, with `strict`, its mirror).
/// `payload` gives each member's variant type, `None` for unit members.
/// Typed unions keep members unknown to the model as `Unknown`; strict ones
/// (what a server reads) reject them.
pub(crate) fn union_deserialize(
    shape: &Shape,
    u: &ir::Union,
    payload: &dyn Fn(&ir::Member) -> Option<TokenStream>,
    strict: bool,
) -> TokenStream {
    let name = ident(&shape.rust_name);
    let shape_name = &shape.id.name;
    let de_arms = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.json_name;
        let member = &m.name;
        match payload(m) {
            None => quote! {
                #wire => builder.set(#member, map.next_value::<::std::option::Option<::serde::de::IgnoredAny>>()?.map(|_| #name::#v)),
            },
            Some(ty) => quote! {
                #wire => builder.set(#member, map.next_value::<::std::option::Option<#ty>>()?.map(#name::#v)),
            },
        }
    });
    let (on_unknown, finish) = if strict {
        (
            quote!(builder.reject_unknown(other)?;),
            quote!(builder.finish_known()),
        )
    } else {
        let unknown = ident(crate::naming::UNKNOWN_VARIANT);
        (
            quote!(builder.unknown(other);),
            quote!(builder.finish(|| #name::#unknown)),
        )
    };
    let expecting = format!("an object for union `{shape_name}`");
    super::json::map_deserialize(
        &name,
        &name,
        &expecting,
        quote! {
            let mut builder = ::smithy_rt::union::UnionBuilder::new(#shape_name);
            while let ::std::option::Option::Some(key) = map.next_key::<::smithy_rt::union::Key<'de>>()? {
                match &*key {
                    #(#de_arms)*
                    other => {
                        map.next_value::<::serde::de::IgnoredAny>()?;
                        #on_unknown
                    }
                }
            }
            #finish
        },
        quote!(deserializer.deserialize_map(__Visitor)),
    )
}

fn enumeration(_model: &Model, shape: &Shape, e: &ir::Enum) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` enum.", shape.id.name),
    );
    let unknown = ident(crate::naming::UNKNOWN_VARIANT);
    let variants = e.values.iter().map(|v| {
        let var = ident(&v.rust_name);
        let value = crate::docs::escape_controls(&v.value);
        let default = format!("`{value}`");
        let docs = match &v.docs {
            Some(d) => {
                let d = format!("`{value}`: {d}");
                doc_attrs(Some(&d), "")
            }
            None => doc_attrs(Some(&default), ""),
        };
        quote!(#docs #var,)
    });
    let as_str = e.values.iter().map(|v| {
        let var = ident(&v.rust_name);
        let value = &v.value;
        quote!(Self::#var => #value,)
    });
    let from_str = e.values.iter().map(|v| {
        let var = ident(&v.rust_name);
        let value = &v.value;
        quote!(#value => Self::#var,)
    });
    let values = e.values.iter().map(|v| &v.value);
    let sensitive_debug = if shape.sensitive {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Debug::fmt(&::smithy_rt::Redacted, f)
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let debug_derive = if shape.sensitive {
        quote!()
    } else {
        quote!(Debug,)
    };
    quote! {
        #docs
        #[derive(Clone, #debug_derive PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value that this version of the model does not know, kept as
            /// received.
            #unknown(::smithy_rt::UnknownVariantValue),
        }

        impl #name {
            /// The wire values of the known variants, in model order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#unknown(::smithy_rt::UnknownVariantValue::new(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::smithy_rt::deserialize_str(deserializer).map(|value| Self::from(&*value))
            }
        }

        #sensitive_debug
    }
}

fn int_enumeration(shape: &Shape, e: &ir::IntEnum) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` integer enum.", shape.id.name),
    );
    let unknown = ident(crate::naming::UNKNOWN_VARIANT);
    let variants = e.values.iter().map(|v| {
        let var = ident(&v.rust_name);
        let text = match &v.docs {
            Some(d) => format!("`{}`: {d}", v.value),
            None => format!("`{}`", v.value),
        };
        let docs = doc_attrs(Some(&text), "");
        quote!(#docs #var,)
    });
    let to_int = e.values.iter().map(|v| {
        let var = ident(&v.rust_name);
        let value = v.value;
        quote!(Self::#var => #value,)
    });
    let from_int = e.values.iter().map(|v| {
        let var = ident(&v.rust_name);
        let value = v.value;
        quote!(#value => Self::#var,)
    });
    let values = e.values.iter().map(|v| v.value);
    let debug_derive = if shape.sensitive {
        quote!()
    } else {
        quote!(Debug,)
    };
    let sensitive_debug = shape.sensitive.then(|| {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Debug::fmt(&::smithy_rt::Redacted, f)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Copy, #debug_derive PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value that this version of the model does not know, kept as
            /// received.
            #unknown(i32),
        }

        impl #name {
            /// The wire values of the known variants, in model order.
            pub const VALUES: &'static [i32] = &[#(#values),*];

            /// The value as it travels on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(#to_int)*
                    Self::#unknown(value) => *value,
                }
            }
        }

        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#from_int)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i32 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        #sensitive_debug
    }
}
