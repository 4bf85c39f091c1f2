//! SCAN forms in the app's terms: one form per ship-from address for the labels given.

use usps::limits::label_text;
use usps::models::{ScanFormAddress, ScanFormImageInfo, ScanFormRequest, ScanFormShipment};

use super::labels::{addressee, opt_label_text};
use crate::orders::Address;
use crate::postage::ScanFormOrder;

fn scan_form_address(a: &Address) -> ScanFormAddress {
    let who = addressee(a);
    ScanFormAddress {
        first_name: who.first,
        last_name: who.last,
        firm: who.firm,
        street_address: label_text(&a.street1),
        secondary_address: opt_label_text(&a.street2),
        city: label_text(&a.city),
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
