//! The generator's front end (load, transforms, lowering and validation) on
//! any text, and on structure-aware mutations of real models (fixtures that
//! exercise bindings, constraints, mixins, unions and routing) with
//! values replaced, keys dropped and added as the input's bytes say. Small
//! models keep executions fast (a pattern's regex is compiled at generation
//! time, and large ones take milliseconds). Never a panic; every refusal is a diagnostic with a
//! location (a line or a shape).

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

const SOURCES: &[&str] = &[
    include_str!("../../tests/fixtures/valid/bindings.json"),
    include_str!("../../tests/fixtures/valid/constraints.json"),
    include_str!("../../tests/fixtures/valid/mixins.json"),
    include_str!("../../tests/fixtures/valid/union.json"),
    include_str!("../../tests/fixtures/valid/routing.json"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode % 2 == 0 {
        // Any text.
        match std::str::from_utf8(rest) {
            Ok(t) => t.to_owned(),
            Err(_) => return,
        }
    } else {
        let models = models();
        mutate(&models[usize::from(mode / 2) % models.len()], rest)
    };
    if let Err(diagnostics) = smithy_codegen::load(&text, "fuzz.json") {
        assert!(!diagnostics.items.is_empty());
        for d in &diagnostics.items {
            assert!(d.line.is_some() || d.shape.is_some(), "no location: {d:?}");
            assert!(!d.message.is_empty());
        }
    }
});

/// The fixtures, parsed once: each execution clones one (a clone costs a
/// fraction of a parse, and the parse of the fixture is no part of what is
/// tested; the mutated model is still written out and loaded as text).
fn models() -> &'static [Value] {
    static MODELS: OnceLock<Vec<Value>> = OnceLock::new();
    MODELS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|s| serde_json::from_str(s).expect("fixtures are JSON"))
            .collect()
    })
}

/// `model`, changed by `ops`: each op is 3 bytes, (what, where, with),
/// applied to the node found by walking `where` down the tree.
fn mutate(model: &Value, ops: &[u8]) -> String {
    let mut model = model.clone();
    for op in ops.chunks(3) {
        let [what, at, with] = [op[0], *op.get(1).unwrap_or(&0), *op.get(2).unwrap_or(&0)];
        let node = walk(&mut model, at);
        apply(node, what, with);
    }
    serde_json::to_string(&model).expect("JSON values serialize")
}

/// A node chosen by `at`: down `at % 4` levels, picking children by `at`.
fn walk(mut node: &mut Value, at: u8) -> &mut Value {
    let mut pick = usize::from(at);
    for _ in 0..(1 + at % 5) {
        let len = match &*node {
            Value::Object(m) => m.len(),
            Value::Array(a) => a.len(),
            _ => 0,
        };
        if len == 0 {
            break;
        }
        let i = pick % len;
        pick = pick / len + 7;
        node = match node {
            Value::Object(m) => m.values_mut().nth(i).expect("in range"),
            Value::Array(a) => &mut a[i],
            _ => unreachable!("has children"),
        };
    }
    node
}

const STRINGS: &[&str] = &[
    "",
    "smithy.api#String",
    "smithy.api#Unit",
    "com.amazonaws.pcaconnectorscep#Connector",
    "com.amazonaws.pcaconnectorscep#NoSuchShape",
    "structure",
    "union",
    "enum",
    "operation",
    "/connectors/{ConnectorArn}",
    "/{x+}/{y}",
    "^[a-z]+(?<!x)\\1$",
    "GET",
    "1.0",
    "\u{0}\r\n\t",
];

fn apply(node: &mut Value, what: u8, with: u8) {
    let s = STRINGS[usize::from(with) % STRINGS.len()];
    match what % 8 {
        0 => *node = Value::String(s.to_owned()),
        1 => *node = Value::from(i64::from(with) - 128),
        2 => *node = Value::Null,
        3 => *node = Value::Bool(with % 2 == 0),
        4 => *node = serde_json::json!({ s: {} }),
        5 => *node = serde_json::json!([s]),
        6 => {
            if let Value::Object(m) = node {
                let key = m.keys().nth(usize::from(with) % m.len().max(1)).cloned();
                if let Some(key) = key {
                    m.remove(&key);
                }
            }
        }
        _ => {
            if let Value::Object(m) = node {
                m.insert(s.to_owned(), Value::String(s.to_owned()));
            }
        }
    }
}
