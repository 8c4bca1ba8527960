//! Just enough XML to read STS's answers: the text of an element found by
//! its path of names. Strict: a document with a DTD, processing
//! instructions past the declaration, CDATA, comments or an unknown entity
//! is refused rather than guessed at, and an element asked for must occur
//! once, hold text only, and carry no attributes.

/// Why the document could not be read; never quotes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct XmlError(pub(crate) String);

/// The body of the element reached by `path` (each name inside the
/// previous one), markup included.
pub(crate) fn element<'a>(doc: &'a str, path: &[&str]) -> Result<&'a str, XmlError> {
    check_document(doc)?;
    let mut scope = doc;
    for name in path {
        scope = child(scope, name)?;
    }
    Ok(scope)
}

/// The text of the element reached by `path`, its entities decoded.
pub(crate) fn text(doc: &str, path: &[&str]) -> Result<String, XmlError> {
    let body = element(doc, path)?;
    if body.contains('<') {
        return Err(XmlError(format!(
            "<{}> holds markup, not text",
            path.last().copied().unwrap_or_default()
        )));
    }
    unescape(body)
}

fn check_document(doc: &str) -> Result<(), XmlError> {
    let rest = doc.trim_start();
    let rest = match rest.strip_prefix("<?xml") {
        Some(rest) => match rest.find("?>") {
            Some(end) => &rest[end + 2..],
            None => return Err(XmlError("an unterminated XML declaration".to_owned())),
        },
        None => rest,
    };
    if rest.contains("<!") || rest.contains("<?") {
        return Err(XmlError(
            "declarations, comments, CDATA or processing instructions".to_owned(),
        ));
    }
    Ok(())
}

/// The body of the one element `name` in `scope`.
fn child<'a>(scope: &'a str, name: &str) -> Result<&'a str, XmlError> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut found = None;
    let mut at = 0;
    while let Some(i) = scope[at..].find(&open) {
        let start = at + i + open.len();
        let rest = &scope[start..];
        // `<NameOther>` is another element.
        let Some(after) = rest.chars().next() else {
            break;
        };
        if after != '>' && after != ' ' && after != '/' && !after.is_ascii_whitespace() {
            at = start;
            continue;
        }
        if found.is_some() {
            return Err(XmlError(format!("<{name}> occurs more than once")));
        }
        let end_of_tag = rest
            .find('>')
            .ok_or_else(|| XmlError(format!("<{name}> is not closed")))?;
        let tag = &rest[..end_of_tag];
        let body_start = start + end_of_tag + 1;
        if tag.ends_with('/') {
            // `<Name/>` or `<Name attr="x"/>`: empty.
            found = Some(&scope[body_start..body_start]);
            at = body_start;
            continue;
        }
        let body_end = scope[body_start..]
            .find(&close)
            .map(|j| body_start + j)
            .ok_or_else(|| XmlError(format!("<{name}> has no </{name}>")))?;
        let body = &scope[body_start..body_end];
        if body.contains(&open) {
            return Err(XmlError(format!("<{name}> is nested in itself")));
        }
        found = Some(body);
        at = body_end + close.len();
    }
    found.ok_or_else(|| XmlError(format!("no <{name}>")))
}

fn unescape(text: &str) -> Result<String, XmlError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .filter(|&e| e <= 10)
            .ok_or_else(|| XmlError("an unterminated entity".to_owned()))?;
        let entity = &after[..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| XmlError("an unknown entity".to_owned()))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>x</SourceIdentity>
    <Credentials>
      <AccessKeyId>ASIA1</AccessKeyId>
      <SecretAccessKey>a&amp;b&#x2F;c&#61;</SecretAccessKey>
      <SessionToken>tok</SessionToken>
      <Expiration>2027-01-15T08:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser><Arn>arn</Arn><AssumedRoleId>id</AssumedRoleId></AssumedRoleUser>
    <Empty/>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;

    #[test]
    fn paths_and_entities() {
        let creds = ["AssumeRoleResponse", "AssumeRoleResult", "Credentials"];
        let at = |leaf: &str| {
            let mut p = creds.to_vec();
            p.push(leaf);
            text(DOC, &p)
        };
        assert_eq!(at("AccessKeyId").unwrap(), "ASIA1");
        assert_eq!(at("SecretAccessKey").unwrap(), "a&b/c=");
        assert_eq!(at("Expiration").unwrap(), "2027-01-15T08:00:00Z");
        assert_eq!(
            at("Missing").unwrap_err(),
            XmlError("no <Missing>".to_owned())
        );
        assert_eq!(
            text(DOC, &["AssumeRoleResponse", "AssumeRoleResult", "Empty"]).unwrap(),
            ""
        );
        // `<AssumedRoleUser>` is not `<AssumedRoleId>`'s prefix match.
        assert_eq!(
            text(
                DOC,
                &[
                    "AssumeRoleResponse",
                    "AssumeRoleResult",
                    "AssumedRoleUser",
                    "Arn"
                ]
            )
            .unwrap(),
            "arn"
        );
        assert!(
            text(
                DOC,
                &["AssumeRoleResponse", "AssumeRoleResult", "Credentials"]
            )
            .is_err()
        );
    }

    #[test]
    fn strictness() {
        for doc in [
            "<!DOCTYPE x [<!ENTITY e \"boom\">]><A>&e;</A>",
            "<A><![CDATA[x]]></A>",
            "<A><!-- c --></A>",
            "<A>&bogus;</A>",
            "<A>&amp</A>",
            "<A>1</A><A>2</A>",
            "<A><A>1</A></A>",
            "<A>open",
            "<A",
        ] {
            assert!(text(doc, &["A"]).is_err(), "{doc}");
        }
        assert_eq!(text("<A> x &lt; y </A>", &["A"]).unwrap(), "x < y");
        assert_eq!(text("<A\n>1</A>", &["A"]).unwrap(), "1");
    }
}
