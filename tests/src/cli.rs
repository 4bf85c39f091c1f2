//! The real `shipdesk` command on an app's data directory, for tests that set up or race the
//! app from a script as a shop would.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The Shopify export header the orders are written under.
const HEADER: &str = "Name,Email,Financial Status,Fulfillment Status,Currency,Subtotal,Shipping,\
Total,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,\
Lineitem requires shipping,Shipping Name,Shipping Address1,Shipping Address2,Shipping Company,\
Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Cancelled at,Id,Tags";

/// The `shipdesk` binary `cargo xtask test` built, or None (after saying why) outside it.
pub fn cli_binary(test: &str) -> Option<PathBuf> {
    let bin = std::env::var_os("SHIPDESK_CLI_BIN").map(PathBuf::from);
    match bin {
        Some(bin) if bin.exists() => Some(bin),
        _ if std::env::var_os("SHIPDESK_E2E").is_some() => panic!(
            "end-to-end environment missing: SHIPDESK_CLI_BIN does not name the built `shipdesk`"
        ),
        _ => {
            println!("SKIPPED {test}: no SHIPDESK_CLI_BIN: run it with `cargo xtask test`");
            None
        }
    }
}

/// The real `shipdesk` command on the app's data directory, in the same session (so the same
/// keyring) as the app.
pub struct Cli {
    pub bin: PathBuf,
    pub data: PathBuf,
}

impl Cli {
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--data-dir")
            .arg(&self.data)
            .args(args)
            .env_remove("SHIPDESK_DATA_DIR")
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "shipdesk {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    pub fn add_ship_from(&self) {
        self.json(&[
            "ship-from",
            "add",
            "--nickname",
            "Shop",
            "--name",
            "John Smith",
            "--company",
            "Bingham Goods",
            "--street",
            "4120 Bingham Ave",
            "--city",
            "Saint Louis",
            "--state",
            "MO",
            "--zip",
            "63116",
            "--email",
            "john@example.com",
            "--default",
        ]);
    }

    /// `count` paid Shopify orders #3001…, without weights, imported through `orders import`.
    pub fn import_orders(&self, count: usize) {
        let places = [
            ("500 Congress Ave", "Austin", "78701", "TX"),
            ("21 Beacon St", "Boston", "02108", "MA"),
            ("2516 W North Ave", "Chicago", "60647", "IL"),
        ];
        let mut csv = String::from(HEADER);
        for i in 0..count {
            let (street, city, zip, state) = places[i % places.len()];
            csv.push_str(&format!(
                "\n#{},,paid,unfulfilled,USD,10.00,5.00,15.00,Standard,2026-11-10 09:00:00 -0600,\
                 1,Widget,10.00,W-{i},true,Customer Person{i},{street},,,{city},'{zip},{state},US,,,,{},",
                3001 + i,
                8_000_000_000_000u64 + i as u64
            ));
        }
        let file = self.data.with_file_name(format!(
            "{}-orders.csv",
            self.data.file_name().unwrap().to_string_lossy()
        ));
        std::fs::write(&file, csv).unwrap();
        let imported = self.json(&["orders", "import", file.to_str().unwrap()]);
        let _ = std::fs::remove_file(&file);
        assert_eq!(imported["new"], count, "{imported}");
    }
}
