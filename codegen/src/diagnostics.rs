//! Problems found in a model, each with where it is.

use std::fmt;

/// One problem in a model.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// 1-based line in the model file, when known.
    pub line: Option<u32>,
    /// The shape (and member) the problem is about: `ns#Shape` or
    /// `ns#Shape$member`.
    pub shape: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Diagnostic {
    /// A problem about a shape or member.
    pub fn at(shape: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            line: None,
            shape: Some(shape.into()),
            message: message.into(),
        }
    }
}

/// Every problem found in a model, sorted by position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics {
    /// The model file's path as given by the caller.
    pub file: String,
    /// The problems, sorted by line, then shape, then message.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn new(file: &str, mut items: Vec<Diagnostic>) -> Self {
        items.sort();
        items.dedup();
        Self {
            file: file.to_owned(),
            items,
        }
    }

    /// One line per problem: `file:line: shape: message`.
    pub fn lines(&self) -> Vec<String> {
        self.items
            .iter()
            .map(|d| {
                let mut s = self.file.clone();
                if let Some(line) = d.line {
                    s.push_str(&format!(":{line}"));
                }
                s.push_str(": ");
                if let Some(shape) = &d.shape {
                    s.push_str(shape);
                    s.push_str(": ");
                }
                s.push_str(&d.message);
                s
            })
            .collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.lines() {
            writeln!(f, "error: {line}")?;
        }
        let n = self.items.len();
        write!(
            f,
            "{n} problem{} found in {}",
            if n == 1 { "" } else { "s" },
            self.file
        )
    }
}

impl std::error::Error for Diagnostics {}
