//! What the corpus's PDF writers share: reading a gray page image and storing it as
//! an image XObject the way scanners and producers store one.

use std::error::Error;

use lopdf::{dictionary, Stream};

/// A binary PGM: width, height, 8-bit samples.
pub fn read_pgm(path: &str) -> Result<(u32, u32, Vec<u8>), Box<dyn Error>> {
    let bytes = std::fs::read(path)?;
    let mut fields = Vec::new();
    let mut position = 0;
    while fields.len() < 4 {
        while bytes[position].is_ascii_whitespace() {
            position += 1;
        }
        if bytes[position] == b'#' {
            while bytes[position] != b'\n' {
                position += 1;
            }
            continue;
        }
        let start = position;
        while !bytes[position].is_ascii_whitespace() {
            position += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..position]).into_owned());
    }
    if fields[0] != "P5" || fields[3] != "255" {
        return Err(format!("{path}: not an 8-bit binary PGM").into());
    }
    let (width, height): (u32, u32) = (fields[1].parse()?, fields[2].parse()?);
    Ok((width, height, bytes[position + 1..].to_vec()))
}

/// `rows` rows of `width` gray samples as an image XObject: thresholded to black and
/// white in CCITT group 4 (`g4`, as scanners store text pages) or gray under
/// FlateDecode (`flate`).
pub fn image_stream(
    encoding: &str,
    width: u32,
    rows: u32,
    samples: &[u8],
) -> Result<Stream, Box<dyn Error>> {
    match encoding {
        "g4" => {
            let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
            for row in samples.chunks_exact(width as usize) {
                let pels = row.iter().map(|&gray| {
                    if gray < 128 {
                        fax::Color::Black
                    } else {
                        fax::Color::White
                    }
                });
                encoder
                    .encode_line(pels, width)
                    .map_err(|_| "G4 encoding failed")?;
            }
            let data = encoder.finish().map_err(|_| "G4 encoding failed")?.finish();
            Ok(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Image",
                    "Width" => width, "Height" => rows,
                    "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1,
                    "Filter" => "CCITTFaxDecode",
                    "DecodeParms" => dictionary! { "K" => -1, "Columns" => width, "Rows" => rows },
                },
                data,
            ))
        }
        "flate" => {
            let mut stream = Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Image",
                    "Width" => width, "Height" => rows,
                    "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
                },
                samples.to_vec(),
            );
            stream.compress()?;
            Ok(stream)
        }
        other => Err(format!("unknown encoding {other:?}").into()),
    }
}
