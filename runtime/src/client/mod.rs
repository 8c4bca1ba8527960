//! The client half: what a generated client calls to send an operation.
//!
//! Protocol-neutral machinery, one concern per module: configuration
//! ([`config`]), where settings come from ([`env`](mod@env), [`profile`]),
//! credentials ([`credentials`]), the error type ([`error`]), retries
//! ([`retry`]), the transport ([`transport`], and the default one in
//! `hyper_transport` with the `client-hyper` feature), pagination
//! ([`paginate`]) and the orchestrator that ties them together for each
//! call ([`invoke`]). restJson1's wire rules for requests and responses are
//! in [`rest_json`]; awsJson's, which add to them, in [`aws_json`].

pub mod aws_json;
pub mod config;
pub mod credentials;
pub mod env;
pub mod error;
#[cfg(feature = "client-hyper")]
pub mod hyper_transport;
pub mod invoke;
pub mod paginate;
pub mod profile;
pub mod rest_json;
pub mod retry;
pub mod transport;

pub use bytes::Bytes;
pub use config::{Builder as ConfigBuilder, CompressionConfig, Config, TimeoutConfig};
pub use credentials::{Credentials, ProvideCredentials};
pub use error::{
    BuildError, Error, ResponseError, ResponseMeta, ServiceError, TimeoutError, TimeoutKind,
};
pub use http;
pub use invoke::{Auth, Handle, ModeledError, OperationInfo, Request, ServiceInfo};
pub use retry::{RetryConfig, RetryKind};
pub use transport::{HttpTransport, TransportError, TransportErrorKind};
