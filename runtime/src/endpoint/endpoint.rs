//! What a resolved rule set returns: an [`Endpoint`] (URL, headers,
//! properties) or a [`ResolveError`], and the [`Value`] tree that endpoint
//! properties are made of.

use std::collections::BTreeMap;
use std::fmt;

/// A value of an endpoint property: properties are arbitrarily nested maps
/// and arrays of strings and booleans (integers are accepted as well).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array of values, in order.
    Array(Vec<Value>),
    /// An object (a map of string keys to values), sorted by key.
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// The string, when this is a [`Value::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, when this is a [`Value::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, when this is a [`Value::Int`].
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The elements, when this is a [`Value::Array`].
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The map, when this is a [`Value::Object`].
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::String(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}

impl From<Vec<Value>> for Value {
    fn from(value: Vec<Value>) -> Self {
        Value::Array(value)
    }
}

impl From<BTreeMap<String, Value>> for Value {
    fn from(value: BTreeMap<String, Value>) -> Self {
        Value::Object(value)
    }
}

/// A resolved endpoint: the URL to send the request to, headers to add to
/// it, and properties (such as `authSchemes`) that adjust signing.
///
/// Headers are kept in the order their names were first added; the values
/// of one name keep the order they were added in. Two endpoints are equal
/// when their URLs, properties and headers (by name, ignoring ASCII case,
/// and each name's values in order) are equal, whatever the order the
/// header names were added in.
#[derive(Clone, Debug)]
pub struct Endpoint {
    url: String,
    headers: Vec<(String, Vec<String>)>,
    properties: BTreeMap<String, Value>,
}

impl Endpoint {
    /// An endpoint at `url`, with no headers and no properties.
    pub fn new(url: impl Into<String>) -> Self {
        Endpoint {
            url: url.into(),
            headers: Vec::new(),
            properties: BTreeMap::new(),
        }
    }

    /// Adds `value` to the values of header `name`.
    ///
    /// Names are compared ignoring ASCII case: a value for a name already
    /// present (in any case) is appended to that name's list, which keeps the
    /// spelling it was first added with. A new name is kept as given.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let value = value.into();
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            Some((_, values)) => values.push(value),
            None => self.headers.push((name, vec![value])),
        }
        self
    }

    /// Sets property `key` to `value`, replacing any earlier value.
    #[must_use]
    pub fn with_property(mut self, key: impl Into<String>, value: Value) -> Self {
        self.properties.insert(key.into(), value);
        self
    }

    /// The endpoint's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers, each name with its values, in the order the names were
    /// first added (see [`Endpoint::with_header`]).
    pub fn headers(&self) -> &[(String, Vec<String>)] {
        &self.headers
    }

    /// The values of header `name` (compared ignoring ASCII case), if any.
    pub fn header(&self, name: &str) -> Option<&[String]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, values)| values.as_slice())
    }

    /// All properties, sorted by key.
    pub fn properties(&self) -> &BTreeMap<String, Value> {
        &self.properties
    }

    /// The property `key`, if set.
    pub fn property(&self, key: &str) -> Option<&Value> {
        self.properties.get(key)
    }

    /// The first entry of the `authSchemes` property whose `name` is one of
    /// `names` (e.g. `["sigv4", "sigv4a"]`), as an object map.
    ///
    /// Entries are looked at in the property's order (its priority order);
    /// entries that are not objects or have no string `name` are skipped.
    /// `None` when there is no such property, it is not an array, or no
    /// entry matches.
    pub fn auth_scheme(&self, names: &[&str]) -> Option<&BTreeMap<String, Value>> {
        self.properties
            .get("authSchemes")?
            .as_array()?
            .iter()
            .filter_map(Value::as_object)
            .find(|scheme| {
                scheme
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|name| names.contains(&name))
            })
    }
}

impl PartialEq for Endpoint {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
            && self.properties == other.properties
            && self.headers.len() == other.headers.len()
            && self
                .headers
                .iter()
                .all(|(name, values)| other.header(name) == Some(values.as_slice()))
    }
}

impl Eq for Endpoint {}

/// Why a rule set did not resolve to an endpoint: an error rule's message,
/// a missing required parameter, or the rules being exhausted.
///
/// `Display` prints exactly the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    message: String,
}

impl ResolveError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        ResolveError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResolveError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(name: &str, region: &str) -> Value {
        let mut m = BTreeMap::new();
        m.insert("name".to_owned(), Value::from(name));
        m.insert("signingRegion".to_owned(), Value::from(region));
        Value::Object(m)
    }

    #[test]
    fn value_accessors() {
        assert_eq!(Value::from("a").as_str(), Some("a"));
        assert_eq!(Value::from(String::from("b")).as_str(), Some("b"));
        assert_eq!(Value::from(true).as_bool(), Some(true));
        assert_eq!(Value::from(7i64).as_int(), Some(7));
        assert_eq!(Value::from(true).as_str(), None);
        assert_eq!(Value::from("a").as_bool(), None);
        assert_eq!(Value::from("a").as_int(), None);
        let arr = Value::from(vec![Value::from("x"), Value::from(false)]);
        assert_eq!(arr.as_array().map(<[Value]>::len), Some(2));
        assert_eq!(arr.as_object(), None);
        let obj = Value::from(BTreeMap::from([("k".to_owned(), Value::from("v"))]));
        assert_eq!(
            obj.as_object().and_then(|o| o.get("k")),
            Some(&Value::from("v"))
        );
        assert_eq!(obj.as_array(), None);
    }

    #[test]
    fn headers_keep_order_and_merge_names() {
        let e = Endpoint::new("https://example.com")
            .with_header("x-b", "1")
            .with_header("X-A", "2")
            .with_header("X-B", "3")
            .with_header("x-b", "4");
        assert_eq!(e.url(), "https://example.com");
        assert_eq!(
            e.headers(),
            &[
                (
                    "x-b".to_owned(),
                    vec!["1".to_owned(), "3".to_owned(), "4".to_owned()]
                ),
                ("X-A".to_owned(), vec!["2".to_owned()]),
            ]
        );
        assert_eq!(e.header("X-b").map(<[String]>::len), Some(3));
        assert_eq!(e.header("x-a"), Some(&["2".to_owned()][..]));
        assert_eq!(e.header("x-c"), None);
    }

    #[test]
    fn equality_ignores_header_name_order_not_value_order() {
        let a = Endpoint::new("https://e")
            .with_header("a", "1")
            .with_header("b", "2");
        let b = Endpoint::new("https://e")
            .with_header("b", "2")
            .with_header("A", "1");
        assert_eq!(a, b);
        let c = Endpoint::new("https://e")
            .with_header("a", "1")
            .with_header("a", "2");
        let d = Endpoint::new("https://e")
            .with_header("a", "2")
            .with_header("a", "1");
        assert_ne!(c, d);
        assert_ne!(a, Endpoint::new("https://e").with_header("a", "1"));
        assert_ne!(
            a,
            Endpoint::new("https://f")
                .with_header("a", "1")
                .with_header("b", "2")
        );
        assert_ne!(
            Endpoint::new("https://e").with_property("p", Value::from(true)),
            Endpoint::new("https://e").with_property("p", Value::from(false))
        );
    }

    #[test]
    fn properties_and_auth_scheme() {
        let e = Endpoint::new("https://e")
            .with_property("flag", Value::from(true))
            .with_property(
                "authSchemes",
                Value::Array(vec![
                    Value::from("not an object"),
                    scheme("sigv4a", "*"),
                    scheme("sigv4", "us-east-1"),
                ]),
            );
        assert_eq!(e.property("flag"), Some(&Value::Bool(true)));
        assert_eq!(e.property("none"), None);
        assert_eq!(
            e.properties().keys().collect::<Vec<_>>(),
            ["authSchemes", "flag"]
        );
        let s = e.auth_scheme(&["sigv4"]).expect("sigv4 present");
        assert_eq!(s.get("signingRegion"), Some(&Value::from("us-east-1")));
        // The first matching entry wins, in the property's order.
        let s = e.auth_scheme(&["sigv4", "sigv4a"]).expect("one present");
        assert_eq!(s.get("name"), Some(&Value::from("sigv4a")));
        assert_eq!(e.auth_scheme(&["bearer"]), None);
        assert_eq!(Endpoint::new("https://e").auth_scheme(&["sigv4"]), None);
        let not_array = Endpoint::new("https://e").with_property("authSchemes", Value::from("x"));
        assert_eq!(not_array.auth_scheme(&["sigv4"]), None);
    }

    #[test]
    fn resolve_error_displays_its_message() {
        let e =
            ResolveError::new("Invalid Configuration: FIPS and custom endpoint are not supported");
        assert_eq!(
            e.to_string(),
            "Invalid Configuration: FIPS and custom endpoint are not supported"
        );
        assert_eq!(e.message(), e.to_string());
        let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
        assert_eq!(boxed.to_string(), e.message());
    }
}
