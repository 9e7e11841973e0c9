//! The money trail: for each amount on a page, the vendor, agency, contract number
//! and date found nearest it on that page, and how near, so a data desk can load
//! "who paid whom how much, when, under which contract" into a spreadsheet.
//!
//! Nearest is counted in lines first (an amount's own line, then the lines around it),
//! then in characters. At the same distance a value above the amount wins over one
//! below: forms and invoices put their labels, parties and headings above the
//! figures (the letterhead and "Bill To" above the line items).

use serde::Serialize;

use super::{Entity, Kind};

/// An amount and what stands nearest it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trail {
    /// Index of the amount in the page's entities.
    pub amount: usize,
    pub vendor: Option<Link>,
    pub agency: Option<Link>,
    pub contract: Option<Link>,
    pub date: Option<Link>,
}

/// An entity found near an amount: its index in the page's entities, and where it
/// stands from the amount in lines (negative above, positive below).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Link {
    pub entity: usize,
    pub lines: i64,
}

impl Link {
    /// How the entity was associated, in words: `same line`, `2 lines above`.
    pub fn how(&self) -> String {
        match self.lines {
            0 => "same line".to_string(),
            -1 => "line above".to_string(),
            1 => "line below".to_string(),
            lines if lines < 0 => format!("{} lines above", -lines),
            lines => format!("{lines} lines below"),
        }
    }
}

/// The trail of every amount among `entities` (a page's, with spans into `text`).
pub fn money_trail(text: &str, entities: &[Entity]) -> Vec<Trail> {
    let line_of = |offset: usize| -> i64 {
        let offset = offset.min(text.len());
        text.as_bytes()[..offset]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count() as i64
    };
    let lines: Vec<i64> = entities
        .iter()
        .map(|entity| line_of(entity.start))
        .collect();
    let nearest = |amount: usize, kind: Kind| -> Option<Link> {
        let at = &entities[amount];
        entities
            .iter()
            .enumerate()
            .filter(|(_, entity)| entity.kind == kind)
            .map(|(index, entity)| {
                let lines = lines[index] - lines[amount];
                let characters = if entity.start >= at.end {
                    entity.start - at.end
                } else {
                    at.start.saturating_sub(entity.end)
                };
                (
                    (lines.abs(), lines > 0, characters),
                    Link {
                        entity: index,
                        lines,
                    },
                )
            })
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, link)| link)
    };
    entities
        .iter()
        .enumerate()
        .filter(|(_, entity)| entity.kind == Kind::Money)
        .map(|(amount, _)| Trail {
            amount,
            vendor: nearest(amount, Kind::Vendor),
            agency: nearest(amount, Kind::Agency),
            contract: nearest(amount, Kind::Contract),
            date: nearest(amount, Kind::Date),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(text: &str, page: &str, kind: Kind, nth: usize) -> Entity {
        let start = page
            .match_indices(text)
            .nth(nth)
            .map(|(at, _)| at)
            .expect("in the page");
        Entity {
            kind,
            text: text.to_string(),
            normalized: text.to_string(),
            start,
            end: start + text.len(),
        }
    }

    #[test]
    fn each_amount_takes_the_nearest_above_before_below() {
        let page = "Acme Corp invoice to Dept of Roads\n\
                    Contract C-1 dated 2018-01-02\n\
                    Line $10\n\
                    Total $30\n\
                    Beta LLC signs on 2018-03-04";
        let entities = vec![
            entity("Acme Corp", page, Kind::Vendor, 0),
            entity("Dept of Roads", page, Kind::Agency, 0),
            entity("C-1", page, Kind::Contract, 0),
            entity("2018-01-02", page, Kind::Date, 0),
            entity("$10", page, Kind::Money, 0),
            entity("$30", page, Kind::Money, 0),
            entity("Beta LLC", page, Kind::Vendor, 0),
            entity("2018-03-04", page, Kind::Date, 0),
        ];
        let trail = money_trail(page, &entities);
        assert_eq!(trail.len(), 2);
        let named = |link: Option<Link>| link.map(|link| entities[link.entity].text.clone());
        // $10: Acme two lines above, Beta two below: above wins.
        assert_eq!(named(trail[0].vendor), Some("Acme Corp".to_string()));
        assert_eq!(
            trail[0].vendor.map(|link| link.how()),
            Some("2 lines above".to_string())
        );
        assert_eq!(named(trail[0].contract), Some("C-1".to_string()));
        assert_eq!(named(trail[0].date), Some("2018-01-02".to_string()));
        // $30: Beta's line is next, Acme's three above.
        assert_eq!(named(trail[1].vendor), Some("Beta LLC".to_string()));
        assert_eq!(
            trail[1].vendor.map(|link| link.how()),
            Some("line below".to_string())
        );
        assert_eq!(named(trail[1].agency), Some("Dept of Roads".to_string()));
        assert_eq!(named(trail[1].date), Some("2018-03-04".to_string()));
    }
}
