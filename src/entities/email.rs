//! E-mail addresses, normalised to lower case.

use std::sync::LazyLock;

use regex::Regex;

use super::{Entity, Kind};

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?-u:\b)")
        .expect("e-mail pattern compiles")
});

/// Adds the e-mail addresses on a page.
pub fn find(text: &str, found: &mut Vec<Entity>) {
    if !text.contains('@') {
        return;
    }
    for hit in ADDRESS.find_iter(text) {
        found.push(Entity::new(
            Kind::Email,
            text,
            hit.start(),
            hit.end(),
            hit.as_str().to_lowercase(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_near_misses() {
        let mut found = Vec::new();
        find(
            "Write to Matthew.Bourke@ice.dhs.gov. Or (b)(6) @ice.dhs.gov> or a@b",
            &mut found,
        );
        let addresses: Vec<&str> = found.iter().map(|e| e.normalized.as_str()).collect();
        assert_eq!(addresses, ["matthew.bourke@ice.dhs.gov"]);
    }
}
