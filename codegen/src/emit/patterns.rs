//! `pattern` constraints compiled at generation time.
//!
//! A pattern that `regex` can express is determinized here into a dense DFA
//! (regex-automata), minimized, and flattened into byte tables (byte
//! classes, transitions, state flags; linear runs and self-loop byte
//! tables where the DFA has them) that `smithy_rt::validation::Dfa` walks.
//! The generated crate needs no regex compiler and does no work at first
//! use.
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

/// The most self-loop states a DFA checks by byte tables (256 bytes for
/// every 8); others loop through their transitions.
const MAX_LOOPS: usize = 64;

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
    /// The states from `special` up to this offset start a linear run
    /// (see [`runs`]); `special` when the DFA has none.
    pub runs_end: usize,
    /// For each of those states, in order, its position in the chains, as
    /// little-endian `u16`s.
    pub run_starts: Vec<u8>,
    /// The states from `runs_end` up to this offset loop to themselves on
    /// some bytes (at most [`MAX_LOOPS`] of them); `runs_end` when none
    /// does.
    pub loops_end: usize,
    /// Which bytes keep each of those states, by bytes: for the `j`-th
    /// state, bit `j % 8` of entry `256 * (j / 8) + byte`.
    pub loop_bytes: Vec<u8>,
    /// For each chain position, the byte classes that step to the next
    /// position, as a little-endian `u64` bit set; 0 ends a chain.
    pub run_masks: Vec<u8>,
    /// For each chain position, its state, premultiplied like transitions,
    /// as a little-endian `u16`.
    pub run_states: Vec<u8>,
    /// For each chain position, the classes that leave the chain (a
    /// little-endian `u64` set, 0 for none); empty when no position has any.
    pub exit_masks: Vec<u8>,
    /// For each chain position, the state those classes lead to
    /// (premultiplied, a little-endian `u16`).
    pub exit_states: Vec<u8>,
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
        Compiled::Table(t) => match (t.byte_set(), pattern.chars) {
            (Some((set, empty)), None) => {
                let set = Literal::byte_string(&set);
                quote!(::smithy_rt::validation::Pattern::bytes(#ecma, #set, #empty))
            }
            (Some((set, empty)), Some((min, max))) => {
                let set = Literal::byte_string(&set);
                quote!(::smithy_rt::validation::Pattern::bytes_counted(#ecma, #set, #empty, #min, #max))
            }
            (None, None) => {
                let dfa = dfa_tokens(t);
                quote!(::smithy_rt::validation::Pattern::dfa(#ecma, #dfa))
            }
            (None, Some((min, max))) => {
                let dfa = dfa_tokens(t);
                quote!(::smithy_rt::validation::Pattern::dfa_counted(#ecma, #dfa, #min, #max))
            }
        },
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

/// The `smithy_rt::validation::Dfa` expression of `t`'s tables (a
/// `const` expression: generated code keeps it in a `static`).
pub(crate) fn dfa_tokens(t: &Table) -> TokenStream {
    let classes = Literal::byte_string(&t.classes);
    let transitions = Literal::byte_string(&t.transitions);
    let flags = Literal::byte_string(&t.flags);
    let (stride, start, special, wide) = (
        Literal::usize_unsuffixed(t.stride),
        Literal::usize_unsuffixed(t.start),
        Literal::usize_unsuffixed(t.special),
        t.wide,
    );
    let mut dfa = quote!(::smithy_rt::validation::Dfa::new(#classes, #transitions, #flags, #stride, #start, #special, #wide));
    if !t.run_masks.is_empty() {
        let (end, starts, masks, states) = (
            Literal::usize_unsuffixed(t.runs_end),
            Literal::byte_string(&t.run_starts),
            Literal::byte_string(&t.run_masks),
            Literal::byte_string(&t.run_states),
        );
        dfa = quote!(#dfa.with_runs(#end, #starts, #masks, #states));
    }
    if !t.exit_masks.is_empty() {
        let (masks, states) = (
            Literal::byte_string(&t.exit_masks),
            Literal::byte_string(&t.exit_states),
        );
        dfa = quote!(#dfa.with_run_exits(#masks, #states));
    }
    if !t.loop_bytes.is_empty() {
        let (end, masks) = (
            Literal::usize_unsuffixed(t.loops_end),
            Literal::byte_string(&t.loop_bytes),
        );
        dfa = quote!(#dfa.with_loops(#end, #masks));
    }
    dfa
}

/// Compiles a translated pattern for `engine`.
pub(crate) fn compile(rust: &str, engine: Engine) -> Compiled {
    match engine {
        Engine::Fancy => Compiled::Fancy,
        // ECMA-262's `\B` holds between code points; the translation's
        // byte-level `(?-u:\B)` also holds inside a multi-byte character
        // (between two non-word bytes), which a DFA over bytes would match.
        // The `regex` crate never reports a match inside a character, so
        // those patterns run on it.
        Engine::Regex if rust.contains(r"(?-u:\B)") => Compiled::Regex,
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
    // The run tables hold offsets as `u16`s.
    if largest >= usize::from(u16::MAX) {
        return None;
    }
    let wide = largest > usize::from(u8::MAX);
    if next.len() * (1 + usize::from(wide)) > MAX_TABLE {
        return None;
    }
    let flags: Vec<u8> = renumbered.iter().map(|&old| old_flags[old]).collect();
    // Each state's targets, in the new numbering.
    let targets: Vec<Vec<usize>> = renumbered
        .iter()
        .map(|&old| {
            next[old * stride..(old + 1) * stride]
                .iter()
                .map(|&t| new_id[t])
                .collect()
        })
        .collect();
    // A class set is a u64: runs only for DFAs of at most 64 classes. How
    // each state steps is worked out once, for the chains and their exits.
    let steps: Vec<Step> = if stride <= 64 {
        (0..targets.len())
            .map(|s| step(&targets[s], &flags, specials, s))
            .collect()
    } else {
        Vec::new()
    };
    let (run_starts, chains) = runs(&steps, specials);
    // Renumber once more: the states that start a run right after the
    // special ones, so the walk tells both kinds by one comparison.
    // (`run_starts` is empty for a DFA of more than 64 classes.)
    let position = |s: usize| run_starts.get(s).copied().flatten();
    let mut layout: Vec<usize> = (0..specials).collect();
    layout.extend((specials..targets.len()).filter(|&s| position(s).is_some()));
    let runs_end = layout.len();
    // Then (at most `MAX_LOOPS` of) the states that loop to themselves
    // (`[a-z]+`), with a table of the bytes that keep each there.
    let loop_states: Vec<usize> = (specials..targets.len())
        .filter(|&s| position(s).is_none() && targets[s].contains(&s))
        .take(MAX_LOOPS)
        .collect();
    layout.extend(&loop_states);
    let loops_end = layout.len();
    layout.extend(
        (specials..targets.len()).filter(|&s| position(s).is_none() && !loop_states.contains(&s)),
    );
    let mut place = vec![0; layout.len()];
    for (new, &old) in layout.iter().enumerate() {
        place[old] = new;
    }
    let offset = |s: usize| place[s] * stride;
    let mut transitions = Vec::with_capacity(next.len() * (1 + usize::from(wide)));
    for &s in &layout {
        for &target in &targets[s] {
            if wide {
                transitions.extend_from_slice(&(offset(target) as u16).to_le_bytes());
            } else {
                transitions.push(offset(target) as u8);
            }
        }
    }
    let (mut run_masks, mut run_states) = (Vec::new(), Vec::new());
    let (mut exit_masks, mut exit_states) = (Vec::new(), Vec::new());
    let class_set = |from: usize, to: usize| {
        let mut mask = 0u64;
        for (class, &t) in targets[from].iter().enumerate() {
            if t == to {
                mask |= 1 << class;
            }
        }
        mask
    };
    for (k, c) in chains.iter().enumerate() {
        let (mask, state, exit) = match (c, chains.get(k + 1).copied().flatten()) {
            (Some(from), Some(to)) => {
                let exit = steps[*from].and_then(|(_, x)| x);
                let exit = exit.map_or((0, 0), |x| (class_set(*from, x), offset(x)));
                (class_set(*from, to), offset(*from), exit)
            }
            (Some(last), None) => (0, offset(*last), (0, 0)),
            (None, _) => (0, 0, (0, 0)),
        };
        run_masks.extend_from_slice(&mask.to_le_bytes());
        run_states.extend_from_slice(&(state as u16).to_le_bytes());
        exit_masks.extend_from_slice(&exit.0.to_le_bytes());
        exit_states.extend_from_slice(&(exit.1 as u16).to_le_bytes());
    }
    if exit_masks.iter().all(|&b| b == 0) {
        (exit_masks, exit_states) = (Vec::new(), Vec::new());
    }
    let mut loop_bytes = vec![0u8; loop_states.len().div_ceil(8) * 256];
    for (j, &s) in loop_states.iter().enumerate() {
        for b in 0..=255u8 {
            if targets[s][usize::from(classes[usize::from(b)])] == s {
                loop_bytes[256 * (j / 8) + usize::from(b)] |= 1 << (j % 8);
            }
        }
    }
    // Positions of the run states, in their new order (all fit: a
    // position is below the number of states, below `u16::MAX`).
    let run_starts: Vec<u8> = layout[specials..runs_end]
        .iter()
        .filter_map(|&s| position(s))
        .flat_map(|p| (p as u16).to_le_bytes())
        .collect();
    Some(Table {
        classes,
        stride,
        transitions,
        wide,
        flags: layout.iter().map(|&s| flags[s]).collect(),
        start: offset(new_id[0]),
        special: specials * stride,
        runs_end: runs_end * stride,
        loops_end: loops_end * stride,
        loop_bytes,
        run_starts,
        run_masks,
        run_states,
        exit_masks,
        exit_states,
    })
}

/// A state's step in a run: the next state and perhaps an exit state;
/// `None` for a state that is not linear.
type Step = Option<(usize, Option<usize>)>;

/// How a run steps from state `s` (its row `targets`): to the next state of
/// the chain, and perhaps out of it to an exit state. A state steps in a
/// run when every byte leads to the dead state or to one of at most two
/// states other than itself: the one more classes lead to is the next
/// (an ordinary state), the other the exit (`[a-z0-9]{2,15}-`: after two
/// characters, a third continues the count and a `-` leaves it).
fn step(targets: &[usize], flags: &[u8], specials: usize, s: usize) -> Step {
    if s < specials {
        return None;
    }
    let mut live: Vec<(usize, usize)> = Vec::new();
    for &t in targets {
        if flags[t] & DEAD != 0 {
            continue;
        }
        match live.iter_mut().find(|(state, _)| *state == t) {
            Some((_, n)) => *n += 1,
            None => live.push((t, 1)),
        }
    }
    // The next state: most classes, then the higher number (any fixed rule).
    live.sort_by_key(|&(state, n)| std::cmp::Reverse((n, state)));
    match live[..] {
        [(next, _)] if next >= specials && next != s => Some((next, None)),
        [(next, _), (exit, _)] if next >= specials && next != s && exit != s => {
            Some((next, Some(exit)))
        }
        _ => None,
    }
}

/// Linear runs of a DFA whose states are numbered `0..steps.len()` (each
/// state's [`step`]), the
/// first `specials` of them match or dead states. A state is linear when
/// every byte leads to the dead state, to one and the same ordinary state,
/// or to one exit state (see [`step`]): walking it, a byte continues the
/// chain, leaves it, or ends the match. A chain of linear states is a path the runtime can check
/// byte by byte without waiting for each step's load: the next state is
/// already written down. Returns, per state, its position in the chains
/// (linear states only), and the chains, each ended by `None`: every chain
/// holds at least one step, and ends at a state that is not linear or that
/// another chain already holds (whose own run the walk then takes).
fn runs(steps: &[Step], specials: usize) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let successor = |s: usize| steps[s].map(|(next, _)| next);
    let mut starts = vec![None; steps.len()];
    let mut chains = Vec::new();
    // A chain shorter than this is not worth a run's set-up.
    const MIN_RUN: usize = 4;
    for s in specials..steps.len() {
        if starts[s].is_some() || successor(s).is_none() {
            continue;
        }
        let mut chain = vec![s];
        let mut cur = s;
        while let Some(t) = successor(cur) {
            chain.push(t);
            if starts[t].is_some()
                || chain[..chain.len() - 1].contains(&t)
                || successor(t).is_none()
            {
                break;
            }
            cur = t;
        }
        if chain.len() <= MIN_RUN {
            continue;
        }
        let base = chains.len();
        // Every state of the chain but its last starts a run here.
        for (k, &state) in chain[..chain.len() - 1].iter().enumerate() {
            starts[state] = Some(base + k);
        }
        chains.extend(chain.into_iter().map(Some));
        chains.push(None);
    }
    (starts, chains)
}

impl Table {
    /// The runtime's `Dfa` over these tables, as generated code builds it
    /// ([`dfa_tokens`]); `plain`: without the runs and self-loop tables.
    #[cfg(test)]
    pub(crate) fn runtime_dfa(&'static self, plain: bool) -> smithy_rt::validation::Dfa {
        let dfa = smithy_rt::validation::Dfa::new(
            &self.classes,
            &self.transitions,
            &self.flags,
            self.stride,
            self.start,
            self.special,
            self.wide,
        );
        if plain {
            return dfa;
        }
        dfa.with_runs(
            self.runs_end,
            &self.run_starts,
            &self.run_masks,
            &self.run_states,
        )
        .with_run_exits(&self.exit_masks, &self.exit_states)
        .with_loops(self.loops_end, &self.loop_bytes)
    }

    /// The target of state offset `state` on class `class`, as an offset.
    fn target(&self, state: usize, class: usize) -> usize {
        let i = state + class;
        if self.wide {
            usize::from(u16::from_le_bytes([
                self.transitions[2 * i],
                self.transitions[2 * i + 1],
            ]))
        } else {
            usize::from(self.transitions[i])
        }
    }

    /// When the pattern is one repetition of a set of bytes, anchored at
    /// both ends (`^[!-~]+$`, `^[a-zA-Z0-9._-]*$`, the uncounted part of
    /// `^[!-~]{1,64}$`): the set (1 for a byte in it, 0 otherwise) and
    /// whether the empty value matches. Such a pattern is checked byte by
    /// byte against the set, without a walk. The DFA has then the dead
    /// state and at most two others: a start state and a state that loops
    /// on the set (one state when the empty value matches), every other
    /// byte leading to the dead state.
    pub(crate) fn byte_set(&self) -> Option<([u8; 256], bool)> {
        let states = self.flags.len();
        if self.special != self.stride || self.flags[0] != DEAD || !(2..=3).contains(&states) {
            return None;
        }
        let flag = |state: usize| self.flags[state / self.stride];
        let targets = |state: usize| (0..self.stride).map(move |c| self.target(state, c));
        // The looping state: the start's target on any live class.
        let looping = targets(self.start).find(|&t| t != 0)?;
        let stays = |state: usize| -> Option<Vec<bool>> {
            targets(state)
                .map(|t| match t {
                    0 => Some(false),
                    t if t == looping => Some(true),
                    _ => None,
                })
                .collect()
        };
        let set = stays(looping)?;
        if stays(self.start)? != set
            || flag(looping) != EOI_MATCH
            || flag(self.start) & MATCH != 0
            || (states == 3) == (self.start == looping)
        {
            return None;
        }
        let mut bytes = [0u8; 256];
        for (b, slot) in bytes.iter_mut().enumerate() {
            *slot = u8::from(set[usize::from(self.classes[b])]);
        }
        Some((bytes, flag(self.start) & EOI_MATCH != 0))
    }

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

    /// `\B` between two non-ASCII characters' bytes is no position of
    /// ECMA-262's: a pattern with `\B` does not match `BжB` (found by the
    /// differential against Node.js, seed 777).
    #[test]
    fn non_boundaries_hold_between_characters_only() {
        for (pattern, input, expected) in [
            (r"\B", "BжB", false),
            (r"\B", "B\u{feff}B", false),
            (r"\B", "ab", true),
            // Under the `u` flag ECMA-262 never tries the position between
            // a surrogate pair's halves (V8 does, and answers true here).
            (r"\B", "B😀B", false),
            (r"\B", "B😀😀B", true),
            (r"\w*\B", "n\u{b}g\u{a0}0", false),
        ] {
            let t = crate::ecma_regex::translate(pattern).expect("translates");
            assert!(
                matches!(compile(&t.pattern, t.engine), Compiled::Regex),
                "{pattern}"
            );
            let re = regex::Regex::new(&t.pattern).unwrap();
            assert_eq!(re.is_match(input), expected, "{pattern} on {input:?}");
        }
    }

    /// The runtime's walk with linear runs against the plain walk, on
    /// every prefix of valid values and on each with one byte changed.
    #[test]
    fn linear_runs_match_as_the_plain_walk() {
        let cases: &[(&str, &[&str])] = &[
            (
                r"^arn:aws(-[a-z]+)*:acm-pca:[a-z]+(-[a-z]+)+-[1-9][0-9]*:[0-9]{12}:certificate-authority/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
                &[
                    "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e",
                    "arn:aws-us-gov:acm-pca:us-gov-west-12:123456789012:certificate-authority/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e",
                ],
            ),
            // A cycle of linear states, and a run that ends in a loop.
            (r"^(abcde)+$", &["abcde", "abcdeabcde"]),
            // Counted ranges: runs with an exit.
            (
                r"^[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}-[a-z]{3}$",
                &[
                    "ab-cd-efg",
                    "abcdefghijklmno-x1-abc",
                    "a1b2c3-0123456789abcde-xyz",
                ],
            ),
            (
                r"^x(hello)*world[a-z]*$",
                &["xworld", "xhellohelloworldabc"],
            ),
            // Unanchored: runs only where a dead end is certain.
            (r"needle[0-9]{6}", &["hay needle123456 hay", "needle000000"]),
        ];
        let mut checked = 0;
        for (pattern, valid) in cases {
            // The runtime takes `'static` tables, as generated code has.
            let table: &'static Table = Box::leak(Box::new(table(pattern).expect("compiles")));
            let (dfa, runs) = (table.runtime_dfa(true), table.runtime_dfa(false));
            for v in *valid {
                assert!(table.is_match(v), "{pattern} {v}");
                let mut inputs: Vec<String> = (0..=v.len()).map(|n| v[..n].to_owned()).collect();
                for i in 0..v.len() {
                    for b in [b'a', b'0', b'-', b':', b'/', b'z', b'\n'] {
                        let mut m = v.as_bytes().to_vec();
                        m[i] = b;
                        inputs.push(String::from_utf8(m).unwrap());
                    }
                    let mut longer = v.to_string();
                    longer.insert(i, 'q');
                    inputs.push(longer);
                }
                for input in &inputs {
                    let plain = table.is_match(input);
                    assert_eq!(dfa.is_match(input), plain, "{pattern} {input:?}");
                    assert_eq!(runs.is_match(input), plain, "{pattern} {input:?} (runs)");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
        let arn = table(cases[0].0).unwrap();
        assert!(
            arn.run_masks.len() > 8 * 60,
            "the ARN pattern's literals and counted digits are runs"
        );
    }

    /// Patterns that are one repetition of a byte set are told apart, and
    /// the set answers as the table walk does.
    #[test]
    fn byte_set_patterns() {
        let set = |p: &str| {
            let t = crate::ecma_regex::translate(p).unwrap();
            let table = table(&t.pattern).unwrap();
            table.byte_set().map(|(set, empty)| (set, empty, table))
        };
        for (p, empty) in [
            ("^[!-~]+$", false),
            ("^[a-zA-Z0-9._-]+$", false),
            ("^[a-z]*$", true),
            ("^\\d+$", false),
        ] {
            let (bytes, e, table) = set(p).unwrap_or_else(|| panic!("{p} is a byte set"));
            assert_eq!(e, empty, "{p}");
            for v in [
                "", "a", "abc", "a.b-c_9", "A~!", "a b", "abcé", "12345", "x\n",
            ] {
                let by_set = if v.is_empty() {
                    e
                } else {
                    v.bytes().all(|b| bytes[usize::from(b)] == 1)
                };
                assert_eq!(by_set, table.is_match(v), "{p} {v:?}");
            }
        }
        // Not one repetition of a byte set: a literal, a second part,
        // unanchored, multi-byte characters, alternatives, a bounded count.
        for p in [
            "^a+b$",
            "[a-z]+",
            "^[a-z]+",
            "^[^\\p{C}]+$",
            "^(ab)+$",
            "^é+$",
            "^[a-z]{2,4}$",
            "^$",
        ] {
            assert!(set(p).is_none(), "{p} is not a byte set");
        }
    }

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
