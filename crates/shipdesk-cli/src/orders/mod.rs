//! `shipdesk orders …`: import, list, show, archive, tag, and the column mappings imports use.
//! A thin layer over `OrdersService`, the same one the app's commands call.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use shipdesk_core::AppError;
use shipdesk_core::import::{ColumnMapping, ImportOptions};
use shipdesk_core::orders::MAX_PAGE_SIZE;
use shipdesk_core::orders::{
    ArchivedFilter, Order, OrderQuery, OrderSort, OrderStatus, OrdersService,
};

use crate::output::{Output, one_line};

mod mapping;
mod text;

use mapping::MappingCommand;

#[derive(Debug, Subcommand)]
pub enum OrdersCommand {
    /// Import orders from a CSV/TSV export (Shopify, Etsy, eBay, Amazon, WooCommerce, or any
    /// file with a saved column mapping).
    Import {
        file: PathBuf,
        /// The saved column mapping to read the file with.
        #[arg(long)]
        mapping: Option<String>,
        /// Read files up to this many megabytes (default 200).
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=100_000))]
        max_size_mb: Option<u64>,
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
    /// What a barcode scan of an order number (or marketplace order id) finds, and whether it
    /// may be shipped; exits non-zero when it may not.
    Scan { code: String },
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

fn parse_status(s: &str) -> Result<OrderStatus, String> {
    OrderStatus::parse(s).ok_or_else(|| {
        format!("unknown status \"{s}\" (awaiting_shipment, shipped, cancelled, on_hold)")
    })
}

pub fn run(cmd: OrdersCommand, svc: &OrdersService, out: &Output) -> Result<(), AppError> {
    match cmd {
        OrdersCommand::Import {
            file,
            mapping,
            max_size_mb,
        } => {
            let opts = ImportOptions {
                mapping,
                max_file_bytes: max_size_mb.map(|mb| mb * 1024 * 1024),
                ..ImportOptions::default()
            };
            let result = svc.import_file(&file, &opts, text::progress, &AtomicBool::new(false));
            text::progress_done();
            let summary = result?;
            out.value(&summary, |s| text::import(&file, s))
        }
        OrdersCommand::Preview { file, mapping } => {
            let mapping = match mapping {
                Some(name) => Some(find_mapping(svc, &name)?),
                None => None,
            };
            let preview = svc.preview_file(&file, mapping.as_ref())?;
            out.value(&preview, text::preview)
        }
        OrdersCommand::List(args) => {
            let orders = list_all(svc, &args)?;
            out.value(&orders, |orders| {
                let mut text: Vec<String> = orders.iter().map(text::order_line).collect();
                text.push(format!("{} order(s)", orders.len()));
                text.join("\n")
            })
        }
        OrdersCommand::Scan { code } => {
            let scanned = svc.scan(&code)?;
            out.value(&scanned, |s| match &s.refusal {
                None => format!("Ship it: {}", text::order_detail(&s.order)),
                Some(why) => format!("Do not ship: {why}"),
            })?;
            match scanned.refusal {
                None => Ok(()),
                Some(why) => Err(AppError::new(shipdesk_core::ErrorCode::Conflict, why)),
            }
        }
        OrdersCommand::Show { number } => {
            let order = svc.get_by_number(&number)?;
            out.value(&order, text::order_detail)
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
                    .map(|o| {
                        let tags: Vec<_> = o.tags.iter().map(|t| one_line(t)).collect();
                        format!("{}: {}", one_line(&o.order_number), tags.join(", "))
                    })
                    .collect();
                lines.join("\n")
            })
        }
        OrdersCommand::Mapping(m) => mapping::run(m, svc, out),
    }
}

fn list_all(svc: &OrdersService, args: &ListArgs) -> Result<Vec<Order>, AppError> {
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
        if page.nothing_to_search {
            return Err(AppError::validation(format!(
                "Nothing to search for in \"{}\": search for letters or numbers (a name, an \
                 order number, a city, a SKU)",
                one_line(query.search.as_deref().unwrap_or_default())
            )));
        }
        let got = page.orders.len() as u32;
        orders.extend(page.orders);
        if got == 0 || orders.len() as u32 >= wanted.min(page.total) {
            return Ok(orders);
        }
        query.offset = Some(orders.len() as u32);
    }
}

fn ids_of(svc: &OrdersService, numbers: &[String]) -> Result<Vec<i64>, AppError> {
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
    svc: &OrdersService,
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

fn find_mapping(svc: &OrdersService, name: &str) -> Result<ColumnMapping, AppError> {
    svc.list_mappings()?
        .into_iter()
        .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            AppError::not_found(format!("There is no saved column mapping named \"{name}\""))
        })
}
