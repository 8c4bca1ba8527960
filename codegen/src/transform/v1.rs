//! Smithy IDL 1.0 models, upgraded to the 2.0 semantics that lowering reads,
//! as Smithy's own model upgrade does. AWS still publishes some models in
//! 1.0 form; Smithy loads them, so the generator does too.
//!
//! What differs, and how it is upgraded:
//!
//! - Nullability: in 1.0 a byte, short, integer, long, float, double or
//!   boolean shape is a primitive (never null, zero when absent) unless it
//!   has the `box` trait; the prelude's `Primitive*` shapes are primitives
//!   and its `Boolean`, `Integer` and others are boxed. A structure member
//!   that targets a primitive, and has no `box` of its own, gets the 2.0
//!   `default` trait with the zero value (`0` or `false`), which is what
//!   the 1.0 semantics were (a `required` member needs none: it is never
//!   absent). `box` is then dropped everywhere.
//! - `enum` traits on strings: [`super::legacy_enum`] converts them.
//! - `set` shapes: lowering already reads them as lists with
//!   `uniqueItems`.
//!
//! Everything else a 1.0 JSON AST file can hold is valid 2.0 with the same
//! meaning.

use crate::ast;
use serde_json::Value;

const BOX: &str = "smithy.api#box";
const DEFAULT: &str = "smithy.api#default";

/// Whether `version` is a 1.0 model's `smithy` property.
pub fn is_v1(version: &str) -> bool {
    matches!(version, "1.0" | "1")
}

/// Upgrades a 1.0 model in place; a 2.0 model is left as it is.
pub fn upgrade(model: &mut ast::Model) {
    if !is_v1(&model.smithy) {
        return;
    }
    let zero_of = |model: &ast::Model, target: &str| -> Option<Value> {
        if let Some(name) = target.strip_prefix("smithy.api#") {
            return match name {
                "PrimitiveBoolean" => Some(Value::Bool(false)),
                "PrimitiveByte" | "PrimitiveShort" | "PrimitiveInteger" | "PrimitiveLong"
                | "PrimitiveFloat" | "PrimitiveDouble" => Some(Value::from(0)),
                _ => None,
            };
        }
        let shape = model.shapes.get(target)?;
        if shape.traits().is_some_and(|t| t.contains_key(BOX)) {
            return None;
        }
        match shape {
            ast::Shape::Boolean(_) => Some(Value::Bool(false)),
            ast::Shape::Byte(_)
            | ast::Shape::Short(_)
            | ast::Shape::Integer(_)
            | ast::Shape::Long(_)
            | ast::Shape::Float(_)
            | ast::Shape::Double(_) => Some(Value::from(0)),
            _ => None,
        }
    };
    // The defaults first (reading the targets' `box`), then `box` dropped.
    let mut defaults = Vec::new();
    for (id, shape) in &model.shapes {
        let ast::Shape::Structure(s) = shape else {
            continue;
        };
        for (name, member) in s.members.iter().flatten() {
            let traits = member.traits.as_ref();
            let boxed = traits.is_some_and(|t| t.contains_key(BOX));
            let has_default = traits.is_some_and(|t| t.contains_key(DEFAULT));
            let required = traits.is_some_and(|t| t.contains_key("smithy.api#required"));
            if boxed || has_default || required {
                continue;
            }
            if let Some(zero) = zero_of(model, &member.target) {
                defaults.push((id.clone(), name.clone(), zero));
            }
        }
    }
    for (id, name, zero) in defaults {
        if let Some(ast::Shape::Structure(s)) = model.shapes.get_mut(&id) {
            if let Some(member) = s.members.as_mut().and_then(|m| m.get_mut(&name)) {
                member
                    .traits
                    .get_or_insert_with(ast::Traits::new)
                    .insert(DEFAULT.into(), zero);
            }
        }
    }
    for shape in model.shapes.values_mut() {
        if let Some(t) = shape.traits_mut() {
            t.remove(BOX);
        }
        if let ast::Shape::Structure(s) | ast::Shape::Union(s) = shape {
            for member in s.members.iter_mut().flat_map(|m| m.values_mut()) {
                if let Some(t) = member.traits.as_mut() {
                    t.remove(BOX);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: &str) -> ast::Model {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn primitive_members_get_zero_defaults_and_box_goes() {
        let mut m = model(
            r#"{"smithy": "1.0", "shapes": {
                "a#Count": {"type": "integer"},
                "a#Boxed": {"type": "integer", "traits": {"smithy.api#box": {}}},
                "a#Flag": {"type": "boolean"},
                "a#S": {"type": "structure", "members": {
                    "count": {"target": "a#Count"},
                    "boxed": {"target": "a#Boxed"},
                    "flag": {"target": "a#Flag"},
                    "prim": {"target": "smithy.api#PrimitiveLong"},
                    "nullable": {"target": "smithy.api#Integer"},
                    "memberBox": {"target": "a#Count", "traits": {"smithy.api#box": {}}},
                    "name": {"target": "smithy.api#String"},
                    "must": {"target": "a#Count", "traits": {"smithy.api#required": {}}}
                }}
            }}"#,
        );
        upgrade(&mut m);
        let ast::Shape::Structure(s) = &m.shapes["a#S"] else {
            panic!()
        };
        let default = |name: &str| {
            s.members.as_ref().unwrap()[name]
                .traits
                .as_ref()
                .and_then(|t| t.get(DEFAULT))
                .cloned()
        };
        assert_eq!(default("count"), Some(Value::from(0)));
        assert_eq!(default("flag"), Some(Value::Bool(false)));
        assert_eq!(default("prim"), Some(Value::from(0)));
        for nullable in ["boxed", "nullable", "memberBox", "name", "must"] {
            assert_eq!(default(nullable), None, "{nullable}");
        }
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains(BOX), "{json}");
    }

    #[test]
    fn a_2_0_model_is_left_alone() {
        let mut m = model(
            r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "structure", "members": {
                "n": {"target": "smithy.api#PrimitiveInteger"}}}}}"#,
        );
        let before = m.clone();
        upgrade(&mut m);
        assert_eq!(m, before);
    }
}
