//! PDF back end: display-list pages to a printpdf document.
//!
//! Only base-14 fonts are used, so nothing is embedded and a 500-label file stays small. Text is
//! positioned with an absolute text matrix (`Tm`) per run, because printpdf's text cursor op is
//! the relative `Td` and would accumulate across runs. Every filled shape states
//! `PaintMode::Fill` explicitly: a printpdf `Rect` with no mode paints nothing.

use printpdf::{
    BuiltinFont, Color, Greyscale, Line, LinePoint, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem, TextMatrix,
    WindingOrder,
};

use crate::display::{Align, Face, Ink, Item, Page};
use crate::metrics::text_width;

/// Serialises `pages` into one PDF file.
pub fn write_pdf(title: &str, pages: &[Page]) -> Vec<u8> {
    let pdf_pages = pages.iter().map(page_to_pdf).collect();
    let mut warnings = Vec::new();
    PdfDocument::new(title)
        .with_pages(pdf_pages)
        .save(&PdfSaveOptions::default(), &mut warnings)
}

fn page_to_pdf(page: &Page) -> PdfPage {
    let size = Rect::from_wh(Pt(page.width), Pt(page.height));
    let mut ops = Vec::with_capacity(page.items.len().saturating_mul(6));
    for item in &page.items {
        item_ops(item, page.height, &mut ops);
    }
    PdfPage {
        media_box: size.clone(),
        trim_box: size.clone(),
        crop_box: size,
        ops,
    }
}

fn ink_color(ink: Ink) -> Color {
    let level = match ink {
        Ink::Black => 0.0,
        Ink::White => 1.0,
    };
    Color::Greyscale(Greyscale::new(level, None))
}

fn point(x: f32, y_from_top: f32, page_height: f32) -> LinePoint {
    LinePoint {
        p: Point {
            x: Pt(x),
            y: Pt(page_height - y_from_top),
        },
        bezier: false,
    }
}

fn filled_rect(x: f32, top: f32, w: f32, h: f32, page_height: f32) -> Rect {
    Rect {
        x: Pt(x),
        y: Pt(page_height - top - h),
        width: Pt(w),
        height: Pt(h),
        mode: Some(PaintMode::Fill),
        winding_order: Some(WindingOrder::NonZero),
    }
}

fn item_ops(item: &Item, page_height: f32, ops: &mut Vec<Op>) {
    match item {
        Item::Text {
            x,
            y,
            size,
            face,
            align,
            ink,
            text,
        } => {
            let width = text_width(text, *face, *size);
            let left = match align {
                Align::Left => *x,
                Align::Center => x - width / 2.0,
                Align::Right => x - width,
            };
            let font = match face {
                Face::Regular => BuiltinFont::Helvetica,
                Face::Bold => BuiltinFont::HelveticaBold,
            };
            ops.extend([
                Op::StartTextSection,
                Op::SetFillColor {
                    col: ink_color(*ink),
                },
                Op::SetFont {
                    font: PdfFontHandle::Builtin(font),
                    size: Pt(*size),
                },
                Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(left), Pt(page_height - y)),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                },
                Op::EndTextSection,
            ]);
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        } => {
            ops.push(Op::SetOutlineColor {
                col: ink_color(Ink::Black),
            });
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![point(*x1, *y1, page_height), point(*x2, *y2, page_height)],
                    is_closed: false,
                },
            });
        }
        Item::FillRect { x, y, w, h, ink } => {
            ops.push(Op::SetFillColor {
                col: ink_color(*ink),
            });
            ops.push(Op::DrawRectangle {
                rectangle: filled_rect(*x, *y, *w, *h, page_height),
            });
        }
        Item::StrokeRect { x, y, w, h, width } => {
            ops.push(Op::SetOutlineColor {
                col: ink_color(Ink::Black),
            });
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            let mut outline = filled_rect(*x, *y, *w, *h, page_height);
            outline.mode = Some(PaintMode::Stroke);
            ops.push(Op::DrawRectangle { rectangle: outline });
        }
        Item::Bars { y, h, bars } => {
            // One path with a sub-path per bar: a single fill instead of hundreds.
            let rings = bars
                .iter()
                .map(|&(x, w)| PolygonRing {
                    points: vec![
                        point(x, *y, page_height),
                        point(x + w, *y, page_height),
                        point(x + w, y + h, page_height),
                        point(x, y + h, page_height),
                    ],
                })
                .collect();
            ops.push(Op::SetFillColor {
                col: ink_color(Ink::Black),
            });
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings,
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            });
        }
    }
}
