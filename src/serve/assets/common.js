// What the search page and the page view share. Every piece of document text
// reaches a page through textContent, never as HTML, so a PDF that contains markup
// shows it as text.
"use strict";

// The way back to the server's root from the page that loaded this script: the page
// view sits three folders down (documents/ID/pages/N). Relative, so the app also
// works behind a proxy that serves it under a prefix.
const ROOT = document.documentElement.dataset.root || "";

const KINDS = ["agency", "vendor", "money", "date", "exemption", "contract", "person", "email", "phone"];
const KIND_LABELS = {
  agency: "Agencies", vendor: "Vendors", money: "Amounts", date: "Dates", exemption: "Exemptions",
  contract: "Contract & case numbers", person: "People", email: "E-mail", phone: "Phones",
};


/** An element with optional class and text. */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** GET an API path. */
async function api(path, query) {
  const url = new URL(ROOT + path, location.href);
  for (const [key, value] of Object.entries(query || {})) url.searchParams.set(key, value);
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

/** A link into the app. */
function appLink(query) {
  return `${ROOT}?${new URLSearchParams(query)}`;
}

/** The original PDF, opened at a page by the browser's viewer. */
function fileLink(docId, page) {
  return `${ROOT}files/${encodeURIComponent(docId)}#page=${page}`;
}

/** The page view of a page, with the query's matches boxed. */
function pageLink(docId, page, query) {
  const search = query ? `?${new URLSearchParams({ q: query })}` : "";
  return `${ROOT}documents/${encodeURIComponent(docId)}/pages/${page}${search}`;
}

/** The query clause that filters on one facet value. */
function facetClause(kind, value) {
  if (kind === "money") return `amount:${Number(value) / 100}`;
  if (kind === "date") return `date:${value}`;
  return `${kind}:"${value.replace(/"/g, "")}"`;
}

function dollars(cents) {
  return (Number(cents) / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });
}

function shownValue(kind, value) {
  return kind === "money" ? dollars(value) : value;
}

function fileName(path) {
  return path.split("/").pop();
}

function showError(container, error) {
  container.replaceChildren(element("div", "error", error.message));
}
