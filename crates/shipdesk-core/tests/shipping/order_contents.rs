//! What an order may contain, seen from shipping: an order outside the US is imported and kept,
//! and every shipping call for it is refused with its country named before anything is asked
//! of USPS; an order without items (a plain address list) has no weight, so a batch asks for
//! one, and its packing slip prints with no lines.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use rust_decimal::Decimal;
use shipdesk_core::ErrorCode;
use shipdesk_core::import::{ImportOptions, ImportSummary};
use shipdesk_core::shipping::{BatchOptions, HoldReason, WeightSource};

use super::harness::{Rig, json_of};

/// A Shopify orders export with one order to Austin and one to Ottawa.
const SHOPIFY_WITH_CANADA: &str = "Name,Email,Financial Status,Fulfillment Status,\
Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,\
Shipping Name,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,\
Shipping Province,Shipping Country,Shipping Phone,Notes,Cancelled at,Id,Tags\r\n\
#1001,ann@example.com,paid,unfulfilled,2026-11-10 09:00:00 -0600,1,Mug,12.00,MUG-1,true,Ann Lee,\
1100 Wyoming St,,,Saint Louis,63118,MO,US,,,,9001,\r\n\
#1002,guy@example.ca,paid,unfulfilled,2026-11-10 10:00:00 -0500,2,Tea tin,8.00,TEA-1,true,\
Guy Tremblay,111 Wellington St,,,Ottawa,K1A 0A9,ON,CA,,,,9002,\r\n";

fn import(rig: &Rig, dir: &tempfile::TempDir, name: &str, text: &str) -> ImportSummary {
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let orders = rig.desk.orders();
    let preview = orders.preview_file(&path, None).unwrap();
    let options = ImportOptions {
        column_mapping: preview.suggested_mapping,
        ..Default::default()
    };
    orders
        .import_file(&path, &options, |_| {}, &AtomicBool::new(false))
        .unwrap()
}

#[tokio::test]
async fn an_international_order_is_kept_priced_abroad_and_bought_only_with_its_customs_form() {
    let rig = Rig::start().await;
    let dir = tempfile::tempdir().unwrap();
    let summary = import(&rig, &dir, "orders_export.csv", SHOPIFY_WITH_CANADA);
    assert_eq!(
        (summary.new, summary.invalid),
        (2, 0),
        "{:?}",
        summary.problems
    );
    let orders = rig.desk.orders();
    let ottawa = orders.get_by_number("#1002").unwrap();
    assert_eq!(ottawa.ship_to.country, "CA");
    assert!(!ottawa.ship_to.is_domestic());

    let labels_before = rig.sim_calls("international-labels") + rig.sim_calls("labels");
    let refused = rig
        .shipping
        .buy_label(rig.request(ottawa.id))
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Validation);
    assert!(
        refused.message.contains("ships to Canada") && refused.message.contains("customs form"),
        "{}",
        refused.message
    );
    assert!(
        json_of(&refused)["details"]["fields"]["customs"].is_string(),
        "the refusal names the form: {refused:?}"
    );
    // Priced by country, its address left as entered (USPS checks US addresses only).
    let rates = rig
        .shipping
        .rates_for_order(None, ottawa.id, None, None, None)
        .await
        .unwrap();
    assert_eq!(rates.destination_country, "CA");
    assert!(
        rates
            .quotes
            .iter()
            .all(|q| q.choice.mail_class.contains("INTERNATIONAL"))
    );
    let check = rig
        .shipping
        .check_order_address(None, ottawa.id)
        .await
        .unwrap();
    assert_eq!(
        check.deliverable,
        shipdesk_core::shipping::Deliverable::NotChecked
    );
    let many = rig
        .shipping
        .rates_for_orders(None, &[ottawa.id], None, None)
        .await
        .unwrap();
    assert!(many[0].rates.is_some(), "{:?}", many[0].error);
    // A batch buys no customs form: the order is held for the Ship dialog.
    let batch = rig.batch(&[ottawa.id]);
    let preview = rig.shipping.preview_batch(&batch).await.unwrap();
    assert_eq!(preview.to_buy, 0);
    assert!(
        preview.lines[0]
            .blocked
            .as_ref()
            .unwrap()
            .message
            .contains("customs form")
    );
    let report = rig
        .shipping
        .buy_orders(
            &batch,
            &BatchOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert!(report.bought.is_empty());
    assert_eq!(report.validation_problems.len(), 1, "{report:?}");
    assert_eq!(
        rig.sim_calls("international-labels") + rig.sim_calls("labels"),
        labels_before,
        "no label was asked of USPS"
    );
    assert_eq!(rig.open_attempts(), 0);

    // Its packing slip still prints, with the country on the address.
    let slip = rig.shipping.packing_slips_pdf(&[ottawa.id], None).unwrap();
    assert!(slip.starts_with(b"%PDF"));

    // The US order of the same file ships as usual.
    let austin = orders.get_by_number("#1001").unwrap();
    rig.shipping
        .buy_label(rig.request(austin.id))
        .await
        .expect("the US order is bought");
    rig.assert_exactly_once();
    assert_eq!(rig.stored().len(), 1);
}

#[tokio::test]
async fn an_order_without_items_asks_for_a_weight_and_prints_an_empty_packing_slip() {
    let rig = Rig::start().await;
    let dir = tempfile::tempdir().unwrap();
    let summary = import(
        &rig,
        &dir,
        "addresses.csv",
        "Name,Address,City,ST,Zip\nAnn Lee,1100 Wyoming St,Saint Louis,MO,63118\n",
    );
    assert_eq!(summary.new, 1, "{:?}", summary.problems);
    let order = &rig.desk.orders().list(&Default::default()).unwrap().orders[0];
    assert!(order.items.is_empty());

    let slip = rig.shipping.packing_slips_pdf(&[order.id], None).unwrap();
    assert!(slip.starts_with(b"%PDF"));
    // The sheet had no order date: the slip dates the order by when it was entered.
    assert!(order.ordered_at.is_none());
    if let Some(text) = pdf_text(&dir, &slip) {
        let entered = &order.created_at[..10];
        assert!(text.contains(&format!("Order date: {entered}")), "{text}");
    }

    // No items, no weight: the batch holds it back until given one.
    let mut batch = rig.batch(&[order.id]);
    let preview = rig.shipping.preview_batch(&batch).await.unwrap();
    assert_eq!(preview.lines[0].weight, WeightSource::Missing);
    assert_eq!(preview.to_buy, 0);
    let report = rig
        .shipping
        .buy_orders(
            &batch,
            &BatchOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.needs_attention[0].reason, HoldReason::NoWeight);
    batch.fallback_weight_oz = Some(Decimal::from(12));
    let preview = rig.shipping.preview_batch(&batch).await.unwrap();
    assert_eq!(preview.lines[0].weight, WeightSource::Fallback);
    assert_eq!(preview.to_buy, 1);
    let report = rig
        .shipping
        .buy_orders(
            &batch,
            &BatchOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 1, "{report:?}");
    rig.assert_exactly_once();
}

/// The PDF's text by `pdftotext` (installed by `cargo xtask test`); `None`, announced, without it.
fn pdf_text(dir: &tempfile::TempDir, pdf: &[u8]) -> Option<String> {
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => {
            println!("SKIPPED: pdftotext not installed; the slip's text was not checked");
            None
        }
    }
}
