//! The shipping commands and their arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use rust_decimal::Decimal;

#[derive(Debug, Subcommand)]
pub enum ShippingCommand {
    /// Every USPS service for an order's package, with retail, commercial and contract prices.
    Rates(RatesArgs),
    /// Buy, void and reprint labels.
    #[command(subcommand)]
    Labels(LabelsCommand),
    /// Bought labels.
    #[command(subcommand)]
    Shipments(ShipmentsCommand),
    /// End of Day: the SCAN form (PS Form 5630) for today's labels.
    #[command(subcommand)]
    Eod(EodCommand),
    /// USPS carrier pickup.
    #[command(subcommand)]
    Pickup(PickupCommand),
    /// Saved ship-from addresses: list, add, edit, delete, default.
    #[command(subcommand, name = "ship-from")]
    ShipFrom(ShipFromCommand),
    /// Package presets (saved boxes): list, add, edit, default, delete.
    #[command(subcommand)]
    Presets(super::setup::PresetsCommand),
    /// Label purchases USPS has not settled (answer lost, USPS unreachable): list, check
    /// again, discard.
    #[command(subcommand)]
    Purchases(super::purchases::PurchasesCommand),
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// Package weight in ounces (default: the order's item weights, else the preset's, else 16).
    #[arg(long, value_name = "OZ")]
    pub(super) weight_oz: Option<Decimal>,
    /// Use a saved package preset's dimensions (and weight, when the order has none).
    #[arg(long)]
    pub(super) preset: Option<String>,
    /// Dimensions in inches, LxWxH, e.g. 10x8x4.
    #[arg(long, value_name = "LxWxH")]
    pub(super) dims: Option<String>,
}

/// The package of `labels buy`: every order ships at its own weight (what its items weigh);
/// these give the box, and the weight for orders whose items carry none.
#[derive(Debug, Args)]
pub struct BatchPackageArgs {
    /// Weight in ounces for orders whose items carry none. An order's own weight always wins;
    /// without this (or a preset's weight), an order without one is not bought.
    #[arg(long, value_name = "OZ")]
    pub(super) default_weight_oz: Option<Decimal>,
    /// A saved package preset: its box for every order, and its weight for orders without one
    /// (unless --default-weight-oz).
    #[arg(long)]
    pub(super) preset: Option<String>,
    /// Box dimensions in inches, LxWxH, e.g. 10x8x4 (default: the default preset's, else 10x8x4).
    #[arg(long, value_name = "LxWxH")]
    pub(super) dims: Option<String>,
}

#[derive(Debug, Args)]
pub struct RatesArgs {
    /// Order number.
    pub(super) order: String,
    #[command(flatten)]
    pub(super) package: PackageArgs,
}

#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Buy labels for one or more orders (4 at a time), each at its own weight and to the
    /// address USPS standardizes (with its ZIP+4); an order without a weight, or with an address
    /// USPS does not recognise, is listed instead of bought. Ctrl-C stops starting new ones and
    /// lets those in flight finish; a second Ctrl-C quits at once.
    Buy {
        #[arg(required = true)]
        orders: Vec<String>,
        /// USPS mail class for every order, e.g. USPS_GROUND_ADVANTAGE, PRIORITY_MAIL (default:
        /// per order, the service `shipdesk rates` marks as recommended for its package).
        #[arg(long, value_name = "CLASS")]
        service: Option<String>,
        /// Print every address exactly as entered, without the USPS address check (even one
        /// USPS does not recognise).
        #[arg(long)]
        as_entered: bool,
        /// Show each order's weight and price and the expected total; buy nothing.
        #[arg(long)]
        dry_run: bool,
        /// Page layout for --out / --print: 4x6 or letter (remembered).
        #[arg(long)]
        format: Option<String>,
        /// Save the bought labels as PDF here.
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
        /// Send the bought labels to the printer (`lp`).
        #[arg(long)]
        print: bool,
        /// Buy even if the order already has a label.
        #[arg(long)]
        additional: bool,
        /// Purchases in flight at once.
        #[arg(long, default_value_t = 4)]
        concurrency: u32,
        /// The customs declaration of the order abroad (JSON, as `shipdesk labels customs ORDER
        /// --json` prints its `declaration`). Without it, an order abroad is declared from its
        /// items and the customs data saved for their SKUs, and is not bought while something
        /// is missing.
        #[arg(long, value_name = "FILE.json")]
        customs: Option<PathBuf>,
        #[command(flatten)]
        package: BatchPackageArgs,
    },
    /// The customs form of an order abroad as Shipdesk fills it in (its items, and what earlier
    /// labels of the same SKUs said), with what is still missing. `--json` prints a file for
    /// `labels buy --customs`.
    Customs { order: String },
    /// Void a label (cancel, or request a refund once USPS manifested it).
    Void { tracking: String },
    /// Print a stored label again, or save it with --out.
    Reprint {
        tracking: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
        /// Download the label from USPS again first (a missing or damaged copy).
        #[arg(long)]
        download: bool,
        #[arg(long)]
        format: Option<String>,
    },
    /// Packing slips for orders, one Letter page each.
    Slips {
        #[arg(required = true)]
        orders: Vec<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShipmentsCommand {
    /// List labels, newest first.
    List {
        /// label_created, voided, refund_requested, in_transit, delivered.
        #[arg(long)]
        status: Option<String>,
        /// Ship date YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// Words to find in the tracking number, order number or recipient (name, company,
        /// city, ZIP).
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Ask USPS Tracking about labels (default: every label still in the mail, up to 50).
    Track { tracking: Vec<String> },
}

#[derive(Debug, Subcommand)]
pub enum EodCommand {
    /// Create today's SCAN form(s), one per ship-from address.
    ScanForm {
        /// Ship date YYYY-MM-DD (default today).
        #[arg(long)]
        date: Option<String>,
        /// Save the form PDF here (several forms: -2, -3 … beside it).
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
    },
    /// Past SCAN forms.
    History,
}

#[derive(Debug, Subcommand)]
pub enum PickupCommand {
    /// Schedule a pickup with today's unmanifested labels.
    Schedule {
        /// YYYY-MM-DD (default: tomorrow, skipping Sunday).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "FRONT_DOOR")]
        location: String,
        #[arg(long)]
        instructions: Option<String>,
    },
    /// Cancel a pickup (default: the latest scheduled one).
    Cancel { confirmation: Option<String> },
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum ShipFromCommand {
    List,
    Add {
        #[arg(long)]
        nickname: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        street: String,
        #[arg(long)]
        street2: Option<String>,
        #[arg(long)]
        city: String,
        #[arg(long)]
        state: String,
        #[arg(long)]
        zip: String,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        default: bool,
    },
    /// Change an address; the fields not given keep their value. Labels already bought keep
    /// the address they were bought from.
    Edit(super::setup::ShipFromEditArgs),
    /// Delete an address, or archive it when labels, SCAN forms or pickups use it (kept for
    /// them, no longer offered).
    Delete {
        /// The address's id or nickname.
        address: String,
    },
    /// Make an address the default.
    Default {
        /// The address's id or nickname.
        address: String,
    },
}
