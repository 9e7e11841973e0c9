//! What a page paints, in order: the paint log the redaction check reads
//! ([`super::redactions`]). The interpreter appends a [`Paint`] for every fill, image
//! and annotation mark, and gives every glyph its [`Ink`]; the order is one sequence
//! number shared by both, so "what was painted over this glyph" is a comparison.

/// How a glyph was painted.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ink {
    /// Position in the page's painting order, shared with [`Paint::seq`].
    pub seq: u32,
    /// Fill colour, each channel 0 to 1; `None` when it cannot be told (a pattern).
    pub rgb: Option<[f32; 3]>,
    /// Text render mode 3 or 7: drawn invisibly (an OCR layer, or clipping only).
    pub invisible: bool,
    /// The clip in force, as a box in default user space.
    pub clip: Option<[f32; 4]>,
    /// Inside optional content that is off by default (a hidden layer).
    pub hidden_layer: bool,
}

/// A fill, image or annotation mark, in default user space.
#[derive(Debug, Clone, PartialEq)]
pub struct Paint {
    /// Position in the page's painting order, shared with [`Ink::seq`].
    pub seq: u32,
    pub shape: Shape,
    /// Box of the shape, before clipping.
    pub bounds: [f32; 4],
    /// Fill colour (for an image mask, the colour it paints), each channel 0 to 1.
    pub rgb: Option<[f32; 3]>,
    /// Whether it covers what lies beneath: constant alpha of 0.9 or more, no soft
    /// mask, and a blend mode that keeps a dark colour dark (Normal, Multiply).
    pub opaque: bool,
    /// Constant alpha 0: drawn but not seen (some mail programs put one under every
    /// header line).
    pub invisible: bool,
    /// The clip in force, as a box in default user space.
    pub clip: Option<[f32; 4]>,
    /// Drawn by an annotation's appearance, or the annotation itself.
    pub annotation: Option<Annotation>,
    /// Inside optional content that is off by default.
    pub hidden_layer: bool,
}

/// What a paint is.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A filled path: its subpaths as polygons (curves flattened), whether the
    /// even-odd rule fills it, and whether it is made of `re` rectangles only.
    Fill {
        subpaths: Vec<Vec<(f32, f32)>>,
        even_odd: bool,
        rectangles: bool,
    },
    /// The image at this index of [`super::interpreter::PageMarks::images`].
    Image(usize),
    /// An annotation drawn by the viewer rather than by an appearance stream: its
    /// rectangle or quadrilaterals.
    Area(Vec<[f32; 4]>),
}

/// The annotation kinds a redaction check tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Annotation {
    /// `/Redact`: marked for redaction, not applied (ISO 32000-1 12.5.6.23).
    Redact,
    /// `/Highlight`, `/Square`, `/Polygon`, `/Ink`, `/FreeText`: marks a reader may
    /// have used as a box.
    Markup,
    /// Any other annotation's appearance (a stamp, a form field).
    Other,
}

impl Paint {
    /// The box the paint can cover: its bounds within its clip; `None` when nothing
    /// of it shows.
    pub fn visible_box(&self) -> Option<[f32; 4]> {
        match self.clip {
            Some(clip) => intersection(self.bounds, clip),
            None => Some(self.bounds),
        }
    }
}

/// The overlap of two boxes `[x0 y0 x1 y1]`, `None` when they do not overlap.
pub fn intersection(a: [f32; 4], b: [f32; 4]) -> Option<[f32; 4]> {
    let overlap = [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ];
    (overlap[0] < overlap[2] && overlap[1] < overlap[3]).then_some(overlap)
}

/// The box `[x0 y0 x1 y1]` around `points` (inverted infinite when there are none;
/// points that are not numbers are passed over).
pub fn points_box(points: impl IntoIterator<Item = (f32, f32)>) -> [f32; 4] {
    points.into_iter().fold(
        [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ],
        |rect, (x, y)| {
            [
                rect[0].min(x),
                rect[1].min(y),
                rect[2].max(x),
                rect[3].max(y),
            ]
        },
    )
}

/// Area of a box.
pub fn area(rect: [f32; 4]) -> f32 {
    (rect[2] - rect[0]).max(0.0) * (rect[3] - rect[1]).max(0.0)
}

/// The smallest box holding both.
pub fn union(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}
