//! Companies: names ending in a corporate suffix ("Vigilant Solutions, LLC"), names in
//! contract language ("awarded to X", "contract with X", "Vendor: X"), and a gazetteer
//! of public-sector technology vendors (`vendors.tsv`). The normalised name drops the
//! suffix, so "Vigilant Solutions, LLC" and "Vigilant Solutions" are one vendor.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::triggers::Group;
use super::{
    add_gazetteer_hits, begins_word, char_boundary_from, gazetteer_entries, overlaps, plain_name,
    standalone, Entity, Kind, Page,
};

/// Capitalised words of a company name (with "&", "of" and "and" inside it).
const NAME: &str = r"[A-Z][A-Za-z0-9&'’.-]*(?:[ ](?:&|of|and|[A-Z][A-Za-z0-9&'’.-]*)){0,4}";

/// Where corporate suffixes begin, for [`Group::VendorSuffix`]; [`SUFFIX`] reads the
/// suffix from there. Suffixes are found first: the name before one has no literal to
/// search for, so its pattern only runs in a short window before each suffix. "LP"
/// is found with the space a name leaves before it, as two letters alone are part of
/// too many words.
pub(super) fn suffix_words() -> Vec<String> {
    [
        "Inc", "L.L.C.", "LLC", "Corp", "Co.", "Company", "Ltd", "LLP", "PLC", "GmbH", " LP",
    ]
    .map(String::from)
    .to_vec()
}

/// A corporate suffix, matched where one of [`suffix_words`] begins a word.
static SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:Inc\.|Inc(?-u:\b)|L\.L\.C\.|LLC(?-u:\b)|Corp\.|Corp(?-u:\b)|Corporation(?-u:\b)|Co\.|Company(?-u:\b)|Ltd\.|Ltd(?-u:\b)|LLP(?-u:\b)|PLC(?-u:\b)|GmbH(?-u:\b)| LP(?-u:\b))",
    )
    .expect("vendor suffix pattern compiles")
});

/// Spans of the corporate suffixes on a page, from left to right.
fn suffixes<'a>(page: &'a Page) -> impl Iterator<Item = (usize, usize)> + 'a {
    let text = page.text;
    let bytes = text.as_bytes();
    page.triggers
        .of(Group::VendorSuffix)
        .iter()
        .filter_map(move |hit| {
            // " LP" brings its own space; the other suffixes begin a word.
            let lp = bytes[hit.start] == b' ';
            if !lp && !begins_word(bytes, hit.start) {
                return None;
            }
            let suffix = SUFFIX.find(&text[hit.start..])?;
            Some((hit.start + usize::from(lp), hit.start + suffix.end()))
        })
}

/// The company name right before a suffix, at the end of the window.
static NAME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?:^|[\s(]){NAME},?[ ]$")).expect("vendor name pattern compiles")
});

/// How far before a suffix the name is looked for.
const NAME_WINDOW: usize = 120;

/// Contract language before a vendor's name, for [`Group::VendorContext`].
pub(super) fn context_words() -> Vec<String> {
    [
        "awarded to ",
        "contract with ",
        "contract to ",
        "Vendor: ",
        "vendor: ",
        "purchased from ",
        "supplied by ",
    ]
    .map(String::from)
    .to_vec()
}

/// The name after one of [`context_words`].
static CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:the[ ])?{NAME}")).expect("vendor context pattern compiles")
});

struct Gazetteer {
    /// Spellings, matched exactly; `names[i]` belongs to `canonical[i]`.
    names: Vec<String>,
    canonical: Vec<&'static str>,
    lookup: HashMap<String, &'static str>,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut names = Vec::new();
    let mut canonical = Vec::new();
    let mut lookup = HashMap::new();
    for (name, alias) in gazetteer_entries(include_str!("vendors.tsv")) {
        names.push(alias.to_string());
        canonical.push(name);
        lookup.insert(alias.to_lowercase(), name);
    }
    Gazetteer {
        names,
        canonical,
        lookup,
    }
});

/// The gazetteer's spellings, for [`Group::VendorName`].
pub(super) fn name_words() -> Vec<String> {
    GAZETTEER.names.clone()
}

/// Adds the companies named on a page; the gazetteer matches across line breaks in
/// `flat` (the page with line breaks as spaces), the patterns stay within a line.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let (text, flat) = (page.text, page.flat.as_str());
    let first = found.len();
    // A name never reaches back over the previous company's suffix.
    let mut previous_end = 0;
    for (suffix_start, suffix_end) in suffixes(page) {
        // "Co." that ends a sentence ("... and Co. The") is too often something else.
        if &text[suffix_start..suffix_end] == "Co."
            && text[suffix_end..]
                .trim_start()
                .starts_with(char::is_uppercase)
        {
            continue;
        }
        let window = char_boundary_from(
            text,
            suffix_start.saturating_sub(NAME_WINDOW).max(previous_end),
        );
        previous_end = suffix_end;
        // The match is "<space or (>name<,> " or "name<,> " at the window start: the
        // name is read from its ends, cheaper than capture groups on every suffix.
        let Some(hit) = NAME_BEFORE.find(&text[window..suffix_start]) else {
            continue;
        };
        let matched = hit.as_str();
        let lead = matched
            .chars()
            .next()
            .filter(|c| c.is_whitespace() || *c == '(')
            .map_or(0, char::len_utf8);
        let tail = matched.len() - matched.trim_end_matches(' ').trim_end_matches(',').len();
        let (name_start, name_end) = (window + hit.start() + lead, window + hit.end() - tail);
        let start = skip_leading_words(text, name_start, name_end);
        if start < name_end && standalone(text, start, suffix_end) {
            let normalized = normalize(&text[start..name_end]);
            found.push(Entity::new(
                Kind::Vendor,
                text,
                start,
                suffix_end,
                normalized,
            ));
        }
    }
    let mut last_end = 0;
    for context in page.triggers.of(Group::VendorContext) {
        if context.start < last_end {
            continue;
        }
        let Some(hit) = CONTEXT.find(&text[context.end..]) else {
            continue;
        };
        last_end = context.end + hit.end();
        // A name begins with a capital, so a "the " the match begins with is not its.
        let name = hit.as_str().strip_prefix("the ").unwrap_or(hit.as_str());
        let start = last_end - name.len();
        let end = start + name.trim_end_matches([',', '.']).len();
        if !overlaps(&found[first..], start, end) {
            let normalized = normalize(&text[start..end]);
            found.push(Entity::new(Kind::Vendor, text, start, end, normalized));
        }
    }
    let gazetteer = &*GAZETTEER;
    add_gazetteer_hits(
        flat,
        page.triggers.of(Group::VendorName),
        &gazetteer.canonical,
        Kind::Vendor,
        first,
        found,
    );
}

/// The vendor name without corporate suffix and punctuation, through the gazetteer.
pub fn normalize(value: &str) -> String {
    let mut name = plain_name(value);
    loop {
        let trimmed = name.trim_end_matches([',', ' ', '.']);
        let without = [
            "Inc",
            "LLC",
            "L.L.C",
            "Corp",
            "Corporation",
            "Co",
            "Company",
            "Ltd",
            "LLP",
            "LP",
            "PLC",
            "GmbH",
        ]
        .iter()
        .find_map(|suffix| {
            trimmed
                .strip_suffix(suffix)
                .filter(|rest| rest.ends_with([' ', ',']))
        });
        match without {
            Some(rest) => name = rest.to_string(),
            None => {
                name = trimmed.to_string();
                break;
            }
        }
    }
    match GAZETTEER.lookup.get(&name.to_lowercase()) {
        Some(canonical) => canonical.to_string(),
        None => name,
    }
}

/// Words that start a sentence or a label rather than a company name.
fn skip_leading_words(text: &str, start: usize, end: usize) -> usize {
    let mut start = start;
    for word in [
        "The ",
        "Contractor: ",
        "Contractor ",
        "Vendor: ",
        "Vendor ",
        "Payee ",
        "To ",
        "From ",
        "By ",
    ] {
        if text[start..end].starts_with(word) {
            start += word.len();
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendors(text: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found.into_iter().map(|e| (e.text, e.normalized)).collect()
    }

    #[test]
    fn suffix_spellings_fold_to_one_name() {
        for text in [
            "Contractor: Vigilant Solutions, LLC",
            "paid to Vigilant Solutions LLC.",
            "Vigilant Solutions, L.L.C. billed",
            "the Vigilant Solutions portal",
        ] {
            let found = vendors(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].1, "Vigilant Solutions", "{text}");
        }
        assert_eq!(normalize("Vigilant Solutions, LLC"), "Vigilant Solutions");
    }

    #[test]
    fn other_suffixes_and_contract_language() {
        let found = vendors("Booz Allen Hamilton Inc. and Acme Widget Corp. were paid");
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Booz Allen Hamilton", "Acme Widget"]);
        let found = vendors("The contract was awarded to Northwind Analytics for two years.");
        assert_eq!(found[0].1, "Northwind Analytics");
    }

    #[test]
    fn limited_partnerships() {
        let found = vendors("paid Harbor Fund LP, and Harbor Fund, LP.");
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Harbor Fund", "Harbor Fund"]);
        assert!(vendors("the ALPR system, HELP desk").is_empty());
    }

    #[test]
    fn near_misses_are_not_vendors() {
        assert!(
            vendors("Smith and Co. The next item").is_empty(),
            "Co. ending a sentence"
        );
        assert!(vendors("the company incorporated in Delaware").is_empty());
        assert!(vendors("a vigilant officer").is_empty());
    }
}
