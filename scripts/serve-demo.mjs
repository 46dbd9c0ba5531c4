#!/usr/bin/env node
// npm run demo: builds the demo page into dist/web (scripts/build-browser.mjs) and serves that
// folder on http://127.0.0.1:8080 (PORT to change). A static server and nothing else; it sends the
// cross-origin isolation headers so ONNX Runtime may use WASM threads.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDemo } from "./build-browser.mjs";

const dir = fileURLToPath(new URL("../dist/web/", import.meta.url));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".wav": "audio/wav", ".md": "text/plain; charset=utf-8" };

await buildDemo(dir);
const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
  const file = normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
  response.setHeader("cross-origin-opener-policy", "same-origin");
  response.setHeader("cross-origin-embedder-policy", "require-corp");
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
    response.writeHead(404).end("not found");
    return;
  }
  response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(response);
});
const port = Number(process.env.PORT ?? 8080);
server.listen(port, "127.0.0.1", () => console.log(`audioclass demo: http://127.0.0.1:${port}/  (Ctrl-C to stop)`));
