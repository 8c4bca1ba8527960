//! The shared AWS `config` and `credentials` files, read as the AWS CLI and
//! SDKs read them, and the settings resolved from them and the environment
//! (region, endpoint URL).
//!
//! # The format
//!
//! Both files are INI files of sections (`[name]`) holding properties
//! (`key = value`):
//!
//! - In the `config` file, `[default]` and `[profile NAME]` are profiles
//!   (`[profile default]` is the default profile too, and when both are
//!   present it replaces `[default]` entirely, as the SDKs do);
//!   `[sso-session NAME]` and `[services NAME]` are sections of their own
//!   kind. Any other section, a bare `[NAME]` among them, is ignored, as
//!   the CLI ignores it.
//! - In the `credentials` file, `[NAME]` is profile `NAME` and a section
//!   name with a space in it (`[profile NAME]`) is ignored.
//! - Section names are case-sensitive and trimmed; a name made of more than
//!   two words (`[profile a b]`) is ignored.
//! - A line whose first non-blank character is `#` or `;` is a comment. On
//!   a property line, `#` or `;` after a space or tab starts a comment too
//!   (`region = us-east-1 # Ohio`); so does either right after a section
//!   header's `]`. Continuation lines keep them.
//! - Keys are trimmed and lower-cased (the CLI's parser lower-cases them);
//!   values are trimmed and keep their case.
//! - A line indented further than the property line above it continues
//!   that property: its trimmed text is appended after a newline. When the
//!   property's own value is empty (`s3 =`), its indented lines are
//!   sub-properties instead, `key = value` each (their keys keep their
//!   case, as the CLI keeps them). Any other line, indented or not (right
//!   after a section header, say), is read on its own, as the CLI reads it.
//! - A later duplicate key replaces an earlier one, and sections of the
//!   same name in one file are merged (the SDKs' behaviour; the CLI's
//!   strict INI parser rejects duplicates).
//! - A profile in both files gets the properties of both, the
//!   `credentials` file's winning for a key in both (as the CLI merges
//!   them).
//!
//! Malformed lines make the whole file an error ([`ProfileError`], naming
//! the file and line), as the CLI refuses to run with a file it cannot
//! parse: a property before any section header, a header without `]`, an
//! empty header (`[]`), text after a header's `]` that is not a comment, a
//! property or sub-property line without `=`, or with nothing before its
//! `=`. A section that is ignored still has to be well-formed. Keys are
//! not checked further: a key the SDKs would not accept (`a b = c`) is
//! kept, and simply never asked for.

use super::env::Env;
use std::collections::BTreeMap;
use std::fmt;

/// Which kind of section a [`Section`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SectionKind {
    /// `[default]` or `[profile NAME]` in `config`, `[NAME]` in
    /// `credentials`.
    Profile,
    /// `[sso-session NAME]` in `config`.
    SsoSession,
    /// `[services NAME]` in `config`: per-service settings, keyed by
    /// [`services_key`], as sub-properties.
    Services,
}

/// A profile (the `[default]` profile, `[profile NAME]`).
pub type Profile = Section;

/// One named section of the shared files: a profile, an `sso-session` or a
/// `services` section, with its properties.
///
/// `Debug` prints every key but not the values of keys that look secret
/// (containing `secret`, `token`, `password`, or `credential_process`).
#[derive(Clone, PartialEq, Eq)]
pub struct Section {
    kind: SectionKind,
    name: String,
    properties: BTreeMap<String, Value>,
}

#[derive(Clone, PartialEq, Eq)]
enum Value {
    Plain(String),
    Sub(BTreeMap<String, String>),
}

impl Section {
    fn new(kind: SectionKind, name: &str) -> Section {
        Section {
            kind,
            name: name.to_owned(),
            properties: BTreeMap::new(),
        }
    }

    /// What kind of section this is.
    pub fn kind(&self) -> SectionKind {
        self.kind
    }

    /// The section's name (`default`, or `NAME` of `[profile NAME]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of property `key` (looked up lower-cased); `None` when
    /// it is not set or is a block of sub-properties (see
    /// [`Section::sub_properties`]). A multi-line value has its lines
    /// joined by `\n`.
    pub fn get(&self, key: &str) -> Option<&str> {
        match self.properties.get(&key.to_lowercase())? {
            Value::Plain(v) => Some(v),
            Value::Sub(_) => None,
        }
    }

    /// The sub-properties of `key` (written `key =` followed by indented
    /// `name = value` lines), keyed as written; `None` when `key` is not a
    /// block of sub-properties.
    pub fn sub_properties(&self, key: &str) -> Option<&BTreeMap<String, String>> {
        match self.properties.get(&key.to_lowercase())? {
            Value::Sub(map) => Some(map),
            Value::Plain(_) => None,
        }
    }

    /// Sub-property `sub` (exact case) of `key`.
    pub fn sub_property(&self, key: &str, sub: &str) -> Option<&str> {
        self.sub_properties(key)?.get(sub).map(String::as_str)
    }

    /// Whether property `key` is set, as a value or as sub-properties.
    pub fn contains(&self, key: &str) -> bool {
        self.properties.contains_key(&key.to_lowercase())
    }

    /// The keys of every property, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }
}

/// Whether the value of `key` is kept out of `Debug` output.
fn is_sensitive(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["secret", "token", "password", "credential_process"]
        .iter()
        .any(|word| key.contains(word))
}

/// `Debug` of a value that may be secret.
struct Shown<'a>(&'a str, &'a str);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_sensitive(self.0) {
            f.write_str(crate::REDACTED)
        } else {
            fmt::Debug::fmt(self.1, f)
        }
    }
}

struct ShownSub<'a>(&'a BTreeMap<String, String>);

impl fmt::Debug for ShownSub<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, Shown(k, v))))
            .finish()
    }
}

impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Props<'a>(&'a BTreeMap<String, Value>);
        impl fmt::Debug for Props<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (k, v) in self.0 {
                    match v {
                        Value::Plain(v) => map.entry(k, &Shown(k, v)),
                        Value::Sub(_) if is_sensitive(k) => map.entry(k, &Shown(k, "")),
                        Value::Sub(sub) => map.entry(k, &ShownSub(sub)),
                    };
                }
                map.finish()
            }
        }
        f.debug_struct("Section")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("properties", &Props(&self.properties))
            .finish()
    }
}

/// What is wrong with a shared file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProfileErrorKind {
    /// The file exists but could not be read (permissions, a directory,
    /// not UTF-8).
    Unreadable,
    /// A property before any `[section]` header.
    PropertyOutsideSection,
    /// A section header without its closing `]`.
    UnclosedSectionHeader,
    /// A section header with no name: `[]`.
    EmptySectionName,
    /// Text after a section header's `]` that is not a comment.
    TextAfterSectionHeader,
    /// A property or sub-property line without `=`.
    MissingEquals,
    /// A property or sub-property line with nothing before its `=`.
    MissingKey,
}

/// A shared file that exists but is not usable: which file, which line
/// (1-based) and what is wrong. Its text never quotes the file's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    file: String,
    line: Option<usize>,
    kind: ProfileErrorKind,
    message: String,
}

impl ProfileError {
    fn at(file: &str, line: usize, kind: ProfileErrorKind) -> ProfileError {
        let message = match kind {
            ProfileErrorKind::Unreadable => "the file cannot be read",
            ProfileErrorKind::PropertyOutsideSection => "a property before any `[section]` header",
            ProfileErrorKind::UnclosedSectionHeader => "a section header without `]`",
            ProfileErrorKind::EmptySectionName => "a section header without a name",
            ProfileErrorKind::TextAfterSectionHeader => {
                "text after a section header's `]` that is not a comment"
            }
            ProfileErrorKind::MissingEquals => "a property line without `=`",
            ProfileErrorKind::MissingKey => "a property line without a name before `=`",
        };
        ProfileError {
            file: file.to_owned(),
            line: Some(line),
            kind,
            message: message.to_owned(),
        }
    }

    fn sub_property(file: &str, line: usize, kind: ProfileErrorKind) -> ProfileError {
        let mut e = ProfileError::at(file, line, kind);
        e.message = e.message.replace("a property", "a sub-property");
        e
    }

    fn unreadable(file: &str, err: &std::io::Error) -> ProfileError {
        ProfileError {
            file: file.to_owned(),
            line: None,
            kind: ProfileErrorKind::Unreadable,
            message: format!("cannot be read: {err}"),
        }
    }

    /// The file: its path, or `config file` / `credentials file` for text
    /// given to [`ProfileSet::parse`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line of a malformed line; `None` for an unreadable
    /// file.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// What is wrong.
    pub fn kind(&self) -> ProfileErrorKind {
        self.kind
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

/// The profiles and other sections of both shared files, and which profile
/// is selected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Section>,
    sso_sessions: BTreeMap<String, Section>,
    services: BTreeMap<String, Section>,
    selected: String,
    config_origin: String,
    credentials_origin: String,
}

impl Default for ProfileSet {
    /// No profiles; `default` selected.
    fn default() -> Self {
        ProfileSet {
            profiles: BTreeMap::new(),
            sso_sessions: BTreeMap::new(),
            services: BTreeMap::new(),
            selected: DEFAULT.to_owned(),
            config_origin: CONFIG.to_owned(),
            credentials_origin: CREDENTIALS.to_owned(),
        }
    }
}

const DEFAULT: &str = "default";
const CONFIG: &str = "config file";
const CREDENTIALS: &str = "credentials file";

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

impl ProfileSet {
    /// The profiles of a `config` and a `credentials` file's text, with
    /// `default` selected. Errors name the files `config file` and
    /// `credentials file`.
    pub fn parse(config: &str, credentials: &str) -> Result<ProfileSet, ProfileError> {
        let mut set = ProfileSet::default();
        set.merge(config, FileKind::Config)?;
        set.merge(credentials, FileKind::Credentials)?;
        Ok(set)
    }

    /// The shared files as `env` locates them (`AWS_CONFIG_FILE`, else
    /// `~/.aws/config`; `AWS_SHARED_CREDENTIALS_FILE`, else
    /// `~/.aws/credentials`), with the profile `AWS_PROFILE` names selected
    /// (else `default`). A missing file is an empty one; a file that
    /// exists but cannot be read or parsed is an error.
    pub fn load(env: &Env) -> Result<ProfileSet, ProfileError> {
        let mut set = ProfileSet::default();
        for (path, kind) in [
            (env.config_file(), FileKind::Config),
            (env.credentials_file(), FileKind::Credentials),
        ] {
            let Some(path) = path else {
                // No variable and no home directory: no file.
                continue;
            };
            let origin = path.display().to_string();
            let text = env
                .read_file(&path)
                .map_err(|e| ProfileError::unreadable(&origin, &e))?;
            match kind {
                FileKind::Config => set.config_origin = origin,
                FileKind::Credentials => set.credentials_origin = origin,
            }
            if let Some(text) = text {
                set.merge(&text, kind)?;
            }
        }
        if let Some(name) = env.get("AWS_PROFILE") {
            set.selected = name;
        }
        Ok(set)
    }

    /// This set with profile `name` selected instead.
    pub fn with_selected(mut self, name: impl Into<String>) -> ProfileSet {
        self.selected = name.into();
        self
    }

    /// The name of the selected profile (`AWS_PROFILE` when [`load`]ed
    /// with it, else `default`), whether it exists or not.
    ///
    /// [`load`]: ProfileSet::load
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// The selected profile, when it exists.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// Profile `name`.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The names of every profile, in order.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// Section `[services NAME]`.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// Section `[sso-session NAME]`.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// Where the `config` file was read from: its path, or `config file`
    /// for [`ProfileSet::parse`] or when no path could be found.
    pub fn config_origin(&self) -> &str {
        &self.config_origin
    }

    /// Where the `credentials` file was read from: its path, or
    /// `credentials file`.
    pub fn credentials_origin(&self) -> &str {
        &self.credentials_origin
    }

    fn merge(&mut self, text: &str, kind: FileKind) -> Result<(), ProfileError> {
        let origin = match kind {
            FileKind::Config => self.config_origin.clone(),
            FileKind::Credentials => self.credentials_origin.clone(),
        };
        let raw = parse_ini(text, &origin)?;
        // `[profile default]` replaces `[default]` in the config file.
        let prefixed_default = kind == FileKind::Config
            && raw
                .iter()
                .any(|s| matches!(classify(&s.header, kind), Class::Profile(DEFAULT, true)));
        for section in raw {
            let (map, section_kind, name) = match classify(&section.header, kind) {
                Class::Profile(DEFAULT, false) if prefixed_default => {
                    tracing::warn!(
                        file = %origin,
                        "section [default] ignored: [profile default] takes its place"
                    );
                    continue;
                }
                Class::Profile(name, _) => (&mut self.profiles, SectionKind::Profile, name),
                Class::SsoSession(name) => (&mut self.sso_sessions, SectionKind::SsoSession, name),
                Class::Services(name) => (&mut self.services, SectionKind::Services, name),
                Class::Ignored => {
                    tracing::warn!(
                        file = %origin,
                        line = section.line,
                        "section [{}] ignored: not a profile, sso-session or services section of this file",
                        section.header
                    );
                    continue;
                }
            };
            map.entry(name.to_owned())
                .or_insert_with(|| Section::new(section_kind, name))
                .properties
                .extend(section.properties);
        }
        Ok(())
    }
}

/// What a section header means in a file.
#[derive(PartialEq, Eq)]
enum Class<'a> {
    /// A profile, and whether it was written `[profile NAME]`.
    Profile(&'a str, bool),
    SsoSession(&'a str),
    Services(&'a str),
    Ignored,
}

fn classify(header: &str, kind: FileKind) -> Class<'_> {
    let split = header
        .split_once([' ', '\t'])
        .map(|(prefix, rest)| (prefix, rest.trim_matches(WHITESPACE)));
    match (kind, split) {
        (FileKind::Credentials, None) => Class::Profile(header, false),
        (FileKind::Credentials, Some(_)) => Class::Ignored,
        (FileKind::Config, None) if header == DEFAULT => Class::Profile(DEFAULT, false),
        (FileKind::Config, None) => Class::Ignored,
        (FileKind::Config, Some((_, rest))) if rest.contains(WHITESPACE) => Class::Ignored,
        (FileKind::Config, Some(("profile", name))) => Class::Profile(name, true),
        (FileKind::Config, Some(("sso-session", name))) => Class::SsoSession(name),
        (FileKind::Config, Some(("services", name))) => Class::Services(name),
        (FileKind::Config, Some(_)) => Class::Ignored,
    }
}

const WHITESPACE: [char; 2] = [' ', '\t'];
const COMMENT: [char; 2] = ['#', ';'];

/// A section as written, before it is classified.
struct RawSection {
    header: String,
    line: usize,
    properties: BTreeMap<String, Value>,
}

/// The sections of one file, in order, duplicates apart.
fn parse_ini(text: &str, origin: &str) -> Result<Vec<RawSection>, ProfileError> {
    let mut sections: Vec<RawSection> = Vec::new();
    // The last property of the last section, and how far its line is
    // indented: a line indented further continues it.
    let mut property: Option<(String, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_matches(WHITESPACE);
        if trimmed.is_empty() || trimmed.starts_with(COMMENT) {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(WHITESPACE).len();
        if let (Some((key, key_indent)), Some(section)) = (&property, sections.last_mut()) {
            if indent > *key_indent {
                continuation(section, key, trimmed, origin, number)?;
                continue;
            }
        }
        if trimmed.starts_with('[') {
            sections.push(RawSection {
                header: section_header(trimmed, origin, number)?.to_owned(),
                line: number,
                properties: BTreeMap::new(),
            });
            property = None;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(ProfileError::at(
                origin,
                number,
                ProfileErrorKind::PropertyOutsideSection,
            ));
        };
        let (key, value) = property_line(trimmed, origin, number)?;
        let key = key.to_lowercase();
        section
            .properties
            .insert(key.clone(), Value::Plain(value.to_owned()));
        property = Some((key, indent));
    }
    Ok(sections)
}

/// The name in a section header line (trimmed, starting with `[`).
fn section_header<'a>(line: &'a str, origin: &str, number: usize) -> Result<&'a str, ProfileError> {
    let body = &line[1..];
    let Some(end) = body.find(']') else {
        return Err(ProfileError::at(
            origin,
            number,
            ProfileErrorKind::UnclosedSectionHeader,
        ));
    };
    let rest = body[end + 1..].trim_matches(WHITESPACE);
    if !rest.is_empty() && !rest.starts_with(COMMENT) {
        return Err(ProfileError::at(
            origin,
            number,
            ProfileErrorKind::TextAfterSectionHeader,
        ));
    }
    let name = body[..end].trim_matches(WHITESPACE);
    if name.is_empty() {
        return Err(ProfileError::at(
            origin,
            number,
            ProfileErrorKind::EmptySectionName,
        ));
    }
    Ok(name)
}

/// The key and value of a property line (trimmed), its comment removed.
fn property_line<'a>(
    line: &'a str,
    origin: &str,
    number: usize,
) -> Result<(&'a str, &'a str), ProfileError> {
    let mut end = line.len();
    let mut after_space = false;
    for (i, c) in line.char_indices() {
        if after_space && COMMENT.contains(&c) {
            end = i;
            break;
        }
        after_space = WHITESPACE.contains(&c);
    }
    let line = &line[..end];
    let Some((key, value)) = line.split_once('=') else {
        return Err(ProfileError::at(
            origin,
            number,
            ProfileErrorKind::MissingEquals,
        ));
    };
    let key = key.trim_matches(WHITESPACE);
    if key.is_empty() {
        return Err(ProfileError::at(
            origin,
            number,
            ProfileErrorKind::MissingKey,
        ));
    }
    Ok((key, value.trim_matches(WHITESPACE)))
}

/// An indented line (trimmed) after property `key` of `section`.
fn continuation(
    section: &mut RawSection,
    key: &str,
    line: &str,
    origin: &str,
    number: usize,
) -> Result<(), ProfileError> {
    let Some(value) = section.properties.get_mut(key) else {
        return Ok(());
    };
    if matches!(value, Value::Plain(v) if v.is_empty()) {
        *value = Value::Sub(BTreeMap::new());
    }
    match value {
        Value::Plain(v) => {
            v.push('\n');
            v.push_str(line);
        }
        Value::Sub(map) => {
            let Some((sub, sub_value)) = line.split_once('=') else {
                return Err(ProfileError::sub_property(
                    origin,
                    number,
                    ProfileErrorKind::MissingEquals,
                ));
            };
            let sub = sub.trim_matches(WHITESPACE);
            if sub.is_empty() {
                return Err(ProfileError::sub_property(
                    origin,
                    number,
                    ProfileErrorKind::MissingKey,
                ));
            }
            map.insert(
                sub.to_owned(),
                sub_value.trim_matches(WHITESPACE).to_owned(),
            );
        }
    }
    Ok(())
}

/// Whether a setting's value is `true` (any case), as the SDKs read
/// boolean settings; `None` when unset.
fn flag(value: Option<&str>) -> Option<bool> {
    value.map(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the selected
/// profile's `region`. Empty values are unset.
pub fn region(env: &Env, profiles: &ProfileSet) -> Option<String> {
    env.get("AWS_REGION")
        .or_else(|| env.get("AWS_DEFAULT_REGION"))
        .or_else(|| profile_setting(profiles, "region"))
}

fn profile_setting(profiles: &ProfileSet, key: &str) -> Option<String> {
    profiles
        .selected()?
        .get(key)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Whether configured endpoint URLs are to be ignored:
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` when set, else the selected
/// profile's `ignore_configured_endpoint_urls`; `true` (any case) is yes.
pub fn ignore_configured_endpoint_urls(env: &Env, profiles: &ProfileSet) -> bool {
    flag(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").as_deref())
        .or_else(|| flag(profile_setting(profiles, "ignore_configured_endpoint_urls").as_deref()))
        .unwrap_or(false)
}

/// The configured endpoint URL of a service, as the AWS SDKs look it up
/// ("service-specific endpoints"), first found wins:
///
/// 1. `AWS_ENDPOINT_URL_<service_env_suffix>` (see [`service_env_suffix`]);
/// 2. `AWS_ENDPOINT_URL`;
/// 3. in the `[services NAME]` section the selected profile's `services`
///    names, sub-property `endpoint_url` of `<services_key> =` (see
///    [`services_key`]);
/// 4. the selected profile's `endpoint_url`.
///
/// `None` when none is set, or when [`ignore_configured_endpoint_urls`]
/// says to ignore them all. A profile naming a `services` section that
/// does not exist (which the CLI rejects) is logged and skipped.
pub fn endpoint_url(
    env: &Env,
    profiles: &ProfileSet,
    service_env_suffix: &str,
    services_key: &str,
) -> Option<String> {
    if ignore_configured_endpoint_urls(env, profiles) {
        tracing::debug!("configured endpoint URLs ignored");
        return None;
    }
    if let Some(url) = env.get(&format!("AWS_ENDPOINT_URL_{service_env_suffix}")) {
        return Some(url);
    }
    if let Some(url) = env.get("AWS_ENDPOINT_URL") {
        return Some(url);
    }
    let profile = profiles.selected()?;
    if let Some(name) = profile.get("services").filter(|n| !n.is_empty()) {
        match profiles.services(name) {
            Some(section) => {
                let url = section
                    .sub_property(services_key, "endpoint_url")
                    .filter(|u| !u.is_empty());
                if let Some(url) = url {
                    return Some(url.to_owned());
                }
            }
            None => tracing::warn!(
                profile = %profile.name(),
                "the profile names services section `{name}`, which does not exist"
            ),
        }
    }
    profile_setting(profiles, "endpoint_url")
}

/// The suffix of a service's `AWS_ENDPOINT_URL_<SERVICE>` variable: its
/// `sdkId` upper-cased, spaces and hyphens replaced by underscores
/// (`Pca Connector Scep` → `PCA_CONNECTOR_SCEP`).
pub fn service_env_suffix(sdk_id: &str) -> String {
    sdk_id
        .trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// A service's key in a `[services NAME]` section: its `sdkId`
/// lower-cased, spaces and hyphens replaced by underscores
/// (`Pca Connector Scep` → `pca_connector_scep`).
pub fn services_key(sdk_id: &str) -> String {
    service_env_suffix(sdk_id).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::env::tests::TempDir;

    fn config(text: &str) -> ProfileSet {
        ProfileSet::parse(text, "").expect("parses")
    }

    fn creds(text: &str) -> ProfileSet {
        ProfileSet::parse("", text).expect("parses")
    }

    fn config_err(text: &str) -> ProfileError {
        ProfileSet::parse(text, "").expect_err("fails")
    }

    #[test]
    fn profiles_of_the_config_file() {
        let set = config(
            "[default]\nregion = us-east-1\n\n[profile dev]\nregion=eu-west-1\n\
             [ profile   spaced ]\nregion = x\n",
        );
        assert_eq!(set.selected_name(), "default");
        assert_eq!(set.selected().unwrap().get("region"), Some("us-east-1"));
        assert_eq!(set.selected().unwrap().kind(), SectionKind::Profile);
        assert_eq!(set.get("dev").unwrap().get("region"), Some("eu-west-1"));
        assert_eq!(set.get("dev").unwrap().name(), "dev");
        assert_eq!(set.get("spaced").unwrap().get("region"), Some("x"));
        assert_eq!(
            set.profile_names().collect::<Vec<_>>(),
            ["default", "dev", "spaced"]
        );
    }

    #[test]
    fn bare_and_unknown_sections_of_the_config_file_are_ignored() {
        let set = config(
            "[dev]\nregion = a\n[profile]\nregion = b\n[profile a b]\nregion = c\n\
             [plugins x]\nregion = d\n[profileX]\nregion = e\n",
        );
        assert_eq!(set.profile_names().count(), 0);
        assert!(set.get("dev").is_none());
        assert!(set.get("a b").is_none());
        // Ignored sections are still parsed: a malformed line is an error.
        assert_eq!(
            config_err("[dev]\nbroken\n").kind(),
            ProfileErrorKind::MissingEquals
        );
    }

    #[test]
    fn profiles_of_the_credentials_file() {
        let set = creds(
            "[default]\naws_access_key_id = A\n[dev]\naws_access_key_id = B\n\
             [profile other]\naws_access_key_id = C\n[services s]\nx = y\n",
        );
        assert_eq!(
            set.get("default").unwrap().get("aws_access_key_id"),
            Some("A")
        );
        assert_eq!(set.get("dev").unwrap().get("aws_access_key_id"), Some("B"));
        assert!(set.get("other").is_none());
        assert!(set.get("profile other").is_none());
        assert!(set.services("s").is_none());
    }

    #[test]
    fn prefixed_default_replaces_unprefixed_default() {
        let set = config("[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n");
        let default = set.selected().unwrap();
        assert_eq!(default.get("region"), Some("b"));
        assert_eq!(default.get("output"), None);
        // Alone, either spelling is the default profile.
        assert_eq!(
            config("[default]\nregion = a\n")
                .selected()
                .unwrap()
                .get("region"),
            Some("a")
        );
        assert_eq!(
            config("[profile default]\nregion = b\n")
                .selected()
                .unwrap()
                .get("region"),
            Some("b")
        );
    }

    #[test]
    fn sso_session_and_services_sections_are_their_own_kind() {
        let set = config(
            "[profile dev]\nsso_session = corp\nservices = local\n\
             [sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://x/start\n\
             [services local]\npca_connector_scep =\n  endpoint_url = http://localhost:8080\n",
        );
        let sso = set.sso_session("corp").unwrap();
        assert_eq!(sso.kind(), SectionKind::SsoSession);
        assert_eq!(sso.get("sso_region"), Some("us-east-1"));
        assert!(set.get("corp").is_none());
        let services = set.services("local").unwrap();
        assert_eq!(services.kind(), SectionKind::Services);
        assert_eq!(
            services.sub_property("pca_connector_scep", "endpoint_url"),
            Some("http://localhost:8080")
        );
        assert!(set.get("local").is_none());
        assert!(set.services("corp").is_none());
    }

    #[test]
    fn comments() {
        let set = config(
            "# a comment\n; another\n[default] # after the header\n\
             region = us-east-1 # Ohio\noutput = json;no-space-is-not-a-comment\n\
             \t# an indented comment\nkey = value\t; tab before it\nhash = a#b\n\
             empty = # nothing\n[profile x];c\n",
        );
        let p = set.selected().unwrap();
        assert_eq!(p.get("region"), Some("us-east-1"));
        assert_eq!(p.get("output"), Some("json;no-space-is-not-a-comment"));
        assert_eq!(p.get("key"), Some("value"));
        assert_eq!(p.get("hash"), Some("a#b"));
        assert_eq!(p.get("empty"), Some(""));
        assert!(set.get("x").is_some());
    }

    #[test]
    fn comment_lines_do_not_end_a_continuation() {
        let set = config("[default]\ns3 =\n  a = 1\n# note\n  b = 2\n");
        let sub = set.selected().unwrap().sub_properties("s3").unwrap();
        assert_eq!(sub.get("a").map(String::as_str), Some("1"));
        assert_eq!(sub.get("b").map(String::as_str), Some("2"));
    }

    #[test]
    fn whitespace_and_case() {
        let set = config(
            "  \n[default]\n  \t\nRegion\t=\t us-west-2 \nAWS_Access_Key_ID=AKIDCase\n\
             [profile Dev]\nregion = CaseKept\n",
        );
        let p = set.selected().unwrap();
        assert_eq!(p.get("region"), Some("us-west-2"));
        assert_eq!(p.get("REGION"), Some("us-west-2"));
        assert_eq!(p.get("aws_access_key_id"), Some("AKIDCase"));
        assert_eq!(
            p.keys().collect::<Vec<_>>(),
            ["aws_access_key_id", "region"]
        );
        // Profile names are case-sensitive; values keep their case.
        assert!(set.get("dev").is_none());
        assert_eq!(set.get("Dev").unwrap().get("region"), Some("CaseKept"));
    }

    #[test]
    fn continuation_lines() {
        let set = config("[default]\nmulti = first\n  second line\n\tthird # kept\nnext = 1\n");
        let p = set.selected().unwrap();
        assert_eq!(p.get("multi"), Some("first\nsecond line\nthird # kept"));
        assert_eq!(p.get("next"), Some("1"));
        assert_eq!(p.sub_properties("multi"), None);
    }

    #[test]
    fn continuation_is_by_deeper_indentation() {
        // An indented property line right after a header is a property, and
        // so is the next line indented as far; a line indented further
        // continues it.
        let set = config("[default]\n  region = us-east-2\n  output = text\n    more\nk = v\n");
        let p = set.selected().unwrap();
        assert_eq!(p.get("region"), Some("us-east-2"));
        assert_eq!(p.get("output"), Some("text\nmore"));
        assert_eq!(p.get("k"), Some("v"));
        // An indented header after a property continues the property.
        let set = config("[default]\nk = v\n  [profile x]\n");
        assert_eq!(set.selected().unwrap().get("k"), Some("v\n[profile x]"));
        assert!(set.get("x").is_none());
    }

    #[test]
    fn sub_properties() {
        let set = config(
            "[default]\ns3 =\n  max_concurrent_requests = 20\n  Addressing_Style=path\n\
             \n  signature_version = s3v4 # kept\nregion = r\nempty =\n",
        );
        let p = set.selected().unwrap();
        let s3 = p.sub_properties("s3").unwrap();
        assert_eq!(s3.len(), 3);
        assert_eq!(p.sub_property("s3", "max_concurrent_requests"), Some("20"));
        assert_eq!(p.sub_property("s3", "Addressing_Style"), Some("path"));
        assert_eq!(p.sub_property("s3", "addressing_style"), None);
        assert_eq!(
            p.sub_property("s3", "signature_version"),
            Some("s3v4 # kept")
        );
        assert_eq!(p.get("s3"), None);
        assert!(p.contains("s3"));
        assert_eq!(p.get("region"), Some("r"));
        // An empty value without indented lines is an empty value.
        assert_eq!(p.get("empty"), Some(""));
        assert_eq!(p.sub_properties("empty"), None);
    }

    #[test]
    fn duplicate_keys_and_sections() {
        let set = config(
            "[default]\nregion = a\nregion = b\ns3 =\n  x = 1\n[profile dev]\nk = v\n\
             [default]\noutput = json\ns3 = plain\n",
        );
        let p = set.selected().unwrap();
        assert_eq!(p.get("region"), Some("b"));
        assert_eq!(p.get("output"), Some("json"));
        assert_eq!(p.get("s3"), Some("plain"));
        assert_eq!(p.sub_properties("s3"), None);
        let set = config("[default]\ns3 =\n  x = 1\n  x = 2\n");
        assert_eq!(set.selected().unwrap().sub_property("s3", "x"), Some("2"));
    }

    #[test]
    fn credentials_file_overrides_config_file() {
        let set = ProfileSet::parse(
            "[default]\nregion = us-east-1\naws_access_key_id = FROM_CONFIG\n\
             [profile dev]\nregion = eu-west-1\n",
            "[default]\naws_access_key_id = FROM_CREDENTIALS\n\
             [only-creds]\naws_access_key_id = X\n",
        )
        .unwrap();
        let p = set.selected().unwrap();
        assert_eq!(p.get("aws_access_key_id"), Some("FROM_CREDENTIALS"));
        assert_eq!(p.get("region"), Some("us-east-1"));
        assert_eq!(set.get("dev").unwrap().get("region"), Some("eu-west-1"));
        assert_eq!(
            set.get("only-creds").unwrap().get("aws_access_key_id"),
            Some("X")
        );
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let cases = [
            (
                "region = x\n[default]\n",
                1,
                ProfileErrorKind::PropertyOutsideSection,
            ),
            (
                "# c\n  indented = x\n",
                2,
                ProfileErrorKind::PropertyOutsideSection,
            ),
            (
                "[default]\n[profile dev\nk = v\n",
                2,
                ProfileErrorKind::UnclosedSectionHeader,
            ),
            (
                "[default]\nk = v\n\n[ ]\n",
                4,
                ProfileErrorKind::EmptySectionName,
            ),
            (
                "[default] junk\n",
                1,
                ProfileErrorKind::TextAfterSectionHeader,
            ),
            (
                "[default]\nk = v\nno equals here\n",
                3,
                ProfileErrorKind::MissingEquals,
            ),
            ("[default]\n= v\n", 2, ProfileErrorKind::MissingKey),
            (
                "[default]\ns3 =\n  a = 1\n  broken\n",
                4,
                ProfileErrorKind::MissingEquals,
            ),
            ("[default]\ns3 =\n  = 1\n", 3, ProfileErrorKind::MissingKey),
            (
                "[default]\nregion =\n  us-east-1\n",
                3,
                ProfileErrorKind::MissingEquals,
            ),
            (
                "[default]\nk = v # = not the equals\n",
                0,
                ProfileErrorKind::MissingEquals,
            ),
        ];
        for (text, line, kind) in cases {
            if line == 0 {
                // Control: a comment after the `=` is fine.
                assert!(ProfileSet::parse(text, "").is_ok(), "{text:?}");
                continue;
            }
            let err = config_err(text);
            assert_eq!((err.line(), err.kind()), (Some(line), kind), "{text:?}");
            assert_eq!(err.file(), "config file");
            assert!(
                err.to_string()
                    .starts_with(&format!("config file, line {line}: ")),
                "{err}"
            );
        }
        let err = ProfileSet::parse("", "[default]\nfoo\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "credentials file, line 2: a property line without `=`"
        );
        let err = config_err("[default]\ns3 =\n  broken\n");
        assert_eq!(
            err.to_string(),
            "config file, line 3: a sub-property line without `=`"
        );
    }

    #[test]
    fn errors_do_not_quote_the_file() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        for text in [
            format!("aws_secret_access_key = {secret}\n"),
            format!("[default]\naws_secret_access_key {secret}\n"),
            format!("[default]\ns =\n  {secret}\n"),
            format!("[{secret}\n"),
        ] {
            let err = ProfileSet::parse("", &text).unwrap_err();
            assert!(!err.to_string().contains(secret), "{err}");
            assert!(!format!("{err:?}").contains(secret), "{err:?}");
        }
    }

    #[test]
    fn debug_redacts_secret_values() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
        let set = ProfileSet::parse(
            "[default]\nregion = us-east-1\n",
            &format!(
                "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = {secret}\n\
                 aws_session_token = {token}\n"
            ),
        )
        .unwrap();
        let debug = format!("{set:?}");
        assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
        assert!(debug.contains("us-east-1"), "{debug}");
        assert!(debug.contains(crate::REDACTED), "{debug}");
        assert!(!debug.contains(secret), "{debug}");
        assert!(!debug.contains(token), "{debug}");
    }

    #[test]
    fn line_endings_and_byte_order_mark() {
        let set = config("[default]\r\nregion = us-east-1\r\ns3 =\r\n  a = 1\r\n");
        let p = set.selected().unwrap();
        assert_eq!(p.get("region"), Some("us-east-1"));
        assert_eq!(p.sub_property("s3", "a"), Some("1"));
    }

    fn files(dir: &TempDir, config: &str, credentials: &str) -> Vec<(String, String)> {
        let c = dir.write("config", config);
        let k = dir.write("credentials", credentials);
        vec![
            ("AWS_CONFIG_FILE".into(), c.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".into(),
                k.display().to_string(),
            ),
        ]
    }

    #[test]
    fn load_reads_the_files_env_names() {
        let dir = TempDir::new("profile-load");
        let mut vars = files(
            &dir,
            "[profile dev]\nregion = eu-west-1\n",
            "[dev]\naws_access_key_id = AKID\n",
        );
        vars.push(("AWS_PROFILE".into(), "dev".into()));
        let set = ProfileSet::load(&Env::from_vars(vars)).unwrap();
        assert_eq!(set.selected_name(), "dev");
        let p = set.selected().unwrap();
        assert_eq!(p.get("region"), Some("eu-west-1"));
        assert_eq!(p.get("aws_access_key_id"), Some("AKID"));
        assert_eq!(
            set.config_origin(),
            dir.0.join("config").display().to_string()
        );
        assert_eq!(
            set.credentials_origin(),
            dir.0.join("credentials").display().to_string()
        );
        assert_eq!(set.clone().with_selected("x").selected_name(), "x");
    }

    #[test]
    fn load_defaults_to_the_home_directory() {
        let dir = TempDir::new("profile-home");
        std::fs::create_dir_all(dir.0.join(".aws")).unwrap();
        dir.write(".aws/config", "[default]\nregion = ap-south-1\n");
        let env = Env::from_vars([("HOME", dir.0.display().to_string())]);
        let set = ProfileSet::load(&env).unwrap();
        assert_eq!(set.selected_name(), "default");
        assert_eq!(set.selected().unwrap().get("region"), Some("ap-south-1"));
        // A home directory without the files, and no home at all: nothing.
        let empty = TempDir::new("profile-empty");
        let env = Env::from_vars([("HOME", empty.0.display().to_string())]);
        assert_eq!(ProfileSet::load(&env).unwrap().profile_names().count(), 0);
        let set = ProfileSet::load(&Env::from_vars([("X", "1")])).unwrap();
        assert!(set.selected().is_none());
    }

    #[test]
    fn load_errors_name_the_path() {
        let dir = TempDir::new("profile-errors");
        let vars = files(&dir, "[default]\nregion = x\n", "[default]\n[broken\n");
        let err = ProfileSet::load(&Env::from_vars(vars)).unwrap_err();
        let path = dir.0.join("credentials").display().to_string();
        assert_eq!(err.file(), path);
        assert_eq!(err.line(), Some(2));
        assert!(
            err.to_string().starts_with(&format!("{path}, line 2: ")),
            "{err}"
        );
        // A directory where the config file should be.
        let env = Env::from_vars([("AWS_CONFIG_FILE", dir.0.display().to_string())]);
        let err = ProfileSet::load(&env).unwrap_err();
        assert_eq!(err.kind(), ProfileErrorKind::Unreadable);
        assert_eq!(err.line(), None);
    }

    #[test]
    fn region_precedence() {
        let profiles = config("[default]\nregion = from-profile\n[profile empty]\nregion =\n");
        let env = |vars: &[(&str, &str)]| Env::from_vars(vars.iter().copied());
        assert_eq!(
            region(
                &env(&[("AWS_REGION", "a"), ("AWS_DEFAULT_REGION", "b")]),
                &profiles
            ),
            Some("a".into())
        );
        assert_eq!(
            region(
                &env(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "b")]),
                &profiles
            ),
            Some("b".into())
        );
        assert_eq!(region(&env(&[]), &profiles), Some("from-profile".into()));
        assert_eq!(
            region(&env(&[]), &profiles.clone().with_selected("empty")),
            None
        );
        assert_eq!(region(&env(&[]), &profiles.with_selected("missing")), None);
    }

    const ENDPOINT_CONFIG: &str = "[default]\nendpoint_url = https://global.example\n\
        services = local\n\
        [profile no-global]\nservices = local\n\
        [profile other-service]\nservices = other\nendpoint_url = https://global.example\n\
        [profile dangling]\nservices = nope\nendpoint_url = https://global.example\n\
        [profile ignore]\nignore_configured_endpoint_urls = TRUE\nendpoint_url = https://global.example\n\
        [services local]\npca_connector_scep =\n  endpoint_url = http://localhost:8080\n\
        endpoint_url = https://not-a-service-setting.example\n\
        [services other]\ns3 =\n  endpoint_url = http://s3.local\n";

    fn endpoint(vars: &[(&str, &str)], profile: &str) -> Option<String> {
        let profiles = config(ENDPOINT_CONFIG).with_selected(profile);
        let env = Env::from_vars(vars.iter().copied());
        endpoint_url(&env, &profiles, "PCA_CONNECTOR_SCEP", "pca_connector_scep")
    }

    #[test]
    fn endpoint_url_precedence() {
        let service = ("AWS_ENDPOINT_URL_PCA_CONNECTOR_SCEP", "http://env-service");
        let global = ("AWS_ENDPOINT_URL", "http://env-global");
        assert_eq!(
            endpoint(&[service, global], "default").as_deref(),
            Some("http://env-service")
        );
        assert_eq!(
            endpoint(&[global], "default").as_deref(),
            Some("http://env-global")
        );
        // Another service's variable is not this one's.
        assert_eq!(
            endpoint(&[("AWS_ENDPOINT_URL_S3", "http://s3")], "default").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(
            endpoint(&[], "default").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(
            endpoint(&[], "no-global").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(
            endpoint(&[], "other-service").as_deref(),
            Some("https://global.example")
        );
        assert_eq!(
            endpoint(&[], "dangling").as_deref(),
            Some("https://global.example")
        );
        assert_eq!(endpoint(&[], "missing"), None);
        assert_eq!(endpoint(&[("AWS_ENDPOINT_URL", "")], "missing"), None);
        let profiles = ProfileSet::default();
        let env = Env::from_vars([global]);
        assert_eq!(
            endpoint_url(&env, &profiles, "X", "x").as_deref(),
            Some("http://env-global")
        );
    }

    #[test]
    fn ignoring_configured_endpoints() {
        let service = ("AWS_ENDPOINT_URL_PCA_CONNECTOR_SCEP", "http://env-service");
        let global = ("AWS_ENDPOINT_URL", "http://env-global");
        let ignore = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        assert_eq!(endpoint(&[service, global, ignore], "default"), None);
        assert_eq!(endpoint(&[ignore], "default"), None);
        // The profile's flag (any case) ignores the environment's too.
        assert_eq!(endpoint(&[service, global], "ignore"), None);
        assert_eq!(endpoint(&[], "ignore"), None);
        // The variable, when set, wins over the profile.
        let keep = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
        assert_eq!(
            endpoint(&[keep], "ignore").as_deref(),
            Some("https://global.example")
        );
        let other = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes");
        assert_eq!(
            endpoint(&[other, global], "default").as_deref(),
            Some("http://env-global")
        );
        let profiles = config(ENDPOINT_CONFIG);
        assert!(ignore_configured_endpoint_urls(
            &Env::from_vars([ignore]),
            &profiles
        ));
        assert!(!ignore_configured_endpoint_urls(
            &Env::from_vars([global]),
            &profiles
        ));
    }

    #[test]
    fn service_identifiers() {
        assert_eq!(
            service_env_suffix("Pca Connector Scep"),
            "PCA_CONNECTOR_SCEP"
        );
        assert_eq!(services_key("Pca Connector Scep"), "pca_connector_scep");
        assert_eq!(service_env_suffix("ACM PCA"), "ACM_PCA");
        assert_eq!(services_key("ACM PCA"), "acm_pca");
        assert_eq!(service_env_suffix("ApiGatewayV2"), "APIGATEWAYV2");
        assert_eq!(services_key("ApiGatewayV2"), "apigatewayv2");
        assert_eq!(
            service_env_suffix("connect-contact-lens"),
            "CONNECT_CONTACT_LENS"
        );
        assert_eq!(
            services_key("Application Auto Scaling"),
            "application_auto_scaling"
        );
    }
}
