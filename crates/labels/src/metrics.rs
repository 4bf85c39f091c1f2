//! Text measurement for the base-14 Helvetica faces, and the limits that keep user text to
//! what a page can show.
//!
//! Layout needs widths to centre, right-align and shrink text to fit. The widths come from the
//! metric-compatible font programs printpdf bundles for its built-in fonts, read once into a
//! 256-entry table per face. Base-14 text in a PDF is single-byte WinAnsi, so [`printable`]
//! first reduces any string to characters that encoding (and therefore the table) covers.
//!
//! Every string here may come from a user or a marketplace export and be of any size (a 10 MB
//! gift note, a tracking "number" of a million characters). A document is never megabytes of
//! one line, so the work done on a string is bounded by what can be drawn, not by its length:
//! [`printable`] keeps at most [`MAX_RUN_CHARS`] characters of a run (ending a longer one with
//! "..."), [`wrap`] stops after the number of lines its caller has room for (ending the last
//! with "..."), and widths are summed in `u64` with saturation, so no length overflows them.

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
            *width =
                u16::try_from(u32::from(advance) * 1000 / units_per_em).unwrap_or(FALLBACK_WIDTH);
        }
    }
    widths
}

/// The most characters of one text run that are kept. The widest run on any page (a Letter
/// page between its margins, 540 pt) at the smallest size a layout draws (5 pt) holds under 600
/// of Helvetica's narrowest glyphs, so a longer run could never be shown whole; cutting it before
/// measuring keeps the cost of a run independent of the text a user typed.
pub const MAX_RUN_CHARS: usize = 1000;

/// Marks text that was cut short.
const ELLIPSIS: &str = "...";

/// Advance width of one character in 1/1000 em (`c` should already be [`printable`]).
fn char_units(c: char, widths: &WidthTable) -> u64 {
    u64::from(widths[(c as u32).min(255) as usize])
}

/// Width in 1/1000 em of `text`; saturates rather than overflows, whatever its length.
fn text_units(text: &str, widths: &WidthTable) -> u64 {
    text.chars()
        .fold(0u64, |sum, c| sum.saturating_add(char_units(c, widths)))
}

fn units_to_points(units: u64, size: f32) -> f32 {
    units as f32 * size / 1000.0
}

/// The start of `text` that [`printable`] can use: a run's worth of characters and one more, so
/// that a longer text is still seen to be longer. For building labels such as
/// `format!("Order {number}")` without copying all of a huge field first.
pub fn clip(text: &str) -> &str {
    match text.char_indices().nth(MAX_RUN_CHARS + 1) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Width of `text` in points at `size`. `text` should already be [`printable`].
pub fn text_width(text: &str, face: Face, size: f32) -> f32 {
    units_to_points(text_units(text, table(face)), size)
}

/// Reduces `text` to what a WinAnsi base-14 font can show: Latin-1 stays, common typographic
/// punctuation becomes its ASCII look-alike, control characters become spaces, invisible marks
/// (combining accents, zero-width and bidi formatting characters, variation selectors) are
/// dropped, anything else becomes '?'. At most [`MAX_RUN_CHARS`] characters are kept: a longer run ends in "...". The
/// SVG uses the same string so preview and print agree.
pub fn printable(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .by_ref()
        .take(MAX_RUN_CHARS)
        .filter_map(printable_char)
        .collect();
    if chars.next().is_some() {
        let keep = MAX_RUN_CHARS - ELLIPSIS.len();
        let cut = out.char_indices().nth(keep).map_or(out.len(), |(at, _)| at);
        out.truncate(cut);
        out.push_str(ELLIPSIS);
    }
    out
}

fn printable_char(c: char) -> Option<char> {
    Some(match c {
        '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{FF}' => c,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        c if c.is_control() || c.is_whitespace() => ' ',
        '\u{300}'..='\u{36F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' => return None,
        _ => '?',
    })
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
    (ellipsized(&text, face, min_size, max_width), min_size)
}

/// The longest start of `text` that, followed by "...", fits `max_width` at `size`.
fn ellipsized(text: &str, face: Face, size: f32, max_width: f32) -> String {
    let widths = table(face);
    let ellipsis_units = text_units(ELLIPSIS, widths);
    let mut kept = String::new();
    let mut units = 0u64;
    for c in text.chars() {
        let wider = units.saturating_add(char_units(c, widths));
        if units_to_points(wider.saturating_add(ellipsis_units), size) > max_width {
            break;
        }
        units = wider;
        kept.push(c);
    }
    format!("{}{ELLIPSIS}", kept.trim_end())
}

/// Breaks `text` into at most `max_lines` lines no wider than `max_width` at `size`, at spaces
/// where possible and mid-word only for words longer than a line. Explicit newlines start new
/// lines; blank space around the whole text is dropped. Only the first `max_lines` runs' worth
/// of characters is read: when the text needs more lines than that, or is longer, the last line
/// ends with "...".
pub fn wrap(text: &str, face: Face, size: f32, max_width: f32, max_lines: usize) -> Vec<String> {
    let read = max_lines.saturating_mul(MAX_RUN_CHARS);
    let (text, unread) = match text.char_indices().nth(read) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    };
    let text = text.trim();
    let widths = table(face);
    let fits = |units: u64| units_to_points(units, size) <= max_width;
    let space_units = char_units(' ', widths);
    let mut lines = Lines::new(max_lines);
    lines.cut = unread;
    'paragraphs: for paragraph in text.lines() {
        let mut line = String::new();
        let mut line_units = 0u64;
        for word in paragraph.split_whitespace() {
            let word = printable(word);
            if word.is_empty() {
                continue;
            }
            let word_units = text_units(&word, widths);
            let gap = if line.is_empty() { 0 } else { space_units };
            let joined = line_units.saturating_add(gap).saturating_add(word_units);
            if fits(joined) {
                if gap > 0 {
                    line.push(' ');
                }
                line.push_str(&word);
                line_units = joined;
                continue;
            }
            if !line.is_empty() && !lines.push(std::mem::take(&mut line)) {
                break 'paragraphs;
            }
            line_units = 0;
            for c in word.chars() {
                let c_units = char_units(c, widths);
                if !line.is_empty() && !fits(line_units.saturating_add(c_units)) {
                    if !lines.push(std::mem::take(&mut line)) {
                        break 'paragraphs;
                    }
                    line_units = 0;
                }
                line.push(c);
                line_units = line_units.saturating_add(c_units);
            }
        }
        if !lines.push(line) {
            break;
        }
    }
    lines.finish(face, size, max_width)
}

/// Lines collected up to a limit, remembering whether any had to be left out.
struct Lines {
    lines: Vec<String>,
    max_lines: usize,
    cut: bool,
}

impl Lines {
    fn new(max_lines: usize) -> Self {
        Lines {
            lines: Vec::new(),
            max_lines,
            cut: false,
        }
    }

    /// Adds `line`; false (and the text is marked cut) when the limit is already reached.
    fn push(&mut self, line: String) -> bool {
        if self.lines.len() >= self.max_lines {
            self.cut = true;
            return false;
        }
        self.lines.push(line);
        true
    }

    fn finish(mut self, face: Face, size: f32, max_width: f32) -> Vec<String> {
        if self.cut
            && let Some(last) = self.lines.last_mut()
        {
            *last = ellipsized(last, face, size, max_width);
        }
        self.lines
    }
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
        // Decomposed accents, a bidi override and an emoji with its variation selector.
        assert_eq!(
            printable("Jose\u{301} \u{202E}evil\u{202C} \u{2764}\u{FE0F}\u{200D}"),
            "Jose evil ?"
        );
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_overlong_words() {
        let width = text_width("aaaa bbbb", Face::Regular, 10.0);
        let lines = wrap("aaaa bbbb cccc\ndd", Face::Regular, 10.0, width, 10);
        assert_eq!(lines, vec!["aaaa bbbb", "cccc", "dd"]);
        let long = wrap("xxxxxxxxxxxxxxxxxxxx", Face::Regular, 10.0, width, 10);
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

    #[test]
    fn widths_of_huge_text_do_not_overflow() {
        // 10 M of 'W' is about 9.4e9 units: more than a u32 holds.
        let huge = "W".repeat(10 * 1024 * 1024);
        let width = f64::from(text_width(&huge, Face::Bold, 10.0));
        let expected = f64::from(text_width("W", Face::Bold, 10.0)) * huge.len() as f64;
        assert!(
            (width - expected).abs() / expected < 1e-3,
            "{width} vs {expected}"
        );
    }

    #[test]
    fn printable_keeps_at_most_a_runs_worth_of_characters() {
        let exact = "a".repeat(MAX_RUN_CHARS);
        assert_eq!(printable(&exact), exact);
        let longer = "é".repeat(MAX_RUN_CHARS + 1);
        let kept = printable(&longer);
        assert_eq!(kept.chars().count(), MAX_RUN_CHARS);
        assert!(kept.ends_with("...") && kept.starts_with("éé"), "{kept}");
    }

    #[test]
    fn wrap_stops_at_the_line_limit_and_marks_the_cut() {
        let width = text_width("aaaa bbbb", Face::Regular, 10.0);
        let lines = wrap("aaaa bbbb cccc dddd eeee", Face::Regular, 10.0, width, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "aaaa bbbb");
        assert!(lines[1].ends_with("..."), "{lines:?}");
        assert!(text_width(&lines[1], Face::Regular, 10.0) <= width);

        // Exactly as many lines as allowed: nothing is cut.
        let lines = wrap("aaaa bbbb cccc", Face::Regular, 10.0, width, 2);
        assert_eq!(lines, vec!["aaaa bbbb", "cccc"]);

        let newlines = wrap(&"x\n".repeat(100_000), Face::Regular, 10.0, width, 3);
        assert_eq!(newlines, vec!["x", "x", "x..."]);
    }
}
