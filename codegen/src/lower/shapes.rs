//! Data shapes and their members: kinds, enums, member targets, `jsonName`,
//! bindings on members, and `default` values.

use super::{Loc, Lower, doc, has};
use crate::ast;
use crate::ir::{self, ShapeId};
use crate::naming;
use serde_json::Value;
use std::collections::HashMap;

impl Lower<'_> {
    pub(super) fn data_shape(
        &mut self,
        id: &str,
        shape: &ast::Shape,
        renames: &HashMap<ShapeId, String>,
    ) -> Option<ir::Shape> {
        let sid = ShapeId::parse(id)?;
        let loc = Loc::shape(id);
        let t = shape.traits();
        let kind = match shape {
            ast::Shape::Blob(_) => ir::ShapeKind::Simple(ir::Simple::Blob),
            ast::Shape::Boolean(_) => ir::ShapeKind::Simple(ir::Simple::Boolean),
            ast::Shape::String(_) => ir::ShapeKind::Simple(ir::Simple::String),
            ast::Shape::Byte(_) => ir::ShapeKind::Simple(ir::Simple::Byte),
            ast::Shape::Short(_) => ir::ShapeKind::Simple(ir::Simple::Short),
            ast::Shape::Integer(_) => ir::ShapeKind::Simple(ir::Simple::Integer),
            ast::Shape::Long(_) => ir::ShapeKind::Simple(ir::Simple::Long),
            ast::Shape::Float(_) => ir::ShapeKind::Simple(ir::Simple::Float),
            ast::Shape::Double(_) => ir::ShapeKind::Simple(ir::Simple::Double),
            ast::Shape::Timestamp(_) => ir::ShapeKind::Simple(ir::Simple::Timestamp),
            ast::Shape::Document(_) => ir::ShapeKind::Simple(ir::Simple::Document),
            ast::Shape::BigInteger(_) => ir::ShapeKind::Simple(ir::Simple::BigInteger),
            ast::Shape::BigDecimal(_) => ir::ShapeKind::Simple(ir::Simple::BigDecimal),
            ast::Shape::Enum(a) => ir::ShapeKind::Enum(self.enum_shape(id, a)),
            ast::Shape::IntEnum(a) => ir::ShapeKind::IntEnum(self.int_enum_shape(id, a)),
            ast::Shape::List(l) | ast::Shape::Set(l) => {
                let member = self.member_target(Loc::member(id, "member"), &l.member)?;
                ir::ShapeKind::List(ir::List {
                    member,
                    sparse: has(t, "smithy.api#sparse"),
                })
            }
            ast::Shape::Map(m) => {
                let key = self.member_target(Loc::member(id, "key"), &m.key);
                let value = self.member_target(Loc::member(id, "value"), &m.value);
                if let Some(k) = &key {
                    let key_id = k.target.to_string();
                    let is_string = matches!(
                        self.model.shapes.get(&key_id),
                        Some(ast::Shape::String(_) | ast::Shape::Enum(_))
                    ) || key_id == "smithy.api#String";
                    if !is_string {
                        self.error(
                            Loc::member(id, "key"),
                            format!("map keys must target a string or enum shape, not `{key_id}`"),
                        );
                    }
                }
                ir::ShapeKind::Map(ir::Map {
                    key: key?,
                    value: value?,
                    sparse: has(t, "smithy.api#sparse"),
                })
            }
            ast::Shape::Structure(a) => {
                let members = self.members(id, a, false);
                let error = self.error_info(loc, t);
                ir::ShapeKind::Structure(ir::Structure { members, error })
            }
            ast::Shape::Union(a) => {
                let members = self.members(id, a, true);
                if members.is_empty() {
                    self.error(loc, "a union must have at least one member");
                }
                ir::ShapeKind::Union(ir::Union { members })
            }
            _ => return None,
        };
        let constraints = self.constraints(loc, t);
        let category = if has(t, "smithy.api#error") {
            ir::Category::Error
        } else if has(t, "smithy.api#input") {
            ir::Category::Input
        } else if has(t, "smithy.api#output") {
            ir::Category::Output
        } else {
            ir::Category::Types
        };
        let name = renames.get(&sid).unwrap_or(&sid.name);
        let timestamp_format = if matches!(shape, ast::Shape::Timestamp(_)) {
            self.timestamp_format(loc, t)
        } else {
            if has(t, "smithy.api#timestampFormat") {
                self.trait_error(
                    loc,
                    "smithy.api#timestampFormat",
                    "timestampFormat applies only to timestamps",
                );
            }
            None
        };
        let media_type = match t.and_then(|t| t.get("smithy.api#mediaType")) {
            None => None,
            Some(Value::String(m))
                if matches!(shape, ast::Shape::Blob(_) | ast::Shape::String(_)) =>
            {
                Some(m.clone())
            }
            Some(_) => {
                self.trait_error(
                    loc,
                    "smithy.api#mediaType",
                    "mediaType must be a string on a blob or string shape",
                );
                None
            }
        };
        let streaming = has(t, "smithy.api#streaming");
        if streaming && !matches!(shape, ast::Shape::Blob(_) | ast::Shape::Union(_)) {
            self.trait_error(
                loc,
                "smithy.api#streaming",
                "streaming applies only to blobs and unions",
            );
        }
        Some(ir::Shape {
            streaming,
            media_type,
            timestamp_format,
            rust_name: naming::type_name(name),
            docs: doc(t),
            sensitive: has(t, "smithy.api#sensitive"),
            category,
            constraints,
            kind,
            id: sid,
        })
    }

    /// The `timestampFormat` trait, when present and valid.
    pub(super) fn timestamp_format(
        &mut self,
        loc: Loc<'_>,
        t: Option<&ast::Traits>,
    ) -> Option<ir::TimestampFormat> {
        let v = t.and_then(|t| t.get("smithy.api#timestampFormat"))?;
        match v.as_str() {
            Some("date-time") => Some(ir::TimestampFormat::DateTime),
            Some("http-date") => Some(ir::TimestampFormat::HttpDate),
            Some("epoch-seconds") => Some(ir::TimestampFormat::EpochSeconds),
            _ => {
                self.trait_error(
                    loc,
                    "smithy.api#timestampFormat",
                    format!("timestampFormat {v} is not one of \"date-time\", \"http-date\", \"epoch-seconds\""),
                );
                None
            }
        }
    }

    pub(super) fn int_enum_shape(&mut self, id: &str, a: &ast::Aggregate) -> ir::IntEnum {
        let mut values = Vec::new();
        let mut seen: HashMap<i64, String> = HashMap::new();
        for (name, m) in a.members.iter().flatten() {
            let loc = Loc::member(id, name);
            self.check_traits(loc, m.traits.as_ref());
            let value = m
                .traits
                .as_ref()
                .and_then(|t| t.get("smithy.api#enumValue"))
                .and_then(Value::as_i64)
                .filter(|v| i32::try_from(*v).is_ok());
            let Some(value) = value else {
                self.trait_error(
                    loc,
                    "smithy.api#enumValue",
                    "an intEnum member needs an integer `enumValue` that fits in 32 bits",
                );
                continue;
            };
            if let Some(other) = seen.insert(value, name.clone()) {
                self.error(
                    loc,
                    format!("intEnum value {value} is also the value of member `{other}`"),
                );
            }
            values.push(ir::IntEnumValue {
                rust_name: naming::variant_name(name),
                docs: doc(m.traits.as_ref()),
                name: name.clone(),
                value: value as i32,
            });
        }
        if values.is_empty() {
            self.error(Loc::shape(id), "an intEnum must have at least one member");
        }
        ir::IntEnum { values }
    }

    pub(super) fn error_info(
        &mut self,
        loc: Loc<'_>,
        t: Option<&ast::Traits>,
    ) -> Option<ir::ErrorInfo> {
        let fault = match t?.get("smithy.api#error")?.as_str() {
            Some("client") => ir::Fault::Client,
            Some("server") => ir::Fault::Server,
            _ => {
                self.trait_error(
                    loc,
                    "smithy.api#error",
                    "the `error` trait must be \"client\" or \"server\"",
                );
                ir::Fault::Client
            }
        };
        let http_status = match t.and_then(|t| t.get("smithy.api#httpError")) {
            None => None,
            Some(v) => match v.as_u64().filter(|c| (100..=599).contains(c)) {
                Some(c) => Some(c as u16),
                None => {
                    self.trait_error(
                        loc,
                        "smithy.api#httpError",
                        format!("httpError {v} is not an HTTP status code"),
                    );
                    None
                }
            },
        };
        let retryable = t.and_then(|t| t.get("smithy.api#retryable")).map(|r| {
            r.get("throttling")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        });
        Some(ir::ErrorInfo {
            fault,
            http_status,
            retryable,
            response_tests: super::http::test_cases(t, "smithy.test#httpResponseTests"),
            query_code: t
                .and_then(|t| t.get("aws.protocols#awsQueryError"))
                .and_then(|v| v.get("code"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }

    pub(super) fn enum_shape(&mut self, id: &str, a: &ast::Aggregate) -> ir::Enum {
        let mut values = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (name, m) in a.members.iter().flatten() {
            let loc = Loc::member(id, name);
            self.check_traits(loc, m.traits.as_ref());
            if m.target != "smithy.api#Unit" {
                self.error(
                    loc,
                    format!(
                        "enum members must target smithy.api#Unit, not `{}`",
                        m.target
                    ),
                );
            }
            let value = match m
                .traits
                .as_ref()
                .and_then(|t| t.get("smithy.api#enumValue"))
            {
                None => name.clone(),
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(v) => {
                    self.trait_error(
                        loc,
                        "smithy.api#enumValue",
                        format!("enumValue {v} must be a non-empty string"),
                    );
                    continue;
                }
            };
            if let Some(other) = seen.insert(value.clone(), name.clone()) {
                self.error(
                    loc,
                    format!("enum value \"{value}\" is also the value of member `{other}`"),
                );
            }
            values.push(ir::EnumValue {
                internal: has(m.traits.as_ref(), "smithy.api#internal"),
                rust_name: naming::variant_name(name),
                docs: doc(m.traits.as_ref()),
                name: name.clone(),
                value,
            });
        }
        if values.is_empty() {
            self.error(Loc::shape(id), "an enum must have at least one member");
        }
        ir::Enum { values }
    }

    pub(super) fn member_target(
        &mut self,
        loc: Loc<'_>,
        m: &ast::Member,
    ) -> Option<ir::MemberTarget> {
        self.check_traits(loc, m.traits.as_ref());
        let target = self.resolve(loc, "member target", &m.target)?;
        self.check_target_is_data(loc, &target);
        Some(ir::MemberTarget {
            timestamp_format: self.timestamp_format(loc, m.traits.as_ref()),
            constraints: self.constraints(loc, m.traits.as_ref()),
            docs: doc(m.traits.as_ref()),
            target,
        })
    }

    pub(super) fn check_target_is_data(&mut self, loc: Loc<'_>, target: &ShapeId) {
        if let Some(s) = self.model.shapes.get(&target.to_string()) {
            if matches!(
                s,
                ast::Shape::Service(_)
                    | ast::Shape::Operation(_)
                    | ast::Shape::Resource(_)
                    | ast::Shape::Apply(_)
            ) {
                self.error(
                    loc,
                    format!(
                        "member target `{target}` is a {}, not a data shape",
                        s.type_name()
                    ),
                );
            }
        }
    }

    pub(super) fn members(&mut self, id: &str, a: &ast::Aggregate, union: bool) -> Vec<ir::Member> {
        let mut out = Vec::new();
        let input = has(a.traits.as_ref(), "smithy.api#input");
        for (name, m) in a.members.iter().flatten() {
            let loc = Loc::member(id, name);
            if ShapeId::parse(&format!("x#{name}")).is_none() {
                self.error(loc, "member name is not a valid identifier");
                continue;
            }
            let Some(mt) = self.member_target(loc, m) else {
                continue;
            };
            let t = m.traits.as_ref();
            let required = has(t, "smithy.api#required");
            if union && required {
                self.trait_error(
                    loc,
                    "smithy.api#required",
                    "union members cannot be required",
                );
            }
            let is_timestamp = self
                .target_is(&mt.target, |s| matches!(s, ast::Shape::Timestamp(_)))
                || mt.target.to_string() == "smithy.api#Timestamp";
            let is_timestamp_list = self.target_is(&mt.target, |s| {
                matches!(s, ast::Shape::List(l) | ast::Shape::Set(l) if l.member.target == "smithy.api#Timestamp"
                    || self.model.shapes.get(&l.member.target).is_some_and(|t| matches!(t, ast::Shape::Timestamp(_))))
            });
            if has(t, "smithy.api#timestampFormat") && !is_timestamp && !is_timestamp_list {
                self.trait_error(
                    loc,
                    "smithy.api#timestampFormat",
                    "timestampFormat applies only to timestamp members",
                );
            }
            let timestamp_format = mt.timestamp_format.or_else(|| {
                self.model
                    .shapes
                    .get(&mt.target.to_string())
                    .and_then(ast::Shape::traits)
                    .and_then(|t| t.get("smithy.api#timestampFormat"))
                    .and_then(Value::as_str)
                    .and_then(|f| match f {
                        "date-time" => Some(ir::TimestampFormat::DateTime),
                        "http-date" => Some(ir::TimestampFormat::HttpDate),
                        "epoch-seconds" => Some(ir::TimestampFormat::EpochSeconds),
                        _ => None,
                    })
            });
            let json_name = match t.and_then(|t| t.get("smithy.api#jsonName")) {
                None => name.clone(),
                Some(Value::String(s)) => s.clone(),
                Some(v) => {
                    self.trait_error(
                        loc,
                        "smithy.api#jsonName",
                        format!("jsonName {v} must be a string"),
                    );
                    name.clone()
                }
            };
            let binding = self.binding(loc, t);
            let target_traits = self
                .model
                .shapes
                .get(&mt.target.to_string())
                .and_then(ast::Shape::traits);
            let docs = mt.docs.clone().or_else(|| doc(target_traits));
            out.push(ir::Member {
                rust_name: if union {
                    naming::variant_name(name)
                } else {
                    naming::field_name(name)
                },
                json_name,
                required,
                docs,
                sensitive: has(t, "smithy.api#sensitive")
                    || has(target_traits, "smithy.api#sensitive"),
                boxed: false,
                binding,
                idempotency_token: has(t, "smithy.api#idempotencyToken"),
                default: t
                    .and_then(|t| t.get("smithy.api#default"))
                    .and_then(|v| self.default_value(loc, v, &mt.target)),
                constraints: mt.constraints,
                timestamp_format,
                client_optional: input || has(t, "smithy.api#clientOptional"),
                host_label: has(t, "smithy.api#hostLabel"),
                target: mt.target,
                name: name.clone(),
            });
        }
        out
    }

    /// A member's `default` value, checked against its target. `null` means
    /// no default.
    pub(super) fn default_value(
        &mut self,
        loc: Loc<'_>,
        v: &Value,
        target: &ShapeId,
    ) -> Option<ir::DefaultValue> {
        use ir::DefaultValue as D;
        if v.is_null() {
            return None;
        }
        let kind: Option<&str> = if target.is_prelude() {
            match target.name.as_str() {
                "Boolean" | "PrimitiveBoolean" => Some("boolean"),
                "Byte" | "PrimitiveByte" => Some("byte"),
                "Short" | "PrimitiveShort" => Some("short"),
                "Integer" | "PrimitiveInteger" => Some("integer"),
                "Long" | "PrimitiveLong" => Some("long"),
                "Float" | "PrimitiveFloat" => Some("float"),
                "Double" | "PrimitiveDouble" => Some("double"),
                "String" => Some("string"),
                "Timestamp" => Some("timestamp"),
                "Blob" => Some("blob"),
                "Document" => Some("document"),
                "BigInteger" => Some("bigInteger"),
                "BigDecimal" => Some("bigDecimal"),
                _ => None,
            }
        } else {
            self.model
                .shapes
                .get(&target.to_string())
                .map(ast::Shape::type_name)
        };
        let int_range = |k: &str| match k {
            "byte" => Some((i64::from(i8::MIN), i64::from(i8::MAX))),
            "short" => Some((i64::from(i16::MIN), i64::from(i16::MAX))),
            "integer" => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            "long" => Some((i64::MIN, i64::MAX)),
            _ => None,
        };
        let value = match (kind, v) {
            (Some("boolean"), Value::Bool(b)) => Some(D::Bool(*b)),
            (Some(k @ ("byte" | "short" | "integer" | "long")), Value::Number(n)) => n
                .as_i64()
                .filter(|i| int_range(k).is_some_and(|(lo, hi)| (lo..=hi).contains(i)))
                .map(D::Int),
            (Some("float" | "double"), Value::Number(n)) => n.as_f64().map(D::Float),
            (Some("string"), Value::String(s)) => Some(D::String(s.clone())),
            (Some("enum"), Value::String(s)) => {
                let known = match self.model.shapes.get(&target.to_string()) {
                    Some(ast::Shape::Enum(a)) => a.members.iter().flatten().any(|(name, m)| {
                        m.traits
                            .as_ref()
                            .and_then(|t| t.get("smithy.api#enumValue"))
                            .and_then(Value::as_str)
                            .unwrap_or(name)
                            == s
                    }),
                    _ => false,
                };
                known.then(|| D::String(s.clone()))
            }
            (Some("timestamp"), Value::Number(n)) => n.as_f64().map(D::Timestamp),
            (Some("timestamp"), Value::String(s)) => parse_rfc3339(s).map(D::Timestamp),
            (Some("intEnum"), Value::Number(n)) => {
                n.as_i64().filter(|i| i32::try_from(*i).is_ok()).map(D::Int)
            }
            (Some("bigInteger"), Value::Number(n)) if n.is_i64() || n.is_u64() => {
                Some(D::Big(n.to_string()))
            }
            (Some("bigDecimal"), Value::Number(n)) => Some(D::Big(n.to_string())),
            (Some("blob"), Value::String(s)) => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .ok()
                    .map(D::Blob)
            }
            (Some("document"), v) => Some(D::Document(v.clone())),
            (Some("list" | "set"), Value::Array(a)) if a.is_empty() => Some(D::EmptyList),
            (Some("map"), Value::Object(o)) if o.is_empty() => Some(D::EmptyMap),
            _ => None,
        };
        if value.is_none() {
            self.trait_error(
                loc,
                "smithy.api#default",
                format!(
                    "default {v} doesn't fit `{target}` ({}): a default can be a boolean, a number in range, a string, one of the enum's values, epoch seconds or an RFC 3339 string for a timestamp, base64 for a blob, any JSON value for a document, [] or {{}}",
                    kind.unwrap_or("unknown type")
                ),
            );
        }
        value
    }

    pub(super) fn target_is(&self, id: &ShapeId, f: impl Fn(&ast::Shape) -> bool) -> bool {
        self.model.shapes.get(&id.to_string()).is_some_and(f)
    }
}

pub(super) fn prelude_simple(name: &str) -> Option<ir::Simple> {
    super::PRELUDE_SIMPLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
}

pub(super) fn prelude_shape(id: ShapeId, kind: ir::Simple) -> ir::Shape {
    ir::Shape {
        streaming: false,
        media_type: None,
        timestamp_format: None,
        rust_name: naming::type_name(&id.name),
        docs: None,
        sensitive: false,
        category: ir::Category::Types,
        constraints: ir::Constraints::default(),
        kind: ir::ShapeKind::Simple(kind),
        id,
    }
}

/// Seconds since the epoch of an RFC 3339 UTC timestamp
/// (`1985-04-12T23:20:50.52Z`), for timestamp defaults.
fn parse_rfc3339(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, se) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    let rest = &s[19..];
    let (frac, zone) = match rest.strip_prefix('.') {
        Some(r) => {
            let end = r.find(|c: char| !c.is_ascii_digit())?;
            (format!("0.{}", &r[..end]).parse::<f64>().ok()?, &r[end..])
        }
        None => (0.0, rest),
    };
    if !matches!(zone, "Z" | "z")
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || se > 60
    {
        return None;
    }
    // Days from the civil date (proleptic Gregorian).
    let (y, m) = if mo <= 2 {
        (y - 1, mo + 9)
    } else {
        (y, mo - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + mi * 60 + se) as f64 + frac)
}
