/**
 * One HTTP request over node:http(s), with the guarantees downloads need and fetch lacks: an idle
 * timeout that covers connecting and every pause in the body (not a cap on the whole transfer),
 * no automatic decompression (sizes and hashes are of the bytes on the wire), and network errors
 * turned into typed errors that name the URL but never the request headers.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { HubAbortError, HubConnectionError, HubTimeoutError } from "./errors.js";
import { displayUrl } from "./token.js";

export interface HttpRequestOptions {
  method: "GET" | "HEAD";
  headers: Record<string, string>;
  /** Idle timeout: connecting, waiting for headers, and any gap between body chunks. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  url: URL;
  body: IncomingMessage;
}

/** Network error codes worth retrying (the connection broke); refused/unknown hosts are not. */
const RETRYABLE_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "EAI_AGAIN", "UND_ERR_SOCKET", "ERR_STREAM_PREMATURE_CLOSE"]);

export function sendRequest(url: URL, options: HttpRequestOptions): Promise<HttpResponse> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.reject(new HubConnectionError(displayUrl(url), `Cannot fetch ${displayUrl(url)}: only http and https URLs are supported.`, { retryable: false }));
  }
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<HttpResponse>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError(url, options.signal));
      return;
    }
    const req = send(url, { method: options.method, headers: options.headers, timeout: options.timeoutMs });
    const onAbort = () => req.destroy(abortError(url, options.signal));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("timeout", () => {
      req.destroy(
        new HubTimeoutError(
          displayUrl(url),
          options.timeoutMs,
          `No data from ${displayUrl(url)} for ${formatSeconds(options.timeoutMs)}; the server or the network is too slow or down. ` +
            `Retry, or raise the limit with HF_HUB_DOWNLOAD_TIMEOUT / HF_HUB_ETAG_TIMEOUT (seconds).`,
        ),
      );
    });
    let response: IncomingMessage | undefined;
    req.on("error", (error) => {
      options.signal?.removeEventListener("abort", onAbort);
      // After the headers arrived, the failure belongs to whoever is reading the body: hand it
      // the real cause (timeout, abort) rather than a bare "aborted".
      if (response !== undefined) response.destroy(toHubError(error, url));
      else reject(toHubError(error, url));
    });
    req.on("response", (body) => {
      response = body;
      body.on("close", () => options.signal?.removeEventListener("abort", onAbort));
      resolve({ status: body.statusCode ?? 0, headers: body.headers, url, body });
    });
    req.end();
  });
}

/** Converts a socket/stream failure to a HubConnectionError (typed errors pass through). */
export function toHubError(error: unknown, url: URL | string): Error {
  if (error instanceof HubConnectionError || error instanceof HubAbortError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const shown = displayUrl(url);
  const detail = code ? `${code}` : error instanceof Error ? error.message : String(error);
  const hint =
    code === "ENOTFOUND" || code === "EAI_AGAIN"
      ? "the host name does not resolve; check HF_ENDPOINT and your DNS/proxy settings"
      : code === "ECONNREFUSED"
        ? "nothing is listening there; check HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use the cache only"
        : "the connection failed; check your network and retry";
  const unreachable = code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ECONNREFUSED";
  const what = unreachable ? `Could not reach ${shown}` : `The connection to ${shown} broke`;
  return new HubConnectionError(shown, `${what} (${detail}): ${hint}.`, {
    cause: error,
    retryable: RETRYABLE_CODES.has(code) || code === "" || /aborted|socket hang up/i.test(detail),
  });
}

function abortError(url: URL, signal: AbortSignal | undefined): HubAbortError {
  return new HubAbortError(`Request to ${displayUrl(url)} was cancelled.`, { cause: signal?.reason });
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0];
  return value;
}

/** Reads at most `limit` bytes of a (small, error) body as text, then discards the rest. */
export async function readBodyText(body: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size < limit) chunks.push(buf.subarray(0, limit - size));
      size += buf.length;
      if (size >= limit) break;
    }
  } catch {
    // a broken error body is not worth a second error
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Drops a response body we do not need (a redirect's) so the socket can be reused or freed. */
export function discardBody(body: IncomingMessage): void {
  body.resume();
  body.on("error", () => undefined);
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Bytes queued from a body before the socket is paused (backpressure when the disk is slower). */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/**
 * Feeds every chunk of `body` to `onChunk`, one at a time, and settles when the body ends.
 * Unlike `for await`, chunks are taken off the stream as they arrive, so when the connection
 * drops, everything received before the drop still reaches `onChunk` (and the resume starts
 * after it) instead of being discarded with the stream's internal buffer.
 */
export function consumeBody(body: IncomingMessage, onChunk: (chunk: Buffer) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (body.destroyed) {
      // Closed before we got to it (the caller awaited something in between): what it had is gone.
      reject(body.errored ?? new HubConnectionError("", "The connection closed before the response was read.", { retryable: true }));
      return;
    }
    const queue: Buffer[] = [];
    let queued = 0;
    let ended = false;
    let failure: unknown;
    let running = false;
    let settled = false;

    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (error === undefined) resolve();
      else {
        body.destroy();
        reject(error);
      }
    };
    const pump = async () => {
      if (running || settled) return;
      running = true;
      try {
        while (queue.length > 0) {
          const chunk = queue.shift() as Buffer;
          queued -= chunk.length;
          if (queued < MAX_QUEUED_BYTES / 2 && body.isPaused()) body.resume();
          await onChunk(chunk);
        }
      } catch (error) {
        running = false;
        settle(error);
        return;
      }
      running = false;
      if (failure !== undefined) settle(failure);
      else if (ended) settle();
    };

    body.on("data", (chunk: Buffer) => {
      queue.push(chunk);
      queued += chunk.length;
      if (queued > MAX_QUEUED_BYTES) body.pause();
      void pump();
    });
    body.on("end", () => {
      ended = true;
      void pump();
    });
    body.on("error", (error) => {
      failure ??= error;
      void pump();
    });
    body.on("close", () => {
      if (!ended) failure ??= new HubConnectionError("", "The connection closed before the response was complete.", { retryable: true });
      void pump();
    });
  });
}
