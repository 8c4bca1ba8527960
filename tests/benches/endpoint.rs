//! Endpoint resolution: the rule set compiled by the generator
//! (`pca_connector_scep::endpoint::resolve`) against the official SDK's
//! resolver (`aws_sdk_pcaconnectorscep::config::endpoint::DefaultResolver`)
//! for the same parameters, in the same run. Run with
//! `cargo bench -p workspace-tests --bench endpoint`.
//!
//! The SDK's resolver keeps the last parameters and their endpoint: `same`
//! resolves one set of parameters again and again (its cache hits), `mixed`
//! cycles through four (its cache misses), as a client in one region and a
//! process with clients in several see it.

use aws_sdk_pcaconnectorscep::config::endpoint::{
    DefaultResolver, Params as SdkParams, ResolveEndpoint as _,
};
use pca_connector_scep::endpoint::{Params, resolve};
use std::future::Future as _;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

fn main() {
    divan::main();
}

const CASES: [(&str, bool, bool); 4] = [
    ("us-east-1", false, false),
    ("eu-west-3", true, false),
    ("cn-north-1", false, true),
    ("us-gov-west-1", true, true),
];

fn ours(i: usize) -> Params {
    let (region, fips, dual) = CASES[i];
    let mut p = Params::default();
    p.region = Some(region.to_owned());
    p.use_fips = fips;
    p.use_dual_stack = dual;
    p
}

fn sdk(i: usize) -> SdkParams {
    let (region, fips, dual) = CASES[i];
    SdkParams::builder()
        .region(region)
        .use_fips(fips)
        .use_dual_stack(dual)
        .build()
        .expect("valid parameters")
}

/// The SDK's endpoint future is ready at once: polled once.
fn sdk_resolve(r: &DefaultResolver, p: &SdkParams) -> String {
    let mut f = pin!(r.resolve_endpoint(p));
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Ok(e)) => e.url().to_owned(),
        _ => panic!("the SDK's resolver failed"),
    }
}

#[divan::bench]
fn generated_same(bencher: divan::Bencher) {
    let p = ours(0);
    bencher.bench_local(|| resolve(divan::black_box(&p)).map(|e| e.url().len()));
}

#[divan::bench]
fn sdk_same(bencher: divan::Bencher) {
    let r = DefaultResolver::new();
    let p = sdk(0);
    bencher.bench_local(|| sdk_resolve(&r, divan::black_box(&p)).len());
}

#[divan::bench]
fn generated_mixed(bencher: divan::Bencher) {
    let ps: Vec<Params> = (0..4).map(ours).collect();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % 4;
        resolve(divan::black_box(&ps[i])).map(|e| e.url().len())
    });
}

#[divan::bench]
fn sdk_mixed(bencher: divan::Bencher) {
    let r = DefaultResolver::new();
    let ps: Vec<SdkParams> = (0..4).map(sdk).collect();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % 4;
        sdk_resolve(&r, divan::black_box(&ps[i])).len()
    });
}

/// Both resolvers agree on every case benchmarked.
#[divan::bench]
fn agree() {
    let r = DefaultResolver::new();
    for i in 0..4 {
        assert_eq!(resolve(&ours(i)).unwrap().url(), sdk_resolve(&r, &sdk(i)));
    }
}

/// A custom endpoint: no partition lookup, no template (the URL is copied).
#[divan::bench]
fn generated_custom_endpoint(bencher: divan::Bencher) {
    let mut p = ours(0);
    p.endpoint = Some("https://example.com".to_owned());
    bencher.bench_local(|| resolve(divan::black_box(&p)).map(|e| e.url().len()));
}
