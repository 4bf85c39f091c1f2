//! What a label PDF shows, built from the stored request and `LabelMetadata`.

use serde_json::{Value, json};

use super::addresses::standardize;
use crate::pricing;

fn address_lines(a: &Value) -> Vec<String> {
    let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
    let name = [s("firstName"), s("lastName")].join(" ").trim().to_string();
    let mut lines: Vec<String> = [name, s("firm"), s("streetAddress"), s("secondaryAddress")]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    let zip = if s("ZIPPlus4").is_empty() {
        s("ZIPCode")
    } else {
        format!("{}-{}", s("ZIPCode"), s("ZIPPlus4"))
    };
    lines.push(format!("{} {} {}", s("city"), s("state"), zip));
    lines
}

/// What the label PDF shows, from the stored request and metadata.
pub fn label_spec(request: &Value, meta: &Value, show_postage: bool) -> labels::LabelSpec {
    let weight = meta["weight"].as_f64().unwrap_or(0.0);
    let (lb, oz) = (
        weight.trunc() as u32,
        ((weight.fract() * 16.0).round()) as u32,
    );
    let mail_class = request["packageDescription"]["mailClass"]
        .as_str()
        .unwrap_or_default();
    let service = pricing::class_info(mail_class).map_or(mail_class.replace('_', " "), |i| {
        i.product_name.to_ascii_uppercase()
    });
    let total = meta["postage"].as_f64().unwrap_or(0.0)
        + meta["extraServices"]
            .as_array()
            .map_or(0.0, |e| e.iter().filter_map(|x| x["price"].as_f64()).sum());
    labels::LabelSpec {
        tracking_number: meta["trackingNumber"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        service_name: service,
        from_address: address_lines(&json!({
            "firstName": request["fromAddress"]["firstName"].as_str().unwrap_or_default().to_ascii_uppercase(),
            "lastName": request["fromAddress"]["lastName"].as_str().unwrap_or_default().to_ascii_uppercase(),
            "firm": request["fromAddress"]["firm"].as_str().unwrap_or_default().to_ascii_uppercase(),
            "streetAddress": standardize(request["fromAddress"]["streetAddress"].as_str().unwrap_or_default()),
            "secondaryAddress": standardize(request["fromAddress"]["secondaryAddress"].as_str().unwrap_or_default()),
            "city": standardize(request["fromAddress"]["city"].as_str().unwrap_or_default()),
            "state": request["fromAddress"]["state"],
            "ZIPCode": request["fromAddress"]["ZIPCode"],
        })),
        to_address: address_lines(&meta["labelAddress"]),
        to_zip5: meta["labelAddress"]["ZIPCode"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        weight: if oz == 0 {
            format!("{lb} lb")
        } else {
            format!("{lb} lb {oz} oz")
        },
        postage: show_postage.then(|| format!("${total:.2}")),
        ship_date: meta["mailingDate"]
            .as_str()
            .unwrap_or_default()
            .get(..10)
            .unwrap_or_default()
            .to_string(),
        zone: meta["zone"]
            .as_str()
            .map(|z| z.trim_start_matches('0').to_string()),
        sample: true,
    }
}
