//! The one rule for which characters text may carry into the store, whatever it came through: an
//! imported file, the order form, an IPC call, a CLI argument, a settings form.
//!
//! **Never stored**: the C0 controls other than tab, CR and LF (NUL, BEL, ESC…), DEL, the C1
//! controls (U+0080–U+009F), the bidirectional embedding, override and isolate controls
//! (U+202A–U+202E, U+2066–U+2069), and U+FEFF (a byte-order mark left inside the text). Stored,
//! they would write escape sequences to a terminal that prints an order (`shipdesk orders show`),
//! reorder what a name or address appears to say, or cut the text short in C-string tools.
//!
//! **Stripped, not refused.** None of these characters is anything a person meant to write, and
//! removing them loses no letter of a name or an address, while refusing would hold the whole
//! order back (an import would skip a real order because a marketplace export carried a stray
//! ESC). So they are removed, and the callers that can tell the user say how many, and where
//! (the importer warns with the file's line and the field).
//!
//! **Line breaks and tabs** are kept in multi-line text (notes), with CR LF and the other line
//! separators (CR, VT, FF, NEL, U+2028, U+2029) read as LF; in single-line text (names, address
//! lines, numbers, tags) each becomes a space, so "Apt 4⏎Building B" from a spreadsheet cell
//! stays two readable words on one line.

/// A character that is never stored (see the module docs).
pub fn is_forbidden(c: char) -> bool {
    matches!(
        c,
        '\u{00}'..='\u{08}'
            | '\u{0E}'..='\u{1F}'
            | '\u{7F}'..='\u{84}'
            | '\u{86}'..='\u{9F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Tab and every character that ends a line.
fn is_break_or_tab(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Text as the store may hold it, and how many characters were removed on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub text: String,
    /// Forbidden characters removed (line breaks and tabs turned into spaces are not counted).
    pub removed: usize,
}

fn needs_work(raw: &str, multiline: bool) -> bool {
    raw.chars().any(|c| {
        is_forbidden(c) || (is_break_or_tab(c) && !(multiline && (c == '\n' || c == '\t')))
    })
}

/// Single-line text: forbidden characters removed, tabs and line breaks turned into spaces.
pub fn clean_line(raw: &str) -> Cleaned {
    if !needs_work(raw, false) {
        return Cleaned {
            text: raw.to_owned(),
            removed: 0,
        };
    }
    let mut removed = 0;
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if is_break_or_tab(c) {
            text.push(' ');
        } else if is_forbidden(c) {
            removed += 1;
        } else {
            text.push(c);
        }
    }
    Cleaned { text, removed }
}

/// Multi-line text: forbidden characters removed, every line break written as LF, tabs kept.
pub fn clean_multiline(raw: &str) -> Cleaned {
    if !needs_work(raw, true) {
        return Cleaned {
            text: raw.to_owned(),
            removed: 0,
        };
    }
    let mut removed = 0;
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' => text.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            c if is_break_or_tab(c) => text.push('\n'),
            c if is_forbidden(c) => removed += 1,
            c => text.push(c),
        }
    }
    Cleaned { text, removed }
}

/// A single-line name as a settings form saves it (a ship-from address line, a package preset,
/// an account nickname): cleaned and trimmed.
pub fn line(raw: &str) -> String {
    clean_line(raw).text.trim().to_owned()
}

/// Every field of an address cleaned as single-line text and trimmed (blank optional fields
/// become `None`), for an address that arrives outside the order validation: the standardized
/// address a purchase is asked to print, which is stored with the label.
pub fn clean_address(a: &super::Address) -> super::Address {
    let opt = |v: &Option<String>| v.as_deref().map(line).filter(|v| !v.is_empty());
    super::Address {
        name: line(&a.name),
        company: opt(&a.company),
        street1: line(&a.street1),
        street2: opt(&a.street2),
        city: line(&a.city),
        state: line(&a.state),
        zip5: line(&a.zip5),
        zip4: opt(&a.zip4),
        country: line(&a.country),
        phone: opt(&a.phone),
        email: opt(&a.email),
    }
}

/// What the user is told when characters were removed from `what` ("recipient name").
pub fn removed_notice(what: &str, removed: usize) -> String {
    let s = if removed == 1 { "" } else { "s" };
    format!("{what}: {removed} invisible control character{s} removed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_of_the_policy_is_forbidden_and_nothing_else() {
        let forbidden = [
            '\0', '\u{7}', '\u{8}', '\u{1B}', '\u{1F}', '\u{7F}', '\u{80}', '\u{9B}', '\u{9F}',
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{FEFF}',
        ];
        for c in forbidden {
            assert!(is_forbidden(c), "{:?}", c);
        }
        // Letters of every script, the marks that shape them and the bidi marks (not overrides).
        let kept = [
            'a', 'é', 'ß', 'ж', 'ש', 'ع', '中', '😀', ' ', '\u{A0}', '\u{200D}', '\u{200E}',
            '\u{200F}', '\u{061C}', '\u{2029}', '\t', '\n', '\r',
        ];
        for c in kept {
            assert!(!is_forbidden(c), "{:?}", c);
        }
    }

    #[test]
    fn single_lines_lose_controls_and_keep_their_words_apart() {
        let c = clean_line("Ann\u{1B}]0;pwned\u{7} Lee\r\nApt 4\tB\u{202E}\u{0}");
        assert_eq!(c.text, "Ann]0;pwned Lee Apt 4 B");
        assert_eq!(c.removed, 4);
        let plain = clean_line("José Müller");
        assert_eq!((plain.text.as_str(), plain.removed), ("José Müller", 0));
        assert_eq!(line("  \u{FEFF}Shop\u{85}Front  "), "Shop Front");
        let a = clean_address(&crate::orders::Address {
            name: "ANN\u{1b}[8m LEE".into(),
            street2: Some("\u{7}".into()),
            zip5: "78701".into(),
            ..Default::default()
        });
        assert_eq!(
            (a.name.as_str(), a.street2, a.zip5.as_str()),
            ("ANN[8m LEE", None, "78701")
        );
    }

    #[test]
    fn multiline_text_keeps_its_lines() {
        let c = clean_multiline("Leave at door\r\nRing\u{7} twice\rthanks\u{2028}\tend\u{9B}");
        assert_eq!(c.text, "Leave at door\nRing twice\nthanks\n\tend");
        assert_eq!(c.removed, 2);
        assert_eq!(
            removed_notice("notes", 2),
            "notes: 2 invisible control characters removed"
        );
        assert_eq!(
            removed_notice("city", 1),
            "city: 1 invisible control character removed"
        );
    }
}
