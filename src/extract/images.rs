//! Images drawn on a page, read for OCR.
//!
//! [`ImageSource::resolve`] turns an image's dictionary into an owned description (so
//! decoding can run on another thread once the document is gone), and
//! [`ImageSource::decode`] turns its samples into 8-bit gray from every encoding scans
//! are stored with (ISO 32000-1 8.9.5, 7.4): raw samples behind Flate, LZW or
//! RunLength (lopdf undoes those and their predictors) in any of the usual colour
//! spaces, DCTDecode (JPEG), CCITTFaxDecode (group 3 and 4), and JBIG2Decode and
//! JPXDecode (JPEG 2000) through Debian's `jbig2dec` and `opj_decompress`, as no
//! maintained Rust crate decodes either.

use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Object};

use super::document::Document;
use super::interpreter::DrawnImage;
use crate::tools;

/// Largest decoded image, in bytes of samples: a 600 dpi letter page in CMYK is about
/// 135 MB. Bounds what a hostile image can make us allocate.
const MAX_IMAGE_BYTES: usize = 256 * 1024 * 1024;

/// Largest image, in pixels: a tabloid sheet at 600 dpi is 67 megapixels. Each pixel
/// costs a byte of gray while the page image is made.
pub const MAX_IMAGE_PIXELS: u64 = 150_000_000;

/// An 8-bit gray raster, rows top to bottom, 0 black and 255 white.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gray {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

impl Gray {
    /// A white raster.
    pub fn white(width: u32, height: u32) -> Gray {
        Gray {
            width,
            height,
            pixels: vec![255; width as usize * height as usize],
        }
    }

    /// The raster as binary PGM (netpbm P5), which Tesseract reads from a pipe.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut pgm = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        pgm.extend_from_slice(&self.pixels);
        pgm
    }
}

/// How the samples of an image are coded once the general-purpose filters are undone.
#[derive(Debug, Clone, PartialEq)]
enum Coding {
    Samples,
    Jpeg,
    /// ISO 32000-1 table 11: `K` < 0 is group 4, otherwise group 3.
    Ccitt {
        k: i64,
        columns: u32,
        black_is_1: bool,
    },
    Jbig2 {
        globals: Option<Vec<u8>>,
    },
    /// JPEG 2000, which carries its own colour space.
    Jpx,
    Unsupported(String),
}

/// Colour spaces, reduced to what turning samples into gray needs.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ColorSpace {
    Gray,
    Rgb,
    Cmyk,
    /// CIE L*a*b*: the first component is lightness.
    Lab,
    /// Separation and DeviceN: `n` tints, where more ink is darker.
    Ink(u32),
    Indexed {
        base: Box<ColorSpace>,
        lookup: Vec<u8>,
    },
    /// A named colour space we could not resolve: the component count is read off the
    /// data's length, and the samples treated as gray, RGB or CMYK.
    Unknown,
}

impl ColorSpace {
    fn components(&self) -> Option<u32> {
        match self {
            ColorSpace::Gray | ColorSpace::Indexed { .. } => Some(1),
            ColorSpace::Rgb | ColorSpace::Lab => Some(3),
            ColorSpace::Cmyk => Some(4),
            ColorSpace::Ink(n) => Some(*n),
            ColorSpace::Unknown => None,
        }
    }

    /// The colour space an object names (ISO 32000-1 8.6), or `Unknown`.
    pub(super) fn resolve(document: &Document, object: &Object, depth: usize) -> ColorSpace {
        let Some(object) = document.resolve(object) else {
            return ColorSpace::Unknown;
        };
        match object {
            Object::Name(name) => match name.as_slice() {
                b"DeviceGray" | b"G" | b"CalGray" => ColorSpace::Gray,
                b"DeviceRGB" | b"RGB" | b"CalRGB" => ColorSpace::Rgb,
                b"DeviceCMYK" | b"CMYK" => ColorSpace::Cmyk,
                _ => ColorSpace::Unknown,
            },
            Object::Array(parts) if depth < 4 => {
                let family = parts.first().and_then(|name| name.as_name().ok());
                match family {
                    Some(b"ICCBased") => {
                        let components = parts
                            .get(1)
                            .and_then(|stream| document.resolve(stream))
                            .and_then(|stream| stream.as_stream().ok())
                            .and_then(|stream| document.number_entry(&stream.dict, b"N"));
                        match components.map(|n| n as u32) {
                            Some(1) => ColorSpace::Gray,
                            Some(3) => ColorSpace::Rgb,
                            Some(4) => ColorSpace::Cmyk,
                            _ => ColorSpace::Unknown,
                        }
                    }
                    Some(b"CalGray") => ColorSpace::Gray,
                    Some(b"CalRGB") => ColorSpace::Rgb,
                    Some(b"Lab") => ColorSpace::Lab,
                    Some(b"Separation") => ColorSpace::Ink(1),
                    Some(b"DeviceN") => {
                        let names = parts
                            .get(1)
                            .and_then(|names| document.resolve(names))
                            .and_then(|names| names.as_array().ok());
                        names.map_or(ColorSpace::Unknown, |names| {
                            ColorSpace::Ink(names.len().max(1) as u32)
                        })
                    }
                    Some(b"Indexed" | b"I") => {
                        let base = parts.get(1).map_or(ColorSpace::Unknown, |base| {
                            ColorSpace::resolve(document, base, depth + 1)
                        });
                        let lookup =
                            parts
                                .get(3)
                                .and_then(|lookup| match document.resolve(lookup)? {
                                    Object::String(bytes, _) => Some(bytes.clone()),
                                    stream @ Object::Stream(_) => document.stream_bytes(stream),
                                    _ => None,
                                });
                        match (base, lookup) {
                            (ColorSpace::Unknown, _) | (_, None) => ColorSpace::Unknown,
                            (base, Some(lookup)) => ColorSpace::Indexed {
                                base: Box::new(base),
                                lookup,
                            },
                        }
                    }
                    Some(b"Pattern") | None => ColorSpace::Unknown,
                    Some(_) => ColorSpace::Unknown,
                }
            }
            _ => ColorSpace::Unknown,
        }
    }

    /// The RGB (each 0 to 1) a fill of these components (each 0 to 1, an index for
    /// `Indexed`) paints, when it can be told: what a redaction check asks of a colour.
    pub(super) fn fill_rgb(&self, components: &[f32]) -> Option<[f32; 3]> {
        let unit = |value: &f32| value.clamp(0.0, 1.0);
        let from_cmyk = |c: f32, m: f32, y: f32, k: f32| {
            [
                (1.0 - c) * (1.0 - k),
                (1.0 - m) * (1.0 - k),
                (1.0 - y) * (1.0 - k),
            ]
        };
        match (self, components) {
            (ColorSpace::Gray, [gray, ..]) => Some([unit(gray); 3]),
            (ColorSpace::Rgb, [r, g, b, ..]) | (ColorSpace::Unknown, [r, g, b]) => {
                Some([unit(r), unit(g), unit(b)])
            }
            (ColorSpace::Cmyk, [c, m, y, k, ..]) | (ColorSpace::Unknown, [c, m, y, k]) => {
                Some(from_cmyk(unit(c), unit(m), unit(y), unit(k)))
            }
            (ColorSpace::Lab, [lightness, ..]) => Some([(lightness / 100.0).clamp(0.0, 1.0); 3]),
            // More ink is darker; the tint transform is not run, so the sum of the
            // tints stands for how dark (ISO 32000-1 8.6.6.4).
            (ColorSpace::Ink(_), inks) if !inks.is_empty() => {
                Some([1.0 - inks.iter().map(unit).sum::<f32>().min(1.0); 3])
            }
            (ColorSpace::Indexed { base, lookup }, [index, ..]) => {
                let width = base.components()? as usize;
                let start = (index.max(0.0) as usize).checked_mul(width)?;
                let entry = lookup.get(start..start + width)?;
                let components: Vec<f32> =
                    entry.iter().map(|&byte| f32::from(byte) / 255.0).collect();
                base.fill_rgb(&components)
            }
            (ColorSpace::Unknown, [gray]) => Some([unit(gray); 3]),
            _ => None,
        }
    }

    /// The components of the initial colour `cs` sets (ISO 32000-1 8.6.8): black, or
    /// for Indexed the first entry, for inks full tint.
    pub(super) fn initial(&self) -> Vec<f32> {
        match self {
            ColorSpace::Gray | ColorSpace::Indexed { .. } => vec![0.0],
            ColorSpace::Rgb => vec![0.0; 3],
            ColorSpace::Lab => vec![0.0, 0.0, 0.0],
            ColorSpace::Cmyk => vec![0.0, 0.0, 0.0, 1.0],
            ColorSpace::Ink(n) => vec![1.0; *n as usize],
            ColorSpace::Unknown => vec![0.0],
        }
    }

    /// Gray of one pixel's components, each scaled to 0..=255.
    fn gray(&self, components: &[u8]) -> u8 {
        match (self, components) {
            (ColorSpace::Rgb, [r, g, b, ..]) => luma(*r, *g, *b),
            (ColorSpace::Cmyk, [c, m, y, k, ..]) => cmyk_gray(*c, *m, *y, *k),
            (ColorSpace::Ink(_), inks) => {
                255 - inks.iter().map(|&ink| u32::from(ink)).sum::<u32>().min(255) as u8
            }
            (ColorSpace::Unknown, [r, g, b]) => luma(*r, *g, *b),
            (ColorSpace::Unknown, [c, m, y, k]) => cmyk_gray(*c, *m, *y, *k),
            (_, [first, ..]) => *first,
            (_, []) => 255,
        }
    }
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000) as u8
}

fn cmyk_gray(c: u8, m: u8, y: u8, k: u8) -> u8 {
    let ink = (30 * u32::from(c) + 59 * u32::from(m) + 11 * u32::from(y)) / 100 + u32::from(k);
    255 - ink.min(255) as u8
}

/// An image's samples and how to read them, owned.
#[derive(Debug, Clone)]
pub struct ImageSource {
    pub width: u32,
    pub height: u32,
    bits: u32,
    color: ColorSpace,
    /// An image mask (ISO 32000-1 8.9.6.2): paints the fill colour where its samples
    /// are 0 (after `/Decode`), and leaves the page alone elsewhere.
    pub stencil: bool,
    /// `/Decode [1 0]`: samples inverted.
    inverted: bool,
    /// The image's stream with only its general-purpose filters left in `/Filter`.
    data: lopdf::Stream,
    coding: Coding,
}

impl ImageSource {
    /// Reads a drawn image's dictionary, following references, into an owned source.
    pub fn resolve(document: &Document, drawn: &DrawnImage) -> Result<ImageSource, String> {
        let entry = |full: &[u8], short: &[u8]| drawn.entry(document, full, short);
        let integer = |full: &[u8], short: &[u8]| drawn.integer(document, full, short);
        let Some((width, height)) = drawn.samples else {
            return Err("image without a width or height".to_string());
        };
        if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
            return Err(format!("image of {width}x{height} pixels"));
        }
        let stencil =
            entry(b"ImageMask", b"IM").and_then(|value| value.as_bool().ok()) == Some(true);
        let color = match entry(b"ColorSpace", b"CS") {
            _ if stencil => ColorSpace::Gray,
            Some(space) => ColorSpace::resolve(document, space, 0),
            None => ColorSpace::Unknown,
        };
        let inverted = entry(b"Decode", b"D")
            .and_then(|decode| decode.as_array().ok())
            .and_then(|decode| {
                Some((
                    decode.first()?.as_float().ok()?,
                    decode.get(1)?.as_float().ok()?,
                ))
            })
            .is_some_and(|(low, high)| low > high)
            && !matches!(color, ColorSpace::Indexed { .. });

        let mut filters: Vec<Vec<u8>> = match entry(b"Filter", b"F") {
            Some(Object::Name(name)) => vec![name.clone()],
            Some(Object::Array(names)) => names
                .iter()
                .filter_map(|name| Some(document.resolve(name)?.as_name().ok()?.to_vec()))
                .collect(),
            _ => Vec::new(),
        };
        let mut params: Vec<Object> = match entry(b"DecodeParms", b"DP") {
            Some(Object::Array(params)) => params
                .iter()
                .map(|param| document.resolve(param).cloned().unwrap_or(Object::Null))
                .collect(),
            Some(param) => vec![param.clone()],
            None => Vec::new(),
        };
        params.resize(filters.len(), Object::Null);
        for filter in &mut filters {
            *filter = full_filter_name(filter).to_vec();
        }
        if filters.first().is_some_and(|name| name == b"Crypt") {
            // The stream's own crypt filter (ISO 32000-1 7.4.10, always first) was
            // applied when lopdf decrypted the file.
            filters.remove(0);
            params.remove(0);
        }
        let coding = match filters.last().map(Vec::as_slice) {
            Some(b"DCTDecode") => Coding::Jpeg,
            Some(b"CCITTFaxDecode") => {
                let param = params.last().and_then(|param| param.as_dict().ok());
                let number = |key: &[u8]| param.and_then(|param| document.number_entry(param, key));
                Coding::Ccitt {
                    k: number(b"K").unwrap_or(0.0) as i64,
                    columns: number(b"Columns").map_or(1728, |columns| columns as u32),
                    black_is_1: param
                        .and_then(|param| param.get(b"BlackIs1").ok())
                        .and_then(|value| value.as_bool().ok())
                        .unwrap_or(false),
                }
            }
            Some(b"JBIG2Decode") => {
                let globals = params
                    .last()
                    .and_then(|param| param.as_dict().ok())
                    .and_then(|param| param.get(b"JBIG2Globals").ok())
                    .and_then(|globals| document.stream_bytes(globals));
                Coding::Jbig2 { globals }
            }
            Some(b"JPXDecode") => Coding::Jpx,
            Some(name @ b"Crypt") => {
                Coding::Unsupported(String::from_utf8_lossy(name).into_owned())
            }
            _ => Coding::Samples,
        };
        if coding != Coding::Samples {
            filters.pop();
            params.pop();
        }
        let bits = match coding {
            Coding::Samples => {
                integer(b"BitsPerComponent", b"BPC").unwrap_or(if stencil { 1 } else { 8 })
            }
            Coding::Jpeg => 8,
            _ => 1,
        };
        if !matches!(bits, 1 | 2 | 4 | 8 | 16) {
            return Err(format!("image with {bits} bits per component"));
        }
        let mut data_dict = Dictionary::new();
        if !filters.is_empty() {
            data_dict.set(
                "Filter",
                filters.into_iter().map(Object::Name).collect::<Vec<_>>(),
            );
            data_dict.set("DecodeParms", params);
        }
        Ok(ImageSource {
            width,
            height,
            bits,
            color,
            stencil,
            inverted,
            data: lopdf::Stream::new(data_dict, drawn.stream.content.clone()),
            coding,
        })
    }

    /// The image as gray, one pixel per sample (a stencil's painted pixels are 0).
    pub fn decode(&self) -> Result<Gray, String> {
        self.decode_as(Detail::Full)
    }

    /// The image as gray, cheaply, for telling dark from light: a JPEG at an eighth
    /// of its size each way (its DCT scaled down while decoded); JBIG2 and JPEG 2000,
    /// which take a process each, not at all (an error).
    pub fn decode_preview(&self) -> Result<Gray, String> {
        self.decode_as(Detail::Preview)
    }

    fn decode_as(&self, detail: Detail) -> Result<Gray, String> {
        if detail == Detail::Preview && matches!(self.coding, Coding::Jbig2 { .. } | Coding::Jpx) {
            return Err("not decoded for a preview".to_string());
        }
        let bytes = self
            .data
            .get_plain_content_with_limit(MAX_IMAGE_BYTES)
            .map_err(|error| match error {
                lopdf::Error::Unimplemented(_) => {
                    "image data behind a filter foia cannot undo".to_string()
                }
                other => format!("image data: {other}"),
            })?;
        let mut gray = match &self.coding {
            Coding::Samples => self.samples_to_gray(&bytes, detail.step(self.width) as usize)?,
            // A preview of most JPEGs needs only their DC terms (jpeg_dc); the rest
            // take the full decoder's scaled decode.
            Coding::Jpeg => match detail {
                Detail::Preview => match super::jpeg_dc::luma_preview(&bytes) {
                    Some(gray) => gray,
                    None => decode_jpeg(&bytes, detail)?,
                },
                Detail::Full => decode_jpeg(&bytes, detail)?,
            },
            Coding::Ccitt {
                k,
                columns,
                black_is_1,
            } => {
                // Every line is decoded (each is coded against the one above); a
                // preview keeps only some of them.
                let step = detail.step(*columns);
                decode_ccitt(&bytes, *k, *columns, self.height, *black_is_1, step)?
            }
            Coding::Jbig2 { globals } => decode_jbig2(&bytes, globals.as_deref())?,
            Coding::Jpx => decode_jpx(&bytes)?,
            Coding::Unsupported(filter) => {
                return Err(format!("{filter} images cannot be decoded for OCR"))
            }
        };
        if self.inverted {
            gray.pixels
                .iter_mut()
                .for_each(|pixel| *pixel = 255 - *pixel);
        }
        Ok(gray)
    }

    /// Raw samples (ISO 32000-1 8.9.3): rows padded to whole bytes, components
    /// interleaved, `bits` each, big-endian within bytes.
    /// Raw samples as gray; every `step`th row and column of them (a preview) when
    /// `step` is above 1.
    fn samples_to_gray(&self, bytes: &[u8], step: usize) -> Result<Gray, String> {
        let (width, height, bits) = (
            self.width as usize,
            self.height as usize,
            self.bits as usize,
        );
        let step = step.max(1);
        let (out_width, out_height) = (width.div_ceil(step), height.div_ceil(step));
        let components = match self.color.components() {
            Some(components) => components as usize,
            // Read off the data: whole bytes per row for 1..=4 components.
            None => (1..=4)
                .find(|&n| (width * n * bits).div_ceil(8) * height == bytes.len())
                .unwrap_or(1),
        };
        let row_bytes = (width * components * bits).div_ceil(8);
        // A truncated image keeps its rows that are there, as viewers show it; the
        // rest of the page stays white.
        if bytes.len() < row_bytes {
            return Err(format!(
                "image data is {} bytes, not one row of {width} pixels",
                bytes.len()
            ));
        }
        let max = (1u32 << bits) - 1;
        let component = |raw: u32| match &self.color {
            ColorSpace::Indexed { base, lookup } => {
                let base_components = base.components().unwrap_or(1) as usize;
                let mut entry = [255u8; 4];
                let start = raw as usize * base_components;
                for (i, slot) in entry.iter_mut().take(base_components).enumerate() {
                    *slot = lookup.get(start + i).copied().unwrap_or(255);
                }
                base.gray(&entry[..base_components])
            }
            _ => (raw * 255 / max) as u8,
        };
        let mut pixels = Vec::with_capacity(out_width * out_height);
        let rows = bytes.chunks_exact(row_bytes).take(height).step_by(step);
        if components == 1 && bits <= 8 {
            // One sample of at most 8 bits: its gray is looked up, not worked out
            // for each pixel (scans are mostly this).
            let table: Vec<u8> = (0..=max)
                .map(|raw| self.color.gray(&[component(raw)]))
                .collect();
            for row in rows {
                for x in (0..width).step_by(step) {
                    pixels.push(table[sample(row, x * bits, bits) as usize]);
                }
            }
        } else {
            let mut pixel = vec![0u8; components];
            for row in rows {
                for x in (0..width).step_by(step) {
                    for (c, value) in pixel.iter_mut().enumerate() {
                        *value = component(sample(row, (x * components + c) * bits, bits));
                    }
                    pixels.push(self.color.gray(&pixel));
                }
            }
        }
        pixels.resize(out_width * out_height, 255);
        Ok(Gray {
            width: out_width as u32,
            height: out_height as u32,
            pixels,
        })
    }
}

/// Sample `bits` wide starting at bit `offset` of `row`.
fn sample(row: &[u8], offset: usize, bits: usize) -> u32 {
    match bits {
        8 => u32::from(row[offset / 8]),
        16 => u32::from(row[offset / 8]) << 8 | u32::from(row[offset / 8 + 1]),
        _ => {
            let byte = row[offset / 8];
            let shift = 8 - bits - offset % 8;
            u32::from(byte >> shift) & ((1 << bits) - 1)
        }
    }
}

/// Long names of the abbreviated filters inline images use (ISO 32000-1 table 94).
fn full_filter_name(name: &[u8]) -> &[u8] {
    match name {
        b"AHx" => b"ASCIIHexDecode",
        b"A85" => b"ASCII85Decode",
        b"LZW" => b"LZWDecode",
        b"Fl" => b"FlateDecode",
        b"RL" => b"RunLengthDecode",
        b"CCF" => b"CCITTFaxDecode",
        b"DCT" => b"DCTDecode",
        other => other,
    }
}

/// How much of an image to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Full,
    Preview,
}

impl Detail {
    /// Every how many samples, across and down, an image `width` samples wide is
    /// read: all of them, or about 256 across for a preview.
    fn step(self, width: u32) -> u32 {
        match self {
            Detail::Full => 1,
            Detail::Preview => (width / 256).max(1),
        }
    }
}

fn decode_jpeg(bytes: &[u8], detail: Detail) -> Result<Gray, String> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    // The JPEG's own frame header sets the buffers the decoder allocates, whatever the
    // PDF says: a few hundred bytes can claim 65,535 x 65,535 pixels (found by fuzzing).
    decoder
        .read_info()
        .map_err(|error| format!("JPEG: {error}"))?;
    let info = decoder.info().ok_or("JPEG without a frame header")?;
    if u64::from(info.width) * u64::from(info.height) > MAX_IMAGE_PIXELS {
        return Err(format!("JPEG of {}x{} pixels", info.width, info.height));
    }
    decoder.set_max_decoding_buffer_size(MAX_IMAGE_BYTES);
    let (width, height) = match detail {
        Detail::Full => (info.width, info.height),
        Detail::Preview => decoder
            .scale((info.width / 8).max(1), (info.height / 8).max(1))
            .map_err(|error| format!("JPEG: {error}"))?,
    };
    let samples = decoder.decode().map_err(|error| format!("JPEG: {error}"))?;
    let pixels: Vec<u8> = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => samples,
        jpeg_decoder::PixelFormat::L16 => samples.chunks_exact(2).map(|pair| pair[0]).collect(),
        jpeg_decoder::PixelFormat::RGB24 => samples
            .chunks_exact(3)
            .map(|rgb| luma(rgb[0], rgb[1], rgb[2]))
            .collect(),
        jpeg_decoder::PixelFormat::CMYK32 => samples
            .chunks_exact(4)
            .map(|cmyk| cmyk_gray(cmyk[0], cmyk[1], cmyk[2], cmyk[3]))
            .collect(),
    };
    Ok(Gray {
        width: u32::from(width),
        height: u32::from(height),
        pixels,
    })
}

/// CCITT fax data (ITU-T T.4 and T.6). Black is 0 in the samples unless `/BlackIs1`.
/// Every `step`th line and column of it when `step` is above 1.
fn decode_ccitt(
    bytes: &[u8],
    k: i64,
    columns: u32,
    rows: u32,
    black_is_1: bool,
    step: u32,
) -> Result<Gray, String> {
    let (black, white) = if black_is_1 { (255, 0) } else { (0, 255) };
    // `/Columns` need not agree with `/Width`, so the image's bound is checked again.
    if columns == 0 || u64::from(columns) * u64::from(rows) > MAX_IMAGE_PIXELS {
        return Err(format!("CCITT image of {columns}x{rows} pixels"));
    }
    let step = step.max(1);
    let (out_columns, out_rows) = (columns.div_ceil(step), rows.div_ceil(step));
    let mut pixels = Vec::with_capacity(out_columns as usize * out_rows as usize);
    let mut lines = 0u32;
    let mut add_line = |transitions: &[u32]| {
        if lines >= rows {
            return;
        }
        if step == 1 {
            pixels.extend(
                fax::decoder::pels(transitions, columns).map(|color| match color {
                    fax::Color::Black => black,
                    fax::Color::White => white,
                }),
            );
        } else if lines.is_multiple_of(step) {
            // The line starts white and changes colour at each transition.
            let mut changes = 0;
            for column in (0..columns).step_by(step as usize) {
                while transitions.get(changes).is_some_and(|&at| at <= column) {
                    changes += 1;
                }
                pixels.push(if changes % 2 == 0 { white } else { black });
            }
        }
        lines += 1;
    };
    let decoded = if k < 0 {
        fax::decoder::decode_g4(bytes.iter().copied(), columns, Some(rows), &mut add_line)
    } else {
        fax::decoder::decode_g3(bytes.iter().copied(), &mut add_line)
    };
    if decoded.is_none() && lines == 0 {
        return Err("CCITT fax data does not decode".to_string());
    }
    // A damaged stream keeps the lines read before the damage; the rest stay white.
    pixels.resize(out_columns as usize * out_rows as usize, white);
    Ok(Gray {
        width: out_columns,
        height: out_rows,
        pixels,
    })
}

/// JBIG2 (ITU-T T.88) through `jbig2dec`, which reads an embedded stream and its
/// global segments from files and writes a PBM. In PDF, black is 0 in the samples.
fn decode_jbig2(bytes: &[u8], globals: Option<&[u8]>) -> Result<Gray, String> {
    let mut gray = with_decoder_files(|folder| {
        let mut arguments: Vec<std::ffi::OsString> =
            ["-q", "-e", "-t", "pbm", "-o", "-"].map(Into::into).into();
        if let Some(globals) = globals {
            arguments.push(write_input(folder, "globals.jb2", globals)?.into());
        }
        arguments.push(write_input(folder, "page.jb2", bytes)?.into());
        let output = tools::output("jbig2dec", "jbig2dec", "jbig2dec", &arguments)?;
        parse_netpbm(&output).ok_or_else(|| "jbig2dec could not decode the image".to_string())
    })?;
    gray.pixels
        .iter_mut()
        .for_each(|pixel| *pixel = 255 - *pixel);
    Ok(gray)
}

/// JPEG 2000 (JPXDecode) through OpenJPEG's `opj_decompress`, which reads a JP2 file
/// or a bare codestream (told apart by its first bytes) and writes a PGM or PPM.
fn decode_jpx(bytes: &[u8]) -> Result<Gray, String> {
    with_decoder_files(|folder| {
        let name = if bytes.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
            "image.j2k"
        } else {
            "image.jp2"
        };
        let input = write_input(folder, name, bytes)?;
        let output = folder.join("image.pnm");
        let arguments = [
            "-quiet".into(),
            "-i".into(),
            input.into_os_string(),
            "-o".into(),
            output.clone().into_os_string(),
        ];
        tools::output(
            "opj_decompress",
            "opj_decompress",
            "libopenjp2-tools",
            &arguments,
        )?;
        let decoded = std::fs::read(&output)
            .map_err(|_| "opj_decompress could not decode the image".to_string())?;
        parse_netpbm(&decoded).ok_or_else(|| "opj_decompress wrote no image foia reads".to_string())
    })
}

/// Runs `work` with a fresh folder for a decoder's files, removed afterwards.
fn with_decoder_files<T>(work: impl FnOnce(&Path) -> Result<T, String>) -> Result<T, String> {
    let folder = std::env::temp_dir().join(format!(
        "foia-image-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&folder).map_err(|error| format!("image decoder folder: {error}"))?;
    let result = work(&folder);
    let _ = std::fs::remove_dir_all(&folder);
    result
}

fn write_input(folder: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = folder.join(name);
    std::fs::write(&path, bytes).map_err(|error| format!("image decoder input: {error}"))?;
    Ok(path)
}

/// A binary netpbm image (P4 bitmap with 1 as black, P5 gray, P6 RGB; 8 or 16 bits)
/// as gray. P4's 1 bits come out as 255: the caller decides what a 1 means.
pub(super) fn parse_netpbm(bytes: &[u8]) -> Option<Gray> {
    let kind = *bytes.get(..2)?.get(1)?;
    let mut rest = &bytes[2..];
    let fields = if kind == b'4' { 2 } else { 3 };
    let mut numbers = [0u32; 3];
    for number in numbers.iter_mut().take(fields) {
        loop {
            rest = rest.trim_ascii_start();
            match rest.first()? {
                b'#' => rest = &rest[rest.iter().position(|&b| b == b'\n')?..],
                _ => break,
            }
        }
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        *number = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
        rest = &rest[digits..];
    }
    let [width, height, max] = numbers;
    // One whitespace byte separates the header from the samples.
    let samples = rest.get(1..)?;
    let (width_px, height_px) = (width as usize, height as usize);
    if width == 0 || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return None;
    }
    let bytes_per_sample = if max > 255 { 2 } else { 1 };
    let row_bytes = match kind {
        b'4' => width_px.div_ceil(8),
        b'5' => width_px * bytes_per_sample,
        b'6' => width_px * 3 * bytes_per_sample,
        _ => return None,
    };
    if samples.len() < row_bytes * height_px {
        return None;
    }
    let scale = |value: u32| (value * 255 / max.max(1)) as u8;
    let mut pixels = Vec::with_capacity(width_px * height_px);
    for row in samples.chunks_exact(row_bytes).take(height_px) {
        match kind {
            b'4' => {
                pixels.extend((0..width_px).map(|x| if sample(row, x, 1) == 1 { 255 } else { 0 }))
            }
            _ => {
                let values = row
                    .chunks_exact(bytes_per_sample)
                    .map(|value| {
                        value
                            .iter()
                            .fold(0u32, |acc, &byte| acc << 8 | u32::from(byte))
                    })
                    .map(scale);
                if kind == b'5' {
                    pixels.extend(values);
                } else {
                    let values: Vec<u8> = values.collect();
                    pixels.extend(
                        values
                            .chunks_exact(3)
                            .map(|rgb| luma(rgb[0], rgb[1], rgb[2])),
                    );
                }
            }
        }
    }
    Some(Gray {
        width,
        height,
        pixels,
    })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use lopdf::{dictionary, Stream};

    use super::*;
    use crate::extract::interpreter::Matrix;

    fn source(dict: Dictionary, data: Vec<u8>) -> ImageSource {
        let drawn = DrawnImage::new(
            &Document::for_tests(),
            Cow::Owned(Stream::new(dict, data)),
            Matrix::IDENTITY,
            false,
        );
        ImageSource::resolve(&Document::for_tests(), &drawn).expect("image resolves")
    }

    fn decoded(dict: Dictionary, data: Vec<u8>) -> Vec<u8> {
        source(dict, data).decode().expect("image decodes").pixels
    }

    #[test]
    fn one_bit_gray_rows_are_padded_to_bytes_and_decode_inverts() {
        let dict = || dictionary! { "Width" => 3, "Height" => 2, "BitsPerComponent" => 1, "ColorSpace" => "DeviceGray" };
        // Rows 101 and 010, each padded to a byte.
        let data = vec![0b1010_0000, 0b0100_0000];
        assert_eq!(decoded(dict(), data.clone()), [255, 0, 255, 0, 255, 0]);
        let mut inverted = dict();
        inverted.set("Decode", vec![1.into(), 0.into()]);
        assert_eq!(decoded(inverted, data), [0, 255, 0, 255, 0, 255]);
    }

    #[test]
    fn colour_spaces_become_gray() {
        let rgb = dictionary! { "Width" => 2, "Height" => 1, "BitsPerComponent" => 8, "ColorSpace" => "DeviceRGB" };
        assert_eq!(decoded(rgb, vec![255, 255, 255, 255, 0, 0]), [255, 76]);
        let cmyk = dictionary! { "Width" => 2, "Height" => 1, "BitsPerComponent" => 8, "ColorSpace" => "DeviceCMYK" };
        assert_eq!(decoded(cmyk, vec![0, 0, 0, 0, 0, 0, 0, 255]), [255, 0]);
        let indexed = dictionary! {
            "Width" => 2, "Height" => 1, "BitsPerComponent" => 8,
            "ColorSpace" => vec!["Indexed".into(), "DeviceRGB".into(), 1.into(), Object::string_literal(vec![0u8, 0, 0, 255, 255, 255])],
        };
        assert_eq!(decoded(indexed, vec![1, 0]), [255, 0]);
        let wide = dictionary! { "Width" => 1, "Height" => 1, "BitsPerComponent" => 16, "ColorSpace" => "DeviceGray" };
        assert_eq!(decoded(wide, vec![0x80, 0x00]), [127]);
        // A colour space named in resources we do not follow: components from the data.
        let named = dictionary! { "Width" => 1, "Height" => 1, "BitsPerComponent" => 8, "ColorSpace" => "CS0" };
        assert_eq!(decoded(named, vec![0, 0, 255]), [29]);
    }

    #[test]
    fn a_truncated_image_keeps_its_rows_and_the_rest_is_white() {
        let dict = dictionary! { "Width" => 2, "Height" => 3, "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray" };
        assert_eq!(decoded(dict, vec![0, 0, 10]), [0, 0, 255, 255, 255, 255]);
    }

    #[test]
    fn flate_samples_are_inflated_first() {
        let mut stream = Stream::new(dictionary! {}, vec![7, 8, 9, 10]);
        stream.compress().expect("compresses");
        let mut dict = stream.dict.clone();
        for (key, value) in [("Width", 2), ("Height", 2), ("BitsPerComponent", 8)] {
            dict.set(key, value);
        }
        dict.set("ColorSpace", "DeviceGray");
        assert_eq!(decoded(dict, stream.content), [7, 8, 9, 10]);
    }

    #[test]
    fn ccitt_group_4_decodes_black_as_0_unless_black_is_1() {
        // Two rows of 8: black, white x7 / white x7, black.
        let rows: [[bool; 8]; 2] = [
            [true, false, false, false, false, false, false, false],
            [false, false, false, false, false, false, false, true],
        ];
        let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
        for row in rows {
            let pels = row.map(|black| {
                if black {
                    fax::Color::Black
                } else {
                    fax::Color::White
                }
            });
            encoder.encode_line(pels.into_iter(), 8).expect("encodes");
        }
        let data = encoder.finish().expect("finishes").finish();
        let dict = |black_is_1: bool| {
            dictionary! {
                "Width" => 8, "Height" => 2, "BitsPerComponent" => 1, "ColorSpace" => "DeviceGray",
                "Filter" => "CCITTFaxDecode",
                "DecodeParms" => dictionary! { "K" => -1, "Columns" => 8, "BlackIs1" => black_is_1 },
            }
        };
        let expected: Vec<u8> = rows
            .iter()
            .flatten()
            .map(|&black| if black { 0 } else { 255 })
            .collect();
        assert_eq!(decoded(dict(false), data.clone()), expected);
        let inverted: Vec<u8> = expected.iter().map(|value| 255 - value).collect();
        assert_eq!(decoded(dict(true), data), inverted);
    }

    #[test]
    fn a_ccitt_preview_is_every_stepth_line_and_column_of_the_full_decode() {
        // 1,000 x 600: a bar, stripes and a diagonal, so lines differ from the ones
        // above them (G4 codes each line against the last).
        let (width, height) = (1000u32, 600u32);
        let black = |x: u32, y: u32| {
            ((100..160).contains(&y) && (200..800).contains(&x))
                || (x / 7 + y).is_multiple_of(50)
                || x == y
        };
        let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
        for y in 0..height {
            let line = (0..width).map(|x| {
                if black(x, y) {
                    fax::Color::Black
                } else {
                    fax::Color::White
                }
            });
            encoder.encode_line(line, width).expect("encodes");
        }
        let data = encoder.finish().expect("finishes").finish();
        let image = source(
            dictionary! {
                "Width" => width, "Height" => height, "BitsPerComponent" => 1,
                "ColorSpace" => "DeviceGray", "Filter" => "CCITTFaxDecode",
                "DecodeParms" => dictionary! { "K" => -1, "Columns" => width },
            },
            data,
        );
        let full = image.decode().expect("decodes");
        let preview = image.decode_preview().expect("previews");
        let step = (width / 256) as usize;
        assert_eq!(
            (preview.width, preview.height),
            (width.div_ceil(step as u32), height.div_ceil(step as u32))
        );
        let sampled: Vec<u8> = (0..height as usize)
            .step_by(step)
            .flat_map(|y| {
                (0..width as usize)
                    .step_by(step)
                    .map(move |x| y * width as usize + x)
            })
            .map(|index| full.pixels[index])
            .collect();
        assert_eq!(preview.pixels, sampled);
        assert!(sampled.contains(&0) && sampled.contains(&255));
    }

    #[test]
    fn crypt_filters_out_of_place_and_oversized_images_are_refused_with_a_reason() {
        // A leading crypt filter was applied when the file was decrypted.
        let own = dictionary! { "Width" => 2, "Height" => 2, "Filter" => "Crypt", "ColorSpace" => "DeviceGray" };
        assert_eq!(decoded(own, vec![0, 64, 128, 255]), [0, 64, 128, 255]);
        let misplaced = dictionary! {
            "Width" => 2, "Height" => 2, "Filter" => vec!["FlateDecode".into(), "Crypt".into()],
        };
        let error = source(misplaced, vec![0; 8]).decode().unwrap_err();
        assert!(error.contains("Crypt"), "{error}");
        let drawn = DrawnImage::new(
            &Document::for_tests(),
            Cow::Owned(Stream::new(
                dictionary! { "Width" => 100_000, "Height" => 100_000, "BitsPerComponent" => 8 },
                Vec::new(),
            )),
            Matrix::IDENTITY,
            false,
        );
        let error = ImageSource::resolve(&Document::for_tests(), &drawn).unwrap_err();
        assert!(error.contains("100000x100000"), "{error}");
    }

    #[test]
    fn an_image_size_given_by_reference_is_followed() {
        let mut inner = lopdf::Document::with_version("1.7");
        let width = inner.add_object(2);
        let dict = dictionary! {
            "Width" => width, "Height" => 1, "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
        };
        let document = Document::for_tests_from(inner);
        let drawn = DrawnImage::new(
            &document,
            Cow::Owned(Stream::new(dict, vec![10, 250])),
            Matrix::IDENTITY,
            false,
        );
        assert_eq!(drawn.samples, Some((2, 1)));
        let source = ImageSource::resolve(&document, &drawn).expect("resolves");
        assert_eq!(source.decode().expect("decodes").pixels, [10, 250]);
    }

    #[test]
    fn a_jpeg_claiming_a_huge_frame_is_refused_before_it_is_decoded() {
        // Found by fuzzing: 1,100 bytes whose frame header asked for gigabytes. The
        // first three bytes are the fuzz target's selector, width and height.
        let input = include_bytes!(
            "../../tests/fuzz_regressions/image/oom-386327b71f8f86bc3cad76aa07d8738779e5c9f9"
        );
        let error = decode_jpeg(&input[3..], Detail::Full).unwrap_err();
        assert_eq!(error, "JPEG of 65530x65279 pixels");
    }

    #[test]
    fn inline_images_use_abbreviated_keys() {
        let drawn = DrawnImage::new(
            &Document::for_tests(),
            Cow::Owned(Stream::new(
                dictionary! { "W" => 2, "H" => 1, "BPC" => 8, "CS" => "G" },
                vec![0, 200],
            )),
            Matrix::IDENTITY,
            true,
        );
        let source = ImageSource::resolve(&Document::for_tests(), &drawn).expect("resolves");
        assert_eq!(source.decode().expect("decodes").pixels, [0, 200]);
    }

    #[test]
    fn netpbm_images_with_comments_parse() {
        let pbm = b"P4\n# made by jbig2dec\n3 2\n\xa0\x40";
        let gray = parse_netpbm(pbm).expect("parses");
        assert_eq!((gray.width, gray.height), (3, 2));
        assert_eq!(gray.pixels, [255, 0, 255, 0, 255, 0]);
        assert!(parse_netpbm(b"P4\n3 2\n").is_none(), "rows missing");
        let pgm = b"P5\n#OpenJPEG-2.5.0\n2 1\n255\n\x00\x80";
        assert_eq!(parse_netpbm(pgm).expect("parses").pixels, [0, 128]);
        let wide = b"P5 1 1 65535 \xff\xff";
        assert_eq!(parse_netpbm(wide).expect("parses").pixels, [255]);
        let ppm = b"P6\n1 1\n255\n\xff\x00\x00";
        assert_eq!(parse_netpbm(ppm).expect("parses").pixels, [76]);
    }
}
