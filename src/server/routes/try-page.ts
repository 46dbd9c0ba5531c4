/**
 * GET /: one page to try the server from a browser. A plain form that works without JavaScript
 * (each button posts the multipart form to its route and the browser shows the JSON); with
 * JavaScript the answer is drawn as a table of scores (or windows and events) under the form.
 * Every control has a label, hints are tied to their fields, focus is visible, results are
 * announced (aria-live), and the Content-Security-Policy allows only this page's own script and
 * style (by hash).
 */
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { ModelsInfo } from "../inference-task.js";
import type { RouteContext } from "./route-context.js";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `
:root { color-scheme: light dark; --accent: #1f5fbf; --muted: #555; --bg: #fff; --fg: #111; --line: #ccc; }
@media (prefers-color-scheme: dark) { :root { --accent: #8fb8ff; --muted: #aaa; --bg: #151515; --fg: #eee; --line: #444; } }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: var(--bg); color: var(--fg); }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.lead, .hint { color: var(--muted); }
.hint { font-size: .9rem; margin: .15rem 0 0; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.field { margin: .75rem 0; }
label { display: block; font-weight: 600; }
input, select, button { font: inherit; }
input[type=number], input[type=text], select { padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); min-width: 12rem; }
.row { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
input[type=text] { width: 100%; box-sizing: border-box; }
.buttons { display: flex; gap: .75rem; flex-wrap: wrap; margin-bottom: 1.25rem; }
button { padding: .5rem 1.1rem; border-radius: 4px; border: 2px solid var(--accent); background: var(--accent); color: var(--bg); cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); }
button:disabled { opacity: .5; cursor: not-allowed; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
td.score { font-variant-numeric: tabular-nums; width: 6rem; }
meter { width: 100%; }
#result { margin-bottom: 1.25rem; }
.error { border-left: 4px solid #c62828; padding: .5rem .75rem; background: rgba(198, 40, 40, .08); }
pre { overflow: auto; font-size: .85rem; }
code { font-size: .9em; }
`;

const SCRIPT = `
const form = document.getElementById("try");
const result = document.getElementById("result");
const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); return e; };
function scoreTable(caption, predictions) {
  const table = el("table"); table.append(el("caption", caption));
  const head = el("tr"); head.append(el("th", "label"), el("th", "score"), el("th", "")); table.append(head);
  for (const p of predictions) {
    const row = el("tr"); const bar = el("td"); const meter = el("meter");
    meter.min = 0; meter.max = 1; meter.value = Math.max(0, Math.min(1, p.score)); meter.setAttribute("aria-hidden", "true"); bar.append(meter);
    const score = el("td", p.score.toFixed(4)); score.className = "score";
    row.append(el("td", p.label), score, bar); table.append(row);
  }
  return table;
}
const span = (s) => s.start.toFixed(2) + "–" + s.end.toFixed(2) + " s";
function show(data, ok) {
  result.replaceChildren();
  if (!ok) {
    const box = el("div"); box.className = "error"; box.setAttribute("role", "alert");
    const type = el("strong", (data.error && data.error.type) || "Error");
    box.append(type, el("span", ": " + ((data.error && data.error.message) || "the request failed")));
    result.append(box); return;
  }
  if (Array.isArray(data)) result.append(scoreTable("Scores", data));
  else {
    const events = el("table"); events.append(el("caption", "Events"));
    const head = el("tr"); head.append(el("th", "time"), el("th", "label"), el("th", "score")); events.append(head);
    for (const e of data.events) { const row = el("tr"); row.append(el("td", span(e)), el("td", e.label), el("td", e.score.toFixed(4))); events.append(row); }
    result.append(events);
    for (const s of data.segments) result.append(scoreTable("Window " + span(s), s.predictions.slice(0, 3)));
  }
  const raw = el("details"); raw.append(el("summary", "JSON"), el("pre", JSON.stringify(data, null, 2))); result.append(raw);
}
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = event.submitter || form.querySelector("button[type=submit]");
  const route = button.getAttribute("formaction");
  const zeroShot = route === "/zero-shot";
  const body = new FormData();
  const file = document.getElementById("file").files[0];
  if (!file) { show({ error: { type: "RequestBodyError", message: "choose an audio file first" } }, false); return; }
  body.append("file", file);
  const names = zeroShot ? ["candidate_labels", "window", "hop", "threshold"] : ["top_k", "function_to_apply", "window", "hop", "threshold"];
  for (const name of names) { const value = form.elements[name].value.trim(); if (value !== "") body.append(name, value); }
  for (const b of form.querySelectorAll("button")) b.disabled = true;
  result.replaceChildren(el("p", "Working…"));
  try {
    const response = await fetch(route, { method: "POST", body });
    show(await response.json(), response.ok);
  } catch (error) {
    show({ error: { type: "NetworkError", message: String(error) } }, false);
  } finally {
    for (const b of form.querySelectorAll("button")) b.disabled = b.dataset.unavailable === "true";
  }
});
`;

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

export const TRY_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function tryPageHtml(models: ModelsInfo): string {
  const { classify, zeroShot } = models;
  const name = (dir: string) => escapeHtml(dir.replace(/[\\/]+$/, "").split(/[\\/]/).slice(-2).join("/"));
  const zeroShotNote = zeroShot === undefined ? "Zero-shot is off: start the server with <code>--zero-shot-model</code> to use it." : `Zero-shot model: <code>${name(zeroShot.dir)}</code>.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>audioclass — try it</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>audioclass</h1>
<p class="lead">Classify a sound file with <code>${name(classify.dir)}</code> (${classify.labels.length} labels, ${classify.samplingRate} Hz). ${zeroShotNote}</p>
<form id="try" method="post" action="/classify" enctype="multipart/form-data">
  <div class="field">
    <label for="file">Audio file</label>
    <input id="file" name="file" type="file" accept="audio/*" required aria-describedby="file-hint">
    <p class="hint" id="file-hint">WAV, MP3, FLAC, Ogg Vorbis or Opus.</p>
  </div>
  <fieldset>
    <legend>Classification</legend>
    <div class="row">
      <div class="field">
        <label for="top_k">Labels to show</label>
        <input id="top_k" name="top_k" type="number" min="1" max="${classify.labels.length}" inputmode="numeric" aria-describedby="top_k-hint">
        <p class="hint" id="top_k-hint">Empty: all ${classify.labels.length}.</p>
      </div>
      <div class="field">
        <label for="function_to_apply">Scores</label>
        <select id="function_to_apply" name="function_to_apply">
          <option value="">softmax (one label)</option>
          <option value="sigmoid">sigmoid (several labels)</option>
          <option value="none">raw logits</option>
        </select>
      </div>
    </div>
  </fieldset>
  <fieldset>
    <legend>Zero-shot</legend>
    <div class="field">
      <label for="candidate_labels">Candidate labels</label>
      <input id="candidate_labels" name="candidate_labels" type="text" placeholder="dog barking, vacuum cleaner" aria-describedby="labels-hint"${zeroShot === undefined ? " disabled" : ""}>
      <p class="hint" id="labels-hint">Comma-separated; used by the zero-shot button.</p>
    </div>
  </fieldset>
  <fieldset>
    <legend>Long audio (optional)</legend>
    <div class="row">
      <div class="field">
        <label for="window">Window (s)</label>
        <input id="window" name="window" type="number" min="0" step="any" inputmode="decimal" aria-describedby="window-hint">
      </div>
      <div class="field">
        <label for="hop">Hop (s)</label>
        <input id="hop" name="hop" type="number" min="0" step="any" inputmode="decimal">
      </div>
      <div class="field">
        <label for="threshold">Event threshold</label>
        <input id="threshold" name="threshold" type="number" step="any" inputmode="decimal">
      </div>
    </div>
    <p class="hint" id="window-hint">Set a window or a hop to score the whole file window by window (default window: ${classify.inputSeconds === undefined ? "none" : `${classify.inputSeconds} s`}).</p>
  </fieldset>
  <div class="buttons">
    <button type="submit" formaction="/classify">Classify</button>
    <button type="submit" class="secondary" formaction="/zero-shot"${zeroShot === undefined ? ' disabled data-unavailable="true"' : ""}>Zero-shot</button>
  </div>
</form>
<section id="result" aria-live="polite" aria-label="Result"></section>
<p class="hint">API: <code>POST /classify</code>, <code>POST /zero-shot</code>, <code>POST /models/&lt;name&gt;</code> (Hugging Face Inference API shape), <code>GET /health</code>, <code>GET /metrics</code>.</p>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

export async function tryPageRoute(app: FastifyInstance, context: RouteContext): Promise<void> {
  const html = tryPageHtml(context.pool.models);
  app.get("/", async (_request, reply) => {
    reply.type("text/html; charset=utf-8").header("content-security-policy", TRY_PAGE_CSP).header("x-content-type-options", "nosniff");
    return html;
  });
}
