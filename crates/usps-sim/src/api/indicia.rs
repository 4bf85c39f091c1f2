//! Domestic Labels v3 indicia: First-Class Mail postage for letters, flats and cards
//! (`POST /labels/v3/indicia`), the same as an addressed Intelligent Mail barcode label
//! (`POST /labels/v3/indicia/imb`), and cancelling an IMb (`DELETE /labels/v3/indicia/imb/{imb}`).
//!
//! Both purchases are priced by `letter_rates::price_piece` (weight in ounces, the letter, flat
//! and card limits with 030014–030019), need a `PAYER` paying from an EPS account, are charged to
//! the ledger like labels and answer 201. Letter indicia cannot be refunded; an IMb is canceled
//! (charge voided) before it is manifested and a refund is requested after, once
//! (160377 for another try). IMb extra services are those USPS lists for the IMb; insurance and
//! registered mail need `itemValue` (160317); those the simulator does not price answer 160316
//! (docs/usps.md#indicia).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;

use super::labels::{V, label_caller};
use super::letter_rates::{NONMACHINABLE_FLAGS, price_piece};
use super::validate::{Check, at, date_in_window, json_body};
use crate::Shared;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{dispute_id, now_ms, seeded};
use crate::pdf::{self, Part};
use crate::pricing;
use crate::rules::{INDICIA, INDICIA_IMB, Operation};
use crate::state::records::{LedgerEntry, LedgerKind, PaymentAuth};

const IMB_EXTRA_SERVICES: &[u64] = &[910, 911, 930, 934, 940, 941, 955, 957];
const PAYMENT_HEADER: &str = "X-Payment-Authorization-Token";
/// Letter indicia carry no address; their sample image routes to this placeholder ZIP.
const NO_ROUTING: &str = "00000";

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IndiciaStatus {
    Printed,
    Canceled,
    Disputed,
}

/// A bought indicia (letter indicia or IMb label).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndiciaRecord {
    /// The IMb (31 digits) or, for letter indicia, a serial of our own.
    pub id: String,
    pub imb: Option<String>,
    pub client_id: String,
    pub crid: String,
    pub eps_account: Option<String>,
    pub amount: f64,
    pub created_ms: u64,
    pub status: IndiciaStatus,
    /// Shipping Services File sent (`/__sim/manifest`).
    pub manifested: bool,
    pub dispute_id: Option<String>,
}

/// 400 unless the token's `PAYER` pays from an EPS account.
fn eps_payer(payment: &PaymentAuth) -> Result<String, ApiError> {
    payment.payer_eps.clone().ok_or_else(|| {
        ApiError::bad_request(
            V,
            vec![ErrorItem::field(
                "Indicia are only supported for a PAYER role with an EPS accountType.",
                PAYMENT_HEADER,
            )],
        )
    })
}

/// The piece described in `indiciaDescription`: category, weight (oz), dimensions, machinability.
struct Piece {
    category: &'static str,
    weight: f64,
    dims: (f64, f64, f64),
    nonmachinable: bool,
}

fn check_description(c: &mut Check, operation: Operation) -> Option<Piece> {
    let d = "indiciaDescription";
    c.object(d, true)?;
    let f = |n: &str| format!("{d}.{n}");
    let category = c.one_of(
        &f("processingCategory"),
        true,
        &["LETTERS", "FLATS", "CARDS"],
    );
    let weight = c.limited(operation, &f("weight"), true);
    let length = c.limited(operation, &f("length"), true);
    let height = c.limited(operation, &f("height"), true);
    let thickness = c.limited(operation, &f("thickness"), true);
    c.one_of(&f("imiType"), false, &["IMI_MIN", "IMI_STD", "IMI_MAX"]);
    c.object(&f("nonMachinableIndicators"), false);
    c.only(&f("nonMachinableIndicators"), NONMACHINABLE_FLAGS);
    let mut nonmachinable = false;
    for flag in NONMACHINABLE_FLAGS {
        nonmachinable |= c
            .boolean(&f(&format!("nonMachinableIndicators.{flag}")))
            .unwrap_or(false);
    }
    if let Some(date) = c.string(&f("mailingDate"), true) {
        let day = time::Date::parse(
            date,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok()
        .or_else(|| {
            time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|t| t.date())
        });
        match day {
            None => c.fail(ErrorItem::coded(
                "160092",
                "unable to parse mailingDate",
                &f("mailingDate"),
            )),
            Some(day) if !date_in_window(day, 7) => c.fail(ErrorItem::coded(
                "160001",
                "cannot be in the past or more than 45 days in the future",
                &f("mailingDate"),
            )),
            Some(_) => {}
        }
    }
    let category = match category? {
        "FLATS" => "FLATS",
        "CARDS" => "CARDS",
        _ => "LETTERS",
    };
    Some(Piece {
        category,
        weight: weight?,
        dims: (length?, height?, thickness?),
        nonmachinable,
    })
}

/// `imageInfo`: PDF (or nothing but data) is what the simulator renders.
fn check_image_info(c: &mut Check, label_types: &[&str]) -> (bool, bool) {
    c.object("imageInfo", false);
    let image = c
        .one_of(
            "imageInfo.imageType",
            false,
            &["PDF", "TIFF", "JPG", "PNG", "GIF", "SVG"],
        )
        .unwrap_or("PDF");
    if image != "PDF" {
        c.fail(ErrorItem::field(
            format!("imageType {image} is not available in the simulator; use PDF."),
            "imageInfo.imageType",
        ));
    }
    let label_type = c.one_of("imageInfo.labelType", false, label_types);
    let receipt = c.one_of("imageInfo.receiptOption", false, &["SEPARATE_PAGE", "NONE"]);
    (
        label_type != Some("IMI_DATA_ONLY"),
        receipt == Some("SEPARATE_PAGE"),
    )
}

/// The printable indicia (a sample label carrying the barcode number and the postage).
fn image(
    number: &str,
    postage: f64,
    to_zip5: &str,
    to: Vec<String>,
    from: Vec<String>,
) -> Result<Vec<u8>, ApiError> {
    let spec = labels::LabelSpec {
        tracking_number: number.to_string(),
        service_name: "FIRST-CLASS MAIL".into(),
        from_address: from,
        to_address: to,
        to_zip5: to_zip5.to_string(),
        weight: String::new(),
        postage: Some(format!("${postage:.2}")),
        ship_date: time::OffsetDateTime::now_utc().date().to_string(),
        zone: None,
        sample: true,
    };
    pdf::label_pdf(&spec, V)
}

/// The 201 answer: multipart (`indiciaMetadata`, `indiciaImage`, `receiptImage`) or one JSON.
fn respond(
    headers: &HeaderMap,
    metadata: Value,
    picture: Option<Vec<u8>>,
    receipt: Option<Vec<u8>>,
) -> Response {
    let mut resp = if pdf::wants_vendor_json(headers) {
        let mut body = json!({ "indiciaMetadata": metadata });
        if let Some(p) = &picture {
            body["indiciaImage"] = json!(pdf::b64(p));
        }
        if let Some(r) = &receipt {
            body["receiptImage"] = json!(pdf::b64(r));
        }
        pdf::vendor_json(body)
    } else {
        let mut parts = vec![Part::json("indiciaMetadata", &metadata)];
        if let Some(p) = &picture {
            parts.push(Part::pdf("indiciaImage", "indiciaImage.pdf", p));
        }
        if let Some(r) = &receipt {
            parts.push(Part::pdf("receiptImage", "receiptImage.pdf", r));
        }
        pdf::multipart(&parts)
    };
    *resp.status_mut() = StatusCode::CREATED;
    resp
}

/// Records the purchase and its charge.
fn charge(shared: &Shared, record: IndiciaRecord) {
    let mut st = shared.lock();
    st.record(LedgerEntry {
        seq: 0,
        at_ms: record.created_ms,
        kind: LedgerKind::Charged,
        tracking_number: record.id.clone(),
        idempotency_key: None,
        amount: record.amount,
        crid: record.crid.clone(),
        eps_account: record.eps_account.clone(),
        client_id: record.client_id.clone(),
    });
    st.durable.indicia.insert(record.id.clone(), record);
    shared.persist(&st);
}

fn next_serial(shared: &Shared, what: &str) -> u64 {
    let mut st = shared.lock();
    st.durable.counters.labels += 1;
    let n = st.durable.counters.labels;
    (seeded(st.scenario.seed, &format!("indicia/{what}"), 500_000) + n) % 1_000_000
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let (caller, payment) = label_caller(&shared, &headers, "/labels/v3/indicia")?;
        let eps = eps_payer(&payment)?;
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, None);
        c.only("imageInfo", &["receiptOption", "imageType", "labelType"]);
        let piece = check_description(&mut c, INDICIA);
        let (picture, receipt) = check_image_info(&mut c, &["2X1.5LABEL", "IMI_DATA_ONLY"]);
        c.finish(V)?;
        let piece = piece.ok_or_else(super::prices::incomplete)?;
        let priced = price_piece(
            piece.category,
            piece.weight,
            piece.dims,
            piece.nonmachinable,
        )
        .map_err(|f| ApiError::bad_request(V, f))?;
        let serial = next_serial(&shared, &payment.crid);
        let id = format!("{}{serial:06}", payment.label_owner_mid);
        let total = priced.total();
        let metadata = json!({
            "SKU": priced.sku,
            "postage": priced.price,
            "fees": priced.fees_json(),
            "weight": piece.weight,
            "indiciaIMI": pdf::b64(format!("IMI|{id}|{total:.2}").as_bytes()),
        });
        let picture = if picture {
            Some(image(&id, total, NO_ROUTING, vec![], vec![])?)
        } else {
            None
        };
        let receipt = match (&picture, receipt) {
            (Some(_), true) => Some(image(&id, total, NO_ROUTING, vec![], vec![])?),
            _ => None,
        };
        charge(
            &shared,
            IndiciaRecord {
                id,
                imb: None,
                client_id: caller.client_id.clone(),
                crid: payment.crid.clone(),
                eps_account: Some(eps),
                amount: total,
                created_ms: now_ms(),
                status: IndiciaStatus::Printed,
                manifested: false,
                dispute_id: None,
            },
        );
        Ok::<Response, ApiError>(respond(&headers, metadata, picture, receipt))
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

/// An IMb address: the spec's limits, Latin text; standardized when USPS knows it (010005
/// otherwise, unless `ignoreBadAddress`).
fn check_address(c: &mut Check, path: &str) {
    if c.object(path, true).is_none() {
        return;
    }
    let f = |n: &str| format!("{path}.{n}");
    for (name, required) in [
        ("streetAddress", true),
        ("city", true),
        ("state", true),
        ("ZIPCode", true),
        ("secondaryAddress", false),
        ("ZIPPlus4", false),
        ("urbanization", false),
        ("firstName", false),
        ("lastName", false),
        ("firm", false),
    ] {
        c.text(INDICIA_IMB, &f(name), required);
    }
    for printed in [
        "firstName",
        "lastName",
        "firm",
        "streetAddress",
        "secondaryAddress",
        "city",
        "urbanization",
    ] {
        c.printable(&f(printed));
    }
    c.boolean(&f("ignoreBadAddress"));
}

fn standardized(body: &Value, path: &str, seed: u64) -> Result<Value, ApiError> {
    let a = &body[path];
    let s = |k: &str| a[k].as_str().unwrap_or_default();
    let mut out = json!({});
    for k in ["firstName", "lastName", "firm"] {
        if !s(k).is_empty() {
            out[k] = json!(s(k).to_ascii_uppercase());
        }
    }
    match super::addresses::resolve(
        seed,
        s("streetAddress"),
        s("secondaryAddress"),
        s("city"),
        s("state"),
        s("ZIPCode"),
    ) {
        Ok(m) => {
            out["streetAddress"] = json!(m.street);
            if !m.secondary.is_empty() {
                out["secondaryAddress"] = json!(m.secondary);
            }
            out["city"] = json!(m.city);
            out["state"] = json!(m.state);
            out["ZIPCode"] = json!(m.zip);
            out["ZIPPlus4"] = json!(m.plus4);
        }
        Err(_) if a["ignoreBadAddress"].as_bool().unwrap_or(false) => {
            for k in [
                "streetAddress",
                "secondaryAddress",
                "city",
                "state",
                "ZIPCode",
                "ZIPPlus4",
            ] {
                if !s(k).is_empty() {
                    out[k] = json!(s(k).to_ascii_uppercase());
                }
            }
        }
        Err(_) => {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded("010005", "Address Not Found", path)],
            ));
        }
    }
    Ok(out)
}

fn lines(a: &Value) -> Vec<String> {
    let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
    let name = [s("firstName"), s("lastName")].join(" ").trim().to_string();
    let mut out: Vec<String> = [name, s("firm"), s("streetAddress"), s("secondaryAddress")]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    out.push(format!("{} {} {}", s("city"), s("state"), s("ZIPCode")));
    out
}

/// A 31-digit IMb: barcode ID, service type, the 9-digit MID, a 6-digit serial, and the
/// 11-digit routing code (ZIP, ZIP+4, delivery point).
fn imb(mid: &str, serial: u64, to: &Value) -> String {
    let mid9 = format!("{mid:0>9}");
    let zip = to["ZIPCode"].as_str().unwrap_or("00000");
    let plus4 = to["ZIPPlus4"].as_str().unwrap_or("0000");
    let routing = format!("{zip:0>5}{plus4:0>4}01");
    format!("00270{}{serial:06}{routing}", &mid9[mid9.len() - 9..])
}

pub async fn create_imb(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let (caller, payment) = label_caller(&shared, &headers, "/labels/v3/indicia/imb")?;
        let eps = eps_payer(&payment)?;
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, None);
        c.only(
            "",
            &[
                "indiciaDescription",
                "imageInfo",
                "toAddress",
                "returnAddress",
            ],
        );
        c.only(
            "indiciaDescription",
            &[
                "processingCategory",
                "weight",
                "mailingDate",
                "length",
                "height",
                "thickness",
                "itemValue",
                "extraServices",
                "nonMachinableIndicators",
                "imiType",
            ],
        );
        let piece = check_description(&mut c, INDICIA_IMB);
        let item_value = c.limited(INDICIA_IMB, "indiciaDescription.itemValue", false);
        let codes = super::extra_rates::requested_codes(
            &mut c,
            INDICIA_IMB,
            "indiciaDescription.extraServices",
            IMB_EXTRA_SERVICES,
        )
        .unwrap_or_default();
        if codes.iter().any(|s| [930, 934, 940, 941].contains(s))
            && at(&body, "indiciaDescription.itemValue").is_none()
        {
            c.fail(ErrorItem::coded(
                "160317",
                "required when either 930, 931, or 934 Extra Service Codes are present",
                "indiciaDescription.itemValue",
            ));
        }
        check_address(&mut c, "toAddress");
        check_address(&mut c, "returnAddress");
        let (picture, receipt) = check_image_info(&mut c, &["6X4LABEL", "IMI_DATA_ONLY"]);
        c.finish(V)?;
        let piece = piece.ok_or_else(super::prices::incomplete)?;
        let priced = price_piece(
            piece.category,
            piece.weight,
            piece.dims,
            piece.nonmachinable,
        )
        .map_err(|f| ApiError::bad_request(V, f))?;
        let mut extras = Vec::new();
        for code in &codes {
            let (name, fee) = pricing::extra_service(*code, item_value.unwrap_or(0.0)).ok_or_else(|| {
                ApiError::bad_request(V, vec![ErrorItem::coded(
                    "160316",
                    format!("mailClass: FIRST-CLASS with ExtraServices: {code} is an unsupported combination"),
                    "indiciaDescription.extraServices",
                )])
            })?;
            extras.push((*code, name, fee));
        }
        let seed = shared.lock().scenario.seed;
        let to = standardized(&body, "toAddress", seed)?;
        let from = standardized(&body, "returnAddress", seed)?;
        let serial = next_serial(&shared, &payment.crid);
        let barcode = imb(&payment.label_owner_mid, serial, &to);
        let total =
            ((priced.total() + extras.iter().map(|e| e.2).sum::<f64>()) * 100.0).round() / 100.0;
        let metadata = json!({
            "imb": barcode,
            "trackingNumber": &barcode[..20],
            "SKU": priced.sku,
            "postage": priced.price,
            "totalPrice": total,
            "fees": priced.fees_json(),
            "weight": piece.weight,
            "extraServices": extras.iter().map(|(code, name, fee)| json!({
                "name": name, "SKU": format!("DX{code}XXXXXX0000"), "price": fee, "warnings": [],
            })).collect::<Vec<_>>(),
            "serviceTypeCode": "270",
            "bannerText": "FIRST-CLASS MAIL",
            "mailClass": "FIRST-CLASS",
            "toAddress": to,
            "returnAddress": from,
            "indiciaIMI": pdf::b64(format!("IMI|{barcode}|{total:.2}").as_bytes()),
        });
        let picture = if picture {
            Some(image(
                &barcode[..20],
                total,
                to["ZIPCode"].as_str().unwrap_or(NO_ROUTING),
                lines(&to),
                lines(&from),
            )?)
        } else {
            None
        };
        let receipt = match (&picture, receipt) {
            (Some(_), true) => Some(image(
                &barcode[..20],
                total,
                to["ZIPCode"].as_str().unwrap_or(NO_ROUTING),
                lines(&to),
                lines(&from),
            )?),
            _ => None,
        };
        charge(
            &shared,
            IndiciaRecord {
                id: barcode.clone(),
                imb: Some(barcode),
                client_id: caller.client_id.clone(),
                crid: payment.crid.clone(),
                eps_account: Some(eps),
                amount: total,
                created_ms: now_ms(),
                status: IndiciaStatus::Printed,
                manifested: false,
                dispute_id: None,
            },
        );
        Ok::<Response, ApiError>(respond(&headers, metadata, picture, receipt))
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

pub async fn cancel_imb(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(imb): Path<String>,
) -> Response {
    let result = (|| {
        let (_, payment) =
            label_caller(&shared, &headers, &format!("/labels/v3/indicia/imb/{imb}"))?;
        let n = imb.chars().count();
        if !(20..=31).contains(&n) {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field("size must be between 20 and 31", "imb")],
            ));
        }
        let mut st = shared.lock();
        let seed = st.scenario.seed;
        let record = st
            .durable
            .indicia
            .values()
            .find(|r| {
                r.crid == payment.crid
                    && r.imb
                        .as_deref()
                        .is_some_and(|b| b == imb || b.starts_with(imb.as_str()))
            })
            .cloned()
            .ok_or_else(|| {
                ApiError::bad_request(
                    V,
                    vec![ErrorItem::coded("160185", "Order not found", "imb")],
                )
            })?;
        if record.status != IndiciaStatus::Printed {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded(
                    "160377",
                    "The refund request was rejected. Please try again after 24 hours.",
                    "imb",
                )],
            ));
        }
        let (status, kind, dispute) = if record.manifested {
            st.durable.counters.disputes += 1;
            (
                IndiciaStatus::Disputed,
                LedgerKind::RefundRequested,
                Some(dispute_id(seed, st.durable.counters.disputes)),
            )
        } else {
            (IndiciaStatus::Canceled, LedgerKind::Canceled, None)
        };
        if let Some(stored) = st.durable.indicia.get_mut(&record.id) {
            stored.status = status;
            stored.dispute_id = dispute.clone();
        }
        st.record(LedgerEntry {
            seq: 0,
            at_ms: now_ms(),
            kind,
            tracking_number: record.id.clone(),
            idempotency_key: None,
            amount: -record.amount,
            crid: record.crid.clone(),
            eps_account: record.eps_account.clone(),
            client_id: record.client_id.clone(),
        });
        shared.persist(&st);
        let mut body = json!({
            "imb": record.id,
            "status": if dispute.is_some() { "DISPUTED" } else { "CANCELED" },
        });
        if let Some(d) = dispute {
            body["disputeId"] = json!(d);
        }
        Ok(body)
    })();
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imb_has_31_digits_with_the_routing_code() {
        let to = json!({"ZIPCode": "63118", "ZIPPlus4": "2628"});
        let b = imb("902345671", 42, &to);
        assert_eq!(b.len(), 31);
        assert!(b.bytes().all(|c| c.is_ascii_digit()));
        assert!(b.ends_with("63118262801"));
        assert_eq!(imb("123456", 1, &to).len(), 31);
    }
}
