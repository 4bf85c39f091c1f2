//! One validation for every way an order gets in — the form and the importer — so an imported
//! order can always be opened and saved again in the form. It normalizes as it checks (trims,
//! upper-cases state codes, splits `12345-6789`) and names the field of every problem, so the UI
//! can put the message next to the input and the importer can prefix it with the file's line.

use rust_decimal::Decimal;

use super::model::{Address, LineItem, OrderInput};
use super::usps_address::{ZipError, normalize_country, normalize_state, normalize_zip};
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

fn clean(s: &str) -> String {
    s.trim().to_owned()
}

fn clean_opt(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Checks and normalizes an order. On success every address field is in its canonical form.
pub fn validate_order(input: OrderInput) -> Result<OrderInput, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let order_number = clean(&input.order_number);
    if order_number.is_empty() {
        problems.push(FieldProblem::new("order_number", "order number is missing"));
    }
    let ship_to = validate_address(&input.ship_to, &mut problems);
    if input.items.is_empty() {
        problems.push(FieldProblem::new("items", "the order has no line items"));
    }
    let items = input
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| validate_item(i, item, &mut problems))
        .collect();
    let mut tags: Vec<String> = Vec::new();
    for tag in input
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_owned());
        }
    }
    if problems.is_empty() {
        Ok(OrderInput {
            order_number,
            status: input.status,
            ship_to,
            items,
            tags,
            notes: clean_opt(input.notes.as_deref()),
        })
    } else {
        Err(problems)
    }
}

fn validate_address(a: &Address, problems: &mut Vec<FieldProblem>) -> Address {
    let mut required = |field: &str, label: &str, value: &str| {
        let v = clean(value);
        if v.is_empty() {
            problems.push(FieldProblem::new(field, format!("{label} is missing")));
        }
        v
    };
    let name = required("ship_to.name", "recipient name", &a.name);
    let street1 = required("ship_to.street1", "street address", &a.street1);
    let city = required("ship_to.city", "city", &a.city);
    let country = normalize_country(&a.country).unwrap_or_else(|| "US".to_owned());
    if country != "US" {
        problems.push(FieldProblem::new(
            "ship_to.country",
            format!("country {country} is not supported: Shipdesk ships to US addresses"),
        ));
    }
    let state = match (a.state.trim(), normalize_state(&a.state)) {
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
    };
    // The form may send "12345-6789" in zip5 with no zip4: read both together.
    let zip_text = match a.zip4.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
        Some(z4) => format!("{}-{z4}", a.zip5.trim()),
        None => a.zip5.clone(),
    };
    let (zip5, zip4) = match normalize_zip(&zip_text, &state) {
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
    };
    let email = clean_opt(a.email.as_deref());
    if let Some(e) = &email
        && (!e.contains('@') || e.contains(char::is_whitespace))
    {
        problems.push(FieldProblem::new(
            "ship_to.email",
            format!("email \"{e}\" is not an email address"),
        ));
    }
    Address {
        name,
        company: clean_opt(a.company.as_deref()),
        street1,
        street2: clean_opt(a.street2.as_deref()),
        city,
        state,
        zip5,
        zip4,
        country,
        phone: clean_opt(a.phone.as_deref()),
        email,
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

fn validate_item(i: usize, item: &LineItem, problems: &mut Vec<FieldProblem>) -> LineItem {
    let n = i + 1;
    let sku = clean_opt(item.sku.as_deref());
    let mut title = clean(&item.title);
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
    LineItem {
        sku,
        title,
        quantity: item.quantity,
        unit_price: item.unit_price.map(cents),
        weight_oz: item.weight_oz.map(|w| w.normalize()),
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
    }

    #[test]
    fn foreign_addresses_and_empty_orders_are_refused() {
        let mut o = good();
        o.ship_to.country = "Canada".into();
        o.items.clear();
        let problems = validate_order(o).unwrap_err();
        assert!(problems.iter().any(|p| p.field == "ship_to.country"));
        assert!(problems.iter().any(|p| p.field == "items"));
        assert_eq!(item_index("items[12].quantity"), Some(12));
        assert_eq!(item_index("ship_to.zip"), None);
    }
}
