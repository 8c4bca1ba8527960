//! Line numbers for shapes, members and traits in a JSON AST file.
//!
//! serde_json reports positions only for syntax errors, so this scans the
//! source once and remembers the line of every object key below `shapes`
//! (shape IDs, and their members and traits), for diagnostics.

use std::collections::HashMap;

/// One open container while scanning.
enum Slot {
    /// An object, and its last key.
    Key(String),
    /// An array, and the index of its current element.
    Index(usize),
}

/// Records the line of the path `stack` is at, when it starts at the
/// root's `shapes` key: up to a member's traits everywhere, and at any
/// depth inside a trait value (whose paths diagnostics of trait documents
/// such as endpoint rule sets use; array elements by index).
fn record(stack: &[Slot], line: u32, map: &mut HashMap<String, u32>) {
    let path: Vec<String> = stack
        .iter()
        .map(|s| match s {
            Slot::Key(k) => k.clone(),
            Slot::Index(n) => n.to_string(),
        })
        .collect();
    let in_trait = path.len() >= 4 && path.get(2).is_some_and(|p| p == "traits");
    if path.len() >= 2 && (path.len() <= 6 || in_trait) && path[0] == "shapes" {
        map.entry(path[1..].join("\u{0}")).or_insert(line);
    }
}

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
        // One entry per open container: an object's last key, or an
        // array's current element index.
        let mut stack: Vec<Slot> = Vec::new();
        let mut line = 1u32;
        let mut expect_key = false;
        // An array element starts at the next value.
        let mut element_pending = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if element_pending && !b.is_ascii_whitespace() && b != b']' {
                element_pending = false;
                record(&stack, line, &mut map);
            }
            match b {
                b'\n' => line += 1,
                b'{' => {
                    stack.push(Slot::Key(String::new()));
                    expect_key = true;
                }
                b'[' => {
                    stack.push(Slot::Index(0));
                    expect_key = false;
                    element_pending = true;
                }
                b'}' | b']' => {
                    stack.pop();
                    expect_key = false;
                    element_pending = false;
                }
                b',' => match stack.last_mut() {
                    Some(Slot::Key(_)) => expect_key = true,
                    Some(Slot::Index(n)) => {
                        *n += 1;
                        element_pending = true;
                    }
                    None => {}
                },
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
                        if let Some(Slot::Key(slot)) = stack.last_mut() {
                            *slot = key;
                        }
                        record(&stack, line, &mut map);
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

    #[test]
    fn finds_array_elements_deep_inside_traits() {
        let src = r#"{
  "shapes": {
    "a#S": {
      "type": "service",
      "traits": {
        "x#rules": {
          "rules": [
            {"a": 1},
            {
              "conditions": [
                "first",
                "second"
              ]
            }
          ]
        }
      }
    }
  }
}"#;
        let m = SourceMap::scan(src);
        let at = |p: &[&str]| m.line("a#S", p);
        assert_eq!(at(&["traits", "x#rules"]), Some(6));
        assert_eq!(at(&["traits", "x#rules", "rules", "0"]), Some(8));
        assert_eq!(at(&["traits", "x#rules", "rules", "1"]), Some(9));
        assert_eq!(
            at(&["traits", "x#rules", "rules", "1", "conditions", "1"]),
            Some(12)
        );
        // Unknown below a known prefix: the prefix's line.
        assert_eq!(at(&["traits", "x#rules", "rules", "7"]), Some(7));
    }
}
