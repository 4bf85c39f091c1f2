//! `shipdesk orders …` run as the real binary: the shared fixtures, a generated file with
//! problems, re-import, archive/unarchive, tags, mappings from flags and from a JSON file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_shipdesk"))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(args)
            .env_remove("SHIPDESK_DATA_DIR")
            .output()
            .unwrap()
    }

    /// Runs with `--json`, asserts success, parses stdout.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

#[path = "../../../xtask/src/shared_dir.rs"]
mod shared_dir;

/// `../shared/fixtures/orders`: skipped when absent, except under `cargo xtask test`.
fn fixtures() -> Option<PathBuf> {
    shared_dir::shared_path("fixtures/orders")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn numbers(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_number"].as_str().unwrap().to_owned())
        .collect()
}

const GENERIC_COLUMNS: [&str; 9] = [
    "order_number=Order ID",
    "name=Ship To",
    "street1=Street",
    "street2=Street 2",
    "city=City",
    "state=State",
    "zip=ZIP",
    "weight=Weight (lb)",
    "item_title=Contents",
];

fn save_generic_mapping(desk: &Desk) {
    let mut args = vec!["orders", "mapping", "save", "Generic"];
    for c in GENERIC_COLUMNS {
        args.extend(["--column", c]);
    }
    let saved = desk.json(&args);
    assert_eq!(saved["columns"]["order_number"], "Order ID");
}

#[test]
fn imports_the_shared_fixtures_and_lists_them_as_json() {
    let Some(dir) = fixtures() else { return };
    let desk = Desk::new();
    let shopify = dir.join("shopify_sample.csv");
    let summary = desk.json(&["orders", "import", s(&shopify)]);
    assert_eq!(summary["format"], "shopify");
    assert_eq!(summary["new"], 3);

    // A scan: by the marketplace's order id too; an already shipped order is refused (exit 1).
    let scanned = desk.json(&["orders", "scan", "7000000000001"]);
    assert_eq!(scanned["order"]["order_number"], "#2001", "{scanned}");
    assert_eq!(scanned["refusal"], Value::Null);
    let shipped = desk.run(&["orders", "scan", "2003"]);
    assert!(!shipped.status.success());
    assert!(
        String::from_utf8_lossy(&shipped.stdout).contains("already shipped"),
        "{}",
        String::from_utf8_lossy(&shipped.stdout)
    );

    let generic = dir.join("generic_sample.csv");
    let refused = desk.run(&["--json", "orders", "import", s(&generic)]);
    assert!(!refused.status.success());
    let err: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(err["code"], "VALIDATION");

    save_generic_mapping(&desk);
    let summary = desk.json(&["orders", "import", s(&generic), "--mapping", "generic"]);
    assert_eq!(
        (summary["new"].as_u64(), summary["mapping"].as_str()),
        (Some(3), Some("Generic"))
    );

    let list = desk.json(&["orders", "list"]);
    assert_eq!(
        numbers(&list),
        ["#2001", "#2002", "#2003", "G-100", "G-101", "G-102"]
    );
    let first = &list[0];
    assert_eq!(first["status"], "awaiting_shipment");
    assert_eq!(first["ship_to"]["name"], "Rita Gomez");
    assert_eq!(first["ship_to"]["zip5"], "78701");
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    assert_eq!(first["items"][0]["unit_price"], "12.00");
    assert_eq!(list[4]["items"][0]["weight_oz"], "4");

    let shipped = desk.json(&["orders", "list", "--status", "shipped"]);
    assert_eq!(numbers(&shipped), ["#2003"]);
    let found = desk.json(&["orders", "list", "--search", "beacon"]);
    assert_eq!(numbers(&found), ["#2002"]);
    let tagged = desk.json(&["orders", "list", "--tag", "wholesale"]);
    assert_eq!(numbers(&tagged), ["#2001"]);
    let by_name = desk.json(&["orders", "list", "--sort", "name", "--limit", "2"]);
    assert_eq!(numbers(&by_name), ["G-100", "G-101"]);

    let shown = desk.json(&["orders", "show", "2002"]);
    assert_eq!(shown["ship_to"]["zip5"], "02108");
    let text = desk.run(&["orders", "show", "#2003"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Acme, Inc.") && text.contains("94043-1351"),
        "{text}"
    );

    // Again: nothing new, the shipped order is skipped.
    let again = desk.json(&["orders", "import", s(&shopify)]);
    assert_eq!(
        (again["new"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(again["skipped"], 1);
}

#[test]
fn archive_unarchive_and_tags() {
    let desk = Desk::new();
    save_generic_mapping(&desk);
    let f = desk.file(
        "orders.csv",
        "Order ID,Ship To,Street,Street 2,City,State,ZIP,Weight (lb),Contents\n\
         A-1,Ann Lee,1 Main St,,Austin,TX,78701,1,Mug\n\
         A-2,Bo Chan,2 Elm St,,Reno,NV,89501,2,Cup\n",
    );
    desk.json(&["orders", "import", s(&f), "--mapping", "Generic"]);
    let r = desk.json(&["orders", "archive", "A-1"]);
    assert_eq!(r["changed"], 1);
    assert_eq!(numbers(&desk.json(&["orders", "list"])), ["A-2"]);
    let all = desk.json(&["orders", "list", "--archived"]);
    assert_eq!(numbers(&all), ["A-1", "A-2"]);
    assert_eq!(all[0]["archived"], true);
    desk.json(&["orders", "unarchive", "A-1"]);
    assert_eq!(numbers(&desk.json(&["orders", "list"])), ["A-1", "A-2"]);

    let missing = desk.run(&["--json", "orders", "archive", "A-1", "Z-9"]);
    assert!(!missing.status.success());
    let err: Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert_eq!(err["code"], "NOT_FOUND");
    assert_eq!(
        numbers(&desk.json(&["orders", "list"])),
        ["A-1", "A-2"],
        "all or nothing"
    );

    desk.json(&["orders", "tag", "A-1", "A-2", "--add", "rush"]);
    desk.json(&["orders", "tag", "A-2", "--remove", "rush"]);
    assert_eq!(
        numbers(&desk.json(&["orders", "list", "--tag", "rush"])),
        ["A-1"]
    );
}

#[test]
fn problems_name_the_line_and_the_good_rows_still_import() {
    let desk = Desk::new();
    let mapping = desk.file(
        "mapping.json",
        r#"{"columns": {"order_number": "Ref", "name": "Who", "street1": "Addr",
            "city": "Town", "state": "St", "zip": "Postal", "sku": "SKU", "quantity": "Qty",
            "unit_price": "Price", "weight": "Wt"}, "weight_unit": "g"}"#,
    );
    let saved = desk.json(&[
        "orders",
        "mapping",
        "save",
        "Warehouse",
        "--file",
        s(&mapping),
    ]);
    assert_eq!(saved["weight_unit"], "g");
    let list = desk.json(&["orders", "mapping", "list"]);
    assert_eq!(list[0]["name"], "Warehouse");

    let f = desk.file(
        "warehouse.tsv",
        "Ref\tWho\tAddr\tTown\tSt\tPostal\tSKU\tQty\tPrice\tWt\n\
         W-1\tAnn Lee\t1 Main St\tAustin\tTX\t78701\tMUG\t2\t$1,200.50\t500\n\
         W-2\tBo Chan\t2 Elm St\tReno\tNV\t\tCUP\t1\t3.00\t100\n\
         W-3\tCy Dee\t3 Oak St\tHartford\tCT\t6103\tHAT\tx\t5.00\t100\n",
    );
    let summary = desk.json(&["orders", "import", s(&f), "--mapping", "warehouse"]);
    assert_eq!(
        (summary["new"].as_u64(), summary["invalid"].as_u64()),
        (Some(1), Some(2))
    );
    let messages: Vec<&str> = summary["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages[0], "line 3: ZIP is missing");
    assert!(
        messages[1].starts_with("line 4: quantity \"x\""),
        "{messages:?}"
    );
    let w1 = desk.json(&["orders", "show", "W-1"]);
    assert_eq!(w1["items"][0]["unit_price"], "1200.50");
    assert_eq!(w1["items"][0]["weight_oz"], "17.64");

    // The text output says the same, line by line.
    let text = desk.run(&["orders", "import", s(&f), "--mapping", "warehouse"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("1 unchanged") && text.contains("line 3: ZIP is missing"),
        "{text}"
    );

    desk.json(&["orders", "mapping", "delete", "Warehouse"]);
    let gone = desk.run(&[
        "--json",
        "orders",
        "import",
        s(&f),
        "--mapping",
        "warehouse",
    ]);
    let err: Value = serde_json::from_slice(&gone.stdout).unwrap();
    assert_eq!(err["code"], "NOT_FOUND");
}

#[test]
fn a_broken_file_is_a_clear_error() {
    let desk = Desk::new();
    let f = desk.file(
        "broken.csv",
        "Name,Lineitem name,Lineitem quantity,Shipping Zip\n#1,\"Mug,1,78701\n#2,Cup,1,78701\n",
    );
    let out = desk.run(&["--json", "orders", "import", s(&f)]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "VALIDATION");
    assert!(
        err["message"].as_str().unwrap().starts_with("line 2:"),
        "{err}"
    );
    let bad_column = desk.run(&[
        "--json",
        "orders",
        "mapping",
        "save",
        "X",
        "--column",
        "colour=Red",
    ]);
    let err: Value = serde_json::from_slice(&bad_column.stdout).unwrap();
    assert!(
        err["message"].as_str().unwrap().contains("unknown field"),
        "{err}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_and_the_limit_can_be_raised() {
    let desk = Desk::new();
    let mut csv = String::from("Name,Lineitem name,Lineitem quantity,Shipping Zip\n");
    while csv.len() < 1536 * 1024 {
        csv.push_str("#1,Mug,1,78701\n");
    }
    let f = desk.file("big.csv", &csv);
    let out = desk.run(&["--json", "orders", "import", "--max-size-mb", "1", s(&f)]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "VALIDATION", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("big.csv is"),
        "{err}"
    );
    // With the limit raised to 2 MB the file is read; its rows are then judged as rows.
    let out = desk.run(&["--json", "orders", "import", "--max-size-mb", "2", s(&f)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("imports files up to"), "{text}");
}
