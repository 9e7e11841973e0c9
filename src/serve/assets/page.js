// The page view: one page's image with the query's matches boxed on it, its text
// (matches marked) and its entities beside it, and the pages before and after it
// a click or an arrow key away. The address is documents/DOC_ID/pages/N?q=QUERY.
"use strict";

const [, docId, pageText] = location.pathname.match(/documents\/([0-9a-f]{64})\/pages\/(\d+)$/) || [];
const pageNumber = Number(pageText);
const query = new URLSearchParams(location.search).get("q") || "";

/** Sets a step link to page `page`, or disables it when there is none. */
function step(id, page, count) {
  const link = document.getElementById(id);
  if (page >= 1 && page <= count) {
    link.href = pageLink(docId, page, query);
    link.removeAttribute("aria-disabled");
  } else {
    link.removeAttribute("href");
    link.setAttribute("aria-disabled", "true");
  }
}

/** The image, drawn for the width it is shown at, with the boxes laid over it. */
function showImage(view) {
  const image = document.getElementById("image");
  const sheet = document.getElementById("sheet");
  const width = Math.round(sheet.clientWidth * (window.devicePixelRatio || 1));
  const note = document.getElementById("image-note");
  image.alt = `Page ${view.page} of ${fileName(view.path)}`;
  image.onerror = () => {
    sheet.classList.add("no-image");
    note.textContent = "The page's image could not be drawn (is the original still where it was indexed?).";
  };
  image.onload = () => sheet.classList.add("loaded");
  image.src = `${ROOT}documents/${docId}/pages/${view.page}/image?width=${width}`;
  const boxes = document.getElementById("boxes");
  boxes.replaceChildren(...view.boxes.map(([left, top, right, bottom]) => {
    const box = element("div", "hit-box");
    // Shares of the page, so the boxes follow the image at any size.
    box.style.left = `${left * 100}%`;
    box.style.top = `${top * 100}%`;
    box.style.width = `${(right - left) * 100}%`;
    box.style.height = `${(bottom - top) * 100}%`;
    return box;
  }));
}

function showText(view) {
  const text = document.getElementById("text");
  text.replaceChildren(...view.pieces.map((piece) => piece.hit
    ? element("mark", null, piece.text)
    : document.createTextNode(piece.text)));
  const hits = view.pieces.filter((piece) => piece.hit).length;
  document.getElementById("found").textContent = !query
    ? ""
    : hits === 0
      ? "The query's words are not in this page's text (it matched a filter or the title)."
      : `${hits} match${hits === 1 ? "" : "es"} of the query on this page` +
        (view.unplaced > 0 ? ` (${view.unplaced} not placed on the image)` : "");
}

function showEntities(view) {
  const list = document.getElementById("entities");
  const seen = new Set();
  const items = [];
  for (const entity of view.entities) {
    const value = entity.normalized || entity.text;
    const key = `${entity.kind}\u0000${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item = element("li");
    item.append(element("span", "kind", entity.kind));
    const link = element("a", null, entity.text);
    link.href = appLink({ q: facetClause(entity.kind, value) });
    link.title = `Pages with ${facetClause(entity.kind, value)}`;
    item.append(link);
    items.push(item);
  }
  list.replaceChildren(...(items.length ? items : [element("li", "muted", "None found.")]));
}

async function show() {
  document.getElementById("q").value = query;
  let view;
  try {
    view = await api(`api/documents/${docId}/pages/${pageNumber}`, query ? { q: query } : {});
  } catch (error) {
    showError(document.querySelector(".page-main"), error);
    return;
  }
  document.title = `${fileName(view.path)} · page ${view.page} · foia`;
  document.getElementById("title").textContent = view.title || fileName(view.path);
  document.getElementById("where").textContent =
    `${view.path} · page ${view.page} of ${view.page_count}` +
    (view.ocr_confidence !== null && view.ocr_confidence !== undefined
      ? ` · text read by OCR (${Math.round(view.ocr_confidence)}%)`
      : "");
  document.getElementById("original").href = fileLink(docId, view.page);
  step("previous", view.page - 1, view.page_count);
  step("next", view.page + 1, view.page_count);
  showImage(view);
  showText(view);
  showEntities(view);
}

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea") || event.altKey || event.ctrlKey || event.metaKey) return;
  const id = event.key === "ArrowLeft" ? "previous" : event.key === "ArrowRight" ? "next" : null;
  const link = id && document.getElementById(id);
  if (link && link.href) {
    event.preventDefault();
    location.assign(link.href);
  }
});
document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const next = document.getElementById("q").value.trim();
  if (next) location.assign(appLink({ q: next }));
});
show();
