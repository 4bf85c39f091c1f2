//! The reproduction through the real `shipdesk` binary: a file whose first 64 KB are
//! clean and whose later row carries a terminal title change, a bell, colours, a bidi override
//! and NUL. After the import, neither what is stored (`--json`) nor what `orders show` and
//! `orders list` print holds any of them.

use std::process::{Command, Output};

use serde_json::Value;

fn run(data: &std::path::Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_shipdesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("SHIPDESK_DATA_DIR")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// C0 (but tab, CR, LF), DEL, C1, and the bidi embedding/override/isolate controls.
fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn assert_no_forbidden(what: &str, text: &str) {
    for c in text.chars() {
        assert!(!forbidden(c), "{what}: {c:?} in {text:?}");
    }
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn control_characters_deep_in_a_file_are_neither_stored_nor_printed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut text = String::from("Order ID,Name,Address,City,State,Zip,Item,Notes\n");
    let mut n = 0;
    while text.len() < 80 * 1024 {
        n += 1;
        text.push_str(&format!("N-{n},Ann Lee,{n} Main St,Austin,TX,78701,Mug,\n"));
    }
    text.push_str(
        "EVIL-1,\u{1b}]0;pwned\u{7}Eve \u{1b}[31mRed\u{1b}[0m,1 Main\u{0} St,Austin,TX,78701,\
         Mug\u{202e}gpj.exe,\"ring\u{9b}\u{7} twice\"\n",
    );
    let file = dir.path().join("orders.csv");
    std::fs::write(&file, &text).unwrap();
    let mut save = vec!["orders", "mapping", "save", "Sheet"];
    for c in [
        "order_number=Order ID",
        "name=Name",
        "street1=Address",
        "city=City",
        "state=State",
        "zip=Zip",
        "item_title=Item",
        "notes=Notes",
    ] {
        save.extend(["--column", c]);
    }
    run(&data, &save);
    let summary: Value = serde_json::from_slice(
        &run(
            &data,
            &[
                "--json",
                "orders",
                "import",
                file.to_str().unwrap(),
                "--mapping",
                "Sheet",
            ],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(summary["new"].as_u64(), Some(n + 1), "{summary}");
    let warnings = summary["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w["field"] == "ship_to.name" && w["line"] == n + 2),
        "{warnings:?}"
    );

    let stored: Value =
        serde_json::from_slice(&run(&data, &["--json", "orders", "show", "EVIL-1"]).stdout)
            .unwrap();
    assert_eq!(stored["ship_to"]["name"], "]0;pwnedEve [31mRed[0m");
    let mut all = Vec::new();
    strings(&stored, &mut all);
    for s in &all {
        assert_no_forbidden("stored", s);
    }

    let shown = run(&data, &["orders", "show", "EVIL-1"]).stdout;
    let shown = String::from_utf8(shown).expect("the output is UTF-8");
    assert_no_forbidden("orders show", &shown);
    assert!(shown.contains("pwnedEve"), "{shown}");
    let listed = run(&data, &["orders", "list", "--search", "pwnedEve"]).stdout;
    let listed = String::from_utf8(listed).unwrap();
    assert_no_forbidden("orders list", &listed);
    assert!(listed.contains("EVIL-1"), "{listed}");
}
