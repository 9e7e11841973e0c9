//! Contract, order and case numbers: federal procurement identifiers (PIIDs such as
//! HSCEMD-17-C-00005 and 70CMSD19C00000001, GSA schedules such as GS-35F-0119Y), FOIA
//! request numbers (2018-ICFO-12345) and the case and document numbers agencies write
//! as dash-separated groups of capitals and digits. Normalised without dashes and
//! spaces, so each spelling of a number matches the others.

use std::sync::LazyLock;

use regex::Regex;

use super::{Entity, Kind};

static IDENTIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?-u:\b)GS-?\d{2}F-?\d{4}[A-Z](?-u:\b)
        | (?-u:\b)[A-Z0-9]{6}\d{2}[A-Z]\d{8}(?-u:\b)
        | (?-u:\b)[A-Z0-9]{1,10}(?:[-\ ][A-Z0-9]{1,10}){2,5}(?-u:\b)
        ",
    )
    .expect("identifier pattern compiles")
});

/// Adds the identifiers on a page.
pub fn find(text: &str, found: &mut Vec<Entity>) {
    for hit in IDENTIFIER.find_iter(text) {
        let mut matched = hit.as_str();
        // A space may separate groups ("HSCEMD 17 C 00005") but a match must not run
        // on into ordinary capitalised words: keep the dash-joined core.
        if matched.contains(' ') {
            let Some(core) = matched
                .split(' ')
                .find(|part| part.matches('-').count() >= 2)
            else {
                continue;
            };
            matched = core;
        }
        let start = hit.start() + hit.as_str().find(matched).unwrap_or(0);
        let end = start + matched.len();
        let has_letter = matched.chars().any(|c| c.is_ascii_uppercase());
        let has_digit = matched.chars().any(|c| c.is_ascii_digit());
        let compact = normalize(matched);
        // Both letters and digits, and long enough to identify something: not a date
        // or phone (digits only) and not "MC-300" or "U-S-A".
        if has_letter && has_digit && compact.len() >= 7 && !followed_by_letters(text, end) {
            found.push(Entity::new(Kind::Contract, text, start, end, compact));
        }
    }
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
        find(text, &mut found);
        found.into_iter().map(|e| e.normalized).collect()
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
    }

    #[test]
    fn near_misses_are_not_identifiers() {
        assert!(identifiers("dates 2018-01-05, phone 619-744-2100, item MC-300").is_empty());
        assert!(identifiers("the U-S-A and A-B-C").is_empty());
    }

    #[test]
    fn spellings_normalise_alike() {
        assert_eq!(
            normalize("hscemd 17 c 00005"),
            normalize("HSCEMD-17-C-00005")
        );
    }
}
