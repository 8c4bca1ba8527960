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
#[cfg(any(feature = "regex", feature = "fancy-regex"))]
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

    /// Checks `length` on a string, counted in characters (code points).
    /// Counts them only when the byte length leaves the answer open: a
    /// character is one to four bytes.
    #[inline]
    pub fn char_length(
        &mut self,
        path: &Path<'_>,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        let bytes = value.len() as u64;
        if min.is_none_or(|m| bytes.div_ceil(4) >= m) && max.is_none_or(|m| bytes <= m) {
            return;
        }
        self.length(path, char_count(value), min, max);
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
                format!(
                    "Value at '{p}' failed to satisfy constraint: Member must have unique values"
                )
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

/// A `pattern` constraint: the ECMA-262 source (for messages) and how it is
/// matched.
///
/// The generator compiles every pattern it can into a [`Dfa`] (tables
/// written into the generated code), so matching needs no regex compiler
/// and no work at first use. Patterns too large for tables are compiled
/// at first use by the `regex` crate (feature `regex`), and patterns with
/// lookaround or backreferences by `fancy-regex` (feature `fancy-regex`);
/// the generator enables these features only for models that need them.
pub struct Pattern {
    ecma: &'static str,
    matcher: Matcher,
    /// The value's length in characters must be within these bounds too
    /// (see [`Pattern::dfa_counted`]).
    chars: (u32, u32),
}

/// The number of characters (code points) in `value`: its length when it
/// is ASCII, which is checked a word at a time.
fn char_count(value: &str) -> usize {
    if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    }
}

/// Whether every byte of `value` is in `set` (four looked up at a time,
/// each independently of the others); the empty value when `empty`.
fn bytes_match(set: &[u8; 256], empty: bool, value: &[u8]) -> bool {
    if value.is_empty() {
        return empty;
    }
    let of = |b: u8| set[usize::from(b)];
    let mut fours = value.chunks_exact(4);
    for four in &mut fours {
        if of(four[0]) & of(four[1]) & of(four[2]) & of(four[3]) == 0 {
            return false;
        }
    }
    fours.remainder().iter().all(|&b| of(b) != 0)
}

/// No bound on the length of the value.
const ANY_LENGTH: (u32, u32) = (0, u32::MAX);

enum Matcher {
    Dfa(Dfa),
    /// One repetition of a set of bytes (1 in the table), anchored at both
    /// ends; `empty`: whether the empty value matches.
    Bytes {
        set: &'static [u8; 256],
        empty: bool,
    },
    #[cfg(feature = "regex")]
    Regex {
        rust: &'static str,
        compiled: OnceLock<Option<regex::Regex>>,
    },
    #[cfg(feature = "fancy-regex")]
    Fancy {
        rust: &'static str,
        compiled: OnceLock<Option<fancy_regex::Regex>>,
    },
}

/// A DFA built by the generator, as flat tables.
///
/// A state is the offset of its row in `transitions` (its number times
/// `stride`). On a byte `b` the walk goes from `state` to entry
/// `state + classes[b]` of `transitions`, the next state's offset (one byte
/// per entry, or two, little-endian, when `wide`). States below `special`
/// end the walk: match states (a match has ended) and the dead state (none
/// can follow). `flags[state / stride]` says which ([`Dfa::MATCH`],
/// [`Dfa::DEAD`]) and whether the pattern matches if the text ends there
/// ([`Dfa::EOI_MATCH`]). The walk is a search: unanchored patterns match
/// anywhere, as ECMA-262 `RegExp.prototype.test` does.
///
/// Optionally ([`Dfa::with_runs`]), linear runs: chains of states each of
/// which has one successor that is not the dead state (a literal, `\d{12}`),
/// written out so that the walk checks their bytes without waiting for
/// each step's load. The states that start a run come right after the
/// special ones, up to `runs_end`, so the walk tells them by one
/// comparison. `run_starts[(state - special) / stride]` (a little-endian
/// `u16`) is such a state's position in the chains; at each position
/// `run_masks` has the classes that step to the next one (a little-endian
/// `u64` bit set, 0 at a chain's end) and `run_states` the position's state
/// (a premultiplied little-endian `u16`); `exit_masks` and `exit_states`
/// (optional, [`Dfa::with_run_exits`]) the classes that leave the chain
/// there and where to (a counted range's end). Optionally
/// ([`Dfa::with_loops`]), after the run states and up to `loops_end`, the
/// states that loop to themselves, with a byte table each.
#[derive(Clone, Copy)]
pub struct Dfa {
    classes: &'static [u8; 256],
    transitions: &'static [u8],
    flags: &'static [u8],
    stride: usize,
    start: usize,
    special: usize,
    wide: bool,
    runs_end: usize,
    loops_end: usize,
    loop_bytes: &'static [u8],
    run_starts: &'static [u8],
    run_masks: &'static [u8],
    run_states: &'static [u8],
    exit_masks: &'static [u8],
    exit_states: &'static [u8],
}

impl Dfa {
    /// Flag: a match has ended before the current position.
    pub const MATCH: u8 = 1;
    /// Flag: the pattern matches if the text ends here.
    pub const EOI_MATCH: u8 = 2;
    /// Flag: no match can follow.
    pub const DEAD: u8 = 4;

    /// Tables as the generator writes them.
    pub const fn new(
        classes: &'static [u8; 256],
        transitions: &'static [u8],
        flags: &'static [u8],
        stride: usize,
        start: usize,
        special: usize,
        wide: bool,
    ) -> Self {
        Self {
            classes,
            transitions,
            flags,
            stride,
            start,
            special,
            wide,
            runs_end: special,
            loops_end: special,
            loop_bytes: &[],
            run_starts: &[],
            run_masks: &[],
            run_states: &[],
            exit_masks: &[],
            exit_states: &[],
        }
    }

    /// These tables with their linear runs, as the generator writes them:
    /// the states from `special` up to `runs_end` (premultiplied) start one.
    pub const fn with_runs(
        self,
        runs_end: usize,
        run_starts: &'static [u8],
        run_masks: &'static [u8],
        run_states: &'static [u8],
    ) -> Self {
        Self {
            runs_end,
            loops_end: if self.loops_end < runs_end {
                runs_end
            } else {
                self.loops_end
            },
            run_starts,
            run_masks,
            run_states,
            ..self
        }
    }

    /// These tables with their self-loops, as the generator writes them:
    /// the states from the end of the runs up to `loops_end`
    /// (premultiplied) loop to themselves on some bytes; for the `j`-th of
    /// them, bit `j % 8` of `loop_bytes[256 * (j / 8) + byte]` says which.
    /// Called after [`Dfa::with_runs`].
    pub const fn with_loops(self, loops_end: usize, loop_bytes: &'static [u8]) -> Self {
        Self {
            loops_end,
            loop_bytes,
            ..self
        }
    }

    /// These tables with their runs' exits: at each chain position, the
    /// classes that leave the chain (a little-endian `u64` set) and the
    /// state they lead to (a premultiplied little-endian `u16`).
    pub const fn with_run_exits(
        self,
        exit_masks: &'static [u8],
        exit_states: &'static [u8],
    ) -> Self {
        Self {
            exit_masks,
            exit_states,
            ..self
        }
    }

    /// A little-endian `u64` of exactly 8 bytes; 0 otherwise (callers pass
    /// slices whose length the compiler knows, so this is one load).
    #[inline(always)]
    fn le_u64(bytes: &[u8]) -> u64 {
        <[u8; 8]>::try_from(bytes).map_or(0, u64::from_le_bytes)
    }

    /// Entry `i` of a table of little-endian `u64`s; 0 past its end.
    #[inline(always)]
    fn u64_at(table: &[u8], i: usize) -> u64 {
        table.get(i * 8..i * 8 + 8).map_or(0, Self::le_u64)
    }

    /// Entry `i` of a table of little-endian `u16`s; `None` past its end
    /// or for `u16::MAX` (which the generator never writes).
    #[inline(always)]
    fn u16_at(table: &[u8], i: usize) -> Option<usize> {
        let pair = table.get(i * 2..i * 2 + 2)?;
        let v = u16::from_le_bytes([pair[0], pair[1]]);
        (v != u16::MAX).then_some(usize::from(v))
    }

    /// Whether `value` contains a match. Never allocates or panics,
    /// whatever the tables hold; tables that are inconsistent (which the
    /// generator never writes) answer no more than that.
    #[inline]
    pub fn is_match(&self, value: &str) -> bool {
        if self.wide {
            self.run(value, |t, i| {
                let pair = t.get(i * 2..i * 2 + 2)?;
                Some(usize::from(u16::from_le_bytes([pair[0], pair[1]])))
            })
        } else {
            self.run(value, |t, i| t.get(i).map(|&s| usize::from(s)))
        }
    }

    /// The walk. Each step's load depends on the one before, so a byte
    /// costs a load's latency; but where a state loops to itself (`[a-z]+`,
    /// `.*`), the bytes that keep it there are checked four at a time, each
    /// independently of the others, which the processor overlaps
    /// ([`Dfa::skip`]); linear runs likewise ([`Dfa::linear_run`]).
    #[inline(always)]
    fn run(&self, value: &str, next: impl Fn(&[u8], usize) -> Option<usize>) -> bool {
        let bytes = value.as_bytes();
        let class = |b: u8| usize::from(self.classes[usize::from(b)]);
        let mut state = self.start;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            // One comparison for the states that are not ordinary.
            if state < self.loops_end {
                if state < self.special {
                    return self.flag(state) & Self::MATCH != 0;
                }
                if state < self.runs_end {
                    match self.linear_run(bytes, i, state) {
                        Some((s, j)) => {
                            (state, i) = (s, j);
                            continue;
                        }
                        None => return false,
                    }
                }
                i = self.self_loop(bytes, i, state);
                // `i` is now at a byte that leaves the state, or the end.
                let Some(&b) = bytes.get(i) else { break };
                let Some(s) = next(self.transitions, state + class(b)) else {
                    return false;
                };
                (state, i) = (s, i + 1);
                continue;
            }
            let Some(s) = next(self.transitions, state + class(b)) else {
                return false;
            };
            i += 1;
            // A state that loops without a byte table (past the
            // generator's limit per DFA): the bytes that keep it, by its row.
            if s == state {
                let keeps = |b| u8::from(next(self.transitions, state + class(b)) == Some(state));
                i = Self::skip(bytes, i, keeps, 1);
            }
            state = s;
        }
        self.flag(state) & (Self::MATCH | Self::EOI_MATCH) != 0
    }

    /// From byte `from`, the first byte whose `keeps` lacks `bit`, or the
    /// text's end: four bytes at a time, each looked up independently of
    /// the others.
    #[inline(always)]
    fn skip(bytes: &[u8], from: usize, keeps: impl Fn(u8) -> u8, bit: u8) -> usize {
        let rest = bytes.get(from..).unwrap_or_default();
        let mut k = 0;
        for four in rest.chunks_exact(4) {
            if keeps(four[0]) & keeps(four[1]) & keeps(four[2]) & keeps(four[3]) & bit == 0 {
                break;
            }
            k += 4;
        }
        while rest.get(k).is_some_and(|&b| keeps(b) & bit != 0) {
            k += 1;
        }
        from + k
    }

    /// From byte `from`, the first byte that does not keep `state` (a
    /// self-loop state), or the text's end, each byte looked up in the
    /// state's byte table. Without a table (inconsistent tables) `from`
    /// itself: the walk then steps by the transitions.
    #[inline(always)]
    fn self_loop(&self, bytes: &[u8], from: usize, state: usize) -> usize {
        let j = (state - self.runs_end)
            .checked_div(self.stride)
            .unwrap_or(0);
        let at = 256 * (j / 8);
        let Some(table) = self
            .loop_bytes
            .get(at..at + 256)
            .and_then(|t| <&[u8; 256]>::try_from(t).ok())
        else {
            return from;
        };
        Self::skip(bytes, from, |b| table[usize::from(b)], 1u8 << (j % 8))
    }

    /// The linear run that `state` starts, from byte `from`: each byte's
    /// class must step to the next position or leave by the position's
    /// exit; any other leads to the dead state (`None`). The state where
    /// the chain, the text or the exit ended, and the byte after it. No
    /// byte waits for the one before; four are checked at a time.
    #[inline(always)]
    fn linear_run(&self, bytes: &[u8], from: usize, state: usize) -> Option<(usize, usize)> {
        // Classes are below the stride, at most 64 in a DFA with runs;
        // `& 63` keeps a shift of inconsistent tables defined.
        let steps = |mask: u64, b: u8| mask >> (self.classes[usize::from(b)] & 63);
        let (mut state, mut from) = (state, from);
        loop {
            let n = (state - self.special).checked_div(self.stride)?;
            let p = Self::u16_at(self.run_starts, n)?;
            let masks = self.run_masks.get(p * 8..)?;
            let rest = bytes.get(from..)?;
            let mut k = 0;
            for (m, b) in masks.chunks_exact(32).zip(rest.chunks_exact(4)) {
                let on = steps(Self::le_u64(&m[..8]), b[0])
                    & steps(Self::le_u64(&m[8..16]), b[1])
                    & steps(Self::le_u64(&m[16..24]), b[2])
                    & steps(Self::le_u64(&m[24..32]), b[3]);
                if on & 1 == 0 {
                    break;
                }
                k += 4;
            }
            let mut exit = None;
            while let Some(&b) = rest.get(k) {
                let mask = Self::u64_at(masks, k);
                if steps(mask, b) & 1 == 0 {
                    if mask == 0 {
                        // The chain's end.
                        break;
                    }
                    let at = p + k;
                    if steps(Self::u64_at(self.exit_masks, at), b) & 1 == 0 {
                        return None;
                    }
                    // Out of the chain (`-` after a counted range).
                    exit = Some(Self::u16_at(self.exit_states, at)?);
                    k += 1;
                    break;
                }
                k += 1;
            }
            // A chain without a step: inconsistent tables.
            if k == 0 {
                return None;
            }
            match exit {
                // An exit into another run (the next counted range), with
                // text left: that run, without going back to the walk.
                Some(s) if s >= self.special && s < self.runs_end && from + k < bytes.len() => {
                    (state, from) = (s, from + k);
                }
                Some(s) => return Some((s, from + k)),
                None => return Some((Self::u16_at(self.run_states, p + k)?, from + k)),
            }
        }
    }

    fn flag(&self, state: usize) -> u8 {
        state
            .checked_div(self.stride)
            .and_then(|i| self.flags.get(i))
            .copied()
            .unwrap_or(0)
    }
}

impl Pattern {
    /// A pattern compiled by the generator into `dfa`.
    pub const fn dfa(ecma: &'static str, dfa: Dfa) -> Self {
        Self {
            ecma,
            matcher: Matcher::Dfa(dfa),
            chars: ANY_LENGTH,
        }
    }

    /// A pattern that is one repetition of a set of bytes, anchored at both
    /// ends (`^[!-~]+$`): every byte of the value must be in `set` (1 for
    /// a byte in it, 0 otherwise), and the empty value matches when
    /// `empty`. The generator writes this where the pattern's DFA has no
    /// other shape.
    pub const fn bytes(ecma: &'static str, set: &'static [u8; 256], empty: bool) -> Self {
        Self {
            ecma,
            matcher: Matcher::Bytes { set, empty },
            chars: ANY_LENGTH,
        }
    }

    /// [`Pattern::bytes`] with a length check, as [`Pattern::dfa_counted`].
    pub const fn bytes_counted(
        ecma: &'static str,
        set: &'static [u8; 256],
        empty: bool,
        min: u32,
        max: u32,
    ) -> Self {
        Self {
            ecma,
            matcher: Matcher::Bytes { set, empty },
            chars: (min, max),
        }
    }

    /// A pattern compiled at first use by the `regex` crate. `rust` was
    /// translated and checked by the generator.
    #[cfg(feature = "regex")]
    pub const fn regex(ecma: &'static str, rust: &'static str) -> Self {
        Self {
            ecma,
            matcher: Matcher::Regex {
                rust,
                compiled: OnceLock::new(),
            },
            chars: ANY_LENGTH,
        }
    }

    /// A pattern with lookaround or backreferences, compiled at first use by
    /// `fancy-regex`. `rust` was translated and checked by the generator.
    #[cfg(feature = "fancy-regex")]
    pub const fn fancy(ecma: &'static str, rust: &'static str) -> Self {
        Self {
            ecma,
            matcher: Matcher::Fancy {
                rust,
                compiled: OnceLock::new(),
            },
            chars: ANY_LENGTH,
        }
    }

    /// [`Pattern::dfa`], matching only values of `min..=max` characters
    /// (code points). The generator writes a pattern that is one bounded
    /// repetition of one character (`^[^\p{C}]{1,2048}$`) as that length
    /// check beside the unbounded repetition (`^[^\p{C}]*$`): the same
    /// language, without an automaton that counts to 2048.
    pub const fn dfa_counted(ecma: &'static str, dfa: Dfa, min: u32, max: u32) -> Self {
        Self {
            ecma,
            matcher: Matcher::Dfa(dfa),
            chars: (min, max),
        }
    }

    /// [`Pattern::regex`] with a length check, as [`Pattern::dfa_counted`].
    #[cfg(feature = "regex")]
    pub const fn regex_counted(ecma: &'static str, rust: &'static str, min: u32, max: u32) -> Self {
        Self {
            ecma,
            matcher: Matcher::Regex {
                rust,
                compiled: OnceLock::new(),
            },
            chars: (min, max),
        }
    }

    /// The pattern as written in the model.
    pub fn as_str(&self) -> &'static str {
        self.ecma
    }

    /// Whether `value` matches. A generated DFA never allocates; the regex
    /// crates don't once their caches are warm.
    #[inline]
    pub fn is_match(&self, value: &str) -> bool {
        if self.chars != ANY_LENGTH {
            let (min, max) = (self.chars.0 as usize, self.chars.1 as usize);
            // A character is one to four bytes: count only when the byte
            // length leaves the answer open, and then up to one past the
            // maximum, not to the end.
            let bytes = value.len();
            if bytes.div_ceil(4) < min || bytes > max {
                let n = if value.is_ascii() {
                    bytes
                } else {
                    value.chars().take(max.saturating_add(1)).count()
                };
                if n < min || n > max {
                    return false;
                }
            }
        }
        match &self.matcher {
            Matcher::Dfa(dfa) => dfa.is_match(value),
            Matcher::Bytes { set, empty } => bytes_match(set, *empty, value.as_bytes()),
            // The generator compiled the pattern with the same limit, so
            // it compiles here; if it ever didn't, nothing matches (the
            // value is reported as a violation) rather than panicking.
            #[cfg(feature = "regex")]
            Matcher::Regex { rust, compiled } => compiled
                .get_or_init(|| {
                    regex::RegexBuilder::new(rust)
                        .size_limit(64 * 1024 * 1024)
                        .build()
                        .ok()
                })
                .as_ref()
                .is_some_and(|r| r.is_match(value)),
            // A pattern that exceeds the backtracking limit does not match.
            #[cfg(feature = "fancy-regex")]
            Matcher::Fancy { rust, compiled } => compiled
                .get_or_init(|| fancy_regex::Regex::new(rust).ok())
                .as_ref()
                .is_some_and(|r| r.is_match(value).unwrap_or(false)),
        }
    }
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
        let p = Pattern::dfa(r"^a\/b$", A_SLASH_B);
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

    /// `^a\/b$` by hand: classes 0 (other), 1 (`a`), 2 (`/`), 3 (`b`);
    /// stride 4, so states are offsets 0 (dead, the only special state),
    /// 4 start, 8 after `a`, 12 after `a/`, 16 after `a/b`.
    const CLASSES: [u8; 256] = {
        let mut c = [0u8; 256];
        c[b'a' as usize] = 1;
        c[b'/' as usize] = 2;
        c[b'b' as usize] = 3;
        c
    };
    const A_SLASH_B: Dfa = Dfa::new(
        &CLASSES,
        &[0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 12, 0, 0, 0, 0, 16, 0, 0, 0, 0],
        &[Dfa::DEAD, 0, 0, 0, Dfa::EOI_MATCH],
        4,
        4,
        4,
        false,
    );

    #[test]
    fn dfa_tables_walk() {
        let p = Pattern::dfa(r"^a\/b$", A_SLASH_B);
        assert!(p.is_match("a/b"));
        for bad in ["", "a", "a/", "a/bb", "xa/b", "a/c"] {
            assert!(!p.is_match(bad), "{bad}");
        }
        // A match state answers at once (stride 1: state 0 matches, 1 is
        // the start); inconsistent tables match nothing.
        let any = Dfa::new(&[0; 256], &[0, 0], &[Dfa::MATCH, 0], 1, 1, 1, false);
        assert!(any.is_match("xy") && !any.is_match(""));
        let broken = Dfa::new(&[0; 256], &[9], &[0], 1, 0, 0, false);
        assert!(!broken.is_match("x"));
        let wide = Dfa::new(
            &[0; 256],
            &[1, 0, 1, 0],
            &[0, Dfa::EOI_MATCH],
            1,
            0,
            0,
            true,
        );
        assert!(wide.is_match("x") && !wide.is_match(""));
    }

    #[cfg(feature = "regex")]
    #[test]
    fn large_patterns_use_regex() {
        let p = Pattern::regex("huge", r"^\w{1,60}$");
        assert!(p.is_match("abcé"));
        assert!(!p.is_match(""));
    }

    #[cfg(feature = "fancy-regex")]
    #[test]
    fn lookaround_patterns_use_fancy_regex() {
        let p = Pattern::fancy(r"^(?!^\s+$)[a-z ]+$", r"^(?!^\s+$)[a-z ]+$");
        assert!(p.is_match("a b"));
        assert!(!p.is_match("   "));
    }

    /// The work per value is bounded: a value whose check exceeds
    /// `fancy-regex`'s backtracking limit is refused (does not match),
    /// whatever ECMA-262 would answer after its exponential search. The
    /// pattern differential counts such pairs apart and checks this.
    #[cfg(feature = "fancy-regex")]
    #[test]
    fn a_check_past_the_backtracking_limit_refuses_the_value() {
        let p = Pattern::fancy(r"^(a)(?:\1|a)*b$", r"^(a)(?:\1|a)*b$");
        assert!(p.is_match("aaab"));
        assert!(!p.is_match("aaaa"));
        // Every way of splitting 64 `a`s between the two alternatives is
        // tried before the missing `b` fails the match: 2^63 paths.
        let long = format!("{}c", "a".repeat(64));
        let gave_up = fancy_regex::Regex::new(r"^(a)(?:\1|a)*b$")
            .unwrap()
            .is_match(&long);
        assert!(
            matches!(
                gave_up,
                Err(fancy_regex::Error::RuntimeError(
                    fancy_regex::RuntimeError::BacktrackLimitExceeded
                ))
            ),
            "{gave_up:?}"
        );
        assert!(
            !p.is_match(&long),
            "over the limit: refused, in bounded time"
        );
    }

    /// A length bound beside the pattern: `^a\/b$`'s DFA with 3 to 3
    /// characters still matches `a/b` only, and with 4 to 9 nothing.
    #[test]
    fn a_character_count_bounds_the_match() {
        static P: Pattern = Pattern::dfa_counted(r"^a\/b$", A_SLASH_B, 3, 3);
        assert!(P.is_match("a/b"));
        assert!(!P.is_match("a/c"));
        let never = Pattern::dfa_counted(r"^a\/b$", A_SLASH_B, 4, 9);
        assert!(!never.is_match("a/b"));
        assert_eq!(format!("{P:?}"), r#"Pattern("^a\\/b$")"#);
    }

    /// Lengths are counted in characters only when the byte length can't
    /// tell (a character is one to four bytes); the answer is the same.
    #[test]
    fn string_lengths_are_characters() {
        let check = |value: &str, min: Option<u64>, max: Option<u64>| {
            let mut out = Violations::new();
            out.char_length(&Path::Root, value, min, max);
            out.iter().map(|v| v.message.clone()).collect::<Vec<_>>()
        };
        assert!(check("ab", Some(2), Some(3)).is_empty());
        assert!(check("éé", Some(2), Some(3)).is_empty());
        assert!(check("😀😀😀", Some(2), Some(3)).is_empty());
        assert!(check("é", None, Some(1)).is_empty());
        let long = check("éééé", Some(2), Some(3));
        assert!(long[0].contains("Value with length 4 at"), "{long:?}");
        let short = check("é", Some(2), None);
        assert!(short[0].contains("Value with length 1 at"), "{short:?}");
        assert_eq!(check("abcd", Some(1), Some(3)).len(), 1);
        assert_eq!(check("", Some(1), None).len(), 1);
    }

    #[test]
    fn counted_dfa_patterns_count_characters_near_the_bounds() {
        // `^[^/]*$` over bytes: class 0 is `/`, 1 anything else; state 0 is
        // dead, 1 (offset 2) the start, which loops.
        const NOT_SLASH: [u8; 256] = {
            let mut c = [1u8; 256];
            c[b'/' as usize] = 0;
            c
        };
        const ANY: Dfa = Dfa::new(
            &NOT_SLASH,
            &[0, 0, 0, 2],
            &[Dfa::DEAD, Dfa::EOI_MATCH],
            2,
            2,
            2,
            false,
        );
        let p = Pattern::dfa_counted("^[^/]{2,3}$", ANY, 2, 3);
        for value in ["ab", "éé", "ééé", "😀😀😀"] {
            assert!(p.is_match(value), "{value}");
        }
        for value in ["a", "é", "😀", "abcd", "éééé", "a/b"] {
            assert!(!p.is_match(value), "{value}");
        }
    }

    /// A self-loop state is checked by its byte table when it has one, and
    /// by its transitions otherwise: the same answers, at every length
    /// around the four-byte blocks.
    #[test]
    fn self_loops_by_table_and_by_transitions_agree() {
        // `^a+b$`, stride 3 (class 1 `a`, 2 `b`, 0 the rest): offset 0 is
        // dead, 3 the state after `a`s (it loops on `a`), 6 the start, 9
        // after the `b`.
        const CLASSES: [u8; 256] = {
            let mut c = [0u8; 256];
            c[b'a' as usize] = 1;
            c[b'b' as usize] = 2;
            c
        };
        const BYTES: [u8; 256] = {
            let mut t = [0u8; 256];
            t[b'a' as usize] = 1;
            t
        };
        const TRANSITIONS: &[u8] = &[0, 0, 0, 0, 3, 9, 0, 3, 0, 0, 0, 0];
        const FLAGS: &[u8] = &[Dfa::DEAD, 0, 0, Dfa::EOI_MATCH];
        const BY_ROW: Dfa = Dfa::new(&CLASSES, TRANSITIONS, FLAGS, 3, 6, 3, false);
        const BY_TABLE: Dfa = BY_ROW.with_loops(6, &BYTES);
        for n in 0..12 {
            for tail in ["b", "", "c", "ba", "bb"] {
                let value = format!("{}{tail}", "a".repeat(n));
                let want = n > 0 && tail == "b";
                assert_eq!(BY_ROW.is_match(&value), want, "{value}");
                assert_eq!(BY_TABLE.is_match(&value), want, "{value} (table)");
            }
        }
        // A table that is too short: the walk steps by the transitions.
        let short = BY_ROW.with_loops(6, &[1; 10]);
        assert!(short.is_match("aaaaab") && !short.is_match("aaaa"));
    }

    #[test]
    fn byte_set_patterns_check_every_byte() {
        const VISIBLE: [u8; 256] = {
            let mut t = [0u8; 256];
            let mut b = b'!';
            while b <= b'~' {
                t[b as usize] = 1;
                b += 1;
            }
            t
        };
        let plus = Pattern::bytes("^[!-~]+$", &VISIBLE, false);
        let star = Pattern::bytes("^[!-~]*$", &VISIBLE, true);
        assert!(!plus.is_match("") && star.is_match(""));
        for n in 1..12 {
            let ok = "a~!".repeat(n);
            assert!(plus.is_match(&ok) && star.is_match(&ok), "{ok}");
            // One byte out of the set, at every place.
            for at in 0..ok.len() {
                let mut bad = ok.clone().into_bytes();
                bad[at] = b' ';
                let bad = String::from_utf8(bad).unwrap();
                assert!(!plus.is_match(&bad) && !star.is_match(&bad), "{bad}");
            }
        }
        assert!(!plus.is_match("abcé"));
        let counted = Pattern::bytes_counted("^[!-~]{1,3}$", &VISIBLE, true, 1, 3);
        assert!(counted.is_match("abc") && !counted.is_match("abcd") && !counted.is_match(""));
    }

    #[cfg(feature = "regex")]
    #[test]
    fn counted_characters_are_code_points() {
        let p = Pattern::regex_counted(r"^.{1,3}$", r"^[^\n]*$", 1, 3);
        assert!(p.is_match("😀é😀"));
        assert!(!p.is_match("😀é😀a"));
        assert!(!p.is_match(""));
    }
}
