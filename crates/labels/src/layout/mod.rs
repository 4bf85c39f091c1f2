//! Document layouts: each turns a spec into display-list pages. Shared page furniture (Letter
//! size, page footers, address blocks) lives here.

pub mod label;
pub mod packing_slip;
pub mod scan_form;
pub mod table;

use crate::display::{Align, Face, Ink, Page};

pub const LETTER_WIDTH: f32 = 612.0;
pub const LETTER_HEIGHT: f32 = 792.0;
/// Margin of the Letter-size documents (packing slip, SCAN form): half an inch.
pub const LETTER_MARGIN: f32 = 36.0;

/// Draws `lines` from baseline `y` downwards with `leading` between baselines, each fitted to
/// `max_width`. Stops before the baseline would pass `bottom`. Returns the next free baseline.
#[allow(clippy::too_many_arguments)]
pub fn text_block(
    page: &mut Page,
    x: f32,
    y: f32,
    lines: &[String],
    size: f32,
    leading: f32,
    face: Face,
    max_width: f32,
    bottom: f32,
) -> f32 {
    let mut baseline = y;
    for line in lines {
        if baseline > bottom {
            break;
        }
        page.text_fitted(
            x,
            baseline,
            size,
            size * 0.7,
            max_width,
            face,
            Align::Left,
            Ink::Black,
            line,
        );
        baseline += leading;
    }
    baseline
}

/// The footer caption's share of the line; the page number takes the rest.
const FOOTER_CAPTION_WIDTH: f32 = 400.0;

/// "Page 2 of 3" at the right of the foot of a Letter page, with a left-hand caption.
pub fn letter_footer(page: &mut Page, caption: &str, number: usize, count: usize) {
    let y = LETTER_HEIGHT - LETTER_MARGIN / 2.0;
    page.text_fitted(
        LETTER_MARGIN,
        y,
        8.0,
        6.0,
        FOOTER_CAPTION_WIDTH,
        Face::Regular,
        Align::Left,
        Ink::Black,
        caption,
    );
    page.text_styled(
        LETTER_WIDTH - LETTER_MARGIN,
        y,
        8.0,
        Face::Regular,
        Align::Right,
        Ink::Black,
        &format!("Page {number} of {count}"),
    );
}
