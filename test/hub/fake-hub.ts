/**
 * A small Hugging Face hub for tests, on 127.0.0.1 (random ports): the routes huggingface_hub
 * uses, answered the way the real hub answers them, plus a separate "CDN" origin that LFS files
 * redirect to. Knobs let a test drop a connection mid-file, corrupt bytes, slow a transfer or
 * stall a response; every request is recorded.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURE_MODELS = fileURLToPath(new URL("../fixtures/hf/models/", import.meta.url));

export interface FakeRepoSpec {
  id: string;
  /** Dataset repos answer under /api/datasets/{id}/… and /datasets/{id}/resolve/… (default "model"). */
  repoType?: "model" | "dataset";
  files: Record<string, Buffer | string>;
  /** Requires `Authorization: Bearer <hub token>` for file downloads (the API stays public, as on the hub). */
  gated?: boolean;
  /** How LFS files (weights) are served: 302 to the CDN origin (default), 302 to a path on the hub, or directly. */
  lfsRedirect?: "cdn" | "relative" | "none";
  /** Names listed in the file list that are not served (e.g. hostile names). */
  extraSiblings?: string[];
  /** Files served with one byte flipped while the etag promises the original. */
  corrupt?: string[];
  commit?: string;
}

export interface RecordedRequest {
  server: "hub" | "cdn";
  method: string;
  path: string;
  range?: string;
  authorization?: string;
}

export interface FakeRepo {
  id: string;
  commit: string;
  files: Map<string, Buffer>;
  spec: FakeRepoSpec;
}

const LFS_SUFFIXES = [".safetensors", ".bin", ".onnx", ".onnx_data", ".parquet"];

export function isLfs(name: string): boolean {
  return LFS_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function gitSha1(bytes: Buffer): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The etag the hub gives a file: sha256 for LFS files, git blob sha1 otherwise. */
export function etagOf(name: string, bytes: Buffer): string {
  return isLfs(name) ? sha256(bytes) : gitSha1(bytes);
}

/** The files of a fixture model (test/fixtures/hf/models/<name>). */
export function fixtureFiles(name: string): Record<string, Buffer> {
  const dir = join(FIXTURE_MODELS, name);
  return Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file))]));
}

export class FakeHub {
  readonly requests: RecordedRequest[] = [];
  readonly repos = new Map<string, FakeRepo>();
  token = "hf_testTokenAbcdefghijklmnopqrstuvwxyz0123";
  /** Next GET of a blob whose repo path contains the key stops after this many body bytes. */
  readonly dropOnce = new Map<string, number>();
  /** Delay between 16 KiB chunks of blob bodies, to make transfers overlap. */
  chunkDelayMs = 0;
  /** Paths (substring) for which the hub accepts the request and never answers. */
  readonly stall = new Set<string>();
  /** Next GET of a blob whose repo path contains the key sends this many bytes, then goes silent. */
  readonly stallAfter = new Map<string, number>();
  /** The next N requests whose path contains the key get a 503. */
  readonly failNext = new Map<string, number>();
  /** Answer Range requests with the whole file (200), as some proxies do. */
  ignoreRange = false;
  /** Old id → new id: every route of the old id answers 307 to the new one, as after a rename. */
  readonly renamed = new Map<string, string>();
  url = "";
  cdnUrl = "";
  private hub!: Server;
  private cdn!: Server;

  addRepo(spec: FakeRepoSpec): FakeRepo {
    const files = new Map(Object.entries(spec.files).map(([name, data]) => [name, Buffer.isBuffer(data) ? data : Buffer.from(data)]));
    const commit = spec.commit ?? createHash("sha1").update(`commit:${spec.id}`).digest("hex");
    const repo = { id: spec.id, commit, files, spec };
    // keyed by the URL path: "org/name" for models, "datasets/org/name" for datasets
    this.repos.set(spec.repoType === "dataset" ? `datasets/${spec.id}` : spec.id, repo);
    return repo;
  }

  async start(): Promise<this> {
    this.hub = createServer((req, res) => this.handle("hub", req, res));
    this.cdn = createServer((req, res) => this.handle("cdn", req, res));
    this.url = await listen(this.hub);
    this.cdnUrl = await listen(this.cdn);
    return this;
  }

  async close(): Promise<void> {
    for (const server of [this.hub, this.cdn]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Requests for a repo file (resolve or CDN), optionally only one method. */
  requestsFor(fragment: string, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.includes(fragment) && (method === undefined || r.method === method));
  }

  private handle(server: "hub" | "cdn", req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname);
    this.requests.push({ server, method: req.method ?? "", path, range: req.headers.range, authorization: req.headers.authorization });
    if ([...this.stall].some((s) => path.includes(s))) return; // never answer
    const failKey = [...this.failNext.keys()].find((k) => path.includes(k));
    if (failKey !== undefined) {
      const left = (this.failNext.get(failKey) ?? 1) - 1;
      if (left <= 0) this.failNext.delete(failKey);
      else this.failNext.set(failKey, left);
      return sendError(res, 503, undefined, "Service Unavailable");
    }
    for (const [from, to] of this.renamed) {
      for (const prefix of [`/api/models/${from}/`, `/${from}/resolve/`]) {
        if (path.startsWith(prefix)) {
          res.writeHead(307, { location: prefix.replace(from, to) + path.slice(prefix.length), "content-length": "0" });
          return void res.end();
        }
      }
    }
    if (path.startsWith("/cdn/")) return this.serveCdn(req, res, path.slice("/cdn/".length));
    if (server === "cdn") return sendError(res, 404, undefined, "not found");
    if (path.startsWith("/api/models/")) return this.serveInfo(res, path.slice("/api/models/".length));
    if (path.startsWith("/api/datasets/")) return this.serveInfo(res, `datasets/${path.slice("/api/datasets/".length)}`);
    const resolveAt = path.indexOf("/resolve/");
    if (resolveAt > 0) return this.serveResolve(req, res, path.slice(1, resolveAt), path.slice(resolveAt + "/resolve/".length));
    sendError(res, 404, undefined, "not found");
  }

  private serveInfo(res: ServerResponse, rest: string): void {
    const at = rest.lastIndexOf("/revision/");
    const repo = this.repos.get(rest.slice(0, at));
    if (at < 0 || repo === undefined) return sendError(res, 404, "RepoNotFound", "Repository not found");
    const revision = rest.slice(at + "/revision/".length);
    if (revision !== "main" && revision !== repo.commit) return sendError(res, 404, "RevisionNotFound", `Invalid rev id: ${revision}`);
    const siblings = [...repo.files.keys(), ...(repo.spec.extraSiblings ?? [])].map((rfilename) => ({ rfilename }));
    const body = JSON.stringify({ id: repo.id, modelId: repo.id, sha: repo.commit, private: false, gated: repo.spec.gated ? "auto" : false, siblings });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }

  private serveResolve(req: IncomingMessage, res: ServerResponse, id: string, rest: string): void {
    const repo = this.repos.get(id);
    if (repo === undefined) return sendError(res, 404, "RepoNotFound", "Repository not found");
    const slash = rest.indexOf("/");
    const revision = rest.slice(0, slash);
    const file = rest.slice(slash + 1);
    if (revision !== "main" && revision !== repo.commit) return sendError(res, 404, "RevisionNotFound", "Invalid rev id");
    if (repo.spec.gated) {
      const auth = req.headers.authorization;
      if (auth === undefined) return sendError(res, 401, "GatedRepo", `Access to model ${id} is restricted. You must be authenticated to access it.`);
      if (auth !== `Bearer ${this.token}`) return sendError(res, 403, "GatedRepo", `Access to model ${id} is restricted and you are not in the authorized list.`);
    }
    const bytes = repo.files.get(file);
    if (bytes === undefined) return sendError(res, 404, "EntryNotFound", `${file} does not exist`, { "x-repo-commit": repo.commit });
    const etag = etagOf(file, bytes);
    const common = { "x-repo-commit": repo.commit };
    const mode = repo.spec.lfsRedirect ?? "cdn";
    if (isLfs(file) && mode !== "none") {
      const target = `/cdn/${etag}`;
      const location = mode === "cdn" ? `${this.cdnUrl}${target}?X-Amz-Signature=signed-secret` : target;
      res.writeHead(302, { ...common, location, "x-linked-etag": `"${etag}"`, "x-linked-size": String(bytes.length), etag: `"${gitSha1(Buffer.from("pointer"))}"`, "content-length": "0" });
      return void res.end();
    }
    if (req.method === "HEAD") {
      res.writeHead(200, { ...common, etag: `"${etag}"`, "content-length": String(bytes.length) });
      return void res.end();
    }
    this.serveBytes(req, res, `${id}/${file}`, this.served(repo, file, bytes), { ...common, etag: `"${etag}"` });
  }

  private serveCdn(req: IncomingMessage, res: ServerResponse, etag: string): void {
    for (const repo of this.repos.values()) {
      for (const [file, bytes] of repo.files) {
        if (etagOf(file, bytes) === etag) return this.serveBytes(req, res, `${repo.id}/${file}`, this.served(repo, file, bytes), {});
      }
    }
    sendError(res, 404, undefined, "NoSuchKey");
  }

  private served(repo: FakeRepo, file: string, bytes: Buffer): Buffer {
    if (!repo.spec.corrupt?.includes(file)) return bytes;
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)] ^= 0xff;
    return copy;
  }

  private serveBytes(req: IncomingMessage, res: ServerResponse, key: string, bytes: Buffer, headers: Record<string, string>): void {
    let start = 0;
    const range = this.ignoreRange ? null : /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range) {
      start = Number(range[1]);
      if (start >= bytes.length) {
        res.writeHead(416, { "content-range": `bytes */${bytes.length}` });
        return void res.end();
      }
      res.writeHead(206, { ...headers, "content-length": String(bytes.length - start), "content-range": `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
    } else {
      res.writeHead(200, { ...headers, "content-length": String(bytes.length) });
    }
    let end = bytes.length;
    const dropKey = [...this.dropOnce.keys()].find((k) => key.includes(k));
    if (dropKey !== undefined) {
      end = Math.max(start + 1, Math.min(bytes.length - 1, this.dropOnce.get(dropKey) ?? 0));
      this.dropOnce.delete(dropKey);
    }
    const stallKey = [...this.stallAfter.keys()].find((k) => key.includes(k));
    let stalled = false;
    if (stallKey !== undefined) {
      end = Math.max(start + 1, Math.min(bytes.length - 1, this.stallAfter.get(stallKey) ?? 0));
      this.stallAfter.delete(stallKey);
      stalled = true;
    }
    const body = bytes.subarray(start, end);
    // Dropping = closing the socket cleanly after the bytes are out (FIN, not RST), so the client gets exactly `end - start` bytes.
    const finish = () => (stalled ? undefined : end < bytes.length ? res.socket?.end() : res.end());
    if (this.chunkDelayMs === 0) {
      res.write(body, () => finish());
      return;
    }
    let offset = 0;
    const next = () => {
      if (offset >= body.length) return finish();
      const chunk = body.subarray(offset, offset + 16 * 1024);
      offset += chunk.length;
      res.write(chunk, () => setTimeout(next, this.chunkDelayMs));
    };
    next();
  }
}

function sendError(res: ServerResponse, status: number, code: string | undefined, message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...(code ? { "x-error-code": code } : {}), "x-error-message": message, ...extra });
  res.end(body);
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export async function startFakeHub(repos: FakeRepoSpec[] = []): Promise<FakeHub> {
  const hub = new FakeHub();
  for (const spec of repos) hub.addRepo(spec);
  return hub.start();
}
