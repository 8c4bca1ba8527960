//! The pattern compiler checked against a real ECMAScript engine: random
//! ECMA-262 patterns and inputs biased towards each pattern's own characters
//! and the edge cases (line terminators, non-ASCII whitespace, astral
//! characters) are matched three ways, and all must agree on every input
//! (`test` / `find` semantics):
//!
//! 1. Node.js's `RegExp` (`u` flag where the pattern is valid with it), the
//!    oracle, run as a long-lived child process with a watchdog, since a
//!    backtracking engine can hang on some patterns;
//! 2. the translated pattern on the `regex` or `fancy-regex` crate;
//! 3. what generated code runs: the generator's DFA tables (or its
//!    fallback) walked by `smithy_rt::validation::Pattern`.
//!
//! A pattern the generator refuses is counted, not compared: refusing is
//! allowed, translating wrongly is not. The seed and the number of patterns
//! are fixed, so a run is repeatable; `PATTERN_DIFFERENTIAL_PATTERNS` and
//! `PATTERN_DIFFERENTIAL_SEED` run more or other ones. Without `node` on
//! `PATH` the test is skipped, except under CI (`CI` set), where it fails.

use super::{Compiled, compile};
use crate::ecma_regex::{Engine, translate};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// A small deterministic generator (xorshift64*), so that a seed names a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Characters patterns and inputs are made of: ASCII letters, digits and
/// punctuation, and the characters where engines differ (line terminators,
/// Unicode spaces, NEL, BOM, accented and astral letters).
const CHARS: &[char] = &[
    'a', 'b', 'c', 'x', 'Z', '0', '7', '9', '_', '-', '.', '/', ':', ' ', '@', '=', '+', '&', '~',
    '[', ']', '{', '}', '(', ')', '*', '?', '|', '^', '$', '\\', '\n', '\r', '\t', '\u{0B}',
    '\u{0C}', '\u{85}', '\u{A0}', '\u{FEFF}', '\u{2028}', '\u{2029}', '\u{3000}', 'é', 'ß', 'Ω',
    'ж', '日', '٣', '😀', '𝔸',
];

/// ECMA-262 syntax characters, escaped when used as literals.
const SYNTAX: &str = "^$\\.*+?()[]{}|/";

const PROPERTIES: &[&str] = &[
    "L",
    "Lu",
    "Ll",
    "N",
    "Nd",
    "P",
    "S",
    "Z",
    "Zs",
    "C",
    "Cc",
    "ASCII",
    "Alphabetic",
    "White_Space",
    "Script=Greek",
    "sc=Latin",
    "gc=Lu",
    "Emoji",
    "Any",
];

const CLASS_ESCAPES: &[&str] = &[
    r"\d",
    r"\D",
    r"\w",
    r"\W",
    r"\s",
    r"\S",
    r"\t",
    r"\n",
    r"\r",
    r"\v",
    r"\f",
    r"\0",
    r"\x41",
    r"\u00e9",
    r"\u{1F600}",
    r"\uD83D\uDE00",
    r"\cJ",
    r"\-",
    r"\]",
    r"\\",
    r"\/",
];

/// One random ECMA-262 pattern.
struct Gen<'r> {
    rng: &'r mut Rng,
    groups: usize,
}

impl Gen<'_> {
    fn pattern(&mut self) -> String {
        let mut p = String::new();
        if self.rng.chance(50) {
            p.push('^');
        }
        p.push_str(&self.alternation(0));
        if self.rng.chance(50) {
            p.push('$');
        }
        p
    }

    fn alternation(&mut self, depth: usize) -> String {
        let n = 1 + usize::from(self.rng.chance(25)) + usize::from(self.rng.chance(10));
        (0..n)
            .map(|_| self.sequence(depth))
            .collect::<Vec<_>>()
            .join("|")
    }

    fn sequence(&mut self, depth: usize) -> String {
        let n = self.rng.below(4) + usize::from(depth == 0);
        (0..n).map(|_| self.term(depth)).collect()
    }

    fn term(&mut self, depth: usize) -> String {
        if self.rng.chance(8) {
            return self.assertion(depth);
        }
        let (atom, single) = self.atom(depth);
        if !self.rng.chance(40) {
            return atom;
        }
        // Large repetitions (arm 6) are rare: building their automata is
        // most of the test's time.
        let kinds = if self.rng.chance(15) { 9 } else { 6 };
        let q = match self.rng.below(kinds) {
            0 => "*".to_owned(),
            1 => "+".to_owned(),
            2 => "?".to_owned(),
            3 => format!("{{{}}}", self.rng.below(4)),
            4 => format!("{{{},}}", self.rng.below(3)),
            5 => {
                let lo = self.rng.below(3);
                format!("{{{lo},{}}}", lo + self.rng.below(3))
            }
            // A large bounded repetition, of one character only (anything
            // larger is too large for the generator, and refused).
            6 if single => format!("{{{},{}}}", self.rng.below(2), 300 + self.rng.below(2500)),
            _ => "*".to_owned(),
        };
        let lazy = if self.rng.chance(15) { "?" } else { "" };
        format!("{atom}{q}{lazy}")
    }

    fn assertion(&mut self, depth: usize) -> String {
        match self.rng.below(6) {
            0 => r"\b".to_owned(),
            1 => r"\B".to_owned(),
            2 if depth < 2 => format!("(?={})", self.alternation(depth + 1)),
            3 if depth < 2 => format!("(?!{})", self.alternation(depth + 1)),
            // Lookbehind of one character (fancy-regex needs a fixed length).
            4 => format!("(?<={})", self.atom(2).0),
            5 => format!("(?<!{})", self.atom(2).0),
            _ => "^".to_owned(),
        }
    }

    /// An atom, and whether it stands for exactly one character.
    fn atom(&mut self, depth: usize) -> (String, bool) {
        match self.rng.below(10) {
            0..=3 => (self.literal(), true),
            4 => (".".to_owned(), true),
            5 | 6 => (self.class(), true),
            7 => (self.escape(), true),
            8 if depth < 2 => {
                self.groups += 1;
                let inner = self.alternation(depth + 1);
                let open = match self.rng.below(3) {
                    0 => "(?:".to_owned(),
                    1 => format!("(?<g{}>", self.groups),
                    _ => "(".to_owned(),
                };
                (format!("{open}{inner})"), false)
            }
            9 if self.groups > 0 => (format!(r"\{}", 1 + self.rng.below(self.groups)), false),
            _ => (self.literal(), true),
        }
    }

    fn literal(&mut self) -> String {
        let c = *self.rng.pick(CHARS);
        if SYNTAX.contains(c) {
            format!("\\{c}")
        } else {
            c.to_string()
        }
    }

    fn escape(&mut self) -> String {
        if self.rng.chance(30) {
            let p = self.rng.pick(PROPERTIES);
            let e = if self.rng.chance(25) { 'P' } else { 'p' };
            format!("\\{e}{{{p}}}")
        } else {
            (*self.rng.pick(CLASS_ESCAPES)).to_owned()
        }
    }

    fn class(&mut self) -> String {
        let mut c = String::from("[");
        if self.rng.chance(30) {
            c.push('^');
        }
        for _ in 0..self.rng.below(4) {
            match self.rng.below(4) {
                0 => c.push_str(&self.escape()),
                1 => {
                    // An ordered range of two plain characters.
                    let (a, b) = (*self.rng.pick(CHARS), *self.rng.pick(CHARS));
                    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                    c.push_str(&class_char(lo));
                    c.push('-');
                    c.push_str(&class_char(hi));
                }
                _ => c.push_str(&class_char(*self.rng.pick(CHARS))),
            }
        }
        c.push(']');
        c
    }
}

/// A character inside a class, escaped when it would be syntax there (or,
/// for `[` and `&`, in Java's reading of classes, which the generator
/// shares).
fn class_char(c: char) -> String {
    if "\\]-^[&".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// Inputs for a pattern: strings of its own characters and the edge cases.
fn inputs(rng: &mut Rng, pattern: &str) -> Vec<String> {
    let own: Vec<char> = pattern.chars().filter(|c| *c != '\\').collect();
    let mut out = vec![String::new()];
    for _ in 0..15 {
        let len = rng.below(7);
        let s: String = (0..len)
            .map(|_| {
                if !own.is_empty() && rng.chance(60) {
                    *rng.pick(&own)
                } else {
                    *rng.pick(CHARS)
                }
            })
            .collect();
        out.push(s);
    }
    // A line terminator at the end, and a long run for large repetitions.
    out.push(format!("{}\n", out[1]));
    out.push(format!("{}\u{2028}", out[2]));
    if let Some(c) = own.iter().find(|c| c.is_alphanumeric()) {
        out.push(c.to_string().repeat(600 + rng.below(3000)));
    }
    out
}

/// An oracle process: one request line in, one answer line out, read on a
/// thread so that an answer can be waited for with a timeout. Killed when
/// dropped.
struct LineChild {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl LineChild {
    fn spawn(command: &mut Command) -> Option<Self> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = child.stdout.take()?;
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Some(Self {
            child,
            stdin,
            lines,
        })
    }

    /// The answer to `request`, or `None` when the process does not answer
    /// within `timeout` (or is gone).
    fn exchange(&mut self, request: &str, timeout: Duration) -> Option<String> {
        writeln!(self.stdin, "{request}").ok()?;
        self.lines.recv_timeout(timeout).ok()
    }
}

impl Drop for LineChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Node.js as a child process (see `tests/support/ecma_oracle.js`).
struct Oracle(LineChild);

enum Answer {
    /// Whether each input matches, and whether the `u` flag was used.
    Matches(Vec<bool>, bool),
    /// Not a pattern for Node.js either.
    Invalid,
    /// The engine did not answer in time (catastrophic backtracking).
    Hung,
}

impl Oracle {
    fn start() -> Option<Self> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/ecma_oracle.js");
        LineChild::spawn(Command::new("node").arg(script)).map(Self)
    }

    fn ask(&mut self, pattern: &str, inputs: &[String]) -> Answer {
        let request = serde_json::json!({ "p": pattern, "i": inputs }).to_string();
        let Some(line) = self.0.exchange(&request, Duration::from_secs(2)) else {
            return Answer::Hung;
        };
        let v: serde_json::Value = serde_json::from_str(&line).expect("oracle answers JSON");
        match v.get("m").and_then(|m| m.as_array()) {
            Some(m) => Answer::Matches(
                m.iter().map(|b| b.as_bool() == Some(true)).collect(),
                v["u"] == true,
            ),
            None => Answer::Invalid,
        }
    }
}

/// What a run found.
#[derive(Default)]
struct Tally {
    /// Pattern/input pairs compared.
    pairs: usize,
    /// Pairs where `fancy-regex` gave up at its backtracking limit: the
    /// generated code refuses such a value (a documented bound on the work
    /// per value, `smithy_rt::validation::Pattern::is_match`), so these are
    /// checked for that refusal instead of against the oracle.
    over_budget: usize,
    disagreements: Vec<String>,
}

/// Compares the oracle's answers with the translation on its crate and with
/// the generated tables, adding each disagreement to `tally`.
fn compare(
    oracle: &str,
    pattern: &str,
    t: &crate::ecma_regex::Translated,
    inputs: &[String],
    expected: &[bool],
    tally: &mut Tally,
) {
    let runtime = runtime_pattern(pattern, t);
    for (input, &want) in inputs.iter().zip(expected) {
        tally.pairs += 1;
        let generated = runtime.is_match(input);
        let Some(on_crate) = crate_matches(t, input) else {
            tally.over_budget += 1;
            if generated {
                tally.disagreements.push(format!(
                    "{pattern:?} on {input:?}: over fancy-regex's backtracking limit, yet the generated code matched"
                ));
            }
            continue;
        };
        if on_crate != want || generated != want {
            tally.disagreements.push(format!(
                "{pattern:?} on {input:?}: {oracle} {want}, {:?} {on_crate}, generated {generated} (translated: {:?})",
                t.engine, t.pattern
            ));
        }
    }
}

/// Fails with the first disagreements, if there are any.
fn assert_none(disagreements: &[String]) {
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// What generated code runs for a pattern: `smithy_rt::validation::Pattern`
/// built the way the emitter writes it.
fn runtime_pattern(
    ecma: &str,
    t: &crate::ecma_regex::Translated,
) -> smithy_rt::validation::Pattern {
    use smithy_rt::validation::Pattern;
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let (ecma, rust) = (leak(ecma), leak(&t.pattern));
    let (min, max) = t.chars.unwrap_or((0, u32::MAX));
    match compile(&t.pattern, t.engine) {
        Compiled::Table(table) => match table.byte_set() {
            Some((set, empty)) => {
                Pattern::bytes_counted(ecma, Box::leak(Box::new(set)), empty, min, max)
            }
            None => Pattern::dfa_counted(ecma, Box::leak(table).runtime_dfa(false), min, max),
        },
        Compiled::Regex => Pattern::regex_counted(ecma, rust, min, max),
        Compiled::Fancy => Pattern::fancy(ecma, rust),
    }
}

/// The translation on its own crate, with the length check when there is
/// one; `None` when `fancy-regex` gives up at its backtracking limit.
fn crate_matches(t: &crate::ecma_regex::Translated, input: &str) -> Option<bool> {
    if let Some((min, max)) = t.chars {
        let n = input.chars().count() as u64;
        if n < u64::from(min) || n > u64::from(max) {
            return Some(false);
        }
    }
    match t.engine {
        Engine::Regex => Some(
            regex::RegexBuilder::new(&t.pattern)
                .size_limit(64 * 1024 * 1024)
                .build()
                .expect("translate() compiled it")
                .is_match(input),
        ),
        Engine::Fancy => match fancy_regex::Regex::new(&t.pattern)
            .expect("translate() compiled it")
            .is_match(input)
        {
            Ok(m) => Some(m),
            Err(fancy_regex::Error::RuntimeError(
                fancy_regex::RuntimeError::BacktrackLimitExceeded,
            )) => None,
            Err(e) => panic!("{:?} on {input:?}: {e}", t.pattern),
        },
    }
}

/// Whether a pattern means the same with and without the `u` flag on these
/// inputs: only then can a pattern that Node.js accepts only without it
/// (an Annex B identity escape) be compared.
fn same_without_u(pattern: &str, inputs: &[String]) -> bool {
    let astral = |s: &str| s.chars().any(|c| c > '\u{FFFF}');
    !astral(pattern)
        && !pattern.contains("\\u{")
        && !pattern.contains("\\p")
        && !pattern.contains("\\P")
        && !inputs.iter().any(|s| astral(s))
}

#[test]
fn translated_patterns_agree_with_node_js() {
    let Some(mut oracle) = Oracle::start() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the pattern differential needs `node` on PATH"
        );
        eprintln!("skipping: `node` is not on PATH");
        return;
    };
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let count = env("PATTERN_DIFFERENTIAL_PATTERNS", 1000);
    let mut rng = Rng(env("PATTERN_DIFFERENTIAL_SEED", 0x5EED_2026) | 1);
    let (mut compared, mut refused, mut hung, mut invalid) = (0, 0, 0, 0);
    let mut tally = Tally::default();
    for _ in 0..count {
        let pattern = Gen {
            rng: &mut rng,
            groups: 0,
        }
        .pattern();
        let inputs = inputs(&mut rng, &pattern);
        let (expected, unicode) = match oracle.ask(&pattern, &inputs) {
            Answer::Matches(m, u) => (m, u),
            Answer::Invalid => {
                invalid += 1;
                continue;
            }
            Answer::Hung => {
                hung += 1;
                oracle = Oracle::start().expect("node restarts");
                continue;
            }
        };
        if !unicode && !same_without_u(&pattern, &inputs) {
            invalid += 1;
            continue;
        }
        let Ok(t) = translate(&pattern) else {
            refused += 1;
            continue;
        };
        compared += 1;
        compare("Node.js", &pattern, &t, &inputs, &expected, &mut tally);
    }
    eprintln!(
        "{count} patterns: {compared} compared on {} inputs ({} over fancy-regex's backtracking limit, \
         refused as documented), {refused} refused by the generator, \
         {invalid} not ECMA-262 patterns, {hung} hung Node.js",
        tally.pairs, tally.over_budget
    );
    assert_none(&tally.disagreements);
    assert!(compared * 2 > count as usize, "too few patterns compared");
}

/// Patterns in the Java syntax that the generator reads as Java does
/// (inline flags, class unions and intersections, Java's property names
/// and blocks, octal and `\x{…}` escapes), built only from constructs where
/// the generator keeps Java's meaning: no `\s`, `\w`, `\d` or `\b` (ECMA-262's
/// meaning is kept), `.` only under `s` and `$` only under `m` (Java's `.`
/// also excludes U+0085; its `$` also matches before a final line
/// terminator), and no backreferences.
struct JavaGen<'r> {
    rng: &'r mut Rng,
}

const JAVA_PROPERTIES: &[&str] = &[
    r"\p{Alnum}",
    r"\p{Punct}",
    r"\p{Print}",
    r"\p{XDigit}",
    r"\p{Cntrl}",
    r"\p{IsLatin}",
    r"\p{IsGreek}",
    r"\p{InGreek}",
    r"\p{InBasicLatin}",
    r"\p{javaLowerCase}",
    r"\p{javaUpperCase}",
    r"\p{LD}",
    r"\p{L1}",
    r"\pL",
    r"\PL",
    r"\p{Lu}",
    r"\P{InGreek}",
    r"\x{41}",
    r"\x{3B1}",
    r"\0101",
    r"\012",
    r"\x{1F600}",
];

const JAVA_CHARS: &[char] = &[
    'a', 'b', 'k', 's', 'z', 'A', 'B', 'K', 'S', 'Z', '0', '5', '-', '_', ':', '/', 'é', 'É', 'ß',
    'ſ', '\u{212A}', 'α', 'Ω', 'ж', '😀', '\n', '\r', '\u{85}', '\u{2028}', ' ', '|',
];

impl JavaGen<'_> {
    fn pattern(&mut self) -> String {
        let flags = *self
            .rng
            .pick(&["", "(?i)", "(?s)", "(?m)", "(?iu)", "(?x)", "(?is)"]);
        let mut p = String::new();
        if self.rng.chance(40) {
            p.push('^');
        }
        p.push_str(flags);
        let terms = 1 + self.rng.below(4);
        for _ in 0..terms {
            let term = self.term(flags, 0);
            p.push_str(&term);
            if flags == "(?x)" && self.rng.chance(50) {
                p.push(' ');
            }
        }
        if flags.contains('m') && self.rng.chance(60) {
            p.push('$');
        }
        p
    }

    fn term(&mut self, flags: &str, depth: usize) -> String {
        let atom = match self.rng.below(7) {
            0 | 1 => self.literal(),
            2 | 3 => self.class(0),
            4 => (*self.rng.pick(JAVA_PROPERTIES)).to_owned(),
            5 if flags.contains('s') => ".".to_owned(),
            6 if depth < 2 => {
                let inner: String = (0..1 + self.rng.below(2))
                    .map(|_| self.term(flags, depth + 1))
                    .collect();
                let open = *self.rng.pick(&["(?i:", "(?-i:", "(?s:", "(?:", "(?iu:"]);
                format!("{open}{inner})")
            }
            _ => self.literal(),
        };
        let q = match self.rng.below(8) {
            0 => "*",
            1 => "+",
            2 => "?",
            3 => "{1,2}",
            _ => "",
        };
        format!("{atom}{q}")
    }

    fn literal(&mut self) -> String {
        let c = *self.rng.pick(JAVA_CHARS);
        match c {
            '\n' => r"\n".to_owned(),
            '\r' => r"\r".to_owned(),
            ' ' => r"\x{20}".to_owned(),
            '\u{85}' | '\u{2028}' => format!(r"\x{{{:x}}}", u32::from(c)),
            c if "-|/:".contains(c) => format!("\\{c}"),
            c => c.to_string(),
        }
    }

    fn class(&mut self, depth: usize) -> String {
        let mut c = String::from("[");
        if self.rng.chance(30) {
            c.push('^');
        }
        for _ in 0..1 + self.rng.below(3) {
            match self.rng.below(5) {
                0 => c.push_str(self.rng.pick::<&str>(JAVA_PROPERTIES)),
                1 if depth < 2 => c.push_str(&self.class(depth + 1)),
                2 => {
                    let (a, b) = (*self.rng.pick(JAVA_CHARS), *self.rng.pick(JAVA_CHARS));
                    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                    c.push_str(&format!(
                        r"\x{{{:x}}}-\x{{{:x}}}",
                        u32::from(lo),
                        u32::from(hi)
                    ));
                }
                _ => c.push_str(&format!(
                    r"\x{{{:x}}}",
                    u32::from(*self.rng.pick(JAVA_CHARS))
                )),
            }
        }
        if depth < 2 && self.rng.chance(30) {
            c.push_str("&&");
            c.push_str(&self.class(depth + 1));
        }
        c.push(']');
        c
    }
}

/// `java.util.regex` as a child process (see `tests/support/JavaOracle.java`).
struct JavaOracle(LineChild);

impl JavaOracle {
    fn start() -> Option<Self> {
        let dir = std::env::temp_dir().join(format!("smithy-java-oracle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/JavaOracle.java");
        let compiled = Command::new("javac")
            .arg("-d")
            .arg(&dir)
            .arg(source)
            .status()
            .ok()?;
        if !compiled.success() {
            return None;
        }
        LineChild::spawn(Command::new("java").arg("-cp").arg(&dir).arg("JavaOracle")).map(Self)
    }

    /// Whether each input matches, or `None` when Java refuses the pattern
    /// or does not answer in time.
    fn ask(&mut self, pattern: &str, inputs: &[String]) -> Option<Vec<bool>> {
        let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
        let mut line = hex(pattern);
        for input in inputs {
            line.push(' ');
            line.push_str(&hex(input));
        }
        let answer = self.0.exchange(&line, Duration::from_secs(5))?;
        (answer != "E").then(|| answer.bytes().map(|b| b == b'1').collect())
    }
}

#[test]
fn java_syntax_agrees_with_java_util_regex() {
    let Some(mut oracle) = JavaOracle::start() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the Java differential needs `javac` and `java` on PATH"
        );
        eprintln!("skipping: no JDK on PATH");
        return;
    };
    let count = std::env::var("PATTERN_DIFFERENTIAL_PATTERNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600u64);
    let mut rng = Rng(0x1A7A_2026);
    let (mut compared, mut refused, mut invalid) = (0, 0, 0);
    let mut tally = Tally::default();
    for _ in 0..count {
        let pattern = JavaGen { rng: &mut rng }.pattern();
        let inputs: Vec<String> = std::iter::once(String::new())
            .chain((0..15).map(|_| (0..rng.below(5)).map(|_| *rng.pick(JAVA_CHARS)).collect()))
            .collect();
        let Some(expected) = oracle.ask(&pattern, &inputs) else {
            invalid += 1;
            oracle = JavaOracle::start().expect("java restarts");
            continue;
        };
        let Ok(t) = translate(&pattern) else {
            refused += 1;
            continue;
        };
        compared += 1;
        compare("Java", &pattern, &t, &inputs, &expected, &mut tally);
    }
    eprintln!(
        "{count} Java patterns: {compared} compared on {} inputs, {refused} refused by the generator, {invalid} refused by Java",
        tally.pairs
    );
    assert_none(&tally.disagreements);
    assert!(
        refused * 10 < count as usize,
        "the generator refused {refused} Java patterns"
    );
}
