//! `POST /indicia`: a First-Class Mail International indicia for a letter, flat or card. The
//! piece is checked like the letter price search (`prices::letter_piece`), the mailing date is
//! today to 7 days ahead, the payer must pay from an EPS account, and the postage is charged in
//! the ledger at once — an indicia cannot be canceled or refunded (docs/usps.md#international).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::LABELS_V as V;
use super::labels::{caller, check_mailing_date};
use super::limits::INDICIA;
use super::prices::{destination_check, letter_piece, letter_quote};
use super::services::round2;
use crate::Shared;
use crate::api::validate::{Check, json_body};
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{now_ms, sha256_hex};
use crate::pdf::{self, Part};
use crate::state::records::{LedgerEntry, LedgerKind};

fn issue(shared: &Shared, headers: &HeaderMap, body: &Bytes) -> Result<Response, ApiError> {
    let (caller, payment) = caller(shared, headers, &format!("{V}/indicia"))?;
    let request = json_body(headers, body, V)?;
    let mut c = Check::new(&request, None);
    let d = "indiciaDescription";
    c.object(d, true);
    let piece = letter_piece(&mut c, INDICIA, "indiciaDescription.");
    check_mailing_date(&mut c, "indiciaDescription.mailingDate");
    let to = destination_check(&mut c, "indiciaDescription.destinationCountryCode", true);
    c.object("imageInfo", false);
    c.only("imageInfo", &["receiptOption", "imageType", "labelType"]);
    let receipt = c.one_of("imageInfo.receiptOption", false, &["SEPARATE_PAGE", "NONE"]);
    let image = c.one_of(
        "imageInfo.imageType",
        false,
        &["PDF", "TIFF", "JPG", "PNG", "GIF", "SVG"],
    );
    if let Some(other) = image.filter(|t| *t != "PDF") {
        c.fail(ErrorItem::field(
            format!("imageType {other} is not available in the simulator; use PDF."),
            "imageInfo.imageType",
        ));
    }
    c.one_of("imageInfo.labelType", false, &["2X1.5LABEL"]);
    if payment.payer_eps.is_none() {
        c.fail(ErrorItem::field(
            "Indicia are sold only to a PAYER role paying from an EPS account.",
            "X-Payment-Authorization-Token",
        ));
    }
    c.finish(V)?;
    let (Some(piece), Some(to)) = (piece, to) else {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::field("indiciaDescription is incomplete.", d)],
        ));
    };
    let (sku, description, postage, fees) = letter_quote(&piece, &to).ok_or_else(|| {
        ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "030020",
                "No valid rates for these parameters.",
                d,
            )],
        )
    })?;
    let amount = round2(postage + fees.iter().filter_map(|f| f["price"].as_f64()).sum::<f64>());
    let id = {
        let mut st = shared.lock();
        st.durable.counters.labels += 1;
        let id = format!("IMI{:010}", st.durable.counters.labels);
        st.record(LedgerEntry {
            seq: 0,
            at_ms: now_ms(),
            kind: LedgerKind::Charged,
            tracking_number: id.clone(),
            idempotency_key: None,
            amount,
            crid: payment.crid.clone(),
            eps_account: payment.payer_eps.clone(),
            client_id: caller.client_id.clone(),
        });
        shared.persist(&st);
        id
    };
    let imi = pdf::b64(&sha256_hex(format!("{id}/{sku}").as_bytes()).into_bytes()[..48]);
    let metadata = json!({
        "SKU": sku,
        "postage": postage,
        "fees": fees,
        "weight": piece.weight_oz,
        "indiciaIMI": imi,
    });
    let image = super::print::indicia_pdf(&[
        "FIRST-CLASS MAIL INTL".into(),
        format!("US POSTAGE ${amount:.2}"),
        format!("TO {} - {}", to.code, description),
        id.clone(),
        "SAMPLE".into(),
    ]);
    let receipt = (receipt == Some("SEPARATE_PAGE")).then(|| {
        super::print::indicia_pdf(&[
            "RECEIPT".into(),
            id.clone(),
            format!("Postage ${amount:.2}"),
            "SAMPLE".into(),
        ])
    });
    let mut resp = if pdf::wants_vendor_json(headers) {
        let mut body: Value =
            json!({ "indiciaMetadata": metadata, "indiciaImage": pdf::b64(&image) });
        if let Some(r) = &receipt {
            body["receiptImage"] = json!(pdf::b64(r));
        }
        pdf::vendor_json(body)
    } else {
        let mut parts = vec![
            Part::json("indiciaMetadata", &metadata),
            Part::pdf("indiciaImage", "indiciaImage.pdf", &image),
        ];
        if let Some(r) = &receipt {
            parts.push(Part::pdf("receiptImage", "receiptImage.pdf", r));
        }
        pdf::multipart(&parts)
    };
    *resp.status_mut() = StatusCode::CREATED;
    Ok(resp)
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    issue(&shared, &headers, &body).unwrap_or_else(IntoResponse::into_response)
}
