//! The everyday paths: rates (and that the cache saves quota), address check, buy, the
//! one-label-per-order rule and the in-flight guard, documents, void, End of Day, pickup.

use std::process::Command;

use shipdesk_core::orders::{Address, OrderStatus};
use shipdesk_core::shipping::{
    Deliverable, LabelLayout, LabelPreview, PickupInput, PickupStatus, ShipToChoice, ShipmentQuery,
    ShipmentStatus,
};
use shipdesk_core::{ErrorCode, ErrorDetails};

use crate::harness::{Rig, package};

#[tokio::test]
async fn rates_for_fifty_orders_ask_usps_once_per_distinct_request() {
    let rig = Rig::start().await;
    let orders = rig.orders(50); // five distinct destination ZIP codes
    let before = rig.sim_calls("prices");
    let view = rig
        .shipping
        .rates_for_orders(None, &orders, Some(package()), None)
        .await
        .unwrap();
    assert_eq!(view.len(), 50);
    assert!(view.iter().all(|o| o.error.is_none() && o.rates.is_some()));
    // One published and one contract list per distinct destination.
    assert_eq!(rig.sim_calls("prices") - before, 5 * 2);
    // Asking again costs nothing.
    let again = rig
        .shipping
        .rates_for_order(None, orders[7], Some(package()), None, None)
        .await
        .unwrap();
    assert!(again.from_cache);
    assert_eq!(rig.sim_calls("prices") - before, 10);

    let quotes = &view[0].rates.as_ref().unwrap().quotes;
    let pm = quotes
        .iter()
        .find(|q| q.choice.mail_class == "PRIORITY_MAIL" && q.choice.rate_indicator == "SP")
        .expect("Priority Mail offered");
    let (retail, commercial, contract) = (
        pm.retail.unwrap(),
        pm.commercial.unwrap(),
        pm.contract.unwrap(),
    );
    // The demo business holds no contract: USPS answers the published price with warning 001,
    // and its labels cost the commercial price.
    assert!(retail > commercial && commercial == contract, "{pm:?}");
    assert!(pm.contract_rate_not_found);
    assert_eq!(pm.price, Some(commercial));
    assert!(pm.zone.is_some() && pm.delivery_days.is_some());
    // Cheapest first.
    let prices: Vec<_> = quotes.iter().map(|q| q.price).collect();
    let mut sorted = prices.clone();
    sorted.sort();
    assert_eq!(prices, sorted);
}

#[tokio::test]
async fn address_check_shows_usps_suggestion_and_flags_unknown_addresses() {
    let rig = Rig::start().await;
    let entered = Address {
        name: "Ada Lovelace".into(),
        street1: "1100 wyoming street".into(),
        city: "saint louis".into(),
        state: "MO".into(),
        zip5: "63118".into(),
        country: "US".into(),
        ..Default::default()
    };
    let check = rig.shipping.check_address(None, &entered).await.unwrap();
    let suggested = check.standardized.clone().expect("a match");
    assert_eq!(suggested.street1, "1100 WYOMING ST");
    assert!(suggested.zip4.is_some());
    assert!(check.differences.iter().any(|d| d.field == "street1"));
    // A large round house number without a unit is a multi-unit building in the simulator:
    // matched, but the apartment is missing (DPV D, correction 32).
    assert_eq!(check.deliverable, Deliverable::Unknown);
    assert!(
        check.usps_notes.iter().any(|c| c.starts_with("32"))
            && check.corrections.iter().any(|c| c.contains("apartment")),
        "{:?} {:?}",
        check.usps_notes,
        check.corrections
    );
    let house = Address {
        street1: "2516 w north avenue".into(),
        city: "Chicago".into(),
        state: "IL".into(),
        zip5: "60647".into(),
        ..entered.clone()
    };
    let confirmed = rig.shipping.check_address(None, &house).await.unwrap();
    assert_eq!(confirmed.deliverable, Deliverable::Yes, "{confirmed:?}");

    let nowhere = Address {
        street1: "Nowhere Lane".into(),
        ..entered.clone()
    };
    let flagged = rig.shipping.check_address(None, &nowhere).await.unwrap();
    assert_eq!(flagged.deliverable, Deliverable::No);
    assert!(flagged.standardized.is_none() && flagged.message.is_some());

    // The accepted suggestion is what the shipment records and prints.
    let order = rig.orders(1)[0];
    let mut request = rig.request(order);
    request.ship_to = ShipToChoice::Standardized {
        address: Box::new(suggested.clone()),
    };
    let bought = rig.shipping.buy_label(request).await.unwrap().shipment;
    assert_eq!(bought.address_choice, "standardized");
    assert_eq!(bought.ship_to.street1, "1100 WYOMING ST");
    let docs = rig.shipping.label_documents(&[bought.id], None).unwrap();
    assert_eq!(docs.len(), 1);
}

#[tokio::test]
async fn one_label_per_order_unless_another_is_asked_for() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let first = rig.shipping.buy_label(rig.request(order)).await.unwrap();
    assert!(!first.resumed_earlier_attempt);
    let s = &first.shipment;
    assert_eq!(s.status, ShipmentStatus::LabelCreated);
    assert!(s.postage > rust_decimal::Decimal::ZERO);
    assert_eq!(s.tracking_number.len(), 22);
    let orders = rig.desk.orders();
    assert_eq!(orders.get(order).unwrap().status, OrderStatus::Shipped);

    let again = rig
        .shipping
        .buy_label(rig.request(order))
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
    assert!(again.message.contains(&s.tracking_number));

    let mut another = rig.request(order);
    another.allow_additional_label = true;
    let second = rig.shipping.buy_label(another).await.unwrap().shipment;
    assert_ne!(second.tracking_number, s.tracking_number);
    assert_eq!(rig.charged().len(), 2);
}

#[tokio::test]
async fn a_second_concurrent_buy_of_the_same_order_is_refused() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    rig.control(
        "latency",
        serde_json::json!({"target": "labels", "millis": 400}),
    )
    .await;
    let (a, b) = tokio::join!(rig.shipping.buy_label(rig.request(order)), async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(rig.shipping.purchase_in_flight(order));
        rig.shipping.buy_label(rig.request(order)).await
    });
    assert!(a.is_ok());
    let refused = b.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert_eq!(
        refused.details.as_deref(),
        Some(&ErrorDetails::PurchaseInFlight { order_id: order })
    );
    assert!(!rig.shipping.purchase_in_flight(order));
    rig.assert_exactly_once();
}

/// `pdftotext` / `pdftoppm` / `zbarimg` when installed.
fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

#[tokio::test]
async fn labels_print_as_4x6_pages_with_the_address_and_a_scannable_barcode() {
    let rig = Rig::start().await;
    let orders = rig.orders(3);
    let mut ids = Vec::new();
    for &o in &orders {
        ids.push(
            rig.shipping
                .buy_label(rig.request(o))
                .await
                .unwrap()
                .shipment,
        );
    }
    // Stored exactly as USPS returned it.
    let (original, ct) = rig.shipping.label_original(ids[0].id).unwrap();
    assert!(original.starts_with(b"%PDF") && ct.contains("pdf"));

    let shipment_ids: Vec<i64> = ids.iter().map(|s| s.id).collect();
    rig.shipping
        .set_label_layout(LabelLayout::FourBySix)
        .unwrap();
    let jobs = rig
        .shipping
        .print_labels(&shipment_ids, None, None)
        .unwrap();
    assert_eq!(jobs, 1);
    assert!(rig.shipping.shipment(ids[0].id).unwrap().printed);
    let pdf = rig.printer.jobs.lock().unwrap()[0].1.clone();
    assert!(pdf.starts_with(b"%PDF"));

    let letter = rig
        .shipping
        .label_documents(&shipment_ids, Some(LabelLayout::Letter))
        .unwrap();
    assert_eq!(letter.len(), 1);

    match rig.shipping.label_preview(ids[0].id).unwrap() {
        LabelPreview::Svg { svg } => assert!(svg.contains("<svg")),
        other => panic!("sandbox labels preview as SVG, got {other:?}"),
    }
    let slips = rig.shipping.packing_slips_pdf(&orders, None).unwrap();
    assert!(slips.starts_with(b"%PDF"));

    if !(tool("pdftotext") && tool("pdftoppm") && tool("zbarimg")) {
        println!(
            "SKIPPED: pdftotext/pdftoppm/zbarimg not installed; PDF text and barcode not checked"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.pdf");
    let written = rig
        .shipping
        .save_labels_pdf(&[ids[0].id], Some(LabelLayout::FourBySix), &path)
        .unwrap();
    assert_eq!(written, vec![path.clone()]);
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("288 x 432 pts"), "{info}");
    let all = dir.path().join("all.pdf");
    std::fs::write(&all, &pdf).unwrap();
    let all_info = Command::new("pdfinfo").arg(&all).output().unwrap();
    let all_info = String::from_utf8_lossy(&all_info.stdout);
    assert!(all_info.contains("Pages:           3"), "{all_info}");
    let text = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("1100 WYOMING ST"), "{text}");
    assert!(text.contains("SAINT LOUIS MO 63118"), "{text}");
    let png = dir.path().join("page");
    assert!(
        Command::new("pdftoppm")
            .args(["-r", "300", "-png", "-singlefile"])
            .arg(&path)
            .arg(&png)
            .status()
            .unwrap()
            .success()
    );
    let scan = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.path().join("page.png"))
        .output()
        .unwrap();
    let codes = String::from_utf8_lossy(&scan.stdout);
    assert!(
        codes.lines().any(|l| l.trim() == ids[0].tracking_number),
        "decoded {codes:?}, wanted {}",
        ids[0].tracking_number
    );
}

#[tokio::test]
async fn void_cancels_before_manifest_and_requests_a_refund_after() {
    let rig = Rig::start().await;
    let orders = rig.orders(2);
    let a = rig
        .shipping
        .buy_label(rig.request(orders[0]))
        .await
        .unwrap()
        .shipment;
    let b = rig
        .shipping
        .buy_label(rig.request(orders[1]))
        .await
        .unwrap()
        .shipment;

    let voided = rig
        .shipping
        .void_by_tracking(&a.tracking_number)
        .await
        .unwrap();
    assert_eq!(voided.usps_status, "CANCELED");
    assert_eq!(voided.shipment.status, ShipmentStatus::Voided);
    let svc = rig.desk.orders();
    assert_eq!(
        svc.get(orders[0]).unwrap().status,
        OrderStatus::AwaitingShipment
    );
    let twice = rig.shipping.void_label(a.id).await.unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict);

    rig.control(
        "manifest",
        serde_json::json!({"tracking_numbers": [b.tracking_number]}),
    )
    .await;
    let refund = rig.shipping.void_label(b.id).await.unwrap();
    assert_eq!(refund.usps_status, "DISPUTED");
    assert_eq!(refund.shipment.status, ShipmentStatus::RefundRequested);
    assert!(refund.shipment.dispute_id.is_some());
    let again = rig.shipping.void_label(b.id).await.unwrap_err();
    assert!(again.message.contains("refund"), "{}", again.message);
    rig.assert_exactly_once();
    // The voided order can be bought again without asking for an additional label.
    rig.shipping
        .buy_label(rig.request(orders[0]))
        .await
        .unwrap();
}

#[tokio::test]
async fn end_of_day_scan_form_then_labels_on_it_cannot_be_voided() {
    let rig = Rig::start().await;
    let orders = rig.orders(3);
    for &o in &orders {
        rig.shipping.buy_label(rig.request(o)).await.unwrap();
    }
    let prefill = rig.shipping.pickup_prefill(None, None, None).unwrap();
    assert_eq!(prefill.packages.iter().map(|p| p.count).sum::<u32>(), 3);
    assert_eq!(prefill.estimated_weight_lb.to_string(), "3.8");

    let forms = rig.shipping.create_scan_forms(None, None).await.unwrap();
    assert_eq!(forms.len(), 1);
    assert_eq!(forms[0].label_count, 3);
    assert!(!forms[0].manifest_number.is_empty());
    assert!(
        rig.shipping
            .scan_form_pdf(forms[0].id)
            .unwrap()
            .starts_with(b"%PDF")
    );
    assert_eq!(rig.shipping.scan_forms().unwrap().len(), 1);
    let nothing_left = rig
        .shipping
        .create_scan_forms(None, None)
        .await
        .unwrap_err();
    assert_eq!(nothing_left.code, ErrorCode::Validation);

    let on_form = &rig.shipping.shipments(&ShipmentQuery::default()).unwrap()[0];
    let refused = rig.shipping.void_label(on_form.id).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert!(refused.message.contains("SCAN form"));
}

#[tokio::test]
async fn pickup_eligibility_schedule_and_cancel() {
    let rig = Rig::start().await;
    let o = rig.orders(2);
    for &id in &o {
        rig.shipping.buy_label(rig.request(id)).await.unwrap();
    }
    let eligible = rig.shipping.pickup_eligibility(None, None).await.unwrap();
    assert!(eligible.eligible, "{eligible:?}");
    let prefill = rig.shipping.pickup_prefill(None, None, None).unwrap();
    let date = next_weekday();
    let pickup = rig
        .shipping
        .schedule_pickup(PickupInput {
            account_id: None,
            ship_from_id: None,
            pickup_date: date,
            packages: prefill.packages.clone(),
            estimated_weight_lb: prefill.estimated_weight_lb,
            package_location: "front_door".into(),
            special_instructions: None,
        })
        .await
        .unwrap();
    assert_eq!(pickup.package_count, 2);
    assert_eq!(pickup.status, PickupStatus::Scheduled);
    let canceled = rig.shipping.cancel_pickup(pickup.id).await.unwrap();
    assert_eq!(canceled.status, PickupStatus::Canceled);
    assert_eq!(
        rig.shipping
            .cancel_pickup(pickup.id)
            .await
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
}

fn next_weekday() -> String {
    let mut d = time::OffsetDateTime::now_utc().date().next_day().unwrap();
    while d.weekday() == time::Weekday::Sunday {
        d = d.next_day().unwrap();
    }
    d.to_string()
}

#[tokio::test]
async fn tracking_refresh_follows_the_label_into_the_mail() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    let fresh = rig.shipping.refresh_tracking(&[s.id]).await.unwrap();
    assert_eq!(fresh[0].status, ShipmentStatus::LabelCreated);
    assert!(fresh[0].tracking_checked_at.is_some());
    rig.control(
        "manifest",
        serde_json::json!({"tracking_numbers": [s.tracking_number]}),
    )
    .await;
    let moving = rig.shipping.refresh_tracking(&[s.id]).await.unwrap();
    assert_eq!(
        moving[0].status,
        ShipmentStatus::InTransit,
        "{:?}",
        moving[0]
    );
    let listed = rig
        .shipping
        .shipments(&ShipmentQuery {
            status: Some(ShipmentStatus::InTransit),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(listed.len(), 1);
}

#[tokio::test]
async fn a_real_usps_label_is_kept_as_returned_and_previewed_from_its_pdf() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    // Pretend USPS (not the simulator) made it: Shipdesk must then use USPS's PDF untouched.
    rig.alter_database("UPDATE shipments SET sample = 0 WHERE id = ?1", [s.id]);
    let (original, _) = rig.shipping.label_original(s.id).unwrap();
    let docs = rig
        .shipping
        .label_documents(&[s.id], Some(LabelLayout::Letter))
        .unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].pdf, original, "USPS's bytes, not a re-rendering");
    if !tool("pdftoppm") {
        println!("SKIPPED: pdftoppm not installed; PNG preview of a USPS label not checked");
        return;
    }
    match rig.shipping.label_preview(s.id).unwrap() {
        LabelPreview::Png { base64 } => assert!(base64.starts_with("iVBORw0KGgo")),
        other => panic!("expected a PNG preview, got {other:?}"),
    }
}

#[tokio::test]
async fn a_label_without_its_image_is_downloaded_again_from_usps() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    rig.alter_database(
        "UPDATE shipments SET label_bytes = NULL WHERE id = ?1",
        [s.id],
    );
    assert_eq!(
        rig.shipping.label_original(s.id).unwrap_err().code,
        ErrorCode::NotFound
    );
    let before = rig.sim_calls("labels");
    rig.shipping.download_label_again(s.id).await.unwrap();
    assert_eq!(rig.sim_calls("labels") - before, 1, "one reprint call");
    let (pdf, content_type) = rig.shipping.label_original(s.id).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "{content_type}");
    rig.assert_exactly_once();

    // A voided label is not postage: it is not fetched again.
    rig.shipping.void_label(s.id).await.unwrap();
    let err = rig.shipping.download_label_again(s.id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "{err:?}");
}

#[tokio::test]
async fn a_void_usps_already_carried_out_is_recorded_as_done() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    // USPS canceled the label (a void whose local record was lost, as when the database was
    // busy): the label still looks active here.
    let session = rig
        .desk
        .connections()
        .session(crate::harness::ACCOUNT_ID)
        .await
        .unwrap();
    session.cancel_label(&s.tracking_number).await.unwrap();
    assert!(rig.charged().is_empty(), "USPS no longer charges it");

    // Voiding it in Shipdesk now meets USPS's "already canceled" (160186): that is success.
    let voided = rig.shipping.void_label(s.id).await.unwrap();
    assert_eq!(voided.shipment.status, ShipmentStatus::Voided);
    assert_eq!(
        rig.desk.orders().get(s.order_id).unwrap().status,
        OrderStatus::AwaitingShipment,
        "the order can be shipped again"
    );
    rig.assert_exactly_once();
}

/// The app's async commands need `Send` futures; this fails to compile if one stops being so.
#[tokio::test]
async fn service_futures_are_send() {
    fn send<T: Send>(_: T) {}
    let rig = Rig::start().await;
    let s = &rig.shipping;
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let options = shipdesk_core::shipping::BatchOptions::default();
    send(s.buy_label(rig.request(1)));
    let input = shipdesk_core::shipping::BatchInput::default();
    send(s.preview_batch(&input));
    send(s.buy_orders(&input, &options, &|_| {}, &cancel));
    send(s.reconcile_unfinished());
    send(s.discard_unfinished_purchase(1));
    send(s.rates_for_orders(None, &[], None, None));
    send(s.check_order_address(None, 1));
    send(s.void_label(1));
    send(s.refresh_tracking(&[]));
    send(s.download_label_again(1));
    send(s.create_scan_forms(None, None));
    send(s.pickup_eligibility(None, None));
    send(s.cancel_pickup(1));
}

#[tokio::test]
async fn a_refused_contract_search_leaves_the_published_prices() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    // USPS refuses the contract search (the second prices call): published prices remain.
    rig.control(
        "fail",
        serde_json::json!({"target": "prices", "status": 400, "skip": 1, "count": 1}),
    )
    .await;
    let answer = rig
        .shipping
        .rates_for_order(None, order, Some(package()), None, None)
        .await
        .unwrap();
    assert!(answer.contract_requested);
    assert!(answer.contract_unavailable.is_some(), "{answer:?}");
    assert!(
        answer
            .quotes
            .iter()
            .all(|q| q.contract.is_none() && q.commercial.is_some())
    );
    // An account without an EPS account asks only for published prices.
    let plain = rig.service_pricing_against(None);
    let before = rig.sim_calls("prices");
    let published = plain
        .rates_for_order(None, order, Some(package()), None, None)
        .await
        .unwrap();
    assert!(!published.contract_requested && published.contract_unavailable.is_none());
    assert_eq!(rig.sim_calls("prices") - before, 1);
}

#[tokio::test]
async fn a_label_costs_the_price_the_rates_showed() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let request = rig.request(order);
    let rates = rig
        .shipping
        .rates_for_order(None, order, Some(request.package), None, None)
        .await
        .unwrap();
    let shown = rates
        .quotes
        .iter()
        .find(|q| q.choice == request.rate)
        .and_then(|q| q.price)
        .expect("the service we buy is quoted");
    let bought = rig.shipping.buy_label(request).await.unwrap();
    assert_eq!(
        bought.shipment.postage, shown,
        "charged what the rates table said"
    );
}
