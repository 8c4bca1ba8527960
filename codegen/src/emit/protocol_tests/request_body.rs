//! The restJson1 body a client sends for a request case's `params`, for the
//! cases that leave the body out: a compressed request's bytes are not
//! deterministic, so its case gives the `params` and the `Content-Encoding`
//! only. The test sends this body, compressed as the case says.

use crate::ir::{Binding, Member, Model, ShapeId, ShapeKind, Simple, TimestampFormat};
use base64::Engine as _;
use serde_json::{Map, Value};

/// The JSON body of `params` (the `params` form: member names as keys,
/// timestamps in epoch seconds, blobs as their text) for the input
/// structure `input`: its body-bound members by their JSON names. `None`
/// when a value has no wire form here (a timestamp in a text format).
pub(super) fn json_body(model: &Model, input: &ShapeId, params: &Value) -> Option<String> {
    let ShapeKind::Structure(st) = &model.shape(input).kind else {
        return None;
    };
    let body: Vec<&Member> = st
        .members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    Some(object(model, &body, params)?.to_string())
}

fn object(model: &Model, members: &[&Member], v: &Value) -> Option<Value> {
    let given = v.as_object()?;
    let mut out = Map::new();
    for m in members {
        if let Some(x) = given.get(&m.name) {
            out.insert(
                m.json_name.clone(),
                wire(model, &m.target, m.timestamp_format, x)?,
            );
        }
    }
    Some(Value::Object(out))
}

fn wire(
    model: &Model,
    target: &ShapeId,
    format: Option<TimestampFormat>,
    v: &Value,
) -> Option<Value> {
    let shape = model.shape(target);
    if v.is_null() {
        return Some(Value::Null);
    }
    match &shape.kind {
        ShapeKind::Simple(Simple::Blob) => Some(Value::String(
            base64::engine::general_purpose::STANDARD.encode(v.as_str()?),
        )),
        ShapeKind::Simple(Simple::Timestamp) => match format.or(shape.timestamp_format) {
            None | Some(TimestampFormat::EpochSeconds) => Some(v.clone()),
            Some(_) => None,
        },
        ShapeKind::Structure(st) => object(model, &st.members.iter().collect::<Vec<_>>(), v),
        ShapeKind::Union(u) => object(model, &u.members.iter().collect::<Vec<_>>(), v),
        ShapeKind::List(l) => v
            .as_array()?
            .iter()
            .map(|x| wire(model, &l.member.target, l.member.timestamp_format, x))
            .collect::<Option<Vec<_>>>()
            .map(Value::Array),
        ShapeKind::Map(m) => v
            .as_object()?
            .iter()
            .map(|(k, x)| {
                Some((
                    k.clone(),
                    wire(model, &m.value.target, m.value.timestamp_format, x)?,
                ))
            })
            .collect::<Option<Map<_, _>>>()
            .map(Value::Object),
        _ => Some(v.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_members_by_json_name_blobs_in_base64() {
        let model = crate::load(
            r#"{"smithy":"2.0","shapes":{
              "a#In":{"type":"structure","members":{
                "h":{"target":"smithy.api#String","traits":{"smithy.api#httpHeader":"X-H"}},
                "data":{"target":"smithy.api#String","traits":{"smithy.api#jsonName":"Data"}},
                "b":{"target":"smithy.api#Blob"},
                "l":{"target":"a#L"}}},
              "a#L":{"type":"list","member":{"target":"smithy.api#Timestamp"}}}}"#,
            "request_body.json",
        )
        .expect("loads");
        let params = serde_json::json!({"h": "x", "data": "d", "b": "hi", "l": [1, 2]});
        let body = json_body(&model, &ShapeId::parse("a#In").unwrap(), &params).unwrap();
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"Data": "d", "b": "aGk=", "l": [1, 2]})
        );
    }
}
