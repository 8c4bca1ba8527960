//! Skipping a generation whose inputs and outputs are unchanged.
//!
//! `regenerate` writes `tests/protocol/` from a large shared model; doing
//! it when nothing changed would cost most of the command's time. A stamp
//! beside the xtask binary records a fingerprint of everything the output
//! depends on (the binary itself, so any generator change counts, and the
//! model's bytes) and of the generated files as they were written. When
//! both still match, the files on disk are what generating would write, so
//! generating is skipped. `check` never uses the stamp.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// A stamp named `name`, in the directory of the running binary.
pub(crate) struct Stamp {
    path: Option<PathBuf>,
}

impl Stamp {
    pub(crate) fn new(name: &str) -> Self {
        Self {
            path: beside_binary(&format!(".{name}.stamp")),
        }
    }

    /// Whether the stamp records `fingerprint`.
    pub(crate) fn matches(&self, fingerprint: u64) -> bool {
        self.path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .is_some_and(|s| s.trim() == fingerprint.to_string())
    }

    /// Records `fingerprint`; a stamp that cannot be written only costs
    /// the next run its shortcut.
    pub(crate) fn record(&self, fingerprint: u64) {
        if let Some(p) = &self.path {
            let _ = std::fs::write(p, fingerprint.to_string());
        }
    }
}

/// `name` in the directory of the running binary (the build's target
/// directory, which `cargo clean` empties).
pub(crate) fn beside_binary(name: &str) -> Option<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(name)))
}

/// The fingerprint of a generation: the size and modification time of the
/// running binary, of `input` and of every generated file below `dir` (as
/// `make` judges files; reading megabytes to hash them would cost what the
/// stamp saves). `None` when any of them cannot be read, which means
/// generating again.
pub(crate) fn fingerprint(inputs: &[&Path], dir: &Path) -> Option<u64> {
    let mut h = DefaultHasher::new();
    file(&mut h, &std::env::current_exe().ok()?)?;
    for input in inputs {
        file(&mut h, input)?;
    }
    for rel in smithy_codegen::output::generated_on_disk(dir).ok()? {
        file(&mut h, &dir.join(rel))?;
    }
    Some(h.finish())
}

/// The fingerprint of the running binary alone (size and modification
/// time): what anything cached for one build of the generator is keyed on.
pub(crate) fn binary() -> Option<u64> {
    let mut h = DefaultHasher::new();
    file(&mut h, &std::env::current_exe().ok()?)?;
    Some(h.finish())
}

fn file(h: &mut DefaultHasher, path: &Path) -> Option<()> {
    let meta = std::fs::metadata(path).ok()?;
    path.hash(h);
    meta.len().hash(h);
    meta.modified().ok()?.hash(h);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_input_or_output_changes_the_fingerprint() {
        let dir = std::env::temp_dir().join(format!("xtask-stamp-{}", std::process::id()));
        let out = dir.join("out");
        std::fs::create_dir_all(&out).unwrap();
        let input = dir.join("model.json");
        std::fs::write(&input, "{}").unwrap();
        let header = smithy_codegen::emit::HEADER;
        std::fs::write(out.join("a.rs"), format!("// {header}\nfn a() {{}}\n")).unwrap();
        let first = fingerprint(&[&input], &out).unwrap();
        assert_eq!(fingerprint(&[&input], &out), Some(first));
        std::fs::write(&input, "{ }").unwrap();
        // Sizes differ, whatever the clock's resolution.
        let second = fingerprint(&[&input], &out).unwrap();
        assert_ne!(first, second, "input edited");
        std::fs::write(out.join("a.rs"), format!("// {header}\nfn bb() {{}}\n")).unwrap();
        assert_ne!(fingerprint(&[&input], &out), Some(second), "output edited");
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(fingerprint(&[&input], &out), None, "unreadable input");

        let stamp = Stamp {
            path: Some(std::env::temp_dir().join(format!(".xtask-stamp-{}", std::process::id()))),
        };
        assert!(!stamp.matches(7));
        stamp.record(7);
        assert!(stamp.matches(7) && !stamp.matches(8));
        std::fs::remove_file(stamp.path.unwrap()).unwrap();
    }
}
