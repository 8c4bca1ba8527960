//! An evaluator of checked rule sets, for the model diff: it resolves
//! sample parameters by an old and a new rule set to tell whether
//! endpoints changed. The generated crates never use it (they run the
//! rule set compiled to Rust); it shares the rules engine's functions with
//! them (`smithy_rt::endpoint`), and reads the same partition data.

use crate::ir::endpoint::{
    EndpointValue, Expr, ExprKind, Function, Literal, PathPart, Property, Rule, RuleKind, RuleSet,
    Template, TemplatePart,
};
use serde_json::Value;
use smithy_rt::endpoint as rt;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A resolved endpoint, comparable: URL, headers and properties as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Resolved {
    pub url: String,
    pub headers: Vec<(String, Vec<String>)>,
    pub properties: String,
}

/// A value during evaluation.
#[derive(Clone, Debug)]
enum V {
    Str(String),
    Bool(bool),
    Int(i64),
    List(Vec<String>),
    Record(HashMap<&'static str, V>),
}

/// Resolves `params` (by parameter name) with `rules`.
pub(super) fn resolve(
    rules: &RuleSet,
    params: &HashMap<String, Literal>,
) -> Result<Resolved, String> {
    let mut env: HashMap<String, Option<V>> = HashMap::new();
    for p in &rules.params {
        let v = params.get(&p.name).or(p.default.as_ref()).map(|l| match l {
            Literal::String(s) => V::Str(s.clone()),
            Literal::Bool(b) => V::Bool(*b),
            Literal::StringArray(a) => V::List(a.clone()),
        });
        if p.required && v.is_none() {
            return Err(format!("the endpoint parameter `{}` is required", p.name));
        }
        env.insert(p.rust_name.clone(), v);
    }
    match rules_list(&rules.rules, &mut env)? {
        Some(r) => Ok(r),
        None => Err("no endpoint rule matched the parameters".into()),
    }
}

/// `Ok(None)`: no rule applied.
fn rules_list(
    rules: &[Rule],
    env: &mut HashMap<String, Option<V>>,
) -> Result<Option<Resolved>, String> {
    for r in rules {
        let mut scope = env.clone();
        if !conditions(r, &mut scope) {
            continue;
        }
        return match &r.kind {
            RuleKind::Endpoint(e) => Ok(Some(endpoint(e, &scope))),
            RuleKind::Error(e) => Err(string(e, &scope)),
            RuleKind::Tree(rules) => match rules_list(rules, &mut scope)? {
                Some(r) => Ok(Some(r)),
                None => Err("no endpoint rule matched the parameters".into()),
            },
        };
    }
    Ok(None)
}

fn conditions(r: &Rule, scope: &mut HashMap<String, Option<V>>) -> bool {
    for c in &r.conditions {
        let v = eval(&c.expr, scope);
        let holds = match &v {
            None | Some(V::Bool(false)) => false,
            Some(_) => true,
        };
        if !holds {
            return false;
        }
        if let Some(var) = &c.assign {
            scope.insert(var.rust_name.clone(), v);
        }
    }
    true
}

fn string(e: &Expr, env: &HashMap<String, Option<V>>) -> String {
    match eval(e, env) {
        Some(V::Str(s)) => s,
        _ => String::new(),
    }
}

fn template(t: &Template, env: &HashMap<String, Option<V>>) -> String {
    t.0.iter()
        .map(|p| match p {
            TemplatePart::Lit(s) => s.clone(),
            TemplatePart::Expr(e) => string(e, env),
        })
        .collect()
}

fn eval(e: &Expr, env: &HashMap<String, Option<V>>) -> Option<V> {
    match &e.kind {
        ExprKind::Str(t) => Some(V::Str(template(t, env))),
        ExprKind::Bool(b) => Some(V::Bool(*b)),
        ExprKind::Int(i) => Some(V::Int(*i)),
        ExprKind::Ref(r) => env.get(r).cloned().flatten(),
        ExprKind::GetAttr(target, path) => {
            let mut v = eval(target, env)?;
            for part in path {
                v = match (v, part) {
                    (V::Record(mut m), PathPart::Key(k)) => m.remove(k.as_str())?,
                    (V::List(l), PathPart::Index(i)) => V::Str(l.get(*i)?.clone()),
                    _ => return None,
                };
            }
            Some(v)
        }
        ExprKind::Call(f, args) => call(*f, args, env),
    }
}

fn call(f: Function, args: &[Expr], env: &HashMap<String, Option<V>>) -> Option<V> {
    let s = |i: usize| match eval(&args[i], env) {
        Some(V::Str(s)) => Some(s),
        _ => None,
    };
    let b = |i: usize| match eval(&args[i], env) {
        Some(V::Bool(b)) => Some(b),
        _ => None,
    };
    let n = |i: usize| match eval(&args[i], env) {
        Some(V::Int(n)) => usize::try_from(n).ok(),
        _ => None,
    };
    Some(match f {
        Function::BooleanEquals => V::Bool(b(0)? == b(1)?),
        Function::StringEquals => V::Bool(s(0)? == s(1)?),
        Function::IsSet => V::Bool(eval(&args[0], env).is_some()),
        Function::Not => V::Bool(!b(0)?),
        Function::IsValidHostLabel => V::Bool(rt::is_valid_host_label(&s(0)?, b(1)?)),
        Function::AwsIsVirtualHostableS3Bucket => {
            V::Bool(rt::is_virtual_hostable_s3_bucket(&s(0)?, b(1)?))
        }
        Function::UriEncode => V::Str(rt::uri_encode(&s(0)?)),
        Function::Substring => V::Str(rt::substring(&s(0)?, n(1)?, n(2)?, b(3)?)?.to_owned()),
        Function::Coalesce => return args.iter().find_map(|a| eval(a, env)),
        Function::ParseUrl => {
            let u = rt::parse_url(&s(0)?)?;
            V::Record(HashMap::from([
                ("scheme", V::Str(u.scheme)),
                ("authority", V::Str(u.authority)),
                ("path", V::Str(u.path)),
                ("normalizedPath", V::Str(u.normalized_path)),
                ("isIp", V::Bool(u.is_ip)),
            ]))
        }
        Function::AwsParseArn => {
            let text = s(0)?;
            let a = rt::parse_arn(&text)?;
            V::Record(HashMap::from([
                ("partition", V::Str(a.partition.to_owned())),
                ("service", V::Str(a.service.to_owned())),
                ("region", V::Str(a.region.to_owned())),
                ("accountId", V::Str(a.account_id.to_owned())),
                (
                    "resourceId",
                    V::List(a.resource_id.iter().map(|r| (*r).to_owned()).collect()),
                ),
            ]))
        }
        Function::AwsPartition => partition(&s(0)?)?,
    })
}

/// `aws.partition` over the data the generator ships, as the generated
/// code looks it up: a listed region, then the first matching pattern,
/// then `aws`.
fn partition(region: &str) -> Option<V> {
    static DATA: OnceLock<Value> = OnceLock::new();
    let data = DATA.get_or_init(|| {
        serde_json::from_str(crate::emit::PARTITIONS_JSON).expect("the shipped data")
    });
    let parts = data["partitions"].as_array()?;
    let found = parts
        .iter()
        .find_map(|p| p["regions"].get(region).map(|r| (p, Some(r))))
        .or_else(|| {
            parts.iter().find_map(|p| {
                let re = regex::Regex::new(p["regionRegex"].as_str()?).ok()?;
                re.is_match(region).then_some((p, None))
            })
        })
        .or_else(|| parts.iter().find(|p| p["id"] == "aws").map(|p| (p, None)))?;
    let (p, region_entry) = found;
    let outputs = &p["outputs"];
    let get = |k: &str| {
        region_entry
            .and_then(|r| r.get(k))
            .or_else(|| outputs.get(k))
    };
    let s = |k: &str| {
        V::Str(
            get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        )
    };
    let b = |k: &str| V::Bool(get(k).and_then(Value::as_bool).unwrap_or_default());
    Some(V::Record(HashMap::from([
        ("name", s("name")),
        ("dnsSuffix", s("dnsSuffix")),
        ("dualStackDnsSuffix", s("dualStackDnsSuffix")),
        ("implicitGlobalRegion", s("implicitGlobalRegion")),
        ("supportsFIPS", b("supportsFIPS")),
        ("supportsDualStack", b("supportsDualStack")),
    ])))
}

fn endpoint(e: &EndpointValue, env: &HashMap<String, Option<V>>) -> Resolved {
    let mut headers: Vec<(String, Vec<String>)> = e
        .headers
        .iter()
        .map(|(n, vs)| {
            (
                n.to_ascii_lowercase(),
                vs.iter().map(|v| string(v, env)).collect(),
            )
        })
        .collect();
    headers.sort();
    let properties: serde_json::Map<String, Value> = e
        .properties
        .iter()
        .map(|(k, p)| (k.clone(), property(p, env)))
        .collect();
    let mut sorted: Vec<(String, Value)> = properties.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    Resolved {
        url: string(&e.url, env),
        headers,
        properties: serde_json::to_string(&sorted).unwrap_or_default(),
    }
}

fn property(p: &Property, env: &HashMap<String, Option<V>>) -> Value {
    match p {
        Property::String(t) => Value::String(template(t, env)),
        Property::Bool(b) => Value::Bool(*b),
        Property::Int(i) => Value::from(*i),
        Property::Array(items) => Value::Array(items.iter().map(|i| property(i, env)).collect()),
        Property::Object(items) => {
            let mut sorted: Vec<(String, Value)> = items
                .iter()
                .map(|(k, i)| (k.clone(), property(i, env)))
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(sorted.into_iter().collect())
        }
    }
}
