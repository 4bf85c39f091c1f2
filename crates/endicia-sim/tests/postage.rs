//! Buying postage, labels (live and sample) and rate quotes, checked against the ledger.

mod common;

use base64::Engine;
use common::*;
use endicia_sim::{DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE, LedgerKind};

#[tokio::test]
async fn buy_postage_and_its_limits() {
    let sim = sandbox().await;
    let ok = buy(&sim, "25.00").await;
    assert_eq!(status(&ok), 0, "{ok}");
    assert_eq!(tag(&ok, "PostageBalance").as_deref(), Some("125.00"));
    assert_eq!(tag(&ok, "RequestID").as_deref(), Some("buy-25.00"));
    assert!(tag(&ok, "TransactionID").is_some());
    let ledger = sim.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].kind, LedgerKind::Purchase);
    assert_eq!(ledger[0].amount, dec("25"));
    assert_eq!(ledger[0].request_id.as_deref(), Some("buy-25.00"));
    assert_eq!(
        ledger[0].transaction_id.to_string(),
        tag(&ok, "TransactionID").unwrap()
    );

    let low = buy(&sim, "5").await;
    assert_eq!(status(&low), 12118);
    assert!(
        tag(&low, "ErrorMessage")
            .unwrap()
            .starts_with("The purchase amount is too low. Error encountered (Log ID: ")
    );
    assert_eq!(tag(&low, "SerialNumber").as_deref(), Some("-1"));
    assert_eq!(tag(&low, "PostageBalance").as_deref(), Some("0.00"));
    assert_eq!(status(&buy(&sim, "0").await), 1020);
    assert_eq!(status(&buy(&sim, "100000").await), 1020);
    assert_eq!(status(&buy(&sim, "12.345").await), 1020);
    assert_eq!(status(&buy(&sim, "500.01").await), 12119, "per purchase");
    assert_eq!(status(&buy(&sim, "500").await), 0);
    // 625 now; the ceiling is 1000.
    let ceiling = buy(&sim, "400").await;
    assert_eq!(status(&ceiling), 12119, "ceiling: {ceiling}");
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, dec("625"));
    assert_eq!(sim.ledger().len(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_label_debits_exactly_its_final_postage() {
    let sim = sandbox().await;
    let body = label(
        &sim,
        &label_xml(
            "Test=\"no\" ImageFormat=\"pdf\" LabelSize=\"4X6\"",
            "priority",
            "12",
            "<Services SignatureConfirmation=\"on\" /><ResponseOptions PostagePrice=\"true\" /><ReferenceID>order-7</ReferenceID>",
        ),
    )
    .await;
    assert_eq!(status(&body), 0, "{body}");
    let postage = dec(&tag(&body, "FinalPostage").unwrap());
    // Zone 8 (100 vs 902), 1 lb Priority + signature confirmation.
    assert_eq!(postage, dec("13.09"));
    assert_eq!(tag(&body, "TransactionID").as_deref(), Some("1"));
    assert_eq!(tag(&body, "PostageBalance").as_deref(), Some("86.91"));
    assert_eq!(tag(&body, "ReferenceID").as_deref(), Some("order-7"));
    let tracking = tag(&body, "TrackingNumber").unwrap();
    assert_eq!(tracking.len(), 22);
    assert!(tracking.starts_with("94108"), "signature STC: {tracking}");
    assert_eq!(tag(&body, "PIC"), Some(tracking.clone()));
    assert_eq!(tag(&body, "TransactionDateTime").unwrap().len(), 14);
    assert_eq!(tag(&body, "PostmarkDate").unwrap().len(), 8);
    assert!(
        body.contains("<PostagePrice TotalAmount=\"13.09\">"),
        "{body}"
    );
    assert!(body.contains("<SignatureConfirmation>1.95</SignatureConfirmation>"));
    let image = base64::engine::general_purpose::STANDARD
        .decode(tag(&body, "Base64LabelImage").unwrap())
        .unwrap();
    assert!(image.starts_with(b"%PDF"));

    let snap = sim.account(DEMO_ACCOUNT_ID).unwrap();
    assert_eq!(snap.balance, dec("100") - postage);
    assert_eq!(snap.ascending, postage);
    assert_eq!(snap.piece_count, 1);
    let ledger = sim.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].kind, LedgerKind::Label);
    assert_eq!(ledger[0].amount, -postage);
    assert_eq!(
        ledger[0].tracking_number.as_deref(),
        Some(tracking.as_str())
    );
    assert_eq!(ledger[0].transaction_id, 1);

    // Delivery confirmation is added by default: STC 055 for Priority, no fee.
    let plain = label(&sim, &label_xml("", "Priority", "12", "")).await;
    assert_eq!(tag(&plain, "FinalPostage").as_deref(), Some("11.14"));
    assert!(tag(&plain, "TrackingNumber").unwrap().starts_with("94055"));
    assert!(
        tag(&plain, "Base64LabelImage")
            .unwrap()
            .starts_with("iVBOR")
    );
    let status_body = account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await;
    assert_eq!(tag(&status_body, "SerialNumber").as_deref(), Some("2"));
    assert_eq!(
        tag(&status_body, "AscendingBalance").as_deref(),
        Some("24.23")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn sample_labels_cost_nothing() {
    let sim = sandbox().await;
    let body = label(
        &sim,
        &label_xml(
            "Test=\"YES\" ImageFormat=\"ZPLII\"",
            "GroundAdvantage",
            "40",
            "",
        ),
    )
    .await;
    assert_eq!(status(&body), 0, "{body}");
    assert_eq!(tag(&body, "TransactionID").as_deref(), Some("0"));
    assert!(dec(&tag(&body, "FinalPostage").unwrap()) > dec("0"));
    let zpl = base64::engine::general_purpose::STANDARD
        .decode(tag(&body, "Base64LabelImage").unwrap())
        .unwrap();
    assert!(zpl.starts_with(b"^XA"));
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, dec("100"));
    assert!(sim.ledger().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn label_validation_and_insufficient_funds() {
    let sim = sandbox().await;
    let missing = label(
        &sim,
        &label_xml("", "Priority", "12", "").replace("<ToAddress1>2 Ocean Ave</ToAddress1>", ""),
    )
    .await;
    assert_eq!(status(&missing), 1001);
    assert!(
        tag(&missing, "ErrorMessage")
            .unwrap()
            .starts_with("Missing or invalid element: ToAddress1.")
    );
    assert_eq!(tag(&missing, "FinalPostage").as_deref(), Some("0.00"));
    assert_eq!(tag(&missing, "TransactionID").as_deref(), Some("0"));
    assert_eq!(
        status(&label(&sim, &label_xml("", "Teleport", "12", "")).await),
        405
    );
    assert_eq!(
        status(&label(&sim, &label_xml("", "Priority", "1121", "")).await),
        407
    );
    assert_eq!(
        status(&label(&sim, &label_xml("", "Priority", "0", "")).await),
        406
    );
    let no_partner = label_xml("", "Priority", "12", "")
        .replace("<PartnerTransactionID>txn-1</PartnerTransactionID>", "");
    assert_eq!(status(&label(&sim, &no_partner).await), 1001);
    let wrong_pass = label_xml("", "Priority", "12", "").replace(DEMO_PASS_PHRASE, "not it");
    assert_eq!(status(&label(&sim, &wrong_pass).await), 12507);

    // 70 lb Priority Express to zone 8 costs more than the 100.00 balance.
    let poor = label(&sim, &label_xml("", "Express", "1120", "")).await;
    assert_eq!(status(&poor), 12503, "{poor}");
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, dec("100"));
    assert!(sim.ledger().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn rates_do_not_debit() {
    let sim = sandbox().await;
    let rates_xml = format!(
        "<PostageRatesRequest><RequesterID>lxxx</RequesterID>{}<MailClass>domestic</MailClass><WeightOz>12</WeightOz><FromPostalCode>10001</FromPostalCode><ToPostalCode>90210</ToPostalCode></PostageRatesRequest>",
        ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE)
    );
    let body = call(
        &sim,
        "CalculatePostageRatesXML",
        "postageRatesRequestXML",
        &rates_xml,
    )
    .await;
    assert_eq!(status(&body), 0, "{body}");
    // 12 oz is within every class (First-Class Mail stops at 13 oz): seven prices.
    assert_eq!(body.matches("<PostagePrice ").count(), 7, "{body}");
    assert!(body.contains("<MailClass>Priority</MailClass>"));
    assert!(body.contains("<IntraBMC>"));
    // Rate calls add no default Delivery Confirmation fee, and classes a piece is too heavy
    // for are left out: at 14 oz First-Class Mail (13 oz max) drops away.
    let heavier = rates_xml.replace("<WeightOz>12</WeightOz>", "<WeightOz>14</WeightOz>");
    let body = call(
        &sim,
        "CalculatePostageRatesXML",
        "postageRatesRequestXML",
        &heavier,
    )
    .await;
    assert_eq!(body.matches("<PostagePrice ").count(), 6, "{body}");
    assert!(!body.contains("<MailClass>First</MailClass>"));

    let single = format!(
        "<PostageRateRequest><RequesterID>lxxx</RequesterID>{}<MailClass>Priority</MailClass><WeightOz>12</WeightOz><FromPostalCode>10001</FromPostalCode><ToPostalCode>90210</ToPostalCode></PostageRateRequest>",
        ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE)
    );
    let one = call(
        &sim,
        "CalculatePostageRateXML",
        "postageRateRequestXML",
        &single,
    )
    .await;
    assert_eq!(status(&one), 0, "{one}");
    assert_eq!(tag(&one, "Zone").as_deref(), Some("8"));
    assert_eq!(tag(&one, "Rate").as_deref(), Some("11.14"));
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, dec("100"));
    assert!(sim.ledger().is_empty());
    sim.shutdown().await;
}
