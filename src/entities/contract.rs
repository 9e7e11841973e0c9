//! Contract, order and case numbers: federal procurement identifiers (PIIDs such as
//! HSCEMD-17-C-00005 and 70CMSD19C00000001, GSA schedules such as GS-35F-0119Y), FOIA
//! request numbers (2018-ICFO-12345), federal court case numbers (1:18-cv-01234) and
//! the case and document numbers agencies write as dash-separated groups of capitals
//! and digits. Normalised without dashes and
//! spaces, so each spelling of a number matches the others.

use std::sync::LazyLock;

use regex::Regex;

use super::{begins_word, matches_at, run_before, word_byte, Entity, Kind, Page};

/// The punctuation inside identifiers and dates in digits, and the start of a GSA
/// schedule, for the trigger pass's separator group: each pattern here (and the dates
/// in digits) is matched from where one stands.
pub(super) fn separator_words() -> Vec<String> {
    ["-", "/", ":", "GS"].map(String::from).to_vec()
}

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
        r"^[0-9]{1,2}:[0-9]{2}-(?i:cv|cr|mj|mc|md|po|sw|bk|ap|gj)-[0-9]{3,6}(?:-[A-Z]{2,4}){0,3}(?-u:\b)",
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

/// Adds the identifiers on a page.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let text = page.text;
    let bytes = text.as_bytes();
    let capital_or_digit = |byte: u8| byte.is_ascii_uppercase() || byte.is_ascii_digit();
    let dashed = page
        .separators(b'-')
        .filter_map(|dash| run_before(bytes, dash, 10, capital_or_digit));
    let dockets = page
        .separators(b':')
        .filter_map(|colon| run_before(bytes, colon, 2, |b| b.is_ascii_digit()));
    let schedules = page
        .separators(b'G')
        .filter(|&start| begins_word(bytes, start));
    let mut spans: Vec<(usize, usize)> = matches_at(text, dashed, &DASHED)
        .chain(matches_at(text, schedules, &SCHEDULE))
        .chain(matches_at(text, dockets, &DOCKET))
        .collect();
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
        // Both letters and digits, and long enough to identify something: not a date
        // or phone (digits only) and not "MC-300" or "U-S-A".
        if has_letter && has_digit && compact.len() >= 7 && !followed_by_letters(text, end) {
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
    fn spellings_normalise_alike() {
        assert_eq!(
            normalize("hscemd 17 c 00005"),
            normalize("HSCEMD-17-C-00005")
        );
    }
}
