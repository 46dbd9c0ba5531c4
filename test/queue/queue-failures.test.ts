/**
 * The worker's failure policy and shutdown against a real redis-server: a download answering 503
 * is retried with BullMQ's backoff until it succeeds; one that keeps answering 503 ends in the
 * failed set once its attempts run out; a 404 is not retried; close() hands a job still running
 * after the grace period back to the queue, and the next worker finishes it.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "bullmq";
import { Redis as IORedis } from "ioredis";
import { enqueueFiles } from "../../src/queue/enqueue-files.js";
import { KEY_PREFIX } from "../../src/queue/queue-keys.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { normalizeSettings } from "../../src/queue/queue-settings.js";
import { QueueWorker } from "../../src/queue/queue-worker.js";
import { fixturePath } from "../helpers/fixtures.js";
import { LocalRedis, needsRedis } from "../helpers/redis-server.js";
import { FSDD_CLIPS, waitUntilEmpty } from "./queue-helpers.js";

let redis: LocalRedis | undefined;
before(async () => {
  if (needsRedis.skip === false) redis = await LocalRedis.start();
});
after(async () => {
  await redis?.close();
});

test("503 is retried with backoff until it passes; a lasting 503 fails after its attempts; 404 fails at once", needsRedis, async () => {
  const clip = readFileSync(FSDD_CLIPS[0]!);
  const requests = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = request.url ?? "";
    const n = (requests.get(path) ?? 0) + 1;
    requests.set(path, n);
    if (path === "/flaky.wav" && n > 2) {
      response.writeHead(200, { "content-type": "audio/wav" }).end(clip);
    } else {
      response.writeHead(path === "/gone.wav" ? 404 : 503).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const queue = await JobQueue.open(redis!.url, "retries");
  let worker: QueueWorker | undefined;
  try {
    const files = [`${base}/flaky.wav`, `${base}/down.wav`, `${base}/gone.wav`];
    await enqueueFiles(queue, normalizeSettings({ topK: 1 }), files, { attempts: 3, backoffMs: 50 });
    worker = await QueueWorker.start({ url: redis!.url, queue: "retries", concurrency: 2, load: { threads: 1 }, log: () => {} });
    await waitUntilEmpty(queue, 20_000);

    assert.deepEqual(Object.fromEntries(requests), { "/flaky.wav": 3, "/down.wav": 3, "/gone.wav": 1 });
    const records = new Map<string, Record<string, any>>();
    for await (const record of queue.store.records()) records.set(record.file, record);
    assert.deepEqual(records.get(files[0]!)!["predictions"].map((p: { label: string }) => p.label), ["0"]);
    assert.equal(records.get(files[1]!)!["error"].type, "AudioSourceError");
    assert.match(records.get(files[1]!)!["error"].message, /HTTP 503/);
    assert.match(records.get(files[2]!)!["error"].message, /HTTP 404/);
    const failed = await queue.bull.getFailed();
    assert.deepEqual(Object.fromEntries(failed.map((j) => [j.data.file, j.attemptsMade])), { [files[1]!]: 3, [files[2]!]: 1 });
  } finally {
    await worker?.close(5_000);
    await queue.close();
    server.close();
  }
});

test("close(): a job still running after the grace period goes back to the queue at once; the next worker stores it once", needsRedis, async () => {
  // A 12 s file in 50 ms hops: hundreds of windows, long enough to be caught running.
  const long = fixturePath("audio/long_12s.wav");
  const queue = await JobQueue.open(redis!.url, "shutdown");
  const settings = normalizeSettings({ topK: 1, mode: "windows", window: 1, hop: 0.05 });
  try {
    await enqueueFiles(queue, settings, [long]);
    const first = (await QueueWorker.start({ url: redis!.url, queue: "shutdown", concurrency: 1, load: { threads: 1 }, log: () => {} }))!;
    while (first.activeJobs === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const { handedBack } = await first.close(0);
    assert.equal(handedBack, 1);
    // Back in the waiting list now, not after its lock expires (30 s).
    assert.equal(await queue.bull.getActiveCount(), 0);
    assert.equal(await queue.bull.getWaitingCount(), 1);
    // It stopped between windows: no half-finished or stale record was stored.
    assert.deepEqual(await queue.store.counts(), { done: 0, failed: 0 });

    const second = (await QueueWorker.start({ url: redis!.url, queue: "shutdown", concurrency: 1, load: { threads: 1 }, log: () => {} }))!;
    try {
      await waitUntilEmpty(queue, 30_000);
    } finally {
      await second.close(5_000);
    }
    const records = [];
    for await (const record of queue.store.records()) records.push(record as { file: string; segments: unknown[] });
    assert.equal(records.length, 1);
    assert.equal(records[0]!.file, long);
    assert.equal(records[0]!.segments.length, 221);
  } finally {
    await queue.close();
  }
});

test("a file whose workers keep dying fails after maxStalledCount with a failure record saying so", needsRedis, async () => {
  const queue = await JobQueue.open(redis!.url, "stalls");
  const file = FSDD_CLIPS[0]!;
  let worker: QueueWorker | undefined;
  try {
    await enqueueFiles(queue, normalizeSettings({ topK: 1 }), [file]);
    // A worker that takes the job and dies: BullMQ's own fetch, a 1 s lock, never renewed.
    const connection = new IORedis(redis!.url, { maxRetriesPerRequest: null });
    const dying = new Worker("stalls", null, { connection, prefix: KEY_PREFIX, lockDuration: 1000, autorun: false });
    assert.equal((await dying.getNextJob("dies"))?.data.file, file);
    await dying.close(true); // force: its job stays active, its lock left to expire
    connection.disconnect();

    worker = await QueueWorker.start({ url: redis!.url, queue: "stalls", concurrency: 1, load: { threads: 1 }, lockDurationMs: 1000, stalledIntervalMs: 300, maxStalledCount: 0, log: () => {} });
    const deadline = Date.now() + 15_000;
    while ((await queue.store.counts()).failed === 0) {
      assert.ok(Date.now() < deadline, "the stalled job got no failure record");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const failures = [];
    for await (const record of queue.store.records("failed")) failures.push(record);
    const [record] = failures;
    assert.equal((record as { error: { type: string } }).error.type, "JobFailedError");
    assert.match((record as { error: { message: string } }).error.message, /job stalled more than allowable limit.*the file may crash the model/);
    assert.equal(await queue.bull.getFailedCount(), 1);
    assert.equal((await queue.store.counts()).done, 0);
  } finally {
    await worker?.close(5_000);
    await queue.close();
  }
});
