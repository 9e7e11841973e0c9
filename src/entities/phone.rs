//! US telephone numbers: "(202) 732-2600", "202-732-2600", "202.732.2600",
//! "+1 202 732 2600". Normalised to E.164 ("+12027322600").

use std::sync::LazyLock;

use regex::Regex;

use super::{char_boundary_from, Entity, Kind, Page};

/// The ten digits. The pattern has no literal to skip to, so it only runs where a
/// group of four digits follows three digits and a separator ([`last_groups`]). The
/// country code in front ("+1 ", "1-") is read by [`country_code`].
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\([0-9]{3}\)\s?|(?-u:\b)[0-9]{3}[\s.-])[0-9]{3}[\s.-][0-9]{4}(?-u:\b)")
        .expect("phone pattern compiles")
});

/// Where a number may end: each run of exactly four digits with a separator and a
/// digit before it ("732-2600"), with where the number would start at the earliest.
fn last_groups<'a>(page: &'a Page) -> impl Iterator<Item = (usize, usize)> + 'a {
    let text = page.text;
    let bytes = text.as_bytes();
    page.digit_runs.iter().filter_map(move |&(start, end)| {
        let separator = text[..start].chars().next_back()?;
        let digit_before = (start - separator.len_utf8())
            .checked_sub(1)
            .is_some_and(|at| bytes[at].is_ascii_digit());
        let fits = end - start == 4 && !separator.is_alphanumeric() && digit_before;
        fits.then(|| (start.saturating_sub(LONGEST_LEAD), end))
    })
}

/// The most bytes a number can have before its last group: "(202) 732-" with both
/// separators a space of three bytes (U+2009, U+3000).
const LONGEST_LEAD: usize = 14;

/// The number whose last group ends at `group_end`, searched for from `window` on as a
/// search over the whole page finds it: a match that ends sooner is stepped over, as
/// that search would continue after it.
fn number_ending_at(text: &str, window: usize, group_end: usize) -> Option<regex::Match<'_>> {
    let mut from = char_boundary_from(text, window);
    loop {
        let hit = NUMBER.find_at(&text[..group_end], from)?;
        if hit.end() == group_end {
            return Some(hit);
        }
        from = hit.end();
    }
}

/// "+1 ", "+1", "1-", "1." or "1 " right before `at`: where the number really starts.
fn country_code(text: &str, at: usize) -> usize {
    let before = &text.as_bytes()[..at];
    let digit_end = match before.last() {
        Some(b' ' | b'.' | b'-') => at - 1,
        _ => at,
    };
    if digit_end == 0 || before[digit_end - 1] != b'1' {
        return at;
    }
    let one = digit_end - 1;
    match one.checked_sub(1).map(|i| before[i]) {
        Some(b'+') => one - 1,
        Some(b) if b.is_ascii_alphanumeric() => at,
        _ => one,
    }
}

/// Adds the phone numbers on a page.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let text = page.text;
    for (window, group_end) in last_groups(page) {
        // The text ends with the group, so a match ends there; what follows it is
        // checked below.
        let Some(hit) = number_ending_at(text, window, group_end) else {
            continue;
        };
        let start = country_code(text, hit.start());
        // Not inside a longer run of digits and dashes (identifiers, dates).
        let before = text[..start].chars().next_back();
        let after = text[hit.end()..].chars().next();
        let glued =
            |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '/');
        if glued(before) || glued(after) {
            continue;
        }
        if let Some(normalized) = normalize(&text[start..hit.end()]) {
            found.push(Entity::new(Kind::Phone, text, start, hit.end(), normalized));
        }
    }
}

/// E.164 form of a US number, if it is one (area code and exchange cannot start
/// with 0 or 1 under the North American Numbering Plan).
pub fn normalize(value: &str) -> Option<String> {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        10 => digits.as_str(),
        11 if digits.starts_with('1') => &digits[1..],
        _ => return None,
    };
    let valid = |at: usize| national.as_bytes()[at] >= b'2';
    (valid(0) && valid(3)).then(|| format!("+1{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found.into_iter().map(|e| e.normalized).collect()
    }

    #[test]
    fn written_forms_normalise_to_e164() {
        for text in [
            "(202) 732-2600",
            "202-732-2600",
            "202.732.2600",
            "+1 202 732 2600",
            "1-202-732-2600",
        ] {
            assert_eq!(phones(text), ["+12027322600"], "{text}");
        }
    }

    #[test]
    fn near_misses_are_not_phones() {
        assert!(phones("dated 2018-01-05, case HSI-SD-118-555-0142, 12/13/2018").is_empty());
        assert!(phones("123-456-7890 and 555-0142").is_empty());
        assert!(phones("ID 9876543210123").is_empty());
        assert!(phones("ID 11-202-732-2600").is_empty());
    }

    #[test]
    fn separators_of_every_kind() {
        assert_eq!(phones("202\u{a0}732\u{a0}2600"), ["+12027322600"]);
        assert_eq!(phones("202\n732\n2600"), ["+12027322600"]);
        assert_eq!(phones("tel.(202)732-2600;"), ["+12027322600"]);
        assert_eq!(phones("202\u{2009}732\u{2009}2600"), ["+12027322600"]);
        assert_eq!(phones("(202)\u{3000}732\u{2009}2600"), ["+12027322600"]);
    }

    #[test]
    fn country_code_is_part_of_the_number() {
        let mut found = Vec::new();
        find(
            &Page::new("call +1 (202) 732-2600 or x1 202.732.2600"),
            &mut found,
        );
        let spans: Vec<&str> = found.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(spans, ["+1 (202) 732-2600", "202.732.2600"]);
    }
}
