//! Orders abroad in the three marketplace layouts, through a real desk and the import the app
//! and CLI run: a Canadian Shopify order (province, postal code with its space, phone), a UK
//! Etsy order (country written as a name, postcode), an Australian eBay order (state, four-digit
//! postcode, phone). Each keeps its country, region, postal code and the item data customs
//! needs (title, quantity, price, SKU), and its customs form is prefilled from them.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rust_decimal::Decimal;
use shipdesk_core::import::ImportOptions;
use shipdesk_core::orders::Order;
use shipdesk_core::ports::MemorySecretStore;
use shipdesk_core::{DataDir, Desk};

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

    /// Imports `text` as `name`; returns the one order it holds.
    fn import_one(&self, name: &str, text: &str, number: &str) -> Order {
        let path: PathBuf = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let summary = self
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
            (1, 0),
            "{name}: {:?}",
            summary.problems
        );
        self.desk.orders().get_by_number(number).unwrap()
    }
}

const SHOPIFY: &str = "Name,Email,Financial Status,Fulfillment Status,Currency,Subtotal,Shipping,\
Total,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,\
Lineitem requires shipping,Shipping Name,Shipping Address1,Shipping Address2,Shipping Company,\
Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Cancelled at,Id,Tags
#5001,amelie@example.ca,paid,unfulfilled,USD,25.00,9.00,34.00,International,2026-11-10 09:00:00 -0600,\
2,Hand Cream,12.50,HC-1,true,Amelie Tremblay,24 Sussex Dr,,,Ottawa,K1M 1M4,ON,CA,+1 613 555 0123,,,5550001,
";

const ETSY: &str = "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,\
Discount Amount,Shipping Discount,Order Shipping,Order Sales Tax,Item Total,Currency,\
Transaction ID,Listing ID,Date Paid,Date Shipped,Ship Name,Ship Address1,Ship Address2,Ship City,\
Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,Listings Type,Payment Type,\
InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU
11/10/26,Wool Hat,knitfan,1,25.00,,,0,0,12.00,0,25.00,USD,111,222,11/10/26,,Oliver Smith,\
10 Downing St,,London,,SW1A 2AA,United Kingdom,5002,Color:Red,online,listing,online_cc,,,0,HAT-R
";

const EBAY: &str = "\"Sales Record Number\",\"Order Number\",\"Buyer Username\",\"Buyer Name\",\
\"Buyer Email\",\"Buyer Note\",Ship To Name,\"Ship To Phone\",Ship To Address 1,Ship To Address 2,\
Ship To City,\"Ship To State\",\"Ship To Zip\",\"Ship To Country\",\"Item Number\",\"Item Title\",\
Custom Label,\"Quantity\",\"Sold For\",\"Total Price\",\"Sale Date\",\"Shipped On Date\",\
Variation Details
\"1301\",\"12-99999-00001\",\"roo\",\"Jack Wilson\",\"jack@example.com.au\",\"\",\"Jack Wilson\",\
\"+61 2 5550 1234\",\"1 Macquarie St\",\"\",\"Sydney\",\"NSW\",\"2000\",\"Australia\",\"2950\",\
\"Vintage Camera\",\"CAM-1\",\"1\",\"$180.00\",\"$180.00\",\"Nov-10-26\",\"\",\"\"
";

#[test]
fn orders_abroad_keep_their_country_region_postal_code_and_customs_data() {
    let env = Env::new();
    let cases = [
        (
            "orders_export.csv",
            SHOPIFY,
            "#5001",
            ("CA", "ON", "K1M 1M4"),
            Some("+1 613 555 0123"),
            "HC-1",
            2,
            Decimal::new(1250, 2),
        ),
        (
            "EtsySoldOrderItems2026.csv",
            ETSY,
            "5002",
            ("GB", "", "SW1A 2AA"),
            None,
            "HAT-R",
            1,
            Decimal::from(25),
        ),
        (
            "eBay-OrdersReport.csv",
            EBAY,
            "12-99999-00001",
            ("AU", "NSW", "2000"),
            Some("+61 2 5550 1234"),
            "CAM-1",
            1,
            Decimal::from(180),
        ),
    ];
    for (file, text, number, (country, region, postal), phone, sku, quantity, price) in cases {
        let order = env.import_one(file, text, number);
        let a = &order.ship_to;
        assert_eq!(
            (a.country.as_str(), a.state.as_str(), a.zip5.as_str()),
            (country, region, postal),
            "{file}"
        );
        assert!(!a.is_domestic(), "{file}");
        assert_eq!(a.phone.as_deref(), phone, "{file}");
        let item = &order.items[0];
        assert_eq!(
            (item.sku.as_deref(), item.quantity, item.unit_price),
            (Some(sku), quantity, Some(price)),
            "{file}"
        );
        // The customs form starts from the items: description, quantity, value.
        let draft = env.desk.shipping().customs_draft(order.id).unwrap();
        let line = &draft.declaration.items[0];
        assert_eq!((line.quantity, line.value_usd), (quantity, price), "{file}");
        assert_eq!(line.sku.as_deref(), Some(sku));
        assert!(
            draft.missing.contains_key("customs.items[0].hs_tariff"),
            "{file}: {:?}",
            draft.missing
        );
    }
}

/// A Shopify export from an app that adds customs columns, priced in Canadian dollars.
const SHOPIFY_WITH_CUSTOMS: &str = "Name,Email,Financial Status,Fulfillment Status,Currency,\
Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,\
Lineitem HS code,Lineitem country of origin,Shipping Name,Shipping Address1,Shipping City,\
Shipping Zip,Shipping Province,Shipping Country,Id
#5101,amelie@example.ca,paid,unfulfilled,CAD,2026-11-10 09:00:00 -0600,2,Hand Cream,16.99,HC-1,true,\
3304.99,France,Amelie Tremblay,24 Sussex Dr,Ottawa,K1M 1M4,ON,CA,5551001
#5101,,,,,,1,Lip Balm,5.49,LB-2,true,3304.10,US,,,,,,,
";

#[test]
fn customs_columns_and_a_foreign_currency_are_kept_and_the_value_in_dollars_is_asked_for() {
    let env = Env::new();
    let order = env.import_one("orders_export.csv", SHOPIFY_WITH_CUSTOMS, "#5101");
    let items = &order.items;
    assert_eq!(
        (
            items[0].hs_tariff.as_deref(),
            items[0].origin_country.as_deref(),
            items[0].currency.as_deref()
        ),
        (Some("3304.99"), Some("FR"), Some("CAD"))
    );
    // The currency is on the order's first row only: its second line is in CAD too.
    assert_eq!(items[1].currency.as_deref(), Some("CAD"));
    assert_eq!(items[1].origin_country.as_deref(), Some("US"));

    let draft = env.desk.shipping().customs_draft(order.id).unwrap();
    assert_eq!(
        draft.declaration.items[0].hs_tariff.as_deref(),
        Some("3304.99")
    );
    assert_eq!(
        draft.declaration.items[0].origin_country.as_deref(),
        Some("FR")
    );
    // A price in CAD is not a customs value in dollars: asked for, not converted by a guess.
    let missing: Vec<&String> = draft.missing.keys().collect();
    assert!(
        missing.contains(&&"customs.items[0].value_usd".to_owned())
            && missing.contains(&&"customs.items[1].value_usd".to_owned()),
        "{:?}",
        draft.missing
    );
    assert!(draft.missing["customs.items[0].value_usd"].contains("16.99 CAD"));
    assert!(
        !missing
            .iter()
            .any(|k| k.ends_with("hs_tariff") || k.ends_with("origin_country"))
    );
}
