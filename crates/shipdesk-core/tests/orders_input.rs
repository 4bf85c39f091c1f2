//! What an order may contain, through a real desk (its composition root, its SQLite store) and
//! the same calls the import dialog, the order form and the CLI make: a plain address list (no
//! order numbers, no items) imports through the suggested mapping as one order per row; an order
//! outside the US is kept with its country; control characters anywhere in a file — also far
//! past the first 64 KB — or in the form never reach the store.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use shipdesk_core::import::{ImportOptions, ImportSummary, MappedField};
use shipdesk_core::orders::text::is_forbidden;
use shipdesk_core::orders::{Address, ArchivedFilter, LineItem, Order, OrderInput, OrderQuery};
use shipdesk_core::ports::MemorySecretStore;
use shipdesk_core::shipping::{Dimensions, PackagePresetInput, ShipFromInput};
use shipdesk_core::{DataDir, Desk, ErrorCode};

struct Env {
    desk: Desk,
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::builder(DataDir::at(dir.path().join("data")))
            .secrets(Arc::new(MemorySecretStore::default()))
            .build()
            .expect("the desk opens");
        Env { desk, dir }
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Imports as the import dialog does for a sheet it does not recognise: preview, take the
    /// suggested mapping as it is, import with it.
    fn import_with_suggestion(&self, path: &Path) -> ImportSummary {
        let orders = self.desk.orders();
        let preview = orders.preview_file(path, None).unwrap();
        assert!(preview.needs_mapping);
        let mapping = preview.suggested_mapping.expect("a suggested mapping");
        let options = ImportOptions {
            column_mapping: Some(mapping),
            ..Default::default()
        };
        orders
            .import_file(path, &options, |_| {}, &AtomicBool::new(false))
            .unwrap()
    }

    fn all(&self) -> Vec<Order> {
        self.desk
            .orders()
            .list(&OrderQuery {
                archived: Some(ArchivedFilter::All),
                ..Default::default()
            })
            .unwrap()
            .orders
    }
}

fn assert_clean(what: &str, value: &impl serde::Serialize) {
    let json = serde_json::to_value(value).unwrap();
    let text = json.to_string();
    fn walk(v: &serde_json::Value, what: &str) {
        match v {
            serde_json::Value::String(s) => {
                for c in s.chars() {
                    assert!(!is_forbidden(c), "{what}: {c:?} stored in {s:?}");
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, what)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, what)),
            _ => {}
        }
    }
    walk(&json, what);
    assert!(!text.is_empty());
}

/// The plain address list many desks ship to: a name, an address, a city, `ST` and a ZIP, no
/// order numbers, no items. One order per row, none with items; the same list again changes
/// nothing; the same address on two rows is two orders.
#[test]
fn a_plain_address_list_imports_as_one_order_per_row() {
    let env = Env::new();
    let list = "Name,Address,City,ST,Zip\n\
                Ann Lee,1 Main St,Austin,TX,78701\n\
                Bo Chan,2 Elm St Apt 3,Reno,NV,89501\n\
                Cy Dee,3 Oak St,Boston,MA,2108\n\
                Ann Lee,1 Main St,Austin,TX,78701\n";
    let path = env.file("addresses.csv", list);
    let preview = env.desk.orders().preview_file(&path, None).unwrap();
    let suggested = preview.suggested_mapping.clone().unwrap();
    let mapped = |f: MappedField| suggested.columns.get(&f).map(String::as_str);
    assert_eq!(mapped(MappedField::State), Some("ST"));
    assert_eq!(mapped(MappedField::Street1), Some("Address"));
    assert_eq!(mapped(MappedField::OrderNumber), None);
    assert_eq!(mapped(MappedField::ItemTitle), None);

    let summary = env.import_with_suggestion(&path);
    assert_eq!(
        (summary.rows, summary.new, summary.invalid),
        (4, 4, 0),
        "{:?}",
        summary.problems
    );
    assert!(summary.problems.is_empty() && summary.warnings.is_empty());
    let orders = env.all();
    assert_eq!(orders.len(), 4);
    assert!(orders.iter().all(|o| o.items.is_empty()));
    let mut names: Vec<&str> = orders.iter().map(|o| o.ship_to.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Ann Lee", "Ann Lee", "Bo Chan", "Cy Dee"]);
    let boston = orders.iter().find(|o| o.ship_to.city == "Boston").unwrap();
    assert_eq!(boston.ship_to.zip5, "02108");
    assert!(
        boston.order_number.starts_with("L-"),
        "{}",
        boston.order_number
    );
    // Each order opens and saves again in the form, items and all (none).
    let saved = env
        .desk
        .orders()
        .update(
            boston.id,
            OrderInput {
                order_number: boston.order_number.clone(),
                status: Some(boston.status),
                ship_to: boston.ship_to.clone(),
                items: vec![],
                tags: vec![],
                notes: Some("Leave with the doorman".into()),
            },
        )
        .unwrap();
    assert_eq!(saved.notes.as_deref(), Some("Leave with the doorman"));

    // The same list again: nothing new, nothing doubled, and the desk's note on Boston is kept
    // (the list did not change since it was imported).
    let again = env.import_with_suggestion(&path);
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 4));
    let boston_again = env.desk.orders().get(boston.id).unwrap();
    assert_eq!(
        boston_again.notes.as_deref(),
        Some("Leave with the doorman")
    );
    assert_eq!(env.all().len(), 4);
}

/// An address list can still carry what each row ships: an item column makes line items.
#[test]
fn an_address_list_with_an_item_column_gets_its_items() {
    let env = Env::new();
    let path = env.file(
        "list.csv",
        "Recipient,Street Address,Apt/Suite,Town,State/Province,Postal Code,Product,Qty\n\
         Ann Lee,1 Main St,Unit 2,Austin,TX,78701,Mug,2\n",
    );
    let summary = env.import_with_suggestion(&path);
    assert_eq!(summary.new, 1, "{:?}", summary.problems);
    let o = &env.all()[0];
    assert_eq!(o.ship_to.street2.as_deref(), Some("Unit 2"));
    assert_eq!(o.items.len(), 1);
    assert_eq!((o.items[0].title.as_str(), o.items[0].quantity), ("Mug", 2));
}

/// An order to Canada in a Shopify export is imported and kept with its country, province and
/// postal code, beside the US order of the same file.
#[test]
fn an_international_order_is_kept_with_its_country() {
    let env = Env::new();
    let path = env.file("orders_export.csv", SHOPIFY_WITH_CANADA);
    let summary = env
        .desk
        .orders()
        .import_file(
            &path,
            &ImportOptions::default(),
            |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(
        (summary.new, summary.invalid),
        (2, 0),
        "{:?}",
        summary.problems
    );
    let ca = env.desk.orders().get_by_number("#1002").unwrap();
    assert_eq!(
        (
            ca.ship_to.country.as_str(),
            ca.ship_to.state.as_str(),
            ca.ship_to.zip5.as_str()
        ),
        ("CA", "ON", "K1A 0A9")
    );
    assert!(!ca.ship_to.is_domestic());
    assert!(
        env.desk
            .orders()
            .get_by_number("#1001")
            .unwrap()
            .ship_to
            .is_domestic()
    );
    // The same file again: still two orders, nothing dropped or doubled.
    let again = env
        .desk
        .orders()
        .import_file(
            &path,
            &ImportOptions::default(),
            |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!((again.new, again.unchanged), (0, 2));
}

/// A Shopify export with one US order and one to Ottawa.
pub const SHOPIFY_WITH_CANADA: &str = "Name,Email,Financial Status,Fulfillment Status,\
Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,\
Shipping Name,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,\
Shipping Province,Shipping Country,Shipping Phone,Notes,Cancelled at,Id,Tags\r\n\
#1001,ann@example.com,paid,unfulfilled,2026-11-10 09:00:00 -0600,1,Mug,12.00,MUG-1,true,Ann Lee,\
1 Main St,,,Austin,78701,TX,US,,,,9001,\r\n\
#1002,guy@example.ca,paid,unfulfilled,2026-11-10 10:00:00 -0500,2,Tea tin,8.00,TEA-1,true,\
Guy Tremblay,111 Wellington St,,,Ottawa,K1A 0A9,ON,CA,,,,9002,\r\n";

/// The reproduction: a file whose first 64 KB are clean and whose later row carries a
/// terminal escape (a title change), a bell, a colour and NUL bytes. The order is imported
/// without them, and the warning names the line and the fields.
#[test]
fn control_characters_deep_in_a_file_never_reach_the_store() {
    let env = Env::new();
    let mut text = String::from("Order ID,Name,Address,City,State,Zip,Item,Notes\n");
    let mut line = 1;
    while text.len() < 80 * 1024 {
        line += 1;
        text.push_str(&format!(
            "N-{line},Ann Lee,{line} Main St,Austin,TX,78701,Mug,\n"
        ));
    }
    let hostile_line = line + 1;
    text.push_str(
        "EVIL-1,\u{1b}]0;pwned\u{7}Eve \u{1b}[31mRed\u{1b}[0m,1 Main\u{0} St,Austin,TX,78701,\
         Mug\u{202e}gpj.exe,\"ring\u{7}\u{7} twice\"\n",
    );
    let path = env.file("big.csv", &text);
    let summary = env.import_with_suggestion(&path);
    assert_eq!(summary.invalid, 0, "{:?}", summary.problems);
    assert_eq!(summary.new as u64, summary.rows);

    let evil = env.desk.orders().get_by_number("EVIL-1").unwrap();
    assert_eq!(evil.ship_to.name, "]0;pwnedEve [31mRed[0m");
    assert_eq!(evil.ship_to.street1, "1 Main St");
    assert_eq!(evil.items[0].title, "Muggpj.exe");
    assert_eq!(evil.notes.as_deref(), Some("ring twice"));
    assert_clean("the imported order", &evil);
    assert_clean("every order", &env.all());

    let warned: Vec<(&str, u64)> = summary
        .warnings
        .iter()
        .map(|w| (w.field.as_str(), w.line))
        .collect();
    assert_eq!(
        warned,
        [
            ("ship_to.name", hostile_line),
            ("ship_to.street1", hostile_line),
            ("items[0].title", hostile_line),
            ("notes", hostile_line)
        ],
        "{:?}",
        summary.warnings
    );
    assert!(
        summary.warnings[0]
            .message
            .starts_with(&format!("line {hostile_line}: recipient name: 4 invisible")),
        "{}",
        summary.warnings[0].message
    );
    // Search finds it by what is left.
    let found = env
        .desk
        .orders()
        .list(&OrderQuery {
            search: Some("pwnedEve".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total, 1);
}

/// The order form (and IPC, and the CLI: they all call the same service) cleans the same way,
/// takes an order without items, and keeps a foreign address; the other texts a desk saves —
/// tags, mapping names, ship-from addresses, package presets — are cleaned too.
#[test]
fn the_form_and_every_other_text_input_are_cleaned_too() {
    let env = Env::new();
    let orders = env.desk.orders();
    let created = orders
        .create(OrderInput {
            order_number: "F-1\u{1b}[2J".into(),
            ship_to: Address {
                name: "Zoë\u{7} Ng".into(),
                street1: "10 Downing St".into(),
                city: "London".into(),
                zip5: "sw1a 2aa".into(),
                country: "United Kingdom".into(),
                ..Default::default()
            },
            items: vec![],
            tags: vec!["gift\u{0}".into()],
            notes: Some("first line\r\nsecond\u{9b} line".into()),
            status: None,
        })
        .unwrap();
    assert_eq!(created.order_number, "F-1[2J");
    assert_eq!(created.ship_to.name, "Zoë Ng");
    assert_eq!(
        (
            created.ship_to.country.as_str(),
            created.ship_to.zip5.as_str()
        ),
        ("GB", "SW1A 2AA")
    );
    assert!(created.items.is_empty());
    assert_eq!(created.tags, ["gift"]);
    assert_eq!(created.notes.as_deref(), Some("first line\nsecond line"));

    orders
        .set_tags(&[created.id], &["rush\u{1b}".into()], &[])
        .unwrap();
    assert_eq!(orders.get(created.id).unwrap().tags, ["gift", "rush"]);
    assert_clean("the created order", &orders.get(created.id).unwrap());

    let mut mapping = shipdesk_core::import::ColumnMapping {
        name: "Sheet\u{1b}[1m".into(),
        columns: Default::default(),
        weight_unit: None,
    };
    mapping
        .columns
        .insert(MappedField::Street1, "Address".into());
    orders.save_mapping(&mapping).unwrap();
    assert_eq!(orders.list_mappings().unwrap()[0].name, "Sheet[1m");

    let shipping = env.desk.shipping();
    let from = shipping
        .add_ship_from(ShipFromInput {
            nickname: "Shop\u{7}".into(),
            address: Address {
                name: "Ann\u{1b} Lee".into(),
                street1: "1 Main St".into(),
                city: "Austin".into(),
                state: "TX".into(),
                zip5: "78701".into(),
                country: "US".into(),
                ..Default::default()
            },
            is_default: true,
        })
        .unwrap();
    assert_eq!(
        (from.nickname.as_str(), from.address.name.as_str()),
        ("Shop", "Ann Lee")
    );
    let preset = shipping
        .add_package_preset(PackagePresetInput {
            name: "Mailer\u{202e}".into(),
            dimensions: Dimensions {
                length_in: 10.into(),
                width_in: 8.into(),
                height_in: 4.into(),
            },
            weight_oz: None,
            is_default: None,
        })
        .unwrap();
    assert_eq!(preset.name, "Mailer");
    // A name of nothing but control characters is a missing name.
    let refused = shipping
        .add_package_preset(PackagePresetInput {
            name: "\u{7}\u{1b}".into(),
            dimensions: preset.dimensions,
            weight_oz: None,
            is_default: None,
        })
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Validation);
    let refused = orders
        .create(OrderInput {
            order_number: "F-2".into(),
            ship_to: Address {
                name: "\u{1b}\u{7}".into(),
                street1: "1 Main St".into(),
                city: "Austin".into(),
                state: "TX".into(),
                zip5: "78701".into(),
                ..Default::default()
            },
            items: vec![LineItem {
                sku: None,
                title: "Mug".into(),
                quantity: 1,
                unit_price: None,
                weight_oz: None,
                hs_tariff: None,
                origin_country: None,
                currency: None,
            }],
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Validation);
    assert!(refused.message.contains("recipient name is missing"));
}

/// A row USPS would refuse to print (a street over 50 characters as printed) is held back at the
/// import with its line and field, and the rest of the file imports; accented names fit as the
/// plain letters a label prints.
#[test]
fn a_row_too_long_for_a_usps_label_is_named_at_import() {
    let env = Env::new();
    let long_street = format!("1 Main St, Building {}", "B".repeat(40));
    let list = format!(
        "Name,Address,City,ST,Zip\n\
         Ann Lee,\"{long_street}\",Austin,TX,78701\n\
         Zoë Ångström,2 Elm St,Reno,NV,89501\n"
    );
    let path = env.file("long.csv", list);
    let summary = env.import_with_suggestion(&path);
    assert_eq!(
        (summary.new, summary.invalid),
        (1, 1),
        "{:?}",
        summary.problems
    );
    let problem = &summary.problems[0];
    assert_eq!(
        (problem.line, problem.field.as_str()),
        (2, "ship_to.street1")
    );
    assert!(
        problem.message.contains("is 60 characters") && problem.message.contains("at most 50"),
        "{}",
        problem.message
    );
    assert_eq!(env.all()[0].ship_to.name, "Zoë Ångström");
}
