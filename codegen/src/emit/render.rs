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
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;
use std::sync::Mutex;

/// Formatted items by their token text: the ones loaded from an earlier
/// run, and the ones the current run rendered or reused.
#[derive(Debug, Default)]
pub struct RenderCache {
    /// The saved cache as loaded: the items' token texts and formatted
    /// texts, one after the other.
    saved: String,
    /// Where each saved item is in `saved`, by the hash of its token text.
    /// Two items with the same hash keep the first; the other is rendered.
    earlier: HashMap<u64, Saved>,
    hasher: RandomState,
    used: Mutex<Used>,
}

#[derive(Clone, Debug)]
struct Saved {
    tokens: Range<usize>,
    text: Range<usize>,
}

#[derive(Debug, Default)]
struct Used {
    /// Earlier items this run reused.
    reused: Vec<Saved>,
    /// Items this run rendered: token text and formatted text.
    rendered: Vec<(String, String)>,
}

/// The first line of a saved cache; a different line means another format.
const MAGIC: &[u8] = b"smithy-codegen render cache 2\n";

impl RenderCache {
    /// An empty cache: everything is rendered.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache saved by [`RenderCache::save`]. Bytes in any other form give
    /// an empty cache: a cache that cannot be read costs time, not
    /// correctness.
    pub fn load(mut bytes: Vec<u8>) -> Self {
        if !bytes.starts_with(MAGIC) {
            return Self::new();
        }
        bytes.drain(..MAGIC.len());
        let Ok(saved) = String::from_utf8(bytes) else {
            return Self::new();
        };
        let hasher = RandomState::new();
        match index(&saved, &hasher) {
            Some(earlier) => Self {
                saved,
                earlier,
                hasher,
                used: Mutex::default(),
            },
            None => Self::new(),
        }
    }

    /// The items this run rendered or reused (the ones a later run of the
    /// same generation needs), in the form [`RenderCache::load`] reads, or
    /// `None` when that is exactly what was loaded (nothing to write).
    pub fn save(&self) -> Option<Vec<u8>> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut reused: Vec<&Saved> = used.reused.iter().collect();
        reused.sort_by_key(|s| s.tokens.start);
        reused.dedup_by_key(|s| s.tokens.start);
        if used.rendered.is_empty() && reused.len() == self.earlier.len() {
            return None;
        }
        let earlier = reused
            .into_iter()
            .map(|s| (&self.saved[s.tokens.clone()], &self.saved[s.text.clone()]));
        let rendered = used.rendered.iter().map(|(t, x)| (t.as_str(), x.as_str()));
        let mut out = MAGIC.to_vec();
        for (tokens, text) in earlier.chain(rendered) {
            out.extend_from_slice(format!("{} {}\n", tokens.len(), text.len()).as_bytes());
            out.extend_from_slice(tokens.as_bytes());
            out.extend_from_slice(text.as_bytes());
        }
        Some(out)
    }

    /// How many items this run had to render (not found in the cache).
    pub fn misses(&self) -> usize {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.rendered.len()
    }

    /// The saved item whose token text is `tokens`.
    fn lookup(&self, tokens: &str) -> Option<&Saved> {
        self.earlier
            .get(&self.hasher.hash_one(tokens))
            .filter(|s| &self.saved[s.tokens.clone()] == tokens)
    }

    /// Records what a file's items were: reused, or rendered anew.
    fn record(&self, items: Vec<Item>) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for item in items {
            match item {
                Item::Reused(s) => used.reused.push(s),
                Item::Rendered(tokens, text) => used.rendered.push((tokens, text)),
            }
        }
    }
}

/// One item of a file being rendered.
enum Item {
    Reused(Saved),
    Rendered(String, String),
}

/// Where each item of a saved cache is, or `None` if it is damaged.
fn index(saved: &str, hasher: &RandomState) -> Option<HashMap<u64, Saved>> {
    let mut map = HashMap::new();
    let mut at = 0;
    while at < saved.len() {
        let eol = at + saved[at..].find('\n')?;
        let (k, v) = saved[at..eol].split_once(' ')?;
        let (k, v): (usize, usize) = (k.parse().ok()?, v.parse().ok()?);
        let tokens = eol + 1..(eol + 1).checked_add(k)?;
        let text = tokens.end..tokens.end.checked_add(v)?;
        if text.end > saved.len()
            || !saved.is_char_boundary(tokens.end)
            || !saved.is_char_boundary(text.end)
        {
            return None;
        }
        at = text.end;
        let hash = hasher.hash_one(&saved[tokens.clone()]);
        map.entry(hash).or_insert(Saved { tokens, text });
    }
    Some(map)
}

/// Formats a file: the header line, then the file's items.
pub(crate) fn render(tokens: TokenStream, cache: &RenderCache) -> String {
    let mut out = format!("// {}\n", super::HEADER);
    let header = out.len();
    let items = split_items(tokens);
    let mut rendered = Vec::with_capacity(items.len());
    for item in &items {
        let key = item.to_string();
        if let Some(saved) = cache.lookup(&key) {
            out.push_str(&cache.saved[saved.text.clone()]);
            rendered.push(Item::Reused(saved.clone()));
            continue;
        }
        let Some(text) = format_file(item.clone()) else {
            // A piece that does not parse alone is a split this module got
            // wrong: the file is rendered whole, and none of its pieces is
            // cached.
            let whole = format_file(items.into_iter().collect())
                .expect("generated tokens always parse as a file");
            out.truncate(header);
            out.push_str(&whole);
            return out;
        };
        out.push_str(&text);
        rendered.push(Item::Rendered(key, text));
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
        // A const generic argument in braces ends a piece too early, after
        // an item that was already rendered (and, the second time, after
        // one that came from the cache).
        let tokens = quote! { pub struct S; impl Tr<{ 1 }> for S {} pub struct T; };
        let whole = render_whole(tokens.clone());
        let cache = RenderCache::new();
        assert_eq!(render(tokens.clone(), &cache), whole);
        assert_eq!(cache.misses(), 0, "no piece recorded");
        assert_eq!(cache.save(), None, "nothing cached from a bad split");

        let first = RenderCache::new();
        render(quote! { pub struct S; }, &first);
        let cache = RenderCache::load(first.save().unwrap());
        assert_eq!(render(tokens, &cache), whole);
    }

    #[test]
    fn a_saved_cache_renders_nothing_again() {
        let first = RenderCache::new();
        let text = render(file(), &first);
        let saved = first.save().expect("new items to save");

        let second = RenderCache::load(saved.clone());
        assert_eq!(render(file(), &second), text);
        assert_eq!(second.misses(), 0);
        assert_eq!(second.save(), None, "nothing new to write");

        // A changed item is rendered again; the others come from the cache.
        let edited = quote! { pub struct B(u16); };
        let mut tokens = file();
        tokens.extend(edited);
        let third = RenderCache::load(saved);
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
        let cache = RenderCache::load(saved);
        assert!(render(quote! { pub struct A; }, &cache).ends_with("pub struct Z;\n"));
        assert!(render(quote! { pub struct A2; }, &cache).ends_with("pub struct A2;\n"));
    }

    #[test]
    fn a_saved_cache_reads_back_what_was_saved() {
        let first = RenderCache::new();
        render(file(), &first);
        let cache = RenderCache::load(first.save().unwrap());
        assert_eq!(cache.earlier.len(), 10);
        let bytes = b"smithy-codegen render cache 2\n1 2\nabc3 0\nxyz".to_vec();
        let cache = RenderCache::load(bytes);
        assert_eq!(
            cache.lookup("a").map(|s| &cache.saved[s.text.clone()]),
            Some("bc")
        );
        assert_eq!(
            cache.lookup("xyz").map(|s| &cache.saved[s.text.clone()]),
            Some("")
        );
        assert!(cache.lookup("b").is_none());
    }

    #[test]
    fn unreadable_bytes_give_an_empty_cache() {
        for bytes in [
            &b""[..],
            b"not a cache",
            b"smithy-codegen render cache 1\n1 1\nab",
            b"smithy-codegen render cache 2\n5 5\nabc",
            b"smithy-codegen render cache 2\nx y\n",
            b"smithy-codegen render cache 2\n18446744073709551615 2\nab",
            b"smithy-codegen render cache 2\n1 1\na\xff",
            "smithy-codegen render cache 2\n1 1\n\u{e9}b".as_bytes(),
        ] {
            let cache = RenderCache::load(bytes.to_vec());
            assert!(cache.earlier.is_empty(), "{bytes:?}");
        }
    }
}
