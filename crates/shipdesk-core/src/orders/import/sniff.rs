//! Guessing the delimiter from the start of the file: the candidate (comma, tab, semicolon, pipe)
//! that appears, outside quotes, the same non-zero number of times on the most of the first lines
//! wins; ties go to the commoner delimiter. Quoted fields may hold any of them, and a quoted field
//! may span lines, so the count follows quotes across line ends.

const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
const LINES_TO_READ: usize = 20;

pub(crate) fn delimiter(sample: &str) -> u8 {
    let lines = logical_lines(sample);
    let mut best = (b',', 0usize, 0usize);
    for &d in &CANDIDATES {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let Some(&header) = counts.first() else {
            continue;
        };
        if header == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == header).count();
        // More lines agreeing wins; then more columns.
        if (agreeing, header) > (best.1, best.2) {
            best = (d, agreeing, header);
        }
    }
    best.0
}

/// Splits the sample into records (a newline inside quotes does not end one), skipping blank
/// lines such as the one an eBay report starts with. The last, possibly cut-off, record is dropped
/// when there are others.
fn logical_lines(sample: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, b) in sample.bytes().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                let line = sample[start..i].trim_end_matches('\r');
                if !line.trim().is_empty() {
                    out.push(line);
                }
                start = i + 1;
                if out.len() == LINES_TO_READ {
                    return out;
                }
            }
            _ => {}
        }
    }
    let rest = sample[start..].trim();
    if !rest.is_empty() && out.is_empty() {
        out.push(rest);
    }
    out
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delimiter && !in_quotes {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::delimiter;

    #[test]
    fn picks_each_delimiter() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(delimiter("order-id\tsku\tname\n1\tA\tB, C\n"), b'\t');
        assert_eq!(delimiter("a;b;c\r\n1;\"2,5\";3\r\n"), b';');
        assert_eq!(delimiter("a|b|c\n1|2|3\n"), b'|');
    }

    #[test]
    fn quoted_delimiters_and_newlines_do_not_fool_it() {
        let s = "Name,Notes,Zip\n\"Ford, Lena\",\"line one\nline two; three|four\",98101\nX,Y,Z\n";
        assert_eq!(delimiter(s), b',');
        let tsv = "a\tb\n\"x, y, z\"\t1\n\"p, q\"\t2\n";
        assert_eq!(delimiter(tsv), b'\t');
    }

    #[test]
    fn leading_blank_line_and_single_column() {
        assert_eq!(
            delimiter("\r\nSales Record Number,Order Number\r\n1,2\r\n"),
            b','
        );
        assert_eq!(delimiter("just one column\nvalue\n"), b',');
    }
}
