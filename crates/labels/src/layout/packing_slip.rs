//! Packing slip: one Letter page per order (more if the item list is long), meant to go in the
//! box with the label. It shows what was ordered, not prices, so it can double as a gift receipt.
//!
//! Every item is listed, however many pages that takes. The buyer's note is not: it is wrapped
//! into at most [`NOTE_MAX_LINES`] lines, the last ending in "..." when the note is longer, so a
//! pasted essay (or a 10 MB field from a hostile export) still gives a one-page slip. Other
//! fields are single lines, shrunk or cut with "..." to fit their place.

use crate::display::{Align, Face, Ink, Page};
use crate::layout::table::{self, Column, ROW_HEIGHT};
use crate::layout::{LETTER_HEIGHT, LETTER_MARGIN, LETTER_WIDTH, letter_footer, text_block};
use crate::metrics::{clip, wrap};
use crate::{PackingSlip, PackingSlipItem};

const RIGHT: f32 = LETTER_WIDTH - LETTER_MARGIN;
const TABLE_TOP_FIRST: f32 = 236.0;
const TABLE_TOP_NEXT: f32 = 100.0;
const TABLE_BOTTOM: f32 = LETTER_HEIGHT - 60.0;
const NOTE_SIZE: f32 = 10.0;
const NOTE_LEADING: f32 = 13.0;
/// Lines of the buyer's note that are printed; a gift message or delivery note fits easily.
pub const NOTE_MAX_LINES: usize = 8;

const COLUMNS: [Column; 3] = [
    Column {
        title: "QTY",
        x: LETTER_MARGIN,
        width: 40.0,
        align: Align::Right,
    },
    Column {
        title: "SKU",
        x: LETTER_MARGIN + 56.0,
        width: 130.0,
        align: Align::Left,
    },
    Column {
        title: "ITEM",
        x: LETTER_MARGIN + 196.0,
        width: RIGHT - LETTER_MARGIN - 196.0,
        align: Align::Left,
    },
];

/// All slips, each starting on a new page.
pub fn slip_pages(slips: &[PackingSlip]) -> Vec<Page> {
    slips.iter().flat_map(slip).collect()
}

fn slip(slip: &PackingSlip) -> Vec<Page> {
    let note_lines = slip
        .note
        .as_deref()
        .map(|note| {
            wrap(
                note,
                Face::Regular,
                NOTE_SIZE,
                RIGHT - LETTER_MARGIN - 16.0,
                NOTE_MAX_LINES,
            )
        })
        .filter(|lines| lines.iter().any(|line| !line.trim().is_empty()))
        .unwrap_or_default();
    // The total line and the note box follow the last row; count them as rows so they paginate.
    let note_rows = match note_lines.is_empty() {
        true => 0,
        false => ((note_box_height(&note_lines) + 6.0) / ROW_HEIGHT).ceil() as usize,
    };
    let tail_rows = 2 + note_rows;
    let ranges = table::paginate(
        slip.items.len().saturating_add(tail_rows),
        TABLE_TOP_FIRST,
        TABLE_TOP_NEXT,
        TABLE_BOTTOM,
    );
    let page_count = ranges.len();
    let caption = format!("Packing slip - order {}", clip(&slip.order_number));

    let mut pages = Vec::with_capacity(page_count);
    for (index, range) in ranges.into_iter().enumerate() {
        let mut page = Page::new(LETTER_WIDTH, LETTER_HEIGHT);
        let mut top = match index {
            0 => first_page_header(&mut page, slip),
            _ => continuation_header(&mut page, slip),
        };
        let items = &slip.items[range.start.min(slip.items.len())..range.end.min(slip.items.len())];
        if !items.is_empty() || index == 0 {
            top = table::header(&mut page, &COLUMNS, top);
        }
        for item in items {
            top = table::row(&mut page, &COLUMNS, top, &cells(item));
        }
        if index + 1 == page_count {
            totals_and_note(&mut page, slip, top, &note_lines);
        }
        letter_footer(&mut page, &caption, index + 1, page_count);
        pages.push(page);
    }
    pages
}

fn cells(item: &PackingSlipItem) -> [String; 3] {
    [
        item.quantity.to_string(),
        clip(&item.sku).to_string(),
        clip(&item.title).to_string(),
    ]
}

/// Title, order number and date, ship-to and ship-from; returns where the table starts.
fn first_page_header(page: &mut Page, slip: &PackingSlip) -> f32 {
    page.text(LETTER_MARGIN, 64.0, 22.0, Face::Bold, "PACKING SLIP");
    page.text_fitted(
        RIGHT,
        56.0,
        13.0,
        8.0,
        260.0,
        Face::Bold,
        Align::Right,
        Ink::Black,
        &format!("Order {}", clip(&slip.order_number)),
    );
    page.text_fitted(
        RIGHT,
        72.0,
        9.0,
        7.0,
        260.0,
        Face::Regular,
        Align::Right,
        Ink::Black,
        &format!("Order date: {}", clip(&slip.order_date)),
    );
    page.line(LETTER_MARGIN, 84.0, RIGHT, 84.0, 1.5);

    let column_width = (RIGHT - LETTER_MARGIN) / 2.0 - 12.0;
    let second_column = LETTER_MARGIN + column_width + 24.0;
    page.text(LETTER_MARGIN, 106.0, 8.0, Face::Bold, "SHIP TO");
    text_block(
        page,
        LETTER_MARGIN,
        122.0,
        &slip.ship_to,
        11.0,
        14.0,
        Face::Regular,
        column_width,
        210.0,
    );
    page.text(second_column, 106.0, 8.0, Face::Bold, "SHIP FROM");
    text_block(
        page,
        second_column,
        122.0,
        &slip.ship_from,
        11.0,
        14.0,
        Face::Regular,
        column_width,
        210.0,
    );
    TABLE_TOP_FIRST
}

fn continuation_header(page: &mut Page, slip: &PackingSlip) -> f32 {
    page.text_fitted(
        LETTER_MARGIN,
        64.0,
        14.0,
        9.0,
        RIGHT - LETTER_MARGIN,
        Face::Bold,
        Align::Left,
        Ink::Black,
        &format!(
            "PACKING SLIP - order {} (continued)",
            clip(&slip.order_number)
        ),
    );
    page.line(LETTER_MARGIN, 76.0, RIGHT, 76.0, 1.5);
    TABLE_TOP_NEXT
}

fn totals_and_note(page: &mut Page, slip: &PackingSlip, top: f32, note_lines: &[String]) {
    let units = slip.items.iter().fold(0u64, |sum, item| {
        sum.saturating_add(u64::from(item.quantity))
    });
    page.text_styled(
        RIGHT,
        top + 16.0,
        10.0,
        Face::Bold,
        Align::Right,
        Ink::Black,
        &format!("Total items: {units}"),
    );
    if note_lines.is_empty() {
        return;
    }
    let box_top = top + 2.0 * ROW_HEIGHT;
    let box_height = note_box_height(note_lines);
    page.stroke_rect(
        LETTER_MARGIN,
        box_top,
        RIGHT - LETTER_MARGIN,
        box_height,
        0.75,
    );
    page.text(LETTER_MARGIN + 8.0, box_top + 13.0, 8.0, Face::Bold, "NOTE");
    let mut baseline = box_top + 27.0;
    for line in note_lines {
        page.text(
            LETTER_MARGIN + 8.0,
            baseline,
            NOTE_SIZE,
            Face::Regular,
            line,
        );
        baseline += NOTE_LEADING;
    }
}

fn note_box_height(note_lines: &[String]) -> f32 {
    note_lines.len() as f32 * NOTE_LEADING + 24.0
}
