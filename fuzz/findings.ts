/**
 * Recording findings: each distinct failure (by signature: kind + error type + the top stack
 * frame in our code or a dependency) is saved once under the findings folder as the input bytes
 * and a JSON description; a later input with the same signature replaces the saved one only when
 * it is smaller, so what is kept tends towards a minimal reproducer.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FindingKind, Outcome } from "./outcome.js";
import { REPO_ROOT } from "./seed-files.js";

export const DEFAULT_FINDINGS_DIR = join(REPO_ROOT, "fuzz-findings");
const HARNESS_DIR = join(REPO_ROOT, "fuzz") + "/";

/** The first stack frame outside the harness (fuzz/), with the repository path and column stripped. */
export function topFrame(stack: string): string {
  const frames = stack.split("\n").filter((line) => line.trimStart().startsWith("at "));
  const frame = frames.find((f) => !f.includes(HARNESS_DIR)) ?? frames[0] ?? "";
  return frame.trim().replace(/^at /, "").replaceAll("file://", "").replaceAll(REPO_ROOT, "").replace(/:\d+\)?$/, (m) => (m.endsWith(")") ? ")" : ""));
}

/** Digits and quoted text vary per input; the rest of a message names the check that failed. */
export function messageShape(message: string): string {
  return message
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"')
    .replace(/\b(?:[0-9a-f]{2} )+[0-9a-f]{2}\b|0x[0-9a-f]+/gi, "<hex>")
    .replace(/\d+/g, "#")
    .slice(0, 160);
}

export function signatureOf(outcome: Extract<Outcome, { kind: FindingKind }>, input: Uint8Array): string {
  switch (outcome.kind) {
    case "untyped-error": {
      const frame = topFrame(outcome.stack);
      return `${outcome.name} at ${frame || messageShape(outcome.message)}`;
    }
    case "crash":
      return `crash (${outcome.signal ?? `exit ${outcome.exitCode}`}${/heap out of memory/i.test(outcome.stderr) ? ", V8 heap out of memory" : ""})`;
    default:
      // No stack to tell hangs apart: group them by the input's first four bytes (its format magic).
      return `${outcome.kind} on input starting ${Buffer.from(input.subarray(0, 4)).toString("hex")}`;
  }
}

export interface FindingRecord {
  readonly target: string;
  readonly signature: string;
  readonly outcome: Outcome;
  readonly seed: number;
  readonly execution: number;
  /** The corpus entry the input was mutated from. */
  readonly parent: string;
  readonly bytes: number;
  /** Set when re-running the input in a fresh process did not fail the same way. */
  readonly reproduced?: boolean;
}

export class FindingStore {
  constructor(readonly dir: string = DEFAULT_FINDINGS_DIR) {}

  private folder(target: string, key: string): string {
    return join(this.dir, target, key);
  }

  /** Saves the input unless a smaller one with the same signature is already there. Returns the folder. */
  saveFinding(record: FindingRecord, input: Uint8Array): string {
    const hash = createHash("sha256").update(record.signature).digest("hex").slice(0, 12);
    return this.keepSmallest(this.folder(record.target, `${record.outcome.kind}-${hash}`), record, input);
  }

  private keepSmallest(folder: string, record: FindingRecord, input: Uint8Array): string {
    const inputPath = join(folder, "input.bin");
    if (existsSync(inputPath) && readFileSync(inputPath).length <= input.length) return folder;
    mkdirSync(folder, { recursive: true });
    writeFileSync(inputPath, input);
    writeFileSync(join(folder, "finding.json"), JSON.stringify(record, null, 2) + "\n");
    return folder;
  }
}
