//! `cargo xtask build-time`: how long a consumer waits for the generated
//! crate, against the official SDK crate for the same service.
//!
//! Writes the project's crate standalone (as `cargo xtask generate` does)
//! and a scratch crate that depends on `aws-sdk-pcaconnectorscep` (no
//! default features, the version in the workspace's lock file), then builds
//! each from an empty target directory in turn, with the default dev
//! profile: the generated crate types-only, the generated crate with its
//! `server` feature, and the SDK. Both crates get the workspace's lock file,
//! so every dependency has the version the workspace builds with.

use crate::{Failure, root};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The SDK crate the generated crate is compared with.
const SDK: &str = "aws-sdk-pcaconnectorscep";

pub(crate) fn run(dir: Option<std::path::PathBuf>) -> Result<(), Failure> {
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join("smithy-build-time"));
    let io = |what: &str, e: std::io::Error| Failure::Other(format!("{what}: {e}"));
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| io("reading Cargo.lock", e))?;
    let version = locked_version(&lock, SDK)
        .ok_or_else(|| Failure::Other(format!("{SDK} is not in Cargo.lock")))?;

    let generated = dir.join("generated");
    // A scratch crate: the runtime by its absolute path.
    let runtime =
        smithy_codegen::RuntimeDependency::Path(root().join("runtime").display().to_string());
    crate::write_standalone(&root().join(crate::MODEL), &generated, None, None, runtime)?;
    let sdk = dir.join("sdk");
    std::fs::create_dir_all(sdk.join("src")).map_err(|e| io("creating the SDK crate", e))?;
    std::fs::write(
        sdk.join("Cargo.toml"),
        format!(
            "[package]\nname = \"sdk-build-time\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{SDK} = {{ version = \"={version}\", default-features = false }}\n\n[workspace]\n"
        ),
    )
    .map_err(|e| io("writing the SDK crate", e))?;
    std::fs::write(
        sdk.join("src/lib.rs"),
        format!("pub use {};\n", SDK.replace('-', "_")),
    )
    .map_err(|e| io("writing the SDK crate", e))?;
    for krate in [&generated, &sdk] {
        std::fs::write(krate.join("Cargo.lock"), &lock).map_err(|e| io("copying Cargo.lock", e))?;
    }

    println!(
        "clean dev builds, one after the other, from empty target directories in {}",
        dir.display()
    );
    let types = build(&generated, &dir.join("target-types"), &[])?;
    println!(
        "pca-connector-scep (types and validators)  {:>7.1} s",
        types.as_secs_f64()
    );
    let server = build(
        &generated,
        &dir.join("target-server"),
        &["--features", "server"],
    )?;
    println!(
        "pca-connector-scep --features server        {:>7.1} s",
        server.as_secs_f64()
    );
    let baseline = build(&sdk, &dir.join("target-sdk"), &[])?;
    println!(
        "{SDK} {version} (no default features) {:>7.1} s",
        baseline.as_secs_f64()
    );
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
    println!("ratio types-only / SDK  {:.2}", ratio(types));
    println!("ratio server / SDK      {:.2}", ratio(server));
    Ok(())
}

/// `cargo build` of the crate in `dir` into an emptied `target`, timed.
fn build(dir: &Path, target: &Path, extra: &[&str]) -> Result<Duration, Failure> {
    if target.exists() {
        std::fs::remove_dir_all(target)
            .map_err(|e| Failure::Other(format!("emptying {}: {e}", target.display())))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let start = Instant::now();
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--offline", "--target-dir"])
        .arg(target)
        .args(extra)
        .current_dir(dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .map_err(|e| Failure::Other(format!("running cargo: {e}")))?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(Failure::Other(format!(
            "`cargo build` in {} failed",
            dir.display()
        )));
    }
    Ok(elapsed)
}

/// The version of `name` in a `Cargo.lock`.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    let end = lock[start..].find('"')?;
    Some(lock[start..start + end].to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn locked_version_reads_the_lock_file() {
        let lock = "[[package]]\nname = \"a\"\nversion = \"1.2.3\"\n\n[[package]]\nname = \"b\"\nversion = \"0.1.0\"\n";
        assert_eq!(super::locked_version(lock, "b").as_deref(), Some("0.1.0"));
        assert_eq!(super::locked_version(lock, "c"), None);
    }
}
