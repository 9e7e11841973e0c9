//! Redactions on a page, read from its paint log ([`super::paint`]): boxes that hide
//! nothing (proper redactions, counted with the exemption labels on or beside them),
//! boxes drawn over words that are still in the file (bad redactions, with the words
//! they fail to hide), and text a reader cannot see for other reasons (notes).
//!
//! The rules follow the design in REDACTIONS.md: a glyph is covered when the topmost
//! paint over at least half of its box is a dark, opaque mark (or the last fill under
//! it is dark and of the glyph's own colour; or an image dark under it; or a `/Redact`
//! annotation marks it), and a covered glyph is reported only when a raster of the
//! fills and annotation marks over it, text left out, is dark over three quarters of
//! its box. The raster is what tells a box from a frame, an icon or a clipped shape.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use lopdf::Object;

use super::document::Document;
use super::images::{Gray, ImageSource};
use super::interpreter::{DrawnImage, Matrix, PageMarks, PlacedGlyph};
use super::paint::{area, intersection, points_box, union, Annotation, Paint, Shape};
use crate::hash::FastMap;
use crate::ocr::OcrWord;

/// Every channel at or below this is dark (REDACTIONS.md 11: excludes red stamps and
/// navy or green table cells).
const DARK: f32 = 0.25;
/// A raster pixel at or below this in every channel counts as dark.
const RASTER_DARK: f32 = 0.3;
/// Share of a glyph's raster pixels that must be dark for it to be hidden.
const RASTER_SHARE: f32 = 0.75;
/// Pixels per point of the confirming raster.
const RASTER_SCALE: f32 = 3.0;
/// Share of a glyph's box a paint must cover to decide whether it shows.
pub(super) const COVERS: f32 = 0.5;
/// Colours within this per channel are the same (black text on a black box).
const SAME_COLOUR: f32 = 0.06;
/// Share of an image's pixels under a glyph that must be dark (below 70/255).
const IMAGE_SHARE: f32 = 0.85;
const IMAGE_DARK: u8 = 70;
/// A covering mark is at least this many points both ways.
const MIN_MARK: f32 = 4.0;
/// A dark fill thinner than this one way or the other hides no glyph: it covers
/// half of a glyph box only where the box is under two points across, which is no
/// glyph a reader could read.
const MIN_HIDING: f32 = 1.0;
/// A proper box is at least this many points both ways, and at most this share of
/// the page (a bigger dark fill is a background).
const MIN_BOX: f32 = 5.0;
/// A proper box fills at least this share of its bounding box; drawn as an image,
/// at least this share of it is dark.
const SOLID: f32 = 0.85;
const SOLID_IMAGE: f32 = 0.97;
/// A bar in a scan: pixels below this gray, from 6 to 40 points high (a line of type
/// and a half to three lines).
const BAR_DARK: u8 = 50;
const BAR_MIN_HEIGHT: f32 = 6.0;
const BAR_MAX_HEIGHT: f32 = 40.0;
/// Runs of dark pixels shorter than this many points are letters, not bar.
const BAR_MIN_RUN: f32 = 3.0;
/// Share of a bar's box its long runs fill: less than a drawn box's, for the words a
/// label prints on it in white and the ragged edges of a scan.
const BAR_SOLID: f32 = 0.7;
const MAX_BOX_SHARE: f32 = 0.3;
/// Paints are found through a grid of cells this many points wide.
const CELL: f32 = 36.0;
/// Image pixels sampled under a glyph, each way.
const SAMPLES: usize = 6;

/// What a page shows of redactions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageRedactions {
    /// The page's visible area `[x0 y0 x1 y1]`, in points: what the boxes are drawn
    /// against.
    #[serde(default)]
    pub area: [f32; 4],
    /// Proper redactions: covering marks with nothing legible beneath.
    pub boxes: u32,
    /// Where they are, `[x0 y0 x1 y1]` in points, for drawing them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rects: Vec<[f32; 4]>,
    /// Exemption labels on or beside those boxes, as printed ("(b)(6)"), with counts.
    pub labels: BTreeMap<String, u32>,
    /// Bad redactions: marks over words that are still in the file.
    pub bad: Vec<Finding>,
    /// Text a reader cannot see that is not under a mark (notes, not bad).
    pub hidden: Vec<Finding>,
}

impl PageRedactions {
    pub fn is_empty(&self) -> bool {
        self.boxes == 0 && self.bad.is_empty() && self.hidden.is_empty()
    }

    /// Counts exemption labels found apart from the page's drawn boxes.
    pub fn add_labels(&mut self, found: BTreeMap<String, u32>) {
        for (label, count) in found {
            *self.labels.entry(label).or_default() += count;
        }
    }

    /// Counts the proper boxes found another way (bars in a scan's picture), once:
    /// one that overlaps a box already counted is that box.
    pub fn add_boxes(&mut self, found: Vec<[f32; 4]>) {
        for rect in found {
            let before = self.rects.len();
            merge_box(&mut self.rects, rect);
            if self.rects.len() > before {
                self.boxes += 1;
            }
        }
    }
}

/// Words found under a mark, or hidden otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// `[x0 y0 x1 y1]` in points, default user space (y up).
    pub bbox: [f32; 4],
    pub kind: Kind,
    pub text: String,
}

/// How words are hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A rectangle drawn over them.
    Rect,
    /// Another filled shape drawn over them.
    Path,
    /// Drawn on a box of their own colour.
    SameColour,
    /// A markup annotation (highlight, square...) in a dark colour over them.
    Highlight,
    /// A `/Redact` annotation marks them: marked for redaction, never applied.
    RedactAnnotation,
    /// An image dark where they stand drawn over them.
    Image,
    /// An invisible text layer (OCR made before the bars) under dark image pixels.
    ScanTextLayer,
    /// Notes: text in the page's colour, under a light box, clipped away, off the
    /// page, in a hidden layer, or invisible with no image under it.
    WhiteText,
    WhiteOut,
    Clipped,
    OffPage,
    HiddenLayer,
    Invisible,
    /// Words the file's first revision shows where its last has a box, and no
    /// longer holds ([`super::revisions`]).
    EarlierRevision,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Rect => "rect",
            Kind::Path => "path",
            Kind::SameColour => "same-colour",
            Kind::Highlight => "highlight",
            Kind::RedactAnnotation => "redact-annotation",
            Kind::Image => "image",
            Kind::ScanTextLayer => "scan-text-layer",
            Kind::WhiteText => "white-text",
            Kind::WhiteOut => "white-out",
            Kind::Clipped => "clipped",
            Kind::OffPage => "off-page",
            Kind::HiddenLayer => "hidden-layer",
            Kind::Invisible => "invisible",
            Kind::EarlierRevision => "earlier-revision",
        }
    }

    /// Whether the kind is checked against a raster of the fills before it is
    /// reported (image pixels and annotations are already what a viewer shows).
    fn rastered(self) -> bool {
        matches!(
            self,
            Kind::Rect | Kind::Path | Kind::SameColour | Kind::Highlight
        )
    }
}

/// Finds the redactions of a page whose visible area is `area`, with the glyphs bad
/// redactions cover (by index in `marks.glyphs`): words no reader sees, which belong
/// in the recovered words, not in the page's text.
pub fn find(
    document: &Document,
    marks: &PageMarks,
    area_box: [f32; 4],
) -> (PageRedactions, HashSet<usize>) {
    let page = Page::new(document, marks, area_box);
    let mut found = PageRedactions {
        area: area_box,
        ..PageRedactions::default()
    };
    // Most pages paint nothing that could cover text: no dark fill, image or
    // annotation mark. Their notes need no paint log.
    let relevant = marks.paints.iter().any(|paint| {
        !paint.invisible
            && (matches!(paint.shape, Shape::Image(_))
                || paint
                    .annotation
                    .is_some_and(|kind| kind != Annotation::Other)
                || (paint.opaque && is_dark(paint.rgb) && big_enough(paint.bounds, MIN_MARK)))
    });
    let covered = if relevant {
        page.covered_glyphs()
    } else {
        Vec::new()
    };
    page.notes(&covered, &mut found.hidden);
    let mut hidden = HashSet::new();
    if relevant {
        hidden = page.bad_redactions(covered, &mut found.bad);
        let (rects, labels) = page.proper_boxes(&found.bad);
        found.boxes = rects.len() as u32;
        found.rects = rects;
        found.labels = labels;
    }
    let round = |rect: &mut [f32; 4]| *rect = rect.map(|value| (value * 10.0).round() / 10.0);
    for finding in found.bad.iter_mut().chain(&mut found.hidden) {
        round(&mut finding.bbox);
    }
    found.rects.iter_mut().for_each(round);
    (found, hidden)
}

/// Drops bad redactions whose text stands under three or more marks of the document:
/// a date or name a redaction tool stamps on every box, not recovered words. Their
/// marks are counted as proper boxes.
pub fn drop_placeholders(pages: &mut [PageRedactions]) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for finding in pages.iter().flat_map(|page| &page.bad) {
        *counts.entry(finding.text.clone()).or_default() += 1;
    }
    for page in pages {
        let (kept, stamped): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut page.bad)
            .into_iter()
            .partition(|finding| counts.get(&finding.text).copied().unwrap_or(0) < 3);
        page.bad = kept;
        page.boxes += stamped.len() as u32;
        page.rects
            .extend(stamped.iter().map(|finding| finding.bbox));
    }
}

/// Whether every channel of a colour is dark.
fn is_dark(rgb: Option<[f32; 3]>) -> bool {
    rgb.is_some_and(|rgb| rgb.iter().all(|&channel| channel <= DARK))
}

/// Whether every channel of a colour is near white.
fn is_light(rgb: Option<[f32; 3]>) -> bool {
    rgb.is_some_and(|rgb| rgb.iter().all(|&channel| channel >= 0.9))
}

fn same_colour(a: [f32; 3], b: [f32; 3]) -> bool {
    a.iter().zip(b).all(|(a, b)| (a - b).abs() <= SAME_COLOUR)
}

fn big_enough(rect: [f32; 4], size: f32) -> bool {
    rect[2] - rect[0] >= size && rect[3] - rect[1] >= size
}

/// Whether a glyph's box ([`PlacedGlyph::ink_box`]) lies inside `area`, told from its ends
/// alone: the box reaches less than a size from them.
fn plainly_within(glyph: &PlacedGlyph, area: [f32; 4]) -> bool {
    let margin = glyph.size.max(0.1);
    [(glyph.x, glyph.y), (glyph.end_x, glyph.end_y)]
        .iter()
        .all(|&(x, y)| {
            x - margin >= area[0]
                && x + margin <= area[2]
                && y - margin >= area[1]
                && y + margin <= area[3]
        })
}

/// Share of `inner` that `outer` covers.
pub(super) fn coverage(inner: [f32; 4], outer: [f32; 4]) -> f32 {
    let whole = area(inner);
    if whole <= 0.0 {
        return 0.0;
    }
    intersection(inner, outer).map_or(0.0, area) / whole
}

/// The boxes a paint can cover with: each subpath of a fill on its own (a subpath
/// inside another is a hole, and the two a frame, not boxes), an annotation's
/// areas, an image's placement; each within the clip.
fn covering_boxes(paint: &Paint) -> Vec<[f32; 4]> {
    let boxes: Vec<[f32; 4]> = match &paint.shape {
        Shape::Fill { subpaths, .. } => {
            let bounds: Vec<[f32; 4]> = subpaths
                .iter()
                .filter_map(|points| polygon_box(points))
                .collect();
            bounds
                .iter()
                .enumerate()
                .filter(|&(index, rect)| {
                    !bounds.iter().enumerate().any(|(other, around)| {
                        other != index
                            && (contains(*around, *rect) || contains(*rect, *around))
                            && area(*rect) > 0.0
                            && rect != around
                    })
                })
                .map(|(_, rect)| *rect)
                .collect()
        }
        Shape::Area(areas) => areas.clone(),
        Shape::Image(_) => vec![paint.bounds],
    };
    boxes
        .into_iter()
        .filter_map(|rect| match paint.clip {
            Some(clip) => intersection(rect, clip),
            None => Some(rect),
        })
        .collect()
}

fn polygon_box(points: &[(f32, f32)]) -> Option<[f32; 4]> {
    let rect = points_box(points.iter().copied());
    rect.iter().all(|value| value.is_finite()).then_some(rect)
}

/// The subpaths of a fill that fill most of their box (a box, rounded or not), as
/// boxes within the clip: what a proper redaction is drawn as. A letter drawn as an
/// outline, a chart marker's ring or an arrow fills far less of its box.
fn solid_boxes(paint: &Paint) -> Vec<[f32; 4]> {
    let Shape::Fill { subpaths, .. } = &paint.shape else {
        return covering_boxes(paint);
    };
    let solid: Vec<[f32; 4]> = subpaths
        .iter()
        .filter_map(|points| {
            let rect = polygon_box(points)?;
            (points.len() >= 4 && polygon_area(points) >= SOLID * area(rect)).then_some(rect)
        })
        .collect();
    covering_boxes(paint)
        .into_iter()
        .filter(|rect| solid.iter().any(|box_| coverage(*rect, *box_) >= 0.99))
        .collect()
}

/// Area of a polygon (shoelace formula).
fn polygon_area(points: &[(f32, f32)]) -> f32 {
    let mut twice = 0.0;
    for (index, &(x0, y0)) in points.iter().enumerate() {
        let (x1, y1) = points[(index + 1) % points.len()];
        twice += x0 * y1 - x1 * y0;
    }
    (twice / 2.0).abs()
}

/// Whether `outer` holds all of `inner` (within a quarter point).
fn contains(outer: [f32; 4], inner: [f32; 4]) -> bool {
    inner[0] >= outer[0] - 0.25
        && inner[1] >= outer[1] - 0.25
        && inner[2] <= outer[2] + 0.25
        && inner[3] <= outer[3] + 0.25
}

/// A glyph found covered, and by what.
#[derive(Debug, Clone, Copy)]
struct Covered {
    glyph: usize,
    /// Index of the covering paint in the paint log.
    paint: usize,
    kind: Kind,
}

/// A page being examined: its glyphs' boxes, a grid over its paints, its decoded
/// images (decoded once, when first asked).
/// A page's paint log with what the rules look up in it, each part made the first
/// time it is asked for: most pages need few of them.
struct Page<'m, 'd> {
    document: &'d Document,
    marks: &'m PageMarks<'d>,
    area: [f32; 4],
    /// The visible paints by grid cell, in painting order.
    grid: OnceCell<Grid>,
    /// Where and when the marks that could hide a glyph are painted.
    hiding: OnceCell<MarkSet>,
    /// Where and when the light shapes that could white a glyph out are painted.
    whitening: OnceCell<MarkSet>,
    /// Each paint's covering boxes ([`covering_boxes`]), by index in the log.
    covering: Vec<OnceCell<Vec<[f32; 4]>>>,
    /// The page's words, as runs of glyph indices ([`page_words`]).
    words: OnceCell<Vec<Range<usize>>>,
    /// The images looked into, by index in the page's images: every glyph of an OCR
    /// layer looks into its scan.
    images: RefCell<FastMap<usize, Looked>>,
    has_images: bool,
    has_redact_marks: bool,
}

impl<'m, 'd> Page<'m, 'd> {
    fn new(document: &'d Document, marks: &'m PageMarks<'d>, area: [f32; 4]) -> Self {
        let shown = || {
            marks
                .paints
                .iter()
                .filter(|paint| !paint.invisible && !paint.hidden_layer)
        };
        Page {
            document,
            marks,
            area,
            grid: OnceCell::new(),
            hiding: OnceCell::new(),
            whitening: OnceCell::new(),
            covering: marks.paints.iter().map(|_| OnceCell::new()).collect(),
            words: OnceCell::new(),
            images: RefCell::new(FastMap::default()),
            has_images: shown().any(|paint| matches!(paint.shape, Shape::Image(_))),
            has_redact_marks: shown().any(|paint| paint.annotation == Some(Annotation::Redact)),
        }
    }

    fn glyph_rect(&self, glyph: usize) -> [f32; 4] {
        self.marks.glyphs[glyph].ink_box()
    }

    fn words(&self) -> &[Range<usize>] {
        self.words.get_or_init(|| page_words(&self.marks.glyphs))
    }

    fn covering(&self, index: usize) -> &[[f32; 4]] {
        self.covering[index].get_or_init(|| covering_boxes(&self.marks.paints[index]))
    }

    fn grid(&self) -> &Grid {
        self.grid.get_or_init(|| {
            let mut grid = Grid::new(self.area);
            for (index, paint) in self.marks.paints.iter().enumerate() {
                if paint.invisible || paint.hidden_layer {
                    continue;
                }
                let Some(visible) = paint.visible_box() else {
                    continue;
                };
                for cell in cells(visible) {
                    grid.push(cell, index);
                }
            }
            grid
        })
    }

    /// Whether a paint could be the mark that hides a glyph: an image, a marking
    /// annotation, or a dark fill at least [`MIN_HIDING`] thick somewhere (a
    /// thinner one covers half of no glyph box a raster would show hidden).
    fn could_hide(&self, index: usize) -> bool {
        let paint = &self.marks.paints[index];
        !paint.invisible
            && !paint.hidden_layer
            && (matches!(paint.shape, Shape::Image(_))
                || paint
                    .annotation
                    .is_some_and(|kind| kind != Annotation::Other)
                || (paint.opaque && is_dark(paint.rgb) && self.thick(index)))
    }

    /// Whether a paint could white a glyph out: an opaque light shape at least
    /// [`MIN_HIDING`] thick somewhere.
    fn could_white_out(&self, index: usize) -> bool {
        let paint = &self.marks.paints[index];
        !paint.invisible
            && !paint.hidden_layer
            && paint.opaque
            && is_light(paint.rgb)
            && !matches!(paint.shape, Shape::Image(_))
            && self.thick(index)
    }

    fn thick(&self, index: usize) -> bool {
        self.covering(index)
            .iter()
            .any(|rect| rect[2] - rect[0] >= MIN_HIDING && rect[3] - rect[1] >= MIN_HIDING)
    }

    fn hiding(&self) -> &MarkSet {
        self.hiding
            .get_or_init(|| self.mark_set(|index| self.could_hide(index)))
    }

    fn whitening(&self) -> &MarkSet {
        self.whitening
            .get_or_init(|| self.mark_set(|index| self.could_white_out(index)))
    }

    fn mark_set(&self, counts: impl Fn(usize) -> bool) -> MarkSet {
        let (mut last, mut first_fill) = (0, u32::MAX);
        let mut reached: Vec<(i32, i32)> = Vec::new();
        for (index, paint) in self.marks.paints.iter().enumerate() {
            if !counts(index) {
                continue;
            }
            last = last.max(paint.seq);
            if !matches!(paint.shape, Shape::Image(_)) {
                first_fill = first_fill.min(paint.seq);
            }
            if let Some(visible) = paint.visible_box() {
                reached.extend(cells(visible));
            }
        }
        MarkSet::new(&reached, last, first_fill)
    }

    /// Paints whose visible box may overlap `rect`, in painting order. Most glyphs
    /// stand in one cell, whose list is already that: it is lent, not copied.
    fn paints_near(&self, rect: [f32; 4]) -> Cow<'_, [usize]> {
        let grid = self.grid();
        let mut lists = cells(rect).filter_map(|cell| grid.get(cell));
        let Some(first) = lists.next() else {
            return Cow::Borrowed(&[]);
        };
        let Some(second) = lists.next() else {
            return Cow::Borrowed(first);
        };
        let mut found: Vec<usize> = first.iter().chain(second).copied().collect();
        for more in lists {
            found.extend_from_slice(more);
        }
        found.sort_unstable();
        found.dedup();
        Cow::Owned(found)
    }

    /// The box around the glyphs at `glyphs`, `None` for none.
    fn glyphs_box(&self, glyphs: impl IntoIterator<Item = usize>) -> Option<[f32; 4]> {
        glyphs
            .into_iter()
            .map(|glyph| self.glyph_rect(glyph))
            .reduce(union)
    }

    /// Share of the glyph box `rect` the paint at `index` covers, through its
    /// covering boxes.
    fn paint_covers(&self, index: usize, rect: [f32; 4]) -> f32 {
        self.covering(index)
            .iter()
            .map(|covering| coverage(rect, *covering))
            .fold(0.0, f32::max)
    }

    /// Every glyph a mark hides, by the topmost-paint rules.
    fn covered_glyphs(&self) -> Vec<Covered> {
        let mut covered = Vec::new();
        let page = self.marks;
        let marks = &page.paints;
        let hiding = self.hiding();
        for (index, glyph) in page.glyphs.iter().enumerate() {
            if glyph.text.trim().is_empty() || glyph.ink.hidden_layer {
                continue;
            }
            let seq = glyph.ink.seq;
            // Hidden under a mark drawn after it, or on a fill of its own colour.
            let could_be_covered = self.has_redact_marks
                || (glyph.ink.invisible && self.has_images)
                || (!glyph.ink.invisible
                    && (seq < hiding.last || (seq > hiding.first_fill && is_dark(glyph.ink.rgb))));
            if !could_be_covered {
                continue;
            }
            let rect = self.glyph_rect(index);
            if !hiding.reaches(rect) {
                continue;
            }
            let near = self.paints_near(rect);
            // A /Redact annotation over it counts whatever is drawn above.
            if let Some(&paint) = near.iter().find(|&&paint| {
                marks[paint].annotation == Some(Annotation::Redact)
                    && matches!(marks[paint].shape, Shape::Area(_))
                    && self.paint_covers(paint, rect) >= COVERS
            }) {
                covered.push(Covered {
                    glyph: index,
                    paint,
                    kind: Kind::RedactAnnotation,
                });
                continue;
            }
            if glyph.ink.invisible {
                // An OCR layer: hidden by the image it lies on (drawn before or after)
                // only where that image is dark.
                let image = near.iter().rev().copied().find(|&paint| {
                    matches!(marks[paint].shape, Shape::Image(_))
                        && self.paint_covers(paint, rect) >= COVERS
                });
                if let Some(paint) = image {
                    if self.image_dark_under(paint, rect) {
                        covered.push(Covered {
                            glyph: index,
                            paint,
                            kind: Kind::ScanTextLayer,
                        });
                    }
                }
                continue;
            }
            let above = near.iter().rev().copied().find(|&paint| {
                marks[paint].seq > glyph.ink.seq
                    && marks[paint].opaque
                    && self.paint_covers(paint, rect) >= COVERS
            });
            if let Some(paint) = above {
                let mark = &marks[paint];
                let kind = match mark.shape {
                    Shape::Image(_) => self.image_dark_under(paint, rect).then_some(Kind::Image),
                    _ if !is_dark(mark.rgb) => None,
                    _ if mark.annotation == Some(Annotation::Markup) => Some(Kind::Highlight),
                    Shape::Area(_) => Some(Kind::Highlight),
                    Shape::Fill {
                        rectangles: true, ..
                    } => Some(Kind::Rect),
                    _ => Some(Kind::Path),
                };
                if let Some(kind) = kind {
                    covered.push(Covered {
                        glyph: index,
                        paint,
                        kind,
                    });
                }
                continue;
            }
            // Nothing over it: black text on a black box hides as well.
            let below = near.iter().rev().copied().find(|&paint| {
                marks[paint].seq < glyph.ink.seq
                    && marks[paint].opaque
                    && !matches!(marks[paint].shape, Shape::Image(_))
                    && self.paint_covers(paint, rect) >= COVERS
            });
            if let (Some(paint), Some(ink)) = (below, glyph.ink.rgb) {
                let mark = &marks[paint];
                if is_dark(mark.rgb)
                    && is_dark(Some(ink))
                    && mark.rgb.is_some_and(|fill| same_colour(fill, ink))
                {
                    covered.push(Covered {
                        glyph: index,
                        paint,
                        kind: Kind::SameColour,
                    });
                }
            }
        }
        covered
    }

    /// Whether the image `paint` is dark under most of `rect`.
    fn image_dark_under(&self, paint: usize, rect: [f32; 4]) -> bool {
        self.image_dark_share(paint, rect) >= IMAGE_SHARE
    }

    /// Share of the image `paint`'s pixels under `rect` that are dark (0 when it
    /// cannot be decoded).
    fn image_dark_share(&self, paint: usize, rect: [f32; 4]) -> f32 {
        let page = self.marks;
        let mark = &page.paints[paint];
        let Shape::Image(index) = mark.shape else {
            return 0.0;
        };
        let drawn = &page.images[index];
        let document = self.document;
        let mut images = self.images.borrow_mut();
        let looked = images.entry(index).or_insert_with(|| Looked {
            stencil: drawn
                .entry(document, b"ImageMask", b"IM")
                .and_then(|value| value.as_bool().ok())
                == Some(true),
            preview: OnceCell::new(),
        });
        if looked.stencil && !is_dark(mark.rgb) {
            return 0.0;
        }
        let preview = looked
            .preview
            .get_or_init(|| Some((decode(document, drawn)?, inverse(&drawn.matrix)?)));
        let Some((gray, inverse)) = preview else {
            return 0.0;
        };
        let mut dark = 0;
        let mut seen = 0;
        for row in 0..SAMPLES {
            for column in 0..SAMPLES {
                let x = rect[0] + (rect[2] - rect[0]) * (column as f32 + 0.5) / SAMPLES as f32;
                let y = rect[1] + (rect[3] - rect[1]) * (row as f32 + 0.5) / SAMPLES as f32;
                let (u, v) = inverse.apply(x, y);
                if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
                    continue;
                }
                let pixel_x = (u * gray.width as f32) as usize;
                let pixel_y = ((1.0 - v) * gray.height as f32) as usize;
                let Some(&value) = gray.pixels.get(
                    pixel_y.min(gray.height as usize - 1) * gray.width as usize
                        + pixel_x.min(gray.width as usize - 1),
                ) else {
                    continue;
                };
                seen += 1;
                dark += usize::from(value < IMAGE_DARK);
            }
        }
        if seen == 0 {
            return 0.0;
        }
        dark as f32 / seen as f32
    }

    /// Covered glyphs confirmed, grouped into findings by the mark over them, their
    /// words recovered, labels and junk left out. Returns the glyphs reported.
    fn bad_redactions(&self, covered: Vec<Covered>, out: &mut Vec<Finding>) -> HashSet<usize> {
        let mut reported = HashSet::new();
        let mut scan_glyphs = Vec::new();
        let mut groups: BTreeMap<(usize, Kind), Vec<usize>> = BTreeMap::new();
        for hit in covered {
            groups
                .entry((hit.paint, hit.kind))
                .or_default()
                .push(hit.glyph);
        }
        let words = self.words();
        let mut scan_layer = Vec::new();
        for ((paint, kind), mut glyphs) in groups {
            if kind.rastered() {
                glyphs = self.confirmed(paint, kind, glyphs);
            }
            if glyphs.is_empty() {
                continue;
            }
            let text = self.recovered_text(words, &glyphs, kind);
            if text.is_empty() {
                continue;
            }
            let finding = Finding {
                bbox: self.glyphs_box(glyphs.iter().copied()).unwrap_or_default(),
                kind,
                text,
            };
            if kind == Kind::ScanTextLayer {
                scan_layer.push(finding);
                scan_glyphs.extend(glyphs);
            } else {
                out.push(finding);
                reported.extend(glyphs);
            }
        }
        // OCR of a bar or a dark photo is noise: a text layer counts only with two
        // real tokens under dark pixels on the page.
        let tokens: usize = scan_layer
            .iter()
            .map(|finding| finding.text.split_whitespace().count())
            .sum();
        if tokens >= 2 {
            out.extend(scan_layer);
            reported.extend(scan_glyphs);
        }
        reported
    }

    /// The glyphs of `glyphs` a raster of the page's fills around them shows dark.
    fn confirmed(&self, paint: usize, kind: Kind, glyphs: Vec<usize>) -> Vec<usize> {
        let Some(region) = self.glyphs_box(glyphs.iter().copied()) else {
            return glyphs;
        };
        let Some(region) = intersection(region, self.area) else {
            return Vec::new();
        };
        let Some(raster) = Raster::of(self.marks, &self.paints_near(region), region) else {
            return glyphs;
        };
        let mark_rgb = self.marks.paints[paint].rgb;
        glyphs
            .into_iter()
            .filter(|&glyph| {
                let (share, mean) = raster.dark_share(self.glyph_rect(glyph));
                let ink_matches = kind != Kind::SameColour
                    || self.marks.glyphs[glyph]
                        .ink
                        .rgb
                        .zip(mean.or(mark_rgb))
                        .is_some_and(|(ink, mean)| same_colour(ink, mean));
                share >= RASTER_SHARE && ink_matches
            })
            .collect()
    }

    /// The words under a mark: a word of which half the glyphs or more are covered
    /// whole, else only its covered letters; labels and OCR junk left out.
    fn recovered_text(&self, words: &[Range<usize>], glyphs: &[usize], kind: Kind) -> String {
        let covered: std::collections::HashSet<usize> = glyphs.iter().copied().collect();
        // Words run in glyph order: only those holding a covered glyph are looked at.
        let mut touched: Vec<usize> = glyphs
            .iter()
            .filter_map(|&glyph| {
                let index = words.partition_point(|word| word.end <= glyph);
                words
                    .get(index)
                    .is_some_and(|word| word.contains(&glyph))
                    .then_some(index)
            })
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let mut tokens = Vec::new();
        for word in touched.into_iter().map(|index| &words[index]) {
            let hits = word.clone().filter(|glyph| covered.contains(glyph)).count();
            if hits == 0 {
                continue;
            }
            let text: String = if 2 * hits >= word.len() {
                word.clone()
                    .map(|glyph| self.marks.glyphs[glyph].text.as_str())
                    .collect()
            } else {
                word.clone()
                    .filter(|glyph| covered.contains(glyph))
                    .map(|glyph| self.marks.glyphs[glyph].text.as_str())
                    .collect()
            };
            let text = text.trim().to_string();
            if text.is_empty() || is_label(&text) || is_junk(&text) {
                continue;
            }
            if kind == Kind::ScanTextLayer && !is_real_token(&text) {
                continue;
            }
            tokens.push(text);
        }
        tokens.join(" ")
    }

    /// Notes of text no reader sees that is under no mark.
    fn notes(&self, covered: &[Covered], out: &mut Vec<Finding>) {
        let hidden_by_mark: std::collections::HashSet<usize> =
            covered.iter().map(|hit| hit.glyph).collect();
        let mut runs: Vec<(Kind, Vec<usize>)> = Vec::new();
        // Whether the last glyph that is not a space was noted: a run goes on over
        // spaces.
        let mut last_noted = false;
        for (index, glyph) in self.marks.glyphs.iter().enumerate() {
            if glyph.text.trim().is_empty() {
                continue;
            }
            if hidden_by_mark.contains(&index) {
                last_noted = false;
                continue;
            }
            // Most glyphs are plainly shown: on the page, within their clip, not
            // invisible, and drawn in a dark ink after any light shape.
            let plain = !glyph.ink.hidden_layer
                && !glyph.ink.invisible
                && !is_light(glyph.ink.rgb)
                && plainly_within(glyph, self.area)
                && glyph
                    .ink
                    .clip
                    .is_none_or(|clip| plainly_within(glyph, clip))
                && glyph.ink.seq > self.whitening().last;
            if plain {
                last_noted = false;
                continue;
            }
            let rect = self.glyph_rect(index);
            let kind = if glyph.ink.hidden_layer {
                Some(Kind::HiddenLayer)
            } else if coverage(rect, self.area) < COVERS {
                Some(Kind::OffPage)
            } else if glyph
                .ink
                .clip
                .is_some_and(|clip| coverage(rect, clip) < COVERS)
            {
                Some(Kind::Clipped)
            } else if glyph.ink.invisible {
                let on_image = self.has_images
                    && self.paints_near(rect).iter().any(|&paint| {
                        matches!(self.marks.paints[paint].shape, Shape::Image(_))
                            && self.paint_covers(paint, rect) >= COVERS
                    });
                (!on_image).then_some(Kind::Invisible)
            } else {
                self.light_cover(index, rect)
            };
            let Some(kind) = kind else {
                last_noted = false;
                continue;
            };
            match runs.last_mut() {
                Some((last, glyphs)) if *last == kind && last_noted => glyphs.push(index),
                _ => runs.push((kind, vec![index])),
            }
            last_noted = true;
        }
        let words = self.words();
        for (kind, glyphs) in runs {
            let text = self.recovered_text(words, &glyphs, kind);
            if text.is_empty() {
                continue;
            }
            out.push(Finding {
                bbox: self.glyphs_box(glyphs.iter().copied()).unwrap_or_default(),
                kind,
                text,
            });
        }
    }

    /// White-out (a light box painted over the glyph) or white text on a light
    /// ground (the last paint under it light, or none: the paper).
    fn light_cover(&self, index: usize, rect: [f32; 4]) -> Option<Kind> {
        let glyph = &self.marks.glyphs[index];
        let whitening = self.whitening();
        if !is_light(glyph.ink.rgb) && (glyph.ink.seq > whitening.last || !whitening.reaches(rect))
        {
            return None;
        }
        let near = self.paints_near(rect);
        let marks = &self.marks.paints;
        let above = near.iter().rev().copied().find(|&paint| {
            marks[paint].seq > glyph.ink.seq
                && marks[paint].opaque
                && self.paint_covers(paint, rect) >= COVERS
        });
        if let Some(paint) = above {
            return (is_light(marks[paint].rgb) && !matches!(marks[paint].shape, Shape::Image(_)))
                .then_some(Kind::WhiteOut);
        }
        if !is_light(glyph.ink.rgb) {
            return None;
        }
        let below = near.iter().rev().copied().find(|&paint| {
            marks[paint].seq < glyph.ink.seq
                && !marks[paint].invisible
                && self.paint_covers(paint, rect) >= COVERS
        });
        match below {
            None => Some(Kind::WhiteText),
            Some(paint)
                if is_light(marks[paint].rgb) && !matches!(marks[paint].shape, Shape::Image(_)) =>
            {
                Some(Kind::WhiteText)
            }
            Some(_) => None,
        }
    }

    /// Proper redactions: covering marks with nothing legible under or on them,
    /// counted once where shapes overlap, with the exemption labels on or beside.
    fn proper_boxes(&self, bad: &[Finding]) -> (Vec<[f32; 4]>, BTreeMap<String, u32>) {
        let page_area = area(self.area);
        // Most pages have no shape that could be a box: their words are not needed.
        let candidate = |paint: &Paint| {
            !paint.invisible
                && !paint.hidden_layer
                && paint.opaque
                && paint.annotation != Some(Annotation::Other)
                && !is_light(paint.rgb)
                && paint.visible_box().is_some_and(|rect| {
                    big_enough(rect, MIN_BOX) && area(rect) <= MAX_BOX_SHARE * page_area
                })
        };
        if !self.marks.paints.iter().any(candidate) {
            return (Vec::new(), BTreeMap::new());
        }
        let glyphs = &self.marks.glyphs;
        let word_boxes: Vec<WordBox> = self
            .words()
            .iter()
            .map(|word| WordBox {
                rect: self.glyphs_box(word.clone()).unwrap_or_default(),
                seq: glyphs[word.start].ink.seq,
                glyphs: word.clone(),
                facts: OnceCell::new(),
            })
            .collect();
        let mut boxes: Vec<[f32; 4]> = Vec::new();
        let page = self.marks;
        let page_document = self.document;
        for (index, paint) in page.paints.iter().enumerate() {
            if paint.invisible
                || paint.hidden_layer
                || !paint.opaque
                || paint.annotation == Some(Annotation::Other)
            {
                continue;
            }
            let dark = match paint.shape {
                Shape::Image(image) => {
                    let bounds = paint.visible_box().unwrap_or(paint.bounds);
                    // A solid bar compresses to almost nothing (a thousandth of its
                    // samples); a photo, a logo or a chart does not, and is not
                    // decoded to find out.
                    let drawn = &page.images[image];
                    let pixels = drawn
                        .samples
                        .map_or(0, |(width, height)| u64::from(width) * u64::from(height));
                    let compact = drawn.stream.content.len() as u64 <= pixels / 64 + 512;
                    // Nor is a JPEG: lossy coding leaves no solid bar.
                    compact
                        && !filtered_by(page_document, drawn, b"DCTDecode")
                        && !filtered_by(page_document, drawn, b"DCT")
                        && big_enough(bounds, MIN_BOX)
                        && area(bounds) <= MAX_BOX_SHARE * page_area
                        && self.image_dark_share(index, bounds) >= SOLID_IMAGE
                }
                _ => is_dark(paint.rgb),
            };
            for rect in solid_boxes(paint) {
                if !big_enough(rect, MIN_BOX) || area(rect) > MAX_BOX_SHARE * page_area {
                    continue;
                }
                // A vertical rule; a checkbox, bullet or marker (a small square: the
                // exemption checklists of FBI release letters are rows of them).
                let (width, height) = (rect[2] - rect[0], rect[3] - rect[1]);
                if (height > 3.0 * width && width < 12.0) || (height < 15.0 && width < 1.5 * height)
                {
                    continue;
                }
                // Words drawn on it: only labels keep it a redaction (a dark header
                // cell with white words is not one); a light box counts only with a
                // label. Words under it are bad redactions, or labels and junk.
                let on_top: Vec<&WordFacts> = word_boxes
                    .iter()
                    .filter(|word| word.seq > paint.seq && coverage(word.rect, rect) >= COVERS)
                    .map(|word| word.facts(glyphs))
                    .collect();
                let under_label = word_boxes.iter().any(|word| {
                    word.seq < paint.seq
                        && coverage(word.rect, rect) >= COVERS
                        && word.facts(glyphs).label
                });
                let labelled =
                    on_top.iter().any(|word| word.exemption) || (on_top.is_empty() && under_label);
                if on_top.iter().any(|word| !word.label && !word.junk) {
                    continue;
                }
                // A labelled box must show as one: a white cell with a code in it is
                // a table of exemptions, not a redaction.
                if !(dark || (labelled && !is_light(paint.rgb))) {
                    continue;
                }
                // A light shape painted over most of it (an icon's inner part, a
                // white cell) hides it.
                let hidden = self.paints_near(rect).iter().copied().any(|later| {
                    let other = &self.marks.paints[later];
                    other.seq > paint.seq
                        && other.opaque
                        && !is_dark(other.rgb)
                        && !matches!(other.shape, Shape::Image(_))
                        && self.paint_covers(later, rect) >= COVERS
                });
                let failed = bad.iter().any(|finding| coverage(finding.bbox, rect) > 0.2);
                if hidden || failed {
                    continue;
                }
                merge_box(&mut boxes, rect);
            }
        }
        let mut labels = BTreeMap::new();
        for word_box in &word_boxes {
            // On the box, or on its line within one and a half box heights of it.
            let beside = boxes.iter().any(|&rect| label_beside(word_box.rect, rect));
            if beside && word_box.facts(glyphs).exemption {
                let text = word_box.facts(glyphs).text.clone();
                *labels.entry(text).or_default() += 1;
            }
        }
        (boxes, labels)
    }
}

/// The page's words: runs of glyphs in drawing order on one baseline with no gap
/// wider than a quarter em; each a run of glyph indices.
pub(super) fn page_words(glyphs: &[PlacedGlyph]) -> Vec<Range<usize>> {
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut previous: Option<&PlacedGlyph> = None;
    for (index, glyph) in glyphs.iter().enumerate() {
        if glyph.text.trim().is_empty() {
            previous = None;
            continue;
        }
        let joins = previous.is_some_and(|before| {
            let size = before.size.max(glyph.size).max(0.1);
            let (dx, dy) = before.direction;
            let along = (glyph.x - before.end_x) * dx + (glyph.y - before.end_y) * dy;
            let across = (glyph.x - before.end_x) * -dy + (glyph.y - before.end_y) * dx;
            along.abs() <= 0.25 * size && across.abs() <= 0.3 * size
        });
        match words.last_mut() {
            Some(word) if joins => word.end = index + 1,
            _ => words.push(index..index + 1),
        }
        previous = Some(glyph);
    }
    words
}

/// Paints by the grid cells their visible boxes reach: a list per cell of the page
/// (and one around it), others in a map.
struct Grid {
    origin: (i32, i32),
    columns: i32,
    rows: i32,
    page: Vec<Vec<usize>>,
    outside: FastMap<(i32, i32), Vec<usize>>,
}

impl Grid {
    /// Cells kept as lists at most: a page of 100 by 100 inches.
    const MAX_PAGE_CELLS: i32 = 40_000;

    fn new(area: [f32; 4]) -> Grid {
        let [(x0, y0), (x1, y1)] = [(area[0], area[1]), (area[2], area[3])]
            .map(|(x, y)| cells([x, y, x, y]).next().unwrap_or_default());
        let (columns, rows) = (x1 - x0 + 3, y1 - y0 + 3);
        let fits = columns > 0 && rows > 0 && columns.saturating_mul(rows) <= Self::MAX_PAGE_CELLS;
        Grid {
            origin: (x0 - 1, y0 - 1),
            columns: if fits { columns } else { 0 },
            rows: if fits { rows } else { 0 },
            page: vec![Vec::new(); if fits { (columns * rows) as usize } else { 0 }],
            outside: FastMap::default(),
        }
    }

    fn slot(&self, (x, y): (i32, i32)) -> Option<usize> {
        let (column, row) = (x - self.origin.0, y - self.origin.1);
        ((0..self.columns).contains(&column) && (0..self.rows).contains(&row))
            .then(|| (row * self.columns + column) as usize)
    }

    fn push(&mut self, cell: (i32, i32), paint: usize) {
        match self.slot(cell) {
            Some(slot) => self.page[slot].push(paint),
            None => self.outside.entry(cell).or_default().push(paint),
        }
    }

    /// The paints in a cell, `None` for none.
    fn get(&self, cell: (i32, i32)) -> Option<&Vec<usize>> {
        match self.slot(cell) {
            Some(slot) => Some(&self.page[slot]).filter(|list| !list.is_empty()),
            None => self.outside.get(&cell),
        }
    }
}

/// Some of a page's marks: those that could hide a glyph ([`Page::could_hide`]), or
/// white one out ([`Page::could_white_out`]).
struct MarkSet {
    /// The grid cells they reach, as a bitmap of the cells from `origin` on: a glyph
    /// in none of them is not under one.
    origin: (i32, i32),
    columns: usize,
    cells: Vec<bool>,
    /// The last of them in painting order: a glyph drawn after it has none over it.
    last: u32,
    /// The first fill of them: a glyph drawn before it has none under it.
    first_fill: u32,
}

impl MarkSet {
    fn new(reached: &[(i32, i32)], last: u32, first_fill: u32) -> MarkSet {
        let origin = reached.iter().fold((i32::MAX, i32::MAX), |(x, y), cell| {
            (x.min(cell.0), y.min(cell.1))
        });
        let end = reached.iter().fold((i32::MIN, i32::MIN), |(x, y), cell| {
            (x.max(cell.0), y.max(cell.1))
        });
        let (columns, rows) = if reached.is_empty() {
            (0, 0)
        } else {
            (
                (end.0 - origin.0 + 1) as usize,
                (end.1 - origin.1 + 1) as usize,
            )
        };
        let mut cells = vec![false; columns * rows];
        for &(x, y) in reached {
            cells[(y - origin.1) as usize * columns + (x - origin.0) as usize] = true;
        }
        MarkSet {
            origin,
            columns,
            cells,
            last,
            first_fill,
        }
    }

    /// Whether one of the marks reaches a grid cell of `rect`.
    fn reaches(&self, rect: [f32; 4]) -> bool {
        if self.cells.is_empty() {
            return false;
        }
        let rows = (self.cells.len() / self.columns) as i32;
        let [x0, y0, x1, y1] = cell_span(rect);
        let (x0, x1) = (
            (x0 - self.origin.0).max(0),
            (x1 - self.origin.0).min(self.columns as i32 - 1),
        );
        let (y0, y1) = (
            (y0 - self.origin.1).max(0),
            (y1 - self.origin.1).min(rows - 1),
        );
        (y0..=y1).any(|row| {
            (x0..=x1).any(|column| self.cells[row as usize * self.columns + column as usize])
        })
    }
}

/// An image a rule looks into.
struct Looked {
    /// A stencil mask paints the fill colour where it is set: dark only when that is.
    stencil: bool,
    /// Its preview and the map from page space to its unit square, made when first
    /// asked for; `None` when it cannot be decoded or is drawn flat.
    preview: OnceCell<Option<(Gray, Matrix)>>,
}

/// A word of the page, as the proper-box rules look at it.
struct WordBox {
    rect: [f32; 4],
    /// Position in painting order of its first glyph.
    seq: u32,
    glyphs: Range<usize>,
    /// Read only for the words on or beside a box.
    facts: OnceCell<WordFacts>,
}

struct WordFacts {
    text: String,
    label: bool,
    exemption: bool,
    junk: bool,
}

impl WordBox {
    fn facts(&self, glyphs: &[PlacedGlyph]) -> &WordFacts {
        self.facts.get_or_init(|| {
            let text: String = glyphs[self.glyphs.clone()]
                .iter()
                .map(|glyph| glyph.text.as_str())
                .collect();
            WordFacts {
                label: is_label(&text),
                exemption: is_exemption_label(&text),
                junk: is_junk(&text),
                text,
            }
        })
    }
}

/// Whether an image's data passes through the filter `name`.
fn filtered_by(document: &Document, drawn: &DrawnImage, name: &[u8]) -> bool {
    match drawn.entry(document, b"Filter", b"F") {
        Some(Object::Name(filter)) => filter == name,
        Some(Object::Array(filters)) => filters
            .iter()
            .any(|filter| filter.as_name().ok() == Some(name)),
        _ => false,
    }
}

/// Bars burned into a scanned page's picture (`gray`, at `dpi`, of a page whose visible
/// area is `area` turned by `rotate`): solid dark runs of pixels the height of a line
/// of type and at least twice as wide, which is how a redaction shows once printed
/// and scanned. Their boxes come back in points (page space, y up; for a turned page,
/// within the area but not placed).
pub fn scan_bars(gray: &Gray, dpi: u32, area: [f32; 4], rotate: i32) -> Vec<[f32; 4]> {
    let (width, height) = (gray.width as usize, gray.height as usize);
    if width == 0 || height == 0 || dpi == 0 {
        return Vec::new();
    }
    let points = |pixels: usize| pixels as f32 * 72.0 / dpi as f32;
    // Letters are made of short runs; a bar of long ones. Only long runs count, so a
    // bar a word touches is not joined to the word.
    let min_run = ((BAR_MIN_RUN * dpi as f32 / 72.0) as usize).max(2);
    // Connected runs of dark pixels, row by row, joined where they touch the row
    // above (union-find over the runs).
    let mut parent: Vec<usize> = Vec::new();
    let mut extent: Vec<[usize; 4]> = Vec::new();
    let mut dark: Vec<usize> = Vec::new();
    fn root(parent: &mut [usize], mut run: usize) -> usize {
        while parent[run] != run {
            parent[run] = parent[parent[run]];
            run = parent[run];
        }
        run
    }
    let mut above: Vec<(usize, usize, usize)> = Vec::new();
    for y in 0..height {
        let row = &gray.pixels[y * width..(y + 1) * width];
        let mut here = Vec::new();
        let mut x = 0;
        while x < width {
            if row[x] >= BAR_DARK {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] < BAR_DARK {
                x += 1;
            }
            if x - start < min_run {
                continue;
            }
            let run = parent.len();
            parent.push(run);
            extent.push([start, y, x, y + 1]);
            dark.push(x - start);
            for &(from, to, other) in &above {
                if from < x && start < to {
                    let (a, b) = (root(&mut parent, run), root(&mut parent, other));
                    if a != b {
                        parent[b] = a;
                        let [x0, y0, x1, y1] = extent[b];
                        let e = &mut extent[a];
                        *e = [e[0].min(x0), e[1].min(y0), e[2].max(x1), e[3].max(y1)];
                        dark[a] += dark[b];
                    }
                }
            }
            here.push((start, x, run));
        }
        above = here;
    }
    let page_area = (width * height) as f32;
    let mut bars: Vec<[f32; 4]> = Vec::new();
    for run in 0..parent.len() {
        if root(&mut parent, run) != run {
            continue;
        }
        let [x0, y0, x1, y1] = extent[run];
        let (w, h) = (x1 - x0, y1 - y0);
        let (w_pt, h_pt) = (points(w), points(h));
        let solid = dark[run] as f32 >= BAR_SOLID * (w * h) as f32;
        let line_high = (BAR_MIN_HEIGHT..=BAR_MAX_HEIGHT).contains(&h_pt);
        if solid && line_high && w_pt >= 2.0 * h_pt && ((w * h) as f32) <= MAX_BOX_SHARE * page_area
        {
            let rect = if rotate.rem_euclid(360) == 0 {
                [
                    area[0] + points(x0),
                    area[3] - points(y1),
                    area[0] + points(x1),
                    area[3] - points(y0),
                ]
            } else {
                [area[0], area[1], area[0] + w_pt, area[1] + h_pt]
            };
            merge_box(&mut bars, rect);
        }
    }
    bars
}

/// Whether a word at `word` labels the box `rect`: on it, or on its line within one
/// and a half box heights of it.
fn label_beside(word: [f32; 4], rect: [f32; 4]) -> bool {
    let reach = (rect[3] - rect[1]).max(6.0) * 1.5;
    let middle = (word[1] + word[3]) / 2.0;
    word[0] <= rect[2] + reach
        && word[2] >= rect[0] - reach
        && middle >= rect[1] - 0.5 * reach
        && middle <= rect[3] + 0.5 * reach
}

/// The exemption labels OCR read on or beside the bars of a scanned page: `words`
/// boxed as shares of the page image, which shows the page's visible `area`. None for
/// a turned page, whose bars are not placed.
pub fn scan_labels(
    bars: &[[f32; 4]],
    words: &[OcrWord],
    area: [f32; 4],
    rotate: i32,
) -> BTreeMap<String, u32> {
    let mut labels = BTreeMap::new();
    if bars.is_empty() || rotate.rem_euclid(360) != 0 {
        return labels;
    }
    let (width, height) = (area[2] - area[0], area[3] - area[1]);
    let place = |[left, top, right, bottom]: [f32; 4]| {
        [
            area[0] + left * width,
            area[3] - bottom * height,
            area[0] + right * width,
            area[3] - top * height,
        ]
    };
    // OCR often splits a code at its parentheses ("(b) (6)"): up to three words in a
    // row on one line are read as one.
    let mut at = 0;
    while at < words.len() {
        let found = (1..=3).rev().find_map(|count| {
            let run = words.get(at..at + count)?;
            let same_line = run.windows(2).all(|pair| {
                let (a, b) = (pair[0].bbox, pair[1].bbox);
                let middle = (b[1] + b[3]) / 2.0;
                b[0] >= a[0] && middle >= a[1] && middle <= a[3]
            });
            let text: String = run.iter().map(|word| word.text.as_str()).collect();
            let rect = run.iter().map(|word| place(word.bbox)).reduce(union)?;
            (same_line && is_exemption_label(&text)).then_some((count, text, rect))
        });
        match found {
            Some((count, text, rect)) => {
                if bars.iter().any(|&bar| label_beside(rect, bar)) {
                    *labels.entry(text).or_default() += 1;
                }
                at += count;
            }
            None => at += 1,
        }
    }
    labels
}

/// Adds `rect` to `boxes`, or grows the box it overlaps by more than a fifth of the
/// smaller (a box drawn twice, or as several shapes).
fn merge_box(boxes: &mut Vec<[f32; 4]>, rect: [f32; 4]) {
    for existing in boxes.iter_mut() {
        let overlap = intersection(*existing, rect).map_or(0.0, area);
        if overlap > 0.2 * area(*existing).min(area(rect)) {
            *existing = union(*existing, rect);
            return;
        }
    }
    boxes.push(rect);
}

/// The grid cells a box touches.
fn cells(rect: [f32; 4]) -> impl Iterator<Item = (i32, i32)> {
    let [x0, y0, x1, y1] = cell_span(rect);
    (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
}

/// The first and last grid cells a box touches, each way: `[x0 y0 x1 y1]`.
fn cell_span(rect: [f32; 4]) -> [i32; 4] {
    let cell = |value: f32| (value / CELL).floor().clamp(-1000.0, 1000.0) as i32;
    let (x0, y0, x1, y1) = (cell(rect[0]), cell(rect[1]), cell(rect[2]), cell(rect[3]));
    // A box far larger than a page is bounded to a page-sized run of cells.
    [x0, y0, x1.min(x0 + 40), y1.min(y0 + 40)]
}

/// An exemption code as agencies print it on or beside a box: "(b)(6)", "(b)(7)(C)",
/// "b6", "b7C", "(b)(3):26 USC".
fn is_exemption_label(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = compact.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("(b)")
        .or_else(|| lower.strip_prefix("b"))
        .unwrap_or("");
    let mut chars = rest.trim_start_matches('(').chars();
    let digit = chars.next().is_some_and(|c| ('1'..='9').contains(&c));
    let tail: String = chars.collect();
    digit
        && tail
            .trim_start_matches(')')
            .trim_matches(|c: char| c == '(' || c == ')' || c == ',' || c == ';' || c == ':')
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .count()
            <= 1
        && rest.len() <= 12
}

/// Text a redaction tool prints on a box, not words it hides: exemption codes, the
/// words REDACTED / WITHHELD / PRIVILEGE(D), Dutch and UK codes ("5.1.2e",
/// "10.2.e", "s.40").
pub(super) fn is_label(text: &str) -> bool {
    let lower = text.to_lowercase();
    let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
    is_exemption_label(text)
        || matches!(
            bare,
            "redacted" | "withheld" | "privilege" | "privileged" | "redaction" | "exempt"
        )
        || uk_section(bare)
        || dutch_code(bare)
}

/// A UK Freedom of Information Act section: "s.40", "s40".
fn uk_section(bare: &str) -> bool {
    let Some(number) = bare.strip_prefix('s') else {
        return false;
    };
    let number = number.strip_prefix('.').unwrap_or(number);
    (1..=3).contains(&number.len()) && number.chars().all(|c| c.is_ascii_digit())
}

/// A Dutch Woo/Wob ground: numbers joined by dots ending in a letter, "5.1.2e",
/// "10.2.e" (a decimal such as "7.2" is not one).
fn dutch_code(bare: &str) -> bool {
    let Some(letter) = bare.chars().last().filter(char::is_ascii_lowercase) else {
        return false;
    };
    let numbers = bare[..bare.len() - letter.len_utf8()].trim_end_matches('.');
    let parts: Vec<&str> = numbers.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|part| {
            !part.is_empty() && part.len() <= 2 && part.chars().all(|c| c.is_ascii_digit())
        })
}

/// OCR junk and box glyphs: only `I l 1 | ! - _` and the like.
pub(super) fn is_junk(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(
            c,
            'I' | 'l' | '1' | '|' | '!' | '-' | '_' | '.' | ',' | '\'' | '"' | '#' | '*'
        ) || ('\u{2500}'..='\u{25FF}').contains(&c)
            || c == '\u{FFFD}'
    })
}

/// A token an OCR layer read from words, not noise: three letters or three digits.
fn is_real_token(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).count() >= 3
        || text.chars().filter(|c| c.is_ascii_digit()).count() >= 3
}

/// An image's pixels as gray, enough of them to tell dark from light; `None` when it
/// cannot be decoded cheaply.
fn decode(document: &Document, drawn: &DrawnImage) -> Option<Gray> {
    let source = ImageSource::resolve(document, drawn).ok()?;
    source.decode_preview().ok()
}

/// The inverse of an affine matrix, `None` when it flattens the plane.
fn inverse(matrix: &Matrix) -> Option<Matrix> {
    let [a, b, c, d, e, f] = matrix.0;
    let determinant = a * d - b * c;
    if determinant.abs() < 1e-9 {
        return None;
    }
    let (ia, ib, ic, id) = (
        d / determinant,
        -b / determinant,
        -c / determinant,
        a / determinant,
    );
    Some(Matrix([
        ia,
        ib,
        ic,
        id,
        -(e * ia + f * ic),
        -(e * ib + f * id),
    ]))
}

/// The fills and annotation marks of a region drawn in order on white, text left out.
struct Raster {
    pixmap: tiny_skia::Pixmap,
    region: [f32; 4],
}

impl Raster {
    /// Draws the paints `near` (indices into the page's log) over `region`; `None`
    /// when the region is empty or too large to draw.
    fn of(marks: &PageMarks, near: &[usize], region: [f32; 4]) -> Option<Raster> {
        let width = ((region[2] - region[0]) * RASTER_SCALE).ceil() as u32;
        let height = ((region[3] - region[1]) * RASTER_SCALE).ceil() as u32;
        if u64::from(width) * u64::from(height) > 16_000_000 {
            return None;
        }
        let mut pixmap = tiny_skia::Pixmap::new(width.max(1), height.max(1))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        // Page space to pixels: y flips, the region's top-left is the origin.
        let transform = tiny_skia::Transform::from_row(
            RASTER_SCALE,
            0.0,
            0.0,
            -RASTER_SCALE,
            -region[0] * RASTER_SCALE,
            region[3] * RASTER_SCALE,
        );
        for &index in near {
            let paint = &marks.paints[index];
            if paint.invisible || paint.hidden_layer {
                continue;
            }
            let (polygons, even_odd) = match &paint.shape {
                Shape::Fill {
                    subpaths, even_odd, ..
                } => (subpaths.clone(), *even_odd),
                Shape::Area(areas) => (
                    areas
                        .iter()
                        .map(|r| vec![(r[0], r[1]), (r[2], r[1]), (r[2], r[3]), (r[0], r[3])])
                        .collect(),
                    false,
                ),
                Shape::Image(_) => continue,
            };
            let Some(path) = path_of(&polygons) else {
                continue;
            };
            let [r, g, b] = paint.rgb.unwrap_or([0.5; 3]);
            let alpha = if paint.opaque { 1.0 } else { 0.5 };
            let mut brush = tiny_skia::Paint::default();
            brush.set_color(
                tiny_skia::Color::from_rgba(r, g, b, alpha).unwrap_or(tiny_skia::Color::BLACK),
            );
            brush.anti_alias = false;
            let rule = if even_odd {
                tiny_skia::FillRule::EvenOdd
            } else {
                tiny_skia::FillRule::Winding
            };
            let mask = paint.clip.and_then(|clip| {
                let mut mask = tiny_skia::Mask::new(pixmap.width(), pixmap.height())?;
                let rect = tiny_skia::Rect::from_ltrb(clip[0], clip[1], clip[2], clip[3])?;
                mask.fill_path(
                    &tiny_skia::PathBuilder::from_rect(rect),
                    tiny_skia::FillRule::Winding,
                    false,
                    transform,
                );
                Some(mask)
            });
            if paint.clip.is_some() && mask.is_none() {
                continue;
            }
            pixmap.fill_path(&path, &brush, rule, transform, mask.as_ref());
        }
        Some(Raster { pixmap, region })
    }

    /// Share of the pixels of `rect` that are dark, and their mean colour.
    fn dark_share(&self, rect: [f32; 4]) -> (f32, Option<[f32; 3]>) {
        let column = |x: f32| {
            (((x - self.region[0]) * RASTER_SCALE).round().max(0.0) as u32).min(self.pixmap.width())
        };
        let row = |y: f32| {
            (((self.region[3] - y) * RASTER_SCALE).round().max(0.0) as u32)
                .min(self.pixmap.height())
        };
        let (x0, x1) = (column(rect[0]), column(rect[2]));
        let (y0, y1) = (row(rect[3]), row(rect[1]));
        let (mut dark, mut all) = (0u32, 0u32);
        let mut sum = [0.0f32; 3];
        for y in y0..y1 {
            for x in x0..x1 {
                let Some(pixel) = self.pixmap.pixel(x, y) else {
                    continue;
                };
                let rgb = [pixel.red(), pixel.green(), pixel.blue()]
                    .map(|channel| f32::from(channel) / 255.0);
                all += 1;
                if rgb.iter().all(|&channel| channel <= RASTER_DARK) {
                    dark += 1;
                    for (total, channel) in sum.iter_mut().zip(rgb) {
                        *total += channel;
                    }
                }
            }
        }
        if all == 0 {
            return (0.0, None);
        }
        let mean = (dark > 0).then(|| sum.map(|total| total / dark as f32));
        (dark as f32 / all as f32, mean)
    }
}

/// A tiny-skia path of closed polygons.
fn path_of(polygons: &[Vec<(f32, f32)>]) -> Option<tiny_skia::Path> {
    let mut builder = tiny_skia::PathBuilder::new();
    for polygon in polygons {
        let mut points = polygon.iter();
        let Some(&(x, y)) = points.next() else {
            continue;
        };
        builder.move_to(x, y);
        for &(x, y) in points {
            builder.line_to(x, y);
        }
        builder.close();
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An OCR word at `[x0 y0 x1 y1]` in points of a 612 x 792 page (y up).
    fn word(text: &str, [x0, y0, x1, y1]: [f32; 4]) -> OcrWord {
        OcrWord {
            text: text.to_string(),
            bbox: [x0 / 612.0, 1.0 - y1 / 792.0, x1 / 612.0, 1.0 - y0 / 792.0],
        }
    }

    #[test]
    fn scan_labels_join_a_code_ocr_split_and_keep_to_the_bars() {
        let area = [0.0, 0.0, 612.0, 792.0];
        let bars = [[100.0, 600.0, 260.0, 616.0]];
        let words = [
            word("named", [40.0, 601.0, 90.0, 614.0]),
            word("(b)", [266.0, 601.0, 284.0, 614.0]),
            word("(6)", [287.0, 601.0, 305.0, 614.0]),
            word("was", [310.0, 601.0, 335.0, 614.0]),
            // A code far from any bar, and one on the bar's line but in the next column.
            word("(b)(7)(C)", [100.0, 300.0, 160.0, 313.0]),
            word("b7C", [500.0, 601.0, 530.0, 614.0]),
        ];
        let labels = scan_labels(&bars, &words, area, 0);
        assert_eq!(
            labels.into_iter().collect::<Vec<_>>(),
            [("(b)(6)".to_string(), 1)]
        );
        // A turned page's bars are not placed: no labels.
        assert!(scan_labels(&bars, &words, area, 90).is_empty());
    }
}
