//! Connects a service's endpoint rule set to the rest of the model: the
//! rule set and its tests on the service, and on each operation the
//! parameters it sets (`smithy.rules#staticContextParams`,
//! `smithy.rules#contextParam`).

use super::endpoints::{self, RULE_SET, TESTS};
use super::{Loc, Lower};
use crate::ast;
use crate::ir::endpoint::{ContextKind, ContextMember, OperationParams, ParamType, RuleSet};
use crate::ir::{self, ShapeId};
use serde_json::Value;
use std::collections::BTreeMap;

const STATIC_PARAMS: &str = "smithy.rules#staticContextParams";
const CONTEXT_PARAM: &str = "smithy.rules#contextParam";

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
        let rules = match endpoints::rule_set(value) {
            Ok(r) => r,
            Err(problems) => {
                for (path, message) in problems {
                    self.trait_error(loc, RULE_SET, format!("{RULE_SET}: {path}: {message}"));
                }
                return;
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
                        self.trait_error(loc, TESTS, format!("{TESTS}: {path}: {message}"));
                    }
                }
            }
        }
        service.endpoint_rules = Some(rules);
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
