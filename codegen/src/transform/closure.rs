//! One service and what it exposes.
//!
//! A model file may hold several services (a protocol test suite holds one
//! per protocol) and shapes no service uses. The generated crate is for one
//! service: the one the caller names, or the only one. The model is cut down
//! to that service's closure: its operations, bound directly or through
//! resources (and their child resources), their input, output and error
//! structures, the service's errors, and every shape those reach through
//! members. Trait definitions stay, so traits defined in the model keep
//! resolving. A model without a service is kept whole.

use super::Selection;
use crate::ast;
use crate::diagnostics::Diagnostic;
use std::collections::BTreeSet;

/// Selects the service and removes every shape outside its closure.
pub fn select(model: &mut ast::Model, selection: &Selection) -> Result<(), Diagnostic> {
    let services: Vec<&String> = model
        .shapes
        .iter()
        .filter(|(_, s)| matches!(s, ast::Shape::Service(_)))
        .map(|(id, _)| id)
        .collect();
    let list = || {
        services
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let service = match (&selection.service, services.as_slice()) {
        (Some(wanted), _) if services.contains(&wanted) => wanted.clone(),
        (Some(wanted), []) => {
            return Err(top(format!(
                "service `{wanted}` was asked for, but the model has no service"
            )));
        }
        (Some(wanted), _) => {
            return Err(top(format!(
                "service `{wanted}` is not in the model; its services are {}",
                list()
            )));
        }
        (None, []) => return Ok(()),
        (None, [only]) => (*only).clone(),
        (None, _) => {
            return Err(top(format!(
                "the model has {} services ({}); choose one (`--service SHAPE_ID`)",
                services.len(),
                list()
            )));
        }
    };
    let keep = closure(model, &service);
    model.shapes.retain(|id, s| {
        keep.contains(id)
            || s.traits()
                .is_some_and(|t| t.contains_key("smithy.api#trait"))
    });
    Ok(())
}

fn top(message: String) -> Diagnostic {
    Diagnostic {
        line: None,
        shape: None,
        message,
    }
}

/// The IDs of the service and of every shape it exposes.
pub fn closure(model: &ast::Model, service: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![service.to_owned()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = model.shapes.get(&id) else {
            continue;
        };
        let refs = |r: &Option<Vec<ast::Reference>>| -> Vec<String> {
            r.iter().flatten().map(|r| r.target.clone()).collect()
        };
        let one = |r: &Option<ast::Reference>| -> Vec<String> {
            r.iter().map(|r| r.target.clone()).collect()
        };
        use ast::Shape as S;
        match shape {
            S::Service(s) => {
                stack.extend(refs(&s.operations));
                stack.extend(refs(&s.resources));
                stack.extend(refs(&s.errors));
            }
            S::Resource(r) => {
                for r in r
                    .identifiers
                    .iter()
                    .chain(&r.properties)
                    .flat_map(|m| m.values())
                {
                    stack.push(r.target.clone());
                }
                for r in [&r.create, &r.put, &r.read, &r.update, &r.delete, &r.list] {
                    stack.extend(one(r));
                }
                stack.extend(refs(&r.operations));
                stack.extend(refs(&r.collection_operations));
                stack.extend(refs(&r.resources));
            }
            S::Operation(o) => {
                stack.extend(one(&o.input));
                stack.extend(one(&o.output));
                stack.extend(refs(&o.errors));
            }
            S::Structure(a) | S::Union(a) | S::Enum(a) | S::IntEnum(a) => {
                stack.extend(a.members.iter().flatten().map(|(_, m)| m.target.clone()));
            }
            S::List(l) | S::Set(l) => stack.push(l.member.target.clone()),
            S::Map(m) => stack.extend([m.key.target.clone(), m.value.target.clone()]),
            _ => {}
        }
    }
    seen
}
