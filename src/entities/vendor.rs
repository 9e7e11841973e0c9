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
    standalone, word_set, Entity, Kind, Page, Recurring, WordSet,
};

/// Capitalised words of a company name (with "&", "of" and "and" inside it).
/// A word may break over a line after a hyphen ("Pen-\nLink").
const NAME: &str =
    r"[A-Z](?:[A-Za-z0-9&'’.]|-\n?)*(?:[ ](?:&|of|and|[A-Z](?:[A-Za-z0-9&'’.]|-\n?)*)){0,4}";

/// Where corporate suffixes begin, for [`Group::VendorSuffix`]; [`SUFFIX`] reads the
/// suffix from there. Suffixes are found first: the name before one has no literal to
/// search for, so its pattern only runs in a short window before each suffix. "LP"
/// is found with the space a name leaves before it, as two letters alone are part of
/// too many words.
pub(super) fn suffix_words() -> Vec<String> {
    [
        "Inc", "L.L.C.", "LLC", "Corp", "Co.", "Company", "Ltd", "Limited", "LLP", "PLC", "GmbH",
        " LP", "INC", "CORP", "CO.", "COMPANY", "LTD", "LIMITED",
    ]
    .map(String::from)
    .to_vec()
}

/// A corporate suffix, matched where one of [`suffix_words`] begins a word.
static SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:INC\.?|CORP\.?|CORPORATION(?-u:\b)|CO\.|COMPANY(?-u:\b)|LTD\.?|LIMITED(?-u:\b)|Inc\.|Inc(?-u:\b)|L\.L\.C\.|LLC(?-u:\b)|Corp\.|Corp(?-u:\b)|Corporation(?-u:\b)|Co\.|Company(?-u:\b)|Ltd\.|Ltd(?-u:\b)|Limited(?-u:\b)|LLP(?-u:\b)|PLC(?-u:\b)|GmbH(?-u:\b)| LP(?-u:\b))",
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
        "contracts with ",
        "agreement with ",
        "contract to ",
        "Vendor: ",
        "vendor: ",
        "purchased from ",
        "supplied by ",
        "paid to ",
        "payable to ",
        "invoice from ",
        "Invoice from ",
        "quote from ",
        "Supplier: ",
        "Payee: ",
        "Remit to: ",
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
        // Letterheads and order forms write names in capitals ("FLOCK SAFETY"); a
        // short name in capitals is more often an acronym of something else.
        let capitals = alias.to_uppercase();
        if capitals != alias && alias.len() >= 6 {
            names.push(capitals);
            canonical.push(name);
        }
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
        let start = after_agencies(text, &found[..first], start, name_end);
        let public = public_corporation(&text[start..name_end])
            || text[suffix_end..].starts_with(" Counsel");
        if start < name_end && standalone(text, start, suffix_end) && !public {
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
        let name = trim_joining_words(name.trim_end_matches([',', '.']));
        let end = start + name.len();
        let government = names_government(name);
        if !government && !name.is_empty() && !overlaps(&found[first..], start, end) {
            let normalized = normalize(&text[start..end]);
            found.push(Entity::new(Kind::Vendor, text, start, end, normalized));
        }
    }
    ledger_payees(text, first, found);
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

/// Whether a name before "Corporation" is a public body's: "Northeast Illinois
/// Regional Commuter Railroad Corporation", "an Oregon Municipal Corporation".
fn public_corporation(name: &str) -> bool {
    const PUBLIC: [&str; 8] = [
        "Municipal",
        "Regional",
        "Commuter",
        "Transit",
        "Public",
        "County",
        "City",
        "State",
    ];
    name.split_whitespace().any(|word| PUBLIC.contains(&word))
}

/// A check register's row: a date, a check number, then the payee ("9/7/12 1141
/// Kountry Pet Resort 213750 485.00").
static LEDGER_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4} [0-9]{3,8} ")
        .expect("ledger row pattern compiles")
});

/// Words of a payee that is a government office, not a company.
const GOVERNMENT_PAYEE: &str = "\
    Unit Department County City State Police Sheriff Court Clerk Treasurer Treasury \
    Division Bureau Office";

static GOVERNMENT: LazyLock<WordSet> = LazyLock::new(|| word_set(GOVERNMENT_PAYEE));

/// Whether a name holds a word of a government office ("Treasury of the State").
fn names_government(name: &str) -> bool {
    name.split(' ').any(|word| GOVERNMENT.contains(word))
}

/// Words that begin a register row's description when its payee is blank: not
/// companies.
const NOT_PAYEES: &str = "\
    Per Misc Miscellaneous Renewal Reimbursement Refund Transfer Deposit Payment Fee \
    Fees Lodging Travel Meals Postage Registration Invoices Void Voided Mileage";

static NOT_PAYEE: LazyLock<WordSet> = LazyLock::new(|| word_set(NOT_PAYEES));

/// Payees of a check register: the capitalised words after a row's date and check
/// number, up to a word with digits or a short code in capitals.
fn ledger_payees(text: &str, first: usize, found: &mut Vec<Entity>) {
    if !text.contains('/') {
        return;
    }
    for row in LEDGER_ROW.find_iter(text) {
        let start = row.end();
        let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        let mut end = start;
        for (index, word) in text[start..line_end].split(' ').enumerate() {
            let capitalised = word.starts_with(|c: char| c.is_ascii_uppercase());
            let joins = matches!(word, "&" | "of" | "the" | "and" | "in");
            let code = word.len() <= 3 && word.bytes().all(|b| b.is_ascii_uppercase());
            let digits = word.bytes().any(|b| b.is_ascii_digit());
            if word.is_empty() || digits || (code && index > 0) || !(capitalised || joins) {
                break;
            }
            end = start + (word.as_ptr() as usize - text[start..].as_ptr() as usize) + word.len();
            if word.ends_with(',') {
                break;
            }
        }
        let name = trim_joining_words(text[start..end].trim_end_matches([',', ' ']));
        let words = name.split(' ').count();
        let end = start + name.len();
        let described = name
            .split(' ')
            .next()
            .is_some_and(|first| NOT_PAYEE.contains(first));
        let lower_case = name.chars().any(char::is_lowercase);
        let government = names_government(name);
        // "Dennis McNamara" is a person paid, not a company.
        let person =
            words <= 3 && super::names::is_given_name(name.split(' ').next().unwrap_or(""));
        let company = words >= 2 && lower_case && !government && !described && !person;
        if company && !overlaps(&found[first..], start, end) {
            found.push(Entity::new(Kind::Vendor, text, start, end, normalize(name)));
        }
    }
}

/// A name without the joining words it ends with ("Treasury of").
fn trim_joining_words(mut name: &str) -> &str {
    while let Some((rest, last)) = name.rsplit_once(' ') {
        if !matches!(last, "&" | "of" | "the" | "and" | "in") {
            break;
        }
        name = rest;
    }
    name
}

/// Where a company's name starts when an agency found before it stands in the words
/// read before its suffix ("Chicago Police Department and Pen-Link, Ltd."): after the
/// agency and the "and" or comma that follows it.
fn after_agencies(text: &str, agencies: &[Entity], start: usize, end: usize) -> usize {
    let Some(last) = agencies
        .iter()
        .filter(|e| e.kind == Kind::Agency && e.start < end && start < e.end)
        .map(|e| e.end)
        .max()
    else {
        return start;
    };
    let rest = &text[last..end];
    let skipped = rest.len()
        - rest
            .trim_start_matches([',', ' ', '\n'])
            .trim_start_matches("and ")
            .trim_start_matches("& ")
            .len();
    last + skipped
}

/// Mail providers and platforms whose domains name no sender's company.
const MAIL_PROVIDERS: &str = "\
    gmail googlemail yahoo hotmail outlook live msn aol icloud comcast verizon att \
    protonmail proton zoho yandex gmx mail email muckrock docusign";

static MAIL_PROVIDER: LazyLock<WordSet> = LazyLock::new(|| word_set(MAIL_PROVIDERS));

/// The company a domain names: "cobwebs" of "cobwebs.com". Government, school and
/// non-profit domains name no company; nor do mail providers.
fn company_label(domain: &str) -> Option<&str> {
    let mut parts = domain.rsplit('.');
    let top = parts.next()?;
    let label = parts.next()?;
    let commercial = matches!(top, "com" | "net" | "io" | "co" | "ai" | "biz");
    let provider = MAIL_PROVIDER.contains(label);
    (commercial && !provider && label.len() >= 4).then_some(label)
}

/// A domain after "@" or "www.".
static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:@|www\.)((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,4})(?-u:\b)")
        .expect("domain pattern compiles")
});

/// Words of non-profits' names, which are neither companies nor agencies.
const NON_PROFIT_WORDS: &str = "Institute Foundation Project Society Association Center Fund";

static NON_PROFIT: LazyLock<WordSet> = LazyLock::new(|| word_set(NON_PROFIT_WORDS));

/// Words that continue a company's name after the part its domain spells
/// ("Cobwebs Technologies").
const COMPANY_WORDS: &str = "\
    Technologies Technology Systems Solutions Software Group Labs Networks Analytics \
    Communications Security Safety Services Intelligence Data";

static COMPANY_WORD: LazyLock<WordSet> = LazyLock::new(|| word_set(COMPANY_WORDS));

/// Adds, on every page of a document, the companies its e-mail addresses name: the
/// capitalised words whose letters spell a commercial domain ("Cobwebs" for
/// "@cobwebs.com", "Flock Safety" for "@flocksafety.com").
pub fn companies_from_domains(pages: &[&str], per_page: &mut [Vec<Entity>]) {
    // Addresses, redacted ones ("< @cobwebs.com>") and web sites ("www.cobwebs.com").
    let mut labels: Vec<String> = pages
        .iter()
        .flat_map(|text| DOMAIN.captures_iter(text))
        .filter_map(|domain| {
            let domain = domain.get(1)?.as_str().to_ascii_lowercase();
            company_label(&domain).map(str::to_string)
        })
        .collect();
    labels.sort_unstable();
    labels.dedup();
    if labels.is_empty() {
        return;
    }
    for (text, found) in pages.iter().zip(per_page.iter_mut()) {
        let words: Vec<(usize, &str)> = text
            .split([' ', '\n', '\t', '\u{a0}'])
            .map(|word| {
                let at = word.as_ptr() as usize - text.as_ptr() as usize;
                let word = word.trim_end_matches([',', '.', ':', ';', ')']);
                let bare = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s"));
                (at, bare.unwrap_or(word))
            })
            .collect();
        let existing = found.len();
        for first in 0..words.len() {
            let mut squashed = String::new();
            for last in first..words.len().min(first + 3) {
                let (_, word) = words[last];
                if !word.starts_with(|c: char| c.is_uppercase()) {
                    break;
                }
                squashed.extend(word.chars().filter(char::is_ascii_alphanumeric));
                squashed.make_ascii_lowercase();
                if labels.binary_search(&squashed).is_err() {
                    continue;
                }
                let mut end_word = last;
                if let Some(&(_, next)) = words.get(last + 1) {
                    if COMPANY_WORD.contains(next) {
                        end_word += 1;
                    }
                }
                let (start, end) = (words[first].0, words[end_word].0 + words[end_word].1.len());
                // The name, or the word after it, says "non-profit".
                let non_profit = words[first..(end_word + 2).min(words.len())]
                    .iter()
                    .any(|(_, word)| NON_PROFIT.contains(word));
                if !non_profit && !overlaps(&found[..existing], start, end) {
                    let name = normalize(&text[start..end]);
                    found.push(Entity::new(Kind::Vendor, text, start, end, name));
                }
                break;
            }
        }
    }
}

/// Whether a company's name, found again alone, can only mean the company: several
/// words, or one word that is no ordinary word ("PredPol", "ELERTS", "3M"), as "Many"
/// of "Many, LLC" or "Construct" would be found in every sentence.
fn distinctive(name: &str) -> bool {
    let mut chars = name.chars();
    let inner_capital = chars.next().is_some() && chars.clone().any(char::is_uppercase);
    let several_words = name.split_whitespace().nth(1).is_some();
    let odd = inner_capital || name.chars().any(|c| c.is_ascii_digit());
    name.chars().count() >= 4 && (several_words || odd)
}

/// The names of the companies a document names, to find where it names them again
/// without a suffix or context ("PenLink" after "PenLink, Ltd.", "Pen-Link").
pub fn document_names(per_page: &[Vec<Entity>]) -> Option<Recurring> {
    let mut names: Vec<String> = per_page
        .iter()
        .flatten()
        .filter(|e| e.kind == Kind::Vendor && distinctive(&e.normalized))
        .map(|e| e.normalized.clone())
        .collect();
    names.sort_unstable();
    names.dedup();
    let pairs = names.into_iter().flat_map(|name| {
        // "Pen-Link" is also written "PenLink" and "Pen Link".
        let mut forms = vec![name.clone()];
        if name.contains('-') {
            forms.push(name.replace('-', ""));
            forms.push(name.replace('-', " "));
        }
        forms.into_iter().map(move |form| (form, name.clone()))
    });
    Recurring::new(Kind::Vendor, pairs)
}

/// The vendor name without corporate suffix and punctuation, through the gazetteer.
pub fn normalize(value: &str) -> String {
    // "Pen-\nLink" broken over a line is "Pen-Link".
    let mut name = plain_name(value).replace("- ", "-");
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
            "Limited",
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
        assert!(
            vendors("the Northeast Illinois Regional Commuter Railroad Corporation").is_empty()
        );
        assert!(vendors("the City of Eugene, an Oregon Municipal Corporation").is_empty());
        assert!(vendors("Assistant Corporation Counsel").is_empty());
        assert!(vendors("1/9/12 1124 Southwest Major Case Unit 11/1/2011 1,000.00").is_empty());
        assert!(vendors("1/20/10 1062 ML 1062 3,000.00").is_empty());
        assert!(vendors("9/22/11 1117 Per Diem Rockford 339.67").is_empty());
        assert!(vendors("7/30/13 1290 Dennis McNamara 300.00").is_empty());
        assert!(vendors("1/2/12 1200 Treasury of the State 10.00").is_empty());
    }

    #[test]
    fn companies_their_domains_name() {
        let pages = [
            "From: John Ohare < @cobwebs.com>\nSubject: RE: Cobwebs\nwww.cobwebs.com",
            "Director, Cobwebs Technologies\nthe Invisible Institute (info@invisibleinstitute.com)\njane@gmail.com and Gmail",
        ];
        let mut per_page = vec![Vec::new(), Vec::new()];
        companies_from_domains(&pages, &mut per_page);
        let names: Vec<Vec<&str>> = per_page
            .iter()
            .map(|found| found.iter().map(|e| e.text.as_str()).collect())
            .collect();
        assert_eq!(names, [vec!["Cobwebs"], vec!["Cobwebs Technologies"]]);
    }

    #[test]
    fn check_register_payees() {
        let found = vendors(
            "9/8/11 1116 Gene's Village Towing 11-123728 450.00\n\
             12/19/11 1121 Bank Of America CR 11-123728 OCT 2011 409.00\n\
             5/31/12 1134 Verizon Wireless\n\
             9/7/12 1141 Kountry Pet Resort 213750 485.00",
        );
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Gene's Village Towing",
                "Bank Of America",
                "Verizon Wireless",
                "Kountry Pet Resort"
            ]
        );
    }

    #[test]
    fn other_suffixes() {
        let found = vendors("Face Searcher by Allevate Limited, and Pen-Link, Ltd. here");
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Allevate", "Pen-Link"]);
        assert_eq!(normalize("Pen-\nLink, Ltd."), "Pen-Link");
        let found = vendors("WESTERN RESERVE LIFE ASSURANCE CO. OF OHIO,");
        assert_eq!(found[0].1, "Western Reserve Life Assurance");
        let found = vendors("the relationship with Pen-\nLink, Ltd. ended");
        assert_eq!(found[0].1, "Pen-Link");
        let found = vendors("FLOCK SAFETY\nPO BOX 121923");
        assert_eq!(found[0].1, "Flock Safety");
    }
}
