//! Labels in the app's terms: an order, a ship-from address, a package and a chosen rate as
//! USPS's `LabelRequest`, and USPS's answer as a [`BoughtLabel`].

use usps::models::{ImageInfo, Label, LabelAddress, LabelRequest, PackageDescription};

use crate::error::{AppError, AppResult, ErrorCode};
use crate::orders::Address;
use crate::postage::model::{money, to_f64};
use crate::postage::{BoughtLabel, LabelOrder};

/// How USPS names its mail classes on a label.
pub(super) fn service_name(mail_class: &str) -> String {
    match mail_class {
        "PRIORITY_MAIL_EXPRESS" => "Priority Mail Express".into(),
        "PRIORITY_MAIL" => "Priority Mail".into(),
        "USPS_GROUND_ADVANTAGE" => "USPS Ground Advantage".into(),
        "PARCEL_SELECT" => "Parcel Select".into(),
        "MEDIA_MAIL" => "Media Mail".into(),
        "LIBRARY_MAIL" => "Library Mail".into(),
        "BOUND_PRINTED_MATTER" => "Bound Printed Matter".into(),
        "USPS_RETAIL_GROUND" => "USPS Retail Ground".into(),
        other => other.replace('_', " "),
    }
}

/// USPS wants a first and last name, or a firm.
fn split_name(name: &str) -> (Option<String>, Option<String>) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (Some(first.trim().to_owned()), Some(last.to_owned())),
        None if name.is_empty() => (None, None),
        None => (None, None),
    }
}

fn digits(phone: &Option<String>) -> Option<String> {
    let d: String = phone
        .as_deref()?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let d = d
        .strip_prefix('1')
        .filter(|r| r.len() == 10)
        .map(str::to_owned)
        .unwrap_or(d);
    (d.len() == 10).then_some(d)
}

pub(super) fn label_address(a: &Address, ignore_bad_address: bool) -> LabelAddress {
    let (first, last) = split_name(&a.name);
    let company = a.company.clone().filter(|c| !c.trim().is_empty());
    // A one-word name without a company still needs a firm for USPS to accept it.
    let firm = company.or_else(|| first.is_none().then(|| a.name.trim().to_owned()));
    LabelAddress {
        first_name: first,
        last_name: last,
        firm,
        street_address: a.street1.trim().to_owned(),
        secondary_address: a.street2.clone().filter(|s| !s.trim().is_empty()),
        city: a.city.trim().to_owned(),
        state: a.state.trim().to_owned(),
        zip_code: a.zip5.trim().to_owned(),
        zip_plus4: a.zip4.clone().filter(|z| z.len() == 4),
        phone: digits(&a.phone),
        email: a.email.clone().filter(|e| e.contains('@')),
        ignore_bad_address: ignore_bad_address.then_some(true),
        ..Default::default()
    }
}

pub(super) fn label_request(p: &LabelOrder<'_>) -> LabelRequest {
    let d = p.package.dimensions;
    LabelRequest {
        image_info: Some(ImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("4X6LABEL".into()),
            receipt_option: Some("NONE".into()),
            ..Default::default()
        }),
        to_address: label_address(p.to, p.ignore_bad_address),
        from_address: label_address(p.from, false),
        package_description: PackageDescription {
            mail_class: p.rate.mail_class.clone(),
            rate_indicator: Some(p.rate.rate_indicator.clone()),
            weight_uom: Some("lb".into()),
            weight: (p.package.weight_lb() * 10_000.0).round() / 10_000.0,
            dimensions_uom: Some("in".into()),
            length: Some(to_f64(d.length_in)),
            width: Some(to_f64(d.width_in)),
            height: Some(to_f64(d.height_in)),
            processing_category: p.rate.processing_category.clone(),
            mailing_date: p.mailing_date.to_owned(),
            destination_entry_facility_type: "NONE".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// USPS's label answer as the app stores it. An answer without a tracking number is not a
/// label: the purchase stays open and is checked again with its key.
pub(super) fn bought_label(
    request: &LabelRequest,
    label: &Label,
    sample: bool,
) -> AppResult<BoughtLabel> {
    let meta = &label.metadata;
    if meta.tracking_number.trim().is_empty() {
        return Err(AppError::new(
            ErrorCode::PurchaseOutcomeUnknown,
            "USPS answered without a tracking number; the purchase will be checked again",
        ));
    }
    let package = &request.package_description;
    Ok(BoughtLabel {
        tracking_number: meta.tracking_number.trim().to_owned(),
        mail_class: package.mail_class.clone(),
        rate_indicator: package.rate_indicator.clone(),
        service_name: service_name(&package.mail_class),
        postage: money(meta.total_charge()),
        zone: meta.zone.clone(),
        commitment: meta.commitment.as_ref().and_then(|c| c.name.clone()),
        mailing_date: package.mailing_date.chars().take(10).collect(),
        label_bytes: label.label_image.as_ref().map(|d| d.bytes.clone()),
        label_content_type: label.label_image.as_ref().map(|d| {
            d.content_type
                .clone()
                .unwrap_or_else(|| "application/pdf".into())
        }),
        metadata_json: serde_json::to_string(meta).unwrap_or_default(),
        sample,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_or_become_a_firm() {
        let mut a = Address {
            name: "Mary Ann Smith".into(),
            street1: "1 Main St".into(),
            city: "X".into(),
            state: "MO".into(),
            zip5: "63116".into(),
            phone: Some("+1 (314) 555-0100".into()),
            ..Default::default()
        };
        let l = label_address(&a, false);
        assert_eq!(
            (l.first_name.as_deref(), l.last_name.as_deref(), l.firm),
            (Some("Mary Ann"), Some("Smith"), None)
        );
        assert_eq!(l.phone.as_deref(), Some("3145550100"));
        a.name = "Cher".into();
        let l = label_address(&a, true);
        assert_eq!(l.firm.as_deref(), Some("Cher"));
        assert_eq!(l.ignore_bad_address, Some(true));
    }
}
