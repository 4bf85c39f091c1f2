//! Text for people, JSON for scripts: one place decides which. A reader that stops early
//! (`shipdesk orders list | head -1`) ends the command quietly, as for any Unix tool.
//!
//! Order data comes from marketplace files and other programs, so text output never writes it
//! raw: [`printable`] escapes what would drive the terminal (an ESC can retitle or recolour it,
//! a bidi override can make `#1001` read as something else), and every block printed here goes
//! through it. Values shown inside one line use [`one_line`], so none can fake a line of its
//! own. JSON output keeps the text exact: serde escapes C0 controls, and what it leaves raw (DEL,
//! C1, bidi controls) is written as `\uXXXX` escapes, which any JSON reader decodes to the same
//! string. Commands printed for a shell to run quote every value with [`shell_word`].

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;
use shipdesk_core::AppError;
use shipdesk_core::orders::text::is_forbidden;

/// Writes one block of text to standard output, escaped as [`printable`].
fn emit(text: &str) -> Result<(), AppError> {
    write_out(&printable(text))
}

/// Writes serialized JSON to standard output, escaped as [`json_printable`].
fn emit_json(json: &str) -> Result<(), AppError> {
    write_out(&json_printable(json))
}

/// Serialized JSON with the controls serde leaves raw (DEL, C1, bidi) as `\uXXXX` escapes. They
/// can only occur inside strings, where the escape reads back as the same character; the line
/// breaks of pretty printing are layout and stay.
fn json_printable(json: &str) -> Cow<'_, str> {
    escape(
        json,
        |c| c == '\n',
        |shown, c| shown.push_str(&format!("\\u{:04x}", u32::from(c))),
    )
}

/// A closed pipe ends the process with success.
fn write_out(text: &str) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(AppError::internal("Could not write the output", &e)),
    }
}

/// Writes a line to standard error (progress, notes), escaped as [`printable`].
pub fn note(text: &str) {
    eprintln!("{}", printable(text));
}

pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints `value` as JSON, or as the text `human` renders.
    pub fn value<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce(&T) -> String,
    ) -> Result<(), AppError> {
        if self.json {
            let s = serde_json::to_string_pretty(value)
                .map_err(|e| AppError::internal("Could not write JSON output", &e))?;
            emit_json(&s)
        } else {
            emit(&human(value))
        }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn error(&self, e: &AppError) {
        if self.json {
            let _ = emit_json(&serde_json::to_string(e).unwrap_or_else(|_| e.message.clone()));
        } else {
            note(&format!("error: {}", e.message));
        }
    }
}

/// Text safe to show in a terminal: every control character (C0 but line break and tab, DEL,
/// C1) and whatever else the store never holds (the bidi embeddings, overrides and isolates, a
/// stray byte-order mark) written as escapes (`\u{1b}`). Every other character, in any script,
/// emoji included, is left as it is.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t', rust_escape)
}

/// [`printable`] for a value shown within one line (a table cell, a field after its label):
/// line breaks and tabs are escaped too.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, |_| false, rust_escape)
}

fn rust_escape(shown: &mut String, c: char) {
    shown.extend(c.escape_unicode());
}

/// `text` with every control or bidi character not kept written by `write_escaped`. All of them
/// are in the Basic Multilingual Plane, so a JSON `\uXXXX` escape holds any.
fn escape(
    text: &str,
    keep: impl Fn(char) -> bool,
    write_escaped: impl Fn(&mut String, char),
) -> Cow<'_, str> {
    let hidden = |c: char| (c.is_control() || is_forbidden(c)) && !keep(c);
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match hidden(c) {
            true => write_escaped(&mut shown, c),
            false => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

/// One word for a POSIX shell, to be pasted as it is printed: bare when every character is one
/// no shell treats specially, otherwise in single quotes, inside which `sh` expands nothing
/// (`$(…)`, backticks, `*`, `;`, `~`, `{a,b}`, newlines are all literal); a single quote itself is
/// written `'\''` (close, escaped quote, reopen).
pub fn shell_word(text: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:,=+@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("'{}'", text.replace('\'', r"'\''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped_and_other_text_is_not() {
        let name =
            "Ann\u{1b}]0;pwned\u{7} \u{1b}[31mRed\u{1b}[0m \u{202e}1001# \u{0}\u{7f}\u{85}\r";
        assert_eq!(
            printable(name),
            r"Ann\u{1b}]0;pwned\u{7} \u{1b}[31mRed\u{1b}[0m \u{202e}1001# \u{0}\u{7f}\u{85}\u{d}"
        );
        for normal in [
            "José Müller",
            "東京 🙂 — “quoted” O'Brien",
            "עברית العربية",
            "a\tb\nc",
        ] {
            assert!(
                matches!(printable(normal), Cow::Borrowed(_)),
                "{normal:?} is left alone"
            );
        }
        assert_eq!(one_line("a\tb\nc\r"), r"a\u{9}b\u{a}c\u{d}");
        assert_eq!(
            printable("\u{2066}x\u{2069}\u{202a}\u{feff}\u{b}\u{c}"),
            r"\u{2066}x\u{2069}\u{202a}\u{feff}\u{b}\u{c}"
        );
    }

    #[test]
    fn json_keeps_the_exact_text_with_every_control_escaped() {
        let name = "Ann\u{1b}[31m\u{7f}\u{9b}\u{202e}x\u{2069} José\n";
        let json = serde_json::to_string_pretty(&serde_json::json!({ "name": name })).unwrap();
        let escaped = json_printable(&json);
        assert!(
            escaped.contains(r"Ann\u001b[31m\u007f\u009b\u202ex\u2069 José\n"),
            "{escaped}"
        );
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["name"], name);
    }

    /// What `sh -c` makes of a printed word: `printf` stands in for the command.
    fn through_sh(word: &str, dir: &std::path::Path) -> String {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s' {word}"))
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{word}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn shell_words_reach_the_command_literally() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("existing"), "").unwrap();
        for text in [
            "Name ($(touch pwned))",
            "`touch pwned`",
            "it's",
            "'",
            "''\\''",
            "say \"hi\"",
            "a; touch pwned",
            "line\nbreak",
            "*",
            "~",
            "{a,b}",
            "$HOME",
            "a\\b",
            "tab\there",
            "",
            "-n",
            "Código Postal",
            "plain_word-1.2/x:y,z=w+v@u%",
        ] {
            let word = shell_word(text);
            assert_eq!(through_sh(&word, dir.path()), text, "{word}");
        }
        assert!(!dir.path().join("pwned").exists());
        assert_eq!(shell_word("zip=ZIP"), "zip=ZIP");
    }
}
