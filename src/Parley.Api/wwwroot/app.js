// Parley web chat: an ES module over the HTTP API (no build step). Markdown rendering lives in markdown.js, loaded after
// the page (it is most of the page's code): until it arrives replies show as plain text and are then upgraded in place.
let renderMarkdown = null;
const awaitingMarkdown = new Map(); // element -> its markdown text, rendered once markdown.js has loaded
const markdownReady = import("/assets/markdown.js").then((m) => {
  renderMarkdown = m.renderMarkdown;
  for (const [body, text] of awaitingMarkdown) if (body.isConnected) body.replaceChildren(renderMarkdown(text, copyButton));
  awaitingMarkdown.clear();
});

const $ = (id) => document.getElementById(id);
const APP_TITLE = "Parley chat"; // the tab title with no conversation open; with one: "<its title> – Parley chat"
const PAGE = 50; // exchanges fetched per transcript page; older pages load when scrolled to
// conversationId: the open conversation, or null for a new one not created yet (it is created by its first message).
// turns: the loaded, contiguous tail of the current branch (offset = depth of turns[0]).
// sends: the send in flight per conversation (at most one each); drafts: unsent text per conversation ("" = new one).
const state = {
  token: null, userId: null, conversationId: null, status: null, branches: [], turns: [], offset: 0, crisis: [], title: "",
  list: [], sends: new Map(), drafts: new Map(), loadingEarlier: false,
};

const REASONS = {
  persistent_abuse: "It ended after repeated abusive messages aimed at the assistant continued after a warning.",
  persistent_harmful_requests: "It ended after repeated requests for severely harmful content continued after a warning.",
  user_requested: "It ended because you asked to end it and confirmed.",
};
const BADGES = { redirect: "Boundary", warn: "Warning", crisis_support: "Support", confirm_end: "Please confirm", end: "Conversation ended" };

function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

// ---- talking to the server ----
class ApiError extends Error {
  constructor(problem, status) { super(problem.detail || problem.title || ("HTTP " + status)); this.problem = problem; this.status = status; }
}
// The server could not be reached at all (fetch itself failed).
class OfflineError extends Error {}

async function request(path, init) {
  try {
    return await fetch(path, init);
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new OfflineError("offline");
  }
}

async function api(method, path, body, headers) {
  const init = { method, headers: Object.assign({}, headers || {}) };
  if (state.token) init.headers.Authorization = "Bearer " + state.token;
  if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const response = await request(path, init);
  setOffline(false);
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    if (response.status === 401) signOut();
    throw new ApiError(data || {}, response.status);
  }
  return data;
}

// Every error the user sees, in plain words: never a raw "Failed to fetch", a stack trace or an id.
function plainError(err) {
  if (err instanceof OfflineError) return "Parley can't be reached right now. Check your connection and try again.";
  const p = (err && err.problem) || {};
  switch (p.code) {
    case "conversation_ended": return "Your message was not sent: this conversation has ended. " + (REASONS[p.endReason] || "");
    case "message_too_long": return "That message is too long. Please shorten it and send it again.";
    case "message_empty": return "Write a message first.";
    case "rate_limited": return "You're sending messages faster than Parley allows. Wait a few seconds and try again.";
    case "assistant_unavailable": return "The assistant couldn't reply just now, and nothing was saved. Try again in a moment.";
    case "storage_unavailable": return "Parley couldn't save that just now, and nothing was saved. Try again in a moment.";
    case "conversation_not_found": return "That conversation doesn't exist, or it was deleted.";
    case "forbidden": return "That conversation belongs to another account.";
    case "limit_reached": return "This conversation has as many edited versions as it can hold. Start a new conversation to go on.";
    case "unauthorized": return "Your session has expired. Please sign in again.";
  }
  if (err && err.status >= 500) return "Something went wrong on Parley's side. Please try again in a moment.";
  if (err && err.status >= 400) return "Parley couldn't do that. Please check and try again.";
  return "Something went wrong. Please try again.";
}

function setOffline(offline, retry) {
  $("offline").hidden = !offline;
  if (retry) offlineRetry = retry;
}
let offlineRetry = null;
$("offline-retry").addEventListener("click", async () => {
  const retry = offlineRetry || (() => loadConversations());
  try { await retry(); setOffline(false); } catch (err) { report(err); }
});
window.addEventListener("offline", () => setOffline(true));

// Reports an error where the user is looking: the offline banner when the server is unreachable, else the error line.
function report(err, retry) {
  if (err instanceof OfflineError) { setOffline(true, retry); return; }
  $("send-error").textContent = plainError(err);
}

// ---- sign-in (the token lives in localStorage, so a new tab or a deep link keeps the session) ----
function showSignedIn() {
  $("signin-view").hidden = !!state.token;
  $("app-view").hidden = !state.token;
  $("who").hidden = !state.token;
  $("menu-toggle").hidden = !state.token;
  $("who-name").textContent = state.userId || "";
}

function signOut() {
  fetch("/api/operator/dashboard-session", { method: "DELETE" }).catch(() => {}); // an operator's dashboard cookie, if any
  localStorage.removeItem("parley.token");
  localStorage.removeItem("parley.user");
  state.token = null; state.userId = null; state.conversationId = null;
  document.title = APP_TITLE;
  showSignedIn();
}

$("signin-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("signin-error").textContent = "";
  try {
    const r = await api("POST", "/api/dev/sign-in", { userName: $("username").value.trim() });
    state.token = r.token; state.userId = r.userId;
    localStorage.setItem("parley.token", r.token);
    localStorage.setItem("parley.user", r.userId);
    showSignedIn();
    await enter();
  } catch (err) {
    $("signin-error").textContent = err instanceof ApiError && err.status === 400
      ? "That user name can't be used: use letters, digits, dots, dashes or underscores."
      : "Sign-in didn't work. " + plainError(err);
  }
});
$("sign-out").addEventListener("click", signOut);

// ---- relative dates and timestamps ----
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
function relativeDate(iso) {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 86400 * 7) return relative.format(Math.round(seconds / 86400), "day");
  return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}
const fullDate = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "full", timeStyle: "short" });
function timeElement(iso) {
  const t = el("time", "stamp", new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }));
  t.dateTime = iso;
  t.title = fullDate(iso);
  return t;
}

// ---- the conversation list ----
async function loadConversations() {
  state.list = await api("GET", "/api/conversations");
  renderList();
}

function renderList() {
  const ul = $("conversation-list");
  ul.replaceChildren();
  $("list-empty").hidden = state.list.length > 0;
  for (const c of state.list) {
    const li = el("li", "conversation" + (c.ended ? " ended-item" : ""));
    li.dataset.id = c.conversationId;
    const title = c.title || "Untitled conversation";
    const open = el("button", "open");
    open.type = "button";
    open.dataset.id = c.conversationId;
    const name = el("span", "name", title);
    const meta = el("span", "meta");
    if (c.ended) meta.append(el("span", "ended-mark", "Ended"), " · ");
    const when = el("time", null, relativeDate(c.createdAt));
    when.dateTime = c.createdAt;
    when.title = "Started " + fullDate(c.createdAt);
    meta.append(when);
    open.append(name, meta);
    if (c.conversationId === state.conversationId) open.setAttribute("aria-current", "true");
    open.addEventListener("click", () => { closeMenu(); openConversation(c.conversationId).catch((err) => report(err, () => openConversation(c.conversationId))); });
    const tools = el("span", "item-tools");
    const rename = button("", `Rename ${title}`, () => startRename(li, c), "icon rename");
    rename.append(icon("rename"));
    const remove = button("", `Delete ${title}`, () => confirmDelete(li, c), "icon delete");
    remove.append(icon("delete"));
    tools.append(rename, remove);
    li.append(open, tools);
    ul.append(li);
  }
}

function startRename(li, c) {
  const form = el("form", "rename-form");
  const input = el("input");
  input.value = c.title || "";
  input.maxLength = 80; // InputRules.MaxTitleLength
  input.setAttribute("aria-label", "New name for the conversation");
  const save = el("button", "primary", "Save"); save.type = "submit";
  const cancel = button("Cancel", null, () => renderList());
  form.append(input, save, cancel);
  form.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); renderList(); focusListItem(c.conversationId); } });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const updated = await api("PATCH", `/api/conversations/${c.conversationId}`, { title: input.value });
      c.title = updated.title;
      if (c.conversationId === state.conversationId) { state.title = updated.title; updateTitle(); }
      renderList();
      focusListItem(c.conversationId);
    } catch (err) { report(err); }
  });
  li.replaceChildren(form);
  input.focus();
  input.select();
}

function confirmDelete(li, c) {
  const box = el("div", "delete-confirm");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Delete conversation");
  const yes = button("Delete", null, async () => {
    await api("DELETE", `/api/conversations/${c.conversationId}`);
    state.list = state.list.filter((x) => x.conversationId !== c.conversationId);
    if (c.conversationId === state.conversationId) showNewConversation();
    renderList();
    $("new-conversation").focus();
  }, "danger");
  box.append(el("span", null, "Delete “" + (c.title || "Untitled conversation") + "”? It leaves your list."), yes, button("Cancel", null, () => { renderList(); focusListItem(c.conversationId); }));
  box.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); renderList(); focusListItem(c.conversationId); } });
  li.replaceChildren(box);
  yes.focus();
}

function focusListItem(id) {
  const b = $("conversation-list").querySelector(`button.open[data-id="${CSS.escape(id)}"]`);
  if (b) b.focus();
}

function markCurrentInList() {
  for (const b of $("conversation-list").querySelectorAll("button.open")) {
    if (b.dataset.id === state.conversationId) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
  }
}

// ---- the phone menu ----
function closeMenu() { document.body.classList.remove("menu-open"); $("menu-toggle").setAttribute("aria-expanded", "false"); }
$("menu-toggle").addEventListener("click", () => {
  const open = !document.body.classList.contains("menu-open");
  document.body.classList.toggle("menu-open", open);
  $("menu-toggle").setAttribute("aria-expanded", String(open));
  if (open) $("new-conversation").focus();
});

// ---- opening conversations ----
function stashDraft() {
  const key = state.conversationId || "";
  const box = $("message");
  if (box.value) state.drafts.set(key, box.value); else state.drafts.delete(key);
}

function setPath(id) {
  const path = id ? "/c/" + encodeURIComponent(id) : "/";
  if (location.pathname !== path) history.pushState(null, "", path);
}

// "New conversation": an empty chat; the conversation is created by its first message, so no empty ones pile up.
function showNewConversation() {
  stashDraft();
  state.conversationId = null; state.status = null; state.turns = []; state.branches = []; state.offset = 0; state.title = "";
  $("message").value = state.drafts.get("") || "";
  setPath(null);
  $("send-error").textContent = "";
  $("loading").hidden = true;
  $("transcript").replaceChildren();
  $("load-earlier").hidden = true;
  $("welcome").hidden = false;
  $("ended-banner").hidden = true;
  $("composer").hidden = false;
  $("message").disabled = false;
  markCurrentInList();
  updateTitle();
  updateSendButton();
}
$("new-conversation").addEventListener("click", () => { closeMenu(); showNewConversation(); $("message").focus(); });
$("ended-new").addEventListener("click", () => { showNewConversation(); $("message").focus(); });

async function openConversation(id, options) {
  if (state.conversationId !== id) {
    stashDraft();
    $("message").value = state.drafts.get(id) || "";
  }
  state.conversationId = id;
  setPath(id);
  markCurrentInList();
  $("send-error").textContent = "";
  $("welcome").hidden = true;
  $("transcript").replaceChildren();
  $("ended-banner").hidden = true;
  $("load-earlier").hidden = true;
  $("composer").hidden = true;
  $("loading").hidden = false;
  try {
    await loadConversation();
  } finally {
    if (state.conversationId === id) $("loading").hidden = true;
  }
  if (state.conversationId !== id) return;
  scrollToEnd();
  if (state.status.currentBranch.end && !(options && options.keepFocus)) $("ended-banner").focus({ preventScroll: true });
}

// Loads the open conversation's status, branches and the newest page of its current branch, and renders them.
async function loadConversation() {
  const id = state.conversationId;
  const [conversation, branches] = await Promise.all([
    api("GET", `/api/conversations/${id}`),
    api("GET", `/api/conversations/${id}/branches`),
  ]);
  const length = conversation.status.currentBranch.length;
  const offset = Math.max(0, length - PAGE);
  const page = length === 0 ? { turns: [] } : await api("GET", `/api/conversations/${id}/turns?skip=${offset}&take=${PAGE}`);
  if (state.conversationId !== id) return;
  state.status = conversation.status; state.branches = branches; state.turns = page.turns; state.offset = offset;
  state.crisis = conversation.crisisResources || []; state.title = conversation.title;
  updateTitle();
  render();
}

function updateTitle() {
  document.title = state.conversationId ? (state.title || "New conversation") + " – " + APP_TITLE : APP_TITLE;
}

// Older pages load when the top of the transcript comes into view (or by the button, for keyboard users).
async function loadEarlier() {
  if (state.loadingEarlier || state.offset === 0 || !state.conversationId) return;
  state.loadingEarlier = true;
  const id = state.conversationId, branch = state.status.currentBranch.id;
  try {
    const from = Math.max(0, state.offset - PAGE);
    const page = await api("GET", `/api/conversations/${id}/turns?branch=${branch}&skip=${from}&take=${state.offset - from}`);
    if (state.conversationId !== id || state.status.currentBranch.id !== branch) return;
    state.turns = page.turns.concat(state.turns);
    state.offset = from;
    // Rendered newest first, a few exchanges per frame, each batch inserted above what is shown, so no frame is long
    // and what the user is reading stays in place.
    const list = $("transcript");
    for (let end = page.turns.length; end > 0; end -= 10) {
      if (state.conversationId !== id) return;
      const fragment = document.createDocumentFragment();
      page.turns.slice(Math.max(0, end - 10), end).forEach((t) => fragment.append(renderExchange(t)));
      const anchor = list.firstElementChild;
      const top = anchor ? anchor.getBoundingClientRect().top : 0;
      list.prepend(fragment);
      if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - top);
      await new Promise((r) => requestAnimationFrame(r));
    }
    $("load-earlier").hidden = state.offset === 0;
  } finally { state.loadingEarlier = false; }
}
$("load-earlier").addEventListener("click", () => loadEarlier().catch((err) => report(err)));
const earlierObserver = new IntersectionObserver((entries) => {
  if (entries.some((e) => e.isIntersecting)) loadEarlier().catch((err) => report(err));
}, { rootMargin: "600px 0px 0px 0px" });
earlierObserver.observe($("load-earlier"));

// The page itself scrolls; its end is the newest exchange followed by the ended banner or the message box.
function scrollToEnd() { window.scrollTo({ top: document.scrollingElement.scrollHeight, behavior: "instant" }); }
function nearEnd() { return window.innerHeight + window.scrollY >= document.scrollingElement.scrollHeight - 160; }

// ---- branches and versions ----
function byId(branchId) { return state.branches.find((b) => b.id === branchId); }

// The branch that owns depth d on the path of branch b.
function owner(b, d) {
  while (b && d < b.forkDepth) b = byId(b.parentId);
  return b ? b.id : null;
}

// The versions of the exchange at depth d on the current path: one per distinct owner of d among branches sharing the path before d.
function versionsAt(d) {
  const cur = byId(state.status.currentBranch.id);
  const prefix = d === 0 ? null : owner(cur, d - 1);
  const candidates = state.branches.filter((b) => b.length > d && (d === 0 || owner(b, d - 1) === prefix));
  const owners = [...new Set(candidates.map((b) => owner(b, d)))].sort((a, b) => a - b);
  return { owners, index: owners.indexOf(owner(cur, d)), candidates };
}

async function showVersion(d, targetOwner) {
  const { candidates } = versionsAt(d);
  const target = candidates.filter((b) => owner(b, d) === targetOwner).sort((a, b) => b.id - a.id)[0];
  await api("PUT", `/api/conversations/${state.conversationId}/current-branch`, { branchId: target.id });
  await loadConversation();
  const again = $("transcript").querySelector(`li[data-depth="${d}"] .versions button:not(:disabled)`);
  if (again) again.focus();
  refreshListQuietly();
}

// ---- rendering ----
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(text, label, onClick, cls) {
  const b = el("button", cls, text);
  b.type = "button";
  if (label) b.setAttribute("aria-label", label);
  b.addEventListener("click", () => Promise.resolve(onClick(b)).catch((err) => report(err)));
  return b;
}

// Small line icons drawn as SVG elements (no icon font, nothing inline to trip the Content-Security-Policy).
const ICONS = {
  copy: ["M9 9h10v11H9z", "M5 15V4h10"],
  rename: ["M4 20h4L19 9l-4-4L4 16z", "M13 7l4 4"],
  delete: ["M5 7h14", "M10 7V4h4v3", "M7 7l1 13h8l1-13"],
};
function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon-svg");
  for (const d of ICONS[name]) {
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

function glyph(text) {
  const g = el("span", "glyph", text);
  g.setAttribute("aria-hidden", "true");
  return g;
}

// A copy button: copies what get() returns and says so for a moment.
function copyButton(get, label) {
  const b = el("button", "copy");
  b.type = "button";
  b.setAttribute("aria-label", label);
  b.append(icon("copy"), el("span", "copy-text", "Copy"));
  b.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(get());
      b.querySelector(".copy-text").textContent = "Copied";
      b.setAttribute("aria-label", "Copied");
    } catch {
      b.querySelector(".copy-text").textContent = "Copy failed";
    }
    setTimeout(() => { b.querySelector(".copy-text").textContent = "Copy"; b.setAttribute("aria-label", label); }, 2000);
  });
  return b;
}

function render() {
  $("welcome").hidden = true;
  const list = $("transcript");
  const fragment = document.createDocumentFragment();
  state.turns.forEach((t, i) => fragment.append(renderExchange(t, i)));
  list.replaceChildren(fragment);
  const pending = state.sends.get(state.conversationId);
  if (pending) list.append(pending.li);
  $("load-earlier").hidden = state.offset === 0;
  renderEnding();
}

function renderEnding() {
  const ended = state.status.currentBranch.end;
  $("ended-banner").hidden = !ended;
  $("composer").hidden = !!ended;
  $("message").disabled = !!ended;
  updateSendButton();
  if (ended) {
    $("ended-title").textContent = ended.reason === "user_requested" ? "This conversation has ended" : "The assistant ended this conversation";
    // The ending reply (when there is one) already says why; the banner then only offers the ways forward.
    const last = state.turns[state.turns.length - 1];
    $("ended-reason").textContent = last && last.decision === "end" ? "" : (REASONS[ended.reason] || "");
    $("ended-reason").hidden = !$("ended-reason").textContent;
    $("ending-feedback-form").hidden = true;
    $("ending-feedback-done").hidden = true;
  }
}

function isLastLoaded(t) { return state.turns.length > 0 && state.turns[state.turns.length - 1].id === t.id; }

function renderExchange(t) {
  const li = el("li", "exchange");
  li.dataset.turn = t.id;
  const depth = Number(t.id.split(".")[1]);
  li.dataset.depth = String(depth);

  // The user's message (plain text, as typed), with its edit button and version navigation.
  const user = el("div", "msg user");
  user.dataset.role = "user";
  const head = el("div", "who");
  head.append(el("span", null, "You"), timeElement(t.sentAt));
  const v = versionsAt(depth);
  if (v.owners.length > 1) {
    const nav = el("span", "versions");
    nav.setAttribute("role", "group");
    nav.setAttribute("aria-label", "Versions of this message");
    const prev = button("‹", "Previous version", () => showVersion(depth, v.owners[v.index - 1]));
    prev.disabled = v.index <= 0;
    const next = button("›", "Next version", () => showVersion(depth, v.owners[v.index + 1]));
    next.disabled = v.index >= v.owners.length - 1;
    nav.append(prev, el("span", "version-count", `${v.index + 1}/${v.owners.length}`), next);
    head.append(nav);
  }
  user.append(head, el("div", "text", t.userText));
  const userActions = el("div", "row-actions");
  userActions.append(button("Edit", `Edit message: ${t.userText.slice(0, 40)}`, (b) => startEdit(user, t, b), "edit"));
  user.append(userActions);

  li.append(user, renderReply(t));
  return li;
}

function renderReply(t) {
  const reply = el("div", `msg assistant decision-${t.decision}`);
  reply.dataset.role = "assistant";
  reply.dataset.decision = t.decision;
  const rhead = el("div", "who");
  rhead.append(el("span", null, "Assistant"));
  if (BADGES[t.decision]) rhead.append(el("span", "badge", BADGES[t.decision]));
  rhead.append(timeElement(t.sentAt));
  reply.append(rhead);
  if (t.decision === "crisis_support") reply.append(...renderCrisis(t));
  else reply.append(markdownBody(t.reply));

  if (t.decision === "confirm_end" && isLastLoaded(t)) {
    if (state.status.currentBranch.end) {
      // Ended by the confirm action: no ending reply exists, the banner below says so.
    } else if (state.status.currentBranch.awaitingEndConfirmation) {
      const confirm = el("div", "row-actions confirm");
      confirm.append(
        button("Yes, end the conversation", null, confirmEnd, "primary"),
        button("No, let's continue", null, declineEnd));
      reply.append(confirm);
    } else {
      reply.append(el("p", "done", "You chose to continue the conversation."));
    }
  }

  const actions = el("div", "row-actions reply-actions");
  const up = button("", "Thumbs up", () => rate(t, t.rating === "up" ? "none" : "up", "thumb-up"), "thumb-up");
  up.append(glyph("▲"), el("span", "label", "Thumbs up"));
  up.setAttribute("aria-pressed", String(t.rating === "up"));
  const down = button("", "Thumbs down", () => rate(t, t.rating === "down" ? "none" : "down", "thumb-down"), "thumb-down");
  down.append(glyph("▼"), el("span", "label", "Thumbs down"));
  down.setAttribute("aria-pressed", String(t.rating === "down"));
  const fb = button("", "Give feedback on this reply", (b) => toggleFeedback(reply, t, b), "feedback");
  fb.append(glyph("✉"), el("span", "label", "Feedback"));
  actions.append(up, down, fb, copyButton(() => t.reply, "Copy reply"));
  reply.append(actions);
  if (t.feedback) reply.append(el("p", "done", "Feedback sent."));
  return reply;
}

// Text with nothing markdown would change is shown as it is, without running the parser and sanitizer.
const MARKDOWN_SYNTAX = /[*_`#|<>~&\\]|\]\(|\]\[|^\s*([-+]|\d+[.)])\s|^\s*=+\s*$|https?:|www\.|@/m;
function markdownBody(text) {
  if (!MARKDOWN_SYNTAX.test(text)) {
    const plain = el("div", "text md");
    for (const para of text.split(/\n{2,}/)) plain.append(el("p", "plain", para));
    return plain;
  }
  const body = el("div", "text md");
  if (renderMarkdown) body.append(renderMarkdown(text, copyButton));
  else { body.append(el("p", "plain", text)); awaitingMarkdown.set(body, text); }
  return body;
}

// The crisis reply: its words (the resource lines, which the card shows, left out) and the resource card, built from
// the structured resources the server sends with the conversation. The full card shows once per run of support replies;
// the following ones keep it one click away instead of repeating it word for word.
function renderCrisis(t) {
  const resourceLines = new Set(state.crisis.map((r) => "- " + r.text));
  const lines = t.reply.split("\n");
  const first = lines.findIndex((line) => resourceLines.has(line.trim()));
  const before = (first < 0 ? lines : lines.slice(0, first)).join("\n").trim();
  const after = first < 0 ? "" : lines.slice(first).filter((line) => !resourceLines.has(line.trim())).join("\n").trim();
  const i = state.turns.indexOf(t);
  const repeated = i > 0 && state.turns[i - 1].decision === "crisis_support";
  let card = crisisCard();
  if (repeated) {
    const more = el("details", "crisis-more");
    more.append(el("summary", null, "Help lines, as above"), card);
    card = more;
  }
  // The card stands where the reply lists the resources (or first, if the reply has no list).
  const parts = first < 0 ? [card, markdownBody(before)] : [markdownBody(before), card];
  if (after) parts.push(markdownBody(after));
  return parts;
}

function crisisCard() {
  const box = el("section", "crisis-resources");
  box.setAttribute("aria-label", "Crisis resources");
  box.append(el("h4", null, "Help is available right now"));
  const ul = el("ul");
  const resources = state.crisis.length ? state.crisis
    : [{ text: "If you are in danger, contact your local emergency services now.", links: [] }];
  for (const r of resources) {
    const li = el("li", null, r.text);
    if (r.links.length) {
      const links = el("span", "crisis-links");
      for (const l of r.links) {
        const a = el("a", "crisis-link " + l.kind, l.kind === "phone" ? "Call " + l.label : l.kind === "site" ? "Open " + l.label : l.kind === "email" ? "Email " + l.label : l.label);
        a.href = l.href;
        if (l.kind === "site") { a.target = "_blank"; a.rel = "noopener noreferrer"; }
        links.append(a);
      }
      li.append(links);
    }
    ul.append(li);
  }
  box.append(ul);
  return box;
}

function replaceExchange(t) {
  const i = state.turns.findIndex((x) => x.id === t.id);
  if (i >= 0) state.turns[i] = t;
  const old = $("transcript").querySelector(`li[data-turn="${CSS.escape(t.id)}"]`);
  if (old) old.replaceWith(renderExchange(t));
}

// "Yes, end the conversation" and "No, let's continue" are actions: no message is posted on the user's behalf.
async function confirmEnd() {
  const id = state.conversationId;
  state.status = await api("POST", `/api/conversations/${id}/end-request/confirm`);
  if (state.conversationId !== id) return;
  const last = state.turns[state.turns.length - 1];
  if (last) replaceExchange(last);
  renderEnding();
  refreshListQuietly();
  if (state.status.currentBranch.end) { scrollToEnd(); $("ended-banner").focus({ preventScroll: true }); } else $("message").focus();
}

async function declineEnd() {
  const id = state.conversationId;
  state.status = await api("POST", `/api/conversations/${id}/end-request/decline`);
  if (state.conversationId !== id) return;
  const last = state.turns[state.turns.length - 1];
  if (last) replaceExchange(last);
  $("message").focus();
}

async function rate(t, rating, which) {
  const updated = await api("PUT", `/api/conversations/${state.conversationId}/turns/${t.id}/rating`, { rating });
  t.rating = updated.rating;
  replaceExchange(t);
  const again = $("transcript").querySelector(`li[data-turn="${CSS.escape(t.id)}"] .${which}`);
  if (again) again.focus();
}

// Closes a form opened from a reply or a message (Cancel or Escape) and gives focus back to the button that opened it.
const openers = new WeakMap(); // form -> the button that opened it

function closeForm(form) {
  const opener = openers.get(form);
  const msg = form.closest(".msg");
  form.remove();
  if (msg) msg.classList.remove("edit-target");
  if (opener && opener.isConnected) opener.focus();
}

function toggleFeedback(container, t, opener) {
  const existing = container.querySelector("form.feedback-form");
  if (existing) { existing.remove(); return; }
  const form = el("form", "feedback-form");
  openers.set(form, opener);
  const fid = "fb-" + t.id.replace(".", "-");
  const label = el("label", null, "Your feedback on this reply");
  label.htmlFor = fid;
  const area = el("textarea");
  area.id = fid; area.rows = 3; area.maxLength = $("ending-feedback-text").maxLength; area.required = true;
  const actions = el("div", "actions");
  const submit = el("button", "primary", "Send feedback");
  submit.type = "submit";
  actions.append(submit, button("Cancel", null, () => closeForm(form)));
  form.append(label, area, actions);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api("POST", `/api/conversations/${state.conversationId}/feedback`, { text: area.value, turnId: t.id });
      t.feedback = area.value;
      form.replaceWith(el("p", "done", "Thank you, your feedback was sent."));
    } catch (err) { report(err); }
  });
  container.append(form);
  area.focus();
}

function startEdit(container, t, opener) {
  if (container.querySelector("form")) return;
  const form = el("form", "feedback-form edit-form");
  openers.set(form, opener);
  const fid = "edit-" + t.id.replace(".", "-");
  const label = el("label", null, "Edit your message (opens a new branch)");
  label.htmlFor = fid;
  const area = el("textarea");
  area.id = fid; area.rows = 2; area.maxLength = $("message").maxLength; area.value = t.userText;
  const actions = el("div", "actions");
  const submit = el("button", "primary", "Save and resubmit");
  submit.type = "submit";
  actions.append(submit, button("Cancel", null, () => closeForm(form)));
  form.append(label, area, actions);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await api("POST", `/api/conversations/${state.conversationId}/turns/${t.id}/edit`, { text: area.value, clientMessageId: newId() });
      await loadConversation();
      scrollToEnd();
      $("message").focus();
      refreshListQuietly();
    } catch (err) { submit.disabled = false; report(err); }
  });
  container.append(form);
  area.focus();
  area.select();
}

// After an ending, "Edit an earlier message" opens the editor on the last message before the first turn that led to the
// ending (for an abuse ending: the message before the first redirect), highlighted, rather than on the abusive one.
async function editEarlier() {
  const end = state.status.currentBranch.end;
  const first = end.leadingTurns.length ? end.leadingTurns[0] : end.endedAt;
  const depth = Math.max(0, Number(first.split(".")[1]) - 1);
  while (state.offset > depth) await loadEarlier();
  const li = $("transcript").querySelector(`li[data-depth="${depth}"]`);
  if (!li) return;
  const user = li.querySelector("[data-role=user]");
  user.classList.add("edit-target");
  user.querySelector("button.edit").click();
  user.scrollIntoView({ block: "center" });
}
$("ended-edit").addEventListener("click", () => editEarlier().catch((err) => report(err)));

// ---- sending ----
// Whether the open conversation can send now: not ended, and no send of its own still in flight. The Send button, the
// Enter key and the confirm buttons all go through this.
function canSend() {
  const key = state.conversationId || "";
  if (state.sends.has(key)) return false;
  return !state.conversationId || (!!state.status && !state.status.currentBranch.end);
}

function updateSendButton() {
  const key = state.conversationId || "";
  const sending = state.sends.get(key);
  $("send").disabled = !canSend();
  $("send").hidden = !!(sending && !sending.failed);
  $("stop").hidden = !(sending && !sending.failed);
}

// A send belongs to the conversation it was typed in: its client message id is fixed here (a retry reuses it, so the
// server stores it once), its pending exchange is shown only while that conversation is open, and when it completes only
// that conversation is updated, by appending the exchange the server returned (the transcript is not fetched again).
async function send(text) {
  if (!canSend()) return;
  if (!text.trim()) { $("send-error").textContent = "Write a message first."; return; }
  let id = state.conversationId;
  $("send-error").textContent = "";
  const pending = pendingExchange(text);
  pending.messageId = newId();
  const key = id || "";
  state.sends.set(key, pending);
  $("welcome").hidden = true;
  $("transcript").append(pending.li);
  updateSendButton();
  scrollToEnd();
  try {
    if (!id) {
      // The first message creates the conversation.
      const created = await api("POST", "/api/conversations", { locale: navigator.language || null });
      id = created.id;
      state.sends.delete(key);
      state.sends.set(id, pending);
      if (state.conversationId === null && pending.li.isConnected) {
        state.drafts.delete("");
        state.conversationId = id; state.status = created.status; state.branches = []; state.turns = []; state.offset = 0;
        setPath(id);
        updateTitle();
      }
    }
    pending.conversationId = id;
    await attempt(pending, text);
  } catch (err) {
    failed(pending, key, err, text);
  }
}

async function attempt(pending, text) {
  const id = pending.conversationId;
  pending.abort = new AbortController();
  pending.failed = false;
  pending.li.classList.remove("failed");
  updateSendButton();
  let done;
  try {
    done = await sendStreaming(id, text, pending);
  } catch (err) {
    if (err && err.name === "AbortError") { await stopped(pending, text); return; }
    failed(pending, id, err, text);
    return;
  }
  state.sends.delete(id);
  pending.li.remove();
  if (state.conversationId === id) {
    await appendResult(done);
  }
  updateSendButton();
  refreshListQuietly();
}

// The send's own exchange joins the transcript; the status (ending, pending confirmation) is read again, not the turns.
async function appendResult(done) {
  const id = state.conversationId;
  const conversation = await api("GET", `/api/conversations/${id}`);
  if (state.conversationId !== id) return;
  const before = state.status ? state.status.currentBranch.id : 0;
  state.status = conversation.status; state.crisis = conversation.crisisResources || []; state.title = conversation.title;
  updateTitle();
  if (before !== done.branchId || (state.turns.length && state.offset + state.turns.length !== Number(done.turn.id.split(".")[1]))) {
    await loadConversation(); // the branch moved under us (another tab): read it afresh
  } else {
    if (!state.branches.length) state.branches = await api("GET", `/api/conversations/${id}/branches`);
    else { const b = byId(done.branchId); if (b) b.length = conversation.status.currentBranch.length; }
    const previous = state.turns[state.turns.length - 1];
    state.turns.push(done.turn);
    if (previous) replaceExchange(previous);
    $("transcript").append(renderExchange(done.turn));
    renderEnding();
  }
  scrollToEnd();
  if (state.status.currentBranch.end) $("ended-banner").focus({ preventScroll: true });
}

// A failed send stays in the transcript with its error in plain words, a Retry (same client message id: the server
// stores it once even if the first attempt did land) and a Discard that gives the text back to the message box.
function failed(pending, key, err, text) {
  if (err && err.problem && err.problem.code === "conversation_ended") {
    state.sends.delete(key);
    pending.li.remove();
    report(err);
    if (state.conversationId === key) loadConversation().then(() => { scrollToEnd(); $("ended-banner").focus({ preventScroll: true }); }).catch((e) => report(e));
    updateSendButton();
    return;
  }
  pending.failed = true;
  pending.li.classList.add("failed");
  pending.replyText.replaceChildren(el("p", "error", plainError(err)));
  const actions = el("div", "row-actions");
  const retry = button("Retry", null, () => {
    pending.replyText.replaceChildren(typingIndicator());
    if (!pending.conversationId) { state.sends.delete(key); pending.li.remove(); updateSendButton(); return send(text); }
    return attempt(pending, text);
  }, "primary retry");
  actions.append(retry, button("Discard", null, () => {
    state.sends.delete(key);
    pending.li.remove();
    if (state.conversationId === (pending.conversationId || null) || (!pending.conversationId && !state.conversationId)) {
      const box = $("message");
      if (!box.value) box.value = text;
      box.focus();
    }
    updateSendButton();
  }, "discard"));
  pending.replyText.append(actions);
  if (err instanceof OfflineError) setOffline(true, () => attempt(pending, text));
  updateSendButton();
  if (pending.li.isConnected) retry.focus();
}

// Stop: the stream is cut at the browser. The server may already have decided and stored the reply (a decision is
// committed with its exchange); if it did, the stored exchange is shown, else the text goes back to the message box.
async function stopped(pending, text) {
  const id = pending.conversationId;
  state.sends.delete(id);
  pending.li.remove();
  updateSendButton();
  if (state.conversationId !== id) return;
  await new Promise((r) => setTimeout(r, 300));
  const conversation = await api("GET", `/api/conversations/${id}`);
  const stored = conversation.status.currentBranch.length > state.offset + state.turns.length;
  if (stored) {
    await loadConversation();
    scrollToEnd();
  } else {
    const box = $("message");
    if (!box.value) box.value = text;
    $("send-error").textContent = "Stopped. Your message was not sent; it is back in the message box.";
  }
  $("message").focus();
  refreshListQuietly();
}
$("stop").addEventListener("click", () => {
  const pending = state.sends.get(state.conversationId || "");
  if (pending && pending.abort) pending.abort.abort();
});

function pendingExchange(text) {
  const li = el("li", "exchange pending");
  const user = el("div", "msg user");
  const head = el("div", "who");
  head.append(el("span", null, "You"));
  user.append(head, el("div", "text", text));
  const reply = el("div", "msg assistant");
  const rhead = el("div", "who");
  rhead.append(el("span", null, "Assistant"));
  const replyText = el("div", "text md");
  replyText.append(typingIndicator()); // until the first piece of the reply arrives
  reply.append(rhead, replyText);
  li.append(user, reply);
  return { li, reply, rhead, replyText };
}

function typingIndicator() {
  const t = el("span", "typing");
  t.setAttribute("role", "status");
  t.setAttribute("aria-label", "Assistant is typing");
  for (let i = 0; i < 3; i++) t.append(glyph("•"));
  return t;
}

// Sends through the Server-Sent Events endpoint: the decision arrives first (shown at once in the pending reply), then
// the reply in pieces (rendered as markdown as they come), then "done" with the stored exchange.
async function sendStreaming(conversationId, text, pending) {
  const response = await request(`/api/conversations/${conversationId}/messages/stream`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": pending.messageId, Authorization: "Bearer " + state.token },
    body: JSON.stringify({ text }),
    signal: pending.abort.signal,
  });
  setOffline(false);
  if (!response.ok) {
    const body = await response.text();
    if (response.status === 401) signOut();
    let problem = {};
    try { problem = body ? JSON.parse(body) : {}; } catch { problem = {}; }
    throw new ApiError(problem, response.status);
  }
  const { reply, rhead, replyText } = pending;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "", received = "", done = null, frame = 0;
  const paint = () => { frame = 0; replyText.replaceChildren(markdownBody(received)); };
  for (;;) {
    let chunk;
    try { chunk = await reader.read(); } catch (err) { if (err && err.name === "AbortError") throw err; throw new OfflineError("offline"); }
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = (/^event: (.*)$/m.exec(block) || [])[1];
      const data = JSON.parse((/^data: (.*)$/m.exec(block) || [])[1] || "null");
      const follow = pending.li.isConnected && nearEnd(); // keep the growing reply in view unless the user scrolled away
      if (name === "decision") {
        reply.className = `msg assistant decision-${data.decision}`;
        if (BADGES[data.decision]) rhead.append(el("span", "badge", BADGES[data.decision]));
      } else if (name === "chunk") {
        received += data.text;
        if (!frame) frame = requestAnimationFrame(paint);
      } else if (name === "done") {
        done = data;
      } else if (name === "error") {
        throw new ApiError(data || {}, (data && data.status) || 503); // nothing was stored
      }
      if (follow) scrollToEnd();
    }
  }
  if (frame) cancelAnimationFrame(frame);
  if (!done) throw new OfflineError("the stream ended early");
  return done;
}

// Enter and the Send button are one action: the form's submit, refused while the Send button is disabled. The box is
// cleared when the send starts (its text moves into the pending exchange).
function submitComposer() {
  if ($("send").disabled || $("send").hidden) return;
  const box = $("message");
  const text = box.value;
  if (!text.trim()) { $("send-error").textContent = "Write a message first."; return; }
  box.value = "";
  send(text);
}
$("composer").addEventListener("submit", (e) => { e.preventDefault(); submitComposer(); });
$("message").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitComposer(); }
});

function refreshListQuietly() { loadConversations().then(markCurrentInList).catch(() => {}); }

// ---- the ended banner's feedback ----
$("ended-feedback").addEventListener("click", () => {
  $("ending-feedback-form").hidden = false;
  $("ending-feedback-done").hidden = true;
  $("ending-feedback-text").focus();
});
function closeEndingFeedback() {
  $("ending-feedback-form").hidden = true;
  $("ended-feedback").focus();
}
$("ending-feedback-cancel").addEventListener("click", closeEndingFeedback);

// Escape closes the form the focus is in: a reply's feedback, an edit, or the feedback about the ending; and the phone menu.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || e.defaultPrevented || !(e.target instanceof Element)) return;
  const form = e.target.closest("form.feedback-form");
  if (!form) {
    if (document.body.classList.contains("menu-open")) { closeMenu(); $("menu-toggle").focus(); }
    return;
  }
  e.preventDefault();
  if (form.id === "ending-feedback-form") closeEndingFeedback(); else closeForm(form);
});
$("ending-feedback-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    await api("POST", `/api/conversations/${state.conversationId}/feedback`, { text: $("ending-feedback-text").value });
    $("ending-feedback-text").value = "";
    $("ending-feedback-form").hidden = true;
    $("ending-feedback-done").hidden = false;
  } catch (err) { report(err); }
});

// ---- start: deep links /c/{id} (and the older #c={id}) open that conversation, after sign-in if needed ----
function linkedConversation() {
  const m = /^\/c\/([A-Za-z0-9_-]{1,64})$/.exec(location.pathname) || /#c=([A-Za-z0-9_-]{1,64})/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

async function enter() {
  const linked = linkedConversation();
  const opening = linked ? openConversation(linked) : null;
  if (!linked) showNewConversation();
  try { await loadConversations(); markCurrentInList(); } catch (err) { report(err, enter); }
  if (opening) await opening.catch((err) => report(err, () => openConversation(linked)));
  if (!linked) $("message").focus();
}

window.addEventListener("popstate", () => {
  if (!state.token) return;
  const linked = linkedConversation();
  if (linked && linked !== state.conversationId) openConversation(linked).catch((err) => report(err, () => openConversation(linked)));
  else if (!linked && state.conversationId) showNewConversation();
});

window.addEventListener("storage", (e) => {
  if (e.key === "parley.token" && !e.newValue && state.token) signOut(); // signed out in another tab
});

markdownReady.catch(() => {}); // without it replies stay plain text

state.token = localStorage.getItem("parley.token");
state.userId = localStorage.getItem("parley.user");
showSignedIn();
if (state.token) enter();
