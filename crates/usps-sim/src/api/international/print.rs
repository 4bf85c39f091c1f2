//! The international label PDF: a 4x6 label page, then the customs declaration (sender,
//! addressee, contents type, the first five items, totals, export filing, restrictions,
//! non-delivery instructions, the sender's certification), then continuation pages for items
//! six to thirty — the layout USPS describes for its integrated customs forms. Marked SAMPLE
//! like every simulator label.
//!
//! The `labels` crate draws domestic labels from a fixed `LabelSpec` and has no customs pages,
//! so these pages are written here directly as a small PDF (base-14 Helvetica, uncompressed
//! content streams, so the text can be searched in the file).

use serde_json::Value;

use super::labels::{customs_line_value, customs_line_weight};
use super::services;
use crate::state::records::LabelRecord;

/// Items printed on the declaration itself; the rest go on continuation pages.
pub const ITEMS_ON_FORM: usize = 5;
const ITEMS_PER_CONTINUATION: usize = 12;
const WIDTH: f32 = 288.0;
const HEIGHT: f32 = 432.0;

/// One page's drawing operations, in points from the top-left corner.
#[derive(Default)]
pub struct Page {
    ops: String,
}

/// Text as WinAnsi bytes: Latin-1 as is, typographic dashes and quotes mapped, the rest `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '\u{2026}' => 0x85,
            c if (c as u32) < 0x20 => b' ',
            c if (c as u32) < 0x7F || (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

impl Page {
    /// Text at (x, y from the top), cut to `max_width` points (Helvetica averages about half
    /// an em per character).
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str, max_width: f32) {
        let max_chars = ((max_width / (size * 0.52)).floor() as usize).max(1);
        let mut chars: Vec<char> = text.chars().collect();
        if chars.len() > max_chars {
            chars.truncate(max_chars.saturating_sub(3));
            chars.extend(['.', '.', '.']);
        }
        let mut escaped = String::new();
        for b in win_ansi(&chars.into_iter().collect::<String>()) {
            match b {
                b'(' | b')' | b'\\' => {
                    escaped.push('\\');
                    escaped.push(b as char);
                }
                0x20..=0x7E => escaped.push(b as char),
                other => escaped.push_str(&format!("\\{other:03o}")),
            }
        }
        let font = if bold { "F2" } else { "F1" };
        self.ops.push_str(&format!(
            "BT /{font} {size} Tf 1 0 0 1 {x:.1} {:.1} Tm ({escaped}) Tj ET\n",
            HEIGHT - y - size
        ));
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.ops.push_str(&format!(
            "{width} w {x1:.1} {:.1} m {x2:.1} {:.1} l S\n",
            HEIGHT - y1,
            HEIGHT - y2
        ));
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        self.ops.push_str(&format!(
            "{width} w {x:.1} {:.1} {w:.1} {h:.1} re S\n",
            HEIGHT - y - h
        ));
    }
}

/// A PDF of 4x6 pages.
pub fn write_pdf(pages: &[Page]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let first_page = 5;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(
        &mut out,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .as_bytes(),
    );
    for font in ["Helvetica", "Helvetica-Bold"] {
        object(
            &mut out,
            format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding >>"
            )
            .as_bytes(),
        );
    }
    for (i, page) in pages.iter().enumerate() {
        let contents = first_page + 2 * i + 1;
        object(
            &mut out,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {contents} 0 R >>"
            )
            .as_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", page.ops.len()).into_bytes();
        stream.extend_from_slice(page.ops.as_bytes());
        stream.extend_from_slice(b"endstream");
        object(&mut out, &stream);
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn s<'v>(v: &'v Value, k: &str) -> &'v str {
    v[k].as_str().unwrap_or_default()
}

fn name_lines(a: &Value) -> Vec<String> {
    let name = format!("{} {}", s(a, "firstName"), s(a, "lastName"))
        .trim()
        .to_string();
    [name, s(a, "firm").to_string()]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect()
}

/// The sender as printed: name, firm, street, city, state and ZIP Code, country.
fn sender_lines(a: &Value) -> Vec<String> {
    let mut lines = name_lines(a);
    lines.push(
        format!("{} {}", s(a, "streetAddress"), s(a, "secondaryAddress"))
            .trim()
            .to_string(),
    );
    lines.push(format!(
        "{} {} {}",
        s(a, "city"),
        s(a, "state"),
        s(a, "ZIPCode")
    ));
    lines.push("UNITED STATES".into());
    lines.iter().map(|l| l.to_uppercase()).collect()
}

/// The addressee as printed (from the label metadata's address).
fn addressee_lines(a: &Value) -> Vec<String> {
    let mut lines = name_lines(a);
    lines.push(
        format!("{} {}", s(a, "streetAddress"), s(a, "secondaryAddress"))
            .trim()
            .to_string(),
    );
    lines.push(
        format!(
            "{} {} {}",
            s(a, "city"),
            s(a, "province"),
            s(a, "postalCode")
        )
        .trim()
        .to_string(),
    );
    lines.push(format!(
        "{} ({})",
        s(a, "country"),
        s(a, "countryISOAlpha2Code")
    ));
    lines
}

fn spaced(tracking: &str) -> String {
    if tracking.len() == 13 {
        format!(
            "{} {} {} {} {}",
            &tracking[..2],
            &tracking[2..5],
            &tracking[5..8],
            &tracking[8..11],
            &tracking[11..]
        )
    } else {
        tracking.to_string()
    }
}

fn sample(page: &mut Page) {
    page.text(214.0, 8.0, 12.0, true, "SAMPLE", 70.0);
}

/// The label page.
fn label_page(record: &LabelRecord, show_postage: bool) -> Page {
    let request = &record.request;
    let meta = &record.metadata;
    let class = s(&request["packageDescription"], "mailClass");
    let service =
        services::service(class).map_or(class.to_string(), |s| s.product_name.to_uppercase());
    let mut p = Page::default();
    sample(&mut p);
    p.rect(8.0, 28.0, 272.0, 40.0, 1.5);
    p.text(14.0, 34.0, 11.0, true, &service, 260.0);
    p.text(
        14.0,
        50.0,
        8.0,
        false,
        "Customs declaration attached - see the following pages",
        260.0,
    );
    p.text(12.0, 76.0, 7.0, true, "FROM:", 60.0);
    let mut y = 86.0;
    for l in sender_lines(&request["fromAddress"]) {
        p.text(12.0, y, 7.0, false, &l, 160.0);
        y += 9.0;
    }
    let weight = meta["weight"].as_f64().unwrap_or(0.0);
    p.text(
        180.0,
        76.0,
        7.0,
        false,
        &format!("Mailed: {}", s(meta, "mailingDate")),
        100.0,
    );
    p.text(
        180.0,
        86.0,
        7.0,
        false,
        &format!("Weight: {weight} lb"),
        100.0,
    );
    p.text(
        180.0,
        96.0,
        7.0,
        false,
        &format!("Price group: {}", s(meta, "internationalPriceGroup")),
        100.0,
    );
    if show_postage {
        p.text(
            180.0,
            106.0,
            7.0,
            false,
            &format!("Postage: ${:.2}", record.amount),
            100.0,
        );
    }
    p.line(8.0, 140.0, 280.0, 140.0, 1.0);
    p.text(12.0, 148.0, 8.0, true, "SHIP TO:", 80.0);
    let mut y = 160.0;
    for l in addressee_lines(&meta["labelAddress"]) {
        p.text(24.0, y, 10.0, true, &l, 250.0);
        y += 13.0;
    }
    p.line(8.0, 250.0, 280.0, 250.0, 1.0);
    p.text(12.0, 258.0, 8.0, true, "USPS TRACKING #", 120.0);
    p.rect(12.0, 272.0, 264.0, 70.0, 0.5);
    p.text(
        24.0,
        295.0,
        18.0,
        true,
        &spaced(&record.tracking_number),
        240.0,
    );
    p.text(
        12.0,
        350.0,
        7.0,
        false,
        "Barcode not drawn by the simulator.",
        260.0,
    );
    p.text(
        12.0,
        400.0,
        7.0,
        false,
        &format!("SKU {}", s(meta, "SKU")),
        260.0,
    );
    p
}

/// The customs declaration and its continuation pages.
fn customs_pages(record: &LabelRecord) -> Vec<Page> {
    let request = &record.request;
    let form = &request["customsForm"];
    let items: Vec<&Value> = form["contents"].as_array().into_iter().flatten().collect();
    let mut p = Page::default();
    sample(&mut p);
    p.text(8.0, 10.0, 11.0, true, "CUSTOMS DECLARATION", 200.0);
    p.text(
        8.0,
        24.0,
        7.0,
        false,
        &format!("Tracking # {}", spaced(&record.tracking_number)),
        270.0,
    );
    p.text(8.0, 38.0, 6.5, true, "FROM (SENDER)", 130.0);
    p.text(150.0, 38.0, 6.5, true, "TO (ADDRESSEE)", 130.0);
    for (i, l) in sender_lines(&request["fromAddress"]).iter().enumerate() {
        p.text(8.0, 47.0 + 8.0 * i as f32, 6.0, false, l, 138.0);
    }
    for (i, l) in addressee_lines(&record.metadata["labelAddress"])
        .iter()
        .enumerate()
    {
        p.text(150.0, 47.0 + 8.0 * i as f32, 6.0, false, l, 134.0);
    }
    p.line(8.0, 94.0, 280.0, 94.0, 0.5);
    p.text(
        8.0,
        98.0,
        6.5,
        true,
        &format!("Contents: {}", s(form, "customsContentType")),
        270.0,
    );
    if !s(form, "contentComments").is_empty() {
        p.text(
            8.0,
            107.0,
            6.0,
            false,
            &format!("Explanation: {}", s(form, "contentComments")),
            270.0,
        );
    }
    let mut y = 118.0;
    p.text(8.0, y, 6.0, true, "Description", 90.0);
    p.text(100.0, y, 6.0, true, "Qty", 20.0);
    p.text(122.0, y, 6.0, true, "Lb", 30.0);
    p.text(154.0, y, 6.0, true, "Value USD", 40.0);
    p.text(198.0, y, 6.0, true, "HS tariff", 50.0);
    p.text(256.0, y, 6.0, true, "Origin", 28.0);
    y += 9.0;
    let row = |p: &mut Page, y: f32, item: &Value| {
        p.text(8.0, y, 6.0, false, s(item, "itemDescription"), 90.0);
        p.text(
            100.0,
            y,
            6.0,
            false,
            &item["itemQuantity"].to_string(),
            20.0,
        );
        p.text(
            122.0,
            y,
            6.0,
            false,
            &format!("{:.3}", customs_line_weight(item)),
            30.0,
        );
        p.text(
            154.0,
            y,
            6.0,
            false,
            &format!("{:.2}", customs_line_value(item)),
            40.0,
        );
        p.text(198.0, y, 6.0, false, s(item, "HSTariffNumber"), 56.0);
        p.text(256.0, y, 6.0, false, s(item, "countryofOrigin"), 28.0);
    };
    for item in items.iter().take(ITEMS_ON_FORM) {
        row(&mut p, y, item);
        y += 9.0;
    }
    if items.len() > ITEMS_ON_FORM {
        p.text(
            8.0,
            y,
            6.0,
            false,
            &format!(
                "{} more items on the continuation page(s)",
                items.len() - ITEMS_ON_FORM
            ),
            270.0,
        );
        y += 9.0;
    }
    let total_value: f64 = items.iter().map(|i| customs_line_value(i)).sum();
    let total_weight: f64 = items.iter().map(|i| customs_line_weight(i)).sum();
    p.line(8.0, y, 280.0, y, 0.5);
    p.text(
        8.0,
        y + 4.0,
        6.5,
        true,
        &format!("Total: {total_weight:.3} lb, USD {total_value:.2}"),
        270.0,
    );
    y += 16.0;
    let mut field = |label: &str, value: &str| {
        if !value.is_empty() {
            p.text(8.0, y, 6.0, false, &format!("{label}: {value}"), 270.0);
            y += 9.0;
        }
    };
    field("AES/ITN or exemption", s(form, "AESITN"));
    field("Restriction", s(form, "restrictionType"));
    field("Restriction comments", s(form, "restrictionComments"));
    field("Invoice", s(form, "invoiceNumber"));
    field("License", s(form, "licenseNumber"));
    field("Certificate", s(form, "certificateNumber"));
    let options = &request["packageDescription"]["packageOptions"];
    field(
        "If undeliverable",
        match s(options, "nonDeliveryOption") {
            "" => "RETURN",
            other => other,
        },
    );
    let y = y.max(360.0);
    p.text(
        8.0,
        y,
        5.5,
        false,
        "I certify that the details given in this declaration are correct and that",
        272.0,
    );
    p.text(
        8.0,
        y + 8.0,
        5.5,
        false,
        "the item holds nothing dangerous or prohibited by law or postal rules.",
        272.0,
    );
    p.text(
        8.0,
        y + 24.0,
        6.0,
        false,
        &format!("Sender's signature and date: {}", record.mailing_date),
        272.0,
    );
    let mut pages = vec![p];
    for (n, chunk) in items[items.len().min(ITEMS_ON_FORM)..]
        .chunks(ITEMS_PER_CONTINUATION)
        .enumerate()
    {
        let mut c = Page::default();
        sample(&mut c);
        c.text(
            8.0,
            10.0,
            10.0,
            true,
            &format!("CUSTOMS DECLARATION - CONTINUATION {}", n + 1),
            200.0,
        );
        c.text(
            8.0,
            26.0,
            7.0,
            false,
            &format!("Tracking # {}", spaced(&record.tracking_number)),
            270.0,
        );
        let mut y = 44.0;
        for item in chunk {
            row(&mut c, y, item);
            y += 10.0;
        }
        pages.push(c);
    }
    pages
}

/// The whole label document.
pub fn label_pdf(record: &LabelRecord, show_postage: bool) -> Vec<u8> {
    let mut pages = vec![label_page(record, show_postage)];
    pages.extend(customs_pages(record));
    write_pdf(&pages)
}

/// A 2 x 1.5 in indicia page and, if asked, a receipt page.
pub fn indicia_pdf(lines: &[String]) -> Vec<u8> {
    let mut p = Page::default();
    for (i, l) in lines.iter().enumerate() {
        p.text(8.0, 8.0 + 12.0 * i as f32, 8.0, i == 0, l, 130.0);
    }
    write_pdf(&[p])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_has_pages_text_and_a_consistent_xref() {
        let mut a = Page::default();
        a.text(
            10.0,
            10.0,
            10.0,
            true,
            "CUSTOMS (DECLARATION) Fran\u{e7}ois \u{4e2d}",
            260.0,
        );
        let pdf = write_pdf(&[a, Page::default()]);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.contains("/Count 2"));
        assert!(text.contains("(CUSTOMS \\(DECLARATION\\) Fran\\347ois ?) Tj"));
        let xref = text.rfind("startxref\n").unwrap();
        let at: usize = text[xref + 10..].lines().next().unwrap().parse().unwrap();
        assert!(text[at..].starts_with("xref"));
        let first_obj = text.find("1 0 obj").unwrap();
        assert!(text.contains(&format!("{first_obj:010} 00000 n")));
    }
}
