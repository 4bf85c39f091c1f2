//! Text measurement for the base-14 Helvetica faces.
//!
//! Layout needs widths to centre, right-align and shrink text to fit. The widths come from the
//! metric-compatible font programs printpdf bundles for its built-in fonts, read once into a
//! 256-entry table per face. Base-14 text in a PDF is single-byte WinAnsi, so [`printable`]
//! first reduces any string to characters that encoding (and therefore the table) covers.

use std::sync::OnceLock;

use printpdf::BuiltinFont;

use crate::display::Face;

/// Advance widths in 1/1000 em, indexed by Latin-1 code point.
type WidthTable = [u16; 256];

/// Used when a glyph is missing from the bundled font: the width of a Helvetica digit.
const FALLBACK_WIDTH: u16 = 556;

fn table(face: Face) -> &'static WidthTable {
    static REGULAR: OnceLock<WidthTable> = OnceLock::new();
    static BOLD: OnceLock<WidthTable> = OnceLock::new();
    match face {
        Face::Regular => REGULAR.get_or_init(|| load_table(BuiltinFont::Helvetica)),
        Face::Bold => BOLD.get_or_init(|| load_table(BuiltinFont::HelveticaBold)),
    }
}

fn load_table(font: BuiltinFont) -> WidthTable {
    let mut widths = [FALLBACK_WIDTH; 256];
    let Some(parsed) = font.get_parsed_font() else {
        return widths;
    };
    let units_per_em = u32::from(parsed.units_per_em.max(1));
    for (code, width) in widths.iter_mut().enumerate() {
        let advance = parsed
            .lookup_glyph_index(code as u32)
            .and_then(|gid| parsed.get_glyph_width(gid));
        if let Some(advance) = advance {
            *width = (u32::from(advance) * 1000 / units_per_em) as u16;
        }
    }
    widths
}

/// Width of `text` in points at `size`. `text` should already be [`printable`].
pub fn text_width(text: &str, face: Face, size: f32) -> f32 {
    let widths = table(face);
    let units: u32 = text
        .chars()
        .map(|c| u32::from(widths[(c as u32).min(255) as usize]))
        .sum();
    units as f32 * size / 1000.0
}

/// Reduces `text` to what a WinAnsi base-14 font can show: Latin-1 stays, common typographic
/// punctuation becomes its ASCII look-alike, control characters become spaces, anything else
/// becomes '?'. The SVG uses the same string so preview and print agree.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{FF}' => c,
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if c.is_control() || c.is_whitespace() => ' ',
            _ => '?',
        })
        .collect()
}

/// Shrinks `text` from `size` towards `min_size` until it fits `max_width`; if it still does
/// not fit at `min_size`, cuts it and ends it with "...". Returns the text and the size.
pub fn fit(text: &str, face: Face, size: f32, min_size: f32, max_width: f32) -> (String, f32) {
    let text = printable(text);
    let natural = text_width(&text, face, size);
    if natural <= max_width {
        return (text, size);
    }
    let scaled = size * max_width / natural;
    if scaled >= min_size {
        return (text, scaled);
    }
    let ellipsis_width = text_width("...", face, min_size);
    let mut kept = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        let char_width = text_width(c.encode_utf8(&mut [0; 4]), face, min_size);
        if width + char_width + ellipsis_width > max_width {
            break;
        }
        width += char_width;
        kept.push(c);
    }
    (format!("{}...", kept.trim_end()), min_size)
}

/// Breaks `text` into lines no wider than `max_width` at `size`, at spaces where possible and
/// mid-word only for words longer than a line. Explicit newlines start new lines.
pub fn wrap(text: &str, face: Face, size: f32, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let word = printable(word);
            let candidate = match line.is_empty() {
                true => word.clone(),
                false => format!("{line} {word}"),
            };
            if text_width(&candidate, face, size) <= max_width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                let mut longer = line.clone();
                longer.push(c);
                if !line.is_empty() && text_width(&longer, face, size) > max_width {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = longer;
                }
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_real_helvetica_metrics() {
        // Helvetica's digits are all 556/1000 em; 'i' is much narrower than 'W'.
        assert!((text_width("0", Face::Regular, 1000.0) - 556.0).abs() < 2.0);
        assert!((text_width("8", Face::Bold, 1000.0) - 556.0).abs() < 2.0);
        assert!(text_width("i", Face::Regular, 10.0) * 3.0 < text_width("W", Face::Regular, 10.0));
        assert!(text_width("ABC", Face::Bold, 10.0) > text_width("ABC", Face::Regular, 10.0));
    }

    #[test]
    fn printable_keeps_latin1_and_replaces_the_rest() {
        assert_eq!(printable("José’s “café” — №1\t"), "José's \"café\" - ?1 ");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_overlong_words() {
        let width = text_width("aaaa bbbb", Face::Regular, 10.0);
        let lines = wrap("aaaa bbbb cccc\ndd", Face::Regular, 10.0, width);
        assert_eq!(lines, vec!["aaaa bbbb", "cccc", "dd"]);
        let long = wrap("xxxxxxxxxxxxxxxxxxxx", Face::Regular, 10.0, width);
        assert!(long.len() > 1);
        assert_eq!(long.concat(), "xxxxxxxxxxxxxxxxxxxx");
        for line in long {
            assert!(text_width(&line, Face::Regular, 10.0) <= width);
        }
    }

    #[test]
    fn fit_shrinks_then_truncates() {
        let (text, size) = fit("SHORT", Face::Regular, 12.0, 6.0, 500.0);
        assert_eq!((text.as_str(), size), ("SHORT", 12.0));

        let long = "ABCDEFGHIJ";
        let natural = text_width(long, Face::Regular, 12.0);
        let (text, size) = fit(long, Face::Regular, 12.0, 6.0, natural * 0.75);
        assert_eq!(text, long);
        assert!((6.0..12.0).contains(&size));

        let (text, size) = fit(long, Face::Regular, 12.0, 6.0, natural * 0.3);
        assert_eq!(size, 6.0);
        assert!(text.ends_with("...") && text.len() < long.len() + 3);
        assert!(text_width(&text, Face::Regular, 6.0) <= natural * 0.3);
    }
}
