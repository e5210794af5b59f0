"use strict";
// The operators' page: reads /api/operator/summary with a bearer token every 10 s, and opens the Orleans Dashboard
// through a dashboard session (an HttpOnly cookie honoured only under /dashboard). No inline script: CSP.
const $ = (id) => document.getElementById(id);
const tokenBox = $("op-token");
tokenBox.value = sessionStorage.getItem("parley.operator-token") || localStorage.getItem("parley.token") || "";
let timer = null;

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}
function row(cells) {
  const tr = el("tr");
  for (const c of cells) tr.append(c instanceof Node ? c : el("td", String(c), typeof c === "number" ? "num" : undefined));
  return tr;
}
function fill(id, rows) { $(id).querySelector("tbody").replaceChildren(...rows); }
function pairs(counts) { return Object.entries(counts || {}).sort((a, b) => b[1] - a[1]); }
function list(counts) { return pairs(counts).map(([k, v]) => `${k} ${v}`).join(", ") || "—"; }
function token() { return tokenBox.value.trim(); }

async function load() {
  const status = $("op-status");
  if (!token()) { status.textContent = "Sign in first: paste an operator's token, or use the development sign-in."; return; }
  let r;
  try { r = await fetch("/api/operator/summary", { headers: { Authorization: "Bearer " + token() } }); }
  catch { status.textContent = "Parley can't be reached right now."; return; }
  if (r.status === 401) { status.textContent = "The token was refused (expired or not valid here): sign in again."; $("summary").hidden = true; return; }
  if (r.status === 403) { status.textContent = "This token has no operator role."; $("summary").hidden = true; return; }
  if (!r.ok) { status.textContent = `The summary could not be read (${r.status}).`; return; }
  const s = await r.json();
  status.textContent = "";
  render(s);
}

function render(s) {
  $("summary").hidden = false;
  const active = s.silos.filter((x) => x.status === "Active").length;
  $("headline").textContent = `${active} active silo(s), ${s.activations} activations, ${s.decisionsLastMinute} decisions in the last complete minute. ` +
    `As of ${new Date(s.at).toLocaleTimeString()}.`;
  fill("silos", s.silos.map((x) => row([x.address, x.status, x.activations ?? "no answer",
    x.reportedAt ? new Date(x.reportedAt).toLocaleTimeString() : "not yet"])));
  const recent = s.minutes.slice(-15).reverse();
  const most = Math.max(1, ...recent.map((m) => m.decisionTotal));
  fill("minutes", recent.map((m) => {
    const bar = el("div", undefined, "bar"); bar.style.width = (100 * m.decisionTotal / most) + "%";
    const cell = el("td", undefined, "bar-cell"); cell.append(bar);
    return row([new Date(m.minute).toISOString().slice(11, 16), m.decisionTotal, cell, list(m.decisions), list(m.endings)]);
  }));
  fill("decisions", pairs(s.decisions).map(([k, v]) => row([k, v])));
  fill("endings", pairs(s.endings).map(([k, v]) => row([k, v])));
  if (!Object.keys(s.endings).length) fill("endings", [row(["no endings in the last hour"])]);
  const f = s.feedback;
  $("feedback-overall").textContent = `${f.overall.up} up, ${f.overall.down} down, ${f.writtenCount} written.`;
  fill("feedback-decision", Object.entries(f.byDecision).map(([k, v]) => row([k, v.up, v.down])));
  fill("feedback-reason", Object.entries(f.byEndReason).map(([k, v]) => row([k, v.up, v.down])));
}

function start() {
  sessionStorage.setItem("parley.operator-token", token());
  clearInterval(timer);
  load();
  timer = setInterval(load, 10_000);
}

$("token-form").addEventListener("submit", (e) => { e.preventDefault(); start(); });
$("dev-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const r = await fetch("/api/dev/sign-in", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userName: $("op-user").value.trim(), operator: true }) });
  const j = await r.json().catch(() => ({}));
  if (!j.token) { $("op-status").textContent = j.detail || `The development sign-in is not available (${r.status}).`; return; }
  tokenBox.value = j.token;
  start();
});
$("open-dashboard").addEventListener("click", async () => {
  const r = await fetch("/api/operator/dashboard-session", { method: "POST", headers: { Authorization: "Bearer " + token() } });
  const j = await r.json().catch(() => ({}));
  if (r.ok) { location.href = j.url; return; }
  $("dashboard-status").textContent = j.detail || `The dashboard could not be opened (${r.status}).`;
});
start();
