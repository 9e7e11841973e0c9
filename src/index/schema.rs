//! The index schema, declared once. Every field name is a constant here; nothing else
//! in foia spells a field name.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use super::TOKENIZER;
use crate::entities::Kind;

/// sha256 of the file's bytes, lowercase hex: identifies a file's content.
pub const DOC_ID: &str = "doc_id";
/// Absolute path of the file when it was ingested; replaced pages are found by it.
pub const PATH: &str = "path";
/// `/Title` from the PDF's information dictionary.
pub const TITLE: &str = "title";
/// 1-based page number.
pub const PAGE: &str = "page";
/// Pages in the whole file.
pub const PAGE_COUNT: &str = "page_count";
/// The page's text, with positions for phrase queries and snippets.
pub const TEXT: &str = "text";
/// Amounts of money on the page, in cents (multi-valued); queried in dollars.
pub const AMOUNT: &str = "amount";
/// Dates on the page (multi-valued), at midnight UTC.
pub const DATE: &str = "date";
/// Every entity as a facet `/kind/normalised value`, for facet counts.
pub const ENTITY: &str = "entity";
/// The page's entities as JSON, stored for `foia entities`.
pub const ENTITIES_JSON: &str = "entities_json";
/// Whether the page's text was read by OCR (`ocr:true`).
pub const OCR: &str = "ocr";
/// Tesseract's mean word confidence for an OCR'd page, 0-100 (`ocr_confidence:<60`).
pub const OCR_CONFIDENCE: &str = "ocr_confidence";
/// Where the page's text came from: `layer`, `ocr` or `mixed` (`text_source:mixed`).
pub const TEXT_SOURCE: &str = "text_source";
/// Why (part of) the page was read from its picture: `scan`, `stamped-scan`,
/// `unmapped-font`, `outlined-text`, `image-text` (`reason:stamped-scan`).
pub const REASON: &str = "reason";
/// Why a scanned page has no OCR text, when it has none; stored, and a fast field so
/// `foia status` can count such pages.
pub const NOTE: &str = "note";

/// Proper redactions on the page: boxes with nothing legible beneath
/// (`redactions:>0`).
pub const REDACTIONS: &str = "redactions";
/// Bad redactions on the page: boxes over words still in the file.
pub const REDACTIONS_BAD: &str = "redactions_bad";
/// `any` on a page with redactions, `bad` with bad ones, `hidden` with text no reader
/// sees (`redaction:bad`).
pub const REDACTION: &str = "redaction";
/// The words bad redactions fail to hide, apart from the page's visible text
/// (`recovered:"vendor name"`).
pub const RECOVERED: &str = "recovered";
/// The page's redactions as JSON, stored for `foia redactions`.
pub const REDACTIONS_JSON: &str = "redactions_json";
/// The page's near-duplicate sketch ([`crate::similarity::Sketch::to_words`]), a
/// multi-valued fast field, so folding a query's pages reads columns, not documents;
/// absent on a page of too few words.
pub const SKETCH: &str = "sketch";
/// Where the page's words stand ([`crate::extract::words::encode`]), stored for the
/// page view's hit boxes; absent on a page without words.
pub const WORD_BOXES: &str = "word_boxes";

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub doc_id: Field,
    pub path: Field,
    pub title: Field,
    pub page: Field,
    pub page_count: Field,
    pub text: Field,
    pub amount: Field,
    pub date: Field,
    pub entity: Field,
    pub entities_json: Field,
    pub ocr: Field,
    pub ocr_confidence: Field,
    pub note: Field,
    pub text_source: Field,
    pub reason: Field,
    pub redactions: Field,
    pub redactions_bad: Field,
    pub redaction: Field,
    pub recovered: Field,
    pub redactions_json: Field,
    pub sketch: Field,
    pub word_boxes: Field,
    /// One exact-match field per named-entity kind (agency, vendor, exemption,
    /// contract, email, phone, person), by the kind's name.
    pub by_kind: [Option<Field>; Kind::ALL.len()],
}

impl Fields {
    /// The exact-match field of an entity kind (none for money and dates, which have
    /// their own numeric and date fields).
    pub fn kind_field(&self, kind: Kind) -> Option<Field> {
        let index = Kind::ALL.iter().position(|k| *k == kind)?;
        self.by_kind[index]
    }
}

/// Kinds with an exact-match field named after them.
fn has_kind_field(kind: Kind) -> bool {
    !matches!(kind, Kind::Money | Kind::Date)
}

impl Fields {
    /// Finds the fields in an existing index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        Ok(Fields {
            doc_id: schema.get_field(DOC_ID)?,
            path: schema.get_field(PATH)?,
            title: schema.get_field(TITLE)?,
            page: schema.get_field(PAGE)?,
            page_count: schema.get_field(PAGE_COUNT)?,
            text: schema.get_field(TEXT)?,
            amount: schema.get_field(AMOUNT)?,
            date: schema.get_field(DATE)?,
            entity: schema.get_field(ENTITY)?,
            entities_json: schema.get_field(ENTITIES_JSON)?,
            ocr: schema.get_field(OCR)?,
            ocr_confidence: schema.get_field(OCR_CONFIDENCE)?,
            note: schema.get_field(NOTE)?,
            text_source: schema.get_field(TEXT_SOURCE)?,
            reason: schema.get_field(REASON)?,
            redactions: schema.get_field(REDACTIONS)?,
            redactions_bad: schema.get_field(REDACTIONS_BAD)?,
            redaction: schema.get_field(REDACTION)?,
            recovered: schema.get_field(RECOVERED)?,
            redactions_json: schema.get_field(REDACTIONS_JSON)?,
            sketch: schema.get_field(SKETCH)?,
            word_boxes: schema.get_field(WORD_BOXES)?,
            by_kind: Kind::ALL.map(|kind| {
                has_kind_field(kind)
                    .then(|| schema.get_field(kind.as_str()).ok())
                    .flatten()
            }),
        })
    }
}

/// Builds the schema and returns it with its field handles.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analyzed = |record: IndexRecordOption| {
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TOKENIZER)
                    .set_index_option(record),
            )
            .set_stored()
    };
    let number = NumericOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast();
    let fields = Fields {
        doc_id: builder.add_text_field(DOC_ID, STRING | STORED | FAST),
        path: builder.add_text_field(PATH, STRING | STORED | FAST),
        title: builder.add_text_field(TITLE, analyzed(IndexRecordOption::WithFreqsAndPositions)),
        page: builder.add_u64_field(PAGE, number.clone()),
        page_count: builder.add_u64_field(PAGE_COUNT, number.clone()),
        text: builder.add_text_field(TEXT, analyzed(IndexRecordOption::WithFreqsAndPositions)),
        amount: builder.add_u64_field(AMOUNT, NumericOptions::default().set_indexed().set_fast()),
        date: builder.add_date_field(
            DATE,
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        entity: builder.add_facet_field(ENTITY, FacetOptions::default()),
        entities_json: builder.add_text_field(ENTITIES_JSON, STORED),
        ocr: builder.add_bool_field(OCR, number.clone()),
        ocr_confidence: builder.add_f64_field(OCR_CONFIDENCE, number.clone()),
        note: builder.add_text_field(NOTE, STRING | STORED | FAST),
        text_source: builder.add_text_field(TEXT_SOURCE, STRING | STORED | FAST),
        reason: builder.add_text_field(REASON, STRING | STORED | FAST),
        redactions: builder.add_u64_field(REDACTIONS, number.clone()),
        redactions_bad: builder.add_u64_field(REDACTIONS_BAD, number.clone()),
        redaction: builder.add_text_field(REDACTION, STRING),
        recovered: builder.add_text_field(
            RECOVERED,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        redactions_json: builder.add_text_field(REDACTIONS_JSON, STORED),
        sketch: builder.add_u64_field(SKETCH, NumericOptions::default().set_fast()),
        word_boxes: builder.add_bytes_field(WORD_BOXES, STORED),
        by_kind: Kind::ALL.map(|kind| {
            has_kind_field(kind).then(|| builder.add_text_field(kind.as_str(), STRING))
        }),
    };
    (builder.build(), fields)
}
