//! Contract (NSA) prices the way USPS applies them: a price search naming the account of a
//! business that holds a contract answers contract prices, one that holds none the published
//! price with warning 001; a label is charged the contract price only when its payment
//! authorization names a `RATE_HOLDER` that holds a contract for its class (160255 otherwise),
//! the commercial price without one; `PARCEL_SELECT` with destination entry `NONE` is Ground
//! Advantage, in prices and labels alike.

mod common;

use common::*;
use serde_json::{Value, json};

const NSA_CRID: &str = "56982588";
const NSA_MID: &str = "902345688";
const NSA_MANIFEST_MID: &str = "902345689";
const NSA_EPS: &str = "1000012388";

fn with_rate_holder(mut roles: Value, crid: &str, eps: &str) -> Value {
    roles["roles"].as_array_mut().unwrap().push(json!({
        "roleName": "RATE_HOLDER", "CRID": crid, "accountType": "EPS", "accountNumber": eps,
    }));
    roles
}

async fn payment(t: &TestSim, access: &str, body: &Value) -> String {
    let r = t
        .post_json("/payments/v3/payment-authorization", access, body)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["paymentAuthorizationToken"]
        .as_str()
        .unwrap()
        .to_string()
}

fn base_rate_query(mail_class: &str, account: Option<&str>) -> Value {
    let mut q = json!({
        "originZIPCode": "63116", "destinationZIPCode": "63118", "weight": 2.0,
        "length": 9, "width": 6, "height": 4, "mailClass": mail_class,
        "processingCategory": "MACHINABLE", "rateIndicator": "SP",
        "destinationEntryFacilityType": "NONE", "priceType": "COMMERCIAL",
    });
    if let Some(eps) = account {
        q["accountType"] = json!("EPS");
        q["accountNumber"] = json!(eps);
    }
    q
}

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn label_at(mail_class: &str) -> Value {
    let mut body = label_request(2.0);
    body["packageDescription"]["mailClass"] = json!(mail_class);
    body
}

#[tokio::test]
async fn a_contract_holders_token_says_so_and_its_searches_answer_contract_prices() {
    let t = TestSim::start().await;
    let (nsa, _) = t.user_tokens(CLIENT, SECRET, "nsa").await;
    let (demo, _) = t.user_tokens(CLIENT, SECRET, "demo").await;
    let claim = |token: &str, name: &str| -> Value {
        use base64::Engine;
        let payload = token.split('.').nth(1).unwrap();
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        let claims: Value = serde_json::from_slice(&bytes).unwrap();
        serde_json::from_str(claims[name].as_str().unwrap()).unwrap()
    };
    assert_eq!(
        claim(&nsa, "contracts")["paymentAccounts"]["accounts"],
        NSA_EPS
    );
    assert_eq!(claim(&demo, "contracts")["paymentAccounts"]["accounts"], "");
    assert_eq!(claim(&demo, "payment_accounts")["accounts"], EPS);

    let published = t
        .post_json(
            "/prices/v3/base-rates/search",
            &nsa,
            &base_rate_query("PRIORITY_MAIL", None),
        )
        .await;
    let contract = t
        .post_json(
            "/prices/v3/base-rates/search",
            &nsa,
            &base_rate_query("PRIORITY_MAIL", Some(NSA_EPS)),
        )
        .await;
    assert_eq!(contract.status, 200, "{}", contract.text);
    let rate = &contract.json["rates"][0];
    assert_eq!(rate["priceType"], "CONTRACT");
    assert!(rate.get("warnings").is_none());
    assert!(
        rate["price"].as_f64().unwrap() < published.json["rates"][0]["price"].as_f64().unwrap()
    );

    // The account of a business without a contract: the published price, and warning 001.
    let none = t
        .post_json(
            "/prices/v3/base-rates/search",
            &demo,
            &base_rate_query("PRIORITY_MAIL", Some(EPS)),
        )
        .await;
    assert_eq!(none.status, 200, "{}", none.text);
    let rate = &none.json["rates"][0];
    assert_eq!(rate["priceType"], "COMMERCIAL");
    assert_eq!(rate["warnings"][0]["warningCode"], "001");
    assert_eq!(rate["price"], published.json["rates"][0]["price"]);
}

#[tokio::test]
async fn a_label_costs_the_contract_price_only_under_a_rate_holder_that_holds_one() {
    let t = TestSim::start().await;
    let (nsa, _) = t.user_tokens(CLIENT, SECRET, "nsa").await;
    let nsa_roles = roles(NSA_CRID, NSA_MID, NSA_MANIFEST_MID, NSA_EPS);
    let contract_payment = payment(
        &t,
        &nsa,
        &with_rate_holder(nsa_roles.clone(), NSA_CRID, NSA_EPS),
    )
    .await;
    let published_payment = payment(&t, &nsa, &nsa_roles).await;

    let price = |account: Option<&str>| {
        let t = &t;
        let nsa = nsa.clone();
        let account = account.map(str::to_owned);
        async move {
            let mut q = json!({
                "originZIPCode": "63116", "destinationZIPCode": "63118", "weight": 2.0,
                "length": 9, "width": 0.25, "height": 6, "mailClasses": ["PRIORITY_MAIL"],
                "priceType": "COMMERCIAL",
            });
            if let Some(eps) = account {
                q["accountType"] = json!("EPS");
                q["accountNumber"] = json!(eps);
            }
            let r = t
                .post_json("/prices/v3/base-rates-list/search", &nsa, &q)
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json["rateOptions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| &o["rates"][0])
                .find(|r| r["rateIndicator"] == "SP")
                .unwrap()["price"]
                .as_f64()
                .unwrap()
        }
    };
    let contract_price = price(Some(NSA_EPS)).await;
    let commercial_price = price(None).await;
    assert!(contract_price < commercial_price);

    let bought = t
        .create_label(
            &nsa,
            &contract_payment,
            Some(&key()),
            &label_at("PRIORITY_MAIL"),
            true,
        )
        .await;
    assert_eq!(bought.status, 200, "{}", bought.text);
    assert_eq!(bought.json["postage"].as_f64().unwrap(), contract_price);
    let plain = t
        .create_label(
            &nsa,
            &published_payment,
            Some(&key()),
            &label_at("PRIORITY_MAIL"),
            true,
        )
        .await;
    assert_eq!(plain.status, 200, "{}", plain.text);
    assert_eq!(plain.json["postage"].as_f64().unwrap(), commercial_price);

    // The ledger charged each label what its answer said (postage + the insurance fee).
    let ledger = t.sim.ledger();
    let charged: Vec<(String, f64)> = ledger
        .iter()
        .map(|e| (e.tracking_number.clone(), e.amount))
        .collect();
    let fee = |r: &Resp| -> f64 {
        r.json["extraServices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["price"].as_f64().unwrap())
            .sum()
    };
    for r in [&bought, &plain] {
        let tracking = r.json["trackingNumber"].as_str().unwrap();
        let amount = charged.iter().find(|(t, _)| t == tracking).unwrap().1;
        let expected = r.json["postage"].as_f64().unwrap() + fee(r);
        assert!((amount - expected).abs() < 0.005, "{amount} vs {expected}");
    }
}

#[tokio::test]
async fn a_rate_holder_without_a_contract_is_refused_with_160255_and_nothing_is_charged() {
    let t = TestSim::start().await;
    let (demo, _) = t.user_tokens(CLIENT, SECRET, "demo").await;
    let body = with_rate_holder(roles(CRID, MID, MANIFEST_MID, EPS), CRID, EPS);
    // USPS accepts the role for a CRID the token is tied to...
    let token = payment(&t, &demo, &body).await;
    // ...and refuses the label, naming the class.
    let r = t
        .create_label(
            &demo,
            &token,
            Some(&key()),
            &label_at("PRIORITY_MAIL"),
            true,
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.error_codes(), vec!["160255"]);
    assert!(
        r.text
            .contains("An approved contract could not be found for PRIORITY_MAIL")
    );
    assert!(t.sim.ledger().is_empty());

    // A RATE_HOLDER naming another business's CRID is not the token's to name.
    let foreign = with_rate_holder(roles(CRID, MID, MANIFEST_MID, EPS), NSA_CRID, NSA_EPS);
    let r = t
        .post_json("/payments/v3/payment-authorization", &demo, &foreign)
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
}

#[tokio::test]
async fn a_contract_for_some_classes_refuses_the_others() {
    let mut scenario = demo();
    let nsa = scenario
        .users
        .iter_mut()
        .find(|u| u.username == "nsa")
        .unwrap();
    nsa.contract.as_mut().unwrap().mail_classes = vec!["PRIORITY_MAIL".into()];
    let t = TestSim::start_with(scenario).await;
    let (nsa, _) = t.user_tokens(CLIENT, SECRET, "nsa").await;
    let body = with_rate_holder(
        roles(NSA_CRID, NSA_MID, NSA_MANIFEST_MID, NSA_EPS),
        NSA_CRID,
        NSA_EPS,
    );
    let token = payment(&t, &nsa, &body).await;
    let ground = t
        .create_label(
            &nsa,
            &token,
            Some(&key()),
            &label_at("USPS_GROUND_ADVANTAGE"),
            true,
        )
        .await;
    assert_eq!(ground.error_codes(), vec!["160255"]);
    let searched = t
        .post_json(
            "/prices/v3/base-rates/search",
            &nsa,
            &base_rate_query("USPS_GROUND_ADVANTAGE", Some(NSA_EPS)),
        )
        .await;
    assert_eq!(
        searched.json["rates"][0]["warnings"][0]["warningCode"],
        "001"
    );
    let priority = t
        .create_label(&nsa, &token, Some(&key()), &label_at("PRIORITY_MAIL"), true)
        .await;
    assert_eq!(priority.status, 200, "{}", priority.text);
}

#[tokio::test]
async fn parcel_select_without_a_destination_entry_is_ground_advantage() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let ground = t
        .post_json(
            "/prices/v3/base-rates/search",
            &access,
            &base_rate_query("USPS_GROUND_ADVANTAGE", None),
        )
        .await;
    let parcel_select = t
        .post_json(
            "/prices/v3/base-rates/search",
            &access,
            &base_rate_query("PARCEL_SELECT", None),
        )
        .await;
    assert_eq!(parcel_select.status, 200, "{}", parcel_select.text);
    assert_eq!(
        parcel_select.json["rates"][0]["mailClass"],
        "USPS_GROUND_ADVANTAGE"
    );
    assert_eq!(
        parcel_select.json["totalBasePrice"],
        ground.json["totalBasePrice"]
    );

    // A list search has no destination entry: Parcel Select is not offered beside Ground
    // Advantage at another price.
    let list = t
        .post_json(
            "/prices/v3/base-rates-list/search",
            &access,
            &json!({"originZIPCode": "63116", "destinationZIPCode": "63118", "weight": 2.0,
                    "length": 9, "width": 6, "height": 4}),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let classes: Vec<&str> = list.json["rateOptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["rates"][0]["mailClass"].as_str())
        .collect();
    assert!(!classes.contains(&"PARCEL_SELECT"), "{classes:?}");
    assert!(classes.contains(&"USPS_GROUND_ADVANTAGE"));

    let as_ground = t
        .create_label(
            &access,
            &payment,
            Some(&key()),
            &label_at("USPS_GROUND_ADVANTAGE"),
            true,
        )
        .await;
    let as_parcel_select = t
        .create_label(
            &access,
            &payment,
            Some(&key()),
            &label_at("PARCEL_SELECT"),
            true,
        )
        .await;
    assert_eq!(as_parcel_select.status, 200, "{}", as_parcel_select.text);
    assert_eq!(as_parcel_select.json["postage"], as_ground.json["postage"]);
    assert_eq!(as_parcel_select.json["SKU"], as_ground.json["SKU"]);
    assert_eq!(
        as_parcel_select.json["serviceTypeCode"],
        as_ground.json["serviceTypeCode"]
    );
}
