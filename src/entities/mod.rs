//! Entities: the facts a reporter looks for on a page, found in its text.
//!
//! One file per kind, each with a `find` that adds its matches to a list and, where a
//! search filter needs it, a `normalize` for query values. [`find_in_document`] runs
//! them all on every page of a document, then adds acronyms the document defines
//! ("Marlow Heights Police Department (MHPD)") wherever they recur.

pub mod agency;
pub mod canonical;
pub mod contract;
pub mod date;
pub mod email;
pub mod exemption;
mod government;
pub mod money;
mod names;
pub mod person;
pub mod phone;
pub mod trail;
mod triggers;
pub mod vendor;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};

use triggers::Triggers;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Agency,
    Vendor,
    Money,
    Date,
    Exemption,
    Contract,
    Email,
    Phone,
    Person,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Agency,
        Kind::Vendor,
        Kind::Money,
        Kind::Date,
        Kind::Exemption,
        Kind::Contract,
        Kind::Email,
        Kind::Phone,
        Kind::Person,
    ];

    /// The name used in queries, facets and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Agency => "agency",
            Kind::Vendor => "vendor",
            Kind::Money => "money",
            Kind::Date => "date",
            Kind::Exemption => "exemption",
            Kind::Contract => "contract",
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Person => "person",
        }
    }

    /// The kind a name (as [`Kind::as_str`] gives) stands for.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Normalises a query value the way this kind's matches are normalised, so that
    /// `agency:ICE` finds pages that say "Immigration and Customs Enforcement".
    pub fn normalize(self, value: &str) -> String {
        match self {
            Kind::Agency => agency::normalize(value),
            Kind::Vendor => vendor::normalize(value),
            Kind::Exemption => exemption::normalize(value).unwrap_or_else(|| value.to_string()),
            Kind::Contract => contract::normalize(value),
            Kind::Email => value.to_lowercase(),
            Kind::Phone => phone::normalize(value).unwrap_or_else(|| value.to_string()),
            Kind::Person => collapse_spaces(value),
            Kind::Money | Kind::Date => value.to_string(),
        }
    }
}

/// One occurrence of an entity on a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: Kind,
    /// Exactly as it stands in the page text.
    pub text: String,
    /// The value that equal entities share: canonical agency name, vendor name without
    /// corporate suffix, integer cents for money, ISO 8601 for dates, `b7C` for
    /// exemptions, identifiers without spaces and dashes, E.164 phones.
    pub normalized: String,
    /// Byte span of `text` in the page text.
    pub start: usize,
    pub end: usize,
}

impl Entity {
    fn new(kind: Kind, page: &str, start: usize, end: usize, normalized: String) -> Entity {
        Entity {
            kind,
            text: page[start..end].to_string(),
            normalized,
            start,
            end,
        }
    }
}

/// A page as the finders read it.
struct Page<'a> {
    text: &'a str,
    /// The text with line breaks as spaces: names and amounts run across line breaks,
    /// and as a line break and a space are both one byte, offsets in it are offsets
    /// in the page.
    flat: String,
    /// Where the finders' words stand.
    triggers: Triggers,
    /// Spans of the runs of four digits or more, where phone numbers and PIID serials
    /// end.
    digit_runs: Vec<(usize, usize)>,
    /// Lines where people's and bodies' names may stand.
    name_lines: Vec<NameLine>,
}

impl Page<'_> {
    fn new(text: &str) -> Page<'_> {
        let flat = text.replace('\n', " ");
        let triggers = Triggers::find(text, &flat);
        Page {
            text,
            flat,
            triggers,
            digit_runs: digit_runs(text, 4).collect(),
            name_lines: name_lines(text),
        }
    }

    /// Where `byte` stands on the page, from left to right: the punctuation inside
    /// identifiers and dates in digits ("-", "/", ":"), from which their patterns are
    /// matched. A byte search finds them faster than the trigger automaton could
    /// report them, they are so many.
    fn separators(&self, byte: u8) -> memchr::Memchr<'_> {
        memchr::memchr_iter(byte, self.flat.as_bytes())
    }

    /// Where "GS" stands (a GSA schedule may begin there), from left to right.
    fn schedule_starts(&self) -> impl Iterator<Item = usize> + '_ {
        memchr::memmem::find_iter(self.flat.as_bytes(), b"GS")
    }
}

/// All entities of one page, sorted by position.
pub fn find_all(text: &str) -> Vec<Entity> {
    let mut found = Vec::new();
    let page = Page::new(text);
    agency::find(&page, &mut found);
    vendor::find(&page, &mut found);
    money::find(&page, &mut found);
    date::find(&page, &mut found);
    exemption::find(&page, &mut found);
    contract::find(&page, &mut found);
    email::find(text, &mut found);
    phone::find(&page, &mut found);
    person::find(&page, &mut found);
    found.sort_by_key(|entity| (entity.start, entity.end, entity.kind));
    found.dedup_by(|a, b| a.kind == b.kind && a.start == b.start && a.end == b.end);
    found
}

/// The entities of every page of one document: [`find_all`] per page, plus acronyms
/// the document defines for agencies it names, and the bare surnames of people it
/// names in full ("MARTINEZ made a written request"), under the full name.
pub fn find_in_document(pages: &[&str]) -> Vec<Vec<Entity>> {
    let mut per_page: Vec<Vec<Entity>> = pages.iter().map(|text| find_all(text)).collect();
    if let Some(defined) = agency::acronym_definitions(pages, &per_page) {
        for (text, found) in pages.iter().zip(per_page.iter_mut()) {
            agency::find_defined(text, &defined, found);
            found.sort_by_key(|entity| (entity.start, entity.end, entity.kind));
        }
    }
    agency::resolve_initials(&mut per_page);
    vendor::companies_from_domains(pages, &mut per_page);
    let recurring = [
        names::document_surnames(&per_page),
        vendor::document_names(&per_page),
    ];
    for recurring in recurring.iter().flatten() {
        for (text, found) in pages.iter().zip(per_page.iter_mut()) {
            recurring.find(text, found);
            found.sort_by_key(|entity| (entity.start, entity.end, entity.kind));
        }
    }
    per_page
}

/// Short forms of names a document gives in full ("Martinez" for "Freddy Martinez",
/// "PenLink" for "PenLink, Ltd."), each with the name it stands for there.
pub struct Recurring {
    kind: Kind,
    matcher: AhoCorasick,
    /// The full name of each pattern.
    names: Vec<String>,
}

impl Recurring {
    /// From (short form, full name) pairs; each short form is looked for as written
    /// and in capitals ("MARTINEZ").
    fn new(kind: Kind, pairs: impl Iterator<Item = (String, String)>) -> Option<Recurring> {
        let (mut spellings, mut names) = (Vec::new(), Vec::new());
        for (short, name) in pairs {
            let capitals = short.to_uppercase();
            if capitals != short {
                spellings.push(capitals);
                names.push(name.clone());
            }
            spellings.push(short);
            names.push(name);
        }
        if spellings.is_empty() {
            return None;
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&spellings)
            .ok()?;
        Some(Recurring {
            kind,
            matcher,
            names,
        })
    }

    /// Names the entities of its kind that a short form alone found ("Dear Mr.
    /// Martinez") by the full name, and adds the page's bare mentions.
    fn find(&self, text: &str, found: &mut Vec<Entity>) {
        let existing = found.len();
        for entity in found.iter_mut().filter(|e| e.kind == self.kind) {
            if let Some(hit) = self.matcher.find(entity.normalized.as_str()) {
                if hit.len() == entity.normalized.len() {
                    entity.normalized = self.names[hit.pattern().as_usize()].clone();
                }
            }
        }
        for hit in self.matcher.find_iter(text) {
            let (start, end) = (hit.start(), hit.end());
            if standalone(text, start, end) && !overlaps(&found[..existing], start, end) {
                let name = self.names[hit.pattern().as_usize()].clone();
                found.push(Entity::new(self.kind, text, start, end, name));
            }
        }
    }
}

/// A few words either side of an entity, on one line, for CSV `context`; empty when
/// the entity's span does not lie on character boundaries of `page` (an entity read
/// back from an index whose text it was not found in).
pub fn context(page: &str, entity: &Entity) -> String {
    const AROUND: usize = 60;
    if page.get(entity.start..entity.end).is_none() {
        return String::new();
    }
    let mut start = entity.start.saturating_sub(AROUND);
    while !page.is_char_boundary(start) {
        start -= 1;
    }
    let end = char_boundary_from(page, (entity.end + AROUND).min(page.len()));
    collapse_spaces(&page[start..end])
}

/// (canonical, spelling) pairs of a gazetteer file: one line per entry, the canonical
/// name, a tab, then other spellings separated by "|"; "#" starts a comment line. The
/// canonical name is one of its own spellings.
fn gazetteer_entries(tsv: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    tsv.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .flat_map(|line| {
            let (canonical, aliases) = line.split_once('\t').unwrap_or((line, ""));
            std::iter::once(canonical)
                .chain(aliases.split('|').filter(|alias| !alias.is_empty()))
                .map(move |spelling| (canonical, spelling))
        })
}

/// Adds the hits of gazetteer words (word `i` names `canonical[i]`) that stand alone
/// and do not overlap what `found[first..]` already holds.
fn add_gazetteer_hits(
    flat: &str,
    hits: &[triggers::Hit],
    canonical: &[&str],
    kind: Kind,
    first: usize,
    found: &mut Vec<Entity>,
) {
    for hit in hits {
        let (start, end) = (hit.start, hit.end);
        if standalone(flat, start, end) && !overlaps(&found[first..], start, end) {
            let name = canonical[hit.word].to_string();
            found.push(Entity::new(kind, flat, start, end, name));
        }
    }
}

/// Spans of the runs of at least `shortest` ASCII digits. Patterns that begin with
/// digits have no literal for a regex to skip to, so it would run its automaton on
/// every byte; this loop looks at every `shortest`-th byte, which is enough, since a run
/// of `shortest` digits covers one of them.
fn digit_runs(text: &str, shortest: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let stride = shortest.max(1);
    let mut probe = stride - 1;
    std::iter::from_fn(move || {
        while probe < bytes.len() {
            if !bytes[probe].is_ascii_digit() {
                probe += stride;
                continue;
            }
            let start = bytes[..probe]
                .iter()
                .rposition(|b| !b.is_ascii_digit())
                .map_or(0, |before| before + 1);
            let end = probe
                + bytes[probe..]
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .unwrap_or(bytes.len() - probe);
            // The next run starts after the byte at `end`, so its `shortest`-th digit is
            // at `end + stride` or later.
            probe = end + stride;
            if end - start >= shortest {
                return Some((start, end));
            }
        }
        None
    })
}

/// Matches of `pattern` (which begins with `^`) at each of `starts`, in ascending
/// order, as a search for it over the page finds them: a start inside the last match
/// is not tried.
fn matches_at<'a>(
    text: &'a str,
    starts: impl Iterator<Item = usize> + 'a,
    pattern: &'a Regex,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut last_end = 0;
    starts.filter_map(move |start| {
        if start < last_end {
            return None;
        }
        let hit = pattern.find(&text[start..])?;
        last_end = start + hit.end();
        Some((start, last_end))
    })
}

/// Where a match must start that begins with one to `longest` bytes of a kind (`part`
/// says which; all are word bytes) right before `end`, at a word boundary: the start of
/// that run, if the run is no longer and a boundary stands before it.
fn run_before(
    bytes: &[u8],
    end: usize,
    longest: usize,
    part: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut start = end;
    while start > 0 && end - start <= longest && part(bytes[start - 1]) {
        start -= 1;
    }
    ((1..=longest).contains(&(end - start)) && begins_word(bytes, start)).then_some(start)
}

/// Whether a byte is what regex's ASCII `\b` counts as part of a word, for finders that
/// check a word's edges by hand after a literal search.
fn word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Whether a word may begin at `at` as regex's ASCII `\b` sees it: no word byte stands
/// right before it.
fn begins_word(bytes: &[u8], at: usize) -> bool {
    !at.checked_sub(1)
        .is_some_and(|before| word_byte(bytes[before]))
}

/// `at`, or the next character boundary after it: where a window that was cut at a
/// byte count may start.
fn char_boundary_from(text: &str, at: usize) -> usize {
    (at..text.len())
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(text.len())
}

/// Whether `start..end` overlaps an entity already found.
fn overlaps(entities: &[Entity], start: usize, end: usize) -> bool {
    entities
        .iter()
        .any(|entity| entity.start < end && start < entity.end)
}

/// A set of words, hashed with FxHash: the name finders look up several words per
/// capitalised word of a page, and SipHash would cost more than the rest.
type WordSet = rustc_hash::FxHashSet<&'static str>;

/// The words of a list written one per line ("#" starts a comment) or separated by
/// spaces.
fn word_set(words: &'static str) -> WordSet {
    words
        .lines()
        .filter(|line| !line.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
}

/// Calls `f` with `word` in lower case, typographic apostrophes plain: on the stack for
/// the short ASCII words that most are, so that a lookup allocates nothing.
fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0u8; 48];
    if word.len() <= buffer.len() && word.is_ascii() {
        let lower = &mut buffer[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        // ASCII bytes, lower-cased, are still UTF-8.
        return f(std::str::from_utf8(lower).unwrap_or_default());
    }
    f(&word.to_lowercase().replace('’', "'"))
}

/// A line where names may stand: two capitalised words in a row, or two joined by
/// "of", "the", "and" or "for" ("City of Eugene"), or a police abbreviation ("CPD").
/// Most lines of prose have none, and the name finders read only these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NameLine {
    start: usize,
    end: usize,
    /// Two capitalised words stand side by side (what a person's name needs).
    adjacent: bool,
}

/// The [`NameLine`]s of a page. Capitals are few, so the page is read for them 64
/// bytes at a time (a mask the compiler can vectorise), and only the words a capital
/// begins are looked at, with what lies between each and the one before it. Non-ASCII letters count as
/// capitals, which only means a line is read that need not be.
fn name_lines(text: &str) -> Vec<NameLine> {
    let bytes = text.as_bytes();
    let mut lines: Vec<NameLine> = Vec::new();
    let mut line = NameLine {
        start: 0,
        end: 0,
        adjacent: false,
    };
    let mut line_flagged = false;
    // Where the last capitalised word of the line ends.
    let mut previous_end = None;
    let mut block = 0;
    while block < bytes.len() {
        let end = (block + 64).min(bytes.len());
        let mut capitals = capital_starts(bytes, block, end);
        while capitals != 0 {
            let at = block + capitals.trailing_zeros() as usize;
            capitals &= capitals - 1;
            if at >= line.end && (at > 0 || line.end == 0) {
                if line_flagged {
                    lines.push(line);
                }
                let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |n| n + 1);
                let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n);
                line = NameLine {
                    start,
                    end: end.max(start),
                    adjacent: false,
                };
                line_flagged = false;
                previous_end = None;
            }
            let word_end = bytes[at..line.end]
                .iter()
                .position(|&b| word_separator(b))
                .map_or(line.end, |n| at + n);
            let word = &bytes[at..word_end];
            let police = word.windows(2).any(|pair| pair == b"PD");
            let (before, joined) =
                previous_end.map_or((false, false), |end| joins(&bytes[end..at]));
            previous_end = Some(word_end);
            line.adjacent |= before && !joined;
            line_flagged |= before || police;
        }
        block = end;
    }
    if line_flagged {
        lines.push(line);
    }
    lines
}

/// Bit `i` set where `bytes[block + i]` is a capital that begins a word, for the
/// block `block..end` of at most 64 bytes. Branchless loops over fixed-size arrays,
/// which the compiler turns into vector instructions.
fn capital_starts(bytes: &[u8], block: usize, end: usize) -> u64 {
    let mut current = [0u8; 64];
    current[..end - block].copy_from_slice(&bytes[block..end]);
    // `before[i]` is the byte before `current[i]`; the text begins as after a line.
    let mut before = [b'\n'; 64];
    match block.checked_sub(1) {
        Some(previous) => before[..end - block].copy_from_slice(&bytes[previous..end - 1]),
        None => before[1..end - block].copy_from_slice(&bytes[..end - 1]),
    }
    let mut starts = [0u8; 64];
    for ((start, &byte), &before) in starts.iter_mut().zip(&current).zip(&before) {
        let capital = (byte.wrapping_sub(b'A') < 26) | (byte >= 0xC3);
        let after_gap = (before == b' ') | (before == b'\t') | (before == 0xA0) | (before == b'\n');
        *start = u8::from(capital & after_gap);
    }
    let mut mask = 0;
    for (group, eight) in starts.chunks_exact(8).enumerate() {
        let ones = u64::from_le_bytes(eight.try_into().unwrap_or_default());
        // Gathers the low bit of each of the eight bytes into one byte.
        mask |= (ones.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (group * 8);
    }
    mask
}

/// Bytes between the words of a line: spaces, tabs, and the second byte of U+00A0.
fn word_separator(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | 0xA0)
}

/// Whether the bytes between two capitalised words of a line join them, and if so
/// whether through "of", "the", "and", "for" or "&" (one or two of them: "City of the
/// Dalles") rather than side by side.
fn joins(gap: &[u8]) -> (bool, bool) {
    let words = gap
        .split(|&byte| word_separator(byte))
        // The first byte of a no-break space (0xC2 0xA0) is no word.
        .map(|word| word.strip_suffix(&[0xC2]).unwrap_or(word))
        .filter(|word| !word.is_empty());
    let mut joiners = 0;
    for word in words {
        if joiners == 2 || !matches!(word, b"of" | b"the" | b"and" | b"for" | b"&") {
            return (false, false);
        }
        joiners += 1;
    }
    (true, joiners > 0)
}

/// Runs of whitespace (line breaks included) become one space; ends are trimmed.
pub fn collapse_spaces(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// A name as agencies and vendors are normalised: spaces collapsed, typographic
/// apostrophes plain, capitals in title case.
fn plain_name(value: &str) -> String {
    let mut name = collapse_spaces(value);
    if name.contains('’') {
        name = name.replace('’', "'");
    }
    title_case_if_shouting(name)
}

/// True when the match `start..end` in `text` is not glued to letters or digits on
/// either side (regex `\b` misses "é" and other non-ASCII letters next to a match).
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// A name written in capitals ("CALDER COUNTY SHERIFF'S OFFICE") in title case.
fn title_case_if_shouting(name: String) -> String {
    let mut letters = name.chars().filter(|c| c.is_alphabetic());
    if letters.clone().count() < 4 || letters.any(char::is_lowercase) {
        return name;
    }
    let small = ["of", "and", "the", "for", "on", "in"];
    name.split(' ')
        .enumerate()
        .map(|(index, word)| {
            let lower = word.to_lowercase();
            if index > 0 && small.contains(&lower.as_str()) {
                return lower;
            }
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shouting_names_are_title_cased() {
        assert_eq!(
            title_case_if_shouting("CALDER COUNTY SHERIFF'S OFFICE".into()),
            "Calder County Sheriff's Office"
        );
        assert_eq!(
            title_case_if_shouting("OFFICE OF THE SHERIFF".into()),
            "Office of the Sheriff"
        );
        assert_eq!(
            title_case_if_shouting("Marlow Heights".into()),
            "Marlow Heights"
        );
    }

    #[test]
    fn digit_runs_are_found_at_every_alignment() {
        for offset in 0..12 {
            let text = format!("{}1234 x 123 12345 9876", "a".repeat(offset));
            let runs: Vec<(usize, usize)> = digit_runs(&text, 4).collect();
            let expected = [(0, 4), (11, 16), (17, 21)].map(|(s, e)| (s + offset, e + offset));
            assert_eq!(runs, expected, "{text}");
        }
        let runs: Vec<(usize, usize)> = digit_runs("1234 5678 9012", 4).collect();
        assert_eq!(runs, [(0, 4), (5, 9), (10, 14)]);
        assert_eq!(digit_runs("12 3", 1).count(), 2);
    }

    #[test]
    fn runs_before_a_separator_start_at_a_word_boundary() {
        let part = |byte: u8| byte.is_ascii_uppercase() || byte.is_ascii_digit();
        assert_eq!(run_before(b"see AB12-", 8, 10, part), Some(4));
        assert_eq!(run_before(b"AB12-", 4, 10, part), Some(0));
        assert_eq!(run_before(b"xAB12-", 5, 10, part), None, "glued to a word");
        assert_eq!(run_before(b" ABCDEFGHIJK-", 12, 10, part), None, "too long");
        assert_eq!(run_before(b" -", 1, 10, part), None, "no run");
    }

    #[test]
    fn matches_at_steps_over_starts_inside_the_last_match() {
        let pattern = Regex::new(r"^[0-9]{2}-[0-9]{2}").expect("test pattern");
        let text = "12-34-56-78 9";
        let found: Vec<(usize, usize)> =
            matches_at(text, [0, 3, 6, 12].into_iter(), &pattern).collect();
        assert_eq!(found, [(0, 5), (6, 11)]);
    }

    #[test]
    fn lines_worth_reading_for_names() {
        let lines = |text: &str| -> Vec<(String, bool)> {
            name_lines(text)
                .into_iter()
                .map(|line| (text[line.start..line.end].to_string(), line.adjacent))
                .collect()
        };
        assert_eq!(
            lines(
                "To: Sarah Medary, City Manager\nThe request was denied.\nCity of Eugene\nby CPD"
            ),
            [
                ("To: Sarah Medary, City Manager".to_string(), true),
                ("City of Eugene".to_string(), false),
                ("by CPD".to_string(), false),
            ]
        );
        assert_eq!(
            lines("Landon\u{a0}Karr wrote"),
            [("Landon\u{a0}Karr wrote".to_string(), true)]
        );
        assert_eq!(lines("see Peña Ávila").len(), 1);
        // Up to two joining words, spaced as a table spaces them.
        assert_eq!(
            lines("Port of the Dalles"),
            [("Port of the Dalles".to_string(), false)]
        );
        assert_eq!(
            lines("Smith      Jones"),
            [("Smith      Jones".to_string(), true)]
        );
        assert!(lines("Smith and of the Jones").is_empty());
        assert!(lines("Smith (and) Jones").is_empty());
        assert!(lines("Illinois is of note").is_empty());
    }

    #[test]
    fn words_are_lowered_without_allocating() {
        assert_eq!(with_lower("McCarthy", str::to_string), "mccarthy");
        assert_eq!(with_lower("SHERIFF’S", str::to_string), "sheriff's");
    }

    #[test]
    fn standalone_rejects_glued_matches() {
        assert!(standalone("the ICE office", 4, 7));
        assert!(!standalone("NICE", 1, 4));
        assert!(!standalone("éICE", 2, 5));
    }

    #[test]
    fn defined_acronym_is_found_on_later_pages() {
        let pages = [
            "The Marlow Heights Police Department (MHPD) shares data.",
            "MHPD retains detections for a year.",
        ];
        let found = find_in_document(&pages);
        let agencies: Vec<(&str, &str)> = found[1]
            .iter()
            .filter(|e| e.kind == Kind::Agency)
            .map(|e| (e.text.as_str(), e.normalized.as_str()))
            .collect();
        assert_eq!(agencies, [("MHPD", "Marlow Heights Police Department")]);
    }
}
