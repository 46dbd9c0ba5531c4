/**
 * For the server tests: a server on 127.0.0.1, port 0, one worker with one thread (so results
 * match a CLI run with --threads 1 bit for bit), and a raw HTTP client that can send what fetch
 * will not — a Content-Length it does not keep, bytes dribbled slowly, a socket cut mid-body.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { startServer, type RunningServer, type ServeOptions } from "../../src/server/start-server.js";

export function startTestServer(options: ServeOptions = {}): Promise<RunningServer> {
  return startServer({ host: "127.0.0.1", port: 0, workers: 1, threads: 1, logger: false, ...options });
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): any;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  /** Written in order, `delayMs` apart (a slow sender), unless the response came first. */
  chunks?: Array<Buffer | string>;
  delayMs?: number;
  /** Leave the request unfinished after the chunks (a body shorter than its Content-Length). */
  keepOpen?: boolean;
}

/** Sends a request over a fresh connection and resolves with the response, however early it comes. */
export function rawRequest(baseUrl: string, spec: RawRequest): Promise<RawResponse> {
  const url = new URL(spec.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: spec.method ?? "POST", headers: spec.headers ?? {}, agent: false });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
        req.destroy();
      });
    });
    // the server may cut the connection after answering, while we are still sending
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      for (const chunk of spec.chunks ?? []) {
        if (answered || req.destroyed) return;
        req.write(chunk);
        if (spec.delayMs !== undefined) await new Promise((r) => setTimeout(r, spec.delayMs));
      }
      if (!spec.keepOpen && !req.destroyed) req.end();
    })();
  });
}

/** Sends the head and part of a body, then cuts the connection (a client that goes away mid-upload). */
export function cutRequest(baseUrl: string, head: string, partialBody: Buffer): Promise<void> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(head);
      socket.write(partialBody, () => {
        socket.destroy();
        resolve();
      });
    });
    socket.on("error", reject);
  });
}

/** A multipart/form-data body with the given fields and files. */
export function multipartBody(parts: Array<{ name: string; value: string } | { name: string; filename: string; data: Buffer; type?: string }>): { body: Buffer; contentType: string } {
  const boundary = "----audioclass-test-boundary";
  const pieces: Buffer[] = [];
  for (const part of parts) {
    pieces.push(Buffer.from(`--${boundary}\r\n`));
    if ("value" in part) {
      pieces.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    } else {
      pieces.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? "audio/wav"}\r\n\r\n`));
      pieces.push(part.data, Buffer.from("\r\n"));
    }
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(pieces), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Resolves once `check()` is true, polling; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
