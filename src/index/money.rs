//! When and how much, for a query: matching pages by the months of the dates on them
//! (`/api/timeline`), the amounts on them by vendor and by agency (`/api/money`), and
//! the money trail of every amount (`foia entities --kind money`), each amount with
//! the vendor, agency, contract and date nearest it on its page
//! ([`crate::entities::trail`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, BooleanQuery, ExistsQuery, Occur, Query};
use tantivy::{DocAddress, TantivyDocument};

use super::search::{PageSearcher, SearchError};
use super::{schema, stored_number, stored_text};
use crate::entities::trail::{money_trail, Link};
use crate::entities::{context, Entity, Kind};

/// Most matching pages with amounts whose trails `/api/money` reads (each is a
/// stored page read); past it the answer says it is partial.
pub const MONEY_PAGES: usize = 20_000;

/// Bars per breakdown in `/api/money`.
const MONEY_BARS: usize = 12;

/// One amount and what was found nearest it on its page, for a spreadsheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneyRow {
    pub doc_id: String,
    pub path: String,
    pub page: u64,
    pub text: String,
    /// Integer cents.
    pub cents: u64,
    pub start: usize,
    pub end: usize,
    pub context: String,
    pub vendor: String,
    pub vendor_how: String,
    pub agency: String,
    pub agency_how: String,
    pub contract: String,
    pub contract_how: String,
    pub date: String,
    pub date_how: String,
}

/// Matching pages in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// `YYYY-MM`, as `date:` takes it.
    pub month: String,
    pub pages: u64,
}

/// A bar of `/api/money`: a vendor's or an agency's amounts on the matching pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneyBar {
    pub name: String,
    /// Per page, the largest amount associated with the name (a page's total is its
    /// largest figure, and its line items would count it twice), summed over pages.
    pub cents: u64,
    pub pages: u64,
}

/// `/api/money`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneyView {
    pub by_vendor: Vec<MoneyBar>,
    pub by_agency: Vec<MoneyBar>,
    /// Matching pages with amounts, and how many of them were read.
    pub pages: usize,
    pub pages_read: usize,
}

impl PageSearcher {
    /// Matching pages by month of the dates on them (a page with dates in two months
    /// counts in both, as `date:` finds it under both), in order.
    pub fn timeline(&self, query: &str) -> Result<Vec<Month>, SearchError> {
        let parsed = self.parse(query)?;
        let searcher = self.snapshot();
        let matching = searcher.search(&parsed, &DocSetCollector)?;
        let mut months: BTreeMap<(i64, i64), u64> = BTreeMap::new();
        let mut readers = HashMap::new();
        for address in matching {
            let column = readers.entry(address.segment_ord).or_insert_with(|| {
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .date(schema::DATE)
                    .ok()
            });
            let Some(column) = column else {
                continue;
            };
            let seen: HashSet<(i64, i64)> = column
                .values_for_doc(address.doc_id)
                .map(|date| month_of(date.into_timestamp_secs()))
                .collect();
            for month in seen {
                *months.entry(month).or_default() += 1;
            }
        }
        Ok(months
            .into_iter()
            .map(|((year, month), pages)| Month {
                month: format!("{year:04}-{month:02}"),
                pages,
            })
            .collect())
    }

    /// The amounts on pages matching `query` by vendor and by agency, each amount
    /// going to the vendor and the agency nearest it on its page.
    pub fn money(&self, query: &str) -> Result<MoneyView, SearchError> {
        let parsed = self.parse(query)?;
        let (rows, pages, pages_read) = self.trail_rows(Some(parsed), MONEY_PAGES)?;
        let bars = |name: fn(&MoneyRow) -> &str| {
            let mut largest: HashMap<(&str, &str, u64), u64> = HashMap::new();
            for row in &rows {
                let named = name(row);
                if named.is_empty() {
                    continue;
                }
                let best = largest.entry((named, &row.doc_id, row.page)).or_default();
                *best = (*best).max(row.cents);
            }
            let mut sums: HashMap<&str, (u64, u64)> = HashMap::new();
            for ((named, _, _), cents) in largest {
                let sum = sums.entry(named).or_default();
                sum.0 += cents;
                sum.1 += 1;
            }
            let mut bars: Vec<MoneyBar> = sums
                .into_iter()
                .map(|(name, (cents, pages))| MoneyBar {
                    name: name.to_string(),
                    cents,
                    pages,
                })
                .collect();
            bars.sort_by(|a, b| b.cents.cmp(&a.cents).then_with(|| a.name.cmp(&b.name)));
            bars.truncate(MONEY_BARS);
            bars
        };
        Ok(MoneyView {
            by_vendor: bars(|row| &row.vendor),
            by_agency: bars(|row| &row.agency),
            pages,
            pages_read,
        })
    }

    /// The money trail of every page of the index, in path, page and position order.
    pub fn money_rows(&self) -> Result<Vec<MoneyRow>, SearchError> {
        Ok(self.trail_rows(None, usize::MAX)?.0)
    }

    /// The trail rows of the pages with amounts matching `query` (all such pages
    /// when `None`), reading at most `most` pages; with the pages there were and the
    /// pages read.
    fn trail_rows(
        &self,
        query: Option<Box<dyn Query>>,
        most: usize,
    ) -> Result<(Vec<MoneyRow>, usize, usize), SearchError> {
        let fields = *self.fields();
        let with_amounts: Box<dyn Query> =
            Box::new(ExistsQuery::new(schema::AMOUNT.to_string(), false));
        let query = BooleanQuery::new(vec![
            (Occur::Must, query.unwrap_or_else(|| Box::new(AllQuery))),
            (Occur::Must, with_amounts),
        ]);
        let searcher = self.snapshot();
        let mut addresses: Vec<DocAddress> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort();
        let pages = addresses.len();
        addresses.truncate(most);
        let canon = self.canon()?;
        let mut rows = Vec::new();
        for address in &addresses {
            let document: TantivyDocument = searcher.doc(*address)?;
            let text = stored_text(&document, fields.text).unwrap_or_default();
            let entities: Vec<Entity> = stored_text(&document, fields.entities_json)
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
            let doc_id = stored_text(&document, fields.doc_id).unwrap_or_default();
            let path = stored_text(&document, fields.path).unwrap_or_default();
            let page = stored_number(&document, fields.page);
            let named = |link: Option<Link>| -> (String, String) {
                link.map_or_else(Default::default, |link| {
                    let entity = &entities[link.entity];
                    let name = match entity.kind {
                        Kind::Date => entity.normalized.clone(),
                        kind => canon.name(kind, &entity.normalized).to_string(),
                    };
                    (name, link.how())
                })
            };
            for trail in money_trail(&text, &entities) {
                let amount = &entities[trail.amount];
                let Ok(cents) = amount.normalized.parse() else {
                    continue;
                };
                let (vendor, vendor_how) = named(trail.vendor);
                let (agency, agency_how) = named(trail.agency);
                let (contract, contract_how) = named(trail.contract);
                let (date, date_how) = named(trail.date);
                rows.push(MoneyRow {
                    doc_id: doc_id.clone(),
                    path: path.clone(),
                    page,
                    text: crate::entities::collapse_spaces(&amount.text),
                    cents,
                    start: amount.start,
                    end: amount.end,
                    context: context(&text, amount),
                    vendor,
                    vendor_how,
                    agency,
                    agency_how,
                    contract,
                    contract_how,
                    date,
                    date_how,
                });
            }
        }
        rows.sort_by(|a, b| (&a.path, a.page, a.start).cmp(&(&b.path, b.page, b.start)));
        Ok((rows, pages, addresses.len()))
    }
}

/// The year and month of a time in seconds since 1970 (UTC), by the civil-from-days
/// algorithm (proleptic Gregorian), the inverse of the writer's `midnight`.
fn month_of(seconds: i64) -> (i64, i64) {
    let days = seconds.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::writer::midnight;

    #[test]
    fn months_come_back_from_stored_days() {
        for (day, month) in [
            ("2018-04-12", (2018, 4)),
            ("2000-02-29", (2000, 2)),
            ("1969-12-31", (1969, 12)),
            ("2024-01-01", (2024, 1)),
            ("1899-03-01", (1899, 3)),
        ] {
            let seconds = midnight(day).expect("a day").into_timestamp_secs();
            assert_eq!(month_of(seconds), month, "{day}");
        }
    }
}
