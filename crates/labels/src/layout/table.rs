//! Simple ruled tables for the Letter documents, and splitting long tables across pages.

use std::ops::Range;

use crate::display::{Align, Face, Ink, Page};

pub const ROW_HEIGHT: f32 = 17.0;
const TEXT_SIZE: f32 = 9.0;

/// One column: its heading, left edge, width and alignment inside that width.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub x: f32,
    pub width: f32,
    pub align: Align,
}

impl Column {
    fn anchor(&self) -> f32 {
        match self.align {
            Align::Left => self.x,
            Align::Center => self.x + self.width / 2.0,
            Align::Right => self.x + self.width,
        }
    }
}

/// Draws the bold headings with a rule under them; returns the top of the first row.
pub fn header(page: &mut Page, columns: &[Column], top: f32) -> f32 {
    row_cells(
        page,
        columns,
        top,
        columns.iter().map(|c| c.title),
        Face::Bold,
    );
    let (left, right) = span(columns);
    page.line(left, top + ROW_HEIGHT, right, top + ROW_HEIGHT, 1.0);
    top + ROW_HEIGHT
}

/// Draws one row of cells with a hairline under it; returns the top of the next row.
pub fn row(page: &mut Page, columns: &[Column], top: f32, cells: &[String]) -> f32 {
    row_in(page, columns, top, cells, Face::Regular)
}

/// A bold row (totals) with a heavier rule under it.
pub fn total_row(page: &mut Page, columns: &[Column], top: f32, cells: &[String]) -> f32 {
    row_in(page, columns, top, cells, Face::Bold)
}

fn row_in(page: &mut Page, columns: &[Column], top: f32, cells: &[String], face: Face) -> f32 {
    row_cells(page, columns, top, cells.iter().map(String::as_str), face);
    let (left, right) = span(columns);
    let rule = match face {
        Face::Regular => 0.25,
        Face::Bold => 1.0,
    };
    page.line(left, top + ROW_HEIGHT, right, top + ROW_HEIGHT, rule);
    top + ROW_HEIGHT
}

fn row_cells<'a>(
    page: &mut Page,
    columns: &[Column],
    top: f32,
    cells: impl Iterator<Item = &'a str>,
    face: Face,
) {
    let baseline = top + ROW_HEIGHT - 5.0;
    for (column, cell) in columns.iter().zip(cells) {
        page.text_fitted(
            column.anchor(),
            baseline,
            TEXT_SIZE,
            6.5,
            column.width,
            face,
            column.align,
            Ink::Black,
            cell,
        );
    }
}

fn span(columns: &[Column]) -> (f32, f32) {
    let left = columns.iter().map(|c| c.x).fold(f32::MAX, f32::min);
    let right = columns.iter().map(|c| c.x + c.width).fold(0.0, f32::max);
    (left - 2.0, right + 2.0)
}

/// Splits `row_count` rows into per-page ranges: the first page has rows from `first_top`,
/// later pages from `next_top`, all down to `bottom`. Always at least one (possibly empty) range,
/// so a document with no rows still gets its first page.
pub fn paginate(row_count: usize, first_top: f32, next_top: f32, bottom: f32) -> Vec<Range<usize>> {
    let fits = |top: f32| (((bottom - top) / ROW_HEIGHT).floor() as usize).max(1);
    let mut pages = Vec::new();
    let mut start = 0usize;
    let mut capacity = fits(first_top);
    loop {
        let end = start.saturating_add(capacity).min(row_count);
        pages.push(start..end);
        if end >= row_count {
            return pages;
        }
        start = end;
        capacity = fits(next_top);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginate_fills_first_page_then_the_rest() {
        let first = 10; // rows that fit from 100 to 270
        let pages = paginate(25, 100.0, 50.0, 100.0 + ROW_HEIGHT * first as f32);
        assert_eq!(pages[0], 0..10);
        // later pages start higher, so more rows fit
        assert!(pages[1].len() > 10);
        assert_eq!(pages.last().unwrap().end, 25);
        assert_eq!(pages.iter().map(|r| r.len()).sum::<usize>(), 25);
    }

    #[test]
    fn paginate_gives_an_empty_first_page_for_no_rows() {
        assert_eq!(paginate(0, 100.0, 50.0, 700.0), vec![0..0]);
    }
}
