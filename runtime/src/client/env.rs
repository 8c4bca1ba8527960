//! Where settings are read from: the process environment, or a fixed set
//! of variables (for tests and for embedding), and the files the shared
//! AWS `config` and `credentials` files are read from.
//!
//! Every setting of the environment goes through [`Env`], so that a test
//! can give a client exactly the variables it wants without touching the
//! process environment (which is not safe to change while other threads
//! read it).

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where settings are read from: the real process environment
/// ([`Env::real`], the default) or a fixed set of variables
/// ([`Env::from_vars`]).
///
/// Files are read from disk in both cases; a test points
/// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` at files it wrote.
///
/// `Debug` prints the names of fixed variables, never their values
/// (`AWS_SECRET_ACCESS_KEY` is one of them).
#[derive(Clone, Debug, Default)]
pub struct Env {
    source: Source,
}

#[derive(Clone, Debug, Default)]
enum Source {
    #[default]
    Process,
    Fixed(Arc<Vars>),
}

/// A fixed set of variables; its `Debug` shows names only.
struct Vars(BTreeMap<String, String>);

impl fmt::Debug for Vars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Env {
    /// The real process environment.
    pub fn real() -> Env {
        Env {
            source: Source::Process,
        }
    }

    /// A fixed set of variables, and nothing from the process environment.
    /// A later duplicate name replaces an earlier one.
    pub fn from_vars(
        vars: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>,
    ) -> Env {
        let vars = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env {
            source: Source::Fixed(Arc::new(Vars(vars))),
        }
    }

    /// The value of variable `name`. An empty value is unset, as the AWS
    /// SDKs treat it; so is a value that is not valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.source {
            Source::Process => std::env::var_os(name).and_then(|v| v.into_string().ok()),
            Source::Fixed(vars) => vars.0.get(name).cloned(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// The user's home directory: `HOME`, else `USERPROFILE`, else
    /// `HOMEDRIVE` followed by `HOMEPATH` (both needed).
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = self.get("HOME") {
            return Some(PathBuf::from(home));
        }
        if let Some(profile) = self.get("USERPROFILE") {
            return Some(PathBuf::from(profile));
        }
        match (self.get("HOMEDRIVE"), self.get("HOMEPATH")) {
            (Some(drive), Some(path)) => Some(PathBuf::from(drive + &path)),
            _ => None,
        }
    }

    /// `path` with a leading `~` (alone, or followed by `/` or `\`)
    /// replaced by the home directory. Other paths, `~user/…` among them,
    /// and every path when there is no home directory, are returned as
    /// they are.
    pub fn expand_home(&self, path: &str) -> PathBuf {
        let rest = match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => rest,
            _ => return PathBuf::from(path),
        };
        match self.home_dir() {
            Some(home) => {
                let rest = rest.trim_start_matches(['/', '\\']);
                if rest.is_empty() {
                    home
                } else {
                    home.join(rest)
                }
            }
            None => PathBuf::from(path),
        }
    }

    /// The shared `config` file: `AWS_CONFIG_FILE` (`~` expanded), else
    /// `~/.aws/config`; `None` when neither names a file (no variable and
    /// no home directory).
    pub fn config_file(&self) -> Option<PathBuf> {
        self.aws_file("AWS_CONFIG_FILE", "config")
    }

    /// The shared `credentials` file: `AWS_SHARED_CREDENTIALS_FILE` (`~`
    /// expanded), else `~/.aws/credentials`; `None` when neither names a
    /// file.
    pub fn credentials_file(&self) -> Option<PathBuf> {
        self.aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials")
    }

    fn aws_file(&self, var: &str, name: &str) -> Option<PathBuf> {
        match self.get(var) {
            Some(path) => Some(self.expand_home(&path)),
            None => self.home_dir().map(|home| home.join(".aws").join(name)),
        }
    }

    /// The text of the file at `path`: `Ok(None)` when there is no such
    /// file; an error when it exists but cannot be read or is not UTF-8.
    /// A leading byte order mark is dropped.
    pub fn read_file(&self, path: &Path) -> io::Result<Option<String>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_owned(),
                None => text,
            })),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh directory under the system's temporary directory, removed
    /// when dropped.
    pub(crate) struct TempDir(pub(crate) PathBuf);

    impl TempDir {
        pub(crate) fn new(tag: &str) -> TempDir {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("smithy-rt-{tag}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create a temporary directory");
            TempDir(dir)
        }

        pub(crate) fn write(&self, name: &str, text: &str) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, text).expect("write a temporary file");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn fixed_variables_and_empty_values() {
        let env = Env::from_vars([("A", "1"), ("EMPTY", ""), ("A", "2")]);
        assert_eq!(env.get("A").as_deref(), Some("2"));
        assert_eq!(env.get("EMPTY"), None);
        assert_eq!(env.get("MISSING"), None);
        // Nothing comes from the process environment.
        assert_eq!(
            Env::from_vars(Vec::<(String, String)>::new()).get("PATH"),
            None
        );
    }

    #[test]
    fn real_environment_is_read() {
        // PATH is set wherever cargo runs tests.
        assert_eq!(Env::real().get("PATH"), std::env::var("PATH").ok());
        assert_eq!(Env::default().get("PATH"), std::env::var("PATH").ok());
    }

    #[test]
    fn home_directory_order() {
        let all = Env::from_vars([
            ("HOME", "/home/a"),
            ("USERPROFILE", "C:\\Users\\b"),
            ("HOMEDRIVE", "D:"),
            ("HOMEPATH", "\\c"),
        ]);
        assert_eq!(all.home_dir(), Some(PathBuf::from("/home/a")));
        let windows = Env::from_vars([
            ("HOME", ""),
            ("USERPROFILE", "C:\\Users\\b"),
            ("HOMEDRIVE", "D:"),
        ]);
        assert_eq!(windows.home_dir(), Some(PathBuf::from("C:\\Users\\b")));
        let drive = Env::from_vars([("HOMEDRIVE", "D:"), ("HOMEPATH", "\\c")]);
        assert_eq!(drive.home_dir(), Some(PathBuf::from("D:\\c")));
        assert_eq!(Env::from_vars([("HOMEDRIVE", "D:")]).home_dir(), None);
    }

    #[test]
    fn tilde_expansion() {
        let env = Env::from_vars([("HOME", "/home/a")]);
        assert_eq!(env.expand_home("~"), PathBuf::from("/home/a"));
        assert_eq!(env.expand_home("~/x/y"), PathBuf::from("/home/a/x/y"));
        assert_eq!(env.expand_home("~\\x"), PathBuf::from("/home/a/x"));
        assert_eq!(env.expand_home("~bob/x"), PathBuf::from("~bob/x"));
        assert_eq!(env.expand_home("/etc/~/x"), PathBuf::from("/etc/~/x"));
        let homeless = Env::from_vars([("X", "1")]);
        assert_eq!(homeless.expand_home("~/x"), PathBuf::from("~/x"));
    }

    #[test]
    fn shared_file_locations() {
        let env = Env::from_vars([("HOME", "/home/a")]);
        assert_eq!(
            env.config_file(),
            Some(PathBuf::from("/home/a/.aws/config"))
        );
        assert_eq!(
            env.credentials_file(),
            Some(PathBuf::from("/home/a/.aws/credentials"))
        );
        let env = Env::from_vars([
            ("HOME", "/home/a"),
            ("AWS_CONFIG_FILE", "~/cfg"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/etc/creds"),
        ]);
        assert_eq!(env.config_file(), Some(PathBuf::from("/home/a/cfg")));
        assert_eq!(env.credentials_file(), Some(PathBuf::from("/etc/creds")));
        let homeless = Env::from_vars([("X", "1")]);
        assert_eq!(homeless.config_file(), None);
        assert_eq!(homeless.credentials_file(), None);
    }

    #[test]
    fn reading_files() {
        let dir = TempDir::new("env");
        let path = dir.write("f", "\u{feff}[default]\n");
        let env = Env::from_vars([("X", "1")]);
        assert_eq!(
            env.read_file(&path).unwrap().as_deref(),
            Some("[default]\n")
        );
        assert_eq!(env.read_file(&dir.0.join("missing")).unwrap(), None);
        // A directory exists but is not a readable file.
        assert!(env.read_file(&dir.0).is_err());
        std::fs::write(dir.0.join("bad"), [0xff, 0xfe, 0x00]).unwrap();
        let err = env.read_file(&dir.0.join("bad")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "s3cr3t-value")]);
        let debug = format!("{env:?}");
        assert!(debug.contains("AWS_SECRET_ACCESS_KEY"), "{debug}");
        assert!(!debug.contains("s3cr3t-value"), "{debug}");
    }
}
