//! Project automation: `cargo xtask <command>`.
//!
//! - `regenerate`: writes `generated/` from `model/`, and `tests/protocol/`
//!   (the protocol-test services and their compliance tests) from the
//!   shared Smithy protocol tests.
//! - `check`: fails with a unified diff when either is stale.
//! - `generate --model PATH --out DIR [--crate-name NAME] [--service ID]
//!   [--runtime-version VERSION]`: writes a standalone crate for any model
//!   (for one of its services), depending on the runtime by a path relative
//!   to DIR, or by version.
//! - `diff OLD NEW` or `diff --base REV`: semantic model diff, each change
//!   with a wire verdict and a Rust API (semver) verdict.
//! - `build-time [--dir DIR]`: clean build times of the generated crate
//!   (types-only and with `server`) against the official SDK crate.
//!
//! Every command answers `--help`; the command line is declared once, with
//! clap.

mod build_time;
mod render_cache;
mod stamp;

use smithy_codegen::emit::RenderCache;
use smithy_codegen::output::{self, Change};
use smithy_codegen::{Files, Options};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Project automation: regenerate and check the generated code, generate
/// crates for other models, diff models, measure build times.
#[derive(clap::Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Write generated/ from model/pca-connector-scep.json, and
    /// tests/protocol/ from the shared Smithy protocol tests.
    Regenerate,
    /// Exit 1 with a diff when generated/ or tests/protocol/ is stale.
    Check,
    /// Write a standalone crate for any Smithy JSON AST model.
    Generate(GenerateArgs),
    /// Semantic differences between two models (or between the project's
    /// model at git revision REV and the working tree), each with a wire
    /// verdict (breaking, risky, compatible, documentation) and a Rust API
    /// verdict for the generated crate (major, minor, patch); `breaking`
    /// and `risky` use the stricter of the two (major counts as breaking).
    /// Exits 1 with --fail-on when such changes exist, 2 on bad input.
    Diff(DiffArgs),
    /// Clean dev builds of the generated crate written standalone
    /// (types-only, then --features server) and of aws-sdk-pcaconnectorscep
    /// (no default features), each from an empty target dir; prints the
    /// times and the ratios.
    BuildTime {
        /// Where the builds happen (default: the temp dir).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The model (Smithy JSON AST).
    #[arg(long, value_name = "PATH")]
    model: PathBuf,
    /// The crate's directory, created if need be.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The package name (default: from the service's sdkId or name).
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// The service to generate, when the model has several.
    #[arg(long, value_name = "SHAPE_ID")]
    service: Option<String>,
    /// Depend on smithy-rt by version from a registry (`0.1`) instead of by
    /// a path relative to --out. Use it once smithy-rt is published; the
    /// default path suits a crate generated inside a checkout of this
    /// project, which can move as long as the crate and runtime/ move
    /// together.
    #[arg(long, value_name = "VERSION")]
    runtime_version: Option<String>,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// OLD NEW: two model files; with --base, at most NEW.
    #[arg(value_name = "MODEL")]
    paths: Vec<String>,
    /// Compare the project's model at this git revision.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    format: DiffFormat,
    /// Exit 1 when a change of this kind exists.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// The service to compare, when the models have several.
    #[arg(long, value_name = "SHAPE_ID")]
    service: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    /// A change that breaks on the wire or in Rust.
    Breaking,
    /// A breaking or risky change.
    Risky,
    /// A change that breaks on the wire.
    WireBreaking,
    /// A change that breaks the generated crate's Rust API.
    RustBreaking,
}

/// The project's model and the crate generated from it.
const MODEL: &str = "model/pca-connector-scep.json";
const GENERATED: &str = "generated";

/// The Smithy protocol compliance tests (beside the checkout), and where
/// their restJson1 and awsJson services and tests are generated.
const PROTOCOL_MODEL: &str = "../shared/protocol-tests/smithy-aws-protocol-tests.json";
const PROTOCOL_DIR: &str = "tests/protocol";
/// Real models generated beside the protocol-test services, for the tests
/// that run a generated server and client of the same real service
/// (`tests/protocol/tests/loopback.rs`): `(model, directory, crate name)`.
const SAMPLE_MODELS: &[(&str, &str, &str)] = &[(
    "../shared/corpus-json-rpc/acm-pca.json",
    "acm-pca",
    "acm-pca-sample",
)];
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
    (
        "aws.protocoltests.json#JsonProtocol",
        "aws-json-1-1",
        "aws-json-1-1-protocol",
        "aws_json_1_1",
    ),
    (
        "aws.protocoltests.json10#JsonRpc10",
        "aws-json-1-0",
        "aws-json-1-0-protocol",
        "aws_json_1_0",
    ),
    (
        "aws.protocoltests.json10#QueryCompatibleJsonRpc10",
        "query-compatible-aws-json-1-0",
        "query-compatible-aws-json-1-0-protocol",
        "query_compatible_aws_json_1_0",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let cli = <Cli as clap::Parser>::parse();
    let result = match cli.command {
        Command::Regenerate => regenerate(),
        Command::Check => check(),
        Command::Generate(args) => generate(args),
        Command::BuildTime { dir } => build_time::run(dir),
        Command::Diff(args) => return diff(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("error: {msg}\n\nFor more information, try '--help'.");
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
        runtime: smithy_codegen::RuntimeDependency::Path("../runtime".into()),
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
            runtime: smithy_codegen::RuntimeDependency::Path("../../../runtime".into()),
            standalone: false,
        };
        for (path, contents) in smithy_codegen::emit::emit_cached(&model, &options, cache) {
            files.insert(format!("{dir}/{path}"), contents);
        }
        let krate = crate_name.replace('-', "_");
        let tests = smithy_codegen::emit::protocol_tests::emit(&model, &krate, cache)
            .ok_or_else(|| Failure::Other(format!("{service} has no server bindings")))?;
        files.insert(format!("tests/compliance/{module}.rs"), tests.source);
        if let Some(client) =
            smithy_codegen::emit::protocol_tests::client::emit(&model, &krate, cache)
        {
            files.insert(
                format!("tests/compliance/client/{module}.rs"),
                client.source,
            );
        }
    }
    for (model, dir, crate_name) in SAMPLE_MODELS {
        let src = read(&root().join(model))?;
        let model = smithy_codegen::load(&src, model).map_err(Failure::Model)?;
        let options = Options {
            crate_name: Some((*crate_name).to_owned()),
            runtime: smithy_codegen::RuntimeDependency::Path("../../../runtime".into()),
            standalone: false,
        };
        for (path, contents) in smithy_codegen::emit::emit_cached(&model, &options, cache) {
            // Its endpoint tests run with the other real models'
            // (tests/tests/real_models.rs).
            if path != "tests/endpoint.rs" {
                files.insert(format!("{dir}/{path}"), contents);
            }
        }
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
    let mut inputs = vec![root().join(PROTOCOL_MODEL)];
    inputs.extend(SAMPLE_MODELS.iter().map(|(model, _, _)| root().join(model)));
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let stamp = stamp::Stamp::new("protocol-tests");
    if stamp::fingerprint(&inputs, &dir).is_some_and(|f| stamp.matches(f)) {
        println!("{PROTOCOL_DIR}: up to date (inputs unchanged)");
        return Ok(());
    }
    let (stored, cache) = render_cache::StoredCache::open("protocol-tests");
    let files = protocol_files(&cache)?;
    let changes = output::write(&dir, &files)
        .map_err(|e| Failure::Other(format!("writing {}: {e}", dir.display())))?;
    stored.store(&cache);
    report(&changes, &root(), PROTOCOL_DIR);
    if let Some(f) = stamp::fingerprint(&inputs, &dir) {
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

fn generate(args: GenerateArgs) -> Result<(), Failure> {
    let runtime = match args.runtime_version {
        Some(version) => smithy_codegen::RuntimeDependency::Version(version),
        None => {
            std::fs::create_dir_all(&args.out)
                .map_err(|e| Failure::Other(format!("creating {}: {e}", args.out.display())))?;
            smithy_codegen::RuntimeDependency::Path(runtime_path_from(&args.out)?)
        }
    };
    write_standalone(
        &args.model,
        &args.out,
        args.crate_name,
        args.service,
        runtime,
    )
}

/// The path of the runtime crate relative to `dir`, with `/` separators,
/// so that a crate generated there keeps building when the tree moves.
fn runtime_path_from(dir: &Path) -> Result<String, Failure> {
    let canonical = |p: &Path| {
        p.canonicalize()
            .map_err(|e| Failure::Other(format!("resolving {}: {e}", p.display())))
    };
    let (from, to) = (canonical(dir)?, canonical(&root().join("runtime"))?);
    let relative = relative_path(&from, &to).ok_or_else(|| {
        Failure::Other(format!(
            "{} and {} share no root; use --runtime-version",
            from.display(),
            to.display()
        ))
    })?;
    Ok(relative.replace('\\', "/"))
}

/// `to` relative to the directory `from` (both absolute): `..` up to their
/// common ancestor, then down. `None` when they share no root (two drives).
fn relative_path(from: &Path, to: &Path) -> Option<String> {
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// Writes the crate for `model` (one of its services) to `out` as a
/// standalone crate, and prints what changed.
fn write_standalone(
    model: &Path,
    out: &Path,
    crate_name: Option<String>,
    service: Option<String>,
    runtime: smithy_codegen::RuntimeDependency,
) -> Result<(), Failure> {
    let src = read(model)?;
    let options = Options {
        crate_name,
        runtime,
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
fn diff(args: DiffArgs) -> ExitCode {
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

fn run_diff(args: DiffArgs) -> Result<ExitCode, Failure> {
    use smithy_codegen::diff::{self, Change, Semver, Severity};
    let DiffArgs {
        paths,
        base,
        format,
        fail_on,
        service,
    } = args;
    let fail_on: Option<fn(&Change) -> bool> = fail_on.map(|f| -> fn(&Change) -> bool {
        match f {
            FailOn::Breaking => |c| c.severity == Severity::Breaking,
            FailOn::Risky => |c| c.severity <= Severity::Risky,
            FailOn::WireBreaking => |c| c.wire == Severity::Breaking,
            FailOn::RustBreaking => |c| c.rust == Semver::Major,
        }
    });
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
    match format {
        DiffFormat::Json => println!("{}", diff::json(&changes)),
        DiffFormat::Markdown => print!("{}", diff::markdown(&changes)),
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
