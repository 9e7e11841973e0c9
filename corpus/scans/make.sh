#!/usr/bin/env bash
# Regenerates corpus/scans/*.pdf: our own pages printed and scanned back, the way
# released records arrive. Each page is rendered (pdftoppm), degraded (ImageMagick:
# a few degrees of skew, noise, lower resolution, black and white), and wrapped back
# into a PDF with no text layer by examples/make_scan_pdf.rs, which stores the page as
# JPEG, CCITT group 4 or Flate, sideways with /Rotate 90, or in strips. The true text
# of every page (poppler's text of the page it was made from) is written beside each
# PDF as *.truth.txt, pages separated by form feeds; tests/ocr.rs scores OCR against it.
# Needs: poppler-utils, imagemagick, groff, ghostscript.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd ../.. && cargo build --quiet --release --example make_scan_pdf)
wrap=../../target/release/examples/make_scan_pdf

# render SOURCE.pdf PAGE DPI NAME: an 8-bit gray PGM of one page, and its true text.
render() {
  pdftoppm -gray -r "$3" -f "$2" -l "$2" "$1" "$work/$4"
  mv "$work/$4"-*.pgm "$work/$4.pgm"
  pdftotext -f "$2" -l "$2" "$1" "$work/$4.txt"
}
# skew NAME DEGREES [quiet]: turned by DEGREES, cut back to its size, with scanner
# noise unless quiet (noise makes Flate-coded pages large).
skew() {
  local size noise=(-attenuate 0.3 +noise Gaussian)
  size=$(identify -format '%wx%h' "$work/$1.pgm")
  [ "${3:-}" = quiet ] && noise=()
  convert "$work/$1.pgm" -background white -rotate "$2" -gravity center -extent "$size" \
    "${noise[@]}" -depth 8 "pgm:$work/$1.pgm"
}

# A letter at 200 dpi, skewed 1.5 degrees, noisy, stored as a grainy JPEG.
render ../foia-response-letter.pdf 1 200 letter
skew letter 1.5
convert "$work/letter.pgm" -quality 55 "$work/letter.jpg"
"$wrap" scan-foia-response-letter.pdf "jpeg:$work/letter.jpg:dpi=200"
cp "$work/letter.txt" scan-foia-response-letter.truth.txt

# An invoice in black and white (CCITT group 4), 300 dpi, skewed the other way.
render ../invoice.pdf 1 300 invoice
skew invoice -0.8
convert "$work/invoice.pgm" -threshold 60% -depth 8 "pgm:$work/invoice.pgm"
"$wrap" scan-invoice.pdf "g4:$work/invoice.pgm"
cp "$work/invoice.txt" scan-invoice.truth.txt

# Two pages: the first fed sideways (stored turned, shown upright by /Rotate 90), the
# second written as four strips, as some scanners do.
render ../sheriff-press-release.pdf 1 300 release
convert "$work/release.pgm" -rotate -90 -depth 8 "pgm:$work/release-sideways.pgm"
render ../contract-award.pdf 1 300 award
skew award 0.6 quiet
"$wrap" scan-two-pages.pdf "flate:$work/release-sideways.pgm:rotate=90" "flate:$work/award.pgm:strips=4"
cat "$work/release.txt" "$work/award.txt" > scan-two-pages.truth.txt

# A police incident report that exists only as a scan: its words are searchable only
# through OCR.
groff -ms -Tps src/incident-report.ms | ps2pdf - "$work/incident.pdf"
render "$work/incident.pdf" 1 300 incident
skew incident -1.2
convert "$work/incident.pgm" -quality 70 "$work/incident.jpg"
"$wrap" scan-incident-report.pdf "jpeg:$work/incident.jpg"
cp "$work/incident.txt" scan-incident-report.truth.txt

ls -1 ./*.pdf | wc -l | xargs printf '%s scanned PDFs written\n'
