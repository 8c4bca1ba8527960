//! Connects a service's endpoint rule set to the rest of the model: the
//! rule set and its tests on the service, and on each operation the
//! parameters it sets (`smithy.rules#staticContextParams`,
//! `smithy.rules#contextParam`).

use super::endpoints::{self, RULE_SET, TESTS};
use super::{Loc, Lower};
use crate::ast;
use crate::ir::endpoint::{
    ContextKind, ContextMember, ContextPath, OperationParams, ParamType, PathStep, RuleSet,
};
use crate::ir::{self, ShapeId};
use serde_json::Value;
use std::collections::BTreeMap;

const STATIC_PARAMS: &str = "smithy.rules#staticContextParams";
const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
const OPERATION_PARAMS: &str = "smithy.rules#operationContextParams";

impl Lower<'_> {
    pub(super) fn endpoint_rules(
        &mut self,
        service: &mut ir::Service,
        operations: &mut [ir::Operation],
        shapes: &BTreeMap<ShapeId, ir::Shape>,
    ) {
        let model = self.model;
        let id = service.id.to_string();
        let Some(ast::Shape::Service(s)) = model.shapes.get(&id) else {
            return;
        };
        let t = s.traits.as_ref();
        let loc = Loc::shape(&id);
        let Some(value) = t.and_then(|t| t.get(RULE_SET)) else {
            if t.is_some_and(|t| t.contains_key(TESTS)) {
                self.trait_error(loc, TESTS, "endpoint tests need an endpoint rule set");
            }
            return;
        };
        // With problems in the rules, what refers to the parameters is
        // still checked, so that every problem is reported at once.
        let (rules, valid) = match endpoints::rule_set(value) {
            Ok(r) => (r, true),
            Err(problems) => {
                for (path, message) in problems {
                    self.at_path(loc, RULE_SET, &path, &message);
                }
                (endpoints::params_of(value), false)
            }
        };
        for op in operations.iter_mut() {
            op.endpoint_params = self.operation_params(op, &rules, shapes);
        }
        if let Some(tests) = t.and_then(|t| t.get(TESTS)) {
            let ops: Vec<(String, OperationParams)> = operations
                .iter()
                .map(|o| (o.id.name.clone(), o.endpoint_params.clone()))
                .collect();
            match endpoints::tests(tests, &rules, &ops) {
                Ok(tests) => service.endpoint_tests = tests,
                Err(problems) => {
                    for (path, message) in problems {
                        self.at_path(loc, TESTS, &path, &message);
                    }
                }
            }
        }
        if valid {
            service.endpoint_rules = Some(rules);
        }
    }

    /// A problem at `path` (`rules[2].conditions[0]`) inside the value of
    /// `trait_id`, on the line of that path.
    fn at_path(&mut self, loc: Loc<'_>, trait_id: &str, path: &str, message: &str) {
        let mut segments = vec!["traits", trait_id];
        for part in path.split('.') {
            let mut pieces = part.split('[');
            segments.extend(pieces.next().filter(|k| !k.is_empty()));
            segments.extend(pieces.map(|i| i.trim_end_matches(']')));
        }
        self.error_at(loc, &segments, format!("{trait_id}: {path}: {message}"));
    }

    fn operation_params(
        &mut self,
        op: &ir::Operation,
        rules: &RuleSet,
        shapes: &BTreeMap<ShapeId, ir::Shape>,
    ) -> OperationParams {
        let model = self.model;
        let id = op.id.to_string();
        let loc = Loc::shape(&id);
        let mut out = OperationParams::default();
        let op_traits = match model.shapes.get(&id) {
            Some(ast::Shape::Operation(o)) => o.traits.as_ref(),
            _ => None,
        };
        if let Some(v) = op_traits.and_then(|t| t.get(STATIC_PARAMS)) {
            for (name, entry) in v.as_object().into_iter().flatten() {
                let Some(p) = rules.params.iter().find(|p| p.name == *name) else {
                    self.trait_error(
                        loc,
                        STATIC_PARAMS,
                        format!("`{name}` is not a parameter of the service's endpoint rule set"),
                    );
                    continue;
                };
                match entry.get("value").map(|v| endpoints::literal(p.ty, v)) {
                    Some(Ok(l)) => out.fixed.push((name.clone(), l)),
                    Some(Err(e)) => {
                        self.trait_error(loc, STATIC_PARAMS, format!("the value of `{name}`: {e}"))
                    }
                    None => {
                        self.trait_error(loc, STATIC_PARAMS, format!("`{name}` needs a `value`"))
                    }
                }
            }
        }
        if let Some(v) = op_traits.and_then(|t| t.get(OPERATION_PARAMS)) {
            for (name, entry) in v.as_object().into_iter().flatten() {
                let Some(p) = rules.params.iter().find(|p| p.name == *name) else {
                    self.trait_error(
                        loc,
                        OPERATION_PARAMS,
                        format!("`{name}` is not a parameter of the service's endpoint rule set"),
                    );
                    continue;
                };
                let Some(path) = entry.get("path").and_then(Value::as_str) else {
                    self.trait_error(loc, OPERATION_PARAMS, format!("`{name}` needs a `path`"));
                    continue;
                };
                match context_path(path, p.ty, op.input.as_ref(), shapes) {
                    Ok((steps, leaf, many)) => out.paths.push(ContextPath {
                        param: name.clone(),
                        path: path.to_owned(),
                        steps,
                        leaf,
                        many,
                    }),
                    Err(e) => self.trait_error(
                        loc,
                        OPERATION_PARAMS,
                        format!("the path `{path}` of `{name}`: {e}"),
                    ),
                }
            }
        }
        let Some(input) = &op.input else {
            return out;
        };
        let input_id = input.to_string();
        let Some(ast::Shape::Structure(st)) = model.shapes.get(&input_id) else {
            return out;
        };
        let Some(ir::ShapeKind::Structure(ir_st)) = shapes.get(input).map(|s| &s.kind) else {
            return out;
        };
        for (member, m) in st.members.iter().flatten() {
            let Some(name) = m
                .traits
                .as_ref()
                .and_then(|t| t.get(CONTEXT_PARAM))
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let mloc = Loc::member(&input_id, member);
            let Some(p) = rules.params.iter().find(|p| p.name == name) else {
                self.error_at(
                    mloc,
                    &["traits", CONTEXT_PARAM],
                    format!("`{name}` is not a parameter of the service's endpoint rule set"),
                );
                continue;
            };
            let Some(irm) = ir_st.members.iter().find(|x| x.name == *member) else {
                continue;
            };
            let kind = match (p.ty, shapes.get(&irm.target).map(|s| &s.kind)) {
                (ParamType::String, Some(ir::ShapeKind::Simple(ir::Simple::String))) => {
                    ContextKind::String
                }
                (ParamType::String, Some(ir::ShapeKind::Enum(_))) => ContextKind::Enum,
                (ParamType::Boolean, Some(ir::ShapeKind::Simple(ir::Simple::Boolean))) => {
                    ContextKind::Bool
                }
                (ParamType::StringArray, Some(ir::ShapeKind::List(l)))
                    if matches!(
                        shapes.get(&l.member.target).map(|s| &s.kind),
                        Some(ir::ShapeKind::Simple(ir::Simple::String))
                    ) =>
                {
                    ContextKind::StringList
                }
                _ => {
                    self.error_at(
                        mloc,
                        &["traits", CONTEXT_PARAM],
                        format!(
                            "the member's type does not match the {} parameter `{name}`",
                            match p.ty {
                                ParamType::String => "string",
                                ParamType::Boolean => "boolean",
                                ParamType::StringArray => "string-list",
                            }
                        ),
                    );
                    continue;
                }
            };
            out.members.push(ContextMember {
                param: name.to_owned(),
                member: member.clone(),
                field: irm.rust_name.clone(),
                optional: !(irm.required || irm.default.is_some()),
                kind,
            });
        }
        out
    }
}

/// The steps of an `operationContextParams` path (`A.B`, `A[*].B`,
/// `keys(A)`), walked through the input's shapes, and what the values are.
fn context_path(
    path: &str,
    ty: ParamType,
    input: Option<&ShapeId>,
    shapes: &BTreeMap<ShapeId, ir::Shape>,
) -> Result<(Vec<PathStep>, ContextKind, bool), String> {
    let input = input.ok_or("the operation has no input")?;
    let (inner, keys) = match path.trim().strip_prefix("keys(") {
        Some(rest) => (rest.strip_suffix(')').ok_or("`keys(` is not closed")?, true),
        None => (path.trim(), false),
    };
    let mut steps = Vec::new();
    let mut shape = shapes.get(input).ok_or("the input is not in the model")?;
    let mut many = false;
    for segment in inner.split('.') {
        let (name, each) = match segment.strip_suffix("[*]") {
            Some(n) => (n, true),
            None => (segment, false),
        };
        let ir::ShapeKind::Structure(st) = &shape.kind else {
            return Err(format!("`{name}` is read from a non-structure"));
        };
        let m = st
            .members
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| format!("`{}` has no member `{name}`", shape.id))?;
        steps.push(PathStep::Field {
            field: m.rust_name.clone(),
            optional: !(m.required || m.default.is_some()),
        });
        shape = shapes
            .get(&m.target)
            .ok_or("a member's target is not in the model")?;
        if each {
            let ir::ShapeKind::List(l) = &shape.kind else {
                return Err(format!("`{name}[*]` projects a non-list"));
            };
            steps.push(PathStep::Each { sparse: l.sparse });
            shape = shapes
                .get(&l.member.target)
                .ok_or("a list's member is not in the model")?;
            many = true;
        }
    }
    if keys {
        let ir::ShapeKind::Map(m) = &shape.kind else {
            return Err("`keys` of a non-map".into());
        };
        steps.push(PathStep::Keys);
        shape = shapes
            .get(&m.key.target)
            .ok_or("a map's key is not in the model")?;
        many = true;
    }
    // A list of strings at the end is its elements.
    if ty == ParamType::StringArray {
        if let ir::ShapeKind::List(l) = &shape.kind {
            steps.push(PathStep::Each { sparse: l.sparse });
            shape = shapes
                .get(&l.member.target)
                .ok_or("a list's member is not in the model")?;
            many = true;
        }
    }
    let leaf = match &shape.kind {
        ir::ShapeKind::Simple(ir::Simple::String) => ContextKind::String,
        ir::ShapeKind::Enum(_) => ContextKind::Enum,
        ir::ShapeKind::Simple(ir::Simple::Boolean) if !many => ContextKind::Bool,
        _ => return Err("the path does not end at strings or a boolean".into()),
    };
    match (ty, many, leaf) {
        (ParamType::StringArray, true, ContextKind::String | ContextKind::Enum) => {}
        (ParamType::String, false, ContextKind::String | ContextKind::Enum) => {}
        (ParamType::Boolean, false, ContextKind::Bool) => {}
        _ => return Err("its values do not have the parameter's type".into()),
    }
    Ok((steps, leaf, many))
}
