//! Enum values and constraint traits (`length`, `range`, `pattern`,
//! `uniqueItems`).

use super::rust::{self, major, minor, patch};
use super::verdicts::{docs, renamed_variant};
use super::{Differ, Direction, Severity, opt};
use crate::ir::{self, Constraints, ShapeId};

impl Differ<'_> {
    /// The values of a string or integer enum (`enum` and `intEnum` follow
    /// the same rules).
    pub(super) fn enum_values(
        &mut self,
        id: &ShapeId,
        a: &[EnumEntry<'_>],
        b: &[EnumEntry<'_>],
        dir: Direction,
    ) {
        let path = rust::path(self.new.shape(id));
        let find = |of: &'_ [EnumEntry<'_>], value: &str| of.iter().position(|e| e.value == value);
        for v in b.iter().filter(|v| find(a, &v.value).is_none()) {
            let severity = if dir.output {
                Severity::Risky
            } else {
                Severity::Compatible
            };
            let message = if dir.output {
                "enum value added: existing clients receive a value they don't know"
            } else {
                "enum value added"
            };
            self.push(
                severity,
                minor(format!(
                    "`{path}` (`#[non_exhaustive]`) gains the variant `{}`; `VALUES` grows",
                    v.rust_name
                )),
                "enum-value-added",
                id,
                Some(v.name),
                message.into(),
                None,
                Some(v.value.clone()),
            );
        }
        for v in a.iter().filter(|v| find(b, &v.value).is_none()) {
            let severity = if dir.input || !dir.output {
                Severity::Breaking
            } else {
                Severity::Risky
            };
            self.push(
                severity,
                major(format!("`{path}` loses the variant `{}`", v.rust_name)),
                "enum-value-removed",
                id,
                Some(v.name),
                "enum value removed".into(),
                Some(v.value.clone()),
                None,
            );
        }
        for v in b {
            let Some(old) = find(a, &v.value).map(|i| &a[i]) else {
                continue;
            };
            if old.name != v.name {
                self.push(
                    Severity::Compatible,
                    renamed_variant(old.rust_name, v.rust_name),
                    "enum-name-changed",
                    id,
                    Some(v.name),
                    "the enum member was renamed; its value, which travels, is the same".into(),
                    Some(old.name.to_owned()),
                    Some(v.name.to_owned()),
                );
            }
            if old.docs != v.docs {
                self.push(
                    Severity::Documentation,
                    docs(),
                    "documentation-changed",
                    id,
                    Some(v.name),
                    "documentation changed".into(),
                    None,
                    None,
                );
            }
        }
    }

    /// `length`, `range` and `pattern`: tightening what an input accepts
    /// breaks clients; loosening what an output promises may break them.
    pub(super) fn constraints(
        &mut self,
        id: &ShapeId,
        member: Option<&str>,
        a: &Constraints,
        b: &Constraints,
        dir: Direction,
    ) {
        let tightened = if dir.input {
            Severity::Breaking
        } else {
            Severity::Compatible
        };
        let loosened = if dir.output {
            Severity::Risky
        } else {
            Severity::Compatible
        };
        let as_f64 = |l: Option<(Option<u64>, Option<u64>)>| {
            l.map(|(a, b)| (a.map(|v| v as f64), b.map(|v| v as f64)))
        };
        self.bounds(
            id,
            member,
            "length",
            as_f64(a.length),
            as_f64(b.length),
            tightened,
            loosened,
        );
        self.bounds(id, member, "range", a.range, b.range, tightened, loosened);
        let (pa, pb) = (
            a.pattern.as_ref().map(|p| &p.ecma),
            b.pattern.as_ref().map(|p| &p.ecma),
        );
        if pa != pb {
            let (severity, kind, message) = match (pa, pb) {
                (None, Some(_)) => (
                    tightened,
                    "pattern-added",
                    "a pattern now restricts the value",
                ),
                (Some(_), None) => (
                    loosened,
                    "pattern-removed",
                    "the pattern no longer restricts the value",
                ),
                // Whether one regular language contains the other isn't
                // decided here: any change may reject values that passed.
                _ => (
                    if dir.input || dir.output {
                        Severity::Risky
                    } else {
                        Severity::Compatible
                    },
                    "pattern-changed",
                    "the pattern changed",
                ),
            };
            self.push(
                severity,
                patch("only the validators change"),
                kind,
                id,
                member,
                message.into(),
                pa.cloned(),
                pb.cloned(),
            );
        }
        if a.unique_items != b.unique_items {
            let (severity, kind) = if b.unique_items {
                (tightened, "unique-items-added")
            } else {
                (loosened, "unique-items-removed")
            };
            self.push(
                severity,
                patch("only the validators change"),
                kind,
                id,
                member,
                "`uniqueItems` changed".into(),
                Some(a.unique_items.to_string()),
                Some(b.unique_items.to_string()),
            );
        }
    }

    /// A `length` or `range` change (lengths as `f64`, exact below 2^53):
    /// tightened when it accepts less, loosened when it accepts more, moved
    /// when one bound did each (the stricter verdict then).
    #[allow(clippy::too_many_arguments)]
    fn bounds(
        &mut self,
        id: &ShapeId,
        member: Option<&str>,
        what: &'static str,
        a: Option<(Option<f64>, Option<f64>)>,
        b: Option<(Option<f64>, Option<f64>)>,
        tightened: Severity,
        loosened: Severity,
    ) {
        if a == b {
            return;
        }
        let ((min_a, max_a), (min_b, max_b)) =
            (a.unwrap_or((None, None)), b.unwrap_or((None, None)));
        let lo = |v: Option<f64>| v.unwrap_or(f64::NEG_INFINITY);
        let hi = |v: Option<f64>| v.unwrap_or(f64::INFINITY);
        let tighter = lo(min_b) > lo(min_a) || hi(max_b) < hi(max_a);
        let looser = lo(min_b) < lo(min_a) || hi(max_b) > hi(max_a);
        let [tight, loose, moved] = match what {
            "length" => ["length-tightened", "length-loosened", "length-changed"],
            _ => ["range-tightened", "range-loosened", "range-changed"],
        };
        let (severity, kind, how) = match (tighter, looser) {
            (true, false) => (tightened, tight, "was tightened"),
            (false, true) => (loosened, loose, "was loosened"),
            _ => (tightened.min(loosened), moved, "moved"),
        };
        let show = |min: Option<f64>, max: Option<f64>| {
            format!(
                "{}..{}",
                opt(min).unwrap_or_default(),
                opt(max).unwrap_or_default()
            )
        };
        self.push(
            severity,
            patch("only the validators change"),
            kind,
            id,
            member,
            format!("the {what} constraint {how}"),
            Some(show(min_a, max_a)),
            Some(show(min_b, max_b)),
        );
    }
}

/// One value of a string or integer enum.
pub(super) struct EnumEntry<'a> {
    value: String,
    name: &'a str,
    rust_name: &'a str,
    docs: Option<&'a str>,
}

impl<'a> EnumEntry<'a> {
    pub(super) fn of_enum(e: &'a ir::Enum) -> Vec<Self> {
        e.values
            .iter()
            .map(|v| EnumEntry {
                value: v.value.clone(),
                name: &v.name,
                rust_name: &v.rust_name,
                docs: v.docs.as_deref(),
            })
            .collect()
    }

    pub(super) fn of_int_enum(e: &'a ir::IntEnum) -> Vec<Self> {
        e.values
            .iter()
            .map(|v| EnumEntry {
                value: v.value.to_string(),
                name: &v.name,
                rust_name: &v.rust_name,
                docs: v.docs.as_deref(),
            })
            .collect()
    }
}
