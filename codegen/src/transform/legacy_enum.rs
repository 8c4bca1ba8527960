//! Strings with the Smithy 1.0 `enum` trait become `enum` shapes, the form
//! Smithy 2.0 gives them, so that both generate the same Rust enum.
//!
//! Each entry becomes a member targeting `smithy.api#Unit` with its value as
//! `enumValue` and its `documentation`; the member is named after the entry's
//! `name`, or, when it has none, after its value
//! ([`naming::enum_member_from_value`]), with a numeric suffix when two such
//! names would give the same Rust variant.

use super::problem;
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::naming;
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::BTreeSet;

const ENUM: &str = "smithy.api#enum";

/// Converts every string shape with the `enum` trait.
pub fn convert(model: &mut ast::Model, diags: &mut Vec<Diagnostic>) {
    for (id, shape) in model.shapes.iter_mut() {
        let ast::Shape::String(s) = shape else {
            continue;
        };
        let Some(entries) = s.traits.as_ref().and_then(|t| t.get(ENUM)) else {
            continue;
        };
        let Some(entries) = entries.as_array().filter(|e| !e.is_empty()) else {
            diags.push(problem(
                id,
                "the `enum` trait must be a non-empty list of `{\"value\": ...}` entries",
            ));
            continue;
        };
        let mut members = IndexMap::new();
        let mut variants = BTreeSet::new();
        let mut ok = true;
        for entry in entries {
            let Some(value) = entry.get("value").and_then(Value::as_str) else {
                diags.push(problem(
                    id,
                    format!("`enum` entry {entry} has no string `value`"),
                ));
                ok = false;
                continue;
            };
            let base = match entry.get("name").and_then(Value::as_str) {
                Some(n) => n.to_owned(),
                None => naming::enum_member_from_value(value),
            };
            let mut name = base.clone();
            let mut n = 2;
            while !variants.insert(naming::variant_name(&name)) || members.contains_key(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            let mut traits = ast::Traits::new();
            traits.insert(
                "smithy.api#enumValue".into(),
                Value::String(value.to_owned()),
            );
            if let Some(d) = entry.get("documentation") {
                traits.insert("smithy.api#documentation".into(), d.clone());
            }
            // Smithy's conversion of the 1.0 `enum` trait: an `internal`
            // tag makes the value `@internal`.
            if let Some(tags) = entry.get("tags").filter(|t| t.is_array()) {
                traits.insert("smithy.api#tags".into(), tags.clone());
                if tags
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t == "internal"))
                {
                    traits.insert(
                        "smithy.api#internal".into(),
                        Value::Object(Default::default()),
                    );
                }
            }
            if entry.get("deprecated").and_then(Value::as_bool) == Some(true) {
                traits.insert(
                    "smithy.api#deprecated".into(),
                    Value::Object(Default::default()),
                );
            }
            members.insert(
                name,
                ast::Member {
                    target: "smithy.api#Unit".into(),
                    traits: Some(traits),
                },
            );
        }
        if !ok {
            continue;
        }
        let mut traits = s.traits.take().unwrap_or_default();
        traits.remove(ENUM);
        *shape = ast::Shape::Enum(ast::Aggregate {
            members: Some(members),
            mixins: None,
            traits: Some(traits),
        });
    }
}
