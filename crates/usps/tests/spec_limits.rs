//! The field limits the app checks before sending (`usps::limits`) are the official specs'
//! (`../shared/usps/openapi/*.yaml`): if USPS changes one, this fails instead of a purchase.

#[path = "../../../xtask/src/shared_dir.rs"]
mod shared_dir;

use serde_yaml_ng::Value;
use usps::limits;

/// `components.schemas` of one spec; `None` when `../shared` is absent outside `cargo xtask test`.
fn schemas(spec: &str) -> Option<Value> {
    let dir = shared_dir::shared_path("usps/openapi")?;
    let text = std::fs::read_to_string(dir.join(spec)).expect("spec readable");
    let doc: Value = serde_yaml_ng::from_str(&text).expect("spec parses");
    Some(doc["components"]["schemas"].clone())
}

/// The properties of a schema, whether declared directly or in one of its `allOf` parts.
fn property<'a>(schema: &'a Value, name: &str) -> &'a Value {
    let direct = &schema["properties"][name];
    if !direct.is_null() {
        return direct;
    }
    schema["allOf"]
        .as_sequence()
        .into_iter()
        .flatten()
        .map(|part| &part["properties"][name])
        .find(|p| !p.is_null())
        .unwrap_or_else(|| panic!("no property {name}"))
}

fn max_length(v: &Value) -> usize {
    v["maxLength"].as_u64().expect("a maxLength") as usize
}

#[test]
fn text_limits_are_the_specs() {
    for spec in ["domestic-labels.yaml", "addresses.yaml"] {
        let Some(s) = schemas(spec) else { return };
        let address = &s["Address"];
        assert_eq!(
            max_length(property(address, "streetAddress")),
            limits::STREET_ADDRESS_MAX,
            "{spec}"
        );
        assert_eq!(
            max_length(property(address, "secondaryAddress")),
            limits::SECONDARY_ADDRESS_MAX,
            "{spec}"
        );
        assert_eq!(
            max_length(property(&s["DomesticAddress"], "city")),
            limits::CITY_MAX,
            "{spec}"
        );
    }
    let Some(s) = schemas("domestic-labels.yaml") else {
        return;
    };
    for name in ["firstName", "lastName", "firm"] {
        assert_eq!(
            max_length(property(&s["Addressee"], name)),
            limits::NAME_PART_MAX,
            "{name}"
        );
    }
    assert_eq!(max_length(&s["Email"]), limits::EMAIL_MAX);
}

#[test]
fn the_email_rule_agrees_with_the_spec_pattern() {
    let Some(s) = schemas("domestic-labels.yaml") else {
        return;
    };
    // The pattern as the spec states it; the checker in `limits` implements it without a regex
    // engine, so the two are compared on cases either way of each rule.
    assert_eq!(
        s["Email"]["pattern"].as_str(),
        Some(r"^[a-zA-Z0-9_+&*-]+(?:\.[a-zA-Z0-9_+&*-]+)*@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}$")
    );
    for ok in ["a@b.co", "a.b_c+d&e*f-g@x-y.example.org"] {
        assert!(limits::is_valid_email(ok), "{ok}");
    }
    for bad in ["a@b.c", "a.@b.co", ".a@b.co", "a@b_c.co", "a@.co", "a@b.c0"] {
        assert!(!limits::is_valid_email(bad), "{bad}");
    }
}

#[test]
fn the_weight_limit_is_the_specs() {
    let dir = match shared_dir::shared_path("usps/openapi") {
        Some(dir) => dir,
        None => return,
    };
    let text = std::fs::read_to_string(dir.join("domestic-labels.yaml")).unwrap();
    let stated = format!("Items must weigh {} pounds", limits::WEIGHT_MAX_LB);
    assert!(
        text.contains(&stated),
        "the labels spec no longer says: {stated}"
    );
}
