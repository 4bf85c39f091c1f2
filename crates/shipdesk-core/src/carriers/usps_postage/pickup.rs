//! Carrier pickup in the app's terms: the ship-from address as USPS's pickup address, a
//! booking as USPS's `SchedulePickupRequest`.

use usps::models::{
    PickupAddress, PickupContact, PickupEligibilityQuery, PickupLocation, PickupPackage,
    PickupStreetAddress, SchedulePickupRequest,
};

use crate::orders::Address;
use crate::postage::PickupOrder;
use crate::postage::model::to_f64;

fn street(a: &Address) -> PickupStreetAddress {
    PickupStreetAddress {
        street_address: a.street1.clone(),
        secondary_address: a.street2.clone().filter(|s| !s.trim().is_empty()),
        city: Some(a.city.clone()),
        state: Some(a.state.clone()),
        zip_code: Some(a.zip5.clone()),
        zip_plus4: a.zip4.clone(),
        ..Default::default()
    }
}

pub(super) fn eligibility_query(a: &Address) -> PickupEligibilityQuery {
    PickupEligibilityQuery {
        street_address: a.street1.clone(),
        secondary_address: a.street2.clone().filter(|s| !s.trim().is_empty()),
        city: Some(a.city.clone()),
        state: Some(a.state.clone()),
        zip_code: Some(a.zip5.clone()),
        ..Default::default()
    }
}

pub(super) fn schedule_request(order: &PickupOrder<'_>) -> SchedulePickupRequest {
    let a = order.at;
    let (first, last) = match a.name.trim().rsplit_once(' ') {
        Some((f, l)) => (f.to_owned(), l.to_owned()),
        None => (a.name.trim().to_owned(), a.name.trim().to_owned()),
    };
    let mut contact = Vec::new();
    if let Some(email) = a.email.clone().filter(|e| e.contains('@')) {
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
            firm: a.company.clone().filter(|c| !c.trim().is_empty()),
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
