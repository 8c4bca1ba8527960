//! `cargo xtask build-time`: how long a consumer waits for the generated
//! crate, against the official SDK crate for the same service.
//!
//! Writes the project's crate standalone (as `cargo xtask generate` does)
//! and a scratch crate that depends on `aws-sdk-pcaconnectorscep` (no
//! default features, the version in the workspace's lock file), then builds
//! each from an empty target directory in turn, with the default dev
//! profile: the generated crate types-only, with its `server` feature and
//! with its `client` feature (the client and its default transport, hyper
//! over rustls), and the SDK without its default features (types and
//! operations, no HTTP or TLS) and with them (its own HTTP and TLS stack,
//! what the client is compared with). The crates get the workspace's lock
//! file, so every dependency has the version the workspace builds with; the
//! SDK's default features may add crates the lock file lacks.

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
    let sdk_default = dir.join("sdk-default");
    for (krate, features) in [(&sdk, ", default-features = false"), (&sdk_default, "")] {
        std::fs::create_dir_all(krate.join("src")).map_err(|e| io("creating the SDK crate", e))?;
        std::fs::write(
            krate.join("Cargo.toml"),
            format!(
                "[package]\nname = \"sdk-build-time\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\n{SDK} = {{ version = \"={version}\"{features} }}\n\n[workspace]\n"
            ),
        )
        .map_err(|e| io("writing the SDK crate", e))?;
        std::fs::write(
            krate.join("src/lib.rs"),
            format!("pub use {};\n", SDK.replace('-', "_")),
        )
        .map_err(|e| io("writing the SDK crate", e))?;
    }
    for krate in [&generated, &sdk, &sdk_default] {
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
    let client = build(
        &generated,
        &dir.join("target-client"),
        &["--features", "client"],
    )?;
    println!(
        "pca-connector-scep --features client        {:>7.1} s",
        client.as_secs_f64()
    );
    let baseline = build(&sdk, &dir.join("target-sdk"), &[])?;
    println!(
        "{SDK} {version} (no default features) {:>7.1} s",
        baseline.as_secs_f64()
    );
    let full = build_online(&sdk_default, &dir.join("target-sdk-default"))?;
    println!(
        "{SDK} {version} (default features)    {:>7.1} s",
        full.as_secs_f64()
    );
    let ratio = |d: Duration, b: Duration| d.as_secs_f64() / b.as_secs_f64();
    println!(
        "ratio types-only / SDK                  {:.2}",
        ratio(types, baseline)
    );
    println!(
        "ratio server / SDK                      {:.2}",
        ratio(server, baseline)
    );
    println!(
        "ratio client / SDK with default features {:.2}",
        ratio(client, full)
    );
    Ok(())
}

/// The SDK with its default features: crates the workspace's lock file
/// lacks are fetched first (not timed), then the build is timed offline.
fn build_online(dir: &Path, target: &Path) -> Result<Duration, Failure> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["fetch", "--quiet"])
        .current_dir(dir)
        .status()
        .map_err(|e| Failure::Other(format!("running cargo: {e}")))?;
    if !status.success() {
        return Err(Failure::Other(format!(
            "`cargo fetch` in {} failed",
            dir.display()
        )));
    }
    build(dir, target, &[])
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
