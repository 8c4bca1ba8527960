//! `smithy.rules#endpointRuleSet` and `smithy.rules#endpointTests`: parsed
//! from the trait documents and type-checked into [`ir::endpoint`].
//!
//! Every problem is reported with its path inside the trait value
//! (`rules[2].rules[0].conditions[1].argv[0]`), all at once.

use crate::ir::endpoint::{
    Condition, EndpointTest, EndpointValue, Expectation, Expr, ExprKind, Function, Literal,
    OperationParams, Param, ParamType, PathPart, Property, Rule, RuleKind, RuleSet, Template,
    TemplatePart, Type, Var,
};
use crate::naming;
use serde_json::Value;

/// The trait holding the rule set.
pub(crate) const RULE_SET: &str = "smithy.rules#endpointRuleSet";
/// The trait holding the test cases.
pub(crate) const TESTS: &str = "smithy.rules#endpointTests";

/// A problem: where in the trait value, and what.
pub(super) type Problem = (String, String);

/// A name in scope: its rule-set name, Rust local and type.
#[derive(Clone, Debug)]
struct Binding {
    name: String,
    rust: String,
    ty: Type,
}

struct Checker {
    problems: Vec<Problem>,
    uses_partitions: bool,
}

/// Parses and checks a rule set. `None` when it has problems (all in the
/// returned list).
pub(super) fn rule_set(value: &Value) -> Result<RuleSet, Vec<Problem>> {
    let mut c = Checker {
        problems: Vec::new(),
        uses_partitions: false,
    };
    let params = c.params(value.get("parameters"));
    let scope: Vec<Binding> = params
        .iter()
        .map(|p| Binding {
            name: p.name.clone(),
            rust: p.rust_name.clone(),
            ty: match (p.ty, p.always_set()) {
                (t, true) => param_type(t),
                (t, false) => Type::Option(Box::new(param_type(t))),
            },
        })
        .collect();
    let rules = match value.get("rules").and_then(Value::as_array) {
        Some(rules) if !rules.is_empty() => c.rules(rules, "rules", &scope),
        _ => {
            c.problem("rules", "a rule set needs a non-empty `rules` list");
            Vec::new()
        }
    };
    if c.problems.is_empty() {
        Ok(RuleSet {
            params,
            rules,
            uses_partitions: c.uses_partitions,
        })
    } else {
        Err(c.problems)
    }
}

/// The parameters of a rule set whose rules have problems, so that what
/// refers to them (operations, tests) is still checked; their own problems
/// are in [`rule_set`]'s list.
pub(super) fn params_of(value: &Value) -> RuleSet {
    let mut c = Checker {
        problems: Vec::new(),
        uses_partitions: false,
    };
    RuleSet {
        params: c.params(value.get("parameters")),
        rules: Vec::new(),
        uses_partitions: false,
    }
}

fn param_type(t: ParamType) -> Type {
    match t {
        ParamType::String => Type::String,
        ParamType::Boolean => Type::Bool,
        ParamType::StringArray => Type::StringArray,
    }
}

/// A literal of type `ty` from JSON, or what is wrong with it.
pub(super) fn literal(ty: ParamType, v: &Value) -> Result<Literal, String> {
    match (ty, v) {
        (ParamType::String, Value::String(s)) => Ok(Literal::String(s.clone())),
        (ParamType::Boolean, Value::Bool(b)) => Ok(Literal::Bool(*b)),
        (ParamType::StringArray, Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Literal::StringArray)
            .ok_or_else(|| "expected a list of strings".to_owned()),
        (ParamType::String, _) => Err("expected a string".into()),
        (ParamType::Boolean, _) => Err("expected a boolean".into()),
        (ParamType::StringArray, _) => Err("expected a list of strings".into()),
    }
}

impl Checker {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push((path.to_owned(), message.into()));
    }

    fn params(&mut self, v: Option<&Value>) -> Vec<Param> {
        let Some(map) = v.and_then(Value::as_object) else {
            self.problem("parameters", "a rule set needs a `parameters` object");
            return Vec::new();
        };
        let mut out: Vec<Param> = Vec::new();
        for (name, p) in map {
            let path = format!("parameters.{name}");
            if !is_identifier(name) {
                self.problem(&path, format!("`{name}` is not a valid parameter name"));
                continue;
            }
            let ty = match p.get("type").and_then(Value::as_str) {
                Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
                Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Boolean,
                Some(t) if t.eq_ignore_ascii_case("stringArray") => ParamType::StringArray,
                other => {
                    self.problem(
                        &path,
                        format!(
                            "parameter type {} is not one of `string`, `boolean`, `stringArray`",
                            other.map_or("(missing)".to_owned(), |t| format!("`{t}`"))
                        ),
                    );
                    continue;
                }
            };
            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
            let default = match p.get("default") {
                None | Some(Value::Null) => None,
                Some(d) => match literal(ty, d) {
                    Ok(l) => Some(l),
                    Err(e) => {
                        self.problem(&format!("{path}.default"), e);
                        continue;
                    }
                },
            };
            if default.is_some() && !required {
                self.problem(&path, "a parameter with a `default` must be `required`");
            }
            let rust_name = naming::field_name(name);
            if let Some(other) = out.iter().find(|o| o.rust_name == rust_name) {
                self.problem(
                    &path,
                    format!(
                        "parameters `{}` and `{name}` have the same Rust name `{rust_name}`",
                        other.name
                    ),
                );
                continue;
            }
            out.push(Param {
                name: name.clone(),
                rust_name,
                ty,
                built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
                required,
                default,
                docs: p
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                deprecated: p.get("deprecated").map(|d| {
                    d.get("message")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                }),
            });
        }
        out
    }

    fn rules(&mut self, rules: &[Value], path: &str, scope: &[Binding]) -> Vec<Rule> {
        rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| self.rule(r, &format!("{path}[{i}]"), scope))
            .collect()
    }

    fn rule(&mut self, r: &Value, path: &str, parent: &[Binding]) -> Option<Rule> {
        let mut scope = parent.to_vec();
        let mut conditions = Vec::new();
        let conds = r.get("conditions").and_then(Value::as_array);
        if conds.is_none() {
            self.problem(path, "a rule needs a `conditions` list (it may be empty)");
        }
        for (i, c) in conds.into_iter().flatten().enumerate() {
            let cpath = format!("{path}.conditions[{i}]");
            if let Some(cond) = self.condition(c, &cpath, &mut scope) {
                conditions.push(cond);
            }
        }
        let kind = match r.get("type").and_then(Value::as_str) {
            Some("endpoint") => {
                let Some(e) = r.get("endpoint") else {
                    self.problem(path, "an endpoint rule needs an `endpoint`");
                    return None;
                };
                RuleKind::Endpoint(self.endpoint(e, &format!("{path}.endpoint"), &scope)?)
            }
            Some("error") => {
                let Some(e) = r.get("error") else {
                    self.problem(path, "an error rule needs an `error` message");
                    return None;
                };
                RuleKind::Error(self.string_expr(e, &format!("{path}.error"), &scope)?)
            }
            Some("tree") => match r.get("rules").and_then(Value::as_array) {
                Some(rules) if !rules.is_empty() => {
                    RuleKind::Tree(self.rules(rules, &format!("{path}.rules"), &scope))
                }
                _ => {
                    self.problem(path, "a tree rule needs a non-empty `rules` list");
                    return None;
                }
            },
            other => {
                self.problem(
                    path,
                    format!(
                        "rule type {} is not one of `endpoint`, `error`, `tree`",
                        other.map_or("(missing)".to_owned(), |t| format!("`{t}`"))
                    ),
                );
                return None;
            }
        };
        Some(Rule { conditions, kind })
    }

    /// A condition; updates `scope` with what it assigns or narrows.
    fn condition(&mut self, c: &Value, path: &str, scope: &mut Vec<Binding>) -> Option<Condition> {
        if c.get("fn").is_none() {
            self.problem(path, "a condition must be a function call (`fn`, `argv`)");
            return None;
        }
        let expr = self.expr(c, path, scope, true)?;
        // `isSet(ref)` narrows the reference for the rest of the rule, and so
        // does passing an optional reference where a value is needed (the
        // condition fails when it is unset).
        narrow(&expr, scope);
        let assign = match c.get("assign") {
            None => None,
            Some(Value::String(name)) => {
                if !is_identifier(name) {
                    self.problem(path, format!("`{name}` is not a valid variable name"));
                    return None;
                }
                let rust = naming::field_name(name);
                if let Some(b) = scope.iter().find(|b| b.name == *name || b.rust == rust) {
                    self.problem(
                        path,
                        format!(
                            "`{name}` is already in scope (as `{}`): a rule set may not reassign a name",
                            b.name
                        ),
                    );
                    return None;
                }
                scope.push(Binding {
                    name: name.clone(),
                    rust: rust.clone(),
                    ty: expr.ty.inner().clone(),
                });
                Some(Var {
                    name: name.clone(),
                    rust_name: rust,
                })
            }
            Some(_) => {
                self.problem(path, "`assign` must be a string");
                return None;
            }
        };
        Some(Condition { expr, assign })
    }

    fn endpoint(&mut self, e: &Value, path: &str, scope: &[Binding]) -> Option<EndpointValue> {
        let url = match e.get("url") {
            Some(u) => self.string_expr(u, &format!("{path}.url"), scope),
            None => {
                self.problem(path, "an endpoint needs a `url`");
                None
            }
        };
        let mut headers = Vec::new();
        match e.get("headers") {
            None => {}
            Some(Value::Object(map)) => {
                for (name, values) in map {
                    let hpath = format!("{path}.headers.{name}");
                    let Some(values) = values.as_array() else {
                        self.problem(&hpath, "header values must be a list");
                        continue;
                    };
                    let exprs = values
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| self.string_expr(v, &format!("{hpath}[{i}]"), scope))
                        .collect();
                    headers.push((name.clone(), exprs));
                }
            }
            Some(_) => self.problem(path, "`headers` must be an object"),
        }
        let mut properties = Vec::new();
        match e.get("properties") {
            None => {}
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    if let Some(p) = self.property(v, &format!("{path}.properties.{k}"), scope) {
                        properties.push((k.clone(), p));
                    }
                }
            }
            Some(_) => self.problem(path, "`properties` must be an object"),
        }
        Some(EndpointValue {
            url: url?,
            headers,
            properties,
        })
    }

    fn property(&mut self, v: &Value, path: &str, scope: &[Binding]) -> Option<Property> {
        Some(match v {
            Value::String(s) => Property::String(self.template(s, path, scope)?),
            Value::Bool(b) => Property::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Property::Int(i),
                None => {
                    self.problem(path, "endpoint property numbers must be integers");
                    return None;
                }
            },
            Value::Array(items) => Property::Array(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.property(item, &format!("{path}[{i}]"), scope))
                    .collect(),
            ),
            Value::Object(map) => {
                if map.contains_key("ref") || map.contains_key("fn") {
                    self.problem(
                        path,
                        "endpoint properties may not hold references or function calls (use a template string)",
                    );
                    return None;
                }
                Property::Object(
                    map.iter()
                        .filter_map(|(k, item)| {
                            Some((
                                k.clone(),
                                self.property(item, &format!("{path}.{k}"), scope)?,
                            ))
                        })
                        .collect(),
                )
            }
            Value::Null => {
                self.problem(path, "endpoint properties may not be null");
                return None;
            }
        })
    }

    /// An expression that must be a (set) string.
    fn string_expr(&mut self, v: &Value, path: &str, scope: &[Binding]) -> Option<Expr> {
        let e = self.expr(v, path, scope, false)?;
        if e.ty != Type::String {
            self.problem(
                path,
                format!("expected a string, found {}", type_name(&e.ty)),
            );
            return None;
        }
        Some(e)
    }

    /// An expression. `condition`: it is a condition's top-level call,
    /// whose optional reference arguments may be unset (the condition then
    /// fails).
    fn expr(&mut self, v: &Value, path: &str, scope: &[Binding], condition: bool) -> Option<Expr> {
        match v {
            Value::String(s) => Some(Expr {
                kind: ExprKind::Str(self.template(s, path, scope)?),
                ty: Type::String,
            }),
            Value::Bool(b) => Some(Expr {
                kind: ExprKind::Bool(*b),
                ty: Type::Bool,
            }),
            Value::Number(n) => match n.as_i64() {
                Some(i) if i >= 0 => Some(Expr {
                    kind: ExprKind::Int(i),
                    ty: Type::Int,
                }),
                _ => {
                    self.problem(path, "only non-negative integers are allowed");
                    None
                }
            },
            Value::Object(map) => {
                if let Some(r) = map.get("ref") {
                    let Some(name) = r.as_str() else {
                        self.problem(path, "`ref` must be a string");
                        return None;
                    };
                    self.reference(name, path, scope)
                } else if let Some(f) = map.get("fn") {
                    let Some(name) = f.as_str() else {
                        self.problem(path, "`fn` must be a string");
                        return None;
                    };
                    let argv = match map.get("argv").and_then(Value::as_array) {
                        Some(a) => a.as_slice(),
                        None => {
                            self.problem(path, "a function call needs an `argv` list");
                            return None;
                        }
                    };
                    self.call(name, argv, path, scope, condition)
                } else {
                    self.problem(
                        path,
                        "expected a reference (`ref`) or a function call (`fn`)",
                    );
                    None
                }
            }
            Value::Array(_) => {
                self.problem(path, "list literals are not supported as arguments");
                None
            }
            Value::Null => {
                self.problem(path, "null is not a value in a rule set");
                None
            }
        }
    }

    fn reference(&mut self, name: &str, path: &str, scope: &[Binding]) -> Option<Expr> {
        match scope.iter().rev().find(|b| b.name == name) {
            Some(b) => Some(Expr {
                kind: ExprKind::Ref(b.rust.clone()),
                ty: b.ty.clone(),
            }),
            None => {
                self.problem(
                    path,
                    format!("`{name}` is neither a parameter nor a variable assigned in scope"),
                );
                None
            }
        }
    }

    fn call(
        &mut self,
        name: &str,
        argv: &[Value],
        path: &str,
        scope: &[Binding],
        condition: bool,
    ) -> Option<Expr> {
        if name == "getAttr" {
            let [target, p] = argv else {
                self.problem(path, "`getAttr` takes two arguments");
                return None;
            };
            let target = self.expr(target, &format!("{path}.argv[0]"), scope, false)?;
            let Some(p) = p.as_str() else {
                self.problem(
                    &format!("{path}.argv[1]"),
                    "a `getAttr` path must be a string",
                );
                return None;
            };
            return self.get_attr(target, p, path);
        }
        let Some(f) = Function::from_name(name) else {
            self.problem(
                path,
                format!("function `{name}` is not one the generator supports"),
            );
            return None;
        };
        let args: Vec<Expr> = argv
            .iter()
            .enumerate()
            .map(|(i, a)| self.expr(a, &format!("{path}.argv[{i}]"), scope, false))
            .collect::<Option<_>>()?;
        let arity = |n: usize| args.len() == n;
        use Function as F;
        let (params, ret): (Vec<Type>, Type) = match f {
            F::BooleanEquals if arity(2) => (vec![Type::Bool, Type::Bool], Type::Bool),
            F::StringEquals if arity(2) => (vec![Type::String, Type::String], Type::Bool),
            F::Not if arity(1) => (vec![Type::Bool], Type::Bool),
            F::IsValidHostLabel | F::AwsIsVirtualHostableS3Bucket if arity(2) => {
                (vec![Type::String, Type::Bool], Type::Bool)
            }
            F::ParseUrl if arity(1) => (vec![Type::String], opt(Type::Url)),
            F::Substring if arity(4) => (
                vec![Type::String, Type::Int, Type::Int, Type::Bool],
                opt(Type::String),
            ),
            F::UriEncode if arity(1) => (vec![Type::String], Type::String),
            F::AwsPartition if arity(1) => {
                self.uses_partitions = true;
                (vec![Type::String], opt(Type::Partition))
            }
            F::AwsParseArn if arity(1) => (vec![Type::String], opt(Type::Arn)),
            F::IsSet if arity(1) => {
                return Some(Expr {
                    kind: ExprKind::Call(f, args),
                    ty: Type::Bool,
                });
            }
            F::Coalesce if args.len() >= 2 => {
                let inner = args[0].ty.inner().clone();
                for (i, a) in args.iter().enumerate() {
                    if *a.ty.inner() != inner {
                        self.problem(
                            &format!("{path}.argv[{i}]"),
                            format!(
                                "`coalesce` arguments must have one type: {} and {}",
                                type_name(&inner),
                                type_name(a.ty.inner())
                            ),
                        );
                        return None;
                    }
                }
                let ty = if args.iter().all(|a| a.ty.is_option()) {
                    opt(inner)
                } else {
                    inner
                };
                return Some(Expr {
                    kind: ExprKind::Call(f, args),
                    ty,
                });
            }
            _ => {
                self.problem(
                    path,
                    format!("`{name}` does not take {} arguments", args.len()),
                );
                return None;
            }
        };
        for (i, (a, want)) in args.iter().zip(&params).enumerate() {
            let ok = a.ty == *want
                || (condition
                    && matches!(a.kind, ExprKind::Ref(_))
                    && a.ty.is_option()
                    && a.ty.inner() == want);
            if !ok {
                self.problem(
                    &format!("{path}.argv[{i}]"),
                    format!(
                        "`{name}` expects {} here, found {}{}",
                        type_name(want),
                        type_name(&a.ty),
                        if a.ty.is_option() {
                            " (check it with `isSet` first)"
                        } else {
                            ""
                        }
                    ),
                );
                return None;
            }
        }
        Some(Expr {
            kind: ExprKind::Call(f, args),
            ty: ret,
        })
    }

    fn get_attr(&mut self, target: Expr, p: &str, path: &str) -> Option<Expr> {
        let Some(parts) = parse_path(p) else {
            self.problem(path, format!("`{p}` is not a valid `getAttr` path"));
            return None;
        };
        let mut ty = target.ty.clone();
        for part in &parts {
            ty = match (&ty, part) {
                (Type::Option(_), _) => {
                    self.problem(
                        path,
                        format!("`getAttr` on {}: check it first", type_name(&ty)),
                    );
                    return None;
                }
                (Type::StringArray, PathPart::Index(_)) => opt(Type::String),
                (record, PathPart::Key(k)) => match field_type(record, k) {
                    Some(t) => t,
                    None => {
                        self.problem(
                            path,
                            format!("{} has no attribute `{k}`", type_name(record)),
                        );
                        return None;
                    }
                },
                (other, PathPart::Index(_)) => {
                    self.problem(path, format!("{} cannot be indexed", type_name(other)));
                    return None;
                }
            };
        }
        Some(Expr {
            kind: ExprKind::GetAttr(Box::new(target), parts),
            ty,
        })
    }

    /// A template string: `{name}` and `{name#path}` are string values;
    /// `{{` and `}}` are braces.
    fn template(&mut self, s: &str, path: &str, scope: &[Binding]) -> Option<Template> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = s;
        while let Some(i) = rest.find(['{', '}']) {
            lit.push_str(&rest[..i]);
            let c = rest.as_bytes()[i];
            let after = &rest[i + 1..];
            if after.as_bytes().first() == Some(&c) {
                lit.push(c as char);
                rest = &after[1..];
                continue;
            }
            if c == b'}' {
                self.problem(path, format!("unmatched `}}` in template `{s}`"));
                return None;
            }
            let Some(end) = after.find('}') else {
                self.problem(path, format!("unclosed `{{` in template `{s}`"));
                return None;
            };
            let inner = &after[..end];
            rest = &after[end + 1..];
            let (name, attr) = match inner.split_once('#') {
                Some((n, a)) => (n, Some(a)),
                None => (inner, None),
            };
            let mut e = self.reference(name, path, scope)?;
            if let Some(a) = attr {
                e = self.get_attr(e, a, path)?;
            }
            if e.ty != Type::String {
                self.problem(
                    path,
                    format!(
                        "`{{{inner}}}` in a template must be a string, found {}",
                        type_name(&e.ty)
                    ),
                );
                return None;
            }
            if !lit.is_empty() {
                parts.push(TemplatePart::Lit(std::mem::take(&mut lit)));
            }
            parts.push(TemplatePart::Expr(e));
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(TemplatePart::Lit(lit));
        }
        Some(Template(parts))
    }
}

/// Updates `scope` after a condition: references it proves set become
/// plain values.
fn narrow(expr: &Expr, scope: &mut [Binding]) {
    let ExprKind::Call(f, args) = &expr.kind else {
        return;
    };
    let set = |rust: &str, scope: &mut [Binding]| {
        if let Some(b) = scope.iter_mut().rev().find(|b| b.rust == rust) {
            b.ty = b.ty.inner().clone();
        }
    };
    match f {
        Function::IsSet => {
            if let Some(Expr {
                kind: ExprKind::Ref(r),
                ..
            }) = args.first()
            {
                set(r, scope);
            }
        }
        Function::Coalesce | Function::Not => {}
        _ => {
            for a in args {
                if let (ExprKind::Ref(r), true) = (&a.kind, a.ty.is_option()) {
                    set(r, scope);
                }
            }
        }
    }
}

fn opt(t: Type) -> Type {
    Type::Option(Box::new(t))
}

fn field_type(record: &Type, key: &str) -> Option<Type> {
    Some(match (record, key) {
        (Type::Url, "scheme" | "authority" | "path" | "normalizedPath") => Type::String,
        (Type::Url, "isIp") => Type::Bool,
        (Type::Partition, "name" | "dnsSuffix" | "dualStackDnsSuffix" | "implicitGlobalRegion") => {
            Type::String
        }
        (Type::Partition, "supportsFIPS" | "supportsDualStack") => Type::Bool,
        (Type::Arn, "partition" | "service" | "region" | "accountId") => Type::String,
        (Type::Arn, "resourceId") => Type::StringArray,
        _ => return None,
    })
}

/// `a.b[2]` as parts; `None` when malformed.
fn parse_path(p: &str) -> Option<Vec<PathPart>> {
    let mut parts = Vec::new();
    for seg in p.split('.') {
        let (key, index) = match seg.split_once('[') {
            Some((k, rest)) => (k, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (seg, None),
        };
        if !key.is_empty() {
            parts.push(PathPart::Key(key.to_owned()));
        } else if index.is_none() {
            return None;
        }
        if let Some(i) = index {
            parts.push(PathPart::Index(i));
        }
    }
    (!parts.is_empty()).then_some(parts)
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn type_name(t: &Type) -> String {
    match t {
        Type::String => "a string".into(),
        Type::Bool => "a boolean".into(),
        Type::Int => "an integer".into(),
        Type::StringArray => "a list of strings".into(),
        Type::Url => "a URL".into(),
        Type::Arn => "an ARN".into(),
        Type::Partition => "a partition".into(),
        Type::Option(t) => format!(
            "an optional {}",
            type_name(t).split_once(' ').map_or("", |x| x.1)
        ),
    }
}

/// The test cases of `smithy.rules#endpointTests`, with each
/// `operationInputs` entry applied (one test per entry).
pub(super) fn tests(
    value: &Value,
    rules: &RuleSet,
    operations: &[(String, OperationParams)],
) -> Result<Vec<EndpointTest>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let cases = value
        .get("testCases")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, case) in cases.iter().enumerate() {
        let path = format!("testCases[{i}]");
        let mut base = Vec::new();
        let mut ok = true;
        for (name, v) in case
            .get("params")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            match set_param(rules, name, v) {
                Ok(p) => base.push(p),
                Err(e) => {
                    problems.push((format!("{path}.params.{name}"), e));
                    ok = false;
                }
            }
        }
        let expect = match expectation(case.get("expect")) {
            Ok(e) => e,
            Err(e) => {
                problems.push((format!("{path}.expect"), e));
                continue;
            }
        };
        let docs = case
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let inputs = case
            .get("operationInputs")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if !ok {
            continue;
        }
        if inputs.is_empty() {
            out.push(EndpointTest {
                docs,
                params: base,
                expect,
            });
            continue;
        }
        for (j, input) in inputs.iter().enumerate() {
            let ipath = format!("{path}.operationInputs[{j}]");
            match operation_input(rules, operations, input, &base) {
                Ok(params) => out.push(EndpointTest {
                    docs: docs.clone(),
                    params,
                    expect: expect.clone(),
                }),
                Err(e) => problems.push((ipath, e)),
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn set_param(rules: &RuleSet, name: &str, v: &Value) -> Result<(String, Literal), String> {
    let p = rules
        .params
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("`{name}` is not a parameter of the rule set"))?;
    Ok((name.to_owned(), literal(p.ty, v)?))
}

fn put(params: &mut Vec<(String, Literal)>, p: (String, Literal)) {
    params.retain(|(n, _)| *n != p.0);
    params.push(p);
}

fn operation_input(
    rules: &RuleSet,
    operations: &[(String, OperationParams)],
    input: &Value,
    base: &[(String, Literal)],
) -> Result<Vec<(String, Literal)>, String> {
    let mut params = base.to_vec();
    for (built_in, v) in input
        .get("builtInParams")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(p) = rules
            .params
            .iter()
            .find(|p| p.built_in.as_deref() == Some(built_in.as_str()))
        {
            put(&mut params, (p.name.clone(), literal(p.ty, v)?));
        }
    }
    for (name, v) in input
        .get("clientParams")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        put(&mut params, set_param(rules, name, v)?);
    }
    let op_name = input
        .get("operationName")
        .and_then(Value::as_str)
        .ok_or("an operation input needs an `operationName`")?;
    let (_, op) = operations
        .iter()
        .find(|(n, _)| n == op_name)
        .ok_or_else(|| format!("operation `{op_name}` is not in the service"))?;
    for (name, lit) in &op.fixed {
        put(&mut params, (name.clone(), lit.clone()));
    }
    let op_params = input.get("operationParams").and_then(Value::as_object);
    for m in &op.members {
        // Test inputs name members by their Smithy member names.
        if let Some(v) = op_params.and_then(|p| p.get(&m.member)) {
            put(&mut params, set_param(rules, &m.param, v)?);
        }
    }
    for cp in &op.paths {
        let Some(input) = op_params else {
            continue;
        };
        let values = json_path(&Value::Object(input.clone()), &cp.path);
        let value = if cp.many {
            Value::Array(values)
        } else {
            match values.into_iter().next() {
                Some(v) => v,
                None => continue,
            }
        };
        put(&mut params, set_param(rules, &cp.param, &value)?);
    }
    Ok(params)
}

/// The values an `operationContextParams` path selects from a test's
/// operation parameters (the same subset the client compiles: `A.B`,
/// `A[*].B`, `keys(A)`, and a list at the end is its elements).
fn json_path(input: &Value, path: &str) -> Vec<Value> {
    let (inner, keys) = match path.trim().strip_prefix("keys(") {
        Some(rest) => (rest.trim_end_matches(')'), true),
        None => (path.trim(), false),
    };
    let mut current = vec![input.clone()];
    for segment in inner.split('.') {
        let (name, each) = match segment.strip_suffix("[*]") {
            Some(n) => (n, true),
            None => (segment, false),
        };
        current = current
            .iter()
            .filter_map(|v| v.get(name).cloned())
            .collect();
        if each {
            current = current
                .iter()
                .filter_map(Value::as_array)
                .flatten()
                .filter(|v| !v.is_null())
                .cloned()
                .collect();
        }
    }
    if keys {
        current = current
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|m| m.keys().map(|k| Value::String(k.clone())))
            .collect();
    }
    if let [Value::Array(items)] = current.as_slice() {
        return items.clone();
    }
    current
}

fn expectation(v: Option<&Value>) -> Result<Expectation, String> {
    let v = v.ok_or("a test case needs an `expect`")?;
    if let Some(e) = v.get("error") {
        return Ok(Expectation::Error(
            e.as_str().ok_or("`error` must be a string")?.to_owned(),
        ));
    }
    let e = v
        .get("endpoint")
        .ok_or("`expect` needs an `endpoint` or an `error`")?;
    let url = e
        .get("url")
        .and_then(Value::as_str)
        .ok_or("an expected endpoint needs a `url`")?
        .to_owned();
    let mut headers = Vec::new();
    for (name, values) in e
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let values = values
            .as_array()
            .and_then(|a| {
                a.iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| format!("header `{name}` must be a list of strings"))?;
        headers.push((name.clone(), values));
    }
    let properties = e
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok(Expectation::Endpoint {
        url,
        headers,
        properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(rules: Value) -> Result<RuleSet, Vec<Problem>> {
        rule_set(&json!({
            "version": "1.0",
            "parameters": {
                "Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "r"},
                "UseFIPS": {"type": "Boolean", "required": true, "default": false, "documentation": "f"},
            },
            "rules": rules,
        }))
    }

    #[test]
    fn a_regional_rule_set_checks() {
        let rs = check(json!([
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "rules": [
                {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}], "rules": [
                    {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                     "endpoint": {"url": "https://svc-fips.{Region}.{PartitionResult#dnsSuffix}", "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]}}},
                    {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://svc.{Region}.{PartitionResult#dnsSuffix}"}}
                ]}
            ]},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ]))
        .unwrap();
        assert!(rs.uses_partitions);
        assert_eq!(rs.rules.len(), 2);
        assert_eq!(rs.params[1].rust_name, "use_fips");
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let problems = check(json!([
            {"type": "endpoint", "conditions": [{"fn": "nope", "argv": []}], "endpoint": {"url": "https://{Region}"}},
            {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Missing"}, true]}], "endpoint": {"url": "x"}},
            {"type": "error", "conditions": [], "error": "{UseFIPS}"},
            {"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
             "endpoint": {"url": "https://{P#nope}"}},
        ]))
        .unwrap_err();
        let text: Vec<String> = problems.iter().map(|(p, m)| format!("{p}: {m}")).collect();
        let has = |needle: &str| {
            assert!(
                text.iter().any(|t| t.contains(needle)),
                "{needle} in {text:#?}"
            )
        };
        has("rules[0].conditions[0]: function `nope` is not one the generator supports");
        has(
            "rules[0].endpoint.url: `{Region}` in a template must be a string, found an optional string",
        );
        has("rules[1].conditions[0].argv[0]: `Missing` is neither a parameter");
        has("rules[2].error: `{UseFIPS}` in a template must be a string, found a boolean");
        has("rules[3].endpoint.url: a partition has no attribute `nope`");
    }

    #[test]
    fn optional_references_must_be_checked_outside_conditions() {
        let problems = check(json!([
            {"type": "endpoint", "conditions": [{"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}]}],
             "endpoint": {"url": "https://example.com"}}
        ]))
        .unwrap_err();
        assert!(
            problems[0].1.contains("check it with `isSet` first"),
            "{problems:?}"
        );
        // At the top of a condition, an unset reference makes it fail.
        check(json!([
            {"type": "endpoint", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}],
             "endpoint": {"url": "https://{Region}.example.com"}}
        ]))
        .unwrap();
    }

    #[test]
    fn templates_escape_braces_and_reject_unbalanced_ones() {
        check(json!([{"type": "error", "conditions": [], "error": "{{literal}}"}])).unwrap();
        let problems =
            check(json!([{"type": "error", "conditions": [], "error": "a {b"}])).unwrap_err();
        assert!(problems[0].1.contains("unclosed"), "{problems:?}");
    }

    #[test]
    fn reassigning_a_name_is_refused() {
        let problems = check(json!([
            {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": ["us-east-1"], "assign": "P"}], "rules": [
                {"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": ["us-east-1"], "assign": "P"}], "endpoint": {"url": "https://x"}}
            ]}
        ]))
        .unwrap_err();
        assert!(problems[0].1.contains("already in scope"), "{problems:?}");
    }

    #[test]
    fn paths() {
        assert_eq!(
            parse_path("resourceId[1]"),
            Some(vec![PathPart::Key("resourceId".into()), PathPart::Index(1)])
        );
        assert_eq!(
            parse_path("a.b"),
            Some(vec![PathPart::Key("a".into()), PathPart::Key("b".into())])
        );
        assert_eq!(parse_path("a[x]"), None);
        assert_eq!(parse_path(""), None);
    }
}
