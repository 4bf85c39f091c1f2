//! Buys 100 labels for one account against the in-process simulator and prints how many USPS
//! calls that took and what the typed client costs per call on loopback.
//!
//! `overhead_us_per_call` = median wall time of a typed `create_label` call minus the median
//! wall time of the identical request sent with a bare `reqwest::Client` (pre-serialized body,
//! tokens already in hand, body read as bytes, nothing parsed). Both go to the same simulator,
//! interleaved call by call, so the simulator's own handling cancels out and what remains is
//! the client's work: request serialization, token and payment caches, the retry wrapper,
//! multipart parsing and base64 decoding of the label. `mean_us_per_call` is plain wall time per
//! USPS call of the typed run, token and payment calls included.
//!
//! Run: `cargo run --release -p usps --example calls_per_label` (debug builds work, slower).

use std::sync::Arc;
use std::time::{Duration, Instant};

use usps::models::*;
use usps::{
    AccountConfig, AppCredentials, Environment, GrantKind, MemoryTokenStore, UspsAccount,
    UspsClient,
};
use usps_sim::{Scenario, SimConfig};

const LABELS: usize = 100;
/// The simulator's hourly allowance, and the client's: high, so no call is held.
const QUOTA: u32 = 1_000_000;
const CLIENT: &str = "shipdesk-sandbox";
const SECRET: &str = "shipdesk-sandbox-secret";

fn account(client: &UspsClient) -> UspsAccount {
    let config = AccountConfig {
        credentials: AppCredentials::new(CLIENT, SECRET),
        grant: GrantKind::ClientCredentials { scope: None },
        identity: Some(AccountIdentity {
            crid: "56982563".into(),
            mid: "902345671".into(),
            manifest_mid: "902345672".into(),
            eps_account: "1000012345".into(),
        }),
        allowance: usps::Allowance::PerHour(QUOTA),
    };
    client.account(config, Arc::new(MemoryTokenStore::default()))
}

fn label_request() -> LabelRequest {
    let day = time::OffsetDateTime::now_utc().date() + time::Duration::days(1);
    LabelRequest {
        image_info: Some(ImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("4X6LABEL".into()),
            ..Default::default()
        }),
        to_address: LabelAddress {
            first_name: Some("Joe".into()),
            last_name: Some("Doe".into()),
            street_address: "1100 Wyoming St".into(),
            city: "Saint Louis".into(),
            state: "MO".into(),
            zip_code: "63118".into(),
            ..Default::default()
        },
        from_address: LabelAddress {
            firm: Some("ACME Widgets".into()),
            street_address: "4120 Bingham Ave".into(),
            city: "Saint Louis".into(),
            state: "MO".into(),
            zip_code: "63116".into(),
            ..Default::default()
        },
        package_description: PackageDescription {
            mail_class: "USPS_GROUND_ADVANTAGE".into(),
            rate_indicator: Some("SP".into()),
            weight: 1.5,
            length: Some(9.0),
            width: Some(6.0),
            height: Some(2.0),
            processing_category: "MACHINABLE".into(),
            mailing_date: format!(
                "{:04}-{:02}-{:02}",
                day.year(),
                u8::from(day.month()),
                day.day()
            ),
            destination_entry_facility_type: "NONE".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = usps_sim::start(SimConfig::new(Scenario::demo().with_quota_per_hour(QUOTA))).await?;
    let environment = Environment::sandbox(sim.base_url());
    let typed_client = UspsClient::new(environment.clone())?;
    let buyer = account(&typed_client);

    // Tokens for the bare baseline come from a separate client so they do not count.
    let helper = account(&UspsClient::new(environment)?);
    let access = helper.access_token().await?.secret().expose().to_owned();
    let payment = helper
        .authorize_payment()
        .await?
        .payment_authorization_token
        .expose()
        .to_owned();
    let bare = reqwest::Client::new();
    let label_url = sim.base_url().join("labels/v3/label")?;
    let request = label_request();
    let body = serde_json::to_vec(&request)?;

    let mut typed = Vec::with_capacity(LABELS);
    let mut raw = Vec::with_capacity(LABELS);
    let started = Instant::now();
    let mut typed_total = Duration::ZERO;
    for _ in 0..LABELS {
        let key = IdempotencyKey::new(uuid::Uuid::new_v4().to_string());
        let t0 = Instant::now();
        let label = buyer
            .create_label(&request, &key, LabelFormat::Multipart)
            .await?;
        let elapsed = t0.elapsed();
        typed_total += elapsed;
        typed.push(elapsed);
        assert!(
            label
                .label_image
                .is_some_and(|d| d.bytes.starts_with(b"%PDF"))
        );

        let t0 = Instant::now();
        let response = bare
            .post(label_url.clone())
            .bearer_auth(&access)
            .header("X-Payment-Authorization-Token", &payment)
            .header("X-Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .header("Accept", "multipart/form-data, application/json;q=0.5")
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await?;
        assert!(
            response.status().is_success(),
            "baseline call failed: {}",
            response.status()
        );
        let _bytes = response.bytes().await?;
        raw.push(t0.elapsed());
    }
    let wall = started.elapsed();

    let counts = typed_client.call_counts();
    let calls = counts.total();
    let typed_median = median(typed);
    let raw_median = median(raw);
    let overhead = typed_median.as_secs_f64() - raw_median.as_secs_f64();
    println!(
        "labels={LABELS} usps_calls={calls} calls_per_label={:.2} overhead_us_per_call={:.0}",
        calls as f64 / LABELS as f64,
        overhead * 1e6
    );
    let breakdown: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(api, n)| format!("calls_{}={n}", api.name().replace('-', "_")))
        .collect();
    println!(
        "{} typed_median_us={:.0} bare_median_us={:.0} mean_us_per_call={:.0} wall_ms={}",
        breakdown.join(" "),
        typed_median.as_secs_f64() * 1e6,
        raw_median.as_secs_f64() * 1e6,
        typed_total.as_secs_f64() * 1e6 / calls as f64,
        wall.as_millis()
    );
    sim.shutdown().await;
    Ok(())
}
