//! The index schema, declared once. Every field name is a constant here; nothing else
//! in foia spells a field name.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use super::TOKENIZER;

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

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub doc_id: Field,
    pub path: Field,
    pub title: Field,
    pub page: Field,
    pub page_count: Field,
    pub text: Field,
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
        page_count: builder.add_u64_field(PAGE_COUNT, number),
        text: builder.add_text_field(TEXT, analyzed(IndexRecordOption::WithFreqsAndPositions)),
    };
    (builder.build(), fields)
}
