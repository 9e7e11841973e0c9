//! People: a name after an honorific or a role ("Special Agent Jane Doe", "Mr.
//! Matthew Bourke", "Chief Daniel Okafor", "Contracting Officer: Matthew Bourke"), or a
//! name alone on the line of a signature block (after "Sincerely," or above a title).

use std::sync::LazyLock;

use regex::Regex;

use super::triggers::Group;
use super::{begins_word, collapse_spaces, Entity, Kind, Page};

/// Two or three capitalised words, with an optional middle initial and hyphenated
/// surname ("Catrina M. Pavlik-Keenan", "Elena Peña").
const NAME: &str = r"\p{Lu}\p{Ll}+(?:[ ]\p{Lu}\.)?(?:[ ]\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?){1,2}";

/// Honorifics, roles and labels that come before a name, with what separates them
/// from it (". ", " ", ": " or ", "), for [`Group::Role`]: they are whole words, so a
/// literal search with the word's start checked by hand finds them without a regex
/// confirming each candidate.
pub(super) fn role_words() -> Vec<String> {
    let honorifics =
        ["Mr", "Ms", "Mrs", "Dr", "Lt", "Sgt", "Capt", "Det"].map(|word| format!("{word}. "));
    let roles = [
        "Special Agent",
        "Agent",
        "Officer",
        "Deputy",
        "Sheriff",
        "Undersheriff",
        "Chief",
        "Lieutenant",
        "Sergeant",
        "Detective",
        "Mayor",
        "Director",
        "Commander",
        "Captain",
        "Judge",
        "Commissioner",
        "Councilmember",
        "Council member",
        "Representative",
        "Senator",
        "Attorney",
    ]
    .map(|word| format!("{word} "));
    let labels = [
        "Contracting Officer",
        "Contracting Officer Representative",
        "Attest",
        "Signed",
        "Approved by",
        "Reviewed by",
        "Contact",
        "Accepted for the Contractor",
        "Requester",
        "Prepared by",
        "Submitted by",
    ]
    .iter()
    .flat_map(|word| [format!("{word}: "), format!("{word}, ")]);
    honorifics.into_iter().chain(roles).chain(labels).collect()
}

static NAME_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{NAME}")).expect("name pattern compiles"));

static NAME_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{NAME}$")).expect("name line pattern compiles"));

/// Words that begin a capitalised phrase which is not a person.
const NOT_FIRST_NAMES: &[&str] = &[
    "The",
    "Enforcement",
    "Removal",
    "Operations",
    "Office",
    "Department",
    "Police",
    "County",
    "Field",
    "Immigration",
    "Customs",
    "Homeland",
    "Security",
    "Investigations",
    "Division",
    "Public",
    "General",
    "Chief",
    "Special",
    "Agent",
    "Officer",
    "Deputy",
    "Group",
    "Supervisor",
    "Supervisory",
    "Los",
    "San",
    "Marlow",
    "Calder",
    "United",
    "States",
    "Vigilant",
    "Solutions",
    "Undersheriff",
    "Sheriff",
    "Mayor",
    "Director",
    "Lieutenant",
    "Sergeant",
    "Detective",
    "Captain",
    "Commander",
    "Judge",
    "Commissioner",
    "Representative",
];

/// Titles that follow a signature name on the next line.
const SIGNATURE_TITLES: &[&str] = &[
    "Officer",
    "Chief",
    "Director",
    "Supervisor",
    "Supervisory",
    "Agent",
    "Clerk",
    "Manager",
    "President",
    "Attorney",
    "Counsel",
    "Sheriff",
    "Commander",
    "Deputy",
    "Analyst",
    "Specialist",
    "Coordinator",
];

/// Adds the people named on a page. A role (found in the page with line breaks as
/// spaces) may run over a line break ("Contracting\nOfficer Representative, Ana Peña"),
/// but the name follows it on the same line; a role that ends a line is more often a
/// table cell or a heading than a name's title.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let text = page.text;
    let bytes = text.as_bytes();
    for role in page.triggers.of(Group::Role) {
        if !begins_word(bytes, role.start) || bytes[role.end - 1] == b'\n' {
            continue;
        }
        let start = role.end;
        let after = &text[start..];
        // Most roles are followed by a lower-case word ("Officer shall"): no name,
        // known without running the pattern.
        if !after.starts_with(char::is_uppercase) {
            continue;
        }
        if let Some(name) = NAME_AT_START.find(after) {
            push_name(text, start, start + name.end(), found);
        }
    }
    signature_names(page, found);
    super::names::find(page, found);
}

fn push_name(text: &str, start: usize, end: usize, found: &mut Vec<Entity>) {
    let name = &text[start..end];
    let first = name.split(' ').next().unwrap_or("");
    let already = found
        .iter()
        .any(|e| e.kind == Kind::Person && e.start == start);
    let named = !NOT_FIRST_NAMES.contains(&first) && !super::names::has_stop_word(name);
    if named && !already {
        found.push(Entity::new(
            Kind::Person,
            text,
            start,
            end,
            collapse_spaces(name),
        ));
    }
}

/// Lines that close a letter: the signature's name is on the line below.
const CLOSINGS: &[&str] = &["Sincerely,", "Regards,", "Respectfully,", "Thank you,"];

/// Closings and titles, for [`Group::SignatureMark`]: a signature block is found from
/// them, so the lines of a page are not each examined.
pub(super) fn signature_words() -> Vec<String> {
    CLOSINGS
        .iter()
        .chain(SIGNATURE_TITLES)
        .map(|word| word.to_string())
        .collect()
}

/// Names alone on a line that closes a letter ("Sincerely," above it) or sits above a
/// title ("FOIA Officer", "Chief of Police, ...").
fn signature_names(page: &Page, found: &mut Vec<Entity>) {
    let text = page.text;
    let mut last_line = usize::MAX;
    for mark in page.triggers.of(Group::SignatureMark) {
        let (line_start, line) = line_around(text, mark.start);
        if line_start == last_line {
            continue;
        }
        last_line = line_start;
        let trimmed = line.trim();
        let name_line_start = if CLOSINGS.contains(&trimmed) {
            line_start + line.len() + 1
        } else if line_start > 0 && opens_with_title(trimmed) {
            line_around(text, line_start - 1).0
        } else {
            continue;
        };
        if name_line_start > text.len() {
            continue;
        }
        let (name_line_start, name_line) = line_around(text, name_line_start);
        let name = name_line.trim();
        if name_shaped(name) && NAME_LINE.is_match(name) {
            let begin = name_line_start + name_line.find(name).unwrap_or(0);
            push_name(text, begin, begin + name.len(), found);
        }
    }
}

/// The line of `text` that holds byte `at`, with its start.
fn line_around(text: &str, at: usize) -> (usize, &str) {
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |newline| newline + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |newline| at + newline);
    (start, &text[start..end])
}

/// Whether one of a line's first three words is a title.
fn opens_with_title(line: &str) -> bool {
    line.split([' ', ','])
        .take(3)
        .any(|word| SIGNATURE_TITLES.contains(&word))
}

/// Whether a line has the shape [`NAME_LINE`] asks for: short, two to four capitalised
/// words, no digits. Most lines are ruled out here, before their neighbours are looked
/// at or the pattern runs.
fn name_shaped(line: &str) -> bool {
    if !(5..=48).contains(&line.len()) {
        return false;
    }
    let mut words = 0;
    let capitalised = line.split(' ').all(|word| {
        words += 1;
        word.starts_with(char::is_uppercase)
    });
    capitalised && (2..=4).contains(&words) && !line.bytes().any(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found.into_iter().map(|e| e.normalized).collect()
    }

    #[test]
    fn names_after_roles_and_honorifics() {
        assert_eq!(people("contact Special Agent Jane Doe at"), ["Jane Doe"]);
        assert_eq!(people("Dear Mr. Matthew Bourke:"), ["Matthew Bourke"]);
        assert_eq!(
            people("Mayor Elena Peña called the meeting"),
            ["Elena Peña"]
        );
        assert_eq!(
            people("Contracting Officer: Matthew Bourke"),
            ["Matthew Bourke"]
        );
        assert_eq!(people("Attest: Karen Liu, City Clerk"), ["Karen Liu"]);
    }

    #[test]
    fn signature_blocks() {
        assert_eq!(
            people("Sincerely,\nCatrina M. Pavlik-Keenan\nFOIA Officer"),
            ["Catrina M. Pavlik-Keenan"]
        );
        assert_eq!(
            people("Daniel Okafor\nChief of Police, Marlow Heights"),
            ["Daniel Okafor"]
        );
    }

    #[test]
    fn a_role_may_run_over_a_line_break_but_not_end_a_line() {
        assert!(people("Chief\nFalcon Heights").is_empty());
        assert_eq!(
            people("to the Contracting\nOfficer Representative, Ana Peña, who"),
            ["Ana Peña"]
        );
    }

    #[test]
    fn near_misses_are_not_people() {
        assert!(people("Chief Okafor said").is_empty(), "a surname alone");
        assert!(people("Officer Representative, the office").is_empty());
        assert!(people("Director of Enforcement and Removal Operations").is_empty());
        assert!(people("Field Office Director\nEnforcement and Removal Operations").is_empty());
    }
}
