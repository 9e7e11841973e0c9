//! One pass over a page for the words several finders start from: gazetteer names of
//! agencies and vendors, acronyms, the endings of local agency names, "Office of",
//! corporate suffixes and contract language, currency signs, month names, exemption
//! codes, people's roles and the marks of a signature block.
//!
//! The agency names automaton has to read every byte of a page anyway (ignoring case,
//! the names offer no literal a prefilter could skip to). Each finder searching for its
//! own words costs one more search per page, with its own start-up and its own
//! prefilter stopping at every candidate; on a page dense with entities those searches
//! cost more than reading the page. Added to the names automaton, the other words cost
//! little per byte, so one automaton reports them all and each finder reads its hits.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::{agency, contract, date, exemption, money, person, vendor};

/// The finders' sets of words, each matched as its finder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    /// Agency names from the gazetteer, in any case.
    AgencyName,
    /// Endings of local agency names ("Police Department").
    AgencyEnding,
    /// "Office of", "Department of"... where an office's name begins, within a line.
    OfficeOf,
    /// Agency acronyms from the gazetteer.
    AgencyAcronym,
    /// Vendor names from the gazetteer.
    VendorName,
    /// Corporate suffixes ("LLC", " LP").
    VendorSuffix,
    /// Contract language before a vendor's name ("awarded to "), within a line.
    VendorContext,
    /// Currency signs and codes ("$", "USD").
    Money,
    /// The first three letters of month names.
    Month,
    /// Where exemption citations begin ("(b)", "b7", "Exemption").
    Exemption,
    /// Honorifics, roles and labels before a person's name.
    Role,
    /// Closings and titles of a signature block, within a line.
    SignatureMark,
    /// Words that label a contract, order or case number ("Contract No.", "Docket").
    ContractLabel,
}

impl Group {
    const ALL: [Group; 13] = [
        Group::AgencyName,
        Group::AgencyEnding,
        Group::OfficeOf,
        Group::AgencyAcronym,
        Group::VendorName,
        Group::VendorSuffix,
        Group::VendorContext,
        Group::Money,
        Group::Month,
        Group::Exemption,
        Group::Role,
        Group::SignatureMark,
        Group::ContractLabel,
    ];

    /// The group's words; a hit's `word` indexes this list.
    fn words(self) -> Vec<String> {
        match self {
            Group::AgencyName => agency::name_words(),
            Group::AgencyEnding => agency::ending_words(),
            Group::OfficeOf => agency::office_words(),
            Group::AgencyAcronym => agency::acronym_words(),
            Group::VendorName => vendor::name_words(),
            Group::VendorSuffix => vendor::suffix_words(),
            Group::VendorContext => vendor::context_words(),
            Group::Money => money::sign_words(),
            Group::Month => date::month_words(),
            Group::Exemption => exemption::start_words(),
            Group::Role => person::role_words(),
            Group::SignatureMark => person::signature_words(),
            Group::ContractLabel => contract::label_words(),
        }
    }

    /// Whether a hit counts in any case; the others count only as written.
    /// Contract labels count in several cases, which their finder checks.
    fn any_case(self) -> bool {
        matches!(self, Group::AgencyName | Group::ContractLabel)
    }

    /// Whether a hit must stand on one line of the page, where the others may run
    /// over a line break.
    fn within_line(self) -> bool {
        matches!(
            self,
            Group::OfficeOf | Group::VendorContext | Group::SignatureMark | Group::ContractLabel
        )
    }

    /// Whether the group's hits are what a leftmost-longest search for its words
    /// would report. The other groups' words are where a pattern may start: all their
    /// hits are kept, and the finder steps over those inside its last match.
    fn leftmost_longest(self) -> bool {
        !matches!(
            self,
            Group::OfficeOf
                | Group::VendorSuffix
                | Group::VendorContext
                | Group::Money
                | Group::Month
                | Group::Exemption
        )
    }
}

struct Words {
    /// Every group's words, ignoring ASCII case; reports overlapping hits, so that a
    /// word inside another ("Officer " in "Contracting Officer: ") is not lost.
    matcher: AhoCorasick,
    /// Per pattern: its group, its index in that group, and its spelling.
    group: Vec<Group>,
    word: Vec<usize>,
    spelling: Vec<String>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let (mut group, mut word, mut spelling) = (Vec::new(), Vec::new(), Vec::new());
    for each in Group::ALL {
        for (index, text) in each.words().into_iter().enumerate() {
            group.push(each);
            word.push(index);
            spelling.push(text);
        }
    }
    let matcher = AhoCorasickBuilder::new()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .build(&spelling)
        .expect("the trigger words build");
    Words {
        matcher,
        group,
        word,
        spelling,
    }
});

/// Where a word of a group stands on a page, and which word it is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub start: usize,
    pub end: usize,
    pub word: usize,
}

/// The hits of every group on one page, from left to right; for a group whose words
/// are names, as a leftmost-longest search for its words alone would give them: the
/// longest of those that start at one place, none overlapping the one before.
pub(super) struct Triggers {
    hits: [Vec<Hit>; Group::ALL.len()],
}

impl Triggers {
    /// `flat` is `text` with line breaks as spaces.
    pub fn find(text: &str, flat: &str) -> Triggers {
        let words = &*WORDS;
        let mut hits: [Vec<Hit>; Group::ALL.len()] = Default::default();
        for hit in words.matcher.find_overlapping_iter(flat) {
            let pattern = hit.pattern().as_usize();
            let group = words.group[pattern];
            let haystack = if group.within_line() { text } else { flat };
            let written = &haystack.as_bytes()[hit.range()];
            let kept = if group.any_case() {
                // The line break the flat text hides still ends a word of one line.
                !group.within_line() || !written.contains(&b'\n')
            } else {
                written_as(written, &words.spelling[pattern])
            };
            if !kept {
                continue;
            }
            hits[group as usize].push(Hit {
                start: hit.start(),
                end: hit.end(),
                word: words.word[pattern],
            });
        }
        for (group, list) in Group::ALL.into_iter().zip(&mut hits) {
            if group.leftmost_longest() {
                leftmost_longest(list);
            } else {
                list.sort_unstable_by_key(|hit| (hit.start, hit.end));
            }
        }
        Triggers { hits }
    }

    pub fn of(&self, group: Group) -> &[Hit] {
        &self.hits[group as usize]
    }
}

/// Whether a hit (found ignoring case) is spelt as `word`. Most hits that are not
/// differ in their first letter ("officer " for "Officer "), which is compared before
/// calling on `memcmp` for the rest.
fn written_as(hit: &[u8], word: &str) -> bool {
    hit.first() == word.as_bytes().first() && hit == word.as_bytes()
}

/// Keeps the hits a leftmost-longest search would report; of equal spans, the word
/// listed first.
fn leftmost_longest(hits: &mut Vec<Hit>) {
    hits.sort_unstable_by_key(|hit| (hit.start, std::cmp::Reverse(hit.end), hit.word));
    let mut end = 0;
    hits.retain(|hit| {
        let keep = hit.start >= end;
        if keep {
            end = hit.end;
        }
        keep
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, group: Group) -> Vec<&str> {
        let flat = text.replace('\n', " ");
        let triggers = Triggers::find(text, &flat);
        triggers
            .of(group)
            .iter()
            .map(|hit| &text[hit.start..hit.end])
            .collect()
    }

    #[test]
    fn groups_are_listed_in_their_order() {
        for (index, group) in Group::ALL.into_iter().enumerate() {
            assert_eq!(group as usize, index, "{group:?}");
        }
    }

    #[test]
    fn the_longest_of_overlapping_words_wins() {
        assert_eq!(
            spans("the Contracting Officer Representative, Ana", Group::Role),
            ["Contracting Officer Representative, "]
        );
        assert_eq!(
            spans("ICE Enforcement and Removal Operations", Group::AgencyName),
            ["ICE Enforcement and Removal Operations"]
        );
    }

    #[test]
    fn case_counts_where_the_group_says_so() {
        assert_eq!(
            spans("immigration and customs ENFORCEMENT", Group::AgencyName).len(),
            1
        );
        assert_eq!(spans("police; ICE; ice", Group::AgencyAcronym), ["ICE"]);
        assert_eq!(
            spans(
                "Police Department, POLICE DEPARTMENT, Police department",
                Group::AgencyEnding
            ),
            ["Police Department", "POLICE DEPARTMENT"]
        );
    }

    /// What a search for one group's words alone reports on a page: a leftmost-longest
    /// search for the name-like groups, every occurrence for the others; in any case
    /// or as written, over the text or its flat copy, as the group says.
    fn alone(text: &str, flat: &str, group: Group) -> Vec<(usize, usize, String)> {
        let words = group.words();
        let haystack = if group.within_line() { text } else { flat };
        let kind = if group.leftmost_longest() {
            MatchKind::LeftmostLongest
        } else {
            MatchKind::Standard
        };
        let matcher = AhoCorasickBuilder::new()
            .match_kind(kind)
            .ascii_case_insensitive(group.any_case())
            .build(&words)
            .expect("one group's words build");
        let hits: Vec<aho_corasick::Match> = if group.leftmost_longest() {
            matcher.find_iter(haystack).collect()
        } else {
            let mut all: Vec<_> = matcher.find_overlapping_iter(haystack).collect();
            all.sort_by_key(|hit| (hit.start(), hit.end()));
            all
        };
        hits.into_iter()
            .map(|hit| {
                let word = words[hit.pattern().as_usize()].to_lowercase();
                (hit.start(), hit.end(), word)
            })
            .collect()
    }

    #[test]
    fn each_group_gets_what_a_search_for_its_words_alone_finds() {
        // Pages of words from every group, in mixed case, glued to one another or
        // apart, broken over lines, beside non-ASCII letters; a fixed pseudo-random sequence
        // so that a failure repeats.
        let mut vocabulary: Vec<String> = Group::ALL.iter().flat_map(|g| g.words()).collect();
        vocabulary.extend([" ", " ", "\n", "x", ".", "é", "’", "1", ", "].map(String::from));
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % bound
        };
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..next(40) {
                let word = &vocabulary[next(vocabulary.len())];
                text.push_str(&match next(5) {
                    0 => word.to_uppercase(),
                    1 => word.to_lowercase(),
                    2 => word.replace(' ', "\n"),
                    _ => word.clone(),
                });
                if next(2) == 0 {
                    text.push_str([" ", "\n", ""][next(3)]);
                }
            }
            let flat = text.replace('\n', " ");
            let triggers = Triggers::find(&text, &flat);
            for group in Group::ALL {
                let words = group.words();
                let found: Vec<(usize, usize, String)> = triggers
                    .of(group)
                    .iter()
                    .map(|hit| (hit.start, hit.end, words[hit.word].to_lowercase()))
                    .collect();
                assert_eq!(found, alone(&text, &flat, group), "{group:?} in {text:?}");
            }
        }
    }

    #[test]
    fn some_words_stay_on_one_line() {
        assert_eq!(spans("Thank\nyou,", Group::SignatureMark).len(), 0);
        assert_eq!(spans("Office\nof the Sheriff", Group::OfficeOf).len(), 0);
        assert_eq!(
            spans("Contracting\nOfficer: Ana", Group::Role),
            ["Contracting\nOfficer: "]
        );
    }
}
