//! One name per entity across a dump. Finders already fold what one page or one
//! document shows ("Vigilant Solutions, LLC" and "Vigilant" through the gazetteer,
//! "MARTINEZ" under "Freddy Martinez"); across documents the same entity still comes
//! in several spellings: "Todd M. Lyons" and "Todd Lyons", "Pen-Link" and "PenLink",
//! "Cobwebs" and "Cobwebs Technologies". [`Canon`] groups the values of a whole index
//! and names each group once, so that exports, facets and filters agree.
//!
//! Two values are one entity when their [`fold_key`]s are equal, or (vendors) when
//! the shorter one's words begin exactly one longer name of the dump ("Cobwebs" ->
//! "Cobwebs Technologies", but "Bank" of "Bank of America" and "Bank One" stays
//! apart). Agencies are not joined so: "City of Chicago" is not its "City of Chicago
//! Department of Human Resources".

use std::collections::HashMap;

use super::Kind;

/// The kinds whose values come in several spellings: their filters and facets read
/// them through [`Canon`], and a group is named by its fullest spelling.
pub const SPELLED_KINDS: [Kind; 3] = [Kind::Agency, Kind::Vendor, Kind::Person];

/// The key two spellings of one entity share.
pub fn fold_key(kind: Kind, value: &str) -> String {
    match kind {
        // "Pen-Link", "PenLink" and "Pen Link"; "State's Attorney" and "States Attorney".
        Kind::Vendor | Kind::Agency => value
            .to_lowercase()
            .replace("'s", "")
            .replace("’s", "")
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect(),
        // A person by given name and surname: initials and generational suffixes
        // left out ("Todd M. Lyons" = "Todd Lyons", "Victor H. Castillo Jr." =
        // "Victor Castillo").
        Kind::Person => {
            let words: Vec<String> = value
                .split_whitespace()
                .map(|word| word.trim_end_matches([',', '.']).to_lowercase())
                .filter(|word| word.chars().count() > 1)
                .filter(|word| !matches!(word.as_str(), "jr" | "sr" | "ii" | "iii" | "iv"))
                .collect();
            match (words.first(), words.last()) {
                (Some(first), Some(last)) if words.len() > 1 => format!("{first} {last}"),
                _ => words.join(" "),
            }
        }
        Kind::Email => value.to_lowercase(),
        Kind::Money | Kind::Date | Kind::Exemption | Kind::Contract | Kind::Phone => {
            value.to_string()
        }
    }
}

/// The canonical name of every value of a dump.
#[derive(Debug, Default, Clone)]
pub struct Canon {
    /// (kind, value) -> canonical name, for values whose name differs from them.
    names: HashMap<(Kind, String), String>,
    /// (kind, canonical name) -> every value in its group, itself included.
    members: HashMap<(Kind, String), Vec<String>>,
    /// (kind, fold key of a member) -> canonical name, for values typed in a query.
    keys: HashMap<(Kind, String), String>,
}

impl Canon {
    /// Groups the values of a dump, given with how often each occurs (occurrences or
    /// pages): the name of a group is its longest value for people, vendors and
    /// agencies (the fullest spelling: "Todd M. Lyons", "Cobwebs Technologies"), and
    /// its most frequent for the other kinds.
    pub fn build<'a>(values: impl IntoIterator<Item = (Kind, &'a str, u64)>) -> Canon {
        let mut by_key: HashMap<(Kind, String), Vec<(&'a str, u64)>> = HashMap::new();
        for (kind, value, count) in values {
            let group = by_key.entry((kind, fold_key(kind, value))).or_default();
            match group.iter_mut().find(|(known, _)| *known == value) {
                Some((_, total)) => *total += count,
                None => group.push((value, count)),
            }
        }
        join_prefixes(&mut by_key);
        let mut canon = Canon::default();
        for ((kind, _), group) in by_key {
            let fullest = SPELLED_KINDS.contains(&kind);
            let Some(&(name, _)) = group.iter().max_by(|a, b| {
                let rank = |(value, count): &(&str, u64)| {
                    if fullest {
                        (value.chars().count() as u64, *count)
                    } else {
                        (*count, value.chars().count() as u64)
                    }
                };
                rank(a).cmp(&rank(b)).then_with(|| b.0.cmp(a.0))
            }) else {
                continue;
            };
            for &(value, _) in &group {
                if value != name {
                    canon
                        .names
                        .insert((kind, value.to_string()), name.to_string());
                }
                canon
                    .keys
                    .insert((kind, fold_key(kind, value)), name.to_string());
            }
            let mut members: Vec<String> = group.iter().map(|(v, _)| v.to_string()).collect();
            members.sort();
            canon.members.insert((kind, name.to_string()), members);
        }
        canon
    }

    /// The canonical name of a value (the value itself when it stands alone).
    pub fn name<'a>(&'a self, kind: Kind, value: &'a str) -> &'a str {
        self.names
            .get(&(kind, value.to_string()))
            .map_or(value, String::as_str)
    }

    /// Every value that shares the canonical name of `value` (at least `value`);
    /// `value` may be any spelling of a member ("todd lyons", "PenLink").
    pub fn members(&self, kind: Kind, value: &str) -> Vec<String> {
        let name = match self.names.get(&(kind, value.to_string())) {
            Some(name) => name.as_str(),
            None => self
                .keys
                .get(&(kind, fold_key(kind, value)))
                .map_or(value, String::as_str),
        };
        self.members
            .get(&(kind, name.to_string()))
            .cloned()
            .unwrap_or_else(|| vec![value.to_string()])
    }
}

/// Vendors: a group whose words begin exactly one longer group's name joins it.
fn join_prefixes(by_key: &mut HashMap<(Kind, String), Vec<(&str, u64)>>) {
    let words = |value: &str| -> Vec<String> {
        value
            .split_whitespace()
            .map(|word| fold_key(Kind::Vendor, word))
            .filter(|word| !word.is_empty())
            .collect()
    };
    let keys: Vec<(Kind, String)> = by_key
        .keys()
        .filter(|(kind, _)| *kind == Kind::Vendor)
        .cloned()
        .collect();
    let mut moves = Vec::new();
    for short in &keys {
        let Some(&(value, _)) = by_key[short].first() else {
            continue;
        };
        let short_words = words(value);
        // One word of three letters or fewer ("ICE", "Co") is too little to join on.
        if short_words
            .first()
            .is_none_or(|word| short_words.len() == 1 && word.len() < 4)
        {
            continue;
        }
        let longer: Vec<&(Kind, String)> = keys
            .iter()
            .filter(|long| long.0 == short.0 && *long != short)
            .filter(|long| {
                by_key[*long].iter().any(|(value, _)| {
                    let long_words = words(value);
                    long_words.len() > short_words.len()
                        && long_words[..short_words.len()] == short_words[..]
                })
            })
            .collect();
        if let [only] = longer.as_slice() {
            moves.push((short.clone(), (*only).clone()));
        }
    }
    for (short, long) in moves {
        // A group that is itself joined to a longer one passes its members on.
        if let Some(values) = by_key.remove(&short) {
            by_key.entry(long).or_default().extend(values);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(values: &[(Kind, &'static str)]) -> Canon {
        Canon::build(values.iter().map(|&(kind, value)| (kind, value, 1)))
    }

    #[test]
    fn people_fold_by_given_name_and_surname() {
        let canon = canon(&[
            (Kind::Person, "Todd M. Lyons"),
            (Kind::Person, "Todd Lyons"),
            (Kind::Person, "Victor H Castillo Jr."),
            (Kind::Person, "Victor Castillo"),
            (Kind::Person, "Tina Lyons"),
        ]);
        assert_eq!(canon.name(Kind::Person, "Todd Lyons"), "Todd M. Lyons");
        assert_eq!(
            canon.name(Kind::Person, "Victor Castillo"),
            "Victor H Castillo Jr."
        );
        assert_eq!(canon.name(Kind::Person, "Tina Lyons"), "Tina Lyons");
        assert_eq!(
            canon.members(Kind::Person, "Todd Lyons"),
            ["Todd Lyons", "Todd M. Lyons"]
        );
    }

    #[test]
    fn vendors_fold_spellings_and_unique_prefixes() {
        let canon = canon(&[
            (Kind::Vendor, "Pen-Link"),
            (Kind::Vendor, "PenLink"),
            (Kind::Vendor, "Cobwebs"),
            (Kind::Vendor, "Cobwebs Technologies"),
            (Kind::Vendor, "Bank"),
            (Kind::Vendor, "Bank Of America"),
            (Kind::Vendor, "Bank One"),
        ]);
        assert_eq!(canon.name(Kind::Vendor, "PenLink"), "Pen-Link");
        assert_eq!(canon.name(Kind::Vendor, "Cobwebs"), "Cobwebs Technologies");
        assert_eq!(canon.name(Kind::Vendor, "Bank"), "Bank", "two longer names");
        assert_eq!(canon.name(Kind::Vendor, "Bank One"), "Bank One");
        assert_eq!(
            canon.members(Kind::Vendor, "cobwebs"),
            ["Cobwebs", "Cobwebs Technologies"]
        );
    }

    #[test]
    fn other_kinds_keep_their_values() {
        let canon = canon(&[(Kind::Money, "100"), (Kind::Contract, "HSCEMD17C00005")]);
        assert_eq!(canon.name(Kind::Money, "100"), "100");
        assert_eq!(canon.members(Kind::Contract, "X1"), ["X1"]);
    }
}
