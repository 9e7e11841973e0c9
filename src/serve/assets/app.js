// foia's search page (common.js, loaded before it, has the helpers it shares with
// the page view). The server's token travels in an HttpOnly cookie it set when the
// page was first opened, so nothing here sees or passes it on.
"use strict";

const PAGE_SIZE = 20;

/** The snippet with its highlighted byte ranges wrapped in <mark>. */
function snippetNode(snippet, highlights) {
  const paragraph = element("p", "snippet");
  const bytes = new TextEncoder().encode(snippet);
  const decoder = new TextDecoder();
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > bytes.length) continue;
    paragraph.append(decoder.decode(bytes.slice(at, start)));
    paragraph.append(element("mark", null, decoder.decode(bytes.slice(start, end))));
    at = end;
  }
  paragraph.append(decoder.decode(bytes.slice(at)));
  return paragraph;
}

async function runSearch(query, offset) {
  const results = document.getElementById("results");
  const facets = document.getElementById("facets");
  results.replaceChildren(element("p", "muted", "Searching…"));
  let body;
  try {
    body = await api("api/search", { q: query, limit: PAGE_SIZE, offset, facets: "true" });
  } catch (error) {
    facets.replaceChildren();
    showError(results, error);
    return;
  }
  renderFacets(facets, query, body.facets || {});
  const list = [element("div", "overview")];
  showOverview(list[0], query);
  const shown = body.hits.length;
  // Near-identical pages are folded under one hit: then both counts are told.
  const hits = body.folded_total;
  list.push(element("p", "summary", !shown
    ? `No page matches (${body.total} in all).`
    : hits < body.total
      ? `${offset + 1}–${offset + shown} of ${hits} (${body.total} matching pages, near-identical ones folded)`
      : `${offset + 1}–${offset + shown} of ${body.total} matching pages`));
  for (const hit of body.hits) {
    const card = element("article", "hit");
    const heading = element("h2");
    // The title opens the page view, the hit boxed on the page's image; the
    // original PDF is a click further.
    const link = element("a", "page-link", hit.title || fileName(hit.path));
    link.href = pageLink(hit.doc_id, hit.page, query);
    heading.append(link);
    const original = element("a", "original", "PDF");
    original.href = fileLink(hit.doc_id, hit.page);
    original.target = "_blank";
    original.rel = "noopener";
    original.title = "The original PDF at this page";
    heading.append(original);
    if (hit.ocr_confidence !== undefined && hit.ocr_confidence !== null) {
      // A page whose text layer OCR added to says so, and why (a stamped scan, a
      // font without a mapping...).
      const label = hit.text_source === "mixed"
        ? `text + OCR ${Math.round(hit.ocr_confidence)}% · ${hit.reason}`
        : `OCR ${Math.round(hit.ocr_confidence)}%`;
      const badge = element("span", "badge", label);
      if (hit.reason) {
        badge.title = `read from the page's picture: ${hit.reason}`;
      }
      heading.append(badge);
    }
    const found = hit.redactions;
    if (found && found.bad.length > 0) {
      const badge = element("span", "badge bad", found.bad.length === 1
        ? "bad redaction"
        : `${found.bad.length} bad redactions`);
      badge.title = "Words under a box on this page are still in the file";
      heading.append(badge);
    } else if (found && found.boxes > 0) {
      heading.append(element("span", "badge redacted", `${found.boxes} redacted`));
    }
    card.append(heading);
    card.append(element("div", "where", `${hit.path} · page ${hit.page} of ${hit.page_count}`));
    card.append(snippetNode(hit.snippet, hit.highlights));
    if (found && (found.bad.length > 0 || found.boxes > 0)) {
      card.append(redactionView(found));
    }
    if (hit.near_identical_count > 0) {
      card.append(nearView(hit.near_identical, hit.near_identical_count, query));
    }
    list.push(card);
  }
  const pager = element("div", "pager");
  const previous = element("button", null, "← Previous");
  previous.disabled = offset === 0;
  previous.onclick = () => navigate({ q: query, offset: Math.max(0, offset - PAGE_SIZE) });
  const next = element("button", null, "Next →");
  next.disabled = offset + shown >= hits;
  next.onclick = () => navigate({ q: query, offset: offset + PAGE_SIZE });
  pager.append(previous, next);
  if (hits > shown) list.push(pager);
  results.replaceChildren(...list);
}

// When and how much: the matching pages by month of their dates, and their amounts
// by vendor and by agency, each bar a filter. Loaded beside the hits, so a slow
// breakdown never holds up the results.
async function showOverview(container, query) {
  const [timeline, money] = await Promise.all([
    api("api/timeline", { q: query }).catch(() => null),
    api("api/money", { q: query }).catch(() => null),
  ]);
  const parts = [];
  if (timeline && timeline.months.length > 0) parts.push(timelineView(timeline.months, query));
  if (money) {
    for (const [kind, bars, title] of [["vendor", money.by_vendor, "Amounts by vendor"], ["agency", money.by_agency, "Amounts by agency"]]) {
      if (bars.length > 0) parts.push(moneyView(kind, bars, title, query));
    }
  }
  container.replaceChildren(...parts);
}

/** Every month from the first to the last (gaps shown as gaps), or, over twenty
 * years, only the months with pages. */
function monthRange(months) {
  const counts = new Map(months.map(({ month, pages }) => [month, pages]));
  const [firstYear, firstMonth] = months[0].month.split("-").map(Number);
  const [lastYear, lastMonth] = months[months.length - 1].month.split("-").map(Number);
  const span = (lastYear - firstYear) * 12 + lastMonth - firstMonth + 1;
  if (span > 240) return months;
  const all = [];
  for (let index = 0; index < span; index += 1) {
    const year = firstYear + Math.floor((firstMonth - 1 + index) / 12);
    const month = ((firstMonth - 1 + index) % 12) + 1;
    const key = `${year}-${String(month).padStart(2, "0")}`;
    all.push({ month: key, pages: counts.get(key) || 0 });
  }
  return all;
}

function timelineView(months, query) {
  const section = element("section", "timeline");
  section.append(element("h3", null, "Matching pages by the dates on them"));
  const bars = element("div", "months");
  const range = monthRange(months);
  const most = Math.max(...range.map((month) => month.pages));
  for (const { month, pages } of range) {
    const bar = element("button", "month");
    bar.dataset.month = month;
    bar.title = `${month}: ${pages} page${pages === 1 ? "" : "s"}`;
    bar.setAttribute("aria-label", bar.title);
    const fill = element("span", "fill");
    fill.style.height = `${pages ? Math.max(4, (100 * pages) / most) : 0}%`;
    bar.append(fill);
    bar.disabled = pages === 0;
    bar.onclick = () => navigate({ q: `${query} date:${month}`, offset: 0 });
    bars.append(bar);
  }
  section.append(bars);
  const axis = element("div", "axis muted");
  axis.append(element("span", null, range[0].month), element("span", null, range[range.length - 1].month));
  section.append(axis);
  return section;
}

function moneyView(kind, bars, title, query) {
  const section = element("section", "money");
  section.append(element("h3", null, title));
  const most = Math.max(...bars.map((bar) => bar.cents));
  for (const bar of bars) {
    const row = element("button", "money-bar");
    row.dataset.name = bar.name;
    row.title = `${facetClause(kind, bar.name)}: ${bar.pages} page${bar.pages === 1 ? "" : "s"}`;
    row.append(element("span", "name", bar.name));
    const track = element("span", "track");
    const fill = element("span", "fill");
    fill.style.width = `${Math.max(1, (100 * bar.cents) / most)}%`;
    track.append(fill);
    row.append(track, element("span", "amount", dollars(bar.cents)));
    row.onclick = () => navigate({ q: `${query} ${facetClause(kind, bar.name)}`, offset: 0 });
    section.append(row);
  }
  return section;
}

// The matching pages folded under a hit (`count` of them, the best listed), each a
// link to its page, shown on request.
function nearView(pages, count, query) {
  const details = element("details", "near");
  details.append(element("summary", null, count === 1
    ? "+1 near-identical page"
    : `+${count} near-identical pages`));
  const list = element("ul");
  for (const page of pages) {
    const item = element("li");
    const link = element("a", null, `${fileName(page.path)} · page ${page.page}`);
    link.href = pageLink(page.doc_id, page.page, query);
    link.title = page.path;
    item.append(link);
    list.append(item);
  }
  if (count > pages.length) {
    list.append(element("li", "muted", `and ${count - pages.length} more`));
  }
  details.append(list);
  return details;
}

// The page drawn to scale with its redactions: proper boxes filled, bad ones outlined
// in red and numbered, and the words each bad one fails to hide listed as text.
function redactionView(found) {
  const view = element("details", "redactions");
  // Recovered words are what a reporter came for: shown without a click.
  view.open = found.bad.length > 0;
  const labels = Object.entries(found.labels || {}).map(([code, count]) => `${code} ×${count}`);
  view.append(element("summary", null, found.bad.length > 0
    ? `Recovered words under ${found.bad.length} bad redaction${found.bad.length === 1 ? "" : "s"}`
    : `${found.boxes} redaction${found.boxes === 1 ? "" : "s"}${labels.length ? ` (${labels.join(", ")})` : ""}`));
  const [x0, y0, x1, y1] = found.area;
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", `0 0 ${x1 - x0} ${y1 - y0}`);
  svg.setAttribute("class", "page-map");
  const rect = (box, className) => {
    const shape = document.createElementNS(svgNs, "rect");
    shape.setAttribute("x", box[0] - x0);
    shape.setAttribute("y", y1 - box[3]);
    shape.setAttribute("width", Math.max(1, box[2] - box[0]));
    shape.setAttribute("height", Math.max(1, box[3] - box[1]));
    shape.setAttribute("class", className);
    return shape;
  };
  svg.append(rect([x0, y0, x1, y1], "paper"));
  for (const box of found.rects || []) svg.append(rect(box, "box"));
  found.bad.forEach((finding, index) => {
    svg.append(rect(finding.bbox, "bad"));
    const number = document.createElementNS(svgNs, "text");
    number.setAttribute("x", finding.bbox[2] - x0 + 3);
    number.setAttribute("y", y1 - finding.bbox[1]);
    number.setAttribute("class", "bad-number");
    number.textContent = String(index + 1);
    svg.append(number);
  });
  view.append(svg);
  if (found.bad.length > 0) {
    const list = element("ol", "recovered");
    for (const finding of found.bad) {
      const item = element("li");
      item.append(element("span", "kind", finding.kind), element("span", "words", finding.text));
      list.append(item);
    }
    view.append(list);
  }
  return view;
}

function renderFacets(container, query, facets) {
  const nodes = [];
  for (const kind of KINDS) {
    const values = facets[kind];
    if (!values || values.length === 0) continue;
    nodes.push(element("h3", null, KIND_LABELS[kind]));
    const list = element("ul");
    for (const { value, pages } of values) {
      const clause = facetClause(kind, value);
      const active = query.includes(clause);
      const button = element("button", active ? "facet active" : "facet");
      button.append(element("span", "value", shownValue(kind, value)));
      button.append(element("span", "count", String(pages)));
      button.title = active ? `Remove ${clause}` : `Only pages with ${clause}`;
      button.onclick = () => {
        const next = active
          ? query.replace(clause, "").replace(/\s+/g, " ").trim()
          : `${query} ${clause}`.trim();
        navigate({ q: next || "*", offset: 0 });
      };
      const item = element("li");
      item.append(button);
      list.append(item);
    }
    nodes.push(list);
  }
  container.replaceChildren(...nodes);
}

async function showEntities() {
  const results = document.getElementById("results");
  document.getElementById("facets").replaceChildren();
  results.replaceChildren(element("p", "muted", "Counting entities…"));
  let body;
  try {
    body = await api("api/entities", { top: 15 });
  } catch (error) {
    showError(results, error);
    return;
  }
  const tables = element("div", "entity-tables");
  for (const kind of KINDS) {
    const rows = body.rows.filter((row) => row.kind === kind);
    if (rows.length === 0) continue;
    const section = element("section");
    section.append(element("h2", null, KIND_LABELS[kind]));
    const table = element("table");
    const head = element("tr");
    head.append(element("th", null, "value"), element("th", null, "mentions"), element("th", null, "documents"));
    table.append(head);
    for (const row of rows) {
      const line = element("tr");
      const cell = element("td");
      const link = element("a", null, shownValue(kind, row.value));
      link.href = appLink({ q: facetClause(kind, row.value) });
      cell.append(link);
      line.append(cell, element("td", "number", String(row.occurrences)), element("td", "number", String(row.documents)));
      table.append(line);
    }
    section.append(table);
    tables.append(section);
  }
  results.replaceChildren(element("p", "summary", "Most frequent entities in the index"), tables);
}

async function showStatus() {
  try {
    const status = await api("api/status");
    document.getElementById("index-status").textContent =
      `${status.documents} documents · ${status.pages} pages`;
  } catch (error) {
    document.getElementById("index-status").textContent = error.message;
  }
}

/** Puts the state in the URL (so a search can be shared) and shows it. */
function navigate(state) {
  const query = {};
  if (state.view) query.view = state.view;
  if (state.q) query.q = state.q;
  if (state.offset) query.offset = state.offset;
  history.pushState(null, "", appLink(query));
  route();
}

function route() {
  const current = new URLSearchParams(location.search);
  const query = current.get("q") || "";
  const entitiesView = current.get("view") === "entities";
  document.getElementById("q").value = query;
  document.body.classList.toggle("entities-view", entitiesView);
  if (entitiesView) {
    showEntities();
  } else if (query) {
    runSearch(query, Number(current.get("offset")) || 0);
  }
}

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const query = document.getElementById("q").value.trim();
  if (query) navigate({ q: query, offset: 0 });
});
document.getElementById("entities-link").addEventListener("click", (event) => {
  event.preventDefault();
  navigate({ view: "entities" });
});
document.getElementById("home").href = appLink({});
window.addEventListener("popstate", route);
showStatus();
route();
