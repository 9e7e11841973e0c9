//! Layout: positioned glyphs -> words -> lines -> page text.
//!
//! Glyphs are taken in content-stream order, which for the documents producers write
//! is reading order. A space goes where the gap between two glyphs is wider than a
//! fraction of the font size (many producers draw no space characters at all), a line
//! break where the baseline moves.

use super::interpreter::PlacedGlyph;

/// Thresholds for joining glyphs, each relative to the font size so they hold at any
/// scale (as pdfminer's LAParams).
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutParams {
    /// A horizontal gap wider than this fraction of the font size starts a new word.
    /// Kerning inside words stays well under 0.1 em; word spaces are about 0.25 em.
    pub word_gap: f32,
    /// A baseline shift larger than this fraction of the font size starts a new line;
    /// smaller shifts are superscripts and subscripts on the same line.
    pub line_shift: f32,
    /// A move back to the left by more than this fraction of the font size on the same
    /// baseline also separates words (text drawn out of order, table cells).
    pub backtrack: f32,
    /// Rejoin words hyphenated across a line break ("Depart-" / "ment"), as poppler
    /// does, so the whole word can be searched.
    pub join_hyphenated: bool,
}

impl Default for LayoutParams {
    fn default() -> Self {
        LayoutParams {
            word_gap: 0.15,
            line_shift: 0.5,
            backtrack: 0.5,
            join_hyphenated: true,
        }
    }
}

/// Joins a page's glyphs into text: lines separated by `\n`, no trailing spaces.
pub fn page_text(glyphs: &[PlacedGlyph], params: &LayoutParams) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut previous: Option<&PlacedGlyph> = None;
    for glyph in glyphs {
        if let Some(previous) = previous {
            let size = glyph.size.max(previous.size).max(1.0);
            // Positions are compared in the previous glyph's own frame: `along` its
            // baseline and `across` it, so rotated text reads like upright text.
            let (dx, dy) = previous.direction;
            let along = |x: f32, y: f32| x * dx + y * dy;
            let across = |x: f32, y: f32| y * dx - x * dy;
            let same_direction = glyph.direction.0 * dx + glyph.direction.1 * dy > 0.95;
            let shift = across(glyph.x, glyph.y) - across(previous.x, previous.y);
            if !same_direction || shift.abs() > params.line_shift * size {
                lines.push(std::mem::take(&mut line));
            } else {
                let start = along(glyph.x, glyph.y);
                let gap = start - along(previous.end_x, previous.end_y);
                let backwards = start < along(previous.x, previous.y) - params.backtrack * size;
                if (gap > params.word_gap * size || backwards) && !ends_with_space(&line) {
                    line.push(' ');
                }
            }
        }
        if !(glyph.text.trim().is_empty() && (line.is_empty() || ends_with_space(&line))) {
            line.push_str(&glyph.text);
        }
        previous = Some(glyph);
    }
    lines.push(line);
    let mut lines: Vec<String> = lines
        .iter()
        .map(|line| line.trim_end().to_string())
        .collect();
    if params.join_hyphenated {
        join_hyphenated(&mut lines);
    }
    let mut text = lines.join("\n");
    text.truncate(text.trim_end().len());
    text
}

/// Moves the first word of a line up to the previous line when that line ends in a
/// hyphen after a letter and the word starts in lower case: a word broken by
/// hyphenation, not a compound such as "Auditor-Controller".
fn join_hyphenated(lines: &mut [String]) {
    for index in 1..lines.len() {
        let (before, after) = lines.split_at_mut(index);
        let previous = &mut before[index - 1];
        let current = &mut after[0];
        let mut tail = previous.chars().rev();
        let hyphen = tail
            .next()
            .filter(|c| matches!(c, '-' | '\u{00AD}' | '\u{2010}'));
        let letter_before = tail.next().is_some_and(char::is_alphabetic);
        let lower_after = current.chars().next().is_some_and(char::is_lowercase);
        if let (Some(hyphen), true, true) = (hyphen, letter_before, lower_after) {
            let word_end = current.find(char::is_whitespace).unwrap_or(current.len());
            previous.truncate(previous.len() - hyphen.len_utf8());
            previous.push_str(&current[..word_end]);
            *current = current[word_end..].trim_start().to_string();
        }
    }
}

fn ends_with_space(line: &str) -> bool {
    line.ends_with(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f32, y: f32) -> PlacedGlyph {
        PlacedGlyph {
            text: text.to_string(),
            x,
            y,
            end_x: x + 6.0,
            end_y: y,
            direction: (1.0, 0.0),
            size: 12.0,
        }
    }

    /// A glyph on a baseline running up the page (text turned 90 degrees).
    fn rotated(text: &str, x: f32, y: f32) -> PlacedGlyph {
        PlacedGlyph {
            end_x: x,
            end_y: y + 6.0,
            direction: (0.0, 1.0),
            ..glyph(text, x, y)
        }
    }

    #[test]
    fn touching_glyphs_form_one_word() {
        let glyphs = [
            glyph("a", 0.0, 0.0),
            glyph("b", 6.0, 0.0),
            glyph("c", 12.5, 0.0),
        ];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "abc");
    }

    #[test]
    fn wide_gap_makes_a_space() {
        let glyphs = [glyph("a", 0.0, 0.0), glyph("b", 10.0, 0.0)];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "a b");
    }

    #[test]
    fn drawn_space_is_not_doubled() {
        let glyphs = [
            glyph("a", 0.0, 0.0),
            glyph(" ", 6.0, 0.0),
            glyph("b", 16.0, 0.0),
        ];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "a b");
    }

    #[test]
    fn baseline_move_breaks_line_but_superscript_does_not() {
        let glyphs = [
            glyph("x", 0.0, 100.0),
            glyph("2", 6.0, 104.0),
            glyph("y", 0.0, 86.0),
        ];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "x2\ny");
    }

    #[test]
    fn hyphenated_word_is_rejoined_but_compound_is_not() {
        let mut lines = vec![
            "by the Police Depart-".to_string(),
            "ment and the Auditor-".to_string(),
            "Controller".to_string(),
        ];
        join_hyphenated(&mut lines);
        assert_eq!(
            lines,
            ["by the Police Department", "and the Auditor-", "Controller"]
        );
    }

    #[test]
    fn rotated_text_reads_along_its_baseline() {
        let glyphs = [
            rotated("u", 100.0, 0.0),
            rotated("p", 100.0, 6.0),
            rotated("w", 100.0, 16.0),
            rotated("a", 100.0, 22.0),
            rotated("r", 86.0, 0.0),
        ];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "up wa\nr");
    }

    #[test]
    fn change_of_direction_starts_a_line() {
        let glyphs = [glyph("a", 0.0, 0.0), rotated("b", 6.0, 0.0)];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "a\nb");
    }

    #[test]
    fn jump_back_on_same_baseline_separates_words() {
        let glyphs = [glyph("b", 100.0, 0.0), glyph("a", 0.0, 0.0)];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "b a");
    }
}
