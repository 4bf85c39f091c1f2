//! Labels in the app's terms: an order, a ship-from address, a package and a chosen rate as
//! USPS's `LabelRequest`, and USPS's answer as a [`BoughtLabel`].

use usps::limits::{
    is_valid_email, label_text, length_plus_girth, max_length_plus_girth_in, max_weight_lb,
    split_name, us_phone_digits,
};
use usps::models::{ImageInfo, Label, LabelAddress, LabelRequest, PackageDescription};

use crate::error::{AppError, AppResult, ErrorCode};
use crate::orders::Address;
use crate::orders::label_fields::label_problems;
use crate::orders::validate::into_error;
use crate::postage::model::{money, service_name, to_f64};
use crate::postage::{BoughtLabel, LabelOrder};

/// Who a USPS address is for, as printed: a first and last name, or a firm (the company, or a
/// one-word name), in the plain ASCII USPS prints.
pub(super) struct Addressee {
    pub first: Option<String>,
    pub last: Option<String>,
    pub firm: Option<String>,
}

pub(super) fn addressee(a: &Address) -> Addressee {
    let (first, last) = split_name(&a.name);
    let company = a
        .company
        .as_deref()
        .map(label_text)
        .filter(|c| !c.is_empty());
    Addressee {
        firm: company.or_else(|| first.is_none().then(|| label_text(&a.name))),
        first: first.map(label_text),
        last: last.map(label_text),
    }
}

/// Optional text as printed; blank is absent.
pub(super) fn opt_label_text(text: &Option<String>) -> Option<String> {
    text.as_deref().map(label_text).filter(|t| !t.is_empty())
}

/// The address as USPS's label API takes it. Every field goes out as printed (ASCII); an email
/// or phone USPS would refuse is left out rather than failing the label, since neither is
/// required for a domestic label. Lengths were checked before (`orders::label_fields`).
pub(super) fn label_address(a: &Address, ignore_bad_address: bool) -> LabelAddress {
    let who = addressee(a);
    LabelAddress {
        first_name: who.first,
        last_name: who.last,
        firm: who.firm,
        street_address: label_text(&a.street1),
        secondary_address: opt_label_text(&a.street2),
        city: label_text(&a.city),
        state: a.state.trim().to_owned(),
        zip_code: a.zip5.trim().to_owned(),
        zip_plus4: a.zip4.clone().filter(|z| z.len() == 4),
        phone: a.phone.as_deref().and_then(us_phone_digits),
        email: a.email.clone().filter(|e| is_valid_email(e)),
        ignore_bad_address: ignore_bad_address.then_some(true),
        ..Default::default()
    }
}

/// Refuses, before any USPS call, a package too heavy or too large for the chosen class (USPS
/// would answer 160098 or 160042), saying what would fit.
pub(super) fn check_package_for_class(p: &LabelOrder<'_>) -> AppResult<()> {
    let class = &p.rate.mail_class;
    let name = service_name(class);
    let max_lb = max_weight_lb(class);
    if p.package.weight_lb() > f64::from(max_lb) {
        return Err(AppError::validation(format!(
            "{name} takes packages up to {max_lb} lb; this one weighs {:.2} lb",
            p.package.weight_lb()
        )));
    }
    let d = p.package.dimensions;
    let size = length_plus_girth([to_f64(d.length_in), to_f64(d.width_in), to_f64(d.height_in)]);
    let max_size = max_length_plus_girth_in(class);
    if size > f64::from(max_size) {
        return Err(AppError::validation(format!(
            "{name} takes packages up to {max_size} in length plus girth (the longest side plus \
             twice the other two); this box measures {size:.0} in. Choose USPS Ground Advantage \
             (up to 130 in) or a smaller box"
        )));
    }
    Ok(())
}

/// Refuses, before any USPS call, an address USPS would refuse for its lengths.
pub(super) fn check_label_fields(prefix: &str, a: &Address) -> AppResult<()> {
    let problems = label_problems(prefix, a);
    if problems.is_empty() {
        return Ok(());
    }
    Err(into_error(problems))
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
