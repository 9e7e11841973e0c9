//! OCR for scanned pages: pages that draw an image over most of their area and have
//! little or no text get their text from Tesseract, with its confidence.
//!
//! Extraction finds the scanned pages and their images ([`crate::extract::scan`]);
//! here each page image is made, looked up in the [`cache`], and read by
//! [`tesseract`]. Pages are read in parallel on the caller's rayon pool, so `--jobs`
//! bounds the Tesseract processes running at once.

pub mod cache;
pub mod tesseract;

use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::extract::scan::{self, PageImage, PageScan};

/// Below this mean confidence a page may be upside down (Tesseract reads pages turned a
/// quarter by itself, but not half): its orientation is checked and, if turned, the
/// page is read again and the better reading kept.
const REORIENT_BELOW: f32 = 60.0;

/// When to OCR a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OcrMode {
    /// Pages that are mostly image and have (almost) no text.
    #[default]
    Auto,
    /// Every page that is mostly image, replacing any text layer it has (for scans
    /// whose scanner-made OCR layer is poor).
    Always,
    /// No OCR.
    Never,
}

/// How to OCR.
#[derive(Debug, Clone)]
pub struct OcrOptions {
    pub mode: OcrMode,
    /// Tesseract languages, `+`-separated: `eng`, `eng+spa`.
    pub languages: String,
    /// Folder of cached results (in the index folder when ingesting).
    pub cache: Option<PathBuf>,
    /// Longest Tesseract may take on one page.
    pub timeout: Option<Duration>,
    /// Pages read so far, shared by every clone: a progress bar shows it while a long
    /// scan, one file to the pipeline, is being read.
    pub pages_read: Arc<AtomicUsize>,
}

impl Default for OcrOptions {
    /// No OCR: the library reads text layers only unless asked (`foia` turns it on).
    fn default() -> Self {
        OcrOptions {
            mode: OcrMode::Never,
            languages: "eng".to_string(),
            cache: None,
            timeout: None,
            pages_read: Arc::default(),
        }
    }
}

/// What OCR read on a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recognized {
    /// Lines separated by `\n`, blocks by a blank line.
    pub text: String,
    /// Mean word confidence, 0-100.
    pub confidence: f32,
    /// Where each line of `text` that is not blank begins, as a share of the image's
    /// height from its top (empty in results cached before it was kept).
    #[serde(default)]
    pub tops: Vec<f32>,
    /// Mean word confidence of each of those lines.
    #[serde(default)]
    pub line_confidences: Vec<f32>,
    /// Each word read, with its box (empty in results cached before it was kept).
    #[serde(default)]
    pub words: Vec<OcrWord>,
}

/// A word OCR read and where: `[left, top, right, bottom]` as shares of the image's
/// width and height, from its top left corner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrWord {
    pub text: String,
    pub bbox: [f32; 4],
}

/// Whether Tesseract can read the languages asked for, or why not.
pub fn check(options: &OcrOptions) -> Result<(), String> {
    tesseract::check(&options.languages)
}

/// Reads one scanned page: its image made, then the cache or Tesseract.
pub fn recognize(scan: &PageScan, options: &OcrOptions) -> Result<Recognized, String> {
    tesseract::check(&options.languages)?;
    recognize_image(scan, scan.image(options.timeout)?, options)
}

/// [`recognize`] with the page's image already made (`None`: nothing to read).
pub fn recognize_image(
    scan: &PageScan,
    image: Option<PageImage>,
    options: &OcrOptions,
) -> Result<Recognized, String> {
    tesseract::check(&options.languages)?;
    let Some(image) = image else {
        return Ok(Recognized {
            text: String::new(),
            confidence: 0.0,
            tops: Vec::new(),
            line_confidences: Vec::new(),
            words: Vec::new(),
        });
    };
    let key = cache::key(&image, &options.languages);
    if let Some(cached) = options
        .cache
        .as_deref()
        .and_then(|folder| cache::load(folder, &key))
    {
        return Ok(cached);
    }
    let mut recognized = tesseract::read(&image, &options.languages, options.timeout)?;
    let unsure = recognized.confidence < REORIENT_BELOW && !recognized.text.is_empty();
    if unsure && scan.reason.may_be_turned() {
        let turn =
            tesseract::orientation(&image, options.timeout).filter(|degrees| degrees % 360 != 0);
        if let Some(degrees) = turn {
            let turned = PageImage {
                gray: scan::rotate(image.gray.clone(), degrees),
                dpi: image.dpi,
            };
            let again = tesseract::read(&turned, &options.languages, options.timeout)?;
            if again.confidence > recognized.confidence {
                recognized = again;
            }
        }
    }
    if let Some(folder) = &options.cache {
        cache::store(folder, &key, &recognized);
    }
    Ok(recognized)
}
