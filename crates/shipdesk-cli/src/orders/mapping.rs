//! `shipdesk orders mapping save|list|delete`: column mappings for files Shipdesk does not
//! recognise, from `--column FIELD=HEADER` flags or a JSON file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use shipdesk_core::AppError;
use shipdesk_core::import::{ColumnMapping, MappedField, WeightUnit};
use shipdesk_core::orders::OrdersService;

use crate::output::{Output, one_line};

#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// Save a mapping: `--column order_number="Order ID" --column zip=ZIP …`, or `--file m.json`.
    Save {
        name: String,
        /// FIELD=HEADER, one per mapped field. Fields: order_number, source_id, ordered_at,
        /// status, name, first_name, last_name, company, street1, street2, city, state, zip,
        /// country, phone, email, sku, item_title, quantity, unit_price, weight, notes, tags.
        #[arg(long = "column", value_name = "FIELD=HEADER")]
        columns: Vec<String>,
        /// Unit of bare numbers in the weight column (oz, lb, g, kg).
        #[arg(long, value_enum)]
        weight_unit: Option<UnitArg>,
        /// A JSON file with `{"columns": {"order_number": "Order ID", …}}`.
        #[arg(long, conflicts_with = "columns")]
        file: Option<PathBuf>,
    },
    List,
    Delete {
        name: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum UnitArg {
    Oz,
    Lb,
    G,
    Kg,
}

pub fn run(cmd: MappingCommand, svc: &OrdersService, out: &Output) -> Result<(), AppError> {
    match cmd {
        MappingCommand::Save {
            name,
            columns,
            weight_unit,
            file,
        } => {
            let mut mapping = match file {
                Some(path) => mapping_from_file(&path)?,
                None => ColumnMapping {
                    name: String::new(),
                    columns: parse_columns(&columns)?,
                    weight_unit: None,
                },
            };
            mapping.name = name;
            if let Some(u) = weight_unit {
                mapping.weight_unit = Some(match u {
                    UnitArg::Oz => WeightUnit::Oz,
                    UnitArg::Lb => WeightUnit::Lb,
                    UnitArg::G => WeightUnit::G,
                    UnitArg::Kg => WeightUnit::Kg,
                });
            }
            svc.save_mapping(&mapping)?;
            out.value(&mapping, |m| {
                format!(
                    "saved mapping \"{}\" ({} columns)",
                    one_line(&m.name),
                    m.columns.len()
                )
            })
        }
        MappingCommand::List => {
            let all = svc.list_mappings()?;
            out.value(&all, |all| {
                let lines: Vec<String> = all
                    .iter()
                    .map(|m| {
                        let cols: Vec<String> = m
                            .columns
                            .iter()
                            .map(|(f, h)| format!("{}={}", f.key(), one_line(h)))
                            .collect();
                        format!("{}: {}", one_line(&m.name), cols.join(", "))
                    })
                    .collect();
                if lines.is_empty() {
                    "no saved mappings".to_owned()
                } else {
                    lines.join("\n")
                }
            })
        }
        MappingCommand::Delete { name } => {
            svc.delete_mapping(&name)?;
            out.value(&serde_json::json!({ "deleted": name }), |_| {
                format!("deleted mapping \"{}\"", one_line(&name))
            })
        }
    }
}

fn parse_columns(pairs: &[String]) -> Result<BTreeMap<MappedField, String>, AppError> {
    let mut columns = BTreeMap::new();
    for pair in pairs {
        let (field, header) = pair.split_once('=').ok_or_else(|| {
            AppError::validation(format!("--column {pair}: write it as FIELD=HEADER"))
        })?;
        let field = MappedField::parse(field).ok_or_else(|| {
            AppError::validation(format!("--column {pair}: unknown field \"{field}\""))
        })?;
        columns.insert(field, header.trim().to_owned());
    }
    Ok(columns)
}

fn mapping_from_file(path: &std::path::Path) -> Result<ColumnMapping, AppError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::validation(format!("Cannot read {}: {e}", path.display())))?;
    let mut value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| AppError::validation(format!("{} is not valid JSON: {e}", path.display())))?;
    if let Some(obj) = value.as_object_mut() {
        obj.entry("name")
            .or_insert_with(|| serde_json::Value::String(String::new()));
    }
    serde_json::from_value(value).map_err(|e| {
        AppError::validation(format!("{} is not a column mapping: {e}", path.display()))
    })
}
