//! The diff as Markdown (for a PR comment) and as JSON (for scripts).

use super::{Change, Semver, Severity};
use serde::Serialize;

/// The worst wire severity among `changes`, if any.
pub fn wire_verdict(changes: &[Change]) -> Option<Severity> {
    changes.iter().map(|c| c.wire).min()
}

/// The semver bump the changes need in the generated crate, if any change.
pub fn rust_verdict(changes: &[Change]) -> Option<Semver> {
    changes.iter().map(|c| c.rust).min()
}

fn counts<T: Copy + PartialEq + std::fmt::Display>(
    all: &[T],
    changes: &[Change],
    of: impl Fn(&Change) -> T,
) -> String {
    all.iter()
        .map(|v| format!("{} {v}", changes.iter().filter(|c| of(c) == *v).count()))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Markdown for a PR comment: the summary (both verdicts), then one section
/// per severity (the stricter of the two) that has changes; each change
/// shows its wire and Rust verdicts and why the Rust API changes.
pub fn markdown(changes: &[Change]) -> String {
    let mut out = String::from("## Model changes\n\n");
    let (Some(wire), Some(rust)) = (wire_verdict(changes), rust_verdict(changes)) else {
        out.push_str("No semantic changes.\n");
        return out;
    };
    out.push_str(&format!(
        "**{}**\n\n",
        counts(&Severity::ALL, changes, |c| c.severity)
    ));
    out.push_str(&format!(
        "- Wire: **{wire}** ({})\n",
        counts(&Severity::ALL, changes, |c| c.wire)
    ));
    out.push_str(&format!(
        "- Rust API of the generated crate: **{rust}** ({})\n",
        counts(&Semver::ALL, changes, |c| c.rust)
    ));
    for severity in Severity::ALL {
        let of: Vec<&Change> = changes.iter().filter(|c| c.severity == severity).collect();
        if of.is_empty() {
            continue;
        }
        let title = match severity {
            Severity::Breaking => "Breaking",
            Severity::Risky => "Risky",
            Severity::Compatible => "Compatible",
            Severity::Documentation => "Documentation",
        };
        out.push_str(&format!("\n### {title} ({})\n\n", of.len()));
        for c in of {
            let place = match &c.member {
                Some(m) => format!("`{}${m}`", c.shape),
                None => format!("`{}`", c.shape),
            };
            out.push_str(&format!("- {place}: {}", c.message));
            match (&c.old, &c.new) {
                (Some(o), Some(n)) => {
                    out.push_str(&format!(" (`{}` → `{}`)", escape_code(o), escape_code(n)))
                }
                (Some(o), None) => out.push_str(&format!(" (was `{}`)", escape_code(o))),
                (None, Some(n)) => out.push_str(&format!(" (`{}`)", escape_code(n))),
                (None, None) => {}
            }
            out.push_str(&format!(
                " — *{}* · wire: {} · Rust: {} ({})\n",
                c.kind, c.wire, c.rust, c.rust_reason
            ));
        }
    }
    out
}

fn escape_code(s: &str) -> String {
    s.replace('`', "'")
}

/// `{"wire": ..., "rust": ..., "changes": [...]}`: the worst wire severity
/// and the semver bump (`null` without changes), then every change.
pub fn json(changes: &[Change]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        wire: Option<Severity>,
        rust: Option<Semver>,
        changes: &'a [Change],
    }
    serde_json::to_string_pretty(&Out {
        wire: wire_verdict(changes),
        rust: rust_verdict(changes),
        changes,
    })
    .expect("changes serialize")
}
