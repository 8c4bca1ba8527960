//! The conversion of violations into the model's `ValidationException`.

use crate::emit::paths::{ident, type_path};
use crate::ir::{self, Model, Shape, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// `impl From<Violations> for ValidationException` when the model has an
/// error structure of that name whose only required member is its message.
pub(super) fn validation_exception(model: &Model) -> TokenStream {
    let Some((shape, build)) =
        crate::emit::message_error(model, "ValidationException", quote!(violations.message()))
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
    Some(if list.is_present() {
        quote!(exception.#field = #items;)
    } else {
        quote!(exception.#field = ::std::option::Option::Some(#items);)
    })
}
