//! The money trail: for each amount on a page, the vendor, agency, contract number
//! and date found nearest it on that page, and how they were associated, so a data
//! desk can load "who paid whom how much, when, under which contract" into a
//! spreadsheet.
//!
//! Forms, invoices, orders and contracts name their parties in set places, so the
//! value for an amount is, in this order:
//! 1. one on the amount's own line (a table row, "ICE spent $6.1 million");
//! 2. one a label names as a party ("Bill To:", "Contractor", "Vendor:", "Issuing
//!    office"), on its line or at the end of the line above;
//! 3. one in the letterhead (the page's first lines): for agencies the most specific
//!    body the gazetteer knows, as letterheads run from department down to component
//!    ("U.S. Department of Homeland Security / U.S. Immigration and Customs
//!    Enforcement / Office of Acquisition Management");
//! 4. the nearest by lines, above before below (labels and headings stand above the
//!    figures), then by characters.
//!
//! A body merely mentioned in a page's prose ("agencies such as the Marlow Heights
//! Police Department") is thus not taken for the party that paid.

use serde::Serialize;

use super::{agency, Entity, Kind};

/// Lines at the top of a page that make its letterhead.
const LETTERHEAD_LINES: i64 = 3;

/// Labels that name the party that pays or orders (lowercase, as they start).
const AGENCY_LABELS: [&str; 11] = [
    "bill to",
    "billed to",
    "sold to",
    "ship to",
    "customer",
    "ordering agency",
    "ordered by",
    "issuing office",
    "purchaser",
    "buyer",
    "agency:",
];

/// Labels that name the party paid.
const VENDOR_LABELS: [&str; 7] = [
    "contractor",
    "vendor",
    "supplier",
    "payee",
    "remit to",
    "pay to",
    "seller",
];

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

/// An entity associated with an amount: its index in the page's entities, and how.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Link {
    pub entity: usize,
    pub by: Association,
}

/// How an entity was associated with an amount.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Association {
    SameLine,
    Labelled,
    Letterhead,
    /// Lines from the amount: negative above, positive below.
    Lines(i64),
}

impl Link {
    /// How the entity was associated, in words: `same line`, `labelled`,
    /// `letterhead`, `2 lines above`.
    pub fn how(&self) -> String {
        match self.by {
            Association::SameLine | Association::Lines(0) => "same line".to_string(),
            Association::Labelled => "labelled".to_string(),
            Association::Letterhead => "letterhead".to_string(),
            Association::Lines(-1) => "line above".to_string(),
            Association::Lines(1) => "line below".to_string(),
            Association::Lines(lines) if lines < 0 => format!("{} lines above", -lines),
            Association::Lines(lines) => format!("{lines} lines below"),
        }
    }
}

/// The trail of every amount among `entities` (a page's, with spans into `text`).
pub fn money_trail(text: &str, entities: &[Entity]) -> Vec<Trail> {
    let lines: Vec<&str> = text.split('\n').collect();
    let line_of = |offset: usize| -> i64 {
        let offset = offset.min(text.len());
        text.as_bytes()[..offset]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count() as i64
    };
    let line_start = |line: i64| -> usize {
        lines[..line as usize]
            .iter()
            .map(|line| line.len() + 1)
            .sum()
    };
    let on_line: Vec<i64> = entities
        .iter()
        .map(|entity| line_of(entity.start))
        .collect();
    // Whether a label for `kind` names the entity: before it on its line, or ending
    // the line above.
    let labelled = |index: usize, labels: &[&str]| -> bool {
        let line = on_line[index];
        let before = text
            .get(line_start(line)..entities[index].start)
            .unwrap_or_default()
            .to_lowercase();
        let above = if line > 0 {
            lines[line as usize - 1].trim_end().to_lowercase()
        } else {
            String::new()
        };
        labels.iter().any(|label| {
            before.contains(label)
                || above
                    .trim_end_matches(':')
                    .ends_with(label.trim_end_matches(':'))
        })
    };
    let listed = |index: usize| {
        entities[index].kind != Kind::Agency || agency::is_listed(&entities[index].normalized)
    };
    let nearest = |amount: usize, kind: Kind| -> Option<Link> {
        let at = &entities[amount];
        let candidates: Vec<usize> = (0..entities.len())
            .filter(|&index| entities[index].kind == kind)
            .collect();
        let distance = |index: usize| {
            let entity = &entities[index];
            let lines = on_line[index] - on_line[amount];
            let characters = if entity.start >= at.end {
                entity.start - at.end
            } else {
                at.start.saturating_sub(entity.end)
            };
            (lines.abs(), lines > 0, characters)
        };
        let closest =
            |chosen: &mut dyn Iterator<Item = usize>| chosen.min_by_key(|&index| distance(index));
        let link = |entity: usize, by: Association| Some(Link { entity, by });
        if let Some(index) = closest(
            &mut candidates
                .iter()
                .copied()
                .filter(|&index| on_line[index] == on_line[amount]),
        ) {
            return link(index, Association::SameLine);
        }
        let labels: &[&str] = match kind {
            Kind::Agency => &AGENCY_LABELS,
            Kind::Vendor => &VENDOR_LABELS,
            _ => &[],
        };
        let named: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&index| labelled(index, labels))
            .collect();
        if let Some(index) = named
            .iter()
            .copied()
            .min_by_key(|&index| (!listed(index), distance(index)))
        {
            return link(index, Association::Labelled);
        }
        if matches!(kind, Kind::Agency | Kind::Vendor) {
            let head: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&index| {
                    on_line[index] < LETTERHEAD_LINES && on_line[amount] >= LETTERHEAD_LINES
                })
                .collect();
            let most_specific = head.iter().rev().copied().find(|&index| listed(index));
            if let Some(index) = most_specific.or_else(|| head.first().copied()) {
                return link(index, Association::Letterhead);
            }
        }
        closest(&mut candidates.iter().copied()).map(|index| Link {
            entity: index,
            by: Association::Lines(on_line[index] - on_line[amount]),
        })
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
    fn each_amount_takes_its_line_a_label_the_letterhead_then_the_nearest() {
        let page = "Acme Corp invoice to Dept of Roads\n\
                    Contract C-1 dated 2018-01-02\n\
                    Memo\n\
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
        let labelled = money_trail(
            "City Hall\nMinutes\nNotes\nBill To:\nDept of Roads\nMayor's Office pays $5",
            &[
                entity(
                    "Dept of Roads",
                    "City Hall\nMinutes\nNotes\nBill To:\nDept of Roads\nMayor's Office pays $5",
                    Kind::Agency,
                    0,
                ),
                entity(
                    "$5",
                    "City Hall\nMinutes\nNotes\nBill To:\nDept of Roads\nMayor's Office pays $5",
                    Kind::Money,
                    0,
                ),
            ],
        );
        assert_eq!(
            labelled[0].agency.map(|link| link.how()),
            Some("labelled".to_string())
        );
        let named = |link: Option<Link>| link.map(|link| entities[link.entity].text.clone());
        // $10: Acme in the letterhead wins over Beta two lines below.
        assert_eq!(named(trail[0].vendor), Some("Acme Corp".to_string()));
        assert_eq!(
            trail[0].vendor.map(|link| link.how()),
            Some("letterhead".to_string())
        );
        assert_eq!(named(trail[0].contract), Some("C-1".to_string()));
        assert_eq!(
            trail[0].contract.map(|link| link.how()),
            Some("2 lines above".to_string())
        );
        assert_eq!(named(trail[0].date), Some("2018-01-02".to_string()));
        // $30: the letterhead again; its date is the next line's, not three above.
        assert_eq!(named(trail[1].vendor), Some("Acme Corp".to_string()));
        assert_eq!(named(trail[1].agency), Some("Dept of Roads".to_string()));
        assert_eq!(named(trail[1].date), Some("2018-03-04".to_string()));
        assert_eq!(
            trail[1].date.map(|link| link.how()),
            Some("line below".to_string())
        );
    }
}
