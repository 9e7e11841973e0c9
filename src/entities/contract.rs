//! Contract, order and case numbers: federal procurement identifiers (PIIDs such as
//! HSCEMD-17-C-00005 and 70CMSD19C00000001, GSA schedules such as GS-35F-0119Y), FOIA
//! request numbers (2018-ICFO-12345), federal court case numbers (1:18-cv-01234) and
//! the case and document numbers agencies write as dash-separated groups of capitals
//! and digits. Normalised without dashes and
//! spaces, so each spelling of a number matches the others.

use std::sync::LazyLock;

use regex::Regex;

use super::triggers::Group;
use super::{
    begins_word, char_boundary_from, matches_at, run_before, word_byte, Entity, Kind, Page,
};

/// Dash-separated groups of capitals and digits ("HSCEMD-17-C-00005",
/// "2018-ICFO-12345"), matched from the group before the first dash.
static DASHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z0-9]{1,10}(?:-[A-Z0-9]{1,10}){2,5}(?-u:\b)")
        .expect("dashed identifier pattern compiles")
});

/// Federal court case numbers: office, year, case type and number, then judges'
/// initials ("1:18-cv-01234-ABC", "2:19-CR-00123"), matched from the office before
/// the colon.
static DOCKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[0-9]{1,2}[:-][0-9]{2}-(?i:cv|cr|mj|mc|md|po|sw|bk|ap|gj)-[0-9]{3,6}(?:-[A-Z]{2,4}){0,3}(?-u:\b)",
    )
    .expect("docket pattern compiles")
});

/// GSA schedules, also written without dashes ("GS35F0119Y").
static SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^GS-?[0-9]{2}F-?[0-9]{4}[A-Z](?-u:\b)").expect("schedule pattern compiles")
});

/// PIIDs written without dashes ("70CMSD19C00000001") end in a serial of eight digits.
const SERIAL_DIGITS: usize = 8;

/// Office code, fiscal year and instrument type in front of a PIID's serial.
static PIID_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z0-9]{6}[0-9]{2}[A-Z]$").expect("PIID head pattern compiles")
});

/// Length of [`PIID_HEAD`]'s match.
const PIID_HEAD_LEN: usize = 9;

/// Labels that name what a number identifies. Strong labels take a number right
/// after them ("Contract 2025-03244", "Case: 21-2728", "Solicitation No. RFI
/// 20252027"); weak ones only with "No.", "Number" or "#" between ("Bid No. 1515-15006B",
/// not "Order 66"); "No." alone only a number with a dash or colon ("No. 12-2207").
const STRONG_LABELS: &[&str] = &[
    "Contract",
    "Case",
    "Docket",
    "Solicitation",
    "Agreement",
    "Purchase Order",
    "Civil Action",
    "PO ",
    "P.O.",
    "RFP",
    "RFI",
    "RFQ",
    "IFB",
    "Award",
    "Requisition",
    "Appellate Case",
    "Task Order",
    "Delivery Order",
    "Grant Agreement",
    "MOU",
    "MOA",
];
const WEAK_LABELS: &[&str] = &[
    "Order",
    "Bid",
    "File",
    "Project",
    "Proposal",
    "Appeal",
    "Grant",
    "Invitation",
    "Matter",
    "Cause",
    "Indictment",
    "Complaint",
];
const NUMBER_WORDS: &[&str] = &["No.", "Nos."];

/// The labels, for [`Group::ContractLabel`], which finds them in any case; a hit's
/// `word` indexes this list. ("PO" carries its space: two letters alone are inside
/// too many words.)
pub(super) fn label_words() -> Vec<String> {
    STRONG_LABELS
        .iter()
        .chain(WEAK_LABELS)
        .chain(NUMBER_WORDS)
        .map(|word| word.to_string())
        .collect()
}

/// How strongly a label, as written, says a number follows: labels count in title
/// case or capitals, and strong ones also in lower case ("contract number").
fn label_strength(written: &str) -> Option<Strength> {
    let written = written.trim_end();
    let find = |list: &[&str]| {
        list.iter()
            .map(|label| label.trim_end())
            .find(|label| label.eq_ignore_ascii_case(written))
            .map(|label| {
                written == label
                    || written == label.to_uppercase()
                    || written == label.to_lowercase()
            })
    };
    if let Some(cased) = find(STRONG_LABELS) {
        return cased.then_some(Strength::Strong);
    }
    let cased_as = |label: &str| written == label || written == label.to_uppercase();
    if WEAK_LABELS.iter().any(|label| cased_as(label)) {
        Some(Strength::Weak)
    } else if NUMBER_WORDS.iter().any(|label| cased_as(label)) {
        Some(Strength::NumberWord)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    Strong,
    Weak,
    NumberWord,
}

/// What may stand between a label and its number, and the number: a court number
/// written with spaces ("08 CR 846"), or a word of digits, capitals and separators
/// with at least one digit, maybe after a short prefix in capitals ("RFI 20252027").
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^
        (?P<number_word>\s?(?:No\.?|NO\.?|no\.|Nos\.?|NOS\.?|Number|NUMBER|number|Numbers|\#|Nbr\.?))?
        [\ ]?[:\#.]?[\ ]?
        (?P<id>
            [0-9]{2}\ (?:CR|CV|CH|L|M|D|C)\ [0-9]{2,7}
          | (?:[A-Z]{2,4}[\ -])?[A-Za-z0-9]*[0-9][A-Za-z0-9]*(?:[-:./][A-Za-z0-9]+)*
        )",
    )
    .expect("labelled identifier pattern compiles")
});

/// Further numbers after a plural label ("Docket Nos. 19031-13, 27735-13").
static LIST_NEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:,\s?|,?\s(?:and|&)\s)(?P<id>[A-Za-z0-9]*[0-9][A-Za-z0-9]*(?:[-:./][A-Za-z0-9]+)*)",
    )
    .expect("identifier list pattern compiles")
});

/// Whether a labelled word is a number worth keeping: long enough, and not a date, a
/// year, a range of years, an amount or a telephone number.
fn plausible_number(id: &str) -> bool {
    let id = id.trim_end_matches(['.', '/', ':', '-']);
    let digits = id.bytes().filter(u8::is_ascii_digit).count();
    let alphanumeric = id.bytes().filter(u8::is_ascii_alphanumeric).count();
    if digits == 0 || alphanumeric < 4 {
        return false;
    }
    let year = |part: &str| part.len() == 4 && (part.starts_with("19") || part.starts_with("20"));
    let parts: Vec<&str> = id.split(['-', '/', '.', ':']).collect();
    let all_digits = |part: &&str| part.bytes().all(|b| b.is_ascii_digit());
    if parts.iter().all(all_digits) {
        let lengths: Vec<usize> = parts.iter().map(|part| part.len()).collect();
        let date =
            matches!(lengths.as_slice(), [1 | 2, 1 | 2, 2 | 4] | [4, 2, 2]) && !id.contains('.');
        let years = parts.iter().all(|part| year(part));
        let phone = matches!(lengths.as_slice(), [3, 3, 4] | [1, 3, 3, 4]);
        let short = parts.len() == 1 && id.len() <= 4;
        return !(date || years || phone || short);
    }
    true
}

/// Spans of the numbers labels name on a page.
fn labelled(page: &Page) -> Vec<(usize, usize)> {
    let text = page.text;
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut last_end = 0;
    for hit in page.triggers.of(Group::ContractLabel) {
        if hit.start < last_end || !begins_word(bytes, hit.start) {
            continue;
        }
        let Some(strength) = label_strength(&text[hit.start..hit.end]) else {
            continue;
        };
        let after = &text[hit.end..];
        let captures = LABELLED.captures(after);
        let Some(id) = captures.as_ref().and_then(|captures| captures.name("id")) else {
            if strength == Strength::Strong {
                spans.extend(under_heading(text, hit.start, hit.end));
            }
            continue;
        };
        if id.as_str().starts_with(['B', 'b']) && id.as_str()[..3].eq_ignore_ascii_case("box") {
            continue;
        }
        let has_number_word = captures
            .as_ref()
            .is_some_and(|captures| captures.name("number_word").is_some());
        let shaped_like_a_case = id.as_str().contains(['-', ':']);
        let enough = match strength {
            Strength::Strong => true,
            Strength::Weak => has_number_word,
            Strength::NumberWord => shaped_like_a_case,
        };
        let start = hit.end + id.start();
        let end = start + id.as_str().trim_end_matches(['.', '/', ':', '-']).len();
        if !enough || !plausible_number(&text[start..end]) || !ends_word(text, end) {
            continue;
        }
        spans.push((start, end));
        last_end = end;
        let mut position = end;
        while let Some(next) = LIST_NEXT.captures(&text[position..]) {
            let Some(id) = next.name("id") else { break };
            let (start, end) = (position + id.start(), position + id.end());
            if !plausible_number(id.as_str()) || !ends_word(text, end) {
                break;
            }
            spans.push((start, end));
            position = end;
            last_end = end;
        }
    }
    spans
}

/// The number under a table heading that opens its line ("Purchase Order Date
/// Revision" above "2510002336 03-25-2025"): the first word of the next line, when
/// the heading holds no digits.
fn under_heading(text: &str, label_start: usize, label_end: usize) -> Option<(usize, usize)> {
    let line_start = text[..label_start]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let line_end = label_end + text[label_end..].find('\n')?;
    let heading = &text[line_start..line_end];
    let opens_line = text[line_start..label_start].trim().is_empty();
    if !opens_line || heading.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let next = &text[line_end + 1..];
    let length = next.find([' ', '\n']).unwrap_or(next.len());
    let word = &next[..length];
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    let identifier = word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (identifier && digits >= 5 && plausible_number(word))
        .then_some((line_end + 1, line_end + 1 + length))
}

/// Whether no letter or digit is glued to the end of a match.
fn ends_word(text: &str, end: usize) -> bool {
    !text[end..].starts_with(|c: char| c.is_alphanumeric())
}

/// Adds the identifiers on a page.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let text = page.text;
    let bytes = text.as_bytes();
    let capital_or_digit = |byte: u8| byte.is_ascii_uppercase() || byte.is_ascii_digit();
    let dashed = page
        .separators(b'-')
        .filter_map(|dash| run_before(bytes, dash, 10, capital_or_digit));
    // "1:18-cv-01234", and "1-19-cv-4048" as some courts write it.
    let dockets = page
        .separators(b':')
        .chain(page.separators(b'-'))
        .filter_map(|colon| run_before(bytes, colon, 2, |b| b.is_ascii_digit()));
    let schedules = page
        .schedule_starts()
        .filter(|&start| begins_word(bytes, start));
    let mut spans: Vec<(usize, usize)> = matches_at(text, dashed, &DASHED)
        .chain(matches_at(text, schedules, &SCHEDULE))
        .chain(matches_at(text, dockets, &DOCKET))
        .filter(|&(start, end)| !other_identifier(text, start, end))
        .collect();
    let labelled = labelled(page);
    spans.extend(&labelled);
    spans.extend(serials(page).filter_map(|(serial_start, serial_end)| {
        let start = serial_start.checked_sub(PIID_HEAD_LEN)?;
        let head = text.get(start..serial_start)?;
        let glued = text[..start].ends_with(|c: char| c.is_alphanumeric());
        (PIID_HEAD.is_match(head) && !glued).then_some((start, serial_end))
    }));
    // The longest of identifiers that overlap ("GS-35F-0119Y" is dashed and a schedule).
    spans.sort_unstable_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
    let mut last_end = 0;
    for (start, end) in spans {
        if start < last_end {
            continue;
        }
        let matched = &text[start..end];
        let has_letter = matched.bytes().any(|b| b.is_ascii_alphabetic());
        let has_digit = matched.bytes().any(|b| b.is_ascii_digit());
        let compact = normalize(matched);
        // A labelled number was checked against its label; others need both letters
        // and digits, and length enough to identify something: not a date or phone
        // (digits only) and not "MC-300" or "U-S-A".
        let shaped = has_letter && has_digit && compact.len() >= 7;
        let named = labelled.contains(&(start, end));
        if (named || shaped) && !followed_by_letters(text, end) {
            found.push(Entity::new(Kind::Contract, text, start, end, compact));
            last_end = end;
        }
    }
}

/// The last eight digits of each run of at least eight that ends a word: where a
/// dashless PIID's serial would be.
fn serials<'a>(page: &'a Page) -> impl Iterator<Item = (usize, usize)> + 'a {
    let bytes = page.text.as_bytes();
    page.digit_runs.iter().filter_map(move |&(start, end)| {
        let ends_word = bytes.get(end).is_none_or(|&b| !word_byte(b));
        (end - start >= SERIAL_DIGITS && ends_word).then_some((end - SERIAL_DIGITS, end))
    })
}

/// "HSCEMD-17-C-00005" and "HSCEMD 17 C 00005" both become "HSCEMD17C00005".
pub fn normalize(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Whether a dash-separated word is some other kind of number: a UUID (DocuSign
/// envelope ids: eight hex digits, then four), a telephone number spelt with letters
/// ("1-877-299-FOIA"), or an identifier a tax, account or envelope label names.
fn other_identifier(text: &str, start: usize, end: usize) -> bool {
    let groups: Vec<&str> = text[start..end].split('-').collect();
    let hex = |group: &str, len: usize| {
        group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit())
    };
    let uuid = groups.len() >= 2 && hex(groups[0], 8) && hex(groups[1], 4);
    let lengths: Vec<usize> = groups.iter().map(|group| group.len()).collect();
    let vanity = matches!(lengths.as_slice(), [1, 3, 3, 4] | [3, 3, 4])
        && groups[..groups.len() - 1]
            .iter()
            .all(|group| group.bytes().all(|b| b.is_ascii_digit()));
    let line_start = text[..start].rfind('\n').map_or(0, |newline| newline + 1);
    let before = &text[char_boundary_from(text, start.saturating_sub(24).max(line_start))..start];
    let labelled_other = [
        "Tax", "TAX", "EIN", "Envelope", "Account", "Acct", "Routing",
    ]
    .iter()
    .any(|label| before.contains(label));
    uuid || vanity || labelled_other
}

fn followed_by_letters(text: &str, end: usize) -> bool {
    text[end..].starts_with(|c: char| c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identifiers(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found.into_iter().map(|e| e.normalized).collect()
    }

    #[test]
    fn serials_are_the_last_eight_digits_of_a_run_ending_a_word() {
        let found: Vec<(usize, usize)> =
            serials(&Page::new("C00000001 123456789 1234567 12345678x 87654321")).collect();
        assert_eq!(found, [(1, 9), (11, 19), (38, 46)]);
        // Every alignment of a run against the probes, and runs one byte apart.
        for offset in 0..20 {
            let text = format!("{}12345678 x 1234567 123456789", "a".repeat(offset));
            let found: Vec<(usize, usize)> = serials(&Page::new(&text)).collect();
            assert_eq!(
                found,
                [(offset, offset + 8), (offset + 20, offset + 28)],
                "{text}"
            );
        }
        let found: Vec<(usize, usize)> =
            serials(&Page::new("12345678 87654321 11112222")).collect();
        assert_eq!(found, [(0, 8), (9, 17), (18, 26)]);
    }

    #[test]
    fn procurement_and_case_numbers() {
        assert_eq!(
            identifiers("Contract HSCEMD-17-C-00005 awarded"),
            ["HSCEMD17C00005"]
        );
        assert_eq!(
            identifiers("order 70CMSD19C00000001."),
            ["70CMSD19C00000001"]
        );
        assert_eq!(identifiers("GSA Schedule GS-35F-0119Y"), ["GS35F0119Y"]);
        assert_eq!(
            identifiers("FOIA Case Number 2018-ICFO-12345"),
            ["2018ICFO12345"]
        );
        assert_eq!(
            identifiers("case HSI-SD-18-0042 and 2018-ICE-LA-0031"),
            ["HSISD180042", "2018ICELA0031"]
        );
        assert_eq!(
            identifiers("ORDER 70CMSD19C00000001 UNDER GS35F0119Y"),
            ["70CMSD19C00000001", "GS35F0119Y"]
        );
        assert_eq!(
            identifiers("Case 1:18-cv-01234-ABC Document 12, and No. 2:19-CR-00123"),
            ["118CV01234ABC", "219CR00123"]
        );
    }

    #[test]
    fn near_misses_are_not_identifiers() {
        assert!(identifiers("dates 2018-01-05, phone 619-744-2100, item MC-300").is_empty());
        assert!(identifiers("the U-S-A and A-B-C").is_empty());
        assert!(
            identifiers("at 10:30-am-1200, ratio 1:18-xx-01234").is_empty(),
            "a time or an unknown case type is no docket"
        );
        assert!(
            identifiers("X70CMSD19C00000001, 70CMSD19C000000012, ABC 12345678").is_empty(),
            "a PIID glued to more characters, or a plain number"
        );
    }

    #[test]
    fn numbers_their_labels_name() {
        let texts = |text: &str| -> Vec<String> {
            let mut found = Vec::new();
            find(&Page::new(text), &mut found);
            found.into_iter().map(|e| e.text).collect()
        };
        assert_eq!(texts("CONTRACT NO.: 2025-03244 Page | 1"), ["2025-03244"]);
        assert_eq!(
            texts("as described in contract number 2025-03244, section"),
            ["2025-03244"]
        );
        assert_eq!(texts("Solicitation No. RFI 20252027"), ["RFI 20252027"]);
        assert_eq!(texts("PO 4500012345 issued"), ["4500012345"]);
        assert_eq!(texts("Case: 21-2728 Document: 138-2"), ["21-2728"]);
        assert_eq!(
            texts("Docket Nos. 19031-13, 27735-13, Filed"),
            ["19031-13", "27735-13"]
        );
        assert_eq!(texts("No. 12-2207\nNo. 12-2208"), ["12-2207", "12-2208"]);
        assert_eq!(texts("Civil Action Number: 1-19-cv-4048"), ["1-19-cv-4048"]);
        assert_eq!(
            texts("District Court Case Number: 2-20-cv-14243"),
            ["2-20-cv-14243"]
        );
        assert_eq!(texts("Jon Burge Case Number: 08 CR 846"), ["08 CR 846"]);
        assert_eq!(texts("State File No. 9687-2019"), ["9687-2019"]);
        assert_eq!(texts("the Request for Proposal No. 22658 and"), ["22658"]);
        assert_eq!(
            texts("Purchase Order Date Revision\n2510002336 03-25-2025"),
            ["2510002336"]
        );
    }

    #[test]
    fn labels_without_a_number_and_other_numbers() {
        for text in [
            "Order 66 was given",
            "the Contract 2025 term",
            "Grant Award 2023-2025",
            "Case 12/01/2018",
            "No. 5 on the list",
            "PO BOX 121923",
            "policy review pending\n123456 items were",
            "Docusign Envelope ID: D491964B-4BEC-49D9-A3CD-57C5D79BC314",
            "(phone number 1-877-299-FOIA)",
            "Tax Exempt ID: 93-730106-K",
            "Contract call 312-746-6000",
        ] {
            let mut found = Vec::new();
            find(&Page::new(text), &mut found);
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }

    #[test]
    fn spellings_normalise_alike() {
        assert_eq!(
            normalize("hscemd 17 c 00005"),
            normalize("HSCEMD-17-C-00005")
        );
    }
}
