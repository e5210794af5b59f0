"use strict";
// The API page: a token form and one try-it form per operation of the OpenAPI document (no inline script: CSP).
const tokenBox = document.getElementById("docs-token");
tokenBox.value = (localStorage.getItem("parley.token") || sessionStorage.getItem("parley.token")) || "";
document.getElementById("token-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const r = await fetch("/api/dev/sign-in", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userName: document.getElementById("docs-user").value, operator: document.getElementById("docs-operator").checked }) });
  const j = await r.json();
  tokenBox.value = j.token || JSON.stringify(j);
  if (j.token) loadOperations();
});
function el(tag, text) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
// The OpenAPI document needs a signed-in user unless Parley:Api:PublicOpenApi is on: send the token when there is one.
async function loadOperations() {
  const ops = document.getElementById("ops");
  const status = document.getElementById("ops-status");
  const token = tokenBox.value.trim();
  const response = await fetch("/openapi/v1.json", token ? { headers: { Authorization: "Bearer " + token } } : {});
  if (!response.ok) {
    status.textContent = response.status === 401 ? "Get or paste a bearer token to load the operations." : `Could not load the OpenAPI document (${response.status}).`;
    return;
  }
  const doc = await response.json();
  status.textContent = "";
  ops.replaceChildren(); // from here on synchronous: a reload never shows a half-built list
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "post", "put", "delete"].includes(method)) continue;
      const d = el("details"); d.className = "op";
      const s = el("summary"); const m = el("span", method.toUpperCase()); m.className = "method";
      s.append(m, path, el("span", " — " + (op.summary || "")));
      const form = el("form"); form.className = "grid";
      const params = (op.parameters || []).concat((item.parameters || []));
      const inputs = {};
      for (const p of params) {
        const id = `${method}-${path}-${p.name}`;
        const l = el("label", `${p.name} (${p.in})`); l.htmlFor = id;
        const i = el("input"); i.id = id; inputs[p.name] = { input: i, where: p.in };
        form.append(l, i);
      }
      let body = null;
      if (op.requestBody) {
        const id = `${method}-${path}-body`;
        const l = el("label", "JSON body"); l.htmlFor = id;
        body = el("textarea"); body.id = id; body.rows = 3; body.value = "{}";
        form.append(l, body);
      }
      const key = el("input"); key.id = `${method}-${path}-idem`; key.placeholder = "Idempotency-Key (sends)";
      if (path.includes("/messages") || path.includes("/edit")) { const l = el("label", "Idempotency-Key"); l.htmlFor = key.id; form.append(l, key); }
      const go = el("button", "Send request"); go.type = "submit"; go.className = "primary";
      const out = el("pre"); out.setAttribute("aria-live", "polite");
      form.append(go, out);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        let url = path; const q = new URLSearchParams();
        for (const [n, { input, where }] of Object.entries(inputs)) {
          if (where === "path") url = url.replace(`{${n}}`, encodeURIComponent(input.value));
          else if (input.value) q.set(n, input.value);
        }
        if ([...q].length) url += "?" + q;
        const headers = { Authorization: "Bearer " + tokenBox.value.trim() };
        if (body) headers["Content-Type"] = "application/json";
        if (key.value) headers["Idempotency-Key"] = key.value;
        const r = await fetch(url, { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
        out.textContent = `${r.status} ${r.statusText}\n\n${await r.text()}`;
      });
      d.append(s, form); ops.append(d);
    }
  }
}
tokenBox.addEventListener("change", loadOperations);
loadOperations();
