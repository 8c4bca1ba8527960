//! The service shape, its resources, errors and `rename` map.

use super::{Loc, Lower};
use crate::ast;
use crate::docs;
use crate::ir::{self, ShapeId};
use serde_json::Value;
use std::collections::HashMap;

impl Lower<'_> {
    pub(super) fn service(
        &mut self,
        id: &str,
        shape: &ast::Shape,
    ) -> (ir::Service, HashMap<ShapeId, String>) {
        let ast::Shape::Service(s) = shape else {
            unreachable!("filtered to services")
        };
        let loc = Loc::shape(id);
        let t = s.traits.as_ref();
        for r in s.operations.iter().flatten() {
            if let Some(target) = self.resolve(loc, "operation", &r.target) {
                self.expect_kind(loc, &target, "operation", |s| {
                    matches!(s, ast::Shape::Operation(_))
                });
            }
        }
        for r in s.resources.iter().flatten() {
            if let Some(target) = self.resolve(loc, "resource", &r.target) {
                self.expect_kind(loc, &target, "resource", |s| {
                    matches!(s, ast::Shape::Resource(_))
                });
            }
        }
        let mut errors = Vec::new();
        for r in s.errors.iter().flatten() {
            if let Some(e) = self.error_ref(loc, &r.target) {
                errors.push(e);
            }
        }
        let mut renames = HashMap::new();
        for (from, to) in s.rename.iter().flatten() {
            match self.resolve(loc, "renamed shape", from) {
                Some(from) if ShapeId::parse(&format!("x#{to}")).is_some() => {
                    renames.insert(from, to.clone());
                }
                Some(_) => self.error(
                    loc,
                    format!("rename of `{from}` to `{to}`: not a valid shape name"),
                ),
                None => {}
            }
        }
        let str_trait = |k: &str| {
            t.and_then(|t| t.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let sdk_id = t
            .and_then(|t| t.get("aws.api#service"))
            .and_then(|v| v.get("sdkId"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let endpoint_prefix = t
            .and_then(|t| t.get("aws.api#service"))
            .and_then(|v| v.get("endpointPrefix"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let sigv4_name = t
            .and_then(|t| t.get("aws.auth#sigv4"))
            .and_then(|v| v.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let protocols: Vec<String> = t
            .into_iter()
            .flat_map(|t| t.keys())
            .filter(|k| k.starts_with("aws.protocols#") || self.is_protocol_definition(k))
            .cloned()
            .collect();
        (
            ir::Service {
                id: ShapeId::parse(id).expect("checked when parsed"),
                version: s.version.clone(),
                sdk_id,
                endpoint_prefix,
                sigv4_name,
                title: str_trait("smithy.api#title"),
                docs: str_trait("smithy.api#documentation").and_then(|d| docs::to_markdown(&d)),
                protocol: super::protocol::choose(&protocols),
                protocols,
                errors,
                endpoint_rules: None,
                endpoint_tests: Vec::new(),
            },
            renames,
        )
    }

    pub(super) fn is_protocol_definition(&self, id: &str) -> bool {
        self.model
            .shapes
            .get(id)
            .and_then(ast::Shape::traits)
            .is_some_and(|t| t.contains_key("smithy.api#protocolDefinition"))
    }

    pub(super) fn expect_kind(
        &mut self,
        loc: Loc<'_>,
        target: &ShapeId,
        what: &str,
        ok: impl Fn(&ast::Shape) -> bool,
    ) -> bool {
        let key = target.to_string();
        match self.model.shapes.get(&key) {
            Some(s) if ok(s) => true,
            Some(s) => {
                let (what, ty) = (with_article(what), with_article(s.type_name()));
                self.error(loc, format!("`{key}` must be {what}, but it is {ty}"));
                false
            }
            None => {
                let what = with_article(what);
                self.error(loc, format!("`{key}` must be {what}"));
                false
            }
        }
    }

    pub(super) fn error_ref(&mut self, loc: Loc<'_>, target: &str) -> Option<ShapeId> {
        let id = self.resolve(loc, "error", target)?;
        let is_error = |s: &ast::Shape| {
            matches!(s, ast::Shape::Structure(a)
                if a.traits.as_ref().is_some_and(|t| t.contains_key("smithy.api#error")))
        };
        self.expect_kind(loc, &id, "structure with the `error` trait", is_error)
            .then_some(id)
    }

    pub(super) fn resource(&mut self, id: &str, r: &ast::Resource) {
        let loc = Loc::shape(id);
        for (name, ident) in r.identifiers.iter().flatten() {
            if let Some(t) = self.resolve(loc, &format!("identifier `{name}`"), &ident.target) {
                // The prelude's `String`, or a string or enum of the model (an
                // enum is a string with a closed set of values; Smithy 1.0
                // `enum` strings become enum shapes before lowering).
                if !(t.is_prelude() && t.name == "String") {
                    self.expect_kind(loc, &t, "string", |s| {
                        matches!(s, ast::Shape::String(_) | ast::Shape::Enum(_))
                    });
                }
            }
        }
        for (name, p) in r.properties.iter().flatten() {
            self.resolve(loc, &format!("property `{name}`"), &p.target);
        }
        let lifecycle = [&r.create, &r.put, &r.read, &r.update, &r.delete, &r.list];
        let ops = lifecycle
            .into_iter()
            .flatten()
            .chain(r.operations.iter().flatten())
            .chain(r.collection_operations.iter().flatten());
        for op in ops {
            if let Some(t) = self.resolve(loc, "operation", &op.target) {
                self.expect_kind(loc, &t, "operation", |s| {
                    matches!(s, ast::Shape::Operation(_))
                });
            }
        }
        for child in r.resources.iter().flatten() {
            if let Some(t) = self.resolve(loc, "resource", &child.target) {
                self.expect_kind(loc, &t, "resource", |s| {
                    matches!(s, ast::Shape::Resource(_))
                });
            }
        }
    }
}

/// `word` after "a" or "an", as its first letter wants.
fn with_article(word: &str) -> String {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    /// A service with a resource whose identifier targets `target`.
    fn model(target: &str) -> String {
        format!(
            r#"{{
  "smithy": "2.0",
  "shapes": {{
    "example.res#Service": {{ "type": "service", "version": "1", "resources": [{{ "target": "example.res#Contact" }}] }},
    "example.res#Contact": {{ "type": "resource", "identifiers": {{ "Kind": {{ "target": "{target}" }} }} }},
    "example.res#Kind": {{ "type": "enum", "members": {{ "BILLING": {{ "target": "smithy.api#Unit" }} }} }},
    "example.res#LegacyKind": {{ "type": "string", "traits": {{ "smithy.api#enum": [{{ "value": "BILLING" }}] }} }},
    "example.res#Number": {{ "type": "integer" }}
  }}
}}"#
        )
    }

    #[test]
    fn identifiers_may_target_strings_and_enums() {
        for target in [
            "smithy.api#String",
            "example.res#Kind",
            "example.res#LegacyKind",
        ] {
            if let Err(d) = crate::load(&model(target), "model.json") {
                panic!("{target}: {d}");
            }
        }
        let err = crate::load(&model("example.res#Number"), "model.json").unwrap_err();
        assert_eq!(
            err.lines(),
            [
                "model.json:5: example.res#Contact: `example.res#Number` must be a string, but it is an integer"
            ]
        );
    }
}
