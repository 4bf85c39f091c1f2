//! The SVG preview: well-formed XML, the same text as the PDF, and real barcode bars.

mod common;

use std::process::Command;

use common::{decode_image, digits, keep_copy, label};
use labels::{LabelSpec, render_label_svg};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// What the test needs from a parsed SVG.
#[derive(Default)]
struct Parsed {
    root_view_box: Option<String>,
    texts: Vec<String>,
    /// Widths of the `<rect>`s inside each `<g class="barcode">`, one Vec per barcode.
    barcodes: Vec<Vec<f32>>,
}

fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .map(|a| a.expect("well-formed attribute"))
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("valid escape")
                .into_owned()
        })
}

/// Parses the whole document; any XML error fails the test.
fn parse(svg: &str) -> Parsed {
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut parsed = Parsed::default();
    let mut depth = 0usize;
    let mut in_text = false;
    let mut in_barcode = false;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(element) => {
                depth += 1;
                match element.name().as_ref() {
                    "svg" if depth == 1 => {
                        parsed.root_view_box = attribute(&element, "viewBox");
                    }
                    "text" => {
                        in_text = true;
                        parsed.texts.push(String::new());
                    }
                    "g" if attribute(&element, "class").as_deref() == Some("barcode") => {
                        in_barcode = true;
                        parsed.barcodes.push(Vec::new());
                    }
                    _ => {}
                }
            }
            Event::Empty(element) if in_barcode && element.name().as_ref() == "rect" => {
                let width: f32 = attribute(&element, "width").unwrap().parse().unwrap();
                parsed.barcodes.last_mut().unwrap().push(width);
            }
            Event::Text(text) if in_text => {
                let text = text.xml10_content();
                let text = quick_xml::escape::unescape(&text).expect("valid escapes");
                parsed.texts.last_mut().unwrap().push_str(&text);
            }
            Event::GeneralRef(reference) if in_text => {
                let name = reference.xml10_content();
                let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                    .expect("only predefined entities");
                parsed.texts.last_mut().unwrap().push_str(resolved);
            }
            Event::End(element) => {
                depth -= 1;
                match element.name().as_ref() {
                    "text" => in_text = false,
                    "g" => in_barcode = false,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    parsed
}

#[test]
fn svg_is_well_formed_4x6_with_the_label_text() {
    let spec = LabelSpec {
        to_address: vec![
            "O'BRIEN & SONS <RECEIVING>".into(),
            "12 \"B\" STREET".into(),
            "BOSTON MA 02101".into(),
        ],
        sample: true,
        ..label(3)
    };
    let svg = render_label_svg(&spec);
    let parsed = parse(&svg);
    assert_eq!(parsed.root_view_box.as_deref(), Some("0 0 288 432"));
    for line in spec.to_address.iter().chain(&spec.from_address) {
        assert!(
            parsed.texts.contains(line),
            "missing {line:?} in {:?}",
            parsed.texts
        );
    }
    for fact in [
        "USPS TRACKING #",
        "9405 5118 9922 3197 4284 93",
        "SAMPLE - NOT VALID FOR POSTAGE",
    ] {
        assert!(parsed.texts.iter().any(|t| t == fact), "missing {fact:?}");
    }
}

#[test]
fn svg_has_routing_and_tracking_barcode_bars() {
    let parsed = parse(&render_label_svg(&label(1)));
    assert_eq!(parsed.barcodes.len(), 2, "routing + tracking barcodes");
    let tracking = &parsed.barcodes[1];
    // A Code 128 symbol alternates bars and spaces of 1-4 modules, starting and ending with a
    // bar: 3 bars per symbol character, plus 4 for the stop pattern. 22 digits in set C are
    // start + 11 pairs + check = 13 characters.
    assert_eq!(tracking.len(), 13 * 3 + 4);
    let narrowest = tracking.iter().copied().fold(f32::MAX, f32::min);
    assert!(narrowest > 1.0, "bars too thin to scan: {narrowest}");
    for width in tracking {
        let modules = width / narrowest;
        assert!(
            (modules - modules.round()).abs() < 0.01 && (1.0..=4.0).contains(&modules.round()),
            "bar of {width} pt is not 1-4 modules of {narrowest} pt"
        );
    }
}

#[test]
fn svg_barcode_decodes_when_rasterised() {
    require_tools!("convert", "zbarimg");
    let spec = label(9);
    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("label.svg");
    let png_path = dir.path().join("label.png");
    std::fs::write(&svg_path, render_label_svg(&spec)).unwrap();
    let status = Command::new("convert")
        .args(["-density", "300"])
        .arg(&svg_path)
        .arg(&png_path)
        .status()
        .expect("convert runs");
    keep_copy(&svg_path);
    keep_copy(&png_path);
    if !status.success() {
        println!("SKIPPED: convert cannot rasterise SVG here");
        return;
    }
    let found = decode_image(&png_path);
    assert!(found.contains(&digits(&spec.tracking_number)), "{found:?}");
    assert!(found.contains(&format!("420{}", spec.to_zip5)), "{found:?}");
}

#[test]
fn svg_preview_shows_a_bad_tracking_number_instead_of_failing() {
    let spec = LabelSpec {
        tracking_number: "9405\u{2603}".into(),
        ..label(0)
    };
    let parsed = parse(&render_label_svg(&spec));
    assert_eq!(
        parsed.barcodes.len(),
        1,
        "only the routing barcode can be drawn"
    );
    assert!(
        parsed
            .texts
            .iter()
            .any(|t| t.contains("cannot encode tracking number")),
        "{:?}",
        parsed.texts
    );
}
