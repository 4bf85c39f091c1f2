//! The display list: what a page shows, independent of the output format.
//!
//! Coordinates are points (1/72 in) with the origin at the top-left corner and y growing
//! downwards, the way a layout is thought about; the PDF back end flips y. Text is placed by its
//! baseline. Layout code only talks to [`Page`]; the back ends only read [`Item`]s.

use crate::metrics;

/// Which of the two base-14 faces a text run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// Where `x` sits relative to a text run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Paint colour. Labels are printed on monochrome thermal printers, so black and white (for
/// text reversed out of a black banner) are all a layout may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Black,
    White,
}

/// One drawing instruction.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A single line of text; `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        align: Align,
        ink: Ink,
        text: String,
    },
    /// A straight stroked line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A filled rectangle; `y` is its top edge.
    FillRect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        ink: Ink,
    },
    /// A stroked rectangle outline; `y` is its top edge.
    StrokeRect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
    },
    /// The dark bars of a linear barcode, each `(x, width)`, all from `y` down to `y + h`.
    /// Kept as one item so back ends can group them (the SVG marks them `class="barcode"`).
    Bars {
        y: f32,
        h: f32,
        bars: Vec<(f32, f32)>,
    },
}

impl Item {
    /// The same item moved by `(dx, dy)`.
    fn translated(&self, dx: f32, dy: f32) -> Item {
        let mut moved = self.clone();
        match &mut moved {
            Item::Text { x, y, .. }
            | Item::FillRect { x, y, .. }
            | Item::StrokeRect { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
            Item::Bars { y, bars, .. } => {
                *y += dy;
                for (x, _) in bars.iter_mut() {
                    *x += dx;
                }
            }
        }
        moved
    }
}

/// One page (or one label-sized area that is later placed on a page).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Page {
    pub fn new(width: f32, height: f32) -> Self {
        Page {
            width,
            height,
            items: Vec::new(),
        }
    }

    /// Draws `other` onto this page with its top-left corner at `(dx, dy)`.
    pub fn place(&mut self, other: &Page, dx: f32, dy: f32) {
        self.items
            .extend(other.items.iter().map(|item| item.translated(dx, dy)));
    }

    /// A left-aligned black text run.
    pub fn text(&mut self, x: f32, y: f32, size: f32, face: Face, text: &str) {
        self.text_styled(x, y, size, face, Align::Left, Ink::Black, text);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text_styled(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        align: Align,
        ink: Ink,
        text: &str,
    ) {
        let text = metrics::printable(text);
        if text.trim().is_empty() {
            return;
        }
        self.items.push(Item::Text {
            x,
            y,
            size,
            face,
            align,
            ink,
            text,
        });
    }

    /// Text that must fit in `max_width`: the size shrinks down to `min_size`, and if the run
    /// is still too wide it is cut with an ellipsis rather than spilling over its neighbours.
    /// Returns the size used.
    #[allow(clippy::too_many_arguments)]
    pub fn text_fitted(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        min_size: f32,
        max_width: f32,
        face: Face,
        align: Align,
        ink: Ink,
        text: &str,
    ) -> f32 {
        let (fitted, used_size) = metrics::fit(text, face, size, min_size, max_width);
        self.text_styled(x, y, used_size, face, align, ink, &fitted);
        used_size
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        });
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, ink: Ink) {
        self.items.push(Item::FillRect { x, y, w, h, ink });
    }

    pub fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        self.items.push(Item::StrokeRect { x, y, w, h, width });
    }

    pub fn bars(&mut self, y: f32, h: f32, bars: Vec<(f32, f32)>) {
        self.items.push(Item::Bars { y, h, bars });
    }

    /// All text runs on the page, in drawing order (used by tests and the SVG back end).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|item| match item {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_moves_every_kind_of_item() {
        let mut label = Page::new(10.0, 10.0);
        label.text(1.0, 2.0, 8.0, Face::Regular, "A");
        label.line(0.0, 0.0, 1.0, 1.0, 1.0);
        label.fill_rect(1.0, 1.0, 2.0, 2.0, Ink::Black);
        label.bars(3.0, 4.0, vec![(5.0, 1.0)]);
        let mut sheet = Page::new(100.0, 100.0);
        sheet.place(&label, 10.0, 50.0);
        assert_eq!(
            sheet.items[0],
            Item::Text {
                x: 11.0,
                y: 52.0,
                size: 8.0,
                face: Face::Regular,
                align: Align::Left,
                ink: Ink::Black,
                text: "A".into()
            }
        );
        assert_eq!(
            sheet.items[1],
            Item::Line {
                x1: 10.0,
                y1: 50.0,
                x2: 11.0,
                y2: 51.0,
                width: 1.0
            }
        );
        assert_eq!(
            sheet.items[2],
            Item::FillRect {
                x: 11.0,
                y: 51.0,
                w: 2.0,
                h: 2.0,
                ink: Ink::Black
            }
        );
        assert_eq!(
            sheet.items[3],
            Item::Bars {
                y: 53.0,
                h: 4.0,
                bars: vec![(15.0, 1.0)]
            }
        );
    }

    #[test]
    fn blank_text_is_not_drawn() {
        let mut page = Page::new(10.0, 10.0);
        page.text(0.0, 0.0, 8.0, Face::Bold, "   ");
        assert!(page.items.is_empty());
    }
}
