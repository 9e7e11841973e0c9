#!/usr/bin/env bash
# Regenerates corpus/drawn/*.pdf: pages whose visible words are not all in a usable text
# layer, one per class that `foia` reads from the page's picture, written by
# examples/make_drawn_pdf.rs from the specs in src/:
#   outlined-invoice.pdf  a records invoice whose printed labels are glyph outlines and
#                         whose filled-in values are text;
#   unmapped-order.pdf    a court order set in a font that maps its codes to nothing
#                         (no ToUnicode, the font's cmap and glyph names renamed) under
#                         a stamped header that is real text;
#   letterhead-letter.pdf a born-digital letter whose letterhead, naming the agency, is
#                         an image;
#   stamped-scan-order.pdf a scanned court order (CCITT group 4, skewed, noisy) with the
#                         court's filing header stamped on it as one line of text.
# The true text of each page (what a reader sees) is written beside it as *.truth.txt:
# poppler's text of the page drawn all in real text, before its words were made shapes.
# Needs: poppler-utils, imagemagick, fonts-liberation.
set -euo pipefail
cd "$(dirname "$0")"
font=/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd ../.. && cargo build --quiet --release --example make_drawn_pdf)
draw=../../target/release/examples/make_drawn_pdf

# truth SPEC NAME: the spec with every word as real text, read back by poppler.
truth() {
  sed -E 's/^(outline|unmapped) /text /' "$1" | grep -v '^image ' > "$work/$2.text.spec"
  "$draw" "$font" "$work/$2.text.pdf" "$work/$2.text.spec"
  pdftotext -layout "$work/$2.text.pdf" - | sed 's/^ *//' > "$2.truth.txt"
}

"$draw" "$font" outlined-invoice.pdf src/outlined-invoice.spec
truth src/outlined-invoice.spec outlined-invoice
"$draw" "$font" unmapped-order.pdf src/unmapped-order.spec
truth src/unmapped-order.spec unmapped-order

# The letterhead: two lines drawn large, rendered at 200 dpi and cropped to their band (8.5 to 1,
# drawn 468 x 55 points).
"$draw" "$font" "$work/letterhead.pdf" src/letterhead.spec
pdftoppm -gray -r 200 -x 0 -y 50 -W 1700 -H 200 -singlefile "$work/letterhead.pdf" "$work/letterhead"
sed "s|letterhead.pgm|$work/letterhead.pgm|" src/letterhead-letter.spec > "$work/letter.spec"
"$draw" "$font" letterhead-letter.pdf "$work/letter.spec"
cat src/letterhead.spec src/letterhead-letter.spec > "$work/letter-all.spec"
truth "$work/letter-all.spec" letterhead-letter

# The order printed, scanned back in black and white, and stamped by the court.
"$draw" "$font" "$work/order.pdf" src/court-order.spec
pdftoppm -gray -r 300 -singlefile "$work/order.pdf" "$work/order"
size=$(identify -format '%wx%h' "$work/order.pgm")
convert "$work/order.pgm" -background white -rotate 0.7 -gravity center -extent "$size" \
  -attenuate 0.3 +noise Gaussian -threshold 55% -depth 8 "pgm:$work/order.pgm"
{
  echo "image 0 0 612 792 g4 $work/order.pgm"
  echo "text 72 770 9 Case 3:23-cv-00954-HPQ Document 31 Filed 02/06/25 Page 1 of 1"
} > "$work/stamped.spec"
"$draw" "$font" stamped-scan-order.pdf "$work/stamped.spec"
{
  echo "text 72 770 9 Case 3:23-cv-00954-HPQ Document 31 Filed 02/06/25 Page 1 of 1"
  cat src/court-order.spec
} > "$work/stamped-all.spec"
truth "$work/stamped-all.spec" stamped-scan-order

ls -1 ./*.pdf | wc -l | xargs printf '%s drawn PDFs written\n'
