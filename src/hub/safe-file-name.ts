/**
 * Repo file names come from the server (the sibling list, a shard index) and become paths under
 * snapshots/<commit>/. A hostile or broken server must not be able to write outside that folder,
 * on any platform, so anything that is not a plain relative POSIX path is refused.
 */
import { isAbsolute, join, relative, sep } from "node:path";
import { UnsafeFileNameError } from "./errors.js";

const MAX_FILE_NAME_LENGTH = 1024;

/** Why `name` is not a safe repo-relative file name, or undefined when it is safe. */
export function unsafeFileNameProblem(name: string): string | undefined {
  if (typeof name !== "string" || name.length === 0) return "it is empty";
  if (name.length > MAX_FILE_NAME_LENGTH) return `it is longer than ${MAX_FILE_NAME_LENGTH} characters`;
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return "it contains a control character";
  }
  if (name.includes("\\")) return "it contains a backslash";
  if (name.startsWith("/")) return "it is an absolute path";
  if (/^[A-Za-z]:/.test(name) || name.includes(":")) return "it contains a drive letter or ':'";
  const parts = name.split("/");
  if (parts.some((part) => part === "" || part === "." || part === "..")) return 'it has an empty, "." or ".." path segment';
  return undefined;
}

/** Throws UnsafeFileNameError unless `name` is a plain relative path such as "onnx/model.onnx". */
export function assertSafeFileName(name: string, context: string): void {
  const problem = unsafeFileNameProblem(name);
  if (problem !== undefined) {
    throw new UnsafeFileNameError(
      name,
      `Refusing file name ${JSON.stringify(name)} from ${context}: ${problem}. ` +
        `Repo files must be relative paths like "config.json" or "onnx/model.onnx"; ` +
        `nothing was written. If this repo is yours, rename the file; otherwise do not trust this server.`,
    );
  }
}

/**
 * Joins a checked repo file name under `root`, and double-checks the result stays inside it
 * (defence in depth against platform path quirks).
 */
export function safeJoin(root: string, name: string, context: string): string {
  assertSafeFileName(name, context);
  const full = join(root, ...name.split("/"));
  const rel = relative(root, full);
  if (rel === "" || rel.startsWith(".." + sep) || rel === ".." || isAbsolute(rel)) {
    throw new UnsafeFileNameError(name, `Refusing file name ${JSON.stringify(name)} from ${context}: it resolves outside ${root}.`);
  }
  return full;
}
