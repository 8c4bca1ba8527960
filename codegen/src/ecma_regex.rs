//! ECMA-262 regular expressions (what Smithy's `pattern` trait uses) to the
//! dialect of the `regex` crate.
//!
//! The differences that matter for `pattern`:
//! - `\d`, `\w` and `\b` are ASCII-only in ECMA-262 but Unicode-aware in
//!   `regex`; they become explicit ASCII classes.
//! - `.` excludes all ECMA-262 line terminators, not just `\n`.
//! - Identity escapes such as `\/` are literal characters.
//! - `\uXXXX`, `\cX` and `\0` have `regex` equivalents.
//! - Lookaround and backreferences have no `regex` equivalent. Patterns that
//!   use them (real AWS models do, e.g. `^(?!^\s+$)...`) are translated for
//!   `fancy-regex`, which adds both on top of `regex`; [`Engine`] says which
//!   crate a pattern needs.
//!
//! Smithy patterns are not implicitly anchored; anchors are kept as written.

/// Which regex crate a translated pattern needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// `regex`: linear time, no lookaround.
    Regex,
    /// `fancy-regex`: for lookaround and backreferences.
    Fancy,
}

/// A pattern in the dialect of the `regex` crate (or `fancy-regex`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Translated {
    /// The translated pattern.
    pub pattern: String,
    /// The crate that can compile it.
    pub engine: Engine,
}

/// Translates an ECMA-262 pattern, or says why it can't be.
pub fn translate(pattern: &str) -> Result<Translated, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut engine = Engine::Regex;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&e) = chars.get(i + 1) else {
                    return Err("pattern ends with a lone backslash".into());
                };
                i += 1;
                match e {
                    'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                    'D' if !in_class => out.push_str("[^0-9]"),
                    'w' => out.push_str(if in_class {
                        "0-9A-Za-z_"
                    } else {
                        "[0-9A-Za-z_]"
                    }),
                    'W' if !in_class => out.push_str("[^0-9A-Za-z_]"),
                    'D' | 'W' => {
                        return Err(format!("`\\{e}` inside a character class is not supported"));
                    }
                    'b' if in_class => out.push_str("\\x08"),
                    'b' => out.push_str("(?-u:\\b)"),
                    'B' => out.push_str("(?-u:\\B)"),
                    's' | 'S' | 'n' | 'r' | 't' | 'f' | 'v' => {
                        out.push('\\');
                        out.push(e);
                    }
                    '0' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                        out.push_str("\\x00")
                    }
                    '1'..='9' if !in_class => {
                        engine = Engine::Fancy;
                        out.push('\\');
                        out.push(e);
                    }
                    '1'..='9' => return Err(format!("`\\{e}` inside a character class")),
                    'u' => {
                        let hex: String = chars.iter().skip(i + 1).take(4).collect();
                        if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                            out.push_str(&format!("\\x{{{hex}}}"));
                            i += 4;
                        } else if chars.get(i + 1) == Some(&'{') {
                            let end = chars[i..].iter().position(|&c| c == '}');
                            let Some(end) = end else {
                                return Err("unterminated `\\u{...}` escape".into());
                            };
                            let hex: String = chars[i + 2..i + end].iter().collect();
                            out.push_str(&format!("\\x{{{hex}}}"));
                            i += end;
                        } else {
                            return Err("invalid `\\u` escape".into());
                        }
                    }
                    'x' => {
                        let hex: String = chars.iter().skip(i + 1).take(2).collect();
                        if hex.len() == 2 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                            out.push_str(&format!("\\x{hex}"));
                            i += 2;
                        } else {
                            return Err("invalid `\\x` escape".into());
                        }
                    }
                    'c' => match chars.get(i + 1) {
                        Some(l) if l.is_ascii_alphabetic() => {
                            out.push_str(&format!("\\x{:02X}", (*l as u8) % 32));
                            i += 1;
                        }
                        _ => return Err("invalid `\\c` escape".into()),
                    },
                    'p' | 'P' => {
                        out.push('\\');
                        out.push(e);
                    }
                    e if e.is_ascii_alphanumeric() => {
                        return Err(format!("unknown escape `\\{e}`"));
                    }
                    // Identity escape of a punctuation or non-ASCII character.
                    e => push_literal(&mut out, e),
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                // `[]` matches nothing and `[^]` anything in ECMA-262.
                if chars.get(i + 1) == Some(&']') {
                    out.truncate(out.len() - 1);
                    let negated = out.ends_with('^');
                    if negated {
                        out.truncate(out.len() - 1);
                        out.push_str("[\\s\\S]");
                    } else {
                        out.push_str("[^\\s\\S]");
                    }
                    in_class = false;
                    i += 1;
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' | '-' if in_class && chars.get(i + 1) == Some(&c) => {
                // The regex crate reads `&&`, `~~` and `--` as set operations.
                out.push('\\');
                out.push(c);
            }
            '.' if !in_class => out.push_str("[^\\n\\r\\x{2028}\\x{2029}]"),
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                let (text, consumed) = match (chars.get(i + 2), chars.get(i + 3)) {
                    (Some(':'), _) => ("(?:".to_owned(), 3),
                    (Some(&k @ ('=' | '!')), _) => {
                        engine = Engine::Fancy;
                        (format!("(?{k}"), 3)
                    }
                    (Some('<'), Some(&k @ ('=' | '!'))) => {
                        engine = Engine::Fancy;
                        (format!("(?<{k}"), 4)
                    }
                    (Some('<'), _) => ("(?P<".to_owned(), 3),
                    _ => return Err("unknown group syntax `(?`".into()),
                };
                out.push_str(&text);
                i += consumed - 1;
            }
            c => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err("unterminated character class".into());
    }
    match engine {
        Engine::Regex => {
            // Compiled with the runtime's size limit, so the runtime can't fail.
            regex::RegexBuilder::new(&out)
                .size_limit(64 * 1024 * 1024)
                .build()
                .map_err(|e| first_line(&e.to_string()))?;
        }
        Engine::Fancy => {
            fancy_regex::Regex::new(&out).map_err(|e| e.to_string())?;
        }
    }
    Ok(Translated {
        pattern: out,
        engine,
    })
}

fn push_literal(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
}

fn first_line(s: &str) -> String {
    // regex errors span several lines with a caret diagram; the last
    // line carries the reason.
    s.lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .map(|l| {
            l.trim_start()
                .trim_start_matches("error:")
                .trim()
                .to_owned()
        })
        .unwrap_or_else(|| s.lines().next().unwrap_or_default().to_owned())
}

#[cfg(test)]
mod tests {
    use super::{Engine, translate};

    fn regex(p: &str) -> String {
        let t = translate(p).unwrap();
        assert_eq!(t.engine, Engine::Regex, "{p}");
        t.pattern
    }

    #[test]
    fn ascii_classes_and_identity_escapes() {
        assert_eq!(
            regex(r"^\d{12}:connector\/[0-9a-f]$"),
            r"^[0-9]{12}:connector/[0-9a-f]$"
        );
        assert_eq!(regex(r"[\w.-]+"), r"[0-9A-Za-z_.-]+");
        assert_eq!(regex(r"^a.b$"), r"^a[^\n\r\x{2028}\x{2029}]b$");
        assert_eq!(regex(r"\u00e9\x41"), r"\x{00e9}\x41");
        assert_eq!(regex(r"(?:ab)|(?<n>c)"), r"(?:ab)|(?P<n>c)");
    }

    #[test]
    fn lookaround_and_backreferences_need_fancy_regex() {
        let t = translate(r"^(?!^\s+$)((?![\x5c'\x2b,;<=>#\x22])([\x20-\x7E]))+$").unwrap();
        assert_eq!(t.engine, Engine::Fancy);
        assert_eq!(
            t.pattern,
            r"^(?!^\s+$)((?![\x5c'\x2b,;<=>#\x22])([\x20-\x7E]))+$"
        );
        let t = translate(r"(a)\1(?<=a)(?<!b)").unwrap();
        assert_eq!(
            (t.engine, t.pattern.as_str()),
            (Engine::Fancy, r"(a)\1(?<=a)(?<!b)")
        );
    }

    #[test]
    fn rejects_invalid_patterns() {
        assert!(translate(r"(?<=a").is_err());
        assert!(translate(r"a\q").unwrap_err().contains("unknown escape"));
        assert!(translate(r"[a-").unwrap_err().contains("unterminated"));
        assert!(translate(r"a{2,1}").is_err());
        assert!(translate(r"(").is_err());
    }
}
