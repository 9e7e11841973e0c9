//! A JPEG's luma at one eighth of its size, read from the DC coefficients alone.
//!
//! The redaction finder asks of a scan only whether it is dark under a word. The DC
//! coefficient of an 8x8 block is the block's mean, so the DC terms of the luma
//! component are that question's answer at 1/8 scale. Reading them still means walking
//! every Huffman code of the scan, but not dequantising, transforming, upsampling or
//! colour-converting anything: a 300 dpi page reads in a few milliseconds, where a full
//! decoder's scaled decode takes tens. A progressive JPEG's first DC scan holds the
//! same means, and the rest of the file is never read.
//!
//! Only 8-bit Huffman-coded frames whose first component is luma or gray are read;
//! anything else (arithmetic coding, 12-bit samples, CMYK, RGB-coded) returns `None`
//! and the caller decodes the JPEG in full.

use super::images::{Gray, MAX_IMAGE_PIXELS};

/// The 1/8-scale luma of a JPEG (one sample per 8x8 block of the first component),
/// `None` when the data is of a kind this does not read, or broken.
pub fn luma_preview(bytes: &[u8]) -> Option<Gray> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut reader = Reader::default();
    let mut pos = 2;
    loop {
        // Markers may be preceded by fill bytes 0xFF.
        while bytes.get(pos)? != &0xFF {
            pos += 1;
        }
        while bytes.get(pos)? == &0xFF {
            pos += 1;
        }
        let marker = *bytes.get(pos)?;
        pos += 1;
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue,
            0xD9 => return None,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(pos)?, *bytes.get(pos + 1)?]));
        let segment = bytes.get(pos + 2..pos + length.max(2))?;
        pos += length;
        match marker {
            0xC0 | 0xC1 => reader.frame(segment, false)?,
            0xC2 => reader.frame(segment, true)?,
            // Lossless, hierarchical and arithmetic-coded frames.
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            0xC4 => reader.huffman_tables(segment)?,
            0xDB => reader.quantisation_tables(segment)?,
            0xDD => reader.restart_interval = usize::from(u16::from_be_bytes(pair(segment, 0)?)),
            0xEE => reader.adobe(segment),
            0xDA => {
                let (scan, read) = reader.scan(segment, &bytes[pos..])?;
                if read {
                    return scan;
                }
                pos += skip_entropy_data(&bytes[pos..]);
            }
            _ => {}
        }
    }
}

fn pair(bytes: &[u8], at: usize) -> Option<[u8; 2]> {
    Some([*bytes.get(at)?, *bytes.get(at + 1)?])
}

/// Bytes of entropy-coded data before the next marker that is not a restart.
fn skip_entropy_data(data: &[u8]) -> usize {
    let mut pos = 0;
    while pos + 1 < data.len() {
        if data[pos] == 0xFF && data[pos + 1] != 0 && !(0xD0..=0xD7).contains(&data[pos + 1]) {
            return pos;
        }
        pos += 1;
    }
    data.len()
}

#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    table: usize,
}

#[derive(Default)]
struct Reader {
    width: usize,
    height: usize,
    progressive: bool,
    components: Vec<Component>,
    dc_tables: [Option<Huffman>; 4],
    ac_tables: [Option<Huffman>; 4],
    /// Each quantisation table's DC step.
    dc_steps: [u16; 4],
    restart_interval: usize,
    /// The Adobe APP14 colour transform: 0 says three components are RGB, not YCbCr.
    adobe_transform: Option<u8>,
}

impl Reader {
    fn frame(&mut self, segment: &[u8], progressive: bool) -> Option<()> {
        let [precision, height_hi, height_lo, width_hi, width_lo, count, rest @ ..] = segment
        else {
            return None;
        };
        if *precision != 8 || !self.components.is_empty() {
            return None;
        }
        self.width = usize::from(u16::from_be_bytes([*width_hi, *width_lo]));
        self.height = usize::from(u16::from_be_bytes([*height_hi, *height_lo]));
        if self.width == 0
            || self.height == 0
            || (self.width * self.height) as u64 > MAX_IMAGE_PIXELS
        {
            return None;
        }
        self.progressive = progressive;
        for chunk in rest.chunks_exact(3).take(usize::from(*count)) {
            let (h, v) = (usize::from(chunk[1] >> 4), usize::from(chunk[1] & 15));
            if !(1..=4).contains(&h) || !(1..=4).contains(&v) || chunk[2] > 3 {
                return None;
            }
            self.components.push(Component {
                id: chunk[0],
                h,
                v,
                table: usize::from(chunk[2]),
            });
        }
        (self.components.len() == usize::from(*count)).then_some(())
    }

    fn huffman_tables(&mut self, mut segment: &[u8]) -> Option<()> {
        while let [kind, counts @ ..] = segment {
            let counts: &[u8; 16] = counts.get(..16)?.try_into().ok()?;
            let total: usize = counts.iter().map(|&count| usize::from(count)).sum();
            let values = segment.get(17..17 + total)?;
            let table = Huffman::new(counts, values)?;
            let slot = usize::from(kind & 15);
            match kind >> 4 {
                0 => *self.dc_tables.get_mut(slot)? = Some(table),
                1 => *self.ac_tables.get_mut(slot)? = Some(table),
                _ => return None,
            }
            segment = &segment[17 + total..];
        }
        Some(())
    }

    fn quantisation_tables(&mut self, mut segment: &[u8]) -> Option<()> {
        while let [kind, rest @ ..] = segment {
            let slot = usize::from(kind & 15);
            let (step, size) = match kind >> 4 {
                0 => (u16::from(*rest.first()?), 64),
                1 => (u16::from_be_bytes(pair(rest, 0)?), 128),
                _ => return None,
            };
            *self.dc_steps.get_mut(slot)? = step;
            segment = rest.get(size..)?;
        }
        Some(())
    }

    fn adobe(&mut self, segment: &[u8]) {
        if segment.starts_with(b"Adobe") {
            self.adobe_transform = segment.get(11).copied();
        }
    }

    /// Reads the scan at `data` when it holds the first component's DC terms; returns
    /// whether it did, and what it read then.
    fn scan(&self, header: &[u8], data: &[u8]) -> Option<(Option<Gray>, bool)> {
        let first = *self.components.first()?;
        let count = usize::from(*header.first()?);
        let selectors = header.get(1..1 + 2 * count)?;
        let [start, end, approximation] = header.get(1 + 2 * count..4 + 2 * count)? else {
            return None;
        };
        let members: Vec<(Component, usize, usize)> = selectors
            .chunks_exact(2)
            .map(|pair| {
                let component = self.components.iter().find(|c| c.id == pair[0])?;
                Some((
                    *component,
                    usize::from(pair[1] >> 4),
                    usize::from(pair[1] & 15),
                ))
            })
            .collect::<Option<_>>()?;
        if !members
            .iter()
            .any(|(component, ..)| component.id == first.id)
        {
            return Some((None, false));
        }
        // A progressive file's later scans refine what its first DC scan gave.
        if self.progressive && (*start != 0 || approximation >> 4 != 0) {
            return Some((None, false));
        }
        let colour = match self.components.len() {
            1 => true,
            3 => {
                self.adobe_transform != Some(0) && self.components.iter().map(|c| c.id).ne(*b"RGB")
            }
            _ => false,
        };
        let (h_max, v_max) = self
            .components
            .iter()
            .fold((1, 1), |(h, v), c| (h.max(c.h), v.max(c.v)));
        if !colour || first.h != h_max || first.v != v_max {
            return Some((None, true));
        }
        let scan = Scan {
            reader: self,
            members,
            ac: !self.progressive && *end > 0,
            shift: u32::from(approximation & 15),
            h_max,
            v_max,
        };
        Some((scan.read(data), true))
    }
}

struct Scan<'r> {
    reader: &'r Reader,
    /// The scan's components with their DC and AC table numbers.
    members: Vec<(Component, usize, usize)>,
    /// Whether blocks carry AC codes to walk past (sequential scans).
    ac: bool,
    /// Successive-approximation shift of the DC terms (progressive first scans).
    shift: u32,
    h_max: usize,
    v_max: usize,
}

impl Scan<'_> {
    fn read(&self, data: &[u8]) -> Option<Gray> {
        let reader = self.reader;
        let first = reader.components[0];
        let (mcu_columns, mcu_rows) = (
            reader.width.div_ceil(8 * self.h_max),
            reader.height.div_ceil(8 * self.v_max),
        );
        let interleaved = self.members.len() > 1;
        // Block columns and rows of the first component: whole MCUs when interleaved,
        // its own extent when alone in the scan.
        let (columns, rows, mcus) = if interleaved {
            (
                mcu_columns * first.h,
                mcu_rows * first.v,
                mcu_columns * mcu_rows,
            )
        } else {
            let columns = (reader.width * first.h).div_ceil(self.h_max).div_ceil(8);
            let rows = (reader.height * first.v).div_ceil(self.v_max).div_ceil(8);
            (columns, rows, columns * rows)
        };
        let tables: Vec<(&Huffman, Option<&Huffman>)> = self
            .members
            .iter()
            .map(|&(_, dc, ac)| {
                let dc = reader.dc_tables.get(dc)?.as_ref()?;
                let ac = if self.ac {
                    Some(reader.ac_tables.get(ac)?.as_ref()?)
                } else {
                    None
                };
                Some((dc, ac))
            })
            .collect::<Option<_>>()?;
        let mut means = vec![0i32; columns * rows];
        let mut predictions = vec![0i32; self.members.len()];
        let mut bits = Bits::new(data);
        for mcu in 0..mcus {
            if reader.restart_interval > 0 && mcu > 0 && mcu % reader.restart_interval == 0 {
                bits.restart();
                predictions.iter_mut().for_each(|value| *value = 0);
            }
            let (mcu_x, mcu_y) = if interleaved {
                (mcu % mcu_columns, mcu / mcu_columns)
            } else {
                (mcu % columns, mcu / columns)
            };
            for (member, &(component, ..)) in self.members.iter().enumerate() {
                let (blocks_h, blocks_v) = if interleaved {
                    (component.h, component.v)
                } else {
                    (1, 1)
                };
                let (dc_table, ac_table) = tables[member];
                for v in 0..blocks_v {
                    for h in 0..blocks_h {
                        let size = dc_table.decode(&mut bits)?;
                        let difference = bits.receive_extend(size)?;
                        predictions[member] = predictions[member].wrapping_add(difference);
                        if let Some(ac_table) = ac_table {
                            skip_ac(ac_table, &mut bits)?;
                        }
                        if component.id == first.id {
                            let (x, y) = (mcu_x * blocks_h + h, mcu_y * blocks_v + v);
                            means[y * columns + x] = predictions[member];
                        }
                    }
                }
            }
        }
        let step = i32::from(reader.dc_steps[first.table].max(1));
        let (width, height) = (reader.width.div_ceil(8), reader.height.div_ceil(8));
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            for &dc in &means[y * columns..y * columns + width] {
                // A block's mean sample is its dequantised DC term over 8, plus the
                // level shift of 128.
                let value = (dc << self.shift).saturating_mul(step) / 8 + 128;
                pixels.push(value.clamp(0, 255) as u8);
            }
        }
        Some(Gray {
            width: width as u32,
            height: height as u32,
            pixels,
        })
    }
}

/// Walks past a block's AC codes (ISO/IEC 10918-1 F.2.2.2) without keeping them.
fn skip_ac(table: &Huffman, bits: &mut Bits) -> Option<()> {
    let mut index = 1;
    while index < 64 {
        bits.fill();
        // Most codes and their value bits fit one lookup.
        let (length, advance) = table.skip[bits.peek(FAST_BITS) as usize];
        if length > 0 {
            bits.consume(u32::from(length));
            index += usize::from(advance);
            continue;
        }
        let symbol = table.decode(bits)?;
        let (run, size) = (symbol >> 4, symbol & 15);
        if size == 0 {
            if run != 15 {
                return Some(());
            }
            index += 16;
            continue;
        }
        bits.skip(u32::from(size))?;
        index += usize::from(run) + 1;
    }
    (bits.padding < MAX_PADDING).then_some(())
}

/// Codes of up to this many bits decode with one table lookup.
const FAST_BITS: u32 = 10;

/// A canonical Huffman table (ISO/IEC 10918-1 Annex C).
struct Huffman {
    /// For each `FAST_BITS`-bit prefix: the code's length (0 when longer) and symbol.
    fast: Vec<(u8, u8)>,
    /// For each `FAST_BITS`-bit prefix that holds an AC code and its value bits: how
    /// many bits they take and how far they move in the block (64 for end of block);
    /// 0 bits when they do not fit.
    skip: Vec<(u8, u8)>,
    /// For each length 1..=16: the largest code of that length (-1 for none), and
    /// the index in `values` of its smallest code minus that code.
    max_code: [i32; 17],
    offset: [i32; 17],
    values: Vec<u8>,
}

impl Huffman {
    fn new(counts: &[u8; 16], values: &[u8]) -> Option<Huffman> {
        let mut fast = vec![(0u8, 0u8); 1 << FAST_BITS];
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut code = 0i32;
        let mut index = 0i32;
        for length in 1..=16u32 {
            let count = i32::from(counts[length as usize - 1]);
            offset[length as usize] = index - code;
            for _ in 0..count {
                if length <= FAST_BITS {
                    let spread = FAST_BITS - length;
                    let first = (code as usize) << spread;
                    let symbol = *values.get(index as usize)?;
                    for slot in fast.get_mut(first..first + (1 << spread))? {
                        *slot = (length as u8, symbol);
                    }
                }
                code += 1;
                index += 1;
            }
            if count > 0 {
                max_code[length as usize] = code - 1;
            }
            // A code set that overflows its length is not a prefix code.
            if code > 1 << length {
                return None;
            }
            code <<= 1;
        }
        let skip = fast
            .iter()
            .map(|&(length, symbol)| {
                let (run, size) = (symbol >> 4, symbol & 15);
                let advance = match (run, size) {
                    (15, 0) => 16,
                    (_, 0) => 64,
                    _ => run + 1,
                };
                if length > 0 && u32::from(length + size) <= FAST_BITS {
                    (length + size, advance)
                } else {
                    (0, 0)
                }
            })
            .collect();
        Some(Huffman {
            fast,
            skip,
            max_code,
            offset,
            values: values.to_vec(),
        })
    }

    fn decode(&self, bits: &mut Bits) -> Option<u8> {
        bits.fill();
        if bits.padding >= MAX_PADDING {
            return None;
        }
        let (length, symbol) = self.fast[bits.peek(FAST_BITS) as usize];
        if length > 0 {
            bits.consume(u32::from(length));
            return Some(symbol);
        }
        for length in FAST_BITS + 1..=16 {
            let code = bits.peek(length) as i32;
            if code <= self.max_code[length as usize] {
                bits.consume(length);
                return self
                    .values
                    .get((self.offset[length as usize] + code) as usize)
                    .copied();
            }
        }
        None
    }
}

/// Zero bits read past the data after which it counts as cut short: more than the
/// longest code and value, so a scan's last codes still read.
const MAX_PADDING: u32 = 1024;

/// The bits of entropy-coded data, most significant first, with stuffed zero bytes
/// removed; past a marker or the end it reads zeros.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    /// Bits not yet consumed, left-aligned.
    buffer: u64,
    count: u32,
    at_marker: bool,
    /// Zero bits read past the data: many more than any code means broken data.
    padding: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Self {
        Bits {
            data,
            pos: 0,
            buffer: 0,
            count: 0,
            at_marker: false,
            padding: 0,
        }
    }

    fn fill(&mut self) {
        while self.count <= 56 {
            let byte = match self.data.get(self.pos) {
                Some(&0xFF) if !self.at_marker => {
                    if self.data.get(self.pos + 1) == Some(&0) {
                        self.pos += 2;
                        0xFF
                    } else {
                        self.at_marker = true;
                        0
                    }
                }
                Some(&byte) if !self.at_marker => {
                    self.pos += 1;
                    byte
                }
                _ => {
                    self.padding += 8;
                    0
                }
            };
            self.buffer |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    fn peek(&self, bits: u32) -> u64 {
        self.buffer >> (64 - bits)
    }

    fn consume(&mut self, bits: u32) {
        self.buffer <<= bits;
        self.count -= bits;
    }

    fn skip(&mut self, bits: u32) -> Option<()> {
        self.fill();
        self.consume(bits);
        (self.padding < MAX_PADDING).then_some(())
    }

    /// A DC difference of `size` bits, sign-extended (F.2.2.1).
    fn receive_extend(&mut self, size: u8) -> Option<i32> {
        if size == 0 {
            return Some(0);
        }
        if size > 16 {
            return None;
        }
        self.fill();
        let value = self.peek(u32::from(size)) as i32;
        self.consume(u32::from(size));
        if self.padding >= MAX_PADDING {
            return None;
        }
        Some(if value < 1 << (size - 1) {
            value - (1 << size) + 1
        } else {
            value
        })
    }

    /// Drops the bits left before a restart marker and steps over it.
    fn restart(&mut self) {
        self.buffer = 0;
        self.count = 0;
        self.at_marker = false;
        self.padding = 0;
        while self.pos + 1 < self.data.len() {
            if self.data[self.pos] == 0xFF && (0xD0..=0xD7).contains(&self.data[self.pos + 1]) {
                self.pos += 2;
                return;
            }
            if self.data[self.pos] == 0xFF && self.data[self.pos + 1] != 0 {
                return;
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::luma_preview;
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

    /// A page-like RGB picture: white paper, a black bar, a gray ramp, strokes; an
    /// odd size so edge blocks are partial. It is gray, so that no colour of the full
    /// decode is clamped and its luma is the Y the DC terms give.
    fn picture(width: usize, height: usize) -> Vec<u8> {
        let mut rgb = Vec::with_capacity(width * height * 3);
        for y in 0..height {
            for x in 0..width {
                let pixel = if (20..44).contains(&y) && (10..150).contains(&x) {
                    [0, 0, 0]
                } else if y >= 90 {
                    let level = (x * 255 / width) as u8;
                    [level, level, level]
                } else if (x / 3 + y / 5) % 7 == 0 {
                    [70, 70, 70]
                } else {
                    [255, 255, 255]
                };
                rgb.extend_from_slice(&pixel);
            }
        }
        rgb
    }

    fn encode(
        rgb: &[u8],
        width: usize,
        height: usize,
        set: impl Fn(&mut Encoder<&mut Vec<u8>>),
        gray: bool,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = Encoder::new(&mut out, 90);
        set(&mut encoder);
        if gray {
            let luma: Vec<u8> = rgb.chunks_exact(3).map(|p| p[1]).collect();
            encoder
                .encode(&luma, width as u16, height as u16, ColorType::Luma)
                .unwrap();
        } else {
            encoder
                .encode(rgb, width as u16, height as u16, ColorType::Rgb)
                .unwrap();
        }
        out
    }

    /// The mean luma of each 8x8 block of the full decode, as jpeg-decoder gives it.
    fn block_means(jpeg: &[u8]) -> (usize, usize, Vec<f32>) {
        let mut decoder = jpeg_decoder::Decoder::new(jpeg);
        let samples = decoder.decode().unwrap();
        let info = decoder.info().unwrap();
        let (width, height) = (usize::from(info.width), usize::from(info.height));
        let luma: Vec<f32> = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => samples.iter().map(|&v| f32::from(v)).collect(),
            _ => samples
                .chunks_exact(3)
                .map(|p| {
                    0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
                })
                .collect(),
        };
        let (columns, rows) = (width.div_ceil(8), height.div_ceil(8));
        let mut means = Vec::new();
        for row in 0..rows {
            for column in 0..columns {
                let (mut sum, mut count) = (0.0, 0.0);
                for y in row * 8..(row * 8 + 8).min(height) {
                    for x in column * 8..(column * 8 + 8).min(width) {
                        sum += luma[y * width + x];
                        count += 1.0;
                    }
                }
                means.push(sum / count);
            }
        }
        (columns, rows, means)
    }

    fn assert_matches_full_decode(jpeg: &[u8], what: &str) {
        let preview = luma_preview(jpeg).unwrap_or_else(|| panic!("{what}: not read"));
        let (columns, rows, means) = block_means(jpeg);
        assert_eq!(
            (preview.width as usize, preview.height as usize),
            (columns, rows),
            "{what}"
        );
        // Blocks across the image's edge: the encoder pads them with repeated edge
        // samples, which the full decode crops away, so only whole blocks compare.
        let mut worst = 0.0f32;
        for row in 0..rows - 1 {
            for column in 0..columns - 1 {
                let index = row * columns + column;
                worst = worst.max((f32::from(preview.pixels[index]) - means[index]).abs());
            }
        }
        assert!(worst <= 6.0, "{what}: a block's mean is {worst} levels off");
        // The bar reads black, the paper white.
        assert!(preview.pixels[3 * columns + 5] < 20, "{what}");
        assert!(
            preview.pixels[8 * columns + 22] > 235 || preview.pixels[8 * columns + 21] > 235,
            "{what}"
        );
    }

    #[test]
    fn dc_terms_give_the_block_means_of_baseline_and_progressive_files() {
        let (width, height) = (203, 131);
        let rgb = picture(width, height);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("gray", encode(&rgb, width, height, |_| {}, true)),
            (
                "4:4:4",
                encode(
                    &rgb,
                    width,
                    height,
                    |e| e.set_sampling_factor(SamplingFactor::R_4_4_4),
                    false,
                ),
            ),
            (
                "4:2:0",
                encode(
                    &rgb,
                    width,
                    height,
                    |e| e.set_sampling_factor(SamplingFactor::R_4_2_0),
                    false,
                ),
            ),
            (
                "4:2:0 with restarts every 3 MCUs",
                encode(
                    &rgb,
                    width,
                    height,
                    |e| {
                        e.set_sampling_factor(SamplingFactor::R_4_2_0);
                        e.set_restart_interval(3);
                    },
                    false,
                ),
            ),
            (
                "optimised tables",
                encode(
                    &rgb,
                    width,
                    height,
                    |e| e.set_optimized_huffman_tables(true),
                    false,
                ),
            ),
            (
                "progressive gray",
                encode(&rgb, width, height, |e| e.set_progressive(true), true),
            ),
            (
                "progressive 4:2:0",
                encode(
                    &rgb,
                    width,
                    height,
                    |e| {
                        e.set_progressive(true);
                        e.set_sampling_factor(SamplingFactor::R_4_2_0);
                    },
                    false,
                ),
            ),
        ];
        for (what, jpeg) in &cases {
            assert_matches_full_decode(jpeg, what);
        }
    }

    #[test]
    fn cut_or_foreign_data_is_refused_or_read_without_panic() {
        let (width, height) = (203, 131);
        let jpeg = encode(&picture(width, height), width, height, |_| {}, false);
        for cut in [2, 20, 200, jpeg.len() / 2, jpeg.len() - 2] {
            let _ = luma_preview(&jpeg[..cut]);
        }
        assert!(luma_preview(b"%PDF-1.7 not a JPEG").is_none());
        let mut cmyk = Vec::new();
        Encoder::new(&mut cmyk, 90)
            .encode(&[0u8; 16 * 16 * 4], 16, 16, ColorType::Cmyk)
            .unwrap();
        assert!(luma_preview(&cmyk).is_none(), "CMYK takes the full decoder");
    }
}
