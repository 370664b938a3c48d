// The sandbox page: two Telegram chats with the bot, rendered from Telegram's text and entities.
// Every piece of text goes into the page through textContent, never parsed as HTML, so whatever a
// person types — or a bot sends — shows as text. State lives on the server: the page loads it from
// /api/state and follows /api/events, so a reload or a second tab shows the same chats.
"use strict";

// The page's own words, in the language the two people use Telegram in (the launcher's --language).
const WORDS = {
  ru: {
    specialist: "Специалист", client: "Заказчик", botTime: "Время бота:", forward: "Перемотать время:",
    hour: "+1 час", day: "+1 день", week: "+1 неделя", days: "дн.", hours: "ч", ahead: "вперёд",
    connecting: "подключение…", live: "на связи", reconnecting: "переподключение…",
    menu: "☰ Меню", message: "Сообщение", send: "Отправить",
    noCommands: "Бот ещё не зарегистрировал команды.", unavailable: "В песочнице недоступно",
    reveal: "Нажмите, чтобы показать", file: "файл",
  },
  en: {
    specialist: "Specialist", client: "Client", botTime: "Bot time:", forward: "Move time forward:",
    hour: "+1 hour", day: "+1 day", week: "+1 week", days: "d", hours: "h", ahead: "ahead",
    connecting: "connecting…", live: "live", reconnecting: "reconnecting…",
    menu: "☰ Menu", message: "Message", send: "Send",
    noCommands: "The bot has not registered any commands yet.", unavailable: "Not available in the sandbox",
    reveal: "Click to reveal", file: "file",
  },
};
let words = WORDS.en;

function useWords(state) {
  const language = state.people.specialist ? state.people.specialist.user.language_code : "";
  words = WORDS[language] || WORDS.en;
  document.documentElement.lang = language in WORDS ? language : "en";
  for (const element of document.querySelectorAll("[data-word]")) {
    element.textContent = words[element.dataset.word];
  }
  for (const element of document.querySelectorAll("[data-word-placeholder]")) {
    element.placeholder = words[element.dataset.wordPlaceholder];
    element.setAttribute("aria-label", element.placeholder);
  }
  for (const [role, pane] of Object.entries(page.panes)) {
    pane.root.querySelector(".role").textContent = words[role] || role;
  }
}
const SAFE_SCHEMES = ["http:", "https:", "tg:", "mailto:"];
// What Telegram's clients make clickable in plain text: links and /commands.
const CLICKABLE = /\b(?:https?:\/\/|t\.me\/)[^\s<>"«»]+[^\s<>"«».,;:!?)]|(?<=^|\s)\/[A-Za-z0-9_]{1,32}(?=$|[\s.,!?;:)])/g;

const page = {
  bot: null,          // the bot's Telegram User (username for deep links)
  seq: 0,             // newest event the page has applied
  panes: {},          // role -> {root, messages, textarea, menu, user}
  clock: null,        // {now: Date, offset: seconds, at: performance.now()}
  source: null,       // the EventSource
};

// --- talking to the server --------------------------------------------------------------
async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    let reason = response.statusText;
    try { reason = (await response.json()).error || reason; } catch (_) { /* not JSON */ }
    throw new Error(reason);
  }
  return response.json();
}

async function load() {
  const response = await fetch("/api/state", { cache: "no-store" });
  const state = await response.json();
  page.bot = state.bot;
  page.seq = state.seq;
  for (const role of Object.keys(state.people)) page.panes[role] || buildPane(role);
  useWords(state);
  document.getElementById("bot-name").textContent = "@" + state.bot.username;
  setClock(state.clock);
  for (const [role, person] of Object.entries(state.people)) {
    const pane = page.panes[role] || buildPane(role);
    pane.user = person.user;
    pane.root.querySelector(".who").textContent = fullName(person.user);
    pane.root.querySelector(".avatar").textContent = (person.user.first_name || "?").slice(0, 1);
    pane.messages.replaceChildren(...person.messages.map((m) => renderMessage(role, m)));
    scrollDown(pane, true);
  }
  follow();
}

function follow() {
  if (page.source) page.source.close();
  const source = new EventSource("/api/events?after=" + page.seq);
  page.source = source;
  const status = document.getElementById("connection");
  source.onopen = () => { status.textContent = words.live; status.classList.add("live"); };
  source.onerror = () => { status.textContent = words.reconnecting; status.classList.remove("live"); };
  source.onmessage = (message) => apply(JSON.parse(message.data));
}

function apply(event) {
  if (event.kind === "clock") { setClock(event.data); return; }
  if (event.kind === "reset" || event.kind === "resync") { load(); return; }
  if (event.seq <= page.seq) return;
  page.seq = event.seq;
  const pane = page.panes[event.data.role];
  if (!pane) return;
  if (event.kind === "callback_answer") {
    if (event.data.text) toast(pane, event.data.text, event.data.show_alert);
    return;
  }
  const existing = pane.messages.querySelector(`[data-message-id="${event.data.message_id}"]`);
  if (event.kind === "delete" || event.data.deleted) {
    if (existing) existing.remove();
    return;
  }
  const element = renderMessage(event.data.role, event.data);
  if (existing) {
    existing.replaceWith(element);  // an edit stays where the message was
  } else {
    const stick = nearBottom(pane);
    pane.messages.append(element);
    scrollDown(pane, stick || !event.data.outgoing);
  }
}

// --- panes ----------------------------------------------------------------------------
function buildPane(role) {
  const root = document.querySelector(`.pane[data-role="${role}"]`);
  root.append(document.getElementById("pane-template").content.cloneNode(true));
  root.querySelector(".role").textContent = words[role] || role;
  const pane = {
    role,
    root,
    messages: root.querySelector(".messages"),
    textarea: root.querySelector("textarea"),
    menu: root.querySelector(".menu"),
    user: null,
  };
  page.panes[role] = pane;
  root.querySelector(".composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = pane.textarea.value;
    if (!text.trim()) return;
    pane.textarea.value = "";
    send(role, text);
  });
  pane.textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      root.querySelector(".composer").requestSubmit();
    }
  });
  root.querySelector(".menu-button").addEventListener("click", () => toggleMenu(pane));
  return pane;
}

async function send(role, text) {
  try {
    await post(`/api/${role}/message`, { text });
  } catch (error) {
    toast(page.panes[role], error.message, true);
  }
}

async function press(role, messageId, data, button) {
  button.classList.add("pressed");
  try {
    await post(`/api/${role}/press`, { message_id: messageId, data });
  } catch (error) {
    toast(page.panes[role], error.message, true);
  } finally {
    setTimeout(() => button.classList.remove("pressed"), 400);
  }
}

async function toggleMenu(pane) {
  if (!pane.menu.hidden) { pane.menu.hidden = true; return; }
  const commands = await (await fetch(`/api/${pane.role}/commands`, { cache: "no-store" })).json();
  const items = commands.map((command) => {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "command";
    const name = document.createElement("span");
    name.className = "command-name";
    name.textContent = "/" + command.command;
    const description = document.createElement("span");
    description.className = "muted";
    description.textContent = command.description;
    item.append(name, description);
    item.addEventListener("click", () => { pane.menu.hidden = true; send(pane.role, "/" + command.command); });
    return item;
  });
  if (!items.length) {
    const empty = document.createElement("div");
    empty.className = "muted";
    empty.textContent = words.noCommands;
    items.push(empty);
  }
  pane.menu.replaceChildren(...items);
  pane.menu.hidden = false;
}

function toast(pane, text, alert) {
  const note = document.createElement("div");
  note.className = alert ? "toast alert" : "toast";
  note.textContent = text;
  pane.root.append(note);
  setTimeout(() => note.remove(), alert ? 6000 : 3000);
}

function nearBottom(pane) {
  const box = pane.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}

function scrollDown(pane, really) {
  if (really) pane.messages.scrollTop = pane.messages.scrollHeight;
}

function fullName(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(" ");
}

// --- messages -------------------------------------------------------------------------
function renderMessage(role, stored) {
  const message = stored.message;
  const bubble = document.createElement("div");
  bubble.className = "message " + (stored.outgoing ? "from-bot" : "from-person");
  bubble.dataset.messageId = String(stored.message_id);
  if (message.photo) {
    const biggest = message.photo[message.photo.length - 1];
    const image = document.createElement("img");
    image.className = "photo";
    image.alt = "photo";
    image.src = "/api/files/" + encodeURIComponent(biggest.file_id);
    bubble.append(image);
  }
  if (message.document) {
    const file = document.createElement("a");
    file.className = "document";
    file.href = "/api/files/" + encodeURIComponent(message.document.file_id);
    file.target = "_blank";
    file.rel = "noopener";
    file.textContent = "📄 " + (message.document.file_name || words.file);
    bubble.append(file);
  }
  if (message.sticker) bubble.append(textBlock("sticker", message.sticker.emoji || "sticker"));
  if (message.location) {
    const { latitude, longitude } = message.location;
    bubble.append(textBlock("location", `📍 ${latitude.toFixed(4)}, ${longitude.toFixed(4)}`));
  }
  const text = message.text ?? message.caption;
  if (text) {
    const body = document.createElement("div");
    body.className = "text";
    body.append(renderEntities(role, text, message.entities || message.caption_entities || []));
    bubble.append(body);
  }
  if (message.edit_date) bubble.append(textBlock("edited muted", "edited"));
  const keyboard = message.reply_markup && message.reply_markup.inline_keyboard;
  if (keyboard) bubble.append(renderKeyboard(role, stored.message_id, keyboard));
  return bubble;
}

function textBlock(className, text) {
  const block = document.createElement("div");
  block.className = className;
  block.textContent = text;
  return block;
}

function renderKeyboard(role, messageId, rows) {
  const keyboard = document.createElement("div");
  keyboard.className = "keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "keyboard-row";
    for (const spec of row) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = spec.text;
      if (spec.callback_data !== undefined) {
        button.addEventListener("click", () => press(role, messageId, spec.callback_data, button));
      } else if (spec.url) {
        button.classList.add("url");
        button.title = spec.url;
        button.addEventListener("click", () => openLink(role, spec.url));
      } else {
        button.disabled = true;
        button.title = words.unavailable;
      }
      line.append(button);
    }
    keyboard.append(line);
  }
  return keyboard;
}

// Entities use UTF-16 offsets, which is what JavaScript strings index by. Entities from one
// parse nest properly; a stray overlapping one is skipped rather than breaking the text.
function renderEntities(role, text, entities) {
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const fragment = document.createDocumentFragment();
  let next = 0;
  function walk(start, end, parent, plain) {
    let position = start;
    while (next < sorted.length && sorted[next].offset < end) {
      const entity = sorted[next++];
      if (entity.offset < position) continue;
      appendText(role, parent, text.slice(position, entity.offset), plain);
      const stop = Math.min(entity.offset + entity.length, end);
      const { outer, inner, linked } = entityElement(role, entity, text.slice(entity.offset, stop));
      walk(entity.offset, stop, inner, plain && !linked);
      parent.append(outer);
      position = stop;
    }
    appendText(role, parent, text.slice(position, end), plain);
  }
  walk(0, text.length, fragment, true);
  return fragment;
}

// Plain text gets its links and /commands made clickable, as Telegram's clients do; text that
// is already code or a link doesn't.
function appendText(role, parent, text, linkify) {
  if (!text) return;
  if (!linkify) { parent.append(document.createTextNode(text)); return; }
  let position = 0;
  for (const match of text.matchAll(CLICKABLE)) {
    parent.append(document.createTextNode(text.slice(position, match.index)));
    const found = match[0];
    if (found.startsWith("/")) {
      parent.append(commandLink(role, found));
    } else {
      parent.append(link(role, found.startsWith("t.me/") ? "https://" + found : found, found));
    }
    position = match.index + found.length;
  }
  parent.append(document.createTextNode(text.slice(position)));
}

function commandLink(role, command) {
  const anchor = document.createElement("a");
  anchor.href = "#";
  anchor.className = "bot-command";
  anchor.textContent = command;
  anchor.addEventListener("click", (event) => { event.preventDefault(); send(role, command); });
  return anchor;
}

function entityElement(role, entity, covered) {
  const simple = { bold: "strong", italic: "em", underline: "u", strikethrough: "s", code: "code" };
  if (simple[entity.type]) {
    const element = document.createElement(simple[entity.type]);
    return { outer: element, inner: element, linked: entity.type === "code" };
  }
  switch (entity.type) {
    case "pre": {
      const pre = document.createElement("pre");
      const code = document.createElement("code");
      if (entity.language) code.dataset.language = entity.language;
      pre.append(code);
      return { outer: pre, inner: code, linked: true };
    }
    case "blockquote":
    case "expandable_blockquote": {
      const quote = document.createElement("blockquote");
      if (entity.type === "expandable_blockquote") {
        quote.classList.add("collapsed");
        quote.addEventListener("click", () => quote.classList.toggle("collapsed"));
      }
      return { outer: quote, inner: quote, linked: false };
    }
    case "spoiler": {
      const spoiler = document.createElement("span");
      spoiler.className = "spoiler";
      spoiler.title = words.reveal;
      spoiler.addEventListener("click", () => spoiler.classList.add("revealed"));
      return { outer: spoiler, inner: spoiler, linked: false };
    }
    case "text_link": {
      const anchor = link(role, entity.url, "");
      return { outer: anchor, inner: anchor, linked: true };
    }
    case "url": {
      const anchor = link(role, /^[a-z][a-z0-9+.-]*:/i.test(covered) ? covered : "https://" + covered, "");
      return { outer: anchor, inner: anchor, linked: true };
    }
    case "bot_command": {
      const command = commandLink(role, covered);
      command.textContent = "";  // the walk fills it
      return { outer: command, inner: command, linked: true };
    }
    default: {
      const span = document.createElement("span");
      span.className = "entity-" + entity.type;
      return { outer: span, inner: span, linked: false };
    }
  }
}

// A link to this bot with ?start= opens the bot in the other pane, as that person; any other
// safe link opens in a new tab, and an unsafe one (javascript:, data:) stays plain text.
function link(role, href, text) {
  let url;
  try { url = new URL(href); } catch (_) { url = null; }
  if (!url || !SAFE_SCHEMES.includes(url.protocol)) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  const anchor = document.createElement("a");
  anchor.href = url.href;
  anchor.textContent = text;
  anchor.target = "_blank";
  anchor.rel = "noopener noreferrer";
  anchor.addEventListener("click", (event) => {
    if (deepLink(url)) { event.preventDefault(); openLink(role, url.href); }
  });
  return anchor;
}

function deepLink(url) {
  const ownBot = page.bot && url.pathname.replace(/^\//, "").toLowerCase() === page.bot.username.toLowerCase();
  if (!ownBot || !["t.me", "telegram.me"].includes(url.hostname)) return null;
  return { start: url.searchParams.get("start") };
}

function openLink(role, href) {
  let url;
  try { url = new URL(href); } catch (_) { return; }
  const target = deepLink(url);
  if (!target) {
    if (SAFE_SCHEMES.includes(url.protocol)) window.open(url.href, "_blank", "noopener");
    return;
  }
  const other = role === "specialist" ? "client" : "specialist";
  const pane = page.panes[other];
  pane.root.classList.add("flash");
  setTimeout(() => pane.root.classList.remove("flash"), 1200);
  send(other, target.start ? "/start " + target.start : "/start");
}

// --- the clock ------------------------------------------------------------------------
function setClock(clock) {
  page.clock = { now: new Date(clock.now), offset: clock.offset_seconds, at: performance.now() };
  drawClock();
}

function drawClock() {
  if (!page.clock) return;
  const now = new Date(page.clock.now.getTime() + (performance.now() - page.clock.at));
  document.getElementById("clock-now").textContent = now.toLocaleString(document.documentElement.lang, {
    weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
  document.getElementById("clock-now").dateTime = now.toISOString();
  const hours = page.clock.offset / 3600;
  const ahead = hours >= 24 ? `${+(hours / 24).toFixed(1)} ${words.days}` : `${+hours.toFixed(1)} ${words.hours}`;
  document.getElementById("clock-offset").textContent = hours > 0 ? `(+${ahead} ${words.ahead})` : "";
}

function setUpClockButtons() {
  for (const button of document.querySelectorAll("[data-step]")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        setClock(await post("/api/clock", { step: button.dataset.step }));
      } finally {
        button.disabled = false;
      }
    });
  }
  setInterval(drawClock, 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  setUpClockButtons();
  load();
});
