//! The content-stream interpreter: runs a page's operators (ISO 32000-1 9.3-9.4, 8.4)
//! and yields each shown glyph with its position on the page.
//!
//! It keeps the graphics state that moves text (CTM, text and line matrices, font,
//! size, spacing, scaling, rise) and follows Form XObjects. Painting is ignored.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Object, ObjectId};

use super::document::{Document, Resources};
use super::fonts::Font;

/// Forms nested deeper than this are not followed (a form that draws itself would
/// otherwise recurse forever).
pub(crate) const MAX_FORM_DEPTH: usize = 12;

/// Operators interpreted per page, across its forms: bounds hostile content streams.
const MAX_OPERATIONS: usize = 5_000_000;

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
}

/// An affine matrix `[a b c d e f]` (ISO 32000-1 8.3.3), applied to row vectors.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translation(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `other`.
    fn then(&self, other: &Matrix) -> Matrix {
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

    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
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

/// The parts of the graphics state that place text; saved by `q`, restored by `Q`.
#[derive(Clone)]
struct TextState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
    rise: f32,
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

struct Interpreter<'a> {
    document: &'a Document,
    glyphs: Vec<PlacedGlyph>,
    operations: usize,
    fonts: HashMap<ObjectId, Rc<Font>>,
}

/// All glyphs of a page, in content-stream order. A page whose content cannot be
/// decoded yields the glyphs read before the damage (often none).
pub fn page_glyphs(document: &Document, page_id: ObjectId) -> Vec<PlacedGlyph> {
    let mut interpreter = Interpreter {
        document,
        glyphs: Vec::new(),
        operations: 0,
        fonts: HashMap::new(),
    };
    if let Some(content) = document.page_content(page_id) {
        let resources = document.page_resources(page_id);
        interpreter.run(&content, &resources, Matrix::IDENTITY, 0);
    }
    interpreter.glyphs
}

impl<'a> Interpreter<'a> {
    fn run(&mut self, content: &[u8], resources: &Resources<'a>, ctm: Matrix, depth: usize) {
        let Ok(content) = Content::decode(content) else {
            return;
        };
        let mut state = TextState {
            ctm,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        let mut saved: Vec<TextState> = Vec::new();
        let mut position = TextPosition::default();
        let mut local_fonts: HashMap<Vec<u8>, Rc<Font>> = HashMap::new();

        for operation in &content.operations {
            self.operations += 1;
            if self.operations > MAX_OPERATIONS {
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
                _ => {}
            }
        }
    }

    /// Resolves a font resource, caching indirect fonts across the page's forms.
    fn font(
        &mut self,
        resources: &Resources<'a>,
        name: &[u8],
        local_fonts: &mut HashMap<Vec<u8>, Rc<Font>>,
    ) -> Option<Rc<Font>> {
        if let Some(font) = local_fonts.get(name) {
            return Some(Rc::clone(font));
        }
        let (id, object) = resources.lookup(self.document, b"Font", name)?;
        let dictionary = object.as_dict().ok()?;
        let font = match id.and_then(|id| self.fonts.get(&id)) {
            Some(font) => Rc::clone(font),
            None => {
                let font = Rc::new(Font::load(self.document, dictionary));
                if let Some(id) = id {
                    self.fonts.insert(id, Rc::clone(&font));
                }
                font
            }
        };
        local_fonts.insert(name.to_vec(), Rc::clone(&font));
        Some(font)
    }

    /// Tj/TJ: places each glyph and advances the text matrix (ISO 32000-1 9.4.4).
    fn show(&mut self, operands: &[Object], state: &TextState, text_matrix: &mut Matrix) {
        let Some(font) = state.font.clone() else {
            return;
        };
        let scale = state.horizontal_scale;
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
                        let (x, y) = rendering.apply(0.0, 0.0);
                        let (end_x, end_y) = rendering.apply(glyph.width, 0.0);
                        let [a, b, c, d, _, _] = rendering.0;
                        let length = a.hypot(b);
                        let direction = if length > f32::EPSILON {
                            (a / length, b / length)
                        } else {
                            (1.0, 0.0)
                        };
                        let is_space = glyph.length == 1 && glyph.code == 32;
                        let advance = (glyph.width * state.font_size
                            + state.char_spacing
                            + if is_space { state.word_spacing } else { 0.0 })
                            * scale;
                        *text_matrix = Matrix::translation(advance, 0.0).then(text_matrix);
                        if !glyph.text.is_empty() {
                            self.glyphs.push(PlacedGlyph {
                                text: glyph.text,
                                x,
                                y,
                                end_x,
                                end_y,
                                direction,
                                size: c.hypot(d),
                            });
                        }
                    }
                }
                Object::Array(items) => self.show(items, state, text_matrix),
                other => {
                    if let Some(adjustment) = number(other) {
                        // TJ numbers are thousandths of text space, subtracted (9.4.3).
                        let shift = -adjustment / 1000.0 * state.font_size * scale;
                        *text_matrix = Matrix::translation(shift, 0.0).then(text_matrix);
                    }
                }
            }
        }
    }

    /// Do: runs a Form XObject with its own matrix and resources (ISO 32000-1 8.10).
    fn form(&mut self, resources: &Resources<'a>, name: &[u8], state: &TextState, depth: usize) {
        let Some((_, object)) = resources.lookup(self.document, b"XObject", name) else {
            return;
        };
        let Ok(stream) = object.as_stream() else {
            return;
        };
        let is_form = stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form");
        if !is_form {
            return;
        }
        let Some(content) = self.document.stream_bytes(object) else {
            return;
        };
        let matrix = self
            .document
            .array_entry(&stream.dict, b"Matrix")
            .and_then(Matrix::from_operands)
            .unwrap_or(Matrix::IDENTITY);
        let own_resources = self.document.dict_entry(&stream.dict, b"Resources");
        let nested = resources.nested(own_resources);
        self.run(&content, &nested, matrix.then(&state.ctm), depth + 1);
    }
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
