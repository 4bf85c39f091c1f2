//! Opening an export file as UTF-8 text, whatever it was saved as. Marketplaces and spreadsheets
//! write UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text", Amazon reports on some
//! machines) and Windows-1252 (Excel's "CSV" on Windows), and never say which. A BOM or the
//! NUL-byte pattern of UTF-16 settles it; otherwise the file is an 8-bit encoding and is judged
//! **line by line**, never as a whole: one bad byte must not re-decode every other line.
//!
//! # Encoding by line
//!
//! A first pass sorts every line that is not plain ASCII: valid UTF-8, or not. The file's
//! encoding is UTF-8 unless the lines that are not UTF-8 outnumber those that are (a BOM forces
//! UTF-8); Windows-1252, which can decode any byte, is the other. Each line is then read as what
//! it is, and every line read otherwise than the file's encoding becomes an import warning
//! naming its line (`field` `encoding`), so the user can check it:
//!
//! - In a UTF-8 file, a line that is not valid UTF-8 and holds **no** valid multi-byte UTF-8
//!   character is read as Windows-1252. That is how such lines come about: rows pasted or
//!   appended from a Windows program into a UTF-8 export. Read as Windows-1252 they come out
//!   exactly right (`Müller`), where U+FFFD would lose every accented letter of the line for
//!   good, and every byte decodes, so nothing is dropped.
//! - A line that mixes valid multi-byte UTF-8 with invalid bytes is UTF-8 that was damaged (a
//!   value cut in the middle of a character, a stray byte): reading it as Windows-1252 would
//!   garble its good characters (`José` → `JosÃ©`), so only the bad bytes become U+FFFD and the
//!   rest of the line stays right.
//! - In a Windows-1252 file, a line that is valid UTF-8 with non-ASCII characters is read as
//!   UTF-8 (rows pasted from a UTF-8 export; Windows-1252 text is valid UTF-8 only by accident,
//!   e.g. `É’`).
//!
//! A real Windows-1252 file has no valid UTF-8 line with an accent, so it decodes exactly as
//! before, and without a warning. Warnings list the first [`MAX_LISTED_LINES`] lines and then
//! count the rest.
//!
//! Text is decoded as a stream, so a large file is never held in memory; the first pass reads it
//! with a fixed buffer and keeps only the line numbers read otherwise (and only for a mixed
//! file). A file over the size limit is refused before either pass.
//!
//! [`looks_binary`] refuses files that are not text at all (a spreadsheet saved as .xlsx); it is
//! not a control-character policy. Control characters inside values are refused or removed for
//! every order, imported or typed, by `orders::validate`.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::{ImportProblem, grouped, human_size};
use crate::error::{AppError, AppResult};

/// How much of the start of a file the sniffers look at.
const SAMPLE_BYTES: usize = 64 * 1024;
/// How many lines read otherwise than the file's encoding are listed one by one.
pub(crate) const MAX_LISTED_LINES: usize = 100;

/// What the decoder has consumed and produced so far; stays zero for UTF-8 read as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DecodeStats {
    pub file_bytes: u64,
    pub text_bytes: u64,
}

impl DecodeStats {
    pub fn file_bytes_per_text_byte(self) -> f64 {
        if self.text_bytes == 0 {
            1.0
        } else {
            self.file_bytes as f64 / self.text_bytes as f64
        }
    }
}

pub(crate) struct TextSource {
    pub encoding: &'static Encoding,
    /// The file's name, for messages.
    pub name: String,
    pub file_len: u64,
    /// File bytes per text byte so far (1 for UTF-8), to turn a position in the text back into
    /// a share of the file for progress estimates.
    pub decoding: Rc<Cell<DecodeStats>>,
    pub reader: Box<dyn Read>,
    /// The decoded start of the file, for delimiter sniffing and format detection.
    pub sample: String,
    /// One per line read otherwise than `encoding` (the first [`MAX_LISTED_LINES`], then a
    /// count of the rest).
    pub warnings: Vec<ImportProblem>,
}

/// How one line's bytes become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineDecoding {
    /// Valid UTF-8, passed through.
    Utf8,
    /// Through an encoding_rs decoder: Windows-1252 or UTF-16, or UTF-8 with each invalid
    /// byte sequence replaced by U+FFFD.
    With(&'static Encoding),
}

impl LineDecoding {
    fn decoder(self) -> Option<Decoder> {
        match self {
            LineDecoding::Utf8 => None,
            LineDecoding::With(e) => Some(e.new_decoder_without_bom_handling()),
        }
    }
}

/// How every line of the file is read: `default`, except the listed (line, decoding) pairs,
/// in line order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinePlan {
    default: LineDecoding,
    exceptions: Vec<(u64, LineDecoding)>,
}

fn unreadable(path: &Path, e: &io::Error) -> AppError {
    AppError::validation(format!("Cannot read {}: {e}", path.display()))
}

fn not_text(path: &Path) -> AppError {
    AppError::validation(format!(
        "{} is not a CSV or tab-separated text file (it contains binary data)",
        path.display()
    ))
}

fn too_large(name: &str, size: Option<u64>, max: u64) -> AppError {
    let is = match size {
        Some(size) => format!("is {}", human_size(size)),
        None => format!("is over {}", human_size(max)),
    };
    AppError::validation(format!(
        "{name} {is}; Shipdesk imports files up to {}. Split it into smaller files, or raise \
         the import's size limit.",
        human_size(max)
    ))
}

pub(crate) fn open(path: &Path, max_file_bytes: u64) -> AppResult<TextSource> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut file = File::open(path).map_err(|e| unreadable(path, &e))?;
    let file_len = file.metadata().map_err(|e| unreadable(path, &e))?.len();
    if file_len > max_file_bytes {
        return Err(too_large(&name, Some(file_len), max_file_bytes));
    }
    let mut head = Vec::with_capacity(SAMPLE_BYTES);
    (&mut file)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| unreadable(path, &e))?;
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(AppError::validation(format!(
            "{} is empty: there are no orders to import",
            path.display()
        )));
    }
    let (encoding, bom_len, plan) = match detect_by_bytes(&head) {
        Some((utf16, bom_len)) if utf16 != UTF_8 => (
            utf16,
            bom_len,
            LinePlan {
                default: LineDecoding::With(utf16),
                exceptions: Vec::new(),
            },
        ),
        utf8_bom => {
            let bom_len = utf8_bom.map_or(0, |(_, len)| len);
            // Before reading the whole file: a binary file is full of control bytes whatever
            // the 8-bit encoding.
            if looks_binary(&String::from_utf8_lossy(&head[bom_len..]), false) {
                return Err(not_text(path));
            }
            // One byte more than allowed, to tell a file that is too large.
            let cap = max_file_bytes.saturating_add(1) - bom_len as u64;
            let census = rewound(&mut file, bom_len, cap)
                .and_then(|mut r| Census::take(&mut r))
                .map_err(|e| unreadable(path, &e))?;
            if census.bytes + bom_len as u64 > max_file_bytes {
                return Err(too_large(&name, None, max_file_bytes));
            }
            let (encoding, plan_needs) = census.verdict(bom_len > 0);
            let plan = match plan_needs {
                PlanNeeds::Nothing => LinePlan {
                    default: if encoding == UTF_8 {
                        LineDecoding::Utf8
                    } else {
                        LineDecoding::With(encoding)
                    },
                    exceptions: Vec::new(),
                },
                needs => rewound(&mut file, bom_len, cap)
                    .and_then(|mut r| collect_exceptions(&mut r, needs))
                    .map_err(|e| unreadable(path, &e))?,
            };
            (encoding, bom_len, plan)
        }
    };
    let warnings = line_warnings(encoding, &plan);
    let mut sample = Vec::new();
    LineDecodingReader::new(
        Cursor::new(&head[bom_len..]),
        plan.clone(),
        Rc::new(Cell::new(DecodeStats::default())),
    )
    .read_to_end(&mut sample)
    .map_err(|e| unreadable(path, &e))?;
    let sample = String::from_utf8_lossy(&sample).into_owned();
    let utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
    if looks_binary(&sample, utf16) {
        return Err(not_text(path));
    }
    file.seek(SeekFrom::Start(bom_len as u64))
        .map_err(|e| unreadable(path, &e))?;
    let capped = SizeCapped {
        inner: BufReader::with_capacity(256 * 1024, file),
        left: max_file_bytes.saturating_sub(bom_len as u64),
        message: too_large(&name, None, max_file_bytes).message,
    };
    let decoding = Rc::new(Cell::new(DecodeStats::default()));
    let reader: Box<dyn Read> = if plan.default == LineDecoding::Utf8 && plan.exceptions.is_empty()
    {
        Box::new(capped)
    } else {
        Box::new(LineDecodingReader::new(capped, plan, decoding.clone()))
    };
    Ok(TextSource {
        encoding,
        name,
        file_len,
        decoding,
        reader,
        sample,
        warnings,
    })
}

/// The file from `from`, at most `cap` bytes of it.
fn rewound(file: &mut File, from: usize, cap: u64) -> io::Result<io::Take<&mut File>> {
    file.seek(SeekFrom::Start(from as u64))?;
    Ok(file.take(cap))
}

/// BOMs, then UTF-16 without a BOM: ASCII-heavy text in UTF-16 has a NUL in every other byte.
/// Returns the encoding and how many BOM bytes to skip.
fn detect_by_bytes(head: &[u8]) -> Option<(&'static Encoding, usize)> {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Some((UTF_8, 3));
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some((UTF_16LE, 2));
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some((UTF_16BE, 2));
    }
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zero_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= pairs * 7 && even * 10 < pairs {
        Some((UTF_16LE, 0))
    } else if even * 10 >= pairs * 7 && odd * 10 < pairs {
        Some((UTF_16BE, 0))
    } else {
        None
    }
}

/// Where the first `byte` in `bytes` is. Through the standard library's `memchr` (what
/// `BufRead::skip_until` uses), which is far faster than a byte loop, above all in debug builds.
pub(crate) fn find_byte(bytes: &[u8], byte: u8) -> Option<usize> {
    let mut rest = bytes;
    let taken = io::BufRead::skip_until(&mut rest, byte).unwrap_or(0);
    (taken > 0 && bytes[taken - 1] == byte).then(|| taken - 1)
}

pub(crate) fn find_newline(bytes: &[u8]) -> Option<usize> {
    find_byte(bytes, b'\n')
}

pub(crate) fn count_newlines(mut bytes: &[u8]) -> u64 {
    let mut count = 0;
    while let Some(i) = find_newline(bytes) {
        count += 1;
        bytes = &bytes[i + 1..];
    }
    count
}

/// What a line that is not plain ASCII is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineBytes {
    /// Valid UTF-8 with at least one multi-byte character.
    Utf8,
    /// Has bytes that are not valid UTF-8; `with_utf8_characters` when it also holds valid
    /// multi-byte UTF-8 characters.
    NotUtf8 { with_utf8_characters: bool },
}

#[derive(Debug, Default, Clone, Copy)]
struct LineSoFar {
    utf8_characters: bool,
    invalid: bool,
}

impl LineSoFar {
    fn verdict(self) -> Option<LineBytes> {
        if self.invalid {
            Some(LineBytes::NotUtf8 {
                with_utf8_characters: self.utf8_characters,
            })
        } else if self.utf8_characters {
            Some(LineBytes::Utf8)
        } else {
            None
        }
    }

    /// Validates a piece of the line. When `may_continue` (the piece ends the buffer, not the
    /// line), a character cut at its end is left for the next read: returns how many bytes that is.
    fn scan(&mut self, piece: &[u8], may_continue: bool) -> usize {
        let mut rest = piece;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    self.utf8_characters |= !valid.is_ascii();
                    return 0;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.utf8_characters |= !valid.is_ascii();
                    match e.error_len() {
                        Some(bad) => {
                            self.invalid = true;
                            rest = &after[bad..];
                        }
                        None if may_continue => return after.len(),
                        None => {
                            self.invalid = true;
                            return 0;
                        }
                    }
                }
            }
        }
    }
}

/// Calls `each` with every line that is not plain ASCII (1-based line numbers), reading `r` to
/// its end with a fixed buffer. Returns the bytes read.
fn scan_lines(r: &mut impl Read, mut each: impl FnMut(u64, LineBytes)) -> io::Result<u64> {
    let mut buf = vec![0u8; 256 * 1024];
    let mut carried = 0usize;
    let mut line = 1u64;
    let mut so_far = LineSoFar::default();
    let mut total = 0u64;
    loop {
        let n = match r.read(&mut buf[carried..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        let at_end = n == 0;
        let filled = carried + n;
        let data = &buf[..filled];
        carried = 0;
        if data.is_ascii() {
            let newlines = count_newlines(data);
            if newlines > 0 {
                if let Some(v) = so_far.verdict() {
                    each(line, v);
                }
                so_far = LineSoFar::default();
                line += newlines;
            }
        } else {
            let mut start = 0;
            while start < filled {
                match find_newline(&data[start..]) {
                    Some(i) => {
                        so_far.scan(&data[start..start + i], false);
                        if let Some(v) = so_far.verdict() {
                            each(line, v);
                        }
                        so_far = LineSoFar::default();
                        line += 1;
                        start += i + 1;
                    }
                    None => {
                        carried = so_far.scan(&data[start..], !at_end);
                        start = filled;
                    }
                }
            }
            buf.copy_within(filled - carried..filled, 0);
        }
        if at_end {
            if let Some(v) = so_far.verdict() {
                each(line, v);
            }
            return Ok(total);
        }
    }
}

/// The first pass over an 8-bit file: how many lines are UTF-8 and how many are not.
#[derive(Debug, Default)]
struct Census {
    utf8_lines: u64,
    not_utf8_lines: u64,
    bytes: u64,
}

/// Which lines the second pass must list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlanNeeds {
    /// Every line reads in the file's encoding.
    Nothing,
    /// UTF-8 file: the lines that are not UTF-8.
    NotUtf8Lines,
    /// Windows-1252 file: the lines that are UTF-8.
    Utf8Lines,
}

impl Census {
    fn take(r: &mut impl Read) -> io::Result<Self> {
        let mut census = Census::default();
        census.bytes = scan_lines(r, |_, bytes| match bytes {
            LineBytes::Utf8 => census.utf8_lines += 1,
            LineBytes::NotUtf8 { .. } => census.not_utf8_lines += 1,
        })?;
        Ok(census)
    }

    /// The file's encoding, and which lines read otherwise.
    fn verdict(&self, utf8_bom: bool) -> (&'static Encoding, PlanNeeds) {
        if self.not_utf8_lines == 0 {
            (UTF_8, PlanNeeds::Nothing)
        } else if utf8_bom || self.utf8_lines >= self.not_utf8_lines {
            (UTF_8, PlanNeeds::NotUtf8Lines)
        } else if self.utf8_lines == 0 {
            (WINDOWS_1252, PlanNeeds::Nothing)
        } else {
            (WINDOWS_1252, PlanNeeds::Utf8Lines)
        }
    }
}

fn collect_exceptions(r: &mut impl Read, needs: PlanNeeds) -> io::Result<LinePlan> {
    let mut exceptions = Vec::new();
    let default = match needs {
        PlanNeeds::Utf8Lines => {
            scan_lines(r, |line, bytes| {
                if bytes == LineBytes::Utf8 {
                    exceptions.push((line, LineDecoding::Utf8));
                }
            })?;
            LineDecoding::With(WINDOWS_1252)
        }
        PlanNeeds::NotUtf8Lines | PlanNeeds::Nothing => {
            scan_lines(r, |line, bytes| match bytes {
                LineBytes::Utf8 => {}
                LineBytes::NotUtf8 {
                    with_utf8_characters: false,
                } => exceptions.push((line, LineDecoding::With(WINDOWS_1252))),
                LineBytes::NotUtf8 {
                    with_utf8_characters: true,
                } => exceptions.push((line, LineDecoding::With(UTF_8))),
            })?;
            LineDecoding::Utf8
        }
    };
    Ok(LinePlan {
        default,
        exceptions,
    })
}

fn line_warnings(encoding: &'static Encoding, plan: &LinePlan) -> Vec<ImportProblem> {
    let what = |decoding: LineDecoding| match decoding {
        LineDecoding::Utf8 => format!(
            "this line is UTF-8 while the rest of the file is {}; it was read as UTF-8 (check \
             its accented letters)",
            encoding.name()
        ),
        LineDecoding::With(e) if e == UTF_8 => "this line has bytes that are not valid UTF-8; \
             each was imported as \u{FFFD} (check the line)"
            .to_owned(),
        LineDecoding::With(e) => format!(
            "this line is not UTF-8 like the rest of the file; it was read as {} (check its \
             accented letters)",
            e.name()
        ),
    };
    let mut warnings: Vec<ImportProblem> = plan
        .exceptions
        .iter()
        .take(MAX_LISTED_LINES)
        .map(|&(line, decoding)| ImportProblem::new(line, "encoding", what(decoding)))
        .collect();
    if let (Some(&(first, _)), Some(&(last, _))) = (
        plan.exceptions.get(MAX_LISTED_LINES),
        plan.exceptions.last(),
    ) {
        let more = (plan.exceptions.len() - MAX_LISTED_LINES) as u64;
        warnings.push(ImportProblem::new(
            first,
            "encoding",
            format!(
                "{} more lines from here to line {} were read the same way as the lines above",
                grouped(more),
                grouped(last)
            ),
        ));
    }
    warnings
}

/// Text files have almost no control characters besides tab, CR and LF; binary files (a
/// spreadsheet saved as .xlsx, an image) are full of them once decoded. In UTF-16, undecodable
/// units (U+FFFD) count too; in an 8-bit file U+FFFD only stands for the bad bytes of a damaged
/// UTF-8 line, which is warned about, not refused.
fn looks_binary(sample: &str, count_replacements: bool) -> bool {
    let total = sample.chars().count().max(1);
    let control = sample
        .chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{0C}'))
                || (count_replacements && *c == '\u{FFFD}')
        })
        .count();
    control * 100 > total
}

/// Fails with `message` once more than `left` bytes come (a file that grew after it was
/// checked, or a pipe or device that has no size).
struct SizeCapped<R> {
    inner: R,
    left: u64,
    message: String,
}

impl<R: Read> Read for SizeCapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => Err(io::Error::other(self.message.clone())),
        }
    }
}

/// Decodes the stream to UTF-8 line by line according to a [`LinePlan`]. It looks for line
/// ends only while a line ahead (or the current one) reads otherwise than the default, so a file
/// with no exceptions (UTF-16, Windows-1252) streams through one decoder.
struct LineDecodingReader<R> {
    inner: R,
    default: LineDecoding,
    exceptions: std::iter::Peekable<std::vec::IntoIter<(u64, LineDecoding)>>,
    line: u64,
    current: LineDecoding,
    decoder: Option<Decoder>,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    finished: bool,
    stats: Rc<Cell<DecodeStats>>,
}

impl<R: Read> LineDecodingReader<R> {
    fn new(inner: R, plan: LinePlan, stats: Rc<Cell<DecodeStats>>) -> Self {
        let mut reader = Self {
            inner,
            default: plan.default,
            exceptions: plan.exceptions.into_iter().peekable(),
            line: 0,
            current: plan.default,
            decoder: None,
            input: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            // Any of the decoders writes at most 3 bytes per input byte.
            output: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            finished: false,
            stats,
        };
        reader.start_line();
        reader
    }

    fn start_line(&mut self) {
        self.line += 1;
        self.current = match self.exceptions.next_if(|&(line, _)| line == self.line) {
            Some((_, decoding)) => decoding,
            None => self.default,
        };
        self.decoder = self.current.decoder();
    }

    fn watching_line_ends(&mut self) -> bool {
        self.current != self.default || self.exceptions.peek().is_some()
    }

    fn refill(&mut self) -> io::Result<()> {
        if self.in_start == self.in_end {
            self.in_start = 0;
            self.in_end = loop {
                match self.inner.read(&mut self.input) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
        }
        let at_end = self.in_end == 0;
        let watching = self.watching_line_ends();
        let pending = &self.input[self.in_start..self.in_end];
        let (piece, ends_line) = match watching {
            true => match find_newline(pending) {
                Some(i) => (&pending[..=i], true),
                None => (pending, false),
            },
            false => (pending, false),
        };
        let (consumed, written) = match &mut self.decoder {
            None => {
                let n = piece.len().min(self.output.len());
                self.output[..n].copy_from_slice(&piece[..n]);
                (n, n)
            }
            Some(decoder) => {
                let (_, consumed, written, _) =
                    decoder.decode_to_utf8(piece, &mut self.output, ends_line || at_end);
                (consumed, written)
            }
        };
        let whole_piece = consumed == piece.len();
        self.in_start += consumed;
        let mut stats = self.stats.get();
        stats.file_bytes += consumed as u64;
        stats.text_bytes += written as u64;
        self.stats.set(stats);
        self.out_start = 0;
        self.out_end = written;
        if at_end {
            self.finished = true;
        } else if ends_line && whole_piece {
            self.start_line();
        }
        Ok(())
    }
}

impl<R: Read> Read for LineDecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_start == self.out_end {
            if self.finished {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_bytes(bytes: &[u8]) -> TextSource {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.csv");
        std::fs::write(&p, bytes).unwrap();
        open(&p, u64::MAX).unwrap()
    }

    fn read_all(bytes: &[u8]) -> (String, &'static str) {
        let mut src = open_bytes(bytes);
        let mut s = String::new();
        src.reader.read_to_string(&mut s).unwrap();
        let stats = src.decoding.get();
        if src.encoding != UTF_8 {
            let bom =
                usize::from(bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]))
                    * 2;
            assert_eq!(stats.file_bytes, (bytes.len() - bom) as u64);
            assert_eq!(stats.text_bytes, s.len() as u64);
        } else {
            assert_eq!(stats, DecodeStats::default());
        }
        assert!(src.warnings.is_empty(), "{:?}", src.warnings);
        (s, src.encoding.name())
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian {
                &[0xFE, 0xFF]
            } else {
                &[0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            let b = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    }

    const TEXT: &str = "Name,City\r\nJosé Peña,Montréal ’quoted’\r\n";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(read_all(TEXT.as_bytes()), (TEXT.to_owned(), "UTF-8"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(TEXT.as_bytes());
        assert_eq!(read_all(&bom), (TEXT.to_owned(), "UTF-8"));
    }

    #[test]
    fn utf16_by_bom_and_by_nul_pattern() {
        assert_eq!(
            read_all(&utf16(TEXT, false, true)),
            (TEXT.to_owned(), "UTF-16LE")
        );
        assert_eq!(
            read_all(&utf16(TEXT, true, true)),
            (TEXT.to_owned(), "UTF-16BE")
        );
        assert_eq!(
            read_all(&utf16(TEXT, false, false)),
            (TEXT.to_owned(), "UTF-16LE")
        );
        assert_eq!(
            read_all(&utf16(TEXT, true, false)),
            (TEXT.to_owned(), "UTF-16BE")
        );
    }

    #[test]
    fn windows_1252_when_not_utf8() {
        let (bytes, _, _) = WINDOWS_1252.encode(TEXT);
        assert_eq!(read_all(&bytes), (TEXT.to_owned(), "windows-1252"));
    }

    #[test]
    fn a_long_utf16_file_decodes_across_buffer_boundaries() {
        let text: String = (0..20_000).map(|i| format!("{i},Zoë’s shop\n")).collect();
        assert_eq!(read_all(&utf16(&text, false, true)).0, text);
    }

    /// Lines of `text`, each encoded as UTF-8 or, for the line numbers in `cp1252_lines`,
    /// as Windows-1252.
    fn mixed(lines: &[&str], cp1252_lines: &[u64]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let line = format!("{l}\n");
            if cp1252_lines.contains(&(i as u64 + 1)) {
                out.extend_from_slice(&WINDOWS_1252.encode(&line).0);
            } else {
                out.extend_from_slice(line.as_bytes());
            }
        }
        out
    }

    fn decode(bytes: &[u8]) -> (String, &'static str, Vec<ImportProblem>) {
        let mut src = open_bytes(bytes);
        let mut s = String::new();
        src.reader.read_to_string(&mut s).unwrap();
        (s, src.encoding.name(), src.warnings)
    }

    #[test]
    fn a_utf8_file_with_one_windows_1252_line_stays_utf8_and_names_the_line() {
        let lines = [
            "Name,City",
            "José Müller,Köln",
            "Zoë Peña,Montréal",
            "Renée Faßbender,Düsseldorf",
            "Ann Lee,Austin",
        ];
        let (text, encoding, warnings) = decode(&mixed(&lines, &[4]));
        assert_eq!(encoding, "UTF-8");
        assert_eq!(text, lines.map(|l| format!("{l}\n")).concat());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            (warnings[0].line, warnings[0].field.as_str()),
            (4, "encoding")
        );
        assert!(
            warnings[0]
                .message
                .starts_with("line 4: this line is not UTF-8")
                && warnings[0].message.contains("windows-1252"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn a_damaged_utf8_line_keeps_its_good_characters_and_replaces_the_bad_byte() {
        let mut bytes = "Name,City\nJosé Müller,Köln\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"Ren\xc3\xa9e \xff Faber,K\xc3\xb6ln\n");
        bytes.extend_from_slice("Zoë,Paris\n".as_bytes());
        let (text, encoding, warnings) = decode(&bytes);
        assert_eq!(encoding, "UTF-8");
        assert_eq!(
            text,
            "Name,City\nJosé Müller,Köln\nRenée \u{FFFD} Faber,Köln\nZoë,Paris\n"
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 3);
        assert!(
            warnings[0].message.contains('\u{FFFD}'),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn a_character_cut_at_the_end_of_a_line_is_replaced_not_carried_into_the_next() {
        let mut bytes = "Name\nJosé\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"Jos\xc3\nZo\xc3\xab\n");
        let (text, encoding, warnings) = decode(&bytes);
        assert_eq!(encoding, "UTF-8");
        // Line 3 has no valid multi-byte character: read as Windows-1252.
        assert_eq!(text, "Name\nJosé\nJosÃ\nZoë\n");
        assert_eq!(warnings.iter().map(|w| w.line).collect::<Vec<_>>(), [3]);
    }

    #[test]
    fn a_windows_1252_file_with_some_utf8_lines_reads_each_line_as_it_is() {
        let lines = [
            "Name,City",
            "José Müller,Köln",
            "Zoë Peña,Montréal",
            "Renée Faßbender,Düsseldorf",
            "Ann Lee,Austin",
            "Bjørn Ødegård,Tromsø",
        ];
        let (text, encoding, warnings) = decode(&mixed(&lines, &[2, 3, 4]));
        assert_eq!(encoding, "windows-1252");
        assert_eq!(text, lines.map(|l| format!("{l}\n")).concat());
        assert_eq!(warnings.iter().map(|w| w.line).collect::<Vec<_>>(), [6]);
        assert!(
            warnings[0]
                .message
                .contains("is UTF-8 while the rest of the file is windows-1252")
        );
    }

    #[test]
    fn a_utf8_bom_keeps_the_file_utf8_however_many_lines_are_not() {
        let lines = ["Name,City", "José,Köln", "Zoë,Montréal", "Renée,Düsseldorf"];
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(mixed(&lines, &[3, 4]));
        let (text, encoding, warnings) = decode(&bytes);
        assert_eq!(encoding, "UTF-8");
        assert_eq!(text, lines.map(|l| format!("{l}\n")).concat());
        assert_eq!(warnings.iter().map(|w| w.line).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn a_real_windows_1252_file_decodes_whole_and_silently() {
        let mut text = String::from("Name,City,Notes\r\n");
        for i in 0..5_000 {
            text.push_str(&format!(
                "Zoë Müller {i},Montréal,“Gift” – £5 … ½ price ©\r\n"
            ));
        }
        let (bytes, _, unmappable) = WINDOWS_1252.encode(&text);
        assert!(!unmappable);
        assert_eq!(read_all(&bytes), (text, "windows-1252"));
    }

    #[test]
    fn lines_split_across_read_buffers_are_judged_whole() {
        // Long enough that lines and characters straddle the 256 KB scan buffer and the 64 KB
        // decoding buffer.
        let mut lines: Vec<String> = vec!["Name,City".into()];
        for i in 0..30_000 {
            lines.push(format!("Zoë Peña {i},Montréal"));
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let bad: Vec<u64> = (2..30_000).step_by(997).collect();
        let (text, encoding, warnings) = decode(&mixed(&refs, &bad));
        assert_eq!(encoding, "UTF-8");
        assert_eq!(
            text,
            refs.iter().map(|l| format!("{l}\n")).collect::<String>()
        );
        assert_eq!(warnings.iter().map(|w| w.line).collect::<Vec<_>>(), bad);
    }

    #[test]
    fn many_bad_lines_are_listed_up_to_a_limit_then_counted() {
        let mut lines: Vec<String> = vec!["Name".into()];
        for i in 0..1_000 {
            lines.push(format!("Zoë {i}"));
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let bad: Vec<u64> = (2..=300).collect();
        let (_, encoding, warnings) = decode(&mixed(&refs, &bad));
        assert_eq!(encoding, "UTF-8");
        assert_eq!(warnings.len(), MAX_LISTED_LINES + 1);
        let last = warnings.last().unwrap();
        assert_eq!(last.line, 2 + MAX_LISTED_LINES as u64);
        assert!(
            last.message
                .contains("199 more lines from here to line 300"),
            "{}",
            last.message
        );
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        std::fs::write(&p, "Name,City\n".repeat(2_000)).unwrap();
        let e = open(&p, 10_000).err().unwrap();
        assert_eq!(
            e.message,
            "big.csv is 20 KB; Shipdesk imports files up to 10 KB. Split it into smaller files, \
             or raise the import's size limit."
        );
        assert!(open(&p, 20_000).is_ok());
    }

    #[test]
    fn binary_and_empty_files_are_refused_with_a_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("junk.csv");
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(&p, junk).unwrap();
        let e = open(&p, u64::MAX).err().unwrap();
        assert!(e.message.contains("binary"), "{}", e.message);
        std::fs::write(&p, " \r\n").unwrap();
        assert!(open(&p, u64::MAX).err().unwrap().message.contains("empty"));
        let missing = open(&dir.path().join("nope.csv"), u64::MAX).err().unwrap();
        assert!(missing.message.contains("Cannot read"));
    }
}
