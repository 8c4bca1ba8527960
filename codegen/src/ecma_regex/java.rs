//! The parts of `java.util.regex` that AWS models use and ECMA-262 lacks:
//! inline flags, and the property names Java knows. Smithy's reference
//! implementation checks `pattern` with `java.util.regex`, so a model that
//! reached users may carry them; each is given the meaning Java gives it.

/// The inline flags of `java.util.regex` in force at a point of a pattern:
/// set by `(?ims)`, until the end of the enclosing group, or for one group
/// by `(?i:…)`; cleared by `(?-i)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Flags {
    /// `i`: case-insensitive; ASCII letters only unless `u` is also set.
    pub(super) case_insensitive: bool,
    /// `u`: with `i`, Unicode case folding.
    pub(super) unicode_case: bool,
    /// `s`: `.` matches every character.
    pub(super) dot_all: bool,
    /// `m`: `^` and `$` match at line terminators too.
    pub(super) multiline: bool,
    /// `d`: `\n` is the only line terminator (for `.`, `^` and `$`).
    pub(super) unix_lines: bool,
    /// `x`: whitespace is ignored and `#` starts a comment.
    pub(super) comments: bool,
}

impl Flags {
    /// Applies `flags` (the text between `(?` and `)` or `:`, such as
    /// `is-m`); an unknown or unsupported flag is an error.
    pub(super) fn apply(&mut self, flags: &str) -> Result<(), String> {
        let mut on = true;
        for f in flags.chars() {
            let slot = match f {
                '-' if on => {
                    on = false;
                    continue;
                }
                'i' => &mut self.case_insensitive,
                'u' => &mut self.unicode_case,
                's' => &mut self.dot_all,
                'm' => &mut self.multiline,
                'd' => &mut self.unix_lines,
                'x' => &mut self.comments,
                'U' => {
                    return Err(
                        "inline flag `U` (Java's UNICODE_CHARACTER_CLASS) is not supported".into(),
                    );
                }
                other => return Err(format!("unknown inline flag `{other}`")),
            };
            *slot = on;
        }
        Ok(())
    }

    /// `.`: ECMA-262's (every character but the four line terminators),
    /// every character under `s`, every character but `\n` under `d`.
    pub(super) fn dot(&self) -> &'static str {
        match (self.dot_all, self.unix_lines) {
            (true, _) => super::ANYTHING,
            (false, true) => r"[^\n]",
            (false, false) => r"[^\n\r\x{2028}\x{2029}]",
        }
    }

    /// `^` under `m`, as Java reads it: at the start of the input or after a
    /// line terminator (`\r\n` is one), but never at the end of the input.
    /// `None` when `m` is off (`^` is the start of the input).
    pub(super) fn line_start(&self) -> Option<&'static str> {
        self.multiline.then_some(if self.unix_lines {
            r"(?:(?!\z)(?:\A|(?<=\n)))"
        } else {
            r"(?:(?!\z)(?:\A|(?<=[\n\x{85}\x{2028}\x{2029}])|(?<=\r)(?!\n)))"
        })
    }

    /// `$` under `m`, as Java reads it: at the end of the input or before a
    /// line terminator, but not between the `\r` and `\n` of one. `None`
    /// when `m` is off (`$` is the end of the input, as in ECMA-262).
    pub(super) fn line_end(&self) -> Option<&'static str> {
        self.multiline.then_some(if self.unix_lines {
            r"(?:\z|(?=\n))"
        } else {
            r"(?:\z|(?=\n)(?<!\r)|(?=[\r\x{85}\x{2028}\x{2029}]))"
        })
    }
}

/// Class items for a property name that Java knows and ECMA-262 does not,
/// or `None` for a name to pass to the `regex` crate as it is (which knows
/// every ECMA-262 name: categories, scripts, binary properties). `Err` for
/// a Java name with no translation.
///
/// - Java's POSIX classes that ECMA-262 has no property of that name for
///   (`Alnum`, `Blank`, `Cntrl`, `Digit`, `Graph`, `Print`, `Punct`,
///   `Space`, `XDigit`) are their ASCII sets. `ASCII`, `Alpha`, `Lower`
///   and `Upper` are ECMA-262 names too, and keep their Unicode meaning.
/// - `all` is every character; `LD` letters and decimal digits; `L1`
///   Latin-1 (U+0000–U+00FF).
/// - `IsX` is `X` (a script, category or binary property).
/// - `InX`, `blk=X` and `block=X` are the Unicode block `X`, named as
///   `Character.UnicodeBlock.forName` reads it (see [`super::blocks`]).
/// - `javaLowerCase` and the other `java.lang.Character` predicates are
///   the Unicode sets those methods test.
pub(super) fn property(name: &str) -> Result<Option<String>, String> {
    let items = match name {
        "Alnum" => "0-9A-Za-z",
        "Blank" => r" \t",
        "Cntrl" => r"\x00-\x1F\x7F",
        "Digit" => "0-9",
        "Graph" => r"\x21-\x7E",
        "Print" => r"\x20-\x7E",
        "Punct" => r"!-/:-@\[-`\{-~",
        "Space" => r" \t\n\x0B\f\r",
        "XDigit" => "0-9A-Fa-f",
        "all" => r"\x{0}-\x{10FFFF}",
        "LD" => r"\p{L}\p{Nd}",
        "L1" => r"\x{0}-\x{FF}",
        "javaLowerCase" => r"\p{Lowercase}",
        "javaUpperCase" => r"\p{Uppercase}",
        "javaTitleCase" => r"\p{Lt}",
        "javaAlphabetic" => r"\p{Alphabetic}",
        "javaIdeographic" => r"\p{Ideographic}",
        "javaLetter" => r"\p{L}",
        "javaDigit" => r"\p{Nd}",
        "javaLetterOrDigit" => r"\p{L}\p{Nd}",
        "javaDefined" => r"\P{Cn}",
        "javaSpaceChar" => r"\p{Z}",
        "javaISOControl" => r"\x00-\x1F\x7F-\x{9F}",
        // Character.isWhitespace: space separators but the no-break ones,
        // line and paragraph separators, and the ASCII controls it names.
        "javaWhitespace" => {
            r"\t\n\x0B\f\r\x1C-\x1F\x20\x{1680}\x{2000}-\x{2006}\x{2008}-\x{200A}\x{2028}\x{2029}\x{205F}\x{3000}"
        }
        "javaMirrored" => r"\p{Bidi_Mirrored}",
        "javaIdentifierIgnorable" => r"\x00-\x08\x0E-\x1B\x7F-\x{9F}\p{Cf}",
        _ => {
            if let Some(rest) = name.strip_prefix("Is").filter(|r| !r.is_empty()) {
                return Ok(Some(format!(r"\p{{{rest}}}")));
            }
            if name.starts_with("java") {
                return Err(format!("Java property `{name}` has no translation"));
            }
            let block = name
                .strip_prefix("In")
                .or_else(|| name.strip_prefix("blk="))
                .or_else(|| name.strip_prefix("block="));
            if let Some((first, last)) = block.and_then(super::blocks::find) {
                // A block of surrogates holds nothing a string can hold.
                return Ok(Some(match super::scalar_range(first, last) {
                    Some(super::Piece::Range(lo, hi)) => {
                        format!(r"\x{{{:X}}}-\x{{{:X}}}", u32::from(lo), u32::from(hi))
                    }
                    _ => super::NOTHING.to_owned(),
                }));
            }
            if let Some(block) = block.filter(|_| !name.starts_with("In")) {
                return Err(format!("unknown Unicode block `{block}`"));
            }
            return Ok(None);
        }
    };
    Ok(Some(items.to_owned()))
}

/// Under Java's `i` flag, the case properties match every case, as in Java:
/// the letter categories `Lu`, `Ll` and `Lt` become their union, and so do
/// the binary properties `Uppercase` and `Lowercase` and the
/// `java.lang.Character` predicates with titlecase letters. `None` for a
/// name the flag does not change.
pub(super) fn case_insensitive_property(name: &str) -> Option<&'static str> {
    let bare = name
        .strip_prefix("Is")
        .or_else(|| name.strip_prefix("gc="))
        .or_else(|| name.strip_prefix("General_Category="))
        .unwrap_or(name);
    match bare {
        "Lu" | "Ll" | "Lt" | "Uppercase_Letter" | "Lowercase_Letter" | "Titlecase_Letter" => {
            Some(r"\p{Lu}\p{Ll}\p{Lt}")
        }
        "Uppercase" | "Lowercase" | "Upper" | "Lower" | "javaUpperCase" | "javaLowerCase"
        | "javaTitleCase" => Some(r"\p{Uppercase}\p{Lowercase}\p{Lt}"),
        _ => None,
    }
}

/// Adds to `pieces` what Java's `i` and `u` flags make a class match: a
/// character matches a range when it, its uppercase or its lowercase (the
/// simple mappings, one character each) is in the range, and a single
/// character when both have the same lowercase of their uppercase.
/// Properties (`Piece::Set`) are not folded, as in Java.
pub(super) fn fold_unicode_case(pieces: &mut Vec<super::Piece>) {
    use std::sync::OnceLock;
    // Every character with a one-character upper- or lowercase mapping.
    static CASED: OnceLock<Vec<(char, char, char)>> = OnceLock::new();
    let cased = CASED.get_or_init(|| {
        let one = |mut it: std::iter::Peekable<std::vec::IntoIter<char>>, c: char| {
            let first = it.next().unwrap_or(c);
            if it.peek().is_some() { c } else { first }
        };
        (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter_map(|c| {
                let upper = one(
                    c.to_uppercase().collect::<Vec<_>>().into_iter().peekable(),
                    c,
                );
                let lower = one(
                    c.to_lowercase().collect::<Vec<_>>().into_iter().peekable(),
                    c,
                );
                (upper != c || lower != c).then_some((c, upper, lower))
            })
            .collect()
    });
    let upper = |c: char| {
        cased
            .binary_search_by_key(&c, |e| e.0)
            .map_or(c, |i| cased[i].1)
    };
    let lower = |c: char| {
        cased
            .binary_search_by_key(&c, |e| e.0)
            .map_or(c, |i| cased[i].2)
    };
    let mut extra = Vec::new();
    for piece in pieces.iter() {
        let super::Piece::Range(lo, hi) = *piece else {
            continue;
        };
        if lo == hi {
            // One character: Java compares lowercase(uppercase(c)).
            let key = lower(upper(lo));
            extra.extend(
                cased
                    .iter()
                    .filter(|&&(c, up, _)| c != lo && lower(up) == key)
                    .map(|&(c, _, _)| super::Piece::Range(c, c)),
            );
            continue;
        }
        // A range: the character, its uppercase or its lowercase in it.
        let inside = |c: char| lo <= c && c <= hi;
        extra.extend(
            cased
                .iter()
                .filter(|&&(c, upper, lower)| !inside(c) && (inside(upper) || inside(lower)))
                .map(|&(c, _, _)| super::Piece::Range(c, c)),
        );
    }
    pieces.extend(extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_set_and_clear() {
        let mut f = Flags::default();
        f.apply("is").unwrap();
        assert!(f.case_insensitive && f.dot_all && !f.multiline);
        f.apply("m-i").unwrap();
        assert!(!f.case_insensitive && f.dot_all && f.multiline);
        assert!(f.apply("q").unwrap_err().contains("unknown inline flag"));
        assert!(
            f.apply("U")
                .unwrap_err()
                .contains("UNICODE_CHARACTER_CLASS")
        );
        assert!(f.apply("i--s").is_err());
    }

    #[test]
    fn java_property_names() {
        assert_eq!(property("LD").unwrap().as_deref(), Some(r"\p{L}\p{Nd}"));
        assert_eq!(property("IsLatin").unwrap().as_deref(), Some(r"\p{Latin}"));
        assert_eq!(property("L").unwrap(), None);
        assert_eq!(property("Lu").unwrap(), None);
        assert!(property("javaJavaIdentifierStart").is_err());
        assert_eq!(
            case_insensitive_property("IsLu"),
            Some(r"\p{Lu}\p{Ll}\p{Lt}")
        );
        assert_eq!(case_insensitive_property("Greek"), None);
        assert_eq!(
            property("InGreek").unwrap().as_deref(),
            Some(r"\x{370}-\x{3FF}")
        );
        assert_eq!(
            property("InGREEK_AND_COPTIC").unwrap(),
            None,
            "Java has no constant of that name"
        );
        assert_eq!(
            property("InBasic Latin").unwrap().as_deref(),
            Some(r"\x{0}-\x{7F}")
        );
        assert_eq!(
            property("blk=Greek and Coptic").unwrap().as_deref(),
            Some(r"\x{370}-\x{3FF}")
        );
        assert_eq!(
            property("InHighSurrogates").unwrap().as_deref(),
            Some(super::super::NOTHING)
        );
        assert!(
            property("blk=Nowhere")
                .unwrap_err()
                .contains("unknown Unicode block")
        );
    }
}
