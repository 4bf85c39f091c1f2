//! Which printer each kind of document goes to: the system's printers (from the
//! [`Printer`](super::Printer) port), the user's choice per document (kept in settings), and a
//! test page per document.
//!
//! A desk prints labels on a 4x6 thermal printer and packing slips and SCAN forms on a laser
//! printer; each print call without an explicit printer goes to its kind's choice, or to the
//! system's default printer when none is chosen.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ShippingService;
use crate::error::{AppError, AppResult};
use crate::orders::text::clean_line;

const PRINTER_CHOICES_SETTING: &str = "printer_choices";

/// Printer names longer than this are refused (CUPS allows 127 characters).
const MAX_PRINTER_NAME: usize = 127;

/// The kinds of document Shipdesk prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentKind {
    Labels,
    PackingSlips,
    ScanForms,
}

impl DocumentKind {
    pub fn noun(self) -> &'static str {
        match self {
            DocumentKind::Labels => "labels",
            DocumentKind::PackingSlips => "packing slips",
            DocumentKind::ScanForms => "SCAN forms",
        }
    }
}

/// A printer the system knows (a CUPS destination).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SystemPrinter {
    pub name: String,
    /// The system's default printer.
    pub is_default: bool,
}

/// The printer chosen for each kind of document; none means the system's default printer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrinterChoices {
    #[serde(default)]
    pub labels: Option<String>,
    #[serde(default)]
    pub packing_slips: Option<String>,
    #[serde(default)]
    pub scan_forms: Option<String>,
}

impl PrinterChoices {
    pub fn for_kind(&self, kind: DocumentKind) -> Option<&str> {
        match kind {
            DocumentKind::Labels => self.labels.as_deref(),
            DocumentKind::PackingSlips => self.packing_slips.as_deref(),
            DocumentKind::ScanForms => self.scan_forms.as_deref(),
        }
    }
}

/// What Settings › Printing shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintingSetup {
    /// The system's printers; empty when none is set up or the print system did not answer.
    pub printers: Vec<SystemPrinter>,
    pub choices: PrinterChoices,
    /// Why the list could not be read (no print system), in the user's words.
    pub problem: Option<String>,
}

/// A printer name as the user chose it: trimmed, empty for "the system default", never read
/// as a command option.
fn checked_name(field: &str, name: Option<String>) -> AppResult<Option<String>> {
    let Some(name) = name else { return Ok(None) };
    let name = clean_line(name.trim()).text;
    if name.is_empty() {
        return Ok(None);
    }
    let problem = if name.starts_with('-') {
        Some(format!("\u{201c}{name}\u{201d} is not a printer name"))
    } else if name.chars().count() > MAX_PRINTER_NAME {
        Some(format!(
            "A printer name has at most {MAX_PRINTER_NAME} characters"
        ))
    } else if name
        .chars()
        .any(|c| c.is_whitespace() || c == '/' || c == '#')
    {
        Some(format!(
            "\u{201c}{name}\u{201d} is not a printer name (no spaces, \u{2018}/\u{2019} or \u{2018}#\u{2019})"
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(AppError::invalid_fields(
            problem.clone(),
            [(field, problem)],
        )),
        None => Ok(Some(name)),
    }
}

impl ShippingService {
    /// The system's printers and the printer chosen for each kind of document.
    pub fn printing_setup(&self) -> AppResult<PrintingSetup> {
        let choices = self.printer_choices()?;
        Ok(match self.printer.printers() {
            Ok(printers) => PrintingSetup {
                printers,
                choices,
                problem: None,
            },
            Err(e) => PrintingSetup {
                printers: Vec::new(),
                choices,
                problem: Some(e.message),
            },
        })
    }

    pub fn printer_choices(&self) -> AppResult<PrinterChoices> {
        Ok(self
            .settings
            .setting(PRINTER_CHOICES_SETTING)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Saves the printer for each kind of document (blank: the system default).
    pub fn set_printer_choices(&self, choices: PrinterChoices) -> AppResult<PrinterChoices> {
        let choices = PrinterChoices {
            labels: checked_name("labels", choices.labels)?,
            packing_slips: checked_name("packing_slips", choices.packing_slips)?,
            scan_forms: checked_name("scan_forms", choices.scan_forms)?,
        };
        let json = serde_json::to_string(&choices)
            .map_err(|e| AppError::internal("Could not save the printer choices", &e))?;
        self.settings.set_setting(PRINTER_CHOICES_SETTING, &json)?;
        Ok(choices)
    }

    /// `explicit` when given, else the printer chosen for `kind` (none: the system default).
    pub(crate) fn printer_for(
        &self,
        kind: DocumentKind,
        explicit: Option<&str>,
    ) -> AppResult<Option<String>> {
        match explicit.filter(|p| !p.trim().is_empty()) {
            Some(p) => Ok(Some(p.to_owned())),
            None => Ok(self.printer_choices()?.for_kind(kind).map(str::to_owned)),
        }
    }

    /// Prints a test page for `kind` on its printer: a sample label in the chosen label format,
    /// or a Letter page for packing slips and SCAN forms. Returns the printer it went to (none:
    /// the system default).
    pub fn print_test_page(&self, kind: DocumentKind) -> AppResult<Option<String>> {
        let printer = self.printer_for(kind, None)?;
        let on = printer.as_deref().unwrap_or("the system default printer");
        let rendered = match kind {
            DocumentKind::Labels => {
                let layout = self.label_layout()?;
                let label = labels::LabelSpec {
                    tracking_number: "9400100000000000000000".into(),
                    service_name: "PRINTER TEST PAGE".into(),
                    from_address: vec!["Shipdesk".into(), "Printer test".into()],
                    to_address: vec![
                        "Labels print here".into(),
                        format!("Printer: {on}"),
                        format!("Format: {}", layout.as_str()),
                    ],
                    to_zip5: "00000".into(),
                    weight: "—".into(),
                    postage: None,
                    ship_date: self.today(),
                    zone: None,
                    sample: true,
                };
                labels::render_labels_pdf(&[label], layout.page_layout())
            }
            DocumentKind::PackingSlips | DocumentKind::ScanForms => {
                labels::render_packing_slips_pdf(&[labels::PackingSlip {
                    order_number: "TEST PAGE".into(),
                    order_date: self.today(),
                    ship_to: vec![
                        format!("{} print here", kind.noun()),
                        format!("Printer: {on}"),
                    ],
                    ship_from: vec!["Shipdesk".into(), "Printer test".into()],
                    items: vec![labels::PackingSlipItem {
                        sku: "TEST".into(),
                        title: "If you can read this, the printer works".into(),
                        quantity: 1,
                    }],
                    note: None,
                }])
            }
        }
        .map_err(|e| AppError::internal("Could not draw the test page", &e))?;
        self.printer.print_pdf(
            &rendered,
            &format!(
                "shipdesk-test-{}",
                kind.noun().replace(' ', "-").to_lowercase()
            ),
            printer.as_deref(),
        )?;
        Ok(printer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printer_name_is_trimmed_blank_is_the_default_and_options_are_refused() {
        assert_eq!(
            checked_name("labels", Some("  Rollo_X1040 ".into())).unwrap(),
            Some("Rollo_X1040".into())
        );
        assert_eq!(checked_name("labels", Some("   ".into())).unwrap(), None);
        assert_eq!(checked_name("labels", None).unwrap(), None);
        for bad in ["-o raw", "Two words", "a/b", "x#1", &"P".repeat(128)] {
            let e = checked_name("scan_forms", Some(bad.into())).unwrap_err();
            match e.details.map(|d| *d) {
                Some(crate::error::ErrorDetails::Fields { fields }) => {
                    assert!(fields.contains_key("scan_forms"), "{bad}: {fields:?}")
                }
                other => panic!("{bad}: no field named: {other:?}"),
            }
        }
        // Control characters never reach the print command.
        assert_eq!(
            checked_name("labels", Some("Zebra\u{7}".into())).unwrap(),
            Some("Zebra".into())
        );
    }
}
