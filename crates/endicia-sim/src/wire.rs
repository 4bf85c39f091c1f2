//! The ELS wire format, kept apart from the business rules so every operation reads and writes
//! XML the same way: the form field that carries the request XML, a small element tree for
//! reading requests, a writer for answers in the service namespace, the error envelope with its
//! log reference, and the lenient parsing of ELS enumerations and booleans.

use std::fmt::{Display, Write as _};

use quick_xml::events::Event;
use rust_decimal::Decimal;

/// Namespace of every response root (it has no scheme; that is how ELS spells it).
pub const NAMESPACE: &str = "www.envmgr.com/LabelService";

/// A business error: answered in-band with HTTP 200 and `Status = code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EwsError {
    pub code: u32,
    pub message: String,
}

impl EwsError {
    pub fn new(code: u32, message: impl Into<String>) -> EwsError {
        EwsError {
            code,
            message: message.into(),
        }
    }

    /// `1001 MissingOrInvalidXMLElement`, naming the element (the sandbox wording).
    pub fn element(name: &str) -> EwsError {
        EwsError::new(1001, format!("Missing or invalid element: {name}."))
    }

    /// The error with the standard text for `code`.
    pub fn code(code: u32) -> EwsError {
        EwsError::new(code, standard_message(code))
    }
}

/// Our own short text for the codes the simulator produces or can inject.
pub fn standard_message(code: u32) -> String {
    let text = match code {
        101 => "A general error occurred.",
        102 => "An internal Endicia error occurred.",
        307 => "The origin ZIP code is invalid.",
        308 => "The destination ZIP code is invalid.",
        404 => "This mail class is not supported.",
        405 => "The mail class is invalid.",
        406 => "The mailpiece weight must be greater than zero.",
        407 => "The mailpiece weight exceeds the maximum for this mail class.",
        1020 => "The purchase amount is invalid.",
        2010 => "The account status does not allow this request.",
        2011 => "The account needs a new pass phrase before it can be used.",
        2012 => "The account is suspended after too many incorrect pass phrases.",
        12101 => "The account was not found.",
        12115 => "The label exceeds the maximum postage allowed for the account.",
        12118 => "The purchase amount is too low.",
        12119 => "The purchase amount is too high for this account.",
        12120 => "The credit card transaction failed.",
        12121 => "The purchase could not be recorded.",
        12124 => "A database failure occurred.",
        12128 => "The credit card was declined.",
        12130 => "The service is unavailable. Try again later.",
        12133 => "The account is locked by another transaction.",
        12136 => "The account is busy with another transaction.",
        12201 => "The request XML could not be parsed.",
        12503 => "The account balance is too low for this postage.",
        12507 => "The Certified Intermediary's pass phrase is incorrect.",
        12508 => "The e-mail address does not match the account.",
        12509 => "The challenge answer is incorrect.",
        12514 => "Duplicate request for postage (replay detected).",
        12669 => "The new pass phrase was used recently.",
        100201 => "The account is not qualified for this pricing.",
        _ => return format!("Simulated error {code}."),
    };
    text.to_owned()
}

/// Appends the log reference every sandbox/production error message carries.
pub fn with_log_id(message: &str, log_id: u64) -> String {
    format!("{message} Error encountered (Log ID: {log_id})")
}

/// Takes the request XML out of a form-encoded body or query string; the field name is matched
/// case-insensitively (clients spell it with either case of first letter).
pub fn form_field(encoded: &[u8], field: &str) -> Option<String> {
    url::form_urlencoded::parse(encoded)
        .find(|(k, _)| k.eq_ignore_ascii_case(field))
        .map(|(_, v)| v.into_owned())
}

/// One element of a request: name (prefix dropped), attributes, child elements and the text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub text: String,
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Trimmed text of a child; `None` when absent or blank (blank counts as missing).
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// Like [`Node::text_of`], but `1001` naming the element when missing.
    pub fn required(&self, name: &str) -> Result<&str, EwsError> {
        self.text_of(name).ok_or_else(|| EwsError::element(name))
    }

    /// An attribute, matched by name case-insensitively, trimmed.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// Parses a request document (declaration optional) into its root element. Any XML error is
/// `12201 XmlParseError`.
pub fn parse(xml: &str) -> Result<Node, EwsError> {
    let xml = xml.trim_start_matches('\u{feff}').trim();
    let bad = || EwsError::code(12201);
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let event = reader.read_event().map_err(|_| bad())?;
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => return Err(bad()),
            Event::Start(e) => stack.push(element(&e)?),
            Event::Empty(e) => {
                let node = element(&e)?;
                close(&mut stack, &mut root, node);
            }
            Event::End(_) => {
                let node = stack.pop().ok_or_else(bad)?;
                close(&mut stack, &mut root, node);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(bad()),
                }
            }
            Event::CData(c) => {
                let text = c.xml10_content();
                stack.last_mut().ok_or_else(bad)?.text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|_| bad())? {
                    Some(ch) => ch.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                        .ok_or_else(bad)?
                        .to_owned(),
                };
                stack.last_mut().ok_or_else(bad)?.text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(bad());
    }
    root.ok_or_else(bad)
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<Node, EwsError> {
    let mut node = Node {
        name: e.local_name().as_ref().to_owned(),
        ..Node::default()
    };
    for attr in e.attributes() {
        let attr = attr.map_err(|_| EwsError::code(12201))?;
        let key = attr.key.local_name().as_ref().to_owned();
        if attr.key.as_ref() == "xmlns" || attr.key.as_ref().starts_with("xmlns:") {
            continue;
        }
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|_| EwsError::code(12201))?;
        node.attrs.push((key, value.into_owned()));
    }
    Ok(node)
}

fn close(stack: &mut [Node], root: &mut Option<Node>, node: Node) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None => *root = Some(node),
    }
}

/// Parses `TRUE/FALSE`, `YES/NO`, `ON/OFF`, `Y/N`, `1/0` in any case.
pub fn parse_flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_uppercase().as_str() {
        "TRUE" | "YES" | "ON" | "Y" | "1" => Some(true),
        "FALSE" | "NO" | "OFF" | "N" | "0" => Some(false),
        _ => None,
    }
}

/// An optional flag element or attribute value: absent → `default`, unparseable → 1001.
pub fn flag_or(value: Option<&str>, default: bool, name: &str) -> Result<bool, EwsError> {
    match value {
        None => Ok(default),
        Some(v) => parse_flag(v).ok_or_else(|| EwsError::element(name)),
    }
}

/// Finds `value` among `allowed`, case-insensitively, returning the canonical spelling.
pub fn enum_value(value: &str, allowed: &[&'static str]) -> Option<&'static str> {
    allowed
        .iter()
        .copied()
        .find(|a| a.eq_ignore_ascii_case(value.trim()))
}

/// A plain decimal (`12`, `12.5`, `-3.00`); no exponent, no grouping.
pub fn parse_decimal(value: &str) -> Option<Decimal> {
    let v = value.trim();
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    let ok = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    v.trim_start_matches('+').parse::<Decimal>().ok()
}

/// Money as ELS prints it: two decimals.
pub fn money(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// Writes one response document.
pub struct Doc {
    buf: String,
    open: Vec<&'static str>,
}

impl Doc {
    pub fn new(root: &'static str) -> Doc {
        let mut buf = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = write!(
            buf,
            "<{root} xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"{NAMESPACE}\">"
        );
        Doc {
            buf,
            open: vec![root],
        }
    }

    pub fn open(&mut self, name: &'static str, attrs: &[(&str, String)]) -> &mut Doc {
        self.buf.push('<');
        self.buf.push_str(name);
        for (k, v) in attrs {
            let _ = write!(self.buf, " {k}=\"{}\"", escape(v));
        }
        self.buf.push('>');
        self.open.push(name);
        self
    }

    pub fn close(&mut self) -> &mut Doc {
        if let Some(name) = self.open.pop() {
            let _ = write!(self.buf, "</{name}>");
        }
        self
    }

    pub fn leaf(&mut self, name: &str, value: impl Display) -> &mut Doc {
        let value = value.to_string();
        let _ = write!(self.buf, "<{name}>{}</{name}>", escape(&value));
        self
    }

    /// A leaf with attributes.
    pub fn leaf_with(&mut self, name: &str, attrs: &[(&str, String)], value: &str) -> &mut Doc {
        let _ = write!(self.buf, "<{name}");
        for (k, v) in attrs {
            let _ = write!(self.buf, " {k}=\"{}\"", escape(v));
        }
        let _ = write!(self.buf, ">{}</{name}>", escape(value));
        self
    }

    /// A leaf only when there is a value.
    pub fn leaf_opt(&mut self, name: &str, value: Option<&str>) -> &mut Doc {
        if let Some(v) = value {
            self.leaf(name, v);
        }
        self
    }

    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.buf
    }
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// The echoes a successful answer carries (omitted on errors, as the sandbox did).
pub fn echo(doc: &mut Doc, req: &Node) {
    doc.leaf_opt("RequesterID", req.text_of("RequesterID"));
    doc.leaf_opt("RequestID", req.text_of("RequestID"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_and_without_declaration_and_entities() {
        let n = parse("<?xml version=\"1.0\"?><A x=\"1&amp;2\"><B>a &amp; b&#43;c</B><C/></A>")
            .unwrap();
        assert_eq!(n.name, "A");
        assert_eq!(n.attr("X"), Some("1&2"));
        assert_eq!(n.text_of("B"), Some("a & b+c"));
        assert!(n.child("C").is_some());
        assert!(parse("<A><B></A>").is_err());
        assert!(parse("not xml").is_err());
        assert!(parse("<A/><B/>").is_err());
    }

    #[test]
    fn form_field_is_case_insensitive_and_decodes() {
        let body = b"LabelRequestXML=%3CA%3Ex%2By%26amp%3B%3C%2FA%3E";
        assert_eq!(
            form_field(body, "labelRequestXML").as_deref(),
            Some("<A>x+y&amp;</A>")
        );
    }

    #[test]
    fn decimals_and_flags() {
        assert_eq!(parse_decimal("25.00"), Some(Decimal::new(2500, 2)));
        assert_eq!(parse_decimal("1e3"), None);
        assert_eq!(parse_decimal(""), None);
        assert_eq!(money(Decimal::new(5, 0)), "5.00");
        assert_eq!(parse_flag("on"), Some(true));
        assert_eq!(parse_flag("No"), Some(false));
        assert_eq!(enum_value("pdf", &["PDF", "PNG"]), Some("PDF"));
    }

    #[test]
    fn doc_escapes_and_closes() {
        let mut d = Doc::new("R");
        d.leaf("Status", 0)
            .open("X", &[("a", "<".into())])
            .leaf("Y", "&");
        let s = d.finish();
        assert!(s.ends_with("<X a=\"&lt;\"><Y>&amp;</Y></X></R>"), "{s}");
        assert!(s.contains("xmlns=\"www.envmgr.com/LabelService\""));
    }
}
