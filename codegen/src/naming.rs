//! Every Rust name the generator emits is made here.
//!
//! Names come from Smithy identifiers via heck, so acronyms are folded the
//! way Rust API guidelines ask (`ARN` becomes `Arn` in type names and `arn`
//! in field names). Identifiers that are Rust keywords are escaped: as raw
//! identifiers where Rust allows that, with a trailing `_` where it doesn't
//! (`self`, `super`, `crate`, `Self`). Collisions after casing are detected
//! by the lowering pass, which reports them as errors.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition (strict, 2018+ and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A name ready for `syn::Ident` parsing: either a plain identifier or
/// `r#keyword`.
fn escape(name: String) -> String {
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The Rust type name of a shape: `UpperCamelCase`.
pub fn type_name(shape_name: &str) -> String {
    escape(shape_name.to_upper_camel_case())
}

/// The Rust field name of a structure member: `snake_case`.
pub fn field_name(member_name: &str) -> String {
    escape(member_name.to_snake_case())
}

/// The Rust function/method name for an operation: `snake_case`.
pub fn fn_name(name: &str) -> String {
    field_name(name)
}

/// The client's own methods, which no operation's method may take.
pub const CLIENT_METHODS: &[&str] = &["new", "config"];

/// The method of the generated client that calls an operation whose
/// function name is `fn_name`: the same name, unless the client has a
/// method of that name (`new`, `config`), then with `_operation` added.
pub fn client_method(fn_name: &str) -> String {
    let base = fn_name.trim_start_matches("r#");
    if CLIENT_METHODS.contains(&base) {
        format!("{base}_operation")
    } else {
        fn_name.to_owned()
    }
}

/// The client's methods for a `@paginated` operation: its pages and its
/// items.
pub fn paginator_methods(fn_name: &str) -> (String, String) {
    let base = fn_name.trim_start_matches("r#");
    (format!("{base}_paginator"), format!("{base}_items"))
}

/// The Rust module name for a namespace-free identifier: `snake_case`.
pub fn module_name(name: &str) -> String {
    field_name(name)
}

/// The name of the variant that open enums and unions use for values this
/// version of the model does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The Rust variant name of an enum or union member: `UpperCamelCase`. A
/// member that would be called `Unknown` becomes `UnknownValue`, so that it
/// does not collide with the catch-all variant.
pub fn variant_name(member_name: &str) -> String {
    let name = type_name(member_name);
    if name == UNKNOWN_VARIANT {
        "UnknownValue".to_owned()
    } else {
        name
    }
}

/// A member name for a value of a Smithy 1.0 `enum` trait that has no
/// `name`: the value with every character that can't be in an identifier
/// replaced by `_` (and a leading `_` before a digit), so `text/plain`
/// becomes `text_plain`. The variant name is then made from it as from any
/// member name.
pub fn enum_member_from_value(value: &str) -> String {
    let mut name: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, '_');
    }
    name
}

/// The local variable generated code keeps a member's value in while it
/// works on a structure: `m_` before the field name, so that it can never
/// be one of the generated code's own locals (`path`, `out`, `value`, ...),
/// whatever the model calls its members.
pub fn member_local(field: &str) -> String {
    format!("m_{}", field.trim_start_matches("r#"))
}

/// The Rust package name for a crate generated from a service: the service's
/// `sdkId` (or shape name) in kebab case.
pub fn crate_name(service_name: &str) -> String {
    service_name.to_snake_case().replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_acronyms() {
        assert_eq!(type_name("SCEPConnector"), "ScepConnector");
        assert_eq!(field_name("ConnectorArn"), "connector_arn");
        assert_eq!(field_name("ConnectorARN"), "connector_arn");
        assert_eq!(field_name("NextToken"), "next_token");
        assert_eq!(variant_name("GENERAL_PURPOSE"), "GeneralPurpose");
        assert_eq!(
            variant_name("PRIVATECA_ACCESS_DENIED"),
            "PrivatecaAccessDenied"
        );
    }

    #[test]
    fn escapes_keywords() {
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("match"), "r#match");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(variant_name("1ST"), "_1st");
    }

    #[test]
    fn keeps_the_catch_all_variant_free() {
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("Unknown"), "UnknownValue");
    }

    #[test]
    fn legacy_enum_values_become_member_names() {
        assert_eq!(enum_member_from_value("text/plain"), "text_plain");
        assert_eq!(enum_member_from_value("1.0"), "_1_0");
        assert_eq!(enum_member_from_value(""), "_");
        assert_eq!(
            variant_name(&enum_member_from_value("us-east-1")),
            "UsEast1"
        );
    }

    #[test]
    fn crate_names_are_kebab_case() {
        assert_eq!(crate_name("Pca Connector Scep"), "pca-connector-scep");
    }
}
