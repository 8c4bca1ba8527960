//! Smithy `documentation` (CommonMark with embedded HTML, in practice mostly
//! HTML) to rustdoc Markdown.
//!
//! Handles the tags AWS models use: `p`, `br`, `code`, `pre`, `a`, `ul`,
//! `ol`, `li`, `b`/`strong`, `i`/`em`, `note`, `important`, and ignores the
//! rest while keeping their text. Text is escaped so that rustdoc renders it
//! literally and lints nothing: brackets don't become intra-doc links, `<`
//! doesn't open an HTML tag, and bare URLs become autolinks. Code blocks are
//! fenced as `text`, so rustdoc never compiles them as doctests.

/// Converts documentation to Markdown. Returns `None` for blank input.
pub fn to_markdown(doc: &str) -> Option<String> {
    let doc = &*plain_lines(doc);
    // Text of HTML documentation is plain text, so Markdown syntax in it is
    // escaped; documentation without tags is already Markdown and keeps its
    // emphasis and code spans.
    let mut w = Writer {
        html: has_tags(doc),
        ..Writer::default()
    };
    let mut rest = doc;
    while let Some(lt) = rest.find('<') {
        w.text(&rest[..lt]);
        rest = &rest[lt..];
        match rest.find('>') {
            Some(gt) if is_tag(&rest[1..gt]) => {
                w.tag(&rest[1..gt]);
                rest = &rest[gt + 1..];
            }
            _ => {
                w.text("<");
                rest = &rest[1..];
            }
        }
    }
    w.text(rest);
    let out = w.finish();
    (!out.is_empty()).then_some(out)
}

/// `text` with only line feeds for line ends and no other control
/// characters, so that it can be a doc comment: `\r\n` and a lone `\r`
/// (which rustc refuses in a doc comment) become `\n`, a tab becomes four
/// spaces (clippy's `tabs_in_doc_comments`), and other control characters
/// are dropped. Borrows when there is nothing to change.
pub(crate) fn plain_lines(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\t' => out.push_str("    "),
            '\n' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` with its control characters written as escapes (`\n`, `\r`,
/// `\t`, `\u{1b}`), for text quoted verbatim in a doc comment, such as a
/// pattern's source.
pub(crate) fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn has_tags(doc: &str) -> bool {
    let mut rest = doc;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if rest.find('>').is_some_and(|gt| is_tag(&rest[..gt])) {
            return true;
        }
    }
    false
}

fn is_tag(inner: &str) -> bool {
    let name = inner.trim_start_matches('/');
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !inner.contains('<')
        && name
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Text of the current line not yet flushed.
    line: String,
    /// Open `a` tags' hrefs.
    links: Vec<Option<String>>,
    /// Open lists: `None` for `ul`, `Some(n)` for the next `ol` number.
    lists: Vec<Option<u32>>,
    code: usize,
    pre: bool,
    html: bool,
}

impl Writer {
    fn text(&mut self, raw: &str) {
        let text = decode_entities(raw);
        if self.pre {
            self.line.push_str(&text);
            return;
        }
        let mut first = true;
        for word in text.split(|c: char| c.is_whitespace()) {
            if !first && !self.line.ends_with(' ') && !self.line.is_empty() {
                self.line.push(' ');
            }
            first = false;
            if word.is_empty() {
                continue;
            }
            if self.code > 0 {
                self.line.push_str(&word.replace('`', "'"));
            } else if (word.starts_with("http://") || word.starts_with("https://"))
                && self.links.is_empty()
            {
                let url = word.trim_end_matches(['.', ',', ')', ';']);
                self.line.push('<');
                self.line.push_str(url);
                self.line.push('>');
                self.line.push_str(&word[url.len()..]);
            } else {
                for c in word.chars() {
                    // Brackets and angle brackets would be read by rustdoc as
                    // links and HTML, and linted, in either mode.
                    let always = matches!(c, '[' | ']' | '<' | '>');
                    let markdown = matches!(c, '\\' | '`' | '*' | '_' | '#' | '|');
                    if always || (self.html && markdown) {
                        self.line.push('\\');
                    }
                    self.line.push(c);
                }
            }
        }
    }

    fn tag(&mut self, inner: &str) {
        let closing = inner.starts_with('/');
        let body = inner.trim_start_matches('/').trim_end_matches('/');
        let name = body
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            // Inside a list item a paragraph is just its text.
            ("p" | "div", _) if !self.lists.is_empty() => {}
            ("p" | "div", _) => self.paragraph(),
            ("br", _) => self.newline(),
            ("note" | "important", false) => {
                self.paragraph();
                self.line.push_str(if name == "note" {
                    "**Note:** "
                } else {
                    "**Important:** "
                });
            }
            ("note" | "important", true) => self.paragraph(),
            ("code", false) if !self.pre => {
                self.line.push('`');
                self.code += 1;
            }
            ("code", true) if !self.pre && self.code > 0 => {
                self.code -= 1;
                let trimmed = self.line.trim_end().len();
                self.line.truncate(trimmed);
                if self.line.ends_with('`') {
                    self.line.pop(); // empty code span
                } else {
                    self.line.push('`');
                }
            }
            ("pre", false) => {
                self.paragraph();
                self.out.push_str("```text\n");
                self.pre = true;
            }
            ("pre", true) => {
                self.pre = false;
                let block = std::mem::take(&mut self.line);
                self.out.push_str(block.trim_matches('\n'));
                self.out.push_str("\n```\n\n");
            }
            ("b" | "strong", _) => self.line.push_str("**"),
            ("i" | "em", _) => self.line.push('*'),
            ("a", false) => {
                let href = attr(body, "href");
                if href.is_some() {
                    self.line.push('[');
                }
                self.links.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = self.links.pop() {
                    let trimmed = self.line.trim_end().len();
                    self.line.truncate(trimmed);
                    self.line.push_str("](");
                    self.line
                        .push_str(&href.replace(' ', "%20").replace(')', "%29"));
                    self.line.push(')');
                }
            }
            ("ul", false) => {
                self.paragraph();
                self.lists.push(None);
            }
            ("ol", false) => {
                self.paragraph();
                self.lists.push(Some(1));
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.paragraph();
            }
            ("li", false) => {
                self.newline();
                let depth = self.lists.len().saturating_sub(1);
                self.line.push_str(&"  ".repeat(depth));
                match self.lists.last_mut() {
                    Some(Some(n)) => {
                        self.line.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => self.line.push_str("- "),
                }
            }
            ("li", true) => self.newline(),
            _ => {}
        }
    }

    fn newline(&mut self) {
        let line = std::mem::take(&mut self.line);
        let line = line.trim_end();
        if !line.trim().is_empty() {
            self.out.push_str(line);
            self.out.push('\n');
        }
    }

    fn paragraph(&mut self) {
        if self.line.ends_with(":** ") && self.line.starts_with("**") {
            return; // a note's label runs into its first paragraph
        }
        self.newline();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn finish(mut self) -> String {
        if self.pre {
            self.out.push_str(self.line.trim_matches('\n'));
            self.out.push_str("\n```\n");
            self.line.clear();
        }
        self.newline();
        // List items in markdown keep their own leading spaces; everything
        // else starts flush.
        self.out.trim().to_owned()
    }
}

/// The value of attribute `name` in a tag body like `a href="x"`.
fn attr(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("{name}="))? + name.len() + 1;
    let rest = &body[at..];
    let (quote, rest) = match rest.chars().next()? {
        q @ ('"' | '\'') => (q, &rest[1..]),
        _ => (' ', rest),
    };
    let end = rest.find(quote).unwrap_or(rest.len());
    Some(decode_entities(&rest[..end])).filter(|s| !s.is_empty())
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{escape_controls, plain_lines, to_markdown};

    fn md(s: &str) -> String {
        to_markdown(s).unwrap_or_default()
    }

    #[test]
    fn line_ends_and_control_characters_become_doc_comment_text() {
        assert_eq!(plain_lines("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(plain_lines("\tx\u{7}y\u{85}"), "    xy");
        assert!(matches!(
            plain_lines("plain\ntext"),
            std::borrow::Cow::Borrowed(_)
        ));
        let md = to_markdown("First line.\rSecond line.\r\n\tThird.").unwrap();
        assert!(!md.contains(['\r', '\t']), "{md:?}");
        assert!(md.contains("Second line."), "{md:?}");
        assert_eq!(
            escape_controls("^[^\r\n\t]+\u{1b}$"),
            "^[^\\r\\n\\t]+\\u{1b}$"
        );
        assert_eq!(escape_controls("^a$"), "^a$");
    }

    #[test]
    fn paragraphs_and_inline() {
        assert_eq!(
            md("<p>Creates a <code>Connector</code>.</p><p>See <b>this</b>.</p>"),
            "Creates a `Connector`.\n\nSee **this**."
        );
    }

    #[test]
    fn links_lists_and_escapes() {
        assert_eq!(
            md(
                r#"<p>See <a href="https://x.test/a b">the guide</a>:</p><ul><li><p>one [a]</p></li><li>two &lt;b&gt;</li></ul>"#
            ),
            "See [the guide](https://x.test/a%20b):\n\n- one \\[a\\]\n- two \\<b\\>"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            md("Go to https://example.com/x."),
            "Go to <https://example.com/x>."
        );
    }

    #[test]
    fn plain_text_and_blank() {
        assert_eq!(md("  just   text\n more "), "just text more");
        assert_eq!(
            md("Markdown `code`, *em* and [x]"),
            "Markdown `code`, *em* and \\[x\\]"
        );
        assert_eq!(
            md("<p>HTML `text`, *star*</p>"),
            "HTML \\`text\\`, \\*star\\*"
        );
        assert_eq!(to_markdown("  <p></p> "), None);
    }

    #[test]
    fn notes_and_pre() {
        assert_eq!(
            md("<note><p>Careful.</p></note><pre>a  b\nc</pre>"),
            "**Note:** Careful.\n\n```text\na  b\nc\n```"
        );
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(md("a < b and c > d"), "a \\< b and c \\> d");
    }
}
