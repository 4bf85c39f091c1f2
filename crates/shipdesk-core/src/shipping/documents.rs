//! Labels and packing slips on paper and on screen.
//!
//! A label bought from real USPS is kept byte for byte as USPS returned it, and that PDF is what
//! prints and saves. Shipdesk does not re-impose USPS's PDFs (there is no PDF merger in the
//! build): several real labels print as one job per label, one label per page, and save as one
//! file per label, whatever the layout setting. Domestic sandbox labels were drawn by Shipdesk's
//! own renderer in the simulator, so they are redrawn from the shipment's data — 4x6 or two per
//! Letter page, as the user chose — and previewed as SVG; a sandbox label abroad (with its
//! customs declaration pages) prints as the simulator returned it, like a real one. A real label's preview is a PNG made
//! from USPS's PDF with `pdftoppm` (poppler), since the webview cannot show PDFs inline.

use std::path::{Path, PathBuf};

use base64::Engine;
use rust_decimal::Decimal;

use super::ShippingService;
use super::model::LabelLayout;
use super::model_shipments::{LabelPreview, Shipment};
use super::printing::DocumentKind;
use super::void::not_postage;
use crate::error::{AppError, AppResult};
use crate::orders::Address;

/// One printable PDF and what it holds.
#[derive(Debug, Clone)]
pub struct LabelDocument {
    /// e.g. `label-9205590000000000000001` or `labels-3`.
    pub name: String,
    pub pdf: Vec<u8>,
    pub shipment_ids: Vec<i64>,
}

fn address_lines(a: &Address) -> Vec<String> {
    let mut lines = vec![a.name.to_uppercase()];
    if let Some(c) = a.company.as_ref().filter(|c| !c.trim().is_empty()) {
        lines.push(c.to_uppercase());
    }
    lines.push(a.street1.to_uppercase());
    if let Some(s) = a.street2.as_ref().filter(|s| !s.trim().is_empty()) {
        lines.push(s.to_uppercase());
    }
    let last = [a.city.to_uppercase(), a.state.clone(), a.zip()];
    let last: Vec<&str> = last
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    lines.push(last.join(" "));
    if !a.is_domestic() {
        lines.push(crate::orders::countries::country_name(&a.country).to_uppercase());
    }
    lines
}

fn weight_text(oz: Decimal) -> String {
    let oz = oz.round_dp(1);
    let lb = (oz / Decimal::from(16)).trunc();
    let rest = (oz - lb * Decimal::from(16)).normalize();
    if rest.is_zero() {
        format!("{lb} lb")
    } else {
        format!("{lb} lb {rest} oz")
    }
}

/// What Shipdesk draws for a sandbox label: the chosen ship-to address, as the user accepted it.
pub(crate) fn label_spec(s: &Shipment) -> labels::LabelSpec {
    labels::LabelSpec {
        tracking_number: s.tracking_number.clone(),
        service_name: s.service_name.to_uppercase(),
        from_address: address_lines(&s.ship_from),
        to_address: address_lines(&s.ship_to),
        to_zip5: s.ship_to.zip5.clone(),
        weight: weight_text(s.weight_oz),
        postage: None,
        ship_date: s.mailing_date.clone(),
        zone: s
            .zone
            .as_ref()
            .map(|z| z.trim_start_matches('0').to_owned())
            .filter(|z| !z.is_empty()),
        sample: s.sample,
    }
}

/// Whether Shipdesk draws the label itself: a domestic sandbox label. A sandbox label abroad is
/// the simulator's PDF as it came (its customs declaration pages are USPS's to draw).
fn redrawn(s: &Shipment) -> bool {
    s.sample && s.ship_to.is_domestic()
}

fn render_error(e: labels::RenderError) -> AppError {
    AppError::internal("The label could not be drawn", &e)
}

impl ShippingService {
    /// The label exactly as USPS returned it, and its media type. A label that is not valid
    /// postage (voided, refund requested, a void open) is refused.
    pub fn label_original(&self, shipment_id: i64) -> AppResult<(Vec<u8>, String)> {
        if let Some(refused) = not_postage(&self.shipment(shipment_id)?) {
            return Err(refused);
        }
        match self.shipments.label_document(shipment_id)? {
            Some(Some(document)) => Ok((document.bytes, document.content_type)),
            Some(None) => Err(AppError::not_found(
                "USPS returned no label image for this shipment",
            )),
            None => Err(AppError::not_found(format!(
                "There is no shipment {shipment_id}"
            ))),
        }
    }

    /// Fetches the label's document from the provider again and keeps it (a label whose image
    /// was never stored, or a damaged copy). A label that is not valid postage (voided, refund
    /// requested, a void open) is refused.
    pub async fn download_label_again(&self, shipment_id: i64) -> AppResult<Shipment> {
        let s = self.shipment(shipment_id)?;
        if let Some(refused) = not_postage(&s) {
            return Err(refused);
        }
        let account = self.postage.account(s.account_id)?;
        let document = self
            .postage
            .reprint_label(&account, &s.tracking_number)
            .await?;
        let now = self.now();
        self.shipments
            .replace_label_document(shipment_id, &document, &now)?;
        self.shipment(shipment_id)
    }

    /// The PDFs to print or save for these labels (see the module docs for how real USPS
    /// labels and sandbox labels differ). `layout` defaults to the remembered setting.
    pub fn label_documents(
        &self,
        shipment_ids: &[i64],
        layout: Option<LabelLayout>,
    ) -> AppResult<Vec<LabelDocument>> {
        if shipment_ids.is_empty() {
            return Err(AppError::validation("Choose at least one label"));
        }
        let layout = match layout {
            Some(l) => l,
            None => self.label_layout()?,
        };
        let shipments = shipment_ids
            .iter()
            .map(|&id| self.shipment(id))
            .collect::<AppResult<Vec<_>>>()?;
        if let Some(refused) = shipments.iter().find_map(not_postage) {
            return Err(refused);
        }
        let (sandbox, real): (Vec<&Shipment>, Vec<&Shipment>) =
            shipments.iter().partition(|s| redrawn(s));
        let mut docs = Vec::new();
        if !sandbox.is_empty() {
            let specs: Vec<_> = sandbox.iter().map(|s| label_spec(s)).collect();
            let pdf =
                labels::render_labels_pdf(&specs, layout.page_layout()).map_err(render_error)?;
            let name = match sandbox.as_slice() {
                [one] => format!("label-{}", one.tracking_number),
                many => format!("labels-{}", many.len()),
            };
            docs.push(LabelDocument {
                name,
                pdf,
                shipment_ids: sandbox.iter().map(|s| s.id).collect(),
            });
        }
        for s in real {
            let (pdf, content_type) = self.label_original(s.id)?;
            if !content_type.contains("pdf") {
                return Err(AppError::validation(format!(
                    "Label {} is stored as {content_type}, which Shipdesk cannot print",
                    s.tracking_number
                )));
            }
            docs.push(LabelDocument {
                name: format!("label-{}", s.tracking_number),
                pdf,
                shipment_ids: vec![s.id],
            });
        }
        Ok(docs)
    }

    /// Prints the labels (one job per document) and marks them printed. Returns the job count.
    pub fn print_labels(
        &self,
        shipment_ids: &[i64],
        layout: Option<LabelLayout>,
        printer: Option<&str>,
    ) -> AppResult<u32> {
        let docs = self.label_documents(shipment_ids, layout)?;
        let printer = self.printer_for(DocumentKind::Labels, printer)?;
        for doc in &docs {
            self.printer
                .print_pdf(&doc.pdf, &doc.name, printer.as_deref())?;
            self.journal.mark_printed(&doc.shipment_ids, &self.now())?;
        }
        Ok(docs.len() as u32)
    }

    /// Saves the labels as PDF at `path`. When they need more than one file (real USPS labels
    /// are kept as separate PDFs), the others go beside it as `<stem>-<name>.pdf`.
    pub fn save_labels_pdf(
        &self,
        shipment_ids: &[i64],
        layout: Option<LabelLayout>,
        path: &Path,
    ) -> AppResult<Vec<PathBuf>> {
        let docs = self.label_documents(shipment_ids, layout)?;
        let mut written = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            let target = if i == 0 {
                path.to_path_buf()
            } else {
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("labels");
                path.with_file_name(format!("{stem}-{}.pdf", doc.name))
            };
            write_pdf(&target, &doc.pdf)?;
            written.push(target);
        }
        Ok(written)
    }

    /// Prints one packing slip per order as one job.
    pub fn print_packing_slips(
        &self,
        order_ids: &[i64],
        ship_from_id: Option<i64>,
        printer: Option<&str>,
    ) -> AppResult<()> {
        let pdf = self.packing_slips_pdf(order_ids, ship_from_id)?;
        let printer = self.printer_for(DocumentKind::PackingSlips, printer)?;
        self.printer
            .print_pdf(&pdf, "packing-slips", printer.as_deref())
    }

    /// Saves one packing slip per order as one PDF at `path`.
    pub fn save_packing_slips_pdf(
        &self,
        order_ids: &[i64],
        ship_from_id: Option<i64>,
        path: &Path,
    ) -> AppResult<()> {
        write_pdf(path, &self.packing_slips_pdf(order_ids, ship_from_id)?)
    }

    /// Prints a stored SCAN form (PS Form 5630).
    pub fn print_scan_form(&self, id: i64, printer: Option<&str>) -> AppResult<()> {
        let pdf = self.scan_form_pdf(id)?;
        let printer = self.printer_for(DocumentKind::ScanForms, printer)?;
        self.printer
            .print_pdf(&pdf, &format!("scan-form-{id}"), printer.as_deref())
    }

    /// Saves a stored SCAN form as a PDF at `path`.
    pub fn save_scan_form_pdf(&self, id: i64, path: &Path) -> AppResult<()> {
        write_pdf(path, &self.scan_form_pdf(id)?)
    }

    pub fn mark_printed(&self, shipment_ids: &[i64]) -> AppResult<()> {
        for &id in shipment_ids {
            self.shipment(id)?;
        }
        self.journal.mark_printed(shipment_ids, &self.now())
    }

    /// An image of the label for the screen; not for a label that is not valid postage.
    pub fn label_preview(&self, shipment_id: i64) -> AppResult<LabelPreview> {
        let s = self.shipment(shipment_id)?;
        if let Some(refused) = not_postage(&s) {
            return Err(refused);
        }
        if redrawn(&s) {
            return Ok(LabelPreview::Svg {
                svg: labels::render_label_svg(&label_spec(&s)),
            });
        }
        let (pdf, _) = self.label_original(shipment_id)?;
        let png = pdf_first_page_png(&pdf)?;
        Ok(LabelPreview::Png {
            base64: base64::engine::general_purpose::STANDARD.encode(png),
        })
    }

    /// One packing slip per order, in one Letter PDF.
    pub fn packing_slips_pdf(
        &self,
        order_ids: &[i64],
        ship_from_id: Option<i64>,
    ) -> AppResult<Vec<u8>> {
        let from = self.ship_from(ship_from_id)?;
        let slips = order_ids
            .iter()
            .map(|&id| {
                let o = self.order(id)?;
                Ok(labels::PackingSlip {
                    order_number: o.order_number.clone(),
                    // An order entered by hand or from a sheet without a date was placed when
                    // it was entered, as the orders table shows it.
                    order_date: o
                        .ordered_at
                        .as_deref()
                        .unwrap_or(&o.created_at)
                        .chars()
                        .take(10)
                        .collect(),
                    ship_to: address_lines(&o.ship_to),
                    ship_from: address_lines(&from.address),
                    items: o
                        .items
                        .iter()
                        .map(|i| labels::PackingSlipItem {
                            sku: i.sku.clone().unwrap_or_default(),
                            title: i.title.clone(),
                            quantity: i.quantity,
                        })
                        .collect(),
                    note: o.notes.clone().filter(|n| !n.trim().is_empty()),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        labels::render_packing_slips_pdf(&slips).map_err(render_error)
    }
}

/// First page of a PDF as PNG, through poppler's `pdftoppm` (via a scratch folder: it cannot
/// write PNG to standard output).
fn pdf_first_page_png(pdf: &[u8]) -> AppResult<Vec<u8>> {
    use std::process::{Command, Stdio};
    let scratch = std::env::temp_dir().join(format!("shipdesk-preview-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&scratch)
        .map_err(|e| AppError::internal("Could not prepare the label preview", &e))?;
    let result = (|| {
        let input = scratch.join("label.pdf");
        std::fs::write(&input, pdf)
            .map_err(|e| AppError::internal("Could not prepare the label preview", &e))?;
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&input)
            .arg(scratch.join("page"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| {
                AppError::validation(format!(
                    "Previewing USPS labels needs poppler's pdftoppm ({e}); print or save the label instead"
                ))
            })?;
        let png = std::fs::read(scratch.join("page.png")).unwrap_or_default();
        if !status.success() || png.is_empty() {
            return Err(AppError::validation(
                "The label PDF could not be turned into an image",
            ));
        }
        Ok(png)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// Writes a document the user asked to save; the name must end in `.pdf` so the file opens as
/// what it is.
pub(crate) fn write_pdf(path: &Path, pdf: &[u8]) -> AppResult<()> {
    if path
        .extension()
        .is_none_or(|e| !e.eq_ignore_ascii_case("pdf"))
    {
        return Err(AppError::validation(format!(
            "{} is not a .pdf file name",
            path.display()
        )));
    }
    std::fs::write(path, pdf)
        .map_err(|e| AppError::validation(format!("Could not save {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_read_like_a_scale() {
        assert_eq!(weight_text(Decimal::from(16)), "1 lb");
        assert_eq!(weight_text(Decimal::from(20)), "1 lb 4 oz");
        assert_eq!(weight_text("8.5".parse().unwrap()), "0 lb 8.5 oz");
    }
}
