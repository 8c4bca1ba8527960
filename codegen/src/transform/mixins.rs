//! Mixins, flattened as the Smithy specification describes.
//!
//! A shape that uses mixins gets, in the order its mixins are listed, each
//! mixin's members (the mixin flattened first) followed by its own; a member
//! it declares again keeps the mixin's position and target, with the local
//! traits applied over the inherited ones. Traits are inherited the same way:
//! each mixin's traits in order (except `mixin` itself and the mixin's
//! `localTraits`), then the shape's own, which win. Mixin shapes are removed
//! afterwards: they are templates, never types.

use super::problem;
use crate::ast::{self, Reference};
use crate::diagnostics::Diagnostic;
use indexmap::IndexMap;
use std::collections::BTreeSet;

const MIXIN: &str = "smithy.api#mixin";

/// Flattens every shape's mixins and removes the mixin shapes.
pub fn flatten(model: &mut ast::Model, diags: &mut Vec<Diagnostic>) {
    let with_mixins: Vec<String> = model
        .shapes
        .iter()
        .filter(|(_, s)| s.mixins().is_some_and(|m| !m.is_empty()))
        .map(|(id, _)| id.clone())
        .collect();
    let mut done = BTreeSet::new();
    for id in with_mixins {
        let mut visiting = Vec::new();
        flatten_one(model, &id, &mut done, &mut visiting, diags);
    }
    model
        .shapes
        .retain(|_, s| s.traits().is_none_or(|t| !t.contains_key(MIXIN)));
}

fn flatten_one(
    model: &mut ast::Model,
    id: &str,
    done: &mut BTreeSet<String>,
    visiting: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) {
    if done.contains(id) {
        return;
    }
    if visiting.iter().any(|v| v == id) {
        diags.push(problem(
            id,
            format!("mixin cycle: {} -> {id}", visiting.join(" -> ")),
        ));
        return;
    }
    let Some(mixins) = model
        .shapes
        .get(id)
        .and_then(|s| s.mixins())
        .map(<[Reference]>::to_vec)
    else {
        return;
    };
    visiting.push(id.to_owned());
    let mut ok = true;
    for m in &mixins {
        match model.shapes.get(&m.target) {
            None => {
                diags.push(problem(
                    id,
                    format!("mixin `{}` does not exist in the model", m.target),
                ));
                ok = false;
            }
            Some(s) if !s.traits().is_some_and(|t| t.contains_key(MIXIN)) => {
                diags.push(problem(
                    id,
                    format!("`{}` is used as a mixin but has no `mixin` trait", m.target),
                ));
                ok = false;
            }
            Some(s) if s.type_name() != model.shapes[id].type_name() => {
                diags.push(problem(
                    id,
                    format!(
                        "mixin `{}` is a {}, but this shape is a {}",
                        m.target,
                        s.type_name(),
                        model.shapes[id].type_name()
                    ),
                ));
                ok = false;
            }
            Some(_) => flatten_one(model, &m.target, done, visiting, diags),
        }
    }
    visiting.pop();
    done.insert(id.to_owned());
    if !ok {
        return;
    }
    let mut shape = model.shapes[id].clone();
    let mut inherited_count = 0;
    for m in &mixins {
        let mixin = &model.shapes[&m.target];
        if let Err(msg) = merge(&mut shape, mixin, &mut inherited_count) {
            diags.push(problem(id, msg));
        }
    }
    // Local traits win over inherited ones: re-apply them last.
    if let (Some(own), Some(t)) = (model.shapes[id].traits().cloned(), shape.traits_mut()) {
        t.extend(own);
    }
    shape.clear_mixins();
    model.shapes.insert(id.to_owned(), shape);
}

/// Inherits `mixin`'s traits (minus its local ones) and members into `shape`.
fn merge(
    shape: &mut ast::Shape,
    mixin: &ast::Shape,
    inherited_count: &mut usize,
) -> Result<(), String> {
    use ast::Shape as S;
    let mut inherited = mixin.traits().cloned().unwrap_or_default();
    let local: Vec<String> = inherited
        .get(MIXIN)
        .and_then(|m| m.get("localTraits"))
        .and_then(|l| l.as_array())
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    inherited.remove(MIXIN);
    for l in &local {
        inherited.remove(l);
    }
    if let Some(t) = shape.traits_mut() {
        for (k, v) in inherited {
            t.insert(k, v);
        }
    }
    match (shape, mixin) {
        (
            S::Structure(a) | S::Union(a) | S::Enum(a) | S::IntEnum(a),
            S::Structure(m) | S::Union(m) | S::Enum(m) | S::IntEnum(m),
        ) => {
            // `a.members` holds what earlier mixins gave, then the shape's own
            // members (see `flatten_one`): this mixin's members go after the
            // earlier mixins' and before the shape's own.
            let own = a.members.take().unwrap_or_default();
            let mut members: IndexMap<String, ast::Member> = IndexMap::new();
            for (name, member) in own.iter().take(*inherited_count) {
                members.insert(name.clone(), member.clone());
            }
            for (name, member) in m.members.iter().flatten() {
                let mut merged = member.clone();
                if let Some(local) = own.get(name) {
                    if local.target != member.target {
                        return Err(format!(
                            "member `{name}` targets `{}`, but its mixin's member targets `{}`",
                            local.target, member.target
                        ));
                    }
                    if let Some(t) = &local.traits {
                        merged
                            .traits
                            .get_or_insert_with(Default::default)
                            .extend(t.clone());
                    }
                }
                members.insert(name.clone(), merged);
            }
            *inherited_count = members.len();
            for (name, member) in own {
                members.entry(name).or_insert(member);
            }
            a.members = Some(members);
        }
        (S::List(l) | S::Set(l), S::List(m) | S::Set(m)) => {
            l.member = merge_member(&m.member, &l.member);
        }
        (S::Map(l), S::Map(m)) => {
            l.key = merge_member(&m.key, &l.key);
            l.value = merge_member(&m.value, &l.value);
        }
        (S::Operation(o), S::Operation(m)) => {
            o.input = o.input.take().or_else(|| m.input.clone());
            o.output = o.output.take().or_else(|| m.output.clone());
            o.errors = union_refs(m.errors.as_ref(), o.errors.take());
        }
        (S::Service(s), S::Service(m)) => {
            s.version = s.version.take().or_else(|| m.version.clone());
            s.operations = union_refs(m.operations.as_ref(), s.operations.take());
            s.resources = union_refs(m.resources.as_ref(), s.resources.take());
            s.errors = union_refs(m.errors.as_ref(), s.errors.take());
            let mut rename = m.rename.clone().unwrap_or_default();
            rename.extend(s.rename.take().unwrap_or_default());
            s.rename = (!rename.is_empty()).then_some(rename);
        }
        (S::Resource(r), S::Resource(m)) => {
            let mut ids = m.identifiers.clone().unwrap_or_default();
            ids.extend(r.identifiers.take().unwrap_or_default());
            r.identifiers = (!ids.is_empty()).then_some(ids);
            let mut props = m.properties.clone().unwrap_or_default();
            props.extend(r.properties.take().unwrap_or_default());
            r.properties = (!props.is_empty()).then_some(props);
            for (own, inherited) in [
                (&mut r.create, &m.create),
                (&mut r.put, &m.put),
                (&mut r.read, &m.read),
                (&mut r.update, &m.update),
                (&mut r.delete, &m.delete),
                (&mut r.list, &m.list),
            ] {
                if own.is_none() {
                    own.clone_from(inherited);
                }
            }
            r.operations = union_refs(m.operations.as_ref(), r.operations.take());
            r.collection_operations = union_refs(
                m.collection_operations.as_ref(),
                r.collection_operations.take(),
            );
            r.resources = union_refs(m.resources.as_ref(), r.resources.take());
        }
        _ => {}
    }
    Ok(())
}

fn merge_member(inherited: &ast::Member, local: &ast::Member) -> ast::Member {
    let mut m = inherited.clone();
    if let Some(t) = &local.traits {
        m.traits
            .get_or_insert_with(Default::default)
            .extend(t.clone());
    }
    m
}

fn union_refs(
    inherited: Option<&Vec<Reference>>,
    own: Option<Vec<Reference>>,
) -> Option<Vec<Reference>> {
    let mut out: Vec<Reference> = inherited.cloned().unwrap_or_default();
    for r in own.unwrap_or_default() {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    (!out.is_empty()).then_some(out)
}
