//! The documents handed out, in the format asked for: a label PDF drawn by the `labels` crate
//! (always marked SAMPLE), ZPL II or EPL2 printer text, and a small generated PNG for every
//! raster format (GIF, JPEG and BMP requests get the PNG too: the bytes only have to be a valid
//! image a client can store and show, not the exact encoding). SCAN forms are PDFs, or the PNG.

use std::io::Write as _;

use base64::Engine;

/// What goes on a label.
pub struct LabelArt<'a> {
    pub tracking: &'a str,
    pub service: &'a str,
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub to_zip5: &'a str,
    pub weight: String,
    pub postage: Option<String>,
    pub date: String,
    pub zone: u8,
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The label in `format` (a canonical ImageFormat name).
pub fn label(format: &str, art: &LabelArt<'_>) -> Vec<u8> {
    match format {
        "PDF" => label_pdf(art),
        "ZPLII" => zpl(art).into_bytes(),
        "EPL2" => epl(art).into_bytes(),
        _ => png(art.tracking),
    }
}

fn label_pdf(art: &LabelArt<'_>) -> Vec<u8> {
    let spec = ::labels::LabelSpec {
        tracking_number: art.tracking.to_owned(),
        service_name: art.service.to_uppercase(),
        from_address: art.from.clone(),
        to_address: art.to.clone(),
        to_zip5: art.to_zip5.to_owned(),
        weight: art.weight.clone(),
        postage: art.postage.clone(),
        ship_date: art.date.clone(),
        zone: Some(art.zone.to_string()),
        sample: true,
    };
    ::labels::render_labels_pdf(std::slice::from_ref(&spec), ::labels::PageLayout::FourBySix)
        .unwrap_or_else(|e| {
            tracing::warn!("endicia-sim: label PDF not rendered ({e}); using a plain one");
            minimal_pdf(&format!("SAMPLE {} {}", art.service, art.tracking))
        })
}

/// A SCAN form (PS 5630 style) listing the pieces.
pub fn scan_form(format: &str, form: &::labels::ScanFormSpec) -> Vec<u8> {
    if format != "PDF" {
        return png(&form.form_id);
    }
    ::labels::render_scan_form_pdf(form).unwrap_or_else(|e| {
        tracing::warn!("endicia-sim: SCAN form PDF not rendered ({e}); using a plain one");
        minimal_pdf(&format!("SCAN form {}", form.form_id))
    })
}

/// ZPL II keeps to printable ASCII so the bytes are the same in any code page.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .filter(|c| *c != '^' && *c != '~' && *c != '"')
        .collect()
}

fn zpl(art: &LabelArt<'_>) -> String {
    let mut z = String::from("^XA^CI0^PW812^LL1218\n");
    z.push_str(&format!(
        "^FO40,40^A0N,40,40^FD{}^FS\n^FO40,90^A0N,28,28^FDSAMPLE - NOT VALID POSTAGE^FS\n",
        ascii(&art.service.to_uppercase())
    ));
    let mut y = 150;
    for line in &art.from {
        z.push_str(&format!("^FO40,{y}^A0N,24,24^FD{}^FS\n", ascii(line)));
        y += 30;
    }
    y += 40;
    for line in &art.to {
        z.push_str(&format!("^FO120,{y}^A0N,34,34^FD{}^FS\n", ascii(line)));
        y += 40;
    }
    z.push_str(&format!(
        "^FO80,{}^BCN,160,Y,N,N^FD{}^FS\n^XZ\n",
        y + 60,
        art.tracking
    ));
    z
}

fn epl(art: &LabelArt<'_>) -> String {
    let mut e = String::from("\nN\nq812\nQ1218,24\n");
    e.push_str(&format!(
        "A40,40,0,4,1,1,N,\"{}\"\n",
        ascii(&art.service.to_uppercase())
    ));
    let mut y = 100;
    for line in art.from.iter().chain(art.to.iter()) {
        e.push_str(&format!("A40,{y},0,3,1,1,N,\"{}\"\n", ascii(line)));
        y += 36;
    }
    e.push_str(&format!(
        "B80,{},0,1,3,6,160,B,\"{}\"\nP1\n",
        y + 40,
        art.tracking
    ));
    e
}

/// A 1-bit 4x6 in. PNG at 50 dpi: a frame and bars drawn from the digits of `seed`.
pub fn png(seed: &str) -> Vec<u8> {
    const W: usize = 200;
    const H: usize = 300;
    let digits: Vec<u8> = seed
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let black = |x: usize, y: usize| -> bool {
        if x < 4 || y < 4 || x >= W - 4 || y >= H - 4 {
            return true;
        }
        if (200..260).contains(&y) && (20..180).contains(&x) && !digits.is_empty() {
            let d = digits[(x - 20) / 4 % digits.len()];
            return (x - 20) % 4 < 1 + (d as usize % 3);
        }
        false
    };
    // Each row: filter byte 0, then W bits (1 = white in a grayscale 1-bit image).
    let row_bytes = W.div_ceil(8);
    let mut raw = Vec::with_capacity(H * (row_bytes + 1));
    for y in 0..H {
        raw.push(0);
        for bx in 0..row_bytes {
            let mut byte = 0u8;
            for bit in 0..8 {
                let x = bx * 8 + bit;
                if x < W && !black(x, y) {
                    byte |= 0x80 >> bit;
                }
            }
            raw.push(byte);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).expect("in-memory write");
    let idat = z.finish().expect("in-memory write");
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(W as u32).to_be_bytes());
    ihdr.extend_from_slice(&(H as u32).to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]); // bit depth 1, grayscale, deflate, no filter, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A one-page PDF with one line of text: the fallback when the real renderer refuses.
pub fn minimal_pdf(text: &str) -> Vec<u8> {
    let text: String = ascii(text)
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '\\'))
        .collect();
    let stream = format!("BT /F1 12 Tf 20 400 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_have_their_magic() {
        let art = LabelArt {
            tracking: "9400100000000000000017",
            service: "Priority Mail",
            from: vec!["A".into()],
            to: vec!["B".into()],
            to_zip5: "90210",
            weight: "1 lb".into(),
            postage: Some("$5.44".into()),
            date: "2026-01-02".into(),
            zone: 8,
        };
        assert!(label("PDF", &art).starts_with(b"%PDF"));
        assert!(label("PNG", &art).starts_with(b"\x89PNG"));
        assert!(label("ZPLII", &art).starts_with(b"^XA"));
        assert!(b64(&label("PNG", &art)).starts_with("iVBOR"));
        assert!(minimal_pdf("x (y)").starts_with(b"%PDF-1.4"));
    }
}
