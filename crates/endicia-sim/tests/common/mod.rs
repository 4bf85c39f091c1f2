//! Helpers shared by the integration tests: post request XML the way ELS clients do and read
//! answers with plain string matching (no client crate on purpose).
#![allow(dead_code)]

use endicia_sim::{DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE, EndiciaSimConfig, EndiciaSimHandle};
use rust_decimal::Decimal;

pub async fn sandbox() -> EndiciaSimHandle {
    endicia_sim::start(EndiciaSimConfig::sandbox())
        .await
        .expect("simulator starts")
}

/// Posts `xml` in form field `field` to `{service}{method}`; returns the body (asserting the
/// ELS envelope: HTTP 200, text/xml).
pub async fn call(sim: &EndiciaSimHandle, method: &str, field: &str, xml: &str) -> String {
    let resp = try_call(sim, method, field, xml)
        .await
        .expect("answer arrives");
    assert_eq!(resp.status(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(ct, "text/xml; charset=utf-8");
    let body = resp.text().await.unwrap();
    assert!(body.starts_with("<?xml"), "{body}");
    assert!(
        body.contains("xmlns=\"www.envmgr.com/LabelService\""),
        "{body}"
    );
    body
}

pub async fn try_call(
    sim: &EndiciaSimHandle,
    method: &str,
    field: &str,
    xml: &str,
) -> reqwest::Result<reqwest::Response> {
    let url = sim.service_url().join(method).unwrap();
    reqwest::Client::new()
        .post(url)
        .form(&[(field, xml)])
        .send()
        .await
}

/// Text of the first `<name>` element.
pub fn tag(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].to_owned())
}

pub fn status(xml: &str) -> u32 {
    tag(xml, "Status").expect("Status element").parse().unwrap()
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn ci(account: &str, pass: &str) -> String {
    format!(
        "<CertifiedIntermediary><AccountID>{account}</AccountID><PassPhrase>{}</PassPhrase></CertifiedIntermediary>",
        esc(pass)
    )
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

pub async fn account_status(sim: &EndiciaSimHandle, account: &str, pass: &str) -> String {
    let xml = format!(
        "<AccountStatusRequest><RequesterID>lxxx</RequesterID><RequestID>s1</RequestID>{}</AccountStatusRequest>",
        ci(account, pass)
    );
    call(sim, "GetAccountStatusXML", "accountStatusRequestXML", &xml).await
}

pub async fn buy(sim: &EndiciaSimHandle, amount: &str) -> String {
    let xml = format!(
        "<RecreditRequest><RequesterID>lxxx</RequesterID><RequestID>buy-{amount}</RequestID>{}<RecreditAmount>{amount}</RecreditAmount></RecreditRequest>",
        ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE)
    );
    call(sim, "BuyPostageXML", "recreditRequestXML", &xml).await
}

/// A domestic label request for the demo account; `extra` goes inside the root.
pub fn label_xml(attrs: &str, mail_class: &str, weight: &str, extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<LabelRequest {attrs}>
  <RequesterID>lxxx</RequesterID>
  <AccountID>{DEMO_ACCOUNT_ID}</AccountID>
  <PassPhrase>{DEMO_PASS_PHRASE}</PassPhrase>
  <MailClass>{mail_class}</MailClass>
  <WeightOz>{weight}</WeightOz>
  <PartnerCustomerID>cust-1</PartnerCustomerID>
  <PartnerTransactionID>txn-1</PartnerTransactionID>
  <FromName>Ada Shipper</FromName>
  <ReturnAddress1>1 Main St</ReturnAddress1>
  <FromCity>New York</FromCity>
  <FromState>NY</FromState>
  <FromPostalCode>10001</FromPostalCode>
  <FromPhone>2125550100</FromPhone>
  <ToName>Bob Receiver</ToName>
  <ToAddress1>2 Ocean Ave</ToAddress1>
  <ToCity>Beverly Hills</ToCity>
  <ToState>CA</ToState>
  <ToPostalCode>90210</ToPostalCode>
  {extra}
</LabelRequest>"#
    )
}

pub async fn label(sim: &EndiciaSimHandle, xml: &str) -> String {
    call(sim, "GetPostageLabelXML", "labelRequestXML", xml).await
}

pub async fn buy_label(sim: &EndiciaSimHandle) -> String {
    let body = label(sim, &label_xml("ImageFormat=\"PDF\"", "Priority", "12", "")).await;
    assert_eq!(status(&body), 0, "{body}");
    body
}
