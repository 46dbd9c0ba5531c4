/**
 * The Redis queue on this machine, against a private redis-server (AOF on):
 *
 *   npm run bench:queue -- [--clips 2000] [--workers 1,2] [--no-acceptance]
 *
 * Throughput: for each worker-process count, the FSDD clips (copied to --clips distinct files)
 * are added and `audioclass worker --workers N --until-empty` works through them; prints the
 * wall time and the steady rate (files from the first stored result to the last).
 *
 * Acceptance (issue #14): the same clips plus a poisoned file, `--workers 3`; one worker process
 * is killed with SIGKILL mid-run and Redis is restarted once. Every file must end with exactly
 * one record equal to `audioclass classify`'s, the poisoned file in the failed set, nothing
 * active. Exits 1 if not. Needs redis-server on PATH (apt-get install redis-server).
 */
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { JobQueue } from "../src/queue/job-queue.js";
import { LocalRedis } from "../test/helpers/redis-server.js";
import { FSDD_CLIPS, classifyRecords, clipCopies } from "../test/queue/queue-helpers.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({ options: { clips: { type: "string", default: "2000" }, workers: { type: "string", default: "1,2" }, "no-acceptance": { type: "boolean" } } });
const clipCount = Number(values.clips);

/** `audioclass ARGS…` as a child process: resolves to its exit code; stderr so far on demand. */
function cli(args: readonly string[]): Promise<number> & { stderr: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  return Object.assign(exited, { stderr: () => stderr });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const redis = await LocalRedis.start({ appendonly: true });
const { dir, files, sourceOf } = clipCopies(clipCount);
let failed = false;
try {
  const target = ["--redis", redis.url, "--queue", "bench"];
  for (const workers of values.workers.split(",").map(Number)) {
    await cli(["queue", "clean", ...target]);
    await cli(["queue", "add", ...target, "--top-k", "1", dir]);
    const queue = await JobQueue.open(redis.url, "bench");
    const start = performance.now();
    const run = cli(["worker", ...target, "--workers", String(workers), "--until-empty"]);
    await waitFor(async () => (await queue.store.counts()).done > 0, "the first result");
    const first = performance.now();
    const firstDone = (await queue.store.counts()).done;
    const code = await run;
    const end = performance.now();
    const steady = (clipCount - firstDone) / ((end - first) / 1000);
    console.log(`--workers ${workers}: ${clipCount} files in ${((end - start) / 1000).toFixed(1)} s wall (exit ${code}); steady ${steady.toFixed(1)} files/s after the first result at ${((first - start) / 1000).toFixed(1)} s`);
    await queue.close();
  }

  if (values["no-acceptance"] !== true) {
    const name = ["--redis", redis.url, "--queue", "acceptance"];
    const poisoned = join(dir, "poisoned.wav");
    writeFileSync(poisoned, "RIFF....WAVEfmt not really");
    await cli(["queue", "add", ...name, "--top-k", "1", dir]);
    const queue = await JobQueue.open(redis.url, "acceptance");
    const run = cli(["worker", ...name, "--workers", "3", "--until-empty", "--lock-duration", "2"]);
    await waitFor(async () => (await queue.store.counts()).done >= clipCount / 4, "a quarter done");
    const pids = /started 3 worker processes \(([\d, ]+)\)/.exec(run.stderr())![1]!.split(", ").map(Number);
    process.kill(pids[0]!, "SIGKILL");
    console.log(`acceptance: killed worker process ${pids[0]} at ${(await queue.store.counts()).done} results`);
    await waitFor(async () => (await queue.store.counts()).done >= clipCount / 2, "half done");
    await redis.restart(500);
    console.log(`acceptance: restarted Redis at ${(await queue.store.counts()).done} results`);
    const code = await run;
    // 1 is expected: the killed process exits by SIGKILL, and `worker --workers 3` reports it.
    console.log(`acceptance: worker --workers 3 exited ${code}`);
    const counts = await queue.bull.getJobCounts("waiting", "active", "delayed");
    const records = new Map<string, Record<string, unknown>>();
    let duplicates = 0;
    for await (const record of queue.store.records()) {
      if (records.has(record.file)) duplicates++;
      records.set(record.file, record as Record<string, unknown>);
    }
    const expected = await classifyRecords(FSDD_CLIPS, ["--top-k", "1"]);
    const wrong = files.filter((f) => JSON.stringify(records.get(f)?.["predictions"]) !== JSON.stringify(expected.get(sourceOf.get(f)!)!["predictions"]));
    const poison = records.get(poisoned) as { error?: { type: string; message: string } } | undefined;
    const ok = duplicates === 0 && wrong.length === 0 && records.size === clipCount + 1 && poison?.error !== undefined && Object.values(counts).every((n) => n === 0);
    console.log(
      `acceptance: ${records.size} records for ${clipCount + 1} files, ${duplicates} duplicates, ${wrong.length} differing from classify, ` +
        `poisoned file: ${poison?.error ? `${poison.error.type}: ${poison.error.message}` : "no failure record"}, left ${JSON.stringify(counts)} → ${ok ? "PASS" : "FAIL"}`,
    );
    failed = !ok;
    await queue.close();
  }
} finally {
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
