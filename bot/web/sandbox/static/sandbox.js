// The sandbox page: draws the chats from the server's events, sends what a person does.
// Plain DOM, no framework; every text goes in through textContent.
"use strict";

const L = JSON.parse(document.getElementById("labels").textContent);
// The panes are the page's sections, in order: a pane added on the server needs nothing here.
const PANES = [...document.querySelectorAll(".pane")].map((root) => root.dataset.pane);
const panes = {};   // pane -> {root, list, empty, messages: Map(id -> element), replyTo, replyBar, textarea}
const LONG_PRESS_MS = 500;
const SWIPE_PX = 60;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function fmt(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));
}

function safeUrl(url) {
  return /^(https?:|tg:)/i.test(url || "") ? url : null;
}

// Telegram's entities (UTF-16 offsets, as JavaScript strings count) -> formatted nodes.
function renderText(text, entities) {
  const out = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const e of entities || []) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const part = text.slice(from, to);
    const active = (entities || []).filter((e) => e.offset <= from && e.offset + e.length >= to);
    if (!active.length) { out.append(part); continue; }
    let node = el("span", { class: active.map((e) => "tg-" + e.type).join(" ") }, part);
    const link = active.find((e) => e.type === "text_link" || e.type === "url");
    const href = link && safeUrl(link.type === "url" ? text.slice(link.offset, link.offset + link.length) : link.url);
    if (href) node = el("a", { href, target: "_blank", rel: "noopener noreferrer" }, node);
    out.append(node);
  }
  return out;
}

function timeOf(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString(document.documentElement.lang || "id",
    { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Jakarta" });
}

function fileNode(file) {
  const url = "/api/files/" + encodeURIComponent(file.file_id);
  if (file.kind === "photo" || file.kind === "sticker") return el("img", { src: url, alt: "" });
  const name = file.name || file.kind;
  return el("div", { class: "file" }, el("span", { class: "icon", "aria-hidden": "true" }, "📄"),
    el("div", {}, el("div", {}, name), el("a", { href: url, download: name }, L.download)));
}

function keyboardNode(pane, m) {
  const board = el("div", { class: "keyboard" });
  m.buttons.forEach((row, r) => {
    const line = el("div", { class: "row" });
    row.forEach((button, c) => {
      if (!button.callback && safeUrl(button.url)) {
        line.append(el("a", { href: button.url, target: "_blank", rel: "noopener noreferrer",
          title: fmt(L.open_link, { url: button.url }) }, button.text));
      } else {
        line.append(el("button", { type: "button", "data-row": String(r), "data-column": String(c),
          onclick: () => post(pane, "press", { message_id: m.id, row: r, column: c }) }, button.text));
      }
    });
    board.append(line);
  });
  return board;
}

function messageNode(pane, m) {
  const mine = !m.from_bot;
  const bubble = el("div", { class: "bubble" });
  if (pane === "group") bubble.append(el("div", { class: "sender" }, m.sender));
  if (m.reply_to) {
    bubble.append(el("div", { class: "quote" }, el("b", {}, m.reply_to.sender), el("span", {}, m.reply_to.text)));
  }
  if (m.deleted) {
    bubble.append(L.deleted);
  } else {
    if (m.file) bubble.append(fileNode(m.file));
    if (m.location) {
      bubble.append(el("span", { class: "location" }, "📍 " + L.location_name,
        el("br"), `${m.location.latitude.toFixed(4)}, ${m.location.longitude.toFixed(4)}`));
    }
    if (m.text) bubble.append(renderText(m.text, m.entities));
  }
  bubble.prepend(el("span", { class: "meta" }, (m.edited ? L.edited + " " : "") + timeOf(m.date)));
  const node = el("div", { class: "msg" + (mine ? " mine" : "") + (m.deleted ? " deleted" : ""),
    "data-id": String(m.id), "data-version": String(m.version), "data-from": m.from_bot ? "bot" : "user" },
  bubble);
  if (!m.deleted && m.buttons.length) node.append(keyboardNode(pane, m));
  if (!m.deleted) {
    node.append(el("div", { class: "actions" }, el("button", { type: "button", class: "reply-btn",
      onclick: () => setReply(pane, m) }, "↩ " + L.reply)));
    touchToReply(pane, node, m);
  }
  return node;
}

// As in Telegram on a phone: a long press shows "Balas", a swipe to the left replies.
function touchToReply(pane, node, m) {
  let start = null;
  let timer = null;
  const showActions = () => {
    for (const other of panes[pane].list.querySelectorAll(".msg.show-actions")) other.classList.remove("show-actions");
    node.classList.add("show-actions");
  };
  node.addEventListener("contextmenu", (event) => {
    if (!matchMedia("(hover: none)").matches) return;
    event.preventDefault();
    showActions();
  });
  node.addEventListener("touchstart", (event) => {
    const touch = event.touches[0];
    start = { x: touch.clientX, y: touch.clientY };
    timer = setTimeout(showActions, LONG_PRESS_MS);
  }, { passive: true });
  node.addEventListener("touchmove", (event) => {
    if (!start) return;
    const touch = event.touches[0];
    const dx = touch.clientX - start.x;
    if (Math.abs(dx) > 10 || Math.abs(touch.clientY - start.y) > 10) clearTimeout(timer);
    if (dx < -SWIPE_PX && Math.abs(touch.clientY - start.y) < SWIPE_PX / 2) {
      start = null;
      setReply(pane, m);
    }
  }, { passive: true });
  node.addEventListener("touchend", () => { clearTimeout(timer); start = null; });
}

// Where the focus was in a message that is being redrawn (an edit): the same button after.
function focusedPlace(old) {
  const active = document.activeElement;
  if (!active || !old.contains(active)) return null;
  if (active.dataset.row !== undefined) return `.keyboard button[data-row="${active.dataset.row}"][data-column="${active.dataset.column}"]`;
  if (active.classList.contains("reply-btn")) return ".reply-btn";
  return "";
}

function restoreFocus(fresh, place) {
  const target = (place && fresh.querySelector(place)) || fresh.querySelector(".keyboard button, .keyboard a");
  if (target) { target.focus(); return; }
  fresh.tabIndex = -1;   // the buttons are gone: the message itself keeps the focus
  fresh.focus();
}

function upsert(m) {
  const p = panes[m.pane];
  const fresh = messageNode(m.pane, m);
  const old = p.messages.get(m.id);
  const atBottom = p.list.scrollHeight - p.list.scrollTop - p.list.clientHeight < 60;
  if (old) {
    const place = focusedPlace(old);
    old.replaceWith(fresh);
    fresh.classList.add("flash");
    if (place !== null) restoreFocus(fresh, place);
  } else {
    p.list.append(fresh);
    markUnread(m.pane);
  }
  p.messages.set(m.id, fresh);
  p.empty.hidden = true;
  if (!old || atBottom) p.list.scrollTop = p.list.scrollHeight;
}

function toast(pane, text, kind) {
  const p = panes[pane] || panes.resident;
  const node = el("div", { class: "toast" + (kind ? " " + kind : ""), role: "status" }, text);
  p.list.append(node);
  p.list.scrollTop = p.list.scrollHeight;
  setTimeout(() => node.remove(), kind === "fail" ? 8000 : 4000);
}

function addProblem(problem) {
  const box = document.getElementById("problems");
  if (box.hidden) {
    box.replaceChildren(el("h2", {}, L.problems));
    box.hidden = false;
  }
  const label = problem.kind === "violation" ? L.violation : L.error;
  box.append(el("p", { class: problem.kind }, el("span", { class: "label" }, label + " "), el("code", {}, problem.text)));
}

function setReply(pane, m) {
  const p = panes[pane];
  p.replyTo = m ? m.id : null;
  p.replyBar.hidden = !m;
  if (m) {
    p.replyBar.querySelector("span").textContent = fmt(L.replying_to, { name: m.sender }) + ": " + (m.text || "").slice(0, 80);
    p.textarea.focus();
  }
}

function showStatus(text) {
  const status = document.getElementById("status");
  status.textContent = text || "";
  status.hidden = !text;
}

async function post(pane, action, body, isForm) {
  const lang = "?lang=" + encodeURIComponent(document.documentElement.lang || "");
  const url = (pane ? `/api/${pane}/${action}` : `/api/${action}`) + lang;
  const init = { method: "POST" };
  if (isForm) init.body = body;
  else { init.body = JSON.stringify(body || {}); init.headers = { "Content-Type": "application/json" }; }
  try {
    const response = await fetch(url, init);
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      const reason = [answer.error, answer.detail].filter(Boolean).join(" ") || String(response.status);
      toast(pane, fmt(L.send_failed, { reason }), "fail");
      return false;
    }
    return true;
  } catch (err) {
    toast(pane, fmt(L.send_failed, { reason: L.disconnected }), "fail");
    return false;
  }
}

function composer(pane) {
  const p = panes[pane];
  const textarea = el("textarea", { rows: "1", placeholder: L.placeholder, "aria-label": L.placeholder });
  const fileInput = el("input", { type: "file", hidden: "", accept: "image/*,video/*,audio/*,.pdf,.doc,.docx,.xls,.xlsx,.txt,*/*" });
  const send = async () => {
    const text = textarea.value.trim();
    if (!text) return;
    const ok = await post(pane, "text", { text, reply_to: p.replyTo });
    if (ok) { textarea.value = ""; setReply(pane, null); }
  };
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
  });
  fileInput.addEventListener("change", async () => {
    if (!fileInput.files.length) return;
    const form = new FormData();
    form.append("file", fileInput.files[0]);
    if (textarea.value.trim()) form.append("caption", textarea.value.trim());
    if (await post(pane, "upload", form, true)) textarea.value = "";
    fileInput.value = "";
  });
  const replyBar = el("div", { class: "replying", hidden: "" }, el("span"),
    el("button", { type: "button", "aria-label": L.cancel_reply, title: L.cancel_reply, onclick: () => setReply(pane, null) }, "✕"));
  const form = el("form", { onsubmit: (event) => { event.preventDefault(); send(); } },
    el("button", { type: "button", class: "icon-btn attach", title: L.attach, "aria-label": L.attach,
      onclick: () => fileInput.click() }, "📎"),
    el("button", { type: "button", class: "icon-btn location-btn", title: L.location, "aria-label": L.location,
      onclick: () => post(pane, "location", {}) }, "📍"),
    textarea, fileInput,
    el("button", { type: "submit", class: "send" }, L.send));
  p.textarea = textarea;
  p.replyBar = replyBar;
  return el("div", { class: "composer" }, replyBar, form);
}

function markUnread(pane) {
  const tab = document.querySelector(`.tabs button[data-pane="${pane}"]`);
  if (tab && tab.getAttribute("aria-pressed") !== "true") tab.classList.add("unread");
}

function showPane(pane) {
  for (const tab of document.querySelectorAll(".tabs button")) {
    const on = tab.dataset.pane === pane;
    tab.setAttribute("aria-pressed", String(on));
    if (on) tab.classList.remove("unread");
  }
  for (const name of PANES) panes[name].root.classList.toggle("active", name === pane);
  const list = panes[pane].list;
  list.scrollTop = list.scrollHeight;  // a hidden pane could not scroll while it was hidden
}

function resetAll(state) {
  for (const name of PANES) {
    const p = panes[name];
    p.list.replaceChildren(p.empty);
    p.empty.hidden = false;
    p.messages.clear();
    setReply(name, null);
  }
  const box = document.getElementById("problems");
  box.hidden = true;
  box.replaceChildren();
  for (const name of PANES) for (const m of state.panes[name]) upsert(m);
  for (const problem of state.problems) addProblem(problem);
  for (const tab of document.querySelectorAll(".tabs button")) tab.classList.remove("unread");
  showStatus("");
}

function connect() {
  const source = new EventSource("/api/events");
  source.addEventListener("reset", (e) => resetAll(JSON.parse(e.data)));
  source.addEventListener("message", (e) => upsert(JSON.parse(e.data)));
  source.addEventListener("problem", (e) => addProblem(JSON.parse(e.data)));
  source.addEventListener("toast", (e) => {
    const t = JSON.parse(e.data);
    toast(t.pane, t.text, t.alert ? "alert" : "");
  });
  source.onopen = () => showStatus("");
  source.onerror = () => showStatus(L.disconnected);
}

function init() {
  for (const root of document.querySelectorAll(".pane")) {
    const pane = root.dataset.pane;
    // A chat is a log: a screen reader reads what arrives, politely, under the chat's name.
    const list = el("div", { class: "messages", role: "log",
      "aria-label": fmt(L.chat_log, { name: root.getAttribute("aria-label") }) });
    const empty = el("p", { class: "empty" }, (L.empty || {})[pane] || "");
    list.append(empty);
    panes[pane] = { root, list, empty, messages: new Map(), replyTo: null };
    root.append(list, composer(pane));
  }
  const banner = document.querySelector(".banner");
  const more = banner.querySelector(".more");
  more.addEventListener("click", () => {
    const open = banner.classList.toggle("open");
    more.setAttribute("aria-expanded", String(open));
  });
  for (const tab of document.querySelectorAll(".tabs button")) {
    tab.addEventListener("click", () => showPane(tab.dataset.pane));
  }
  document.getElementById("reset").addEventListener("click", async () => {
    if (!confirm(L.reset_confirm)) return;
    showStatus(L.resetting);
    await post(null, "reset", {});
  });
  connect();
}

init();
