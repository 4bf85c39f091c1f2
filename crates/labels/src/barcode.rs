//! Code 128 barcodes as a list of bars.
//!
//! barcoders does the symbology (start code, check digit, stop pattern); this module picks the
//! character set and turns its module pattern into `(x, width)` bars for the display list. Digit
//! strings use set C (two digits per symbol), which keeps a 22-digit tracking number short
//! enough for wide, easily scanned bars on a 4 in label.

use barcoders::sym::code128::Code128;

use crate::RenderError;

/// The longest data encoded. USPS tracking numbers and SCAN form ids are 20 to 34 digits; much
/// longer data would need bars too thin to scan in the space a document gives the symbol.
pub const MAX_DATA_CHARS: usize = 40;

const SET_B: char = '\u{0181}';
const SET_C: char = '\u{0106}';

/// A Code 128 symbol: one entry per module, 1 = dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code128Symbol {
    modules: Vec<u8>,
}

impl Code128Symbol {
    /// Encodes `data`; `what` names it in the error ("tracking number", ...).
    pub fn encode(what: &'static str, data: &str) -> Result<Self, RenderError> {
        let error = |reason: String| RenderError::barcode(what, data, reason);
        if data.is_empty() {
            return Err(error("empty".into()));
        }
        let length = data.chars().take(MAX_DATA_CHARS + 1).count();
        if length > MAX_DATA_CHARS {
            return Err(error(format!(
                "longer than {MAX_DATA_CHARS} characters, too long to scan"
            )));
        }
        if let Some(bad) = data.chars().find(|c| !(' '..='~').contains(c)) {
            return Err(error(format!("character {bad:?} is not printable ASCII")));
        }
        let code = Code128::new(with_character_sets(data)).map_err(|e| error(e.to_string()))?;
        Ok(Code128Symbol {
            modules: code.encode(),
        })
    }

    /// Number of modules (narrowest bar widths) in the symbol, without quiet zones.
    pub fn module_count(&self) -> usize {
        self.modules.len()
    }

    /// The dark bars, each `(x, width)`, for a symbol starting at `x0` with `module` pt modules.
    /// Adjacent dark modules merge into one bar so the drawing has no hairline seams.
    pub fn bars(&self, x0: f32, module: f32) -> Vec<(f32, f32)> {
        let mut bars = Vec::new();
        let mut run_start: Option<usize> = None;
        for (index, &dark) in self.modules.iter().chain(std::iter::once(&0)).enumerate() {
            match (dark == 1, run_start) {
                (true, None) => run_start = Some(index),
                (false, Some(start)) => {
                    bars.push((x0 + start as f32 * module, (index - start) as f32 * module));
                    run_start = None;
                }
                _ => {}
            }
        }
        bars
    }
}

/// Prefixes barcoders' character-set markers: set C for pairs of digits, set B otherwise (an odd
/// trailing digit switches to B for its last symbol).
fn with_character_sets(data: &str) -> String {
    if data.len() >= 2 && data.bytes().all(|b| b.is_ascii_digit()) {
        let even = data.len() - data.len() % 2;
        let mut out = format!("{SET_C}{}", &data[..even]);
        if even < data.len() {
            out.push(SET_B);
            out.push_str(&data[even..]);
        }
        out
    } else {
        format!("{SET_B}{data}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_use_set_c_and_odd_tail_switches_to_b() {
        assert_eq!(with_character_sets("1234"), "\u{0106}1234");
        assert_eq!(with_character_sets("12345"), "\u{0106}1234\u{0181}5");
        assert_eq!(with_character_sets("AB12"), "\u{0181}AB12");
    }

    #[test]
    fn tracking_number_symbol_has_expected_length() {
        // start (11) + 11 digit pairs (11 each) + check (11) + stop (13)
        let symbol = Code128Symbol::encode("tracking", "9405511899223197428490").unwrap();
        assert_eq!(symbol.module_count(), 11 + 11 * 11 + 11 + 13);
    }

    #[test]
    fn bars_cover_exactly_the_dark_modules() {
        let symbol = Code128Symbol::encode("test", "42012345").unwrap();
        let dark = symbol.modules.iter().filter(|&&m| m == 1).count() as f32;
        let bars = symbol.bars(10.0, 2.0);
        let total: f32 = bars.iter().map(|(_, w)| w).sum();
        assert_eq!(total, dark * 2.0);
        assert_eq!(bars[0].0, 10.0, "a Code 128 symbol starts with a bar");
        let (last_x, last_w) = bars[bars.len() - 1];
        assert_eq!(last_x + last_w, 10.0 + symbol.module_count() as f32 * 2.0);
    }

    #[test]
    fn non_ascii_is_rejected_with_the_reason() {
        let err = Code128Symbol::encode("tracking", "94€").unwrap_err();
        assert!(err.to_string().contains("not printable ASCII"), "{err}");
        assert!(Code128Symbol::encode("tracking", "").is_err());
    }

    #[test]
    fn overlong_data_is_rejected_and_quoted_briefly() {
        assert!(Code128Symbol::encode("tracking", &"9".repeat(MAX_DATA_CHARS)).is_ok());
        let huge = "9".repeat(10 * 1024 * 1024);
        let err = Code128Symbol::encode("tracking", &huge).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("too long to scan"), "{message}");
        assert!(message.len() < 200, "{} bytes", message.len());
    }
}
