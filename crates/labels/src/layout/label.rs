//! The 4 x 6 in shipping label, and its placement on 4x6 or Letter paper.
//!
//! Top to bottom, in the order a USPS clerk and sorting machine read it: the service indicator
//! letter and postage block, the service banner, the sender, the recipient (largest text), the
//! "420" + ZIP routing barcode, then the tracking barcode with its number in groups of four.
//! Sample labels end with a reversed "SAMPLE - NOT VALID FOR POSTAGE" banner, kept below the
//! tracking barcode so it never covers anything a scanner or a person needs.

use crate::barcode::Code128Symbol;
use crate::display::{Align, Face, Ink, Page};
use crate::layout::{LETTER_HEIGHT, LETTER_WIDTH, text_block};
use crate::metrics::clip;
use crate::{LabelSpec, PageLayout, RenderError};

pub const LABEL_WIDTH: f32 = 288.0;
pub const LABEL_HEIGHT: f32 = 432.0;
const MARGIN: f32 = 10.0;
const CONTENT_WIDTH: f32 = LABEL_WIDTH - 2.0 * MARGIN;

/// Narrowest bar of the tracking barcode: 0.02 in, inside the range USPS allows for IMpb.
const TRACKING_MODULE: f32 = 1.44;
/// Code 128 wants at least ten modules of white either side of the symbol.
const QUIET_MODULES: f32 = 10.0;

pub const SAMPLE_TEXT: &str = "SAMPLE - NOT VALID FOR POSTAGE";

/// The label drawn on its own 288 x 432 pt page, or the first barcode problem.
pub fn label_page(label: &LabelSpec) -> Result<Page, RenderError> {
    let (page, mut problems) = compose(label);
    match problems.is_empty() {
        true => Ok(page),
        false => Err(problems.remove(0)),
    }
}

/// The label for on-screen preview: barcode problems are drawn in place of the barcode.
pub fn label_preview(label: &LabelSpec) -> Page {
    compose(label).0
}

/// Lays the labels out on pages of the chosen paper.
pub fn label_pages(labels: &[LabelSpec], layout: PageLayout) -> Result<Vec<Page>, RenderError> {
    let drawn = labels
        .iter()
        .map(label_page)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(match layout {
        PageLayout::FourBySix => drawn,
        PageLayout::LetterTwoUp => drawn.chunks(2).map(letter_sheet).collect(),
    })
}

/// Two labels side by side on a Letter page, each inside a thin cutting outline.
fn letter_sheet(pair: &[Page]) -> Page {
    let gap = LETTER_WIDTH - 2.0 * LABEL_WIDTH;
    let left = gap / 3.0;
    let top = (LETTER_HEIGHT - LABEL_HEIGHT) / 2.0;
    let mut sheet = Page::new(LETTER_WIDTH, LETTER_HEIGHT);
    for (index, label) in pair.iter().enumerate() {
        let x = left + index as f32 * (LABEL_WIDTH + left);
        sheet.stroke_rect(x, top, LABEL_WIDTH, LABEL_HEIGHT, 0.5);
        sheet.place(label, x, top);
    }
    sheet
}

/// Draws the label; barcodes that cannot be encoded become a marked box and a returned error.
fn compose(label: &LabelSpec) -> (Page, Vec<RenderError>) {
    let mut page = Page::new(LABEL_WIDTH, LABEL_HEIGHT);
    let mut problems = Vec::new();

    postage_header(&mut page, label);
    service_banner(&mut page, &label.service_name, 74.0);
    page.text(MARGIN, 116.0, 6.5, Face::Bold, "FROM:");
    text_block(
        &mut page,
        MARGIN,
        125.0,
        &label.from_address,
        8.0,
        9.5,
        Face::Regular,
        CONTENT_WIDTH,
        160.0,
    );
    page.text(MARGIN, 182.0, 7.0, Face::Bold, "SHIP TO:");
    text_block(
        &mut page,
        MARGIN + 36.0,
        186.0,
        &label.to_address,
        12.0,
        14.5,
        Face::Bold,
        CONTENT_WIDTH - 36.0,
        262.0,
    );
    if let Err(problem) = routing_barcode(&mut page, &label.to_zip5) {
        problem_box(&mut page, 270.0, 24.0, &problem);
        problems.push(problem);
    }

    page.fill_rect(0.0, 300.0, LABEL_WIDTH, 2.5, Ink::Black);
    let tracking = tracking_digits(&label.tracking_number);
    page.text_styled(
        LABEL_WIDTH / 2.0,
        314.0,
        9.0,
        Face::Bold,
        Align::Center,
        Ink::Black,
        "USPS TRACKING #",
    );
    if let Err(problem) = tracking_barcode(&mut page, &tracking) {
        problem_box(&mut page, 320.0, 58.0, &problem);
        problems.push(problem);
    }
    page.text_fitted(
        LABEL_WIDTH / 2.0,
        392.0,
        11.0,
        6.0,
        CONTENT_WIDTH,
        Face::Bold,
        Align::Center,
        Ink::Black,
        &group_by_four(&tracking),
    );
    page.fill_rect(0.0, 399.0, LABEL_WIDTH, 2.5, Ink::Black);

    if label.sample {
        page.fill_rect(0.0, 406.0, LABEL_WIDTH, 26.0, Ink::Black);
        page.text_fitted(
            LABEL_WIDTH / 2.0,
            424.0,
            14.0,
            8.0,
            CONTENT_WIDTH,
            Face::Bold,
            Align::Center,
            Ink::White,
            SAMPLE_TEXT,
        );
    }
    (page, problems)
}

/// Service indicator letter in a heavy box at the left; postage, date, weight, zone at the right.
fn postage_header(page: &mut Page, label: &LabelSpec) {
    page.fill_rect(MARGIN, MARGIN, 58.0, 58.0, Ink::Black);
    page.fill_rect(MARGIN + 4.0, MARGIN + 4.0, 50.0, 50.0, Ink::White);
    page.text_styled(
        MARGIN + 29.0,
        MARGIN + 47.0,
        44.0,
        Face::Bold,
        Align::Center,
        Ink::Black,
        service_indicator(&label.service_name),
    );

    // The indicia box: what was paid, when, for how heavy a package, how far.
    let box_left = 150.0;
    let right = LABEL_WIDTH - MARGIN;
    page.stroke_rect(box_left, MARGIN, right - box_left, 58.0, 1.0);
    let mut lines: Vec<(f32, Face, String)> = vec![(7.0, Face::Bold, "US POSTAGE PAID".into())];
    if let Some(postage) = &label.postage {
        lines.push((15.0, Face::Bold, clip(postage).to_string()));
    }
    lines.push((8.0, Face::Regular, clip(&label.ship_date).to_string()));
    let mut detail = clip(&label.weight).to_string();
    if let Some(zone) = &label.zone {
        detail = format!("{detail}   Zone {}", clip(zone));
    }
    lines.push((8.0, Face::Regular, detail));

    // Baselines advance by the next run's cap height plus a gap, so sizes can be mixed freely.
    let mut baseline = MARGIN + 3.0;
    for (size, face, text) in lines {
        baseline += size * 0.75 + 4.0;
        page.text_fitted(
            right - 6.0,
            baseline,
            size,
            6.0,
            right - box_left - 12.0,
            face,
            Align::Right,
            Ink::Black,
            &text,
        );
    }
}

/// The big letter USPS prints in the corner box: E, P, G, or the service's first letter.
fn service_indicator(service_name: &str) -> &str {
    let service_name = clip(service_name);
    let upper = service_name.to_ascii_uppercase();
    if upper.contains("EXPRESS") {
        "E"
    } else if upper.contains("PRIORITY") {
        "P"
    } else if upper.contains("GROUND") {
        "G"
    } else {
        let word = service_name
            .split_whitespace()
            .find(|w| !w.eq_ignore_ascii_case("USPS"))
            .unwrap_or("");
        word.get(..1).unwrap_or("")
    }
}

/// Full-width black bar with the service name reversed out in white.
fn service_banner(page: &mut Page, service_name: &str, top: f32) {
    page.fill_rect(0.0, top, LABEL_WIDTH, 30.0, Ink::Black);
    page.text_fitted(
        LABEL_WIDTH / 2.0,
        top + 21.0,
        18.0,
        9.0,
        CONTENT_WIDTH,
        Face::Bold,
        Align::Center,
        Ink::White,
        &clip(service_name).to_uppercase(),
    );
}

/// "420" + destination ZIP as a small Code 128, as USPS sorters route by it.
fn routing_barcode(page: &mut Page, zip5: &str) -> Result<(), RenderError> {
    let zip: String = clip(zip5)
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(5)
        .collect();
    if zip.len() != 5 || !zip.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RenderError::barcode(
            "routing ZIP",
            zip5,
            "expected five digits".into(),
        ));
    }
    let symbol = Code128Symbol::encode("routing ZIP", &format!("420{zip}"))?;
    let module = 1.2;
    let x0 = (LABEL_WIDTH - symbol.module_count() as f32 * module) / 2.0;
    page.bars(268.0, 24.0, symbol.bars(x0, module));
    Ok(())
}

fn tracking_barcode(page: &mut Page, tracking: &str) -> Result<(), RenderError> {
    let symbol = Code128Symbol::encode("tracking number", tracking)?;
    let modules = symbol.module_count() as f32;
    let available = CONTENT_WIDTH - 2.0 * QUIET_MODULES * TRACKING_MODULE;
    let module = TRACKING_MODULE.min(available / modules);
    let x0 = (LABEL_WIDTH - modules * module) / 2.0;
    page.bars(320.0, 58.0, symbol.bars(x0, module));
    Ok(())
}

/// A crossed box where a barcode should be, with the reason, so a preview shows the fault.
fn problem_box(page: &mut Page, top: f32, height: f32, problem: &RenderError) {
    let (left, right) = (MARGIN, LABEL_WIDTH - MARGIN);
    page.stroke_rect(left, top, right - left, height, 1.0);
    page.line(left, top, right, top + height, 0.5);
    page.line(left, top + height, right, top, 0.5);
    page.text_fitted(
        LABEL_WIDTH / 2.0,
        top + height / 2.0 + 3.0,
        8.0,
        5.0,
        CONTENT_WIDTH - 8.0,
        Face::Bold,
        Align::Center,
        Ink::Black,
        &problem.to_string(),
    );
}

/// The tracking number as printed and encoded: spaces removed. Only the start of an absurdly
/// long one is kept; that is still too long for a barcode, which says so.
fn tracking_digits(tracking_number: &str) -> String {
    clip(tracking_number)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// "9405511899223197428490" -> "9405 5118 9922 3197 4284 90".
/// Only the start of a huge text is grouped: no more can be printed.
pub fn group_by_four(digits: &str) -> String {
    let mut grouped = String::new();
    for (index, c) in clip(digits).chars().enumerate() {
        if index > 0 && index % 4 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
#[path = "label_tests.rs"]
mod tests;
