/**
 * A Node built-in module for code that also runs in browsers, got through
 * process.getBuiltinModule (Node ≥ 20.16), else an import whose specifier is computed — never a
 * literal import: a bundler then has nothing to follow, so browser bundles carry no reference to
 * Node modules, and in a browser the call is a typed error naming what needs Node instead of a
 * failed import at load time.
 */
import { AudioclassError } from "../errors.js";

/** Something that reads the file system or spawns programs was asked for outside Node. */
export class NodeOnlyError extends AudioclassError {
  constructor(message: string) {
    super("NODE_ONLY", message);
  }
}

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

/** `const { open } = await nodeBuiltin<typeof import("node:fs/promises")>("fs/promises", "reading a file path")`. */
export async function nodeBuiltin<T>(name: string, purpose: string): Promise<T> {
  const node = (globalThis as { process?: NodeProcess }).process;
  if (typeof node?.versions?.node !== "string") {
    throw new NodeOnlyError(`${purpose} needs Node.js (it reads the file system or runs programs); in a browser, pass a URL, a Blob/File or the bytes instead`);
  }
  const specifier = `node:${name}`;
  if (typeof node.getBuiltinModule === "function") return node.getBuiltinModule(specifier) as T;
  return (await import(specifier)) as T; // Node 20 before 20.16
}
