//! `pattern` constraints compiled at generation time.
//!
//! A pattern that `regex` can express is determinized here into a dense DFA
//! (regex-automata), minimized, and flattened into three byte tables (byte
//! classes, transitions, state flags) that `smithy_rt::validation::Dfa` walks
//! with a loop of a few lines. The generated crate needs no regex compiler
//! and does no work at first use.
//!
//! Fallbacks, each enabling a `smithy-rt` feature only for models that need
//! it: a pattern whose tables would exceed [`MAX_TABLE`] bytes (large
//! repetitions of Unicode classes) is compiled at run time by `regex`
//! (feature `regex`); one with lookaround or backreferences by `fancy-regex`
//! (feature `fancy-regex`).

use crate::ecma_regex::Engine;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use regex_automata::Anchored;
use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use std::collections::HashMap;

/// The largest transition table emitted, in bytes; larger patterns fall back
/// to the `regex` crate at run time.
pub(crate) const MAX_TABLE: usize = 128 * 1024;

/// Limits on the DFA builder, so that no pattern makes generation slow.
const DETERMINIZE_LIMIT: usize = 8 * 1024 * 1024;

/// Flag: a match has ended before the current position.
pub(crate) const MATCH: u8 = 1;
/// Flag: the pattern matches if the text ends here.
pub(crate) const EOI_MATCH: u8 = 2;
/// Flag: no match can follow.
pub(crate) const DEAD: u8 = 4;

/// How a pattern is matched at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Compiled {
    /// Tables built now.
    Table(Box<Table>),
    /// Too large for a table: the `regex` crate, at run time.
    Regex,
    /// Lookaround or backreferences: `fancy-regex`, at run time.
    Fancy,
}

/// A DFA as flat tables. A state is the offset of its row in
/// `transitions` (its number times `stride`); its transition on a byte of
/// class `c` is entry `state + c`, the next state's offset (one byte per
/// entry, or two, little-endian, when offsets exceed 255). States below
/// `special` are match or dead states, which end the walk; `flags` are
/// indexed by state number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Table {
    pub classes: [u8; 256],
    pub stride: usize,
    pub transitions: Vec<u8>,
    pub wide: bool,
    pub flags: Vec<u8>,
    pub start: usize,
    pub special: usize,
}

impl Compiled {
    /// The `smithy-rt` feature that matching needs, if any.
    pub(crate) fn runtime_feature(&self) -> Option<&'static str> {
        match self {
            Compiled::Table(_) => None,
            Compiled::Regex => Some("regex"),
            Compiled::Fancy => Some("fancy-regex"),
        }
    }
}

/// `static NAME: Pattern = ...;` with the ECMA-262 source as its first
/// argument and the translation in its doc comment, so a reviewer reads
/// both next to the tables.
pub(crate) fn pattern_static(
    name: &Ident,
    pattern: &crate::ir::Pattern,
    compiled: &Compiled,
) -> TokenStream {
    let (ecma, rust) = (pattern.ecma.as_str(), pattern.rust.as_str());
    let counted = pattern.chars.map(|(min, max)| {
        let max = if max == u32::MAX {
            String::from("any number of")
        } else {
            max.to_string()
        };
        format!(", with {min} to {max} characters")
    });
    let doc = format!(
        " `{}`, matched as `{}`{}.",
        crate::docs::escape_controls(ecma),
        crate::docs::escape_controls(rust),
        counted.unwrap_or_default()
    );
    let value = match compiled {
        Compiled::Table(t) => {
            let classes = Literal::byte_string(&t.classes);
            let transitions = Literal::byte_string(&t.transitions);
            let flags = Literal::byte_string(&t.flags);
            let (stride, start, special, wide) = (
                Literal::usize_unsuffixed(t.stride),
                Literal::usize_unsuffixed(t.start),
                Literal::usize_unsuffixed(t.special),
                t.wide,
            );
            let dfa = quote!(::smithy_rt::validation::Dfa::new(#classes, #transitions, #flags, #stride, #start, #special, #wide));
            match pattern.chars {
                None => quote!(::smithy_rt::validation::Pattern::dfa(#ecma, #dfa)),
                Some((min, max)) => {
                    quote!(::smithy_rt::validation::Pattern::dfa_counted(#ecma, #dfa, #min, #max))
                }
            }
        }
        Compiled::Regex => match pattern.chars {
            None => quote!(::smithy_rt::validation::Pattern::regex(#ecma, #rust)),
            Some((min, max)) => {
                quote!(::smithy_rt::validation::Pattern::regex_counted(#ecma, #rust, #min, #max))
            }
        },
        Compiled::Fancy => quote!(::smithy_rt::validation::Pattern::fancy(#ecma, #rust)),
    };
    quote! {
        #[doc = #doc]
        pub(crate) static #name: ::smithy_rt::validation::Pattern = #value;
    }
}

/// Compiles a translated pattern for `engine`.
pub(crate) fn compile(rust: &str, engine: Engine) -> Compiled {
    match engine {
        Engine::Fancy => Compiled::Fancy,
        Engine::Regex => table(rust).map_or(Compiled::Regex, |t| Compiled::Table(Box::new(t))),
    }
}

/// The tables of `rust`'s DFA, or `None` when it is too large (or can't be
/// a DFA without giving up on some input, e.g. Unicode word boundaries).
pub(crate) fn table(rust: &str) -> Option<Table> {
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .minimize(true)
                .dfa_size_limit(Some(MAX_TABLE * 16))
                .determinize_size_limit(Some(DETERMINIZE_LIMIT)),
        )
        .build(rust)
        .ok()?;
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::No))
        .ok()?;
    let byte_classes = dfa.byte_classes();
    // The last class is end-of-input.
    let stride = byte_classes.alphabet_len() - 1;
    let representatives: Vec<u8> = byte_classes
        .representatives(..)
        .filter_map(|u| u.as_u8())
        .collect();
    let mut classes = [0u8; 256];
    for b in 0..=255u8 {
        classes[usize::from(b)] = byte_classes.get(b);
    }
    // Number the states reachable from the start, in breadth-first order.
    let mut index: HashMap<StateID, usize> = HashMap::new();
    let mut order = vec![start];
    index.insert(start, 0);
    let mut next = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let s = order[i];
        i += 1;
        if dfa.is_quit_state(s) {
            return None;
        }
        for &b in &representatives {
            let t = dfa.next_state(s, b);
            let n = index.len();
            let id = *index.entry(t).or_insert_with(|| {
                order.push(t);
                n
            });
            next.push(id);
        }
        if order.len() > 1 << 16 || next.len() > MAX_TABLE {
            return None;
        }
    }
    let flag = |s: StateID| {
        let mut f = 0;
        if dfa.is_match_state(s) {
            f |= MATCH;
        }
        if dfa.is_match_state(dfa.next_eoi_state(s)) {
            f |= EOI_MATCH;
        }
        if dfa.is_dead_state(s) {
            f |= DEAD;
        }
        f
    };
    let old_flags: Vec<u8> = order.iter().map(|&s| flag(s)).collect();
    // Renumber: states that end the walk (match or dead) first, so the
    // walk tells them by one comparison; then the others, in order.
    let special = |f: u8| f & (MATCH | DEAD) != 0;
    let mut renumbered: Vec<usize> = (0..order.len())
        .filter(|&i| special(old_flags[i]))
        .collect();
    let specials = renumbered.len();
    renumbered.extend((0..order.len()).filter(|&i| !special(old_flags[i])));
    let mut new_id = vec![0; order.len()];
    for (new, &old) in renumbered.iter().enumerate() {
        new_id[old] = new;
    }
    // Transitions hold the next state premultiplied by the stride: the
    // offset of its row.
    let largest = (order.len() - 1) * stride;
    if largest > usize::from(u16::MAX) {
        return None;
    }
    let wide = largest > usize::from(u8::MAX);
    if next.len() * (1 + usize::from(wide)) > MAX_TABLE {
        return None;
    }
    let mut transitions = Vec::with_capacity(next.len() * (1 + usize::from(wide)));
    for &old in &renumbered {
        for &target in &next[old * stride..(old + 1) * stride] {
            let offset = new_id[target] * stride;
            if wide {
                transitions.extend_from_slice(&(offset as u16).to_le_bytes());
            } else {
                transitions.push(offset as u8);
            }
        }
    }
    let flags = renumbered.iter().map(|&old| old_flags[old]).collect();
    Some(Table {
        classes,
        stride,
        transitions,
        wide,
        flags,
        start: new_id[0] * stride,
        special: specials * stride,
    })
}

impl Table {
    /// Whether `s` matches, walking the tables as the runtime does.
    #[cfg(test)]
    pub(crate) fn is_match(&self, s: &str) -> bool {
        let mut state = self.start;
        for &b in s.as_bytes() {
            if state < self.special {
                return self.flags[state / self.stride] & MATCH != 0;
            }
            let i = state + usize::from(self.classes[usize::from(b)]);
            state = if self.wide {
                usize::from(u16::from_le_bytes([
                    self.transitions[2 * i],
                    self.transitions[2 * i + 1],
                ]))
            } else {
                usize::from(self.transitions[i])
            };
        }
        self.flags[state / self.stride] & (MATCH | EOI_MATCH) != 0
    }
}

#[cfg(test)]
mod differential;
#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, yes: &[&str], no: &[&str]) {
        let t = crate::ecma_regex::translate(pattern).unwrap();
        let table = table(&t.pattern).expect("fits a table");
        let re = regex::Regex::new(&t.pattern).unwrap();
        for s in yes {
            assert!(re.is_match(s), "{pattern} regex {s:?}");
            assert!(table.is_match(s), "{pattern} should match {s:?}");
        }
        for s in no {
            assert!(!re.is_match(s), "{pattern} regex {s:?}");
            assert!(!table.is_match(s), "{pattern} should not match {s:?}");
        }
    }

    #[test]
    fn anchored_and_unanchored() {
        check("^a+$", &["a", "aaa"], &["", "ab", "ba"]);
        check("a+", &["a", "xay", "ba"], &["", "b"]);
        check("b$", &["ab", "b"], &["ba", ""]);
        check("^$", &[""], &["a"]);
        check("", &["", "x"], &[]);
        check(r"\bword\b", &["a word here", "word"], &["swordfish"]);
        // Java's input anchors and POSIX class, as SageMaker Runtime has them.
        check(
            r"^\A\S[\p{Print}]*\z$",
            &["x", "abc 123-~"],
            &["", " x", "a\tb", "a\u{e9}", "ab\n"],
        );
        check(r"\Aab", &["abc"], &["cab"]);
        check(r"bc\z", &["abc"], &["bcd"]);
        check(
            r"^arn:aws(-[a-z]+)*:acm-pca:[a-z]+(-[a-z]+)+-[0-9]:\d{12}:certificate-authority\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
            &[
                "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555",
            ],
            &[
                "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-55555555555",
            ],
        );
    }

    #[test]
    fn unicode_classes() {
        check(
            r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$",
            &["", "héllo wörld 42", "日本語", "a=b"],
            &["a\nb", "tab\there", "😀"],
        );
        check(r"^\s*$", &["", " \u{a0}\u{feff}\u{2028}"], &["\u{85}"]);
        check(r"^.$", &["é", "😀"], &["\n", "ab"]);
    }

    #[test]
    fn wide_tables() {
        // More than 256 states: two bytes per transition.
        let t = crate::ecma_regex::translate(r"^[a-z]{300}$").unwrap();
        let table = table(&t.pattern).unwrap();
        assert!(table.wide);
        assert!(table.is_match(&"a".repeat(300)));
        assert!(!table.is_match(&"a".repeat(299)));
        assert!(!table.is_match(&"a".repeat(301)));
    }

    #[test]
    fn too_large_falls_back() {
        let t = crate::ecma_regex::translate(r"^\p{L}{1,1000}$").unwrap();
        assert_eq!(compile(&t.pattern, t.engine), Compiled::Regex);
        let t = crate::ecma_regex::translate(r"^(?!\s+$).*$").unwrap();
        assert_eq!(compile(&t.pattern, t.engine), Compiled::Fancy);
    }

    /// Every pattern of the shared models: a table (or a fallback), and the
    /// table agrees with `regex` on sample strings.
    #[test]
    fn shared_models() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        let mut counts = [0usize; 3];
        let mut largest = 0;
        for e in entries.flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let json: serde_json::Value = match serde_json::from_str(&text) {
                Ok(j) => j,
                Err(_) => continue,
            };
            let mut patterns = Vec::new();
            collect(&json, &mut patterns);
            for p in patterns {
                let Ok(t) = crate::ecma_regex::translate(&p) else {
                    continue;
                };
                match compile(&t.pattern, t.engine) {
                    Compiled::Table(table) => {
                        counts[0] += 1;
                        largest = largest.max(table.transitions.len());
                        let re = regex::Regex::new(&t.pattern).unwrap();
                        for s in ["", "a", "abc-123", "arn:aws:x", " ", "é", "A_b.c/d=e+f@g"] {
                            assert_eq!(table.is_match(s), re.is_match(s), "{p} on {s:?}");
                        }
                    }
                    Compiled::Regex => counts[1] += 1,
                    Compiled::Fancy => counts[2] += 1,
                }
            }
        }
        eprintln!(
            "tables {} regex {} fancy {} largest {largest}",
            counts[0], counts[1], counts[2]
        );
    }

    fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    if k == "smithy.api#pattern" {
                        if let Some(s) = v.as_str() {
                            out.push(s.to_owned());
                        }
                    } else {
                        collect(v, out);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
}
