//! The one adapter over lopdf: loading a file, its pages, its title and the resource
//! dictionaries a page's content stream draws on.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Instant;

use lopdf::{Dictionary, Object, ObjectId};

use super::ExtractError;

/// The most one stream (page content, object stream, font file) may inflate to. A
/// text page is kilobytes; this bounds decompression bombs well before memory runs out.
pub const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// The most all of a document's streams may inflate to together: a bomb can also be
/// many streams each just under [`MAX_STREAM_BYTES`].
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024 * 1024;

/// Why extraction of a document stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A stream, or all streams together, inflated past their limit.
    TooLarge,
    /// The deadline passed.
    Timeout,
}

impl Stop {
    fn code(stop: Option<Stop>) -> u8 {
        match stop {
            None => 0,
            Some(Stop::TooLarge) => 1,
            Some(Stop::Timeout) => 2,
        }
    }

    fn from_code(code: u8) -> Option<Stop> {
        match code {
            1 => Some(Stop::TooLarge),
            2 => Some(Stop::Timeout),
            _ => None,
        }
    }
}

/// A loaded PDF, with the budget its extraction may spend. Pages of one document are
/// read on several threads at once, so the budget is kept in atomics.
pub struct Document {
    inner: lopdf::Document,
    deadline: Option<Instant>,
    /// Bytes inflated so far, against [`MAX_DOCUMENT_BYTES`].
    decoded: AtomicUsize,
    /// The first [`Stop`], as [`Stop::code`].
    stopped: AtomicU8,
}

impl Document {
    /// Parses a PDF held in memory, repairing a damaged cross-reference table the way
    /// lopdf's lenient mode does, and decrypting files that open with an empty password
    /// or, failing that, with `password`. Extraction stops at `deadline`.
    pub fn load(
        bytes: &[u8],
        password: Option<&str>,
        deadline: Option<Instant>,
    ) -> Result<Self, ExtractError> {
        let options = |password: Option<&str>| lopdf::LoadOptions {
            max_decompressed_size: Some(MAX_STREAM_BYTES),
            password: password.map(str::to_string),
            ..lopdf::LoadOptions::default()
        };
        let mut inner = lopdf::Document::load_mem_with_options(bytes, options(None));
        // lopdf removes /Encrypt from the trailer once it has decrypted the file; one
        // still there means the empty password did not open it.
        let locked = |document: &lopdf::Result<lopdf::Document>| match document {
            Ok(document) => document.trailer.has(b"Encrypt"),
            Err(error) => matches!(load_error(error), ExtractError::Encrypted(_)),
        };
        if let Some(password) = password.filter(|_| locked(&inner)) {
            inner = lopdf::Document::load_mem_with_options(bytes, options(Some(password)));
        }
        let inner = inner.map_err(|error| load_error(&error))?;
        if inner.trailer.has(b"Encrypt") {
            let needed = match password {
                Some(_) => "the password given does not open it",
                None => "needs a password (give it with --password)",
            };
            return Err(ExtractError::Encrypted(needed.to_string()));
        }
        if inner.get_pages().is_empty() {
            return Err(ExtractError::Corrupt("no pages found".to_string()));
        }
        Ok(Document {
            inner,
            deadline,
            decoded: AtomicUsize::new(0),
            stopped: AtomicU8::new(0),
        })
    }

    /// Why extraction must stop, if it must: the streams inflated too far or the
    /// deadline passed. Checked between pages and every few thousand operators.
    pub fn stopped(&self) -> Option<Stop> {
        if self.deadline.is_some_and(|at| Instant::now() >= at) {
            self.stop(Stop::Timeout);
        }
        Stop::from_code(self.stopped.load(Ordering::Relaxed))
    }

    /// Records why extraction must stop; the first reason stays.
    fn stop(&self, stop: Stop) {
        let _ = self.stopped.compare_exchange(
            0,
            Stop::code(Some(stop)),
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
    }

    /// An empty document, for unit tests of code that only needs lopdf's tables.
    #[cfg(test)]
    pub fn for_tests() -> Document {
        Document::for_tests_from(lopdf::Document::with_version("1.7"))
    }

    /// A document of the given lopdf objects, for unit tests that follow references.
    #[cfg(test)]
    pub fn for_tests_from(inner: lopdf::Document) -> Document {
        Document {
            inner,
            deadline: None,
            decoded: AtomicUsize::new(0),
            stopped: AtomicU8::new(0),
        }
    }

    /// The lopdf document, for the interpreter.
    pub fn lopdf(&self) -> &lopdf::Document {
        &self.inner
    }

    /// Object ids of the pages in page-tree order.
    pub fn page_ids(&self) -> Vec<ObjectId> {
        self.inner.get_pages().into_values().collect()
    }

    /// `/Title` of the information dictionary, trimmed; `None` when absent or blank.
    pub fn title(&self) -> Option<String> {
        let info = self.inner.trailer.get(b"Info").ok()?;
        let (_, info) = self.inner.dereference(info).ok()?;
        let title = info.as_dict().ok()?.get(b"Title").ok()?;
        let (_, title) = self.inner.dereference(title).ok()?;
        let title = lopdf::decode_text_string(title).ok()?;
        let title = title.trim_matches(|c: char| c.is_whitespace() || c == '\0');
        (!title.is_empty()).then(|| title.to_string())
    }

    /// The resource dictionaries of a page, nearest first (ISO 32000-1 7.7.3.4: a page
    /// inherits `/Resources` from its ancestors in the page tree).
    pub fn page_resources(&self, page_id: ObjectId) -> Resources<'_> {
        let mut dictionaries = Vec::new();
        if let Ok((direct, inherited)) = self.inner.get_page_resources(page_id) {
            dictionaries.extend(direct);
            dictionaries.extend(
                inherited
                    .into_iter()
                    .filter_map(|id| self.inner.get_dictionary(id).ok()),
            );
        }
        Resources { dictionaries }
    }

    /// An attribute a page may inherit from its ancestors in the page tree
    /// (ISO 32000-1 7.7.3.4: `/MediaBox`, `/CropBox`, `/Rotate`, `/Resources`).
    fn inherited(&self, page_id: ObjectId, key: &[u8]) -> Option<&Object> {
        let mut node = self.inner.get_dictionary(page_id).ok()?;
        // Bounded: a cyclic page tree must not loop.
        for _ in 0..64 {
            if let Some(value) = node.get(key).ok().and_then(|value| self.resolve(value)) {
                return Some(value);
            }
            node = self.resolve(node.get(b"Parent").ok()?)?.as_dict().ok()?;
        }
        None
    }

    /// The visible area of a page `[x0 y0 x1 y1]`: its CropBox within its MediaBox,
    /// US Letter when it has neither.
    pub fn page_area(&self, page_id: ObjectId) -> [f32; 4] {
        let rectangle = |key: &[u8]| -> Option<[f32; 4]> {
            let values = self.inherited(page_id, key)?.as_array().ok()?;
            let numbers: Vec<f32> = values
                .iter()
                .filter_map(|value| self.resolve(value)?.as_float().ok())
                .filter(|value| value.is_finite())
                .collect();
            let [a, b, c, d]: [f32; 4] = numbers.try_into().ok()?;
            let area = [a.min(c), b.min(d), a.max(c), b.max(d)];
            (area[2] - area[0] >= 1.0 && area[3] - area[1] >= 1.0).then_some(area)
        };
        let media = rectangle(b"MediaBox").unwrap_or([0.0, 0.0, 612.0, 792.0]);
        match rectangle(b"CropBox") {
            Some(crop) => {
                let clipped = [
                    crop[0].max(media[0]),
                    crop[1].max(media[1]),
                    crop[2].min(media[2]),
                    crop[3].min(media[3]),
                ];
                let usable = clipped[2] - clipped[0] >= 1.0 && clipped[3] - clipped[1] >= 1.0;
                if usable {
                    clipped
                } else {
                    media
                }
            }
            None => media,
        }
    }

    /// `/Rotate` of a page, degrees clockwise, normalised to 0, 90, 180 or 270.
    pub fn page_rotation(&self, page_id: ObjectId) -> i32 {
        let degrees = self
            .inherited(page_id, b"Rotate")
            .and_then(|value| value.as_i64().ok())
            .unwrap_or(0);
        (degrees.rem_euclid(360) / 90 * 90) as i32
    }

    /// The annotation dictionaries listed in a page's `/Annots`.
    pub fn page_annotations(&self, page_id: ObjectId) -> Vec<&Dictionary> {
        let Ok(page) = self.inner.get_dictionary(page_id) else {
            return Vec::new();
        };
        self.array_entry(page, b"Annots")
            .unwrap_or_default()
            .iter()
            .filter_map(|annotation| self.resolve(annotation)?.as_dict().ok())
            .collect()
    }

    /// Follows a reference (or a chain of them); a direct object is returned as is.
    pub fn resolve<'a>(&'a self, object: &'a Object) -> Option<&'a Object> {
        self.inner
            .dereference(object)
            .ok()
            .map(|(_, object)| object)
    }

    /// The dictionary `key` of `dictionary`, following a reference.
    pub fn dict_entry<'a>(
        &'a self,
        dictionary: &'a Dictionary,
        key: &[u8],
    ) -> Option<&'a Dictionary> {
        self.resolve(dictionary.get(key).ok()?)?.as_dict().ok()
    }

    /// The number `key` of `dictionary`, following a reference.
    pub fn number_entry(&self, dictionary: &Dictionary, key: &[u8]) -> Option<f32> {
        self.resolve(dictionary.get(key).ok()?)?.as_float().ok()
    }

    /// The array `key` of `dictionary`, following a reference.
    pub fn array_entry<'a>(
        &'a self,
        dictionary: &'a Dictionary,
        key: &[u8],
    ) -> Option<&'a [Object]> {
        self.resolve(dictionary.get(key).ok()?)?
            .as_array()
            .ok()
            .map(Vec::as_slice)
    }

    /// The decoded bytes of the stream `object` points at, bounded by [`MAX_STREAM_BYTES`]
    /// and, with every stream decoded before, by [`MAX_DOCUMENT_BYTES`]. Past either
    /// limit the document is [`Stop::TooLarge`] and no stream decodes any more.
    pub fn stream_bytes(&self, object: &Object) -> Option<Vec<u8>> {
        if self.stopped.load(Ordering::Relaxed) != 0 {
            return None;
        }
        let stream = self.resolve(object)?.as_stream().ok()?;
        let decoded = self.decode(stream);
        match &decoded {
            Ok(bytes) => {
                let total = self.decoded.fetch_add(bytes.len(), Ordering::Relaxed) + bytes.len();
                if total > MAX_DOCUMENT_BYTES {
                    self.stop(Stop::TooLarge);
                    return None;
                }
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => self.stop(Stop::TooLarge),
            Err(_) => {}
        }
        decoded.ok()
    }

    fn decode(&self, stream: &lopdf::Stream) -> lopdf::Result<Vec<u8>> {
        let indirect = |key: &[u8]| matches!(stream.dict.get(key), Ok(Object::Reference(_)));
        let crypt = first_filter_is_crypt(&stream.dict);
        if !indirect(b"Filter") && !indirect(b"DecodeParms") && !crypt {
            return stream.get_plain_content_with_limit(MAX_STREAM_BYTES);
        }
        // lopdf only decodes filters written in the stream's own dictionary; some
        // producers write `/Filter 18 0 R`.
        let mut resolved = stream.clone();
        for key in [b"Filter".as_slice(), b"DecodeParms"] {
            if let Some(value) = stream
                .dict
                .get(key)
                .ok()
                .and_then(|value| self.resolve(value))
            {
                resolved.dict.set(key, value.clone());
            }
        }
        if first_filter_is_crypt(&resolved.dict) {
            // A stream's own crypt filter (ISO 32000-1 7.4.10, always first) was applied
            // when lopdf decrypted the file; what is left are the ordinary filters.
            for key in [b"Filter".as_slice(), b"DecodeParms"] {
                if let Ok(Object::Array(values)) = resolved.dict.get_mut(key) {
                    if !values.is_empty() {
                        values.remove(0);
                    }
                } else {
                    resolved.dict.remove(key);
                }
            }
        }
        resolved.get_plain_content_with_limit(MAX_STREAM_BYTES)
    }

    /// A page's content streams, decoded and joined. A stream that cannot be decoded
    /// is left out; the others still count (ISO 32000-1 7.8.2: the streams of an array
    /// are one content stream split at token boundaries).
    pub fn page_content(&self, page_id: ObjectId) -> Option<Vec<u8>> {
        let mut content = Vec::new();
        for id in self.inner.get_page_contents(page_id) {
            let Some(bytes) = self.stream_bytes(&Object::Reference(id)) else {
                continue;
            };
            if content.len() + bytes.len() > MAX_STREAM_BYTES {
                break;
            }
            content.extend_from_slice(&bytes);
            content.push(b'\n');
        }
        (!content.is_empty()).then_some(content)
    }
}

/// The resource dictionaries in scope for a content stream, nearest first.
#[derive(Clone)]
pub struct Resources<'a> {
    dictionaries: Vec<&'a Dictionary>,
}

impl<'a> Resources<'a> {
    /// Resources of a Form XObject: its own dictionary, falling back to the caller's
    /// (ISO 32000-1 7.8.3 lets older files omit a form's `/Resources`).
    pub fn nested(&self, own: Option<&'a Dictionary>) -> Resources<'a> {
        let mut dictionaries: Vec<&'a Dictionary> = own.into_iter().collect();
        dictionaries.extend(self.dictionaries.iter().copied());
        Resources { dictionaries }
    }

    /// Looks up `name` in the `category` sub-dictionary (`/Font`, `/XObject`), returning
    /// the object it names (still possibly a reference) and its id when indirect.
    pub fn lookup(
        &self,
        document: &'a Document,
        category: &[u8],
        name: &[u8],
    ) -> Option<(Option<ObjectId>, &'a Object)> {
        self.dictionaries.iter().find_map(|resources| {
            let entries = document.dict_entry(resources, category)?;
            let object = entries.get(name).ok()?;
            document.lopdf().dereference(object).ok()
        })
    }
}

fn load_error(error: &lopdf::Error) -> ExtractError {
    match error {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => {
            ExtractError::Encrypted(error.to_string())
        }
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            ExtractError::TooLarge(error.to_string())
        }
        other => ExtractError::Corrupt(other.to_string()),
    }
}

/// Whether a stream's first filter is `/Crypt`, as written or through a reference.
fn first_filter_is_crypt(dict: &Dictionary) -> bool {
    match dict.get(b"Filter") {
        Ok(Object::Name(name)) => name == b"Crypt",
        Ok(Object::Array(names)) => names
            .first()
            .and_then(|name| name.as_name().ok())
            .is_some_and(|name| name == b"Crypt"),
        _ => false,
    }
}
