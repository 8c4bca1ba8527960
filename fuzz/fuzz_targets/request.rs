//! The fuzz targets' request format: text that reads like an HTTP request,
//! so that seeds are readable files and libFuzzer's mutations of them stay
//! close to requests:
//!
//! ```text
//! POST /connectors?x=1
//! content-type: application/json
//!
//! {"CertificateAuthorityArn": "..."}
//! ```
//!
//! A head that `http` refuses (a bad method, URI or header) is no request
//! at all, as hyper would refuse it: such inputs are skipped.

use bytes::Bytes;

pub fn parse(data: &[u8]) -> Option<http::Request<Bytes>> {
    let split = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match split {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.lines();
    let (method, uri) = lines.next()?.split_once(' ')?;
    let mut builder = http::Request::builder().method(method).uri(uri);
    for line in lines {
        let (name, value) = line.split_once(':')?;
        builder = builder.header(name.trim(), value.trim_start());
    }
    builder.body(Bytes::copy_from_slice(body)).ok()
}
