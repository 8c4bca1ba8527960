//! The SCEP endpoint: arbitrary `PKIOperation` bodies (POST, and GET with a
//! base64 `message`), and structure-aware mutations of a real, well-formed
//! `PKCSReq` whose challenge password is wrong. Never a panic; never a
//! certificate issued (no input carries a valid challenge, so every
//! enrollment must be refused), so nothing is written to the store.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pca_connector_scep_server::scep::crypto::{Cipher, Digest};
use pca_connector_scep_server::scep::message::MessageType;
use pca_connector_scep_server::scep::requester::{Requester, generate_key};
use pca_connector_scep_server::scep::{Config, Scep};
use pca_connector_scep_server::store::{ChallengeRow, ConnectorRow, Store};
use std::sync::{Arc, OnceLock};
use x509_cert::der::Decode as _;

const CA_ARN: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
const CONNECTOR: &str = "arn:aws:pca-connector-scep:us-east-1:000000000000:connector/c1";

struct Fixture {
    store: Arc<Store>,
    scep: Scep,
    /// A well-formed PKCSReq to the connector's CA, with a wrong challenge.
    request: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("scep-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Arc::new(Store::open(&dir).expect("store"));
        store
            .transaction(|tx| {
                tx.insert_connector(&ConnectorRow {
                    seq: 0,
                    arn: CONNECTOR.into(),
                    ca_arn: CA_ARN.into(),
                    intune: None,
                    created_ms: 0,
                    ready_ms: 0,
                    fails: false,
                })?;
                tx.insert_challenge(&ChallengeRow {
                    seq: 0,
                    arn: format!("{CONNECTOR}/challenge/x"),
                    connector_arn: CONNECTOR.into(),
                    password: "the-valid-challenge".into(),
                    created_ms: 0,
                })
            })
            .expect("connector and challenge");
        let scep = Scep::new(
            Arc::clone(&store),
            Config {
                region: "us-east-1".into(),
                account_id: "000000000000".into(),
                intune_challenges: None,
            },
        );
        let ca = scep.handle(&http::Method::GET, "/scep/c1", "operation=GetCACert", b"");
        let ca = x509_cert::Certificate::from_der(&ca.body).expect("the CA certificate");
        let device =
            Requester::self_signed(generate_key(2048).expect("key"), "CN=fuzz").expect("device");
        let csr = device
            .certificate_request("CN=fuzz", Some("a-wrong-challenge"))
            .expect("CSR");
        let (request, _) = device
            .pki_message(
                &ca,
                MessageType::PkcsReq,
                "fuzz-1",
                &csr,
                Digest::Sha256,
                Cipher::Aes128,
            )
            .expect("PKCSReq");
        Fixture {
            store,
            scep,
            request,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let f = fixture();
    let body = match mode % 3 {
        // The real request, changed by 3-byte ops: (kind, position, value).
        0 => {
            let mut der = f.request.clone();
            for op in rest.chunks(3) {
                let [kind, at, value] = [op[0], *op.get(1).unwrap_or(&0), *op.get(2).unwrap_or(&0)];
                let at = (usize::from(kind) << 8 | usize::from(at)) % der.len().max(1);
                match kind % 4 {
                    0 | 1 => der[at] = value,
                    2 => der.truncate(at.max(1)),
                    _ => der.insert(at, value),
                }
            }
            der
        }
        _ => rest.to_vec(),
    };
    let before = f
        .store
        .transaction(|tx| tx.certificate_count())
        .expect("count");
    let response = if mode % 3 == 2 {
        let query = format!(
            "operation=PKIOperation&message={}",
            percent_encode(&base64(&body))
        );
        f.scep.handle(&http::Method::GET, "/scep/c1", &query, b"")
    } else {
        f.scep.handle(
            &http::Method::POST,
            "/scep/c1",
            "operation=PKIOperation",
            &body,
        )
    };
    assert!(
        matches!(response.status, 200 | 400..=599),
        "status {}",
        response.status
    );
    let after = f
        .store
        .transaction(|tx| tx.certificate_count())
        .expect("count");
    assert_eq!(
        before, after,
        "a certificate was issued without a valid challenge"
    );
});

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn percent_encode(s: &str) -> String {
    s.replace('%', "%25")
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}
