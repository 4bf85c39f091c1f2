//! Labels in the app's terms: an order, a ship-from address, a package and a chosen rate as
//! USPS's `LabelRequest`, and USPS's answer as a [`BoughtLabel`].

use usps::limits::{
    is_valid_email, label_text, length_plus_girth, max_length_plus_girth_in, max_weight_lb,
    split_name, us_phone_digits,
};
use usps::models::{
    CustomsForm, ImageInfo, IntlAddress, IntlImageInfo, IntlLabelRequest, IntlPackageDescription,
    IntlPackageOptions, Label, LabelAddress, LabelRequest, PackageDescription,
};

use crate::error::{AppError, AppResult, ErrorCode};
use crate::orders::Address;
use crate::orders::countries::country_name;
use crate::orders::label_fields::label_problems;
use crate::orders::validate::into_error;
use crate::postage::customs::CustomsDeclaration;
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

/// Whether a tracking number is a UPU S10 number (two letters, eight digits and a check digit,
/// `US`): the form of every USPS label abroad, never of a domestic one (20 to 34 digits).
pub(super) fn is_international_tracking(tracking: &str) -> bool {
    let t = tracking.trim().as_bytes();
    t.len() == 13
        && t[..2].iter().all(u8::is_ascii_uppercase)
        && t[2..11].iter().all(u8::is_ascii_digit)
        && &t[11..] == b"US"
}

/// A phone number abroad as USPS takes it (digits, an optional leading `+`, 6 to 15 digits);
/// one it would refuse is left out, since none is required.
fn intl_phone(raw: &str) -> Option<String> {
    let plus = raw.trim_start().starts_with('+');
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let ok = if plus {
        (8..=15).contains(&digits.len()) && !digits.starts_with('0')
    } else {
        (6..=15).contains(&digits.len())
    };
    ok.then(|| if plus { format!("+{digits}") } else { digits })
}

/// The customs form USPS prints (PS Form 2976 / 2976-A) for a package to `country`.
pub(super) fn customs_form(customs: &CustomsDeclaration, country: &str) -> AppResult<CustomsForm> {
    let aes_itn = customs.aes_itn_text(country).ok_or_else(|| {
        AppError::invalid_fields(
            "This export needs its AES Internal Transaction Number",
            [("customs.aes_itn", "Enter the ITN AES gave the filing")],
        )
    })?;
    Ok(CustomsForm {
        customs_content_type: customs.contents.usps_code().into(),
        content_comments: customs.comments.as_deref().map(label_text),
        restriction_type: customs.restriction.map(|r| r.usps_code().to_owned()),
        restriction_comments: customs.restriction_comments.as_deref().map(label_text),
        aes_itn,
        invoice_number: customs.invoice_number.clone(),
        contents: customs
            .items
            .iter()
            .map(|item| usps::models::CustomsItem {
                item_description: label_text(&item.description),
                item_quantity: item.quantity,
                item_value: to_f64(item.value_usd),
                weight_uom: "lb".into(),
                item_weight: (to_f64(item.weight_oz) / 16.0 * 10_000.0).round() / 10_000.0,
                hs_tariff_number: item.hs_tariff.clone(),
                country_of_origin: item.origin_country.clone().unwrap_or_default(),
            })
            .collect(),
    })
}

/// The request for a label abroad, with its customs form. The addressee's name and address go
/// out as printed (ASCII); the postal code as written, in capitals.
pub(super) fn intl_label_request(
    p: &LabelOrder<'_>,
    customs: &CustomsDeclaration,
) -> AppResult<IntlLabelRequest> {
    let to = p.to;
    let who = addressee(to);
    let d = p.package.dimensions;
    let postal_code = to.zip5.trim().to_uppercase();
    Ok(IntlLabelRequest {
        image_info: IntlImageInfo::default(),
        to_address: IntlAddress {
            first_name: who.first,
            last_name: who.last,
            firm: who.firm,
            street_address: label_text(&to.street1),
            secondary_address: opt_label_text(&to.street2),
            city: label_text(&to.city),
            province: Some(label_text(&to.state)).filter(|s| !s.is_empty()),
            postal_code: Some(postal_code).filter(|s| !s.is_empty()),
            country: country_name(&to.country).to_uppercase(),
            country_iso_alpha2_code: to.country.trim().to_uppercase(),
            phone: to.phone.as_deref().and_then(intl_phone),
        },
        from_address: label_address(p.from, false),
        package_description: IntlPackageDescription {
            mail_class: p.rate.mail_class.clone(),
            rate_indicator: p.rate.rate_indicator.clone(),
            processing_category: p.rate.processing_category.clone(),
            destination_entry_facility_type: "NONE".into(),
            weight_uom: "lb".into(),
            weight: (p.package.weight_lb() * 10_000.0).round() / 10_000.0,
            dimensions_uom: "in".into(),
            length: to_f64(d.length_in),
            width: to_f64(d.width_in),
            height: to_f64(d.height_in),
            mailing_date: p.mailing_date.to_owned(),
            package_options: Some(IntlPackageOptions {
                non_delivery_option: Some(customs.non_delivery.usps_code().into()),
                package_value: None,
            }),
        },
        customs_form: customs_form(customs, &to.country)?,
    })
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
    let package = &request.package_description;
    bought(
        (
            &package.mail_class,
            package.rate_indicator.clone(),
            &package.mailing_date,
        ),
        label,
        sample,
    )
}

/// USPS's answer to a label abroad as the app stores it.
pub(super) fn bought_intl_label(
    request: &IntlLabelRequest,
    label: &Label,
    sample: bool,
) -> AppResult<BoughtLabel> {
    let package = &request.package_description;
    bought(
        (
            &package.mail_class,
            Some(package.rate_indicator.clone()),
            &package.mailing_date,
        ),
        label,
        sample,
    )
}

fn bought(
    (mail_class, rate_indicator, mailing_date): (&str, Option<String>, &str),
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
    Ok(BoughtLabel {
        tracking_number: meta.tracking_number.trim().to_owned(),
        mail_class: mail_class.to_owned(),
        rate_indicator,
        service_name: service_name(mail_class),
        postage: money(meta.total_charge()),
        zone: meta.zone.clone(),
        commitment: meta.commitment.as_ref().and_then(|c| c.name.clone()),
        mailing_date: mailing_date.chars().take(10).collect(),
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
