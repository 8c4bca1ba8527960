//! `apply`: traits applied to a shape or member defined elsewhere are merged
//! onto it, and the `apply` entries removed. A trait applied to something
//! that already has it replaces it, as for any later definition.

use super::{member_mut, problem};
use crate::ast;
use crate::diagnostics::Diagnostic;

/// Merges every `apply` entry of `model` onto its target.
pub fn merge(model: &mut ast::Model, diags: &mut Vec<Diagnostic>) {
    let applies: Vec<(String, ast::Traits)> = model
        .shapes
        .iter()
        .filter_map(|(id, s)| match s {
            ast::Shape::Apply(a) => Some((id.clone(), a.traits.clone().unwrap_or_default())),
            _ => None,
        })
        .collect();
    for (id, traits) in applies {
        model.shapes.remove(&id);
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (id.as_str(), None),
        };
        let Some(shape) = model.shapes.get_mut(shape_id) else {
            diags.push(problem(
                &id,
                format!("`apply` targets `{shape_id}`, which does not exist in the model"),
            ));
            continue;
        };
        let target = match member {
            None => shape.traits_mut(),
            Some(m) => member_mut(shape, m).map(|m| m.traits.get_or_insert_with(Default::default)),
        };
        match target {
            Some(t) => t.extend(traits),
            None => diags.push(problem(&id, "`apply` targets a member that does not exist")),
        }
    }
}
