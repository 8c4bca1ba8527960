//! ECMA-262 regular expressions (what Smithy's `pattern` trait uses) to the
//! dialect of the `regex` crate, or of `fancy-regex` where lookaround or
//! backreferences are needed.
//!
//! Patterns are read with the ECMA-262 `u` (Unicode) flag, the only reading
//! under which `\p{…}`, `\u{…}` and surrogate pairs in classes mean anything:
//! a pattern matches code points, never UTF-16 code units. Every construct is
//! given its ECMA-262 meaning:
//!
//! - `\d`, `\w` and `\b` are ASCII-only (`[0-9]`, `[0-9A-Za-z_]`); `\D`, `\W`
//!   and `\B` their complements.
//! - `\s` is ECMA-262's WhiteSpace + LineTerminator: tab, VT, FF, space,
//!   U+00A0, U+FEFF, every `Zs` character, LF, CR, U+2028 and U+2029. It
//!   differs from the `regex` crate's Unicode `\s` (which has U+0085 and not
//!   U+FEFF), so it is written out as a class. `\S` is its complement.
//! - Inside a class the complements (`[\W\S_]`) become nested classes, which
//!   the `regex` crate unions with the other items.
//! - `.` excludes the four ECMA-262 line terminators (not only `\n`); `[^]`
//!   matches any character and `[]` none.
//! - `\p{…}`/`\P{…}` (general categories, scripts, binary properties, short
//!   or long names, `gc=`/`sc=`/`scx=` forms) are passed to the `regex`
//!   crate, whose Unicode tables have the same names.
//! - `\uXXXX`, `\u{…}`, `\xHH`, `\cX`, `\0`, `\t \n \v \f \r` become the
//!   characters they denote; `\uD83D\uDE00` (a surrogate pair) is U+1F600,
//!   also as a class range bound (`[\uD800\uDC00-\uDBFF\uDFFF]` is
//!   U+10000–U+10FFFF). A lone surrogate can never occur in a Rust string,
//!   so it matches nothing: outside a class it is a generation-time error,
//!   inside a class it is dropped, and a range bound in the surrogate block
//!   is moved to the nearest scalar value (`[\u0000-\uDFFF]` is
//!   U+0000–U+D7FF).
//! - Identity escapes (`\/`, `\-`, `\.`, …) are literals, `{` that does not
//!   start a quantifier is a literal (ECMA-262 Annex B), and characters that
//!   the `regex` crate treats specially inside classes (`[`, `&&`, `--`,
//!   `~~`) are escaped.
//! - Named groups `(?<name>…)`, non-capturing groups and lazy quantifiers
//!   have the same syntax; lookahead, lookbehind and backreferences
//!   (numbered or `\k<name>`) need `fancy-regex`, and [`Engine`] says so.
//!
//! Smithy's reference implementation checks patterns with
//! `java.util.regex`, so a model AWS published may use Java's syntax where
//! ECMA-262 has none, or reads the same text differently. Such constructs
//! are read as Java reads them (the private modules `java` and `blocks`):
//!
//! - `\A` and `\z` are the start and the end of the input.
//! - Property names Java knows: its POSIX classes that ECMA-262 has no
//!   property of that name for (`Alnum`, `Blank`, `Cntrl`, `Digit`,
//!   `Graph`, `Print`, `Punct`, `Space`, `XDigit`: ASCII sets; `ASCII`,
//!   `Alpha`, `Lower` and `Upper` are ECMA-262 names too and keep their
//!   Unicode meaning), `all`, `LD`, `L1`, `IsX`, the `java.lang.Character`
//!   predicates (`javaLowerCase`, ...), Unicode blocks (`InGreek`,
//!   `blk=X`), and the one-letter form `\pL`.
//! - Class unions (`[a-f[0-9]]`) and intersections (`[\p{Print}&&[^|:/]]`):
//!   inside a class, `[` opens a nested class and `&&` intersects, where
//!   ECMA-262 would read literal characters. Java rejects an unescaped `[`
//!   in a class that does not open one, so no model Smithy accepted means
//!   the ECMA-262 reading.
//! - Inline flags, for the rest of the group or scoped (`(?i)`, `(?s:…)`,
//!   `(?-m)`): `i` (ASCII letters, or every character with `u`), `s`, `m`
//!   (`^`/`$` at Java's line terminators, `\r\n` being one; needs
//!   `fancy-regex`), `d`, `x`. `U` (UNICODE_CHARACTER_CLASS) is refused.
//! - Octal escapes (`\0n`, `\0nn`, `\0mnn`) and `\x{h…h}`.
//!
//! Where Java and ECMA-262 give the same syntax different meanings, the
//! ECMA-262 one is kept, as Smithy's specification says patterns are
//! ECMA-262: `$` is the end of the input only (Java's also matches before a
//! final line terminator), `\s`, `\d` and `\w` are ECMA-262's, and `.`
//! excludes ECMA-262's four line terminators (Java's also excludes U+0085).
//!
//! A pattern that is one bounded repetition of one character too large for
//! the `regex` crate (`^[^\p{C}]{1,2048}$`) becomes a length check in
//! characters beside the unbounded repetition ([`Translated::chars`]).
//!
//! Matching never backtracks: patterns the `regex` crate can run are
//! compiled into DFAs, which take time linear in the input whatever the
//! pattern, where a backtracking engine (V8's, Java's) can take exponential
//! time on some patterns. Only patterns with lookaround or backreferences
//! run on `fancy-regex`, which backtracks with a step limit (a value that
//! exceeds it does not match).
//!
//! A quantified lookaround (`(?!\.)+`, in AWS EFS's `Path`) is allowed by
//! ECMA-262 Annex B for lookaheads and by Java, but by neither regex crate.
//! An assertion consumes nothing, so repeating it changes nothing: it is
//! kept once for a minimum of one or more, and dropped for a minimum of
//! zero.
//!
//! Smithy patterns are not implicitly anchored; anchors are kept as written.
//! Every translation is compiled before it is returned, so a pattern that
//! neither crate can run is an `Err` at generation time, never at run time.

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
    /// Bounds on the value's length in characters, to check beside
    /// `pattern` (`u32::MAX`: none above). Set for a pattern that is one
    /// bounded repetition of one character too large for the `regex` crate
    /// (`^[^\p{C}]{1,2048}$`, `^.{1,100000}$`): `pattern` is then the
    /// unbounded repetition (`^(?:[^\p{C}])*$`), which with the length
    /// check is the same language.
    pub chars: Option<(u32, u32)>,
}

/// ECMA-262 `\s` as class items for the `regex` crate: WhiteSpace (tab, VT,
/// FF, every `Zs` character, which includes space and U+00A0, and U+FEFF)
/// plus LineTerminator (LF, CR, U+2028, U+2029).
const SPACE_ITEMS: &str = r"\t\n\v\f\r\p{Zs}\x{FEFF}\x{2028}\x{2029}";
/// ECMA-262 `\w`.
const WORD_ITEMS: &str = "0-9A-Za-z_";
/// ECMA-262 `\d`.
const DIGIT_ITEMS: &str = "0-9";
/// A class that matches nothing (ECMA-262 `[]`).
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";
/// A class that matches any character (ECMA-262 `[^]`).
const ANYTHING: &str = r"[\x{0}-\x{10FFFF}]";

/// Translates an ECMA-262 pattern, or says why it can't be.
pub fn translate(pattern: &str) -> Result<Translated, String> {
    translate_as_written(pattern).or_else(|error| {
        // Too large as written: a bounded repetition of one character
        // becomes a length check and an unbounded repetition.
        let Some((flags, atom, min, max)) = counted_repetition(pattern) else {
            return Err(error);
        };
        let unbounded = translate_as_written(&format!("^{flags}(?:{atom})*$"))
            .ok()
            .filter(|t| t.engine == Engine::Regex)
            .ok_or(error)?;
        Ok(Translated {
            chars: Some((min, max)),
            ..unbounded
        })
    })
}

/// `^X{min,max}$` (also `{min}`, `{min,}`, lazy or not, after inline flags
/// such as `(?s)`) where `X` is one character: a class, `.`, an escape that
/// stands for one character or a set of them, or a literal. Returns the
/// flags, `X` and the bounds (`u32::MAX` for none).
fn counted_repetition(pattern: &str) -> Option<(&str, &str, u32, u32)> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let flags_len = if body.starts_with("(?") {
        let end = body.find(')')?;
        body[2..end]
            .chars()
            .all(|c| c == '-' || c.is_ascii_alphabetic())
            .then_some(end + 1)?
    } else {
        0
    };
    let (flags, body) = body.split_at(flags_len);
    let body = body.strip_suffix('?').unwrap_or(body).strip_suffix('}')?;
    let open = body.rfind('{')?;
    let (atom, bounds) = (&body[..open], &body[open + 1..]);
    let (min, max) = match bounds.split_once(',') {
        None => (bounds.parse().ok()?, bounds.parse().ok()?),
        Some((min, "")) => (min.parse().ok()?, u32::MAX),
        Some((min, max)) => (min.parse().ok()?, max.parse().ok()?),
    };
    if min > max || atom.is_empty() {
        return None;
    }
    // One character: the whole atom is one class, one escape or one
    // character, read by the translator itself.
    let mut t = Translator::new(atom, false);
    t.i = 1;
    let one = match t.chars[0] {
        '[' => t.class().is_ok() && t.i == t.chars.len(),
        '\\' => t.class_escape(false).is_ok() && t.i == t.chars.len(),
        '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | ']' | '^' | '$' => false,
        _ => t.chars.len() == 1,
    };
    one.then_some((flags, atom, min, max))
}

fn translate_as_written(pattern: &str) -> Result<Translated, String> {
    let mut t = Translator::new(pattern, false);
    t.run()?;
    t.captures.finish()?;
    if t.engine == Engine::Fancy && t.word_boundary {
        // fancy-regex has no ASCII `\b`; say it with lookaround instead.
        t = Translator::new(pattern, true);
        t.run()?;
    }
    let out = t.out;
    match t.engine {
        Engine::Regex => {
            // Compiled with the runtime's size limit, so the runtime can't fail.
            regex::RegexBuilder::new(&out)
                .size_limit(64 * 1024 * 1024)
                .build()
                .map_err(|e| first_line(&e.to_string()))?;
        }
        Engine::Fancy => {
            // As the runtime compiles it.
            fancy_regex::Regex::new(&out).map_err(|e| e.to_string())?;
        }
    }
    Ok(Translated {
        pattern: out,
        engine: t.engine,
        chars: None,
    })
}

/// One item of a character class, before it is written out.
enum ClassAtom {
    /// A code point; may be a lone surrogate, which matches nothing.
    Char(u32),
    /// A set, as `regex` class items (`0-9`, `\p{L}`, `[^0-9]`).
    Set(String),
}

struct Translator {
    chars: Vec<char>,
    i: usize,
    out: String,
    engine: Engine,
    /// `\b` or `\B` was seen.
    word_boundary: bool,
    /// Write `\b` with lookaround (for fancy-regex).
    fancy_boundaries: bool,
    /// The groups open at this point.
    groups: Vec<OpenGroup>,
    /// Java's inline flags in force here.
    flags: Flags,
    /// Capturing groups and backreferences.
    captures: Captures,
}

/// A group that is open at the current point of the pattern.
struct OpenGroup {
    /// Where it starts in `out`.
    start: usize,
    /// Whether it is a lookaround assertion, and a lookbehind.
    assertion: bool,
    lookbehind: bool,
    /// The inline flags to restore when it closes.
    saved: Flags,
    /// Its number, if it captures.
    capture: Option<usize>,
    /// The number the first capturing group inside it gets.
    inner_from: usize,
}

impl Translator {
    fn new(pattern: &str, fancy_boundaries: bool) -> Self {
        Self {
            chars: pattern.chars().collect(),
            i: 0,
            out: String::with_capacity(pattern.len() + 16),
            engine: Engine::Regex,
            word_boundary: false,
            fancy_boundaries,
            groups: Vec::new(),
            flags: Flags::default(),
            captures: Captures::default(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.i + n).copied()
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek() {
            self.i += 1;
            if self.flags.comments && self.skip_comment(c) {
                continue;
            }
            match c {
                '\\' => self.escape()?,
                '[' => {
                    let class = self.class()?;
                    self.out.push_str(&class);
                }
                '.' => self.out.push_str(self.flags.dot()),
                '^' | '$' => {
                    let anchor = if c == '^' {
                        self.flags.line_start()
                    } else {
                        self.flags.line_end()
                    };
                    match anchor {
                        Some(text) => {
                            self.engine = Engine::Fancy;
                            self.out.push_str(text);
                        }
                        None => self.out.push(c),
                    }
                }
                '(' => {
                    let start = self.out.len();
                    let saved = self.flags;
                    let Some(capture) = self.group()? else {
                        continue;
                    };
                    let opened = &self.out[start..];
                    let lookbehind = ["(?<=", "(?<!"].iter().any(|a| opened.starts_with(a));
                    let assertion =
                        lookbehind || ["(?=", "(?!"].iter().any(|a| opened.starts_with(a));
                    self.groups.push(OpenGroup {
                        start,
                        assertion,
                        lookbehind,
                        saved,
                        capture,
                        inner_from: self.captures.count() + 1,
                    });
                }
                ')' => {
                    self.out.push(')');
                    if let Some(group) = self.groups.pop() {
                        self.flags = group.saved;
                        if let Some(n) = group.capture {
                            self.captures.close(n);
                        }
                        if self.quantifier_follows() {
                            self.captures.repeat_inner(group.inner_from);
                        }
                        if group.assertion {
                            self.quantified_assertion(group.start);
                        }
                    }
                }
                '{' => {
                    if let Some(len) = self.quantifier_len() {
                        self.out.push('{');
                        self.out.extend(&self.chars[self.i..self.i + len]);
                        self.i += len;
                    } else {
                        self.out.push_str(r"\{");
                    }
                }
                '}' | ']' => {
                    self.out.push('\\');
                    self.out.push(c);
                }
                c => self.literal(c, false),
            }
        }
        Ok(())
    }

    /// Whether the current point is inside a lookbehind.
    fn in_lookbehind(&self) -> bool {
        self.groups.iter().any(|g| g.lookbehind)
    }

    /// Whether a quantifier comes next (after a group closes).
    fn quantifier_follows(&mut self) -> bool {
        match self.peek() {
            Some('*' | '+' | '?') => true,
            Some('{') => {
                self.i += 1;
                let q = self.quantifier_len().is_some();
                self.i -= 1;
                q
            }
            _ => false,
        }
    }

    /// A backreference, with ECMA-262's meaning (see [`captures`]).
    fn backreference(&mut self, reference: Reference) {
        match reference {
            Reference::Empty => self.out.push_str("(?:)"),
            Reference::Backward(n) => {
                self.engine = Engine::Fancy;
                self.out.push_str(&format!(r"(?({n})\{n}|)"));
            }
        }
    }

    /// Under Java's `x` flag: whether `c` (just consumed) is whitespace or
    /// starts a `#` comment, which are skipped.
    fn skip_comment(&mut self, c: char) -> bool {
        match c {
            ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r' => true,
            '#' => {
                while let Some(n) = self.peek() {
                    self.i += 1;
                    if matches!(n, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
                        break;
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// A literal character outside a class, case-folded under Java's `i`
    /// flag: ASCII letters only, or every character with `u` too. `escaped`
    /// for a character that came from an escape (`\.`), which the `regex`
    /// crate may need escaped too; other characters are written as they are.
    fn literal(&mut self, c: char, escaped: bool) {
        let (i, u) = (self.flags.case_insensitive, self.flags.unicode_case);
        if i && !u && c.is_ascii_alphabetic() {
            self.out.push('[');
            self.out.push(c.to_ascii_lowercase());
            self.out.push(c.to_ascii_uppercase());
            self.out.push(']');
        } else if i && u && (c.is_lowercase() || c.is_uppercase()) {
            // Unicode simple case folding, as Java's UNICODE_CASE compares
            // (`K` also matches the Kelvin sign, `s` the long s).
            self.out.push_str("(?i:");
            push_literal(&mut self.out, c);
            self.out.push(')');
        } else if escaped {
            push_literal(&mut self.out, c);
        } else {
            self.out.push(c);
        }
    }

    /// A quantifier after a lookaround assertion (`(?!\.)+`, as AWS EFS
    /// has it), which ECMA-262 allows for lookaheads (Annex B), Java for
    /// both, and neither regex crate at all. An assertion matches nothing,
    /// so repeating it changes nothing: with a minimum of one or more the
    /// quantifier is dropped, and with a minimum of zero (`*`, `?`,
    /// `{0,n}`) the assertion is optional, so it is dropped too.
    fn quantified_assertion(&mut self, start: usize) {
        // The quantifier's length (after this point) and whether its minimum
        // is zero.
        let (len, optional) = match self.peek() {
            Some('+') => (1, false),
            Some('*' | '?') => (1, true),
            Some('{') => {
                self.i += 1;
                let len = self.quantifier_len();
                self.i -= 1;
                let Some(len) = len else { return };
                let min = &self.chars[self.i + 1..];
                let zero = min
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .all(|&c| c == '0');
                (len + 1, zero)
            }
            _ => return,
        };
        self.i += len;
        // A lazy quantifier is the same quantifier here.
        if self.peek() == Some('?') {
            self.i += 1;
        }
        if optional {
            self.out.truncate(start);
        }
    }

    /// The length of `n}`, `n,}` or `n,m}` after a `{`, if it is one.
    fn quantifier_len(&self) -> Option<usize> {
        let rest = &self.chars[self.i..];
        let digits = |from: usize| {
            rest[from..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
        };
        let n = digits(0);
        if n == 0 {
            return None;
        }
        match rest.get(n) {
            Some('}') => Some(n + 1),
            Some(',') => {
                let m = digits(n + 1);
                (rest.get(n + 1 + m) == Some(&'}')).then_some(n + m + 2)
            }
            _ => None,
        }
    }

    /// A group's opening (the `(` is consumed): `None` for Java's
    /// `(?flags)`, which sets flags and opens nothing, else the group's
    /// number if it captures. Named groups are written unnamed (a name
    /// changes nothing in a match, and `fancy-regex` refuses numbered
    /// references beside named groups); references to them use the number.
    fn group(&mut self) -> Result<Option<Option<usize>>, String> {
        if self.peek() != Some('?') {
            self.out.push('(');
            let behind = self.in_lookbehind();
            return Ok(Some(Some(self.captures.open(None, behind)?)));
        }
        match (self.peek_at(1), self.peek_at(2)) {
            (Some(':'), _) => {
                self.out.push_str("(?:");
                self.i += 2;
            }
            (Some(k @ ('=' | '!')), _) => {
                self.engine = Engine::Fancy;
                self.out.push_str("(?");
                self.out.push(k);
                self.i += 2;
            }
            (Some('<'), Some(k @ ('=' | '!'))) => {
                self.engine = Engine::Fancy;
                self.out.push_str("(?<");
                self.out.push(k);
                self.i += 3;
            }
            (Some('<'), _) => {
                self.i += 2;
                let name = self.group_name()?;
                self.out.push('(');
                let behind = self.in_lookbehind();
                return Ok(Some(Some(self.captures.open(Some(&name), behind)?)));
            }
            (Some(f), _) if f == '-' || f.is_ascii_alphabetic() => {
                // Java's inline flags: `(?is)` or `(?i-s:…)`.
                let rest = &self.chars[self.i + 1..];
                let len = rest
                    .iter()
                    .position(|&c| c == ')' || c == ':')
                    .ok_or("unterminated inline flag group `(?…`")?;
                let flags: String = rest[..len].iter().collect();
                self.flags.apply(&flags)?;
                let scoped = rest[len] == ':';
                self.i += len + 2;
                if !scoped {
                    return Ok(None);
                }
                self.out.push_str("(?:");
            }
            _ => return Err("unknown group syntax `(?`".into()),
        }
        Ok(Some(None))
    }

    /// `name>` of a named group or `\k<name>`.
    fn group_name(&mut self) -> Result<String, String> {
        let end = self.chars[self.i..]
            .iter()
            .position(|&c| c == '>')
            .ok_or("unterminated group name")?;
        let name: String = self.chars[self.i..self.i + end].iter().collect();
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!(
                "group name `{name}` is not supported (ASCII letters, digits and `_` only)"
            ));
        }
        self.i += end + 1;
        Ok(name)
    }

    /// An escape outside a class (the backslash is consumed).
    fn escape(&mut self) -> Result<(), String> {
        let Some(e) = self.peek() else {
            return Err("pattern ends with a lone backslash".into());
        };
        match e {
            'b' | 'B' => {
                self.i += 1;
                self.word_boundary = true;
                let text = match (e, self.fancy_boundaries) {
                    ('b', false) => r"(?-u:\b)",
                    ('B', false) => r"(?-u:\B)",
                    ('b', true) => {
                        r"(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))"
                    }
                    _ => r"(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))",
                };
                self.out.push_str(text);
            }
            '1'..='9' => {
                let mut n = 0usize;
                while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(d as usize);
                    self.i += 1;
                }
                let behind = self.in_lookbehind();
                let reference = self.captures.reference(n, behind)?;
                self.backreference(reference);
            }
            // Java's input anchors (see the module documentation).
            'A' | 'z' => {
                self.i += 1;
                self.out.push('\\');
                self.out.push(e);
            }
            'k' if self.peek_at(1) == Some('<') => {
                self.i += 2;
                let name = self.group_name()?;
                let behind = self.in_lookbehind();
                let reference = self.captures.named(&name, behind)?;
                self.backreference(reference);
            }
            _ => match self.class_escape(false)? {
                ClassAtom::Char(c) => match char::from_u32(c) {
                    Some(c) => self.literal(c, true),
                    None => {
                        return Err(format!(
                            "lone surrogate `\\u{c:04X}` can never match a Unicode string"
                        ));
                    }
                },
                ClassAtom::Set(items) => {
                    // A nested class (`[^0-9]`) or a property stands alone.
                    let one_property = (items.starts_with("\\p") || items.starts_with("\\P"))
                        && items.matches('\\').count() == 1;
                    if items.starts_with('[') || one_property {
                        self.out.push_str(&items);
                    } else {
                        self.out.push('[');
                        self.out.push_str(&items);
                        self.out.push(']');
                    }
                }
            },
        }
        Ok(())
    }

    /// An escape that means the same in and out of classes (the backslash
    /// is consumed). `\b` is a backspace here.
    fn class_escape(&mut self, in_class: bool) -> Result<ClassAtom, String> {
        let Some(e) = self.peek() else {
            return Err("pattern ends with a lone backslash".into());
        };
        self.i += 1;
        let set = |s: &str| Ok(ClassAtom::Set(s.to_owned()));
        match e {
            'd' => set(DIGIT_ITEMS),
            'D' => set(&format!("[^{DIGIT_ITEMS}]")),
            'w' => set(WORD_ITEMS),
            'W' => set(&format!("[^{WORD_ITEMS}]")),
            's' => set(SPACE_ITEMS),
            'S' => set(&format!("[^{SPACE_ITEMS}]")),
            'p' | 'P' => {
                let name = self.property_name()?;
                let folded = self
                    .flags
                    .case_insensitive
                    .then(|| java::case_insensitive_property(&name))
                    .flatten()
                    .map(str::to_owned);
                let items = match folded {
                    Some(items) => Some(items),
                    None => java::property(&name)?,
                };
                match (items, e) {
                    (Some(items), 'p') => set(&items),
                    (Some(items), _) => set(&format!("[^{items}]")),
                    (None, _) => set(&format!("\\{e}{{{name}}}")),
                }
            }
            'b' if in_class => Ok(ClassAtom::Char(0x08)),
            't' => Ok(ClassAtom::Char(0x09)),
            'n' => Ok(ClassAtom::Char(0x0A)),
            'v' => Ok(ClassAtom::Char(0x0B)),
            'f' => Ok(ClassAtom::Char(0x0C)),
            'r' => Ok(ClassAtom::Char(0x0D)),
            '0' if !self.peek().is_some_and(|c| c.is_ascii_digit()) => Ok(ClassAtom::Char(0)),
            // Java's octal escape: `\0n`, `\0nn` or `\0mnn` (m at most 3).
            '0' => {
                let digits: Vec<u32> = self.chars[self.i..]
                    .iter()
                    .take(3)
                    .map_while(|c| c.to_digit(8))
                    .collect();
                let take = match digits.as_slice() {
                    [] => return Err("`\\0` followed by a digit that is not octal".into()),
                    [a, _, _] if *a <= 3 => 3,
                    [_, _, ..] => 2,
                    [_] => 1,
                };
                self.i += take;
                Ok(ClassAtom::Char(
                    digits[..take].iter().fold(0, |v, d| v * 8 + d),
                ))
            }
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.i += 1;
                    Ok(ClassAtom::Char(u32::from(l) % 32))
                }
                _ => Err("`\\c` must be followed by an ASCII letter".into()),
            },
            // Java's `\x{h…h}`: a code point.
            'x' if self.peek() == Some('{') => self.braced_code_point('x').map(ClassAtom::Char),
            'x' => {
                let v = self
                    .hex(2)
                    .ok_or("`\\x` must be followed by two hex digits")?;
                Ok(ClassAtom::Char(v))
            }
            'u' => self.unicode_escape().map(ClassAtom::Char),
            '1'..='9' => Err(format!(
                "`\\{e}` (a backreference or octal escape) inside a character class"
            )),
            e if e.is_ascii_alphanumeric() => Err(format!("unknown escape `\\{e}`")),
            // Identity escape of a punctuation or non-ASCII character.
            e => Ok(ClassAtom::Char(u32::from(e))),
        }
    }

    /// `{Name}` or `{Name=Value}` of `\p`/`\P`.
    fn property_name(&mut self) -> Result<String, String> {
        // Java's one-letter form: `\pL`.
        if let Some(c) = self.peek().filter(char::is_ascii_uppercase) {
            self.i += 1;
            return Ok(c.to_string());
        }
        if self.peek() != Some('{') {
            return Err("`\\p` must be followed by `{property}`".into());
        }
        let end = self.chars[self.i..]
            .iter()
            .position(|&c| c == '}')
            .ok_or("unterminated `\\p{…}`")?;
        let name: String = self.chars[self.i + 1..self.i + end].iter().collect();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '=' | '-' | ' '))
        {
            return Err(format!("invalid Unicode property `{name}`"));
        }
        self.i += end + 1;
        Ok(name)
    }

    /// `n` hex digits, consumed only if all are there.
    fn hex(&mut self, n: usize) -> Option<u32> {
        let digits: String = self.chars.get(self.i..self.i + n)?.iter().collect();
        let v = u32::from_str_radix(&digits, 16).ok()?;
        digits.chars().all(|c| c.is_ascii_hexdigit()).then(|| {
            self.i += n;
            v
        })
    }

    /// `{h…h}` after `\u` (ECMA-262) or `\x` (Java), named by `escape` in
    /// errors: a code point up to U+10FFFF.
    fn braced_code_point(&mut self, escape: char) -> Result<u32, String> {
        let end = self.chars[self.i..]
            .iter()
            .position(|&c| c == '}')
            .ok_or_else(|| format!("unterminated `\\{escape}{{…}}` escape"))?;
        let digits: String = self.chars[self.i + 1..self.i + end].iter().collect();
        let v = u32::from_str_radix(&digits, 16)
            .ok()
            .filter(|v| *v <= 0x10FFFF && digits.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| format!("invalid code point `\\{escape}{{{digits}}}`"))?;
        self.i += end + 1;
        Ok(v)
    }

    /// After `\u`: `XXXX` (joining a surrogate pair written as two escapes)
    /// or `{X…}`. May return a lone surrogate.
    fn unicode_escape(&mut self) -> Result<u32, String> {
        if self.peek() == Some('{') {
            return self.braced_code_point('u');
        }
        let v = self
            .hex(4)
            .ok_or("`\\u` must be followed by four hex digits or `{code point}`")?;
        if (0xD800..0xDC00).contains(&v)
            && self.peek() == Some('\\')
            && self.peek_at(1) == Some('u')
        {
            let save = self.i;
            self.i += 2;
            match self.hex(4) {
                Some(low @ 0xDC00..0xE000) => {
                    return Ok(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00));
                }
                _ => self.i = save,
            }
        }
        Ok(v)
    }

    /// A character class (the `[` is consumed), written for the `regex`
    /// crate.
    ///
    /// Java's class syntax is read too, as Smithy's reference implementation
    /// reads patterns: a `[` inside a class opens a nested class (a union:
    /// `[a-f[0-9]]`) and `&&` intersects (`[\p{Print}&&[^|:/]]`), with
    /// `^` negating the whole class; an empty operand of `&&` is ignored. The
    /// `regex` crate has the same operators with the same precedence. Under
    /// Java's `i` flag ASCII letters match both cases (every character does
    /// with `u` too); under `x` whitespace is ignored.
    fn class(&mut self) -> Result<String, String> {
        self.class_body()
    }

    fn class_body(&mut self) -> Result<String, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.i += 1;
        }
        let mut operands: Vec<Vec<Piece>> = Vec::new();
        let mut pieces = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err("unterminated character class".into());
            };
            if self.flags.comments && matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r') {
                self.i += 1;
                continue;
            }
            if c == ']' {
                self.i += 1;
                break;
            }
            if c == '[' {
                self.i += 1;
                pieces.push(Piece::Set(self.class_body()?));
                continue;
            }
            if c == '&' && self.peek_at(1) == Some('&') {
                self.i += 2;
                operands.push(std::mem::take(&mut pieces));
                continue;
            }
            let lo = self.class_atom()?;
            // A range `a-b`; a `-` before `]` or next to a set is a literal.
            if self.peek() == Some('-') && !matches!(self.peek_at(1), Some(']' | '[') | None) {
                let save = self.i;
                self.i += 1;
                let hi = self.class_atom()?;
                match (&lo, &hi) {
                    (ClassAtom::Char(a), ClassAtom::Char(b)) => {
                        if a > b {
                            return Err(format!("class range out of order: U+{a:04X} > U+{b:04X}"));
                        }
                        pieces.extend(scalar_range(*a, *b));
                        continue;
                    }
                    _ => self.i = save,
                }
            }
            match lo {
                ClassAtom::Char(c) => pieces.extend(scalar_range(c, c)),
                ClassAtom::Set(s) => pieces.push(Piece::Set(s)),
            }
        }
        let intersected = !operands.is_empty();
        operands.push(pieces);
        if intersected {
            operands.retain(|o| !o.is_empty());
        }
        match (self.flags.case_insensitive, self.flags.unicode_case) {
            (true, false) => operands.iter_mut().for_each(fold_ascii_case),
            (true, true) => operands.iter_mut().for_each(java::fold_unicode_case),
            _ => {}
        }
        let mut out = String::new();
        match operands.as_slice() {
            [] => out.push_str(NOTHING),
            [only] if only.is_empty() => out.push_str(if negated { ANYTHING } else { NOTHING }),
            _ => {
                out.push('[');
                if negated {
                    out.push('^');
                }
                for (k, operand) in operands.iter().enumerate() {
                    if k > 0 {
                        out.push_str("&&");
                    }
                    render_class(&mut out, operand);
                }
                out.push(']');
            }
        }
        Ok(out)
    }

    fn class_atom(&mut self) -> Result<ClassAtom, String> {
        let c = self.peek().ok_or("unterminated character class")?;
        self.i += 1;
        if c == '\\' {
            self.class_escape(true)
        } else {
            Ok(ClassAtom::Char(u32::from(c)))
        }
    }
}

/// An item of a class as it is written out.
enum Piece {
    /// One character, or a range of them.
    Range(char, char),
    /// Class items written as they are (`0-9`, `\p{L}`, `[^0-9]`).
    Set(String),
}

/// Adds the other case of every ASCII letter in `pieces` (Java's `i` flag
/// without `u`). Properties (`Piece::Set`) are not folded, as in Java.
fn fold_ascii_case(pieces: &mut Vec<Piece>) {
    let mut extra = Vec::new();
    for piece in pieces.iter() {
        let Piece::Range(lo, hi) = piece else {
            continue;
        };
        for (from, to) in [('a', 'z'), ('A', 'Z')] {
            let (a, b) = ((*lo).max(from), (*hi).min(to));
            if a <= b {
                let swap = |c: char| {
                    if c.is_ascii_lowercase() {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                };
                extra.push(Piece::Range(swap(a), swap(b)));
            }
        }
    }
    pieces.extend(extra);
}

/// The range `lo..=hi` without surrogates (which no Rust string holds):
/// nothing when it lies within them, else its bounds moved to the nearest
/// scalar values.
fn scalar_range(lo: u32, hi: u32) -> Option<Piece> {
    let lo = if (0xD800..0xE000).contains(&lo) {
        0xE000
    } else {
        lo
    };
    let hi = if (0xD800..0xE000).contains(&hi) {
        0xD7FF
    } else {
        hi
    };
    match (char::from_u32(lo), char::from_u32(hi)) {
        (Some(lo), Some(hi)) if lo <= hi => Some(Piece::Range(lo, hi)),
        _ => None,
    }
}

/// Writes class items for the `regex` crate: printable ASCII and letters
/// and digits below U+2000 as they are, others as `\x{…}`; `\`, `[` and `]` escaped; `^` escaped first;
/// `-` escaped unless first or last; `&` and `~` escaped next to the same
/// character (the crate reads `&&` and `~~` as set operations).
fn render_class(out: &mut String, pieces: &[Piece]) {
    let first_char = |p: Option<&Piece>| match p {
        Some(Piece::Range(lo, _)) => Some(*lo),
        _ => None,
    };
    for (n, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Set(s) => out.push_str(s),
            Piece::Range(lo, hi) => {
                let single_edge = lo == hi && (n == 0 || n + 1 == pieces.len());
                let next = first_char(pieces.get(n + 1));
                let prev = out.chars().last();
                push_class_char(
                    out,
                    *lo,
                    n == 0,
                    single_edge,
                    prev,
                    if lo == hi { next } else { Some('-') },
                );
                if lo != hi {
                    out.push('-');
                    push_class_char(out, *hi, false, false, Some('-'), next);
                }
            }
        }
    }
}

/// One character inside a `regex` class; `prev` and `next` are its
/// neighbours as written.
fn push_class_char(
    out: &mut String,
    c: char,
    first: bool,
    dash_is_literal: bool,
    prev: Option<char>,
    next: Option<char>,
) {
    let escape = match c {
        '\\' | '[' | ']' => true,
        '^' => first,
        '-' => !dash_is_literal,
        '&' | '~' => prev == Some(c) || next == Some(c),
        _ => false,
    };
    match c {
        '\t' => out.push_str(r"\t"),
        '\n' => out.push_str(r"\n"),
        '\r' => out.push_str(r"\r"),
        c if c.is_ascii_graphic() || c == ' ' => {
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
        c if !c.is_ascii() && c < '\u{2000}' && c.is_alphanumeric() => out.push(c),
        c => out.push_str(&format!("\\x{{{:X}}}", u32::from(c))),
    }
}

/// A character outside a class.
fn push_literal(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str(r"\t"),
        '\n' => out.push_str(r"\n"),
        '\r' => out.push_str(r"\r"),
        c if c.is_ascii_graphic() || c == ' ' => {
            let mut buf = [0u8; 4];
            out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
        }
        c => out.push_str(&format!("\\x{{{:X}}}", u32::from(c))),
    }
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

mod blocks;
mod captures;
mod java;
#[cfg(test)]
mod tests;

use captures::{Captures, Reference};
use java::Flags;
