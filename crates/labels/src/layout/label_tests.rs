//! Unit tests of the label layout: geometry the PDF/SVG tests cannot see directly.

use super::*;
use crate::display::Item;

fn spec() -> LabelSpec {
    LabelSpec {
        tracking_number: "9405511899223197428490".into(),
        service_name: "Priority Mail".into(),
        to_zip5: "12345".into(),
        ..LabelSpec::default()
    }
}

#[test]
fn indicator_letter_follows_the_service() {
    assert_eq!(service_indicator("PRIORITY MAIL EXPRESS"), "E");
    assert_eq!(service_indicator("Priority Mail"), "P");
    assert_eq!(service_indicator("USPS GROUND ADVANTAGE"), "G");
    assert_eq!(service_indicator("USPS Media Mail"), "M");
    assert_eq!(service_indicator(""), "");
}

#[test]
fn tracking_number_is_printed_in_groups_of_four() {
    assert_eq!(
        group_by_four("9405511899223197428490"),
        "9405 5118 9922 3197 4284 90"
    );
    assert_eq!(group_by_four("1234"), "1234");
    assert_eq!(tracking_digits(" 9405 5118\t90 "), "9405511890");
}

#[test]
fn every_item_stays_inside_the_label() {
    let page = label_page(&LabelSpec {
        sample: true,
        postage: Some("$123.45".into()),
        zone: Some("9".into()),
        ..spec()
    })
    .unwrap();
    for item in &page.items {
        let (left, top, right, bottom) = match item {
            Item::FillRect { x, y, w, h, .. } | Item::StrokeRect { x, y, w, h, .. } => {
                (*x, *y, x + w, y + h)
            }
            Item::Bars { y, h, bars } => {
                let (first, last) = (bars[0], bars[bars.len() - 1]);
                (first.0, *y, last.0 + last.1, y + h)
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                (x1.min(*x2), y1.min(*y2), x1.max(*x2), y1.max(*y2))
            }
            Item::Text { y, .. } => (0.0, *y, 0.0, *y),
        };
        assert!(left >= 0.0 && right <= LABEL_WIDTH, "{item:?}");
        assert!(top >= 0.0 && bottom <= LABEL_HEIGHT, "{item:?}");
    }
}

#[test]
fn tracking_bars_keep_their_quiet_zones() {
    let page = label_page(&spec()).unwrap();
    let tracking = page
        .items
        .iter()
        .rev()
        .find_map(|item| match item {
            Item::Bars { bars, .. } => Some(bars),
            _ => None,
        })
        .unwrap();
    let start = tracking[0].0;
    let end = tracking[tracking.len() - 1].0 + tracking[tracking.len() - 1].1;
    assert!(start >= QUIET_MODULES * TRACKING_MODULE, "{start}");
    assert!(
        LABEL_WIDTH - end >= QUIET_MODULES * TRACKING_MODULE,
        "{end}"
    );
}

#[test]
fn letter_sheets_hold_two_labels_side_by_side() {
    let labels = vec![spec(); 3];
    let pages = label_pages(&labels, PageLayout::LetterTwoUp).unwrap();
    assert_eq!(pages.len(), 2);
    let outlines: Vec<_> = pages[0]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::StrokeRect { x, y, w, h, width } if *width == 0.5 => Some((*x, *y, *w, *h)),
            _ => None,
        })
        .collect();
    assert_eq!(outlines.len(), 2);
    let (a, b) = (outlines[0], outlines[1]);
    assert!(a.0 + a.2 < b.0, "labels overlap: {a:?} {b:?}");
    assert!(b.0 + b.2 <= LETTER_WIDTH && a.1 + a.3 <= LETTER_HEIGHT);
}

#[test]
fn preview_draws_a_problem_where_pdf_fails() {
    let bad = LabelSpec {
        to_zip5: "ABCDE".into(),
        ..spec()
    };
    assert!(label_page(&bad).is_err());
    let preview = label_preview(&bad);
    assert!(preview.texts().any(|t| t.contains("routing ZIP")));
}
