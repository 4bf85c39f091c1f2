//! Hostile text through every document the crate draws: any Unicode (control characters,
//! combining marks, right-to-left scripts and bidi overrides, emoji, XML and PDF syntax), from
//! empty to 10 MB, in every text field of a label, a packing slip and a SCAN form, through the
//! same public render functions the app calls, to PDF and to SVG (packing slips and SCAN forms
//! have no public SVG, so their display-list pages go through the same SVG writer the label
//! preview uses). Nothing may panic, every output must be well formed, and its size must follow
//! what is drawn, not what was typed.

use std::fmt;

use proptest::prelude::*;
use quick_xml::Reader;
use quick_xml::events::Event;

use crate::display::Page;
use crate::layout::packing_slip::{NOTE_MAX_LINES, slip_pages};
use crate::layout::scan_form::scan_form_pages;
use crate::metrics::MAX_RUN_CHARS;
use crate::{
    LabelSpec, PackingSlip, PackingSlipItem, PageLayout, RenderError, ScanFormPackage,
    ScanFormSpec, render_label_svg, render_labels_pdf, render_packing_slips_pdf,
    render_scan_form_pdf, svg,
};

const MIB: usize = 1024 * 1024;
/// No document here needs more: a few pages of at most a run's worth of text per line.
const MAX_OUTPUT_BYTES: usize = 2 * MIB;

/// One field's text. A huge one is kept as a recipe, so a failing case prints in a few lines.
#[derive(Clone)]
enum Text {
    Small(String),
    Huge { pattern: String, bytes: usize },
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Small(text) => write!(f, "{text:?}"),
            Text::Huge { pattern, bytes } => write!(f, "{pattern:?} repeated to {bytes} bytes"),
        }
    }
}

impl Text {
    fn build(&self) -> String {
        match self {
            Text::Small(text) => text.clone(),
            Text::Huge { pattern, bytes } => pattern.repeat(bytes.div_ceil(pattern.len())),
        }
    }
}

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        2 => prop::char::range('\u{0}', '\u{1F}'),
        1 => prop::char::range('\u{7F}', '\u{9F}'),
        1 => prop::char::range('\u{300}', '\u{36F}'),
        1 => prop::char::range('\u{590}', '\u{6FF}'),
        1 => prop::char::range('\u{202A}', '\u{202E}'),
        1 => prop::char::range('\u{2066}', '\u{2069}'),
        1 => prop::char::range('\u{1F300}', '\u{1FAFF}'),
        1 => prop::sample::select(vec![
            '\u{200D}', '\u{FE0F}', '\u{FEFF}', '\u{2028}', '\u{2029}', '\u{A0}', '\u{AD}',
            '\u{FFFD}', '\u{FFFF}', '\u{2018}', '\u{201D}', '\u{2014}',
        ]),
        2 => prop::sample::select(vec![
            '<', '>', '&', '"', '\'', '(', ')', '\\', '%', ']', '/', ' ', '\t', '\n', '\r',
        ]),
        3 => prop::char::range('0', '9'),
        3 => prop::char::range('A', 'z'),
        1 => prop::char::range('\u{C0}', '\u{FF}'),
    ]
}

fn small_text() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..60).prop_map(|chars| chars.into_iter().collect())
}

/// Mostly short hostile strings; now and then a pattern repeated to 1-10 MB (one endless word,
/// endless lines or endless blanks, depending on the pattern).
fn text() -> impl Strategy<Value = Text> {
    let huge = (prop::collection::vec(hostile_char(), 1..12), MIB..=10 * MIB).prop_map(
        |(chars, bytes)| Text::Huge {
            pattern: chars.into_iter().collect(),
            bytes,
        },
    );
    prop_oneof![60 => small_text().prop_map(Text::Small), 1 => huge]
}

/// A field that is usually valid (digits), so documents get past their barcodes, or hostile.
fn digits_or_text(len: usize) -> impl Strategy<Value = Text> {
    prop_oneof![
        3 => prop::collection::vec(prop::char::range('0', '9'), len)
            .prop_map(|digits| Text::Small(digits.into_iter().collect())),
        1 => text(),
    ]
}

fn lines() -> impl Strategy<Value = Vec<Text>> {
    prop::collection::vec(text(), 0..5)
}

fn build_all(texts: &[Text]) -> Vec<String> {
    texts.iter().map(Text::build).collect()
}

#[derive(Debug, Clone)]
struct LabelCase {
    tracking_number: Text,
    service_name: Text,
    from_address: Vec<Text>,
    to_address: Vec<Text>,
    to_zip5: Text,
    weight: Text,
    postage: Option<Text>,
    ship_date: Text,
    zone: Option<Text>,
    sample: bool,
}

impl LabelCase {
    fn build(&self) -> LabelSpec {
        LabelSpec {
            tracking_number: self.tracking_number.build(),
            service_name: self.service_name.build(),
            from_address: build_all(&self.from_address),
            to_address: build_all(&self.to_address),
            to_zip5: self.to_zip5.build(),
            weight: self.weight.build(),
            postage: self.postage.as_ref().map(Text::build),
            ship_date: self.ship_date.build(),
            zone: self.zone.as_ref().map(Text::build),
            sample: self.sample,
        }
    }
}

prop_compose! {
    fn label_case()(
        tracking_number in digits_or_text(22),
        service_name in text(),
        from_address in lines(),
        to_address in lines(),
        to_zip5 in digits_or_text(5),
        weight in text(),
        postage in proptest::option::of(text()),
        ship_date in text(),
        zone in proptest::option::of(text()),
        sample in any::<bool>(),
    ) -> LabelCase {
        LabelCase {
            tracking_number, service_name, from_address, to_address, to_zip5, weight, postage,
            ship_date, zone, sample,
        }
    }
}

#[derive(Debug, Clone)]
struct SlipCase {
    order_number: Text,
    order_date: Text,
    ship_to: Vec<Text>,
    ship_from: Vec<Text>,
    items: Vec<(Text, Text, u32)>,
    note: Option<Text>,
}

/// Few enough items that every slip fits on one page, however long its texts.
const SLIP_ITEMS: usize = 4;

impl SlipCase {
    fn build(&self) -> PackingSlip {
        PackingSlip {
            order_number: self.order_number.build(),
            order_date: self.order_date.build(),
            ship_to: build_all(&self.ship_to),
            ship_from: build_all(&self.ship_from),
            items: self
                .items
                .iter()
                .map(|(sku, title, quantity)| PackingSlipItem {
                    sku: sku.build(),
                    title: title.build(),
                    quantity: *quantity,
                })
                .collect(),
            note: self.note.as_ref().map(Text::build),
        }
    }
}

prop_compose! {
    fn slip_case()(
        order_number in text(),
        order_date in text(),
        ship_to in lines(),
        ship_from in lines(),
        items in prop::collection::vec((text(), text(), any::<u32>()), 0..=SLIP_ITEMS),
        note in proptest::option::of(text()),
    ) -> SlipCase {
        SlipCase { order_number, order_date, ship_to, ship_from, items, note }
    }
}

#[derive(Debug, Clone)]
struct ScanFormCase {
    form_id: Text,
    mailer_name: Text,
    from_address: Vec<Text>,
    date: Text,
    packages: Vec<(Text, Text, Text)>,
}

/// Few enough packages that the form fits on its first page, however long its texts.
const FORM_PACKAGES: usize = 5;

impl ScanFormCase {
    fn build(&self) -> ScanFormSpec {
        ScanFormSpec {
            form_id: self.form_id.build(),
            mailer_name: self.mailer_name.build(),
            from_address: build_all(&self.from_address),
            date: self.date.build(),
            packages: self
                .packages
                .iter()
                .map(|(tracking_number, service_name, weight)| ScanFormPackage {
                    tracking_number: tracking_number.build(),
                    service_name: service_name.build(),
                    weight: weight.build(),
                })
                .collect(),
        }
    }
}

prop_compose! {
    fn scan_form_case()(
        form_id in digits_or_text(22),
        mailer_name in text(),
        from_address in lines(),
        date in text(),
        packages in prop::collection::vec(
            (digits_or_text(22), text(), text()),
            0..=FORM_PACKAGES,
        ),
    ) -> ScanFormCase {
        ScanFormCase { form_id, mailer_name, from_address, date, packages }
    }
}

/// A complete PDF: header, trailer, and printpdf's own parser reads `pages` pages from it.
fn assert_well_formed_pdf(pdf: &[u8], pages: usize) {
    assert!(pdf.starts_with(b"%PDF-"), "no PDF header");
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"), "no %%EOF trailer");
    assert!(pdf.len() < MAX_OUTPUT_BYTES, "{} bytes of PDF", pdf.len());
    let mut warnings = Vec::new();
    let parsed = printpdf::PdfDocument::parse(pdf, &Default::default(), &mut warnings)
        .unwrap_or_else(|error| panic!("the PDF does not parse: {error}"));
    assert_eq!(parsed.pages.len(), pages);
}

/// Well-formed XML with one `<svg>` root, only predefined entities, and no text run longer than
/// a run may be.
fn assert_well_formed_svg(svg: &str) {
    assert!(svg.len() < MAX_OUTPUT_BYTES, "{} bytes of SVG", svg.len());
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut roots = 0;
    let mut run: Option<String> = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => panic!(
                "not well-formed XML at {}: {error}",
                reader.error_position()
            ),
        };
        match event {
            Event::Start(element) => {
                if depth == 0 {
                    assert_eq!(element.name().as_ref(), "svg");
                    roots += 1;
                }
                if element.name().as_ref() == "text" {
                    run = Some(String::new());
                }
                depth += 1;
            }
            Event::Text(text) => {
                let text = text.xml10_content();
                let text = quick_xml::escape::unescape(&text).expect("valid escapes");
                if let Some(run) = &mut run {
                    run.push_str(&text);
                }
            }
            Event::GeneralRef(reference) => {
                let name = reference.xml10_content();
                let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                    .expect("only predefined entities");
                if let Some(run) = &mut run {
                    run.push_str(resolved);
                }
            }
            Event::End(element) => {
                depth -= 1;
                if element.name().as_ref() == "text" {
                    let run = run.take().expect("a text run was open");
                    assert!(
                        run.chars().count() <= MAX_RUN_CHARS,
                        "a run of {}",
                        run.len()
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((roots, depth), (1, 0), "one closed root element");
}

fn assert_runs_are_bounded(pages: &[Page]) {
    for text in pages.iter().flat_map(Page::texts) {
        assert!(
            text.chars().count() <= MAX_RUN_CHARS,
            "a run of {}",
            text.len()
        );
    }
}

/// Barcode data a scanner cannot read is refused, with a short message (it crosses IPC).
fn assert_short_barcode_error(error: &RenderError) {
    assert!(matches!(error, RenderError::Barcode { .. }), "{error}");
    assert!(
        error.to_string().len() < 400,
        "{} bytes",
        error.to_string().len()
    );
}

fn check_labels(cases: &[LabelCase]) {
    let labels: Vec<LabelSpec> = cases.iter().map(LabelCase::build).collect();
    for layout in [PageLayout::FourBySix, PageLayout::LetterTwoUp] {
        match render_labels_pdf(&labels, layout) {
            Ok(pdf) => {
                let pages = match layout {
                    PageLayout::FourBySix => labels.len(),
                    PageLayout::LetterTwoUp => labels.len().div_ceil(2),
                };
                assert_well_formed_pdf(&pdf, pages);
            }
            Err(error) => assert_short_barcode_error(&error),
        }
    }
    for label in &labels {
        assert_well_formed_svg(&render_label_svg(label));
        assert_runs_are_bounded(&[crate::layout::label::label_preview(label)]);
    }
}

fn check_slips(cases: &[SlipCase]) {
    let slips: Vec<PackingSlip> = cases.iter().map(SlipCase::build).collect();
    let pdf = render_packing_slips_pdf(&slips).expect("packing slips always render");
    assert_well_formed_pdf(&pdf, slips.len());
    let pages = slip_pages(&slips);
    assert_eq!(pages.len(), slips.len(), "one page per short slip");
    assert_runs_are_bounded(&pages);
    for page in &pages {
        assert_well_formed_svg(&svg::write_svg(page));
    }
}

fn check_scan_form(case: &ScanFormCase) {
    let form = case.build();
    match render_scan_form_pdf(&form) {
        Ok(pdf) => {
            assert_well_formed_pdf(&pdf, 1);
            let pages = scan_form_pages(&form).expect("renders as the PDF did");
            assert_runs_are_bounded(&pages);
            for page in &pages {
                assert_well_formed_svg(&svg::write_svg(page));
            }
        }
        Err(error) => assert_short_barcode_error(&error),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        // ChaCha, the default, is most of the run time in an unoptimised test build.
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_in_any_field_renders_every_document(
        labels in prop::collection::vec(label_case(), 1..4),
        slips in prop::collection::vec(slip_case(), 1..3),
        form in scan_form_case(),
    ) {
        check_labels(&labels);
        check_slips(&slips);
        check_scan_form(&form);
    }
}

/// The reported crash: a 10 MB note overflowed the `u32` width sum (a panic in debug builds,
/// silently wrapped widths in release).
#[test]
fn a_10_mb_note_gives_a_one_page_slip_with_the_note_cut_short() {
    let ten_mb = 10 * MIB;
    for note in ["W".repeat(ten_mb), "Thank you! ".repeat(ten_mb / 11)] {
        let slip = PackingSlip {
            order_number: "1001".into(),
            order_date: "2026-11-19".into(),
            ship_to: vec!["Jane Doe".into(), "Burlington VT 05401".into()],
            items: vec![PackingSlipItem {
                sku: "SKU-1".into(),
                title: "Widget".into(),
                quantity: 1,
            }],
            note: Some(note),
            ..PackingSlip::default()
        };
        let slips = std::slice::from_ref(&slip);
        let pdf = render_packing_slips_pdf(slips).expect("renders");
        assert_well_formed_pdf(&pdf, 1);

        let pages = slip_pages(slips);
        assert_eq!(pages.len(), 1);
        let texts: Vec<&str> = pages[0].texts().collect();
        let note_at = texts.iter().position(|&t| t == "NOTE").expect("a note box");
        let note_lines = &texts[note_at + 1..texts.len() - 2]; // then the footer's two runs
        assert_eq!(note_lines.len(), NOTE_MAX_LINES, "{note_lines:?}");
        assert!(
            note_lines.last().unwrap().ends_with("..."),
            "{note_lines:?}"
        );
        assert_well_formed_svg(&svg::write_svg(&pages[0]));
    }
}
