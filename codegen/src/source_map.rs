//! Line numbers for shapes, members and traits in a JSON AST file.
//!
//! serde_json reports positions only for syntax errors, so this scans the
//! source once and remembers the line of every object key below `shapes`
//! (shape IDs, and their members and traits), for diagnostics.

use std::collections::HashMap;

/// Key paths below `shapes` to their 1-based lines.
#[derive(Debug, Default)]
pub struct SourceMap {
    lines: HashMap<String, u32>,
}

impl SourceMap {
    /// Scans `src`. Malformed JSON is tolerated: positions found before the
    /// problem are kept.
    pub fn scan(src: &str) -> Self {
        let bytes = src.as_bytes();
        let mut map = HashMap::new();
        // One entry per open container: `Some(key)` for objects (the last
        // key seen), `None` for arrays.
        let mut stack: Vec<Option<String>> = Vec::new();
        let mut line = 1u32;
        let mut expect_key = false;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line += 1,
                b'{' => {
                    stack.push(Some(String::new()));
                    expect_key = true;
                }
                b'[' => {
                    stack.push(None);
                    expect_key = false;
                }
                b'}' | b']' => {
                    stack.pop();
                    expect_key = false;
                }
                b',' => expect_key = matches!(stack.last(), Some(Some(_))),
                b'"' => {
                    let start = i;
                    i += 1;
                    let mut escaped = false;
                    while i < bytes.len() && (escaped || bytes[i] != b'"') {
                        escaped = !escaped && bytes[i] == b'\\';
                        if bytes[i] == b'\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                    if expect_key {
                        let raw = &src[start..=i.min(bytes.len() - 1)];
                        let key: String = serde_json::from_str(raw).unwrap_or_default();
                        if let Some(Some(slot)) = stack.last_mut() {
                            *slot = key;
                        }
                        // Record paths that start at the root's "shapes" key.
                        let path: Vec<&str> =
                            stack.iter().map(|k| k.as_deref().unwrap_or("[]")).collect();
                        if path.len() >= 2 && path.len() <= 6 && path[0] == "shapes" {
                            map.entry(path[1..].join("\u{0}")).or_insert(line);
                        }
                        expect_key = false;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Self { lines: map }
    }

    /// The line of `shape`, or of a path inside it such as
    /// `["members", "Name", "traits", "smithy.api#pattern"]`; falls back to
    /// the longest prefix that is known.
    pub fn line(&self, shape: &str, path: &[&str]) -> Option<u32> {
        (0..=path.len()).rev().find_map(|n| {
            let mut key = shape.to_owned();
            for p in &path[..n] {
                key.push('\u{0}');
                key.push_str(p);
            }
            self.lines.get(&key).copied()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_shapes_members_and_traits() {
        let src = r#"{
  "smithy": "2.0",
  "shapes": {
    "a#A": {
      "type": "structure",
      "members": {
        "x": {
          "target": "smithy.api#String",
          "traits": { "smithy.api#pattern": "[\"]" }
        }
      }
    },
    "a#B": { "type": "string" }
  }
}"#;
        let m = SourceMap::scan(src);
        assert_eq!(m.line("a#A", &[]), Some(4));
        assert_eq!(m.line("a#A", &["members", "x"]), Some(7));
        assert_eq!(
            m.line("a#A", &["members", "x", "traits", "smithy.api#pattern"]),
            Some(9)
        );
        assert_eq!(m.line("a#A", &["members", "nope"]), Some(6));
        assert_eq!(m.line("a#B", &[]), Some(13));
        assert_eq!(m.line("a#C", &[]), None);
    }
}
