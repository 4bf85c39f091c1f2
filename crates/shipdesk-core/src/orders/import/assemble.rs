//! From rows to orders. Rows with the same key anywhere in the file are one order (exports put
//! one row per item); the first row that has an order-level field wins it, later rows only fill
//! blanks. Each order is then normalized and checked by the same validation the order form uses.
//! An order with any problem is not imported — shipping it with a wrong ZIP or a missing item is
//! worse than asking — and each problem carries the line to fix.
//!
//! What is imported all the same, with a warning that names the line and field: an order whose
//! text carried control characters (imported without them; see `orders::text`), and an order
//! with a placeholder email (imported without it). An order with no items at all (a plain address
//! list) and an order outside the US (kept, marked by its country) are imported as they are.

use std::collections::HashMap;

use super::ImportProblem;
use super::formats::{RawItem, RawOrder, RowRead};
use super::normalize::{parse_date, parse_money, parse_quantity, parse_weight};
use crate::orders::text::{clean_line, removed_notice};
use crate::orders::validate::{FieldProblem, check_order, item_index};
use crate::orders::{
    Address, LineItem, OrderData, OrderInput, OrderSource, OrderStatus, SourceKind,
};

/// An order ready to store, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedOrder {
    pub line: u64,
    pub data: OrderData,
}

struct Group {
    line: u64,
    order: RawOrder,
    items: Vec<RawItem>,
    /// One of its rows could not be read: importing the rest could ship an order short.
    broken: bool,
}

pub(crate) struct Assembler {
    kind: SourceKind,
    groups: Vec<Group>,
    index: HashMap<String, usize>,
    pub problems: Vec<ImportProblem>,
}

pub(crate) struct Assembled {
    pub orders: Vec<ImportedOrder>,
    pub problems: Vec<ImportProblem>,
    /// Imported anyway, without the offending value.
    pub warnings: Vec<ImportProblem>,
    pub invalid: u32,
}

impl Assembler {
    pub fn new(kind: SourceKind) -> Self {
        Self {
            kind,
            groups: Vec::new(),
            index: HashMap::new(),
            problems: Vec::new(),
        }
    }

    pub fn push(&mut self, read: RowRead) {
        match read {
            RowRead::Ignore => {}
            RowRead::Problem(p) => self.problems.push(p),
            RowRead::Row(row) => {
                self.group_for(&row.key, row.line);
                let i = self.index[&row.key];
                let g = &mut self.groups[i];
                g.order.fill_from(row.order);
                g.items.extend(row.items);
            }
        }
    }

    /// A row that could not be read: its problem is reported and, when the row still shows
    /// which order it belongs to, that whole order is held back.
    pub fn reject(&mut self, read: RowRead, problem: ImportProblem) {
        if let RowRead::Row(row) = read {
            self.group_for(&row.key, row.line);
            let i = self.index[&row.key];
            self.groups[i].broken = true;
            if self.groups[i].order.order_number.is_empty() {
                self.groups[i].order.order_number = row.key;
            }
        }
        self.problems.push(problem);
    }

    fn group_for(&mut self, key: &str, line: u64) {
        if !self.index.contains_key(key) {
            self.index.insert(key.to_owned(), self.groups.len());
            self.groups.push(Group {
                line,
                order: RawOrder::default(),
                items: Vec::new(),
                broken: false,
            });
        }
    }

    pub fn finish(self) -> Assembled {
        let mut problems = self.problems;
        let mut warnings = Vec::new();
        let mut orders = Vec::with_capacity(self.groups.len());
        let mut invalid = 0;
        for mut g in self.groups {
            if g.broken {
                invalid += 1;
                problems.push(ImportProblem::new(
                    g.line,
                    "row",
                    format!(
                        "order {} was not imported: one of its rows could not be read",
                        g.order.order_number
                    ),
                ));
                continue;
            }
            let listed = g.items.len();
            g.items.retain(|i| i.ships);
            if listed > 0 && g.items.is_empty() {
                warnings.push(ImportProblem::new(
                    g.line,
                    "items",
                    format!(
                        "order {} has nothing to ship (its items need no shipping); not imported",
                        g.order.order_number
                    ),
                ));
                continue;
            }
            match build(self.kind, g, &mut warnings) {
                Ok(o) => orders.push(o),
                Err(mut p) => {
                    invalid += 1;
                    problems.append(&mut p);
                }
            }
        }
        problems.sort_by_key(|p| p.line);
        Assembled {
            orders,
            problems,
            warnings,
            invalid,
        }
    }
}

fn opt(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Exports put placeholders in the email column (`[email protected]`, `N/A`): an email is not
/// needed to ship, so a bad one is dropped with a warning instead of holding the order back.
fn usable_email(line: u64, raw: String, warnings: &mut Vec<ImportProblem>) -> Option<String> {
    let email = opt(raw)?;
    if email.contains('@') && !email.contains(char::is_whitespace) {
        return Some(email);
    }
    warnings.push(ImportProblem::new(
        line,
        "ship_to.email",
        format!("email \"{email}\" is not an email address; the order was imported without it"),
    ));
    None
}

fn build(
    kind: SourceKind,
    g: Group,
    warnings: &mut Vec<ImportProblem>,
) -> Result<ImportedOrder, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut items = Vec::with_capacity(g.items.len());
    let mut item_lines = Vec::with_capacity(g.items.len());
    for (i, raw) in g.items.into_iter().enumerate() {
        let quantity = parse_quantity(&raw.quantity).unwrap_or_else(|msg| {
            problems.push(ImportProblem::new(
                raw.line,
                format!("items[{i}].quantity"),
                msg,
            ));
            1
        });
        let unit_price = match raw.unit_price.trim() {
            "" => None,
            text => parse_money(text).or_else(|| {
                problems.push(ImportProblem::new(
                    raw.line,
                    format!("items[{i}].unit_price"),
                    format!("price \"{text}\" is not an amount"),
                ));
                None
            }),
        };
        let weight_oz = parse_weight(&raw.weight, raw.weight_unit).unwrap_or_else(|msg| {
            problems.push(ImportProblem::new(
                raw.line,
                format!("items[{i}].weight_oz"),
                msg,
            ));
            None
        });
        item_lines.push(raw.line);
        // Shopify fills the currency on an order's first row only.
        let currency =
            opt(raw.currency).or_else(|| items.first().and_then(|f: &LineItem| f.currency.clone()));
        items.push(LineItem {
            sku: opt(raw.sku),
            title: raw.title,
            quantity,
            unit_price,
            weight_oz,
            hs_tariff: opt(raw.hs_tariff),
            origin_country: opt(raw.origin_country),
            currency,
        });
    }
    let o = g.order;
    let input = OrderInput {
        order_number: o.order_number,
        status: o.status,
        ship_to: Address {
            name: o.name,
            company: opt(o.company),
            street1: o.street1,
            street2: opt(o.street2),
            city: o.city,
            state: o.state,
            zip5: o.zip,
            zip4: None,
            country: o.country,
            phone: opt(o.phone),
            email: usable_email(g.line, o.email, warnings),
        },
        items,
        tags: o.tags,
        notes: opt(o.notes),
    };
    // A problem about an item is on that item's line; any other on the order's first line.
    let on_its_line = |field_problems: Vec<FieldProblem>| {
        field_problems
            .into_iter()
            .map(|p| {
                let line = item_index(&p.field)
                    .and_then(|i| item_lines.get(i).copied())
                    .unwrap_or(g.line);
                ImportProblem::new(line, p.field, p.message)
            })
            .collect::<Vec<_>>()
    };
    let valid = match check_order(input) {
        Ok(checked) if problems.is_empty() => {
            warnings.extend(on_its_line(checked.notices));
            checked.order
        }
        Ok(_) => return Err(problems),
        Err(p) => {
            problems.extend(on_its_line(p));
            return Err(problems);
        }
    };
    // The two fields the order form does not carry, cleaned by the same character policy.
    let mut clean = |field: &str, what: &str, raw: &str| {
        let c = clean_line(raw);
        if c.removed > 0 {
            warnings.push(ImportProblem::new(
                g.line,
                field,
                removed_notice(what, c.removed),
            ));
        }
        c.text
    };
    let source_id = opt(clean("source_id", "marketplace order id", &o.source_id));
    let ordered_at = parse_date(&clean("ordered_at", "order date", &o.ordered_at));
    Ok(ImportedOrder {
        line: g.line,
        data: OrderData {
            order_number: valid.order_number,
            source: OrderSource { kind, source_id },
            status: valid.status.unwrap_or(OrderStatus::AwaitingShipment),
            ship_to: valid.ship_to,
            items: valid.items,
            tags: valid.tags,
            notes: valid.notes,
            ordered_at,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::import::formats::RawRow;

    fn row(line: u64, key: &str, zip: &str, title: &str, qty: &str) -> RowRead {
        let mut item = RawItem::new(line);
        item.title = title.into();
        item.quantity = qty.into();
        RowRead::Row(RawRow {
            line,
            key: key.into(),
            order: RawOrder {
                order_number: key.into(),
                name: if zip.is_empty() && title.is_empty() {
                    String::new()
                } else {
                    "Ann".into()
                },
                street1: "1 Main St".into(),
                city: "Boston".into(),
                state: "MA".into(),
                zip: zip.into(),
                ..RawOrder::default()
            },
            items: if title.is_empty() { vec![] } else { vec![item] },
        })
    }

    #[test]
    fn groups_rows_and_names_each_problem_by_line_and_field() {
        let mut a = Assembler::new(SourceKind::File);
        a.push(row(2, "A", "2134", "Mug", "1"));
        a.push(row(3, "B", "", "Cup", "1"));
        a.push(row(4, "A", "", "Plate", "2"));
        a.push(row(5, "C", "02108", "Bowl", "many"));
        a.push(RowRead::Ignore);
        let RowRead::Row(mut digital) = row(6, "D", "78701", "Gift card", "1") else {
            unreachable!()
        };
        digital.items[0].ships = false;
        a.push(RowRead::Row(digital));
        let done = a.finish();
        assert_eq!(done.warnings.len(), 1);
        assert!(
            done.warnings[0]
                .message
                .starts_with("line 6: order D has nothing to ship")
        );
        assert_eq!(done.orders.len(), 1);
        let a_order = &done.orders[0].data;
        assert_eq!(a_order.ship_to.zip5, "02134");
        assert_eq!(a_order.items.len(), 2);
        assert_eq!(a_order.items[1].quantity, 2);
        assert_eq!(done.invalid, 2);
        let msgs: Vec<&str> = done.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "line 3: ZIP is missing",
                "line 5: quantity \"many\" is not a whole number of at least 1"
            ]
        );
        assert_eq!(done.problems[0].field, "ship_to.zip");
        assert_eq!(done.problems[1].field, "items[0].quantity");
    }
}
