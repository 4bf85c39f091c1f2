//! Order import and search benchmark.
//!
//! Generates a Shopify-style export of 100,000 multi-item orders (one row per line item,
//! order columns on the first row only, quoted commas, a few multi-line notes, New England ZIPs
//! written `'02134`), imports it into a fresh database through `OrdersService` (the same path the
//! app and CLI take), runs `sqlite3 .import` of the same file into a plain table as the machine's
//! limit for comparison, then times 200 searches over the 100,000 orders.
//!
//! `cargo run --release -p shipdesk-core --example orders_bench [ORDERS]`

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use shipdesk_core::import::{ImportOptions, ImportPhase};
use shipdesk_core::orders::{ArchivedFilter, OrderQuery, OrderSort};
use shipdesk_core::{DataDir, Desk};

const FIRST: &[&str] = &[
    "Rita", "Sam", "Priya", "Lena", "Omar", "Yuki", "Ana", "Ben", "Cara", "Dev", "Eve", "Finn",
    "Gus", "Hana", "Ivy", "Jon", "Kai", "Lia", "Max", "Nia", "Oli", "Pia", "Quin", "Ray",
];
const LAST: &[&str] = &[
    "Gomez", "Nguyen", "Shah", "Ford", "Haddad", "Tanaka", "Lee", "Chan", "Diaz", "Patel", "Stone",
    "Moss", "Hall", "Ruiz", "Wu", "Cole", "Ames", "Fox", "Gray", "Holt",
];
const STREETS: &[&str] = &[
    "Main St",
    "Congress Ave",
    "Beacon St",
    "Harbor Way",
    "Elm Ct",
    "Oak St",
    "Pine Rd",
    "Lake Dr",
    "Hill Rd",
    "Sun Way",
    "Bay St",
    "Ash Ln",
];
const PLACES: &[(&str, &str, &str)] = &[
    ("Austin", "TX", "78701"),
    ("Boston", "MA", "'02108"),
    ("Seattle", "WA", "98101"),
    ("Denver", "CO", "80202"),
    ("Nashville", "TN", "37203"),
    ("Mountain View", "CA", "94043-1351"),
    ("Providence", "RI", "02903"),
    ("Portland", "ME", "4101"),
    ("Reno", "NV", "89501"),
    ("Miami", "FL", "33101"),
];
const PRODUCTS: &[(&str, &str)] = &[
    ("HC", "Hand Cream"),
    ("LB", "Lip Balm"),
    ("BS", "Bath Salt"),
    ("CN", "Candle"),
    ("ST", "Soap Trio"),
    ("MG", "Ceramic Mug"),
    ("TW", "Tea Towel"),
    ("NB", "Notebook, lined"),
];

/// A small deterministic generator, so every run benchmarks the same file.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.next() % from.len()]
    }
}

/// Writes the export; returns the number of data rows.
fn generate(path: &Path, orders: usize) -> std::io::Result<u64> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(
        w,
        "Name,Email,Financial Status,Fulfillment Status,Created at,Lineitem quantity,\
         Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,Shipping Name,\
         Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,\
         Shipping Province,Shipping Country,Shipping Phone,Notes,Cancelled at,Id,Tags"
    )?;
    let mut rng = Lcg(42);
    let mut rows = 0;
    for n in 0..orders {
        let number = 100_000 + n;
        let name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
        let street = format!("{} {}", 1 + rng.next() % 9999, rng.pick(STREETS));
        let (city, state, zip) = *rng.pick(PLACES);
        let items = 1 + rng.next() % 4;
        let note = match rng.next() % 20 {
            0 => "\"Leave at door, thanks\"",
            1 => "\"Gift wrap\nNo invoice\"",
            _ => "",
        };
        let day = 1 + n % 28;
        for i in 0..items {
            let (code, title) = *rng.pick(PRODUCTS);
            let qty = 1 + rng.next() % 3;
            let price = format!("{}.{:02}", 3 + rng.next() % 40, rng.next() % 100);
            let title = if title.contains(',') {
                format!("\"{title}\"")
            } else {
                title.to_owned()
            };
            if i == 0 {
                writeln!(
                    w,
                    "#{number},buyer{n}@example.com,paid,unfulfilled,2026-11-{day:02} 09:00:00 -0600,\
                     {qty},{title},{price},{code}-{},true,{name},{street},,,{city},{zip},{state},US,,\
                     {note},,{},{}",
                    i + 1,
                    7_000_000_000_000u64 + n as u64,
                    if n % 7 == 0 { "wholesale" } else { "" }
                )?;
            } else {
                writeln!(
                    w,
                    "#{number},,,,,{qty},{title},{price},{code}-{},true,,,,,,,,,,,,,",
                    i + 1
                )?;
            }
            rows += 1;
        }
    }
    w.flush()?;
    Ok(rows)
}

fn meets(ok: bool) -> &'static str {
    if ok { "yes" } else { "no" }
}

fn sqlite3_import(csv: &Path, dir: &Path) -> Option<f64> {
    let db = dir.join("plain.sqlite3");
    let start = Instant::now();
    let status = Command::new("sqlite3")
        .arg(&db)
        .args([".mode csv", &format!(".import {} t", csv.display())])
        .status()
        .ok()?;
    status.success().then(|| start.elapsed().as_secs_f64())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn main() {
    let orders: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("orders.csv");
    let rows = generate(&csv, orders).expect("write the CSV");
    let bytes = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);
    println!("generated orders={orders} rows={rows} bytes={bytes}");

    // The app's composition: a desk over the directory (no USPS needed for orders).
    let desk = Desk::open(DataDir::at(dir.path())).expect("open the desk");
    let svc = desk.orders();
    let start = Instant::now();
    let mut saving_from = None;
    let summary = svc
        .import_file(
            &csv,
            &ImportOptions::default(),
            |p| {
                if p.phase == ImportPhase::Saving && saving_from.is_none() {
                    saving_from = Some(start.elapsed().as_secs_f64());
                }
            },
            &AtomicBool::new(false),
        )
        .expect("import");
    let secs = start.elapsed().as_secs_f64();
    let read_secs = saving_from.unwrap_or(secs);
    println!(
        "import_read_seconds={read_secs:.2} import_save_seconds={:.2}",
        secs - read_secs
    );
    assert_eq!(
        summary.new as usize,
        orders,
        "problems: {:?}",
        &summary.problems[..summary.problems.len().min(3)]
    );
    println!(
        "import_orders={orders} rows={rows} seconds={secs:.2} rows_per_sec={:.0} orders_per_sec={:.0}",
        rows as f64 / secs,
        orders as f64 / secs
    );

    let start = Instant::now();
    let again = svc
        .import_file(
            &csv,
            &ImportOptions::default(),
            |_| {},
            &AtomicBool::new(false),
        )
        .expect("re-import");
    println!(
        "reimport_unchanged={} seconds={:.2}",
        again.unchanged,
        start.elapsed().as_secs_f64()
    );

    match sqlite3_import(&csv, dir.path()) {
        Some(s) => {
            println!("sqlite3_import_seconds={s:.2} (plain table, same file)");
            let ratio = secs / s;
            println!(
                "import_ratio_vs_sqlite3={ratio:.2} import_ratio_target=3.0 import_ratio_meets={}",
                meets(ratio <= 3.0)
            );
        }
        None => println!("sqlite3_import_seconds=n/a (sqlite3 command not available)"),
    }

    let mut terms: Vec<String> = Vec::new();
    let mut rng = Lcg(7);
    for i in 0..200 {
        terms.push(match i % 10 {
            // What search-as-you-type sends first: one or two letters.
            8 => rng.pick(FIRST)[..1].to_lowercase(),
            9 => rng.pick(LAST)[..2].to_lowercase(),
            0 => rng.pick(FIRST).to_lowercase(),
            1 => rng
                .pick(LAST)
                .chars()
                .take(3)
                .collect::<String>()
                .to_lowercase(),
            2 => format!("{}", 100_000 + rng.next() % orders),
            3 => format!("{}-{}", rng.pick(PRODUCTS).0, 1 + rng.next() % 4),
            4 => rng.pick(PLACES).0.to_lowercase(),
            5 => format!("{} {}", rng.pick(FIRST), &rng.pick(PLACES).0[..3]),
            6 => rng
                .pick(PRODUCTS)
                .1
                .split(' ')
                .next()
                .unwrap_or("mug")
                .to_lowercase(),
            _ => format!(
                "{} {}",
                1 + rng.next() % 9999,
                rng.pick(STREETS).split(' ').next().unwrap_or("")
            ),
        });
    }
    let mut times = Vec::with_capacity(terms.len());
    let mut hits = 0u64;
    for t in &terms {
        let start = Instant::now();
        let page = svc
            .list(&OrderQuery {
                search: Some(t.clone()),
                limit: Some(100),
                ..Default::default()
            })
            .expect("search");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        hits += page.total as u64;
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "search_queries={} search_median_ms={:.2} search_p95_ms={:.2} search_max_ms={:.2} mean_matches={}",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.last().copied().unwrap_or(0.0),
        hits / times.len() as u64
    );
    println!(
        "search_p95_target_ms=20 search_p95_meets={}",
        meets(percentile(&times, 0.95) <= 20.0)
    );
    let start = Instant::now();
    let page = svc
        .list(&OrderQuery {
            offset: Some(50_000.min(orders as u32 / 2)),
            limit: Some(100),
            ..Default::default()
        })
        .expect("list");
    println!(
        "list_page_ms={:.2} (100 orders at offset {} of {})",
        start.elapsed().as_secs_f64() * 1000.0,
        50_000.min(orders / 2),
        page.total
    );
    let timed = |q: OrderQuery| {
        let start = Instant::now();
        let page = svc.list(&q).expect("list");
        (start.elapsed().as_secs_f64() * 1000.0, page.total)
    };
    let (ms, _) = timed(OrderQuery {
        sort: Some(OrderSort::Name),
        offset: Some(1000),
        limit: Some(100),
        ..Default::default()
    });
    println!("list_by_name_page_ms={ms:.2}");
    let (ms, _) = timed(OrderQuery {
        archived: Some(ArchivedFilter::All),
        limit: Some(100),
        ..Default::default()
    });
    println!("list_including_archived_page_ms={ms:.2} (sorted without an index)");
}
