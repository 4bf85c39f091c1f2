//! Shipping label, packing slip and SCAN form rendering.
//!
//! Each document is first laid out once into a [`display::Page`] display list (text runs, lines,
//! rectangles, barcode bars) in points with a top-left origin. Two back ends draw that list:
//! PDF through `printpdf` (for printing and saving) and SVG (for the on-screen preview, because
//! WebKitGTK cannot show a PDF inline). Drawing both from the same list keeps the preview honest:
//! what the user sees is what prints.
//!
//! Labels bought from real USPS come back from USPS as finished documents and are stored and
//! reprinted as returned; this crate draws the labels Shipdesk composes itself (sandbox and
//! simulator labels, always marked SAMPLE there), plus packing slips and SCAN forms.
//!
//! The tracking barcode (Code 128) carries exactly the tracking number, so any scanner reads it
//! back as printed; the "420" + ZIP routing data gets its own smaller Code 128 above it rather
//! than being folded into one GS1-128 symbol.
//!
//! Text uses the PDF base-14 fonts (Helvetica, Helvetica-Bold), so no font files ship with the
//! app and the PDF text stays extractable; the SVG asks for a generic sans-serif font.
//!
//! Any field may hold any text of any size (hostile exports included), and rendering neither
//! panics nor grows with it: text is reduced to what the fonts can show, every run is cut to
//! what fits its place (with "..."), the packing slip's note to a few lines, and barcode data
//! to what a scanner can read; measurements use saturating arithmetic. A document's size follows
//! what is drawn, never the length of what was typed.

mod barcode;
pub mod display;
#[cfg(test)]
mod hostile_text_tests;
mod layout;
mod metrics;
mod pdf;
mod spec;
mod svg;

pub use spec::{
    LabelSpec, PackingSlip, PackingSlipItem, PageLayout, ScanFormPackage, ScanFormSpec,
    UnknownPageLayout,
};

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Nothing to draw: an empty list of labels or slips.
    #[error("nothing to render: {0}")]
    Empty(&'static str),
    /// The data cannot be drawn as a barcode (e.g. characters Code 128 cannot carry). `data`
    /// quotes at most its first 40 characters.
    #[error("cannot encode {what} {data:?} as a barcode: {reason}")]
    Barcode {
        what: &'static str,
        data: String,
        reason: String,
    },
}

/// How much of the offending data a [`RenderError::Barcode`] quotes.
const QUOTED_DATA_CHARS: usize = 40;

impl RenderError {
    /// A barcode error quoting the start of `data` (which may be any size) and its length.
    pub(crate) fn barcode(what: &'static str, data: &str, reason: String) -> Self {
        let mut chars = data.chars();
        let mut quoted: String = chars.by_ref().take(QUOTED_DATA_CHARS).collect();
        if chars.next().is_some() {
            quoted.push_str("...");
        }
        RenderError::Barcode {
            what,
            data: quoted,
            reason,
        }
    }
}

/// Renders labels into one PDF: one label per 4x6 page, or two per Letter page.
pub fn render_labels_pdf(labels: &[LabelSpec], layout: PageLayout) -> Result<Vec<u8>, RenderError> {
    if labels.is_empty() {
        return Err(RenderError::Empty("no labels"));
    }
    let pages = layout::label::label_pages(labels, layout)?;
    Ok(pdf::write_pdf("Shipping labels", &pages))
}

/// Renders one label as a standalone 4x6 SVG document (288 x 432 user units = points).
///
/// Never fails: data a barcode cannot carry is shown as a crossed-out box with the reason, so a
/// preview still appears and tells the user what is wrong (the PDF path returns the error).
pub fn render_label_svg(label: &LabelSpec) -> String {
    svg::write_svg(&layout::label::label_preview(label))
}

/// Renders packing slips, one Letter page per slip (long item lists continue on more pages).
pub fn render_packing_slips_pdf(slips: &[PackingSlip]) -> Result<Vec<u8>, RenderError> {
    if slips.is_empty() {
        return Err(RenderError::Empty("no packing slips"));
    }
    let pages = layout::packing_slip::slip_pages(slips);
    Ok(pdf::write_pdf("Packing slips", &pages))
}

/// Renders a SCAN form (PS Form 5630-style): the form barcode, counts per service and the list
/// of packages, on as many Letter pages as the list needs.
pub fn render_scan_form_pdf(form: &ScanFormSpec) -> Result<Vec<u8>, RenderError> {
    let pages = layout::scan_form::scan_form_pages(form)?;
    Ok(pdf::write_pdf("SCAN form", &pages))
}
