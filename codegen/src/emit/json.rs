//! restJson1 JSON bodies: which serde adapter a member needs.
//!
//! The generated types (de)serialize as restJson1 bodies, through serde
//! impls written out here rather than derived (a crate built for its types
//! then compiles no proc-macro stack). Most scalars are
//! plain serde values; two need an adapter from `smithy_rt`, whatever list
//! and map nesting they sit in (the runtime's `Nested` lifts one adapter
//! through `Option`, `Vec`, `BTreeMap` and `Box`):
//!
//! - timestamps with a `timestampFormat` other than `epoch-seconds` (the
//!   body default, which `DateTime`'s own serde writes);
//! - floats and doubles, whose NaN and infinities travel as the strings
//!   `"NaN"`, `"Infinity"` and `"-Infinity"`.

use super::paths::ident;
use crate::ir::{self, Model, Shape, ShapeKind, Simple, TimestampFormat};
use proc_macro2::TokenStream;
use quote::quote;

/// The scalar at the bottom of a member's list and map nesting, with the
/// timestamp format that applies to it.
fn leaf(model: &Model, m: &ir::Member) -> (Option<Simple>, Option<TimestampFormat>) {
    let mut target = &m.target;
    let mut format = m.timestamp_format;
    loop {
        let shape = model.shape(target);
        match &shape.kind {
            ShapeKind::List(l) => {
                format = l
                    .member
                    .timestamp_format
                    .or(model.shape(&l.member.target).timestamp_format);
                target = &l.member.target;
            }
            ShapeKind::Map(mp) => {
                format = mp
                    .value
                    .timestamp_format
                    .or(model.shape(&mp.value.target).timestamp_format);
                target = &mp.value.target;
            }
            ShapeKind::Simple(s) => {
                let format = format.or(shape.timestamp_format);
                return (Some(*s), format);
            }
            _ => return (None, None),
        }
    }
}

/// The adapter module a member's body value goes through, if any.
pub(crate) fn adapter(model: &Model, m: &ir::Member) -> Option<&'static str> {
    match leaf(model, m) {
        (Some(Simple::Timestamp), Some(TimestampFormat::DateTime)) => {
            Some("::smithy_rt::datetime::date_time")
        }
        (Some(Simple::Timestamp), Some(TimestampFormat::HttpDate)) => {
            Some("::smithy_rt::datetime::http_date")
        }
        (Some(Simple::Float | Simple::Double), _) => Some("::smithy_rt::number::float"),
        _ => None,
    }
}

/// The codec type of a member's adapter (`<adapter>::Format`), for reading
/// one value with `smithy_rt::nested::With`.
pub(crate) fn codec(model: &Model, m: &ir::Member) -> Option<TokenStream> {
    let path: syn::Path = syn::parse_str(&format!("{}::Format", adapter(model, m)?))
        .expect("adapter paths are valid Rust paths");
    Some(quote!(#path))
}

/// `impl Serialize` and `impl Deserialize` for a typed structure: an object
/// with each member under its JSON name, in model order. Serializing skips
/// unset optional members; deserializing ignores unknown keys, takes `null`
/// for an optional member as absent, fills in defaults, and names a missing
/// required member or a repeated one in its error.
pub(crate) fn structure_serde(model: &Model, shape: &Shape, st: &ir::Structure) -> TokenStream {
    let serialize = structure_serialize(model, shape, st);
    let deserialize = structure_deserialize(model, shape, st);
    quote! {
        #serialize
        #deserialize
    }
}

/// A member's value (`value`: a reference) as serde serializes it: through
/// its adapter when it has one.
fn serialized(model: &Model, m: &ir::Member, value: TokenStream) -> TokenStream {
    match codec(model, m) {
        Some(codec) => quote!(&::smithy_rt::nested::SerializeWith::<#codec, _>::new(#value)),
        None => value,
    }
}

fn structure_serialize(model: &Model, shape: &Shape, st: &ir::Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let name_str = shape.rust_name.trim_start_matches("r#");
    if st.members.is_empty() {
        return quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    use ::serde::ser::SerializeStruct as _;
                    serializer.serialize_struct(#name_str, 0)?.end()
                }
            }
        };
    }
    // The number of members written, as serde's `len` (some formats need
    // it up front).
    let always = st.members.iter().filter(|m| m.is_present()).count();
    let mut len: Vec<TokenStream> = st
        .members
        .iter()
        .filter(|m| !m.is_present())
        .map(|m| {
            let field = ident(&m.rust_name);
            quote!(usize::from(self.#field.is_some()))
        })
        .collect();
    if always > 0 || len.is_empty() {
        let always = proc_macro2::Literal::usize_unsuffixed(always);
        len.insert(0, quote!(#always));
    }
    let fields = st.members.iter().map(|m| {
        let field = ident(&m.rust_name);
        let wire = &m.json_name;
        let value = serialized(model, m, quote!(&self.#field));
        if m.is_present() {
            quote!(state.serialize_field(#wire, #value)?;)
        } else {
            quote! {
                if self.#field.is_some() {
                    state.serialize_field(#wire, #value)?;
                } else {
                    state.skip_field(#wire)?;
                }
            }
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct as _;
                let mut state = serializer.serialize_struct(#name_str, #(#len)+*)?;
                #(#fields)*
                state.end()
            }
        }
    }
}

fn structure_deserialize(model: &Model, shape: &Shape, st: &ir::Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    // Inside the visitor, by path: a structure called `A` is not the
    // visitor's type parameter.
    let path = super::paths::type_path(shape);
    let name_str = shape.rust_name.trim_start_matches("r#");
    let expecting = format!("struct {name_str}");
    let wires = st.members.iter().map(|m| &m.json_name);
    let error = quote!(<A::Error as ::serde::de::Error>);
    // Each member's value while the object is read: `Some` once its key
    // was seen (for optional members, `Some(None)` after a `null`).
    let locals: Vec<_> = st
        .members
        .iter()
        .map(|m| ident(&crate::naming::member_local(&m.rust_name)))
        .collect();
    let types: Vec<TokenStream> = st
        .members
        .iter()
        .map(|m| {
            let ty = super::types::member_type(model, m);
            if m.is_present() {
                ty
            } else {
                quote!(::std::option::Option<#ty>)
            }
        })
        .collect();
    let arms: Vec<TokenStream> = st
        .members
        .iter()
        .zip(&locals)
        .zip(&types)
        .map(|((m, local), ty)| {
            let wire = &m.json_name;
            let value = match codec(model, m) {
                Some(codec) => {
                    quote!(map.next_value::<::smithy_rt::nested::With<#codec, #ty>>()?.0)
                }
                None => quote!(map.next_value::<#ty>()?),
            };
            quote! {
                #wire => {
                    if #local.is_some() {
                        return ::std::result::Result::Err(#error::duplicate_field(#wire));
                    }
                    #local = ::std::option::Option::Some(#value);
                }
            }
        })
        .collect();
    let read_keys = read_object(&arms);
    let read = quote! {
        #(let mut #locals: ::std::option::Option<#types> = ::std::option::Option::None;)*
        #read_keys
    };
    let inits = st.members.iter().zip(&locals).map(|(m, local)| {
        let field = ident(&m.rust_name);
        let wire = &m.json_name;
        if m.is_optional_default() {
            // Absent or `null`: the default, as for a plain field.
            let f = ident(&super::types::default_fn(m));
            quote!(#field: ::std::option::Option::Some(#local.flatten().unwrap_or_else(#path::#f)))
        } else if m.default.is_some() {
            let f = ident(&super::types::default_fn(m));
            quote!(#field: #local.unwrap_or_else(#path::#f))
        } else if let Some(zero) = error_corrected(model, shape, m) {
            match zero {
                Some(zero) => quote!(#field: #local.unwrap_or_else(|| #zero)),
                None => quote!(#field: #local.unwrap_or_default()),
            }
        } else if m.required {
            quote!(#field: #local.ok_or_else(|| #error::missing_field(#wire))?)
        } else {
            quote!(#field: #local.flatten())
        }
    });
    map_deserialize(
        &name,
        &path,
        &expecting,
        quote! {
            #read
            ::std::result::Result::Ok(#path { #(#inits),* })
        },
        quote!(deserializer.deserialize_struct(#name_str, &[#(#wires),*], __Visitor)),
    )
}

/// The value a required member of an output structure reads as when the
/// response leaves it out: its type's zero value (Smithy's client error
/// correction, AwsJson10ClientErrorCorrectsWhenServerFailsToSerializeRequiredValues).
/// Outputs are read by clients only; an input or a nested structure keeps
/// the member required, and so do targets without a zero value (enums,
/// unions, structures). `Some(None)`: the type's `Default` is its zero.
fn error_corrected(model: &Model, shape: &Shape, m: &ir::Member) -> Option<Option<TokenStream>> {
    use ir::{ShapeKind, Simple};
    if shape.category != ir::Category::Output || !m.required || m.default.is_some() {
        return None;
    }
    let target = model.shape(&m.target);
    let zero = match &target.kind {
        ShapeKind::Simple(Simple::Timestamp) => Some(quote!(::smithy_rt::DateTime::from_secs(0))),
        ShapeKind::Simple(
            Simple::String
            | Simple::Boolean
            | Simple::Byte
            | Simple::Short
            | Simple::Integer
            | Simple::Long
            | Simple::Float
            | Simple::Double
            | Simple::Blob
            | Simple::Document,
        )
        | ShapeKind::List(_)
        | ShapeKind::Map(_) => None,
        _ => return None,
    };
    Some(zero)
}

/// The loop that reads an object's keys: each key one of `arms` (`"key" =>
/// …`) names is read by that arm, any other value is skipped. Without arms,
/// every value is skipped.
pub(crate) fn read_object(arms: &[TokenStream]) -> TokenStream {
    if arms.is_empty() {
        return quote! {
            while map.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                map.next_value::<::serde::de::IgnoredAny>()?;
            }
        };
    }
    quote! {
        while let ::std::option::Option::Some(key) = map.next_key::<::smithy_rt::union::Key<'de>>()? {
            match &*key {
                #(#arms)*
                _ => {
                    map.next_value::<::serde::de::IgnoredAny>()?;
                }
            }
        }
    }
}

/// `impl Deserialize for #name` that reads a JSON object: a `__Visitor`
/// whose `visit_map` runs `body` (with the `MapAccess` as `map`) to build a
/// `#value`, handed to the deserializer by `start` (which names
/// `__Visitor`). Structures, their `unvalidated` mirrors and unions share
/// it.
pub(crate) fn map_deserialize(
    name: &dyn quote::ToTokens,
    value: &dyn quote::ToTokens,
    expecting: &str,
    body: TokenStream,
    start: TokenStream,
) -> TokenStream {
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #value;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#value, A::Error> {
                        #body
                    }
                }
                #start
            }
        }
    }
}
