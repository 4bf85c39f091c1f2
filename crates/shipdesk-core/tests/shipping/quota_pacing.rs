//! A batch larger than USPS's hourly allowance (60 calls an hour per API on the default
//! product): the preview says up front how long it will take, and buying waits for the
//! allowance instead of spending calls on 429 refusals. Hours pass on a simulated clock that
//! moves the client's pacer and the simulator's quota windows together.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use shipdesk_core::shipping::{BatchOptions, BatchProgress};

use crate::harness::{Rig, RigOptions, SimulatedHours};

const ALLOWANCE: u32 = 60;
const ORDERS: usize = 100;

#[tokio::test]
async fn a_batch_beyond_the_hourly_allowance_says_how_long_and_waits_without_refusals() {
    let clock = Arc::new(SimulatedHours::default());
    let rig = Rig::start_with(RigOptions {
        quota_per_hour: ALLOWANCE,
        pace_clock: Some(clock.clone()),
        ..RigOptions::default()
    })
    .await;
    let orders = rig.orders(ORDERS);
    let input = rig.batch(&orders);

    let preview = rig.shipping.preview_batch(&input).await.unwrap();
    assert_eq!(preview.to_buy, ORDERS as u32);
    let duration = &preview.duration;
    // 100 address checks and 100 labels: 60 of each now, the other 40 once the first hour's
    // calls have aged out (an hour and the pacer's 5 s margin).
    assert_eq!(duration.allowance_wait_seconds, 3605, "{duration:?}");
    assert!(duration.seconds >= 3605, "{duration:?}");
    assert!(
        duration
            .message
            .contains("USPS allows this account's app 60 address checks an hour"),
        "{}",
        duration.message
    );
    assert_eq!(clock.elapsed(), Duration::ZERO, "a preview never waits");
    let before = |api: &str| rig.sim_calls(api);
    let (addresses_before, labels_before, prices_before) =
        (before("addresses"), before("labels"), before("prices"));

    let waits = Mutex::new(Vec::<BatchProgress>::new());
    let progress = |p: BatchProgress| {
        if p.waiting_for_quota_secs.is_some() {
            waits.lock().unwrap().push(p);
        }
    };
    let report = rig
        .shipping
        .buy_orders(
            &input,
            &BatchOptions::default(),
            &progress,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();

    assert_eq!(report.bought.len(), ORDERS, "{report:#?}");
    assert!(report.stopped_because.is_none(), "{report:#?}");
    // Not one call spent on a refusal: exactly one address check and one label per order.
    assert_eq!(rig.sim_calls("addresses") - addresses_before, ORDERS as u64);
    assert_eq!(rig.sim_calls("labels") - labels_before, ORDERS as u64);
    assert_eq!(
        rig.sim_calls("prices"),
        prices_before,
        "the preview's rates are reused"
    );
    rig.assert_exactly_once();
    // It took the hour the preview said, on the simulated clock, not more.
    let took = clock.elapsed();
    assert!(
        took >= Duration::from_secs(3600) && took <= Duration::from_secs(duration.seconds),
        "took {took:?}, said {duration:?}"
    );
    let waits = waits.into_inner().unwrap();
    let said = waits.first().expect("the progress says the batch waits");
    assert!(
        said.message
            .contains("waiting 1 h for USPS's hourly allowance")
            || said.message.contains("min for USPS's hourly allowance"),
        "{}",
        said.message
    );
    assert!(
        (ALLOWANCE - 4..=ALLOWANCE).contains(&said.bought),
        "it waits once the hour's calls are spent: {said:?}"
    );
}

#[tokio::test]
async fn a_batch_within_the_allowance_does_not_wait() {
    let clock = Arc::new(SimulatedHours::default());
    let rig = Rig::start_with(RigOptions {
        quota_per_hour: ALLOWANCE,
        pace_clock: Some(clock.clone()),
        ..RigOptions::default()
    })
    .await;
    let orders = rig.orders(10);
    let preview = rig
        .shipping
        .preview_batch(&rig.batch(&orders))
        .await
        .unwrap();
    assert_eq!(preview.duration.allowance_wait_seconds, 0);
    assert!(
        preview.duration.message.starts_with("About "),
        "{}",
        preview.duration.message
    );
    let report = rig
        .shipping
        .buy_orders(
            &rig.batch(&orders),
            &BatchOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 10);
    assert_eq!(clock.elapsed(), Duration::ZERO);
}
