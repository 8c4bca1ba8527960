//! How long the generator takes on the project's model: parse only, load
//! (parse + resolve + validate), and the whole pipeline including emit and
//! formatting; and emit again with the render cache of an earlier run (what
//! `cargo xtask regenerate` does when few items changed). Run with
//! `cargo bench -p smithy-codegen`.

use smithy_codegen::{Options, emit, generate, load, parse};

const MODEL: &str = include_str!("../../model/pca-connector-scep.json");

fn options() -> Options {
    Options {
        crate_name: None,
        runtime: smithy_codegen::RuntimeDependency::Path("../runtime".into()),
        standalone: false,
    }
}

fn main() {
    divan::main();
}

#[divan::bench]
fn parse_ast() -> smithy_codegen::ast::Model {
    parse(divan::black_box(MODEL), "model.json").unwrap()
}

#[divan::bench]
fn load_and_validate() -> smithy_codegen::ir::Model {
    load(divan::black_box(MODEL), "model.json").unwrap()
}

#[divan::bench]
fn emit_only(bencher: divan::Bencher) {
    let model = load(MODEL, "model.json").unwrap();
    let options = options();
    bencher.bench_local(|| emit::emit(divan::black_box(&model), &options));
}

#[divan::bench]
fn emit_with_warm_cache(bencher: divan::Bencher) {
    let model = load(MODEL, "model.json").unwrap();
    let options = options();
    let first = emit::RenderCache::new();
    emit::emit_cached(&model, &options, &first);
    let saved = first.save().expect("a first run renders items");
    bencher
        .with_inputs(|| emit::RenderCache::load(saved.clone()))
        .bench_local_values(|cache| emit::emit_cached(divan::black_box(&model), &options, &cache));
}

#[divan::bench]
fn whole_pipeline() -> smithy_codegen::Files {
    generate(divan::black_box(MODEL), "model.json", &options()).unwrap()
}
