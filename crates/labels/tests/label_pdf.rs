//! Label PDFs checked the way a printer and a scanner see them: page sizes from the file itself,
//! text through `pdftotext`, barcodes through `pdftoppm` + `zbarimg`.

mod common;

use common::{decode_barcodes, digits, label, page_sizes, pdf_text, write_pdf};
use labels::{LabelSpec, PageLayout, RenderError, render_labels_pdf};

#[test]
fn four_by_six_pdf_has_one_288_by_432_page_per_label() {
    let pdf = render_labels_pdf(&[label(1), label(2)], PageLayout::FourBySix).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(page_sizes(&pdf), vec![(288.0, 432.0), (288.0, 432.0)]);
}

#[test]
fn letter_two_up_puts_three_labels_on_two_letter_pages() {
    let labels = [label(1), label(2), label(3)];
    let pdf = render_labels_pdf(&labels, PageLayout::LetterTwoUp).unwrap();
    assert_eq!(page_sizes(&pdf), vec![(612.0, 792.0), (612.0, 792.0)]);

    require_tools!("pdftotext");
    let file = write_pdf("letter.pdf", &pdf);
    let first = pdf_text(&file, Some(1), false);
    let second = pdf_text(&file, Some(2), false);
    assert!(first.contains("RECIPIENT NUMBER 1") && first.contains("RECIPIENT NUMBER 2"));
    assert!(!first.contains("RECIPIENT NUMBER 3"));
    assert!(second.contains("RECIPIENT NUMBER 3"));
    assert!(!second.contains("RECIPIENT NUMBER 1"));
}

#[test]
fn address_and_label_facts_are_real_text() {
    require_tools!("pdftotext");
    let spec = label(7);
    let file = write_pdf(
        "text.pdf",
        &render_labels_pdf(std::slice::from_ref(&spec), PageLayout::FourBySix).unwrap(),
    );
    let text = pdf_text(&file, None, false);
    for line in spec.to_address.iter().chain(&spec.from_address) {
        assert!(text.contains(line.as_str()), "missing {line:?} in:\n{text}");
    }
    for fact in [
        "USPS GROUND ADVANTAGE",
        "USPS TRACKING #",
        "9405 5118 9922 3197 4284 97",
        "$11.27",
        "2 lb 3 oz",
        "Zone 7",
        "2026-11-21",
    ] {
        assert!(text.contains(fact), "missing {fact:?} in:\n{text}");
    }
    assert!(!text.contains("SAMPLE"), "a real label must not say SAMPLE");
}

#[test]
fn sample_labels_say_so_and_hidden_postage_is_hidden() {
    require_tools!("pdftotext");
    let spec = LabelSpec {
        sample: true,
        postage: None,
        zone: None,
        ..label(3)
    };
    let file = write_pdf(
        "sample.pdf",
        &render_labels_pdf(&[spec], PageLayout::FourBySix).unwrap(),
    );
    let text = pdf_text(&file, None, false);
    assert!(text.contains("SAMPLE - NOT VALID FOR POSTAGE"), "{text}");
    assert!(
        !text.contains('$'),
        "postage None must not print an amount:\n{text}"
    );
    assert!(!text.contains("Zone"), "{text}");
}

#[test]
fn tracking_barcode_decodes_back_to_the_tracking_number() {
    require_tools!("pdftoppm", "zbarimg");
    let spec = LabelSpec {
        sample: true,
        ..label(42)
    };
    let file = write_pdf(
        "barcode.pdf",
        &render_labels_pdf(std::slice::from_ref(&spec), PageLayout::FourBySix).unwrap(),
    );
    let found = decode_barcodes(&file, 1);
    let mut expected = vec![
        digits(&spec.tracking_number),
        format!("420{}", spec.to_zip5),
    ];
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn both_labels_on_a_letter_page_decode() {
    require_tools!("pdftoppm", "zbarimg");
    let (a, b) = (label(5), label(6));
    let pdf = render_labels_pdf(&[a.clone(), b.clone()], PageLayout::LetterTwoUp).unwrap();
    let found = decode_barcodes(&write_pdf("letter-codes.pdf", &pdf), 1);
    assert!(found.contains(&digits(&a.tracking_number)), "{found:?}");
    assert!(found.contains(&digits(&b.tracking_number)), "{found:?}");
}

#[test]
fn odd_length_tracking_number_still_decodes() {
    require_tools!("pdftoppm", "zbarimg");
    // 21 digits: set C for the pairs, then a switch to set B for the last digit.
    let spec = LabelSpec {
        tracking_number: "420974779405511899223".into(),
        ..label(0)
    };
    let file = write_pdf(
        "odd.pdf",
        &render_labels_pdf(std::slice::from_ref(&spec), PageLayout::FourBySix).unwrap(),
    );
    assert!(decode_barcodes(&file, 1).contains(&spec.tracking_number));
}

#[test]
fn unprintable_tracking_number_and_empty_batches_are_errors() {
    let bad = LabelSpec {
        tracking_number: "9405\u{00E9}".into(),
        ..label(0)
    };
    match render_labels_pdf(&[label(1), bad], PageLayout::FourBySix) {
        Err(RenderError::Barcode { what, .. }) => assert_eq!(what, "tracking number"),
        other => panic!("expected a barcode error, got {other:?}"),
    }
    let bad_zip = LabelSpec {
        to_zip5: "9747".into(),
        ..label(0)
    };
    assert!(matches!(
        render_labels_pdf(&[bad_zip], PageLayout::FourBySix),
        Err(RenderError::Barcode {
            what: "routing ZIP",
            ..
        })
    ));
    assert!(matches!(
        render_labels_pdf(&[], PageLayout::LetterTwoUp),
        Err(RenderError::Empty(_))
    ));
}

#[test]
fn long_addresses_stay_on_the_label() {
    require_tools!("pdftotext");
    let spec = LabelSpec {
        to_address: vec![
            "A VERY LONG RECIPIENT NAME THAT GOES ON AND ON AND ON FOREVER".into(),
            "ATTN RECEIVING DOCK 14".into(),
        ],
        ..label(0)
    };
    let file = write_pdf(
        "long.pdf",
        &render_labels_pdf(&[spec], PageLayout::FourBySix).unwrap(),
    );
    let text = pdf_text(&file, None, false);
    // Shrunk or cut with "...", but never lost, and the following line still prints.
    assert!(text.contains("A VERY LONG RECIPIENT NAME"), "{text}");
    assert!(text.contains("ATTN RECEIVING DOCK 14"), "{text}");
}

#[test]
fn accented_latin_names_survive_into_the_pdf_text() {
    require_tools!("pdftotext");
    let spec = LabelSpec {
        to_address: vec![
            "ZOË PEÑA".into(),
            "1 CAFÉ LN".into(),
            "SAN JOSÉ CA 95110".into(),
        ],
        ..label(0)
    };
    let file = write_pdf(
        "accents.pdf",
        &render_labels_pdf(&[spec], PageLayout::FourBySix).unwrap(),
    );
    let text = pdf_text(&file, None, false);
    for line in ["ZOË PEÑA", "1 CAFÉ LN", "SAN JOSÉ CA 95110"] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
}
