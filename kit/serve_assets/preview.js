// Turn the server's states (server-sent events) into the preview page: outputs by session and kind,
// page thumbnails, errors with their lines, warnings, and a viewer. Only the images whose file
// changed are asked for again: an unchanged thumbnail keeps its <img> element, moved, not reloaded.
"use strict";

const $ = (id) => document.getElementById(id);
let state = null;
const images = new Map();      // "file|page" → <img>, kept across states
let viewing = null;            // {file, page, pages, name} while the viewer is open
const SHOWN_PAGES = 8;         // thumbnails per file in the list; the viewer shows them all

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function thumbUrl(file, page, size) {
  const path = file.path.split("/").map(encodeURIComponent).join("/");
  return `/thumbs/${path}?page=${page}&size=${size}&v=${file.v}`;
}

function thumbnail(file, page, name) {
  const key = `${file.path}|${page}`;
  const src = thumbUrl(file, page, "small");
  let img = images.get(key);
  if (!img) {
    img = el("img", { loading: "lazy", alt: `${name} — ${state.words.page} ${page}`,
                      "data-file": file.path, "data-page": String(page) });
    images.set(key, img);
  }
  if (img.getAttribute("src") !== src) img.setAttribute("src", src);
  return img;
}

function outputCard(output, changed) {
  const words = state.words;
  const card = el("article", { class: "output", "data-path": output.path });
  if (output.files.some((f) => changed.has(f.path))) card.classList.add("fresh");
  const first = output.files[0];
  const name = output.path.split("/").pop();
  const total = output.files.reduce((n, f) => n + f.pages, 0);
  const link = el("a", { href: first ? first.url : "#", target: "_blank", rel: "noopener", text: name,
                         title: words.open });
  const count = total ? el("span", { class: "count", text: `${total} ${total > 1 ? words.pages : words.page}` }) : null;
  card.append(el("header", {}, link, count));
  const strip = el("div", { class: "pages" });
  for (const file of output.files) {
    if (!file.pages) {
      strip.append(el("a", { class: "page file", href: file.url, text: file.path.split("/").pop() }));
      continue;
    }
    const label = file.path.split("/").pop();
    for (let page = 1; page <= Math.min(file.pages, SHOWN_PAGES); page++) {
      const button = el("button", { class: "page", type: "button", title: `${label} — ${words.page} ${page}` },
                        thumbnail(file, page, label));
      button.addEventListener("click", () => openViewer(file, page));
      strip.append(button);
    }
    if (file.pages > SHOWN_PAGES) {
      const more = el("button", { class: "page more", type: "button",
                                  text: words.more.replace("{count}", file.pages - SHOWN_PAGES) });
      more.addEventListener("click", () => openViewer(file, SHOWN_PAGES + 1));
      strip.append(more);
    }
  }
  card.append(strip);
  return card;
}

function renderOutputs() {
  const changed = new Set(state.changed);
  const main = $("outputs");
  const groups = state.groups.map((group) => {
    const section = el("section", { class: "group", "data-group": group.id }, el("h2", { text: group.title }));
    for (const kind of group.kinds) {
      const block = el("div", { class: "kind", "data-kind": kind.kind }, el("h3", { text: kind.label }));
      const cards = el("div", { class: "cards" });
      for (const output of kind.outputs) cards.append(outputCard(output, changed));
      block.append(cards);
      section.append(block);
    }
    return section;
  });
  main.replaceChildren(...groups);
  const used = new Set([...main.querySelectorAll("img[data-file]")].map((i) => `${i.dataset.file}|${i.dataset.page}`));
  for (const key of [...images.keys()]) if (!used.has(key)) images.delete(key);
}

function renderErrors() {
  const list = $("errors");
  list.replaceChildren(...state.errors.map((error) => {
    const item = el("li", { class: "error" },
      el("p", {}, error.where ? el("code", { class: "where", text: error.where }) : null,
         el("span", { class: "message", text: error.message })));
    if (error.lines.length) {
      const pre = el("pre", { class: "lines" });
      for (const line of error.lines) {
        pre.append(el("span", { class: line.hit ? "line hit" : "line" },
                      el("span", { class: "n", text: String(line.n) }), el("span", { text: line.text || " " })));
      }
      item.append(pre);
    }
    return item;
  }));
  $("problems").hidden = state.errors.length === 0;
  $("warnings").replaceChildren(...state.warnings.map((w) => el("li", { text: w })));
  $("notices").hidden = state.warnings.length === 0;
}

function render(next) {
  // Errors just appeared: bring them into view (the page may be scrolled down to an output).
  const newErrors = next.errors.length > 0 && (!state || JSON.stringify(state.errors) !== JSON.stringify(next.errors));
  state = next;
  const words = state.words;
  document.documentElement.lang = state.language;
  document.title = `${state.title} — ${words.title}`;
  $("title").textContent = state.title;
  const status = $("status");
  status.dataset.status = state.status;
  status.textContent = words[state.status];
  $("change").textContent = state.status === "missing" ? words["missing.detail"].replace("{root}", state.root)
                                                      : state.change;
  $("errors-title").textContent = words.errors;
  $("warnings-title").textContent = words.warnings;
  document.body.classList.toggle("stale", state.stale);
  $("stale-note").hidden = !state.stale;
  $("stale-note").textContent = words["stale.detail"];
  renderErrors();
  renderOutputs();
  refreshViewer();
  if (newErrors) $("problems").scrollIntoView({ block: "start" });
}

// -- the viewer: one page at a readable size, previous / next ----------------------------------

function findFile(path) {
  for (const group of state.groups) for (const kind of group.kinds)
    for (const output of kind.outputs) for (const file of output.files) if (file.path === path) return file;
  return null;
}

function openViewer(file, page) {
  viewing = { path: file.path, page };
  $("viewer").hidden = false;
  refreshViewer();
}

function closeViewer() {
  viewing = null;
  $("viewer").hidden = true;
  $("viewer-image").removeAttribute("src");
}

function turn(step) {
  if (!viewing) return;
  const file = findFile(viewing.path);
  if (!file) return;
  viewing.page = Math.min(Math.max(1, viewing.page + step), file.pages);
  refreshViewer();
}

function refreshViewer() {
  if (!viewing) return;
  const file = findFile(viewing.path);
  if (!file) { closeViewer(); return; }
  const words = state.words;
  viewing.page = Math.min(viewing.page, file.pages);
  $("viewer-name").textContent = file.path;
  $("viewer-page").textContent = `${viewing.page} / ${file.pages}`;
  $("viewer-prev").disabled = viewing.page <= 1;
  $("viewer-next").disabled = viewing.page >= file.pages;
  $("viewer-prev").title = words.previous;
  $("viewer-next").title = words.next;
  $("viewer-close").title = words.close;
  $("viewer-open").textContent = words.open;
  $("viewer-open").href = file.url;
  const src = thumbUrl(file, viewing.page, "large");
  const image = $("viewer-image");
  if (image.getAttribute("src") !== src) image.setAttribute("src", src);
  image.alt = `${file.path} — ${words.page} ${viewing.page}`;
}

$("viewer-prev").addEventListener("click", () => turn(-1));
$("viewer-next").addEventListener("click", () => turn(1));
$("viewer-close").addEventListener("click", closeViewer);
$("viewer").addEventListener("click", (event) => { if (event.target === $("viewer")) closeViewer(); });
document.addEventListener("keydown", (event) => {
  if (!viewing) return;
  if (event.key === "ArrowLeft" || event.key === "PageUp") turn(-1);
  else if (event.key === "ArrowRight" || event.key === "PageDown") turn(1);
  else if (event.key === "Escape") closeViewer();
});

// -- the live link -----------------------------------------------------------------------------

const source = new EventSource("/events");
source.addEventListener("state", (event) => render(JSON.parse(event.data)));
source.addEventListener("error", () => {
  if (!state) return;
  const status = $("status");
  status.dataset.status = "disconnected";
  status.textContent = state.words.disconnected;
});
