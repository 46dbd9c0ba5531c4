/**
 * A static file server on 127.0.0.1 for tests in a real browser: URL prefixes mapped to folders,
 * nothing else (no directory listings, no paths outside the folders). Optional cross-origin
 * isolation headers, which browsers require before they give WASM threads a SharedArrayBuffer.
 */
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import type { AddressInfo } from "node:net";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".txt": "text/plain",
  ".wav": "audio/wav",
};

export interface StaticServer {
  readonly origin: string;
  /** Paths requested so far, in order (what the page fetched). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** `mounts`: URL prefix ("/models/default/") → folder; `pages`: exact path → HTML text. */
export async function startStaticServer(mounts: Readonly<Record<string, string>>, pages: Readonly<Record<string, string>> = {}, options: { crossOriginIsolated?: boolean } = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    requests.push(path);
    if (options.crossOriginIsolated) {
      response.setHeader("cross-origin-opener-policy", "same-origin");
      response.setHeader("cross-origin-embedder-policy", "require-corp");
    }
    const page = pages[path];
    if (page !== undefined) {
      response.writeHead(200, { "content-type": TYPES[".html"]! }).end(page);
      return;
    }
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(normalize(dir + sep))) break;
      try {
        const body = await readFile(file);
        response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
      } catch {
        response.writeHead(404).end();
      }
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
