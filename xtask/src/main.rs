//! Project automation: `cargo xtask <command>`.
//!
//! - `regenerate`: writes `generated/` from `model/`, and `tests/protocol/`
//!   (the protocol-test services and their compliance tests) from the
//!   shared Smithy protocol tests.
//! - `check`: fails with a unified diff when either is stale.
//! - `generate --model PATH --out DIR [--crate-name NAME] [--service ID]`:
//!   writes a standalone crate for any model (for one of its services).
//! - `diff OLD NEW` or `diff --base REV`: semantic model diff, each change
//!   with a wire verdict and a Rust API (semver) verdict.
//! - `build-time [--dir DIR]`: clean build times of the generated crate
//!   (types-only and with `server`) against the official SDK crate.

mod build_time;
mod render_cache;
mod stamp;

use smithy_codegen::emit::RenderCache;
use smithy_codegen::output::{self, Change};
use smithy_codegen::{Files, Options};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regenerate                     write generated/ from model/pca-connector-scep.json, and
                                 tests/protocol/ from the shared Smithy protocol tests
  check                          exit 1 with a diff when generated/ or tests/protocol/ is stale
  generate --model PATH --out DIR [--crate-name NAME] [--service SHAPE_ID]
                                 write a standalone crate for any Smithy JSON AST model
                                 (--service picks one of several services in the model)
  diff OLD NEW | diff --base REV [--format markdown|json] [--service SHAPE_ID]
       [--fail-on breaking|risky|wire-breaking|rust-breaking]
                                 semantic differences between two models (or between the
                                 project's model at git revision REV and the working tree),
                                 each with a wire verdict (breaking, risky, compatible,
                                 documentation) and a Rust API verdict for the generated
                                 crate (major, minor, patch); `breaking` and `risky` use
                                 the stricter of the two (major counts as breaking);
                                 exit 1 with --fail-on when such changes exist, 2 on bad input
  build-time [--dir DIR]         clean dev builds of the generated crate written standalone
                                 (types-only, then --features server) and of aws-sdk-pcaconnectorscep
                                 (no default features), each from an empty target dir under DIR
                                 (default: the temp dir); prints the times and the ratios";

/// The project's model and the crate generated from it.
const MODEL: &str = "model/pca-connector-scep.json";
const GENERATED: &str = "generated";

/// The Smithy protocol compliance tests (beside the checkout), and where
/// their restJson1 services and tests are generated.
const PROTOCOL_MODEL: &str = "../shared/protocol-tests/smithy-aws-protocol-tests.json";
const PROTOCOL_DIR: &str = "tests/protocol";
/// `(service, directory, crate name, test module)`.
const PROTOCOL_SERVICES: &[(&str, &str, &str, &str)] = &[
    (
        "aws.protocoltests.restjson#RestJson",
        "rest-json",
        "rest-json-protocol",
        "rest_json",
    ),
    (
        "aws.protocoltests.restjson.validation#RestJsonValidation",
        "rest-json-validation",
        "rest-json-validation-protocol",
        "rest_json_validation",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regenerate") if args.len() == 1 => regenerate(),
        Some("check") if args.len() == 1 => check(),
        Some("generate") => generate(&args[1..]),
        Some("build-time") => build_time::run(&args[1..]),
        Some("diff") => return diff(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(Failure::Usage(String::new())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Model(d)) => {
            eprintln!("{d}");
            ExitCode::from(1)
        }
        Err(Failure::Other(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    Usage(String),
    Model(smithy_codegen::Diagnostics),
    Other(String),
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Other(format!("cannot read {}: {e}", path.display())))
}

/// The project's generated crate, in memory; items `cache` holds are not
/// formatted again.
fn project_files(cache: &RenderCache) -> Result<Files, Failure> {
    let root = root();
    let src = read(&root.join(MODEL))?;
    let options = Options {
        crate_name: None,
        runtime_path: "../runtime".into(),
        standalone: false,
    };
    let model = smithy_codegen::load(&src, MODEL).map_err(Failure::Model)?;
    Ok(smithy_codegen::emit::emit_cached(&model, &options, cache))
}

/// `tests/protocol/`'s generated files, in memory: a crate per protocol-test
/// service and its compliance tests (`tests/compliance/<module>.rs`).
fn protocol_files(cache: &RenderCache) -> Result<Files, Failure> {
    let src = read(&root().join(PROTOCOL_MODEL))?;
    let mut files = Files::new();
    for (service, dir, crate_name, module) in PROTOCOL_SERVICES {
        let selection = smithy_codegen::Selection {
            service: Some((*service).to_owned()),
        };
        let model =
            smithy_codegen::load_with(&src, PROTOCOL_MODEL, &selection).map_err(Failure::Model)?;
        let options = Options {
            crate_name: Some((*crate_name).to_owned()),
            runtime_path: "../../../runtime".into(),
            standalone: false,
        };
        for (path, contents) in smithy_codegen::emit::emit_cached(&model, &options, cache) {
            files.insert(format!("{dir}/{path}"), contents);
        }
        let krate = crate_name.replace('-', "_");
        let tests = smithy_codegen::emit::protocol_tests::emit(&model, &krate, cache)
            .ok_or_else(|| Failure::Other(format!("{service} has no restJson1 server")))?;
        files.insert(format!("tests/compliance/{module}.rs"), tests.source);
    }
    Ok(files)
}

/// Prints what changed below `dir`; `name` says what the files are.
fn report(changes: &[Change], dir: &Path, name: &str) {
    let rel = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
    if changes.is_empty() {
        println!("{name}: up to date");
    }
    for c in changes {
        match c {
            Change::Created(p) => println!("created {}", rel(p)),
            Change::Updated(p) => println!("updated {}", rel(p)),
            Change::Removed(p) => println!("removed {}", rel(p)),
        }
    }
}

fn regenerate() -> Result<(), Failure> {
    // Formatted items are reused from the last run (see render_cache.rs).
    let (stored, cache) = render_cache::StoredCache::open("generated");
    let files = project_files(&cache)?;
    let dir = root().join(GENERATED);
    let changes = output::write(&dir, &files)
        .map_err(|e| Failure::Other(format!("writing {}: {e}", dir.display())))?;
    stored.store(&cache);
    report(&changes, &root(), GENERATED);
    // The protocol tests come from a large shared model: skipped when
    // neither it, nor the generator, nor the files written last time
    // changed (see stamp.rs).
    let dir = root().join(PROTOCOL_DIR);
    let input = root().join(PROTOCOL_MODEL);
    let stamp = stamp::Stamp::new("protocol-tests");
    if stamp::fingerprint(&input, &dir).is_some_and(|f| stamp.matches(f)) {
        println!("{PROTOCOL_DIR}: up to date (inputs unchanged)");
        return Ok(());
    }
    let (stored, cache) = render_cache::StoredCache::open("protocol-tests");
    let files = protocol_files(&cache)?;
    let changes = output::write(&dir, &files)
        .map_err(|e| Failure::Other(format!("writing {}: {e}", dir.display())))?;
    stored.store(&cache);
    report(&changes, &root(), PROTOCOL_DIR);
    if let Some(f) = stamp::fingerprint(&input, &dir) {
        stamp.record(f);
    }
    Ok(())
}

fn check() -> Result<(), Failure> {
    let stale = [
        // Never from a cache: everything is formatted afresh.
        drift(GENERATED, &project_files(&RenderCache::new())?, MODEL)?,
        drift(
            PROTOCOL_DIR,
            &protocol_files(&RenderCache::new())?,
            PROTOCOL_MODEL,
        )?,
    ];
    let stale: Vec<String> = stale.into_iter().flatten().collect();
    if stale.is_empty() {
        return Ok(());
    }
    Err(Failure::Other(format!(
        "{} stale: run `cargo xtask regenerate` and commit",
        stale.join(", ")
    )))
}

/// Prints the diff between `files` and the directory `rel`; returns a
/// description of the drift, if any.
fn drift(rel: &str, files: &Files, source: &str) -> Result<Option<String>, Failure> {
    let dir = root().join(rel);
    let drift = output::drift(&dir, files)
        .map_err(|e| Failure::Other(format!("reading {}: {e}", dir.display())))?;
    if drift.is_empty() {
        println!("{rel}/ is up to date with {source}");
        return Ok(None);
    }
    for d in &drift {
        let old = d.on_disk.as_deref().unwrap_or("");
        let new = d.expected.as_deref().unwrap_or("");
        let a = format!("a/{rel}/{}", d.path);
        let b = format!("b/{rel}/{}", d.path);
        let diff = similar::TextDiff::from_lines(old, new);
        print!("{}", diff.unified_diff().context_radius(3).header(&a, &b));
    }
    Ok(Some(format!("{rel}/ ({} file(s) differ)", drift.len())))
}

fn generate(args: &[String]) -> Result<(), Failure> {
    let mut model = None;
    let mut out = None;
    let mut crate_name = None;
    let mut service = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let slot = match flag.as_str() {
            "--model" => &mut model,
            "--out" => &mut out,
            "--crate-name" => &mut crate_name,
            "--service" => &mut service,
            other => return Err(Failure::Usage(format!("unknown argument `{other}`"))),
        };
        *slot = Some(
            it.next()
                .ok_or_else(|| Failure::Usage(format!("`{flag}` needs a value")))?
                .clone(),
        );
    }
    let (Some(model), Some(out)) = (model, out) else {
        return Err(Failure::Usage("`generate` needs --model and --out".into()));
    };
    write_standalone(Path::new(&model), Path::new(&out), crate_name, service)
}

/// Writes the crate for `model` (one of its services) to `out` as a
/// standalone crate, and prints what changed.
fn write_standalone(
    model: &Path,
    out: &Path,
    crate_name: Option<String>,
    service: Option<String>,
) -> Result<(), Failure> {
    let src = read(model)?;
    let runtime = root().join("runtime");
    let options = Options {
        crate_name,
        runtime_path: runtime.display().to_string(),
        standalone: true,
    };
    let selection = smithy_codegen::Selection { service };
    let name = model.display().to_string();
    let files =
        smithy_codegen::generate_with(&src, &name, &selection, &options).map_err(Failure::Model)?;
    let changes = output::write(out, &files)
        .map_err(|e| Failure::Other(format!("writing {}: {e}", out.display())))?;
    report(&changes, out, &out.display().to_string());
    Ok(())
}

/// `cargo xtask diff`. Exit codes: 0, 1 when `--fail-on` matched, 2 for bad
/// arguments or an invalid model.
fn diff(args: &[String]) -> ExitCode {
    match run_diff(args) {
        Ok(code) => code,
        Err(Failure::Model(d)) => {
            eprintln!("{d}");
            ExitCode::from(2)
        }
        Err(Failure::Usage(msg) | Failure::Other(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run_diff(args: &[String]) -> Result<ExitCode, Failure> {
    use smithy_codegen::diff::{self, Change, Semver, Severity};
    let mut paths = Vec::new();
    let mut base = None;
    let mut format = "markdown".to_owned();
    let mut fail_on = None;
    let mut service = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Failure::Usage(format!("`{flag}` needs a value")))
        };
        match arg.as_str() {
            "--base" => base = Some(value("--base")?),
            "--format" => format = value("--format")?,
            "--fail-on" => fail_on = Some(value("--fail-on")?),
            "--service" => service = Some(value("--service")?),
            flag if flag.starts_with("--") => {
                return Err(Failure::Usage(format!("unknown argument `{flag}`")));
            }
            path => paths.push(path.to_owned()),
        }
    }
    let fail_on: Option<fn(&Change) -> bool> = match fail_on.as_deref() {
        None => None,
        Some("breaking") => Some(|c| c.severity == Severity::Breaking),
        Some("risky") => Some(|c| c.severity <= Severity::Risky),
        Some("wire-breaking") => Some(|c| c.wire == Severity::Breaking),
        Some("rust-breaking") => Some(|c| c.rust == Semver::Major),
        Some(other) => {
            return Err(Failure::Usage(format!(
                "--fail-on takes `breaking`, `risky`, `wire-breaking` or `rust-breaking`, \
                 not `{other}`"
            )));
        }
    };
    if !matches!(format.as_str(), "markdown" | "json") {
        return Err(Failure::Usage(format!(
            "--format takes `markdown` or `json`, not `{format}`"
        )));
    }
    let ((old_name, old_src), (new_name, new_src)) = match (base, paths.as_slice()) {
        (Some(rev), []) => {
            let old = git_show(&rev, MODEL)?;
            let new = read(&root().join(MODEL))?;
            ((format!("{rev}:{MODEL}"), old), (MODEL.to_owned(), new))
        }
        (Some(rev), [new]) => {
            let old = git_show(&rev, MODEL)?;
            (
                (format!("{rev}:{MODEL}"), old),
                (new.clone(), read(Path::new(new))?),
            )
        }
        (None, [old, new]) => (
            (old.clone(), read(Path::new(old))?),
            (new.clone(), read(Path::new(new))?),
        ),
        _ => return Err(Failure::Usage("`diff` takes OLD NEW, or --base REV".into())),
    };
    let selection = smithy_codegen::Selection { service };
    let old = smithy_codegen::load_with(&old_src, &old_name, &selection).map_err(Failure::Model)?;
    let new = smithy_codegen::load_with(&new_src, &new_name, &selection).map_err(Failure::Model)?;
    let changes = diff::diff(&old, &new);
    match format.as_str() {
        "json" => println!("{}", diff::json(&changes)),
        _ => print!("{}", diff::markdown(&changes)),
    }
    let failed = fail_on.is_some_and(|matches| changes.iter().any(matches));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The contents of `path` (relative to the workspace root) at git revision
/// `rev`.
fn git_show(rev: &str, path: &str) -> Result<String, Failure> {
    let out = std::process::Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .current_dir(root())
        .output()
        .map_err(|e| Failure::Other(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Failure::Other(format!(
            "git show {rev}:{path} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    String::from_utf8(out.stdout).map_err(|_| Failure::Other(format!("{rev}:{path} is not UTF-8")))
}
