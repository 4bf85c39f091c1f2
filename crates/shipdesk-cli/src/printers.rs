//! `shipdesk printers`: the system's printers, the printer for each kind of document, a test
//! page.

use std::fmt::Write as _;

use clap::{Subcommand, ValueEnum};
use shipdesk_core::AppError;
use shipdesk_core::shipping::{DocumentKind, PrinterChoices, PrintingSetup, ShippingService};

use crate::output::{Output, note, one_line};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Document {
    Labels,
    PackingSlips,
    ScanForms,
}

impl From<Document> for DocumentKind {
    fn from(d: Document) -> Self {
        match d {
            Document::Labels => DocumentKind::Labels,
            Document::PackingSlips => DocumentKind::PackingSlips,
            Document::ScanForms => DocumentKind::ScanForms,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum PrintersCommand {
    /// The system's printers and the printer each kind of document goes to.
    List,
    /// Send a kind of document to PRINTER ("default": the system default printer).
    Use { document: Document, printer: String },
    /// Print a test page on a kind of document's printer.
    Test { document: Document },
}

pub fn run(cmd: PrintersCommand, shipping: &ShippingService, out: &Output) -> Result<(), AppError> {
    match cmd {
        PrintersCommand::List => out.value(&shipping.printing_setup()?, text),
        PrintersCommand::Use { document, printer } => {
            let mut choices = shipping.printer_choices()?;
            let name = (!printer.eq_ignore_ascii_case("default")).then_some(printer);
            match DocumentKind::from(document) {
                DocumentKind::Labels => choices.labels = name,
                DocumentKind::PackingSlips => choices.packing_slips = name,
                DocumentKind::ScanForms => choices.scan_forms = name,
            }
            out.value(&shipping.set_printer_choices(choices)?, choices_text)
        }
        PrintersCommand::Test { document } => {
            let kind = DocumentKind::from(document);
            let printer = shipping.print_test_page(kind)?;
            note(&format!(
                "Sent a test page for {} to {}",
                kind.noun(),
                printer.as_deref().unwrap_or("the system default printer")
            ));
            Ok(())
        }
    }
}

fn choices_text(c: &PrinterChoices) -> String {
    let mut s = String::new();
    for kind in [
        DocumentKind::Labels,
        DocumentKind::PackingSlips,
        DocumentKind::ScanForms,
    ] {
        let _ = writeln!(
            s,
            "{:<14} {}",
            kind.noun(),
            c.for_kind(kind)
                .map_or("system default printer".into(), one_line)
        );
    }
    s.trim_end().to_owned()
}

fn text(setup: &PrintingSetup) -> String {
    let mut s = String::from("Printers\n");
    if let Some(problem) = &setup.problem {
        let _ = writeln!(s, "  {problem}");
    } else if setup.printers.is_empty() {
        s.push_str("  (none set up on this system)\n");
    }
    for p in &setup.printers {
        let _ = writeln!(
            s,
            "  {}{}",
            one_line(&p.name),
            if p.is_default {
                "  (system default)"
            } else {
                ""
            }
        );
    }
    s.push_str("\nDocuments\n");
    for line in choices_text(&setup.choices).lines() {
        let _ = writeln!(s, "  {line}");
    }
    s.trim_end().to_owned()
}
