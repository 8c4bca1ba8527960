//! The resolved, validated model that emitters read.
//!
//! Every reference is resolved to a shape that exists, prelude shapes are
//! known, traits are typed, recursive members are marked for boxing and every
//! Rust name is paired with its wire name. A value of [`Model`] exists only
//! for a model that passed validation, so emitters never re-check anything.

use std::collections::BTreeMap;
use std::fmt;

pub mod endpoint;

/// An absolute shape ID, `namespace#Name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    /// The namespace, e.g. `com.amazonaws.pcaconnectorscep`.
    pub namespace: String,
    /// The shape name, e.g. `Connector`.
    pub name: String,
}

impl ShapeId {
    /// Parses `namespace#Name`.
    pub fn parse(s: &str) -> Option<Self> {
        let (ns, name) = s.split_once('#')?;
        let ident = |p: &str| {
            let mut c = p.chars();
            matches!(c.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
                && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        (ns.split('.').all(ident) && ident(name)).then(|| Self {
            namespace: ns.to_owned(),
            name: name.to_owned(),
        })
    }

    /// `namespace#Name$member`, for diagnostics.
    pub fn member(&self, member: &str) -> String {
        format!("{self}${member}")
    }

    /// Whether this is a shape of the `smithy.api` prelude.
    pub fn is_prelude(&self) -> bool {
        self.namespace == "smithy.api"
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)
    }
}

/// A resolved model.
#[derive(Clone, Debug)]
pub struct Model {
    /// The service, when the model has one.
    pub service: Option<Service>,
    /// Every data shape the model defines or uses (prelude shapes included),
    /// by ID. Sorted, so iteration order is deterministic.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// Every operation, sorted by shape ID.
    pub operations: Vec<Operation>,
}

impl Model {
    /// The shape with this ID. Panics only on IDs that did not come from this
    /// model, which would be a generator bug.
    pub fn shape(&self, id: &ShapeId) -> &Shape {
        &self.shapes[id]
    }

    /// Every shape reachable from `roots` through members, list members and
    /// map keys and values, the roots included.
    pub fn reachable(
        &self,
        roots: impl IntoIterator<Item = ShapeId>,
    ) -> std::collections::BTreeSet<ShapeId> {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<ShapeId> = roots.into_iter().collect();
        while let Some(id) = stack.pop() {
            if seen.contains(&id) {
                continue;
            }
            if let Some(shape) = self.shapes.get(&id) {
                match &shape.kind {
                    ShapeKind::Structure(s) => {
                        stack.extend(s.members.iter().map(|m| m.target.clone()))
                    }
                    ShapeKind::Union(u) => stack.extend(u.members.iter().map(|m| m.target.clone())),
                    ShapeKind::List(l) => stack.push(l.member.target.clone()),
                    ShapeKind::Map(m) => {
                        stack.extend([m.key.target.clone(), m.value.target.clone()])
                    }
                    ShapeKind::Simple(_) | ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => {}
                }
            }
            seen.insert(id);
        }
        seen
    }
}

/// The service shape.
#[derive(Clone, Debug)]
pub struct Service {
    /// The service's shape ID.
    pub id: ShapeId,
    /// `version`.
    pub version: Option<String>,
    /// `aws.api#service` `sdkId`, when present.
    pub sdk_id: Option<String>,
    /// `aws.api#service` `endpointPrefix`, when present.
    pub endpoint_prefix: Option<String>,
    /// `aws.auth#sigv4` `name` (the signing name), when the service is
    /// signed with SigV4.
    pub sigv4_name: Option<String>,
    /// `smithy.api#title`, when present.
    pub title: Option<String>,
    /// Documentation, as Markdown.
    pub docs: Option<String>,
    /// The protocol traits applied to the service, e.g. `aws.protocols#restJson1`.
    pub protocols: Vec<String>,
    /// The protocol the generated bindings speak: the first of
    /// [`Protocol::ALL`] among `protocols`; `None` when the service has
    /// none the generator serves (types and validators only).
    pub protocol: Option<Protocol>,
    /// Errors common to all operations.
    pub errors: Vec<ShapeId>,
    /// `smithy.rules#endpointRuleSet`, when present.
    pub endpoint_rules: Option<endpoint::RuleSet>,
    /// `smithy.rules#endpointTests`, with a rule set.
    pub endpoint_tests: Vec<endpoint::EndpointTest>,
}

/// A wire protocol the generator writes server and client bindings for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// `aws.protocols#restJson1`: HTTP bindings and a JSON body.
    RestJson1,
    /// `aws.protocols#awsJson1_1`: `POST /`, the operation in `X-Amz-Target`.
    AwsJson1_1,
    /// `aws.protocols#awsJson1_0`: as 1.1, with its own media type.
    AwsJson1_0,
}

impl Protocol {
    /// Every protocol, in the order of preference when a service has several.
    pub const ALL: [Protocol; 3] = [Self::RestJson1, Self::AwsJson1_1, Self::AwsJson1_0];

    /// The protocol trait's shape ID.
    pub const fn trait_id(self) -> &'static str {
        match self {
            Self::RestJson1 => "aws.protocols#restJson1",
            Self::AwsJson1_1 => "aws.protocols#awsJson1_1",
            Self::AwsJson1_0 => "aws.protocols#awsJson1_0",
        }
    }

    /// The media type of JSON request and response bodies.
    pub const fn media_type(self) -> &'static str {
        match self {
            Self::RestJson1 => "application/json",
            Self::AwsJson1_1 => "application/x-amz-json-1.1",
            Self::AwsJson1_0 => "application/x-amz-json-1.0",
        }
    }

    /// Whether HTTP binding traits (`http`, `httpLabel`, `httpHeader`, ...)
    /// and `jsonName` mean anything on the wire.
    pub const fn has_http_bindings(self) -> bool {
        matches!(self, Self::RestJson1)
    }
}

/// An operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The operation's shape ID.
    pub id: ShapeId,
    /// Rust type-style name, e.g. `CreateConnector`.
    pub rust_name: String,
    /// Rust function-style name, e.g. `create_connector`.
    pub fn_name: String,
    /// Documentation, as Markdown.
    pub docs: Option<String>,
    /// Input structure; `None` for `smithy.api#Unit`.
    pub input: Option<ShapeId>,
    /// Output structure; `None` for `smithy.api#Unit`.
    pub output: Option<ShapeId>,
    /// Errors: the operation's own, then the service's, without repeats,
    /// sorted by shape ID.
    pub errors: Vec<ShapeId>,
    /// The `http` trait.
    pub http: Option<HttpRoute>,
    /// `readonly`.
    pub readonly: bool,
    /// `idempotent`.
    pub idempotent: bool,
    /// `paginated`, with the service's defaults merged in.
    pub paginated: Option<Paginated>,
    /// How a client authenticates the operation (`auth`, `optionalAuth`).
    pub auth: OperationAuth,
    /// `endpoint`: the host prefix, e.g. `{foo}.data.` (kept for clients;
    /// servers do not route on the host).
    pub host_prefix: Option<String>,
    /// `httpChecksumRequired`.
    pub checksum_required: bool,
    /// `requestCompression` encodings, e.g. `gzip`.
    pub request_compression: Vec<String>,
    /// Whether the input or output has an event stream member.
    pub event_stream: bool,
    /// The `smithy.test` compliance-test traits on the operation.
    pub compliance_tests: ComplianceTests,
    /// The endpoint rule-set parameters the operation sets.
    pub endpoint_params: endpoint::OperationParams,
}

/// How a client authenticates an operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OperationAuth {
    /// The service's schemes (SigV4 when it has `aws.auth#sigv4`).
    #[default]
    Service,
    /// `optionalAuth`: signed when credentials are at hand.
    Optional,
    /// `auth([])`, or an `auth` list without SigV4: never signed.
    None,
}

/// The values of the `smithy.test` compliance-test traits of a shape, as
/// raw JSON (a list of test cases each). They describe tests of the
/// generated code rather than the code itself, so they are kept as written
/// for the emitter of protocol tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComplianceTests {
    /// `smithy.test#httpRequestTests`.
    pub request: Vec<serde_json::Value>,
    /// `smithy.test#httpResponseTests`.
    pub response: Vec<serde_json::Value>,
    /// `smithy.test#httpMalformedRequestTests`.
    pub malformed: Vec<serde_json::Value>,
}

/// The `http` trait of an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRoute {
    /// Upper-case method, e.g. `POST`.
    pub method: String,
    /// The URI pattern as written.
    pub uri: String,
    /// Path segments.
    pub segments: Vec<Segment>,
    /// Whether the pattern ends with a `/` after its last segment
    /// (`/sessions/`). Requests are written with it; the router matches a
    /// request path with or without it.
    pub trailing_slash: bool,
    /// Query literals: `(name, value)`; value `None` for `?flag`.
    pub query: Vec<(String, Option<String>)>,
    /// Success status code.
    pub code: u16,
}

/// One path segment of a URI pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// `{name}` or, when greedy, `{name+}`.
    Label {
        /// The label (member) name.
        name: String,
        /// Whether the label spans several segments.
        greedy: bool,
    },
}

/// The `paginated` trait.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paginated {
    /// Input member holding the continuation token.
    pub input_token: Option<String>,
    /// Output member (path) holding the next token.
    pub output_token: Option<String>,
    /// Output member (path) holding the items.
    pub items: Option<String>,
    /// Input member holding the page size.
    pub page_size: Option<String>,
}

/// A data shape.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The shape ID.
    pub id: ShapeId,
    /// The Rust type name (after the service's `rename`, then casing).
    pub rust_name: String,
    /// Documentation, as Markdown.
    pub docs: Option<String>,
    /// `sensitive`.
    pub sensitive: bool,
    /// Which generated module the type goes into.
    pub category: Category,
    /// Constraint traits on the shape itself.
    pub constraints: Constraints,
    /// What kind of shape it is.
    pub kind: ShapeKind,
    /// `streaming` (a blob read as a stream, or a union of events).
    pub streaming: bool,
    /// `mediaType`, when present.
    pub media_type: Option<String>,
    /// `timestampFormat` on a timestamp shape.
    pub timestamp_format: Option<TimestampFormat>,
}

/// A `timestampFormat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// RFC 3339 in UTC, `2019-12-16T23:48:18Z`.
    DateTime,
    /// RFC 7231 IMF-fixdate, `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
    /// Seconds since the epoch, `1576540098` or `1576540098.5`.
    EpochSeconds,
}

impl TimestampFormat {
    /// The format's name in the model.
    pub fn as_str(self) -> &'static str {
        match self {
            TimestampFormat::DateTime => "date-time",
            TimestampFormat::HttpDate => "http-date",
            TimestampFormat::EpochSeconds => "epoch-seconds",
        }
    }
}

/// The module a generated type lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Shapes marked `@input`.
    Input,
    /// Shapes marked `@output`.
    Output,
    /// Shapes marked `@error`.
    Error,
    /// Everything else.
    Types,
}

impl Category {
    /// The module name.
    pub fn module(self) -> &'static str {
        match self {
            Category::Input => "input",
            Category::Output => "output",
            Category::Error => "error",
            Category::Types => "types",
        }
    }
}

/// The kinds of data shapes.
#[derive(Clone, Debug)]
// Shapes live once in the model's map; boxing the larger variants would only
// add indirection.
#[allow(clippy::large_enum_variant)]
pub enum ShapeKind {
    /// A simple (scalar) shape; generated code uses a Rust primitive or a
    /// runtime type for it.
    Simple(Simple),
    /// A string enum.
    Enum(Enum),
    /// An integer enum (`intEnum`).
    IntEnum(IntEnum),
    /// A list.
    List(List),
    /// A map.
    Map(Map),
    /// A structure.
    Structure(Structure),
    /// A union.
    Union(Union),
}

/// Scalar shape kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Simple {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string`
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `timestamp` (epoch-seconds in JSON bodies)
    Timestamp,
    /// `document`
    Document,
    /// `bigInteger`: an integer of any size.
    BigInteger,
    /// `bigDecimal`: a decimal of any size and precision.
    BigDecimal,
    /// `smithy.api#Unit`
    Unit,
}

/// A string enum.
#[derive(Clone, Debug)]
pub struct Enum {
    /// Values in declaration order.
    pub values: Vec<EnumValue>,
}

/// One value of a string enum.
#[derive(Clone, Debug)]
pub struct EnumValue {
    /// The member name in the model.
    pub name: String,
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: String,
    /// Documentation, as Markdown.
    pub docs: Option<String>,
    /// `internal`: a value left out of what servers tell clients (the
    /// allowed values in a validation message).
    pub internal: bool,
}

/// An integer enum.
#[derive(Clone, Debug)]
pub struct IntEnum {
    /// Values in declaration order.
    pub values: Vec<IntEnumValue>,
}

/// One value of an integer enum.
#[derive(Clone, Debug)]
pub struct IntEnumValue {
    /// The member name in the model.
    pub name: String,
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: i32,
    /// Documentation, as Markdown.
    pub docs: Option<String>,
}

/// A list.
#[derive(Clone, Debug)]
pub struct List {
    /// The member's target.
    pub member: MemberTarget,
    /// `sparse`: elements may be null.
    pub sparse: bool,
}

/// A map.
#[derive(Clone, Debug)]
pub struct Map {
    /// The key's target (a string or string enum).
    pub key: MemberTarget,
    /// The value's target.
    pub value: MemberTarget,
    /// `sparse`: values may be null.
    pub sparse: bool,
}

/// The target of a list or map member, with the member's own constraints.
#[derive(Clone, Debug)]
pub struct MemberTarget {
    /// The target shape.
    pub target: ShapeId,
    /// Constraint traits on the member itself.
    pub constraints: Constraints,
    /// Documentation on the member, as Markdown.
    pub docs: Option<String>,
    /// `timestampFormat` on the member itself.
    pub timestamp_format: Option<TimestampFormat>,
}

/// A structure.
#[derive(Clone, Debug)]
pub struct Structure {
    /// Members in declaration order.
    pub members: Vec<Member>,
    /// Present on `@error` structures.
    pub error: Option<ErrorInfo>,
}

/// The `error` and `httpError` traits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// `client` or `server`.
    pub fault: Fault,
    /// `httpError`, when present.
    pub http_status: Option<u16>,
    /// `retryable`: `Some(throttling)` when present.
    pub retryable: Option<bool>,
    /// `smithy.test#httpResponseTests` on the error structure, as raw JSON.
    pub response_tests: Vec<serde_json::Value>,
    /// `aws.protocols#awsQueryError` `code`: the error's code under the
    /// awsQuery protocol, which `@awsQueryCompatible` services also send.
    pub query_code: Option<String>,
}

/// Who is at fault for an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The caller.
    Client,
    /// The service.
    Server,
}

/// A union.
#[derive(Clone, Debug)]
pub struct Union {
    /// Members in declaration order; none is required.
    pub members: Vec<Member>,
}

/// A structure or union member.
#[derive(Clone, Debug)]
pub struct Member {
    /// The member name in the model.
    pub name: String,
    /// The key in JSON bodies (`jsonName`, else the member name).
    pub json_name: String,
    /// The Rust field (structures) or variant (unions) name.
    pub rust_name: String,
    /// The target shape.
    pub target: ShapeId,
    /// `required`.
    pub required: bool,
    /// Documentation, as Markdown (the member's, else the target's).
    pub docs: Option<String>,
    /// `sensitive` on the member's target.
    pub sensitive: bool,
    /// Whether the member is part of a containment cycle and so must be
    /// boxed.
    pub boxed: bool,
    /// Where the member travels in an HTTP message.
    pub binding: Binding,
    /// `idempotencyToken`.
    pub idempotency_token: bool,
    /// `default`, when the member has a (non-null) default value: it is
    /// filled in when absent on the wire.
    pub default: Option<DefaultValue>,
    /// `clientOptional`, or a member of an `input` structure (which Smithy
    /// treats as `clientOptional`): a client may leave the member unset. With
    /// a default, such a member is an `Option` in Rust, so that a value a
    /// client sets explicitly (even the default) is told apart from an unset
    /// one; readers still fill the default in.
    pub client_optional: bool,
    /// Constraint traits on the member itself.
    pub constraints: Constraints,
    /// `timestampFormat` on the member, else on its target.
    pub timestamp_format: Option<TimestampFormat>,
    /// `hostLabel`.
    pub host_label: bool,
}

impl Member {
    /// A parameter of the type's `new`: required, without a default.
    pub fn is_param(&self) -> bool {
        self.required && self.default.is_none()
    }

    /// A plain field rather than an `Option`: required, or with a default
    /// that clients cannot leave unset.
    pub fn is_present(&self) -> bool {
        match self.default {
            Some(_) => !self.client_optional,
            None => self.required,
        }
    }

    /// An `Option` that readers fill in with the default when the member is
    /// absent (see [`Member::client_optional`]).
    pub fn is_optional_default(&self) -> bool {
        self.default.is_some() && self.client_optional
    }
}

/// A member's `default` value, checked against its target's type.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// A boolean.
    Bool(bool),
    /// An integer (byte, short, integer, long), in range for its type.
    Int(i64),
    /// A float or double.
    Float(f64),
    /// A string, or an enum's wire value.
    String(String),
    /// A timestamp, in epoch seconds.
    Timestamp(f64),
    /// The empty list.
    EmptyList,
    /// The empty map.
    EmptyMap,
    /// A blob, as its bytes.
    Blob(Vec<u8>),
    /// A document (any JSON value but `null`).
    Document(serde_json::Value),
    /// A `bigInteger` or `bigDecimal`, as written.
    Big(String),
}

/// Where a member of an operation's input or output travels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// In the JSON body (the default).
    Body,
    /// In a URI label (`httpLabel`).
    Label,
    /// In a query parameter (`httpQuery`) of this name.
    Query(String),
    /// Every query parameter not bound otherwise (`httpQueryParams`).
    QueryParams,
    /// In a header (`httpHeader`) of this name.
    Header(String),
    /// In every header with this prefix (`httpPrefixHeaders`).
    PrefixHeaders(String),
    /// The whole body (`httpPayload`).
    Payload,
    /// The status code of a response (`httpResponseCode`).
    ResponseCode,
}

/// Constraint traits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `length`: `(min, max)`.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `range`: `(min, max)`.
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// `pattern`, as written and translated.
    pub pattern: Option<Pattern>,
    /// `uniqueItems`.
    pub unique_items: bool,
}

/// A `pattern` constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// As written in the model (ECMA-262); used in messages.
    pub ecma: String,
    /// Translated for the `regex` crate (or `fancy-regex`).
    pub rust: String,
    /// Which crate compiles `rust`.
    pub engine: crate::ecma_regex::Engine,
    /// Bounds on the value's length in characters, checked beside `rust`:
    /// set when the pattern is one bounded repetition of one character,
    /// translated as the unbounded repetition (see
    /// [`crate::ecma_regex::Translated::chars`]).
    pub chars: Option<(u32, u32)>,
}

impl Constraints {
    /// `self` with each constraint that `self` lacks taken from `fallback`:
    /// member-level traits override the target shape's.
    pub fn or(&self, fallback: &Constraints) -> Constraints {
        Constraints {
            length: self.length.or(fallback.length),
            range: self.range.or(fallback.range),
            pattern: self.pattern.clone().or_else(|| fallback.pattern.clone()),
            unique_items: self.unique_items || fallback.unique_items,
        }
    }

    /// Whether no constraint is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
