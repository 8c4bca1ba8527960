//! The generated client against a local server: create a connector, wait
//! until it is ACTIVE, create a challenge, list connectors page by page,
//! and handle a modelled error. The README shows this file.
//!
//! ```sh
//! cargo run -p pca-connector-scep-server -- --listen 127.0.0.1:8080 &
//! cargo run -p pca-connector-scep-server --example client -- http://127.0.0.1:8080
//! ```

use pca_connector_scep::client::{Client, Config, Credentials, Error};
use pca_connector_scep::input::{
    CreateChallengeRequest, CreateConnectorRequest, GetConnectorRequest, ListConnectorsRequest,
};
use pca_connector_scep::operation::GetConnectorError;
use pca_connector_scep::types::ConnectorStatus;
use std::time::Duration;

const CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
    // Explicit settings; `Config::from_env()?` reads AWS_REGION,
    // AWS_ENDPOINT_URL(_PCA_CONNECTOR_SCEP), the credentials chain and the
    // shared config files instead.
    let config = Config::builder()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .credentials(Credentials::new("test", "test", None))
        .build();
    let client = Client::new(config);

    // A ClientToken is filled in (and kept across retries) when unset.
    let created = client
        .create_connector(CreateConnectorRequest::new(CA))
        .await?;
    let arn = created.connector_arn.ok_or("no connector ARN")?;

    // Connectors are CREATING for a moment.
    loop {
        let got = client.get_connector(GetConnectorRequest::new(&arn)).await?;
        let status = got.connector.and_then(|c| c.status);
        if status == Some(ConnectorStatus::Active) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let challenge = client
        .create_challenge(CreateChallengeRequest::new(&arn))
        .await?;
    let challenge_arn = challenge.challenge.and_then(|c| c.arn);
    println!("connector {arn} is active; challenge {challenge_arn:?}");

    // Every connector, two a page: the paginator sends each NextToken back.
    let mut request = ListConnectorsRequest::new();
    request.max_results = Some(2);
    let mut pages = client.list_connectors_paginator(request);
    let mut n = 0;
    while let Some(page) = pages.next().await {
        for connector in page?.connectors.unwrap_or_default() {
            n += 1;
            println!("{n}: {:?} {:?}", connector.arn, connector.status);
        }
    }

    // A modelled error arrives as its variant, with its members.
    let missing = "arn:aws:pca-connector-scep:us-east-1:123456789012:connector/00000000-0000-0000-0000-000000000000";
    match client
        .get_connector(GetConnectorRequest::new(missing))
        .await
    {
        Err(Error::Modeled(GetConnectorError::ResourceNotFoundException(e), meta)) => {
            println!("not found: {e} (request id {:?})", meta.request_id);
        }
        Err(e) => return Err(e.into()),
        Ok(_) => return Err("a connector that does not exist was found".into()),
    }
    Ok(())
}
