//! Dates: "January 5, 2018", "Jan. 5, 2018", "5 January 2018", "01/05/2018" (US
//! order), "2018-01-05", and a lone month and year ("January 2018"). Normalised to
//! ISO 8601, a month and year to `YYYY-MM`. Impossible dates are not dates.

use std::sync::LazyLock;

use regex::Regex;

use super::triggers::Group;
use super::{begins_word, matches_at, run_before, Entity, Kind, Page};

const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

/// The first three letters of month names, where [`NAMED`] may match: for
/// [`Group::Month`].
pub(super) fn month_words() -> Vec<String> {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .map(String::from)
    .to_vec()
}

/// A date that begins with its month's name, matched where a month word stands.
/// "5 January 2018" is found from its month, by [`day_before`].
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{MONTH}(?:\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?(?:,\s*|\s+)[0-9]{{4}}|\.?,?\s+[0-9]{{4}})(?-u:\b)"
    ))
    .expect("date pattern compiles")
});

/// A date in digits with slashes, US order ("01/05/2018"), matched from the digits
/// before the first slash.
static SLASHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2})|(?:19|20)[0-9]{2}/[01][0-9]/[0-3][0-9])(?-u:\b)")
        .expect("date pattern compiles")
});

/// An ISO date ("2018-01-05"), matched from the year before the first dash.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9](?-u:\b)").expect("date pattern compiles")
});

/// Spans of the dates written in digits.
fn numeric_dates<'a>(page: &'a Page) -> impl Iterator<Item = (usize, usize)> + 'a {
    let text = page.flat.as_str();
    let bytes = text.as_bytes();
    let digit = |byte: u8| byte.is_ascii_digit();
    let slashed = page
        .separators(b'/')
        .filter_map(move |slash| run_before(bytes, slash, 4, digit));
    let iso = page
        .separators(b'-')
        .filter_map(move |dash| run_before(bytes, dash, 4, digit).filter(|&year| dash - year == 4));
    matches_at(text, slashed, &SLASHED).chain(matches_at(text, iso, &ISO))
}

/// Spans of the dates written with a month's name, as a search for [`NAMED`] after a
/// word boundary would find them.
fn named_dates<'a>(page: &'a Page) -> impl Iterator<Item = (usize, usize)> + 'a {
    let text = page.flat.as_str();
    let bytes = text.as_bytes();
    let months = page
        .triggers
        .of(Group::Month)
        .iter()
        .map(|month| month.start);
    let starts = months.filter(move |&start| begins_word(bytes, start));
    matches_at(text, starts, &NAMED)
}

/// Adds the dates on a page.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let text = page.flat.as_str();
    let named = named_dates(page).map(|span| (span, true));
    let numeric = numeric_dates(page).map(|span| (span, false));
    let mut dates: Vec<(usize, usize, String)> = Vec::new();
    for ((whole_start, end), named) in named.chain(numeric) {
        // Not part of a longer identifier such as "2018-01-05-17" or "1/2/2018/3".
        let after = text[end..].chars().next();
        let before = text[..whole_start].chars().next_back();
        if after.is_some_and(|c| c == '-' || c == '/')
            || before.is_some_and(|c| c == '-' || c == '/')
        {
            continue;
        }
        let mut start = whole_start;
        // A month and a year alone may have a day in front.
        let month_year = named && text[start..end].bytes().filter(u8::is_ascii_digit).count() == 4;
        if month_year && before.is_some_and(char::is_whitespace) {
            start = day_before(text, start).unwrap_or(start);
        }
        if let Some(normalized) = normalize_match(&text[start..end]) {
            dates.push((start, end, normalized));
        }
    }
    dates.sort_unstable_by_key(|&(start, _, _)| start);
    for (start, end, normalized) in dates {
        found.push(Entity::new(Kind::Date, text, start, end, normalized));
    }
}

/// Where "5 " starts when a day stands before the month that begins at `month`.
fn day_before(text: &str, month: usize) -> Option<usize> {
    let before = text[..month].trim_end();
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let start = before.len() - digits;
    let standalone = !text[..start].ends_with(|c: char| c.is_alphanumeric());
    ((1..=2).contains(&digits) && standalone && month - before.len() <= 2).then_some(start)
}

/// ISO form of a matched date. The forms are simple enough to read from their words
/// (a month name, a day with an optional "th", a year), which is much cheaper than
/// capture groups on every match.
fn normalize_match(matched: &str) -> Option<String> {
    let mut parts = matched
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty());
    let mut words = [""; 3];
    let mut count = 0;
    for part in parts.by_ref().take(3) {
        words[count] = part;
        count += 1;
    }
    if parts.next().is_some() {
        return None;
    }
    let words = &words[..count];
    let is_name = |word: &str| word.starts_with(|c: char| c.is_ascii_alphabetic());
    let day_of = |word: &str| {
        word.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .to_string()
    };
    match words {
        [month, year] if is_name(month) => month_number(month)
            .filter(|_| plausible_year(year))
            .map(|month| format!("{year}-{month:02}")),
        [month, day, year] if is_name(month) => iso(year, month_number(month), &day_of(day)),
        [day, month, year] if is_name(month) => iso(year, month_number(month), day),
        [year, month, day] if year.len() == 4 => iso(year, month.parse().ok(), day),
        [month, day, year] if year.len() == 2 => iso(&full_year(year), month.parse().ok(), day),
        [month, day, year] => iso(year, month.parse().ok(), day),
        _ => None,
    }
}

/// A two-digit year ("3/7/92") in the century that puts it at most ten years past
/// [`LATEST_TWO_DIGIT_YEAR`]: records are dated in the past, and "92" on a release is
/// 1992, not 2092.
fn full_year(year: &str) -> String {
    let short: u32 = year.parse().unwrap_or(0);
    let century = if short <= LATEST_TWO_DIGIT_YEAR {
        2000
    } else {
        1900
    };
    (century + short).to_string()
}

/// The last two-digit year read as 20xx.
const LATEST_TWO_DIGIT_YEAR: u32 = 39;

fn month_number(name: &str) -> Option<u32> {
    let prefix = name.get(..3)?.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == prefix)
        .map(|index| index as u32 + 1)
}

fn plausible_year(year: &str) -> bool {
    year.parse::<u32>()
        .is_ok_and(|year| (1900..=2099).contains(&year))
}

/// `YYYY-MM-DD` when the parts make a real date.
fn iso(year: &str, month: Option<u32>, day: &str) -> Option<String> {
    let (month, day) = (month?, day.parse::<u32>().ok()?);
    if !plausible_year(year) || !(1..=12).contains(&month) {
        return None;
    }
    let year_number: u32 = year.parse().ok()?;
    let leap = year_number.is_multiple_of(4)
        && (!year_number.is_multiple_of(100) || year_number.is_multiple_of(400));
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days)
        .contains(&day)
        .then(|| iso_day(year_number, month, day))
}

/// `YYYY-MM-DD`, written directly: `format!` costs more than finding the date.
fn iso_day(year: u32, month: u32, day: u32) -> String {
    let digits = [
        year / 1000,
        year / 100 % 10,
        year / 10 % 10,
        year % 10,
        month / 10,
        month % 10,
        day / 10,
        day % 10,
    ];
    let mut iso = String::with_capacity(10);
    for (index, digit) in digits.into_iter().enumerate() {
        if index == 4 || index == 6 {
            iso.push('-');
        }
        iso.push(char::from(b'0' + digit as u8));
    }
    iso
}

/// Inclusive bounds of a query date, `YYYY-MM-DD` or `YYYY-MM`, as ISO days.
pub fn query_bounds(value: &str) -> Option<(String, String)> {
    let mut parts = value.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next());
    let month_value: u32 = month.parse().ok()?;
    match day {
        Some(day) => {
            let day = iso(year, Some(month_value), day)?;
            Some((day.clone(), day))
        }
        None => {
            let first = iso(year, Some(month_value), "1")?;
            let last = (28..=31)
                .rev()
                .find_map(|day| iso(year, Some(month_value), &day.to_string()))?;
            Some((first, last))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found.into_iter().map(|e| e.normalized).collect()
    }

    #[test]
    fn written_forms_normalise_to_iso() {
        for text in [
            "January 5, 2018",
            "Jan. 5, 2018",
            "Jan 5 2018",
            "5 January 2018",
            "01/05/2018",
            "1/5/18",
            "2018-01-05",
        ] {
            assert_eq!(dates(text), ["2018-01-05"], "{text}");
        }
        assert_eq!(
            dates("between January 2018 and June 2019"),
            ["2018-01", "2019-06"]
        );
        assert_eq!(dates("Sept. 30, 2020"), ["2020-09-30"]);
        assert_eq!(dates("(May 30,2025)"), ["2025-05-30"]);
        assert_eq!(dates("Date: 2020/10/14"), ["2020-10-14"]);
        assert_eq!(
            dates("Investigation on 2/29/92; dictated 3/7/26"),
            ["1992-02-29", "2026-03-07"]
        );
        assert_eq!(
            dates("on 30 Sept., 2020 and 5 of January 2018, item 12 June 5, 2019"),
            ["2020-09-30", "2018-01", "2019-06-05"]
        );
    }

    #[test]
    fn near_misses_are_not_dates() {
        assert!(dates("call 555-0142 or (213) 830-7911").is_empty());
        assert!(dates("February 30, 2018 and 13/01/2018").is_empty());
        assert!(dates("case 2018-ICE-LA-0031, order 2015-07").is_empty());
        assert!(dates("May I help? 2018-01-05-17").is_empty());
    }

    #[test]
    fn query_bounds_cover_days_and_months() {
        assert_eq!(
            query_bounds("2018-02"),
            Some(("2018-02-01".into(), "2018-02-28".into()))
        );
        assert_eq!(
            query_bounds("2018-01-05"),
            Some(("2018-01-05".into(), "2018-01-05".into()))
        );
        assert_eq!(query_bounds("soon"), None);
    }
}
