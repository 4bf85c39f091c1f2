//! The five places a command is named agree with `commands/list.rs`, in every direction:
//! the `#[tauri::command]` fns in `commands/<area>.rs`, the registered handlers, the allow-list
//! `build.rs` hands to tauri-build, the capability files, and the names `ui/src/ipc/*.ts`
//! invokes. And every command has an IPC test that names it.
//!
//! A failure lists what is missing where, so the fix is to add (or remove) exactly that.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use shipdesk_core::{AppError, ErrorCode};

use super::{app_with, call};
use crate::AppState;
use crate::commands::COMMANDS_BY_AREA;

type Names = BTreeSet<String>;

fn src_tauri() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn listed() -> Names {
    COMMANDS_BY_AREA
        .iter()
        .flat_map(|(_, names)| names.iter().map(|n| n.to_string()))
        .collect()
}

fn listed_by_area() -> BTreeMap<&'static str, Names> {
    COMMANDS_BY_AREA
        .iter()
        .map(|(area, names)| (*area, names.iter().map(|n| n.to_string()).collect()))
        .collect()
}

/// Fails with every difference between `expected` (from the list) and what `place` has.
fn assert_same(place: &str, expected: &Names, found: &Names) {
    let missing: Vec<&String> = expected.difference(found).collect();
    let extra: Vec<&String> = found.difference(expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{place} disagrees with src-tauri/src/commands/list.rs:\n  \
         listed but missing from {place}: {missing:?}\n  \
         in {place} but not listed: {extra:?}"
    );
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The fn names that follow `#[tauri::command]` in Rust source.
fn command_fns(source: &str) -> Names {
    let mut names = Names::new();
    let mut after_attribute = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[tauri::command") {
            after_attribute = true;
        } else if after_attribute && let Some(rest) = fn_signature(line) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
            after_attribute = false;
        }
    }
    names
}

fn fn_signature(line: &str) -> Option<&str> {
    let line = line.strip_prefix("pub ").unwrap_or(line);
    let line = line.strip_prefix("async ").unwrap_or(line);
    line.strip_prefix("fn ")
}

/// Quoted names right after `call(`, `call<…>(`, `invoke(` or `invoke<…>(` in TypeScript.
fn invoked_names(source: &str) -> Names {
    let mut names = Names::new();
    for callee in ["call", "invoke"] {
        let mut rest = source;
        while let Some(at) = rest.find(callee) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + callee.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let mut args = rest;
            if let Some(generic) = args.strip_prefix('<') {
                let mut depth = 1;
                let Some(end) = generic.char_indices().find_map(|(i, c)| {
                    match c {
                        '<' => depth += 1,
                        '>' => depth -= 1,
                        _ => {}
                    }
                    (depth == 0).then_some(i)
                }) else {
                    continue;
                };
                args = &generic[end + 1..];
            }
            let Some(quoted) = args.strip_prefix("(\"") else {
                continue;
            };
            if let Some(end) = quoted.find('"') {
                names.insert(quoted[..end].to_owned());
            }
        }
    }
    names
}

/// The app's own permissions a capability file grants (plugin ones have a `plugin:` prefix).
fn granted_commands(capability: &Value) -> Names {
    capability["permissions"]
        .as_array()
        .expect("a permissions array")
        .iter()
        .filter_map(|p| p.as_str().or_else(|| p["identifier"].as_str()))
        .filter(|p| !p.contains(':'))
        .map(|p| match p.strip_prefix("allow-") {
            Some(command) => command.replace('-', "_"),
            None => panic!("capabilities grant app commands as allow-<command>, not {p}"),
        })
        .collect()
}

/// The capability file that grants an area's commands.
fn capability_file(area: &str) -> String {
    match area {
        "app" => "main.json".into(),
        area => format!("{area}.json"),
    }
}

#[test]
fn every_command_fn_is_listed_under_its_area() {
    let commands_dir = src_tauri().join("src/commands");
    for (area, names) in listed_by_area() {
        let file = commands_dir.join(format!("{area}.rs"));
        assert_same(
            &format!("the #[tauri::command] fns in {}", file.display()),
            &names,
            &command_fns(&read(&file)),
        );
    }
    // …and there are no commands anywhere else.
    for file in rust_files(&src_tauri().join("src")) {
        let area = file
            .strip_prefix(&commands_dir)
            .ok()
            .and_then(|p| p.to_str())
            .and_then(|p| p.strip_suffix(".rs"));
        if area.is_some_and(|a| listed_by_area().contains_key(a)) {
            continue;
        }
        let stray = command_fns(&read(&file));
        assert!(
            stray.is_empty(),
            "{} defines commands outside commands/<area>.rs: {stray:?}",
            file.display()
        );
    }
}

#[test]
fn every_listed_command_is_registered_and_nothing_else_is() {
    // A desk that did not open: registered commands answer with its error (or refuse their
    // arguments) without touching anything; unregistered names are "not found".
    let failure = AppError::new(ErrorCode::DatabaseTooNew, "not opened");
    // File dialogs answer from a file that does not exist: cancelled, no window opens.
    let no_answers = crate::picked_paths::Dialogs::Answers(PathBuf::from("/nonexistent/answers"));
    let (_app, window) = app_with(AppState::with_desk(Err(failure)).with_dialogs(no_answers));
    let not_found = |name: &str| {
        call(&window, name, json!({})).err() == Some(json!(format!("Command {name} not found")))
    };
    let registered: Names = listed().into_iter().filter(|n| !not_found(n)).collect();
    assert_same("the registered handlers", &listed(), &registered);
    assert!(
        not_found("carriers_no_such_command"),
        "the probe itself works"
    );
}

#[test]
fn build_rs_allow_lists_exactly_the_listed_commands() {
    let allow_listed: Names = env!("SHIPDESK_ALLOW_LISTED_COMMANDS")
        .split(',')
        .map(str::to_owned)
        .collect();
    assert_same("build.rs's allow-list", &listed(), &allow_listed);
}

#[test]
fn each_area_capability_grants_exactly_its_commands() {
    let dir = src_tauri().join("capabilities");
    let by_area = listed_by_area();
    let area_files: BTreeMap<String, &Names> = by_area
        .iter()
        .map(|(area, names)| (capability_file(area), names))
        .collect();
    for file in files_in(&dir, "json") {
        let name = file.file_name().unwrap().to_str().unwrap().to_owned();
        let capability: Value = serde_json::from_str(&read(&file)).unwrap();
        let granted = granted_commands(&capability);
        let expected = area_files.get(&name).copied().cloned().unwrap_or_default();
        assert_same(&format!("capabilities/{name}"), &expected, &granted);
    }
    for name in area_files.keys() {
        assert!(dir.join(name).exists(), "capabilities/{name} is missing");
    }
}

#[test]
fn the_ui_invokes_exactly_the_listed_commands() {
    let dir = src_tauri().join("../ui/src/ipc");
    let invoked: Names = files_in(&dir, "ts")
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with(".test.ts"))
        .flat_map(|p| invoked_names(&read(p)))
        .collect();
    assert_same("ui/src/ipc/*.ts", &listed(), &invoked);
}

#[test]
fn every_command_has_an_ipc_test() {
    let dir = src_tauri().join("src/ipc_tests");
    let mut sources = vec![read(&src_tauri().join("src/ipc_tests.rs"))];
    sources.extend(
        files_in(&dir, "rs")
            .iter()
            .filter(|p| !p.ends_with("commands_agree.rs"))
            .map(|p| read(p)),
    );
    let untested: Vec<String> = listed()
        .into_iter()
        .filter(|name| {
            let quoted = format!("\"{name}\"");
            !sources.iter().any(|s| s.contains(&quoted))
        })
        .collect();
    assert!(
        untested.is_empty(),
        "no IPC test in src-tauri/src/ipc_tests/ calls {untested:?}"
    );
}

#[test]
fn the_scanners_read_what_they_are_meant_to() {
    let rust = concat!(
        "#[tauri::command]\npub async fn one<R: Runtime>(\n",
        "#[tauri::command]\nfn two() {}\nfn not_a_command() {}\n",
        "#[tauri::command(rename_all = \"snake_case\")]\npub fn three() {}",
    );
    assert_eq!(
        command_fns(rust),
        Names::from(["one".into(), "two".into(), "three".into()])
    );
    let ts = r#"a: () => call<number>("app_ready"), b: (x) => call<Foo<Bar[]> | null>("nested", { x }),
        c: () => call("plain"), d: () => invoke<void>("raw"), e: recall("no"), f: x.call("no2"),
        g: () => call(name)"#;
    assert_eq!(
        invoked_names(ts),
        Names::from([
            "app_ready".into(),
            "nested".into(),
            "plain".into(),
            "raw".into()
        ])
    );
    let capability = json!({"permissions": ["core:event:default", "dialog:allow-save",
        "allow-ship-from-list", {"identifier": "allow-label-buy"}]});
    assert_eq!(
        granted_commands(&capability),
        Names::from(["ship_from_list".into(), "label_buy".into()])
    );
}
