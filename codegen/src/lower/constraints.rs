//! Constraint traits: `length`, `range`, `pattern`, `uniqueItems`.

use super::{Loc, Lower};
use crate::ast;
use crate::ecma_regex;
use crate::ir;
use serde_json::Value;

impl Lower<'_> {
    pub(super) fn constraints(&mut self, loc: Loc<'_>, t: Option<&ast::Traits>) -> ir::Constraints {
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
                            chars: t.chars,
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
    pub(super) fn bounds<T: PartialOrd + std::fmt::Display + Copy>(
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
}
