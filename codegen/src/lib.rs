//! A Rust code generator for Smithy 2.0 models in JSON AST form.
//!
//! The pipeline has three layers, each with its own types:
//!
//! 1. [`ast`]: a lossless serde mirror of the JSON AST ([`parse`]).
//! 2. [`ir`]: the resolved, validated model ([`load`]). Lowering checks the
//!    whole model and reports every problem at once, with the shape ID,
//!    member and line of each.
//! 3. [`emit`]: Rust source files from the IR, built with `quote!` and
//!    formatted by prettyplease ([`generate`]).
//!
//! Nothing here is specific to one service.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ast;
pub mod diagnostics;
pub mod diff;
mod docs;
pub mod ecma_regex;
pub mod emit;
pub mod ir;
mod lower;
pub mod naming;
pub mod output;
mod source_map;
mod traits;
pub mod transform;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{Files, Options, RuntimeDependency};
pub use lower::{load, load_with, lower, parse};
pub use transform::Selection;

/// Loads, validates and emits in one step. Returns the files of the crate,
/// or every problem found in the model.
pub fn generate(src: &str, file: &str, options: &Options) -> Result<Files, Diagnostics> {
    generate_with(src, file, &Selection::default(), options)
}

/// [`generate`] for the service `selection` names, in a model with several.
pub fn generate_with(
    src: &str,
    file: &str,
    selection: &Selection,
    options: &Options,
) -> Result<Files, Diagnostics> {
    let model = load_with(src, file, selection)?;
    Ok(emit::emit(&model, options))
}

/// Converts Smithy documentation (HTML or Markdown) to rustdoc Markdown.
pub fn markdown(doc: &str) -> Option<String> {
    docs::to_markdown(doc)
}
