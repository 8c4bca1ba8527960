//! JSON text to AST, with a diagnostic (and line) for every malformed
//! shape; one bad shape does not hide the problems of the others.

use crate::ast;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::ShapeId;
use crate::source_map::SourceMap;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Parses a JSON AST file into the AST, reporting syntax and structure
/// problems with their lines.
pub fn parse(src: &str, file: &str) -> Result<ast::Model, Diagnostics> {
    let (model, diags) = parse_with_map(src, &SourceMap::scan(src));
    match model {
        Some(m) if diags.is_empty() => Ok(m.model),
        _ => Err(Diagnostics::new(file, diags)),
    }
}

/// What could be parsed: the shapes that are well-formed, and the IDs of
/// those that are not (they exist, so references to them are not reported
/// again).
pub(super) struct Parsed {
    pub(super) model: ast::Model,
    pub(super) broken: BTreeSet<String>,
}

fn top_level(message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        line: Some(1),
        shape: None,
        message: message.into(),
    }
}

pub(super) fn parse_with_map(src: &str, map: &SourceMap) -> (Option<Parsed>, Vec<Diagnostic>) {
    use serde_json::value::RawValue;
    // Shapes are kept as raw text and parsed one by one: one bad shape does
    // not hide the problems of the others, and member order (which a
    // `serde_json::Value` would sort) is preserved.
    let root: BTreeMap<String, &RawValue> = match serde_json::from_str(src) {
        Ok(r) => r,
        Err(e) => {
            // Syntax errors read best from serde_json's own value parser:
            // the map parser reports e.g. a trailing comma as a bad key.
            let (line, message) = match serde_json::from_str::<Value>(src) {
                Err(e) if !e.is_data() => {
                    let msg = e.to_string();
                    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
                    (e.line(), format!("invalid JSON: {msg}"))
                }
                _ => (e.line(), "a model must be a JSON object".to_owned()),
            };
            let d = Diagnostic {
                line: Some(line as u32),
                shape: None,
                message,
            };
            return (None, vec![d]);
        }
    };
    let mut diags = Vec::new();
    let smithy = match root
        .get("smithy")
        .map(|v| serde_json::from_str::<Value>(v.get()))
    {
        Some(Ok(Value::String(v))) if v == "2.0" || v == "2" || crate::transform::v1::is_v1(&v) => {
            v
        }
        Some(Ok(Value::String(v))) => {
            diags.push(top_level(format!(
                "Smithy IDL version `{v}` is not supported; use 2.0 (or 1.0)"
            )));
            v
        }
        _ => {
            diags.push(top_level(
                "the `smithy` version property is missing or not a string",
            ));
            String::new()
        }
    };
    let metadata = match root.get("metadata").map(|v| serde_json::from_str(v.get())) {
        None => None,
        Some(Ok(m)) => Some(m),
        Some(Err(_)) => {
            diags.push(top_level("`metadata` must be an object"));
            None
        }
    };
    let raw_shapes: BTreeMap<String, &RawValue> =
        match root.get("shapes").map(|v| serde_json::from_str(v.get())) {
            None => BTreeMap::new(),
            Some(Ok(m)) => m,
            Some(Err(_)) => {
                diags.push(top_level("`shapes` must be an object"));
                BTreeMap::new()
            }
        };
    for key in root.keys() {
        if !matches!(key.as_str(), "smithy" | "metadata" | "shapes") {
            diags.push(top_level(format!("unknown top-level property `{key}`")));
        }
    }
    let mut shapes = BTreeMap::new();
    let mut broken = BTreeSet::new();
    for (id, raw) in raw_shapes {
        let line = map.line(&id, &[]);
        let (base, member) = match id.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (id.as_str(), None),
        };
        let member_ok = member.is_none_or(|m| ShapeId::parse(&format!("x#{m}")).is_some());
        if ShapeId::parse(base).is_none() || !member_ok {
            diags.push(Diagnostic {
                line,
                shape: Some(id.clone()),
                message: "not a valid absolute shape ID (`namespace#Name`)".into(),
            });
            continue;
        }
        match serde_json::from_str::<ast::Shape>(raw.get()) {
            Ok(shape) if member.is_some() && !matches!(shape, ast::Shape::Apply(_)) => {
                diags.push(Diagnostic {
                    line,
                    shape: Some(id.clone()),
                    message: "only `apply` entries can name a member (`namespace#Name$member`)"
                        .into(),
                });
            }
            Ok(shape) => {
                shapes.insert(id, shape);
            }
            Err(e) => {
                #[derive(serde::Deserialize)]
                struct Type {
                    #[serde(rename = "type")]
                    ty: Option<String>,
                }
                let ty = serde_json::from_str::<Type>(raw.get())
                    .ok()
                    .and_then(|t| t.ty);
                let message = match ty {
                    None => "shape has no `type`".to_owned(),
                    Some(t) if !KNOWN_TYPES.contains(&t.as_str()) => {
                        format!("unknown shape type `{t}`")
                    }
                    Some(t) => {
                        let e = e.to_string();
                        let e = e.split(" at line ").next().unwrap_or(&e).to_owned();
                        format!("invalid `{t}` shape: {e}")
                    }
                };
                diags.push(Diagnostic {
                    line,
                    shape: Some(id.clone()),
                    message,
                });
                broken.insert(id);
            }
        }
    }
    let model = ast::Model {
        smithy,
        metadata,
        shapes,
    };
    (Some(Parsed { model, broken }), diags)
}

const KNOWN_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "service",
    "operation",
    "resource",
    "apply",
];
