//! Refunds (per piece, once, within 10 days, not after a SCAN form) and SCAN forms.

mod common;

use std::time::Duration;

use base64::Engine;
use common::*;
use endicia_sim::{DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE, EndiciaSimHandle, LedgerKind};

async fn refund(sim: &EndiciaSimHandle, items: &str) -> String {
    let xml = format!(
        "<RefundRequest><RequesterID>lxxx</RequesterID><RequestID>rf</RequestID>{}{items}</RefundRequest>",
        ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE)
    );
    let body = call(sim, "GetRefundXML", "refundRequestXML", &xml).await;
    assert!(
        tag(&body, "Status").is_none(),
        "RefundResponse has no Status"
    );
    body
}

fn pics(list: &[&str]) -> String {
    let inner: String = list
        .iter()
        .map(|p| format!("<PicNumber>{p}</PicNumber>"))
        .collect();
    format!("<PicNumbers>{inner}</PicNumbers>")
}

async fn scan(sim: &EndiciaSimHandle, params: &str) -> String {
    let xml = format!(
        "<SCANRequest><RequesterID>lxxx</RequesterID><RequestID>sc</RequestID>{}{params}</SCANRequest>",
        ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE)
    );
    let body = call(sim, "GetSCANXML", "scanRequestXML", &xml).await;
    assert!(tag(&body, "Status").is_none(), "SCANResponse has no Status");
    body
}

#[tokio::test]
async fn refund_is_approved_once_then_denied() {
    let sim = sandbox().await;
    let body = buy_label(&sim).await;
    let pic = tag(&body, "TrackingNumber").unwrap();
    let postage = dec(&tag(&body, "FinalPostage").unwrap());

    let first = refund(&sim, &pics(&[&pic, "9400100000000000000000"])).await;
    assert!(first.contains(&format!("<Refund PicNumber=\"{pic}\" TransactionId=\"1\" PieceNumber=\"1\"><RefundStatus>Approved</RefundStatus>")), "{first}");
    assert!(first.contains("<Refund PicNumber=\"9400100000000000000000\" TransactionId=\"0\" PieceNumber=\"0\"><RefundStatus>DeniedInvalid</RefundStatus>"), "{first}");
    assert!(dec(&tag(&first, "FormId").unwrap()) > dec("0"));
    // Zero delay (the default): credited at once, with a ledger entry.
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, dec("100"));
    let ledger = sim.ledger();
    assert_eq!(ledger.last().unwrap().kind, LedgerKind::RefundCredit);
    assert_eq!(ledger.last().unwrap().amount, postage);

    let second = refund(
        &sim,
        "<TransactionIds><TransactionId>1</TransactionId></TransactionIds>",
    )
    .await;
    assert!(
        second.contains("<RefundStatus>DeniedInvalid</RefundStatus>"),
        "{second}"
    );
    assert!(
        tag(&second, "RefundStatusMessage")
            .unwrap()
            .contains("already")
    );
    assert_eq!(tag(&second, "FormId").as_deref(), Some("0"));
    assert_eq!(sim.ledger().len(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn refund_credit_waits_for_the_delay_and_old_labels_are_denied() {
    let sim = sandbox().await;
    sim.faults()
        .set_refund_delay(Duration::from_secs(14 * 24 * 3600));
    let a = tag(&buy_label(&sim).await, "TrackingNumber").unwrap();
    let b = tag(&buy_label(&sim).await, "TrackingNumber").unwrap();
    let after_labels = sim.account(DEMO_ACCOUNT_ID).unwrap().balance;
    let body = refund(&sim, &pics(&[&a])).await;
    assert!(
        body.contains("<RefundStatus>Approved</RefundStatus>"),
        "{body}"
    );
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, after_labels);
    // Eleven days later: the second label is too old, and the first credit is not due yet.
    sim.faults()
        .advance_clock(Duration::from_secs(11 * 24 * 3600));
    let late = refund(&sim, &pics(&[&b])).await;
    assert!(
        tag(&late, "RefundStatusMessage")
            .unwrap()
            .contains("10 days"),
        "{late}"
    );
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, after_labels);
    sim.faults()
        .advance_clock(Duration::from_secs(4 * 24 * 3600));
    assert!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance > after_labels);
    assert_eq!(sim.ledger().last().unwrap().kind, LedgerKind::RefundCredit);
    sim.shutdown().await;
}

#[tokio::test]
async fn scan_form_for_the_days_labels() {
    let sim = sandbox().await;
    let none = scan(&sim, "<GetSCANRequestParameters ImageFormat=\"PDF\" />").await;
    assert!(
        tag(&none, "ErrorMessage")
            .unwrap()
            .to_lowercase()
            .contains("no shipments"),
        "{none}"
    );
    assert!(tag(&none, "SubmissionID").is_none());

    let a = tag(&buy_label(&sim).await, "TrackingNumber").unwrap();
    buy_label(&sim).await;
    let form = scan(&sim, "<GetSCANRequestParameters ImageFormat=\"PDF\" />").await;
    assert!(tag(&form, "ErrorMessage").is_none(), "{form}");
    assert_eq!(tag(&form, "RequestID").as_deref(), Some("sc"));
    let sub = tag(&form, "SubmissionID").unwrap();
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(tag(&form, "SCANForm").unwrap())
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));

    // Both pieces are on it: nothing is left, and they can no longer be refunded.
    let again = scan(&sim, "").await;
    assert!(
        tag(&again, "ErrorMessage")
            .unwrap()
            .to_lowercase()
            .contains("no shipments")
    );
    let denied = refund(&sim, &pics(&[&a])).await;
    assert!(
        denied.contains("DeniedInvalid") && denied.contains("SCAN"),
        "{denied}"
    );

    let reprint = scan(
        &sim,
        &format!("<GetSCANRequestParameters SubmissionID=\"{sub}\" />"),
    )
    .await;
    assert_eq!(tag(&reprint, "SubmissionID"), Some(sub));
    assert!(tag(&reprint, "SCANForm").is_some());
    let missing = scan(&sim, "<GetSCANRequestParameters SubmissionID=\"42\" />").await;
    assert!(tag(&missing, "ErrorMessage").unwrap().contains("105"));
    sim.shutdown().await;
}
