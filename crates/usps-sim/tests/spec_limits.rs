//! The simulator's field limits (`usps_sim::rules`) agree with the official USPS OpenAPI files
//! in `../shared/usps/openapi`: every row names a field the operation's request schema (or
//! query parameters) has, with exactly that `minLength`/`maxLength`, `pattern`, `minimum`/
//! `exclusiveMinimum`/`maximum` or `maxItems`; and every length or pattern the schema puts on
//! the addresses the simulator checks is in the table. Skipped without `../shared` (a failure
//! under `cargo xtask test`).

mod common;

use common::schema;
use serde_json::Value;
use usps_sim::rules::{self, Limit, Operation};

/// Follows `$ref`s (to `components/<kind>/<name>`).
fn deref<'v>(doc: &'v Value, node: &'v Value) -> &'v Value {
    let mut node = node;
    for _ in 0..32 {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let path: Vec<&str> = r.trim_start_matches("#/").split('/').collect();
        node = path.iter().fold(doc, |v, step| &v[*step]);
        assert!(!node.is_null(), "unresolved {r}");
    }
    panic!("$ref chain too long");
}

/// The node and every schema it is composed of (`allOf`, `oneOf`, `anyOf`), refs followed.
fn parts<'v>(doc: &'v Value, node: &'v Value) -> Vec<&'v Value> {
    let node = deref(doc, node);
    let mut out = vec![node];
    for key in ["allOf", "oneOf", "anyOf"] {
        for sub in node[key].as_array().into_iter().flatten() {
            out.extend(parts(doc, sub));
        }
    }
    out
}

/// Every schema the dotted `field` names below `root` (one per branch that defines it).
fn resolve<'v>(doc: &'v Value, root: &'v Value, field: &str) -> Vec<&'v Value> {
    let mut current = vec![root];
    for step in field.split('.') {
        let (name, into_items) = match step.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (step, false),
        };
        let mut next = Vec::new();
        for node in current {
            for part in parts(doc, node) {
                if let Some(prop) = part["properties"].get(name) {
                    let prop = deref(doc, prop);
                    next.push(if into_items {
                        deref(doc, &prop["items"])
                    } else {
                        prop
                    });
                }
            }
        }
        current = next;
    }
    current
}

/// A keyword of the schema or of any schema it is composed of.
fn keyword<'v>(doc: &'v Value, node: &'v Value, key: &str) -> Option<&'v Value> {
    parts(doc, node).into_iter().find_map(|p| p.get(key))
}

fn operation(doc: &Value, op: Operation) -> &Value {
    let o = &doc["paths"][op.path][op.method];
    assert!(!o.is_null(), "{op:?} is not in {}.yaml", op.spec);
    o
}

/// The schemas a row names: a query parameter of that name, else the JSON request body's.
fn schemas_for<'v>(doc: &'v Value, op: Operation, field: &str) -> Vec<&'v Value> {
    let o = operation(doc, op);
    let parameter = o["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| deref(doc, p))
        .find(|p| p["in"] == "query" && p["name"] == field);
    if let Some(p) = parameter {
        return vec![deref(doc, &p["schema"])];
    }
    let body = deref(doc, &o["requestBody"]);
    let root = &body["content"]["application/json"]["schema"];
    assert!(!root.is_null(), "{op:?} has no JSON request body");
    resolve(doc, root, field)
}

fn agrees(doc: &Value, node: &Value, limit: Limit) -> Result<(), String> {
    let num = |k: &str| keyword(doc, node, k).and_then(Value::as_f64);
    let exclusive = keyword(doc, node, "exclusiveMinimum") == Some(&Value::Bool(true));
    let found = match limit {
        Limit::Length { min, max } => {
            let spec = (num("minLength").unwrap_or(0.0), num("maxLength"));
            (spec == (min as f64, Some(max as f64)), format!("{spec:?}"))
        }
        Limit::Pattern(shape) => {
            let spec = keyword(doc, node, "pattern").and_then(Value::as_str);
            (
                spec == Some(shape.spec_pattern().as_str()),
                format!("{spec:?}"),
            )
        }
        Limit::Above(min) => {
            let spec = (num("minimum"), exclusive);
            (spec == (Some(min), true), format!("{spec:?}"))
        }
        Limit::Range { min, max } => {
            let spec = (num("minimum"), num("maximum"), exclusive);
            (spec == (Some(min), max, false), format!("{spec:?}"))
        }
        Limit::MaxItems(max) => {
            let spec = num("maxItems");
            (spec == Some(max as f64), format!("{spec:?}"))
        }
    };
    if found.0 {
        Ok(())
    } else {
        Err(format!("the spec says {}", found.1))
    }
}

#[test]
fn every_limit_in_the_table_is_the_specs() {
    let Some(catalog) = schema::catalog() else {
        return;
    };
    let mut failures = Vec::new();
    for row in rules::all() {
        let doc = catalog
            .spec(row.operation.spec)
            .unwrap_or_else(|| panic!("{} not loaded", row.operation.spec));
        let schemas = schemas_for(doc, row.operation, &row.field);
        if schemas.is_empty() {
            failures.push(format!(
                "{} {}: no field {}",
                row.operation.spec, row.operation.path, row.field
            ));
        }
        for node in schemas {
            if let Err(why) = agrees(doc, node, row.limit) {
                failures.push(format!(
                    "{} {} {}: table {:?}, {why}",
                    row.operation.spec, row.operation.path, row.field, row.limit
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        rules::all().len() > 100,
        "the table covers the served operations"
    );
}

/// Properties the table leaves out on purpose, with why.
const NOT_CHECKED: &[(&str, &str)] = &[
    (
        "streetAddressAbbreviation",
        "read-only: USPS fills it in answers",
    ),
    (
        "state",
        "pickup's pattern also takes state names; the simulator takes codes",
    ),
];

#[test]
fn every_length_and_pattern_on_a_checked_address_is_in_the_table() {
    let Some(catalog) = schema::catalog() else {
        return;
    };
    let objects: &[(Operation, &str)] = &[
        (rules::LABEL, "toAddress"),
        (rules::LABEL, "fromAddress"),
        (rules::LABEL, "senderAddress"),
        (rules::LABEL, "returnAddress"),
        (rules::SCAN_FORM, "fromAddress"),
        (rules::PICKUP, "pickupAddress"),
        (rules::PICKUP, "pickupAddress.address"),
    ];
    let mut missing = Vec::new();
    for (op, object) in objects {
        let doc = catalog.spec(op.spec).unwrap();
        for node in schemas_for(doc, *op, object) {
            for part in parts(doc, node) {
                let Some(props) = part["properties"].as_object() else {
                    continue;
                };
                for (name, prop) in props {
                    let constrained = ["maxLength", "pattern"]
                        .iter()
                        .any(|k| keyword(doc, prop, k).is_some());
                    let field = format!("{object}.{name}");
                    let listed = rules::all()
                        .iter()
                        .any(|r| r.operation == *op && r.field == field);
                    let excused = NOT_CHECKED
                        .iter()
                        .any(|(n, _)| *n == name && (*n != "state" || *op == rules::PICKUP));
                    if constrained && !listed && !excused {
                        missing.push(format!("{} {}", op.spec, field));
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "not in the table: {missing:#?}");
}
