/**
 * Model files over HTTP, for browsers (and any runtime with fetch): a hub id becomes
 * `{endpoint}/{id}/resolve/{revision}/{file}` — the URLs the Hugging Face hub serves and
 * transformers.js reads — and a URL or a page-relative path ("./models/default/") is taken as the
 * folder itself. Files are kept in the Cache Storage API (when there is one), so a model is
 * downloaded once and then loads offline.
 */
import { describeValue } from "../errors.js";
import { HubAuthError, HubConnectionError, HubHttpError, InvalidModelRefError, RepositoryNotFoundError } from "./errors.js";
import type { ModelFiles } from "./model-files.js";
import { parseModelRef } from "./model-ref.js";

export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";
/** The Cache Storage cache model files are kept in (transformers.js keeps its own in "transformers-cache"). */
export const DEFAULT_MODEL_CACHE_NAME = "audioclass-models";

export interface FetchModelFilesOptions {
  /** Hub base URL (default https://huggingface.co; a mirror serving the same /resolve/ paths works). */
  endpoint?: string;
  /** Branch, tag or commit for hub ids (default "main"; "org/name@rev" in the reference wins). */
  revision?: string;
  /** Keep files in Cache Storage under this name (default "audioclass-models"); false: always fetch. */
  cache?: boolean | string;
  /** Sent as `Authorization: Bearer …` for gated or private models. */
  token?: string;
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
}

interface CacheStorageLike {
  open(name: string): Promise<{ match(url: string): Promise<Response | undefined>; put(url: string, response: Response): Promise<void> }>;
}

/** Page-relative paths and absolute URLs name a folder of files; anything else is a hub id. */
export function isModelUrl(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || ref.startsWith("/") || ref.startsWith("./") || ref.startsWith("../");
}

/** `{endpoint}/{id}/resolve/{revision}/{file}`, as the hub serves files. */
export function hubFileUrl(endpoint: string, id: string, revision: string, file: string): string {
  return `${endpoint.replace(/\/+$/, "")}/${id}/resolve/${encodeURIComponent(revision)}/${file}`;
}

/** The base URL (ending in "/") a reference's files are fetched from. */
export function modelBaseUrl(ref: string, options: Pick<FetchModelFilesOptions, "endpoint" | "revision"> = {}): string {
  if (typeof ref !== "string" || ref.length === 0) {
    throw new InvalidModelRefError(`a model reference must be a hub id ("org/name", "org/name@revision") or a URL of a model folder, got ${describeValue(ref)}`);
  }
  if (isModelUrl(ref)) {
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    let url: URL;
    try {
      url = page === undefined ? new URL(ref) : new URL(ref, page);
    } catch (cause) {
      throw new InvalidModelRefError(`${JSON.stringify(ref)} is not a URL this page can fetch (relative paths need a page to be relative to)`, { cause });
    }
    return url.href.endsWith("/") ? url.href : `${url.href}/`;
  }
  const parsed = parseModelRef(ref);
  return hubFileUrl(options.endpoint ?? DEFAULT_HUB_ENDPOINT, parsed.id, parsed.revision ?? options.revision ?? "main", "");
}

export class FetchModelFiles implements ModelFiles {
  readonly location: string;
  readonly #options: FetchModelFilesOptions;
  #cache: ReturnType<CacheStorageLike["open"]> | undefined;

  constructor(
    /** What the user named (a hub id or a URL), for messages. */
    readonly ref: string,
    options: FetchModelFilesOptions = {},
  ) {
    this.location = modelBaseUrl(ref, options);
    this.#options = options;
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    const url = this.location + name.split("/").map(encodeURIComponent).join("/");
    const cache = await this.#openCache();
    const cached = await cache?.match(url);
    if (cached !== undefined) return new Uint8Array(await cached.arrayBuffer());
    const response = await this.#fetch(url, name);
    if (response === undefined) return undefined;
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    // A full cache (quota) only costs the next load a download.
    await cache?.put(url, response).catch(() => undefined);
    return bytes;
  }

  async #fetch(url: string, name: string): Promise<Response | undefined> {
    const doFetch = this.#options.fetch ?? globalThis.fetch;
    const headers: Record<string, string> = this.#options.token === undefined ? {} : { authorization: `Bearer ${this.#options.token}` };
    let response: Response;
    try {
      response = await doFetch(url, { headers });
    } catch (cause) {
      throw new HubConnectionError(url, `cannot fetch ${url}: ${(cause as Error).message ?? String(cause)} (offline? a hub model loads offline only once it is in the browser's cache)`, { cause, retryable: true });
    }
    if (response.ok) return response;
    await response.body?.cancel().catch(() => undefined);
    const code = response.headers.get("x-error-code");
    if (code === "RepoNotFound") {
      throw new RepositoryNotFoundError(this.ref, this.#options.endpoint ?? DEFAULT_HUB_ENDPOINT, `${this.ref} is not a model on ${this.#options.endpoint ?? DEFAULT_HUB_ENDPOINT} (or is private: pass a token)`);
    }
    if (response.status === 404) return undefined;
    if (response.status === 401 || response.status === 403) {
      throw new HubAuthError(response.status, `${url} answered HTTP ${response.status}: ${this.ref} is gated or private; pass a token that can read it`);
    }
    throw new HubHttpError(response.status, url, `cannot fetch ${name} of ${this.ref}: ${url} answered HTTP ${response.status}`);
  }

  #openCache(): ReturnType<CacheStorageLike["open"]> | Promise<undefined> {
    const setting = this.#options.cache ?? true;
    const storage = (globalThis as { caches?: CacheStorageLike }).caches;
    if (setting === false || storage === undefined) return Promise.resolve(undefined);
    // Cache Storage exists only in secure contexts; elsewhere open() rejects, and we fetch every time.
    this.#cache ??= storage.open(typeof setting === "string" ? setting : DEFAULT_MODEL_CACHE_NAME).catch(() => undefined) as ReturnType<CacheStorageLike["open"]>;
    return this.#cache;
  }
}
