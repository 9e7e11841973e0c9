//! Page images for the page view, drawn by the rasterizer that OCR uses for pages
//! whose words are not in their text layer ([`Renderer`], poppler's `pdftoppm`), and
//! kept on disk next to the index (`<index>/page-images`) so a page is drawn once.
//!
//! Each request is bounded: a few widths only (so one page has few cached sizes), a
//! deadline on the drawing, and the whole cache under [`CACHE_BYTES`], the pages
//! least recently shown removed first.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::extract::render::Renderer;

/// Widths an image is drawn at, in pixels: a phone, a laptop's half screen, a
/// laptop, a large screen. A request gets the smallest at least as wide as it asks.
pub const WIDTHS: [u32; 4] = [600, 900, 1200, 1600];

/// The width when a request names none.
pub const DEFAULT_WIDTH: u32 = 1200;

/// Most bytes the cache holds; past it the images shown longest ago go.
pub const CACHE_BYTES: u64 = 1 << 30;

/// Longest one page may take to draw (a map or an engineering drawing can take long).
pub const DRAW_TIME: Duration = Duration::from_secs(20);

/// The folder of the cache inside an index.
const FOLDER: &str = "page-images";

/// Why a page image could not be given: its document could not be read (the error
/// `original` gave), or drawing it failed (why).
#[derive(Debug, PartialEq)]
pub enum Unavailable<E> {
    Original(E),
    Drawing(String),
}

/// The page image cache of one index.
pub struct PageImages {
    folder: PathBuf,
    capacity: u64,
    /// Bytes in the cache, counted from disk on first use.
    held: Mutex<Option<u64>>,
}

impl PageImages {
    /// The cache of the index at `index`, holding at most `capacity` bytes.
    pub fn new(index: &Path, capacity: u64) -> PageImages {
        PageImages {
            folder: index.join(FOLDER),
            capacity,
            held: Mutex::new(None),
        }
    }

    /// The width drawn for a request that asks for `asked` pixels.
    pub fn width(asked: Option<usize>) -> u32 {
        let Some(asked) = asked else {
            return DEFAULT_WIDTH;
        };
        WIDTHS
            .into_iter()
            .find(|&width| width as usize >= asked)
            .unwrap_or(WIDTHS[WIDTHS.len() - 1])
    }

    /// Page `page` of document `doc_id` as PNG, `width` pixels wide: from the cache,
    /// else drawn from the document's bytes (`original` reads them, only then) and
    /// kept.
    pub fn png<E>(
        &self,
        doc_id: &str,
        page: u64,
        width: u32,
        original: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, Unavailable<E>> {
        let path = self.folder.join(doc_id).join(format!("{page}-{width}.png"));
        if let Ok(bytes) = std::fs::read(&path) {
            // The modification time says when it was last shown, for eviction.
            if let Ok(file) = std::fs::File::options().append(true).open(&path) {
                let _ = file.set_modified(SystemTime::now());
            }
            return Ok(bytes);
        }
        let number =
            u32::try_from(page).map_err(|_| Unavailable::Drawing(format!("no page {page}")))?;
        let bytes = original().map_err(Unavailable::Original)?;
        let png = Renderer::new(bytes, None)
            .png(number, width, Some(DRAW_TIME))
            .map_err(Unavailable::Drawing)?;
        // A cache that cannot be written costs speed, not the answer.
        let _ = self.keep(&path, &png);
        Ok(png)
    }

    /// Writes an image into the cache (whole, or not at all), then trims the cache.
    fn keep(&self, path: &Path, png: &[u8]) -> std::io::Result<()> {
        let folder = path.parent().unwrap_or(&self.folder);
        std::fs::create_dir_all(folder)?;
        let mut file = tempfile::NamedTempFile::new_in(folder)?;
        std::io::Write::write_all(&mut file, png)?;
        file.persist(path).map_err(|error| error.error)?;
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let total = match *held {
            Some(total) => total + png.len() as u64,
            None => cached(&self.folder).iter().map(|image| image.bytes).sum(),
        };
        *held = Some(if total > self.capacity {
            self.trim()
        } else {
            total
        });
        Ok(())
    }

    /// Removes the images shown longest ago until the cache is under nine tenths of
    /// its capacity (so it is not trimmed on every write); the bytes left.
    fn trim(&self) -> u64 {
        let mut images = cached(&self.folder);
        images.sort_by_key(|image| image.shown);
        let mut total: u64 = images.iter().map(|image| image.bytes).sum();
        for image in images {
            if total <= self.capacity / 10 * 9 {
                break;
            }
            if std::fs::remove_file(&image.path).is_ok() {
                total -= image.bytes;
            }
        }
        total
    }
}

/// An image in the cache.
struct Cached {
    path: PathBuf,
    bytes: u64,
    shown: SystemTime,
}

/// Every image in the cache folder (one folder per document).
fn cached(folder: &Path) -> Vec<Cached> {
    let mut images = Vec::new();
    let Ok(documents) = std::fs::read_dir(folder) else {
        return images;
    };
    for document in documents.flatten() {
        let Ok(files) = std::fs::read_dir(document.path()) else {
            continue;
        };
        for file in files.flatten() {
            let Ok(metadata) = file.metadata() else {
                continue;
            };
            images.push(Cached {
                path: file.path(),
                bytes: metadata.len(),
                shown: metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            });
        }
    }
    images
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_get_one_of_a_few_widths() {
        assert_eq!(PageImages::width(None), DEFAULT_WIDTH);
        assert_eq!(PageImages::width(Some(1)), 600);
        assert_eq!(PageImages::width(Some(901)), 1200);
        assert_eq!(PageImages::width(Some(100_000)), 1600);
    }

    #[test]
    fn the_cache_keeps_to_its_size_dropping_the_least_recently_shown() {
        let index = tempfile::tempdir().expect("temp dir");
        let images = PageImages::new(index.path(), 2_500);
        let png = |fill: u8| move || -> Result<Vec<u8>, String> { Err(format!("draw {fill}")) };
        // Kept directly: drawing needs pdftoppm and a PDF, which other tests cover.
        for page in 1..=3 {
            let path = images.folder.join("doc").join(format!("{page}-600.png"));
            images.keep(&path, &[page as u8; 1_000]).expect("kept");
            std::thread::sleep(Duration::from_millis(20));
        }
        let left: Vec<String> = {
            let mut names: Vec<String> = cached(&images.folder)
                .iter()
                .filter_map(|image| Some(image.path.file_name()?.to_str()?.to_string()))
                .collect();
            names.sort();
            names
        };
        assert_eq!(left, ["2-600.png", "3-600.png"], "the oldest went");
        assert_eq!(
            images.png("doc", 3, 600, png(9)).expect("cached"),
            vec![3u8; 1_000]
        );
        assert_eq!(
            images.png("doc", 1, 600, png(1)),
            Err(Unavailable::Original("draw 1".to_string()))
        );
    }
}
