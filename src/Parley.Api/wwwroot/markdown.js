// Markdown in assistant replies: parsed by marked, sanitized by DOMPurify, code highlighted by highlight.js (all vendored
// from npm, pinned, under vendor/ with their licences). Nothing here runs inline script or sets inline style, so it works
// under the page's Content-Security-Policy.
import { Marked } from "/assets/marked.esm.js";
import DOMPurify from "/assets/purify.esm.js";
import hljs from "/assets/hljs-core.min.js";
import bash from "/assets/hljs-bash.min.js";
import csharp from "/assets/hljs-csharp.min.js";
import css from "/assets/hljs-css.min.js";
import diff from "/assets/hljs-diff.min.js";
import go from "/assets/hljs-go.min.js";
import java from "/assets/hljs-java.min.js";
import javascript from "/assets/hljs-javascript.min.js";
import json from "/assets/hljs-json.min.js";
import plaintext from "/assets/hljs-plaintext.min.js";
import python from "/assets/hljs-python.min.js";
import rust from "/assets/hljs-rust.min.js";
import shell from "/assets/hljs-shell.min.js";
import sql from "/assets/hljs-sql.min.js";
import typescript from "/assets/hljs-typescript.min.js";
import xml from "/assets/hljs-xml.min.js";
import yaml from "/assets/hljs-yaml.min.js";

const languages = { bash, csharp, css, diff, go, java, javascript, json, plaintext, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, grammar] of Object.entries(languages)) hljs.registerLanguage(name, grammar);
hljs.configure({ ignoreUnescapedHTML: true });

// Raw HTML in a reply is shown as text, not parsed (replies are markdown); DOMPurify below is the second line of defence.
const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({ renderer: { html: ({ text }) => escapeHtml(text) } });

// Links open in a new tab without access to this page; only http(s), mailto and tel links survive.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    const href = node.getAttribute("href") || "";
    if (!/^(https?:|mailto:|tel:)/i.test(href)) { node.removeAttribute("href"); return; }
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ["style", "img", "form", "input", "button", "textarea", "select", "iframe", "video", "audio", "svg", "math"],
  FORBID_ATTR: ["style", "id", "name"],
};

/** Renders markdown text into a sanitized DocumentFragment (code blocks highlighted, each with a copy button). */
export function renderMarkdown(text, copy) {
  const html = DOMPurify.sanitize(marked.parse(text || ""), PURIFY);
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = template.content;
  for (const code of fragment.querySelectorAll("pre > code")) {
    const lang = (/language-([\w-]+)/.exec(code.className) || [])[1];
    if (lang && hljs.getLanguage(lang)) {
      code.innerHTML = hljs.highlight(code.textContent, { language: lang, ignoreIllegals: true }).value;
      code.classList.add("hljs");
    }
    const pre = code.parentElement;
    const block = document.createElement("div");
    block.className = "code-block";
    const bar = document.createElement("div");
    bar.className = "code-bar";
    const name = document.createElement("span");
    name.textContent = lang || "code";
    bar.append(name, copy(() => code.textContent, "Copy code"));
    pre.replaceWith(block);
    block.append(bar, pre);
  }
  for (const table of fragment.querySelectorAll("table")) {
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.replaceWith(wrap);
    wrap.append(table);
  }
  return fragment;
}
