//! A service's endpoint rule set (`smithy.rules#endpointRuleSet`) and its
//! test cases (`smithy.rules#endpointTests`), parsed and type-checked.
//!
//! Every expression carries its type, every reference is resolved to a
//! parameter or to a variable assigned earlier in scope, and every function
//! is one this generator compiles. An `Option` value is only ever used
//! where the rules engine allows one (`isSet`, a condition, `coalesce`), so
//! the emitter never re-checks anything.

use serde_json::Value;

/// A rule set, ready to be compiled to Rust.
#[derive(Clone, Debug)]
pub struct RuleSet {
    /// The parameters, in the rule set's order.
    pub params: Vec<Param>,
    /// The top-level rules, in order.
    pub rules: Vec<Rule>,
    /// Whether any rule calls `aws.partition` (the crate then carries the
    /// partition table).
    pub uses_partitions: bool,
}

/// A rule-set parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// The name in the rule set, e.g. `UseFIPS`.
    pub name: String,
    /// The Rust field name, e.g. `use_fips`.
    pub rust_name: String,
    /// Its type.
    pub ty: ParamType,
    /// `builtIn`, e.g. `AWS::Region`.
    pub built_in: Option<String>,
    /// `required`.
    pub required: bool,
    /// `default`, of the parameter's type.
    pub default: Option<Literal>,
    /// `documentation`.
    pub docs: Option<String>,
    /// `deprecated`: its message, or an empty string.
    pub deprecated: Option<String>,
}

impl Param {
    /// Whether the value is always there (required with a default), so
    /// that the Rust field is not an `Option`.
    pub fn always_set(&self) -> bool {
        self.default.is_some()
    }
}

/// A parameter's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// A literal parameter value (a default, a test's value, a static context
/// parameter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

/// A rule: conditions, then what it yields.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The conditions, all of which must hold.
    pub conditions: Vec<Condition>,
    /// What the rule yields when they do.
    pub kind: RuleKind,
}

/// What a rule yields.
#[derive(Clone, Debug)]
pub enum RuleKind {
    /// An endpoint.
    Endpoint(EndpointValue),
    /// An error with this message (a string expression).
    Error(Expr),
    /// Subordinate rules, one of which must match.
    Tree(Vec<Rule>),
}

/// A condition: a function call, and the variable its result goes to.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The call.
    pub expr: Expr,
    /// `assign`: the variable's rule-set name and Rust name.
    pub assign: Option<Var>,
}

/// An assigned variable.
#[derive(Clone, Debug)]
pub struct Var {
    /// The name in the rule set.
    pub name: String,
    /// The Rust local's name.
    pub rust_name: String,
}

/// An endpoint rule's endpoint.
#[derive(Clone, Debug)]
pub struct EndpointValue {
    /// The URL: a string expression.
    pub url: Expr,
    /// Headers, by name, in the rule set's order.
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Properties, by key, in the rule set's order.
    pub properties: Vec<(String, Property)>,
}

/// An endpoint property value: literals, templates, lists and maps.
#[derive(Clone, Debug)]
pub enum Property {
    /// A string (a template).
    String(Template),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A list.
    Array(Vec<Property>),
    /// A map, in the rule set's key order.
    Object(Vec<(String, Property)>),
}

/// The type of a value in a rule set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// A string.
    String,
    /// A boolean.
    Bool,
    /// An integer (only as a literal argument).
    Int,
    /// A list of strings.
    StringArray,
    /// `parseURL`'s result.
    Url,
    /// `aws.parseArn`'s result.
    Arn,
    /// `aws.partition`'s result.
    Partition,
    /// A value that may be absent.
    Option(Box<Type>),
}

impl Type {
    /// The type inside any `Option`.
    pub fn inner(&self) -> &Type {
        match self {
            Type::Option(t) => t.inner(),
            t => t,
        }
    }

    /// Whether this is an `Option`.
    pub fn is_option(&self) -> bool {
        matches!(self, Type::Option(_))
    }
}

/// A typed expression.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Its type.
    pub ty: Type,
}

/// The expressions of the rules engine.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A string literal, possibly a template.
    Str(Template),
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A reference to a parameter or a variable: its Rust local's name.
    Ref(String),
    /// `getAttr`: a field of a record, or an element of a list.
    GetAttr(Box<Expr>, Vec<PathPart>),
    /// A function call.
    Call(Function, Vec<Expr>),
}

/// A part of a `getAttr` path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    /// A field, by its rule-set name.
    Key(String),
    /// A list element.
    Index(usize),
}

/// A template string: literal text and `{...}` expressions.
#[derive(Clone, Debug)]
pub struct Template(pub Vec<TemplatePart>);

impl Template {
    /// The text, when the template has no expression in it.
    pub fn as_literal(&self) -> Option<String> {
        self.0
            .iter()
            .map(|p| match p {
                TemplatePart::Lit(s) => Some(s.as_str()),
                TemplatePart::Expr(_) => None,
            })
            .collect()
    }
}

/// A part of a template.
#[derive(Clone, Debug)]
pub enum TemplatePart {
    /// Literal text.
    Lit(String),
    /// A string-typed expression.
    Expr(Expr),
}

/// The functions this generator compiles: the rules engine's standard
/// library and the AWS extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `booleanEquals`.
    BooleanEquals,
    /// `stringEquals`.
    StringEquals,
    /// `isSet`.
    IsSet,
    /// `not`.
    Not,
    /// `isValidHostLabel`.
    IsValidHostLabel,
    /// `parseURL`.
    ParseUrl,
    /// `substring`.
    Substring,
    /// `uriEncode`.
    UriEncode,
    /// `coalesce`.
    Coalesce,
    /// `aws.partition`.
    AwsPartition,
    /// `aws.parseArn`.
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket`.
    AwsIsVirtualHostableS3Bucket,
}

impl Function {
    /// The function of this rule-set name.
    pub fn from_name(name: &str) -> Option<Function> {
        Some(match name {
            "booleanEquals" => Function::BooleanEquals,
            "stringEquals" => Function::StringEquals,
            "isSet" => Function::IsSet,
            "not" => Function::Not,
            "isValidHostLabel" => Function::IsValidHostLabel,
            "parseURL" => Function::ParseUrl,
            "substring" => Function::Substring,
            "uriEncode" => Function::UriEncode,
            "coalesce" => Function::Coalesce,
            "aws.partition" => Function::AwsPartition,
            "aws.parseArn" => Function::AwsParseArn,
            "aws.isVirtualHostableS3Bucket" => Function::AwsIsVirtualHostableS3Bucket,
            _ => return None,
        })
    }
}

/// One `smithy.rules#endpointTests` case.
#[derive(Clone, Debug)]
pub struct EndpointTest {
    /// `documentation`.
    pub docs: Option<String>,
    /// The parameter values, by parameter name, after `operationInputs`
    /// (built-ins, client and context parameters) are applied.
    pub params: Vec<(String, Literal)>,
    /// What resolution must give.
    pub expect: Expectation,
}

/// An endpoint test's expectation.
#[derive(Clone, Debug)]
pub enum Expectation {
    /// An error with this message.
    Error(String),
    /// An endpoint.
    Endpoint {
        /// The URL.
        url: String,
        /// Headers and their values.
        headers: Vec<(String, Vec<String>)>,
        /// Properties, as JSON.
        properties: serde_json::Map<String, Value>,
    },
}

/// How an operation feeds the rule set's parameters
/// (`smithy.rules#staticContextParams`, `smithy.rules#contextParam`).
#[derive(Clone, Debug, Default)]
pub struct OperationParams {
    /// Parameters the operation sets to a constant.
    pub fixed: Vec<(String, Literal)>,
    /// Parameters bound to top-level input members (`contextParam`).
    pub members: Vec<ContextMember>,
    /// Parameters bound to paths into the input
    /// (`operationContextParams`).
    pub paths: Vec<ContextPath>,
}

/// A parameter bound to a path into the input (a JMESPath subset:
/// `A.B`, `A[*].B`, `keys(A)`).
#[derive(Clone, Debug)]
pub struct ContextPath {
    /// The parameter's name.
    pub param: String,
    /// The path as written.
    pub path: String,
    /// The steps from the input to the values.
    pub steps: Vec<PathStep>,
    /// What the values are.
    pub leaf: ContextKind,
    /// Whether the path can give several values (a projection, `keys`, or
    /// a list at its end).
    pub many: bool,
}

/// A step of a [`ContextPath`], from a set of values to the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathStep {
    /// A structure member.
    Field {
        /// Its Rust field.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
    },
    /// Every element of a list (`[*]`, or a list at the end of the path).
    Each {
        /// Whether the elements are `Option`s (`@sparse`).
        sparse: bool,
    },
    /// Every key of a map (`keys(...)`).
    Keys,
}

/// An input member bound to a parameter.
#[derive(Clone, Debug)]
pub struct ContextMember {
    /// The parameter's name.
    pub param: String,
    /// The member's name in the model (what test inputs use).
    pub member: String,
    /// The member's Rust field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// What the member holds.
    pub kind: ContextKind,
}

/// The Rust form of a context member's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextKind {
    /// A `String`.
    String,
    /// A string enum (`.as_str()`).
    Enum,
    /// A `bool`.
    Bool,
    /// A `Vec<String>`.
    StringList,
}

impl OperationParams {
    /// Whether the operation sets no parameter.
    pub fn is_empty(&self) -> bool {
        self.fixed.is_empty() && self.members.is_empty() && self.paths.is_empty()
    }

    /// Whether setting the parameters reads the input.
    pub fn reads_input(&self) -> bool {
        !self.members.is_empty() || !self.paths.is_empty()
    }
}
