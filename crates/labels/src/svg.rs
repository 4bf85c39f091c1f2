//! SVG back end: one display-list page to a standalone SVG document for the in-app preview.
//!
//! User units are points, and the root carries the physical size in inches so a browser shows
//! the label at its real proportions. Text asks for a generic sans-serif (Helvetica, if the
//! system has it), which is close enough to the printed Helvetica for a preview. The root says
//! `stroke="none"` outright: some renderers (ImageMagick's) otherwise outline filled shapes, which
//! fattens barcode bars until the code no longer scans.

use std::fmt::Write;

use crate::display::{Align, Face, Ink, Item, Page};

/// Serialises `page` as an SVG document.
pub fn write_svg(page: &Page) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w_in}in" height="{h_in}in" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif" stroke="none">"#,
        w_in = num(page.width / 72.0),
        h_in = num(page.height / 72.0),
        w = num(page.width),
        h = num(page.height),
    );
    let _ = write!(
        out,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#fff"/>"##,
        num(page.width),
        num(page.height)
    );
    for item in &page.items {
        write_item(&mut out, item);
    }
    out.push_str("</svg>\n");
    out
}

fn write_item(out: &mut String, item: &Item) {
    let _ = match item {
        Item::Text {
            x,
            y,
            size,
            face,
            align,
            ink,
            text,
        } => {
            let anchor = match align {
                Align::Left => "start",
                Align::Center => "middle",
                Align::Right => "end",
            };
            let weight = match face {
                Face::Regular => "",
                Face::Bold => r#" font-weight="bold""#,
            };
            write!(
                out,
                r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{}"{weight} xml:space="preserve">{}</text>"#,
                num(*x),
                num(*y),
                num(*size),
                color(*ink),
                escape(text)
            )
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        } => write!(
            out,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#000" stroke-width="{}"/>"##,
            num(*x1),
            num(*y1),
            num(*x2),
            num(*y2),
            num(*width)
        ),
        Item::FillRect { x, y, w, h, ink } => write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            num(*x),
            num(*y),
            num(*w),
            num(*h),
            color(*ink)
        ),
        Item::StrokeRect { x, y, w, h, width } => write!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#000" stroke-width="{}"/>"##,
            num(*x),
            num(*y),
            num(*w),
            num(*h),
            num(*width)
        ),
        Item::Bars { y, h, bars } => {
            // crispEdges keeps bar edges on pixel boundaries in the preview.
            out.push_str(r##"<g class="barcode" fill="#000" shape-rendering="crispEdges">"##);
            for (x, w) in bars {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}"/>"#,
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h)
                );
            }
            out.push_str("</g>");
            Ok(())
        }
    };
}

fn color(ink: Ink) -> &'static str {
    match ink {
        Ink::Black => "#000",
        Ink::White => "#fff",
    }
}

/// A coordinate with at most three decimals and no trailing zeros.
fn num(value: f32) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(0.1234), "0.123");
        assert_eq!(num(-0.0001), "0");
    }

    #[test]
    fn text_is_escaped() {
        let mut page = Page::new(100.0, 100.0);
        page.text(1.0, 2.0, 8.0, Face::Bold, "Tom & Jerry <Co>");
        let svg = write_svg(&page);
        assert!(svg.contains("Tom &amp; Jerry &lt;Co&gt;"), "{svg}");
        assert!(svg.contains(r#"font-weight="bold""#));
    }
}
