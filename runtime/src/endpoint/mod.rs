//! Run-time support for Smithy endpoint rule sets compiled to Rust.
//!
//! The generator turns a service's `smithy.rules#endpointRuleSet` into
//! plain Rust that evaluates the rules and returns an [`Endpoint`] or a
//! [`ResolveError`]. What that code calls lives here, one concern per
//! module:
//!
//! - the result types: [`Endpoint`], its property [`Value`]s and
//!   [`ResolveError`];
//! - the standard library: [`is_valid_host_label`] (`isValidHostLabel`),
//!   [`substring`], [`uri_encode`] (`uriEncode`) and [`parse_url`]
//!   (`parseURL`, giving a [`Url`]); the other standard functions
//!   (`booleanEquals`, `stringEquals`, `isSet`, `not`, `coalesce`,
//!   `getAttr`) are plain Rust in generated code;
//! - the AWS extensions: [`partition`] (`aws.partition`, over a
//!   [`PartitionEntry`] table generated into each client, giving a
//!   [`Partition`]), [`parse_arn`] (`aws.parseArn`, giving an [`Arn`]) and
//!   [`is_virtual_hostable_s3_bucket`] (`aws.isVirtualHostableS3Bucket`).
//!
//! No function here panics or allocates on the way to a `bool` or a borrowed
//! result; [`parse_url`], [`parse_arn`] and [`uri_encode`] allocate only the
//! values they return.

mod arn;
// The module of the `Endpoint` type shares the feature's name.
#[allow(clippy::module_inception)]
mod endpoint;
mod functions;
mod partition;
mod s3;
mod url;

pub use arn::{Arn, parse_arn};
pub use endpoint::{Endpoint, ResolveError, Value};
pub use functions::{is_valid_host_label, substring, uri_encode};
pub use partition::{Partition, PartitionEntry, partition};
pub use s3::is_virtual_hostable_s3_bucket;
pub use url::{Url, parse_url};
