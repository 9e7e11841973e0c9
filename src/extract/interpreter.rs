//! The content-stream interpreter: runs a page's operators (ISO 32000-1 9.3-9.4, 8.4)
//! and yields each shown glyph with its position on the page.
//!
//! It keeps the graphics state that moves text (CTM, text and line matrices, font,
//! size, spacing, scaling, rise) and follows Form XObjects. Of painting it keeps what
//! reading and the redaction check need: every image drawn with its placement (a page
//! that is one big image is a scan, and OCR needs to know where its images stand), and
//! a paint log ([`super::paint`]) of fills, images and annotation marks with their
//! colour, opacity and clip, in one order with the glyphs.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId};

use super::document::{Document, Resources};
use super::fonts::Font;
use super::images::ColorSpace;
use super::paint::{intersection, points_box, Annotation, Ink, Paint, Shape};

/// Forms nested deeper than this are not followed (a form that draws itself would
/// otherwise recurse forever).
const MAX_FORM_DEPTH: usize = 12;

/// Operators interpreted per page, across its forms: bounds hostile content streams.
const MAX_OPERATIONS: usize = 5_000_000;

/// Filled paths noted per page: enough to see text drawn as outlines (a glyph a
/// path), bounded for drawings of millions of paths.
const MAX_FILLS: usize = 50_000;

/// Points of filled shapes kept per page for the paint log; past it a shape is kept
/// as its box. Bounds the log of drawings of millions of points.
const MAX_PAINT_POINTS: usize = 200_000;

/// Steps a curve is flattened into for the paint log.
const CURVE_STEPS: usize = 6;

/// A glyph placed on the page, in default user space (points, y up).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub text: String,
    /// Origin of the glyph on the baseline.
    pub x: f32,
    pub y: f32,
    /// Where the glyph's advance ends, along the baseline.
    pub end_x: f32,
    pub end_y: f32,
    /// Unit vector of the baseline's direction: (1, 0) for ordinary text, (0, 1)
    /// for text rotated a quarter turn counter-clockwise.
    pub direction: (f32, f32),
    /// Rendered font size (font size scaled by the text and current matrices).
    pub size: f32,
    /// How it was painted.
    pub ink: Ink,
}

impl PlacedGlyph {
    /// The box a glyph's ink takes: from a descent below its baseline to an ascent
    /// above, along its advance (half an em when it has none), in default user space.
    /// Redactions test what boxes cover with it; the page view boxes words with it.
    pub fn ink_box(&self) -> [f32; 4] {
        let glyph = self;
        let (dx, dy) = glyph.direction;
        let (nx, ny) = (-dy, dx);
        let size = glyph.size.max(0.1);
        let (mut end_x, mut end_y) = (glyph.end_x, glyph.end_y);
        if (end_x - glyph.x).powi(2) + (end_y - glyph.y).powi(2) < (0.05 * size).powi(2) {
            end_x = glyph.x + dx * 0.5 * size;
            end_y = glyph.y + dy * 0.5 * size;
        }
        let (below, above) = (-0.2 * size, 0.75 * size);
        points_box([
            (glyph.x + nx * below, glyph.y + ny * below),
            (glyph.x + nx * above, glyph.y + ny * above),
            (end_x + nx * below, end_y + ny * below),
            (end_x + nx * above, end_y + ny * above),
        ])
    }
}

#[cfg(test)]
impl PlacedGlyph {
    /// A glyph of left-to-right text for tests: origin `(x, y)`, 6 points wide.
    pub fn across(text: &str, x: f32, y: f32, size: f32) -> PlacedGlyph {
        PlacedGlyph {
            text: text.to_string(),
            x,
            y,
            end_x: x + 6.0,
            end_y: y,
            direction: (1.0, 0.0),
            size,
            ink: Ink::default(),
        }
    }
}

/// An image drawn on the page: an Image XObject or an inline image (`BI ... EI`).
#[derive(Debug, Clone)]
pub struct DrawnImage<'a> {
    pub stream: Cow<'a, lopdf::Stream>,
    /// The CTM when it was drawn: maps the unit square, which the image fills, into
    /// default user space (ISO 32000-1 8.9.4).
    pub matrix: Matrix,
    /// An inline image, whose dictionary uses the abbreviated keys of ISO 32000-1
    /// table 93 (`/W`, `/CS`, `/F`...).
    pub inline: bool,
    /// Its width and height in samples, when both are positive integers.
    pub samples: Option<(u32, u32)>,
}

impl<'a> DrawnImage<'a> {
    pub fn new(
        document: &Document,
        stream: Cow<'a, lopdf::Stream>,
        matrix: Matrix,
        inline: bool,
    ) -> Self {
        let mut image = DrawnImage {
            stream,
            matrix,
            inline,
            samples: None,
        };
        image.samples = image
            .integer(document, b"Width", b"W")
            .zip(image.integer(document, b"Height", b"H"))
            .filter(|&(width, height)| width > 0 && height > 0);
        image
    }

    /// The dictionary entry `full`, or for an inline image also its abbreviation
    /// (Image XObjects may not abbreviate), following a reference.
    pub fn entry<'d>(
        &'d self,
        document: &'d Document,
        full: &[u8],
        short: &[u8],
    ) -> Option<&'d Object> {
        let dict = &self.stream.dict;
        let value = dict
            .get(full)
            .ok()
            .or_else(|| self.inline.then(|| dict.get(short).ok()).flatten())?;
        document.resolve(value)
    }

    pub fn integer(&self, document: &Document, full: &[u8], short: &[u8]) -> Option<u32> {
        self.entry(document, full, short)
            .and_then(|value| value.as_i64().ok())
            .and_then(|value| u32::try_from(value).ok())
    }
}

/// What a page draws that extraction cares about.
#[derive(Debug, Clone, Default)]
pub struct PageMarks<'a> {
    /// Every glyph, in content-stream order.
    pub glyphs: Vec<PlacedGlyph>,
    /// Every image, in drawing order.
    pub images: Vec<DrawnImage<'a>>,
    /// Glyphs drawn whose font gives no usable text for them: no mapping at all, or
    /// a control, private-use or replacement character.
    pub unmapped: usize,
    /// Glyphs drawn invisibly (text render mode 3 or 7): an OCR layer a scanner or
    /// an earlier OCR run laid over a page image.
    pub invisible: usize,
    /// Each filled path, in drawing order (at most [`MAX_FILLS`]).
    pub fills: Vec<Fill>,
    /// Fills, images and annotation marks, in painting order (at most [`MAX_FILLS`]
    /// fills).
    pub paints: Vec<Paint>,
}

/// A filled path: where it stands and how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    /// `[x0 y0 x1 y1]` in default user space.
    pub bounds: [f32; 4],
    /// Line and curve segments (a rectangle is four).
    pub segments: u32,
    /// Whether any segment is a curve, as a letter's outline has and a rule does not.
    pub curved: bool,
}

/// An affine matrix `[a b c d e f]` (ISO 32000-1 8.3.3), applied to row vectors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix(pub [f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translation(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `other` (ISO 32000-1 8.3.4).
    pub fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    /// Bounding box `[x0 y0 x1 y1]` of the rectangle `[x0 y0 x1 y1]` transformed.
    pub fn bounds(&self, rect: [f32; 4]) -> [f32; 4] {
        points_box([
            self.apply(rect[0], rect[1]),
            self.apply(rect[2], rect[1]),
            self.apply(rect[0], rect[3]),
            self.apply(rect[2], rect[3]),
        ])
    }

    fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let values: Vec<f32> = operands.iter().filter_map(number).collect();
        let values: [f32; 6] = values.try_into().ok()?;
        values
            .iter()
            .all(|v| v.is_finite())
            .then_some(Matrix(values))
    }
}

/// Grows the box of `path` by the point `(x, y)` of user space.
fn extend(path: &mut Option<Fill>, ctm: &Matrix, x: f32, y: f32) {
    let (x, y) = ctm.apply(x, y);
    if !(x.is_finite() && y.is_finite()) {
        return;
    }
    let fill = path.get_or_insert(Fill {
        bounds: [x, y, x, y],
        segments: 0,
        curved: false,
    });
    let [x0, y0, x1, y1] = fill.bounds;
    fill.bounds = [x0.min(x), y0.min(y), x1.max(x), y1.max(y)];
}

/// Adds a path operator's points (already in default user space) to the subpaths of
/// the path being built, curves flattened into [`CURVE_STEPS`] lines.
fn trace(subpaths: &mut Vec<Vec<(f32, f32)>>, operator: &str, points: &[(f32, f32)]) {
    let current = subpaths.last().and_then(|subpath| subpath.last()).copied();
    let (start, c1, c2, end) = match (operator, points, current) {
        ("m", [point, ..], _) | (_, [point, ..], None) => {
            subpaths.push(vec![*point]);
            return;
        }
        ("l", [point, ..], Some(_)) => {
            subpaths
                .last_mut()
                .into_iter()
                .for_each(|subpath| subpath.push(*point));
            return;
        }
        ("c", [c1, c2, end, ..], Some(start)) => (start, *c1, *c2, *end),
        ("v", [c2, end, ..], Some(start)) => (start, start, *c2, *end),
        ("y", [c1, end, ..], Some(start)) => (start, *c1, *end, *end),
        _ => return,
    };
    let Some(subpath) = subpaths.last_mut() else {
        return;
    };
    for step in 1..=CURVE_STEPS {
        let t = step as f32 / CURVE_STEPS as f32;
        let u = 1.0 - t;
        let weights = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
        let x = weights[0] * start.0 + weights[1] * c1.0 + weights[2] * c2.0 + weights[3] * end.0;
        let y = weights[0] * start.1 + weights[1] * c1.1 + weights[2] * c2.1 + weights[3] * end.1;
        subpath.push((x, y));
    }
}

/// Whether a glyph's text is text: not empty, and not a control, private-use or
/// replacement character (what fonts without a real mapping yield).
fn usable(text: &str) -> bool {
    !text.is_empty()
        && !text.chars().any(|c| {
            (c.is_control() && !c.is_whitespace())
                || ('\u{E000}'..='\u{F8FF}').contains(&c)
                || c == '\u{FFFD}'
        })
}

/// The parts of the graphics state that place text; saved by `q`, restored by `Q`.
#[derive(Clone)]
struct TextState {
    ctm: Matrix,
    font: Option<Arc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
    rise: f32,
    /// `Tr` (ISO 32000-1 9.3.6).
    render_mode: i64,
    fill: FillState,
}

/// The parts of the graphics state that say how a fill looks.
#[derive(Clone)]
struct FillState {
    space: Arc<ColorSpace>,
    rgb: Option<[f32; 3]>,
    /// `ca` of the ExtGState.
    alpha: f32,
    /// No soft mask, and a blend mode that keeps dark dark.
    covers: bool,
    /// The clip, as a box in default user space.
    clip: Option<[f32; 4]>,
}

impl Default for FillState {
    fn default() -> Self {
        FillState {
            space: Arc::new(ColorSpace::Gray),
            rgb: Some([0.0; 3]),
            alpha: 1.0,
            covers: true,
            clip: None,
        }
    }
}

impl TextState {
    /// The state a content stream starts in, drawn with `ctm` and the fill state
    /// `fill` of whatever draws it.
    fn at(ctm: Matrix, fill: FillState) -> TextState {
        TextState {
            ctm,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
            fill,
        }
    }
}

/// The text matrix and the line matrix (ISO 32000-1 9.4.2): where the next glyph goes
/// and where the current line started.
#[derive(Clone, Copy)]
struct TextPosition {
    line: Matrix,
    text: Matrix,
}

impl Default for TextPosition {
    fn default() -> Self {
        TextPosition {
            line: Matrix::IDENTITY,
            text: Matrix::IDENTITY,
        }
    }
}

impl TextPosition {
    /// Td, and the line moves of T*, ' and ": a new line offset from the current one.
    fn move_line(&mut self, x: f32, y: f32) {
        self.line = Matrix::translation(x, y).then(&self.line);
        self.text = self.line;
    }
}

struct Interpreter<'a, 'f> {
    document: &'a Document,
    glyphs: Vec<PlacedGlyph>,
    images: Vec<DrawnImage<'a>>,
    unmapped: usize,
    invisible: usize,
    fills: Vec<Fill>,
    paints: Vec<Paint>,
    /// The next position in painting order.
    seq: u32,
    /// Points of shapes in `paints`, against [`MAX_PAINT_POINTS`].
    paint_points: usize,
    /// Optional content groups off by default (`/OCProperties /D /OFF`).
    off_groups: Vec<ObjectId>,
    /// Open marked-content sequences of those groups, across forms.
    hidden: usize,
    /// The annotation whose appearance is being drawn.
    annotation: Option<Annotation>,
    operations: usize,
    fonts: &'f FontCache,
    /// Forms being drawn, outermost first.
    open_forms: Vec<ObjectId>,
}

/// The fonts of one document, loaded once and shared by its pages (which may be read
/// on several threads): loading a font, its CMaps above all, costs more than drawing
/// a page of text with it.
#[derive(Default)]
pub struct FontCache {
    fonts: Mutex<HashMap<ObjectId, Arc<Font>>>,
}

impl FontCache {
    /// The font `id`, loaded from `dictionary` the first time it is asked for.
    fn get(&self, document: &Document, id: ObjectId, dictionary: &Dictionary) -> Arc<Font> {
        let lock = || {
            self.fonts
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        };
        if let Some(font) = lock().get(&id) {
            return Arc::clone(font);
        }
        // Loaded outside the lock: two pages asking at once may both load it, and
        // the first one stored wins.
        let font = Arc::new(Font::load(document, dictionary));
        Arc::clone(lock().entry(id).or_insert(font))
    }
}

/// All glyphs and images of a page, in content-stream order. A page whose content
/// cannot be decoded yields what was read before the damage (often nothing).
pub fn page_marks(document: &Document, page_id: ObjectId) -> PageMarks<'_> {
    page_marks_with(document, page_id, &FontCache::default())
}

/// [`page_marks`], with fonts from (and into) the document's `fonts`.
pub fn page_marks_with<'a>(
    document: &'a Document,
    page_id: ObjectId,
    fonts: &FontCache,
) -> PageMarks<'a> {
    let mut interpreter = Interpreter {
        document,
        glyphs: Vec::new(),
        images: Vec::new(),
        unmapped: 0,
        invisible: 0,
        fills: Vec::new(),
        paints: Vec::new(),
        seq: 0,
        paint_points: 0,
        off_groups: off_groups(document),
        hidden: 0,
        annotation: None,
        operations: 0,
        fonts,
        open_forms: Vec::new(),
    };
    let resources = document.page_resources(page_id);
    if let Some(content) = document.page_content(page_id) {
        let start = TextState::at(Matrix::IDENTITY, FillState::default());
        interpreter.run(&content, &resources, start, 0);
    }
    interpreter.annotations(page_id, &resources);
    PageMarks {
        glyphs: interpreter.glyphs,
        images: interpreter.images,
        unmapped: interpreter.unmapped,
        invisible: interpreter.invisible,
        fills: interpreter.fills,
        paints: interpreter.paints,
    }
}

/// The optional content groups a viewer shows off when the file opens.
fn off_groups(document: &Document) -> Vec<ObjectId> {
    let lopdf = document.lopdf();
    let off = lopdf
        .catalog()
        .ok()
        .and_then(|catalog| document.dict_entry(catalog, b"OCProperties"))
        .and_then(|properties| document.dict_entry(properties, b"D"))
        .and_then(|default| document.array_entry(default, b"OFF"));
    off.unwrap_or_default()
        .iter()
        .filter_map(|group| group.as_reference().ok())
        .collect()
}

impl<'a> Interpreter<'a, '_> {
    fn run(&mut self, content: &[u8], resources: &Resources<'a>, start: TextState, depth: usize) {
        let Ok(content) = Content::decode(content) else {
            return;
        };
        let mut state = start;
        let mut saved: Vec<TextState> = Vec::new();
        let mut position = TextPosition::default();
        let mut local_fonts: HashMap<Vec<u8>, Arc<Font>> = HashMap::new();
        // Open marked-content sequences: the /ActualText of each, if any, where its
        // glyphs start, and whether it opened a hidden layer.
        let mut marked: Vec<(Option<String>, usize, bool)> = Vec::new();
        // The path being built, its box in default user space, and its subpaths.
        let mut path: Option<Fill> = None;
        let mut subpaths: Vec<Vec<(f32, f32)>> = Vec::new();
        // `W`/`W*` seen: the path, once ended, clips.
        let mut clipping = false;
        // Whether the path is made of `re` rectangles only.
        let mut rectangles = true;

        for operation in &content.operations {
            self.operations += 1;
            // Reading the clock on every operator would cost more than the operator.
            let check_limits = self.operations.is_multiple_of(4096);
            if self.operations > MAX_OPERATIONS
                || (check_limits && self.document.stopped().is_some())
            {
                return;
            }
            let operands = operation.operands.as_slice();
            let float = |index: usize| operands.get(index).and_then(number).unwrap_or(0.0);
            match operation.operator.as_str() {
                "q" => saved.push(state.clone()),
                "Q" => {
                    if let Some(previous) = saved.pop() {
                        state = previous;
                    }
                }
                "cm" => {
                    if let Some(matrix) = Matrix::from_operands(operands) {
                        state.ctm = matrix.then(&state.ctm);
                    }
                }
                "BT" => position = TextPosition::default(),
                "Tf" => {
                    state.font_size = float(1);
                    state.font = operands
                        .first()
                        .and_then(|name| name.as_name().ok())
                        .and_then(|name| self.font(resources, name, &mut local_fonts));
                }
                "Tc" => state.char_spacing = float(0),
                "Tw" => state.word_spacing = float(0),
                "Tz" => state.horizontal_scale = float(0) / 100.0,
                "TL" => state.leading = float(0),
                "Ts" => state.rise = float(0),
                "Tr" => state.render_mode = float(0) as i64,
                "Td" => position.move_line(float(0), float(1)),
                "TD" => {
                    state.leading = -float(1);
                    position.move_line(float(0), float(1));
                }
                "Tm" => {
                    if let Some(matrix) = Matrix::from_operands(operands) {
                        position = TextPosition {
                            line: matrix,
                            text: matrix,
                        };
                    }
                }
                "T*" => position.move_line(0.0, -state.leading),
                "Tj" | "TJ" => self.show(operands, &state, &mut position.text),
                "'" => {
                    position.move_line(0.0, -state.leading);
                    self.show(operands, &state, &mut position.text);
                }
                "\"" => {
                    state.word_spacing = float(0);
                    state.char_spacing = float(1);
                    position.move_line(0.0, -state.leading);
                    let shown = operands.get(2..).unwrap_or_default();
                    self.show(shown, &state, &mut position.text);
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    if let Some(name) = operands.first().and_then(|name| name.as_name().ok()) {
                        self.form(resources, name, &state, depth);
                    }
                }
                "BI" => {
                    if let Some(Object::Stream(image)) = operands.first() {
                        self.image(
                            DrawnImage::new(
                                self.document,
                                Cow::Owned(image.clone()),
                                state.ctm,
                                true,
                            ),
                            &state.fill,
                        );
                    }
                }
                "m" | "l" | "c" | "v" | "y" => {
                    for pair in 0..operands.len() / 2 {
                        extend(&mut path, &state.ctm, float(2 * pair), float(2 * pair + 1));
                    }
                    if let Some(path) = path.as_mut() {
                        path.segments += u32::from(operation.operator != "m");
                        path.curved |= matches!(operation.operator.as_str(), "c" | "v" | "y");
                    }
                    // A path operator takes at most three points (`c`).
                    let mut points = [(0.0, 0.0); 3];
                    let count = (operands.len() / 2).min(points.len());
                    for (pair, point) in points.iter_mut().take(count).enumerate() {
                        *point = state.ctm.apply(float(2 * pair), float(2 * pair + 1));
                    }
                    trace(&mut subpaths, operation.operator.as_str(), &points[..count]);
                    rectangles = false;
                }
                "re" => {
                    let (x, y) = (float(0), float(1));
                    extend(&mut path, &state.ctm, x, y);
                    extend(&mut path, &state.ctm, x + float(2), y + float(3));
                    if let Some(path) = path.as_mut() {
                        path.segments += 4;
                    }
                    let (w, h) = (float(2), float(3));
                    subpaths.push(
                        [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                            .map(|(x, y)| state.ctm.apply(x, y))
                            .to_vec(),
                    );
                }
                "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "S" | "s" | "n" => {
                    let filled = path.take();
                    let shape = std::mem::take(&mut subpaths);
                    let drawn_as_rectangles = std::mem::replace(&mut rectangles, true);
                    if let (Some(filled), false) = (
                        filled,
                        matches!(operation.operator.as_str(), "S" | "s" | "n"),
                    ) {
                        if self.fills.len() < MAX_FILLS {
                            self.fills.push(filled);
                            let even_odd = operation.operator.ends_with('*');
                            let shape = Shape::Fill {
                                subpaths: shape,
                                even_odd,
                                rectangles: drawn_as_rectangles,
                            };
                            self.fill(filled.bounds, shape, &state.fill);
                        }
                    }
                    if std::mem::take(&mut clipping) {
                        if let Some(filled) = filled {
                            let clip = match state.fill.clip {
                                Some(clip) => intersection(clip, filled.bounds).unwrap_or([
                                    filled.bounds[0],
                                    filled.bounds[1],
                                    filled.bounds[0],
                                    filled.bounds[1],
                                ]),
                                None => filled.bounds,
                            };
                            state.fill.clip = Some(clip);
                        }
                    }
                }
                "W" | "W*" => clipping = true,
                "g" | "rg" | "k" => {
                    let space = match operation.operator.as_str() {
                        "g" => ColorSpace::Gray,
                        "rg" => ColorSpace::Rgb,
                        _ => ColorSpace::Cmyk,
                    };
                    let components: Vec<f32> = operands.iter().filter_map(number).collect();
                    state.fill.rgb = space.fill_rgb(&components);
                    state.fill.space = Arc::new(space);
                }
                "cs" => {
                    let space = operands.first().map_or(ColorSpace::Unknown, |name| {
                        self.color_space(resources, name)
                    });
                    state.fill.rgb = space.fill_rgb(&space.initial());
                    state.fill.space = Arc::new(space);
                }
                "sc" | "scn" => {
                    let components: Vec<f32> = operands.iter().filter_map(number).collect();
                    // A pattern (a name operand) paints what cannot be told here.
                    let pattern = operands.iter().any(|operand| operand.as_name().is_ok());
                    state.fill.rgb = if pattern {
                        None
                    } else {
                        state.fill.space.fill_rgb(&components)
                    };
                }
                "gs" => {
                    if let Some(name) = operands.first().and_then(|name| name.as_name().ok()) {
                        self.graphics_state(resources, name, &mut state.fill);
                    }
                }
                "BMC" => marked.push((None, self.glyphs.len(), false)),
                "BDC" => {
                    let actual = operands
                        .get(1)
                        .and_then(|properties| actual_text(self.document, resources, properties));
                    let off = self.opens_hidden_layer(resources, operands);
                    self.hidden += usize::from(off);
                    marked.push((actual, self.glyphs.len(), off));
                }
                "EMC" => {
                    if let Some((actual, start, off)) = marked.pop() {
                        self.hidden -= usize::from(off);
                        if let Some(actual) = actual {
                            self.replace_with_actual_text(start, actual);
                        }
                    }
                }
                _ => {}
            }
        }
        // Sequences left open by a stream that ends early close with it.
        for (_, _, off) in marked {
            self.hidden -= usize::from(off);
        }
    }

    /// The next position in painting order.
    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.saturating_add(1);
        self.seq
    }

    /// Logs a fill (its subpaths in default user space) with box `bounds`.
    fn fill(&mut self, bounds: [f32; 4], mut shape: Shape, fill: &FillState) {
        if let Shape::Fill { subpaths, .. } = &mut shape {
            let points: usize = subpaths.iter().map(Vec::len).sum();
            if self.paint_points + points > MAX_PAINT_POINTS {
                let [x0, y0, x1, y1] = bounds;
                *subpaths = vec![vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]];
            }
            self.paint_points += subpaths.iter().map(Vec::len).sum::<usize>();
        }
        let seq = self.next_seq();
        self.paints.push(Paint {
            seq,
            shape,
            bounds,
            rgb: fill.rgb,
            opaque: fill.alpha >= 0.9 && fill.covers,
            invisible: fill.alpha <= 0.0,
            clip: fill.clip,
            annotation: self.annotation,
            hidden_layer: self.hidden > 0,
        });
    }

    /// Notes an image drawn, and logs it as a paint. An image with a mask of its own
    /// (`/SMask`, or `/Mask` as a stencil or colour key) lets what lies beneath show
    /// where it is masked: a signature's scribble, a logo.
    fn image(&mut self, image: DrawnImage<'a>, fill: &FillState) {
        let bounds = image.matrix.bounds([0.0, 0.0, 1.0, 1.0]);
        let masked = image.entry(self.document, b"SMask", b"SMask").is_some()
            || image.entry(self.document, b"Mask", b"Mask").is_some();
        let seq = self.next_seq();
        self.paints.push(Paint {
            seq,
            shape: Shape::Image(self.images.len()),
            bounds,
            rgb: fill.rgb,
            opaque: fill.alpha >= 0.9 && fill.covers && !masked,
            invisible: fill.alpha <= 0.0,
            clip: fill.clip,
            annotation: self.annotation,
            hidden_layer: self.hidden > 0,
        });
        self.images.push(image);
    }

    /// The colour space `cs` names: a device space, or one of the resources'.
    fn color_space(&self, resources: &Resources<'a>, name: &Object) -> ColorSpace {
        match name.as_name() {
            Ok(b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK" | b"Pattern") | Err(_) => {
                ColorSpace::resolve(self.document, name, 0)
            }
            Ok(named) => resources
                .lookup(self.document, b"ColorSpace", named)
                .map_or(ColorSpace::Unknown, |(_, space)| {
                    ColorSpace::resolve(self.document, space, 0)
                }),
        }
    }

    /// `gs`: the fill alpha, soft mask and blend mode of an ExtGState.
    fn graphics_state(&self, resources: &Resources<'a>, name: &[u8], fill: &mut FillState) {
        let Some((_, object)) = resources.lookup(self.document, b"ExtGState", name) else {
            return;
        };
        let Ok(parameters) = object.as_dict() else {
            return;
        };
        if let Some(alpha) = self.document.number_entry(parameters, b"ca") {
            fill.alpha = alpha.clamp(0.0, 1.0);
        }
        let mask = parameters
            .get(b"SMask")
            .ok()
            .and_then(|mask| self.document.resolve(mask));
        let masked = mask.is_some_and(|mask| mask.as_name().ok() != Some(b"None"));
        let blend = parameters
            .get(b"BM")
            .ok()
            .and_then(|mode| self.document.resolve(mode))
            .map(|mode| match mode {
                Object::Array(modes) => modes.first().and_then(|mode| mode.as_name().ok()),
                other => other.as_name().ok(),
            });
        let keeps_dark = match blend {
            Some(Some(mode)) => matches!(mode, b"Normal" | b"Compatible" | b"Multiply" | b"Darken"),
            _ => true,
        };
        if mask.is_some() || blend.is_some() {
            fill.covers = !masked && keeps_dark;
        }
    }

    /// Whether a `BDC` opens optional content that is off by default.
    fn opens_hidden_layer(&self, resources: &Resources<'a>, operands: &[Object]) -> bool {
        if self.off_groups.is_empty()
            || operands.first().and_then(|tag| tag.as_name().ok()) != Some(b"OC")
        {
            return false;
        }
        let Some(Ok(name)) = operands.get(1).map(Object::as_name) else {
            return false;
        };
        resources
            .lookup(self.document, b"Properties", name)
            .and_then(|(id, _)| id)
            .is_some_and(|id| self.off_groups.contains(&id))
    }

    /// ISO 32000-1 14.9.4: the glyphs drawn since `start` stand for `actual` (a
    /// ligature, a hyphenated word, a symbol); they become one glyph with that text.
    fn replace_with_actual_text(&mut self, start: usize, actual: String) {
        let drawn = self.glyphs.split_off(start.min(self.glyphs.len()));
        let (Some(first), Some(last)) = (drawn.first(), drawn.last()) else {
            return;
        };
        self.glyphs.push(PlacedGlyph {
            text: actual,
            end_x: last.end_x,
            end_y: last.end_y,
            ..first.clone()
        });
    }

    /// Resolves a font resource, caching indirect fonts across the page's forms.
    fn font(
        &mut self,
        resources: &Resources<'a>,
        name: &[u8],
        local_fonts: &mut HashMap<Vec<u8>, Arc<Font>>,
    ) -> Option<Arc<Font>> {
        if let Some(font) = local_fonts.get(name) {
            return Some(Arc::clone(font));
        }
        let (id, object) = resources.lookup(self.document, b"Font", name)?;
        let dictionary = object.as_dict().ok()?;
        let font = match id {
            Some(id) => self.fonts.get(self.document, id, dictionary),
            None => Arc::new(Font::load(self.document, dictionary)),
        };
        local_fonts.insert(name.to_vec(), Arc::clone(&font));
        Some(font)
    }

    /// Tj/TJ: places each glyph and advances the text matrix (ISO 32000-1 9.4.4).
    fn show(&mut self, operands: &[Object], state: &TextState, text_matrix: &mut Matrix) {
        let Some(font) = state.font.clone() else {
            return;
        };
        let scale = state.horizontal_scale;
        let vertical = font.is_vertical();
        for operand in operands {
            match operand {
                Object::String(bytes, _) => {
                    for glyph in font.glyphs(bytes) {
                        let rendering = Matrix([
                            state.font_size * scale,
                            0.0,
                            0.0,
                            state.font_size,
                            0.0,
                            state.rise,
                        ])
                        .then(text_matrix)
                        .then(&state.ctm);
                        // Vertical fonts (ISO 32000-1 9.7.4.3) advance down the page
                        // by their vertical metric, one em unless /W2 says otherwise.
                        let advance_vector = if vertical {
                            (0.0, -1.0)
                        } else {
                            (glyph.width, 0.0)
                        };
                        let (x, y) = rendering.apply(0.0, 0.0);
                        let (end_x, end_y) = rendering.apply(advance_vector.0, advance_vector.1);
                        let [_, _, c, d, _, _] = rendering.0;
                        let length = (end_x - x).hypot(end_y - y);
                        let direction = if length > f32::EPSILON {
                            ((end_x - x) / length, (end_y - y) / length)
                        } else {
                            let [a, b, ..] = rendering.0;
                            let length = a.hypot(b).max(f32::EPSILON);
                            (a / length, b / length)
                        };
                        let is_space = glyph.length == 1 && glyph.code == 32;
                        let spacing =
                            state.char_spacing + if is_space { state.word_spacing } else { 0.0 };
                        let advance = if vertical {
                            Matrix::translation(0.0, -(state.font_size + spacing))
                        } else {
                            Matrix::translation(
                                (glyph.width * state.font_size + spacing) * scale,
                                0.0,
                            )
                        };
                        *text_matrix = advance.then(text_matrix);
                        if !is_space && !usable(&glyph.text) {
                            self.unmapped += 1;
                        }
                        let invisible = matches!(state.render_mode, 3 | 7);
                        self.invisible += usize::from(invisible);
                        if !glyph.text.is_empty() {
                            let ink = Ink {
                                seq: self.next_seq(),
                                rgb: state.fill.rgb,
                                invisible,
                                clip: state.fill.clip,
                                hidden_layer: self.hidden > 0,
                            };
                            self.glyphs.push(PlacedGlyph {
                                text: glyph.text,
                                x,
                                y,
                                end_x,
                                end_y,
                                direction,
                                size: c.hypot(d),
                                ink,
                            });
                        }
                    }
                }
                Object::Array(items) => self.show(items, state, text_matrix),
                other => {
                    if let Some(adjustment) = number(other) {
                        // TJ numbers are thousandths of text space, subtracted (9.4.3).
                        let shift = if vertical {
                            Matrix::translation(0.0, -adjustment / 1000.0 * state.font_size)
                        } else {
                            Matrix::translation(-adjustment / 1000.0 * state.font_size * scale, 0.0)
                        };
                        *text_matrix = shift.then(text_matrix);
                    }
                }
            }
        }
    }

    /// Do: runs a Form XObject with its own matrix and resources (ISO 32000-1 8.10).
    fn form(&mut self, resources: &Resources<'a>, name: &[u8], state: &TextState, depth: usize) {
        let Some((id, object)) = resources.lookup(self.document, b"XObject", name) else {
            return;
        };
        // A form that draws itself, directly or through others, is drawn once (as
        // poppler does); the depth limit bounds chains of distinct forms.
        if id.is_some_and(|id| self.open_forms.contains(&id)) {
            return;
        }
        self.open_forms.extend(id);
        let start = TextState::at(state.ctm, state.fill.clone());
        self.run_form(object, resources, start, depth + 1);
        if id.is_some() {
            self.open_forms.pop();
        }
    }

    /// Runs a Form XObject's content with its `/Matrix` then the CTM of `start`,
    /// clipped to its `/BBox`, and its own resources before the caller's. An Image
    /// XObject is noted as drawn with that CTM.
    fn run_form(
        &mut self,
        object: &'a Object,
        resources: &Resources<'a>,
        start: TextState,
        depth: usize,
    ) {
        let Ok(stream) = object.as_stream() else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name).ok() {
            Some(b"Form") => {}
            Some(b"Image") => {
                let drawn = DrawnImage::new(self.document, Cow::Borrowed(stream), start.ctm, false);
                self.image(drawn, &start.fill);
                return;
            }
            _ => return,
        }
        let Some(content) = self.document.stream_bytes(object) else {
            return;
        };
        let own_resources = self.document.dict_entry(&stream.dict, b"Resources");
        let nested = resources.nested(own_resources);
        let matrix = form_matrix(self.document, stream).then(&start.ctm);
        let mut fill = start.fill;
        if let Some(bbox) = self
            .document
            .array_entry(&stream.dict, b"BBox")
            .and_then(rectangle)
        {
            let bounds = matrix.bounds(bbox);
            fill.clip = Some(match fill.clip {
                Some(clip) => intersection(clip, bounds)
                    .unwrap_or([bounds[0], bounds[1], bounds[0], bounds[1]]),
                None => bounds,
            });
        }
        self.run(&content, &nested, TextState::at(matrix, fill), depth);
    }

    /// Text drawn by annotations: the normal appearance of each visible annotation
    /// (form field values, stamps, free text), placed by ISO 32000-1 12.5.5, or a
    /// field's value when it has no appearance.
    fn annotations(&mut self, page_id: ObjectId, resources: &Resources<'a>) {
        for annotation in self.document.page_annotations(page_id) {
            let flags = self.document.number_entry(annotation, b"F").unwrap_or(0.0) as u32;
            let subtype = annotation
                .get(b"Subtype")
                .and_then(Object::as_name)
                .unwrap_or(b"");
            // Bit 2 is Hidden (ISO 32000-1 12.5.3); popups repeat their parent's text.
            if flags & 2 != 0 || subtype == b"Popup" {
                continue;
            }
            let Some(rect) = self
                .document
                .array_entry(annotation, b"Rect")
                .and_then(rectangle)
            else {
                continue;
            };
            let kind = match subtype {
                b"Redact" => Annotation::Redact,
                b"Highlight" | b"Square" | b"Polygon" | b"Ink" | b"FreeText" => Annotation::Markup,
                _ => Annotation::Other,
            };
            self.annotation = Some(kind);
            let appearance = appearance_stream(self.document, annotation);
            // A redaction mark is logged whatever its appearance (it may have none,
            // or only an outline): it says what was meant to be removed. A markup
            // without an appearance is drawn by the viewer in its colour.
            if kind == Annotation::Redact || (kind == Annotation::Markup && appearance.is_none()) {
                self.annotation_area(annotation, rect, kind);
            }
            match appearance {
                Some(appearance) => {
                    let Ok(stream) = appearance.as_stream() else {
                        self.annotation = None;
                        continue;
                    };
                    let placement = appearance_placement(self.document, stream, rect);
                    let start = TextState::at(placement, FillState::default());
                    self.run_form(appearance, resources, start, 1);
                }
                // Without an appearance a viewer draws a form field's value and a
                // free-text box's contents itself; other annotations' contents are
                // notes beside the page, not on it.
                None if subtype == b"FreeText" => self.text_entry(annotation, b"Contents", rect),
                None => self.text_entry(annotation, b"V", rect),
            }
            self.annotation = None;
        }
    }

    /// Logs an annotation drawn by the viewer: its quadrilaterals (a highlight's
    /// lines) or its rectangle, in its interior colour (`/IC`) or else its colour
    /// (`/C`), at its constant alpha (`/CA`).
    fn annotation_area(&mut self, annotation: &Dictionary, rect: [f32; 4], kind: Annotation) {
        let quads: Vec<[f32; 4]> = self
            .document
            .array_entry(annotation, b"QuadPoints")
            .map(|points| {
                let numbers: Vec<f32> = points.iter().filter_map(number).collect();
                numbers
                    .chunks_exact(8)
                    .map(|quad| points_box(quad.chunks_exact(2).map(|point| (point[0], point[1]))))
                    .collect()
            })
            .unwrap_or_default();
        let areas = if quads.is_empty() { vec![rect] } else { quads };
        let colour = |key: &[u8]| {
            let components: Vec<f32> = self
                .document
                .array_entry(annotation, key)?
                .iter()
                .filter_map(number)
                .collect();
            match components.len() {
                1 => ColorSpace::Gray.fill_rgb(&components),
                3 => ColorSpace::Rgb.fill_rgb(&components),
                4 => ColorSpace::Cmyk.fill_rgb(&components),
                _ => None,
            }
        };
        let rgb = colour(b"IC").or_else(|| colour(b"C"));
        let alpha = self.document.number_entry(annotation, b"CA").unwrap_or(1.0);
        let seq = self.next_seq();
        self.paints.push(Paint {
            seq,
            shape: Shape::Area(areas),
            bounds: rect,
            rgb,
            opaque: alpha >= 0.9 && rgb.is_some(),
            invisible: alpha <= 0.0,
            clip: None,
            annotation: Some(kind),
            hidden_layer: false,
        });
    }

    /// The text string under `key` written at the annotation's rectangle.
    fn text_entry(&mut self, annotation: &Dictionary, key: &[u8], rect: [f32; 4]) {
        let value = annotation
            .get(key)
            .ok()
            .and_then(|value| self.document.resolve(value));
        let Some(value @ Object::String(..)) = value else {
            return;
        };
        let Ok(text) = lopdf::decode_text_string(value) else {
            return;
        };
        let size = (rect[3] - rect[1]).clamp(1.0, 24.0);
        if !text.trim().is_empty() {
            let ink = Ink {
                seq: self.next_seq(),
                ..Ink::default()
            };
            self.glyphs.push(PlacedGlyph {
                text,
                x: rect[0],
                y: rect[1],
                end_x: rect[2],
                end_y: rect[1],
                direction: (1.0, 0.0),
                size,
                ink,
            });
        }
    }
}

/// `/ActualText` of a BDC property list, given inline or as a `/Properties` resource.
fn actual_text(document: &Document, resources: &Resources, properties: &Object) -> Option<String> {
    let dictionary = match properties {
        Object::Dictionary(dictionary) => dictionary,
        Object::Name(name) => resources
            .lookup(document, b"Properties", name)?
            .1
            .as_dict()
            .ok()?,
        _ => return None,
    };
    let text = document.resolve(dictionary.get(b"ActualText").ok()?)?;
    lopdf::decode_text_string(text).ok()
}

/// `/Matrix` of a form, identity when absent.
fn form_matrix(document: &Document, stream: &lopdf::Stream) -> Matrix {
    document
        .array_entry(&stream.dict, b"Matrix")
        .and_then(Matrix::from_operands)
        .unwrap_or(Matrix::IDENTITY)
}

/// `[x0 y0 x1 y1]` normalised so that x0 <= x1 and y0 <= y1.
fn rectangle(values: &[Object]) -> Option<[f32; 4]> {
    let numbers: Vec<f32> = values.iter().filter_map(number).collect();
    let [a, b, c, d]: [f32; 4] = numbers.try_into().ok()?;
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

/// The annotation's normal appearance: `/AP /N`, either a stream or, for fields with
/// states (check boxes), the state named by `/AS`.
fn appearance_stream<'a>(document: &'a Document, annotation: &'a Dictionary) -> Option<&'a Object> {
    let appearances = document.dict_entry(annotation, b"AP")?;
    let normal = document.resolve(appearances.get(b"N").ok()?)?;
    match normal {
        Object::Stream(_) => Some(normal),
        Object::Dictionary(states) => {
            let state = annotation.get(b"AS").and_then(Object::as_name).ok()?;
            let chosen = document.resolve(states.get(state).ok()?)?;
            chosen.as_stream().is_ok().then_some(chosen)
        }
        _ => None,
    }
}

/// ISO 32000-1 12.5.5: the form's `/BBox`, transformed by its `/Matrix`, is fitted
/// onto the annotation's rectangle. Returns the matrix that does the fitting (the
/// form's own matrix is applied before it by `run_form`).
fn appearance_placement(document: &Document, stream: &lopdf::Stream, rect: [f32; 4]) -> Matrix {
    let matrix = form_matrix(document, stream);
    let Some(bbox) = document
        .array_entry(&stream.dict, b"BBox")
        .and_then(rectangle)
    else {
        return Matrix::translation(rect[0], rect[1]);
    };
    let [min_x, min_y, max_x, max_y] = matrix.bounds(bbox);
    let scale = |target: f32, source: f32| {
        if source.abs() > f32::EPSILON {
            target / source
        } else {
            1.0
        }
    };
    let scale_x = scale(rect[2] - rect[0], max_x - min_x);
    let scale_y = scale(rect[3] - rect[1], max_y - min_y);
    Matrix([
        scale_x,
        0.0,
        0.0,
        scale_y,
        rect[0] - min_x * scale_x,
        rect[1] - min_y * scale_y,
    ])
}

fn number(object: &Object) -> Option<f32> {
    object.as_float().ok().filter(|value| value.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_then_applies_left_first() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translation(10.0, 5.0);
        assert_eq!(scale.then(&shift).apply(1.0, 1.0), (12.0, 7.0));
        assert_eq!(shift.then(&scale).apply(1.0, 1.0), (22.0, 12.0));
    }

    #[test]
    fn matrix_needs_six_finite_numbers() {
        assert!(Matrix::from_operands(&[Object::Integer(1)]).is_none());
        let operands: Vec<Object> = (0..6).map(Object::Integer).collect();
        assert!(Matrix::from_operands(&operands).is_some());
    }
}
