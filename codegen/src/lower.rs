//! AST to IR: resolve every reference, type every trait, validate, and
//! report every problem at once.
//!
//! The pass never stops at the first problem. Each check records a
//! [`Diagnostic`] and carries on with what it can, so one run of the
//! generator lists everything wrong with a model. An [`ir::Model`] is built
//! only when nothing was found.

use crate::ast;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::docs;
use crate::ecma_regex;
use crate::ir::{self, ShapeId};
use crate::naming;
use crate::source_map::SourceMap;
use crate::traits;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
struct Parsed {
    model: ast::Model,
    broken: BTreeSet<String>,
}

fn top_level(message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        line: Some(1),
        shape: None,
        message: message.into(),
    }
}

fn parse_with_map(src: &str, map: &SourceMap) -> (Option<Parsed>, Vec<Diagnostic>) {
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
        Some(Ok(Value::String(v))) if v == "2.0" || v == "2" => v,
        Some(Ok(Value::String(v))) => {
            diags.push(top_level(format!(
                "Smithy IDL version `{v}` is not supported; use 2.0"
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
        if ShapeId::parse(&id).is_none() {
            diags.push(Diagnostic {
                line,
                shape: Some(id.clone()),
                message: "not a valid absolute shape ID (`namespace#Name`)".into(),
            });
            continue;
        }
        match serde_json::from_str::<ast::Shape>(raw.get()) {
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

/// Parses, resolves and validates a model. Problems in the JSON structure
/// of some shapes don't stop the checks of the others: every problem is
/// reported at once.
pub fn load(src: &str, file: &str) -> Result<ir::Model, Diagnostics> {
    let map = SourceMap::scan(src);
    let (parsed, mut diags) = parse_with_map(src, &map);
    let Some(parsed) = parsed else {
        return Err(Diagnostics::new(file, diags));
    };
    let mut cx = Lower {
        map: &map,
        model: &parsed.model,
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

/// Lowers an already parsed AST (no line numbers in diagnostics).
pub fn lower(model: &ast::Model, file: &str) -> Result<ir::Model, Diagnostics> {
    let map = SourceMap::default();
    let broken = BTreeSet::new();
    let mut cx = Lower {
        map: &map,
        model,
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
                    format!("trait `{id}` is not supported by the generator yet"),
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
        // Every shape's own traits and mixins first.
        for (id, shape) in &model.shapes {
            let loc = Loc::shape(id);
            self.check_traits(loc, shape.traits());
            if shape.mixins().is_some_and(|m| !m.is_empty()) {
                self.error_at(
                    loc,
                    &["mixins"],
                    "mixins are not supported by the generator yet",
                );
            }
            match shape {
                ast::Shape::BigInteger(_) | ast::Shape::BigDecimal(_) | ast::Shape::IntEnum(_) => {
                    self.error(
                        loc,
                        format!(
                            "`{}` shapes are not supported by the generator yet",
                            shape.type_name()
                        ),
                    );
                }
                ast::Shape::Apply(_) => {
                    self.error(loc, "`apply` shapes are not supported by the generator yet")
                }
                _ => {}
            }
        }

        let services: Vec<&String> = model
            .shapes
            .iter()
            .filter(|(_, s)| matches!(s, ast::Shape::Service(_)))
            .map(|(id, _)| id)
            .collect();
        if services.len() > 1 {
            for id in &services[1..] {
                self.error(
                    Loc::shape(id),
                    format!(
                        "a model with more than one service is not supported yet (also found `{}`)",
                        services[0]
                    ),
                );
            }
        }
        let service = services
            .first()
            .map(|id| self.service(id, &model.shapes[*id]));
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
        self.check_operation_bindings(&operations, &mut shapes);
        if service
            .as_ref()
            .is_some_and(|s| s.protocols.iter().any(|p| p == "aws.protocols#restJson1"))
        {
            for op in &operations {
                if op.http.is_none() {
                    self.error(
                        Loc::shape(&op.id.to_string()),
                        "operation of a restJson1 service has no `smithy.api#http` trait",
                    );
                }
            }
        }
        self.check_route_conflicts(&operations);
        self.check_names(&shapes, &operations);
        self.check_member_shapes(&shapes);
        mark_recursion(&mut shapes);

        ir::Model {
            service,
            shapes,
            operations,
        }
    }

    fn service(&mut self, id: &str, shape: &ast::Shape) -> (ir::Service, HashMap<ShapeId, String>) {
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
        let protocols = t
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
                title: str_trait("smithy.api#title"),
                docs: str_trait("smithy.api#documentation").and_then(|d| docs::to_markdown(&d)),
                protocols,
                errors,
            },
            renames,
        )
    }

    fn is_protocol_definition(&self, id: &str) -> bool {
        self.model
            .shapes
            .get(id)
            .and_then(ast::Shape::traits)
            .is_some_and(|t| t.contains_key("smithy.api#protocolDefinition"))
    }

    fn expect_kind(
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
                let ty = s.type_name();
                self.error(loc, format!("`{key}` must be a {what}, but it is a {ty}"));
                false
            }
            None => {
                self.error(loc, format!("`{key}` must be a {what}"));
                false
            }
        }
    }

    fn error_ref(&mut self, loc: Loc<'_>, target: &str) -> Option<ShapeId> {
        let id = self.resolve(loc, "error", target)?;
        let is_error = |s: &ast::Shape| {
            matches!(s, ast::Shape::Structure(a)
                if a.traits.as_ref().is_some_and(|t| t.contains_key("smithy.api#error")))
        };
        self.expect_kind(loc, &id, "structure with the `error` trait", is_error)
            .then_some(id)
    }

    fn resource(&mut self, id: &str, r: &ast::Resource) {
        let loc = Loc::shape(id);
        for (name, ident) in r.identifiers.iter().flatten() {
            if let Some(t) = self.resolve(loc, &format!("identifier `{name}`"), &ident.target) {
                self.expect_kind(loc, &t, "string", |s| {
                    matches!(s, ast::Shape::String(_)) || t.is_prelude()
                });
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

    fn data_shape(
        &mut self,
        id: &str,
        shape: &ast::Shape,
        renames: &HashMap<ShapeId, String>,
    ) -> Option<ir::Shape> {
        let sid = ShapeId::parse(id)?;
        let loc = Loc::shape(id);
        let t = shape.traits();
        let kind = match shape {
            ast::Shape::Blob(_) => ir::ShapeKind::Simple(ir::Simple::Blob),
            ast::Shape::Boolean(_) => ir::ShapeKind::Simple(ir::Simple::Boolean),
            ast::Shape::String(_) => ir::ShapeKind::Simple(ir::Simple::String),
            ast::Shape::Byte(_) => ir::ShapeKind::Simple(ir::Simple::Byte),
            ast::Shape::Short(_) => ir::ShapeKind::Simple(ir::Simple::Short),
            ast::Shape::Integer(_) => ir::ShapeKind::Simple(ir::Simple::Integer),
            ast::Shape::Long(_) => ir::ShapeKind::Simple(ir::Simple::Long),
            ast::Shape::Float(_) => ir::ShapeKind::Simple(ir::Simple::Float),
            ast::Shape::Double(_) => ir::ShapeKind::Simple(ir::Simple::Double),
            ast::Shape::Timestamp(_) => {
                self.timestamp_format(loc, t);
                ir::ShapeKind::Simple(ir::Simple::Timestamp)
            }
            ast::Shape::Document(_) => ir::ShapeKind::Simple(ir::Simple::Document),
            ast::Shape::Enum(a) => ir::ShapeKind::Enum(self.enum_shape(id, a)),
            ast::Shape::List(l) | ast::Shape::Set(l) => {
                let member = self.member_target(Loc::member(id, "member"), &l.member)?;
                ir::ShapeKind::List(ir::List {
                    member,
                    sparse: has(t, "smithy.api#sparse"),
                })
            }
            ast::Shape::Map(m) => {
                let key = self.member_target(Loc::member(id, "key"), &m.key);
                let value = self.member_target(Loc::member(id, "value"), &m.value);
                if let Some(k) = &key {
                    let key_id = k.target.to_string();
                    let is_string = matches!(
                        self.model.shapes.get(&key_id),
                        Some(ast::Shape::String(_) | ast::Shape::Enum(_))
                    ) || key_id == "smithy.api#String";
                    if !is_string {
                        self.error(
                            Loc::member(id, "key"),
                            format!("map keys must target a string or enum shape, not `{key_id}`"),
                        );
                    }
                }
                ir::ShapeKind::Map(ir::Map {
                    key: key?,
                    value: value?,
                    sparse: has(t, "smithy.api#sparse"),
                })
            }
            ast::Shape::Structure(a) => {
                let members = self.members(id, a, false);
                let error = self.error_info(loc, t);
                ir::ShapeKind::Structure(ir::Structure { members, error })
            }
            ast::Shape::Union(a) => {
                let members = self.members(id, a, true);
                if members.is_empty() {
                    self.error(loc, "a union must have at least one member");
                }
                ir::ShapeKind::Union(ir::Union { members })
            }
            _ => return None,
        };
        let constraints = self.constraints(loc, t);
        let category = if has(t, "smithy.api#error") {
            ir::Category::Error
        } else if has(t, "smithy.api#input") {
            ir::Category::Input
        } else if has(t, "smithy.api#output") {
            ir::Category::Output
        } else {
            ir::Category::Types
        };
        let name = renames.get(&sid).unwrap_or(&sid.name);
        Some(ir::Shape {
            rust_name: naming::type_name(name),
            docs: doc(t),
            sensitive: has(t, "smithy.api#sensitive"),
            category,
            constraints,
            kind,
            id: sid,
        })
    }

    fn timestamp_format(&mut self, loc: Loc<'_>, t: Option<&ast::Traits>) {
        if let Some(v) = t.and_then(|t| t.get("smithy.api#timestampFormat")) {
            if v.as_str() != Some("epoch-seconds") {
                self.trait_error(
                    loc,
                    "smithy.api#timestampFormat",
                    format!("timestampFormat {v} is not supported by the generator yet (only \"epoch-seconds\")"),
                );
            }
        }
    }

    fn error_info(&mut self, loc: Loc<'_>, t: Option<&ast::Traits>) -> Option<ir::ErrorInfo> {
        let fault = match t?.get("smithy.api#error")?.as_str() {
            Some("client") => ir::Fault::Client,
            Some("server") => ir::Fault::Server,
            _ => {
                self.trait_error(
                    loc,
                    "smithy.api#error",
                    "the `error` trait must be \"client\" or \"server\"",
                );
                ir::Fault::Client
            }
        };
        let http_status = match t.and_then(|t| t.get("smithy.api#httpError")) {
            None => None,
            Some(v) => match v.as_u64().filter(|c| (100..=599).contains(c)) {
                Some(c) => Some(c as u16),
                None => {
                    self.trait_error(
                        loc,
                        "smithy.api#httpError",
                        format!("httpError {v} is not an HTTP status code"),
                    );
                    None
                }
            },
        };
        Some(ir::ErrorInfo { fault, http_status })
    }

    fn enum_shape(&mut self, id: &str, a: &ast::Aggregate) -> ir::Enum {
        let mut values = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (name, m) in a.members.iter().flatten() {
            let loc = Loc::member(id, name);
            self.check_traits(loc, m.traits.as_ref());
            if m.target != "smithy.api#Unit" {
                self.error(
                    loc,
                    format!(
                        "enum members must target smithy.api#Unit, not `{}`",
                        m.target
                    ),
                );
            }
            let value = match m
                .traits
                .as_ref()
                .and_then(|t| t.get("smithy.api#enumValue"))
            {
                None => name.clone(),
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(v) => {
                    self.trait_error(
                        loc,
                        "smithy.api#enumValue",
                        format!("enumValue {v} must be a non-empty string"),
                    );
                    continue;
                }
            };
            if let Some(other) = seen.insert(value.clone(), name.clone()) {
                self.error(
                    loc,
                    format!("enum value \"{value}\" is also the value of member `{other}`"),
                );
            }
            values.push(ir::EnumValue {
                rust_name: naming::variant_name(name),
                docs: doc(m.traits.as_ref()),
                name: name.clone(),
                value,
            });
        }
        if values.is_empty() {
            self.error(Loc::shape(id), "an enum must have at least one member");
        }
        ir::Enum { values }
    }

    fn member_target(&mut self, loc: Loc<'_>, m: &ast::Member) -> Option<ir::MemberTarget> {
        self.check_traits(loc, m.traits.as_ref());
        let target = self.resolve(loc, "member target", &m.target)?;
        self.check_target_is_data(loc, &target);
        Some(ir::MemberTarget {
            constraints: self.constraints(loc, m.traits.as_ref()),
            docs: doc(m.traits.as_ref()),
            target,
        })
    }

    fn check_target_is_data(&mut self, loc: Loc<'_>, target: &ShapeId) {
        if let Some(s) = self.model.shapes.get(&target.to_string()) {
            if matches!(
                s,
                ast::Shape::Service(_)
                    | ast::Shape::Operation(_)
                    | ast::Shape::Resource(_)
                    | ast::Shape::Apply(_)
            ) {
                self.error(
                    loc,
                    format!(
                        "member target `{target}` is a {}, not a data shape",
                        s.type_name()
                    ),
                );
            }
        }
    }

    fn members(&mut self, id: &str, a: &ast::Aggregate, union: bool) -> Vec<ir::Member> {
        let mut out = Vec::new();
        for (name, m) in a.members.iter().flatten() {
            let loc = Loc::member(id, name);
            if ShapeId::parse(&format!("x#{name}")).is_none() {
                self.error(loc, "member name is not a valid identifier");
                continue;
            }
            let Some(mt) = self.member_target(loc, m) else {
                continue;
            };
            let t = m.traits.as_ref();
            let required = has(t, "smithy.api#required");
            if union && required {
                self.trait_error(
                    loc,
                    "smithy.api#required",
                    "union members cannot be required",
                );
            }
            if self.target_is(&mt.target, |s| matches!(s, ast::Shape::Timestamp(_)))
                || mt.target.to_string() == "smithy.api#Timestamp"
            {
                self.timestamp_format(loc, t);
            } else if has(t, "smithy.api#timestampFormat") {
                self.trait_error(
                    loc,
                    "smithy.api#timestampFormat",
                    "timestampFormat applies only to timestamp members",
                );
            }
            let json_name = match t.and_then(|t| t.get("smithy.api#jsonName")) {
                None => name.clone(),
                Some(Value::String(s)) => s.clone(),
                Some(v) => {
                    self.trait_error(
                        loc,
                        "smithy.api#jsonName",
                        format!("jsonName {v} must be a string"),
                    );
                    name.clone()
                }
            };
            let binding = if has(t, "smithy.api#httpLabel") {
                ir::Binding::Label
            } else if let Some(q) = t.and_then(|t| t.get("smithy.api#httpQuery")) {
                match q.as_str() {
                    Some(q) if !q.is_empty() => ir::Binding::Query(q.to_owned()),
                    _ => {
                        self.trait_error(
                            loc,
                            "smithy.api#httpQuery",
                            "httpQuery must be a non-empty string",
                        );
                        ir::Binding::Body
                    }
                }
            } else {
                ir::Binding::Body
            };
            let target_traits = self
                .model
                .shapes
                .get(&mt.target.to_string())
                .and_then(ast::Shape::traits);
            let docs = mt.docs.clone().or_else(|| doc(target_traits));
            out.push(ir::Member {
                rust_name: if union {
                    naming::variant_name(name)
                } else {
                    naming::field_name(name)
                },
                json_name,
                required,
                docs,
                sensitive: has(t, "smithy.api#sensitive")
                    || has(target_traits, "smithy.api#sensitive"),
                boxed: false,
                binding,
                idempotency_token: has(t, "smithy.api#idempotencyToken"),
                default: t
                    .and_then(|t| t.get("smithy.api#default"))
                    .and_then(|v| self.default_value(loc, v, &mt.target)),
                constraints: mt.constraints,
                target: mt.target,
                name: name.clone(),
            });
        }
        out
    }

    /// A member's `default` value, checked against its target. `null` means
    /// no default.
    fn default_value(
        &mut self,
        loc: Loc<'_>,
        v: &Value,
        target: &ShapeId,
    ) -> Option<ir::DefaultValue> {
        use ir::DefaultValue as D;
        if v.is_null() {
            return None;
        }
        let kind: Option<&str> = if target.is_prelude() {
            match target.name.as_str() {
                "Boolean" | "PrimitiveBoolean" => Some("boolean"),
                "Byte" | "PrimitiveByte" => Some("byte"),
                "Short" | "PrimitiveShort" => Some("short"),
                "Integer" | "PrimitiveInteger" => Some("integer"),
                "Long" | "PrimitiveLong" => Some("long"),
                "Float" | "PrimitiveFloat" => Some("float"),
                "Double" | "PrimitiveDouble" => Some("double"),
                "String" => Some("string"),
                "Timestamp" => Some("timestamp"),
                _ => None,
            }
        } else {
            self.model
                .shapes
                .get(&target.to_string())
                .map(ast::Shape::type_name)
        };
        let int_range = |k: &str| match k {
            "byte" => Some((i64::from(i8::MIN), i64::from(i8::MAX))),
            "short" => Some((i64::from(i16::MIN), i64::from(i16::MAX))),
            "integer" => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            "long" => Some((i64::MIN, i64::MAX)),
            _ => None,
        };
        let value = match (kind, v) {
            (Some("boolean"), Value::Bool(b)) => Some(D::Bool(*b)),
            (Some(k @ ("byte" | "short" | "integer" | "long")), Value::Number(n)) => n
                .as_i64()
                .filter(|i| int_range(k).is_some_and(|(lo, hi)| (lo..=hi).contains(i)))
                .map(D::Int),
            (Some("float" | "double"), Value::Number(n)) => n.as_f64().map(D::Float),
            (Some("string"), Value::String(s)) => Some(D::String(s.clone())),
            (Some("enum"), Value::String(s)) => {
                let known = match self.model.shapes.get(&target.to_string()) {
                    Some(ast::Shape::Enum(a)) => a.members.iter().flatten().any(|(name, m)| {
                        m.traits
                            .as_ref()
                            .and_then(|t| t.get("smithy.api#enumValue"))
                            .and_then(Value::as_str)
                            .unwrap_or(name)
                            == s
                    }),
                    _ => false,
                };
                known.then(|| D::String(s.clone()))
            }
            (Some("timestamp"), Value::Number(n)) => n.as_f64().map(D::Timestamp),
            (Some("list" | "set"), Value::Array(a)) if a.is_empty() => Some(D::EmptyList),
            (Some("map"), Value::Object(o)) if o.is_empty() => Some(D::EmptyMap),
            _ => None,
        };
        if value.is_none() {
            self.trait_error(
                loc,
                "smithy.api#default",
                format!(
                    "default {v} doesn't fit `{target}` ({}): a default can be a boolean, a number in range, a string, one of the enum's values, epoch seconds for a timestamp, [] or {{}}",
                    kind.unwrap_or("unknown type")
                ),
            );
        }
        value
    }

    fn target_is(&self, id: &ShapeId, f: impl Fn(&ast::Shape) -> bool) -> bool {
        self.model.shapes.get(&id.to_string()).is_some_and(f)
    }

    fn constraints(&mut self, loc: Loc<'_>, t: Option<&ast::Traits>) -> ir::Constraints {
        let mut c = ir::Constraints::default();
        let Some(t) = t else { return c };
        if let Some(v) = t.get("smithy.api#length") {
            c.length = self.bounds(loc, "length", v, Value::as_u64, "non-negative integers");
        }
        if let Some(v) = t.get("smithy.api#range") {
            c.range = self.bounds(loc, "range", v, Value::as_f64, "numbers");
        }
        if let Some(v) = t.get("smithy.api#pattern") {
            match v.as_str() {
                Some(p) => match ecma_regex::translate(p) {
                    Ok(t) => {
                        c.pattern = Some(ir::Pattern {
                            ecma: p.to_owned(),
                            rust: t.pattern,
                            engine: t.engine,
                        })
                    }
                    Err(e) => self.trait_error(
                        loc,
                        "smithy.api#pattern",
                        format!("invalid pattern `{p}`: {e}"),
                    ),
                },
                None => self.trait_error(loc, "smithy.api#pattern", "pattern must be a string"),
            }
        }
        c.unique_items = t.contains_key("smithy.api#uniqueItems");
        c
    }

    /// The `min`/`max` of a `length` or `range` trait, reporting malformed
    /// values and `min > max`.
    #[allow(clippy::type_complexity)]
    fn bounds<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        loc: Loc<'_>,
        name: &str,
        v: &Value,
        as_t: fn(&Value) -> Option<T>,
        what: &str,
    ) -> Option<(Option<T>, Option<T>)> {
        let trait_id = format!("smithy.api#{name}");
        let get = |k: &str| v.get(k).map(|x| as_t(x).ok_or(()));
        match (get("min"), get("max"), v.is_object()) {
            (Some(Err(())), _, _) | (_, Some(Err(())), _) | (_, _, false) => {
                self.trait_error(loc, &trait_id, format!("{name} min and max must be {what}"));
                None
            }
            (min, max, true) => {
                let (min, max) = (min.and_then(Result::ok), max.and_then(Result::ok));
                if let (Some(a), Some(b)) = (min, max) {
                    if a > b {
                        self.trait_error(
                            loc,
                            &trait_id,
                            format!("{name} min {a} is greater than max {b}"),
                        );
                    }
                }
                Some((min, max))
            }
        }
    }

    fn operation(
        &mut self,
        id: &str,
        o: &ast::Operation,
        shapes: &BTreeMap<ShapeId, ir::Shape>,
        service_errors: &[ShapeId],
    ) -> Option<ir::Operation> {
        let sid = ShapeId::parse(id)?;
        let loc = Loc::shape(id);
        let t = o.traits.as_ref();
        let io = |cx: &mut Self, r: &Option<ast::Reference>, what: &str| -> Option<ShapeId> {
            let r = r.as_ref()?;
            let target = cx.resolve(loc, what, &r.target)?;
            if r.target == "smithy.api#Unit" {
                return None;
            }
            match shapes.get(&target).map(|s| &s.kind) {
                Some(ir::ShapeKind::Structure(_)) => Some(target),
                _ => {
                    cx.error(loc, format!("{what} `{target}` must be a structure"));
                    None
                }
            }
        };
        let input = io(self, &o.input, "input");
        let output = io(self, &o.output, "output");
        let mut errors: Vec<ShapeId> = Vec::new();
        for e in o.errors.iter().flatten() {
            if let Some(e) = self.error_ref(loc, &e.target) {
                errors.push(e);
            }
        }
        errors.extend(service_errors.iter().cloned());
        errors.sort();
        errors.dedup();
        let http = t
            .and_then(|t| t.get("smithy.api#http"))
            .and_then(|v| self.http(loc, v));
        let paginated = t.and_then(|t| t.get("smithy.api#paginated")).map(|v| {
            let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
            ir::Paginated {
                input_token: s("inputToken"),
                output_token: s("outputToken"),
                items: s("items"),
                page_size: s("pageSize"),
            }
        });
        Some(ir::Operation {
            rust_name: naming::type_name(&sid.name),
            fn_name: naming::fn_name(&sid.name),
            docs: doc(t),
            input,
            output,
            errors,
            http,
            readonly: has(t, "smithy.api#readonly"),
            idempotent: has(t, "smithy.api#idempotent"),
            paginated,
            id: sid,
        })
    }

    fn http(&mut self, loc: Loc<'_>, v: &Value) -> Option<ir::HttpRoute> {
        const T: &str = "smithy.api#http";
        let method = v.get("method").and_then(Value::as_str);
        let uri = v.get("uri").and_then(Value::as_str);
        let code = match v.get("code") {
            None => Some(200),
            Some(c) => c
                .as_u64()
                .filter(|c| (100..=599).contains(c))
                .map(|c| c as u16),
        };
        let (Some(method), Some(uri), Some(code)) = (method, uri, code) else {
            self.trait_error(loc, T, "the http trait needs a string `method`, a string `uri` and an optional status `code`");
            return None;
        };
        if method.is_empty() || !method.chars().all(|c| c.is_ascii_uppercase()) {
            self.trait_error(
                loc,
                T,
                format!("http method `{method}` must be an upper-case token"),
            );
        }
        let Some(path) = uri.strip_prefix('/') else {
            self.trait_error(loc, T, format!("http uri `{uri}` must start with `/`"));
            return None;
        };
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut segments = Vec::new();
        let mut labels = BTreeSet::new();
        let raw_segments: Vec<&str> = if path.is_empty() {
            vec![]
        } else {
            path.split('/').collect()
        };
        let count = raw_segments.len();
        for (i, seg) in raw_segments.into_iter().enumerate() {
            if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                let (name, greedy) = match inner.strip_suffix('+') {
                    Some(n) => (n, true),
                    None => (inner, false),
                };
                if ShapeId::parse(&format!("x#{name}")).is_none() {
                    self.trait_error(
                        loc,
                        T,
                        format!("label `{{{inner}}}` in `{uri}` is not a valid member name"),
                    );
                } else if !labels.insert(name.to_owned()) {
                    self.trait_error(loc, T, format!("label `{name}` appears twice in `{uri}`"));
                }
                if greedy && i + 1 != count {
                    // Smithy allows greedy labels mid-path; the router needs
                    // them last.
                    self.trait_error(loc, T, format!("greedy label `{{{inner}}}` is supported only as the last segment of `{uri}`"));
                }
                segments.push(ir::Segment::Label {
                    name: name.to_owned(),
                    greedy,
                });
            } else if seg.contains(['{', '}']) {
                self.trait_error(
                    loc,
                    T,
                    format!("segment `{seg}` of `{uri}` mixes a label with literal text"),
                );
            } else if seg.is_empty() {
                self.trait_error(loc, T, format!("`{uri}` has an empty path segment"));
            } else {
                segments.push(ir::Segment::Literal(seg.to_owned()));
            }
        }
        if labels.len() > 8 {
            self.trait_error(
                loc,
                T,
                format!(
                    "`{uri}` has {} labels; the router supports at most 8",
                    labels.len()
                ),
            );
        }
        let mut lits = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            if pair.contains(['{', '}']) {
                self.trait_error(
                    loc,
                    T,
                    format!("query `{pair}` of `{uri}` cannot contain a label"),
                );
            }
            let (k, v) = match pair.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (pair.to_owned(), None),
            };
            lits.push((k, v));
        }
        Some(ir::HttpRoute {
            method: method.to_owned(),
            uri: uri.to_owned(),
            segments,
            query: lits,
            code,
        })
    }

    /// Labels and query bindings of each operation against its input.
    fn check_operation_bindings(
        &mut self,
        ops: &[ir::Operation],
        shapes: &mut BTreeMap<ShapeId, ir::Shape>,
    ) {
        let mut input_of: HashMap<ShapeId, &ShapeId> = HashMap::new();
        for op in ops {
            let op_id = op.id.to_string();
            let loc = Loc::shape(&op_id);
            let labels: Vec<&str> = op
                .http
                .iter()
                .flat_map(|h| &h.segments)
                .filter_map(|s| match s {
                    ir::Segment::Label { name, .. } => Some(name.as_str()),
                    ir::Segment::Literal(_) => None,
                })
                .collect();
            let members: &[ir::Member] = match op.input.as_ref().map(|i| &shapes[i].kind) {
                Some(ir::ShapeKind::Structure(s)) => &s.members,
                _ => &[],
            };
            if let Some(input) = &op.input {
                if let Some(prev) = input_of.insert(input.clone(), &op.id) {
                    self.error(loc, format!("input `{input}` is also the input of `{prev}`; each operation needs its own input structure"));
                }
            }
            for label in &labels {
                if !members
                    .iter()
                    .any(|m| m.name == *label && m.binding == ir::Binding::Label)
                {
                    let input = op
                        .input
                        .as_ref()
                        .map_or("smithy.api#Unit".to_owned(), ToString::to_string);
                    self.trait_error(
                        loc,
                        "smithy.api#http",
                        format!(
                            "label `{{{label}}}` has no member with `httpLabel` in input `{input}`"
                        ),
                    );
                }
            }
            let Some(input) = &op.input else { continue };
            let input_id = input.to_string();
            let mut query_names: HashMap<&str, &str> = HashMap::new();
            for m in members {
                let mloc = Loc::member(&input_id, &m.name);
                match &m.binding {
                    ir::Binding::Label => {
                        if op.http.is_none() {
                            self.trait_error(mloc, "smithy.api#httpLabel", format!("member has `httpLabel` but operation `{op_id}` has no http trait"));
                        } else if !labels.contains(&m.name.as_str()) {
                            let uri = op.http.as_ref().map_or("", |h| h.uri.as_str());
                            self.trait_error(mloc, "smithy.api#httpLabel", format!("member has `httpLabel` but the uri `{uri}` of `{op_id}` has no label `{{{}}}`", m.name));
                        }
                        if !m.required {
                            self.trait_error(
                                mloc,
                                "smithy.api#httpLabel",
                                "an `httpLabel` member must be marked `required`",
                            );
                        }
                        if !self.is_scalar(shapes, &m.target) {
                            self.trait_error(mloc, "smithy.api#httpLabel", format!("an `httpLabel` member must target a string, number, boolean or timestamp, not `{}`", m.target));
                        } else if self.is_timestamp(shapes, &m.target) {
                            self.trait_error(
                                mloc,
                                "smithy.api#httpLabel",
                                "timestamps in URI labels are not supported by the generator yet",
                            );
                        }
                    }
                    ir::Binding::Query(q) => {
                        if let Some(other) = query_names.insert(q, &m.name) {
                            self.trait_error(
                                mloc,
                                "smithy.api#httpQuery",
                                format!("query parameter `{q}` is also bound to member `{other}`"),
                            );
                        }
                        if op
                            .http
                            .as_ref()
                            .is_some_and(|h| h.query.iter().any(|(k, _)| k == q))
                        {
                            self.trait_error(mloc, "smithy.api#httpQuery", format!("query parameter `{q}` is also a literal in the uri of `{op_id}`"));
                        }
                        let ok = self.is_scalar(shapes, &m.target)
                            || matches!(shapes.get(&m.target).map(|s| &s.kind), Some(ir::ShapeKind::List(l)) if self.is_scalar(shapes, &l.member.target));
                        let timestamp = self.is_timestamp(shapes, &m.target)
                            || matches!(shapes.get(&m.target).map(|s| &s.kind), Some(ir::ShapeKind::List(l)) if self.is_timestamp(shapes, &l.member.target));
                        if !ok {
                            self.trait_error(mloc, "smithy.api#httpQuery", format!("an `httpQuery` member must target a scalar or a list of scalars, not `{}`", m.target));
                        } else if timestamp {
                            self.trait_error(mloc, "smithy.api#httpQuery", "timestamps in query parameters are not supported by the generator yet");
                        }
                    }
                    ir::Binding::Body => {}
                }
            }
        }
        // Bindings on structures that are not operation inputs mean nothing.
        let inputs: BTreeSet<&ShapeId> = ops.iter().filter_map(|o| o.input.as_ref()).collect();
        for s in shapes.values() {
            if inputs.contains(&s.id) {
                continue;
            }
            if let ir::ShapeKind::Structure(st) = &s.kind {
                let id = s.id.to_string();
                for m in &st.members {
                    let (name, what) = match m.binding {
                        ir::Binding::Label => ("smithy.api#httpLabel", "httpLabel"),
                        ir::Binding::Query(_) => ("smithy.api#httpQuery", "httpQuery"),
                        ir::Binding::Body => continue,
                    };
                    self.trait_error(
                        Loc::member(&id, &m.name),
                        name,
                        format!("`{what}` is only allowed on members of an operation input"),
                    );
                }
            }
        }
    }

    fn is_timestamp(&self, shapes: &BTreeMap<ShapeId, ir::Shape>, id: &ShapeId) -> bool {
        matches!(
            shapes.get(id).map(|s| &s.kind),
            Some(ir::ShapeKind::Simple(ir::Simple::Timestamp))
        )
    }

    fn is_scalar(&self, shapes: &BTreeMap<ShapeId, ir::Shape>, id: &ShapeId) -> bool {
        matches!(
            shapes.get(id).map(|s| &s.kind),
            Some(ir::ShapeKind::Enum(_))
                | Some(ir::ShapeKind::Simple(
                    ir::Simple::String
                        | ir::Simple::Boolean
                        | ir::Simple::Byte
                        | ir::Simple::Short
                        | ir::Simple::Integer
                        | ir::Simple::Long
                        | ir::Simple::Float
                        | ir::Simple::Double
                        | ir::Simple::Timestamp
                ))
        )
    }

    /// Two operations whose routes can match the same request.
    fn check_route_conflicts(&mut self, ops: &[ir::Operation]) {
        let routed: Vec<(&ir::Operation, &ir::HttpRoute)> = ops
            .iter()
            .filter_map(|o| o.http.as_ref().map(|h| (o, h)))
            .collect();
        for (i, (a, ha)) in routed.iter().enumerate() {
            for (b, hb) in &routed[i + 1..] {
                if ha.method == hb.method && routes_conflict(ha, hb) {
                    let a_id = a.id.to_string();
                    self.trait_error(
                        Loc::shape(&a_id),
                        "smithy.api#http",
                        format!(
                            "route `{} {}` conflicts with route `{} {}` of `{}`",
                            ha.method, ha.uri, hb.method, hb.uri, b.id
                        ),
                    );
                }
            }
        }
    }

    fn check_names(&mut self, shapes: &BTreeMap<ShapeId, ir::Shape>, ops: &[ir::Operation]) {
        let mut types: BTreeMap<&str, &ShapeId> = BTreeMap::new();
        for s in shapes.values() {
            if matches!(s.kind, ir::ShapeKind::Simple(_)) {
                continue;
            }
            if let Some(other) = types.insert(&s.rust_name, &s.id) {
                let id = s.id.to_string();
                self.error(
                    Loc::shape(&id),
                    format!(
                        "Rust type name `{}` collides with the one of `{other}`",
                        s.rust_name
                    ),
                );
            }
        }
        let mut fns: BTreeMap<&str, &ShapeId> = BTreeMap::new();
        for op in ops {
            if let Some(other) = fns.insert(&op.fn_name, &op.id) {
                let id = op.id.to_string();
                self.error(
                    Loc::shape(&id),
                    format!(
                        "Rust name `{}` collides with the one of operation `{other}`",
                        op.fn_name
                    ),
                );
            }
        }
        for s in shapes.values() {
            let id = s.id.to_string();
            let mut names: BTreeMap<&str, &str> = BTreeMap::new();
            let what = match &s.kind {
                ir::ShapeKind::Structure(st) => {
                    for m in &st.members {
                        if let Some(other) = names.insert(&m.rust_name, &m.name) {
                            self.error(Loc::member(&id, &m.name), format!("Rust field name `{}` collides with the one of member `{other}`", m.rust_name));
                        }
                    }
                    continue;
                }
                ir::ShapeKind::Union(u) => u
                    .members
                    .iter()
                    .map(|m| (&m.name, &m.rust_name))
                    .collect::<Vec<_>>(),
                ir::ShapeKind::Enum(e) => {
                    e.values.iter().map(|v| (&v.name, &v.rust_name)).collect()
                }
                _ => continue,
            };
            for (name, rust) in what {
                if let Some(other) = names.insert(rust, name) {
                    self.error(
                        Loc::member(&id, name),
                        format!(
                            "Rust variant name `{rust}` collides with the one of member `{other}`"
                        ),
                    );
                }
            }
        }
    }

    /// Checks that need every shape lowered: what members may target.
    fn check_member_shapes(&mut self, shapes: &BTreeMap<ShapeId, ir::Shape>) {
        for s in shapes.values() {
            let id = s.id.to_string();
            let members: Vec<(&str, &ShapeId)> = match &s.kind {
                ir::ShapeKind::Structure(st) => st
                    .members
                    .iter()
                    .map(|m| (m.name.as_str(), &m.target))
                    .collect(),
                ir::ShapeKind::Union(u) => u
                    .members
                    .iter()
                    .map(|m| (m.name.as_str(), &m.target))
                    .collect(),
                ir::ShapeKind::List(l) => vec![("member", &l.member.target)],
                ir::ShapeKind::Map(m) => vec![("key", &m.key.target), ("value", &m.value.target)],
                _ => continue,
            };
            let is_union = matches!(s.kind, ir::ShapeKind::Union(_));
            for (name, target) in members {
                let unit = matches!(
                    shapes.get(target).map(|t| &t.kind),
                    Some(ir::ShapeKind::Simple(ir::Simple::Unit))
                );
                if unit && !is_union {
                    self.error(
                        Loc::member(&id, name),
                        "only union members can target smithy.api#Unit",
                    );
                }
            }
        }
    }
}

/// Whether two routes with the same method can match the same request.
fn routes_conflict(a: &ir::HttpRoute, b: &ir::HttpRoute) -> bool {
    let greedy = |h: &ir::HttpRoute| {
        matches!(
            h.segments.last(),
            Some(ir::Segment::Label { greedy: true, .. })
        )
    };
    let (ga, gb) = (greedy(a), greedy(b));
    let (na, nb) = (a.segments.len(), b.segments.len());
    let comparable = match (ga, gb) {
        (false, false) => na == nb,
        (true, false) => nb >= na,
        (false, true) => na >= nb,
        (true, true) => true,
    };
    if !comparable {
        return false;
    }
    let same_segments = a
        .segments
        .iter()
        .zip(&b.segments)
        .all(|(x, y)| match (x, y) {
            (ir::Segment::Literal(x), ir::Segment::Literal(y)) => x == y,
            _ => true,
        });
    if !same_segments {
        return false;
    }
    // A route with query literals the other lacks is more specific, and the
    // router prefers it; only identical literal sets are ambiguous.
    let a_set: BTreeSet<_> = a.query.iter().collect();
    let b_set: BTreeSet<_> = b.query.iter().collect();
    a_set == b_set
}

fn has(t: Option<&ast::Traits>, id: &str) -> bool {
    t.is_some_and(|t| t.contains_key(id))
}

fn doc(t: Option<&ast::Traits>) -> Option<String> {
    t.and_then(|t| t.get("smithy.api#documentation"))
        .and_then(Value::as_str)
        .and_then(docs::to_markdown)
}

fn prelude_simple(name: &str) -> Option<ir::Simple> {
    PRELUDE_SIMPLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
}

fn prelude_shape(id: ShapeId, kind: ir::Simple) -> ir::Shape {
    ir::Shape {
        rust_name: naming::type_name(&id.name),
        docs: None,
        sensitive: false,
        category: ir::Category::Types,
        constraints: ir::Constraints::default(),
        kind: ir::ShapeKind::Simple(kind),
        id,
    }
}

/// Every shape a data shape refers to.
fn targets(s: &ir::Shape) -> Vec<&ShapeId> {
    match &s.kind {
        ir::ShapeKind::Structure(st) => st.members.iter().map(|m| &m.target).collect(),
        ir::ShapeKind::Union(u) => u.members.iter().map(|m| &m.target).collect(),
        ir::ShapeKind::List(l) => vec![&l.member.target],
        ir::ShapeKind::Map(m) => vec![&m.key.target, &m.value.target],
        _ => vec![],
    }
}

/// Marks members that close a containment cycle of structures and unions
/// (not broken by a list or map, which already allocate) as boxed: every
/// direct edge inside a strongly connected component.
fn mark_recursion(shapes: &mut BTreeMap<ShapeId, ir::Shape>) {
    let ids: Vec<ShapeId> = shapes.keys().cloned().collect();
    let index: HashMap<&ShapeId, usize> = ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let edges: Vec<Vec<usize>> = ids
        .iter()
        .map(|id| match &shapes[id].kind {
            ir::ShapeKind::Structure(_) | ir::ShapeKind::Union(_) => targets(&shapes[id])
                .into_iter()
                .filter(|t| {
                    matches!(
                        shapes.get(*t).map(|s| &s.kind),
                        Some(ir::ShapeKind::Structure(_) | ir::ShapeKind::Union(_))
                    )
                })
                .filter_map(|t| index.get(t).copied())
                .collect(),
            _ => vec![],
        })
        .collect();
    let comp = tarjan(&edges);
    for (i, id) in ids.iter().enumerate() {
        let members = match &mut shapes.get_mut(id).expect("known").kind {
            ir::ShapeKind::Structure(st) => &mut st.members,
            ir::ShapeKind::Union(u) => &mut u.members,
            _ => continue,
        };
        for m in members {
            if let Some(&j) = index.get(&m.target) {
                if comp[i] == comp[j] && edges[i].contains(&j) {
                    m.boxed = true;
                }
            }
        }
    }
}

/// Strongly connected components (Tarjan), iteratively; returns each node's
/// component number.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut ncomp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, uri: &str) -> ir::HttpRoute {
        let cx_map = SourceMap::default();
        let model = ast::Model {
            smithy: "2.0".into(),
            metadata: None,
            shapes: BTreeMap::new(),
        };
        let broken = BTreeSet::new();
        let mut cx = Lower {
            map: &cx_map,
            model: &model,
            broken: &broken,
            diags: vec![],
        };
        let v = serde_json::json!({"method": method, "uri": uri});
        cx.http(Loc::shape("a#A"), &v).unwrap()
    }

    #[test]
    fn route_conflicts() {
        let c = |a: &str, b: &str| routes_conflict(&route("GET", a), &route("GET", b));
        assert!(c("/a/{x}", "/a/{y}"));
        assert!(!c("/a/{x}", "/b/{y}"));
        assert!(!c("/a/{x}", "/a/{x}/b"));
        assert!(c("/a/{x+}", "/a/b/c"));
        assert!(!c("/a?x=1", "/a?x=2"));
        assert!(c("/a?x=1", "/a?x=1"));
        assert!(c("/a", "/a"));
    }

    #[test]
    fn tarjan_finds_cycles() {
        // 0 -> 1 -> 0, 2 -> 2, 3 -> 0
        let comp = tarjan(&[vec![1], vec![0], vec![2], vec![0]]);
        assert_eq!(comp[0], comp[1]);
        assert_ne!(comp[0], comp[3]);
        assert_ne!(comp[2], comp[3]);
    }
}
