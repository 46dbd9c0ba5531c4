/**
 * The queue library against a real redis-server: files in, one stored record per file out,
 * equal to what `audioclass classify` writes for it; a poisoned file fails for good with its
 * reason while the others complete; adding files again adds nothing.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { MAX_QUEUED_BYTES, enqueueBytes } from "../../src/queue/enqueue-bytes.js";
import { enqueueFiles } from "../../src/queue/enqueue-files.js";
import { QueueOptionError } from "../../src/queue/errors.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { normalizeSettings } from "../../src/queue/queue-settings.js";
import { QueueWorker } from "../../src/queue/queue-worker.js";
import { redisSetupWarnings } from "../../src/queue/redis-connection.js";
import { type LocalRedis, needsRedis, LocalRedis as Redis } from "../helpers/redis-server.js";
import { FSDD_CLIPS, classifyRecords, clipCopies, waitUntilEmpty } from "./queue-helpers.js";

let redis: LocalRedis | undefined;
before(async () => {
  if (needsRedis.skip === false) redis = await Redis.start();
});
after(async () => {
  await redis?.close();
});

test("files added in chunks are classified once each; results equal classify's; a poisoned file fails with its reason", needsRedis, async () => {
  const { dir, files } = clipCopies(24);
  const poisoned = join(dir, "poisoned.wav");
  writeFileSync(poisoned, "this is not a WAV file, whatever its name says");
  const missing = join(dir, "gone.wav");
  const queue = await JobQueue.open(redis!.url, "library");
  const logs: string[] = [];
  let worker: QueueWorker | undefined;
  try {
    // This Redis runs without an append-only file: the queue says what a restart would lose.
    assert.deepEqual(await redisSetupWarnings(queue.redis), [
      "Redis has no append-only file (appendonly no): a Redis restart loses whatever changed since its last snapshot; set appendonly yes",
    ]);
    const settings = normalizeSettings({ topK: 3 });
    const progress: number[] = [];
    const counts = await enqueueFiles(queue, settings, [...files, poisoned, missing, files[0]!], { chunkSize: 10, onProgress: (c) => progress.push(c.added) });
    assert.deepEqual(counts, { added: files.length + 2, alreadyQueued: 1, alreadyDone: 0 });
    assert.deepEqual(progress, [10, 20, 26]);

    worker = await QueueWorker.start({ url: redis!.url, queue: "library", concurrency: 4, load: { threads: 1 }, log: (m) => logs.push(m) });
    await waitUntilEmpty(queue, 30_000);

    const records = new Map<string, Record<string, unknown>>();
    for await (const record of queue.store.records()) {
      assert.ok(!records.has(record.file), `two records for ${record.file}`);
      records.set(record.file, record as Record<string, unknown>);
    }
    assert.equal(records.size, files.length + 2);
    const expected = await classifyRecords(files, ["--top-k", "3"]);
    for (const file of files) assert.deepEqual(records.get(file), expected.get(file), file);

    const bad = records.get(poisoned) as { error: { type: string; message: string } };
    assert.equal(bad.error.type, "UnsupportedAudioFormatError");
    assert.match(bad.error.message, /poisoned\.wav/);
    const gone = records.get(missing) as { error: { type: string; message: string } };
    assert.equal(gone.error.type, "AudioSourceError");
    // Typed decode errors are not retried: one attempt each, and BullMQ's failed set has them.
    const failed = await queue.bull.getFailed();
    assert.deepEqual(failed.map((j) => j.data.file).sort(), [missing, poisoned].sort());
    assert.ok(failed.every((j) => j.attemptsMade === 1), "permanent failures are not retried");
    assert.deepEqual(await queue.store.counts(), { done: files.length, failed: 2 });

    // Adding the same files again classifies nothing: done ones are skipped, failed ones stay failed.
    const again = await enqueueFiles(queue, settings, [...files, poisoned]);
    assert.deepEqual(again, { added: 0, alreadyQueued: 0, alreadyDone: files.length + 1 });
    assert.equal(await queue.bull.getWaitingCount(), 0);
  } finally {
    await worker?.close(5_000);
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("audio enqueued as bytes is classified under its name, equal to classify's result for the file; too large is refused", needsRedis, async () => {
  const queue = await JobQueue.open(redis!.url, "bytes");
  let worker: QueueWorker | undefined;
  try {
    const settings = normalizeSettings({ topK: 2 });
    const items = FSDD_CLIPS.map((file, i) => ({ name: `upload-${i}.wav`, bytes: new Uint8Array(readFileSync(file)) }));
    items.push({ name: "upload-bad.wav", bytes: new TextEncoder().encode("not audio at all") });
    assert.deepEqual(await enqueueBytes(queue, settings, items), { added: items.length, alreadyQueued: 0, alreadyDone: 0 });
    await assert.rejects(enqueueBytes(queue, settings, [{ name: "huge.wav", bytes: new Uint8Array(MAX_QUEUED_BYTES + 1) }]), (error: unknown) => {
      assert.ok(error instanceof QueueOptionError);
      assert.match(error.message, /^huge\.wav: .*a shared path or a URL/);
      return true;
    });

    worker = await QueueWorker.start({ url: redis!.url, queue: "bytes", concurrency: 2, load: { threads: 1 }, log: () => {} });
    await waitUntilEmpty(queue, 30_000);
    const records = new Map<string, Record<string, any>>();
    for await (const record of queue.store.records()) records.set(record.file, record);
    const expected = await classifyRecords(FSDD_CLIPS, ["--top-k", "2"]);
    FSDD_CLIPS.forEach((file, i) => assert.deepEqual(records.get(`upload-${i}.wav`)!["predictions"], expected.get(file)!["predictions"], file));
    assert.match(records.get("upload-bad.wav")!["error"].message, /^upload-bad\.wav: /);
    assert.deepEqual(await enqueueBytes(queue, settings, items.slice(0, 1)), { added: 0, alreadyQueued: 0, alreadyDone: 1 });
  } finally {
    await worker?.close(5_000);
    await queue.close();
  }
});
