//! SCAN forms in the app's terms: one form per ship-from address for the labels given.

use usps::models::{ScanFormAddress, ScanFormImageInfo, ScanFormRequest, ScanFormShipment};

use crate::orders::Address;
use crate::postage::ScanFormOrder;

fn scan_form_address(a: &Address) -> ScanFormAddress {
    let (first, last) = match a.name.trim().rsplit_once(' ') {
        Some((f, l)) => (Some(f.to_owned()), Some(l.to_owned())),
        None => (None, None),
    };
    let firm = a
        .company
        .clone()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| first.is_none().then(|| a.name.clone()));
    ScanFormAddress {
        first_name: first,
        last_name: last,
        firm,
        street_address: a.street1.clone(),
        secondary_address: a.street2.clone().filter(|s| !s.trim().is_empty()),
        city: a.city.clone(),
        state: a.state.clone(),
        zip_code: a.zip5.clone(),
        zip_plus4: a.zip4.clone(),
        ignore_bad_address: None,
    }
}

pub(super) fn scan_form_request(order: &ScanFormOrder<'_>) -> ScanFormRequest {
    ScanFormRequest {
        image_info: Some(ScanFormImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("8.5X11LABEL".into()),
        }),
        mailing_date: order.mailing_date.to_owned(),
        overwrite_mailing_date: None,
        entry_facility_zip_code: order.from.zip5.clone(),
        destination_entry_facility_type: "NONE".into(),
        shipment: ScanFormShipment::TrackingNumbers {
            tracking_numbers: order.tracking_numbers.clone(),
        },
        from_address: scan_form_address(order.from),
    }
}
