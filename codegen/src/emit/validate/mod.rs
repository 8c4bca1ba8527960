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
//!
//! `checks` writes the constraint checks and `impl Validate`, `mirror` the
//! mirrors and their `build`, `exception` the `ValidationException`
//! conversion; this module walks the input closure and gathers the files.

mod checks;
mod exception;
mod mirror;

use crate::ir::{Model, Shape, ShapeId, ShapeKind};
use exception::validation_exception;
use proc_macro2::TokenStream;
use quote::quote;
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
    pattern: crate::ir::Pattern,
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
            let compiled = super::patterns::compile(&p.pattern.rust, p.pattern.engine);
            if let Some(f) = compiled.runtime_feature() {
                runtime_features.insert(f);
            }
            super::patterns::pattern_static(&p.name, &p.pattern, &compiled)
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

impl Cx<'_> {
    fn shape(&self, id: &ShapeId) -> &Shape {
        self.model.shape(id)
    }
}
