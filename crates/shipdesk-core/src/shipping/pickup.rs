//! Carrier pickup: is it offered at the ship-from address, schedule one with the package count
//! and weight prefilled from today's labels (voided ones aside), and cancel. Labels on today's
//! SCAN form are counted too: the form records the hand-over, it does not move the packages. USPS pickups
//! cannot be edited through Shipdesk: cancel and schedule again. Cancel sends the `ETag` of the
//! last answer as `If-Match`; when it is missing or stale, the pickup is read again first.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;
use super::ShippingService;
use super::model::{PickupEligibility, PickupPackageCount};
use super::model_shipments::{
    Pickup, PickupInput, PickupPrefill, PickupStatus, ShipmentQuery, ShipmentStatus,
};
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

fn pickup_row(r: &Row<'_>) -> rusqlite::Result<Pickup> {
    let status: String = r.get(8)?;
    Ok(Pickup {
        id: r.get(0)?,
        account_id: r.get(1)?,
        ship_from_id: r.get(2)?,
        confirmation_number: r.get(3)?,
        pickup_date: r.get(4)?,
        package_count: r.get(5)?,
        estimated_weight_lb: r.get::<_, String>(6)?.parse().unwrap_or_default(),
        package_location: r.get(7)?,
        status: if status == "canceled" {
            PickupStatus::Canceled
        } else {
            PickupStatus::Scheduled
        },
        created_at: r.get(9)?,
    })
}

const PICKUP_COLUMNS: &str = "id, account_id, ship_from_id, confirmation_number, pickup_date, \
    package_count, estimated_weight_lb, package_location, status, created_at";

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
        let now = self.now();
        let id =
            self.store.write(|tx| {
                tx.execute(
                "INSERT INTO pickups (account_id, ship_from_id, confirmation_number, pickup_date,
                     etag, package_count, estimated_weight_lb, package_location, status,
                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'scheduled', ?9, ?9)",
                params![
                    account.id,
                    from.id,
                    answer.confirmation_number,
                    answer.pickup_date.clone().unwrap_or(input.pickup_date.clone()),
                    answer.etag,
                    count,
                    input.estimated_weight_lb.to_string(),
                    location,
                    now
                ],
            )?;
                Ok(tx.last_insert_rowid())
            })?;
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
        let stored_etag: Option<String> = self.store.read(|c| {
            Ok(
                c.query_row("SELECT etag FROM pickups WHERE id = ?1", [pickup_id], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten(),
            )
        })?;
        let account = self.postage.account(p.account_id)?;
        self.postage
            .cancel_pickup(&account, &p.confirmation_number, stored_etag.as_deref())
            .await?;
        let now = self.now();
        self.store.write(|tx| {
            tx.execute(
                "UPDATE pickups SET status = 'canceled', updated_at = ?2 WHERE id = ?1",
                params![pickup_id, now],
            )?;
            Ok(())
        })?;
        self.pickup(pickup_id)
    }

    pub fn pickup(&self, id: i64) -> AppResult<Pickup> {
        self.store
            .read(|c| {
                Ok(c.query_row(
                    &format!("SELECT {PICKUP_COLUMNS} FROM pickups WHERE id = ?1"),
                    [id],
                    pickup_row,
                )
                .optional()?)
            })?
            .ok_or_else(|| AppError::not_found(format!("There is no pickup {id}")))
    }

    /// Pickups, newest first.
    pub fn pickups(&self) -> AppResult<Vec<Pickup>> {
        self.store.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {PICKUP_COLUMNS} FROM pickups ORDER BY id DESC LIMIT 200"
            ))?;
            let rows = stmt.query_map([], pickup_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}
