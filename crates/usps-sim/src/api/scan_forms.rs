//! SCAN Forms v3: links a day's labels to one Electronic File Number (PS Form 5630) and marks
//! them manifested — after which a cancel becomes a refund request (docs/usps.md#scan-forms).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::enums::DEF_TYPES;
use super::validate::{Check, at, json_body};
use crate::Shared;
use crate::auth::guard::authorize;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{manifest_number, now_ms};
use crate::pdf::{self, Part};
use crate::rules::SCAN_FORM;
use crate::state::records::{Business, LabelStatus, ScanFormRecord};

const V: &str = "/scan-forms/v3";
const PATH: &str = "/scan-forms/v3/scan-form";

fn date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn validate(body: &Value) -> Result<(), ApiError> {
    let mut c = Check::new(body, None);
    c.only(
        "",
        &[
            "imageInfo",
            "form",
            "imageType",
            "labelType",
            "mailingDate",
            "overwriteMailingDate",
            "entryFacilityZIPCode",
            "destinationEntryFacilityType",
            "shipment",
            "fromAddress",
        ],
    );
    c.one_of("imageInfo.imageType", false, &["PDF", "NONE"]);
    c.one_of("imageInfo.labelType", false, &["8.5X11LABEL", "4X6LABEL"]);
    c.one_of("imageType", false, &["PDF", "NONE"]);
    c.one_of("form", false, &["5630"]);
    if let Some(d) = c.string("mailingDate", true) {
        match date(d) {
            Some(d) if super::validate::date_in_window(d, 30) => {}
            _ => c.fail(ErrorItem::coded(
                "160034",
                "cannot be in the past or more than 30 days in the future",
                "mailingDate",
            )),
        }
    }
    c.boolean("overwriteMailingDate");
    c.text(SCAN_FORM, "entryFacilityZIPCode", true);
    c.one_of("destinationEntryFacilityType", true, DEF_TYPES);
    if let Some(s) = c.object("shipment", true) {
        let one = match (s.get("trackingNumbers"), s.get("MID"), s.get("manifestMID")) {
            (Some(Value::Array(t)), None, None) => !t.is_empty() && t.iter().all(Value::is_string),
            (None, Some(Value::String(_)), None) | (None, None, Some(Value::String(_))) => true,
            _ => false,
        };
        if !one {
            c.fail(ErrorItem::field("shipment must hold exactly one of trackingNumbers, MID (6 or 9 digits) or manifestMID.", "shipment"));
        }
        c.list(SCAN_FORM, "shipment.trackingNumbers");
        c.text(SCAN_FORM, "shipment.MID", false);
        let bad_manifest_mid = ErrorItem::coded(
            "160035",
            "Invalid manifestMID: must be between 6 and 9 characters.",
            "shipment.manifestMID",
        );
        c.text_or(
            SCAN_FORM,
            "shipment.manifestMID",
            false,
            Some(bad_manifest_mid),
        );
    }
    if c.object("fromAddress", true).is_some() {
        let f = |name: &str| format!("fromAddress.{name}");
        for required in ["streetAddress", "city", "state"] {
            c.text(SCAN_FORM, &f(required), true);
        }
        let invalid_zip = ErrorItem::coded("160119", "ZIP Code is not valid", "fromAddress");
        c.text_or(SCAN_FORM, &f("ZIPCode"), true, Some(invalid_zip));
        for optional in [
            "firstName",
            "lastName",
            "firm",
            "secondaryAddress",
            "ZIPPlus4",
            "urbanization",
        ] {
            c.text(SCAN_FORM, &f(optional), false);
        }
        for printed in [
            "firstName",
            "lastName",
            "firm",
            "streetAddress",
            "secondaryAddress",
            "city",
        ] {
            c.printable(&f(printed));
        }
        let named = |k: &str| {
            at(body, &format!("fromAddress.{k}"))
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
        };
        if !(named("firm") || (named("firstName") && named("lastName"))) {
            c.fail(ErrorItem::coded(
                "160168",
                "must provide either first and last name or firm",
                "firstName/lastName/firm",
            ));
        }
    }
    c.finish(V)
}

fn barcode_error(code: &'static str, detail: String) -> ApiError {
    ApiError::bad_request(V, vec![ErrorItem::coded(code, detail, "barcode")])
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::ScanForms)?;
        let body = json_body(&headers, &body, V)?;
        validate(&body)?;
        let business = caller.business(Api::ScanForms, PATH)?.clone();
        form(&shared, &headers, &business, &body)
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

fn form(
    shared: &Shared,
    headers: &HeaderMap,
    business: &Business,
    body: &Value,
) -> Result<Response, ApiError> {
    let mailing_date = body["mailingDate"].as_str().unwrap_or_default().to_string();
    let overwrite = body["overwriteMailingDate"].as_bool().unwrap_or(false);
    let shipment = &body["shipment"];
    let mut st = shared.lock();
    let chosen: Vec<String> = if let Some(list) = shipment["trackingNumbers"].as_array() {
        let mut out = Vec::new();
        for t in list.iter().filter_map(Value::as_str) {
            let label = st
                .durable
                .labels
                .get(t)
                .filter(|l| l.crid == business.crid)
                .ok_or_else(|| barcode_error("160039", format!("barcode {t} does not exist")))?;
            if label.status != LabelStatus::Printed {
                return Err(barcode_error(
                    "160397",
                    format!(
                        "barcode {t} has been canceled and is not eligible to be added to a SCAN Form"
                    ),
                ));
            }
            if let Some(efn) = &label.scan_form {
                return Err(barcode_error(
                    "160040",
                    format!("barcode {t} is already part of another SCAN Form with efn {efn}"),
                ));
            }
            if label.manifested {
                return Err(barcode_error(
                    "160398",
                    format!(
                        "barcode {t} has manifested and is not eligible to be added to a SCAN Form"
                    ),
                ));
            }
            if !overwrite && label.mailing_date != mailing_date {
                return Err(ApiError::bad_request(
                    V,
                    vec![ErrorItem::coded(
                        "160006",
                        format!(
                            "barcode {t} with mailing date {} does not match SCAN Form request mailing date {mailing_date}",
                            label.mailing_date
                        ),
                        "mailingDate",
                    )],
                ));
            }
            out.push(t.to_string());
        }
        out
    } else {
        let (mid, by_manifest) = match shipment["MID"].as_str() {
            Some(m) => (m, false),
            None => (shipment["manifestMID"].as_str().unwrap_or_default(), true),
        };
        if !business.owns_mid(mid) {
            return Err(ApiError::forbidden(V, PATH));
        }
        st.durable
            .labels
            .values()
            .filter(|l| {
                l.crid == business.crid
                    && l.status == LabelStatus::Printed
                    && !l.manifested
                    && l.scan_form.is_none()
                    // Customers mail return labels themselves; no SCAN form lists them.
                    && !super::return_labels::is_return(l)
            })
            .filter(|l| {
                if by_manifest {
                    l.manifest_mid == mid
                } else {
                    l.mid == mid
                }
            })
            .filter(|l| overwrite || l.mailing_date == mailing_date)
            .map(|l| l.tracking_number.clone())
            .collect()
    };
    if chosen.is_empty() {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "160037",
                "The SCAN Form could not be created because no labels met the given criteria",
                "mailingDate,entryFacilityZIPCode,destinationEntryFacilityType,shipment",
            )],
        ));
    }
    st.durable.counters.scan_forms += 1;
    let mid = business
        .manifest_mid
        .clone()
        .or_else(|| business.mids.first().cloned())
        .unwrap_or_default();
    let efn = manifest_number(st.scenario.seed, &mid, st.durable.counters.scan_forms);
    let mut packages = Vec::new();
    for t in &chosen {
        let Some(label) = st.durable.labels.get_mut(t) else {
            continue;
        };
        label.manifested = true;
        label.scan_form = Some(efn.clone());
        if overwrite {
            label.mailing_date = mailing_date.clone();
        }
        let class = label.request["packageDescription"]["mailClass"]
            .as_str()
            .unwrap_or_default();
        packages.push(labels::ScanFormPackage {
            tracking_number: t.clone(),
            service_name: crate::pricing::class_info(class)
                .map_or(class.to_string(), |i| i.product_name.to_string()),
            weight: format!("{} lb", label.metadata["weight"]),
        });
    }
    st.durable.scan_forms.insert(
        efn.clone(),
        ScanFormRecord {
            manifest_number: efn.clone(),
            tracking_numbers: chosen.clone(),
            mailing_date: mailing_date.clone(),
            created_ms: now_ms(),
        },
    );
    shared.persist(&st);
    drop(st);

    let from = &body["fromAddress"];
    let s = |k: &str| from[k].as_str().unwrap_or_default().to_string();
    let mailer = if s("firm").is_empty() {
        format!("{} {}", s("firstName"), s("lastName"))
    } else {
        s("firm")
    };
    let spec = labels::ScanFormSpec {
        form_id: efn.clone(),
        mailer_name: mailer.to_ascii_uppercase(),
        from_address: vec![
            s("streetAddress").to_ascii_uppercase(),
            format!(
                "{} {} {}",
                s("city").to_ascii_uppercase(),
                s("state"),
                s("ZIPCode")
            ),
        ],
        date: mailing_date,
        packages,
    };
    let mut meta = body.clone();
    meta["manifestNumber"] = json!(efn);
    meta["trackingNumbers"] = json!(chosen);
    let no_image = body["imageInfo"]["imageType"] == "NONE" || body["imageType"] == "NONE";
    let image = if no_image {
        None
    } else {
        Some(pdf::scan_form_pdf(&spec, V)?)
    };
    if pdf::wants_vendor_json(headers) {
        let mut v = meta;
        if let Some(img) = &image {
            v["SCANFormImage"] = json!(pdf::b64(img));
        }
        return Ok(pdf::vendor_json(v));
    }
    let mut parts = vec![Part::json("SCANFormMetaData", &meta)];
    if let Some(img) = &image {
        parts.push(Part::pdf("SCANFormImage", "SCANFormImage.pdf", img));
    }
    Ok(pdf::multipart(&parts))
}
