//! Writing a generated crate to disk, and comparing it with what is there.

use crate::emit::{Files, HEADER};
use std::io;
use std::path::{Path, PathBuf};

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The file did not exist.
    Created(PathBuf),
    /// The file existed with other contents.
    Updated(PathBuf),
    /// A generated file that the model no longer produces was removed.
    Removed(PathBuf),
}

/// A difference between the generated files and a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// The path relative to the directory.
    pub path: String,
    /// What is on disk (`None`: missing).
    pub on_disk: Option<String>,
    /// What the generator produces (`None`: the file should not exist).
    pub expected: Option<String>,
}

/// Files under `dir` that carry the generated header: the ones a
/// regeneration owns and may remove.
pub fn generated_on_disk(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if starts_with_header(&path) {
                let rel = path.strip_prefix(dir).expect("below dir");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether the file's first line carries the generated header (only the
/// file's start is read).
fn starts_with_header(path: &Path) -> bool {
    use std::io::Read as _;
    let mut start = [0u8; 256];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut len = 0;
    while len < start.len() {
        match file.read(&mut start[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    let first = start[..len]
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default();
    String::from_utf8_lossy(first).contains(HEADER)
}

/// Writes `files` below `dir`, touching only files whose contents changed,
/// and removes generated files that are no longer produced. Returns what
/// changed, sorted by path.
pub fn write(dir: &Path, files: &Files) -> io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for (rel, contents) in files {
        let path = dir.join(rel);
        match std::fs::read(&path) {
            Ok(old) if old == contents.as_bytes() => continue,
            Ok(_) => changes.push(Change::Updated(path.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                changes.push(Change::Created(path.clone()))
            }
            Err(e) => return Err(e),
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, contents)?;
    }
    for rel in generated_on_disk(dir)? {
        if !files.contains_key(&rel) {
            let path = dir.join(&rel);
            std::fs::remove_file(&path)?;
            changes.push(Change::Removed(path));
        }
    }
    Ok(changes)
}

/// Every difference between `files` and `dir`, sorted by path.
pub fn drift(dir: &Path, files: &Files) -> io::Result<Vec<Drift>> {
    let mut out = Vec::new();
    for (rel, expected) in files {
        let on_disk = match std::fs::read_to_string(dir.join(rel)) {
            Ok(s) => Some(s),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if on_disk.as_deref() != Some(expected.as_str()) {
            out.push(Drift {
                path: rel.clone(),
                on_disk,
                expected: Some(expected.clone()),
            });
        }
    }
    for rel in generated_on_disk(dir)? {
        if !files.contains_key(&rel) {
            let on_disk = std::fs::read_to_string(dir.join(&rel)).ok();
            out.push(Drift {
                path: rel,
                on_disk,
                expected: None,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
