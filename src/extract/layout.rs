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
    /// Kerning inside words stays under 0.1 em; word spaces are about 0.25 em, and
    /// tight justified lines bring them down to about 0.14 em. poppler's
    /// `minWordBreakSpace` and pdfminer's `word_margin` are 0.1 too.
    pub word_gap: f32,
    /// A baseline shift larger than this fraction of the font size starts a new line;
    /// smaller shifts are superscripts and subscripts on the same line.
    pub line_shift: f32,
    /// A move back to the left by more than this fraction of the font size on the same
    /// baseline also separates words (text drawn out of order, table cells).
    pub backtrack: f32,
    /// A glyph drawn again with the same text within this fraction of the font size
    /// of where it was drawn among the last few glyphs is a duplicate (fake bold,
    /// shadow effects) and is dropped.
    pub overprint: f32,
    /// Rejoin words hyphenated across a line break ("Depart-" / "ment"), as poppler
    /// does, so the whole word can be searched.
    pub join_hyphenated: bool,
}

impl Default for LayoutParams {
    fn default() -> Self {
        LayoutParams {
            word_gap: 0.1,
            line_shift: 0.5,
            backtrack: 0.5,
            join_hyphenated: true,
            overprint: 0.1,
        }
    }
}

/// Joins a page's glyphs into text: lines separated by `\n`, no trailing spaces.
pub fn page_text(glyphs: &[PlacedGlyph], params: &LayoutParams) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut previous: Option<&PlacedGlyph> = None;
    // Moves between right-to-left letters on the current line: (rightwards, leftwards).
    let mut right_to_left_moves = (0usize, 0usize);
    for (index, glyph) in glyphs.iter().enumerate() {
        if is_overprint(glyphs, index, params) {
            continue;
        }
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
                lines.push(finish_line(std::mem::take(&mut line), right_to_left_moves));
                right_to_left_moves = (0, 0);
            } else {
                let start = along(glyph.x, glyph.y);
                let mut gap = start - along(previous.end_x, previous.end_y);
                let mut backwards = start < along(previous.x, previous.y) - params.backtrack * size;
                if glyph.text.chars().all(is_right_to_left)
                    && previous.text.chars().all(is_right_to_left)
                {
                    // Right-to-left letters may be drawn in reading order, each to the
                    // left of the one before: then the gap is measured the other way.
                    if start < along(previous.x, previous.y) {
                        right_to_left_moves.1 += 1;
                        gap = along(previous.x, previous.y) - along(glyph.end_x, glyph.end_y);
                        backwards = false;
                    } else {
                        right_to_left_moves.0 += 1;
                    }
                }
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
    lines.push(finish_line(line, right_to_left_moves));
    if params.join_hyphenated {
        join_hyphenated(&mut lines);
    }
    let mut text = lines.join("\n");
    text.truncate(text.trim_end().len());
    text
}

/// How many earlier glyphs a duplicate is looked for among: producers that fake bold
/// redraw each glyph right after the first drawing; map and chart makers draw a
/// whole label twice (a halo, then the text) or a line twice.
const OVERPRINT_LOOKBACK: usize = 160;

fn is_overprint(glyphs: &[PlacedGlyph], index: usize, params: &LayoutParams) -> bool {
    let glyph = &glyphs[index];
    if glyph.text.trim().is_empty() {
        return false;
    }
    let tolerance = params.overprint * glyph.size.max(1.0);
    glyphs[index.saturating_sub(OVERPRINT_LOOKBACK)..index]
        .iter()
        .any(|earlier| {
            // Cheap position test first: most earlier glyphs are elsewhere.
            let near = |tolerance: f32| {
                (earlier.x - glyph.x).abs() <= tolerance && (earlier.y - glyph.y).abs() <= tolerance
            };
            if !near(tolerance) {
                return false;
            }
            // Never closer than a third of an advance: "ll" in a condensed font is two
            // letters, not one drawn twice.
            let advance = (earlier.end_x - earlier.x).hypot(earlier.end_y - earlier.y);
            (advance <= 0.0 || near(advance / 3.0)) && earlier.text == glyph.text
        })
}

/// Trims a finished line and, when its right-to-left letters were drawn left to right
/// (as seen on the page), puts them into reading order.
fn finish_line(line: String, right_to_left_moves: (usize, usize)) -> String {
    let (rightwards, leftwards) = right_to_left_moves;
    let line = line.trim_end();
    if rightwards > leftwards {
        logical_order(line)
    } else {
        line.to_string()
    }
}

/// Puts right-to-left runs (Hebrew, Arabic) into reading order. Producers draw them
/// left to right as they appear on the page, so a run of right-to-left words comes
/// out mirrored; reversing the run restores letters and word order. Digits and Latin
/// text around the run stay as they are.
fn logical_order(line: &str) -> String {
    if !line.chars().any(is_right_to_left) {
        return line.to_string();
    }
    let words: Vec<&str> = line.split(' ').collect();
    let mut ordered: Vec<String> = Vec::with_capacity(words.len());
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, ordered: &mut Vec<String>| {
        let joined = run.join(" ");
        if !joined.is_empty() {
            ordered.push(joined.chars().rev().collect());
        }
        run.clear();
    };
    for word in words {
        let right_to_left = word.chars().any(is_right_to_left)
            && word
                .chars()
                .all(|c| is_right_to_left(c) || !c.is_alphanumeric());
        if right_to_left {
            run.push(word);
        } else {
            flush(&mut run, &mut ordered);
            ordered.push(word.to_string());
        }
    }
    flush(&mut run, &mut ordered);
    ordered.join(" ")
}

/// Letters of the Hebrew and Arabic scripts, with their presentation forms.
fn is_right_to_left(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
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
    fn overprinted_glyphs_are_dropped() {
        let glyphs = [
            glyph("B", 0.0, 0.0),
            glyph("B", 0.5, 0.0),
            glyph("o", 6.0, 0.0),
            glyph("o", 6.5, 0.0),
            glyph("o", 12.0, 0.0),
        ];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "Boo");
    }

    #[test]
    fn right_to_left_runs_are_reversed_into_reading_order() {
        // Drawn left to right as seen: "םולש" then "ץרא", then a number.
        assert_eq!(logical_order("ץרא םולש 2024"), "שלום ארץ 2024");
        assert_eq!(logical_order("plain text"), "plain text");
    }

    #[test]
    fn right_to_left_letters_drawn_in_reading_order_stay_as_drawn() {
        // "שלום" drawn from the right: each letter left of the one before.
        let glyphs = [
            glyph("ש", 24.0, 0.0),
            glyph("ל", 18.0, 0.0),
            glyph("ו", 12.0, 0.0),
            glyph("ם", 6.0, 0.0),
        ];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "שלום");
        let mirrored: Vec<PlacedGlyph> = ["ם", "ו", "ל", "ש"]
            .iter()
            .enumerate()
            .map(|(index, letter)| glyph(letter, 6.0 * index as f32, 0.0))
            .collect();
        assert_eq!(page_text(&mirrored, &LayoutParams::default()), "שלום");
    }

    #[test]
    fn jump_back_on_same_baseline_separates_words() {
        let glyphs = [glyph("b", 100.0, 0.0), glyph("a", 0.0, 0.0)];
        assert_eq!(page_text(&glyphs, &LayoutParams::default()), "b a");
    }
}
