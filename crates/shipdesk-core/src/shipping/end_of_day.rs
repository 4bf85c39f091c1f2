//! End of Day: one SCAN form (PS Form 5630) per ship-from address for the day's labels not yet
//! on a form, kept as a PDF to print and hand to the carrier; and the history of past forms.
//! The provider's own form image is stored when it sends one; otherwise Shipdesk draws the form
//! from its answer (the form's number and the labels it accepted).

use std::collections::BTreeMap;

use super::ShippingService;
use super::documents::label_spec;
use super::model_shipments::{ScanFormRecord, Shipment, ShipmentQuery, ShipmentStatus};
use super::store::NewScanForm;
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
            // A label with a void open may be canceled already: it does not go on a form.
            .filter(|s| s.account_id == account_id && s.scan_form_id.is_none() && !s.void_pending)
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
            let shipment_ids: Vec<i64> = on_form.iter().map(|s| s.id).collect();
            let id = self.end_of_day.add_scan_form(
                &NewScanForm {
                    account_id: account.id,
                    ship_from_id,
                    manifest_number: &manifest,
                    mailing_date: &date,
                    pdf: &pdf,
                    rendered_locally,
                    shipment_ids: &shipment_ids,
                },
                &self.now(),
            )?;
            created.push(self.scan_form(id)?);
        }
        Ok(created)
    }

    pub fn scan_form(&self, id: i64) -> AppResult<ScanFormRecord> {
        self.end_of_day
            .scan_form(id)?
            .ok_or_else(|| AppError::not_found(format!("There is no SCAN form {id}")))
    }

    /// Past SCAN forms, newest first (the last 500).
    pub fn scan_forms(&self) -> AppResult<Vec<ScanFormRecord>> {
        self.end_of_day.scan_forms()
    }

    pub fn scan_form_pdf(&self, id: i64) -> AppResult<Vec<u8>> {
        self.end_of_day
            .scan_form_pdf(id)?
            .ok_or_else(|| AppError::not_found(format!("There is no SCAN form {id}")))
    }
}
