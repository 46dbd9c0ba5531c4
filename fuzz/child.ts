/**
 * The process inputs run in (forked by child-executor.ts): it runs one input at a time through
 * its target and reports the outcome. A hang, a memory blow-up or a V8 abort here costs the
 * harness only this process, which it kills or restarts.
 *
 * argv: extra target modules to load (tests plant deliberately failing targets this way).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AudioclassError } from "../src/errors.js";
import type { ChildMessage, Outcome, RunRequest } from "./outcome.js";
import type { FuzzTarget } from "./target.js";
import { loadTarget } from "./targets/index.js";

const targets = new Map<string, FuzzTarget>();
for (const module of process.argv.slice(2)) {
  const loaded = (await import(pathToFileURL(resolve(module)).href)) as { targets?: FuzzTarget[] };
  for (const target of loaded.targets ?? []) targets.set(target.name, target);
}

// The harness makes the scratch folder and removes it when this process ends, however it ends.
const scratchDir = process.env["AUDIOCLASS_FUZZ_SCRATCH"] ?? mkdtempSync(join(tmpdir(), "audioclass-fuzz-"));
process.on("disconnect", () => process.exit(0));

// Errors escaping the call (a rejected promise nobody awaits, a throw in a timer) belong to the input running.
let escaped: unknown;
let hasEscaped = false;
const noteEscaped = (error: unknown): void => {
  if (!hasEscaped) {
    escaped = error;
    hasEscaped = true;
  }
};
process.on("unhandledRejection", noteEscaped);
process.on("uncaughtException", noteEscaped);

function describeThrown(error: unknown, prefix = ""): Outcome {
  if (prefix === "" && error instanceof AudioclassError) return { kind: "typed-error", name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { kind: "untyped-error", name: prefix + error.name, message: error.message, stack: error.stack ?? "" };
  return { kind: "untyped-error", name: `${prefix}non-Error value`, message: String(error), stack: "" };
}

async function run(request: RunRequest): Promise<Outcome> {
  let target = targets.get(request.target);
  if (target === undefined) {
    target = await loadTarget(request.target);
    if (target === undefined) throw new Error(`the child knows no target "${request.target}"`);
    targets.set(request.target, target);
  }
  hasEscaped = false;
  let outcome: Outcome;
  try {
    await target.run(request.input, { scratchDir });
    outcome = { kind: "ok" };
  } catch (error) {
    outcome = describeThrown(error);
  }
  await new Promise((done) => setImmediate(done)); // let unhandled rejections surface
  if (hasEscaped) return describeThrown(escaped, "escaped ");
  return outcome;
}

const send = (message: ChildMessage): void => {
  process.send!(message);
};

process.on("message", (request: RunRequest) => {
  void run(request).then((outcome) => send({ type: "result", id: request.id, outcome, rssBytes: process.memoryUsage.rss() }));
});
send({ type: "ready" });
