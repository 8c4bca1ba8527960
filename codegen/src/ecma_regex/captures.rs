//! Capturing groups and backreferences, with ECMA-262's meaning.
//!
//! ECMA-262 and the backtracking engines (`fancy-regex`, PCRE, Java) differ
//! on backreferences to groups that have not captured:
//!
//! - A reference to a group that has not participated (a later group, the
//!   group it is in, a group in another alternative, an optional group that
//!   matched nothing) matches the empty string in ECMA-262 and fails in the
//!   others. A reference that comes before its group closes can never see
//!   a capture, so it is written as an empty group; one after it is written
//!   as the conditional `(?(N)\N|)`: the capture if there is one, else
//!   nothing.
//! - Each repetition of a quantified group resets the captures inside it in
//!   ECMA-262, and keeps the previous repetition's in the others, so a
//!   reference to a group inside a repeated group cannot be translated; nor
//!   can references in a lookbehind (ECMA-262 matches those right to left).
//!   Both are refused at generation time.

use std::collections::{BTreeSet, HashMap};

/// How a backreference is written.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Reference {
    /// It can never see a capture: the empty string.
    Empty,
    /// To group `N`, which has closed: the capture if it has one.
    Backward(usize),
}

#[derive(Debug, Default)]
pub(super) struct Captures {
    /// Capturing groups opened so far.
    count: usize,
    /// Whether each group (number − 1) has closed.
    closed: Vec<bool>,
    names: HashMap<String, usize>,
    /// Groups inside a lookbehind.
    behind: BTreeSet<usize>,
    /// Groups strictly inside a repeated group.
    repeated: BTreeSet<usize>,
    /// Groups referenced after they closed.
    referenced: BTreeSet<usize>,
    /// The largest group number referenced before its group opened.
    forward: usize,
    /// Names referenced before their group opened.
    forward_names: Vec<String>,
}

impl Captures {
    /// Capturing groups opened so far; the next inner group is this plus one.
    pub(super) fn count(&self) -> usize {
        self.count
    }

    /// A capturing group opens; returns its number.
    pub(super) fn open(
        &mut self,
        name: Option<&str>,
        in_lookbehind: bool,
    ) -> Result<usize, String> {
        self.count += 1;
        self.closed.push(false);
        if let Some(name) = name {
            if self.names.insert(name.to_owned(), self.count).is_some() {
                return Err(format!("group name `{name}` is used twice"));
            }
        }
        if in_lookbehind {
            self.behind.insert(self.count);
        }
        Ok(self.count)
    }

    pub(super) fn close(&mut self, n: usize) {
        self.closed[n - 1] = true;
    }

    /// The groups numbered `from..=count` are inside a group that was just
    /// quantified.
    pub(super) fn repeat_inner(&mut self, from: usize) {
        self.repeated.extend(from..=self.count);
    }

    /// A reference to group `n`.
    pub(super) fn reference(&mut self, n: usize, in_lookbehind: bool) -> Result<Reference, String> {
        if in_lookbehind {
            return Err(format!(
                "backreference `\\{n}` inside a lookbehind (ECMA-262 matches lookbehinds right to left, the regex engines here do not)"
            ));
        }
        if n > self.count {
            self.forward = self.forward.max(n);
            return Ok(Reference::Empty);
        }
        if !self.closed[n - 1] {
            return Ok(Reference::Empty);
        }
        self.referenced.insert(n);
        Ok(Reference::Backward(n))
    }

    /// A reference to the group named `name`.
    pub(super) fn named(&mut self, name: &str, in_lookbehind: bool) -> Result<Reference, String> {
        match self.names.get(name) {
            Some(&n) => self.reference(n, in_lookbehind),
            None => {
                self.forward_names.push(name.to_owned());
                Ok(Reference::Empty)
            }
        }
    }

    /// Checks what could only be known at the end of the pattern.
    pub(super) fn finish(&self) -> Result<(), String> {
        if self.forward > self.count {
            return Err(format!(
                "backreference `\\{}` to a group that does not exist",
                self.forward
            ));
        }
        if let Some(name) = self
            .forward_names
            .iter()
            .find(|n| !self.names.contains_key(*n))
        {
            return Err(format!(
                "backreference to a group named `{name}` that does not exist"
            ));
        }
        if let Some(n) = self.referenced.intersection(&self.repeated).next() {
            return Err(format!(
                "backreference to group {n}, which is inside a repeated group (ECMA-262 resets it on every repetition, the regex engines here keep it)"
            ));
        }
        if let Some(n) = self.referenced.intersection(&self.behind).next() {
            return Err(format!(
                "backreference to group {n}, which is inside a lookbehind (ECMA-262 matches lookbehinds right to left)"
            ));
        }
        Ok(())
    }
}
