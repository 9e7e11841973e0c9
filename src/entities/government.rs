//! Government bodies named by the shape of their name rather than a gazetteer:
//! "Circuit Court of Kane County", "United States Court of Appeals for the Third
//! Circuit", "Oregon Criminal Justice Commission", "Cook County State's Attorney's
//! Office", "Office of the Illinois Attorney General", "City of Eugene", "Nassau
//! County", and the short forms of sharing lists and ledgers ("Eugene PD", "Irvine CA
//! PD", "Lonoke County AR SO", "CPD").
//!
//! A line is read as runs of capitalised words joined by "of", "the", "and", "&" and
//! "for". In a run, a body's name ends at its head word (Court, Department, Office,
//! Board, Commission, Attorney General, County...) or at the "of ..." or "for ..."
//! that follows it, and starts at most four words before the head. It counts only when
//! it also holds a word that makes it public (a state, "United States", "Federal",
//! "County", "City of"), so "Casual Surveillance Alliance Board" or "Appeals Board"
//! alone are not agencies; police and sheriff abbreviations need no such word.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{with_lower, word_set, NameLine, Page, WordSet};

/// Words a public body's name ends with (lower case, possessive "'s" removed).
const HEADS: &str = "\
    court department dept office bureau board commission agency authority administration \
    council attorney sheriff patrol prosecutor marshal marshals legislature treasurer \
    comptroller auditor county";

/// Heads that need "of" after them to name a body ("City of Eugene", "State of
/// Illinois", but not "the City" or "State Police").
const HEADS_BEFORE_OF: &str = "city state town village township commonwealth borough";

/// Words that make a name public: US states and their distinguishing words, and the
/// words of federal, state and local government.
const PUBLIC_WORDS: &str = "\
    alabama alaska arizona arkansas california colorado connecticut delaware florida \
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland \
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada \
    hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode \
    tennessee texas utah vermont virginia washington wisconsin wyoming columbia \
    guam rico united u.s. us federal national state county city municipal tribal \
    commonwealth township village town parish borough police sheriff";

/// Words that say what kind of body a name is but not which one: a name needs one
/// word besides them ("Kane" in "Circuit Court of Kane County"), so "State's
/// Attorney" or "the Supreme Court" alone are not agencies.
const GENERIC_WORDS: &str = "\
    state county city district general federal national municipal regional public \
    local circuit appellate supreme superior police sheriff u.s. us";

/// Two-letter postal codes of the states, as sharing lists write them between a place
/// and "PD" or "SO".
const STATE_CODES: &str = "\
    AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE \
    NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU";

/// Words that join the words of a name.
const CONNECTORS: &[&str] = &["of", "the", "and", "&", "for", "OF", "THE", "AND", "FOR"];

/// Capitalised words that begin a sentence or a heading, not a body's name.
const NOT_NAME_WORDS: &str = "\
    the a an this that these those each every any all said such our your their its \
    dear re to from attn attention via sent subject and or of for in on at by with \
    assistant executive deputy chief senior special acting interim";

static HEAD: LazyLock<WordSet> = LazyLock::new(|| word_set(HEADS));

/// Any head word in any case, to pass over the name lines that hold none (most of
/// them: headings and names of people) before their words are read.
static ANY_HEAD: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(
            HEADS
                .split_whitespace()
                .chain(HEADS_BEFORE_OF.split_whitespace()),
        )
        .expect("head words build")
});
static HEAD_BEFORE_OF: LazyLock<WordSet> = LazyLock::new(|| word_set(HEADS_BEFORE_OF));
static PUBLIC: LazyLock<WordSet> = LazyLock::new(|| word_set(PUBLIC_WORDS));
static STATE_CODE: LazyLock<WordSet> = LazyLock::new(|| word_set(STATE_CODES));
static GENERIC: LazyLock<WordSet> = LazyLock::new(|| word_set(GENERIC_WORDS));
static NOT_NAME: LazyLock<WordSet> = LazyLock::new(|| word_set(NOT_NAME_WORDS));

/// Longest words of a name after its head's "of" or "for" ("of Appeals for the Third
/// Circuit"), and after "City of" and its kin ("of Los Angeles").
const LONGEST_COMPLEMENT: usize = 6;
const LONGEST_PLACE: usize = 2;

/// How many words a name may have before its head ("Tennessee Workers' Compensation
/// Appeals Board").
const LONGEST_BEFORE_HEAD: usize = 4;

#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// Punctuation after it ends the run.
    closes: bool,
}

impl Word<'_> {
    /// Lower case, typographic apostrophe plain, possessive and dot removed: the key
    /// for the word lists.
    fn key(&self) -> String {
        with_lower(self.text, |lower| {
            let lower = lower.strip_suffix("'s").unwrap_or(lower);
            let lower = lower.strip_suffix('\'').unwrap_or(lower);
            if lower == "u.s." {
                return lower.to_string();
            }
            // "Auditor-Controller" is an auditor's office.
            let lower = lower.split('-').next().unwrap_or(lower);
            lower.trim_end_matches('.').to_string()
        })
    }

    fn capitalised(&self) -> bool {
        self.text.starts_with(|c: char| c.is_uppercase())
    }

    fn connector(&self) -> bool {
        CONNECTORS.contains(&self.text)
    }
}

/// The words of a page, each line's, with a line that ends in a connector ("Office
/// of the") continued on the next.
fn words<'a>(text: &'a str, name_lines: &[NameLine]) -> Vec<Vec<Word<'a>>> {
    let mut lines: Vec<Vec<Word>> = Vec::new();
    let mut continues_at = None;
    for name_line in name_lines {
        let (offset, line) = (name_line.start, &text[name_line.start..name_line.end]);
        let continued = continues_at == Some(name_line.start);
        if !continued && !line.contains("PD") && !ANY_HEAD.is_match(line) {
            continues_at = None;
            continue;
        }
        let mut words = Vec::new();
        for piece in line.split([' ', '\t', '\u{a0}']) {
            // The separators differ in length (U+00A0 takes two bytes).
            let start = offset + (piece.as_ptr() as usize - line.as_ptr() as usize);
            if piece.is_empty() {
                continue;
            }
            let trimmed = piece.trim_start_matches(['(', '"', '“', '[']);
            let start = start + (piece.len() - trimmed.len());
            let core = trimmed.trim_end_matches([',', ';', ':', ')', '"', '”', ']', '.']);
            // "U.S." and "Dept." keep their dots.
            let core = if core.len() < trimmed.len()
                && trimmed[core.len()..].starts_with('.')
                && (core.contains('.') || core.eq_ignore_ascii_case("dept"))
            {
                &trimmed[..=core.len()]
            } else {
                core
            };
            if core.is_empty() {
                continue;
            }
            words.push(Word {
                text: core,
                start,
                end: start + core.len(),
                closes: core.len() < trimmed.len() || trimmed.len() < piece.len(),
            });
        }
        let ends_in_connector = words.last().is_some_and(|w| w.connector() && !w.closes);
        match lines.last_mut() {
            Some(previous) if continues_at == Some(name_line.start) => previous.extend(words),
            _ => lines.push(words),
        }
        continues_at = ends_in_connector.then_some(name_line.end + 1);
    }
    lines
}

/// The runs of capitalised words (with connectors inside) of one line.
fn runs<'a, 'w>(line: &'w [Word<'a>]) -> Vec<&'w [Word<'a>]> {
    let mut runs = Vec::new();
    let mut start = None;
    for (index, word) in line.iter().enumerate() {
        let joins = word.capitalised() || (word.connector() && start.is_some());
        match (joins, start) {
            (true, None) => start = Some(index),
            (false, Some(first)) => {
                runs.push(&line[first..index]);
                start = None;
            }
            _ => {}
        }
        if word.closes {
            if let Some(first) = start.take() {
                runs.push(&line[first..=index]);
            }
        }
    }
    if let Some(first) = start {
        runs.push(&line[first..]);
    }
    // Connectors never end a run.
    runs.into_iter()
        .map(|run| {
            let keep = run
                .iter()
                .rposition(|w| !w.connector())
                .map_or(0, |i| i + 1);
            &run[..keep]
        })
        .filter(|run| !run.is_empty())
        .collect()
}

/// Spans of the bodies named on a page, with their names as written.
pub(super) fn spans(page: &Page) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for line in words(page.text, &page.name_lines) {
        for run in runs(&line) {
            spans.extend(abbreviations(run));
            // A body's name has two words at least, one of them a head; most runs
            // have none, and are passed over before their words' keys are made.
            let has_head = |word: &Word| {
                with_lower(
                    word.text.trim_end_matches(['.', '\'', 's', '’']),
                    |lower| HEAD.contains(lower) || HEAD_BEFORE_OF.contains(lower),
                )
            };
            if run.len() < 2
                || !run
                    .iter()
                    .any(|word| has_head(word) || word.text.contains('-'))
            {
                continue;
            }
            let keys: Vec<String> = run.iter().map(Word::key).collect();
            let mut limit = run.len();
            while let Some((first, span)) = named_body(&run[..limit], &keys[..limit]) {
                spans.push(span);
                limit = first;
            }
        }
    }
    // The longest of names that overlap ("Lonoke County AR SO", not "Lonoke County").
    spans.sort_unstable_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
    let mut last_end = 0;
    spans.retain(|&(start, end)| {
        let keep = start >= last_end;
        if keep {
            last_end = end;
        }
        keep
    });
    spans
}

/// The last body named in a run: from at most [`LONGEST_BEFORE_HEAD`] words before
/// its last head (and not before an "and" there) to the head's complement, when a
/// public word stands in it; with the index of its first word. `keys` are the
/// run's words' [`Word::key`]s.
fn named_body(run: &[Word], keys: &[String]) -> Option<(usize, (usize, usize))> {
    let followed_by_of = |i: usize| keys.get(i + 1).is_some_and(|k| k == "of");
    let is_head = |i: usize| {
        let key = keys[i].as_str();
        let county_after_name = key == "county" && i > 0 && !run[i - 1].connector();
        (HEAD.contains(key) && (key != "county" || county_after_name))
            || (HEAD_BEFORE_OF.contains(key) && followed_by_of(i))
    };
    let mut heads = (0..run.len()).rev().filter(|&i| is_head(i));
    let head = heads.next()?;
    let mut end = head;
    // "Attorney General", "Inspector General".
    if keys.get(head + 1).is_some_and(|k| k == "general") {
        end += 1;
    }
    if keys.get(end + 1).is_some_and(|k| k == "of" || k == "for") {
        let longest = if HEAD_BEFORE_OF.contains(keys[head].as_str()) {
            LONGEST_PLACE
        } else {
            LONGEST_COMPLEMENT
        };
        let complement = (end + 2..run.len().min(end + 2 + longest + 2))
            .filter(|&i| !run[i].connector())
            .take(longest)
            .last();
        if let Some(last) = complement {
            end = last;
        }
    }
    let mut start = head.saturating_sub(LONGEST_BEFORE_HEAD);
    if let Some(and) = (start..head)
        .rev()
        .find(|&i| matches!(keys[i].as_str(), "and" | "&"))
    {
        start = and + 1;
    }
    // "Invoice the Calder County": a "the" that no "of" or "for" leads into begins
    // the name after it.
    if let Some(the) = (start + 1..head)
        .rev()
        .find(|&i| keys[i] == "the" && !matches!(keys[i - 1].as_str(), "of" | "for"))
    {
        start = the + 1;
    }
    while start < head && (run[start].connector() || NOT_NAME.contains(keys[start].as_str())) {
        start += 1;
    }
    let public = (start..=end).any(|i| PUBLIC.contains(keys[i].as_str()));
    let particular = (start..=end).any(|i| {
        let key = keys[i].as_str();
        !run[i].connector() && !GENERIC.contains(key) && !is_head(i) && key != "general"
    });
    // A head alone ("the Court", "County") names nothing in particular; a run without
    // a body here may still name one before.
    if public && particular && end > start {
        // "City of Eugene's response": the possessive is not the name's.
        let last = run[end].text;
        let owner = last
            .strip_suffix("'s")
            .or_else(|| last.strip_suffix("’s"))
            .filter(|_| !is_head(end));
        let name_end = run[end].start + owner.map_or(last.len(), str::len);
        Some((start, (run[start].start, name_end)))
    } else {
        heads.next()?;
        named_body(&run[..head], &keys[..head])
    }
}

/// Police and sheriff abbreviations: "CPD", "NYPD", "Eugene PD", "Irvine CA PD",
/// "Lonoke County AR SO".
fn abbreviations(run: &[Word]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for (index, word) in run.iter().enumerate() {
        let text = word.text;
        if text.len() >= 3
            && text.len() <= 6
            && text.ends_with("PD")
            && text.bytes().all(|b| b.is_ascii_uppercase())
        {
            spans.push((word.start, word.end));
            continue;
        }
        if text != "PD" && text != "SO" {
            continue;
        }
        // The place's words before it (at most three), past a state code.
        let mut place_end = index;
        if place_end > 0 && STATE_CODE.contains(run[place_end - 1].text) {
            place_end -= 1;
        }
        let mut first = place_end;
        while first > 0
            && place_end - first < 3
            && run[first - 1].capitalised()
            && !run[first - 1].closes
            && !NOT_NAME.contains(run[first - 1].key().as_str())
            && !STATE_CODE.contains(run[first - 1].text)
        {
            first -= 1;
        }
        // "SO" is also a word written in capitals: only "<Name> County SO" is a
        // sheriff's office.
        let county = run[first..place_end].iter().any(|w| w.key() == "county");
        if first < place_end && (text == "PD" || county) {
            spans.push((run[first].start, word.end));
        }
    }
    spans
}

/// A name as [`spans`] finds it, as a reader would write it out: "Eugene PD" and
/// "Irvine CA PD" become "Eugene Police Department" and "Irvine Police Department",
/// "Lonoke County AR SO" "Lonoke County Sheriff's Office".
pub(super) fn expand(name: &str) -> Option<String> {
    if let Some(county) = name.strip_suffix(" Sheriff") {
        // "Calder County Sheriff Thomas Brandt": the sheriff heads the office.
        return Some(format!("{county} Sheriff's Office"));
    }
    let (place, ending) = if let Some(place) = name.strip_suffix(" PD") {
        (place, "Police Department")
    } else if let Some(place) = name.strip_suffix(" SO") {
        (place, "Sheriff's Office")
    } else {
        return None;
    };
    let place = match place.rsplit_once(' ') {
        Some((before, code)) if STATE_CODE.contains(code) => before,
        _ => place,
    };
    Some(format!("{place} {ending}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        spans(&Page::new(text))
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn courts() {
        assert_eq!(
            names("UNITED STATES COURT OF APPEALS FOR THE THIRD CIRCUIT"),
            ["UNITED STATES COURT OF APPEALS FOR THE THIRD CIRCUIT"]
        );
        assert_eq!(
            names("IN THE CIRCUIT COURT OF COOK COUNTY, ILLINOIS"),
            ["CIRCUIT COURT OF COOK COUNTY"]
        );
        assert_eq!(
            names("filed in the Lane County Circuit Court or the United States District Court for the District of Oregon."),
            ["Lane County Circuit Court", "United States District Court for the District of Oregon"]
        );
        assert_eq!(
            names("the Illinois Appellate Court noted"),
            ["Illinois Appellate Court"]
        );
    }

    #[test]
    fn state_and_local_bodies() {
        assert_eq!(
            names("TENNESSEE BUREAU OF WORKERS’ COMPENSATION"),
            ["TENNESSEE BUREAU OF WORKERS’ COMPENSATION"]
        );
        assert_eq!(
            names("Counselor, Office of the\nIllinois Attorney General, 500 S. 2nd Street"),
            ["Office of the\nIllinois Attorney General"]
        );
        assert_eq!(
            names("from the Cook County State's Attorney's Office today"),
            ["Cook County State's Attorney's Office"]
        );
        assert_eq!(
            names("awarded by the Oregon Criminal Justice Commission"),
            ["Oregon Criminal Justice Commission"]
        );
        assert_eq!(names("City: City of Eugene"), ["City of Eugene"]);
        assert_eq!(names("the City of Eugene’s response"), ["City of Eugene"]);
        assert_eq!(
            names("Invoice the Calder County Board"),
            ["Calder County Board"]
        );
        assert_eq!(
            names("deposited by Nassau County and the State of Illinois"),
            ["Nassau County", "State of Illinois"]
        );
    }

    #[test]
    fn police_abbreviations() {
        assert_eq!(
            names("Customer: OR - Eugene PD Initial Term"),
            ["Eugene PD"]
        );
        assert_eq!(
            names("Irvine CA PD\nLonoke County AR SO"),
            ["Irvine CA PD", "Lonoke County AR SO"]
        );
        assert_eq!(names("sworn officer of CPD or NYPD"), ["CPD", "NYPD"]);
        assert_eq!(names("only\u{a0}CPD\u{a0}data"), ["CPD"]);
        assert_eq!(names("the Chicago Police Board"), ["Chicago Police Board"]);
        assert_eq!(
            expand("Irvine CA PD").as_deref(),
            Some("Irvine Police Department")
        );
        assert_eq!(
            names("Calder County Sheriff Thomas Brandt"),
            ["Calder County Sheriff"]
        );
        assert_eq!(
            expand("Calder County Sheriff").as_deref(),
            Some("Calder County Sheriff's Office")
        );
        assert_eq!(
            expand("Lonoke County AR SO").as_deref(),
            Some("Lonoke County Sheriff's Office")
        );
    }

    #[test]
    fn near_misses_are_not_agencies() {
        for text in [
            "the Court denied the motion",
            "the County shall pay",
            "Workers’ Compensation Appeals Board",
            "Emails Reveal the Casual Surveillance Alliance Between ICE and Local Police",
            "OR",
            "AND SO ON",
            "Illinois Freedom of Information Act",
            "Northeast Illinois Regional Commuter Railroad Corporation",
            "Tax Exempt ID",
            "CA 94111",
            "EXECUTIVE ASSISTANT STATE’S ATTORNEY",
            "the Supreme Court",
            "County Board",
        ] {
            assert!(names(text).is_empty(), "{text}: {:?}", names(text));
        }
    }
}
