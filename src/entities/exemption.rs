//! FOIA exemption citations: "(b)(6)", "(b)(7)(C)", "b6", "b7C", "b(7)(E)",
//! "Exemption 5", "Exemptions 6 and 7(C)". Normalised as `b6`, `b7C`. 5 U.S.C. 552(b)
//! has nine exemptions; exemption 7 has parts A to F.

use std::sync::LazyLock;

use regex::Regex;

use super::triggers::Group;
use super::{begins_word, Entity, Kind, Page};

/// Where a citation can begin, for [`Group::Exemption`]; [`CITATION`] reads it from
/// there. Searched for directly, the whole pattern offers no literals to skip to.
pub(super) fn start_words() -> Vec<String> {
    let codes = (1..=9).map(|number| format!("b{number}"));
    ["(b)", "b(", "Exemption", "exemption"]
        .map(String::from)
        .into_iter()
        .chain(codes)
        .collect()
}

static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
        \(b\)\s?\((?P<paren>[1-9])\)(?:\((?P<paren_part>[A-Fa-f])\)|\s\((?P<spaced_part>[A-F])\))?
        | b\((?P<half>[1-9])\)(?:\((?P<half_part>[A-F])\))?
        | b(?P<bare>[1-9])(?:\((?P<bare_paren_part>[A-F])\)|(?P<bare_part>[A-F])(?-u:\b)|(?-u:\b))
        | [Ee]xemptions?\s+(?P<word>[1-9])(?:\s?\((?P<word_part>[A-F])\))?
        )",
    )
    .expect("exemption pattern compiles")
});

/// Further numbers in "Exemptions 6 and 7(C)", "Exemptions 5, 6, and 7(E)".
static LIST_REST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:,\s?|,?\s(?:and|or)\s)(?P<number>[1-9])(?:\s?\((?P<part>[A-F])\))?")
        .expect("exemption list pattern compiles")
});

/// Adds the exemption citations on a page.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let text = page.flat.as_str();
    let bytes = text.as_bytes();
    let mut last_end = 0;
    for hit in page.triggers.of(Group::Exemption) {
        let start = hit.start;
        // All but "(b)" begin a word; a "(b)" glued to a number is a subsection of the
        // statute or rule that number names ("Rule 12(b)(6)", "§ 1346(b)(1)"), which
        // is a FOIA exemption only when the statute is 5 U.S.C. 552.
        let glued = if bytes[start] == b'(' {
            !begins_word(bytes, start) && !text[..start].ends_with("552")
        } else {
            !begins_word(bytes, start)
        };
        if start < last_end || glued {
            continue;
        }
        let Some(captures) = CITATION.captures(&text[start..]) else {
            continue;
        };
        let end = start + captures.get(0).map_or(0, |whole| whole.end());
        // One form matched: its number, and its part if it has one.
        let forms = [
            ("paren", "paren_part"),
            ("half", "half_part"),
            ("bare", "bare_part"),
            ("word", "word_part"),
        ];
        let Some((number, part)) = forms.iter().find_map(|(number, part)| {
            let part = captures
                .name(part)
                .or_else(|| captures.name("spaced_part"))
                .or_else(|| captures.name("bare_paren_part"));
            Some((captures.name(number)?, part))
        }) else {
            continue;
        };
        let code = code(number.as_str(), part.map(|m| m.as_str()));
        found.push(Entity::new(Kind::Exemption, text, start, end, code));
        if captures.name("word").is_some() {
            list_rest(text, end, found);
        }
        last_end = end;
    }
}

fn list_rest(text: &str, mut position: usize, found: &mut Vec<Entity>) {
    while let Some(captures) = LIST_REST.captures(&text[position..]) {
        let (Some(whole), Some(number)) = (captures.get(0), captures.name("number")) else {
            break;
        };
        let start = position + number.start();
        let end = position + whole.end();
        let part = captures.name("part").map(|m| m.as_str());
        found.push(Entity::new(
            Kind::Exemption,
            text,
            start,
            end,
            code(number.as_str(), part),
        ));
        position = end;
    }
}

fn code(number: &str, part: Option<&str>) -> String {
    // Only exemption 7 has lettered parts.
    match part {
        Some(part) if number == "7" => format!("b7{}", part.to_ascii_uppercase()),
        _ => format!("b{number}"),
    }
}

/// The code of a citation as a user types it in a query ("b6", "(b)(7)(C)", "7c").
pub fn normalize(value: &str) -> Option<String> {
    let mut found = Vec::new();
    find(&Page::new(value), &mut found);
    if let Some(first) = found.first() {
        return Some(first.normalized.clone());
    }
    let compact: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let compact = compact.strip_prefix(['b', 'B']).unwrap_or(&compact);
    let mut chars = compact.chars();
    let number = chars.next().filter(|c| ('1'..='9').contains(c))?;
    let part = chars.next().map(|c| c.to_string());
    Some(code(&number.to_string(), part.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found.into_iter().map(|e| e.normalized).collect()
    }

    #[test]
    fn citation_forms() {
        assert_eq!(codes("(b)(6); (b)(7)(C)"), ["b6", "b7C"]);
        assert_eq!(codes("(b) (7) (E)"), ["b7E"]);
        assert_eq!(codes("withheld b6, b7C and b7(E)"), ["b6", "b7C", "b7E"]);
        assert_eq!(codes("FOIA Exemption 5 protects"), ["b5"]);
        assert_eq!(codes("Exemption 7(C) protects"), ["b7C"]);
        assert_eq!(codes("Exemptions 6 and 7(C) apply"), ["b6", "b7C"]);
    }

    #[test]
    fn near_misses_are_not_exemptions() {
        assert!(codes("vitamin B6, grid cell b12, the web, (b) above").is_empty());
        assert!(codes("subsection (b)(0)").is_empty());
        for cited in [
            "Fed. R. App. P. 35(b)(3)",
            "Rule 12(b)(6)",
            "28 U.S.C. § 1346(b)(1)",
            "Sec. 6110(b)(1)(A)",
            "241.2(b)(2)",
        ] {
            assert!(codes(cited).is_empty(), "{cited}");
        }
    }

    #[test]
    fn statute_and_check_box_lists() {
        assert_eq!(codes("5 U.S.C. § 552(b)(6)"), ["b6"]);
        // An FBI release letter's boxes, one code after another on a line.
        assert_eq!(
            codes("(b)(1) (b)(7)(A) (d)(5)\n(b)(2) (b)(7)(B) (j)(2)"),
            ["b1", "b7A", "b2", "b7B"]
        );
        assert_eq!(codes("(b)(7) (C)"), ["b7C"]);
    }

    #[test]
    fn query_values_normalise() {
        assert_eq!(normalize("b6").as_deref(), Some("b6"));
        assert_eq!(normalize("(b)(7)(C)").as_deref(), Some("b7C"));
        assert_eq!(normalize("7c").as_deref(), Some("b7C"));
    }
}
