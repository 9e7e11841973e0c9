//! Which pages need their words read from their picture, which part of the page, and
//! why: decided from what the interpreter saw the page draw (glyphs and whether their
//! fonts gave text for them, images and where they stand, filled paths), not from a
//! count of the text layer's words alone.
//!
//! - **scan**: mostly image, (almost) no text: the page's images are read.
//! - **stamped-scan**: mostly image under a few lines of visible text (a court's
//!   filing header stamped on a scanned order): the images are read and the stamp
//!   kept. An invisible text layer (an earlier OCR's) is kept as the page's text.
//! - **unmapped-font**: many glyphs whose font gives no text (no ToUnicode, no known
//!   encoding, codes that map to control or private-use characters): the page is
//!   rendered and read.
//! - **outlined-text**: many small curved filled paths standing in rows, as text
//!   converted to outlines is drawn: the page is rendered and read.
//! - **image-text**: a page with a text layer that also draws a sizeable image no text
//!   stands on (a letterhead, a seal, a pasted e-mail): that image is read.
//!
//! A page's text layer is kept whenever it is trustworthy; what the picture adds is
//! merged in by [`super::add_ocr_text`].

use super::interpreter::{DrawnImage, Fill, PageMarks, PlacedGlyph};
use super::scan;
use crate::ocr::OcrMode;

/// A page with fewer non-space characters than this in its text layer may be a scan
/// (a stamped Bates number or a header is not a text layer).
const SCAN_TEXT_CHARS: usize = 50;

/// A scan whose text layer holds at most this many lines is stamped (a filing header,
/// a Bates number, a "received" stamp), not covered by an OCR layer of its own.
const STAMP_LINES: usize = 3;

/// Glyphs without usable text that make a page worth rendering: this many, and this
/// share of the page's glyphs (a stray symbol font is not a page of unreadable text).
const UNMAPPED_GLYPHS: usize = 20;
const UNMAPPED_SHARE: f32 = 0.25;

/// Letter-sized filled paths (points): outlines of glyphs of 4 to 40 point type.
const OUTLINE_HEIGHT: (f32, f32) = (2.0, 40.0);
const OUTLINE_WIDTH: (f32, f32) = (0.5, 40.0);

/// Outlined text: at least this many letter-like paths off the text layer, of which
/// at least this many rows of at least this many paths (words stand in lines; the
/// markers of a chart or the curves of a logo do not).
const OUTLINE_PATHS: usize = 40;
const OUTLINE_ROWS: usize = 3;
const OUTLINE_ROW_PATHS: usize = 5;

/// An image worth reading on a page that has a text layer: drawn at least this large
/// (points) from at least this many samples, with at most this many glyphs standing
/// on it (a form's background or a table over a tint is not image text).
const IMAGE_TEXT_POINTS: (f32, f32) = (100.0, 20.0);
const IMAGE_TEXT_SAMPLES: (u32, u32) = (200, 40);
const IMAGE_TEXT_GLYPHS_ON: usize = 3;

/// Images read per page for their text, largest first: a page tiled with hundreds of
/// small pictures costs a few OCR runs, not hundreds.
const IMAGE_TEXT_MOST: usize = 4;

/// Why (part of) a page is read from its picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Scan,
    StampedScan,
    UnmappedFont,
    OutlinedText,
    ImageText,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::Scan,
        Reason::StampedScan,
        Reason::UnmappedFont,
        Reason::OutlinedText,
        Reason::ImageText,
    ];

    /// The reason as the index stores it and `foia status` counts it.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Scan => "scan",
            Reason::StampedScan => "stamped-scan",
            Reason::UnmappedFont => "unmapped-font",
            Reason::OutlinedText => "outlined-text",
            Reason::ImageText => "image-text",
        }
    }

    /// Whether the picture may stand other than upright: a scanned sheet may have been
    /// fed turned, while what a page draws, rendered or composed, is as a viewer
    /// shows it.
    pub fn may_be_turned(self) -> bool {
        matches!(self, Reason::Scan | Reason::StampedScan)
    }

    /// Whether the OCR text stands in for a blank text layer (a scan) rather than
    /// adding to one that is kept.
    pub fn replaces_blank_layer(self) -> bool {
        self == Reason::Scan
    }
}

/// What to read on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// Some of the page's images, composed where they are drawn (indexes into
    /// [`PageMarks::images`]): all of them for a scan, the ones that carry words
    /// for image text.
    Images { reason: Reason, images: Vec<usize> },
    /// The whole page as drawn, rendered.
    Render { reason: Reason },
}

impl Reading {
    pub fn reason(&self) -> Reason {
        match self {
            Reading::Images { reason, .. } | Reading::Render { reason } => *reason,
        }
    }
}

/// What of a page to read, if anything, given what it draws, its visible area and
/// its text layer.
pub fn decide(marks: &PageMarks, area: [f32; 4], text: &str, mode: OcrMode) -> Option<Reading> {
    if mode == OcrMode::Never {
        return None;
    }
    let text_chars = text.chars().filter(|c| !c.is_whitespace()).count();
    let coverage = scan::coverage(area, marks.images.iter().map(|image| image.matrix));
    let all_images = || (0..marks.images.len()).collect::<Vec<usize>>();
    if !marks.images.is_empty() {
        let least = if text_chars == 0 {
            scan::IMAGE_ONLY_COVERAGE
        } else {
            scan::SCAN_COVERAGE
        };
        if coverage >= least && (text_chars < SCAN_TEXT_CHARS || mode == OcrMode::Always) {
            return Some(Reading::Images {
                reason: Reason::Scan,
                images: all_images(),
            });
        }
        // An invisible text layer is a scanner's own OCR, kept unless `--ocr always`.
        let stamped = marks.invisible == 0 && text_lines(&marks.glyphs) <= STAMP_LINES;
        if coverage >= scan::SCAN_COVERAGE && stamped {
            return Some(Reading::Images {
                reason: Reason::StampedScan,
                images: all_images(),
            });
        }
    }
    let glyphs = marks.glyphs.len() + marks.unmapped;
    if marks.unmapped >= UNMAPPED_GLYPHS && marks.unmapped as f32 >= UNMAPPED_SHARE * glyphs as f32
    {
        return Some(Reading::Render {
            reason: Reason::UnmappedFont,
        });
    }
    if outlined_text(&marks.fills, &marks.glyphs) {
        return Some(Reading::Render {
            reason: Reason::OutlinedText,
        });
    }
    let images = images_with_text(&marks.images, &marks.glyphs);
    (!images.is_empty()).then_some(Reading::Images {
        reason: Reason::ImageText,
        images,
    })
}

/// How many lines the glyphs stand on: distinct baselines, each across its glyphs'
/// own direction, to the nearest two points.
fn text_lines(glyphs: &[PlacedGlyph]) -> usize {
    let mut lines: Vec<(i32, i32, i32)> = glyphs
        .iter()
        .filter(|glyph| !glyph.text.trim().is_empty())
        .map(|glyph| {
            let (dx, dy) = glyph.direction;
            let across = -dy * glyph.x + dx * glyph.y;
            (
                (dx * 8.0).round() as i32,
                (dy * 8.0).round() as i32,
                (across / 2.0).round() as i32,
            )
        })
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines.len()
}

/// Side of the cells glyph boxes are filed under (points): a point is looked for only
/// among the glyphs of its cell, so a drawing of tens of thousands of paths beside
/// thousands of glyphs costs a lookup per path, not a scan of every glyph.
const CELL: f32 = 24.0;

/// The glyphs' boxes (from the origin, one size up, to the advance), filed by the
/// cells they touch.
struct GlyphBoxes {
    cells: std::collections::HashMap<(i32, i32), Vec<[f32; 4]>>,
}

impl GlyphBoxes {
    fn new(glyphs: &[PlacedGlyph]) -> GlyphBoxes {
        let mut cells: std::collections::HashMap<(i32, i32), Vec<[f32; 4]>> =
            std::collections::HashMap::new();
        for glyph in glyphs {
            let bounds = [
                glyph.x.min(glyph.end_x) - 0.5,
                glyph.y.min(glyph.end_y) - glyph.size * 0.3,
                glyph.x.max(glyph.end_x) + 0.5,
                glyph.y.max(glyph.end_y) + glyph.size,
            ];
            if !bounds.iter().all(|v| v.is_finite()) {
                continue;
            }
            let cell = |v: f32| (v / CELL).floor() as i32;
            // A glyph larger than a few cells is filed under at most 8 x 8 of them
            // from its lower left: a hostile size must not file it everywhere.
            for column in (cell(bounds[0])..=cell(bounds[2])).take(8) {
                for row in (cell(bounds[1])..=cell(bounds[3])).take(8) {
                    cells.entry((column, row)).or_default().push(bounds);
                }
            }
        }
        GlyphBoxes { cells }
    }

    /// Whether some glyph's box holds the point.
    fn hold(&self, x: f32, y: f32) -> bool {
        let key = ((x / CELL).floor() as i32, (y / CELL).floor() as i32);
        self.cells.get(&key).is_some_and(|boxes| {
            boxes
                .iter()
                .any(|[x0, y0, x1, y1]| (*x0..=*x1).contains(&x) && (*y0..=*y1).contains(&y))
        })
    }
}

/// Whether the page draws text as outlines: many letter-sized curved paths, standing
/// in rows, that no glyph of the text layer stands on (a bold effect drawn as a path
/// over its own text is not outlined text).
fn outlined_text(fills: &[Fill], glyphs: &[PlacedGlyph]) -> bool {
    let letters: Vec<&Fill> = fills
        .iter()
        .filter(|fill| {
            let [x0, y0, x1, y1] = fill.bounds;
            let (width, height) = (x1 - x0, y1 - y0);
            (fill.curved || fill.segments > 4)
                && (OUTLINE_HEIGHT.0..=OUTLINE_HEIGHT.1).contains(&height)
                && (OUTLINE_WIDTH.0..=OUTLINE_WIDTH.1).contains(&width)
        })
        .collect();
    if letters.len() < OUTLINE_PATHS {
        return false;
    }
    let glyph_boxes = GlyphBoxes::new(glyphs);
    let bare: Vec<&Fill> = letters
        .into_iter()
        .filter(|fill| {
            let [x0, y0, x1, y1] = fill.bounds;
            !glyph_boxes.hold((x0 + x1) / 2.0, (y0 + y1) / 2.0)
        })
        .collect();
    if bare.len() < OUTLINE_PATHS {
        return false;
    }
    // Rows: letters of one line share a baseline (most letters sit on it) to within
    // a point.
    let mut bottoms: Vec<i32> = bare
        .iter()
        .map(|fill| fill.bounds[1].round() as i32)
        .collect();
    bottoms.sort_unstable();
    let rows = bottoms
        .chunk_by(|a, b| b - a <= 1)
        .filter(|row| row.len() >= OUTLINE_ROW_PATHS)
        .count();
    rows >= OUTLINE_ROWS
}

/// The images of a page with a text layer that may carry words of their own: large
/// enough to hold a line of type, with (almost) no glyph standing on them; the
/// largest first, at most [`IMAGE_TEXT_MOST`].
fn images_with_text(images: &[DrawnImage], glyphs: &[PlacedGlyph]) -> Vec<usize> {
    let mut found: Vec<(f32, usize)> = images
        .iter()
        .enumerate()
        .filter_map(|(index, image)| {
            let [x0, y0, x1, y1] = image.matrix.bounds([0.0, 0.0, 1.0, 1.0]);
            let (width, height) = (x1 - x0, y1 - y0);
            let (long, short) = (width.max(height), width.min(height));
            if long < IMAGE_TEXT_POINTS.0 || short < IMAGE_TEXT_POINTS.1 {
                return None;
            }
            let (columns, rows) = image.samples?;
            if columns.max(rows) < IMAGE_TEXT_SAMPLES.0 || columns.min(rows) < IMAGE_TEXT_SAMPLES.1
            {
                return None;
            }
            let on = glyphs
                .iter()
                .filter(|glyph| (x0..=x1).contains(&glyph.x) && (y0..=y1).contains(&glyph.y))
                .take(IMAGE_TEXT_GLYPHS_ON + 1)
                .count();
            (on <= IMAGE_TEXT_GLYPHS_ON).then_some((width * height, index))
        })
        .collect();
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut chosen: Vec<usize> = found
        .into_iter()
        .take(IMAGE_TEXT_MOST)
        .map(|(_, index)| index)
        .collect();
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::extract::document::Document;
    use crate::extract::interpreter::Matrix;

    const LETTER: [f32; 4] = [0.0, 0.0, 612.0, 792.0];

    fn glyph(text: &str, x: f32, y: f32) -> PlacedGlyph {
        PlacedGlyph::across(text, x, y, 10.0)
    }

    /// A line of `count` glyphs at height `y`.
    fn line(y: f32, count: usize) -> Vec<PlacedGlyph> {
        (0..count)
            .map(|i| glyph("a", 72.0 + 6.0 * i as f32, y))
            .collect()
    }

    fn image(bounds: [f32; 4], width: u32, height: u32) -> DrawnImage<'static> {
        let [x0, y0, x1, y1] = bounds;
        let stream = lopdf::Stream::new(
            lopdf::dictionary! { "Subtype" => "Image", "Width" => width, "Height" => height },
            Vec::new(),
        );
        DrawnImage::new(
            &Document::for_tests(),
            Cow::Owned(stream),
            Matrix([x1 - x0, 0.0, 0.0, y1 - y0, x0, y0]),
            false,
        )
    }

    fn reason(marks: &PageMarks, text: &str) -> Option<Reason> {
        decide(marks, LETTER, text, OcrMode::Auto).map(|reading| reading.reason())
    }

    #[test]
    fn a_scan_and_a_stamped_scan() {
        let mut marks = PageMarks {
            images: vec![image(LETTER, 2550, 3300)],
            ..PageMarks::default()
        };
        assert_eq!(reason(&marks, ""), Some(Reason::Scan));
        // A filing header stamped across the top: one line of real text.
        marks.glyphs = line(770.0, 70);
        let header = "a".repeat(70);
        assert_eq!(reason(&marks, &header), Some(Reason::StampedScan));
        // A scanner's own OCR layer is invisible, or covers the page in lines: it is
        // kept.
        marks.invisible = 70;
        assert_eq!(reason(&marks, &header), None);
        marks.invisible = 0;
        marks.glyphs = (0..40)
            .flat_map(|i| line(700.0 - 14.0 * i as f32, 60))
            .collect();
        assert_eq!(reason(&marks, &"a".repeat(2400)), None);
        // Unless asked to read every mostly-image page.
        let always = decide(&marks, LETTER, "text", OcrMode::Always);
        assert_eq!(always.map(|r| r.reason()), Some(Reason::Scan));
        assert_eq!(decide(&marks, LETTER, "", OcrMode::Never), None);
    }

    #[test]
    fn glyphs_without_text_send_the_page_to_the_renderer() {
        let mut marks = PageMarks {
            glyphs: line(700.0, 60),
            unmapped: 900,
            ..PageMarks::default()
        };
        assert_eq!(
            decide(&marks, LETTER, "header", OcrMode::Auto),
            Some(Reading::Render {
                reason: Reason::UnmappedFont
            })
        );
        // A few symbols of a dingbat font among a page of text are no reason.
        marks.glyphs = (0..30)
            .flat_map(|i| line(700.0 - 14.0 * i as f32, 60))
            .collect();
        marks.unmapped = 25;
        assert_eq!(reason(&marks, "text"), None);
    }

    fn outline(x: f32, y: f32) -> Fill {
        Fill {
            bounds: [x, y, x + 5.0, y + 7.0],
            segments: 12,
            curved: true,
        }
    }

    #[test]
    fn rows_of_letter_outlines_are_outlined_text() {
        let rows: Vec<Fill> = (0..4)
            .flat_map(|row| {
                (0..15).map(move |i| outline(72.0 + 6.0 * i as f32, 600.0 - 20.0 * row as f32))
            })
            .collect();
        let marks = PageMarks {
            fills: rows.clone(),
            ..PageMarks::default()
        };
        assert_eq!(reason(&marks, ""), Some(Reason::OutlinedText));
        // Table rules and cell tints are rectangles, not letters.
        let rules: Vec<Fill> = rows
            .iter()
            .map(|fill| Fill {
                segments: 4,
                curved: false,
                ..*fill
            })
            .collect();
        let marks = PageMarks {
            fills: rules,
            ..PageMarks::default()
        };
        assert_eq!(reason(&marks, ""), None);
        // Outlines drawn over the page's own text (a bold effect) add nothing.
        let marks = PageMarks {
            fills: rows,
            glyphs: (0..4)
                .flat_map(|row| line(600.0 - 20.0 * row as f32, 15))
                .collect(),
            ..PageMarks::default()
        };
        assert_eq!(reason(&marks, &"a".repeat(60)), None);
        // Markers scattered over a chart stand in no rows.
        let scattered: Vec<Fill> = (0..60)
            .map(|i| outline(72.0 + 7.0 * i as f32, 100.0 + 9.0 * i as f32))
            .collect();
        let marks = PageMarks {
            fills: scattered,
            ..PageMarks::default()
        };
        assert_eq!(reason(&marks, ""), None);
    }

    #[test]
    fn a_letterhead_image_on_a_text_page_is_read() {
        let body: Vec<PlacedGlyph> = (0..30)
            .flat_map(|i| line(600.0 - 14.0 * i as f32, 60))
            .collect();
        let marks = PageMarks {
            glyphs: body.clone(),
            images: vec![
                image([72.0, 700.0, 540.0, 760.0], 1950, 250),
                // An icon, and a picture too coarse for type.
                image([20.0, 20.0, 40.0, 40.0], 64, 64),
                image([300.0, 40.0, 500.0, 90.0], 80, 20),
            ],
            ..PageMarks::default()
        };
        assert_eq!(
            decide(&marks, LETTER, &"a".repeat(1800), OcrMode::Auto),
            Some(Reading::Images {
                reason: Reason::ImageText,
                images: vec![0]
            })
        );
        // A tint under the body text is no image of words.
        let marks = PageMarks {
            glyphs: body,
            images: vec![image([60.0, 150.0, 560.0, 620.0], 1000, 1000)],
            ..PageMarks::default()
        };
        assert_eq!(reason(&marks, &"a".repeat(1800)), None);
    }
}
