//! Whole-model checks that need every shape lowered: Rust name collisions,
//! what members may target, and containment cycles (boxed members).

use super::{Loc, Lower};
use crate::ir::{self, ShapeId};
use std::collections::{BTreeMap, HashMap};

impl Lower<'_> {
    pub(super) fn check_names(
        &mut self,
        shapes: &BTreeMap<ShapeId, ir::Shape>,
        ops: &[ir::Operation],
    ) {
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
        // The generated client's methods: each operation's, and the pages
        // and items of paginated ones.
        let mut methods: BTreeMap<String, &ShapeId> = BTreeMap::new();
        for op in ops {
            let mut own = vec![crate::naming::client_method(&op.fn_name)];
            if op.paginated.is_some() {
                let (pages, items) = crate::naming::paginator_methods(&op.fn_name);
                own.extend([pages, items]);
            }
            for name in own {
                if let Some(other) = methods.insert(name.clone(), &op.id) {
                    if other != &op.id {
                        let id = op.id.to_string();
                        self.error(
                            Loc::shape(&id),
                            format!("the client's method `{name}` for this operation collides with the one of operation `{other}`"),
                        );
                    }
                }
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
    pub(super) fn check_member_shapes(&mut self, shapes: &BTreeMap<ShapeId, ir::Shape>) {
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

/// Every shape a data shape refers to.
pub(super) fn targets(s: &ir::Shape) -> Vec<&ShapeId> {
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
pub(super) fn mark_recursion(shapes: &mut BTreeMap<ShapeId, ir::Shape>) {
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

    #[test]
    pub(super) fn tarjan_finds_cycles() {
        // 0 -> 1 -> 0, 2 -> 2, 3 -> 0
        let comp = tarjan(&[vec![1], vec![0], vec![2], vec![0]]);
        assert_eq!(comp[0], comp[1]);
        assert_ne!(comp[0], comp[3]);
        assert_ne!(comp[2], comp[3]);
    }
}
