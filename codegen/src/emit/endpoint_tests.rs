//! `tests/endpoint.rs`: the service's `smithy.rules#endpointTests` as Rust
//! tests of the compiled rule set, one `#[test]` per case (per operation
//! input, for cases that give several), in a module named `endpoint_tests`.

use super::endpoint::set_param;
use super::paths::ident;
use crate::ir::Model;
use crate::ir::endpoint::{EndpointTest, Expectation, RuleSet};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::HashSet;

/// The test file, when the service has a rule set with tests.
pub(crate) fn test_file(model: &Model, krate: &str) -> Option<TokenStream> {
    let service = model.service.as_ref()?;
    let rules = service.endpoint_rules.as_ref()?;
    if service.endpoint_tests.is_empty() {
        return None;
    }
    let k = ident(krate);
    let mut seen = HashSet::new();
    let tests = service.endpoint_tests.iter().enumerate().map(|(i, t)| {
        let name = test_name(t, i, &mut seen);
        case(rules, t, &name)
    });
    let doc = format!(
        " The endpoint tests of `{}` (`smithy.rules#endpointTests`), against the compiled rule set.",
        service.id
    );
    Some(quote! {
        #![doc = #doc]
        #![cfg(feature = "client-core")]

        // prettyplease's layout, as in the crate's modules.
        #[rustfmt::skip]
        mod endpoint_tests {
            #[allow(unused_imports)]
            use ::#k::endpoint::{resolve, Endpoint, Params};

            #(#tests)*
        }
    })
}

fn test_name(t: &EndpointTest, i: usize, seen: &mut HashSet<String>) -> syn::Ident {
    let base: String = t
        .docs
        .as_deref()
        .map(|d| {
            let snake: String = d
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            snake
                .split('_')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("_")
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("case_{i}"));
    let base = if base.starts_with(|c: char| c.is_ascii_digit()) {
        format!("case_{base}")
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while !seen.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    format_ident!("{}", name)
}

fn case(rules: &RuleSet, t: &EndpointTest, name: &syn::Ident) -> TokenStream {
    let sets = t.params.iter().map(|(n, l)| set_param(rules, n, l));
    let doc = t.docs.as_deref().map(|d| {
        let d = format!(" {d}");
        quote!(#[doc = #d])
    });
    let check = match &t.expect {
        Expectation::Error(message) => quote! {
            let error = resolve(&params).expect_err("the rule set gives an error");
            assert_eq!(error.message(), #message);
        },
        Expectation::Endpoint {
            url,
            headers,
            properties,
        } => {
            let headers = headers
                .iter()
                .flat_map(|(n, vs)| vs.iter().map(move |v| quote!(.with_header(#n, #v))));
            let props = properties.iter().map(|(k, v)| {
                let v = value(v);
                quote!(.with_property(#k, #v))
            });
            quote! {
                let endpoint = resolve(&params).expect("the rule set gives an endpoint");
                assert_eq!(endpoint, Endpoint::new(#url) #(#headers)* #(#props)*);
            }
        }
    };
    let mutable = if t.params.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    quote! {
        #doc
        #[test]
        fn #name() {
            let #mutable params = Params::default();
            #(#sets)*
            #check
        }
    }
}

/// An expected property value.
fn value(v: &Value) -> TokenStream {
    let t = quote!(::smithy_rt::endpoint::Value);
    match v {
        Value::String(s) => quote!(#t::String(::std::string::String::from(#s))),
        Value::Bool(b) => quote!(#t::Bool(#b)),
        Value::Number(n) => {
            let i = n.as_i64().unwrap_or_default();
            quote!(#t::Int(#i))
        }
        Value::Array(items) => {
            let items = items.iter().map(value);
            quote!(#t::Array(::std::vec![#(#items),*]))
        }
        Value::Object(map) => {
            let items = map.iter().map(|(k, v)| {
                let v = value(v);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(#t::Object(::std::collections::BTreeMap::from([#(#items),*])))
        }
        Value::Null => quote!(#t::Bool(false)),
    }
}
