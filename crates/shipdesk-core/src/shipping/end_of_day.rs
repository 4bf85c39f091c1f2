//! End of Day: one SCAN form (PS Form 5630) per ship-from address for the day's labels not yet
//! on a form, kept as a PDF to print and hand to the carrier; and the history of past forms.
//! The provider's own form image is stored when it sends one; otherwise Shipdesk draws the form
//! from its answer (the form's number and the labels it accepted).

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, params};
use super::ShippingService;
use super::documents::label_spec;
use super::model_shipments::{ScanFormRecord, Shipment, ShipmentQuery, ShipmentStatus};
use crate::error::{AppError, AppResult};
use crate::postage::{AccountId, ScanFormOrder};

impl ShippingService {
    /// Labels of `mailing_date` (today by default) that can still go on a SCAN form.
    pub fn labels_awaiting_scan_form(
        &self,
        account_id: AccountId,
        mailing_date: &str,
    ) -> AppResult<Vec<Shipment>> {
        Ok(self
            .shipments(&ShipmentQuery {
                status: Some(ShipmentStatus::LabelCreated),
                mailing_date: Some(mailing_date.to_owned()),
                limit: Some(1000),
                ..Default::default()
            })?
            .into_iter()
            .filter(|s| s.account_id == account_id && s.scan_form_id.is_none())
            .collect())
    }

    /// Creates the day's SCAN forms, one per ship-from address.
    pub async fn create_scan_forms(
        &self,
        account_id: Option<AccountId>,
        mailing_date: Option<&str>,
    ) -> AppResult<Vec<ScanFormRecord>> {
        let account = self.account(account_id)?;
        let date = mailing_date
            .map(str::to_owned)
            .unwrap_or_else(|| self.today());
        let waiting = self.labels_awaiting_scan_form(account.id, &date)?;
        if waiting.is_empty() {
            return Err(AppError::validation(format!(
                "No labels with ship date {date} are waiting for a SCAN form"
            )));
        }
        let mut groups: BTreeMap<Option<i64>, Vec<Shipment>> = BTreeMap::new();
        for s in waiting {
            groups.entry(s.ship_from_id).or_default().push(s);
        }
        let mut created = Vec::new();
        for (ship_from_id, labels) in groups {
            let from = labels[0].ship_from.clone();
            let order = ScanFormOrder {
                from: &from,
                mailing_date: &date,
                tracking_numbers: labels.iter().map(|s| s.tracking_number.clone()).collect(),
            };
            let form = self.postage.create_scan_form(&account, &order).await?;
            let manifest = form.manifest_number.clone();
            let on_form: Vec<&Shipment> = if form.tracking_numbers.is_empty() {
                labels.iter().collect()
            } else {
                labels
                    .iter()
                    .filter(|s| form.tracking_numbers.contains(&s.tracking_number))
                    .collect()
            };
            let (pdf, rendered_locally) = match form.pdf {
                Some(pdf) => (pdf, false),
                None => {
                    let spec = labels::ScanFormSpec {
                        form_id: manifest.clone(),
                        mailer_name: from.company.clone().unwrap_or_else(|| from.name.clone()),
                        from_address: label_spec(on_form[0]).from_address,
                        date: date.clone(),
                        packages: on_form
                            .iter()
                            .map(|s| {
                                let spec = label_spec(s);
                                labels::ScanFormPackage {
                                    tracking_number: spec.tracking_number,
                                    service_name: spec.service_name,
                                    weight: spec.weight,
                                }
                            })
                            .collect(),
                    };
                    let pdf = labels::render_scan_form_pdf(&spec)
                        .map_err(|e| AppError::internal("The SCAN form could not be drawn", &e))?;
                    (pdf, true)
                }
            };
            let now = self.now();
            let id = self.store.write(|tx| {
                tx.execute(
                    "INSERT INTO scan_forms (account_id, ship_from_id, manifest_number, mailing_date,
                         label_count, pdf, rendered_locally, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        account.id,
                        ship_from_id,
                        manifest,
                        date,
                        on_form.len() as i64,
                        pdf,
                        rendered_locally,
                        now
                    ],
                )?;
                let id = tx.last_insert_rowid();
                for s in &on_form {
                    tx.execute(
                        "UPDATE shipments SET scan_form_id = ?2, updated_at = ?3 WHERE id = ?1",
                        params![s.id, id, now],
                    )?;
                }
                Ok(id)
            })?;
            created.push(self.scan_form(id)?);
        }
        Ok(created)
    }

    pub fn scan_form(&self, id: i64) -> AppResult<ScanFormRecord> {
        self.store
            .read(|c| {
                let row = c
                    .query_row(
                        "SELECT id, account_id, ship_from_id, manifest_number, mailing_date,
                                label_count, created_at
                         FROM scan_forms WHERE id = ?1",
                        [id],
                        |r| {
                            Ok(ScanFormRecord {
                                id: r.get(0)?,
                                account_id: r.get(1)?,
                                ship_from_id: r.get(2)?,
                                manifest_number: r.get(3)?,
                                mailing_date: r.get(4)?,
                                label_count: r.get(5)?,
                                tracking_numbers: Vec::new(),
                                created_at: r.get(6)?,
                            })
                        },
                    )
                    .optional()?;
                let Some(mut record) = row else {
                    return Ok(None);
                };
                let mut stmt = c.prepare(
                    "SELECT tracking_number FROM shipments WHERE scan_form_id = ?1 ORDER BY id",
                )?;
                record.tracking_numbers =
                    stmt.query_map([id], |r| r.get(0))?
                        .collect::<Result<Vec<String>, _>>()?;
                Ok(Some(record))
            })?
            .ok_or_else(|| AppError::not_found(format!("There is no SCAN form {id}")))
    }

    /// Past SCAN forms, newest first.
    pub fn scan_forms(&self) -> AppResult<Vec<ScanFormRecord>> {
        let ids: Vec<i64> = self.store.read(|c| {
            let mut stmt = c.prepare("SELECT id FROM scan_forms ORDER BY id DESC LIMIT 500")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })?;
        ids.into_iter().map(|id| self.scan_form(id)).collect()
    }

    pub fn scan_form_pdf(&self, id: i64) -> AppResult<Vec<u8>> {
        self.store
            .read(|c| {
                Ok(
                    c.query_row("SELECT pdf FROM scan_forms WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .optional()?,
                )
            })?
            .ok_or_else(|| AppError::not_found(format!("There is no SCAN form {id}")))
    }
}
