//! Packing slips and SCAN forms: page counts, page size, text, and the SCAN form barcode.

mod common;

use common::{decode_barcodes, page_sizes, pdf_text, write_pdf};
use labels::{
    PackingSlip, PackingSlipItem, RenderError, ScanFormPackage, ScanFormSpec,
    render_packing_slips_pdf, render_scan_form_pdf,
};

const LETTER: (f32, f32) = (612.0, 792.0);

fn slip(order: &str, item_count: usize, note: Option<&str>) -> PackingSlip {
    PackingSlip {
        order_number: order.into(),
        order_date: "2026-11-19".into(),
        ship_to: vec![
            "Jane Doe".into(),
            "55 Elm St Apt 3".into(),
            "Burlington VT 05401".into(),
        ],
        ship_from: vec![
            "Acme Widgets LLC".into(),
            "1 Industrial Pkwy".into(),
            "Dayton OH 45402".into(),
        ],
        items: (1..=item_count)
            .map(|n| PackingSlipItem {
                sku: format!("SKU-{order}-{n:03}"),
                title: format!("Widget model {n} in blue"),
                quantity: (n % 3 + 1) as u32,
            })
            .collect(),
        note: note.map(str::to_string),
    }
}

#[test]
fn short_slips_take_one_letter_page_each() {
    let pdf = render_packing_slips_pdf(&[slip("1001", 3, None), slip("1002", 1, Some("Thanks!"))])
        .unwrap();
    assert_eq!(page_sizes(&pdf), vec![LETTER, LETTER]);
}

#[test]
fn long_item_lists_continue_on_more_pages_and_keep_every_item() {
    let long = slip("2001", 80, Some("Happy birthday, Sam! Enjoy the widgets."));
    let pdf = render_packing_slips_pdf(&[long.clone(), slip("2002", 2, None)]).unwrap();
    let sizes = page_sizes(&pdf);
    // 80 rows of 17 pt cannot fit on one Letter page; the second slip starts its own page.
    assert!(sizes.len() >= 3, "{} pages", sizes.len());
    assert!(sizes.iter().all(|&size| size == LETTER));

    require_tools!("pdftotext");
    let file = write_pdf("slips.pdf", &pdf);
    let text = pdf_text(&file, None, false);
    for item in &long.items {
        assert!(text.contains(&item.sku), "missing {}", item.sku);
        assert!(text.contains(&item.title), "missing {}", item.title);
    }
    let units: u32 = long.items.iter().map(|i| i.quantity).sum();
    assert!(text.contains(&format!("Total items: {units}")), "{text}");
    assert!(text.contains("Happy birthday, Sam!"), "{text}");
    assert!(text.contains("PACKING SLIP - order 2001 (continued)"));
    let last_page = pdf_text(&file, Some(sizes.len()), false);
    assert!(last_page.contains("Order 2002") && last_page.contains("SKU-2002-002"));
    assert!(last_page.contains("Page 1 of 1"), "{last_page}");
}

#[test]
fn slip_shows_addresses_and_order_facts() {
    require_tools!("pdftotext");
    let one = slip("3001", 2, Some("Gift - no prices please"));
    let file = write_pdf(
        "slip.pdf",
        &render_packing_slips_pdf(std::slice::from_ref(&one)).unwrap(),
    );
    let text = pdf_text(&file, None, false);
    for line in one.ship_to.iter().chain(&one.ship_from) {
        assert!(text.contains(line.as_str()), "missing {line:?}");
    }
    for fact in [
        "PACKING SLIP",
        "Order 3001",
        "Order date: 2026-11-19",
        "Gift - no prices please",
    ] {
        assert!(text.contains(fact), "missing {fact:?} in:\n{text}");
    }
}

#[test]
fn empty_slip_list_is_an_error() {
    assert!(matches!(
        render_packing_slips_pdf(&[]),
        Err(RenderError::Empty(_))
    ));
}

fn scan_form(package_count: usize) -> ScanFormSpec {
    let services = [
        "USPS GROUND ADVANTAGE",
        "PRIORITY MAIL",
        "PRIORITY MAIL EXPRESS",
    ];
    ScanFormSpec {
        form_id: "9475711899223197428491".into(),
        mailer_name: "Acme Widgets LLC".into(),
        from_address: vec!["1 Industrial Pkwy".into(), "Dayton OH 45402".into()],
        date: "2026-11-21".into(),
        packages: (0..package_count)
            .map(|n| ScanFormPackage {
                tracking_number: format!("940551189922319{:07}", n),
                // 0,1,2 -> ground; 3 -> priority; 4 -> express; repeat
                service_name: services[[0, 0, 0, 1, 2][n % 5]].into(),
                weight: format!("{} oz", 4 + n),
            })
            .collect(),
    }
}

#[test]
fn scan_form_with_few_packages_is_one_page_with_counts_per_service() {
    let form = scan_form(10);
    let pdf = render_scan_form_pdf(&form).unwrap();
    assert_eq!(page_sizes(&pdf), vec![LETTER]);

    require_tools!("pdftotext");
    let file = write_pdf("scan-form.pdf", &pdf);
    let text = pdf_text(&file, None, true);
    let count_of = |service: &str| -> Option<String> {
        text.lines()
            .find(|line| line.trim_start().starts_with(service) && !line.contains("9405"))
            // The acceptance box prints beside the summary, so take the token right after.
            .map(|line| {
                let rest = &line.trim_start()[service.len()..];
                rest.split_whitespace().next().unwrap_or("").to_string()
            })
    };
    assert_eq!(
        count_of("USPS GROUND ADVANTAGE").as_deref(),
        Some("6"),
        "{text}"
    );
    assert_eq!(
        count_of("PRIORITY MAIL EXPRESS").as_deref(),
        Some("2"),
        "{text}"
    );
    assert_eq!(count_of("Total").as_deref(), Some("10"), "{text}");
    assert!(text.contains("Acme Widgets LLC") && text.contains("Dayton OH 45402"));
    assert!(
        text.contains("9475 7118 9922 3197 4284 91"),
        "form id under its barcode"
    );
}

#[test]
fn scan_form_lists_every_package_across_pages() {
    let form = scan_form(120);
    let pdf = render_scan_form_pdf(&form).unwrap();
    let pages = page_sizes(&pdf);
    assert!(pages.len() >= 3, "{} pages for 120 packages", pages.len());
    assert!(pages.iter().all(|&size| size == LETTER));

    require_tools!("pdftotext");
    let file = write_pdf("scan-form-long.pdf", &pdf);
    let text = pdf_text(&file, None, false);
    for package in &form.packages {
        let printed = package
            .tracking_number
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&printed), "missing {printed}");
    }
    assert!(text.contains(&format!("Page {} of {}", pages.len(), pages.len())));
}

#[test]
fn scan_form_barcode_decodes_to_the_form_id() {
    require_tools!("pdftoppm", "zbarimg");
    let form = scan_form(3);
    let file = write_pdf("scan-form-code.pdf", &render_scan_form_pdf(&form).unwrap());
    assert_eq!(decode_barcodes(&file, 1), vec![form.form_id.clone()]);
}

#[test]
fn scan_form_id_that_cannot_be_a_barcode_is_an_error() {
    let form = ScanFormSpec {
        form_id: String::new(),
        ..scan_form(1)
    };
    assert!(matches!(
        render_scan_form_pdf(&form),
        Err(RenderError::Barcode {
            what: "SCAN form id",
            ..
        })
    ));
}
