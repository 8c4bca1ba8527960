//! The Rust (semver) verdicts of changes: what each does to the API of
//! the generated crate, and why.

use super::rust::{self, Verdict, major, minor, patch};
use super::{Differ, Severity, wire_form};
use crate::ir::{self, Operation, Shape, ShapeId};

pub(super) fn docs() -> Verdict {
    patch("rustdoc only")
}

pub(super) fn added_type(shape: &Shape) -> Verdict {
    if rust::is_named(shape) {
        minor(format!("new type `{}`", rust::path(shape)))
    } else {
        patch("a simple shape, list or map has no Rust type of its own")
    }
}

pub(super) fn removed_type(shape: &Shape) -> Verdict {
    if rust::is_named(shape) {
        major(format!("the type `{}` is gone", rust::path(shape)))
    } else {
        patch("a simple shape, list or map has no Rust type of its own")
    }
}

pub(super) fn required_added(a: &ir::Member, b: &ir::Member) -> Verdict {
    if b.is_param() {
        major(format!(
            "`new` takes a new parameter `{}`, and the field is no longer an `Option`",
            b.rust_name
        ))
    } else if a.is_present() == b.is_present() {
        patch(stays(b))
    } else {
        major("the field is no longer an `Option`")
    }
}

pub(super) fn required_removed(a: &ir::Member, b: &ir::Member) -> Verdict {
    if a.is_param() {
        major(format!(
            "the field `{}` becomes an `Option` and `new` loses a parameter",
            a.rust_name
        ))
    } else if a.is_present() == b.is_present() {
        patch(stays(b))
    } else {
        major(format!("the field `{}` becomes an `Option`", a.rust_name))
    }
}

/// Why a member with a default keeps its Rust form when `required` changes.
fn stays(m: &ir::Member) -> &'static str {
    if m.is_present() {
        "the member has a default: it stays a plain field, not a parameter of `new`"
    } else {
        "the member has a default clients may leave unset: it stays an `Option`, not a parameter of `new`"
    }
}

pub(super) fn default_changed(a: &ir::Member, b: &ir::Member) -> Verdict {
    let hidden = format!("__default_{}()", b.rust_name.trim_start_matches("r#"));
    match (&a.default, &b.default) {
        // A member clients may leave unset stays an `Option` either way.
        (None, Some(_)) if !a.is_present() && !b.is_present() => minor(format!(
            "the field `{}` stays an `Option`; `{hidden}` is added",
            b.rust_name
        )),
        (Some(_), None) if !a.is_present() && !b.is_present() => patch(format!(
            "the field `{}` stays an `Option`; only the hidden `{hidden}` goes",
            b.rust_name
        )),
        (None, Some(_)) if a.is_param() => major(format!(
            "`new` loses the parameter `{}` (it starts at the default)",
            a.rust_name
        )),
        (None, Some(_)) => major(format!(
            "the field `{}` is a plain value instead of an `Option`",
            a.rust_name
        )),
        (Some(_), None) if b.is_param() => {
            major(format!("`new` takes a new parameter `{}`", b.rust_name))
        }
        (Some(_), None) => major(format!("the field `{}` becomes an `Option`", b.rust_name)),
        _ => patch(format!("`{hidden}` returns another value")),
    }
}

/// A member with a default became, or stopped being, one that clients may
/// leave unset (`clientOptional`, or its structure's `input` trait).
pub(super) fn client_optional_changed(a: &ir::Member, b: &ir::Member) -> Verdict {
    if b.is_present() {
        major(format!(
            "the field `{}` is a plain value instead of an `Option`",
            b.rust_name
        ))
    } else {
        major(format!("the field `{}` becomes an `Option`", a.rust_name))
    }
}

pub(super) fn renamed_variant(a: &str, b: &str) -> Verdict {
    if a == b {
        patch("the Rust variant keeps its name")
    } else {
        major(format!("the variant `{a}` is renamed `{b}`"))
    }
}

impl Differ<'_> {
    pub(super) fn operation_added(&self, o: &Operation) -> Verdict {
        match self.server {
            (true, true) => major(format!(
                "`server::{}` gains the required method `{}`, and the exhaustive \
                 `operation::Operation` the variant `{}`",
                rust::service_trait(self.new),
                o.fn_name,
                o.rust_name
            )),
            _ => self.server_modules(),
        }
    }

    pub(super) fn operation_removed(&self, o: &Operation) -> Verdict {
        match self.server {
            (true, true) => major(format!(
                "`server::{}` loses the method `{}`, `operation::Operation` the variant `{}`, \
                 and `{}` is gone",
                rust::service_trait(self.old),
                o.fn_name,
                o.rust_name,
                rust::error_enum(o)
            )),
            _ => self.server_modules(),
        }
    }

    /// The `operation` and `server` modules, which exist only when every
    /// operation of a restJson1 service has a route.
    pub(super) fn server_modules(&self) -> Verdict {
        match self.server {
            (true, true) => {
                patch("routes are values of `operation::Operation`; no signature changes")
            }
            (false, true) => minor("the `operation` and `server` modules are new"),
            (true, false) => major(
                "the `operation` and `server` modules are no longer generated \
                 (not every operation has a route)",
            ),
            (false, false) => {
                patch("no server bindings in either crate; shapes are reported on their own")
            }
        }
    }

    pub(super) fn signature_changed(&self, o: &Operation, what: &str) -> Verdict {
        match self.server {
            (true, true) => major(format!(
                "the {what} type of `server::{}::{}` changes",
                rust::service_trait(self.new),
                o.fn_name
            )),
            _ => self.server_modules(),
        }
    }

    /// Errors added to these (old) operations: each one's error enum gains
    /// a variant.
    pub(super) fn error_added(&self, ops: &[&Operation]) -> Verdict {
        if self.server != (true, true) {
            return self.server_modules();
        }
        let empty: Vec<String> = ops
            .iter()
            .filter(|o| o.errors.is_empty())
            .map(|o| format!("`{}`", rust::error_enum(o)))
            .collect();
        if empty.is_empty() {
            minor("the `#[non_exhaustive]` error enum gains a variant and a `From` impl")
        } else {
            major(format!(
                "{} had no variants and was exhaustive: it gains a variant and becomes \
                 `#[non_exhaustive]`",
                empty.join(", ")
            ))
        }
    }

    pub(super) fn error_removed(&self, variant: &str, enums: &str) -> Verdict {
        if self.server.0 {
            major(format!("{enums} loses the variant `{variant}`"))
        } else {
            patch("no error enums in the old crate")
        }
    }

    pub(super) fn type_changed(&self, id: &ShapeId) -> Verdict {
        let (sa, sb) = (self.old.shape(id), self.new.shape(id));
        if rust::is_named(sa) && rust::is_named(sb) {
            return major(format!(
                "`{}` changes from {} to {}",
                rust::path(sb),
                rust::item_kind(sa),
                rust::item_kind(sb)
            ));
        }
        let (a, b) = (rust::type_of(self.old, id), rust::type_of(self.new, id));
        if a == b {
            patch(format!("the Rust type stays `{a}`"))
        } else {
            major(format!("the Rust type changes: `{a}` → `{b}`"))
        }
    }

    /// A member's or a list's or map's element's target changed.
    pub(super) fn retyped(
        &self,
        a: &ShapeId,
        b: &ShapeId,
        boxed_a: bool,
        boxed_b: bool,
    ) -> Verdict {
        let boxed = |t: String, boxed: bool| if boxed { format!("Box<{t}>") } else { t };
        let (ta, tb) = (
            boxed(rust::type_of(self.old, a), boxed_a),
            boxed(rust::type_of(self.new, b), boxed_b),
        );
        if ta == tb {
            patch(format!("the Rust type stays `{ta}`"))
        } else {
            major(format!("the Rust type changes: `{ta}` → `{tb}`"))
        }
    }

    /// A member's (or element's) target changed: compatible on the wire
    /// when the new target travels exactly like the old one.
    pub(super) fn retargeted(&self, a: &ShapeId, b: &ShapeId) -> (Severity, &'static str) {
        if wire_form::same(self.old, a, self.new, b) {
            (
                Severity::Compatible,
                "the member's target changed to a shape with the same wire form",
            )
        } else {
            (Severity::Breaking, "the member's type changed")
        }
    }

    pub(super) fn member_removed(&self, id: &ShapeId, m: &ir::Member, union: bool) -> Verdict {
        let what = if union { "variant" } else { "field" };
        major(format!(
            "`{}` loses the {what} `{}`",
            rust::path(self.old.shape(id)),
            m.rust_name
        ))
    }
}
