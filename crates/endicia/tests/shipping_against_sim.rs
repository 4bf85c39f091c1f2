//! Rates, labels, refunds and SCAN forms against the Endicia simulator: what each answers, and
//! each refusal the client can meet, as its kind.

mod common;

use common::{demo_with, sim};
use endicia::{Credentials, ElsErrorKind, EndiciaError, LabelAddress, LabelSpec, Parcel};
use endicia_sim::{DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE};
use rust_decimal::Decimal;

fn demo() -> Credentials {
    demo_with(DEMO_PASS_PHRASE)
}

fn parcel(oz: i64) -> Parcel {
    Parcel {
        weight_oz: Decimal::from(oz),
        shape: "Parcel".into(),
        dimensions_in: Some([Decimal::from(10), Decimal::from(8), Decimal::from(4)]),
    }
}

fn address(name: &str, line1: &str, city: &str, state: &str, zip: &str) -> LabelAddress {
    LabelAddress {
        name: name.into(),
        line1: line1.into(),
        city: city.into(),
        state: state.into(),
        zip5: zip.into(),
        phone: "8165550100".into(),
        ..LabelAddress::default()
    }
}

fn spec(mail_class: &str, oz: i64, test: bool) -> LabelSpec {
    LabelSpec {
        mail_class: mail_class.into(),
        parcel: parcel(oz),
        from: address("Desk Goods", "1200 Main St", "Kansas City", "MO", "64105"),
        to: address("Ana Gomez", "55 Elm St & Co", "Denver", "CO", "80202"),
        partner_transaction_id: "order-2001".into(),
        test,
        label_size: "4x6".into(),
        image_format: "PDF".into(),
    }
}

#[tokio::test]
async fn rates_then_a_label_charged_exactly_its_price() {
    let (sim, client) = sim().await;
    let rates = client
        .rates(&demo(), &parcel(12), "64105", "80202")
        .await
        .unwrap();
    assert!(rates.len() >= 2, "{rates:?}");
    assert!(
        rates.windows(2).all(|w| w[0].total <= w[1].total),
        "cheapest first"
    );
    let priority = rates
        .iter()
        .find(|r| r.mail_class == "Priority")
        .expect("Priority");
    assert!(priority.total > Decimal::ZERO);

    // A sample costs nothing.
    let sample = client
        .postage_label(&demo(), &spec("Priority", 12, true))
        .await
        .unwrap();
    assert!(sample.image.starts_with(b"%PDF"));
    assert_eq!(
        sim.account(DEMO_ACCOUNT_ID).unwrap().balance,
        Decimal::from(100)
    );

    let label = client
        .postage_label(&demo(), &spec("Priority", 12, false))
        .await
        .unwrap();
    assert!(label.tracking_number.starts_with("94") && label.tracking_number.len() == 22);
    assert!(label.image.starts_with(b"%PDF"));
    let after = sim.account(DEMO_ACCOUNT_ID).unwrap();
    assert_eq!(after.balance, Decimal::from(100) - label.final_postage);
    assert_eq!(label.balance_after, Some(after.balance));
    let status = client.account_status(&demo(), "s").await.unwrap();
    assert_eq!(
        status.funded_total(),
        Decimal::from(100),
        "a label moves money between registers"
    );

    // Refunded once; the second ask is denied; an unknown number is denied.
    let refunds = client
        .refund(
            &demo(),
            &[
                label.tracking_number.clone(),
                "9400100000000000000000".into(),
            ],
            "r1",
        )
        .await
        .unwrap();
    assert_eq!(refunds.len(), 2);
    assert!(refunds[0].approved, "{refunds:?}");
    assert!(!refunds[1].approved);
    let again = client
        .refund(&demo(), std::slice::from_ref(&label.tracking_number), "r2")
        .await
        .unwrap();
    assert!(!again[0].approved, "{again:?}");
}

#[tokio::test]
async fn refusals_come_back_as_their_kinds() {
    let (_sim, client) = sim().await;
    // Too heavy for the class.
    let heavy = client
        .postage_label(&demo(), &spec("Priority", 2000, false))
        .await;
    assert!(
        matches!(heavy, Err(EndiciaError::Refused(ref r)) if r.code == 407),
        "{heavy:?}"
    );
    // More postage than the balance.
    for _ in 0..3 {
        let _ = client
            .postage_label(&demo(), &spec("PriorityExpress", 1000, false))
            .await;
    }
    let broke = client
        .postage_label(&demo(), &spec("PriorityExpress", 1000, false))
        .await;
    assert_eq!(
        broke.unwrap_err().kind(),
        Some(ElsErrorKind::InsufficientFunds)
    );
    // A missing element is named.
    let mut missing = spec("Priority", 12, false);
    missing.to.line1.clear();
    let err = client.postage_label(&demo(), &missing).await.unwrap_err();
    assert_eq!(err.kind(), Some(ElsErrorKind::InvalidRequest));
    assert!(err.to_string().contains("ToAddress1"), "{err}");
}

#[tokio::test]
async fn the_days_labels_go_on_one_scan_form() {
    let (_sim, client) = sim().await;
    let none = client.scan_form(&demo(), &[], Some("64105"), "s0").await;
    assert!(matches!(none, Err(EndiciaError::Refused(_))), "{none:?}");
    let a = client
        .postage_label(&demo(), &spec("GroundAdvantage", 8, false))
        .await
        .unwrap();
    let b = client
        .postage_label(&demo(), &spec("Priority", 8, false))
        .await
        .unwrap();
    let form = client
        .scan_form(
            &demo(),
            &[a.tracking_number.clone(), b.tracking_number.clone()],
            None,
            "s1",
        )
        .await
        .unwrap();
    assert!(!form.submission_id.is_empty());
    assert!(form.image.starts_with(b"%PDF"));
    // On a form: no refund any more.
    let refused = client
        .refund(&demo(), &[a.tracking_number], "r")
        .await
        .unwrap();
    assert!(!refused[0].approved);
}
