//! Model transforms: AST to AST, before lowering.
//!
//! Each transform rewrites the parsed model into a simpler equivalent one,
//! so that lowering only ever sees the core of Smithy 2.0:
//!
//! 1. [`apply`]: `apply` statements merged onto the shapes and members they
//!    name;
//! 2. [`v1`]: a Smithy 1.0 model upgraded to 2.0's semantics (primitive
//!    members get zero defaults, `box` goes);
//! 3. [`mixins`]: mixins flattened into the shapes that use them (members
//!    and traits, in order, with local overrides), mixin shapes removed;
//! 4. [`legacy_enum`]: strings with the Smithy 1.0 `enum` trait turned into
//!    `enum` shapes;
//! 5. [`closure`]: one service selected and the model cut down to the shapes
//!    it exposes.
//!
//! Transforms report problems as [`Diagnostic`]s with the shape they concern;
//! the caller adds lines.

pub mod apply;
pub mod closure;
pub mod legacy_enum;
pub mod mixins;
pub mod v1;

use crate::ast;
use crate::diagnostics::Diagnostic;

/// What to do with a model that has several services.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// The service to keep (`namespace#Name`); `None` keeps the only one.
    pub service: Option<String>,
}

/// Runs every transform. Problems are reported all at once; the model is
/// returned only when there are none.
pub fn run(model: &ast::Model, selection: &Selection) -> Result<ast::Model, Vec<Diagnostic>> {
    let mut model = model.clone();
    let mut diags = Vec::new();
    apply::merge(&mut model, &mut diags);
    v1::upgrade(&mut model);
    mixins::flatten(&mut model, &mut diags);
    legacy_enum::convert(&mut model, &mut diags);
    if diags.is_empty() {
        if let Err(d) = closure::select(&mut model, selection) {
            diags.push(d);
        }
    }
    if diags.is_empty() {
        Ok(model)
    } else {
        Err(diags)
    }
}

/// A problem with a shape (or `shape$member`).
fn problem(shape: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        line: None,
        shape: Some(shape.into()),
        message: message.into(),
    }
}

/// A member of an aggregate, list or map by name.
fn member_mut<'a>(shape: &'a mut ast::Shape, name: &str) -> Option<&'a mut ast::Member> {
    use ast::Shape as S;
    match shape {
        S::Enum(a) | S::IntEnum(a) | S::Structure(a) | S::Union(a) => {
            a.members.as_mut()?.get_mut(name)
        }
        S::List(l) | S::Set(l) if name == "member" => Some(&mut l.member),
        S::Map(m) => match name {
            "key" => Some(&mut m.key),
            "value" => Some(&mut m.value),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(shapes: serde_json::Value) -> ast::Model {
        serde_json::from_value(serde_json::json!({ "smithy": "2.0", "shapes": shapes })).unwrap()
    }

    fn problems(m: &ast::Model, service: Option<&str>) -> Vec<String> {
        let selection = Selection {
            service: service.map(str::to_owned),
        };
        match run(m, &selection) {
            Ok(_) => vec![],
            Err(d) => d
                .into_iter()
                .map(|d| format!("{}: {}", d.shape.unwrap_or_default(), d.message))
                .collect(),
        }
    }

    #[test]
    fn broken_mixins_and_applies_are_all_reported() {
        let m = model(serde_json::json!({
            "a#A": { "type": "structure", "mixins": [{ "target": "a#B" }], "traits": { "smithy.api#mixin": {} } },
            "a#B": { "type": "structure", "mixins": [{ "target": "a#A" }], "traits": { "smithy.api#mixin": {} } },
            "a#C": { "type": "structure", "mixins": [{ "target": "a#Plain" }] },
            "a#D": { "type": "structure", "mixins": [{ "target": "a#Missing" }] },
            "a#E": { "type": "string", "mixins": [{ "target": "a#Struct" }] },
            "a#Struct": { "type": "structure", "traits": { "smithy.api#mixin": {} } },
            "a#Plain": { "type": "structure" },
            "a#Nowhere$x": { "type": "apply", "traits": { "smithy.api#documentation": "d" } },
            "a#Plain$x": { "type": "apply", "traits": { "smithy.api#documentation": "d" } }
        }));
        let p = problems(&m, None);
        assert!(
            p.contains(&"a#A: mixin cycle: a#A -> a#B -> a#A".to_owned()),
            "{p:?}"
        );
        assert!(
            p.contains(&"a#C: `a#Plain` is used as a mixin but has no `mixin` trait".to_owned()),
            "{p:?}"
        );
        assert!(
            p.contains(&"a#D: mixin `a#Missing` does not exist in the model".to_owned()),
            "{p:?}"
        );
        assert!(
            p.contains(
                &"a#E: mixin `a#Struct` is a structure, but this shape is a string".to_owned()
            ),
            "{p:?}"
        );
        assert!(
            p.contains(
                &"a#Nowhere$x: `apply` targets `a#Nowhere`, which does not exist in the model"
                    .to_owned()
            ),
            "{p:?}"
        );
        assert!(
            p.contains(&"a#Plain$x: `apply` targets a member that does not exist".to_owned()),
            "{p:?}"
        );
    }

    #[test]
    fn services_are_chosen_explicitly_when_there_are_several() {
        let m = model(serde_json::json!({
            "a#One": { "type": "service", "operations": [{ "target": "a#Op" }] },
            "a#Two": { "type": "service" },
            "a#Op": { "type": "operation", "input": { "target": "a#In" } },
            "a#In": { "type": "structure" },
            "a#Loose": { "type": "structure" },
            "a#Tag": { "type": "structure", "traits": { "smithy.api#trait": {} } }
        }));
        assert_eq!(
            problems(&m, None),
            [": the model has 2 services (`a#One`, `a#Two`); choose one (`--service SHAPE_ID`)"]
        );
        assert_eq!(
            problems(&m, Some("a#Three")),
            [": service `a#Three` is not in the model; its services are `a#One`, `a#Two`"]
        );
        let one = run(
            &m,
            &Selection {
                service: Some("a#One".into()),
            },
        )
        .unwrap();
        let kept: Vec<&str> = one.shapes.keys().map(String::as_str).collect();
        // The service, what it binds and reaches, and trait definitions.
        assert_eq!(kept, ["a#In", "a#One", "a#Op", "a#Tag"]);
    }

    #[test]
    fn mixin_members_and_traits_flatten_in_order() {
        let m = model(serde_json::json!({
            "a#M1": { "type": "structure", "members": { "x": { "target": "smithy.api#String" } },
                      "traits": { "smithy.api#mixin": { "localTraits": ["smithy.api#tags"] },
                                  "smithy.api#tags": ["m1"], "smithy.api#sensitive": {} } },
            "a#M2": { "type": "structure", "members": { "y": { "target": "smithy.api#String" } },
                      "traits": { "smithy.api#mixin": {}, "smithy.api#documentation": "m2" } },
            "a#S": { "type": "structure", "mixins": [{ "target": "a#M1" }, { "target": "a#M2" }],
                     "members": { "z": { "target": "smithy.api#String" },
                                  "x": { "target": "smithy.api#String", "traits": { "smithy.api#required": {} } } },
                     "traits": { "smithy.api#documentation": "own" } }
        }));
        let out = run(&m, &Selection::default()).unwrap();
        let ast::Shape::Structure(s) = &out.shapes["a#S"] else {
            panic!()
        };
        let names: Vec<&str> = s
            .members
            .as_ref()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(names, ["x", "y", "z"]);
        assert!(
            s.members.as_ref().unwrap()["x"]
                .traits
                .as_ref()
                .unwrap()
                .contains_key("smithy.api#required")
        );
        let t = s.traits.as_ref().unwrap();
        assert_eq!(t["smithy.api#documentation"], "own");
        assert!(t.contains_key("smithy.api#sensitive"));
        assert!(
            !t.contains_key("smithy.api#tags"),
            "local traits stay with their mixin"
        );
        assert!(!out.shapes.contains_key("a#M1"), "mixins are removed");
    }
}
