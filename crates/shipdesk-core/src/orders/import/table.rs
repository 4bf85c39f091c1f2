//! The file as a table: a header row and records, each with the line it starts on (what people
//! see in a text editor or a spreadsheet, counting the header as line 1). The csv crate does the
//! quoting (commas and newlines inside quotes, doubled quotes, CRLF or LF); this layer adds what
//! it leaves to its caller: finding the header after leading blank lines, telling a quote that is
//! never closed (it silently swallows the rest of the file) from a legitimate multi-line field, and
//! rows with the wrong number of columns.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::io::Read;
use std::rc::Rc;

use csv::{ByteRecord, ReaderBuilder};

use super::ImportProblem;
use crate::error::{AppError, AppResult};

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

struct LineTracking {
    inner: Box<dyn Read>,
    index: Rc<RefCell<NewlineIndex>>,
}

impl Read for LineTracking {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut index = self.index.borrow_mut();
        let base = index.offset;
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' {
                index.pending.push_back(base + i as u64);
            }
        }
        index.offset += n as u64;
        Ok(n)
    }
}

pub(crate) struct Table {
    pub columns: Columns,
    reader: csv::Reader<LineTracking>,
    newlines: Rc<RefCell<NewlineIndex>>,
    delimiter: u8,
    lookahead: Option<Record>,
    raw: ByteRecord,
}

fn io_error(e: csv::Error) -> AppError {
    AppError::validation(format!("The file could not be read: {e}"))
}

impl Table {
    pub fn open(reader: Box<dyn Read>, delimiter: u8) -> AppResult<Self> {
        let newlines = Rc::new(RefCell::new(NewlineIndex::default()));
        let reader = LineTracking {
            inner: reader,
            index: newlines.clone(),
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
        };
        let header = loop {
            match table.read_raw()? {
                None => return Err(AppError::validation("The file has no header row")),
                Some(r) if r.fields.iter().all(|f| f.trim().is_empty()) => continue,
                Some(r) => break r,
            }
        };
        table.lookahead = table.read_raw()?;
        table.check_unclosed_quote(&header, header.fields.len().max(2))?;
        table.columns = Columns::new(header.fields.iter().map(|h| h.trim().to_owned()).collect());
        Ok(table)
    }

    fn read_raw(&mut self) -> AppResult<Option<Record>> {
        if !self
            .reader
            .read_byte_record(&mut self.raw)
            .map_err(io_error)?
        {
            return Ok(None);
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
            .with_details(crate::error::ErrorDetails::ImportLine { line: rec.line }));
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
        Table::open(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            delimiter,
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

    #[test]
    fn header_only_and_empty() {
        let mut t = table("a\tb\n", b'\t').unwrap();
        assert!(rows(&mut t).is_empty());
        assert!(table("\n\n", b',').is_err());
    }
}
