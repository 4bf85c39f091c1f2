//! `shipdesk rates | labels | shipments | eod | pickup | ship-from | presets | purchases`: the
//! shipping service the app uses, from a terminal. Every command uses the default USPS account (a
//! fresh Sandbox data directory has a ready demo account) and the default ship-from address.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rust_decimal::Decimal;
use shipdesk_core::orders::{Address, Order, OrdersService};
use shipdesk_core::postage::customs::CustomsDeclaration;
use shipdesk_core::shipping::{
    BatchAddresses, BatchFailure, BatchInput, BatchOptions, BatchProgress, Dimensions, FailureKind,
    LabelLayout, Package, PickupInput, PickupStatus, PurchaseRequest, RateChoice, ShipFromInput,
    ShipToChoice, Shipment, ShipmentQuery, ShipmentStatus, ShippingService,
};
use shipdesk_core::{AppError, Desk};

use crate::output::{Output, note};

mod commands;
mod purchases;
mod setup;
mod text;
pub use commands::*;
use text::{report_text, shipment_line};

fn layout(s: Option<&str>) -> Result<Option<LabelLayout>, AppError> {
    s.map(|v| {
        LabelLayout::parse(v)
            .ok_or_else(|| AppError::validation(format!("--format must be 4x6 or letter, not {v}")))
    })
    .transpose()
}

/// Ctrl-C, listened for from the moment this is called (so none is missed before the batch's
/// first line).
#[cfg(unix)]
fn ctrl_c_listener() -> std::io::Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
}

#[cfg(windows)]
fn ctrl_c_listener() -> std::io::Result<tokio::signal::windows::CtrlC> {
    tokio::signal::windows::ctrl_c()
}

/// The first Ctrl-C stops starting new purchases and lets the ones in flight finish and be
/// recorded; a second one quits at once (the purchase journal keeps an interrupted purchase
/// safe: the next run reconciles it with its own idempotency key).
fn stop_on_ctrl_c(cancel: Arc<AtomicBool>) -> Result<tokio::task::JoinHandle<()>, AppError> {
    let mut ctrl_c =
        ctrl_c_listener().map_err(|e| AppError::internal("Could not listen for Ctrl-C", &e))?;
    Ok(tokio::spawn(async move {
        if ctrl_c.recv().await.is_none() {
            return;
        }
        cancel.store(true, Ordering::SeqCst);
        eprintln!(
            "Stopping: no new labels are started; waiting for the ones being bought. Press \
             Ctrl-C again to quit now (an interrupted purchase is finished safely by the next run)."
        );
        if ctrl_c.recv().await.is_some() {
            std::process::exit(130);
        }
    }))
}

struct Ctx<'a> {
    shipping: &'a ShippingService,
    orders: &'a OrdersService,
}

impl Ctx<'_> {
    fn order(&self, number: &str) -> Result<Order, AppError> {
        self.orders.get_by_number(number)
    }

    /// One order abroad: its customs form (the file, else as its items and saved SKU data fill
    /// it), the service (`--service`, else the recommended one) and the label.
    async fn buy_abroad(
        &self,
        order: &Order,
        service: Option<&str>,
        args: &BatchPackageArgs,
        customs: Option<CustomsDeclaration>,
        additional: bool,
    ) -> Result<Shipment, AppError> {
        let declaration = match customs {
            Some(d) => d,
            None => {
                let draft = self.shipping.customs_draft(order.id)?;
                if !draft.missing.is_empty() {
                    let fields: Vec<String> = draft
                        .missing
                        .iter()
                        .map(|(field, what)| format!("{field}: {what}"))
                        .collect();
                    return Err(AppError::invalid_fields(
                        format!(
                            "Order {} ships abroad and its customs form is missing: {}. Write \
                             `shipdesk labels customs {} --json` to a file, fill it in and pass \
                             it with --customs",
                            order.order_number,
                            fields.join("; "),
                            order.order_number
                        ),
                        draft.missing,
                    ));
                }
                draft.declaration
            }
        };
        let mut package = self.shipping.default_package(order)?;
        if let Some(dims) = &args.dims {
            package.dimensions = parse_dims(dims)?;
        }
        if order.items.iter().all(|i| i.weight_oz.is_none())
            && let Some(w) = args.default_weight_oz
        {
            package.weight_oz = w;
        }
        let rate = match service {
            Some(class) => RateChoice::single_piece(class),
            None => self
                .shipping
                .rates_for_order(None, order.id, Some(package), None, None)
                .await?
                .recommended
                .ok_or_else(|| {
                    AppError::validation(format!(
                        "No service abroad is a safe default for order {}; choose one with \
                         --service",
                        order.order_number
                    ))
                })?,
        };
        let outcome = self
            .shipping
            .buy_label(PurchaseRequest {
                order_id: order.id,
                account_id: None,
                rate,
                package,
                ship_from_id: None,
                ship_date: None,
                ship_to: ShipToChoice::AsEntered,
                ignore_bad_address: false,
                allow_additional_label: additional,
                customs: Some(declaration),
            })
            .await?;
        Ok(outcome.shipment)
    }

    fn package(&self, order: &Order, args: &PackageArgs) -> Result<Package, AppError> {
        let mut package = self.shipping.default_package(order)?;
        if let Some(name) = &args.preset {
            let preset = self.shipping.package_preset(name)?;
            package.dimensions = preset.dimensions;
            if order.items.iter().all(|i| i.weight_oz.is_none())
                && let Some(w) = preset.weight_oz
            {
                package.weight_oz = w;
            }
        }
        if let Some(dims) = &args.dims {
            package.dimensions = parse_dims(dims)?;
        }
        if let Some(w) = args.weight_oz {
            package.weight_oz = w;
        }
        Ok(package)
    }

    /// `labels buy`'s batch: core decides each order's weight and address
    /// (`ShippingService::buy_orders`); the arguments only give the box, the weight for orders
    /// without one, the service and the address choice.
    fn batch(
        &self,
        order_ids: Vec<i64>,
        service: Option<&str>,
        package: &BatchPackageArgs,
        as_entered: bool,
        additional: bool,
    ) -> Result<BatchInput, AppError> {
        let preset = package
            .preset
            .as_deref()
            .map(|name| self.shipping.package_preset(name))
            .transpose()?;
        let dimensions = match &package.dims {
            Some(dims) => Some(parse_dims(dims)?),
            None => preset.as_ref().map(|p| p.dimensions),
        };
        Ok(BatchInput {
            order_ids,
            service: service.map(RateChoice::single_piece),
            dimensions,
            fallback_weight_oz: package
                .default_weight_oz
                .or(preset.and_then(|p| p.weight_oz)),
            addresses: if as_entered {
                BatchAddresses::AsEntered
            } else {
                BatchAddresses::Standardized
            },
            allow_additional_label: additional,
            ..Default::default()
        })
    }
}

/// A customs declaration file (`labels buy --customs`), named in its error when it cannot be read.
fn read_customs(path: &std::path::Path) -> Result<CustomsDeclaration, AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        AppError::validation(format!(
            "Cannot read the customs file {}: {e}",
            path.display()
        ))
    })?;
    // Either the declaration itself or `labels customs --json`'s whole answer.
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        AppError::validation(format!(
            "The customs file {} is not JSON: line {}, column {}: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let declaration = value.get("declaration").cloned().unwrap_or(value);
    serde_json::from_value(declaration).map_err(|e| {
        AppError::validation(format!(
            "The customs file {} is not a customs declaration: {e}",
            path.display()
        ))
    })
}

fn parse_dims(dims: &str) -> Result<Dimensions, AppError> {
    let parts: Vec<Decimal> = dims
        .split(['x', 'X'])
        .map(|p| p.trim().parse())
        .collect::<Result<_, _>>()
        .map_err(|_| AppError::validation("--dims must look like 10x8x4"))?;
    let [length_in, width_in, height_in] = parts[..] else {
        return Err(AppError::validation("--dims must look like 10x8x4"));
    };
    Ok(Dimensions {
        length_in,
        width_in,
        height_in,
    })
}

pub fn run(cmd: ShippingCommand, desk: &Desk, out: &Output) -> Result<(), AppError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| AppError::internal("Could not start the async runtime", &e))?;
    // Where no OS keyring is reachable (a headless server, CI), `SHIPDESK_SECRETS=memory` keeps
    // USPS credentials for this one command only; Sandbox accounts then sign in again per run.
    if std::env::var("SHIPDESK_SECRETS").is_ok_and(|v| v.eq_ignore_ascii_case("memory")) {
        desk.connections().use_memory_secret_store();
    }
    let ctx = Ctx {
        shipping: desk.shipping(),
        orders: desk.orders(),
    };
    runtime.block_on(run_async(cmd, &ctx, out))
}

async fn run_async(cmd: ShippingCommand, ctx: &Ctx<'_>, out: &Output) -> Result<(), AppError> {
    let shipping = ctx.shipping;
    match cmd {
        ShippingCommand::Purchases(cmd) => purchases::run(cmd, shipping, out).await,
        ShippingCommand::Rates(args) => {
            let order = ctx.order(&args.order)?;
            let package = ctx.package(&order, &args.package)?;
            let answer = shipping
                .rates_for_order(None, order.id, Some(package), None, None)
                .await?;
            out.value(&answer, text::rates_table)
        }
        ShippingCommand::Labels(LabelsCommand::Buy {
            orders,
            service,
            as_entered,
            dry_run,
            format,
            out: path,
            print,
            additional,
            concurrency,
            customs,
            package,
        }) => {
            let customs = customs.map(|path| read_customs(&path)).transpose()?;
            if dry_run {
                let ids = orders
                    .iter()
                    .map(|n| ctx.order(n).map(|o| o.id))
                    .collect::<Result<Vec<_>, _>>()?;
                let input = ctx.batch(ids, service.as_deref(), &package, as_entered, additional)?;
                let preview = shipping.preview_batch(&input).await?;
                return out.value(&preview, text::preview_text);
            }
            let layout = layout(format.as_deref())?;
            if let Some(l) = layout {
                shipping.set_label_layout(l)?;
            }
            // Finish what an earlier, interrupted run left open before buying anything new.
            let reconciled = shipping.reconcile_unfinished().await?;
            for s in &reconciled.recovered {
                note(&format!(
                    "Recovered label {} for order {} from an interrupted purchase",
                    s.tracking_number, s.order_number
                ));
            }
            let mut ids = Vec::new();
            let mut recovered = Vec::new();
            let mut abroad = Vec::new();
            for number in &orders {
                let order = ctx.order(number)?;
                if !order.ship_to.is_domestic() {
                    abroad.push(order);
                    continue;
                }
                // Its label was just recovered: it is bought, not to be bought again.
                if !additional
                    && let Some(s) = reconciled.recovered.iter().find(|s| s.order_id == order.id)
                {
                    recovered.push(s.clone());
                    continue;
                }
                ids.push(order.id);
            }
            if customs.is_some() && abroad.len() != 1 {
                return Err(AppError::validation(
                    "--customs declares one package: name exactly one order abroad with it",
                ));
            }
            let input = ctx.batch(ids, service.as_deref(), &package, as_entered, additional)?;
            let progress = |p: BatchProgress| note(&p.message);
            let options = BatchOptions {
                concurrency,
                ..Default::default()
            };
            note(&shipping.estimate_batch(&input, &options).await?.message);
            let cancel = Arc::new(AtomicBool::new(false));
            let interrupt = stop_on_ctrl_c(cancel.clone())?;
            let report = shipping
                .buy_orders(&input, &options, &progress, &cancel)
                .await;
            interrupt.abort();
            let mut report = report?;
            report.total += recovered.len() as u32;
            report.bought.splice(0..0, recovered);
            // Orders abroad, each with its customs form, one at a time.
            for order in abroad {
                report.total += 1;
                match ctx
                    .buy_abroad(
                        &order,
                        service.as_deref(),
                        &package,
                        customs.clone(),
                        additional,
                    )
                    .await
                {
                    Ok(shipment) => report.bought.push(shipment),
                    Err(error) => report.validation_problems.push(BatchFailure {
                        order_id: order.id,
                        order_number: Some(order.order_number.clone()),
                        request: None,
                        kind: FailureKind::Validation,
                        error,
                    }),
                }
            }
            let ids: Vec<i64> = report.bought.iter().map(|s| s.id).collect();
            if !ids.is_empty() {
                if let Some(path) = &path {
                    for written in shipping.save_labels_pdf(&ids, layout, path)? {
                        note(&format!("Saved {}", written.display()));
                    }
                }
                if print {
                    shipping.print_labels(&ids, layout, None)?;
                }
            }
            out.value(&report, report_text)?;
            purchases::mention_unsettled(shipping);
            if report.bought.len() as u32 != report.total {
                // The report above says what failed; the exit status tells scripts.
                std::process::exit(1);
            }
            Ok(())
        }
        ShippingCommand::Labels(LabelsCommand::Customs { order }) => {
            let order = ctx.order(&order)?;
            let draft = shipping.customs_draft(order.id)?;
            out.value(&draft, text::customs_text)
        }
        ShippingCommand::Labels(LabelsCommand::Void { tracking }) => {
            let outcome = shipping.void_by_tracking(&tracking).await?;
            out.value(&outcome, |o| match o.shipment.status {
                ShipmentStatus::RefundRequested => format!(
                    "Refund requested for {} (USPS dispute {})",
                    o.shipment.tracking_number,
                    o.shipment.dispute_id.as_deref().unwrap_or("?")
                ),
                _ => format!("Voided {}", o.shipment.tracking_number),
            })
        }
        ShippingCommand::Labels(LabelsCommand::Reprint {
            tracking,
            out: path,
            format,
            download,
        }) => {
            let mut s = shipping.shipment_by_tracking(&tracking)?;
            if download {
                s = shipping.download_label_again(s.id).await?;
            }
            let layout = layout(format.as_deref())?;
            match path {
                Some(path) => {
                    let written = shipping.save_labels_pdf(&[s.id], layout, &path)?;
                    out.value(&written, |w| {
                        w.iter()
                            .map(|p| format!("Saved {}", p.display()))
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                }
                None => {
                    shipping.print_labels(&[s.id], layout, None)?;
                    out.value(&shipping.shipment(s.id)?, |s| {
                        format!("Sent {} to the printer", s.tracking_number)
                    })
                }
            }
        }
        ShippingCommand::Labels(LabelsCommand::Slips { orders, out: path }) => {
            let ids = orders
                .iter()
                .map(|n| ctx.order(n).map(|o| o.id))
                .collect::<Result<Vec<_>, _>>()?;
            shipping.save_packing_slips_pdf(&ids, None, &path)?;
            out.value(&path, |p| format!("Saved {}", p.display()))
        }
        ShippingCommand::Shipments(ShipmentsCommand::Track { tracking }) => {
            let ids: Vec<i64> = if tracking.is_empty() {
                shipping
                    .shipments(&ShipmentQuery {
                        limit: Some(500),
                        ..Default::default()
                    })?
                    .into_iter()
                    .filter(|s| {
                        matches!(
                            s.status,
                            ShipmentStatus::LabelCreated | ShipmentStatus::InTransit
                        )
                    })
                    .take(50)
                    .map(|s| s.id)
                    .collect()
            } else {
                tracking
                    .iter()
                    .map(|t| shipping.shipment_by_tracking(t).map(|s| s.id))
                    .collect::<Result<_, _>>()?
            };
            let updated = shipping.refresh_tracking(&ids).await?;
            out.value(&updated, |l| {
                l.iter()
                    .map(|s| {
                        format!(
                            "{}  {}",
                            shipment_line(s),
                            s.tracking_status.as_deref().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ShippingCommand::Shipments(ShipmentsCommand::List {
            status,
            date,
            search,
            limit,
        }) => {
            let status = status
                .map(|s| {
                    ShipmentStatus::parse(&s)
                        .ok_or_else(|| AppError::validation(format!("Unknown status {s}")))
                })
                .transpose()?;
            let list = shipping.shipments(&ShipmentQuery {
                status,
                mailing_date: date,
                search,
                limit: Some(limit),
                ..Default::default()
            })?;
            out.value(&list, |l| {
                if l.is_empty() {
                    "No labels yet. Buy one with `shipdesk labels buy ORDER`.".into()
                } else {
                    l.iter().map(shipment_line).collect::<Vec<_>>().join("\n")
                }
            })
        }
        ShippingCommand::Eod(EodCommand::ScanForm { date, out: path }) => {
            let forms = shipping.create_scan_forms(None, date.as_deref()).await?;
            if let Some(path) = &path {
                for (i, form) in forms.iter().enumerate() {
                    let target = if i == 0 {
                        path.clone()
                    } else {
                        path.with_extension(format!("{}.pdf", i + 1))
                    };
                    shipping.save_scan_form_pdf(form.id, &target)?;
                    note(&format!("Saved {}", target.display()));
                }
            }
            out.value(&forms, |f| {
                f.iter()
                    .map(|f| {
                        format!(
                            "SCAN form {} for {}: {} labels",
                            f.manifest_number, f.mailing_date, f.label_count
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ShippingCommand::Eod(EodCommand::History) => {
            let forms = shipping.scan_forms()?;
            out.value(&forms, |f| {
                f.iter()
                    .map(|f| {
                        format!(
                            "{}  {}  {} labels",
                            f.mailing_date, f.manifest_number, f.label_count
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ShippingCommand::Pickup(PickupCommand::Schedule {
            date,
            location,
            instructions,
        }) => {
            let eligibility = shipping.pickup_eligibility(None, None).await?;
            if !eligibility.eligible {
                return Err(AppError::validation(format!(
                    "USPS does not offer carrier pickup at the ship-from address: {}",
                    eligibility.message.unwrap_or_default()
                )));
            }
            let date = date.unwrap_or_else(next_pickup_day);
            let prefill = shipping.pickup_prefill(None, None, Some(&date))?;
            let pickup = shipping
                .schedule_pickup(PickupInput {
                    account_id: None,
                    ship_from_id: None,
                    pickup_date: date,
                    packages: prefill.packages,
                    estimated_weight_lb: prefill.estimated_weight_lb,
                    package_location: location,
                    special_instructions: instructions,
                })
                .await?;
            out.value(&pickup, |p| {
                format!(
                    "Pickup {} on {}: {} packages, {} lb",
                    p.confirmation_number, p.pickup_date, p.package_count, p.estimated_weight_lb
                )
            })
        }
        ShippingCommand::Pickup(PickupCommand::Cancel { confirmation }) => {
            let pickups = shipping.pickups()?;
            let target = pickups
                .iter()
                .find(|p| {
                    p.status == PickupStatus::Scheduled
                        && confirmation
                            .as_ref()
                            .is_none_or(|c| *c == p.confirmation_number || *c == p.id.to_string())
                })
                .ok_or_else(|| AppError::not_found("No scheduled pickup to cancel"))?;
            let canceled = shipping.cancel_pickup(target.id).await?;
            out.value(&canceled, |p| {
                format!("Canceled pickup {}", p.confirmation_number)
            })
        }
        ShippingCommand::ShipFrom(ShipFromCommand::List) => {
            let list = shipping.ship_from_addresses()?;
            out.value(&list, |l| {
                l.iter()
                    .map(|s| {
                        format!(
                            "{:>3} {}{}: {}, {} {} {}",
                            s.id,
                            s.nickname,
                            if s.is_default { " (default)" } else { "" },
                            s.address.street1,
                            s.address.city,
                            s.address.state,
                            s.address.zip5
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ShippingCommand::ShipFrom(ShipFromCommand::Add {
            nickname,
            name,
            company,
            street,
            street2,
            city,
            state,
            zip,
            phone,
            email,
            default,
        }) => {
            let (zip5, zip4) = match zip.split_once('-') {
                Some((a, b)) => (a.to_owned(), Some(b.to_owned())),
                None => (zip, None),
            };
            let saved = shipping.add_ship_from(ShipFromInput {
                nickname,
                address: Address {
                    name,
                    company,
                    street1: street,
                    street2,
                    city,
                    state: state.to_ascii_uppercase(),
                    zip5,
                    zip4,
                    country: "US".into(),
                    phone,
                    email,
                },
                is_default: default,
            })?;
            out.value(&saved, |s| {
                format!("Saved ship-from address {} ({})", s.nickname, s.id)
            })
        }
        ShippingCommand::ShipFrom(ShipFromCommand::Edit(args)) => {
            setup::edit_ship_from(shipping, args, out)
        }
        ShippingCommand::ShipFrom(ShipFromCommand::Delete { address }) => {
            setup::delete_ship_from(shipping, &address, out)
        }
        ShippingCommand::ShipFrom(ShipFromCommand::Default { address }) => {
            setup::default_ship_from(shipping, &address, out)
        }
        ShippingCommand::Presets(cmd) => setup::presets(shipping, cmd, out),
    }
}

fn next_pickup_day() -> String {
    let mut day = time::OffsetDateTime::now_utc().date();
    loop {
        day = day.next_day().unwrap_or(day);
        if day.weekday() != time::Weekday::Sunday {
            return day.to_string();
        }
    }
}
