//! `shipdesk orders …`: import, list, show, archive, tag, and the column mappings imports use.
//! A thin layer over `OrdersService`, the same one the app's commands call.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use shipdesk_core::AppError;
use shipdesk_core::import::{ColumnMapping, ImportOptions, ImportSummary, MappedField, WeightUnit};
use shipdesk_core::orders::{
    ArchivedFilter, Order, OrderQuery, OrderSort, OrderStatus, OrdersService,
};
use shipdesk_core::store::MAX_PAGE_SIZE;

use crate::output::Output;

#[derive(Debug, Subcommand)]
pub enum OrdersCommand {
    /// Import orders from a CSV/TSV export (Shopify, Etsy, eBay, Amazon, WooCommerce, or any
    /// file with a saved column mapping).
    Import {
        file: PathBuf,
        /// The saved column mapping to read the file with.
        #[arg(long)]
        mapping: Option<String>,
    },
    /// Show what a file would import as (detected format, first rows, problems).
    Preview {
        file: PathBuf,
        #[arg(long)]
        mapping: Option<String>,
    },
    /// List orders (archived ones only with --archived).
    List(ListArgs),
    /// Show one order by its number (`#1001` or `1001`).
    Show { number: String },
    /// Archive orders by number.
    Archive {
        #[arg(required = true)]
        numbers: Vec<String>,
    },
    /// Bring archived orders back.
    Unarchive {
        #[arg(required = true)]
        numbers: Vec<String>,
    },
    /// Add or remove tags on orders.
    Tag {
        #[arg(required = true)]
        numbers: Vec<String>,
        #[arg(long = "add", value_name = "TAG")]
        add: Vec<String>,
        #[arg(long = "remove", value_name = "TAG")]
        remove: Vec<String>,
    },
    /// Saved column mappings for files Shipdesk does not recognise.
    #[command(subcommand)]
    Mapping(MappingCommand),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// awaiting_shipment, shipped, cancelled or on_hold.
    #[arg(long, value_parser = parse_status)]
    status: Option<OrderStatus>,
    /// Words to find in the order number, name, address, SKUs and item titles.
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    tag: Option<String>,
    /// Include archived orders.
    #[arg(long)]
    archived: bool,
    #[arg(long, value_enum, default_value_t = SortArg::Number)]
    sort: SortArg,
    #[arg(long)]
    desc: bool,
    /// At most this many orders (default: all).
    #[arg(long)]
    limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortArg {
    Number,
    Date,
    Name,
    Status,
}

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

fn parse_status(s: &str) -> Result<OrderStatus, String> {
    OrderStatus::parse(s).ok_or_else(|| {
        format!("unknown status \"{s}\" (awaiting_shipment, shipped, cancelled, on_hold)")
    })
}

pub fn run(cmd: OrdersCommand, svc: &OrdersService<'_>, out: &Output) -> Result<(), AppError> {
    match cmd {
        OrdersCommand::Import { file, mapping } => {
            let opts = ImportOptions {
                mapping,
                column_mapping: None,
            };
            let summary = svc.import_file(&file, &opts, |_| {}, &AtomicBool::new(false))?;
            out.value(&summary, |s| import_text(&file, s))
        }
        OrdersCommand::Preview { file, mapping } => {
            let mapping = match mapping {
                Some(name) => Some(find_mapping(svc, &name)?),
                None => None,
            };
            let preview = svc.preview_file(&file, mapping.as_ref())?;
            out.value(&preview, |p| {
                let mut text = format!(
                    "format: {:?}\nencoding: {}\ncolumns: {}\n",
                    p.detected_format,
                    p.encoding,
                    p.headers.join(" | ")
                );
                if p.needs_mapping {
                    text.push_str("not recognised: save a column mapping and use --mapping\n");
                    if let Some(m) = &p.suggested_mapping {
                        let cols: Vec<String> = m
                            .columns
                            .iter()
                            .map(|(f, h)| format!("--column {}=\"{h}\"", f.key()))
                            .collect();
                        text.push_str(&format!(
                            "suggested: shipdesk orders mapping save NAME {}\n",
                            cols.join(" ")
                        ));
                    }
                }
                for o in &p.mapped_preview {
                    text.push_str(&format!("line {}: {}\n", o.line, o.order_number));
                }
                for problem in &p.problems {
                    text.push_str(&format!("{}\n", problem.message));
                }
                text.trim_end().to_owned()
            })
        }
        OrdersCommand::List(args) => {
            let orders = list_all(svc, &args)?;
            out.value(&orders, |orders| {
                let mut text: Vec<String> = orders.iter().map(order_line).collect();
                text.push(format!("{} order(s)", orders.len()));
                text.join("\n")
            })
        }
        OrdersCommand::Show { number } => {
            let order = svc.get_by_number(&number)?;
            out.value(&order, order_detail)
        }
        OrdersCommand::Archive { numbers } => set_archived(svc, out, &numbers, true),
        OrdersCommand::Unarchive { numbers } => set_archived(svc, out, &numbers, false),
        OrdersCommand::Tag {
            numbers,
            add,
            remove,
        } => {
            let ids = ids_of(svc, &numbers)?;
            svc.set_tags(&ids, &add, &remove)?;
            let orders = ids
                .iter()
                .map(|id| svc.get(*id))
                .collect::<Result<Vec<_>, _>>()?;
            out.value(&orders, |orders| {
                let lines: Vec<String> = orders
                    .iter()
                    .map(|o| format!("{}: {}", o.order_number, o.tags.join(", ")))
                    .collect();
                lines.join("\n")
            })
        }
        OrdersCommand::Mapping(m) => run_mapping(m, svc, out),
    }
}

fn list_all(svc: &OrdersService<'_>, args: &ListArgs) -> Result<Vec<Order>, AppError> {
    let mut query = OrderQuery {
        status: args.status,
        tag: args.tag.clone(),
        archived: Some(if args.archived {
            ArchivedFilter::All
        } else {
            ArchivedFilter::Active
        }),
        search: args.search.clone(),
        sort: Some(match args.sort {
            SortArg::Number => OrderSort::OrderNumber,
            SortArg::Date => OrderSort::OrderedAt,
            SortArg::Name => OrderSort::Name,
            SortArg::Status => OrderSort::Status,
        }),
        descending: Some(args.desc),
        offset: Some(0),
        limit: None,
    };
    let wanted = args.limit.unwrap_or(u32::MAX);
    let mut orders = Vec::new();
    loop {
        let left = wanted - orders.len() as u32;
        query.limit = Some(left.min(MAX_PAGE_SIZE));
        let page = svc.list(&query)?;
        let got = page.orders.len() as u32;
        orders.extend(page.orders);
        if got == 0 || orders.len() as u32 >= wanted.min(page.total) {
            return Ok(orders);
        }
        query.offset = Some(orders.len() as u32);
    }
}

fn ids_of(svc: &OrdersService<'_>, numbers: &[String]) -> Result<Vec<i64>, AppError> {
    numbers
        .iter()
        .map(|n| svc.get_by_number(n).map(|o| o.id))
        .collect()
}

#[derive(Serialize)]
struct ArchiveResult {
    changed: u32,
    archived: bool,
    orders: Vec<String>,
}

fn set_archived(
    svc: &OrdersService<'_>,
    out: &Output,
    numbers: &[String],
    archived: bool,
) -> Result<(), AppError> {
    let ids = ids_of(svc, numbers)?;
    let changed = svc.archive(&ids, archived)?;
    let result = ArchiveResult {
        changed,
        archived,
        orders: numbers.to_vec(),
    };
    out.value(&result, |r| {
        let verb = if r.archived { "archived" } else { "unarchived" };
        format!("{} order(s) {verb}", r.changed)
    })
}

fn find_mapping(svc: &OrdersService<'_>, name: &str) -> Result<ColumnMapping, AppError> {
    svc.list_mappings()?
        .into_iter()
        .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            AppError::not_found(format!("There is no saved column mapping named \"{name}\""))
        })
}

fn run_mapping(cmd: MappingCommand, svc: &OrdersService<'_>, out: &Output) -> Result<(), AppError> {
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
                format!("saved mapping \"{}\" ({} columns)", m.name, m.columns.len())
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
                            .map(|(f, h)| format!("{}={h}", f.key()))
                            .collect();
                        format!("{}: {}", m.name, cols.join(", "))
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
                format!("deleted mapping \"{name}\"")
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

fn import_text(file: &std::path::Path, s: &ImportSummary) -> String {
    let read_as = match &s.mapping {
        Some(name) => format!("mapping \"{name}\""),
        None => format!("{:?}", s.format),
    };
    let mut text = format!(
        "{}: {read_as} ({}), {} row(s): {} new, {} updated, {} unchanged, {} skipped, {} invalid",
        file.display(),
        s.encoding,
        s.rows,
        s.new,
        s.updated,
        s.unchanged,
        s.skipped,
        s.invalid
    );
    for skipped in &s.skipped_orders {
        text.push_str(&format!(
            "\nline {}: {} skipped: {}",
            skipped.line, skipped.order_number, skipped.reason
        ));
    }
    for p in s.problems.iter().chain(&s.warnings) {
        text.push('\n');
        text.push_str(&p.message);
    }
    text
}

fn order_line(o: &Order) -> String {
    let a = &o.ship_to;
    let units: u32 = o.items.iter().map(|i| i.quantity).sum();
    format!(
        "{:<14} {:<18} {:<24} {}, {} {}  {} item(s){}",
        o.order_number,
        o.status.as_str(),
        a.name,
        a.city,
        a.state,
        a.zip(),
        units,
        if o.archived { "  [archived]" } else { "" }
    )
}

fn order_detail(o: &Order) -> String {
    let a = &o.ship_to;
    let mut lines = vec![
        format!(
            "Order {} ({:?}, {})",
            o.order_number,
            o.source.kind,
            o.status.as_str()
        ),
        format!("Ship to: {}", a.name),
    ];
    let optional = [
        a.company.as_deref(),
        Some(a.street1.as_str()),
        a.street2.as_deref(),
    ];
    lines.extend(
        optional
            .into_iter()
            .flatten()
            .map(|l| format!("         {l}")),
    );
    lines.push(format!(
        "         {}, {} {} {}",
        a.city,
        a.state,
        a.zip(),
        a.country
    ));
    for (label, v) in [
        ("Phone", &a.phone),
        ("Email", &a.email),
        ("Notes", &o.notes),
    ] {
        if let Some(v) = v {
            lines.push(format!("{label}: {v}"));
        }
    }
    for i in &o.items {
        let price = i.unit_price.map(|p| format!(" @ ${p}")).unwrap_or_default();
        let weight = i.weight_oz.map(|w| format!(", {w} oz")).unwrap_or_default();
        let sku = i
            .sku
            .as_deref()
            .map(|s| format!("[{s}] "))
            .unwrap_or_default();
        lines.push(format!(
            "  {} x {sku}{}{price}{weight}",
            i.quantity, i.title
        ));
    }
    if !o.tags.is_empty() {
        lines.push(format!("Tags: {}", o.tags.join(", ")));
    }
    if o.archived {
        lines.push("Archived".to_owned());
    }
    lines.join("\n")
}
