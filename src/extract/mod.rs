//! PDF bytes -> pages of text.
//!
//! The layers run one way, as in pdfminer: [`document`] loads the file with lopdf and
//! finds its pages and resources, [`fonts`] (with [`cmap`]) turns string bytes into
//! characters and widths, [`interpreter`] runs a page's content stream and yields
//! positioned glyphs, and [`layout`] joins glyphs into words and lines. Everything that
//! reads a PDF (`foia ingest`, `foia extract`, the benchmarks) goes through
//! [`pdf_pages`], so what a reporter searches is exactly what `foia extract` shows.

pub mod cid;
pub mod cmap;
pub mod document;
pub mod encoding;
pub mod fonts;
pub mod images;
pub mod interpreter;
pub mod jpeg_dc;
pub mod layout;
pub mod paint;
pub mod reading;
pub mod redactions;
pub mod render;
pub mod revisions;
pub mod scan;
pub mod standard_metrics;
pub mod truetype;
pub mod words;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use document::Stop;
use lopdf::ObjectId;
use rayon::prelude::*;

use crate::ocr::{self, OcrMode, OcrOptions};
pub use layout::LayoutParams;

/// How far into a file the `%PDF-` header may start (ISO 32000-1 7.5.2 allows junk
/// before it; readers such as poppler look at the first kilobyte).
const HEADER_SEARCH_BYTES: usize = 1024;

/// A line read from an image on a page with a text layer is kept only when Tesseract
/// is this sure of it: the bars, hatching and photographs around a chart's or a
/// letterhead's words read as junk it is unsure of.
const IMAGE_TEXT_CONFIDENCE: f32 = 60.0;

/// An OCR line is already in the text layer when this share of its words is.
const DUPLICATE_LINE_SHARE: f32 = 0.6;

/// One page of extracted text.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 1-based page number, in page-tree order.
    pub number: u32,
    /// The page's text: lines separated by `\n`, words by spaces.
    pub text: String,
    /// Set when (some of) the text was read by OCR: Tesseract's mean word
    /// confidence, 0-100.
    pub ocr_confidence: Option<f32>,
    /// Why a scanned page has no OCR text (Tesseract missing, an image that cannot
    /// be decoded...), so it is reported rather than silently left empty.
    pub note: Option<String>,
    /// Where the text came from.
    pub source: TextSource,
    /// Why (part of) the page was to be read from its picture.
    pub reason: Option<reading::Reason>,
    /// Redaction boxes on it, proper and bad, and text no reader sees.
    pub redactions: redactions::PageRedactions,
    /// Where the words of `text` stand on the page, for boxing hits on its image.
    pub words: Vec<words::WordBox>,
}

/// Where a page's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextSource {
    /// The text layer alone.
    #[default]
    Layer,
    /// OCR alone.
    Ocr,
    /// The text layer and OCR of what it lacks.
    Mixed,
}

impl TextSource {
    pub const ALL: [TextSource; 3] = [TextSource::Layer, TextSource::Ocr, TextSource::Mixed];

    /// The value of the index's `text_source` field.
    pub fn name(self) -> &'static str {
        match self {
            TextSource::Layer => "layer",
            TextSource::Ocr => "ocr",
            TextSource::Mixed => "mixed",
        }
    }
}

/// Everything extraction yields for one PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfText {
    /// `/Title` from the document information dictionary, when present and not blank.
    pub title: Option<String>,
    /// Every page of the document, in order, including pages without text.
    pub pages: Vec<Page>,
}

/// Why a file could not be extracted. The `reason` strings are stable: they are what
/// the ingest summary and error lines print.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("not a PDF: {0}")]
    NotPdf(&'static str),
    #[error("encrypted: {0}")]
    Encrypted(String),
    #[error("corrupt PDF: {0}")]
    Corrupt(String),
    #[error("PDF reader panicked: {0}")]
    Panic(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("timed out after {} s", .0.as_secs_f64())]
    Timeout(Duration),
}

impl ExtractError {
    /// A short machine-readable reason, e.g. for JSON output.
    pub fn reason(&self) -> &'static str {
        match self {
            ExtractError::NotPdf(_) => "not-pdf",
            ExtractError::Encrypted(_) => "encrypted",
            ExtractError::Corrupt(_) => "corrupt",
            ExtractError::Panic(_) => "panic",
            ExtractError::TooLarge(_) => "too-large",
            ExtractError::Timeout(_) => "timeout",
        }
    }
}

/// True when `bytes` carry a `%PDF-` header near their start: PDFs are recognised by
/// content, never by file name.
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEADER_SEARCH_BYTES)];
    head.windows(5).any(|window| window == b"%PDF-")
}

/// How to extract a PDF.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    pub layout: LayoutParams,
    /// Tried when the empty password does not open an encrypted file.
    pub password: Option<String>,
    /// Wall-clock limit: extraction gives up with [`ExtractError::Timeout`] after it.
    /// OCR, which runs after the text layer is read, has the same limit per page.
    pub timeout: Option<Duration>,
    /// OCR of scanned pages: off unless asked for (`foia` asks, `auto` by default).
    pub ocr: OcrOptions,
}

/// Extracts the title and the text of every page of a PDF held in memory.
///
/// A panic inside lopdf or the interpreter on a hostile file is caught and returned as
/// [`ExtractError::Panic`], so one bad file never takes a batch down.
pub fn pdf_pages(bytes: &[u8]) -> Result<PdfText, ExtractError> {
    pdf_pages_with(bytes, &ExtractOptions::default())
}

/// [`pdf_pages`] with a password, a time limit, OCR or other layout thresholds.
pub fn pdf_pages_with(bytes: &[u8], options: &ExtractOptions) -> Result<PdfText, ExtractError> {
    let Layers { mut content, scans } = text_layers(bytes, options)?;
    add_ocr_text(&mut content.pages, &scans, &options.ocr);
    Ok(content)
}

/// A PDF's text layers, and the scanned pages OCR is to read (none when OCR is off).
#[derive(Debug, Clone)]
pub struct Layers {
    /// Every page with its text layer (scans blank, or with a note saying why they
    /// will not be read).
    pub content: PdfText,
    /// The scanned pages to read, with their images.
    pub scans: Vec<scan::PageScan>,
}

/// The first half of [`pdf_pages_with`]: every page's text layer, and its scanned
/// pages with their images, not yet read.
pub fn text_layers(bytes: &[u8], options: &ExtractOptions) -> Result<Layers, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::NotPdf("empty file"));
    }
    if !is_pdf(bytes) {
        return Err(ExtractError::NotPdf("no %PDF- header"));
    }
    crate::isolation::contained(|| text_layers_unguarded(bytes, options))
        .unwrap_or_else(|message| Err(ExtractError::Panic(message)))
}

/// Documents with at least this many pages have their pages read in parallel (on the
/// same pool that reads files in parallel): one long file, such as an 800-page audit
/// log, would otherwise keep one core busy while the others have run out of files.
const PARALLEL_PAGES: usize = 4;

fn text_layers_unguarded(bytes: &[u8], options: &ExtractOptions) -> Result<Layers, ExtractError> {
    let deadline = options.timeout.map(|timeout| Instant::now() + timeout);
    let document = document::Document::load(bytes, options.password.as_deref(), deadline)?;
    // Made when the first page needs rendering: most documents never do.
    let renderer = OnceLock::new();
    let fonts = interpreter::FontCache::default();
    let page_ids = document.page_ids();
    let read = |(index, page_id): (usize, &ObjectId)| {
        // Each page on its own guard: on a pool thread a panic would otherwise be
        // reported by the default hook before the file's guard caught it.
        crate::isolation::contained(|| {
            read_page(
                &document, &fonts, *page_id, index, bytes, options, &renderer,
            )
        })
        .unwrap_or_else(|message| Err(ExtractError::Panic(message)))
    };
    // Indexed collection keeps page order; the first failure ends the file.
    let read: Vec<(Page, Option<scan::PageScan>)> = if page_ids.len() >= PARALLEL_PAGES {
        page_ids
            .par_iter()
            .enumerate()
            .map(read)
            .collect::<Result<_, _>>()?
    } else {
        page_ids
            .iter()
            .enumerate()
            .map(read)
            .collect::<Result<_, _>>()?
    };
    let mut pages = Vec::with_capacity(read.len());
    let mut scans = Vec::new();
    for (page, scan) in read {
        pages.push(page);
        scans.extend(scan);
    }
    let mut found: Vec<redactions::PageRedactions> = pages
        .iter_mut()
        .map(|page| std::mem::take(&mut page.redactions))
        .collect();
    redactions::drop_placeholders(&mut found);
    for (page, found) in pages.iter_mut().zip(found) {
        page.redactions = found;
    }
    revisions::note_removed_words(bytes, options.password.as_deref(), deadline, &mut pages);
    Ok(Layers {
        content: PdfText {
            title: document.title(),
            pages,
        },
        scans,
    })
}

/// One page's text layer and, when its picture has words to read, what to read.
fn read_page(
    document: &document::Document,
    fonts: &interpreter::FontCache,
    page_id: ObjectId,
    index: usize,
    bytes: &[u8],
    options: &ExtractOptions,
    renderer: &OnceLock<Arc<render::Renderer>>,
) -> Result<(Page, Option<scan::PageScan>), ExtractError> {
    let marks = interpreter::page_marks_with(document, page_id, fonts);
    // A page cut short by a limit would be indexed as if complete: the file fails.
    match document.stopped() {
        Some(Stop::TooLarge) => {
            return Err(ExtractError::TooLarge(format!(
                "streams inflate past the limit (page {} of a possible decompression bomb)",
                index + 1
            )))
        }
        Some(Stop::Timeout) => {
            return Err(ExtractError::Timeout(options.timeout.unwrap_or_default()))
        }
        None => {}
    }
    let area = document.page_area(page_id);
    // Words under a bad redaction are recovered words, kept apart from the text a
    // reader sees on the page.
    let (redactions, hidden) = redactions::find(document, &marks, area);
    let (text, mut drawn) = if hidden.is_empty() {
        layout::page_text_and_words(&marks.glyphs, &options.layout)
    } else {
        let visible: Vec<interpreter::PlacedGlyph> = marks
            .glyphs
            .iter()
            .enumerate()
            .filter(|(index, _)| !hidden.contains(index))
            .map(|(_, glyph)| glyph.clone())
            .collect();
        layout::page_text_and_words(&visible, &options.layout)
    };
    let rotate = document.page_rotation(page_id);
    for word in &mut drawn {
        word.bbox = words::to_shares(word.bbox, area, rotate);
    }
    let words = words::align(&text, &drawn);
    let mut page = Page {
        number: index as u32 + 1,
        text,
        ocr_confidence: None,
        note: None,
        source: TextSource::Layer,
        reason: None,
        redactions,
        words,
    };
    let mut scan = None;
    if let Some(read) = reading::decide(&marks, area, &page.text, options.ocr.mode) {
        page.reason = Some(read.reason());
        let renderer = matches!(read, reading::Reading::Render { .. }).then(|| {
            Arc::clone(renderer.get_or_init(|| {
                Arc::new(render::Renderer::new(
                    bytes.to_vec(),
                    options.password.clone(),
                ))
            }))
        });
        match page_scan(document, page_id, area, page.number, &marks, read, renderer) {
            Ok(read) => scan = Some(read),
            Err(note) => page.note = Some(note),
        }
    }
    Ok((page, scan))
}

/// Reads the pages to read in parallel and puts their text on their pages: for a
/// scan, in place of the text layer with `--ocr always` or when it is blank, after it
/// otherwise (a Bates number stamped as text stays); for the other reasons, the OCR
/// lines the text layer does not already hold, after it. A page that cannot be read
/// gets a note; a panic in a decoder costs that page only.
pub fn add_ocr_text(pages: &mut [Page], scans: &[scan::PageScan], options: &OcrOptions) {
    type Read = (u32, reading::Reason, Option<scan::LineOrder>);
    /// Bars found in the page image, and the exemption labels OCR read beside them.
    type Bars = (Vec<[f32; 4]>, BTreeMap<String, u32>);
    let read: Vec<(Read, Bars, Result<ocr::Recognized, String>)> = scans
        .par_iter()
        .map(|scan| {
            // The picture OCR reads also shows the bars burned into a scan: proper
            // redactions no text layer knows of.
            let (bars, recognized) = crate::isolation::contained(|| {
                ocr::check(options)?;
                let image = scan.image(options.timeout)?;
                let bars = match (&image, scan.reason) {
                    (Some(image), reading::Reason::Scan | reading::Reason::StampedScan) => {
                        redactions::scan_bars(&image.gray, image.dpi, scan.area, scan.rotate)
                    }
                    _ => Vec::new(),
                };
                let recognized = ocr::recognize_image(scan, image, options);
                let labels = match &recognized {
                    Ok(read) => redactions::scan_labels(&bars, &read.words, scan.area, scan.rotate),
                    Err(_) => BTreeMap::new(),
                };
                Ok(((bars, labels), recognized))
            })
            .unwrap_or_else(|panic| Err(format!("OCR crashed: {panic}")))
            .unwrap_or_else(|error| ((Vec::new(), BTreeMap::new()), Err(error)));
            if recognized.is_ok() {
                options
                    .pages_read
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            ((scan.number, scan.reason, scan.order), bars, recognized)
        })
        .collect();
    for ((number, reason, order), (bars, labels), recognized) in read {
        let page = &mut pages[number as usize - 1];
        page.redactions.add_boxes(bars);
        page.redactions.add_labels(labels);
        let recognized = match recognized {
            Ok(recognized) => recognized,
            Err(reason) => {
                page.note = Some(reason);
                continue;
            }
        };
        let blank = page.text.trim().is_empty();
        // OCR boxes are shares of the upright page picture, as the layer's are.
        let mut drawn: Vec<words::DrawnWord> = recognized
            .words
            .iter()
            .map(|word| words::DrawnWord {
                text: word.text.clone(),
                bbox: word.bbox,
            })
            .collect();
        if reason.replaces_blank_layer() && (options.mode == OcrMode::Always || blank) {
            page.words = words::align(&recognized.text, &drawn);
            page.text = recognized.text;
            page.source = TextSource::Ocr;
            page.ocr_confidence = Some(recognized.confidence);
            continue;
        }
        let least = (reason == reading::Reason::ImageText).then_some(IMAGE_TEXT_CONFIDENCE);
        let Some(merged) = merge(&page.text, &recognized, order, least) else {
            continue;
        };
        let mut layer = words::redrawn(&page.text, &page.words);
        layer.append(&mut drawn);
        page.words = words::align(&merged, &layer);
        page.text = merged;
        page.source = if blank {
            TextSource::Ocr
        } else {
            TextSource::Mixed
        };
        page.ocr_confidence = Some(recognized.confidence);
    }
}

/// The text layer with the OCR lines it does not already hold (and, with `least`, that
/// Tesseract is at least that sure of), each group where it stands: lines above the
/// text layer's first line before it, the others after it, as blocks of their own.
/// `None` when OCR adds nothing. A line is already held when
/// most of its words are among the layer's words not yet matched, so a header both
/// stamped as text and printed on the scan appears once.
fn merge(
    layer: &str,
    recognized: &ocr::Recognized,
    order: Option<scan::LineOrder>,
    least: Option<f32>,
) -> Option<String> {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let mut unmatched: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for word in words(layer) {
        *unmatched.entry(word).or_default() += 1;
    }
    let mut tops = recognized.tops.iter();
    let mut confidences = recognized.line_confidences.iter();
    let (mut before, mut after): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for line in recognized.text.lines() {
        if line.trim().is_empty() {
            // Blocks stay apart.
            if after.last().is_some_and(|last| !last.is_empty()) {
                after.push("");
            }
            continue;
        }
        let top = tops.next();
        let sure = least
            .zip(confidences.next())
            .is_none_or(|(least, confidence)| *confidence >= least);
        if !sure {
            continue;
        }
        let line_words = words(line);
        let held: Vec<&String> = line_words
            .iter()
            .filter(|word| unmatched.get(*word).is_some_and(|&count| count > 0))
            .collect();
        if !line_words.is_empty()
            && held.len() as f32 >= DUPLICATE_LINE_SHARE * line_words.len() as f32
        {
            for word in held {
                if let Some(count) = unmatched.get_mut(word) {
                    *count = count.saturating_sub(1);
                }
            }
            continue;
        }
        let above = order
            .zip(top)
            .is_some_and(|(order, top)| order.offset + order.scale * top < order.layer_top);
        if above && after.iter().all(|line| line.is_empty()) {
            before.push(line);
        } else {
            after.push(line);
        }
    }
    if before.is_empty() && after.iter().all(|line| line.is_empty()) {
        return None;
    }
    let blocks = [
        before.join("\n"),
        layer.trim().to_string(),
        after.join("\n").trim().to_string(),
    ];
    Some(
        blocks
            .into_iter()
            .filter(|block| !block.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n"),
    )
}

/// What OCR needs of a page to read: the images to compose (their streams resolved)
/// or the renderer to draw it, with its area and turn. `page_area` is the page's
/// visible area, as the decision used it. An error saying why when none of the images
/// can be read.
fn page_scan(
    document: &document::Document,
    page_id: lopdf::ObjectId,
    page_area: [f32; 4],
    number: u32,
    marks: &interpreter::PageMarks,
    read: reading::Reading,
    renderer: Option<Arc<render::Renderer>>,
) -> Result<scan::PageScan, String> {
    let reason = read.reason();
    let mut images = Vec::new();
    if let reading::Reading::Images { images: chosen, .. } = &read {
        let mut first_error = None;
        for drawn in chosen.iter().filter_map(|&index| marks.images.get(index)) {
            match images::ImageSource::resolve(document, drawn) {
                Ok(source) => images.push((source, drawn.matrix)),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        if images.is_empty() {
            return Err(first_error.unwrap_or_default());
        }
    }
    // Images read for their words on a text page are composed alone, in the box they
    // fill: Tesseract then reads a letterhead, not a page of white around one.
    let area = match reason {
        reading::Reason::ImageText => images
            .iter()
            .map(|(_, matrix)| matrix.bounds([0.0, 0.0, 1.0, 1.0]))
            .reduce(|a, b| {
                [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ]
            })
            .map(|[x0, y0, x1, y1]| {
                [
                    x0.max(page_area[0]),
                    y0.max(page_area[1]),
                    x1.min(page_area[2]),
                    y1.min(page_area[3]),
                ]
            })
            .filter(|[x0, y0, x1, y1]| x1 > x0 && y1 > y0)
            .unwrap_or(page_area),
        _ => page_area,
    };
    let rotate = document.page_rotation(page_id);
    let height = page_area[3] - page_area[1];
    // Where the text layer's first line stands: the top of its highest glyph.
    let layer_top = marks
        .glyphs
        .iter()
        .filter(|glyph| !glyph.text.trim().is_empty())
        .map(|glyph| glyph.y.max(glyph.end_y) + 0.75 * glyph.size)
        .reduce(f32::max)
        .map_or(1.0, |top| (page_area[3] - top) / height);
    let order = (rotate.rem_euclid(360) == 0 && height > 0.0).then(|| scan::LineOrder {
        layer_top,
        offset: (page_area[3] - area[3]) / height,
        scale: (area[3] - area[1]) / height,
    });
    Ok(scan::PageScan {
        number,
        area,
        rotate,
        images,
        reason,
        renderer,
        order,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Object, Stream};

    #[test]
    fn ocr_lines_join_the_text_layer_once_and_where_they_stand() {
        let recognized = ocr::Recognized {
            text: "CITY OF EUGENE\nPolice Records\n\nCase 21-0042 Filed 03/14/25\nThe motion is granted."
                .to_string(),
            confidence: 95.0,
            tops: vec![0.02, 0.05, 0.1, 0.5],
            line_confidences: Vec::new(),
            words: Vec::new(),
        };
        let order = scan::LineOrder {
            layer_top: 0.08,
            offset: 0.0,
            scale: 1.0,
        };
        let layer = "Case 21-0042 Filed 03/14/25";
        assert_eq!(
            merge(layer, &recognized, Some(order), None).as_deref(),
            Some("CITY OF EUGENE\nPolice Records\n\nCase 21-0042 Filed 03/14/25\n\nThe motion is granted.")
        );
        // On a turned page the picture's lines follow the text layer.
        assert_eq!(
            merge(layer, &recognized, None, None).as_deref(),
            Some("Case 21-0042 Filed 03/14/25\n\nCITY OF EUGENE\nPolice Records\n\nThe motion is granted.")
        );
        // Nothing new: nothing to merge.
        let same = ocr::Recognized {
            text: layer.to_string(),
            confidence: 95.0,
            tops: vec![0.1],
            line_confidences: vec![95.0],
            words: Vec::new(),
        };
        assert_eq!(merge(layer, &same, Some(order), None), None);
        // Lines Tesseract is unsure of are dropped when asked.
        let unsure = ocr::Recognized {
            line_confidences: vec![91.0, 40.0, 90.0, 35.0],
            ..recognized.clone()
        };
        assert_eq!(
            merge(layer, &unsure, Some(order), Some(60.0)).as_deref(),
            Some("CITY OF EUGENE\n\nCase 21-0042 Filed 03/14/25")
        );
    }

    /// A one-page PDF drawing `content` with Helvetica as /F1 (no /Widths, as many
    /// standard-14 fonts are written) and `form` as Form XObject /X1.
    fn fixture(content: &str, form: &str) -> Vec<u8> {
        fixture_with_annotations(content, form, |_, _| Vec::new())
    }

    /// [`fixture`] with the annotations `annotations(document, font)` returns.
    fn fixture_with_annotations(
        content: &str,
        form: &str,
        annotations: impl FnOnce(&mut lopdf::Document, lopdf::ObjectId) -> Vec<Object>,
    ) -> Vec<u8> {
        let mut document = lopdf::Document::with_version("1.4");
        let pages_id = document.new_object_id();
        let font_id = document.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let form_id = document.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            },
            form.as_bytes().to_vec(),
        ));
        let content_id =
            document.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let annots = annotations(&mut document, font_id);
        let page_id = document.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Annots" => annots,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font_id },
                "XObject" => dictionary! { "X1" => form_id },
            },
        });
        document.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            }),
        );
        let catalog_id =
            document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        document.trailer.set("Root", catalog_id);
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).expect("fixture saves");
        bytes
    }

    fn page_text(content: &str, form: &str) -> String {
        let extracted = pdf_pages(&fixture(content, form)).expect("fixture extracts");
        assert_eq!(extracted.pages.len(), 1);
        extracted.pages[0].text.clone()
    }

    #[test]
    fn text_objects_on_different_baselines_are_lines() {
        let content =
            "BT /F1 12 Tf 72 700 Td (Award of) Tj ET BT /F1 12 Tf 72 680 Td (Contract) Tj ET";
        assert_eq!(page_text(content, ""), "Award of\nContract");
    }

    #[test]
    fn tj_kerning_gap_is_a_word_space_but_small_kern_is_not() {
        let content = "BT /F1 12 Tf 72 700 Td [(Vigilant) -300 (Solu) 20 (tions)] TJ ET";
        assert_eq!(page_text(content, ""), "Vigilant Solutions");
    }

    #[test]
    fn quote_operators_move_to_the_next_line() {
        let content = "BT /F1 10 Tf 14 TL 72 700 Td (first) Tj (second) ' 1 0 (third) \" ET";
        assert_eq!(page_text(content, ""), "first\nsecond\nthird");
    }

    #[test]
    fn actual_text_replaces_the_glyphs_it_covers() {
        let content = "BT /F1 12 Tf 72 700 Td (Re) Tj /Span << /ActualText (ceived) >> BDC (c) Tj (ei) Tj (ved) Tj EMC ( today) Tj ET";
        assert_eq!(page_text(content, ""), "Received today");
    }

    #[test]
    fn form_xobject_text_is_placed_by_its_matrix() {
        let content = "BT /F1 12 Tf 72 700 Td (Page text) Tj ET q 1 0 0 1 0 -100 cm /X1 Do Q";
        let form = "BT /F1 12 Tf 72 700 Td (Stamped: RELEASED IN PART) Tj ET";
        assert_eq!(
            page_text(content, form),
            "Page text\nStamped: RELEASED IN PART"
        );
    }

    #[test]
    fn annotation_appearances_and_field_values_are_page_text() {
        let bytes = fixture_with_annotations("", "", |document, font_id| {
            let mut appearance = |text: &str| {
                document.add_object(Stream::new(
                    dictionary! {
                        "Type" => "XObject",
                        "Subtype" => "Form",
                        "BBox" => vec![0.into(), 0.into(), 200.into(), 20.into()],
                        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
                    },
                    format!("BT /F1 10 Tf 2 5 Td ({text}) Tj ET").into_bytes(),
                ))
            };
            let stamped = appearance("Requester: Jane Doe");
            let hidden = appearance("internal only");
            vec![
                Object::Dictionary(dictionary! {
                    "Type" => "Annot", "Subtype" => "Widget",
                    "Rect" => vec![72.into(), 700.into(), 272.into(), 720.into()],
                    "AP" => dictionary! { "N" => stamped },
                }),
                Object::Dictionary(dictionary! {
                    "Type" => "Annot", "Subtype" => "Widget",
                    "Rect" => vec![72.into(), 600.into(), 272.into(), 620.into()],
                    "V" => Object::string_literal("Exemption (b)(6)"),
                }),
                Object::Dictionary(dictionary! {
                    "Type" => "Annot", "Subtype" => "Stamp", "F" => 2,
                    "Rect" => vec![72.into(), 500.into(), 272.into(), 520.into()],
                    "AP" => dictionary! { "N" => hidden },
                }),
            ]
        });
        let text = pdf_pages(&bytes).expect("fixture extracts").pages[0]
            .text
            .clone();
        assert_eq!(text, "Requester: Jane Doe\nExemption (b)(6)");
    }

    #[test]
    fn form_drawing_itself_is_drawn_once() {
        let form = "BT /F1 12 Tf 72 700 Td (loop) Tj ET /X1 Do";
        let bytes = fixture("/X1 Do", form);
        let document = document::Document::load(&bytes, None, None).expect("fixture loads");
        let marks = interpreter::page_marks(&document, document.page_ids()[0]);
        assert_eq!(marks.glyphs.len(), 4);
    }

    #[test]
    fn header_found_after_leading_junk() {
        let mut bytes = vec![b' '; 100];
        bytes.extend_from_slice(b"%PDF-1.7\n");
        assert!(is_pdf(&bytes));
    }

    #[test]
    fn header_past_first_kilobyte_is_not_pdf() {
        let mut bytes = vec![b' '; 2000];
        bytes.extend_from_slice(b"%PDF-1.7\n");
        assert!(!is_pdf(&bytes));
    }

    #[test]
    fn empty_and_text_files_are_rejected_with_reason() {
        assert!(matches!(
            pdf_pages(b""),
            Err(ExtractError::NotPdf("empty file"))
        ));
        let error = pdf_pages(b"hello, world\n").unwrap_err();
        assert_eq!(error.reason(), "not-pdf");
    }

    #[test]
    fn a_passed_deadline_fails_the_file_with_timeout() {
        let bytes = fixture("BT /F1 12 Tf 72 700 Td (slow) Tj ET", "");
        let options = ExtractOptions {
            timeout: Some(Duration::ZERO),
            ..ExtractOptions::default()
        };
        let error = pdf_pages_with(&bytes, &options).unwrap_err();
        assert_eq!(error.reason(), "timeout", "{error}");
        assert!(pdf_pages(&bytes).is_ok(), "no deadline, no timeout");
    }

    #[test]
    fn a_stream_inflating_past_the_limit_fails_the_file_as_too_large() {
        // A page content stream of zeros that inflates to one byte over the limit.
        let zeros = vec![0u8; document::MAX_STREAM_BYTES + 1];
        let mut stream = Stream::new(dictionary! {}, zeros);
        stream.compress().expect("zeros compress");
        let mut document = lopdf::Document::load_mem(&fixture("", "")).expect("fixture");
        let page_id = *document.get_pages().values().next().expect("a page");
        let bomb_id = document.add_object(stream);
        document
            .get_object_mut(page_id)
            .and_then(Object::as_dict_mut)
            .expect("page dictionary")
            .set("Contents", bomb_id);
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).expect("bomb saves");
        assert!(bytes.len() < 1024 * 1024, "the bomb is small on disk");
        let error = pdf_pages(&bytes).unwrap_err();
        assert_eq!(error.reason(), "too-large", "{error}");
    }

    #[test]
    fn truncated_pdf_is_an_error_not_a_panic() {
        let error = pdf_pages(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R").unwrap_err();
        assert!(matches!(error, ExtractError::Corrupt(_)), "{error}");
    }
}
