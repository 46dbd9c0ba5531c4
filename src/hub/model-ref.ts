/**
 * Hub model references: "org/name", "name", "org/name@revision". The id rules are
 * huggingface_hub's `validate_repo_id`; revisions are checked because they become paths
 * under refs/ in the cache.
 */
import { InvalidModelRefError } from "./errors.js";

export interface ModelRef {
  /** The repo id, e.g. "MIT/ast-finetuned-speech-commands-v2". */
  id: string;
  /** Branch, tag or commit sha given after "@", if any. */
  revision?: string;
}

const MAX_REPO_ID_LENGTH = 96;
/** One part of an id: word characters, "-" and ".", starting and ending with a word character. */
const ID_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const COMMIT_HASH = /^[0-9a-f]{40}$/;

export function isCommitHash(revision: string): boolean {
  return COMMIT_HASH.test(revision);
}

/** Why `id` is not a valid repo id, or undefined when it is. */
export function repoIdProblem(id: string): string | undefined {
  if (id.length === 0) return "it is empty";
  if (id.length > MAX_REPO_ID_LENGTH) return `it is longer than ${MAX_REPO_ID_LENGTH} characters`;
  const parts = id.split("/");
  if (parts.length > 2) return 'it has more than one "/" (expected "org/name" or "name")';
  if (id.includes("--") || id.includes("..")) return 'it contains "--" or ".."';
  for (const part of parts) {
    if (!ID_PART.test(part)) {
      return 'each part may hold only letters, digits, "_", "-" and ".", and must start and end with a letter, digit or "_"';
    }
  }
  return undefined;
}

export function isValidRepoId(id: string): boolean {
  return repoIdProblem(id) === undefined;
}

export function assertValidRepoId(id: string): void {
  const problem = repoIdProblem(id);
  if (problem !== undefined) {
    throw new InvalidModelRefError(
      `${JSON.stringify(id)} is not a valid Hugging Face model id: ${problem}. ` +
        `Use "org/name" (e.g. "MIT/ast-finetuned-speech-commands-v2") or a path to a local folder.`,
    );
  }
}

/** Why `revision` is unusable, or undefined. Git ref rules, plus nothing that could escape refs/. */
export function revisionProblem(revision: string): string | undefined {
  if (revision.length === 0) return "it is empty";
  if (revision.length > 255) return "it is longer than 255 characters";
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(revision)) return "it contains whitespace, a control character or one of ~ ^ : ? * [ \\";
  if (revision.includes("..") || revision.includes("//") || revision.includes("@{")) return 'it contains "..", "//" or "@{"';
  if (revision.startsWith("/") || revision.endsWith("/") || revision.startsWith("-")) return 'it starts or ends with "/" or starts with "-"';
  if (revision.split("/").some((part) => part === "." || part.startsWith(".") || part.endsWith(".lock"))) {
    return 'a part starts with "." or ends with ".lock"';
  }
  return undefined;
}

export function assertValidRevision(revision: string, id?: string): void {
  const problem = revisionProblem(revision);
  if (problem !== undefined) {
    const of = id === undefined ? "" : ` of ${id}`;
    throw new InvalidModelRefError(
      `${JSON.stringify(revision)} is not a valid revision${of}: ${problem}. ` +
        `Use a branch ("main"), a tag ("v1.0"), a pull-request ref ("refs/pr/1") or a full 40-character commit sha.`,
    );
  }
}

/**
 * Parses "org/name" or "org/name@revision" (the revision may itself hold "/", e.g. "refs/pr/1").
 * Throws InvalidModelRefError with a suggestion when `ref` is not a hub reference.
 */
export function parseModelRef(ref: string): ModelRef {
  if (typeof ref !== "string") {
    throw new InvalidModelRefError(`A model reference must be a string ("org/name", "org/name@revision" or a folder), got ${typeof ref}.`);
  }
  if (ref.trim() !== ref) {
    throw new InvalidModelRefError(`Model reference ${JSON.stringify(ref)} has leading or trailing whitespace; remove it.`);
  }
  const urlMatch = /^https?:\/\/[^/]+\/([^?#]+)/.exec(ref);
  if (urlMatch) {
    const suggestion = (urlMatch[1] ?? "").split("/").slice(0, 2).join("/");
    throw new InvalidModelRefError(
      `Model reference ${JSON.stringify(ref)} is a URL; pass the model id instead (e.g. ${JSON.stringify(suggestion)}), ` +
        `and set HF_ENDPOINT to use another hub.`,
    );
  }
  const at = ref.indexOf("@");
  const id = at === -1 ? ref : ref.slice(0, at);
  assertValidRepoId(id);
  if (at === -1) return { id };
  const revision = ref.slice(at + 1);
  if (revision === "") {
    throw new InvalidModelRefError(`Model reference ${JSON.stringify(ref)} ends with "@" but names no revision; write "${id}@main" or drop the "@".`);
  }
  assertValidRevision(revision, id);
  return { id, revision };
}

/** "org/name" or "org/name@rev" for messages and CLI hints (the default revision is omitted). */
export function formatModelRef(id: string, revision: string | undefined): string {
  return revision === undefined || revision === "main" ? id : `${id}@${revision}`;
}
