//! The checks of each constraint trait, and `impl Validate` for typed
//! structures and unions.

use super::{Cx, Mode, PatternStatic};
use crate::emit::paths::{ident, type_path};
use crate::ir::{self, Constraints, Shape, ShapeId, ShapeKind, Simple, Structure, Union};
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Cx<'_> {
    /// The static holding pattern `p`, named after `shape` when the pattern
    /// is the shape's own, else numbered in order of first use.
    pub(super) fn pattern_static(&self, p: &ir::Pattern, shape: &Shape) -> proc_macro2::Ident {
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
                pattern: p.clone(),
            },
        );
        name
    }

    /// Checks of one value. `v` is an expression of type `&T`, `path` of
    /// type `&Path`.
    pub(super) fn checks(
        &self,
        cons: &Constraints,
        target: &ShapeId,
        v: TokenStream,
        path: TokenStream,
        mode: Mode,
    ) -> TokenStream {
        let shape = self.shape(target);
        let cons = cons.or(&shape.constraints);
        let length = |check: TokenStream, len: TokenStream| match cons.length {
            Some((min, max)) => {
                let (min, max) = (opt_u64(min), opt_u64(max));
                quote!(out.#check(#path, #len, #min, #max);)
            }
            None => TokenStream::new(),
        };
        match &shape.kind {
            ShapeKind::Simple(Simple::String) => {
                // Counted in characters, only when the byte length can't tell.
                let len = length(quote!(char_length), quote!(#v));
                let pattern = cons.pattern.as_ref().map(|p| {
                    let name = self.pattern_static(p, shape);
                    quote!(out.pattern(#path, #v, &crate::validation::#name);)
                });
                quote!(#len #pattern)
            }
            ShapeKind::Simple(Simple::Blob) => length(quote!(length), quote!(#v.as_bytes().len())),
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
            ShapeKind::Simple(kind @ (Simple::Float | Simple::Double)) => match cons.range {
                Some((min, max)) => {
                    let (min, max) = (opt_f64(min), opt_f64(max));
                    let wide = if *kind == Simple::Double {
                        quote!(*#v)
                    } else {
                        quote!(f64::from(*#v))
                    };
                    quote!(out.range_float(#path, #wide, #min, #max);)
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
                let len = length(quote!(length), quote!(#v.len()));
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
                let len = length(quote!(length), quote!(#v.len()));
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
    pub(super) fn checks_owned(
        &self,
        cons: &Constraints,
        target: &ShapeId,
        v: TokenStream,
    ) -> TokenStream {
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

    pub(super) fn validate_structure(&self, shape: &Shape, st: &Structure) -> TokenStream {
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
            if m.is_present() {
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

    pub(super) fn validate_union(&self, shape: &Shape, u: &Union) -> TokenStream {
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
