/**
 * Shared by the queue tests: a folder of FSDD clip copies (each copy is its own file, so its own
 * job), `audioclass classify`'s records for them, and waiting for a queue to empty.
 */
import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/cli.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { CapturedStream } from "../hub/hub-test-env.js";

export const FSDD_DIR = fileURLToPath(new URL("../fixtures/fsdd/", import.meta.url));
export const FSDD_CLIPS = readdirSync(FSDD_DIR)
  .filter((name) => name.endsWith(".wav"))
  .map((name) => join(FSDD_DIR, name));

/** `count` copies of the FSDD clips in a temp folder; `sourceOf` maps a copy to its clip. */
export function clipCopies(count: number): { dir: string; files: string[]; sourceOf: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-queue-clips-"));
  const files: string[] = [];
  const sourceOf = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const source = FSDD_CLIPS[i % FSDD_CLIPS.length]!;
    const file = join(dir, `${String(i).padStart(5, "0")}_${basename(source)}`);
    copyFileSync(source, file);
    files.push(file);
    sourceOf.set(file, source);
  }
  return { dir, files, sourceOf };
}

/** `audioclass classify --format jsonl ARGS… FILES…` run in this process: file → record. */
export async function classifyRecords(files: readonly string[], args: readonly string[] = []): Promise<Map<string, Record<string, unknown>>> {
  let out = "";
  let err = "";
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), stderrStream: new CapturedStream(), env: {} };
  await runCli(["classify", "--format", "jsonl", "--quiet", ...args, ...files], io);
  const records = new Map<string, Record<string, unknown>>();
  for (const line of out.split("\n").filter(Boolean)) {
    const record = JSON.parse(line) as Record<string, unknown> & { file: string };
    records.set(record.file, record);
  }
  if (records.size !== files.length) throw new Error(`classify gave ${records.size} records for ${files.length} files:\n${err}`);
  return records;
}

/** Polls until nothing is waiting, active or delayed (or throws after `timeoutMs`). */
export async function waitUntilEmpty(queue: JobQueue, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.bull.getJobCounts("waiting", "active", "delayed", "prioritized");
    const left = Object.values(counts).reduce((a, b) => a + b, 0);
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`the queue still holds jobs after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
