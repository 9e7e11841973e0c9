//! People: a name after an honorific or a role ("Special Agent Jane Doe", "Mr.
//! Matthew Bourke", "Chief Daniel Okafor", "Contracting Officer: Matthew Bourke"), or a
//! name alone on the line of a signature block (after "Sincerely," or above a title).

use std::sync::LazyLock;

use regex::Regex;

use super::{collapse_spaces, Entity, Kind};

/// Two or three capitalised words, with an optional middle initial and hyphenated
/// surname ("Catrina M. Pavlik-Keenan", "Elena Peña").
const NAME: &str = r"\p{Lu}\p{Ll}+(?:[ ]\p{Lu}\.)?(?:[ ]\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?){1,2}";

static AFTER_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?-u:\b)(?:Mr|Ms|Mrs|Dr|Lt|Sgt|Capt|Det)\.\ 
        | (?-u:\b)(?:Special\s+Agent|Agent|Officer|Deputy|Sheriff|Undersheriff|Chief|Lieutenant|Sergeant
              |Detective|Mayor|Director|Commander|Captain|Judge|Commissioner|Councilmember
              |Council\s+member|Representative|Senator|Attorney)\ 
        | (?-u:\b)(?:Contracting\s+Officer|Contracting\s+Officer\s+Representative|Attest|Signed|Approved\s+by
              |Reviewed\s+by|Contact|Accepted\s+for\s+the\s+Contractor|Requester|Prepared\s+by|Submitted\s+by)[,:]\ 
        ",
    )
    .expect("role pattern compiles")
});

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

/// Adds the people named on a page.
pub fn find(text: &str, found: &mut Vec<Entity>) {
    for role in AFTER_ROLE.find_iter(text) {
        let after = &text[role.end()..];
        // Most roles are followed by a lower-case word ("Officer shall"): no name,
        // known without running the pattern.
        if !after.starts_with(char::is_uppercase) {
            continue;
        }
        if let Some(name) = NAME_AT_START.find(after) {
            let start = role.end();
            let end = start + name.end();
            push_name(text, start, end, found);
        }
    }
    signature_names(text, found);
}

fn push_name(text: &str, start: usize, end: usize, found: &mut Vec<Entity>) {
    let name = &text[start..end];
    let first = name.split(' ').next().unwrap_or("");
    let already = found
        .iter()
        .any(|e| e.kind == Kind::Person && e.start == start);
    if !NOT_FIRST_NAMES.contains(&first) && !already {
        found.push(Entity::new(
            Kind::Person,
            text,
            start,
            end,
            collapse_spaces(name),
        ));
    }
}

/// Names alone on a line that closes a letter ("Sincerely," above it) or sits above a
/// title ("FOIA Officer", "Chief of Police, ...").
fn signature_names(text: &str, found: &mut Vec<Entity>) {
    let mut offset = 0;
    let mut lines = text
        .split('\n')
        .map(|line| {
            let start = offset;
            offset += line.len() + 1;
            (start, line)
        })
        .peekable();
    let mut previous = "";
    while let Some((start, line)) = lines.next() {
        let trimmed = line.trim();
        // A name line is short, starts with a capital and has a space; most lines are
        // ruled out before the pattern runs.
        let could_be_name = (5..=48).contains(&trimmed.len())
            && trimmed.starts_with(|c: char| c.is_uppercase())
            && trimmed.contains(' ')
            && !trimmed.contains(|c: char| c.is_ascii_digit());
        if could_be_name {
            let next = lines.peek().map_or("", |(_, line)| line.trim());
            let closes_letter =
                ["Sincerely,", "Regards,", "Respectfully,", "Thank you,"].contains(&previous);
            let above_title = || {
                next.split([' ', ','])
                    .take(3)
                    .any(|word| SIGNATURE_TITLES.contains(&word))
            };
            // The neighbours are cheaper to check than the name pattern.
            if (closes_letter || above_title()) && NAME_LINE.is_match(trimmed) {
                let begin = start + line.find(trimmed).unwrap_or(0);
                push_name(text, begin, begin + trimmed.len(), found);
            }
        }
        previous = trimmed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        find(text, &mut found);
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
    fn near_misses_are_not_people() {
        assert!(people("Chief Okafor said").is_empty(), "a surname alone");
        assert!(people("Officer Representative, the office").is_empty());
        assert!(people("Director of Enforcement and Removal Operations").is_empty());
        assert!(people("Field Office Director\nEnforcement and Removal Operations").is_empty());
    }
}
