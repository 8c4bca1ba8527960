//! How generated code names things: identifiers (raw where needed), the
//! Rust type of a reference to a shape, and the path of a named type. Every
//! emitter uses these; nothing here decides what is emitted.

use crate::ir::{self, Model, Shape, ShapeKind, Simple};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier from a name made by [`crate::naming`] (`r#type` becomes a
/// raw identifier).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a reference to `target` (without `Option` or `Box`).
pub(crate) fn rust_type(model: &Model, target: &ir::ShapeId) -> TokenStream {
    let shape = model.shape(target);
    match &shape.kind {
        ShapeKind::Simple(s) => match s {
            Simple::Blob if shape.streaming => quote!(::smithy_rt::ByteStream),
            Simple::Blob => quote!(::smithy_rt::Blob),
            Simple::Boolean => quote!(bool),
            Simple::String => quote!(::std::string::String),
            Simple::Byte => quote!(i8),
            Simple::Short => quote!(i16),
            Simple::Integer => quote!(i32),
            Simple::Long => quote!(i64),
            Simple::Float => quote!(f32),
            Simple::Double => quote!(f64),
            Simple::Timestamp => quote!(::smithy_rt::DateTime),
            Simple::Document => quote!(::smithy_rt::Document),
            Simple::BigInteger => quote!(::smithy_rt::BigInteger),
            Simple::BigDecimal => quote!(::smithy_rt::BigDecimal),
            Simple::Unit => quote!(()),
        },
        ShapeKind::List(l) => {
            let inner = rust_type(model, &l.member.target);
            if l.sparse {
                quote!(::std::vec::Vec<::std::option::Option<#inner>>)
            } else {
                quote!(::std::vec::Vec<#inner>)
            }
        }
        ShapeKind::Map(m) => {
            let k = rust_type(model, &m.key.target);
            let v = rust_type(model, &m.value.target);
            if m.sparse {
                quote!(::std::collections::BTreeMap<#k, ::std::option::Option<#v>>)
            } else {
                quote!(::std::collections::BTreeMap<#k, #v>)
            }
        }
        ShapeKind::Enum(_)
        | ShapeKind::IntEnum(_)
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_) => type_path(shape),
    }
}

/// `crate::module::Name`.
pub(crate) fn type_path(shape: &Shape) -> TokenStream {
    let module = ident(shape.category.module());
    let name = ident(&shape.rust_name);
    quote!(crate::#module::#name)
}

/// `Some("…")` or `None`, as a Rust expression of an `Option<&str>`.
pub(crate) fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}
