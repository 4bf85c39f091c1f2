//! Renders N sample 4x6 labels (default 500) into one PDF and reports the time taken.
//!
//! Used by `cargo xtask bench`. Usage: `render_bench [N] [--letter] [--out FILE]`.
//! Prints `labels_rendered=N seconds=S bytes=B`.

use std::time::Instant;

use labels::{LabelSpec, PageLayout, render_labels_pdf};

fn sample_label(index: usize) -> LabelSpec {
    LabelSpec {
        tracking_number: format!("94055118992231{:08}", 97_428_490 + index),
        service_name: "USPS GROUND ADVANTAGE".into(),
        from_address: vec![
            "SHIPDESK SAMPLE SHOP".into(),
            "100 MAIN ST STE 2".into(),
            "SPRINGFIELD IL 62701-1234".into(),
        ],
        to_address: vec![
            format!("CUSTOMER {index}"),
            "2200 OAK AVE APT 5".into(),
            "PORTLAND OR 97205-3456".into(),
        ],
        to_zip5: "97205".into(),
        weight: "1 lb 4 oz".into(),
        postage: Some("$8.50".into()),
        ship_date: "2026-11-21".into(),
        zone: Some("8".into()),
        sample: true,
    }
}

fn main() {
    let mut count = 500usize;
    let mut layout = PageLayout::FourBySix;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--letter" => layout = PageLayout::LetterTwoUp,
            "--out" => out = args.next(),
            number => match number.parse() {
                Ok(n) => count = n,
                Err(_) => {
                    eprintln!("usage: render_bench [N] [--letter] [--out FILE]");
                    std::process::exit(2);
                }
            },
        }
    }

    let labels: Vec<LabelSpec> = (0..count).map(sample_label).collect();
    let started = Instant::now();
    let pdf = match render_labels_pdf(&labels, layout) {
        Ok(pdf) => pdf,
        Err(error) => {
            eprintln!("render failed: {error}");
            std::process::exit(1);
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = out
        && let Err(error) = std::fs::write(&path, &pdf)
    {
        eprintln!("cannot write {path}: {error}");
        std::process::exit(1);
    }
    println!(
        "labels_rendered={count} seconds={seconds:.3} bytes={}",
        pdf.len()
    );
}
