//! The file as a table: a header row and records, each with the line it starts on (what people
//! see in a text editor or a spreadsheet, counting the header as line 1). The csv crate does the
//! quoting (commas and newlines inside quotes, doubled quotes, CRLF or LF); this layer adds what
//! it leaves to its caller: finding the header after leading blank lines, telling a quote that is
//! never closed (it silently swallows the rest of the file) from a legitimate multi-line field,
//! rows with the wrong number of columns, and the size limits ([`super::ImportLimits`]).
//!
//! The limits are enforced on the bytes on their way *into* the csv reader, which would otherwise
//! grow a record to whatever the file holds (a million columns, a quote never closed): a
//! [`RecordShape`] follows the same quoting rules as the csv crate, byte by byte, and stops the
//! stream at the first byte too many. For too many columns it reads on to the end of that record,
//! counting without keeping anything, so the error can say how many there are.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::io::Read;
use std::rc::Rc;

use csv::{ByteRecord, ReaderBuilder};

use super::source::{count_newlines, find_byte, find_newline};
use super::{ImportLimits, ImportProblem, grouped, human_size};
use crate::error::{AppError, AppResult, ErrorDetails};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub line: u64,
    pub fields: Vec<String>,
}

/// A record that does not fit the header, with what is wrong. The record is kept so the caller
/// can still tell which order it belonged to (its key column usually comes before the damage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadRow {
    pub problem: ImportProblem,
    pub record: Record,
}

/// Header names to column positions, matched case- and space-insensitively.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub names: Vec<String>,
    /// Headers as written: the formats ask with the exact spelling, so most lookups hit here
    /// without allocating a lower-cased key.
    exact: HashMap<String, usize>,
    index: HashMap<String, usize>,
}

pub(crate) fn header_key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Columns {
    pub fn new(names: Vec<String>) -> Self {
        let mut index = HashMap::new();
        let mut exact = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            index.entry(header_key(n)).or_insert(i);
            exact.entry(n.trim().to_owned()).or_insert(i);
        }
        Self {
            names,
            exact,
            index,
        }
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        self.exact
            .get(name)
            .or_else(|| self.index.get(&header_key(name)))
            .copied()
    }

    pub fn has(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// The trimmed value of column `name` in `rec`, or `""` if there is no such column.
    pub fn get<'r>(&self, rec: &'r Record, name: &str) -> &'r str {
        self.position(name)
            .and_then(|i| rec.fields.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }
}

/// Where the newlines of the stream are, so a record's line can be told exactly. (The csv
/// crate's own line count skips blank lines and lags on CRLF.) Only newlines not yet passed by
/// the reader are kept.
#[derive(Default)]
struct NewlineIndex {
    pending: VecDeque<u64>,
    passed: u64,
    offset: u64,
}

impl NewlineIndex {
    /// How many newlines come before byte `pos`; `pos` must not decrease between calls.
    fn count_before(&mut self, pos: u64) -> u64 {
        while self.pending.front().is_some_and(|&p| p < pos) {
            self.pending.pop_front();
            self.passed += 1;
        }
        self.passed
    }
}

/// A record or value over the limits, found before the csv reader buffered it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OverLimit {
    /// The record starting on `line` has `columns` columns (counted to its end).
    Columns { line: u64, columns: u64 },
    /// The value in `column` (1-based) starting on `line` is longer than allowed.
    Field {
        line: u64,
        column: u64,
        /// It opened with a quote and ran over line ends: likely a quote never closed.
        quoted_over_lines: bool,
        header: bool,
    },
}

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for OverLimit {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    /// Before the first byte of a record (blank lines are skipped here).
    RecordStart,
    /// Before the first byte of a field that follows a delimiter.
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: closing it, or the first of a doubled quote.
    QuoteInQuoted,
}

/// Where the stream is in terms of records and fields, with the csv crate's default quoting
/// (`"` quotes, `""` escapes, `\r`, `\n` or `\r\n` end a record outside quotes, a quote inside an
/// unquoted field is literal).
struct RecordShape {
    delimiter: u8,
    limits: ImportLimits,
    state: QuoteState,
    /// The line of the byte being looked at.
    line: u64,
    record_line: u64,
    field_line: u64,
    field_quoted: bool,
    /// Fields started in the current record.
    fields: u64,
    field_bytes: usize,
    /// Records started so far; the first is the header (blank lines are not records).
    records: u64,
    /// Set once the record has too many columns: the rest of it is only counted.
    counting_columns: bool,
}

/// What feeding a piece of the stream to a [`RecordShape`] found.
#[derive(Debug, PartialEq, Eq)]
enum Fed {
    /// Every byte is within the limits.
    All,
    /// The byte at `at` goes over a limit; the bytes before it are fine.
    Over { at: usize, over: OverLimit },
    /// The byte at `at` starts one column too many: the bytes before it are fine, and the rest of
    /// the record is to be fed on to be counted, until the [`OverLimit::Columns`] it ends with.
    TooManyColumns { at: usize },
}

impl RecordShape {
    fn new(delimiter: u8, limits: ImportLimits) -> Self {
        Self {
            delimiter,
            limits,
            state: QuoteState::RecordStart,
            line: 1,
            record_line: 1,
            field_line: 1,
            field_quoted: false,
            fields: 0,
            field_bytes: 0,
            records: 0,
            counting_columns: false,
        }
    }

    /// Follows `bytes`. Runs of bytes that only lengthen the current value are skipped in a
    /// tight loop; the others go through [`Self::step`].
    fn feed(&mut self, bytes: &[u8]) -> Fed {
        let mut i = 0;
        while i < bytes.len() {
            if self.counting_columns {
                let end = self.count_run(bytes, i);
                if end > i {
                    i = end;
                    continue;
                }
            }
            let end = self.skip_run(bytes, i);
            if end > i {
                if !self.counting_columns {
                    let room =
                        self.max_field_bytes() - self.field_bytes.min(self.max_field_bytes());
                    if end - i > room {
                        return Fed::Over {
                            at: i + room,
                            over: self.field_over(),
                        };
                    }
                    self.field_bytes += end - i;
                }
                i = end;
                continue;
            }
            let was_counting = self.counting_columns;
            if let Err(over) = self.step(bytes[i]) {
                return Fed::Over { at: i, over };
            }
            if self.counting_columns && !was_counting {
                return Fed::TooManyColumns { at: i };
            }
            i += 1;
        }
        Fed::All
    }

    /// Counting the columns of a record already over the limit: follows unquoted values and
    /// delimiters up to the next quote or line end (left to [`Self::step`]); returns where.
    fn count_run(&mut self, bytes: &[u8], from: usize) -> usize {
        let delimiter = self.delimiter;
        let mut at_field_start = match self.state {
            QuoteState::FieldStart => true,
            QuoteState::Unquoted => false,
            _ => return from,
        };
        let mut fields = self.fields;
        let mut i = from;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' || b == b'\r' || b == b'\n' {
                break;
            }
            if at_field_start {
                fields += 1;
            }
            at_field_start = b == delimiter;
            i += 1;
        }
        if i > from {
            self.fields = fields;
            self.state = if at_field_start {
                QuoteState::FieldStart
            } else {
                QuoteState::Unquoted
            };
        }
        i
    }

    /// Where the run of plain value bytes starting at `from` ends: in an unquoted value, up to
    /// a delimiter or line end; in a quoted one, up to a quote (counting the lines it spans).
    fn skip_run(&mut self, bytes: &[u8], from: usize) -> usize {
        let mut i = from;
        match self.state {
            QuoteState::Unquoted => {
                let delimiter = self.delimiter;
                while i < bytes.len() {
                    let b = bytes[i];
                    if b == delimiter || b == b'\r' || b == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            QuoteState::Quoted => {
                let end = find_byte(&bytes[from..], b'"').map_or(bytes.len(), |p| from + p);
                self.line += count_newlines(&bytes[from..end]);
                i = end;
            }
            QuoteState::RecordStart | QuoteState::FieldStart | QuoteState::QuoteInQuoted => {}
        }
        i
    }

    fn step(&mut self, b: u8) -> Result<(), OverLimit> {
        let result = self.advance(b);
        if b == b'\n' {
            self.line += 1;
        }
        result
    }

    /// The end of the stream: a record still being counted ends here.
    fn finish(&mut self) -> Result<(), OverLimit> {
        self.end_record()
    }

    fn advance(&mut self, b: u8) -> Result<(), OverLimit> {
        match self.state {
            QuoteState::RecordStart => {
                if matches!(b, b'\r' | b'\n') {
                    return Ok(());
                }
                self.records += 1;
                self.record_line = self.line;
                self.fields = 0;
                self.field_start(b)
            }
            QuoteState::FieldStart => self.field_start(b),
            QuoteState::Unquoted => self.unquoted(b),
            QuoteState::Quoted => {
                if b == b'"' {
                    self.state = QuoteState::QuoteInQuoted;
                    Ok(())
                } else {
                    self.grow()
                }
            }
            QuoteState::QuoteInQuoted => {
                if b == b'"' {
                    self.state = QuoteState::Quoted;
                    self.grow()
                } else {
                    self.unquoted(b)
                }
            }
        }
    }

    fn field_start(&mut self, b: u8) -> Result<(), OverLimit> {
        self.fields += 1;
        if self.fields > self.limits.max_columns as u64 {
            self.counting_columns = true;
        }
        self.field_line = self.line;
        self.field_bytes = 0;
        self.field_quoted = b == b'"';
        if self.field_quoted {
            self.state = QuoteState::Quoted;
            Ok(())
        } else {
            self.unquoted(b)
        }
    }

    fn unquoted(&mut self, b: u8) -> Result<(), OverLimit> {
        if b == self.delimiter {
            self.state = QuoteState::FieldStart;
            Ok(())
        } else if matches!(b, b'\r' | b'\n') {
            self.state = QuoteState::RecordStart;
            self.end_record()
        } else {
            self.state = QuoteState::Unquoted;
            self.grow()
        }
    }

    fn end_record(&mut self) -> Result<(), OverLimit> {
        if self.counting_columns {
            self.counting_columns = false;
            return Err(OverLimit::Columns {
                line: self.record_line,
                columns: self.fields,
            });
        }
        Ok(())
    }

    /// The first record is the header, whose names have their own, smaller limit.
    fn max_field_bytes(&self) -> usize {
        if self.records == 1 {
            self.limits.max_header_name_bytes
        } else {
            self.limits.max_field_bytes
        }
    }

    fn field_over(&self) -> OverLimit {
        OverLimit::Field {
            line: self.field_line,
            column: self.fields,
            quoted_over_lines: self.field_quoted && self.line > self.field_line,
            header: self.records == 1,
        }
    }

    fn grow(&mut self) -> Result<(), OverLimit> {
        if self.counting_columns {
            return Ok(());
        }
        self.field_bytes += 1;
        if self.field_bytes > self.max_field_bytes() {
            return Err(self.field_over());
        }
        Ok(())
    }
}

/// The text stream on its way into the csv reader: records where its newlines are, and stops it
/// at the first byte over the limits (see the module docs). The bytes before that byte are
/// still handed on, so the records that end before it (the header) are read whole and the
/// error can name the column; the error comes with the next read.
struct LineTracking {
    inner: Box<dyn Read>,
    index: Rc<RefCell<NewlineIndex>>,
    shape: RecordShape,
    failed: Option<OverLimit>,
    /// Read but not handed on: the rest of a record with too many columns, still to count.
    uncounted: Vec<u8>,
}

impl LineTracking {
    fn fail(&mut self, over: OverLimit) -> std::io::Error {
        self.failed = Some(over.clone());
        std::io::Error::other(over)
    }

    /// A record has too many columns: reads on to its end without keeping anything, to count
    /// them, and fails.
    fn count_to_record_end(&mut self) -> std::io::Error {
        let uncounted = std::mem::take(&mut self.uncounted);
        if let Fed::Over { over, .. } = self.shape.feed(&uncounted) {
            return self.fail(over);
        }
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = match self.inner.read(&mut chunk) {
                Ok(n) => n,
                Err(e) => return e,
            };
            if n == 0 {
                return match self.shape.finish() {
                    Err(over) => self.fail(over),
                    Ok(()) => std::io::Error::other("the record ended without its count"),
                };
            }
            if let Fed::Over { over, .. } = self.shape.feed(&chunk[..n]) {
                return self.fail(over);
            }
        }
    }
}

impl Read for LineTracking {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(over) = &self.failed {
            return Err(std::io::Error::other(over.clone()));
        }
        if self.shape.counting_columns {
            return Err(self.count_to_record_end());
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            if let Err(over) = self.shape.finish() {
                return Err(self.fail(over));
            }
            return Ok(0);
        }
        let good = match self.shape.feed(&buf[..n]) {
            Fed::All => n,
            Fed::Over { at, over } => {
                self.failed = Some(over);
                at
            }
            Fed::TooManyColumns { at } => {
                self.uncounted = buf[at + 1..n].to_vec();
                at
            }
        };
        if good == 0 {
            // Nothing to hand on, and an empty read would mean the end of the stream.
            return match self.failed.clone() {
                Some(over) => Err(std::io::Error::other(over)),
                None => Err(self.count_to_record_end()),
            };
        }
        let mut index = self.index.borrow_mut();
        let base = index.offset;
        let mut from = 0;
        while let Some(i) = find_newline(&buf[from..good]) {
            index.pending.push_back(base + (from + i) as u64);
            from += i + 1;
        }
        index.offset += good as u64;
        Ok(good)
    }
}

pub(crate) struct Table {
    pub columns: Columns,
    reader: csv::Reader<LineTracking>,
    newlines: Rc<RefCell<NewlineIndex>>,
    delimiter: u8,
    lookahead: Option<Record>,
    raw: ByteRecord,
    /// The file's name, for the limit errors.
    file: String,
    limits: ImportLimits,
}

impl Table {
    /// Reads the header of the text in `reader` (the file `file`, named in limit errors).
    pub fn open(
        reader: Box<dyn Read>,
        delimiter: u8,
        limits: ImportLimits,
        file: &str,
    ) -> AppResult<Self> {
        let newlines = Rc::new(RefCell::new(NewlineIndex::default()));
        let reader = LineTracking {
            inner: reader,
            index: newlines.clone(),
            shape: RecordShape::new(delimiter, limits),
            failed: None,
            uncounted: Vec::new(),
        };
        let reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(reader);
        let mut table = Self {
            columns: Columns::new(Vec::new()),
            reader,
            newlines,
            delimiter,
            lookahead: None,
            raw: ByteRecord::new(),
            file: file.to_owned(),
            limits,
        };
        let header = loop {
            match table.read_raw()? {
                None => return Err(AppError::validation("The file has no header row")),
                Some(r) if r.fields.iter().all(|f| f.trim().is_empty()) => continue,
                Some(r) => break r,
            }
        };
        table.columns = Columns::new(header.fields.iter().map(|h| h.trim().to_owned()).collect());
        table.lookahead = table.read_raw()?;
        table.check_unclosed_quote(&header, header.fields.len().max(2))?;
        Ok(table)
    }

    /// A read error as the user should see it: a limit names the file, line and column.
    fn read_error(&self, e: csv::Error) -> AppError {
        let over = match e.kind() {
            csv::ErrorKind::Io(io) => io.get_ref().and_then(|e| e.downcast_ref::<OverLimit>()),
            _ => None,
        };
        let Some(over) = over else {
            return AppError::validation(format!("The file could not be read: {e}"));
        };
        let (line, message) = match *over {
            OverLimit::Columns { line, columns } => (
                line,
                format!(
                    "line {line} of {} has {} columns; Shipdesk reads up to {}. Is this an \
                     order file?",
                    self.file,
                    grouped(columns),
                    grouped(self.limits.max_columns as u64)
                ),
            ),
            OverLimit::Field {
                line,
                column,
                quoted_over_lines,
                header,
            } => {
                let named = match self.columns.names.get(column as usize - 1) {
                    Some(name) if !header && !name.is_empty() => {
                        format!(" (\u{201c}{name}\u{201d})")
                    }
                    _ => String::new(),
                };
                let what = if header {
                    format!(
                        "the column name is longer than {}, the most Shipdesk reads",
                        human_size(self.limits.max_header_name_bytes as u64)
                    )
                } else {
                    format!(
                        "the value is longer than {}, the most Shipdesk reads",
                        human_size(self.limits.max_field_bytes as u64)
                    )
                };
                let hint = if quoted_over_lines {
                    " It opens with a quote and runs over several lines: is its closing quote \
                     missing?"
                } else {
                    ""
                };
                (
                    line,
                    format!(
                        "line {line}, column {column}{named} of {}: {what}.{hint}",
                        self.file
                    ),
                )
            }
        };
        AppError::validation(message).with_details(ErrorDetails::ImportLine { line })
    }

    fn read_raw(&mut self) -> AppResult<Option<Record>> {
        match self.reader.read_byte_record(&mut self.raw) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(e) => return Err(self.read_error(e)),
        }
        // The record ends just before the reader's position (after its terminator, or after the
        // `\r` of a CRLF, or at the end of the stream): its last line is one more than the
        // newlines before its last byte, and its first line that minus its embedded newlines.
        // (A quote left open to the end of the file makes the last byte part of the field.)
        let fields: Vec<String> = self
            .raw
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        let last_byte_in_field = fields.last().is_some_and(|f| f.ends_with('\n'));
        let end = self.reader.position().byte();
        let upto = if last_byte_in_field {
            end
        } else {
            end.saturating_sub(1)
        };
        let before = self.newlines.borrow_mut().count_before(upto);
        let embedded: u64 = fields.iter().map(|f| f.matches('\n').count() as u64).sum();
        let line = 1 + before - embedded.min(before);
        Ok(Some(Record { line, fields }))
    }

    /// A quote that is opened and never closed makes the csv reader take everything up to the
    /// end of the file as one field. When the last record has such a field, the file is broken
    /// and importing "the rest" would silently lose rows: refuse it, naming the line.
    fn check_unclosed_quote(&self, rec: &Record, expected: usize) -> AppResult<()> {
        if self.lookahead.is_some() {
            return Ok(());
        }
        let delim = self.delimiter as char;
        let swallowed = rec
            .fields
            .iter()
            .any(|f| f.contains('\n') && (rec.fields.len() != expected || f.contains(delim)));
        if swallowed {
            return Err(AppError::validation(format!(
                "line {}: a quoted field starts here and its closing quote is missing, so the \
                 rest of the file cannot be read. Fix the quote and import again.",
                rec.line
            ))
            .with_details(ErrorDetails::ImportLine { line: rec.line }));
        }
        Ok(())
    }

    /// How many bytes of text the parser has consumed (the stream underneath is read ahead).
    pub fn parsed_text_bytes(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The next data record, or a problem for a row that cannot be read as one. Blank rows
    /// are skipped.
    pub fn next_record(&mut self) -> AppResult<Option<Result<Record, BadRow>>> {
        loop {
            let Some(rec) = self.lookahead.take() else {
                return Ok(None);
            };
            self.lookahead = self.read_raw()?;
            let expected = self.columns.names.len();
            self.check_unclosed_quote(&rec, expected)?;
            if rec.fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let mut rec = rec;
            let extra_filled = rec
                .fields
                .iter()
                .skip(expected)
                .any(|f| !f.trim().is_empty());
            if extra_filled {
                let problem = ImportProblem::new(
                    rec.line,
                    "row",
                    format!(
                        "the row has {} columns but the header has {expected} (is a quote or \
                         delimiter out of place?)",
                        rec.fields.len()
                    ),
                );
                return Ok(Some(Err(BadRow {
                    problem,
                    record: rec,
                })));
            }
            rec.fields.resize(expected, String::new());
            return Ok(Some(Ok(rec)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str, delimiter: u8) -> AppResult<Table> {
        table_with(text, delimiter, ImportLimits::default())
    }

    fn table_with(text: &str, delimiter: u8, limits: ImportLimits) -> AppResult<Table> {
        Table::open(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            delimiter,
            limits,
            "orders.csv",
        )
    }

    fn rows(t: &mut Table) -> Vec<Result<Record, BadRow>> {
        let mut out = Vec::new();
        while let Some(r) = t.next_record().unwrap() {
            out.push(r);
        }
        out
    }

    #[test]
    fn quotes_newlines_crlf_and_line_numbers() {
        let mut t = table(
            "\r\nOrder,Notes,Zip\r\n1,\"Gift, no invoice\",02108\r\n2,\"two\r\nlines\",\r\n\r\n3,\"say \"\"hi\"\"\",x\r\n",
            b',',
        )
        .unwrap();
        assert_eq!(t.columns.names, ["Order", "Notes", "Zip"]);
        let got: Vec<Record> = rows(&mut t).into_iter().map(Result::unwrap).collect();
        assert_eq!(got[0].line, 3);
        assert_eq!(got[0].fields[1], "Gift, no invoice");
        assert_eq!(got[1].fields[1], "two\r\nlines");
        assert_eq!(got[2].line, 7);
        assert_eq!(got[2].fields[1], "say \"hi\"");
        assert_eq!(t.columns.get(&got[0], " zip "), "02108");
        assert_eq!(t.columns.get(&got[0], "missing"), "");
    }

    fn first_error(text: &str) -> AppError {
        let mut t = match table(text, b',') {
            Ok(t) => t,
            Err(e) => return e,
        };
        loop {
            match t.next_record() {
                Err(e) => return e,
                Ok(None) => panic!("no error for {text:?}"),
                Ok(Some(_)) => {}
            }
        }
    }

    #[test]
    fn an_unclosed_quote_is_an_error_naming_its_line() {
        let e = first_error("a,b,c\n1,2,3\n4,\"5,6\n7,8,9\n");
        assert!(e.message.starts_with("line 3:"), "{}", e.message);
        let e = first_error("a,b,c\n1,2,3\n4,5,6\n7,8,\"9\n10,11,12\n");
        assert!(e.message.starts_with("line 4:"), "{}", e.message);
        let e = first_error("a,\"b,c\n1,2,3\n");
        assert!(e.message.starts_with("line 1:"), "{}", e.message);
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_are_problems() {
        let mut t = table("a,b,c\n1,2\n1,2,3,4\n1,2,3,\n", b',').unwrap();
        let got = rows(&mut t);
        assert_eq!(got[0].as_ref().unwrap().fields, ["1", "2", ""]);
        let p = &got[1].as_ref().unwrap_err().problem;
        assert_eq!((p.line, p.field.as_str()), (3, "row"));
        assert!(got[2].is_ok());
    }

    fn limits(max_columns: usize, max_field_bytes: usize, max_header: usize) -> ImportLimits {
        ImportLimits {
            max_columns,
            max_field_bytes,
            max_header_name_bytes: max_header,
            ..ImportLimits::default()
        }
    }

    fn first_error_with(text: &str, limits: ImportLimits) -> AppError {
        let mut t = match table_with(text, b',', limits) {
            Ok(t) => t,
            Err(e) => return e,
        };
        loop {
            match t.next_record() {
                Err(e) => return e,
                Ok(None) => panic!("no error for {text:?}"),
                Ok(Some(_)) => {}
            }
        }
    }

    #[test]
    fn too_many_columns_are_counted_to_the_end_of_the_record() {
        let lim = limits(3, 100, 100);
        let e = first_error_with("a,b,c,d,e\n1,2,3,4,5\n", lim);
        assert_eq!(
            e.message,
            "line 1 of orders.csv has 5 columns; Shipdesk reads up to 3. Is this an order file?"
        );
        assert_eq!(
            e.details.as_deref(),
            Some(&ErrorDetails::ImportLine { line: 1 })
        );
        // Quoted delimiters and newlines are not columns; a data row over the limit is named.
        let e = first_error_with(
            "\r\na,\"b,\nb\",c\r\n1,2,3\r\n\r\n\"x,\"\"y\"\"\",2,3,4,5,6\r\n7,8,9\r\n",
            lim,
        );
        assert!(
            e.message.starts_with("line 6 of orders.csv has 6 columns;"),
            "{}",
            e.message
        );
        // Exactly at the limit is fine, with or without a trailing delimiter's empty column.
        let mut t = table_with("a,b,c\n1,2,\n", b',', lim).unwrap();
        assert_eq!(rows(&mut t).len(), 1);
    }

    #[test]
    fn a_value_over_the_limit_names_its_line_column_and_header() {
        let lim = limits(10, 8, 6);
        let e = first_error_with("Order,Notes\n1,short\n2,123456789\n", lim);
        assert_eq!(
            e.message,
            "line 3, column 2 (\u{201c}Notes\u{201d}) of orders.csv: the value is longer than 8 \
             bytes, the most Shipdesk reads."
        );
        assert_eq!(
            e.details.as_deref(),
            Some(&ErrorDetails::ImportLine { line: 3 })
        );
        // A quote never closed runs into the limit at its own line, with a hint.
        let e = first_error_with("Order,Notes\n1,ok\n2,\"open\n3,x\n4,y\n", lim);
        assert!(
            e.message.starts_with("line 3, column 2 (")
                && e.message
                    .ends_with("runs over several lines: is its closing quote missing?"),
            "{}",
            e.message
        );
        // Doubled quotes count as one byte each; exactly at the limit is fine.
        let mut t = table_with("Order,Notes\n1,\"12\"\"4567\"\n", b',', lim).unwrap();
        assert_eq!(rows(&mut t)[0].as_ref().unwrap().fields[1], "12\"4567");
        let e = first_error_with("Order,Notes,Weight (lb)\n", lim);
        assert_eq!(
            e.message,
            "line 1, column 3 of orders.csv: the column name is longer than 6 bytes, the most \
             Shipdesk reads."
        );
    }

    #[test]
    fn header_only_and_empty() {
        let mut t = table("a\tb\n", b'\t').unwrap();
        assert!(rows(&mut t).is_empty());
        assert!(table("\n\n", b',').is_err());
    }
}
