//! Model transforms: AST to AST, before lowering.
//!
//! Each transform rewrites the parsed model into a simpler equivalent one,
//! so that lowering only ever sees the core of Smithy 2.0:
//!
//! 1. [`apply`]: `apply` statements merged onto the shapes and members they
//!    name;
//! 2. [`mixins`]: mixins flattened into the shapes that use them (members
//!    and traits, in order, with local overrides), mixin shapes removed;
//! 3. [`legacy_enum`]: strings with the Smithy 1.0 `enum` trait turned into
//!    `enum` shapes;
//! 4. [`closure`]: one service selected and the model cut down to the shapes
//!    it exposes.
//!
//! Transforms report problems as [`Diagnostic`]s with the shape they concern;
//! the caller adds lines.

pub mod apply;
pub mod closure;
pub mod legacy_enum;
pub mod mixins;

use crate::ast;
use crate::diagnostics::Diagnostic;

/// What to do with a model that has several services.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// The service to keep (`namespace#Name`); `None` keeps the only one.
    pub service: Option<String>,
}

/// Runs every transform. Problems are reported all at once; the model is
/// returned only when there are none.
pub fn run(model: &ast::Model, selection: &Selection) -> Result<ast::Model, Vec<Diagnostic>> {
    let mut model = model.clone();
    let mut diags = Vec::new();
    apply::merge(&mut model, &mut diags);
    mixins::flatten(&mut model, &mut diags);
    legacy_enum::convert(&mut model, &mut diags);
    if diags.is_empty() {
        if let Err(d) = closure::select(&mut model, selection) {
            diags.push(d);
        }
    }
    if diags.is_empty() {
        Ok(model)
    } else {
        Err(diags)
    }
}

/// A problem with a shape (or `shape$member`).
fn problem(shape: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        line: None,
        shape: Some(shape.into()),
        message: message.into(),
    }
}

/// The shape's traits, created empty when it has none.
fn traits_mut(shape: &mut ast::Shape) -> Option<&mut ast::Traits> {
    use ast::Shape as S;
    let t = match shape {
        S::Blob(s)
        | S::Boolean(s)
        | S::String(s)
        | S::Byte(s)
        | S::Short(s)
        | S::Integer(s)
        | S::Long(s)
        | S::Float(s)
        | S::Double(s)
        | S::BigInteger(s)
        | S::BigDecimal(s)
        | S::Timestamp(s)
        | S::Document(s) => &mut s.traits,
        S::Enum(a) | S::IntEnum(a) | S::Structure(a) | S::Union(a) => &mut a.traits,
        S::List(l) | S::Set(l) => &mut l.traits,
        S::Map(m) => &mut m.traits,
        S::Service(s) => &mut s.traits,
        S::Operation(o) => &mut o.traits,
        S::Resource(r) => &mut r.traits,
        S::Apply(_) => return None,
    };
    Some(t.get_or_insert_with(Default::default))
}

/// A member of an aggregate, list or map by name.
fn member_mut<'a>(shape: &'a mut ast::Shape, name: &str) -> Option<&'a mut ast::Member> {
    use ast::Shape as S;
    match shape {
        S::Enum(a) | S::IntEnum(a) | S::Structure(a) | S::Union(a) => {
            a.members.as_mut()?.get_mut(name)
        }
        S::List(l) | S::Set(l) if name == "member" => Some(&mut l.member),
        S::Map(m) => match name {
            "key" => Some(&mut m.key),
            "value" => Some(&mut m.value),
            _ => None,
        },
        _ => None,
    }
}
