//! Where each word of a page's text stands on the page, so a viewer can box a hit on
//! the page's image.
//!
//! Words are drawn (by [`super::layout`] from the glyphs, by OCR from the picture) in
//! one order and the page's text is put together in another (columns, OCR lines
//! merged above or below the layer, hyphenated words rejoined). So the boxes are not
//! threaded through every step that builds the text: the drawn words are found in the
//! finished text afterwards, each text word taking the first unused drawn word that
//! spells it after the one its predecessor took. A word that no drawn word spells (a
//! rejoined hyphenation) simply has no box.
//!
//! Boxes are shares of the page as a viewer shows it (its visible area turned by
//! `/Rotate`), from the top left, so they lie over any rendering of it at any size.
//! [`encode`] packs them for the index at about six bytes a word.

use crate::hash::FastMap;

/// A word of the page's text and its box: `start..end` are byte offsets into the
/// text, `bbox` is `[left, top, right, bottom]` as shares of the upright page.
#[derive(Debug, Clone, PartialEq)]
pub struct WordBox {
    pub start: u32,
    pub end: u32,
    pub bbox: [f32; 4],
}

/// A word as drawn, before it is found in the text: what it spells and its box (in
/// default user space as [`super::layout`] gives it, as shares of the upright page
/// once [`to_shares`] has placed it).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnWord {
    pub text: String,
    pub bbox: [f32; 4],
}

/// A box `[x0 y0 x1 y1]` in default user space as shares of `area` (the visible page)
/// shown turned clockwise by `rotate` degrees, from the top left.
pub fn to_shares(bbox: [f32; 4], area: [f32; 4], rotate: i32) -> [f32; 4] {
    let (width, height) = ((area[2] - area[0]).max(1e-3), (area[3] - area[1]).max(1e-3));
    // Unturned, y down from the top.
    let u = |x: f32| (x - area[0]) / width;
    let v = |y: f32| (area[3] - y) / height;
    let corners = [(u(bbox[0]), v(bbox[3])), (u(bbox[2]), v(bbox[1]))];
    let turned = corners.map(|(u, v)| match rotate.rem_euclid(360) {
        90 => (1.0 - v, u),
        180 => (1.0 - u, 1.0 - v),
        270 => (v, 1.0 - u),
        _ => (u, v),
    });
    let [(ax, ay), (bx, by)] = turned;
    [ax.min(bx), ay.min(by), ax.max(bx), ay.max(by)].map(|share| share.clamp(0.0, 1.0))
}

/// Finds the drawn words in `text` (see the module's header).
pub fn align(text: &str, drawn: &[DrawnWord]) -> Vec<WordBox> {
    let mut by_text: FastMap<&str, Vec<usize>> = FastMap::default();
    for (index, word) in drawn.iter().enumerate() {
        by_text.entry(word.text.as_str()).or_default().push(index);
    }
    let mut used = vec![false; drawn.len()];
    let mut last = 0;
    let mut boxes = Vec::new();
    for (start, word) in text_words(text) {
        let Some(candidates) = by_text.get(word) else {
            continue;
        };
        let after = candidates
            .iter()
            .find(|&&index| index >= last && !used[index]);
        let Some(&index) = after.or_else(|| candidates.iter().find(|&&index| !used[index])) else {
            continue;
        };
        used[index] = true;
        last = index;
        boxes.push(WordBox {
            start: start as u32,
            end: (start + word.len()) as u32,
            bbox: drawn[index].bbox,
        });
    }
    boxes
}

/// The words of `text` (runs of anything but white space) with their byte offsets.
fn text_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .filter(|word| !word.is_empty())
        .map(move |word| (word.as_ptr() as usize - text.as_ptr() as usize, word))
}

/// The boxes of `words` again as drawn words, so they can be found in a text that
/// grew around `text` (OCR lines merged with the text layer).
pub fn redrawn(text: &str, words: &[WordBox]) -> Vec<DrawnWord> {
    words
        .iter()
        .filter_map(|word| {
            Some(DrawnWord {
                text: text
                    .get(word.start as usize..word.end as usize)?
                    .to_string(),
                bbox: word.bbox,
            })
        })
        .collect()
}

/// Steps a box edge is stored in: a box on the widest image drawn (1,600 pixels) is
/// placed to a pixel, and the width of a word of ordinary type fits in one byte.
const STEPS: f32 = 2047.0;

/// Packs the boxes of `text`'s words for the index. The words are `text`'s own (as
/// [`align`] gives them, in order), so a box is stored by the count of words before
/// it that have none, not by offsets. Per box, varints of: that count doubled, plus
/// one when the box stands on the last box's line (same top, same height); its left
/// edge from the last box's right edge; its width; and, off the line, its top from
/// the last top and its height from the last height. Signed steps are zigzag-coded.
/// A line of ordinary type costs three bytes a word.
pub fn encode(text: &str, words: &[WordBox]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(words.len() * 4);
    let mut tokens = text_words(text).map(|(start, _)| start as u32);
    let (mut right, mut top, mut height) = (0i64, 0i64, 0i64);
    for word in words {
        let Some(skipped) = tokens.position(|start| start == word.start) else {
            // Not a word of this text (it cannot happen with `align`'s boxes): the
            // rest would be misplaced, so they are left out.
            break;
        };
        let [x0, y0, x1, y1] = word
            .bbox
            .map(|share| (share.clamp(0.0, 1.0) * STEPS).round() as i64);
        let (x1, y1) = (x1.max(x0), y1.max(y0));
        let same_line = y0 == top && y1 - y0 == height;
        put(&mut bytes, ((skipped as u64) << 1) | u64::from(same_line));
        put(&mut bytes, zigzag(x0 - right));
        put(&mut bytes, (x1 - x0) as u64);
        if !same_line {
            put(&mut bytes, zigzag(y0 - top));
            put(&mut bytes, zigzag((y1 - y0) - height));
        }
        (right, top, height) = (x1, y0, y1 - y0);
    }
    bytes
}

/// Unpacks what [`encode`] packed for `text`; `None` when the bytes are cut short,
/// malformed or name more words than `text` has.
pub fn decode(text: &str, bytes: &[u8]) -> Option<Vec<WordBox>> {
    let mut rest = bytes;
    let mut next = || take(&mut rest);
    let mut tokens = text_words(text);
    let mut words = Vec::new();
    let (mut right, mut top, mut height) = (0i64, 0i64, 0i64);
    while let Some(head) = next() {
        let (start, word) = tokens.nth(usize::try_from(head >> 1).ok()?)?;
        let x0 = right.checked_add(unzigzag(next()?))?;
        let x1 = x0.checked_add(i64::try_from(next()?).ok()?)?;
        if head & 1 == 0 {
            top = top.checked_add(unzigzag(next()?))?;
            height = height.checked_add(unzigzag(next()?))?;
        }
        let share = |step: i64| (step as f32 / STEPS).clamp(0.0, 1.0);
        words.push(WordBox {
            start: start as u32,
            end: (start + word.len()) as u32,
            bbox: [share(x0), share(top), share(x1), share(top + height)],
        });
        right = x1;
    }
    rest.is_empty().then_some(words)
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

fn put(bytes: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

/// The varint at the front of `bytes`, which move past it; `None` at the end or when
/// the varint is cut short (then `bytes` are left non-empty or were empty).
fn take(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (at, shift) in (0..64).step_by(7).enumerate() {
        let byte = *bytes.get(at)?;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            *bytes = &bytes[at + 1..];
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(text: &str, left: f32) -> DrawnWord {
        DrawnWord {
            text: text.to_string(),
            bbox: [left, 0.1, left + 0.05, 0.12],
        }
    }

    #[test]
    fn words_are_found_in_the_text_in_order() {
        // Columns read in another order than drawn, and "the" twice.
        let words = [
            drawn("the", 0.6),
            drawn("right", 0.65),
            drawn("the", 0.1),
            drawn("left", 0.15),
        ];
        let text = "the left\nthe right co-\nop";
        let boxes = align(text, &words);
        let spelled: Vec<(&str, f32)> = boxes
            .iter()
            .map(|word| (&text[word.start as usize..word.end as usize], word.bbox[0]))
            .collect();
        assert_eq!(
            spelled,
            [("the", 0.6), ("left", 0.15), ("the", 0.1), ("right", 0.65)],
            "the first 'the' takes the first drawn; the second the one after 'left'"
        );
    }

    #[test]
    fn boxes_turn_with_the_page() {
        let area = [0.0, 0.0, 600.0, 800.0];
        let word = [60.0, 700.0, 120.0, 720.0];
        let close = |a: [f32; 4], b: [f32; 4]| a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-4);
        assert!(close(to_shares(word, area, 0), [0.1, 0.1, 0.2, 0.125]));
        // A quarter turn clockwise: the page's top edge becomes its right edge.
        assert!(close(to_shares(word, area, 90), [0.875, 0.1, 0.9, 0.2]));
        assert!(close(to_shares(word, area, 180), [0.8, 0.875, 0.9, 0.9]));
        assert!(close(to_shares(word, area, 270), [0.1, 0.8, 0.125, 0.9]));
    }

    #[test]
    fn boxes_survive_packing_to_a_step() {
        // A line of ten words, a word without a box, one at the foot of the page.
        let text = "aaaaa ".repeat(10) + "hyph- ation\nfoot";
        let mut words: Vec<WordBox> = (0..10)
            .map(|n| WordBox {
                start: n * 6,
                end: n * 6 + 5,
                bbox: [0.1 + n as f32 * 0.06, 0.05, 0.15 + n as f32 * 0.06, 0.07],
            })
            .collect();
        words.push(WordBox {
            start: 66,
            end: 71,
            bbox: [0.2, 0.05, 0.25, 0.07],
        });
        words.push(WordBox {
            start: 72,
            end: 76,
            bbox: [0.1, 0.9, 0.95, 1.0],
        });
        let packed = encode(&text, &words);
        assert!(packed.len() <= 4 * words.len(), "{} bytes", packed.len());
        let unpacked = decode(&text, &packed).expect("decodes");
        assert_eq!(unpacked.len(), words.len());
        for (before, after) in words.iter().zip(&unpacked) {
            assert_eq!((before.start, before.end), (after.start, after.end));
            for (a, b) in before.bbox.iter().zip(after.bbox) {
                assert!((a - b).abs() <= 0.5 / STEPS + 1e-6, "{a} vs {b}");
            }
        }
        assert_eq!(
            decode(&text, &packed[..packed.len() - 1]),
            None,
            "cut short"
        );
        assert_eq!(decode("aaaaa", &packed), None, "another text");
        assert_eq!(decode(&text, &[]), Some(Vec::new()));
    }
}
