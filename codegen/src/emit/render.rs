//! Token streams to formatted source text, with a cache of earlier runs.
//!
//! Parsing a token stream with syn and printing it with prettyplease is
//! most of what emitting costs. A file is rendered one item at a time:
//! prettyplease prints every item of a file on its own lines, with nothing
//! between items, so a file's text is the concatenation of its items'
//! texts. An item whose tokens were rendered before (by an earlier run that
//! saved its [`RenderCache`]) is not parsed or printed again; a model edit
//! re-renders only the items it changed.
//!
//! The cache maps an item's token text to its formatted text, compared in
//! full, never by hash. It is only valid for the syn and prettyplease that
//! filled it; whoever stores it between runs must drop it when the
//! generator changes (`cargo xtask regenerate` keys it on its binary).

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::HashMap;
use std::sync::Mutex;

/// Formatted items by their token text: the ones loaded from an earlier
/// run, and the ones the current run rendered or reused.
#[derive(Debug, Default)]
pub struct RenderCache {
    earlier: HashMap<String, String>,
    used: Mutex<Used>,
}

#[derive(Debug, Default)]
struct Used {
    entries: Vec<(String, String)>,
    /// Items that were not in `earlier`.
    misses: usize,
}

/// The first line of a saved cache; a different line means another format.
const MAGIC: &[u8] = b"smithy-codegen render cache 1\n";

impl RenderCache {
    /// An empty cache: everything is rendered.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache saved by [`RenderCache::save`]. Bytes in any other form give
    /// an empty cache: a cache that cannot be read costs time, not
    /// correctness.
    pub fn load(bytes: &[u8]) -> Self {
        Self {
            earlier: parse_saved(bytes).unwrap_or_default(),
            used: Mutex::default(),
        }
    }

    /// The items this run rendered or reused (the ones a later run of the
    /// same generation needs), in the form [`RenderCache::load`] reads, or
    /// `None` when that is exactly what was loaded (nothing to write).
    pub fn save(&self) -> Option<Vec<u8>> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if used.misses == 0 && used.entries.len() == self.earlier.len() {
            return None;
        }
        let mut entries: Vec<&(String, String)> = used.entries.iter().collect();
        entries.sort();
        entries.dedup();
        let mut out = MAGIC.to_vec();
        for (tokens, text) in entries {
            out.extend_from_slice(format!("{} {}\n", tokens.len(), text.len()).as_bytes());
            out.extend_from_slice(tokens.as_bytes());
            out.extend_from_slice(text.as_bytes());
        }
        Some(out)
    }

    /// How many items this run had to render (not found in the cache).
    pub fn misses(&self) -> usize {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).misses
    }

    /// Records what a file's items rendered to (`hit`: found in the cache).
    fn record(&self, items: Vec<(String, String, bool)>) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for (tokens, text, hit) in items {
            used.misses += usize::from(!hit);
            used.entries.push((tokens, text));
        }
    }
}

fn parse_saved(bytes: &[u8]) -> Option<HashMap<String, String>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut map = HashMap::new();
    while !rest.is_empty() {
        let eol = rest.iter().position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&rest[..eol]).ok()?;
        let (k, v) = line.split_once(' ')?;
        let (k, v): (usize, usize) = (k.parse().ok()?, v.parse().ok()?);
        rest = &rest[eol + 1..];
        let end = k.checked_add(v).filter(|&end| end <= rest.len())?;
        let tokens = std::str::from_utf8(&rest[..k]).ok()?;
        let text = std::str::from_utf8(&rest[k..end]).ok()?;
        map.insert(tokens.to_owned(), text.to_owned());
        rest = &rest[end..];
    }
    Some(map)
}

/// Formats a file: the header line, then the file's items.
pub(crate) fn render(tokens: TokenStream, cache: &RenderCache) -> String {
    let mut out = format!("// {}\n", super::HEADER);
    let items = split_items(tokens);
    let mut rendered = Vec::with_capacity(items.len());
    for item in &items {
        let key = item.to_string();
        let (text, hit) = match cache.earlier.get(&key) {
            Some(text) => (text.clone(), true),
            None => match format_file(item.clone()) {
                Some(text) => (text, false),
                // A piece that does not parse alone is a split this module
                // got wrong: the file is rendered whole, and none of its
                // pieces is cached.
                None => {
                    let whole = format_file(items.into_iter().collect())
                        .expect("generated tokens always parse as a file");
                    out.push_str(&whole);
                    return out;
                }
            },
        };
        out.push_str(&text);
        rendered.push((key, text, hit));
    }
    cache.record(rendered);
    out
}

/// The file rendered in one piece, as the cache-less generator did.
#[cfg(test)]
pub(crate) fn render_whole(tokens: TokenStream) -> String {
    let text = format_file(tokens).expect("generated tokens always parse as a file");
    format!("// {}\n{text}", super::HEADER)
}

/// prettyplease's text of `tokens` parsed as a file, or `None` when they
/// do not parse as one.
fn format_file(tokens: TokenStream) -> Option<String> {
    let file: syn::File = syn::parse2(tokens).ok()?;
    Some(prettyplease::unparse(&file))
}

/// Splits a file's tokens into its items, each with its attributes (the
/// file's inner attributes go with the first item). An item ends at a `;`
/// or at a `{ … }` group that is not followed by `;` (`static X: T = T {
/// … };` goes on to its `;`). A split this gets wrong shows up as a piece
/// that does not parse, and [`render`] then renders the file whole.
fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        let ends = match &tt {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        current.push(tt);
        if ends {
            items.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn file() -> TokenStream {
        quote! {
            #![doc = " A module."]
            #![allow(dead_code)]
            /// A structure.
            #[derive(Debug)]
            pub struct A { pub x: u8 }
            pub struct B(u8);
            static T: A = A { x: 1 };
            const N: [u8; 2] = [1, 2];
            impl A { pub fn get(&self) -> u8 { if self.x > 0 { 1 } else { 0 } } }
            const _: () = { let _ = 1; };
            pub enum E { One, Two }
            macro_rules! m { () => {}; }
            m!();
            pub fn f<const K: usize>() -> [u8; K] { [0; K] }
        }
    }

    #[test]
    fn items_render_as_the_whole_file_does() {
        let whole = render_whole(file());
        let cache = RenderCache::new();
        assert_eq!(render(file(), &cache), whole);
        assert_eq!(cache.misses(), 10, "one piece per item");
    }

    #[test]
    fn a_wrong_split_falls_back_to_the_whole_file() {
        // A const generic argument in braces ends a piece too early.
        let tokens = quote! { impl Tr<{ 1 }> for S {} pub struct S; };
        let whole = render_whole(tokens.clone());
        let cache = RenderCache::new();
        assert_eq!(render(tokens, &cache), whole);
        assert_eq!(cache.misses(), 0, "no piece recorded");
        assert_eq!(cache.save(), None, "nothing cached from a bad split");
    }

    #[test]
    fn a_saved_cache_renders_nothing_again() {
        let first = RenderCache::new();
        let text = render(file(), &first);
        let saved = first.save().expect("new items to save");

        let second = RenderCache::load(&saved);
        assert_eq!(render(file(), &second), text);
        assert_eq!(second.misses(), 0);
        assert_eq!(second.save(), None, "nothing new to write");

        // A changed item is rendered again; the others come from the cache.
        let edited = quote! { pub struct B(u16); };
        let mut tokens = file();
        tokens.extend(edited);
        let third = RenderCache::load(&saved);
        assert!(render(tokens, &third).ends_with("pub struct B(u16);\n"));
        assert_eq!(third.misses(), 1);
    }

    #[test]
    fn a_cached_text_is_used_only_for_the_same_tokens() {
        let first = RenderCache::new();
        render(quote! { pub struct A; }, &first);
        let mut saved = first.save().unwrap();
        // Tamper with the stored text: the same tokens get it back, which
        // shows the cache is what answered, while other tokens do not.
        let at = saved.len() - "pub struct A;\n".len();
        saved.splice(at.., b"pub struct Z;\n".iter().copied());
        let cache = RenderCache::load(&saved);
        assert!(render(quote! { pub struct A; }, &cache).ends_with("pub struct Z;\n"));
        assert!(render(quote! { pub struct A2; }, &cache).ends_with("pub struct A2;\n"));
    }

    #[test]
    fn unreadable_bytes_give_an_empty_cache() {
        for bytes in [
            &b""[..],
            b"not a cache",
            b"smithy-codegen render cache 1\n5 5\nabc",
            b"smithy-codegen render cache 1\nx y\n",
            b"smithy-codegen render cache 1\n18446744073709551615 2\nab",
        ] {
            let cache = RenderCache::load(bytes);
            assert!(cache.earlier.is_empty(), "{bytes:?}");
        }
    }
}
