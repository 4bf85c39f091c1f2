//! SCAN form in the manner of PS Form 5630 (Shipment Confirmation Acceptance Notice).
//!
//! The clerk scans one barcode instead of every package, so the form's own barcode and the
//! package count are what matter most; they sit at the top of page one. The per-service counts
//! and the acceptance box follow, then the full package list, continued on further pages.

use std::collections::BTreeMap;

use crate::barcode::Code128Symbol;
use crate::display::{Align, Face, Ink, Page};
use crate::layout::label::group_by_four;
use crate::layout::table::{self, Column, ROW_HEIGHT};
use crate::layout::{LETTER_HEIGHT, LETTER_MARGIN, LETTER_WIDTH, letter_footer, text_block};
use crate::metrics::clip;
use crate::{RenderError, ScanFormPackage, ScanFormSpec};

const RIGHT: f32 = LETTER_WIDTH - LETTER_MARGIN;
const TABLE_TOP_NEXT: f32 = 100.0;
const TABLE_BOTTOM: f32 = LETTER_HEIGHT - 60.0;
const BARCODE_MODULE: f32 = 1.44;
/// Code 128 wants at least ten modules of white either side of the symbol.
const QUIET_MODULES: f32 = 10.0;

const SUMMARY_COLUMNS: [Column; 2] = [
    Column {
        title: "SERVICE",
        x: LETTER_MARGIN,
        width: 260.0,
        align: Align::Left,
    },
    Column {
        title: "PACKAGES",
        x: LETTER_MARGIN + 270.0,
        width: 60.0,
        align: Align::Right,
    },
];

const PACKAGE_COLUMNS: [Column; 4] = [
    Column {
        title: "#",
        x: LETTER_MARGIN,
        width: 30.0,
        align: Align::Right,
    },
    Column {
        title: "TRACKING NUMBER",
        x: LETTER_MARGIN + 44.0,
        width: 200.0,
        align: Align::Left,
    },
    Column {
        title: "SERVICE",
        x: LETTER_MARGIN + 254.0,
        width: 190.0,
        align: Align::Left,
    },
    Column {
        title: "WEIGHT",
        x: LETTER_MARGIN + 454.0,
        width: RIGHT - LETTER_MARGIN - 454.0,
        align: Align::Right,
    },
];

/// All pages of the form; fails only if the form id cannot be drawn as a barcode.
pub fn scan_form_pages(form: &ScanFormSpec) -> Result<Vec<Page>, RenderError> {
    let form_id = clip(&form.form_id).trim();
    let symbol = Code128Symbol::encode("SCAN form id", form_id)?;
    let counts = counts_per_service(&form.packages);

    let mut first = Page::new(LETTER_WIDTH, LETTER_HEIGHT);
    let list_top = first_page(&mut first, form, &symbol, &counts);
    let ranges = table::paginate(
        form.packages.len(),
        list_top + ROW_HEIGHT,
        TABLE_TOP_NEXT + ROW_HEIGHT,
        TABLE_BOTTOM,
    );
    let page_count = ranges.len();
    let caption = format!("SCAN form {form_id} - {}", clip(&form.date));

    let mut pages = Vec::with_capacity(page_count);
    for (index, range) in ranges.into_iter().enumerate() {
        let (mut page, mut top) = match index {
            0 => (std::mem::replace(&mut first, Page::new(0.0, 0.0)), list_top),
            _ => continuation_page(form),
        };
        top = table::header(&mut page, &PACKAGE_COLUMNS, top);
        for number in range {
            top = table::row(
                &mut page,
                &PACKAGE_COLUMNS,
                top,
                &package_cells(number, &form.packages[number]),
            );
        }
        letter_footer(&mut page, &caption, index + 1, page_count);
        pages.push(page);
    }
    Ok(pages)
}

/// Package count per service name, in name order (stable from run to run).
pub fn counts_per_service(packages: &[ScanFormPackage]) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for package in packages {
        *counts.entry(package.service_name.as_str()).or_insert(0) += 1;
    }
    counts
}

fn package_cells(index: usize, package: &ScanFormPackage) -> [String; 4] {
    [
        (index + 1).to_string(),
        group_by_four(clip(&package.tracking_number).trim()),
        clip(&package.service_name).to_string(),
        clip(&package.weight).to_string(),
    ]
}

/// Header, mailer, barcode, per-service summary and acceptance box; returns where the package
/// list starts.
fn first_page(
    page: &mut Page,
    form: &ScanFormSpec,
    symbol: &Code128Symbol,
    counts: &BTreeMap<&str, usize>,
) -> f32 {
    page.text(
        LETTER_MARGIN,
        58.0,
        16.0,
        Face::Bold,
        "SHIPMENT CONFIRMATION ACCEPTANCE NOTICE",
    );
    page.text(
        LETTER_MARGIN,
        74.0,
        9.0,
        Face::Regular,
        "USPS SCAN form in the style of PS Form 5630",
    );
    page.line(LETTER_MARGIN, 84.0, RIGHT, 84.0, 1.5);

    page.text(LETTER_MARGIN, 104.0, 8.0, Face::Bold, "MAILER");
    page.text_fitted(
        LETTER_MARGIN,
        120.0,
        12.0,
        8.0,
        300.0,
        Face::Bold,
        Align::Left,
        Ink::Black,
        &form.mailer_name,
    );
    text_block(
        page,
        LETTER_MARGIN,
        135.0,
        &form.from_address,
        10.0,
        13.0,
        Face::Regular,
        300.0,
        200.0,
    );
    let facts = [
        ("DATE", clip(&form.date).to_string()),
        ("TOTAL PACKAGES", form.packages.len().to_string()),
    ];
    for (row, (label, value)) in facts.iter().enumerate() {
        let baseline = 120.0 + row as f32 * 28.0;
        page.text_styled(
            RIGHT,
            baseline - 14.0,
            8.0,
            Face::Bold,
            Align::Right,
            Ink::Black,
            label,
        );
        page.text_fitted(
            RIGHT,
            baseline,
            13.0,
            8.0,
            RIGHT - LETTER_MARGIN - 310.0,
            Face::Bold,
            Align::Right,
            Ink::Black,
            value,
        );
    }

    // A long alphanumeric id would be wider than the page at the usual module: narrow it to fit
    // between the margins, keeping the quiet zones.
    let modules = symbol.module_count() as f32;
    let available = RIGHT - LETTER_MARGIN - 2.0 * QUIET_MODULES * BARCODE_MODULE;
    let module = BARCODE_MODULE.min(available / modules);
    let x0 = (LETTER_WIDTH - modules * module) / 2.0;
    page.bars(214.0, 56.0, symbol.bars(x0, module));
    page.text_fitted(
        LETTER_WIDTH / 2.0,
        284.0,
        11.0,
        7.0,
        RIGHT - LETTER_MARGIN,
        Face::Bold,
        Align::Center,
        Ink::Black,
        &group_by_four(clip(&form.form_id).trim()),
    );

    let mut top = table::header(page, &SUMMARY_COLUMNS, 300.0);
    for (service, count) in counts {
        top = table::row(
            page,
            &SUMMARY_COLUMNS,
            top,
            &[clip(service).to_string(), count.to_string()],
        );
    }
    top = table::total_row(
        page,
        &SUMMARY_COLUMNS,
        top,
        &["Total".to_string(), form.packages.len().to_string()],
    );
    acceptance_box(page, 300.0);
    top.max(300.0 + 150.0) + 20.0
}

/// The box the USPS employee fills in, and room for a postmark.
fn acceptance_box(page: &mut Page, top: f32) {
    let left = LETTER_MARGIN + 350.0;
    let width = RIGHT - left;
    page.stroke_rect(left, top, width, 150.0, 1.0);
    page.text(left + 6.0, top + 12.0, 8.0, Face::Bold, "USPS USE ONLY");
    let lines = ["Pieces received", "Employee signature", "Date accepted"];
    for (index, caption) in lines.iter().enumerate() {
        let rule = top + 38.0 + index as f32 * 28.0;
        page.line(left + 6.0, rule, left + width - 6.0, rule, 0.5);
        page.text(left + 6.0, rule + 8.0, 6.5, Face::Regular, caption);
    }
    page.text(left + 6.0, top + 142.0, 6.5, Face::Regular, "Postmark");
}

fn continuation_page(form: &ScanFormSpec) -> (Page, f32) {
    let mut page = Page::new(LETTER_WIDTH, LETTER_HEIGHT);
    page.text_fitted(
        LETTER_MARGIN,
        64.0,
        14.0,
        9.0,
        RIGHT - LETTER_MARGIN,
        Face::Bold,
        Align::Left,
        Ink::Black,
        &format!("SCAN form {} (continued)", clip(&form.form_id).trim()),
    );
    page.line(LETTER_MARGIN, 76.0, RIGHT, 76.0, 1.5);
    (page, TABLE_TOP_NEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(service: &str) -> ScanFormPackage {
        ScanFormPackage {
            tracking_number: "9405511899223197428490".into(),
            service_name: service.into(),
            weight: "1 lb".into(),
        }
    }

    #[test]
    fn counts_group_by_service_name() {
        let packages = [package("B"), package("A"), package("B"), package("B")];
        let counts: Vec<_> = counts_per_service(&packages).into_iter().collect();
        assert_eq!(counts, vec![("A", 1), ("B", 3)]);
    }

    #[test]
    fn an_empty_form_still_has_its_first_page() {
        let form = ScanFormSpec {
            form_id: "9475711899223197428491".into(),
            ..ScanFormSpec::default()
        };
        let pages = scan_form_pages(&form).unwrap();
        assert_eq!(pages.len(), 1);
        assert!(pages[0].texts().any(|t| t == "Page 1 of 1"));
    }
}
