/**
 * `audioclass queue …` and `audioclass worker` end to end against a real redis-server with AOF
 * persistence: a worker process is killed with SIGKILL mid-run, two more (`--workers 2`) take
 * over, Redis is restarted under them, and at the end every file has exactly one record, equal
 * to `audioclass classify`'s, a poisoned file is in the failed set with its reason, and nothing
 * is left active.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/cli.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { fixturePath } from "../helpers/fixtures.js";
import { LocalRedis, freePort, needsRedis } from "../helpers/redis-server.js";
import { FSDD_CLIPS, classifyRecords, clipCopies } from "./queue-helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let redis: LocalRedis | undefined;
before(async () => {
  if (needsRedis.skip === false) redis = await LocalRedis.start({ appendonly: true });
});
after(async () => {
  await redis?.close();
});

async function cli(args: readonly string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io = {
    stdout: (t: string) => void (out += t),
    stderr: (t: string) => void (err += t),
    stderrStream: new CapturedStream(),
    env: {},
    ...(stdin !== undefined && { stdin: (async function* () { yield new TextEncoder().encode(stdin); })() }),
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** `audioclass worker …` as its own process (tsx from the sources), stderr collected. */
function workerProcess(args: readonly string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "worker", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test("queue and worker verbs: usage, unreachable Redis, bad queue name, mismatched settings", needsRedis, async () => {
  const help = await cli(["queue", "add", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /--manifest FILE/);
  assert.match((await cli(["worker", "--help"])).out, /--concurrency N/);
  assert.match((await cli(["--help"])).out, /queue .*\n.*worker/s);

  const nowhere = `redis://127.0.0.1:${await freePort()}`;
  const unreachable = await cli(["queue", "status", "--redis", nowhere]);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.err, /Redis unreachable at redis:\/\/127\.0\.0\.1:\d+: nothing is listening there \(connection refused\)\. Start one with `redis-server/);
  const badUrl = await cli(["queue", "status", "--redis", "http://localhost:6379"]);
  assert.match(badUrl.err, /must start with redis:\/\//);
  const badName = await cli(["queue", "status", "--redis", redis!.url, "--queue", "a:b"]);
  assert.equal(badName.code, 1);
  assert.match(badName.err, /queue name "a:b" cannot be used/);
  assert.equal((await cli(["queue", "frobnicate"])).code, 2);

  const target = ["--redis", redis!.url, "--queue", "settings"];
  assert.equal((await cli(["queue", "add", ...target, "--top-k", "1", FSDD_CLIPS[0]!])).code, 0);
  const mismatch = await cli(["queue", "add", ...target, "--top-k", "2", FSDD_CLIPS[1]!]);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.err, /queue settings classifies with .*top-k 1.*topK 1 \(you asked for 2\).*another --queue name/);
  // A manifest on standard input: comments and blank lines skipped, a file already queued not added twice.
  const manifest = await cli(["queue", "add", ...target, "--top-k", "1", "--manifest", "-"], `# two clips\n${FSDD_CLIPS[0]}\n\n${FSDD_CLIPS[1]}\n`);
  assert.equal(manifest.code, 0, manifest.err);
  assert.match(manifest.err, /added 1 file; 1 already queued, 0 already done/);
  const status = JSON.parse((await cli(["queue", "status", ...target, "--format", "json"])).out) as Record<string, unknown>;
  assert.equal(status["waiting"], 2);
  assert.deepEqual(status["warnings"], []);
  assert.equal((await cli(["queue", "drain", ...target])).code, 0);
  assert.equal(JSON.parse((await cli(["queue", "status", ...target, "--format", "json"])).out).waiting, 0);
  assert.equal((await cli(["queue", "clean", ...target])).code, 0);
  assert.match((await cli(["queue", "status", ...target])).out, /empty: no files added yet/);
});

test("a worker killed with SIGKILL and a Redis restart lose nothing: one record per file, equal to classify's", needsRedis, async () => {
  const { dir, files, sourceOf } = clipCopies(300);
  const poisoned = join(dir, "poisoned.wav");
  writeFileSync(poisoned, "RIFF....WAVEfmt not really");
  const target = ["--redis", redis!.url, "--queue", "acceptance"];
  const queue = await JobQueue.open(redis!.url, "acceptance");
  const workers: Array<ReturnType<typeof workerProcess>> = [];
  const logs = (): string => workers.map((w, i) => `--- worker ${i}\n${w.stderr()}`).join("\n");
  try {
    const added = await cli(["queue", "add", ...target, "--top-k", "1", "--chunk-size", "100", dir]);
    assert.equal(added.code, 0, added.err);
    assert.match(added.err, /added 301 files; 0 already queued, 0 already done/);

    const doomed = workerProcess([...target, "--concurrency", "4", "--threads", "1", "--lock-duration", "1"]);
    workers.push(doomed);
    await until("the first worker has stored 20 results", async () => (await queue.store.counts()).done >= 20, 30_000, logs);
    assert.ok((await queue.bull.getActiveCount()) > 0, "the killed worker held jobs");
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    const survivors = workerProcess([...target, "--workers", "2", "--concurrency", "2", "--until-empty", "--lock-duration", "1"]);
    workers.push(survivors);
    // Both running (a worker starting while Redis is down fails its first contact, by design).
    await until("both survivors take jobs", async () => (survivors.stderr().match(/taking jobs/g) ?? []).length === 2, 30_000, logs);
    const before = (await queue.store.counts()).done;
    await until("the survivors have stored 20 more", async () => (await queue.store.counts()).done >= before + 20, 30_000, logs);
    const exitedEarly = await Promise.race([survivors.exited.then(() => true), Promise.resolve(false)]);
    assert.ok(!exitedEarly, logs());
    assert.ok((await queue.store.counts()).done < files.length, "Redis restarts while work is left");
    await redis!.restart(300);
    const finished = await Promise.race([survivors.exited, new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 45_000).unref())]);
    assert.equal(finished, 0, logs());
    assert.match(survivors.stderr(), /started 2 worker processes/);
    assert.match(survivors.stderr(), /lost the connection to Redis .*reconnecting[^]*reconnected to Redis/);

    const counts = await queue.bull.getJobCounts("waiting", "active", "delayed");
    assert.deepEqual(counts, { waiting: 0, active: 0, delayed: 0 });
    const results = await cli(["queue", "results", ...target, "--format", "jsonl"]);
    const records = results.out.trim().split("\n").map((line) => JSON.parse(line) as { file: string; predictions?: unknown; error?: { type: string; message: string } });
    assert.equal(records.length, files.length + 1, "one record per file");
    assert.equal(new Set(records.map((r) => r.file)).size, files.length + 1, "no file twice");
    const expected = await classifyRecords(FSDD_CLIPS, ["--top-k", "1"]);
    for (const record of records) {
      if (record.file === poisoned) continue;
      assert.deepEqual(record.predictions, expected.get(sourceOf.get(record.file)!)!["predictions"], record.file);
    }
    const failed = await cli(["queue", "results", ...target, "--failed", "--format", "csv"]);
    assert.equal(failed.out.split("\n")[0], "file,rank,label,score,error_type,error_message");
    assert.match(failed.out.split("\n")[1]!, /poisoned\.wav,,,,\w+Error,.*poisoned\.wav/);
    const status = JSON.parse((await cli(["queue", "status", ...target, "--format", "json"])).out) as Record<string, unknown>;
    assert.deepEqual({ waiting: status["waiting"], active: status["active"], done: status["done"], failed: status["failed"] }, { waiting: 0, active: 0, done: files.length, failed: 1 });
    assert.ok(typeof status["rate"] === "number" && status["rate"] > 0, "a rate over the last minute");
  } finally {
    for (const w of workers) w.child.kill("SIGKILL");
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("worker on SIGTERM hands its running job back at once (--shutdown-timeout 0) and exits 0", needsRedis, async () => {
  const target = ["--redis", redis!.url, "--queue", "sigterm"];
  const queue = await JobQueue.open(redis!.url, "sigterm");
  const worker = workerProcess([...target, "--threads", "1", "--shutdown-timeout", "0"]);
  try {
    // A 12 s file in 50 ms hops keeps the worker busy long enough to be caught running.
    assert.equal((await cli(["queue", "add", ...target, "--window", "1", "--hop", "0.05", fixturePath("audio/long_12s.wav")])).code, 0);
    await until("the worker runs the job", async () => (await queue.bull.getActiveCount()) === 1, 30_000, worker.stderr);
    worker.child.kill("SIGTERM");
    assert.equal(await worker.exited, 0, worker.stderr());
    assert.match(worker.stderr(), /SIGTERM: finishing the jobs running \(up to 0 s[^]*stopped: 0 stored.*; 1 running job handed back to the queue/);
    assert.deepEqual(await queue.bull.getJobCounts("waiting", "active"), { waiting: 1, active: 0 });
  } finally {
    worker.child.kill("SIGKILL");
    await queue.close();
  }
});
