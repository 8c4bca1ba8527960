//! Validating a valid input allocates nothing: the collector's `Vec` stays
//! empty, paths live on the stack, and compiled patterns are shared. This
//! counts allocations (deterministic), it does not time anything; the speed
//! is measured by `cargo bench -p workspace-tests --bench validation`.

use pca_connector_scep::input::CreateConnectorRequest;
use smithy_rt::validation::Validate;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

const BODY: &str = r#"{
  "CertificateAuthorityArn": "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e",
  "ClientToken": "d6f2c2b0-6a8e-4b8e-9a3c-2f1e0d9c8b7a",
  "MobileDeviceManagement": {
    "Intune": { "AzureApplicationId": "6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b", "Domain": "login.microsoftonline.com" }
  },
  "Tags": { "team": "pki", "env": "prod", "cost center": "1234" }
}"#;

#[test]
fn validating_a_valid_input_does_not_allocate() {
    let input: CreateConnectorRequest = serde_json::from_str(BODY).unwrap();
    // The first validation compiles the patterns and warms their caches.
    input.validate().unwrap();
    let before = allocations();
    for _ in 0..100 {
        input.validate().unwrap();
    }
    assert_eq!(allocations() - before, 0);

    // An invalid input allocates, for its messages: the counter is live.
    let mut bad = input.clone();
    bad.client_token = Some(String::new());
    let before = allocations();
    assert!(bad.validate().is_err());
    assert!(allocations() > before);
}

#[test]
fn routing_does_not_allocate() {
    let path = "/connectors/arn%3Aaws%3Apca-connector-scep%3Aus-east-1%3A123456789012%3Aconnector%2F0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e";
    let get = http::Method::GET;
    pca_connector_scep::server::route(&get, path, None).unwrap();
    let before = allocations();
    for _ in 0..100 {
        let (op, labels) = pca_connector_scep::server::route(&get, path, Some("a=1")).unwrap();
        assert_eq!(op, pca_connector_scep::operation::Operation::GetConnector);
        assert_eq!(labels.len(), 1);
        assert!(pca_connector_scep::server::route(&get, "/nope", None).is_err());
    }
    assert_eq!(allocations() - before, 0);
    // Decoding a label that has escapes is the one allocation.
    let (_, labels) = pca_connector_scep::server::route(&get, path, None).unwrap();
    let before = allocations();
    let arn = labels.get(0, "ConnectorArn").unwrap();
    assert!(arn.starts_with("arn:aws:pca-connector-scep:"));
    assert_eq!(allocations() - before, 1);
}
