//! Carrier pickup in the app's terms: the ship-from address as USPS's pickup address, a
//! booking as USPS's `SchedulePickupRequest`.

use usps::limits::{is_valid_email, label_text};
use usps::models::{
    PickupAddress, PickupContact, PickupEligibilityQuery, PickupLocation, PickupPackage,
    PickupStreetAddress, SchedulePickupRequest,
};

use super::labels::{addressee, opt_label_text};
use crate::orders::Address;
use crate::postage::PickupOrder;
use crate::postage::model::to_f64;

fn street(a: &Address) -> PickupStreetAddress {
    PickupStreetAddress {
        street_address: label_text(&a.street1),
        secondary_address: opt_label_text(&a.street2),
        city: Some(label_text(&a.city)),
        state: Some(a.state.clone()),
        zip_code: Some(a.zip5.clone()),
        zip_plus4: a.zip4.clone(),
        ..Default::default()
    }
}

pub(super) fn eligibility_query(a: &Address) -> PickupEligibilityQuery {
    PickupEligibilityQuery {
        street_address: label_text(&a.street1),
        secondary_address: opt_label_text(&a.street2),
        city: Some(label_text(&a.city)),
        state: Some(a.state.clone()),
        zip_code: Some(a.zip5.clone()),
        ..Default::default()
    }
}

pub(super) fn schedule_request(order: &PickupOrder<'_>) -> SchedulePickupRequest {
    let a = order.at;
    // A pickup needs both names: a one-word name is given as both.
    let who = addressee(a);
    let one_word = || label_text(&a.name);
    let (first, last) = (
        who.first.unwrap_or_else(one_word),
        who.last.unwrap_or_else(one_word),
    );
    let mut contact = Vec::new();
    if let Some(email) = a.email.clone().filter(|e| is_valid_email(e)) {
        contact.push(PickupContact {
            email: Some(email),
            cell_number: None,
        });
    }
    SchedulePickupRequest {
        pickup_date: order.pickup_date.to_owned(),
        pickup_address: PickupAddress {
            first_name: first,
            last_name: last,
            firm: opt_label_text(&a.company),
            address: street(a),
            contact,
        },
        packages: order
            .packages
            .iter()
            .filter(|p| p.count > 0)
            .map(|p| PickupPackage {
                package_type: p.package_type.clone(),
                package_count: p.count as u64,
            })
            .collect(),
        estimated_weight: to_f64(order.estimated_weight_lb).max(0.1),
        pickup_location: PickupLocation {
            package_location: order.package_location.to_owned(),
            special_instructions: order.special_instructions.map(str::to_owned),
            dog_present: None,
        },
        next_available_pickup: None,
    }
}
