// Parley web chat: plain JavaScript over the HTTP API (no build step).
"use strict";

const $ = (id) => document.getElementById(id);
const APP_TITLE = "Parley chat"; // the tab title with no conversation open; with one: "<its title> – Parley chat"
// sends: the send in flight per conversation (at most one each), with its pending exchange element;
// drafts: the unsent text of the message box per conversation, kept while another conversation is open.
const state = { token: null, userId: null, conversationId: null, status: null, branches: [], turns: [], sends: new Map(), drafts: new Map() };

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

class ApiError extends Error {
  constructor(problem, status) { super(problem.detail || problem.title || ("HTTP " + status)); this.problem = problem; this.status = status; }
}

async function api(method, path, body, headers) {
  const init = { method, headers: Object.assign({}, headers || {}) };
  if (state.token) init.headers.Authorization = "Bearer " + state.token;
  if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const response = await fetch(path, init);
  if (response.status === 204) return null;
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401) { signOut(); }
    throw new ApiError(data || {}, response.status);
  }
  return data;
}

// ---- sign-in ----
function showSignedIn() {
  $("signin-view").hidden = !!state.token;
  $("app-view").hidden = !state.token;
  $("who").hidden = !state.token;
  $("who-name").textContent = state.userId || "";
}

function signOut() {
  sessionStorage.removeItem("parley.token");
  sessionStorage.removeItem("parley.user");
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
    sessionStorage.setItem("parley.token", r.token);
    sessionStorage.setItem("parley.user", r.userId);
    showSignedIn();
    await loadConversations();
    $("new-conversation").focus();
  } catch (err) {
    $("signin-error").textContent = "Sign-in failed: " + err.message;
  }
});
$("sign-out").addEventListener("click", signOut);

// ---- conversation list ----
async function loadConversations() {
  const list = await api("GET", "/api/conversations");
  const ul = $("conversation-list");
  ul.replaceChildren();
  for (const c of list) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.id = c.conversationId;
    b.textContent = c.title || ("Conversation of " + new Date(c.createdAt).toLocaleString());
    if (c.conversationId === state.conversationId) b.setAttribute("aria-current", "true");
    b.addEventListener("click", () => openConversation(c.conversationId));
    li.append(b);
    ul.append(li);
  }
}

async function newConversation() {
  const r = await api("POST", "/api/conversations", { locale: navigator.language || null });
  await openConversation(r.id);
  await loadConversations();
  $("message").focus();
}
$("new-conversation").addEventListener("click", () => newConversation().catch(showError));
$("ended-new").addEventListener("click", () => newConversation().catch(showError));

async function openConversation(id) {
  const box = $("message");
  if (state.conversationId && state.conversationId !== id) {
    if (box.value) state.drafts.set(state.conversationId, box.value); else state.drafts.delete(state.conversationId);
    box.value = state.drafts.get(id) || "";
  }
  state.conversationId = id;
  history.replaceState(null, "", "#c=" + encodeURIComponent(id));
  $("send-error").textContent = "";
  await refresh({ scroll: true });
  for (const b of $("conversation-list").querySelectorAll("button")) {
    if (b.dataset.id === id) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
  }
}

// ---- loading and rendering a branch ----
// Loads and renders the open conversation; { scroll: true } then shows its end (the newest turn, the banner or the box).
async function refresh(options) {
  const id = state.conversationId;
  const [conversation, branches] = await Promise.all([
    api("GET", `/api/conversations/${id}`),
    api("GET", `/api/conversations/${id}/branches`),
  ]);
  const turns = [];
  for (let skip = 0; ; skip += 100) {
    const page = await api("GET", `/api/conversations/${id}/turns?skip=${skip}&take=100`);
    turns.push(...page.turns);
    if (turns.length >= page.total || page.turns.length === 0) break;
  }
  if (state.conversationId !== id) return; // another conversation was opened meanwhile
  state.status = conversation.status; state.branches = branches; state.turns = turns;
  document.title = (conversation.title || "New conversation") + " – " + APP_TITLE;
  render();
  if (options && options.scroll) scrollToEnd();
}

// The page itself scrolls; its end is the newest exchange followed by the ended banner or the message box.
function scrollToEnd() { window.scrollTo({ top: document.scrollingElement.scrollHeight, behavior: "instant" }); }

function nearEnd() { return window.innerHeight + window.scrollY >= document.scrollingElement.scrollHeight - 120; }

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
  await refresh();
}

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
  b.addEventListener("click", () => Promise.resolve(onClick(b)).catch(showError));
  return b;
}

function glyph(text) {
  const g = el("span", "glyph", text);
  g.setAttribute("aria-hidden", "true");
  return g;
}

function render() {
  const ended = state.status.currentBranch.end;
  $("empty-hint").hidden = true;
  const list = $("transcript");
  list.replaceChildren();
  state.turns.forEach((t, i) => list.append(renderExchange(t, i === state.turns.length - 1 && !ended)));
  const pending = state.sends.get(state.conversationId);
  if (pending) list.append(pending.li);
  $("ended-banner").hidden = !ended;
  $("composer").hidden = !!ended;
  $("message").disabled = !!ended;
  updateSendButton();
  if (ended) {
    $("ended-reason").textContent = REASONS[ended.reason] || "";
    $("ending-feedback-form").hidden = true;
    $("ending-feedback-done").hidden = true;
  }
}

function renderExchange(t, isLast) {
  const li = el("li", "exchange");
  li.dataset.turn = t.id;
  const depth = Number(t.id.split(".")[1]);

  // The user's message, with its edit button and version navigation.
  const user = el("div", "msg user");
  user.dataset.role = "user";
  const head = el("div", "who");
  head.append(el("span", null, "You"));
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
  const text = el("div", "text", t.userText);
  user.append(head, text);
  const userActions = el("div", "row-actions");
  userActions.append(button("Edit", `Edit message: ${t.userText.slice(0, 40)}`, (b) => startEdit(user, t, b), "edit"));
  user.append(userActions);

  // The assistant's reply, styled by decision.
  const reply = el("div", `msg assistant decision-${t.decision}`);
  reply.dataset.role = "assistant";
  reply.dataset.decision = t.decision;
  const rhead = el("div", "who");
  rhead.append(el("span", null, "Assistant"));
  if (BADGES[t.decision]) rhead.append(el("span", "badge", BADGES[t.decision]));
  reply.append(rhead);
  if (t.decision === "crisis_support") reply.append(renderCrisis(t.reply));
  else reply.append(el("div", "text", t.reply));

  if (t.decision === "confirm_end" && isLast) {
    if (state.status.currentBranch.awaitingEndConfirmation) {
      const confirm = el("div", "row-actions confirm");
      confirm.append(
        button("Yes, end the conversation", null, () => send("yes"), "primary"),
        button("No, let's continue", null, declineEnd));
      reply.append(confirm);
    } else {
      reply.append(el("p", "done", "You chose to continue the conversation."));
    }
  }

  const actions = el("div", "row-actions");
  const up = button("", null, () => rate(t, t.rating === "up" ? "none" : "up"));
  up.append(glyph("▲"), " Thumbs up");
  up.setAttribute("aria-pressed", String(t.rating === "up"));
  up.classList.add("thumb-up");
  const down = button("", null, () => rate(t, t.rating === "down" ? "none" : "down"));
  down.append(glyph("▼"), " Thumbs down");
  down.setAttribute("aria-pressed", String(t.rating === "down"));
  down.classList.add("thumb-down");
  const fb = button("Feedback", "Give feedback on this reply", (b) => toggleFeedback(reply, t, b), "feedback");
  actions.append(up, down, fb);
  reply.append(actions);
  if (t.feedback) reply.append(el("p", "done", "Feedback sent."));

  li.append(user, reply);
  return li;
}

// The crisis reply in its own order, with its resource lines ("- ...") in a prominent, labelled box.
function renderCrisis(reply) {
  const wrap = el("div", "text");
  let prose = [], box = null;
  const flush = () => { if (prose.join("").trim()) wrap.append(el("p", null, prose.join("\n").trim())); prose = []; };
  for (const line of reply.split("\n")) {
    if (line.trim().startsWith("- ")) {
      if (!box) {
        flush();
        box = el("section", "crisis-resources");
        box.setAttribute("role", "alert");
        box.setAttribute("aria-label", "Crisis resources");
        box.append(el("h4", null, "Help is available right now"), el("ul"));
        wrap.append(box);
      }
      box.querySelector("ul").append(el("li", null, line.trim().slice(2)));
    } else {
      prose.push(line);
    }
  }
  flush();
  if (!box) {
    box = el("section", "crisis-resources");
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "Crisis resources");
    box.append(el("h4", null, "Help is available right now"), el("p", null, "If you are in danger, contact your local emergency services now."));
    wrap.prepend(box);
  }
  return wrap;
}

// "No, let's continue" is an action, not a message: the server drops the pending end request and stores no turn.
async function declineEnd() {
  const id = state.conversationId;
  await api("POST", `/api/conversations/${id}/end-request/decline`);
  if (state.conversationId !== id) return;
  await refresh();
  $("message").focus();
}

async function rate(t, rating) {
  const updated = await api("PUT", `/api/conversations/${state.conversationId}/turns/${t.id}/rating`, { rating });
  t.rating = updated.rating;
  render();
}

// Closes a form opened from a reply or a message (Cancel or Escape) and gives focus back to the button that opened it.
const openers = new WeakMap(); // form -> the button that opened it

function closeForm(form) {
  const opener = openers.get(form);
  form.remove();
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
  area.id = fid; area.rows = 3; area.maxLength = $("ending-feedback-text").maxLength; // the server fills in InputRules' limits area.required = true;
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
    } catch (err) { showError(err); }
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
      await refresh({ scroll: true });
      $("message").focus();
    } catch (err) { submit.disabled = false; showError(err); }
  });
  container.append(form);
  area.focus();
  area.select();
}

// ---- sending ----
function showError(err) {
  const p = err && err.problem;
  $("send-error").textContent = p && p.code === "conversation_ended"
    ? "Your message was not sent: the assistant ended this conversation. " + (REASONS[p.endReason] || "")
    : "Something went wrong: " + (err && err.message ? err.message : String(err));
}

// Whether the open conversation can send now: not ended, and no send of its own still in flight. The Send button, the
// Enter key and the confirm buttons all go through this.
function canSend() {
  const id = state.conversationId;
  return !!id && !!state.status && !state.status.currentBranch.end && !state.sends.has(id);
}

function updateSendButton() { $("send").disabled = !canSend(); }

// A send belongs to the conversation it was typed in: its id is fixed here, its pending exchange is shown only while that
// conversation is open, and when it completes only that conversation is refreshed.
// Resolves to whether the message was sent.
async function send(text) {
  if (!canSend()) return false;
  if (!text.trim()) { $("send-error").textContent = "Write a message first."; return false; }
  const id = state.conversationId;
  $("send-error").textContent = "";
  const pending = pendingExchange(text);
  state.sends.set(id, pending);
  $("transcript").append(pending.li);
  updateSendButton();
  scrollToEnd();
  let failure = null;
  try {
    await sendStreaming(id, text, newId(), pending);
  } catch (err) {
    failure = err;
  }
  state.sends.delete(id);
  pending.li.remove();
  if (state.conversationId === id) {
    try { await refresh({ scroll: true }); } catch (err) { showError(err); }
    if (failure) showError(failure);
  }
  updateSendButton();
  try { await loadConversations(); } catch (err) { showError(err); }
  return !failure;
}

function pendingExchange(text) {
  const li = el("li", "exchange pending");
  const user = el("div", "msg user");
  const head = el("div", "who");
  head.append(el("span", null, "You"));
  user.append(head, el("div", "text", text));
  const reply = el("div", "msg assistant");
  const rhead = el("div", "who");
  rhead.append(el("span", null, "Assistant"));
  const replyText = el("div", "text");
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

// Sends through the Server-Sent Events endpoint: the decision arrives first (shown at once in the pending reply), then the reply.
async function sendStreaming(conversationId, text, messageId, pending) {
  const response = await fetch(`/api/conversations/${conversationId}/messages/stream`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": messageId, Authorization: "Bearer " + state.token },
    body: JSON.stringify({ text }),
  });
  if (!response.ok) {
    const body = await response.text();
    if (response.status === 401) signOut();
    throw new ApiError(body ? JSON.parse(body) : {}, response.status);
  }
  const { reply, rhead, replyText } = pending;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "", received = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
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
        replyText.textContent = received;
      } else if (name === "error") {
        throw new ApiError(data || {}, (data && data.status) || 503); // nothing was stored
      }
      if (follow) scrollToEnd();
    }
  }
}

// Enter and the Send button are one action: the form's submit, refused while the Send button is disabled. The box is
// cleared when the send starts (its text moves into the pending exchange) and given back if the send fails.
function submitComposer() {
  if ($("send").disabled) return;
  const box = $("message");
  const text = box.value;
  const id = state.conversationId;
  if (!text.trim()) { send(text); return; }
  box.value = "";
  send(text).then((sent) => {
    if (sent) return;
    // The send failed: give the text back to the conversation it was typed in, unless something new was written there.
    if (state.conversationId === id) { if (!box.value) box.value = text; } else if (!state.drafts.get(id)) state.drafts.set(id, text);
  });
}
$("composer").addEventListener("submit", (e) => { e.preventDefault(); submitComposer(); });
$("message").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitComposer(); }
});

// ---- the ended banner's actions ----
$("ended-edit").addEventListener("click", () => {
  const edits = $("transcript").querySelectorAll("button.edit");
  if (edits.length) { edits[edits.length - 1].scrollIntoView({ block: "center" }); edits[edits.length - 1].focus(); }
});
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

// Escape closes the form the focus is in: a reply's feedback, an edit, or the feedback about the ending.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || e.defaultPrevented || !(e.target instanceof Element)) return;
  const form = e.target.closest("form.feedback-form");
  if (!form) return;
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
  } catch (err) { showError(err); }
});

// ---- start ----
(async function start() {
  state.token = sessionStorage.getItem("parley.token");
  state.userId = sessionStorage.getItem("parley.user");
  showSignedIn();
  if (!state.token) return;
  try {
    await loadConversations();
    const m = /#c=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (m) await openConversation(m[1]);
  } catch (err) { showError(err); }
})();
