//! Scanned pages: which pages are pictures of text, and the page image OCR reads.
//!
//! A page image is made without a renderer: each image the page draws is decoded
//! ([`super::images`]) and placed by the matrix it was drawn with (so strips, tiles,
//! scale and skew come out as on screen), and the whole is turned by the page's
//! `/Rotate` so text stands upright.

use std::sync::Arc;
use std::time::Duration;

use super::images::{Gray, ImageSource, MAX_IMAGE_PIXELS};
use super::interpreter::Matrix;
use super::reading::Reason;
use super::render::Renderer;

/// The square every image fills in its own space (ISO 32000-1 8.9.4).
const UNIT_SQUARE: [f32; 4] = [0.0, 0.0, 1.0, 1.0];

/// A page with a little text counts as a scan when its images cover at least this
/// share of it.
pub const SCAN_COVERAGE: f32 = 0.5;

/// A page with no text at all is read when its images cover this much: banners and
/// clippings of text pasted as pictures are worth the OCR; icons and rules are not.
pub const IMAGE_ONLY_COVERAGE: f32 = 0.05;

/// Page images are made at the images' own resolution, within these bounds: Tesseract
/// reads best at about 300 dpi, and more than 400 only costs time.
const MIN_DPI: f32 = 200.0;
const MAX_DPI: f32 = 400.0;

/// An image of words is ink on paper: at most this share of its pixels are mid-tones
/// (a photograph's are most of them), and some but not most of it is ink.
const MAX_MID_TONES: f32 = 0.25;
const INK_SHARE: (f32, f32) = (0.002, 0.5);

/// Largest page image, in pixels: a tabloid page at 400 dpi. Bigger pages (maps,
/// engineering drawings) are read at a lower resolution.
const MAX_PAGE_PIXELS: f32 = 40_000_000.0;

/// What OCR needs of one page: its images, where they stand, and how it is turned.
#[derive(Debug, Clone)]
pub struct PageScan {
    /// 1-based page number.
    pub number: u32,
    /// The visible area `[x0 y0 x1 y1]` in default user space (CropBox, else MediaBox).
    pub area: [f32; 4],
    /// `/Rotate`: degrees clockwise, a multiple of 90.
    pub rotate: i32,
    /// Each image with the matrix that maps the unit square onto the page.
    pub images: Vec<(ImageSource, Matrix)>,
    /// Why the page is read.
    pub reason: Reason,
    /// Set when the page's words are in what it draws rather than in its images:
    /// the page is rendered instead of composed.
    pub renderer: Option<Arc<Renderer>>,
    /// How OCR lines take their place beside the text layer; `None` on turned pages,
    /// where they follow it.
    pub order: Option<LineOrder>,
}

/// Where the page's text layer begins and where the OCR'd picture stands, both as
/// shares of the page's height from its top: an OCR line at `top` (a share of the
/// picture's height) stands at `offset + scale * top` on the page, and goes before the
/// text layer when that is above `layer_top`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineOrder {
    pub layer_top: f32,
    pub offset: f32,
    pub scale: f32,
}

/// The share of `area` that images drawn with `matrices` cover (overlaps counted
/// twice, capped at 1), from each image's bounding box.
pub fn coverage(area: [f32; 4], matrices: impl Iterator<Item = Matrix>) -> f32 {
    let page = (area[2] - area[0]) * (area[3] - area[1]);
    if page <= 0.0 {
        return 0.0;
    }
    let covered: f32 = matrices
        .map(|matrix| {
            let [x0, y0, x1, y1] = matrix.bounds(UNIT_SQUARE);
            let width = (x1.min(area[2]) - x0.max(area[0])).max(0.0);
            let height = (y1.min(area[3]) - y0.max(area[1])).max(0.0);
            width * height
        })
        .sum();
    (covered / page).min(1.0)
}

/// A page image and its resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageImage {
    pub gray: Gray,
    pub dpi: u32,
}

impl PageScan {
    /// The picture OCR reads: the page rendered when it has a renderer, else its
    /// images composed. `None` when images read for their words on a page with a text
    /// layer turn out to be photographs, not pictures of type: nothing to read.
    pub fn image(&self, timeout: Option<Duration>) -> Result<Option<PageImage>, String> {
        let image = match &self.renderer {
            Some(renderer) => renderer.page(self.number, timeout)?,
            None => self.render()?,
        };
        let worth_reading = self.reason != Reason::ImageText || like_type(&image.gray);
        Ok(worth_reading.then_some(image))
    }

    /// Decodes the images and composes them into one upright gray page image. Images
    /// that cannot be decoded are left out; when none can, the first one's reason is
    /// the error.
    pub fn render(&self) -> Result<PageImage, String> {
        let mut decoded = Vec::new();
        let mut first_error = None;
        // All of a page's images are held at once: together they get one image's bound.
        let mut pixels = 0;
        for (source, matrix) in &self.images {
            pixels += u64::from(source.width) * u64::from(source.height);
            if pixels > MAX_IMAGE_PIXELS {
                first_error.get_or_insert_with(|| "the page's images are too large".to_string());
                break;
            }
            match source.decode() {
                Ok(gray) => decoded.push((source.stencil, gray, *matrix)),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        if decoded.is_empty() {
            return Err(first_error.unwrap_or_else(|| "no image on the page".to_string()));
        }
        let [x0, y0, x1, y1] = self.area;
        let (width_pt, height_pt) = (x1 - x0, y1 - y0);
        let native = decoded
            .iter()
            .map(|(_, gray, matrix)| native_dpi(gray, matrix))
            .fold(0.0, f32::max);
        let largest = (MAX_PAGE_PIXELS / (width_pt * height_pt / (72.0 * 72.0))).sqrt();
        let dpi = native.clamp(MIN_DPI, MAX_DPI).min(largest);
        let scale = dpi / 72.0;
        let mut page = Gray::white(
            (width_pt * scale).round().max(1.0) as u32,
            (height_pt * scale).round().max(1.0) as u32,
        );
        for (stencil, gray, matrix) in &decoded {
            // User space to page-image pixels: y down from the area's top.
            let to_pixels = Matrix([scale, 0.0, 0.0, -scale, -x0 * scale, y1 * scale]);
            let placed = matrix.then(&to_pixels);
            draw(&mut page, gray, *stencil, &placed);
        }
        Ok(PageImage {
            gray: rotate(page, self.rotate),
            dpi: dpi.round() as u32,
        })
    }
}

/// Whether a gray image looks like type on paper rather than a photograph: few
/// mid-tones, and some ink but not mostly ink.
fn like_type(gray: &Gray) -> bool {
    let total = gray.pixels.len().max(1) as f32;
    let mid = gray
        .pixels
        .iter()
        .filter(|&&pixel| (64..192).contains(&pixel))
        .count() as f32;
    let ink = gray.pixels.iter().filter(|&&pixel| pixel < 64).count() as f32;
    mid / total <= MAX_MID_TONES && (INK_SHARE.0..=INK_SHARE.1).contains(&(ink / total))
}

/// Pixels per inch of an image as drawn: its samples over the length of the sides of
/// its placed unit square.
fn native_dpi(gray: &Gray, matrix: &Matrix) -> f32 {
    let [a, b, c, d, ..] = matrix.0;
    let across = a.hypot(b) / 72.0;
    let down = c.hypot(d) / 72.0;
    let dpi = |pixels: u32, inches: f32| {
        if inches > 0.01 {
            pixels as f32 / inches
        } else {
            0.0
        }
    };
    dpi(gray.width, across).max(dpi(gray.height, down))
}

/// Draws `image` through `placed` (unit square to page pixels): every page pixel
/// inside the placed square takes the image's value there (bilinear, so a scan drawn
/// smaller or larger than its samples stays legible), a stencil only darkens.
fn draw(page: &mut Gray, image: &Gray, stencil: bool, placed: &Matrix) {
    let [a, b, c, d, e, f] = placed.0;
    let determinant = a * d - b * c;
    if determinant.abs() < 1e-9 {
        return;
    }
    // Page pixel (x, y) to unit square (u, v), by the inverse matrix.
    let inverse = [
        d / determinant,
        -b / determinant,
        -c / determinant,
        a / determinant,
        (c * f - d * e) / determinant,
        (b * e - a * f) / determinant,
    ];
    let [x0, y0, x1, y1] = placed.bounds(UNIT_SQUARE);
    let columns = (x0.floor().max(0.0) as u32)..(x1.ceil().min(page.width as f32) as u32);
    let rows = (y0.floor().max(0.0) as u32)..(y1.ceil().min(page.height as f32) as u32);
    let (width, height) = (image.width as f32, image.height as f32);
    let page_width = page.width as usize;
    // The image's first row is the top of the unit square (ISO 32000-1 8.9.4).
    let to_column = |u: f32| (0.0..1.0).contains(&u).then_some(u * width - 0.5);
    let to_row = |v: f32| (0.0..1.0).contains(&v).then_some((1.0 - v) * height - 0.5);
    if b.abs() < 1e-6 && c.abs() < 1e-6 {
        // Upright placements (nearly every scan): the image column depends on x alone
        // and its row on y alone, so each is worked out once, with its interpolation
        // weight in 256ths, and the pixels are blended in integers.
        let image_columns: Vec<Option<Tap>> = columns
            .clone()
            .map(|x| to_column((x as f32 + 0.5) * inverse[0] + inverse[4]))
            .map(|column| column.map(|column| Tap::new(column, image.width)))
            .collect();
        let stride = image.width as usize;
        for y in rows {
            let Some(row) = to_row((y as f32 + 0.5) * inverse[3] + inverse[5]) else {
                continue;
            };
            let row = Tap::new(row, image.height);
            let (top, bottom) = (row.first * stride, row.second * stride);
            let line = &mut page.pixels[y as usize * page_width..][..page_width];
            for (x, tap) in columns.clone().zip(&image_columns) {
                let Some(tap) = tap else { continue };
                let pixel = &mut line[x as usize];
                let at = |start: usize, offset: usize| u32::from(image.pixels[start + offset]);
                if stencil {
                    let row_start = if row.weight >= 128 { bottom } else { top };
                    let column = if tap.weight >= 128 {
                        tap.second
                    } else {
                        tap.first
                    };
                    if at(row_start, column) < 128 {
                        *pixel = 0;
                    }
                    continue;
                }
                let blend = |start: usize| {
                    at(start, tap.first) * (256 - tap.weight) + at(start, tap.second) * tap.weight
                };
                let value = blend(top) * (256 - row.weight) + blend(bottom) * row.weight;
                *pixel = ((value + (1 << 15)) >> 16) as u8;
            }
        }
        return;
    }
    let mut put = |x: u32, y: u32, column: f32, row: f32| {
        let pixel = &mut page.pixels[y as usize * page_width + x as usize];
        if !stencil {
            *pixel = bilinear(image, column, row);
        } else if nearest(image, column, row) < 128 {
            *pixel = 0;
        }
    };
    for y in rows {
        for x in columns.clone() {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let u = px * inverse[0] + py * inverse[2] + inverse[4];
            let v = px * inverse[1] + py * inverse[3] + inverse[5];
            if let (Some(column), Some(row)) = (to_column(u), to_row(v)) {
                put(x, y, column, row);
            }
        }
    }
}

/// The two samples either side of a position along one axis of an image, and the
/// second one's weight in 256ths.
struct Tap {
    first: usize,
    second: usize,
    weight: u32,
}

impl Tap {
    fn new(position: f32, length: u32) -> Tap {
        let position = position.clamp(0.0, (length - 1) as f32);
        let first = position as usize;
        Tap {
            first,
            second: (first + 1).min(length as usize - 1),
            weight: ((position - first as f32) * 256.0) as u32,
        }
    }
}

fn nearest(image: &Gray, column: f32, row: f32) -> u8 {
    let x = (column.round().max(0.0) as u32).min(image.width - 1);
    let y = (row.round().max(0.0) as u32).min(image.height - 1);
    image.pixels[y as usize * image.width as usize + x as usize]
}

fn bilinear(image: &Gray, column: f32, row: f32) -> u8 {
    let column = column.clamp(0.0, (image.width - 1) as f32);
    let row = row.clamp(0.0, (image.height - 1) as f32);
    let (x, y) = (column.floor() as usize, row.floor() as usize);
    let (fx, fy) = (column - x as f32, row - y as f32);
    let x1 = (x + 1).min(image.width as usize - 1);
    let y1 = (y + 1).min(image.height as usize - 1);
    let at = |x: usize, y: usize| f32::from(image.pixels[y * image.width as usize + x]);
    let top = at(x, y) * (1.0 - fx) + at(x1, y) * fx;
    let bottom = at(x, y1) * (1.0 - fx) + at(x1, y1) * fx;
    (top * (1.0 - fy) + bottom * fy).round() as u8
}

/// Turns a page image clockwise by `degrees` (a multiple of 90), as a viewer shows a
/// page with that `/Rotate` (ISO 32000-1 7.7.3.3).
pub fn rotate(image: Gray, degrees: i32) -> Gray {
    let (width, height) = (image.width as usize, image.height as usize);
    let at = |x: usize, y: usize| image.pixels[y * width + x];
    match degrees.rem_euclid(360) {
        90 => Gray {
            width: image.height,
            height: image.width,
            pixels: (0..width)
                .flat_map(|y| (0..height).map(move |x| (x, y)))
                .map(|(x, y)| at(y, height - 1 - x))
                .collect(),
        },
        180 => Gray {
            pixels: image.pixels.iter().rev().copied().collect(),
            ..image
        },
        270 => Gray {
            width: image.height,
            height: image.width,
            pixels: (0..width)
                .flat_map(|y| (0..height).map(move |x| (x, y)))
                .map(|(x, y)| at(width - 1 - y, x))
                .collect(),
        },
        _ => image,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gray(width: u32, height: u32, pixels: &[u8]) -> Gray {
        Gray {
            width,
            height,
            pixels: pixels.to_vec(),
        }
    }

    #[test]
    fn quarter_turns_put_the_top_left_pixel_where_a_viewer_shows_it() {
        // 2 wide, 3 high; the mark 0 is at the top left.
        let image = gray(2, 3, &[0, 1, 2, 3, 4, 5]);
        let turned = rotate(image.clone(), 90);
        assert_eq!((turned.width, turned.height), (3, 2));
        // Clockwise: the left column, read bottom to top, becomes the top row.
        assert_eq!(turned.pixels, [4, 2, 0, 5, 3, 1]);
        assert_eq!(rotate(image.clone(), 180).pixels, [5, 4, 3, 2, 1, 0]);
        assert_eq!(rotate(image.clone(), 270).pixels, [1, 3, 5, 0, 2, 4]);
        assert_eq!(rotate(rotate(image.clone(), 90), 270), image);
        assert_eq!(rotate(image.clone(), -90), rotate(image, 270));
    }

    #[test]
    fn coverage_counts_images_over_the_page_only() {
        let area = [0.0, 0.0, 100.0, 200.0];
        let full = Matrix([100.0, 0.0, 0.0, 200.0, 0.0, 0.0]);
        assert_eq!(coverage(area, [full].into_iter()), 1.0);
        let top_half = Matrix([100.0, 0.0, 0.0, 100.0, 0.0, 100.0]);
        let bottom_half = Matrix([100.0, 0.0, 0.0, 100.0, 0.0, 0.0]);
        assert_eq!(coverage(area, [top_half, bottom_half].into_iter()), 1.0);
        let logo = Matrix([10.0, 0.0, 0.0, 10.0, 0.0, 0.0]);
        assert!(coverage(area, [logo].into_iter()) < 0.01);
        let off_page = Matrix([100.0, 0.0, 0.0, 100.0, 500.0, 500.0]);
        assert_eq!(coverage(area, [off_page].into_iter()), 0.0);
    }

    #[test]
    fn an_image_drawn_upside_down_by_its_matrix_is_drawn_upright_after_it() {
        // A 1x2 image (black over white) drawn with a matrix that flips it vertically.
        let image = gray(1, 2, &[0, 255]);
        let mut page = Gray::white(1, 2);
        draw(
            &mut page,
            &image,
            false,
            &Matrix([1.0, 0.0, 0.0, 2.0, 0.0, 0.0]),
        );
        assert_eq!(
            page.pixels,
            [255, 0],
            "y up in the unit square: row 0 at the bottom"
        );
        let mut page = Gray::white(1, 2);
        draw(
            &mut page,
            &image,
            false,
            &Matrix([1.0, 0.0, 0.0, -2.0, 0.0, 2.0]),
        );
        assert_eq!(page.pixels, [0, 255]);
    }

    #[test]
    fn an_image_drawn_turned_a_quarter_is_sampled_along_its_turned_axes() {
        // A 2x1 image (black, white) whose width runs down the page.
        let image = gray(2, 1, &[0, 255]);
        let mut page = Gray::white(1, 2);
        draw(
            &mut page,
            &image,
            false,
            &Matrix([0.0, 2.0, 1.0, 0.0, 0.0, 0.0]),
        );
        assert_eq!(page.pixels, [0, 255]);
        let mut page = Gray::white(1, 2);
        draw(
            &mut page,
            &image,
            true,
            &Matrix([0.0, 2.0, 1.0, 0.0, 0.0, 0.0]),
        );
        assert_eq!(page.pixels, [0, 255], "a stencil turned the same way");
    }

    #[test]
    fn a_stencil_paints_only_its_marks() {
        let mask = gray(2, 1, &[0, 255]);
        let mut page = gray(2, 1, &[200, 200]);
        draw(
            &mut page,
            &mask,
            true,
            &Matrix([2.0, 0.0, 0.0, -1.0, 0.0, 1.0]),
        );
        assert_eq!(page.pixels, [0, 200]);
    }
}
