//! The generator's render cache (`smithy_codegen::emit::RenderCache`)
//! kept between runs of `regenerate`.
//!
//! Formatting items is most of what emitting costs, and an edit to the
//! model changes few of them. The formatted items of the last run are kept
//! beside the xtask binary, under the binary's fingerprint: a rebuilt
//! generator (new emitters, or another syn or prettyplease) starts from an
//! empty cache. A cache that is missing, unreadable or from another build
//! only costs time; the files written are the same either way.

use crate::stamp;
use smithy_codegen::emit::RenderCache;
use std::path::PathBuf;

pub(crate) struct StoredCache {
    path: Option<PathBuf>,
    binary: Option<u64>,
}

impl StoredCache {
    /// The cache named `name` and what it holds for this binary.
    pub(crate) fn open(name: &str) -> (Self, RenderCache) {
        let stored = Self {
            path: stamp::beside_binary(&format!(".{name}.render-cache")),
            binary: stamp::binary(),
        };
        let cache = stored
            .read()
            .map_or_else(RenderCache::new, RenderCache::load);
        (stored, cache)
    }

    fn read(&self) -> Option<Vec<u8>> {
        let mut bytes = std::fs::read(self.path.as_ref()?).ok()?;
        let eol = bytes.iter().position(|&b| b == b'\n')?;
        let key: u64 = std::str::from_utf8(&bytes[..eol]).ok()?.parse().ok()?;
        if Some(key) != self.binary {
            return None;
        }
        bytes.drain(..=eol);
        Some(bytes)
    }

    /// Keeps what `cache` rendered or reused for the next run, when that
    /// differs from what was loaded. Written to a temporary file and
    /// renamed, so an interrupted run leaves the old cache or the new one.
    pub(crate) fn store(&self, cache: &RenderCache) {
        let (Some(path), Some(binary), Some(bytes)) = (&self.path, self.binary, cache.save())
        else {
            return;
        };
        let mut contents = format!("{binary}\n").into_bytes();
        contents.extend_from_slice(&bytes);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, contents).is_err() || std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smithy_codegen::emit::{self, Options};

    const MODEL: &str = r#"{
        "smithy": "2.0",
        "shapes": {
            "example#Point": {
                "type": "structure",
                "members": { "x": { "target": "smithy.api#Integer" } }
            },
            "example#Name": { "type": "string" }
        }
    }"#;

    fn generate(cache: &RenderCache) -> smithy_codegen::Files {
        let model = smithy_codegen::load(MODEL, "model.json").unwrap();
        let options = Options {
            crate_name: None,
            runtime: smithy_codegen::RuntimeDependency::Path("../runtime".into()),
            standalone: false,
        };
        emit::emit_cached(&model, &options, cache)
    }

    fn stored(path: &std::path::Path, binary: u64) -> StoredCache {
        StoredCache {
            path: Some(path.to_path_buf()),
            binary: Some(binary),
        }
    }

    #[test]
    fn a_stored_cache_serves_the_same_binary_only() {
        let path = std::env::temp_dir().join(format!("xtask-render-cache-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let first = stored(&path, 1);
        let cache = first
            .read()
            .map_or_else(RenderCache::new, RenderCache::load);
        let files = generate(&cache);
        assert!(cache.misses() > 0);
        first.store(&cache);

        // The same binary: every item comes from the cache, same files.
        let again = RenderCache::load(first.read().expect("stored"));
        assert_eq!(generate(&again), files);
        assert_eq!(again.misses(), 0);

        // Another binary (a rebuilt generator) starts from nothing.
        assert!(stored(&path, 2).read().is_none());

        // A damaged file is no cache, and the files are still the same.
        std::fs::write(&path, "1\nsmithy-codegen render cache 2\n9 9\nshort").unwrap();
        let damaged = RenderCache::load(first.read().expect("key matches"));
        assert_eq!(generate(&damaged), files);
        assert_eq!(damaged.misses(), cache.misses());
        std::fs::remove_file(&path).unwrap();
    }
}
