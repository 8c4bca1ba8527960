//! AST to IR: resolve every reference, type every trait, validate, and
//! report every problem at once.
//!
//! The pass never stops at the first problem. Each check records a
//! [`Diagnostic`] and carries on with what it can, so one run of the
//! generator lists everything wrong with a model. An [`ir::Model`] is built
//! only when nothing was found.

mod checks;
mod constraints;
mod endpoint_bindings;
mod endpoints;
mod http;
mod parse;
mod protocol;
mod service;
mod shapes;

use crate::ast;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::docs;
use crate::ir::{self, ShapeId};
use crate::source_map::SourceMap;
use crate::traits;
use crate::transform::{self, Selection};
use checks::{mark_recursion, targets};
pub use parse::parse;
use parse::parse_with_map;
use serde_json::Value;
use shapes::{prelude_shape, prelude_simple};
use std::collections::{BTreeMap, BTreeSet};

const PRELUDE_SIMPLE: &[(&str, ir::Simple)] = &[
    ("Blob", ir::Simple::Blob),
    ("Boolean", ir::Simple::Boolean),
    ("String", ir::Simple::String),
    ("Byte", ir::Simple::Byte),
    ("Short", ir::Simple::Short),
    ("Integer", ir::Simple::Integer),
    ("Long", ir::Simple::Long),
    ("Float", ir::Simple::Float),
    ("Double", ir::Simple::Double),
    ("Timestamp", ir::Simple::Timestamp),
    ("Document", ir::Simple::Document),
    ("BigInteger", ir::Simple::BigInteger),
    ("BigDecimal", ir::Simple::BigDecimal),
    ("Unit", ir::Simple::Unit),
    // Smithy 1.0 names, still in the 2.0 prelude (with a `default` trait).
    ("PrimitiveBoolean", ir::Simple::Boolean),
    ("PrimitiveByte", ir::Simple::Byte),
    ("PrimitiveShort", ir::Simple::Short),
    ("PrimitiveInteger", ir::Simple::Integer),
    ("PrimitiveLong", ir::Simple::Long),
    ("PrimitiveFloat", ir::Simple::Float),
    ("PrimitiveDouble", ir::Simple::Double),
];

/// Parses, resolves and validates a model with one service (or none).
/// Problems in the JSON structure of some shapes don't stop the checks of
/// the others: every problem is reported at once.
pub fn load(src: &str, file: &str) -> Result<ir::Model, Diagnostics> {
    load_with(src, file, &Selection::default())
}

/// [`load`], keeping the service `selection` names (and its closure) when
/// the model has several.
pub fn load_with(src: &str, file: &str, selection: &Selection) -> Result<ir::Model, Diagnostics> {
    let map = SourceMap::scan(src);
    let (parsed, mut diags) = parse_with_map(src, &map);
    let Some(parsed) = parsed else {
        return Err(Diagnostics::new(file, diags));
    };
    let model = match transform::run(&parsed.model, selection) {
        Ok(m) => m,
        Err(t) => {
            diags.extend(t.into_iter().map(|d| with_line(d, &map)));
            return Err(Diagnostics::new(file, diags));
        }
    };
    let mut cx = Lower {
        map: &map,
        model: &model,
        broken: &parsed.broken,
        diags: Vec::new(),
    };
    let ir = cx.run();
    diags.append(&mut cx.diags);
    if diags.is_empty() {
        Ok(ir)
    } else {
        Err(Diagnostics::new(file, diags))
    }
}

/// A transform's diagnostic with the line of the shape (or member) it names.
fn with_line(mut d: Diagnostic, map: &SourceMap) -> Diagnostic {
    if let Some(shape) = &d.shape {
        d.line = match shape.split_once('$') {
            Some((s, m)) => map.line(s, &["members", m]),
            None => map.line(shape, &[]),
        };
    }
    d
}

/// Lowers an already parsed AST (no line numbers in diagnostics).
pub fn lower(model: &ast::Model, file: &str) -> Result<ir::Model, Diagnostics> {
    let map = SourceMap::default();
    let broken = BTreeSet::new();
    let model =
        transform::run(model, &Selection::default()).map_err(|d| Diagnostics::new(file, d))?;
    let mut cx = Lower {
        map: &map,
        model: &model,
        broken: &broken,
        diags: Vec::new(),
    };
    let ir = cx.run();
    if cx.diags.is_empty() {
        Ok(ir)
    } else {
        Err(Diagnostics::new(file, cx.diags))
    }
}

struct Lower<'a> {
    map: &'a SourceMap,
    model: &'a ast::Model,
    /// Shapes that exist but could not be parsed (already reported).
    broken: &'a BTreeSet<String>,
    diags: Vec<Diagnostic>,
}

/// Where a problem is: a shape and a path inside it.
#[derive(Clone, Copy)]
struct Loc<'p> {
    shape: &'p str,
    member: Option<&'p str>,
}

impl<'p> Loc<'p> {
    fn shape(shape: &'p str) -> Self {
        Self {
            shape,
            member: None,
        }
    }
    fn member(shape: &'p str, member: &'p str) -> Self {
        Self {
            shape,
            member: Some(member),
        }
    }
}

impl Lower<'_> {
    fn error(&mut self, loc: Loc<'_>, message: impl Into<String>) {
        self.error_at(loc, &[], message);
    }

    /// Records a problem at `loc`, using `trait_id` (when given) to find the
    /// most precise line.
    fn error_at(&mut self, loc: Loc<'_>, extra: &[&str], message: impl Into<String>) {
        let mut path: Vec<&str> = Vec::new();
        if let Some(m) = loc.member {
            path.extend(["members", m]);
        }
        path.extend(extra);
        let line = self.map.line(loc.shape, &path);
        let shape = match loc.member {
            Some(m) => format!("{}${m}", loc.shape),
            None => loc.shape.to_owned(),
        };
        self.diags.push(Diagnostic {
            line,
            shape: Some(shape),
            message: message.into(),
        });
    }

    fn trait_error(&mut self, loc: Loc<'_>, trait_id: &str, message: impl Into<String>) {
        self.error_at(loc, &["traits", trait_id], message);
    }

    fn exists(&self, id: &str) -> bool {
        self.model.shapes.contains_key(id)
            || self.broken.contains(id)
            || id
                .strip_prefix("smithy.api#")
                .is_some_and(|n| prelude_simple(n).is_some())
    }

    /// Resolves a reference, reporting a target that does not exist.
    fn resolve(&mut self, loc: Loc<'_>, what: &str, target: &str) -> Option<ShapeId> {
        match ShapeId::parse(target) {
            Some(id) if self.exists(target) => Some(id),
            Some(_) => {
                self.error(
                    loc,
                    format!("{what} `{target}` does not exist in the model or the prelude"),
                );
                None
            }
            None => {
                self.error(
                    loc,
                    format!("{what} `{target}` is not a valid absolute shape ID"),
                );
                None
            }
        }
    }

    fn is_trait_shape(&self, id: &str) -> bool {
        self.model
            .shapes
            .get(id)
            .and_then(ast::Shape::traits)
            .is_some_and(|t| t.contains_key("smithy.api#trait"))
    }

    /// Checks that every trait applied is one the generator understands.
    fn check_traits(&mut self, loc: Loc<'_>, t: Option<&ast::Traits>) {
        for id in t.into_iter().flat_map(|t| t.keys()) {
            if traits::SUPPORTED.contains(&id.as_str()) || traits::IGNORED.contains(&id.as_str()) {
                continue;
            }
            if id.starts_with("smithy.api#") {
                self.trait_error(
                    loc,
                    id,
                    format!("trait `{id}` is not a prelude trait the generator knows"),
                );
                continue;
            }
            if self.is_trait_shape(id) {
                continue;
            }
            let ns = id.split('#').next().unwrap_or_default();
            if !traits::KNOWN_NAMESPACES.contains(&ns) {
                self.trait_error(loc, id, format!("trait `{id}` is not defined in the model"));
            }
        }
    }

    fn run(&mut self) -> ir::Model {
        let model = self.model;
        // Every shape's own traits first.
        for (id, shape) in &model.shapes {
            let loc = Loc::shape(id);
            self.check_traits(loc, shape.traits());
        }

        // The transforms left at most one service.
        let service = model
            .shapes
            .iter()
            .find(|(_, s)| matches!(s, ast::Shape::Service(_)))
            .map(|(id, s)| self.service(id, s));
        let renames = service.as_ref().map(|s| s.1.clone()).unwrap_or_default();
        let service = service.map(|s| s.0);

        for (id, shape) in &model.shapes {
            if let ast::Shape::Resource(r) = shape {
                self.resource(id, r);
            }
        }

        let mut shapes = BTreeMap::new();
        for (id, shape) in &model.shapes {
            if self.is_trait_shape(id) {
                continue;
            }
            if let Some(s) = self.data_shape(id, shape, &renames) {
                shapes.insert(s.id.clone(), s);
            }
        }
        // Prelude shapes that are referenced.
        let mut referenced = BTreeSet::new();
        for s in shapes.values() {
            for t in targets(s) {
                referenced.insert(t.clone());
            }
        }
        for shape in model.shapes.values() {
            if let ast::Shape::Operation(o) = shape {
                for r in [&o.input, &o.output].into_iter().flatten() {
                    if let Some(t) = ShapeId::parse(&r.target) {
                        referenced.insert(t);
                    }
                }
            }
        }
        for id in referenced {
            if id.is_prelude() && !shapes.contains_key(&id) {
                if let Some(kind) = prelude_simple(&id.name) {
                    shapes.insert(id.clone(), prelude_shape(id, kind));
                }
            }
        }

        let error_ids = service
            .as_ref()
            .map(|s| s.errors.clone())
            .unwrap_or_default();
        let mut operations = Vec::new();
        for (id, shape) in &model.shapes {
            if let ast::Shape::Operation(o) = shape {
                if let Some(op) = self.operation(id, o, &shapes, &error_ids) {
                    operations.push(op);
                }
            }
        }
        let protocol = service.as_ref().and_then(|s| s.protocol);
        if let Some(p) = protocol {
            protocol::apply(p, &mut shapes, &mut operations);
        }
        self.check_operation_bindings(&operations, &mut shapes);
        let mut service = service;
        if let Some(service) = &mut service {
            self.endpoint_rules(service, &mut operations, &shapes);
        }
        if protocol == Some(ir::Protocol::RestJson1) {
            for op in &operations {
                if op.http.is_none() {
                    self.error(
                        Loc::shape(&op.id.to_string()),
                        "operation of a restJson1 service has no `smithy.api#http` trait",
                    );
                }
            }
        }
        if protocol.is_none_or(ir::Protocol::has_http_bindings) {
            self.check_route_conflicts(&operations);
        }
        self.check_names(&shapes, &operations);
        self.check_member_shapes(&shapes);
        mark_recursion(&mut shapes);

        ir::Model {
            service,
            shapes,
            operations,
        }
    }
}

fn has(t: Option<&ast::Traits>, id: &str) -> bool {
    t.is_some_and(|t| t.contains_key(id))
}

fn doc(t: Option<&ast::Traits>) -> Option<String> {
    t.and_then(|t| t.get("smithy.api#documentation"))
        .and_then(Value::as_str)
        .and_then(docs::to_markdown)
}
