//! Government bodies: a gazetteer of federal departments and agencies (with aliases
//! and acronyms, `agencies.tsv`) folds every spelling to one canonical name; patterns
//! catch the long tail of local agencies ("<Place> Police Department", "<Place> County
//! Sheriff's Office", "<State> Highway Patrol", "Office of ..."). An acronym counts
//! only when the gazetteer knows it or the document defines it.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::triggers::Group;
use super::{
    add_gazetteer_hits, begins_word, char_boundary_from, collapse_spaces, gazetteer_entries,
    government, matches_at, overlaps, plain_name, standalone, Entity, Kind, Page,
};

struct Gazetteer {
    /// Full names, matched ignoring case; `names[i]` belongs to `name_canonical[i]`.
    names: Vec<String>,
    name_canonical: Vec<&'static str>,
    /// Acronyms, matched exactly.
    acronyms: Vec<String>,
    acronym_canonical: Vec<&'static str>,
    /// Lowercased name or exact acronym -> canonical, for query values.
    lookup: HashMap<String, &'static str>,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut names = Vec::new();
    let mut name_canonical = Vec::new();
    let mut acronyms = Vec::new();
    let mut acronym_canonical = Vec::new();
    let mut lookup = HashMap::new();
    for (canonical, alias) in gazetteer_entries(include_str!("agencies.tsv")) {
        if is_acronym(alias) {
            acronyms.push(alias.to_string());
            acronym_canonical.push(canonical);
            lookup.insert(alias.to_string(), canonical);
        } else {
            // "and" and "&" are written either way.
            for spelling in [alias.to_string(), alias.replace(" and ", " & ")] {
                lookup.insert(spelling.to_lowercase(), canonical);
                names.push(spelling);
                name_canonical.push(canonical);
            }
        }
    }
    Gazetteer {
        names,
        name_canonical,
        acronyms,
        acronym_canonical,
        lookup,
    }
});

/// Whether a canonical agency name is one of the gazetteer's (a body known by name,
/// rather than one found by the shape of its name, such as an "Office of ...").
pub fn is_listed(canonical: &str) -> bool {
    GAZETTEER.lookup.contains_key(&canonical.to_lowercase())
}

/// The gazetteer's names, for [`Group::AgencyName`].
pub(super) fn name_words() -> Vec<String> {
    GAZETTEER.names.clone()
}

/// The gazetteer's acronyms, for [`Group::AgencyAcronym`].
pub(super) fn acronym_words() -> Vec<String> {
    GAZETTEER.acronyms.clone()
}

/// Endings of local agency names ("... Police Department"), found first so the
/// name pattern only runs where one stands (it has no literal to search for); for
/// [`Group::AgencyEnding`].
pub(super) fn ending_words() -> Vec<String> {
    let mut endings: Vec<String> = [
        "police department",
        "police dept.",
        "sheriff's office",
        "sheriff's department",
        "highway patrol",
        "state police",
        "department of corrections",
        "district attorney's office",
    ]
    .iter()
    .flat_map(|ending| [ending.to_string(), ending.replace('\'', "’")])
    // Written in lower case, title case or capitals, and only so.
    .flat_map(|ending| [ending.to_uppercase(), title_case(&ending), ending])
    .collect();
    endings.sort_unstable();
    endings.dedup();
    endings
}

/// One to four capitalised words right before a local agency ending.
static LOCAL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[A-Z][A-Za-z.'’-]+\s){1,4}$").expect("local agency name compiles")
});

/// Bodies named for what they are "of" ("Office of Inspector General").
const OFFICES: [&str; 6] = [
    "Department",
    "Office",
    "Bureau",
    "Division",
    "Board",
    "Commission",
];

/// Where such a name begins, for [`Group::OfficeOf`]; [`OFFICE_OF`] reads the name
/// from there.
pub(super) fn office_words() -> Vec<String> {
    OFFICES.map(|word| format!("{word} of")).to_vec()
}

/// An office, bureau or department "of" something, within a line.
static OFFICE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:{}) of(?: the)?(?: [A-Z][A-Za-z'’-]+){{1,4}}",
        OFFICES.join("|")
    ))
    .expect("office pattern compiles")
});

/// "police department" -> "Police Department".
fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How far before an ending the name words are looked for.
const NAME_WINDOW: usize = 100;

/// Spans of local agency names and "Office of ..." names on a page.
fn pattern_spans(page: &Page) -> Vec<(usize, usize)> {
    let (text, triggers) = (page.text, &page.triggers);
    let mut spans = Vec::new();
    for ending in triggers.of(Group::AgencyEnding) {
        let window = char_boundary_from(text, ending.start.saturating_sub(NAME_WINDOW));
        let before = &text[window..ending.start];
        if let Some(name) = LOCAL_NAME.find(before) {
            // A match that starts inside a word ("McDonald" -> "Donald") starts at the
            // next whole word instead.
            let mut start = name.start();
            if before[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            {
                match before[start..name.end()].find(char::is_whitespace) {
                    Some(space) if start + space + 1 < name.end() => start += space + 1,
                    _ => continue,
                }
            }
            spans.push((window + start, ending.end));
        }
    }
    let offices = triggers
        .of(Group::OfficeOf)
        .iter()
        .map(|office| office.start)
        .filter(|&start| begins_word(text.as_bytes(), start));
    spans.extend(matches_at(text, offices, &OFFICE_OF));
    spans.sort_unstable();
    spans
}

/// "(ABC)" right after a name: the document defines an acronym for it.
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\(([A-Z][A-Z&]{1,9})\)").expect("definition pattern compiles")
});

fn is_acronym(text: &str) -> bool {
    text.len() >= 2 && text.chars().all(|c| c.is_ascii_uppercase())
}

/// Adds the agencies named on a page. Gazetteer names are matched across line breaks
/// (in the page's flat text), while patterns, which could
/// run from one table cell into the next line, only cross a break right before
/// their ending ("Calder County / Sheriff's Office").
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let (text, flat, triggers) = (page.text, page.flat.as_str(), &page.triggers);
    let gazetteer = &*GAZETTEER;
    let first = found.len();
    for hit in triggers.of(Group::AgencyName) {
        if standalone(flat, hit.start, hit.end) {
            let canonical = gazetteer.name_canonical[hit.word].to_string();
            found.push(Entity::new(
                Kind::Agency,
                flat,
                hit.start,
                hit.end,
                canonical,
            ));
        }
    }
    for (start, end) in pattern_spans(page) {
        let (start, end) = trim_leading_article(text, start, end);
        let name = &flat[start..end];
        // "The Sheriff's Office" alone names no particular office.
        let named = name.split(' ').count() > 2 || name.contains(" of ");
        if named && !overlaps(&found[first..], start, end) {
            found.push(Entity::new(Kind::Agency, flat, start, end, normalize(name)));
        }
    }
    for (start, end) in government::spans(page) {
        if !overlaps(&found[first..], start, end) {
            let name = collapse_spaces(&flat[start..end]);
            let name = match government::expand(&name) {
                Some(expanded) => normalize(&expanded),
                None if is_acronym(&name) => name,
                None => normalize(&name),
            };
            found.push(Entity::new(Kind::Agency, flat, start, end, name));
        }
    }
    add_gazetteer_hits(
        flat,
        triggers.of(Group::AgencyAcronym),
        &gazetteer.acronym_canonical,
        Kind::Agency,
        first,
        found,
    );
}

/// The canonical name for an agency as written anywhere (a query value, a match).
pub fn normalize(value: &str) -> String {
    let cleaned = plain_name(value);
    let lookup = &GAZETTEER.lookup;
    // Acronyms are kept as written, names in lower case.
    let canonical = if is_acronym(&cleaned) {
        lookup.get(&cleaned)
    } else {
        lookup.get(&cleaned.to_lowercase())
    };
    canonical.map_or(cleaned, |canonical| canonical.to_string())
}

/// Acronyms a document defines right after naming an agency, with the agency's
/// canonical name. Acronyms the gazetteer knows are left to it.
pub fn acronym_definitions(pages: &[&str], found: &[Vec<Entity>]) -> Option<DefinedAcronyms> {
    let mut definitions: HashMap<String, String> = HashMap::new();
    for (text, entities) in pages.iter().zip(found) {
        for entity in entities.iter().filter(|entity| entity.kind == Kind::Agency) {
            if let Some(definition) = DEFINITION.captures(&text[entity.end..]) {
                let acronym = &definition[1];
                if !GAZETTEER.lookup.contains_key(acronym) && !is_acronym(&entity.text) {
                    definitions.insert(acronym.to_string(), entity.normalized.clone());
                }
            }
        }
    }
    if definitions.is_empty() {
        return None;
    }
    let (acronyms, canonical): (Vec<String>, Vec<String>) = definitions.into_iter().unzip();
    let matcher = AhoCorasickBuilder::new()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(&acronyms)
        .ok()?;
    Some(DefinedAcronyms { matcher, canonical })
}

/// Acronyms one document defines, built once and searched on each of its pages.
pub struct DefinedAcronyms {
    matcher: AhoCorasick,
    /// Canonical agency name of each acronym, by pattern index.
    canonical: Vec<String>,
}

/// Adds occurrences of document-defined acronyms on a page.
pub fn find_defined(text: &str, defined: &DefinedAcronyms, found: &mut Vec<Entity>) {
    let agencies_end = found.len();
    // Abbreviations found by their shape ("MHPD") take the name the document gives.
    for entity in found.iter_mut().filter(|e| e.kind == Kind::Agency) {
        if let Some(hit) = defined.matcher.find(entity.text.as_str()) {
            if hit.len() == entity.text.len() {
                entity.normalized = defined.canonical[hit.pattern().as_usize()].clone();
            }
        }
    }
    for hit in defined.matcher.find_iter(text) {
        let (start, end) = (hit.start(), hit.end());
        let covered = found[..agencies_end]
            .iter()
            .any(|e| e.kind == Kind::Agency && e.start < end && start < e.end);
        if standalone(text, start, end) && !covered {
            let canonical = defined.canonical[hit.pattern().as_usize()].clone();
            found.push(Entity::new(Kind::Agency, text, start, end, canonical));
        }
    }
}

/// Gives abbreviations found by their shape ("MHPD", "CPD") the name of the agency
/// the same document names whose initials they are ("Marlow Heights Police
/// Department"), when exactly one has them.
pub fn resolve_initials(per_page: &mut [Vec<Entity>]) {
    let mut by_initials: HashMap<String, Option<String>> = HashMap::new();
    for entity in per_page.iter().flatten() {
        if entity.kind != Kind::Agency || is_acronym(&entity.normalized) {
            continue;
        }
        let initials = initials(&entity.normalized);
        if initials.len() >= 2 {
            by_initials
                .entry(initials)
                .and_modify(|name| {
                    if name.as_deref() != Some(entity.normalized.as_str()) {
                        *name = None;
                    }
                })
                .or_insert_with(|| Some(entity.normalized.clone()));
        }
    }
    for entity in per_page.iter_mut().flatten() {
        if entity.kind == Kind::Agency
            && entity.normalized == entity.text
            && is_acronym(&entity.text)
        {
            if let Some(Some(name)) = by_initials.get(&entity.text) {
                entity.normalized = name.clone();
            }
        }
    }
}

/// "Marlow Heights Police Department" -> "MHPD"; "Department of Homeland Security"
/// -> "DHS" (small words are skipped).
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter(|word| !matches!(*word, "of" | "the" | "and" | "for" | "&" | "on"))
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// "The Marlow Heights Police Department" at a sentence start names the department.
fn trim_leading_article(text: &str, start: usize, end: usize) -> (usize, usize) {
    let matched = &text[start..end];
    for article in ["The ", "THE "] {
        if let Some(rest) = matched.strip_prefix(article) {
            return (end - rest.len(), end);
        }
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agencies(text: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found.into_iter().map(|e| (e.text, e.normalized)).collect()
    }

    const ICE: &str = "U.S. Immigration and Customs Enforcement";

    #[test]
    fn spellings_of_ice_fold_to_one_name() {
        for text in [
            "sent to ICE today",
            "U.S. Immigration and Customs Enforcement",
            "Immigration & Customs Enforcement agents",
            "IMMIGRATION AND CUSTOMS ENFORCEMENT",
        ] {
            let found = agencies(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].1, ICE, "{text}");
        }
        assert_eq!(normalize("ICE"), ICE);
        assert_eq!(normalize("immigration and customs enforcement"), ICE);
    }

    #[test]
    fn every_gazetteer_spelling_is_found_alone_and_in_capitals() {
        for (canonical, spelling) in gazetteer_entries(include_str!("agencies.tsv")) {
            for text in [spelling.to_string(), spelling.to_uppercase()] {
                let found = agencies(&format!("(see {text}.)"));
                assert_eq!(found.len(), 1, "{text}: {found:?}");
                assert_eq!(found[0].1, canonical, "{text}");
            }
        }
    }

    #[test]
    fn local_agencies_by_pattern() {
        let found = agencies(
            "by the Marlow Heights Police Department and the CALDER COUNTY SHERIFF’S OFFICE",
        );
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Marlow Heights Police Department",
                "Calder County Sheriff's Office"
            ]
        );
        let found = agencies("The California Highway Patrol and the Office of Inspector General");
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            ["California Highway Patrol", "Office of Inspector General"]
        );
    }

    #[test]
    fn near_misses_are_not_agencies() {
        assert!(agencies("a NICE day, ice cream, Ice on the road").is_empty());
        assert!(agencies("the police department said").is_empty());
        assert!(agencies("MHSA wrote").is_empty(), "undefined acronym");
        // A police department's abbreviation says what it is, defined or not.
        assert_eq!(agencies("MHPD wrote"), [("MHPD".into(), "MHPD".into())]);
    }
}
