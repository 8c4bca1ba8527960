//! The endpoint rule set: parameters added, removed or changed, and
//! endpoints that resolve differently for the same parameters.
//!
//! Endpoints are compared by resolving sample parameters with both rule
//! sets ([`super::endpoint_eval`]): every test case of either model, and
//! every combination of a region of each partition (and one no partition
//! lists), FIPS, dual-stack and a custom endpoint, for the parameters both
//! rule sets have. A parameter set that used to give an endpoint and now
//! gives another endpoint, or an error, breaks clients on the wire; one that
//! used to fail and now resolves is compatible.

use super::endpoint_eval::{self, Resolved};
use super::rust::{major, minor, patch};
use super::{Differ, Severity};
use crate::ir::endpoint::{Literal, Param, ParamType, RuleSet};
use crate::ir::{Model, ShapeId};
use std::collections::{BTreeSet, HashMap};

/// How many differing parameter sets a change lists.
const EXAMPLES: usize = 3;

impl Differ<'_> {
    pub(super) fn endpoint_rules(&mut self, old: &Model, new: &Model) {
        let (Some(a), Some(b)) = (&old.service, &new.service) else {
            return;
        };
        if a.id != b.id {
            return;
        }
        let id = &b.id;
        match (&a.endpoint_rules, &b.endpoint_rules) {
            (None, None) => {}
            (None, Some(_)) => self.push(
                Severity::Compatible,
                minor("the crate gains the `endpoint` module, and clients resolve endpoints"),
                "endpoint-rules-added",
                id,
                None,
                "the service has an endpoint rule set: clients no longer need an endpoint URL"
                    .into(),
                None,
                None,
            ),
            (Some(_), None) => self.push(
                Severity::Breaking,
                major("the `endpoint` module is gone"),
                "endpoint-rules-removed",
                id,
                None,
                "the endpoint rule set is gone: clients need an explicit endpoint URL".into(),
                None,
                None,
            ),
            (Some(ra), Some(rb)) => {
                self.endpoint_params(id, ra, rb);
                self.endpoints_resolved(id, ra, rb, &a.endpoint_tests, &b.endpoint_tests);
            }
        }
    }

    fn endpoint_params(&mut self, id: &ShapeId, a: &RuleSet, b: &RuleSet) {
        for p in &b.params {
            match a.params.iter().find(|q| q.name == p.name) {
                None => {
                    let required = p.required && p.default.is_none();
                    self.push(
                        if required {
                            Severity::Breaking
                        } else {
                            Severity::Compatible
                        },
                        minor(format!(
                            "`endpoint::Params` gains the field `{}` (the struct is `#[non_exhaustive]`)",
                            p.rust_name
                        )),
                        "endpoint-parameter-added",
                        id,
                        None,
                        if required {
                            format!("the rule set needs a new parameter `{}`", p.name)
                        } else {
                            format!("the rule set takes a new optional parameter `{}`", p.name)
                        },
                        None,
                        Some(describe(p)),
                    );
                }
                Some(q) if describe(q) != describe(p) => {
                    let type_changed = q.ty != p.ty || q.always_set() != p.always_set();
                    self.push(
                        if type_changed || (p.required && !q.required && p.default.is_none()) {
                            Severity::Breaking
                        } else {
                            Severity::Risky
                        },
                        if type_changed {
                            major(format!("the field `{}` changes type", p.rust_name))
                        } else {
                            patch("the field keeps its type")
                        },
                        "endpoint-parameter-changed",
                        id,
                        None,
                        format!("the rule set's parameter `{}` changed", p.name),
                        Some(describe(q)),
                        Some(describe(p)),
                    );
                }
                Some(_) => {}
            }
        }
        for q in &a.params {
            if !b.params.iter().any(|p| p.name == q.name) {
                self.push(
                    Severity::Breaking,
                    major(format!(
                        "`endpoint::Params` loses the field `{}`",
                        q.rust_name
                    )),
                    "endpoint-parameter-removed",
                    id,
                    None,
                    format!("the rule set no longer takes `{}`", q.name),
                    Some(describe(q)),
                    None,
                );
            }
        }
    }

    fn endpoints_resolved(
        &mut self,
        id: &ShapeId,
        a: &RuleSet,
        b: &RuleSet,
        tests_a: &[crate::ir::endpoint::EndpointTest],
        tests_b: &[crate::ir::endpoint::EndpointTest],
    ) {
        let mut broken = Vec::new();
        let mut fixed = Vec::new();
        for sample in samples(a, b, tests_a, tests_b) {
            let (ra, rb) = (
                endpoint_eval::resolve(a, &sample),
                endpoint_eval::resolve(b, &sample),
            );
            match (&ra, &rb) {
                (Ok(x), Ok(y)) if x == y => {}
                (Err(_), Err(_)) => {}
                (Err(_), Ok(_)) => fixed.push((sample, ra, rb)),
                _ => broken.push((sample, ra, rb)),
            }
        }
        for (list, severity, kind, what) in [
            (
                broken,
                Severity::Breaking,
                "endpoint-changed",
                "resolve to another endpoint (or an error)",
            ),
            (
                fixed,
                Severity::Compatible,
                "endpoint-added",
                "resolve to an endpoint where they gave an error",
            ),
        ] {
            if list.is_empty() {
                continue;
            }
            let examples: Vec<String> = list
                .iter()
                .take(EXAMPLES)
                .map(|(s, x, y)| format!("{}: {} -> {}", show_params(s), show(x), show(y)))
                .collect();
            self.push(
                severity,
                patch("resolution changes at run time; the API does not"),
                kind,
                id,
                None,
                format!(
                    "{} parameter set(s) {what}, e.g. {}",
                    list.len(),
                    examples.join("; ")
                ),
                None,
                None,
            );
        }
    }
}

fn describe(p: &Param) -> String {
    let ty = match p.ty {
        ParamType::String => "string",
        ParamType::Boolean => "boolean",
        ParamType::StringArray => "stringArray",
    };
    let mut s = ty.to_owned();
    if p.required {
        s.push_str(", required");
    }
    if let Some(d) = &p.default {
        s.push_str(&format!(", default {}", show_literal(d)));
    }
    if let Some(b) = &p.built_in {
        s.push_str(&format!(", built-in {b}"));
    }
    s
}

fn show_literal(l: &Literal) -> String {
    match l {
        Literal::String(s) => format!("{s:?}"),
        Literal::Bool(b) => b.to_string(),
        Literal::StringArray(a) => format!("{a:?}"),
    }
}

fn show_params(p: &HashMap<String, Literal>) -> String {
    let mut items: Vec<String> = p
        .iter()
        .map(|(k, v)| format!("{k}={}", show_literal(v)))
        .collect();
    items.sort();
    format!("{{{}}}", items.join(", "))
}

fn show(r: &Result<Resolved, String>) -> String {
    match r {
        Ok(e) => format!("`{}`", e.url),
        Err(m) => format!("error \"{m}\""),
    }
}

/// The parameter sets both rule sets are resolved with (only parameters
/// both declare, so that an added optional parameter changes nothing).
fn samples(
    a: &RuleSet,
    b: &RuleSet,
    tests_a: &[crate::ir::endpoint::EndpointTest],
    tests_b: &[crate::ir::endpoint::EndpointTest],
) -> Vec<HashMap<String, Literal>> {
    let common: BTreeSet<&str> = a
        .params
        .iter()
        .filter(|p| b.params.iter().any(|q| q.name == p.name && q.ty == p.ty))
        .map(|p| p.name.as_str())
        .collect();
    let mut out: Vec<HashMap<String, Literal>> = Vec::new();
    let mut push = |m: HashMap<String, Literal>| {
        if !out.contains(&m) {
            out.push(m);
        }
    };
    for t in tests_a.iter().chain(tests_b) {
        push(
            t.params
                .iter()
                .filter(|(n, _)| common.contains(n.as_str()))
                .cloned()
                .collect(),
        );
    }
    let by_built_in = |name: &str| {
        a.params
            .iter()
            .find(|p| p.built_in.as_deref() == Some(name) && common.contains(p.name.as_str()))
            .map(|p| p.name.clone())
    };
    let regions = [
        None,
        Some("us-east-1"),
        Some("eu-west-1"),
        Some("cn-north-1"),
        Some("us-gov-west-1"),
        Some("us-iso-east-1"),
        Some("us-isob-east-1"),
        Some("eu-isoe-west-1"),
        Some("us-isof-south-1"),
        Some("eusc-de-east-1"),
        Some("aws-global"),
        Some("mars-east-1"),
    ];
    let (region, fips, dual, endpoint) = (
        by_built_in("AWS::Region"),
        by_built_in("AWS::UseFIPS"),
        by_built_in("AWS::UseDualStack"),
        by_built_in("SDK::Endpoint"),
    );
    for r in regions {
        for f in [false, true] {
            for d in [false, true] {
                for e in [None, Some("https://example.com")] {
                    let mut m = HashMap::new();
                    if let (Some(n), Some(v)) = (&region, r) {
                        m.insert(n.clone(), Literal::String(v.to_owned()));
                    }
                    if let Some(n) = &fips {
                        m.insert(n.clone(), Literal::Bool(f));
                    }
                    if let Some(n) = &dual {
                        m.insert(n.clone(), Literal::Bool(d));
                    }
                    if let (Some(n), Some(v)) = (&endpoint, e) {
                        m.insert(n.clone(), Literal::String(v.to_owned()));
                    }
                    push(m);
                }
            }
        }
    }
    out
}
