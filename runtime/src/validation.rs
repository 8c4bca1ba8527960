//! Constraint validation plumbing for generated validators.
//!
//! Generated code walks a value member by member, in declaration order, and
//! reports each broken constraint to a [`Violations`] collector with the
//! member's [`Path`]. Nothing is allocated while a value is valid: paths are
//! linked frames on the stack and are rendered (as JSON pointers with wire
//! names) only when a violation is recorded, regexes are compiled once per
//! process, and the collector's `Vec` stays empty.
//!
//! Messages follow smithy-rs's wording and never echo the value itself,
//! which may be sensitive.

use std::fmt::{self, Write as _};
use std::sync::OnceLock;

/// Where a member is, relative to the value being validated: a chain of
/// frames on the stack.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The value itself.
    Root,
    /// A structure member or map key under `parent`.
    Key(&'a Path<'a>, &'a str),
    /// A list element under `parent`.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// A member or map key below this path.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// A list element below this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write(out);
                out.push('/');
                // RFC 6901 escaping.
                for c in key.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Path::Index(parent, i) => {
                parent.write(out);
                let _ = write!(out, "/{i}");
            }
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}

/// One broken constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer to the member, with wire names, e.g.
    /// `/MobileDeviceManagement/Intune/Domain`.
    pub path: String,
    /// What is wrong, e.g. `Value at '/ConnectorArn' failed to satisfy
    /// constraint: Member must not be null`.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every violation found in a value, in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Violations {
    items: Vec<Violation>,
}

impl Violations {
    /// An empty collector (no allocation).
    pub const fn new() -> Self {
        Self { items: Vec::new() }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many violations were found.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.items.iter()
    }

    /// `Ok` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The message of the service's `ValidationException`:
    /// `N validation error(s) detected. ` followed by each violation's
    /// message, separated by `; `.
    pub fn message(&self) -> String {
        let n = self.items.len();
        let mut s = format!(
            "{n} validation error{} detected.",
            if n == 1 { "" } else { "s" }
        );
        for (i, v) in self.items.iter().enumerate() {
            s.push_str(if i == 0 { " " } else { "; " });
            s.push_str(&v.message);
        }
        s
    }

    fn push(&mut self, path: &Path<'_>, message: impl FnOnce(&str) -> String) {
        let mut p = String::new();
        path.write(&mut p);
        let message = message(&p);
        self.items.push(Violation { path: p, message });
    }

    /// A required member is missing.
    pub fn required(&mut self, path: &Path<'_>) {
        self.push(path, |p| {
            format!("Value at '{p}' failed to satisfy constraint: Member must not be null")
        });
    }

    /// Checks `length` (`len` is chars for strings, bytes for blobs, entries
    /// for lists and maps).
    #[inline]
    pub fn length(&mut self, path: &Path<'_>, len: usize, min: Option<u64>, max: Option<u64>) {
        let len64 = len as u64;
        if min.is_some_and(|m| len64 < m) || max.is_some_and(|m| len64 > m) {
            self.push(path, |p| {
                let rule = bounds_rule(min, max);
                format!(
                    "Value with length {len} at '{p}' failed to satisfy constraint: Member must have length {rule}"
                )
            });
        }
    }

    /// Checks `range` on an integer.
    #[inline]
    pub fn range_int(&mut self, path: &Path<'_>, value: i64, min: Option<i64>, max: Option<i64>) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            self.range_violation(path, min.map(|m| m.to_string()), max.map(|m| m.to_string()));
        }
    }

    /// Checks `range` on a float. NaN is outside every range.
    #[inline]
    pub fn range_float(&mut self, path: &Path<'_>, value: f64, min: Option<f64>, max: Option<f64>) {
        // NaN compares as neither below nor within: outside every range.
        let below = min.is_some_and(|m| value.is_nan() || value < m);
        let above = max.is_some_and(|m| value.is_nan() || value > m);
        if below || above {
            self.range_violation(path, min.map(|m| m.to_string()), max.map(|m| m.to_string()));
        }
    }

    fn range_violation(&mut self, path: &Path<'_>, min: Option<String>, max: Option<String>) {
        self.push(path, |p| {
            let rule = bounds_rule(min, max);
            format!("Value at '{p}' failed to satisfy constraint: Member must be {rule}")
        });
    }

    /// Checks `pattern`.
    #[inline]
    pub fn pattern(&mut self, path: &Path<'_>, value: &str, pattern: &Pattern) {
        if !pattern.is_match(value) {
            self.push(path, |p| {
                format!(
                    "Value at '{p}' failed to satisfy constraint: Member must satisfy regular expression pattern: {}",
                    pattern.ecma
                )
            });
        }
    }

    /// An enum value outside the enum's set.
    pub fn enum_value(&mut self, path: &Path<'_>, allowed: &[&str]) {
        self.push(path, |p| {
            format!(
                "Value at '{p}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                allowed.join(", ")
            )
        });
    }

    /// An integer enum value outside the enum's set.
    pub fn int_enum_value(&mut self, path: &Path<'_>, allowed: &[i32]) {
        self.push(path, |p| {
            let allowed: Vec<String> = allowed.iter().map(i32::to_string).collect();
            format!(
                "Value at '{p}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                allowed.join(", ")
            )
        });
    }

    /// A union whose member is not one this model knows.
    pub fn unknown_union_member(&mut self, path: &Path<'_>) {
        self.push(path, |p| {
            format!(
                "Value at '{p}' failed to satisfy constraint: Member must have exactly one known union member set"
            )
        });
    }

    /// Checks `uniqueItems`. The message names the list, not the repeated
    /// items, as the restJson1 protocol tests expect
    /// (`RestJsonMalformedUniqueItems*`).
    pub fn unique_items<T: PartialEq>(&mut self, path: &Path<'_>, items: &[T]) {
        let repeated = items
            .iter()
            .enumerate()
            .any(|(i, a)| items[i + 1..].iter().any(|b| a == b));
        if repeated {
            self.push(path, |p| {
                format!("Value at '{p}' failed to satisfy constraint: Member must have unique values")
            });
        }
    }
}

/// `between 1 and 64, inclusive`, `greater than or equal to 1`, or
/// `less than or equal to 64`.
fn bounds_rule<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("between {a} and {b}, inclusive"),
        (Some(a), None) => format!("greater than or equal to {a}"),
        (None, Some(b)) => format!("less than or equal to {b}"),
        (None, None) => String::from("within its bounds"),
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Violations {}

/// A `pattern` constraint: the ECMA-262 source (for messages) and its
/// translation to the `regex` dialect, compiled on first use and then shared
/// by every thread for the life of the process.
pub struct Pattern {
    ecma: &'static str,
    rust: &'static str,
    compiled: OnceLock<Compiled>,
}

enum Compiled {
    /// A fully built DFA: the fastest match for the small anchored patterns
    /// models use. The regex is compiled only if a search ever gives up.
    Dfa {
        dfa: Box<regex_automata::dfa::dense::DFA<Vec<u32>>>,
        fallback: OnceLock<regex::Regex>,
    },
    Regex(regex::Regex),
    #[cfg(feature = "fancy-regex")]
    Fancy(fancy_regex::Regex),
}

impl Pattern {
    /// A pattern for the `regex` crate. `rust` was translated and checked by
    /// the generator.
    pub const fn new(ecma: &'static str, rust: &'static str) -> Self {
        Self {
            ecma,
            rust,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as written in the model.
    pub fn as_str(&self) -> &'static str {
        self.ecma
    }

    /// Whether `value` matches. Matching does not allocate once the regex's
    /// per-thread cache is warm.
    pub fn is_match(&self, value: &str) -> bool {
        match self.compiled.get_or_init(|| self.compile()) {
            Compiled::Dfa { dfa, fallback } => {
                use regex_automata::dfa::Automaton as _;
                let input = regex_automata::Input::new(value).earliest(true);
                match dfa.try_search_fwd(&input) {
                    Ok(found) => found.is_some(),
                    Err(_) => fallback.get_or_init(|| self.regex()).is_match(value),
                }
            }
            Compiled::Regex(r) => r.is_match(value),
            // A pattern that exceeds the backtracking limit does not match.
            #[cfg(feature = "fancy-regex")]
            Compiled::Fancy(r) => r.is_match(value).unwrap_or(false),
        }
    }

    fn regex(&self) -> regex::Regex {
        regex_builder(self.rust)
            .unwrap_or_else(|e| panic!("pattern {:?} checked by the generator: {e}", self.rust))
    }

    fn compile(&self) -> Compiled {
        use regex_automata::dfa::dense;
        // Small patterns become a dense DFA; one that would be large (or
        // can't be a DFA) stays with the regex crate's lazy engines.
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .dfa_size_limit(Some(512 * 1024))
                    .determinize_size_limit(Some(2 * 1024 * 1024)),
            )
            .build(self.rust);
        if let Ok(dfa) = dfa {
            return Compiled::Dfa {
                dfa: Box::new(dfa),
                fallback: OnceLock::new(),
            };
        }
        match regex_builder(self.rust) {
            Ok(r) => Compiled::Regex(r),
            #[cfg(feature = "fancy-regex")]
            Err(_) => Compiled::Fancy(fancy_regex::Regex::new(self.rust).unwrap_or_else(|e| {
                panic!("pattern {:?} checked by the generator: {e}", self.rust)
            })),
            #[cfg(not(feature = "fancy-regex"))]
            Err(e) => panic!(
                "pattern {:?} needs smithy-rt's `fancy-regex` feature: {e}",
                self.rust
            ),
        }
    }
}

/// The regex crate with a generous size limit: patterns come from models
/// that the generator has checked, and are compiled once.
fn regex_builder(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(64 * 1024 * 1024)
        .build()
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.ecma).finish()
    }
}

/// Types whose constraints can be checked: implemented by generated code for
/// every structure and union reachable from an operation input.
pub trait Validate {
    /// Checks every constraint below `path`, adding violations to `out`.
    fn validate_into(&self, path: &Path<'_>, out: &mut Violations);

    /// Checks every constraint; all violations, or `Ok`.
    fn validate(&self) -> Result<(), Violations> {
        let mut out = Violations::new();
        self.validate_into(&Path::Root, &mut out);
        out.into_result()
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, path: &Path<'_>, out: &mut Violations) {
        (**self).validate_into(path, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_as_json_pointers() {
        let root = Path::Root;
        let tags = root.key("Tags");
        let key = tags.key("a/b~c d");
        assert_eq!(key.to_string(), "/Tags/a~1b~0c d");
        let keys = root.key("TagKeys");
        assert_eq!(keys.index(3).to_string(), "/TagKeys/3");
        assert_eq!(root.to_string(), "");
    }

    #[test]
    fn messages_use_smithy_rs_wording() {
        let root = Path::Root;
        let mut v = Violations::new();
        v.required(&root.key("ConnectorArn"));
        v.length(&root.key("ClientToken"), 250, Some(1), Some(64));
        v.length(&root.key("A"), 0, Some(1), None);
        v.length(&root.key("B"), 9, None, Some(8));
        v.length(&root.key("Ok"), 8, Some(1), Some(8));
        v.range_int(&root.key("MaxResults"), 0, Some(1), Some(1000));
        v.range_float(&root.key("F"), f64::NAN, Some(0.5), None);
        v.enum_value(&root.key("Type"), &["GENERAL_PURPOSE", "INTUNE"]);
        let p = Pattern::new(r"^a\/b$", "^a/b$");
        v.pattern(&root.key("P"), "a/b", &p);
        v.pattern(&root.key("P"), "a/c", &p);
        v.unique_items(&root.key("U"), &[1, 2, 1]);
        let messages: Vec<&str> = v.iter().map(|x| x.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Value at '/ConnectorArn' failed to satisfy constraint: Member must not be null",
                "Value with length 250 at '/ClientToken' failed to satisfy constraint: Member must have length between 1 and 64, inclusive",
                "Value with length 0 at '/A' failed to satisfy constraint: Member must have length greater than or equal to 1",
                "Value with length 9 at '/B' failed to satisfy constraint: Member must have length less than or equal to 8",
                "Value at '/MaxResults' failed to satisfy constraint: Member must be between 1 and 1000, inclusive",
                "Value at '/F' failed to satisfy constraint: Member must be greater than or equal to 0.5",
                "Value at '/Type' failed to satisfy constraint: Member must satisfy enum value set: [GENERAL_PURPOSE, INTUNE]",
                "Value at '/P' failed to satisfy constraint: Member must satisfy regular expression pattern: ^a\\/b$",
                "Value at '/U' failed to satisfy constraint: Member must have unique values",
            ]
        );
        assert!(
            v.message()
                .starts_with("9 validation errors detected. Value at '/ConnectorArn'")
        );
        assert!(v.message().contains("not be null; Value with length 250"));
    }

    #[test]
    fn one_violation_is_singular() {
        let mut v = Violations::new();
        v.required(&Path::Root.key("X"));
        assert_eq!(
            v.message(),
            "1 validation error detected. Value at '/X' failed to satisfy constraint: Member must not be null"
        );
        assert!(Violations::new().into_result().is_ok());
    }

    #[test]
    fn patterns_match_whole_values_when_anchored() {
        let arn = Pattern::new(r"^arn:\d{2}$", r"^arn:[0-9]{2}$");
        assert!(arn.is_match("arn:12"));
        for bad in ["arn:123", "xarn:12", "arn:1", "arn:١٢", ""] {
            assert!(!arn.is_match(bad), "{bad}");
        }
        let unanchored = Pattern::new("x", "x");
        assert!(unanchored.is_match("abxc"));
        let multibyte = Pattern::new("^é+$", "^é+$");
        assert!(multibyte.is_match("éé") && !multibyte.is_match("e"));
        // Too big for a dense DFA: falls back to the regex crate.
        let huge = Pattern::new("huge", r"^\w{1,60}$");
        assert!(huge.is_match("abcé"));
        assert!(matches!(huge.compiled.get(), Some(Compiled::Regex(_))));
        assert!(matches!(arn.compiled.get(), Some(Compiled::Dfa { .. })));
    }

    #[cfg(feature = "fancy-regex")]
    #[test]
    fn lookaround_patterns_use_fancy_regex() {
        let p = Pattern::new(r"^(?!^\s+$)[a-z ]+$", r"^(?!^\s+$)[a-z ]+$");
        assert!(p.is_match("a b"));
        assert!(!p.is_match("   "));
    }
}
