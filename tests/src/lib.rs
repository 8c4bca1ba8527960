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
        runtime: smithy_codegen::RuntimeDependency::Path("../runtime".into()),
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

/// A recording implementation of the generated service trait, for tests and
/// benchmarks of the bindings.
pub mod scep {
    use pca_connector_scep::input::*;
    use pca_connector_scep::operation::*;
    use pca_connector_scep::output::*;
    use pca_connector_scep::server::PcaConnectorScep;
    use std::any::Any;
    use std::future::Future;
    use std::sync::Mutex;
    use std::task::{Context, Poll};

    /// A handler that records each input and answers with queued replies
    /// (`Result<Output, OperationError>` of the operation called). With no
    /// reply queued it panics, as a buggy handler would.
    #[derive(Default)]
    pub struct Recorder {
        /// Inputs received, oldest first.
        pub inputs: Mutex<Vec<Box<dyn Any + Send>>>,
        /// Replies to give, oldest first.
        pub replies: Mutex<Vec<Box<dyn Any + Send>>>,
    }

    impl Recorder {
        /// Queues a reply.
        pub fn reply<R: Send + 'static>(&self, reply: R) {
            self.replies.lock().unwrap().push(Box::new(reply));
        }

        /// The only input received since the last call, as `I`.
        pub fn input<I: 'static>(&self) -> I {
            let mut inputs = self.inputs.lock().unwrap();
            assert_eq!(inputs.len(), 1, "the handler was called once");
            *inputs
                .remove(0)
                .downcast::<I>()
                .expect("input of the operation's type")
        }

        fn answer<I: Send + 'static, R: Send + 'static>(
            &self,
            input: I,
        ) -> impl Future<Output = R> + Send {
            self.inputs.lock().unwrap().push(Box::new(input));
            let reply = {
                let mut replies = self.replies.lock().unwrap();
                assert!(!replies.is_empty(), "no reply queued");
                replies.remove(0)
            };
            let reply = *reply
                .downcast::<R>()
                .expect("reply of the operation's type");
            std::future::ready(reply)
        }
    }

    macro_rules! handlers {
        ($($f:ident($input:ty) -> $output:ty, $error:ty;)*) => {
            impl PcaConnectorScep for Recorder {
                $(
                    fn $f(&self, input: $input) -> impl Future<Output = Result<$output, $error>> + Send {
                        self.answer(input)
                    }
                )*
            }
        };
    }

    handlers! {
        create_challenge(CreateChallengeRequest) -> CreateChallengeResponse, CreateChallengeError;
        create_connector(CreateConnectorRequest) -> CreateConnectorResponse, CreateConnectorError;
        delete_challenge(DeleteChallengeRequest) -> (), DeleteChallengeError;
        delete_connector(DeleteConnectorRequest) -> (), DeleteConnectorError;
        get_challenge_metadata(GetChallengeMetadataRequest) -> GetChallengeMetadataResponse, GetChallengeMetadataError;
        get_challenge_password(GetChallengePasswordRequest) -> GetChallengePasswordResponse, GetChallengePasswordError;
        get_connector(GetConnectorRequest) -> GetConnectorResponse, GetConnectorError;
        list_challenge_metadata(ListChallengeMetadataRequest) -> ListChallengeMetadataResponse, ListChallengeMetadataError;
        list_connectors(ListConnectorsRequest) -> ListConnectorsResponse, ListConnectorsError;
        list_tags_for_resource(ListTagsForResourceRequest) -> ListTagsForResourceResponse, ListTagsForResourceError;
        tag_resource(TagResourceRequest) -> (), TagResourceError;
        untag_resource(UntagResourceRequest) -> (), UntagResourceError;
    }

    /// Polls a future whose handlers never wait.
    pub fn block_on<F: Future>(f: F) -> F::Output {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut f = std::pin::pin!(f);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
}
