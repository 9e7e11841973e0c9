//! Near-identical pages: a sketch of a page's wording that two pages share in
//! proportion to the runs of words they share, so a dump's many copies of one page
//! (a born-digital invoice and its scan, one e-mail chain in ten releases) are found
//! without comparing every page with every other. Pages -> sketches, kept at ingest;
//! groups are made from the sketches when asked for.
//!
//! The sketch is a one-permutation MinHash (Li, Owen and Zhang, 2012) over the page's
//! shingles of [`SHINGLE`] words: each shingle is hashed once, the hashes are split by
//! their top bits into [`SLOTS`] bins, and the least of each bin is kept (16 bits of
//! it). An empty bin takes the value of the next filled one, shifted by how far it
//! reached (rotation densification, Shrivastava 2017), so every slot is filled. The
//! share of slots two sketches agree on estimates the Jaccard similarity of their
//! shingle sets. OCR slips change a few shingles, not most; a shared letterhead is a
//! small share of a page's shingles.

use crate::hash::FastMap;

/// Slots of a sketch: 128 bytes a page, kept as [`WORDS`] numbers.
pub const SLOTS: usize = 64;
/// Words in a shingle.
const SHINGLE: usize = 3;
/// Fewer shingles than this (a blank page, a cover sheet's few words) make no sketch:
/// such pages are alike without repeating each other.
const MIN_SHINGLES: usize = 8;
/// Estimated share of shingles two pages must share to be near-identical. A page and
/// its scan share 84-100% on the corpus; two filings of one form with different
/// narratives (pdfplumber's Wisconsin child-death reports) 67%.
pub const NEAR_IDENTICAL: f32 = 0.7;
/// Bands of [`BAND`] slots the candidate pairs are found by: two sketches that agree
/// on a whole band are compared. With 21 bands of 3, pages sharing 70% of their
/// shingles meet in at least one band all but once in 50,000 times, pages sharing
/// half 94% of the time, pages sharing a fifth 15% (and are then told apart).
const BANDS: usize = 21;
const BAND: usize = 3;

/// A page's sketch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sketch([u16; SLOTS]);

impl Sketch {
    /// The sketch of a page's text; `None` for a page of too few words.
    pub fn of(text: &str) -> Option<Sketch> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.len() < SHINGLE + MIN_SHINGLES - 1 {
            return None;
        }
        let mut least = [u64::MAX; SLOTS];
        for shingle in words.windows(SHINGLE) {
            let hash = mix(shingle.iter().fold(FNV_OFFSET, |hash, word| {
                // A separator after each word: ("ab", "c") is not ("a", "bc").
                word.bytes().chain([0xff]).fold(hash, |hash, byte| {
                    (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
                })
            }));
            let slot = (hash >> (64 - SLOTS.trailing_zeros())) as usize;
            let rest = hash << SLOTS.trailing_zeros();
            least[slot] = least[slot].min(rest);
        }
        let mut slots = [0u16; SLOTS];
        for (slot, value) in slots.iter_mut().enumerate() {
            // The next filled bin, cyclically; one exists, as there are shingles.
            let (reach, filled) = (0..SLOTS)
                .map(|reach| (reach, least[(slot + reach) % SLOTS]))
                .find(|&(_, value)| value != u64::MAX)
                .unwrap_or((0, 0));
            *value = ((filled >> 48) as u16).wrapping_add((reach as u16).wrapping_mul(0x9e37));
        }
        Some(Sketch(slots))
    }

    /// Estimated share of shingles the two pages share, 0 to 1.
    pub fn similarity(&self, other: &Sketch) -> f32 {
        let agree = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        agree as f32 / SLOTS as f32
    }

    /// The sketch as the index keeps it: [`WORDS`] numbers of three slots each, with
    /// the slots' place in the top bits, as a multi-valued field need not keep order.
    pub fn to_words(&self) -> Vec<u64> {
        self.0
            .chunks(3)
            .enumerate()
            .map(|(place, slots)| {
                let payload = slots
                    .iter()
                    .fold(0, |word, &slot| (word << 16) | u64::from(slot));
                ((place as u64) << 48) | payload
            })
            .collect()
    }

    /// A sketch from the numbers [`Sketch::to_words`] made, in any order; `None` for
    /// numbers that are not one.
    pub fn from_words(words: impl IntoIterator<Item = u64>) -> Option<Sketch> {
        let mut slots = [0u16; SLOTS];
        let mut seen = [false; WORDS];
        for word in words {
            let place = (word >> 48) as usize;
            if place >= WORDS || std::mem::replace(&mut seen[place], true) {
                return None;
            }
            let count = (SLOTS - 3 * place).min(3);
            for (at, slot) in slots[3 * place..3 * place + count].iter_mut().enumerate() {
                *slot = (word >> (16 * (count - 1 - at))) as u16;
            }
        }
        seen.iter().all(|&seen| seen).then_some(Sketch(slots))
    }
}

/// Numbers a stored sketch takes.
pub const WORDS: usize = SLOTS.div_ceil(3);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// splitmix64's finaliser: spreads FNV's clustered low bits over the whole word, so
/// the top bits choose a bin evenly.
fn mix(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// Groups of near-identical pages among `sketches` (by position in it), each of two or
/// more positions in rising order, groups ordered by their first position. A page is
/// in a group when it is near-identical to one of the group's pages.
pub fn groups(sketches: &[Option<Sketch>]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..sketches.len()).collect();
    fn root(parent: &mut [usize], mut at: usize) -> usize {
        while parent[at] != at {
            parent[at] = parent[parent[at]];
            at = parent[at];
        }
        at
    }
    fn join(parent: &mut [usize], a: usize, b: usize) {
        let (a, b) = (root(parent, a), root(parent, b));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    // Copies with one sketch are joined at once; only distinct sketches are banded,
    // so a thousand copies of one page make one bucket entry, not a million pairs.
    let mut first_of: FastMap<&Sketch, usize> = FastMap::default();
    let mut distinct: Vec<usize> = Vec::new();
    for (position, sketch) in sketches.iter().enumerate() {
        let Some(sketch) = sketch else {
            continue;
        };
        match first_of.get(sketch) {
            Some(&first) => join(&mut parent, first, position),
            None => {
                first_of.insert(sketch, position);
                distinct.push(position);
            }
        }
    }
    let mut buckets: FastMap<(usize, [u16; BAND]), Vec<usize>> = FastMap::default();
    for &position in &distinct {
        let Some(sketch) = &sketches[position] else {
            continue;
        };
        for band in 0..BANDS {
            let mut key = [0u16; BAND];
            key.copy_from_slice(&sketch.0[band * BAND..(band + 1) * BAND]);
            buckets.entry((band, key)).or_default().push(position);
        }
    }
    let mut keys: Vec<&(usize, [u16; BAND])> = buckets.keys().collect();
    keys.sort_unstable();
    for key in keys {
        let members = &buckets[key];
        for (later, &b) in members.iter().enumerate().skip(1) {
            for &a in &members[..later] {
                if root(&mut parent, a) == root(&mut parent, b) {
                    continue;
                }
                if let (Some(x), Some(y)) = (&sketches[a], &sketches[b]) {
                    if x.similarity(y) >= NEAR_IDENTICAL {
                        join(&mut parent, a, b);
                    }
                }
            }
        }
    }
    let mut by_root: FastMap<usize, Vec<usize>> = FastMap::default();
    for (position, sketch) in sketches.iter().enumerate() {
        if sketch.is_some() {
            let group = root(&mut parent, position);
            by_root.entry(group).or_default().push(position);
        }
    }
    let mut found: Vec<Vec<usize>> = by_root
        .into_values()
        .filter(|group| group.len() > 1)
        .collect();
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "This letter is in response to your Freedom of Information Act \
        request for records on automated license plate readers purchased by the county \
        sheriff from Vigilant Solutions between 2016 and 2019, including contracts, \
        invoices and data sharing agreements with federal agencies. We located 212 \
        pages of responsive records, which are enclosed. Portions have been withheld \
        under exemptions (b)(6) and (b)(7)(C) to protect personal privacy. You may \
        appeal this response within ninety days by writing to the appeals officer.";

    #[test]
    fn a_page_and_its_ocr_with_a_slip_in_twenty_words_are_near_identical() {
        let page = Sketch::of(LETTER).unwrap();
        let ocr = LETTER
            .replace("Information", "Inforrnation")
            .replace("readers", "rcaders")
            .replace("2019", "20l9");
        let read = Sketch::of(&ocr).unwrap();
        assert!(
            page.similarity(&read) >= NEAR_IDENTICAL,
            "{}",
            page.similarity(&read)
        );
        assert_eq!(page.similarity(&page), 1.0);
    }

    #[test]
    fn pages_sharing_a_letterhead_only_are_not() {
        let head = "County of Marlow Office of the Sheriff 400 Civic Center Plaza \
            Marlow Heights CA 93012 Telephone 805 555 0100";
        let one = format!(
            "{head} The deputy reported a stolen vehicle recovered on Main Street after \
             a patrol unit matched its plate against the hot list at noon on Tuesday."
        );
        let two = format!(
            "{head} The board approved the budget for the coming fiscal year including \
             overtime for court security and the renewal of the jail medical contract."
        );
        let (one, two) = (Sketch::of(&one).unwrap(), Sketch::of(&two).unwrap());
        assert!(
            one.similarity(&two) < NEAR_IDENTICAL,
            "{}",
            one.similarity(&two)
        );
    }

    #[test]
    fn few_words_make_no_sketch_and_sketches_survive_storage() {
        assert_eq!(Sketch::of("Page 3 of 12"), None);
        assert_eq!(Sketch::of(""), None);
        let sketch = Sketch::of(LETTER).unwrap();
        let mut words = sketch.to_words();
        assert_eq!(words.len(), WORDS);
        words.reverse();
        assert_eq!(Sketch::from_words(words.clone()), Some(sketch));
        assert_eq!(Sketch::from_words(words[1..].to_vec()), None);
        words[0] = words[1];
        assert_eq!(Sketch::from_words(words), None);
    }

    #[test]
    fn groups_join_copies_and_near_copies_and_leave_the_rest() {
        let other = "Minutes of the regular meeting of the city council held in the \
            chambers where members discussed the parking garage and approved the \
            consent calendar without objection before adjourning at nine.";
        let slipped = LETTER.replace("contracts", "contrcts");
        let sketches = vec![
            Sketch::of(LETTER),
            Sketch::of(other),
            None,
            Sketch::of(LETTER),
            Sketch::of(&slipped),
            Sketch::of("a few words"),
        ];
        assert_eq!(groups(&sketches), vec![vec![0, 3, 4]]);
    }
}
