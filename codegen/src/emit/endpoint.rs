//! `endpoint.rs`: the service's endpoint rule set compiled to Rust.
//!
//! Each rule becomes a block whose conditions `break` out of it when they
//! fail; a tree rule's block holds its subordinate rules and ends in the
//! rule-exhaustion error. `isSet` and the optional results of `parseURL`,
//! `substring`, `aws.partition` and `aws.parseArn` become `let ... else`
//! bindings, so that a value checked once is a plain value afterwards.
//! Templates become one `concat` of their pieces, `getAttr` field accesses. No JSON and no
//! interpreter at run time: the partition table is compiled in too, each
//! partition's region pattern as DFA tables (see [`super::patterns`]).

use super::paths::ident;
use crate::ir::endpoint::{
    Condition, ContextKind, EndpointValue, Expr, ExprKind, Function, Literal, Param, ParamType,
    PathPart, PathStep, Property, Rule, RuleKind, RuleSet, Template, TemplatePart,
};
use crate::ir::{Model, Operation};
use proc_macro2::{Ident, Literal as Lit, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// The partition data of the AWS SDKs (`aws.partition`), as the generator
/// ships it.
pub(crate) const PARTITIONS_JSON: &str = include_str!("../../data/partitions.json");

/// The message of rule exhaustion.
const EXHAUSTED: &str = "no endpoint rule matched the parameters";

/// How a value is held in Rust.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Form {
    /// `&str`.
    Str,
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `usize` (literals only).
    Int,
    /// Something indexable whose elements deref to `str`
    /// (`&[String]`, `Vec<&str>`).
    StrList,
    /// `smithy_rt::endpoint::Url`.
    Url,
    /// `smithy_rt::endpoint::Arn`.
    Arn,
    /// `&smithy_rt::endpoint::Partition`.
    Partition,
    /// `Option` of one of the above.
    Opt(Box<Form>),
}

impl Form {
    fn inner(&self) -> &Form {
        match self {
            Form::Opt(f) => f,
            f => f,
        }
    }
}

/// `endpoint.rs` for a service with a rule set.
pub(crate) fn endpoint_module(model: &Model, rules: &RuleSet) -> TokenStream {
    let service = model.service.as_ref().expect("rule sets are on services");
    let title = service.title.as_deref().unwrap_or(&service.id.name);
    let module_doc = format!(
        " Endpoint resolution for {title}: [`resolve`], the service's endpoint rule set compiled to Rust, from [`Params`]."
    );
    let params_struct = params_struct(rules);
    let resolve = resolve_fn(rules);
    let partitions = if rules.uses_partitions {
        partition_table()
    } else {
        quote!()
    };
    let client = client_params(model, rules);
    quote! {
        #![doc = #module_doc]

        pub use ::smithy_rt::endpoint::{Endpoint, ResolveError};

        #params_struct
        #resolve
        #partitions
        #client
    }
}

fn param_field_type(p: &Param) -> TokenStream {
    let ty = match p.ty {
        ParamType::String => quote!(::std::string::String),
        ParamType::Boolean => quote!(bool),
        ParamType::StringArray => quote!(::std::vec::Vec<::std::string::String>),
    };
    if p.always_set() {
        ty
    } else {
        quote!(::std::option::Option<#ty>)
    }
}

fn literal_tokens(l: &Literal) -> TokenStream {
    match l {
        Literal::String(s) => quote!(::std::string::String::from(#s)),
        Literal::Bool(b) => quote!(#b),
        Literal::StringArray(items) => {
            quote!(::std::vec![#(::std::string::String::from(#items)),*])
        }
    }
}

/// A parameter set to a literal: `params.field = value`.
pub(crate) fn set_param(rules: &RuleSet, name: &str, value: &Literal) -> TokenStream {
    let p = rules
        .params
        .iter()
        .find(|p| p.name == name)
        .expect("checked when lowered");
    let field = ident(&p.rust_name);
    let v = literal_tokens(value);
    if p.always_set() {
        quote!(params.#field = #v;)
    } else {
        quote!(params.#field = ::std::option::Option::Some(#v);)
    }
}

fn params_struct(rules: &RuleSet) -> TokenStream {
    let fields = rules.params.iter().map(|p| {
        let f = ident(&p.rust_name);
        let ty = param_field_type(p);
        let mut doc = p.docs.clone().unwrap_or_default();
        if let Some(b) = &p.built_in {
            doc.push_str(&format!(" (built-in `{b}`)"));
        }
        let doc = format!(" `{}`: {}", p.name, doc.trim());
        let deprecated = p.deprecated.as_ref().map(|m| {
            let note = if m.is_empty() {
                " Deprecated.".to_owned()
            } else {
                format!(" Deprecated: {m}")
            };
            quote!(#[doc = ""] #[doc = #note])
        });
        quote!(#[doc = #doc] #deprecated pub #f: #ty,)
    });
    let defaults = rules.params.iter().map(|p| {
        let f = ident(&p.rust_name);
        match &p.default {
            Some(d) => {
                let v = literal_tokens(d);
                quote!(#f: #v,)
            }
            None => quote!(#f: ::std::option::Option::None,),
        }
    });
    // `Default` is derived when every default is the type's own.
    let derivable = rules.params.iter().all(|p| match &p.default {
        None => true,
        Some(Literal::Bool(b)) => !b,
        Some(Literal::String(s)) => s.is_empty(),
        Some(Literal::StringArray(a)) => a.is_empty(),
    });
    let (derive, default_impl) = if derivable {
        (quote!(Default,), quote!())
    } else {
        (
            quote!(),
            quote! {
                impl ::std::default::Default for Params {
                    fn default() -> Self {
                        Params { #(#defaults)* }
                    }
                }
            },
        )
    };
    quote! {
        /// The parameters of the endpoint rule set. [`Params::default`] holds
        /// the rule set's defaults; set fields to change them.
        #[derive(Clone, Debug, #derive PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        #default_impl
    }
}

/// `Params::from_handle` and `params_for_*`, with the client.
fn client_params(model: &Model, rules: &RuleSet) -> TokenStream {
    let built_ins = rules.params.iter().filter_map(|p| {
        let f = ident(&p.rust_name);
        let value = built_in_value(p)?;
        Some(match (p.always_set(), p.ty) {
            (true, ParamType::Boolean) => quote!(#f: #value,),
            (true, _) => quote!(#f: #value.unwrap_or(defaults.#f),),
            (false, ParamType::Boolean) => quote!(#f: ::std::option::Option::Some(#value),),
            (false, _) => quote!(#f: #value,),
        })
    });
    let built_ins: Vec<TokenStream> = built_ins.collect();
    // Parameters without a configuration setting of their own can be set
    // by name.
    let client_ctx = rules.params.iter().filter(|p| built_in_value(p).is_none()).map(|p| {
        let f = ident(&p.rust_name);
        let name = &p.name;
        let read = match p.ty {
            ParamType::String => quote!(v.as_str().map(::std::borrow::ToOwned::to_owned)),
            ParamType::Boolean => quote!(v.as_bool()),
            ParamType::StringArray => quote!(v.as_array().map(|items| items.iter().filter_map(|i| i.as_str().map(::std::borrow::ToOwned::to_owned)).collect())),
        };
        let set = if p.always_set() {
            quote!(params.#f = v;)
        } else {
            quote!(params.#f = ::std::option::Option::Some(v);)
        };
        quote! {
            if let ::std::option::Option::Some(v) = handle.config().endpoint_param(#name).and_then(|v| #read) { #set }
        }
    });
    let all = built_ins.len() == rules.params.len();
    let needs_defaults = !all
        || rules
            .params
            .iter()
            .any(|p| p.always_set() && p.ty != ParamType::Boolean && built_in_value(p).is_some());
    let rest = if all { quote!() } else { quote!(..defaults) };
    let defaults = if needs_defaults {
        quote!(let defaults = Params::default();)
    } else {
        quote!()
    };
    let client_ctx: Vec<TokenStream> = client_ctx.collect();
    let initial = if built_ins.is_empty() {
        quote!(Params::default())
    } else {
        quote!(Params { #(#built_ins)* #rest })
    };
    let body = if client_ctx.is_empty() {
        quote!(#defaults #initial)
    } else {
        quote! {
            #defaults
            let mut params = #initial;
            #(#client_ctx)*
            params
        }
    };
    let ops = model
        .operations
        .iter()
        .filter(|o| !o.event_stream && !o.endpoint_params.is_empty())
        .map(|o| operation_params(model, rules, o));
    quote! {
        #[cfg(feature = "client-core")]
        impl Params {
            /// The parameters a client resolves with before an operation sets
            /// its own: the built-ins (region, FIPS, dual-stack, endpoint
            /// URL) from its configuration, and the other parameters set by
            /// name with `ConfigBuilder::endpoint_param`.
            pub fn from_handle(handle: &::smithy_rt::client::Handle) -> Self {
                #body
            }
        }

        #(#ops)*
    }
}

/// The value a client gives a built-in parameter: an `Option` for
/// strings, a `bool` for booleans.
fn built_in_value(p: &Param) -> Option<TokenStream> {
    Some(match (p.built_in.as_deref()?, p.ty) {
        ("AWS::Region", ParamType::String) => {
            quote!(handle.region().map(::std::borrow::ToOwned::to_owned))
        }
        ("SDK::Endpoint", ParamType::String) => {
            quote!(handle.endpoint_url().map(::std::borrow::ToOwned::to_owned))
        }
        ("AWS::UseFIPS", ParamType::Boolean) => quote!(handle.config().use_fips()),
        ("AWS::UseDualStack", ParamType::Boolean) => quote!(handle.config().use_dual_stack()),
        _ => return None,
    })
}

/// The name of the function that sets an operation's parameters.
pub(crate) fn operation_params_fn(o: &Operation) -> Ident {
    format_ident!("params_for_{}", o.fn_name.trim_start_matches("r#"))
}

fn operation_params(model: &Model, rules: &RuleSet, o: &Operation) -> TokenStream {
    let f = operation_params_fn(o);
    let fixed = o
        .endpoint_params
        .fixed
        .iter()
        .map(|(n, l)| set_param(rules, n, l));
    let members = o.endpoint_params.members.iter().map(|m| {
        let p = rules
            .params
            .iter()
            .find(|p| p.name == m.param)
            .expect("checked when lowered");
        let pf = ident(&p.rust_name);
        let field = ident(&m.field);
        let convert = match m.kind {
            ContextKind::String | ContextKind::StringList => quote!(v.clone()),
            ContextKind::Enum => quote!(::std::string::String::from(v.as_str())),
            ContextKind::Bool => quote!(*v),
        };
        let assign = if p.always_set() {
            quote!(params.#pf = #convert;)
        } else {
            quote!(params.#pf = ::std::option::Option::Some(#convert);)
        };
        if m.optional {
            quote!(if let ::std::option::Option::Some(v) = &input.#field { #assign })
        } else {
            quote!({ let v = &input.#field; #assign })
        }
    });
    let paths = o.endpoint_params.paths.iter().map(|cp| {
        let p = rules
            .params
            .iter()
            .find(|p| p.name == cp.param)
            .expect("checked when lowered");
        let pf = ident(&p.rust_name);
        let steps = cp.steps.iter().map(|s| match s {
            PathStep::Field {
                field,
                optional: true,
            } => {
                let f = ident(field);
                quote!(.filter_map(|x| x.#f.as_ref()))
            }
            PathStep::Field {
                field,
                optional: false,
            } => {
                let f = ident(field);
                quote!(.map(|x| &x.#f))
            }
            PathStep::Each { sparse: false } => quote!(.flat_map(|x| x.iter())),
            PathStep::Each { sparse: true } => quote!(.flat_map(|x| x.iter().flatten())),
            PathStep::Keys => quote!(.flat_map(|x| x.keys())),
        });
        let leaf = match cp.leaf {
            ContextKind::String | ContextKind::StringList => {
                quote!(.map(|s| ::std::string::String::from(s.as_str())))
            }
            ContextKind::Enum => quote!(.map(|e| ::std::string::String::from(e.as_str()))),
            ContextKind::Bool => quote!(.copied()),
        };
        let values = quote!(::std::iter::once(input) #(#steps)* #leaf);
        if cp.many {
            // No values (an absent member, or an empty list or map) leave
            // the parameter unset.
            let set = if p.always_set() {
                quote!(params.#pf = values;)
            } else {
                quote!(params.#pf = ::std::option::Option::Some(values);)
            };
            quote! {
                let values: ::std::vec::Vec<::std::string::String> = #values.collect();
                if !values.is_empty() { #set }
            }
        } else {
            let set = if p.always_set() {
                quote!(params.#pf = v;)
            } else {
                quote!(params.#pf = ::std::option::Option::Some(v);)
            };
            quote!(if let ::std::option::Option::Some(v) = #values.next() { #set })
        }
    });
    let input = match &o.input {
        Some(i) if o.endpoint_params.reads_input() => {
            let ty = super::paths::type_path(model.shape(i));
            quote!(, input: &#ty)
        }
        _ => quote!(),
    };
    let doc = format!(" Sets the endpoint parameters that `{}` binds.", o.id.name);
    quote! {
        #[cfg(feature = "client-core")]
        #[doc = #doc]
        pub(crate) fn #f(params: &mut Params #input) {
            #(#fixed)*
            #(#members)*
            #(#paths)*
        }
    }
}

fn resolve_fn(rules: &RuleSet) -> TokenStream {
    let used = used_refs(rules);
    let mut env: HashMap<String, Form> = HashMap::new();
    let mut bindings = Vec::new();
    for p in &rules.params {
        if !used.contains(&p.rust_name) {
            continue;
        }
        let f = ident(&p.rust_name);
        let (value, form) = match (p.ty, p.always_set()) {
            (ParamType::String, true) => (quote!(params.#f.as_str()), Form::Str),
            (ParamType::String, false) => (quote!(params.#f.as_deref()), opt(Form::Str)),
            (ParamType::Boolean, true) => (quote!(params.#f), Form::Bool),
            (ParamType::Boolean, false) => (quote!(params.#f), opt(Form::Bool)),
            (ParamType::StringArray, true) => (quote!(params.#f.as_slice()), Form::StrList),
            (ParamType::StringArray, false) => (quote!(params.#f.as_deref()), opt(Form::StrList)),
        };
        bindings.push(quote!(let #f = #value;));
        env.insert(p.rust_name.clone(), form);
    }
    let required = rules
        .params
        .iter()
        .filter(|p| p.required && !p.always_set())
        .map(|p| {
            let f = ident(&p.rust_name);
            let msg = format!("the endpoint parameter `{}` is required", p.name);
            quote! {
                if params.#f.is_none() {
                    return ::std::result::Result::Err(ResolveError::new(#msg));
                }
            }
        });
    let mut cx = Cx { labels: 0 };
    let body = cx.rules(&rules.rules, &env, true);
    quote! {
        /// Resolves the endpoint for `params` by the service's rule set: the
        /// URL, headers and properties (such as the signing name and region
        /// in `authSchemes`), or the rule set's error. Each thread keeps its
        /// last result, returned again for the same parameters.
        pub fn resolve(params: &Params) -> ::std::result::Result<Endpoint, ResolveError> {
            ::std::thread_local! {
                static LAST: ::smithy_rt::endpoint::Memo<Params> = const { ::std::cell::RefCell::new(::std::option::Option::None) };
            }
            ::smithy_rt::endpoint::memoized(&LAST, params, rules)
        }

        /// The rule set.
        fn rules(params: &Params) -> ::std::result::Result<Endpoint, ResolveError> {
            #(#required)*
            #(#bindings)*
            #body
        }
    }
}

fn opt(f: Form) -> Form {
    Form::Opt(Box::new(f))
}

/// Every Rust local referenced anywhere in the rule set.
fn used_refs(rules: &RuleSet) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for r in &rules.rules {
        rule_refs(r, &mut out);
    }
    out
}

fn rule_refs(r: &Rule, out: &mut BTreeSet<String>) {
    for c in &r.conditions {
        expr_refs(&c.expr, out);
    }
    kind_refs(&r.kind, out);
}

fn kind_refs(k: &RuleKind, out: &mut BTreeSet<String>) {
    match k {
        RuleKind::Endpoint(e) => {
            expr_refs(&e.url, out);
            for (_, vs) in &e.headers {
                for v in vs {
                    expr_refs(v, out);
                }
            }
            for (_, p) in &e.properties {
                property_refs(p, out);
            }
        }
        RuleKind::Error(e) => expr_refs(e, out),
        RuleKind::Tree(rules) => {
            for r in rules {
                rule_refs(r, out);
            }
        }
    }
}

fn property_refs(p: &Property, out: &mut BTreeSet<String>) {
    match p {
        Property::String(t) => template_refs(t, out),
        Property::Array(items) => items.iter().for_each(|i| property_refs(i, out)),
        Property::Object(items) => items.iter().for_each(|(_, i)| property_refs(i, out)),
        Property::Bool(_) | Property::Int(_) => {}
    }
}

fn template_refs(t: &Template, out: &mut BTreeSet<String>) {
    for p in &t.0 {
        if let TemplatePart::Expr(e) = p {
            expr_refs(e, out);
        }
    }
}

fn expr_refs(e: &Expr, out: &mut BTreeSet<String>) {
    match &e.kind {
        ExprKind::Ref(r) => {
            out.insert(r.clone());
        }
        ExprKind::Str(t) => template_refs(t, out),
        ExprKind::GetAttr(t, _) => expr_refs(t, out),
        ExprKind::Call(_, args) => args.iter().for_each(|a| expr_refs(a, out)),
        ExprKind::Bool(_) | ExprKind::Int(_) => {}
    }
}

/// The references in a rule after its `i`-th condition.
fn refs_after(r: &Rule, i: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for c in &r.conditions[i + 1..] {
        expr_refs(&c.expr, &mut out);
    }
    kind_refs(&r.kind, &mut out);
    out
}

struct Cx {
    labels: usize,
}

impl Cx {
    /// A list of rules. `tail`: in the function's tail position, where a
    /// rule that always applies is the value rather than a `return`.
    fn rules(&mut self, rules: &[Rule], env: &HashMap<String, Form>, tail: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for (i, r) in rules.iter().enumerate() {
            let last = i + 1 == rules.len();
            let (tokens, terminal) = self.rule(r, env, tail && last);
            out.extend(tokens);
            if terminal {
                return out;
            }
        }
        if tail {
            quote!(#out ::std::result::Result::Err(ResolveError::new(#EXHAUSTED)))
        } else {
            quote!(#out return ::std::result::Result::Err(ResolveError::new(#EXHAUSTED));)
        }
    }

    /// A rule, and whether it always applies (nothing after it runs).
    fn rule(&mut self, r: &Rule, env: &HashMap<String, Form>, tail: bool) -> (TokenStream, bool) {
        let label = syn::Lifetime::new(&format!("'r{}", self.labels), Span::call_site());
        self.labels += 1;
        let mut env = env.clone();
        let mut stmts = TokenStream::new();
        let mut breaks = false;
        for (i, c) in r.conditions.iter().enumerate() {
            let later = refs_after(r, i);
            let (s, b) = condition(c, &mut env, &later, &label);
            stmts.extend(s);
            breaks |= b;
        }
        let terminal = !breaks;
        let tail = tail && terminal;
        let result = match &r.kind {
            RuleKind::Endpoint(e) => {
                let v = endpoint_value(e, &env);
                if tail {
                    quote!(::std::result::Result::Ok(#v))
                } else {
                    quote!(return ::std::result::Result::Ok(#v);)
                }
            }
            RuleKind::Error(e) => {
                let m = string_owned(e, &env);
                if tail {
                    quote!(::std::result::Result::Err(ResolveError::new(#m)))
                } else {
                    quote!(return ::std::result::Result::Err(ResolveError::new(#m));)
                }
            }
            RuleKind::Tree(rules) => self.rules(rules, &env, tail),
        };
        let tokens = if breaks {
            quote!(#label: { #stmts #result })
        } else if stmts.is_empty() {
            result
        } else {
            quote!({ #stmts #result })
        };
        (tokens, terminal)
    }
}

/// A condition's statements, and whether they can `break`.
fn condition(
    c: &Condition,
    env: &mut HashMap<String, Form>,
    later: &BTreeSet<String>,
    label: &syn::Lifetime,
) -> (TokenStream, bool) {
    let mut out = TokenStream::new();
    let mut breaks = false;
    // Optional references passed where a value is needed: the condition
    // fails when they are unset.
    if let ExprKind::Call(f, args) = &c.expr.kind {
        if !matches!(f, Function::IsSet | Function::Coalesce | Function::Not) {
            for a in args {
                if let ExprKind::Ref(r) = &a.kind {
                    if let Some(Form::Opt(inner)) = env.get(r).cloned() {
                        let v = ident(r);
                        out.extend(quote!(let ::std::option::Option::Some(#v) = #v else { break #label; };));
                        env.insert(r.clone(), *inner);
                        breaks = true;
                    }
                }
            }
        }
    }
    // `isSet(ref)`.
    if let ExprKind::Call(Function::IsSet, args) = &c.expr.kind {
        let a = &args[0];
        let (tokens, form) = expr(a, env);
        let Form::Opt(inner) = form else {
            // Always set: nothing to check.
            return (out, breaks);
        };
        match (&a.kind, &c.assign) {
            (ExprKind::Ref(r), None) if later.contains(r) => {
                let v = ident(r);
                out.extend(
                    quote!(let ::std::option::Option::Some(#v) = #v else { break #label; };),
                );
                env.insert(r.clone(), *inner);
            }
            (_, None) => {
                out.extend(quote!(if #tokens.is_none() { break #label; }));
            }
            (_, Some(var)) => {
                out.extend(quote!(if #tokens.is_none() { break #label; }));
                if later.contains(&var.rust_name) {
                    let v = ident(&var.rust_name);
                    out.extend(quote!(let #v = true;));
                    env.insert(var.rust_name.clone(), Form::Bool);
                }
            }
        }
        return (out, true);
    }
    let (tokens, form) = expr(&c.expr, env);
    match (form, &c.assign) {
        (Form::Bool, assign) => {
            let negated = bool_expr(&c.expr, env, true);
            out.extend(quote!(if #negated { break #label; }));
            if let Some(var) = assign.as_ref().filter(|v| later.contains(&v.rust_name)) {
                let v = ident(&var.rust_name);
                out.extend(quote!(let #v = true;));
                env.insert(var.rust_name.clone(), Form::Bool);
            }
            (out, true)
        }
        (Form::Opt(inner), Some(var)) if later.contains(&var.rust_name) => {
            let v = ident(&var.rust_name);
            out.extend(
                quote!(let ::std::option::Option::Some(#v) = #tokens else { break #label; };),
            );
            env.insert(var.rust_name.clone(), *inner);
            (out, true)
        }
        (Form::Opt(_), _) => {
            out.extend(quote!(if #tokens.is_none() { break #label; }));
            (out, true)
        }
        (form, Some(var)) if later.contains(&var.rust_name) => {
            // A value that is always there (`uriEncode`, a non-optional
            // `coalesce`): the condition holds.
            let v = ident(&var.rust_name);
            out.extend(quote!(let #v = #tokens;));
            env.insert(var.rust_name.clone(), form);
            (out, breaks)
        }
        _ => (out, breaks),
    }
}

/// A boolean expression, negated when `negate`, without `== true` and
/// double negations.
fn bool_expr(e: &Expr, env: &HashMap<String, Form>, negate: bool) -> TokenStream {
    if let ExprKind::Call(f, args) = &e.kind {
        match f {
            Function::Not => return bool_expr(&args[0], env, !negate),
            Function::BooleanEquals => {
                for (a, b) in [(&args[0], &args[1]), (&args[1], &args[0])] {
                    if let ExprKind::Bool(v) = b.kind {
                        return bool_expr(a, env, negate == v);
                    }
                }
                // A comparison as an operand needs parentheses.
                let operand = |e: &Expr| {
                    let t = expr(e, env).0;
                    match &e.kind {
                        ExprKind::Call(Function::BooleanEquals | Function::StringEquals, _) => {
                            quote!((#t))
                        }
                        _ => t,
                    }
                };
                let (a, b) = (operand(&args[0]), operand(&args[1]));
                return if negate {
                    quote!(#a != #b)
                } else {
                    quote!(#a == #b)
                };
            }
            Function::StringEquals => {
                for (a, b) in [(&args[0], &args[1]), (&args[1], &args[0])] {
                    if matches!(&b.kind, ExprKind::Str(t) if t.0.is_empty()) {
                        let a = str_expr(a, env);
                        return if negate {
                            quote!(!#a.is_empty())
                        } else {
                            quote!(#a.is_empty())
                        };
                    }
                }
                let (a, b) = (str_expr(&args[0], env), str_expr(&args[1], env));
                return if negate {
                    quote!(#a != #b)
                } else {
                    quote!(#a == #b)
                };
            }
            Function::IsSet => {
                let (a, form) = expr(&args[0], env);
                return match (form, negate) {
                    (Form::Opt(_), true) => quote!(#a.is_none()),
                    (Form::Opt(_), false) => quote!(#a.is_some()),
                    // Always set.
                    (_, negate) => {
                        let v = !negate;
                        quote!(#v)
                    }
                };
            }
            _ => {}
        }
    }
    if let ExprKind::Bool(b) = e.kind {
        let v = b != negate;
        return quote!(#v);
    }
    let (tokens, _) = expr(e, env);
    if negate { quote!(!#tokens) } else { tokens }
}

/// An expression as `&str`.
fn str_expr(e: &Expr, env: &HashMap<String, Form>) -> TokenStream {
    let (tokens, form) = expr(e, env);
    match form {
        Form::String => quote!(#tokens.as_str()),
        _ => tokens,
    }
}

/// A string expression as a value for `impl Into<String>`.
fn string_owned(e: &Expr, env: &HashMap<String, Form>) -> TokenStream {
    expr(e, env).0
}

/// An expression and how its value is held.
fn expr(e: &Expr, env: &HashMap<String, Form>) -> (TokenStream, Form) {
    match &e.kind {
        ExprKind::Str(t) => template(t, env),
        ExprKind::Bool(b) => (quote!(#b), Form::Bool),
        ExprKind::Int(i) => {
            let i = Lit::usize_unsuffixed(usize::try_from(*i).unwrap_or(usize::MAX));
            (quote!(#i), Form::Int)
        }
        ExprKind::Ref(r) => {
            let form = env.get(r).cloned().expect("references are resolved");
            let v = ident(r);
            match form {
                Form::String => (quote!(#v.as_str()), Form::Str),
                Form::Url | Form::Arn => (quote!(#v), form),
                _ => (quote!(#v), form),
            }
        }
        ExprKind::GetAttr(target, path) => {
            let (mut tokens, mut form) = expr(target, env);
            for part in path {
                (tokens, form) = match (form.inner(), part) {
                    (Form::StrList, PathPart::Index(0)) => (
                        quote!(#tokens.first().map(|s| -> &str { s })),
                        opt(Form::Str),
                    ),
                    (Form::StrList, PathPart::Index(i)) => {
                        let i = Lit::usize_unsuffixed(*i);
                        (
                            quote!(#tokens.get(#i).map(|s| -> &str { s })),
                            opt(Form::Str),
                        )
                    }
                    (record, PathPart::Key(k)) => attr(&tokens, record, k),
                    _ => unreachable!("checked when lowered"),
                };
            }
            (tokens, form)
        }
        ExprKind::Call(f, args) => call(*f, args, env),
    }
}

fn attr(tokens: &TokenStream, record: &Form, key: &str) -> (TokenStream, Form) {
    let field = |name: &str| format_ident!("{}", name);
    match (record, key) {
        (Form::Url, "isIp") => (quote!(#tokens.is_ip), Form::Bool),
        (Form::Url, k) => {
            let f = field(match k {
                "scheme" => "scheme",
                "authority" => "authority",
                "path" => "path",
                _ => "normalized_path",
            });
            (quote!(#tokens.#f.as_str()), Form::Str)
        }
        (Form::Partition, "supportsFIPS") => (quote!(#tokens.supports_fips), Form::Bool),
        (Form::Partition, "supportsDualStack") => (quote!(#tokens.supports_dual_stack), Form::Bool),
        (Form::Partition, k) => {
            let f = field(match k {
                "name" => "name",
                "dnsSuffix" => "dns_suffix",
                "dualStackDnsSuffix" => "dual_stack_dns_suffix",
                _ => "implicit_global_region",
            });
            (quote!(#tokens.#f), Form::Str)
        }
        (Form::Arn, "resourceId") => (quote!(#tokens.resource_id), Form::StrList),
        (Form::Arn, k) => {
            let f = field(match k {
                "partition" => "partition",
                "service" => "service",
                "region" => "region",
                _ => "account_id",
            });
            (quote!(#tokens.#f), Form::Str)
        }
        _ => unreachable!("checked when lowered"),
    }
}

fn call(f: Function, args: &[Expr], env: &HashMap<String, Form>) -> (TokenStream, Form) {
    let rt = quote!(::smithy_rt::endpoint);
    let s = |i: usize| str_expr(&args[i], env);
    let v = |i: usize| expr(&args[i], env).0;
    match f {
        Function::BooleanEquals | Function::StringEquals | Function::Not | Function::IsSet => (
            bool_expr(
                &Expr {
                    kind: ExprKind::Call(f, args.to_vec()),
                    ty: crate::ir::endpoint::Type::Bool,
                },
                env,
                false,
            ),
            Form::Bool,
        ),
        Function::IsValidHostLabel => {
            let (a, b) = (s(0), v(1));
            (quote!(#rt::is_valid_host_label(#a, #b)), Form::Bool)
        }
        Function::AwsIsVirtualHostableS3Bucket => {
            let (a, b) = (s(0), v(1));
            (
                quote!(#rt::is_virtual_hostable_s3_bucket(#a, #b)),
                Form::Bool,
            )
        }
        Function::ParseUrl => {
            let a = s(0);
            (quote!(#rt::parse_url(#a)), opt(Form::Url))
        }
        Function::Substring => {
            let (a, b, c, d) = (s(0), v(1), v(2), v(3));
            (quote!(#rt::substring(#a, #b, #c, #d)), opt(Form::Str))
        }
        Function::UriEncode => {
            let a = s(0);
            (quote!(#rt::uri_encode(#a)), Form::String)
        }
        Function::AwsPartition => {
            let a = s(0);
            (quote!(#rt::partition(PARTITIONS, #a)), opt(Form::Partition))
        }
        Function::AwsParseArn => {
            let a = s(0);
            (quote!(#rt::parse_arn(#a)), opt(Form::Arn))
        }
        Function::Coalesce => {
            let compiled: Vec<(TokenStream, Form)> = args.iter().map(|a| expr(a, env)).collect();
            let all_opt = compiled.iter().all(|(_, f)| matches!(f, Form::Opt(_)));
            let inner = compiled[0].1.inner().clone();
            let mut it = compiled.into_iter();
            let (first, first_form) = it.next().expect("two or more arguments");
            let mut acc = if matches!(first_form, Form::Opt(_)) {
                first
            } else {
                return (first, first_form);
            };
            let mut done = false;
            for (t, form) in it {
                if done {
                    break;
                }
                if matches!(form, Form::Opt(_)) {
                    acc = quote!(#acc.or(#t));
                } else {
                    acc = quote!(#acc.unwrap_or(#t));
                    done = true;
                }
            }
            let form = if all_opt { opt(inner) } else { inner };
            (acc, form)
        }
    }
}

/// A template as a string value: a literal, one expression, or `format!`.
fn template(t: &Template, env: &HashMap<String, Form>) -> (TokenStream, Form) {
    if let Some(lit) = t.as_literal() {
        return (quote!(#lit), Form::Str);
    }
    if let [TemplatePart::Expr(e)] = t.0.as_slice() {
        return (str_expr(e, env), Form::Str);
    }
    // One allocation at the final size (cheaper than `format!`).
    let pieces = t.0.iter().map(|p| match p {
        TemplatePart::Lit(s) => quote!(#s),
        TemplatePart::Expr(e) => str_expr(e, env),
    });
    (
        quote!(::smithy_rt::endpoint::concat(&[#(#pieces),*])),
        Form::String,
    )
}

fn endpoint_value(e: &EndpointValue, env: &HashMap<String, Form>) -> TokenStream {
    let url = string_owned(&e.url, env);
    let headers = e.headers.iter().flat_map(|(name, values)| {
        values.iter().map(move |v| {
            let v = string_owned(v, env);
            quote!(.with_header(#name, #v))
        })
    });
    let props = e.properties.iter().map(|(k, p)| {
        let v = property(p, env);
        quote!(.with_property(#k, #v))
    });
    quote!(Endpoint::new(#url) #(#headers)* #(#props)*)
}

fn property(p: &Property, env: &HashMap<String, Form>) -> TokenStream {
    let v = quote!(::smithy_rt::endpoint::Value);
    match p {
        Property::String(t) => {
            let (s, _) = template(t, env);
            quote!(#v::String(::std::string::String::from(#s)))
        }
        Property::Bool(b) => quote!(#v::Bool(#b)),
        Property::Int(i) => quote!(#v::Int(#i)),
        Property::Array(items) => {
            let items = items.iter().map(|i| property(i, env));
            quote!(#v::Array(::std::vec![#(#items),*]))
        }
        Property::Object(items) => {
            let items = items.iter().map(|(k, i)| {
                let i = property(i, env);
                quote!((::std::string::String::from(#k), #i))
            });
            quote!(#v::Object(::std::collections::BTreeMap::from([#(#items),*])))
        }
    }
}

/// `static PARTITIONS`: the partition data, each region pattern as DFA
/// tables.
fn partition_table() -> TokenStream {
    let data: Value = serde_json::from_str(PARTITIONS_JSON).expect("the shipped data is JSON");
    let mut entries = Vec::new();
    let mut matchers = Vec::new();
    let mut consts = Vec::new();
    for (i, p) in data["partitions"]
        .as_array()
        .expect("a partition list")
        .iter()
        .enumerate()
    {
        let id = p["id"].as_str().expect("an id");
        let outputs = &p["outputs"];
        let regex = p["regionRegex"].as_str().expect("a region regex");
        let matcher = format_ident!("region_matches_{}", i);
        let translated =
            crate::ecma_regex::translate(regex).expect("the shipped regexes translate");
        let table = super::patterns::table(&translated.pattern).expect("small enough for tables");
        let dfa = super::patterns::dfa_tokens(&table);
        let doc = format!(" Whether a region is in partition `{id}`: `{regex}`.");
        matchers.push(quote! {
            #[doc = #doc]
            fn #matcher(region: &str) -> bool {
                static DFA: ::smithy_rt::validation::Dfa = #dfa;
                DFA.is_match(region)
            }
        });
        let part = |o: &Value, base: &Value| {
            let s = |k: &str| {
                o.get(k)
                    .and_then(Value::as_str)
                    .or_else(|| base.get(k).and_then(Value::as_str))
                    .unwrap_or_default()
                    .to_owned()
            };
            let b = |k: &str| {
                o.get(k)
                    .and_then(Value::as_bool)
                    .or_else(|| base.get(k).and_then(Value::as_bool))
                    .unwrap_or_default()
            };
            let (name, dns, dual, global) = (
                s("name"),
                s("dnsSuffix"),
                s("dualStackDnsSuffix"),
                s("implicitGlobalRegion"),
            );
            let (fips, ds) = (b("supportsFIPS"), b("supportsDualStack"));
            quote!(::smithy_rt::endpoint::Partition {
                name: #name,
                dns_suffix: #dns,
                dual_stack_dns_suffix: #dual,
                supports_fips: #fips,
                supports_dual_stack: #ds,
                implicit_global_region: #global,
            })
        };
        let mut regions: Vec<(&String, &Value)> = p["regions"]
            .as_object()
            .map(|m| m.iter().collect())
            .unwrap_or_default();
        regions.sort_by(|a, b| a.0.cmp(b.0));
        // A region without overrides shares its partition's outputs.
        let shared = format_ident!("OUTPUTS_{}", i);
        let outputs_tokens = part(outputs, outputs);
        let regions = regions.into_iter().map(|(name, r)| {
            let overridden = r
                .as_object()
                .is_some_and(|o| o.keys().any(|k| k != "description"));
            if overridden {
                let o = part(r, outputs);
                quote!((#name, #o))
            } else {
                quote!((#name, #shared))
            }
        });
        let doc = format!(" The outputs of partition `{id}`.");
        consts.push(quote! {
            #[doc = #doc]
            const #shared: ::smithy_rt::endpoint::Partition = #outputs_tokens;
        });
        entries.push(quote! {
            ::smithy_rt::endpoint::PartitionEntry {
                id: #id,
                region_regex: #matcher,
                regions: &[#(#regions),*],
                outputs: #shared,
            }
        });
    }
    quote! {
        /// The AWS partitions (`aws.partition`), in the order their region
        /// patterns are tried.
        static PARTITIONS: &[::smithy_rt::endpoint::PartitionEntry] = &[#(#entries),*];
        #(#consts)*
        #(#matchers)*
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_partitions_are_the_shared_ones() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/endpoints/partitions.json");
        if let Ok(text) = std::fs::read_to_string(shared) {
            assert_eq!(
                text,
                super::PARTITIONS_JSON,
                "codegen/data/partitions.json differs from ../shared/endpoints/partitions.json: copy it over"
            );
        }
    }
}
