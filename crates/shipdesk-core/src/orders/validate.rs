//! One validation for every way an order gets in — the importer, the order form, IPC and the CLI
//! — so an imported order can always be opened and saved again in the form. It normalizes as it
//! checks (trims, upper-cases state codes, splits `12345-6789`, reads country names as codes,
//! strips the characters [`super::text`] never stores) and names the field of every problem, so
//! the UI can put the message next to the input and the importer can prefix it with the file's
//! line.
//!
//! What an order may be:
//! - **No items** is a valid order (a plain address list): it has nothing for a packing slip to
//!   list and no weight of its own, so shipping asks for one.
//! - **Outside the US** it is kept with its country, province and postal code as written, and
//!   marked by its country; buying a label for it is refused by shipping until international
//!   shipping exists. US territories written as countries (`PR`, `GU`…) are US addresses.

use rust_decimal::Decimal;

use super::countries::{country_code, us_territory};
use super::label_fields::label_problems;
use super::model::{Address, LineItem, OrderInput};
use super::text::{clean_line, clean_multiline, removed_notice};
use super::usps_address::{ZipError, normalize_state, normalize_zip};
pub use crate::error::FieldProblem;
use crate::error::{AppError, ErrorDetails};

/// The item index a field path like `items[3].title` refers to.
pub fn item_index(field: &str) -> Option<usize> {
    let rest = field.strip_prefix("items[")?;
    rest[..rest.find(']')?].parse().ok()
}

/// Turns problems into the `VALIDATION` error the UI receives: the message lists them, `details`
/// carries them one by one.
pub fn into_error(problems: Vec<FieldProblem>) -> AppError {
    let message = problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    AppError::validation(message).with_details(ErrorDetails::OrderProblems { problems })
}

/// A valid order, and what was changed in it without holding it back (characters removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub order: OrderInput,
    pub notices: Vec<FieldProblem>,
}

/// Reads text fields through the character policy, noting every field something was removed
/// from.
struct Fields {
    notices: Vec<FieldProblem>,
}

impl Fields {
    fn note(&mut self, field: &str, what: &str, removed: usize) {
        if removed > 0 {
            self.notices
                .push(FieldProblem::new(field, removed_notice(what, removed)));
        }
    }

    /// Single-line text, trimmed.
    fn line(&mut self, field: &str, what: &str, raw: &str) -> String {
        let c = clean_line(raw);
        self.note(field, what, c.removed);
        c.text.trim().to_owned()
    }

    /// Single-line text, trimmed; blank is `None`.
    fn opt_line(&mut self, field: &str, what: &str, raw: Option<&str>) -> Option<String> {
        let v = self.line(field, what, raw?);
        (!v.is_empty()).then_some(v)
    }

    /// Multi-line text, trimmed; blank is `None`.
    fn opt_text(&mut self, field: &str, what: &str, raw: Option<&str>) -> Option<String> {
        let c = clean_multiline(raw?);
        self.note(field, what, c.removed);
        let v = c.text.trim();
        (!v.is_empty()).then(|| v.to_owned())
    }
}

/// Checks and normalizes an order. On success every field is in its canonical form.
pub fn validate_order(input: OrderInput) -> Result<OrderInput, Vec<FieldProblem>> {
    check_order(input).map(|checked| checked.order)
}

/// [`validate_order`], also saying what was removed from the order's text (the importer reports
/// it as warnings; the form saves the cleaned text).
pub fn check_order(input: OrderInput) -> Result<Checked, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut text = Fields {
        notices: Vec::new(),
    };
    let order_number = text.line("order_number", "order number", &input.order_number);
    if order_number.is_empty() {
        problems.push(FieldProblem::new("order_number", "order number is missing"));
    }
    let ship_to = validate_address(&input.ship_to, &mut text, &mut problems);
    let items = input
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| validate_item(i, item, &mut text, &mut problems))
        .collect();
    let mut tags: Vec<String> = Vec::new();
    for (i, raw) in input.tags.iter().enumerate() {
        let tag = text.line(&format!("tags[{i}]"), "tag", raw);
        if !tag.is_empty() && !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            tags.push(tag);
        }
    }
    let notes = text.opt_text("notes", "notes", input.notes.as_deref());
    if problems.is_empty() {
        Ok(Checked {
            order: OrderInput {
                order_number,
                status: input.status,
                ship_to,
                items,
                tags,
                notes,
            },
            notices: text.notices,
        })
    } else {
        Err(problems)
    }
}

/// The country an address is in, as stored: `US` for US states, territories and blank; else the
/// ISO code. `territory` is the USPS state code when the country named a US territory.
struct Country {
    code: String,
    territory: Option<&'static str>,
}

fn read_country(raw: &str, problems: &mut Vec<FieldProblem>) -> Country {
    let us = |territory| Country {
        code: "US".to_owned(),
        territory,
    };
    if raw.is_empty() {
        return us(None);
    }
    match country_code(raw) {
        Some(code) => match us_territory(code) {
            Some(territory) => us(Some(territory)),
            None => Country {
                code: code.to_owned(),
                territory: None,
            },
        },
        None => {
            problems.push(FieldProblem::new(
                "ship_to.country",
                format!("country \"{raw}\" is not a country name or two-letter code (US, CA, GB…)"),
            ));
            Country {
                code: raw.to_owned(),
                territory: None,
            }
        }
    }
}

fn validate_address(a: &Address, text: &mut Fields, problems: &mut Vec<FieldProblem>) -> Address {
    let mut required = |field: &str, label: &str, value: &str| {
        let v = text.line(field, label, value);
        if v.is_empty() {
            problems.push(FieldProblem::new(field, format!("{label} is missing")));
        }
        v
    };
    let name = required("ship_to.name", "recipient name", &a.name);
    let street1 = required("ship_to.street1", "street address", &a.street1);
    let city = required("ship_to.city", "city", &a.city);
    let company = text.opt_line("ship_to.company", "company", a.company.as_deref());
    let street2 = text.opt_line("ship_to.street2", "address line 2", a.street2.as_deref());
    let raw_country = text.line("ship_to.country", "country", &a.country);
    let raw_state = text.line("ship_to.state", "state", &a.state);
    let raw_zip5 = text.line("ship_to.zip", "ZIP", &a.zip5);
    let raw_zip4 = text.line("ship_to.zip", "ZIP", a.zip4.as_deref().unwrap_or(""));
    // The form may send "12345-6789" in zip5 with no zip4: read both together.
    let zip_text = match raw_zip4.as_str() {
        "" => raw_zip5,
        z4 => format!("{raw_zip5}-{z4}"),
    };
    let country = read_country(&raw_country, problems);
    let (state, zip5, zip4) = if country.code == "US" {
        let state = us_state(&raw_state, country.territory, problems);
        let (zip5, zip4) = us_zip(zip_text, &state, problems);
        (state, zip5, zip4)
    } else {
        // Until international shipping exists, a foreign province and postal code are kept as
        // written (postal codes in capitals, single spaces): nothing checks them yet.
        let postal = zip_text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase();
        (raw_state, postal, None)
    };
    let phone = text.opt_line("ship_to.phone", "phone", a.phone.as_deref());
    let email = text.opt_line("ship_to.email", "email", a.email.as_deref());
    if let Some(e) = &email
        && (!e.contains('@') || e.contains(char::is_whitespace))
    {
        problems.push(FieldProblem::new(
            "ship_to.email",
            format!("email \"{e}\" is not an email address"),
        ));
    }
    let address = Address {
        name,
        company,
        street1,
        street2,
        city,
        state,
        zip5,
        zip4,
        country: country.code,
        phone,
        email,
    };
    problems.extend(label_problems("ship_to", &address));
    address
}

fn us_state(
    raw: &str,
    territory: Option<&'static str>,
    problems: &mut Vec<FieldProblem>,
) -> String {
    if let Some(code) = territory {
        return code.to_owned();
    }
    match (raw, normalize_state(raw)) {
        ("", _) => {
            problems.push(FieldProblem::new("ship_to.state", "state is missing"));
            String::new()
        }
        (_, Some(code)) => code,
        (raw, None) => {
            problems.push(FieldProblem::new(
                "ship_to.state",
                format!("state \"{raw}\" is not a US state, territory or military code"),
            ));
            raw.to_owned()
        }
    }
}

fn us_zip(
    zip_text: String,
    state: &str,
    problems: &mut Vec<FieldProblem>,
) -> (String, Option<String>) {
    match normalize_zip(&zip_text, state) {
        Ok(z) => (z.zip5, z.zip4),
        Err(e) => {
            problems.push(FieldProblem::new("ship_to.zip", e.message()));
            let kept = if e == ZipError::Missing {
                String::new()
            } else {
                zip_text
            };
            (kept, None)
        }
    }
}

/// Money keeps at least cents (`12` → `12.00`) and drops zeros past them (`1.2500` → `1.25`).
fn cents(amount: Decimal) -> Decimal {
    let mut d = amount.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

fn validate_item(
    i: usize,
    item: &LineItem,
    text: &mut Fields,
    problems: &mut Vec<FieldProblem>,
) -> LineItem {
    let n = i + 1;
    let sku = text.opt_line(&format!("items[{i}].sku"), "SKU", item.sku.as_deref());
    let mut title = text.line(&format!("items[{i}].title"), "item", &item.title);
    if title.is_empty() {
        match &sku {
            Some(s) => title = s.clone(),
            None => problems.push(FieldProblem::new(
                format!("items[{i}].title"),
                format!("item {n}: title (or SKU) is missing"),
            )),
        }
    }
    if item.quantity == 0 {
        problems.push(FieldProblem::new(
            format!("items[{i}].quantity"),
            format!("item {n}: quantity must be at least 1"),
        ));
    }
    if item.unit_price.is_some_and(|p| p < Decimal::ZERO) {
        problems.push(FieldProblem::new(
            format!("items[{i}].unit_price"),
            format!("item {n}: price cannot be negative"),
        ));
    }
    if item.weight_oz.is_some_and(|w| w < Decimal::ZERO) {
        problems.push(FieldProblem::new(
            format!("items[{i}].weight_oz"),
            format!("item {n}: weight cannot be negative"),
        ));
    }
    let hs_tariff = item
        .hs_tariff
        .as_deref()
        .map(|h| h.trim().to_uppercase())
        .filter(|h| !h.is_empty());
    if let Some(hs) = &hs_tariff {
        let digits = hs.chars().filter(|c| *c != '.' && *c != ' ').count();
        if !(6..=14).contains(&digits)
            || !hs
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == ' ')
        {
            problems.push(FieldProblem::new(
                format!("items[{i}].hs_tariff"),
                format!("item {n}: HS tariff number \"{hs}\" is not 6 to 14 digits"),
            ));
        }
    }
    let origin_country = match item.origin_country.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => match crate::orders::countries::country_code(raw) {
            Some(code) => Some(code.to_owned()),
            None => {
                problems.push(FieldProblem::new(
                    format!("items[{i}].origin_country"),
                    format!("item {n}: country of origin \"{raw}\" is not a country"),
                ));
                None
            }
        },
    };
    let currency = match item.currency.as_deref().map(|c| c.trim().to_uppercase()) {
        None => None,
        Some(c) if c.is_empty() || c == "USD" => None,
        Some(c) if c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase()) => Some(c),
        Some(c) => {
            problems.push(FieldProblem::new(
                format!("items[{i}].currency"),
                format!("item {n}: currency \"{c}\" is not a three-letter code (USD, CAD, EUR)"),
            ));
            None
        }
    };
    LineItem {
        sku,
        title,
        quantity: item.quantity,
        unit_price: item.unit_price.map(cents),
        weight_oz: item.weight_oz.map(|w| w.normalize()),
        hs_tariff,
        origin_country,
        currency,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn good() -> OrderInput {
        OrderInput {
            order_number: " 1001 ".into(),
            status: None,
            ship_to: Address {
                name: "Rita Gomez".into(),
                street1: "500 Congress Ave".into(),
                city: "Austin".into(),
                state: "tx".into(),
                zip5: "78701-1234".into(),
                country: "".into(),
                email: Some(" ".into()),
                ..Default::default()
            },
            items: vec![LineItem {
                sku: Some("HC-1".into()),
                title: "".into(),
                quantity: 2,
                unit_price: Some("12.50".parse().unwrap()),
                weight_oz: None,
                hs_tariff: None,
                origin_country: None,
                currency: None,
            }],
            tags: vec!["vip".into(), "VIP".into(), " ".into()],
            notes: Some("  ".into()),
        }
    }

    #[test]
    fn normalizes_a_good_order() {
        let o = validate_order(good()).unwrap();
        assert_eq!(o.order_number, "1001");
        assert_eq!(o.ship_to.state, "TX");
        assert_eq!(
            (o.ship_to.zip5.as_str(), o.ship_to.zip4.as_deref()),
            ("78701", Some("1234"))
        );
        assert_eq!(o.ship_to.country, "US");
        assert_eq!(o.ship_to.email, None);
        assert_eq!(o.items[0].title, "HC-1");
        assert_eq!(o.tags, vec!["vip"]);
        assert_eq!(o.notes, None);
    }

    #[test]
    fn every_problem_names_its_field() {
        let mut bad = good();
        bad.order_number = "".into();
        bad.ship_to.state = "XX".into();
        bad.ship_to.zip5 = "".into();
        bad.ship_to.city = " ".into();
        bad.ship_to.email = Some("nope".into());
        bad.items[0].quantity = 0;
        bad.items[0].sku = None;
        let problems = validate_order(bad).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "order_number",
                "ship_to.city",
                "ship_to.state",
                "ship_to.zip",
                "ship_to.email",
                "items[0].title",
                "items[0].quantity"
            ]
        );
        assert_eq!(problems[3].message, "ZIP is missing");
        assert!(problems[2].message.contains("\"XX\""));
        let err = into_error(problems);
        assert_eq!(err.code, crate::ErrorCode::Validation);
        assert!(err.message.contains("order number is missing"));
        let Some(crate::ErrorDetails::OrderProblems { problems }) = err.details.as_deref() else {
            panic!("order problems expected");
        };
        assert_eq!(problems[1].field, "ship_to.city");
        assert_eq!(item_index("items[12].quantity"), Some(12));
        assert_eq!(item_index("ship_to.zip"), None);
    }

    #[test]
    fn an_order_without_items_is_valid() {
        let mut o = good();
        o.items.clear();
        let valid = validate_order(o).unwrap();
        assert!(valid.items.is_empty());
    }

    #[test]
    fn foreign_addresses_are_kept_with_their_country_province_and_postal_code() {
        let mut o = good();
        o.ship_to.country = "Canada".into();
        o.ship_to.state = " ON ".into();
        o.ship_to.zip5 = "k1a  0b1".into();
        let valid = validate_order(o.clone()).unwrap();
        let a = &valid.ship_to;
        assert_eq!(
            (
                a.country.as_str(),
                a.state.as_str(),
                a.zip5.as_str(),
                a.zip4.as_deref()
            ),
            ("CA", "ON", "K1A 0B1", None)
        );
        // The form splits on "-": a postal code with a dash comes back whole.
        o.ship_to.country = "BR".into();
        o.ship_to.state = "SP".into();
        o.ship_to.zip5 = "01310".into();
        o.ship_to.zip4 = Some("100".into());
        let br = validate_order(o.clone()).unwrap().ship_to;
        assert_eq!((br.zip5.as_str(), br.zip4), ("01310-100", None));
        // No province or postal code at all (Hong Kong has neither).
        o.ship_to.country = "Hong Kong".into();
        o.ship_to.state = "".into();
        o.ship_to.zip5 = "".into();
        o.ship_to.zip4 = None;
        assert_eq!(validate_order(o.clone()).unwrap().ship_to.country, "HK");
        // A country nobody can read is a problem on its field, not a guess.
        o.ship_to.country = "Narnia".into();
        let problems = validate_order(o).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "ship_to.country");
        assert!(problems[0].message.contains("\"Narnia\""));
    }

    #[test]
    fn us_territories_written_as_countries_are_us_addresses() {
        let mut o = good();
        o.ship_to.country = "PR".into();
        o.ship_to.state = "".into();
        o.ship_to.zip5 = "901".into();
        let a = validate_order(o.clone()).unwrap().ship_to;
        assert_eq!(
            (a.country.as_str(), a.state.as_str(), a.zip5.as_str()),
            ("US", "PR", "00901")
        );
        o.ship_to.country = "United States".into();
        o.ship_to.state = "Texas".into();
        o.ship_to.zip5 = "78701".into();
        assert_eq!(validate_order(o).unwrap().ship_to.country, "US");
    }

    #[test]
    fn control_characters_are_removed_and_each_field_they_were_in_is_named() {
        let mut o = good();
        o.order_number = "10\u{0}01".into();
        o.ship_to.name = "Rita\u{1B}]0;owned\u{7} Gomez".into();
        o.ship_to.street2 = Some("Apt 4\r\nBldg \u{202E}B".into());
        o.ship_to.city = "Aus\u{9B}tin".into();
        o.items[0].title = "Mug\u{1B}[31m".into();
        o.tags = vec!["v\u{7}ip".into()];
        o.notes = Some("Ring twice\r\nthen\u{1B} leave\tit".into());
        let checked = check_order(o).unwrap();
        let v = &checked.order;
        assert_eq!(v.order_number, "1001");
        assert_eq!(v.ship_to.name, "Rita]0;owned Gomez");
        assert_eq!(v.ship_to.street2.as_deref(), Some("Apt 4 Bldg B"));
        assert_eq!(v.ship_to.city, "Austin");
        assert_eq!(v.items[0].title, "Mug[31m");
        assert_eq!(v.tags, ["vip"]);
        assert_eq!(v.notes.as_deref(), Some("Ring twice\nthen leave\tit"));
        let stored = serde_json::to_string(v).unwrap();
        for c in stored.chars() {
            assert!(!crate::orders::text::is_forbidden(c), "{c:?} in {stored}");
        }
        let fields: Vec<&str> = checked.notices.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "order_number",
                "ship_to.name",
                "ship_to.city",
                "ship_to.street2",
                "items[0].title",
                "tags[0]",
                "notes"
            ]
        );
        assert_eq!(
            checked.notices[1].message,
            "recipient name: 2 invisible control characters removed"
        );
    }
}
