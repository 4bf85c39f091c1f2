//! Reports over a desk whose labels were bought, voided and refunded through the simulator,
//! then placed on days of November (their purchase time is the only thing the test changes).

use rust_decimal::Decimal;
use shipdesk_core::reports::{ReportPeriod, ReportQuery, VoidState};
use shipdesk_core::shipping::ShipmentStatus;

use super::harness::Rig;

fn november(period: ReportPeriod) -> ReportQuery {
    ReportQuery {
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
        period,
    }
}

#[tokio::test]
async fn a_month_of_labels_adds_up_by_day_week_and_service_with_voids_and_refunds() {
    let rig = Rig::start().await;
    let kept = rig.one_label().await;
    let canceled = rig.one_label().await;
    let disputed = rig.one_label().await;
    let december = rig.one_label().await;
    rig.shipping.void_label(canceled.id).await.unwrap();
    rig.control(
        "manifest",
        serde_json::json!({"tracking_numbers": [disputed.tracking_number]}),
    )
    .await;
    let refund = rig.shipping.void_label(disputed.id).await.unwrap();
    assert_eq!(refund.shipment.status, ShipmentStatus::RefundRequested);
    for (shipment, at) in [
        (&kept, "2026-11-02T15:00:00Z"),
        (&canceled, "2026-11-02T16:30:00.5Z"),
        (&disputed, "2026-11-10T15:00:00Z"),
        (&december, "2026-12-01T15:00:00Z"),
    ] {
        rig.alter_database(
            "UPDATE shipments SET created_at = ?1 WHERE id = ?2",
            rusqlite::params![at, shipment.id],
        );
    }

    let reports = rig.desk.reports();
    let report = reports.report(&november(ReportPeriod::Week)).unwrap();
    let t = &report.totals;
    assert_eq!(t.labels, 2, "the kept and the disputed label");
    assert_eq!(t.postage, kept.postage + disputed.postage);
    assert_eq!((t.voided, t.voided_postage), (1, canceled.postage));
    assert_eq!(
        (t.refunds_pending, t.refunds_pending_postage),
        (1, disputed.postage)
    );
    assert_eq!(t.orders, 2);
    assert_eq!(
        t.average_per_order,
        Some(((kept.postage + disputed.postage) / Decimal::from(2)).round_dp(2))
    );
    assert_eq!(t.samples, 3, "Sandbox labels are samples");

    let weeks: Vec<_> = report
        .spend
        .iter()
        .map(|w| (w.start.as_str(), w.labels))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-11-01", 1),
            ("2026-11-08", 1),
            ("2026-11-15", 0),
            ("2026-11-22", 0),
            ("2026-11-29", 0),
        ]
    );
    let second = &report.labels_per_day[1];
    assert_eq!(
        (second.day.as_str(), second.labels, second.voided),
        ("2026-11-02", 1, 1)
    );
    assert_eq!(report.services.len(), 1);
    assert_eq!(report.services[0].service_name, kept.service_name);

    let voids: Vec<_> = report
        .voids
        .iter()
        .map(|v| (v.tracking_number.as_str(), v.state))
        .collect();
    assert_eq!(
        voids,
        [
            (disputed.tracking_number.as_str(), VoidState::RefundPending),
            (canceled.tracking_number.as_str(), VoidState::Canceled),
        ]
    );
    assert_eq!(report.voids[0].dispute_id, refund.shipment.dispute_id);
    assert_eq!(report.voids[0].provider_status.as_deref(), Some("DISPUTED"));
    assert_eq!(report.voids[1].provider_status.as_deref(), Some("CANCELED"));

    // The CSV: the three November labels, oldest first, written where asked.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("november.csv");
    reports
        .save_labels_csv(&november(ReportPeriod::Day), &path)
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let tracking: Vec<String> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap()[2].to_owned())
        .collect();
    assert_eq!(
        tracking,
        [
            kept.tracking_number.clone(),
            canceled.tracking_number.clone(),
            disputed.tracking_number.clone()
        ]
    );
}
