//! Opening an export file as UTF-8 text, whatever it was saved as. Marketplaces and spreadsheets
//! write UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text", Amazon reports on some
//! machines) and Windows-1252 (Excel's "CSV" on Windows), and never say which: the encoding is
//! detected from the BOM, the NUL-byte pattern of UTF-16, or by checking the whole file is valid
//! UTF-8, with Windows-1252 as the fallback that can decode any byte. Text is decoded as a stream,
//! so a large file is never held in memory.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::error::{AppError, AppResult};

/// How much of the start of a file the sniffers look at.
const SAMPLE_BYTES: usize = 64 * 1024;

/// What the decoder has consumed and produced so far; stays zero for UTF-8 (not decoded).
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
    pub file_len: u64,
    /// File bytes per text byte so far (1 for UTF-8), to turn a position in the text back into
    /// a share of the file for progress estimates.
    pub decoding: Rc<Cell<DecodeStats>>,
    pub reader: Box<dyn Read>,
    /// The decoded start of the file, for delimiter sniffing and format detection.
    pub sample: String,
}

fn unreadable(path: &Path, e: &io::Error) -> AppError {
    AppError::validation(format!("Cannot read {}: {e}", path.display()))
}

pub(crate) fn open(path: &Path) -> AppResult<TextSource> {
    let mut file = File::open(path).map_err(|e| unreadable(path, &e))?;
    let file_len = file.metadata().map_err(|e| unreadable(path, &e))?.len();
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
    let (encoding, bom_len) = match detect_by_bytes(&head) {
        Some(found) => found,
        None => {
            file.seek(SeekFrom::Start(0))
                .map_err(|e| unreadable(path, &e))?;
            let utf8 = is_utf8(&mut file).map_err(|e| unreadable(path, &e))?;
            (if utf8 { UTF_8 } else { WINDOWS_1252 }, 0)
        }
    };
    let (sample, _) = encoding.decode_without_bom_handling(&head[bom_len..]);
    let sample = sample.into_owned();
    if looks_binary(&sample) {
        return Err(AppError::validation(format!(
            "{} is not a CSV or tab-separated text file (it contains binary data)",
            path.display()
        )));
    }
    file.seek(SeekFrom::Start(bom_len as u64))
        .map_err(|e| unreadable(path, &e))?;
    let decoding = Rc::new(Cell::new(DecodeStats::default()));
    let buffered = BufReader::with_capacity(256 * 1024, file);
    let reader: Box<dyn Read> = if encoding == UTF_8 {
        Box::new(buffered)
    } else {
        Box::new(DecodingReader::new(buffered, encoding, decoding.clone()))
    };
    Ok(TextSource {
        encoding,
        file_len,
        decoding,
        reader,
        sample,
    })
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

/// Whether the whole stream is valid UTF-8 (checked in chunks, carrying a split character over).
fn is_utf8(r: &mut impl Read) -> io::Result<bool> {
    let mut buf = vec![0u8; 256 * 1024];
    let mut carry = 0usize;
    loop {
        let n = r.read(&mut buf[carry..])?;
        let filled = carry + n;
        if n == 0 {
            return Ok(carry == 0);
        }
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carry = filled - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// Text files have almost no control characters besides tab, CR and LF; binary files (a
/// spreadsheet saved as .xlsx, an image) are full of them once decoded.
fn looks_binary(sample: &str) -> bool {
    let total = sample.chars().count().max(1);
    let control = sample
        .chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{0C}')) || *c == '\u{FFFD}'
        })
        .count();
    control * 100 > total
}

/// Decodes any encoding_rs encoding to UTF-8 on the fly.
struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    finished: bool,
    stats: Rc<Cell<DecodeStats>>,
}

impl<R: Read> DecodingReader<R> {
    fn new(inner: R, encoding: &'static Encoding, stats: Rc<Cell<DecodeStats>>) -> Self {
        Self {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            output: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            finished: false,
            stats,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        if self.in_start == self.in_end {
            self.in_start = 0;
            self.in_end = self.inner.read(&mut self.input)?;
        }
        let last = self.in_end == 0;
        let (_, consumed, written, _) = self.decoder.decode_to_utf8(
            &self.input[self.in_start..self.in_end],
            &mut self.output,
            last,
        );
        self.in_start += consumed;
        let mut stats = self.stats.get();
        stats.file_bytes += consumed as u64;
        stats.text_bytes += written as u64;
        self.stats.set(stats);
        self.out_start = 0;
        self.out_end = written;
        if last {
            self.finished = true;
        }
        Ok(())
    }
}

impl<R: Read> Read for DecodingReader<R> {
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

    fn read_all(bytes: &[u8]) -> (String, &'static str) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.csv");
        std::fs::write(&p, bytes).unwrap();
        let mut src = open(&p).unwrap();
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

    #[test]
    fn binary_and_empty_files_are_refused_with_a_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("junk.csv");
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(&p, junk).unwrap();
        let e = open(&p).err().unwrap();
        assert!(e.message.contains("binary"), "{}", e.message);
        std::fs::write(&p, " \r\n").unwrap();
        assert!(open(&p).err().unwrap().message.contains("empty"));
        let missing = open(&dir.path().join("nope.csv")).err().unwrap();
        assert!(missing.message.contains("Cannot read"));
    }
}
