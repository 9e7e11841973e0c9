//! Wraps page images into a scanned-looking PDF, for the corpus's scans
//! (`corpus/scans/make.sh`): no text layer, one image (or several strips) per page,
//! stored the ways scanners store them.
//!
//! `cargo run --example make_scan_pdf -- OUT.pdf PAGE...`, where each PAGE is
//! `ENCODING:IMAGE.pgm[:rotate=90][:strips=N][:dpi=N]`:
//! - `jpeg`: the image as a baseline JPEG (DCTDecode; `IMAGE` is then a `.jpg`);
//! - `g4`: thresholded to black and white, CCITT group 4 (CCITTFaxDecode, K -1);
//! - `flate`: 8-bit gray samples, FlateDecode.
//!
//! `rotate=90` stores the page sideways with `/Rotate 90`, as a scanner does with a
//! landscape sheet fed the other way (the image must already be turned a quarter
//! counter-clockwise); `strips=N` cuts the image into N horizontal strips, each its
//! own XObject placed by its own matrix; `dpi` (default 300) sets the page size.

use std::error::Error;

mod common;

use common::read_pgm;
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

/// One page to write.
struct PageSpec {
    encoding: String,
    image: String,
    rotate: i64,
    strips: u32,
    dpi: f32,
}

fn parse_page(spec: &str) -> Result<PageSpec, Box<dyn Error>> {
    let mut parts = spec.split(':');
    let encoding = parts.next().ok_or("empty page")?.to_string();
    let image = parts.next().ok_or("page without an image")?.to_string();
    let mut page = PageSpec {
        encoding,
        image,
        rotate: 0,
        strips: 1,
        dpi: 300.0,
    };
    for option in parts {
        match option.split_once('=') {
            Some(("rotate", value)) => page.rotate = value.parse()?,
            Some(("strips", value)) => page.strips = value.parse::<u32>()?.max(1),
            Some(("dpi", value)) => page.dpi = value.parse()?,
            _ => return Err(format!("unknown option {option:?}").into()),
        }
    }
    Ok(page)
}

/// An image XObject holding rows `first..first + rows` of a page image.
struct Strip {
    stream: Stream,
    first: u32,
    rows: u32,
}

/// A page image's size and its strips.
struct PageImage {
    width: u32,
    height: u32,
    strips: Vec<Strip>,
}

/// The image XObjects of one page.
fn image_streams(page: &PageSpec) -> Result<PageImage, Box<dyn Error>> {
    if page.encoding == "jpeg" {
        let jpeg = std::fs::read(&page.image)?;
        let mut decoder = jpeg_decoder::Decoder::new(jpeg.as_slice());
        decoder.read_info()?;
        let info = decoder.info().ok_or("JPEG without a header")?;
        let color = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => "DeviceGray",
            _ => "DeviceRGB",
        };
        let (width, height) = (u32::from(info.width), u32::from(info.height));
        let stream = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image",
                "Width" => width, "Height" => height,
                "ColorSpace" => color, "BitsPerComponent" => 8,
                "Filter" => "DCTDecode",
            },
            jpeg,
        );
        let strips = vec![Strip {
            stream,
            first: 0,
            rows: height,
        }];
        return Ok(PageImage {
            width,
            height,
            strips,
        });
    }
    let (width, height, samples) = read_pgm(&page.image)?;
    let mut streams = Vec::new();
    let rows_per_strip = height.div_ceil(page.strips);
    let mut first = 0;
    while first < height {
        let rows = rows_per_strip.min(height - first);
        let strip = &samples[(first * width) as usize..((first + rows) * width) as usize];
        let stream = common::image_stream(&page.encoding, width, rows, strip)?;
        streams.push(Strip {
            stream,
            first,
            rows,
        });
        first += rows;
    }
    Ok(PageImage {
        width,
        height,
        strips: streams,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [output, pages @ ..] = arguments.as_slice() else {
        return Err("usage: make_scan_pdf OUT.pdf ENCODING:IMAGE[:options]...".into());
    };
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let mut kids = Vec::new();
    for spec in pages {
        let page = parse_page(spec)?;
        let PageImage {
            width,
            height,
            strips,
        } = image_streams(&page)?;
        let scale = 72.0 / page.dpi;
        let (page_width, page_height) = (width as f32 * scale, height as f32 * scale);
        let mut xobjects = lopdf::Dictionary::new();
        let mut operations = Vec::new();
        for (
            index,
            Strip {
                stream,
                first,
                rows,
            },
        ) in strips.into_iter().enumerate()
        {
            let name = format!("Im{index}");
            xobjects.set(name.as_bytes(), document.add_object(stream));
            // Strip rows first..first + rows, counted from the top of the page.
            let bottom = page_height - (first + rows) as f32 * scale;
            operations.push(Operation::new("q", vec![]));
            operations.push(Operation::new(
                "cm",
                vec![
                    page_width.into(),
                    0.into(),
                    0.into(),
                    (rows as f32 * scale).into(),
                    0.into(),
                    bottom.into(),
                ],
            ));
            operations.push(Operation::new("Do", vec![Object::Name(name.into_bytes())]));
            operations.push(Operation::new("Q", vec![]));
        }
        let content = Content { operations }.encode()?;
        let content_id = document.add_object(Stream::new(dictionary! {}, content));
        let mut page_dictionary = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), page_width.into(), page_height.into()],
            "Contents" => content_id,
            "Resources" => dictionary! { "XObject" => xobjects },
        };
        if page.rotate != 0 {
            page_dictionary.set("Rotate", page.rotate);
        }
        kids.push(Object::Reference(document.add_object(page_dictionary)));
    }
    let count = kids.len() as i64;
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog_id);
    document.compress();
    document.save(output)?;
    Ok(())
}
