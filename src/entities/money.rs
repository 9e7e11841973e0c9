//! Amounts of money: "$6,100,000.00", "$6.1M", "$6 million", "$1.5 billion",
//! "USD 1,200", "6 million dollars", "$50.000" typed with a dot; ranges
//! ("$5,000-$10,000", "$5,000-10,000") give two amounts. Normalised to integer cents
//! (all amounts found are US dollars).

use std::sync::LazyLock;

use regex::Regex;

use super::triggers::Group;
use super::{begins_word, Entity, Kind, Page};

/// A number as written: thousands groups with commas or dots, or plain digits, and
/// an optional fraction.
const NUMBER: &str = r"[0-9]{1,3}(?:[,.][0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]+)?";
const SCALE: &str = r"(?:\s?(?:million|billion|thousand|mil|bn|[MBK])(?-u:\b))?";

/// Currency signs and codes, where [`AMOUNT`] may match: for [`Group::Money`]. "US$"
/// is found from its "$".
pub(super) fn sign_words() -> Vec<String> {
    vec!["$".to_string(), "USD".to_string()]
}

/// An amount after a currency sign or code, matched where one stands.
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)
        ^(?:\$|US\$|USD\s?)\s?(?P<number>{NUMBER})(?P<scale>{SCALE})
          (?:\s?(?:-|–|to)\s?(?:\$\s?)?(?P<second>{NUMBER})(?P<second_scale>{SCALE}))?
        "
    ))
    .expect("money pattern compiles")
});

/// Amounts written out in dollars ("6 million dollars"), only looked for on pages
/// that say "dollars": the number comes first, so there is no literal to skip to.
static IN_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<plain>{NUMBER})(?P<plain_scale>\s(?:million|billion|thousand))?\s(?:US\s)?dollars(?-u:\b)"
    ))
    .expect("money words pattern compiles")
});

/// Where an amount may start, in order: each "$", each "USD" that begins a word, and
/// the "US" of a "US$" that does.
fn amount_starts(page: &Page) -> Vec<usize> {
    let bytes = page.flat.as_bytes();
    let mut starts = Vec::new();
    for sign in page.triggers.of(Group::Money) {
        let at = sign.start;
        if bytes[at] == b'$' {
            let us = at
                .checked_sub(2)
                .filter(|&us| &bytes[us..at] == b"US" && begins_word(bytes, us));
            starts.extend(us);
            starts.push(at);
        } else if begins_word(bytes, at) {
            starts.push(at);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// Adds the amounts on a page.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let text = page.flat.as_str();
    if text.contains("dollars") {
        for captures in IN_WORDS.captures_iter(text) {
            let (Some(whole), Some(plain)) = (captures.get(0), captures.name("plain")) else {
                continue;
            };
            let scale = captures.name("plain_scale").map_or("", |s| s.as_str());
            if let Some(cents) = cents(plain.as_str(), scale) {
                found.push(Entity::new(
                    Kind::Money,
                    text,
                    whole.start(),
                    whole.end(),
                    cents.to_string(),
                ));
            }
        }
    }
    let mut last_end = 0;
    for start in amount_starts(page) {
        if start < last_end {
            continue;
        }
        let Some(captures) = AMOUNT.captures(&text[start..]) else {
            continue;
        };
        last_end = start + captures.get(0).map_or(0, |whole| whole.end());
        add_amount(text, start, &captures, found);
    }
}

/// Adds the amount, or the two of a range, that `captures` holds: [`AMOUNT`]'s match
/// in the page from `offset` on.
fn add_amount(text: &str, offset: usize, captures: &regex::Captures, found: &mut Vec<Entity>) {
    let (Some(whole), Some(number)) = (captures.get(0), captures.name("number")) else {
        return;
    };
    let (start, end) = (offset + whole.start(), offset + whole.end());
    let scale = captures.name("scale");
    let scale_text = scale.map_or("", |s| s.as_str());
    let Some(first_cents) = cents(number.as_str(), scale_text) else {
        return;
    };
    let Some(second) = captures.name("second") else {
        found.push(Entity::new(
            Kind::Money,
            text,
            start,
            end,
            first_cents.to_string(),
        ));
        return;
    };
    // "$5-10 million": the scale written once applies to both ends.
    let second_scale = captures.name("second_scale").map_or("", |s| s.as_str());
    let (first_scale, first_end) =
        if scale_text.trim().is_empty() && !second_scale.trim().is_empty() {
            (second_scale, number.end())
        } else {
            (scale_text, scale.map_or(number.end(), |s| s.end()))
        };
    let first_end = offset + first_end;
    let first_cents = cents(number.as_str(), first_scale).unwrap_or(first_cents);
    found.push(Entity::new(
        Kind::Money,
        text,
        start,
        first_end,
        first_cents.to_string(),
    ));
    let second_start = offset + second.start();
    let second_start = text[..second_start]
        .rfind('$')
        .filter(|at| *at > first_end)
        .unwrap_or(second_start);
    if let Some(second_cents) = cents(second.as_str(), second_scale) {
        found.push(Entity::new(
            Kind::Money,
            text,
            second_start,
            end,
            second_cents.to_string(),
        ));
    }
}

/// Cents of an amount as typed in a query, in dollars: "1000000", "$1,000,000",
/// "6.1M", "6.1 million".
pub fn query_cents(value: &str) -> Option<u64> {
    let value = value.trim().trim_start_matches('$').trim();
    let split = value
        .find(|c: char| c.is_alphabetic())
        .unwrap_or(value.len());
    let (number, scale) = value.split_at(split);
    let number: String = number.trim().chars().filter(|c| *c != ',').collect();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    cents(&number, scale.trim())
}

/// Integer cents of a written number and scale word, exactly (no floating point).
fn cents(number: &str, scale: &str) -> Option<u64> {
    let (whole, fraction) = split_number(number);
    let multiplier: u128 = match scale.trim() {
        "" => 1,
        "thousand" | "K" => 1_000,
        "million" | "mil" | "M" => 1_000_000,
        "billion" | "bn" | "B" => 1_000_000_000,
        _ => return None,
    };
    let whole: u128 = whole.parse().ok()?;
    let digits = fraction.len() as u32;
    let fraction_value: u128 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let scaled =
        (whole * 10u128.pow(digits) + fraction_value) * multiplier * 100 / 10u128.pow(digits);
    u64::try_from(scaled).ok()
}

/// Splits "6,100,000.00" into ("6100000", "00"). Dots between groups of three digits
/// are thousands separators ("$50.000"); a last dot before one or two digits, or
/// before more than three, is the decimal point.
fn split_number(number: &str) -> (String, String) {
    let groups: Vec<&str> = number.split(['.', ',']).collect();
    let separators: Vec<char> = number.chars().filter(|c| *c == '.' || *c == ',').collect();
    let last_is_decimal = match (separators.last(), groups.last()) {
        (Some('.'), Some(last)) => {
            last.len() != 3
                || separators.iter().filter(|c| **c == '.').count() == 1
                    && separators.contains(&',')
        }
        _ => false,
    };
    if last_is_decimal {
        let fraction = groups.last().copied().unwrap_or("").to_string();
        (groups[..groups.len() - 1].concat(), fraction)
    } else {
        (groups.concat(), String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(text: &str) -> Vec<(String, u64)> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found
            .into_iter()
            .map(|e| (e.text, e.normalized.parse().expect("cents")))
            .collect()
    }

    #[test]
    fn written_forms_normalise_to_cents() {
        let cases = [
            ("$6 million", 600_000_000),
            ("$6.1M", 610_000_000),
            ("$6,100,000.00", 610_000_000),
            ("USD 1,200", 120_000),
            ("$1.5 billion", 150_000_000_000),
            ("6 million dollars", 600_000_000),
            ("$50.000", 5_000_000),
            ("$25", 2_500),
            ("$348,000", 34_800_000),
            ("$17,950.00", 1_795_000),
            ("$0.99", 99),
        ];
        for (text, expected) in cases {
            assert_eq!(amounts(text), [(text.to_string(), expected)], "{text}");
        }
    }

    #[test]
    fn currency_codes_begin_a_word() {
        assert_eq!(
            amounts("AUS$5, US$7, USD 9, XUSD 11"),
            [
                ("$5".to_string(), 500),
                ("US$7".to_string(), 700),
                ("USD 9".to_string(), 900)
            ]
        );
    }

    #[test]
    fn ranges_give_two_amounts() {
        let found = amounts("between $5,000-$10,000 a year");
        assert_eq!(
            found,
            [
                ("$5,000".to_string(), 500_000),
                ("$10,000".to_string(), 1_000_000)
            ]
        );
        let found = amounts("from $5,000-10,000");
        assert_eq!(found[1].1, 1_000_000);
        let found = amounts("$5-10 million");
        assert_eq!(found[0].1, 500_000_000);
        assert_eq!(found[1].1, 1_000_000_000);
    }

    #[test]
    fn query_amounts_are_dollars() {
        assert_eq!(query_cents("1000000"), Some(100_000_000));
        assert_eq!(query_cents("$1,000,000"), Some(100_000_000));
        assert_eq!(query_cents("6.1M"), Some(610_000_000));
        assert_eq!(query_cents("6.1 million"), Some(610_000_000));
        assert_eq!(query_cents("lots"), None);
    }

    #[test]
    fn near_misses_are_not_money() {
        assert!(amounts("echo $PATH and ${HOME}").is_empty());
        assert!(amounts("costs 500 and 6 million people").is_empty());
        assert!(amounts("price: $").is_empty());
    }
}
