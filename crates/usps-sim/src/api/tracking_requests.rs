//! Tracking v3 requests about one package: email notifications
//! (`POST /tracking/v3/tracking/{trackingNumber}/notifications`) and a proof-of-delivery letter
//! (`…/proof-of-delivery`). Both answer 202 with `{resultText, returnCode}`; the simulator keeps
//! no outbox, it checks the request and the package the way USPS does.
//!
//! The mail-piece identity a request names (`uniqueMailPieceId`, `mailPieceIntakeDate`) is the
//! one `GET …?expand=DETAIL` shows; naming another answers 400. As for tracking itself, only
//! packages whose Label MID the caller owns are served (403 otherwise). SMS notifications are
//! refused (the spec: not supported). A proof of delivery is offered once the package is in
//! USPS's hands (manifested, not canceled), which the DETAIL view's `proofOfDeliveryEnabled`
//! says (docs/usps.md#tracking).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::validate::{Check, at, json_body};
use crate::Shared;
use crate::auth::guard::authorize;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::sha256_hex;
use crate::rules::{self, NOTIFICATIONS, PROOF_OF_DELIVERY, Shape};
use crate::state::records::{LabelRecord, LabelStatus};

const V: &str = "/tracking/v3";

const EVENT_TYPES: &[&str] = &[
    "EMAIL_ALERT",
    "EMAIL_FUTURE_DELIVERY",
    "EMAIL_DELIVERY/NON_DELIVERY_ACTIVITY",
    "EMAIL_TODAY_DELIVERY",
    "EMAIL_AVAILABLE_FOR_PICKUP",
    "PACKAGE_ADDRESSED_TO_ME/MYUSPS_ONLY",
    "OTHER_ACTIVITY",
];

/// The mail piece's suffix ("MP-suffix"): stable for a label, distinct between labels.
pub fn mail_piece_id(label: &LabelRecord) -> String {
    let digest = sha256_hex(format!("{}/{}", label.tracking_number, label.created_ms).as_bytes());
    digest[..10].to_string()
}

/// Whether a proof-of-delivery letter can be requested: the package is in USPS's hands.
pub fn proof_of_delivery_available(label: &LabelRecord) -> bool {
    label.manifested && label.status == LabelStatus::Printed
}

/// The label behind a tracking number, if the caller may see it (150002 / 403 otherwise).
fn owned_label(
    shared: &Shared,
    headers: &HeaderMap,
    tracking: &str,
    path: &str,
) -> Result<LabelRecord, ApiError> {
    let caller = authorize(shared, headers, Api::Tracking)?;
    let label = shared.lock().durable.labels.get(tracking).cloned();
    let label = label.ok_or_else(|| {
        ApiError::bad_request(V, vec![ErrorItem::coded("150002",
            "The tracking number may be incorrect or the status update is not yet available. Please verify your tracking number and try again later.",
            "trackingNumber")])
    })?;
    let business = caller.business(Api::Tracking, path)?;
    if !business.owns_mid(&label.mid) {
        return Err(ApiError::forbidden(V, path));
    }
    Ok(label)
}

/// The request's mail-piece identity must be the package's (when given).
fn same_piece(c: &mut Check, label: &LabelRecord, id_field: &str, date_field: &str) {
    if let Some(id) = c.string(id_field, false)
        && id != mail_piece_id(label)
    {
        c.fail(ErrorItem::field(
            format!("{id_field} does not match a mail piece of this tracking number."),
            id_field,
        ));
    }
    if let Some(date) = c.string(date_field, false) {
        let parsed =
            time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339);
        match parsed {
            Err(_) => c.fail(ErrorItem::field(
                format!("{date_field} must be a date-time (RFC 3339)."),
                date_field,
            )),
            Ok(t) if t.unix_timestamp() != (label.created_ms / 1000) as i64 => {
                c.fail(ErrorItem::field(
                    format!("{date_field} does not match a mail piece of this tracking number."),
                    date_field,
                ))
            }
            Ok(_) => {}
        }
    }
}

fn accepted(text: &str) -> Response {
    (
        StatusCode::ACCEPTED,
        axum::Json(json!({ "resultText": text, "returnCode": "0" })),
    )
        .into_response()
}

pub async fn notifications(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tracking): Path<String>,
    body: Bytes,
) -> Response {
    let path = format!("/tracking/v3/tracking/{tracking}/notifications");
    let result = (|| {
        let label = owned_label(&shared, &headers, &tracking, &path)?;
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, None);
        c.only(
            "",
            &[
                "uniqueTrackingId",
                "uniqueMailPieceId",
                "approximateIntakeDate",
                "mailPieceIntakeDate",
                "notifyEventTypes",
                "firstName",
                "lastName",
                "notifications",
            ],
        );
        same_piece(&mut c, &label, "uniqueMailPieceId", "mailPieceIntakeDate");
        same_piece(&mut c, &label, "uniqueTrackingId", "approximateIntakeDate");
        for name in ["firstName", "lastName"] {
            c.text(NOTIFICATIONS, name, false);
        }
        if let Some(types) = c.list(NOTIFICATIONS, "notifyEventTypes") {
            if types.is_empty() {
                c.fail(ErrorItem::field(
                    "size must be between 1 and 7",
                    "notifyEventTypes",
                ));
            }
            for t in types {
                if !t.as_str().is_some_and(|t| EVENT_TYPES.contains(&t)) {
                    c.fail(ErrorItem::field(
                        format!(
                            "notifyEventTypes must be one of: {}.",
                            EVENT_TYPES.join(", ")
                        ),
                        "notifyEventTypes",
                    ));
                }
            }
        }
        match c.list(NOTIFICATIONS, "notifications") {
            None if at(&body, "notifications").is_none() => c.fail(ErrorItem::field(
                "notifications is required.",
                "notifications",
            )),
            None => {}
            Some(list) if list.is_empty() => c.fail(ErrorItem::field(
                "size must be between 1 and 3",
                "notifications",
            )),
            Some(list) => {
                for (i, item) in list.iter().enumerate() {
                    let here = format!("notifications[{i}]");
                    let Some(obj) = item.as_object() else {
                        c.fail(ErrorItem::field(
                            format!("{here} must be an object."),
                            &here,
                        ));
                        continue;
                    };
                    match (obj.get("email"), obj.get("cellNumber")) {
                        (Some(Value::String(email)), None) => {
                            let field = "notifications[].email";
                            if let Some(why) = rules::broken_text(NOTIFICATIONS, field, email) {
                                c.fail(ErrorItem::field(why, &format!("{here}.email")));
                            } else if !Shape::Email.matches(email) {
                                c.fail(ErrorItem::field(
                                    "must be a well-formed email address",
                                    &format!("{here}.email"),
                                ));
                            }
                        }
                        (None, Some(_)) => c.fail(ErrorItem::field(
                            "SMS notifications are not supported; give an email address.",
                            &format!("{here}.cellNumber"),
                        )),
                        _ => c.fail(ErrorItem::field(
                            format!("{here} must hold exactly one email address."),
                            &here,
                        )),
                    }
                }
            }
        }
        c.finish(V)
    })();
    match result {
        Ok(()) => accepted("Your request for email notifications has been received."),
        Err(e) => e.into_response(),
    }
}

pub async fn proof_of_delivery(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tracking): Path<String>,
    body: Bytes,
) -> Response {
    let path = format!("/tracking/v3/tracking/{tracking}/proof-of-delivery");
    let result = (|| {
        let label = owned_label(&shared, &headers, &tracking, &path)?;
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, None);
        c.only(
            "",
            &[
                "uniqueTrackingID",
                "uniqueMailPieceID",
                "approximateIntakeDate",
                "mailPieceIntakeDate",
                "tableCode",
                "requestType",
                "firstName",
                "lastName",
                "email",
                "faxNumber",
                "streetAddress",
                "secondaryAddress",
                "city",
                "state",
                "ZIPCode",
                "ZIPPlus4",
                "CRID",
            ],
        );
        for required in [
            "uniqueMailPieceID",
            "mailPieceIntakeDate",
            "tableCode",
            "firstName",
            "lastName",
        ] {
            c.string(required, true);
        }
        same_piece(&mut c, &label, "uniqueMailPieceID", "mailPieceIntakeDate");
        c.one_of("requestType", true, &["email"]);
        match c.list(PROOF_OF_DELIVERY, "email") {
            None if at(&body, "email").is_none() => {
                c.fail(ErrorItem::field("email is required.", "email"))
            }
            None => {}
            Some(list) if list.is_empty() => {
                c.fail(ErrorItem::field("size must be between 1 and 3", "email"))
            }
            Some(list) => {
                for (i, item) in list.iter().enumerate() {
                    let why = match item.as_str() {
                        Some(s) => rules::broken_text(PROOF_OF_DELIVERY, "email[]", s),
                        None => Some("must be a string".into()),
                    };
                    if let Some(why) = why {
                        c.fail(ErrorItem::field(why, &format!("email[{i}]")));
                    }
                }
            }
        }
        for field in ["state", "ZIPCode", "CRID"] {
            c.text(PROOF_OF_DELIVERY, field, false);
        }
        for field in ["faxNumber", "streetAddress", "secondaryAddress", "city"] {
            c.string(field, false);
        }
        c.finish(V)?;
        if !proof_of_delivery_available(&label) {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field(
                    "Proof of Delivery is not available for this item yet.",
                    "trackingNumber",
                )],
            ));
        }
        Ok(())
    })();
    match result {
        Ok(()) => accepted(
            "Your request for a Proof of Delivery letter has been received; it will be emailed.",
        ),
        Err(e) => e.into_response(),
    }
}
