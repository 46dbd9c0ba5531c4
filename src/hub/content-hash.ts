/**
 * What a hub ETag promises about a file's bytes. For LFS files (weights) the hub sends the
 * sha256 of the content (X-Linked-Etag); for files stored in git it sends the git blob id, a sha1
 * of "blob <size>\0" + content. Both can be checked while streaming; other etags (mirrors) are
 * opaque and only the size is checked.
 */
import { createHash, type Hash } from "node:crypto";

export type EtagKind = "sha256" | "git-sha1" | "opaque";

const SHA256 = /^[0-9a-f]{64}$/;
const GIT_SHA1 = /^[0-9a-f]{40}$/;
/** Etags become file names under blobs/: no separators, no dot-files, bounded length. */
const SAFE_ETAG = /^[A-Za-z0-9_+=-][A-Za-z0-9._+=-]{0,199}$/;

/** Strips the weak-validator prefix and quotes, as huggingface_hub's `_normalize_etag` does. */
export function normalizeEtag(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const etag = raw.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
  return etag === "" ? undefined : etag;
}

export function isSafeEtag(etag: string): boolean {
  return SAFE_ETAG.test(etag) && !etag.endsWith(".incomplete");
}

export function etagKind(etag: string): EtagKind {
  if (SHA256.test(etag)) return "sha256";
  if (GIT_SHA1.test(etag)) return "git-sha1";
  return "opaque";
}

/** Streaming hash matching the etag's kind (see `forEtag`: undefined for opaque etags). */
export class ContentHasher {
  readonly kind: Exclude<EtagKind, "opaque">;
  private readonly hash: Hash;

  private constructor(kind: Exclude<EtagKind, "opaque">, size: number) {
    this.kind = kind;
    this.hash = ContentHasher.start(kind, size);
  }

  static forEtag(etag: string, size: number): ContentHasher | undefined {
    const kind = etagKind(etag);
    return kind === "opaque" ? undefined : new ContentHasher(kind, size);
  }

  private static start(kind: Exclude<EtagKind, "opaque">, size: number): Hash {
    if (kind === "sha256") return createHash("sha256");
    return createHash("sha1").update(`blob ${size}\0`);
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}
