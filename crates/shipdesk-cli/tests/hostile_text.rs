//! Text from files and the store, run as the real binary: terminal control sequences stored in
//! an order come out escaped in `orders show`, `orders list` and error messages; the mapping
//! command suggested for an unrecognised file, pasted into `sh`, passes each header through
//! literally and runs nothing; a search without letters or numbers says so.

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

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_shipdesk"))
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env_remove("SHIPDESK_DATA_DIR")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Bytes and characters that must never reach a terminal from order data.
fn assert_no_raw_controls(what: &str, text: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(raw.is_empty(), "{what} printed raw {raw:?}:\n{text}");
}

/// One order imported normally, then given control sequences directly in the database, as data
/// stored by an older version or another program would hold them.
fn desk_with_hostile_order() -> Desk {
    let desk = Desk::new();
    let csv = desk.file(
        "orders.csv",
        "Order ID,Ship To,Street,City,State,ZIP,Contents\n1001,Ann Lee,1 Main St,Austin,TX,78701,Mug\n",
    );
    let mut save = vec!["orders", "mapping", "save", "Sheet"];
    for c in [
        "order_number=Order ID",
        "name=Ship To",
        "street1=Street",
        "city=City",
        "state=State",
        "zip=ZIP",
        "item_title=Contents",
    ] {
        save.extend(["--column", c]);
    }
    desk.json(&save);
    desk.json(&["orders", "import", s(&csv), "--mapping", "Sheet"]);
    let db = rusqlite::Connection::open(desk.data().join("shipdesk.sqlite3")).unwrap();
    let changed = db
        .execute(
            "UPDATE orders SET ship_name = ?1, ship_city = ?2, notes = ?3",
            [
                "Ann \u{1b}]0;pwned\u{7} \u{1b}[31mRed\u{1b}[0m \u{202e}reversed\u{2066}",
                "Aus\u{9b}2Jtin\u{0}\u{7f}",
                "Ring twice\n\u{1b}[2JLeave at door\r",
            ],
        )
        .unwrap();
    assert_eq!(changed, 1);
    db.execute("UPDATE order_items SET title = 'Mug \u{1b}[5m\u{8}'", [])
        .unwrap();
    desk
}

#[test]
fn stored_control_sequences_are_printed_escaped() {
    let desk = desk_with_hostile_order();

    let shown = desk.ok(&["orders", "show", "1001"]);
    assert_no_raw_controls("orders show", &shown);
    assert!(
        shown.contains(
            r"Ship to: Ann \u{1b}]0;pwned\u{7} \u{1b}[31mRed\u{1b}[0m \u{202e}reversed\u{2066}"
        ),
        "{shown}"
    );
    assert!(
        shown.contains(r"Aus\u{9b}2Jtin\u{0}\u{7f}, TX 78701"),
        "{shown}"
    );
    assert!(
        shown.contains("Notes: Ring twice\n       \\u{1b}[2JLeave at door\\u{d}"),
        "notes keep their lines, indented: {shown}"
    );
    assert!(shown.contains(r"1 x Mug \u{1b}[5m\u{8}"), "{shown}");

    let listed = desk.ok(&["orders", "list"]);
    assert_no_raw_controls("orders list", &listed);
    assert_eq!(listed.lines().count(), 2, "one row and the count: {listed}");
    assert!(listed.contains(r"Ann \u{1b}]0;pwned\u{7}"), "{listed}");

    // JSON carries the text exactly; serde escapes it.
    let json = desk.ok(&["--json", "orders", "show", "1001"]);
    assert_no_raw_controls("orders show --json", &json);
    let order: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        order["ship_to"]["name"],
        "Ann \u{1b}]0;pwned\u{7} \u{1b}[31mRed\u{1b}[0m \u{202e}reversed\u{2066}"
    );

    // Error messages quoting what was typed.
    let missing = desk.run(&["orders", "show", "\u{1b}]0;pwned\u{7}"]);
    assert!(!missing.status.success());
    let err = String::from_utf8(missing.stderr).unwrap();
    assert_no_raw_controls("the error", &err);
    assert!(err.contains(r"\u{1b}]0;pwned\u{7}"), "{err}");
}

#[test]
fn a_search_without_letters_or_numbers_says_so() {
    let desk = desk_with_hostile_order();
    for search in ["*", "—", "🙂", "\"", "(", "\u{1b}"] {
        let out = desk.run(&["orders", "list", "--search", search]);
        assert!(!out.status.success(), "{search:?}");
        assert!(out.stdout.is_empty(), "{search:?} lists nothing");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_no_raw_controls("the error", &err);
        assert!(
            err.starts_with("error: Nothing to search for in"),
            "{search:?}: {err}"
        );
        let json = desk.run(&["--json", "orders", "list", "--search", search]);
        let e: Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(e["code"], "VALIDATION");
    }
    let found = desk.json(&["orders", "list", "--search", "#1001"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    let none = desk.json(&["orders", "list", "--search", "name:ann OR x"]);
    assert_eq!(none.as_array().unwrap().len(), 0);
}

/// Headers a hostile export could carry, each recognised by its word before the parenthesis.
const HOSTILE_HEADERS: [&str; 7] = [
    "Order ID ($(touch pwned))",
    "Ship To (`touch pwned`)",
    "Street (it's; touch pwned)",
    "City (say \"hi\" *)",
    "State (a\nb)",
    "ZIP (~ {a,b} $HOME \\ x)",
    "Contents (| touch pwned &)",
];

/// The suggested command from a text preview: from `shipdesk` to the first line break outside
/// single quotes (a header may hold one).
fn suggested_command(preview: &str) -> &str {
    let start = preview.find("suggested: ").expect(preview) + "suggested: ".len();
    let rest = &preview[start..];
    let (mut quoted, mut escaped) = (false, false);
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if !quoted => escaped = true,
            '\'' => quoted = !quoted,
            '\n' if !quoted => return &rest[..i],
            _ => {}
        }
    }
    rest
}

/// Runs `script` with `sh -c` in an empty directory, after `prelude` defines `shipdesk`.
fn sh_in_empty_dir(prelude: &str, command: &str) -> (Output, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{prelude}\n{command}"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let left: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    (out, left)
}

#[test]
fn the_suggested_mapping_command_is_quoted_for_the_shell() {
    let desk = Desk::new();
    let header: Vec<String> = HOSTILE_HEADERS
        .iter()
        .map(|h| format!("\"{}\"", h.replace('"', "\"\"")))
        .collect();
    let csv = desk.file(
        "hostile.csv",
        &format!(
            "{}\n1001,Ann Lee,1 Main St,Austin,TX,78701,Mug\n",
            header.join(",")
        ),
    );
    let preview = desk.json(&["orders", "preview", s(&csv)]);
    assert_eq!(preview["needs_mapping"], true);
    let suggested = preview["suggested_mapping"]["columns"]
        .as_object()
        .unwrap()
        .clone();
    let mut wanted: Vec<String> = suggested
        .iter()
        .map(|(field, header)| format!("{field}={}", header.as_str().unwrap()))
        .collect();
    wanted.sort();
    let headers_suggested = suggested
        .values()
        .filter(|h| HOSTILE_HEADERS.contains(&h.as_str().unwrap()))
        .count();
    assert_eq!(headers_suggested, HOSTILE_HEADERS.len(), "{suggested:?}");

    let text = desk.ok(&["orders", "preview", s(&csv)]);
    let command = suggested_command(&text);
    assert!(command.starts_with("shipdesk orders mapping save NAME --column '"));

    // With a stand-in that prints its arguments, NUL-separated: each arrives whole and literal.
    let (out, left) = sh_in_empty_dir(
        r#"shipdesk() { for a in "$@"; do printf '%s\000' "$a"; done; }"#,
        command,
    );
    assert!(out.status.success(), "{command}\n{out:?}");
    assert!(left.is_empty(), "the command created {left:?}");
    let args: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .split_terminator('\0')
        .map(str::to_owned)
        .collect();
    let (fixed, columns) = args.split_at(4);
    assert_eq!(fixed, ["orders", "mapping", "save", "NAME"], "{command}");
    let mut got: Vec<String> = Vec::new();
    for pair in columns.chunks(2) {
        assert_eq!(pair[0], "--column", "{command}");
        got.push(pair[1].clone());
    }
    got.sort();
    assert_eq!(got, wanted, "{command}");

    // And run for real, it saves the mapping the preview suggested.
    let bin = env!("CARGO_BIN_EXE_shipdesk");
    let prelude = format!(
        "shipdesk() {{ '{}' --data-dir '{}' \"$@\"; }}",
        bin,
        desk.data().display()
    );
    let (out, left) = sh_in_empty_dir(&prelude, command);
    assert!(out.status.success(), "{command}\n{out:?}");
    assert!(left.is_empty(), "the command created {left:?}");
    let saved = desk.json(&["orders", "mapping", "list"]);
    assert_eq!(saved[0]["name"], "NAME");
    assert_eq!(
        saved[0]["columns"].as_object().unwrap(),
        &suggested,
        "saved exactly as suggested"
    );
}
