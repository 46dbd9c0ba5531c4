/**
 * The three hub routes huggingface_hub uses to download a snapshot:
 *   GET  /api/models/{id}/revision/{rev}   → commit sha + file list
 *   HEAD /{id}/resolve/{sha}/{file}         → etag, size, commit, CDN location (not followed)
 *   GET  <location>                         → the bytes (redirects followed, Range for resume)
 * The token goes only to the endpoint's origin: a redirect to a CDN never receives it.
 * Dataset repos use /api/datasets/{id}/… and /datasets/{id}/resolve/… instead.
 */
import { HubResponseError } from "./errors.js";
import { discardBody, headerValue, readBodyText, sendRequest, toHubError, type HttpResponse } from "./http-client.js";
import { isCommitHash } from "./model-ref.js";
import { errorFromResponse, type ResponseContext } from "./response-errors.js";
import { withRetries, type RetryPolicy } from "./retry.js";
import { isSafeEtag, normalizeEtag } from "./content-hash.js";
import { displayUrl } from "./token.js";
import type { RepoType } from "./cache-layout.js";

export interface HubClient {
  endpoint: string;
  token?: string;
  userAgent: string;
  metadataTimeoutMs: number;
  downloadTimeoutMs: number;
  retry: RetryPolicy;
  signal?: AbortSignal;
}

export interface RepoInfo {
  id: string;
  /** The commit the revision points to. */
  sha: string;
  /** Repo-relative file names, as the server listed them (not yet checked for safety). */
  siblings: string[];
}

export interface FileMetadata {
  commit: string;
  etag: string;
  size: number;
  /** Where to GET the bytes: the resolve URL itself or the CDN URL the hub redirects to. */
  location: URL;
}

const MAX_REDIRECTS = 10;
/** Metadata calls are cheap to repeat by hand; many slow retries would look like a hang. */
const MAX_METADATA_RETRIES = 2;

function metadataRetry(client: HubClient): RetryPolicy {
  return { ...client.retry, retries: Math.min(client.retry.retries, MAX_METADATA_RETRIES) };
}
const MAX_INFO_BYTES = 64 * 1024 * 1024;

export function repoInfoUrl(endpoint: string, id: string, revision: string, repoType: RepoType = "model"): URL {
  return new URL(`${endpoint}/api/${repoType}s/${id}/revision/${encodeURIComponent(revision)}`);
}

export function resolveFileUrl(endpoint: string, id: string, revision: string, file: string, repoType: RepoType = "model"): URL {
  const encodedFile = file.split("/").map(encodeURIComponent).join("/");
  // Model files resolve at /{id}/…, dataset files at /datasets/{id}/…
  const repo = repoType === "dataset" ? `datasets/${id}` : id;
  return new URL(`${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encodedFile}`);
}

function baseHeaders(client: HubClient, url: URL): Record<string, string> {
  const headers: Record<string, string> = { "user-agent": client.userAgent, "accept-encoding": "identity" };
  if (client.token !== undefined && url.origin === new URL(client.endpoint).origin) {
    headers.authorization = `Bearer ${client.token}`;
  }
  return headers;
}

function responseContext(client: HubClient, id: string, revision: string, url: URL, file?: string): ResponseContext {
  return { id, revision, file, endpoint: client.endpoint, tokenSent: baseHeaders(client, url).authorization !== undefined, token: client.token };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * Sends `method` to `url`, following redirects until `stop(res)` says the response is the one we
 * want (by default any non-redirect). Authorization is recomputed per hop, so it is dropped as
 * soon as a hop leaves the endpoint's origin.
 */
async function requestFollowing(
  client: HubClient,
  url: URL,
  init: { method: "GET" | "HEAD"; headers?: Record<string, string>; timeoutMs: number },
  stop: (res: HttpResponse) => boolean = (res) => !isRedirect(res.status),
): Promise<HttpResponse> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await sendRequest(current, {
      method: init.method,
      headers: { ...baseHeaders(client, current), ...init.headers },
      timeoutMs: init.timeoutMs,
      signal: client.signal,
    });
    if (stop(res) || !isRedirect(res.status)) return res;
    discardBody(res.body);
    const location = headerValue(res.headers, "location");
    if (location === undefined) {
      throw new HubResponseError(displayUrl(current), `${displayUrl(current)} answered HTTP ${res.status} without a Location header.`);
    }
    const next = new URL(location, current);
    if (current.protocol === "https:" && next.protocol !== "https:") {
      throw new HubResponseError(displayUrl(current), `${displayUrl(current)} redirected to insecure ${displayUrl(next)}; refusing to downgrade from https.`);
    }
    if (hop >= MAX_REDIRECTS) {
      throw new HubResponseError(displayUrl(url), `Too many redirects (more than ${MAX_REDIRECTS}) starting at ${displayUrl(url)}.`);
    }
    current = next;
  }
}

export async function fetchRepoInfo(client: HubClient, id: string, revision: string, repoType: RepoType = "model"): Promise<RepoInfo> {
  const url = repoInfoUrl(client.endpoint, id, revision, repoType);
  return withRetries(metadataRetry(client), async () => {
    const res = await requestFollowing(client, url, { method: "GET", headers: { accept: "application/json" }, timeoutMs: client.metadataTimeoutMs });
    if (res.status !== 200) throw await errorFromResponse(res, responseContext(client, id, revision, res.url));
    let text: string;
    try {
      text = await readBodyText(res.body, MAX_INFO_BYTES);
    } catch (error) {
      throw toHubError(error, url);
    }
    return parseRepoInfo(text, id, revision, displayUrl(res.url));
  });
}

function parseRepoInfo(text: string, id: string, revision: string, shownUrl: string): RepoInfo {
  let parsed: { sha?: unknown; siblings?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new HubResponseError(shownUrl, `${shownUrl} did not return JSON for '${id}'; is HF_ENDPOINT a Hugging Face hub (or mirror)?`);
  }
  const sha = parsed.sha;
  if (typeof sha !== "string" || !isCommitHash(sha)) {
    throw new HubResponseError(shownUrl, `${shownUrl} returned no valid commit sha for '${id}' at revision '${revision}'; is HF_ENDPOINT a Hugging Face hub?`);
  }
  if (!Array.isArray(parsed.siblings)) {
    throw new HubResponseError(shownUrl, `${shownUrl} returned no file list ("siblings") for '${id}'; is HF_ENDPOINT a Hugging Face hub?`);
  }
  const siblings = parsed.siblings
    .map((entry) => (entry as { rfilename?: unknown } | null)?.rfilename)
    .filter((name): name is string => typeof name === "string");
  return { id, sha, siblings };
}

/** HEAD on the resolve URL; the hub's LFS redirect carries the metadata and is not followed. */
export async function fetchFileMetadata(client: HubClient, id: string, commit: string, file: string, repoType: RepoType = "model"): Promise<FileMetadata> {
  const url = resolveFileUrl(client.endpoint, id, commit, file, repoType);
  return withRetries(metadataRetry(client), async () => {
    const res = await requestFollowing(client, url, { method: "HEAD", timeoutMs: client.metadataTimeoutMs }, (r) => hasFileMetadata(r));
    const shown = displayUrl(res.url);
    if (res.status >= 400) throw await errorFromResponse(res, responseContext(client, id, commit, res.url, file));
    discardBody(res.body);
    const repoCommit = headerValue(res.headers, "x-repo-commit");
    const etag = normalizeEtag(headerValue(res.headers, "x-linked-etag") ?? headerValue(res.headers, "etag"));
    const size = Number(headerValue(res.headers, "x-linked-size") ?? headerValue(res.headers, "content-length"));
    const location = isRedirect(res.status) ? headerValue(res.headers, "location") : undefined;
    const notHub = `; is HF_ENDPOINT a Hugging Face hub, and is no proxy rewriting responses?`;
    if (repoCommit === undefined) throw new HubResponseError(shown, `${shown} sent no X-Repo-Commit header${notHub}`);
    if (repoCommit !== commit) {
      throw new HubResponseError(shown, `${shown} answered for commit ${repoCommit}, not the requested ${commit}${notHub}`);
    }
    if (etag === undefined || !isSafeEtag(etag)) {
      throw new HubResponseError(shown, `${shown} sent ${etag === undefined ? "no ETag" : `an unusable ETag ${JSON.stringify(etag)}`}${notHub}`);
    }
    if (!Number.isSafeInteger(size) || size < 0) throw new HubResponseError(shown, `${shown} sent no valid file size${notHub}`);
    return { commit: repoCommit, etag, size, location: location === undefined ? res.url : new URL(location, res.url) };
  });
}

function hasFileMetadata(res: HttpResponse): boolean {
  if (!isRedirect(res.status)) return true;
  // A renamed repo redirects without metadata (follow it); an LFS file redirects to the CDN
  // with the metadata attached (stop there, the CDN knows nothing of commits).
  return headerValue(res.headers, "x-repo-commit") !== undefined && (headerValue(res.headers, "x-linked-etag") ?? headerValue(res.headers, "etag")) !== undefined;
}

/**
 * GET the bytes from `location`, from byte `rangeStart` on when resuming. Returns 200, 206 or
 * 416 responses to the caller; anything else becomes a typed error.
 */
export async function openDownload(client: HubClient, location: URL, rangeStart: number, ctx: { id: string; commit: string; file: string }): Promise<HttpResponse> {
  const headers: Record<string, string> = rangeStart > 0 ? { range: `bytes=${rangeStart}-` } : {};
  const res = await requestFollowing(client, location, { method: "GET", headers, timeoutMs: client.downloadTimeoutMs });
  if (res.status === 200 || res.status === 206 || res.status === 416) return res;
  throw await errorFromResponse(res, responseContext(client, ctx.id, ctx.commit, res.url, ctx.file));
}
