//! Layout: positioned glyphs -> words -> lines -> page text.
//!
//! Glyphs are taken in content-stream order, which for the documents producers write
//! is reading order. A space goes where the gap between two glyphs is wider than a
//! fraction of the font size (many producers draw no space characters at all), a line
//! break where the baseline moves.

use super::interpreter::PlacedGlyph;
use super::paint::union;
use super::words::DrawnWord;
use crate::hash::FastMap;

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
    /// A gap wider than this fraction of the font size may be a column gutter or a
    /// cell border: the text on either side is kept apart until the reading order is
    /// known (pieces that stay together in that order are rejoined with a space, so a
    /// wide justified space costs nothing). Gutters can be as narrow as 1 em.
    pub column_gap: f32,
    /// Columns of running text are at least this many font sizes wide (a line of
    /// about 25 characters); narrower columns are a table's, read row by row.
    pub column_width: f32,
}

impl Default for LayoutParams {
    fn default() -> Self {
        LayoutParams {
            word_gap: 0.1,
            line_shift: 0.5,
            backtrack: 0.5,
            join_hyphenated: true,
            overprint: 0.1,
            column_gap: 0.6,
            column_width: 12.0,
        }
    }
}

/// Joins a page's glyphs into text: lines separated by `\n`, no trailing spaces.
/// Lines come in content-stream order, except that side-by-side columns of running
/// text are read one after the other (see [`column_order`]).
pub fn page_text(glyphs: &[PlacedGlyph], params: &LayoutParams) -> String {
    lines(segments(glyphs, params, None), params)
}

/// [`page_text`] and the words as drawn, each with its box in default user space,
/// in drawing order (for [`super::words::align`]).
pub fn page_text_and_words(
    glyphs: &[PlacedGlyph],
    params: &LayoutParams,
) -> (String, Vec<DrawnWord>) {
    let mut words = Vec::new();
    let segments = segments(glyphs, params, Some(&mut words));
    (lines(segments, params), words)
}

/// The segments put in reading order and joined into the page's text.
fn lines(segments: Vec<Segment>, params: &LayoutParams) -> String {
    let order = column_order(&segments, params).unwrap_or_else(|| (0..segments.len()).collect());
    let mut lines: Vec<String> = Vec::new();
    let mut previous: Option<usize> = None;
    for index in order {
        let segment = &segments[index];
        // A segment carries on its line only where it also followed in the stream.
        match lines.last_mut() {
            Some(line) if segment.joins_previous && previous == Some(index.wrapping_sub(1)) => {
                if !line.is_empty() && !segment.text.is_empty() {
                    line.push(' ');
                }
                line.push_str(&segment.text);
            }
            _ => lines.push(segment.text.clone()),
        }
        previous = Some(index);
    }
    if params.join_hyphenated {
        join_hyphenated(&mut lines);
    }
    let mut text = lines.join("\n");
    text.truncate(text.trim_end().len());
    text
}

/// A run of glyphs on one baseline with no gap wider than [`LayoutParams::column_gap`]:
/// a line, or the part of one that lies in one column or table cell.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    text: String,
    /// Extent along an upright baseline, and the baseline's height (page space).
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    /// Written left to right on an upright baseline (not rotated).
    upright: bool,
    /// Follows the previous segment on the same baseline, after a wide gap.
    joins_previous: bool,
}

/// Cuts the glyphs into [`Segment`]s: a new one where the baseline moves or turns, or
/// where a gap is wide enough to be a column gutter or a cell border.
fn segments(
    glyphs: &[PlacedGlyph],
    params: &LayoutParams,
    mut words: Option<&mut Vec<DrawnWord>>,
) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    // The word being drawn: where it starts in `line`, and its box so far.
    let mut word: Option<(usize, [f32; 4])> = None;
    fn end_word(
        words: &mut Option<&mut Vec<DrawnWord>>,
        word: &mut Option<(usize, [f32; 4])>,
        line: &str,
    ) {
        if let (Some(words), Some((start, bbox))) = (words.as_deref_mut(), word.take()) {
            if let Some(text) = line.get(start..).map(str::trim_end) {
                words.push(DrawnWord {
                    text: text.to_string(),
                    bbox,
                });
            }
        }
    }
    let mut line = String::new();
    let mut previous: Option<&PlacedGlyph> = None;
    // Moves between right-to-left letters on the current segment: (rightwards, leftwards).
    let mut right_to_left_moves = (0usize, 0usize);
    let mut current: Option<Segment> = None;
    let mut finish = |line: &mut String, moves: &mut (usize, usize), segment: Option<Segment>| {
        if let Some(mut segment) = segment {
            segment.text = finish_line(std::mem::take(line), *moves);
            segments.push(segment);
        }
        *moves = (0, 0);
    };
    let mut drawn = Drawn::default();
    for (index, glyph) in glyphs.iter().enumerate() {
        let overprint = is_overprint(glyphs, &drawn, index, params);
        drawn.add(glyph, index);
        if overprint {
            continue;
        }
        // Whether this glyph starts a segment, and if so whether that segment carries
        // on the previous one's line (after a wide gap) or starts a line.
        let mut starts = Some(false);
        if let Some(previous) = previous {
            let size = glyph.size.max(previous.size).max(1.0);
            // Positions are compared in the previous glyph's own frame: `along` its
            // baseline and `across` it, so rotated text reads like upright text.
            let (dx, dy) = previous.direction;
            let along = |x: f32, y: f32| x * dx + y * dy;
            let across = |x: f32, y: f32| y * dx - x * dy;
            let same_direction = glyph.direction.0 * dx + glyph.direction.1 * dy > 0.95;
            let shift = across(glyph.x, glyph.y) - across(previous.x, previous.y);
            if same_direction && shift.abs() <= params.line_shift * size {
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
                starts = (gap > params.column_gap * size && !backwards).then_some(true);
                if starts.is_none()
                    && (gap > params.word_gap * size || backwards)
                    && !ends_with_space(&line)
                {
                    end_word(&mut words, &mut word, &line);
                    line.push(' ');
                }
            }
        }
        if let Some(joins_previous) = starts {
            end_word(&mut words, &mut word, &line);
            finish(&mut line, &mut right_to_left_moves, current.take());
            current = Some(Segment {
                text: String::new(),
                x0: glyph.x.min(glyph.end_x),
                x1: glyph.x.max(glyph.end_x),
                y: glyph.y,
                size: glyph.size,
                upright: glyph.direction.0 > 0.95,
                joins_previous,
            });
        }
        if let Some(segment) = current.as_mut() {
            segment.x0 = segment.x0.min(glyph.x.min(glyph.end_x));
            segment.x1 = segment.x1.max(glyph.x.max(glyph.end_x));
            segment.size = segment.size.max(glyph.size);
        }
        let blank = glyph.text.trim().is_empty();
        if blank {
            end_word(&mut words, &mut word, &line);
        } else if words.is_some() {
            let bbox = glyph.ink_box();
            match word.as_mut() {
                Some((_, drawn)) => *drawn = union(*drawn, bbox),
                None => word = Some((line.len(), bbox)),
            }
        }
        if !(blank && (line.is_empty() || ends_with_space(&line))) {
            line.push_str(&glyph.text);
        }
        previous = Some(glyph);
    }
    end_word(&mut words, &mut word, &line);
    finish(&mut line, &mut right_to_left_moves, current.take());
    segments
}

/// Fewest lines that make a column.
const MIN_COLUMN_LINES: usize = 5;

/// The reading order of a page set in side-by-side columns of running text: each
/// column top to bottom, columns left to right, a line that spans the columns (a
/// title, a full-width figure caption) read where it stands between them. `None`
/// when the page is not in columns, and then content-stream order stands: it is what
/// the producer meant for tables and single-column text.
///
/// Columns are found by their left edges: at least [`MIN_COLUMN_LINES`] upright
/// lines start at each, the lines starting at one edge end before the next edge, the
/// columns are wide enough to hold running text ([`LayoutParams::column_width`]) and
/// they stand side by side rather than one above the other.
fn column_order(segments: &[Segment], params: &LayoutParams) -> Option<Vec<usize>> {
    let upright: Vec<usize> = (0..segments.len())
        .filter(|&index| segments[index].upright && !segments[index].text.is_empty())
        .collect();
    if upright.len() < 2 * MIN_COLUMN_LINES || upright.len() < segments.len() * 9 / 10 {
        return None;
    }
    let mut sizes: Vec<f32> = upright.iter().map(|&index| segments[index].size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2].max(1.0);
    let width = params.column_width * size;

    // Left edges shared by enough lines, left to right; an edge closer than a column
    // width to the one before it (a paragraph indent) belongs to that column.
    let mut starts: Vec<f32> = upright.iter().map(|&index| segments[index].x0).collect();
    starts.sort_by(f32::total_cmp);
    let mut edges: Vec<f32> = Vec::new();
    let mut run_start = 0;
    for end in 1..=starts.len() {
        if end == starts.len() || starts[end] - starts[run_start] > size {
            let edge = starts[run_start];
            let enough = end - run_start >= MIN_COLUMN_LINES;
            if enough && edges.last().is_none_or(|&last| edge - last >= width) {
                edges.push(edge);
            }
            run_start = end;
        }
    }
    if edges.len() < 2 {
        return None;
    }
    // The column of each upright line, or `None` when it crosses into the next column.
    let column_of = |segment: &Segment| -> Option<usize> {
        let column = edges.iter().rposition(|&edge| segment.x0 >= edge - size)?;
        let next = edges.get(column + 1).copied().unwrap_or(f32::INFINITY);
        (segment.x1 <= next - 0.3 * size).then_some(column)
    };
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
    for &index in &upright {
        if let Some(column) = column_of(&segments[index]) {
            members[column].push(index);
        }
    }
    // A line may be cut at a wide justified space: its width runs to the end of the
    // pieces that follow it in the same column.
    let line_width = |lines: &[usize], at: usize| {
        let mut end = segments[lines[at]].x1;
        for pair in lines[at..].windows(2) {
            if pair[1] != pair[0] + 1 || !segments[pair[1]].joins_previous {
                break;
            }
            end = segments[pair[1]].x1;
        }
        end - segments[lines[at]].x0
    };
    let holds = members.iter().all(|lines| {
        let mut widths: Vec<f32> = (0..lines.len())
            .filter(|&at| {
                at == 0 || lines[at] != lines[at - 1] + 1 || !segments[lines[at]].joins_previous
            })
            .map(|at| line_width(lines, at))
            .collect();
        widths.sort_by(f32::total_cmp);
        lines.len() >= MIN_COLUMN_LINES && widths[widths.len() / 2] >= width
    });
    // Lowest and highest baseline of each column.
    let extents: Vec<(f32, f32)> = members
        .iter()
        .map(|lines| {
            lines
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(low, high), &index| {
                    (low.min(segments[index].y), high.max(segments[index].y))
                })
        })
        .collect();
    let side_by_side = extents.windows(2).all(|pair| {
        let ((low_a, high_a), (low_b, high_b)) = (pair[0], pair[1]);
        let overlap = high_a.min(high_b) - low_a.max(low_b);
        overlap > 0.5 * (high_a - low_a).min(high_b - low_b)
    });
    if !holds || !side_by_side {
        return None;
    }

    // The columns run side by side from the top of the lowest-starting one down to
    // the bottom of the lowest-ending one. A line of one column above that (a running
    // head, a date line at the top right) is read like a line that spans the columns:
    // where it stands, not as part of its column.
    let zone_top = extents.iter().map(|e| e.1).fold(f32::INFINITY, f32::min) + 0.5 * size;
    let zone_bottom = extents.iter().map(|e| e.0).fold(f32::INFINITY, f32::min) - 0.5 * size;
    let mut in_columns = vec![false; segments.len()];
    for lines in &mut members {
        lines.retain(|&index| (zone_bottom..=zone_top).contains(&segments[index].y));
        for &index in lines.iter() {
            in_columns[index] = true;
        }
    }

    // Lines outside the columns cut the page into bands, read top to bottom; in a
    // band, each column top to bottom.
    let top_down = |index: &usize| {
        let segment = &segments[*index];
        (
            (-segment.y / (0.5 * size)).round() as i64,
            segment.x0 as i64,
        )
    };
    let mut spanning: Vec<usize> = upright
        .iter()
        .copied()
        .filter(|&index| !in_columns[index])
        .collect();
    spanning.sort_by_key(top_down);
    let mut order = Vec::with_capacity(segments.len());
    let mut above = f32::INFINITY;
    for cut in spanning.iter().map(Some).chain([None]) {
        let below = cut.map_or(f32::NEG_INFINITY, |&index| segments[index].y);
        for lines in &members {
            let mut band: Vec<usize> = lines
                .iter()
                .copied()
                .filter(|&index| segments[index].y < above && segments[index].y >= below)
                .collect();
            band.sort_by_key(top_down);
            order.extend(band);
        }
        if let Some(&index) = cut {
            order.push(index);
        }
        above = below;
    }
    // Anything else (empty or rotated segments) keeps its place after the columns.
    let mut placed = vec![false; segments.len()];
    for &index in &order {
        placed[index] = true;
    }
    order.extend((0..segments.len()).filter(|&index| !placed[index]));
    Some(order)
}

/// How many earlier glyphs a duplicate is looked for among: producers that fake bold
/// redraw each glyph right after the first drawing; map and chart makers draw a
/// whole label twice (a halo, then the text) or a line twice.
const OVERPRINT_LOOKBACK: usize = 160;

/// Whether glyph `index` redraws one of the [`OVERPRINT_LOOKBACK`] glyphs before it
/// (`drawn` holds those before it).
fn is_overprint(
    glyphs: &[PlacedGlyph],
    drawn: &Drawn,
    index: usize,
    params: &LayoutParams,
) -> bool {
    let glyph = &glyphs[index];
    if glyph.text.trim().is_empty() {
        return false;
    }
    let tolerance = params.overprint * glyph.size.max(1.0);
    let near = |earlier: &PlacedGlyph, tolerance: f32| {
        (earlier.x - glyph.x).abs() <= tolerance && (earlier.y - glyph.y).abs() <= tolerance
    };
    let redraws = |earlier: &PlacedGlyph| {
        // Never closer than a third of an advance: "ll" in a condensed font is two
        // letters, not one drawn twice.
        let advance = (earlier.end_x - earlier.x).hypot(earlier.end_y - earlier.y);
        near(earlier, tolerance)
            && (advance <= 0.0 || near(earlier, advance / 3.0))
            && earlier.text == glyph.text
    };
    let first = index.saturating_sub(OVERPRINT_LOOKBACK);
    drawn
        .any_near((glyph.x, glyph.y), tolerance, first, |earlier| {
            redraws(&glyphs[earlier])
        })
        .unwrap_or_else(|| glyphs[first..index].iter().any(redraws))
}

/// The page's glyphs that are not blank, by the [`Drawn::CELL`]-point cell their
/// origin lies in: the look-back for an overprint runs for every glyph and almost
/// always finds nothing, so it reads the few cells around a glyph rather than the
/// [`OVERPRINT_LOOKBACK`] glyphs before it.
#[derive(Default)]
struct Drawn {
    cells: FastMap<(i32, i32), Vec<usize>>,
}

impl Drawn {
    const CELL: f32 = 2.0;
    /// Cells read at most; a glyph whose tolerance spans more (huge type) is
    /// compared with the glyphs before it one by one.
    const MAX_CELLS: i64 = 64;

    /// Truncated, not floored (a call into libm on x86-64): the cell around zero is
    /// twice as wide, which is harmless, as cells only narrow the search.
    fn cell(value: f32) -> i32 {
        (value / Self::CELL) as i32
    }

    fn add(&mut self, glyph: &PlacedGlyph, index: usize) {
        if !glyph.text.trim().is_empty() {
            let cell = (Self::cell(glyph.x), Self::cell(glyph.y));
            self.cells.entry(cell).or_default().push(index);
        }
    }

    /// Whether `test` holds for a glyph from index `first` on whose origin may lie
    /// within `tolerance` of `origin` both ways; `None` when that spans too many cells.
    fn any_near(
        &self,
        (x, y): (f32, f32),
        tolerance: f32,
        first: usize,
        mut test: impl FnMut(usize) -> bool,
    ) -> Option<bool> {
        // Widened a little so rounding at a cell's edge cannot leave a glyph out.
        let reach = tolerance * 1.001 + 0.001;
        let (x0, x1) = (Self::cell(x - reach), Self::cell(x + reach));
        let (y0, y1) = (Self::cell(y - reach), Self::cell(y + reach));
        let span = |from: i32, to: i32| i64::from(to) - i64::from(from) + 1;
        if span(x0, x1) * span(y0, y1) > Self::MAX_CELLS {
            return None;
        }
        let found = (y0..=y1).any(|row| {
            (x0..=x1).any(|column| {
                self.cells.get(&(column, row)).is_some_and(|indices| {
                    // Indices rise along a list: the look-back stops at `first`.
                    indices
                        .iter()
                        .rev()
                        .take_while(|&&earlier| earlier >= first)
                        .any(|&earlier| test(earlier))
                })
            })
        });
        Some(found)
    }
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
        PlacedGlyph::across(text, x, y, 12.0)
    }

    /// One glyph per character of `text`, 6 points apart, from `x` on baseline `y`.
    fn words(text: &str, x: f32, y: f32) -> Vec<PlacedGlyph> {
        text.chars()
            .enumerate()
            .map(|(index, c)| glyph(&c.to_string(), x + 6.0 * index as f32, y))
            .collect()
    }

    /// Six lines of two side-by-side columns, drawn line by line across both.
    fn two_columns_drawn_across() -> Vec<PlacedGlyph> {
        (0..6)
            .flat_map(|line| {
                let y = 700.0 - 14.0 * line as f32;
                let mut glyphs = words(&format!("left column, line {line} of its text"), 50.0, y);
                glyphs.extend(words(
                    &format!("right column, line {line} of the text"),
                    320.0,
                    y,
                ));
                glyphs
            })
            .collect()
    }

    #[test]
    fn side_by_side_columns_are_read_one_after_the_other() {
        let text = page_text(&two_columns_drawn_across(), &LayoutParams::default());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 12, "{text}");
        assert!(
            lines[..6]
                .iter()
                .all(|line| line.starts_with("left column")),
            "{text}"
        );
        assert!(
            lines[6..]
                .iter()
                .all(|line| line.starts_with("right column")),
            "{text}"
        );
        assert_eq!(lines[5], "left column, line 5 of its text");
    }

    #[test]
    fn a_running_head_above_the_columns_comes_first() {
        let mut glyphs = two_columns_drawn_across();
        glyphs.extend(words("Vol. 85, No. 152", 320.0, 740.0));
        let text = page_text(&glyphs, &LayoutParams::default());
        assert!(
            text.starts_with("Vol. 85, No. 152\nleft column, line 0"),
            "{text}"
        );
    }

    #[test]
    fn table_rows_stay_rows() {
        let glyphs: Vec<PlacedGlyph> = (0..6)
            .flat_map(|row| {
                (0..3).flat_map(move |cell| {
                    words(
                        &format!("r{row}c{cell}"),
                        50.0 + 80.0 * cell as f32,
                        700.0 - 14.0 * row as f32,
                    )
                })
            })
            .collect();
        let text = page_text(&glyphs, &LayoutParams::default());
        assert!(
            text.starts_with("r0c0 r0c1 r0c2\nr1c0 r1c1 r1c2\n"),
            "{text}"
        );
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
    fn overprints_found_through_cells_are_those_a_scan_of_every_earlier_glyph_finds() {
        // Glyphs scattered over a small area around the origin (cell edges and zero
        // crossed), in few letters and sizes up to huge, so redraws are common.
        let mut seed = 12345u32;
        let mut next = |range: f32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) as f32 / (1u32 << 24) as f32 * range
        };
        let glyphs: Vec<PlacedGlyph> = (0..3000)
            .map(|_| {
                let letter = ["a", "b", " "][(next(3.0) as usize).min(2)];
                let size = [1.0, 12.0, 800.0][(next(3.0) as usize).min(2)];
                PlacedGlyph::across(letter, next(20.0) - 10.0, next(20.0) - 10.0, size)
            })
            .collect();
        let params = LayoutParams::default();
        let scanned = |index: usize| {
            let glyph = &glyphs[index];
            let tolerance = params.overprint * glyph.size.max(1.0);
            let near = |earlier: &PlacedGlyph, tolerance: f32| {
                (earlier.x - glyph.x).abs() <= tolerance && (earlier.y - glyph.y).abs() <= tolerance
            };
            !glyph.text.trim().is_empty()
                && glyphs[index.saturating_sub(OVERPRINT_LOOKBACK)..index]
                    .iter()
                    .any(|earlier| {
                        let advance = (earlier.end_x - earlier.x).hypot(earlier.end_y - earlier.y);
                        near(earlier, tolerance)
                            && (advance <= 0.0 || near(earlier, advance / 3.0))
                            && earlier.text == glyph.text
                    })
        };
        let mut drawn = Drawn::default();
        let mut found = 0;
        for (index, glyph) in glyphs.iter().enumerate() {
            let overprint = is_overprint(&glyphs, &drawn, index, &params);
            assert_eq!(overprint, scanned(index), "glyph {index}");
            found += usize::from(overprint);
            drawn.add(glyph, index);
        }
        assert!(found > 100, "{found} overprints: the case is too easy");
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
