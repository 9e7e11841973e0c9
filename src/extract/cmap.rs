//! CMaps: CMap CMaps (ISO 32000-1 9.10.3), which say what characters a font's
//! codes stand for, and CID CMaps (9.7.5), which say which CID each code selects.
//!
//! Only what extraction needs is parsed: `codespacerange` (how many bytes a code takes),
//! `bfchar` and both forms of `bfrange` (destinations are UTF-16BE, so a code can map
//! to a ligature's letters or a character outside the BMP), `cidchar`, `cidrange` and
//! `usecmap` (the name of a CMap this one extends).

use crate::hash::FastMap;

/// Most codes the `bfrange` sections of one CMap may expand to: four times the 65,536
/// glyphs a font can have. Each range is already capped at 65,536 codes, but a hostile
/// CMap can repeat ranges until the map takes gigabytes; past this, further ranges
/// are ignored.
const MAX_MAPPINGS: usize = 1 << 18;

/// A parsed CMap CMap.
#[derive(Debug, Default, Clone)]
pub struct CMap {
    /// (byte length, code) -> text
    map: FastMap<(u8, u32), String>,
    /// Codespace ranges as (byte length, low, high).
    codespaces: Vec<(u8, u32, u32)>,
    /// CID ranges as (byte length, low code, high code, CID of the low code).
    cid_ranges: Vec<(u8, u32, u32, u32)>,
    /// The CMap named by `usecmap`, whose mappings this one adds to.
    pub uses: Option<String>,
    /// Codes `bfrange` sections have expanded so far, against [`MAX_MAPPINGS`]: the
    /// bound is on work as well as on size, since ranges may also repeat each other.
    expanded: usize,
}

/// Lexical items of a CMap stream; only hex strings, arrays and operators matter.
#[derive(Debug, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    ArrayStart,
    ArrayEnd,
    Keyword(String),
    Name(String),
    Number(u32),
    Other,
}

impl CMap {
    /// Parses a CMap stream (each `read_` section reader returns true once it has
    /// consumed its section). Malformed entries are skipped, never fatal: a partly
    /// readable CMap still names most characters.
    pub fn parse(data: &[u8]) -> CMap {
        let tokens = tokenize(data);
        let mut cmap = CMap::default();
        let mut position = 0;
        while position < tokens.len() {
            if let Token::Keyword(keyword) = &tokens[position] {
                let section_end = keyword.replacen("begin", "end", 1);
                let end = tokens[position + 1..]
                    .iter()
                    .position(|token| *token == Token::Keyword(section_end.clone()))
                    .map_or(tokens.len(), |offset| position + 1 + offset);
                let body = &tokens[position + 1..end];
                let handled = match keyword.as_str() {
                    "begincodespacerange" => cmap.read_codespaces(body),
                    "beginbfchar" => cmap.read_bfchar(body),
                    "beginbfrange" => cmap.read_bfrange(body),
                    "begincidrange" => cmap.read_cidranges(body, 3),
                    "begincidchar" => cmap.read_cidranges(body, 2),
                    "usecmap" => {
                        if let Some(Token::Name(name)) =
                            position.checked_sub(1).map(|at| &tokens[at])
                        {
                            cmap.uses = Some(name.clone());
                        }
                        false
                    }
                    _ => false,
                };
                if handled {
                    position = end;
                }
            }
            position += 1;
        }
        cmap
    }

    /// True when the CMap maps nothing (an empty or unreadable stream).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The text for `code` of `length` bytes, if the CMap maps it.
    pub fn get(&self, length: u8, code: u32) -> Option<&str> {
        self.map.get(&(length, code)).map(String::as_str)
    }

    /// How many bytes the code starting at `bytes[0]` takes, per the codespace ranges
    /// (ISO 32000-1 9.7.6.2); without ranges, the length of the mapped codes.
    pub fn code_length(&self, bytes: &[u8]) -> Option<u8> {
        let codespace_match = self.codespaces.iter().find(|(length, low, high)| {
            let length = *length as usize;
            bytes.len() >= length && {
                let code = code_value(&bytes[..length]);
                (*low..=*high).contains(&code)
            }
        });
        match codespace_match {
            Some((length, _, _)) => Some(*length),
            None => self.map.keys().map(|(length, _)| *length).min(),
        }
    }

    /// The CID a code selects, per `cidrange`/`cidchar` (not following `usecmap`).
    pub fn cid(&self, length: u8, code: u32) -> Option<u32> {
        self.cid_ranges
            .iter()
            .find(|(range_length, low, high, _)| {
                *range_length == length && (*low..=*high).contains(&code)
            })
            .map(|(_, low, _, cid)| cid + (code - low))
    }

    /// Adds another CMap's mappings after this one's (for `usecmap`).
    pub fn extend(&mut self, used: &CMap) {
        self.codespaces.extend(used.codespaces.iter().copied());
        self.cid_ranges.extend(used.cid_ranges.iter().copied());
        for (key, text) in &used.map {
            self.map.entry(*key).or_insert_with(|| text.clone());
        }
    }

    /// `cidrange` entries (`<low> <high> cid`, width 3) or `cidchar` entries
    /// (`<code> cid`, width 2).
    fn read_cidranges(&mut self, body: &[Token], width: usize) -> bool {
        for entry in body.chunks_exact(width) {
            let (low, high, cid) = match entry {
                [Token::Hex(low), Token::Hex(high), Token::Number(cid)] => (low, high, cid),
                [Token::Hex(code), Token::Number(cid)] => (code, code, cid),
                _ => continue,
            };
            if (1..=4).contains(&low.len()) {
                self.cid_ranges
                    .push((low.len() as u8, code_value(low), code_value(high), *cid));
            }
        }
        true
    }

    fn read_codespaces(&mut self, body: &[Token]) -> bool {
        for pair in body.chunks_exact(2) {
            if let [Token::Hex(low), Token::Hex(high)] = pair {
                if (1..=4).contains(&low.len()) {
                    self.codespaces
                        .push((low.len() as u8, code_value(low), code_value(high)));
                }
            }
        }
        true
    }

    fn read_bfchar(&mut self, body: &[Token]) -> bool {
        for pair in body.chunks_exact(2) {
            if let [Token::Hex(source), Token::Hex(destination)] = pair {
                if (1..=4).contains(&source.len()) {
                    self.map.insert(
                        (source.len() as u8, code_value(source)),
                        utf16_text(destination),
                    );
                }
            }
        }
        true
    }

    fn read_bfrange(&mut self, body: &[Token]) -> bool {
        let mut position = 0;
        while position + 2 < body.len() {
            let (Token::Hex(low), Token::Hex(high)) = (&body[position], &body[position + 1]) else {
                position += 1;
                continue;
            };
            if !(1..=4).contains(&low.len()) {
                position += 1;
                continue;
            }
            let length = low.len() as u8;
            let (low, high) = (code_value(low), code_value(high));
            // A hostile range could name four billion codes; no real font has more
            // than 65,536 glyphs.
            let high = high.min(low.saturating_add(0xFFFF));
            match &body[position + 2] {
                Token::Hex(destination) => {
                    for (offset, code) in (low..=high).enumerate() {
                        if self.expanded >= MAX_MAPPINGS {
                            break;
                        }
                        self.expanded += 1;
                        let text = utf16_text(&increment_last(destination, offset as u32));
                        self.map.insert((length, code), text);
                    }
                    position += 3;
                }
                Token::ArrayStart => {
                    let mut code = low;
                    position += 3;
                    while position < body.len() && body[position] != Token::ArrayEnd {
                        if let Token::Hex(destination) = &body[position] {
                            if code <= high && self.expanded < MAX_MAPPINGS {
                                self.expanded += 1;
                                self.map.insert((length, code), utf16_text(destination));
                            }
                            code = code.saturating_add(1);
                        }
                        position += 1;
                    }
                    position += 1;
                }
                _ => position += 3,
            }
        }
        true
    }
}

/// A big-endian code from up to four bytes.
fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0, |value, byte| (value << 8) | u32::from(*byte))
}

/// `bfrange` with one destination string: the last byte counts up with the code
/// (ISO 32000-1 9.10.3).
fn increment_last(destination: &[u8], offset: u32) -> Vec<u8> {
    let mut bytes = destination.to_vec();
    if bytes.len() >= 2 {
        let split = bytes.len() - 2;
        let last = u16::from_be_bytes([bytes[split], bytes[split + 1]]);
        let [high, low] = last.wrapping_add(offset as u16).to_be_bytes();
        bytes[split] = high;
        bytes[split + 1] = low;
    } else if let Some(last) = bytes.last_mut() {
        *last = last.wrapping_add(offset as u8);
    }
    bytes
}

/// Decodes UTF-16BE (with surrogate pairs); a lone byte is taken as a Latin-1 char.
fn utf16_text(bytes: &[u8]) -> String {
    if bytes.len() == 1 {
        return char::from(bytes[0]).to_string();
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

fn tokenize(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0;
    while position < data.len() {
        let byte = data[position];
        match byte {
            b'%' => {
                while position < data.len() && data[position] != b'\n' && data[position] != b'\r' {
                    position += 1;
                }
            }
            b'<' if data.get(position + 1) == Some(&b'<') => {
                tokens.push(Token::Other);
                position += 2;
            }
            b'<' => {
                let start = position + 1;
                let end = data[start..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |offset| start + offset);
                tokens.push(Token::Hex(hex_bytes(&data[start..end])));
                position = end + 1;
            }
            b'/' => {
                let start = position + 1;
                position = start;
                while position < data.len()
                    && !data[position].is_ascii_whitespace()
                    && !b"<>[]()%/".contains(&data[position])
                {
                    position += 1;
                }
                tokens.push(Token::Name(
                    String::from_utf8_lossy(&data[start..position]).into_owned(),
                ));
            }
            b'[' => {
                tokens.push(Token::ArrayStart);
                position += 1;
            }
            b']' => {
                tokens.push(Token::ArrayEnd);
                position += 1;
            }
            b'(' => {
                // Literal strings only appear in the CMap's header; skip them whole.
                let mut depth = 0;
                while position < data.len() {
                    match data[position] {
                        b'\\' => position += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    position += 1;
                }
                tokens.push(Token::Other);
                position += 1;
            }
            _ if byte.is_ascii_whitespace() || byte == b'>' => position += 1,
            _ => {
                let start = position;
                while position < data.len()
                    && !data[position].is_ascii_whitespace()
                    && !b"<>[]()%/".contains(&data[position])
                {
                    position += 1;
                }
                let word = String::from_utf8_lossy(&data[start..position]).into_owned();
                if position == start {
                    position += 1;
                    tokens.push(Token::Other);
                } else if byte.is_ascii_alphabetic() {
                    tokens.push(Token::Keyword(word));
                } else if let Ok(number) = word.parse() {
                    tokens.push(Token::Number(number));
                } else {
                    tokens.push(Token::Other);
                }
            }
        }
    }
    tokens
}

fn hex_bytes(hex: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = hex
        .iter()
        .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    // An odd number of digits is completed with a 0 (ISO 32000-1 7.3.4.3).
    digits
        .chunks(2)
        .map(|pair| (pair[0] << 4) | pair.get(1).copied().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ranges_stop_at_the_mapping_limit() {
        // Found by fuzzing: 100 full two-byte ranges would make 6.5 million strings.
        let range = "<0000> <FFFF> <0041>\n".repeat(100);
        let data = format!("1 begincodespacerange <0000> <FFFF> endcodespacerange 100 beginbfrange {range} endbfrange");
        let cmap = CMap::parse(data.as_bytes());
        assert_eq!(cmap.map.len(), 65_536);
        assert_eq!(cmap.expanded, MAX_MAPPINGS);
        let spread: String = (0..100)
            .map(|block| format!("<{:04X}0000> <{:04X}FFFF> <0041>\n", block, block))
            .collect();
        let data = format!("100 beginbfrange {spread} endbfrange");
        let cmap = CMap::parse(data.as_bytes());
        assert_eq!(cmap.map.len(), MAX_MAPPINGS);
        assert_eq!(cmap.get(4, 0x0000_0001), Some("B"));
    }

    const SAMPLE: &[u8] = b"/CIDInit /ProcSet findresource begin\n\
        12 dict begin begincmap /CMapName /Adobe-Identity-UCS def\n\
        1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
        2 beginbfchar <0003> <0020> <0011> <0041> endbfchar\n\
        2 beginbfrange <0020> <0022> <0061> <0030> <0031> [<0066006C> <D835DC00>] endbfrange\n\
        endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_maps_single_codes() {
        let cmap = CMap::parse(SAMPLE);
        assert_eq!(cmap.get(2, 0x0003), Some(" "));
        assert_eq!(cmap.get(2, 0x0011), Some("A"));
    }

    #[test]
    fn bfrange_with_start_string_counts_up() {
        let cmap = CMap::parse(SAMPLE);
        assert_eq!(cmap.get(2, 0x0020), Some("a"));
        assert_eq!(cmap.get(2, 0x0022), Some("c"));
        assert_eq!(cmap.get(2, 0x0023), None);
    }

    #[test]
    fn bfrange_with_array_gives_ligatures_and_surrogates() {
        let cmap = CMap::parse(SAMPLE);
        assert_eq!(cmap.get(2, 0x0030), Some("fl"));
        assert_eq!(cmap.get(2, 0x0031), Some("\u{1D400}"));
    }

    #[test]
    fn code_length_follows_codespace() {
        let cmap = CMap::parse(SAMPLE);
        assert_eq!(cmap.code_length(&[0x00, 0x11]), Some(2));
        let one_byte = CMap::parse(b"1 beginbfchar <41> <0042> endbfchar");
        assert_eq!(one_byte.code_length(b"A"), Some(1));
        assert_eq!(one_byte.get(1, 0x41), Some("B"));
    }

    #[test]
    fn begincmap_section_does_not_hide_mappings() {
        let cmap = CMap::parse(
            b"begincmap /CIDSystemInfo << /Registry (Adobe) >> def\n\
            1 beginbfchar <0003> <0020> endbfchar endcmap",
        );
        assert_eq!(cmap.get(2, 3), Some(" "));
    }

    #[test]
    fn cid_ranges_chars_and_usecmap() {
        let cmap = CMap::parse(
            b"/CIDInit /ProcSet findresource begin /Base-H usecmap\n\
              1 begincodespacerange <00> <80> endcodespacerange\n\
              1 begincidrange <20> <7e> 1 endcidrange\n\
              1 begincidchar <80> 633 endcidchar",
        );
        assert_eq!(cmap.uses.as_deref(), Some("Base-H"));
        assert_eq!(cmap.cid(1, 0x20), Some(1));
        assert_eq!(cmap.cid(1, 0x41), Some(34));
        assert_eq!(cmap.cid(1, 0x80), Some(633));
        assert_eq!(cmap.cid(1, 0x7f), None);
        assert_eq!(cmap.code_length(b"\x41"), Some(1));
    }

    #[test]
    fn garbage_yields_empty_map() {
        assert!(CMap::parse(b"beginbfrange <00> endbfrange ((( <<").is_empty());
    }
}
