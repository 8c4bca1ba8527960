//! Shared helpers for the workspace's integration tests (in `tests/tests/`).
//!
//! The compile-fail examples below prove that a required member cannot be
//! left out of a generated input: `new` takes every required member, and
//! `#[non_exhaustive]` rules out struct literals outside the crate.
//!
//! ```compile_fail
//! // CreateConnector needs its CertificateAuthorityArn.
//! let _ = pca_connector_scep::input::CreateConnectorRequest::new();
//! ```
//!
//! ```compile_fail
//! let _ = pca_connector_scep::input::GetConnectorRequest { connector_arn: "arn".into() };
//! ```
//!
//! ```
//! let r = pca_connector_scep::input::CreateConnectorRequest::new("arn:aws:acm-pca:...");
//! assert_eq!(r.certificate_authority_arn, "arn:aws:acm-pca:...");
//! assert!(r.client_token.is_none());
//! ```

use smithy_codegen::{Files, Options};
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// Options for an in-workspace crate (as `cargo xtask regenerate` uses).
pub fn workspace_options() -> Options {
    Options {
        crate_name: None,
        runtime_path: "../runtime".into(),
        standalone: false,
    }
}

/// Generates the crate for the model at `path` (relative to the root),
/// panicking with the diagnostics when the model is invalid.
pub fn generate(path: &str, options: &Options) -> Files {
    let src = std::fs::read_to_string(root().join(path)).expect("model readable");
    smithy_codegen::generate(&src, path, options).unwrap_or_else(|d| panic!("{d}"))
}

/// Model files in a directory below the root, sorted.
pub fn models_in(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| format!("{dir}/{}", p.file_name().expect("file").to_string_lossy()))
        .collect();
    out.sort();
    out
}
