//! The generated restJson1 bindings against a hand-written axum-style
//! baseline (matchit routing, percent-encoding, serde_json, regex), measured
//! in the same run. Run with
//! `cargo bench -p workspace-tests --bench bindings -- --sample-size 2000`.

use bytes::Bytes;
use pca_connector_scep::server;
use std::sync::LazyLock;

const ARN_ENCODED: &str = "arn%3Aaws%3Apca-connector-scep%3Aus-east-1%3A123456789012%3Aconnector%2F0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e";
const CREATE_BODY: &str = r#"{"CertificateAuthorityArn":"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e","ClientToken":"d6f2c2b0-6a8e-4b8e-9a3c-2f1e0d9c8b7a","MobileDeviceManagement":{"Intune":{"AzureApplicationId":"6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b","Domain":"login.microsoftonline.com"}},"Tags":{"team":"pki","env":"prod"}}"#;

fn main() {
    divan::main();
}

fn get_request() -> http::Request<Bytes> {
    http::Request::get(format!("/connectors/{ARN_ENCODED}"))
        .body(Bytes::new())
        .unwrap()
}

fn create_request() -> http::Request<Bytes> {
    http::Request::post("/connectors")
        .header("content-type", "application/json")
        .body(Bytes::from_static(CREATE_BODY.as_bytes()))
        .unwrap()
}

mod generated {
    use super::*;

    #[divan::bench]
    fn router(bencher: divan::Bencher) {
        let path = format!("/connectors/{ARN_ENCODED}");
        bencher.bench_local(|| {
            server::route(&http::Method::GET, divan::black_box(&path), None).map(|(op, _)| op)
        });
    }

    #[divan::bench]
    fn get_connector(bencher: divan::Bencher) {
        let request = get_request();
        bencher.bench_local(|| {
            let r = divan::black_box(&request);
            let (_, labels) = server::route(r.method(), r.uri().path(), r.uri().query()).unwrap();
            server::deserialize_get_connector(r, &labels).unwrap()
        });
    }

    #[divan::bench]
    fn create_connector(bencher: divan::Bencher) {
        let request = create_request();
        bencher.bench_local(|| {
            let r = divan::black_box(&request);
            let (_, labels) = server::route(r.method(), r.uri().path(), r.uri().query()).unwrap();
            server::deserialize_create_connector(r, &labels).unwrap()
        });
    }
}

/// What a careful hand-written axum-style service would do for the same two
/// operations: matchit, percent-decoding, serde_json into serde-derived
/// structs, and the same constraints checked with the regex crate.
mod baseline {
    use super::*;
    use regex::Regex;
    use std::collections::BTreeMap;

    #[derive(Clone, Copy)]
    enum Op {
        GetConnector,
        DeleteConnector,
        ListConnectors,
        CreateConnector,
    }

    static ROUTER: LazyLock<(
        matchit::Router<Op>,
        matchit::Router<Op>,
        matchit::Router<Op>,
    )> = LazyLock::new(|| {
        let mut get = matchit::Router::new();
        get.insert("/connectors/{arn}", Op::GetConnector).unwrap();
        get.insert("/connectors", Op::ListConnectors).unwrap();
        get.insert("/challengeMetadata/{arn}", Op::GetConnector)
            .unwrap();
        get.insert("/challengePasswords/{arn}", Op::GetConnector)
            .unwrap();
        get.insert("/challengeMetadata", Op::ListConnectors)
            .unwrap();
        get.insert("/tags/{arn}", Op::GetConnector).unwrap();
        let mut post = matchit::Router::new();
        post.insert("/connectors", Op::CreateConnector).unwrap();
        post.insert("/challenges", Op::CreateConnector).unwrap();
        post.insert("/tags/{arn}", Op::CreateConnector).unwrap();
        let mut delete = matchit::Router::new();
        delete
            .insert("/connectors/{arn}", Op::DeleteConnector)
            .unwrap();
        delete
            .insert("/challenges/{arn}", Op::DeleteConnector)
            .unwrap();
        delete.insert("/tags/{arn}", Op::DeleteConnector).unwrap();
        (get, post, delete)
    });

    static CONNECTOR_ARN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^arn:aws(-[a-z]+)*:pca-connector-scep:[a-z]+(-[a-z]+)+-[1-9][0-9]*:[0-9]{12}:connector/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$").unwrap()
    });
    static CA_ARN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^arn:aws(-[a-z]+)*:acm-pca:[a-z]+(-[a-z]+)+-[1-9][0-9]*:[0-9]{12}:certificate-authority/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$").unwrap()
    });
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[!-~]+$").unwrap());
    static APP_ID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}-[a-zA-Z0-9]{2,15}$").unwrap()
    });
    static DOMAIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9._-]+$").unwrap());

    fn route<'a>(method: &http::Method, path: &'a str) -> Option<(Op, matchit::Params<'a, 'a>)> {
        let (get, post, delete) = &*ROUTER;
        let router = match *method {
            http::Method::GET => get,
            http::Method::POST => post,
            http::Method::DELETE => delete,
            _ => return None,
        };
        router.at(path).ok().map(|m| (*m.value, m.params))
    }

    fn check(value: &str, min: usize, max: usize, re: &Regex) -> bool {
        let n = value.chars().count();
        n >= min && n <= max && re.is_match(value)
    }

    #[allow(dead_code)]
    struct GetConnector {
        connector_arn: String,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Intune {
        #[serde(rename = "AzureApplicationId")]
        azure_application_id: String,
        #[serde(rename = "Domain")]
        domain: String,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    enum Mdm {
        Intune(Intune),
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct CreateConnector {
        #[serde(rename = "CertificateAuthorityArn")]
        certificate_authority_arn: String,
        #[serde(rename = "ClientToken")]
        client_token: Option<String>,
        #[serde(rename = "MobileDeviceManagement")]
        mobile_device_management: Option<Mdm>,
        #[serde(rename = "Tags")]
        tags: Option<BTreeMap<String, String>>,
    }

    #[divan::bench]
    fn router(bencher: divan::Bencher) {
        let path = format!("/connectors/{ARN_ENCODED}");
        bencher.bench_local(|| {
            route(&http::Method::GET, divan::black_box(&path)).map(|(op, _)| op as u8)
        });
    }

    #[divan::bench]
    fn get_connector(bencher: divan::Bencher) {
        let request = get_request();
        bencher.bench_local(|| {
            let r = divan::black_box(&request);
            let (_, params) = route(r.method(), r.uri().path()).unwrap();
            let arn = percent_encoding::percent_decode_str(params.get("arn").unwrap())
                .decode_utf8()
                .unwrap();
            assert!(check(&arn, 5, 200, &CONNECTOR_ARN));
            GetConnector {
                connector_arn: arn.into_owned(),
            }
        });
    }

    #[divan::bench]
    fn create_connector(bencher: divan::Bencher) {
        let request = create_request();
        bencher.bench_local(|| {
            let r = divan::black_box(&request);
            let _ = route(r.method(), r.uri().path()).unwrap();
            assert_eq!(r.headers()["content-type"], "application/json");
            let input: CreateConnector = serde_json::from_slice(r.body()).unwrap();
            assert!(check(&input.certificate_authority_arn, 5, 200, &CA_ARN));
            assert!(
                input
                    .client_token
                    .as_deref()
                    .is_none_or(|t| check(t, 1, 64, &TOKEN))
            );
            if let Some(Mdm::Intune(i)) = &input.mobile_device_management {
                assert!(check(&i.azure_application_id, 15, 100, &APP_ID));
                assert!(check(&i.domain, 1, 256, &DOMAIN));
            }
            input
        });
    }
}
