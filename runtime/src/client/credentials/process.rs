//! `credential_process`: a command whose standard output is the
//! credentials, as JSON:
//!
//! ```json
//! {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…",
//!  "SessionToken": "…", "Expiration": "2026-12-07T10:00:00Z"}
//! ```
//!
//! The command line runs through the shell, as the AWS SDKs run it
//! (`sh -c` on Unix, `cmd.exe /C` on Windows); its standard error goes to
//! this process's, so that a command can prompt its user. Its output is
//! never quoted in an error (it holds secrets): errors give the exit status
//! or where the JSON went wrong.

use super::{Credentials, CredentialsError, credentials_from_json, json_error};
use std::process::{Command, Stdio};
use std::time::SystemTime;

/// Runs `command` (the `credential_process` of profile `profile`) and
/// reads the credentials it prints.
pub(crate) async fn run(command: &str, profile: &str) -> Result<Credentials, CredentialsError> {
    let what = format!("profile `{profile}`: credential_process");
    let mut shell = shell(command);
    tracing::debug!(profile, "running credential_process");
    let output = tokio::task::spawn_blocking(move || {
        shell
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .output()
    })
    .await
    .map_err(|_| CredentialsError::provider_error(format!("{what}: the command's task failed")))?
    .map_err(|e| {
        CredentialsError::provider_error(format!("{what}: the command could not be run: {e}"))
    })?;
    if !output.status.success() {
        return Err(CredentialsError::provider_error(format!(
            "{what}: the command failed ({}); its output is not shown, as it may hold secrets",
            output.status
        )));
    }
    parse(&output.stdout, &what)
}

#[cfg(not(windows))]
fn shell(command: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(windows)]
fn shell(command: &str) -> Command {
    let mut c = Command::new("cmd.exe");
    c.arg("/C").arg(command);
    c
}

fn parse(stdout: &[u8], what: &str) -> Result<Credentials, CredentialsError> {
    let value: serde_json::Value = serde_json::from_slice(stdout).map_err(|e| {
        CredentialsError::provider_error(format!("{what}: the command's output {}", json_error(&e)))
    })?;
    if !value.is_object() {
        return Err(CredentialsError::provider_error(format!(
            "{what}: the command's output is not a JSON object"
        )));
    }
    match value.get("Version").and_then(serde_json::Value::as_u64) {
        Some(1) => {}
        _ => {
            return Err(CredentialsError::provider_error(format!(
                "{what}: the command's output has no `Version` 1 (the only version there is)"
            )));
        }
    }
    let credentials = credentials_from_json(
        &value,
        [
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "Expiration",
        ],
        what,
    )?;
    if credentials
        .expiry()
        .is_some_and(|expiry| expiry <= SystemTime::now())
    {
        return Err(CredentialsError::provider_error(format!(
            "{what}: the command gave credentials that have already expired"
        )));
    }
    Ok(credentials)
}

#[cfg(all(test, unix))]
mod tests {
    use super::super::CredentialsErrorKind;
    use super::super::test_support::*;
    use super::*;
    use crate::client::env::tests::TempDir;

    fn script(dir: &TempDir, stdout: &str, status: i32) -> String {
        let out = dir.write("out.json", stdout);
        format!("cat '{}'; exit {status}", out.display())
    }

    #[tokio::test]
    async fn credentials_from_the_command() {
        let dir = TempDir::new("process");
        let expiration = in_secs(3600);
        let json = format!(
            "{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"{SECRET}\", \
             \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"{expiration}\"}}"
        );
        let c = run(&script(&dir, &json, 0), "p").await.unwrap();
        assert_eq!(c.access_key_id(), "AKIDPROC");
        assert_eq!(c.secret_access_key(), SECRET);
        assert_eq!(c.session_token(), Some(TOKEN));
        assert_eq!(c.expiry(), super::super::parse_time(&expiration));
        // Long-term keys: no token, no expiry. The shell runs the line.
        let json = format!(
            "{{\"Version\": 1, \"AccessKeyId\": \"AKIDLONG\", \"SecretAccessKey\": \"{SECRET}\"}}"
        );
        let c = run(&format!("{} | cat", script(&dir, &json, 0)), "p")
            .await
            .unwrap();
        assert_eq!((c.access_key_id(), c.expiry()), ("AKIDLONG", None));
    }

    #[tokio::test]
    async fn failures_never_show_the_output() {
        let dir = TempDir::new("process-fail");
        let expect = async |command: String, text: &str| {
            let e = run(&command, "p").await.unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
            assert_eq!(e.to_string(), text);
            assert_error_has_no_secret(&e);
        };
        let good = format!(
            "{{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{SECRET}\"}}"
        );
        expect(
            script(&dir, &good, 3),
            "profile `p`: credential_process: the command failed (exit status: 3); \
             its output is not shown, as it may hold secrets",
        )
        .await;
        expect(
            format!("echo '{SECRET} {TOKEN}' >&2; {}", script(&dir, &format!("{{\"Version\": 1, \"SecretAccessKey\": \"{SECRET}\" oops"), 0)),
            "profile `p`: credential_process: the command's output is not valid JSON (line 1, column 78)",
        )
        .await;
        expect(
            script(&dir, &good.replace("\"Version\": 1", "\"Version\": 2"), 0),
            "profile `p`: credential_process: the command's output has no `Version` 1 (the only version there is)",
        )
        .await;
        expect(
            script(
                &dir,
                &format!(
                    "{{\"Version\": 1, \"AccessKeyId\": \"A\", \"SessionToken\": \"{TOKEN}\"}}"
                ),
                0,
            ),
            "profile `p`: credential_process: no `SecretAccessKey` in the answer",
        )
        .await;
        let expired = good.replace('}', &format!(", \"Expiration\": \"{}\"}}", in_secs(-60)));
        expect(
            script(&dir, &expired, 0),
            "profile `p`: credential_process: the command gave credentials that have already expired",
        )
        .await;
        expect(
            script(&dir, &format!("[\"{SECRET}\"]"), 0),
            "profile `p`: credential_process: the command's output is not a JSON object",
        )
        .await;
    }
}
