//! Carrier pickup: is it offered at the ship-from address, schedule one with the package count
//! and weight prefilled from today's labels (voided ones aside), and cancel. Labels on today's
//! SCAN form are counted too: the form records the hand-over, it does not move the packages. USPS pickups
//! cannot be edited through Shipdesk: cancel and schedule again. Cancel sends the `ETag` of the
//! last answer as `If-Match`; when it is missing or stale, the pickup is read again first.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::ShippingService;
use super::model::{PickupEligibility, PickupPackageCount};
use super::model_shipments::{
    Pickup, PickupInput, PickupPrefill, PickupStatus, ShipmentQuery, ShipmentStatus,
};
use super::store::NewPickup;
use crate::error::{AppError, AppResult};
use crate::postage::{AccountId, PickupOrder};

const LOCATIONS: &[&str] = &[
    "FRONT_DOOR",
    "BACK_DOOR",
    "SIDE_DOOR",
    "KNOCK_ON_DOOR",
    "MAIL_ROOM",
    "OFFICE",
    "PORCH",
    "RECEPTION",
    "MAILBOX",
    "OTHER",
];

fn package_type(mail_class: &str) -> &'static str {
    match mail_class {
        "PRIORITY_MAIL" => "PRIORITY_MAIL",
        "PRIORITY_MAIL_EXPRESS" => "PRIORITY_MAIL_EXPRESS",
        "USPS_GROUND_ADVANTAGE" => "USPS_GROUND_ADVANTAGE",
        _ => "OTHER",
    }
}

impl ShippingService {
    pub async fn pickup_eligibility(
        &self,
        account_id: Option<AccountId>,
        ship_from_id: Option<i64>,
    ) -> AppResult<PickupEligibility> {
        let account = self.account(account_id)?;
        let from = self.ship_from(ship_from_id)?;
        self.postage
            .pickup_eligibility(&account, &from.address)
            .await
    }

    /// Counts per package type and total weight of today's active labels from this address.
    pub fn pickup_prefill(
        &self,
        account_id: Option<AccountId>,
        ship_from_id: Option<i64>,
        pickup_date: Option<&str>,
    ) -> AppResult<PickupPrefill> {
        let account = self.account(account_id)?;
        let from = self.ship_from(ship_from_id)?;
        let today = self.today();
        let labels: Vec<_> = self
            .shipments(&ShipmentQuery {
                status: Some(ShipmentStatus::LabelCreated),
                mailing_date: Some(today.clone()),
                limit: Some(1000),
                ..Default::default()
            })?
            .into_iter()
            .filter(|s| s.account_id == account.id && s.ship_from_id == Some(from.id))
            .collect();
        let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
        let mut oz = Decimal::ZERO;
        for s in &labels {
            *counts.entry(package_type(&s.mail_class)).or_default() += 1;
            oz += s.weight_oz;
        }
        Ok(PickupPrefill {
            ship_from_id: from.id,
            pickup_date: pickup_date.map(str::to_owned).unwrap_or(today),
            packages: counts
                .into_iter()
                .map(|(t, n)| PickupPackageCount {
                    package_type: t.to_owned(),
                    count: n,
                })
                .collect(),
            estimated_weight_lb: (oz / Decimal::from(16))
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::AwayFromZero),
        })
    }

    pub async fn schedule_pickup(&self, input: PickupInput) -> AppResult<Pickup> {
        let account = self.account(input.account_id)?;
        let from = self.ship_from(input.ship_from_id)?;
        let count: u32 = input.packages.iter().map(|p| p.count).sum();
        if count == 0 {
            return Err(AppError::validation("A pickup needs at least one package"));
        }
        let location = input.package_location.trim().to_ascii_uppercase();
        if !LOCATIONS.contains(&location.as_str()) {
            return Err(AppError::validation(format!(
                "Package location must be one of {}",
                LOCATIONS.join(", ")
            )));
        }
        if location == "OTHER"
            && input
                .special_instructions
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            return Err(AppError::validation(
                "Say where the packages are when the location is OTHER",
            ));
        }
        let order = PickupOrder {
            at: &from.address,
            pickup_date: &input.pickup_date,
            packages: &input.packages,
            estimated_weight_lb: input.estimated_weight_lb,
            package_location: &location,
            special_instructions: input.special_instructions.as_deref(),
        };
        let answer = self.postage.schedule_pickup(&account, &order).await?;
        let pickup_date = answer
            .pickup_date
            .clone()
            .unwrap_or(input.pickup_date.clone());
        let id = self.end_of_day.add_pickup(
            &NewPickup {
                account_id: account.id,
                ship_from_id: from.id,
                confirmation_number: &answer.confirmation_number,
                pickup_date: &pickup_date,
                etag: answer.etag.as_deref(),
                package_count: count,
                estimated_weight_lb: input.estimated_weight_lb,
                package_location: &location,
            },
            &self.now(),
        )?;
        self.pickup(id)
    }

    pub async fn cancel_pickup(&self, pickup_id: i64) -> AppResult<Pickup> {
        let p = self.pickup(pickup_id)?;
        if p.status == PickupStatus::Canceled {
            return Err(AppError::conflict(format!(
                "Pickup {} is already canceled",
                p.confirmation_number
            )));
        }
        let stored_etag = self.end_of_day.pickup_etag(pickup_id)?;
        let account = self.postage.account(p.account_id)?;
        self.postage
            .cancel_pickup(&account, &p.confirmation_number, stored_etag.as_deref())
            .await?;
        self.end_of_day
            .mark_pickup_canceled(pickup_id, &self.now())?;
        self.pickup(pickup_id)
    }

    pub fn pickup(&self, id: i64) -> AppResult<Pickup> {
        self.end_of_day
            .pickup(id)?
            .ok_or_else(|| AppError::not_found(format!("There is no pickup {id}")))
    }

    /// Pickups, newest first (the last 200).
    pub fn pickups(&self) -> AppResult<Vec<Pickup>> {
        self.end_of_day.pickups()
    }
}
