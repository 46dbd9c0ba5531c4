/**
 * The worker pool under pressure: a full queue answers 429 with Retry-After, a client that
 * leaves is dropped from the queue, a request past its deadline gets 503 (and a dying worker's
 * request 500) while the worker is replaced, and close() finishes the requests in flight before
 * the workers end.
 *
 * "Slow" requests are real ones: 12 s of audio in 1 s windows every 50 ms (221 windows), about
 * two seconds on one thread.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { readFileSync } from "node:fs";
import { fixturePath } from "../helpers/fixtures.js";
import { parsePrometheus } from "../helpers/prometheus.js";
import { rawRequest, startTestServer, waitFor } from "./server-helpers.js";

const DIGIT = readFileSync(fixturePath("../fsdd/3_jackson_7.wav"));
const LONG = readFileSync(fixturePath("audio/long_12s.wav"));
const SLOW_PATH = "/classify?window=1&hop=0.05&top_k=1";
/** 1101 windows: several seconds even on a quiet machine, far past the 1 s deadline below. */
const SLOWER_PATH = "/classify?window=1&hop=0.01&top_k=1";

const wav = (body: Buffer) => ({ headers: { "content-type": "audio/wav", "content-length": body.length }, chunks: [body] });

test("a full queue answers 429 with Retry-After; a client that leaves is dropped from the queue", async () => {
  const server = await startTestServer({ maxQueue: 1 });
  try {
    const running = rawRequest(server.url, { path: SLOW_PATH, ...wav(LONG) });
    await waitFor(() => server.pool.busyWorkers === 1, "the first request to run");
    const queued = rawRequest(server.url, { path: SLOW_PATH, ...wav(LONG) });
    await waitFor(() => server.pool.queueDepth === 1, "the second request to queue");

    const refused = await rawRequest(server.url, { path: "/classify", ...wav(DIGIT) });
    assert.equal(refused.status, 429);
    assert.equal(refused.json().error.type, "QueueFullError");
    assert.match(refused.json().error.message, /--max-queue 1/);
    assert.match(String(refused.headers["retry-after"]), /^[1-9]\d*$/);
    assert.equal(server.pool.busyWorkers, 1, "the refused request arrived while the first still ran");

    const [first, second] = await Promise.all([running, queued]);
    assert.equal(first.status, 200);
    assert.equal(first.json().segments.length, 221);
    assert.deepEqual(second.json(), first.json(), "the queued request ran once a worker was free");

    // a queued client that goes away does not keep its place
    const again = rawRequest(server.url, { path: SLOW_PATH, ...wav(LONG) });
    await waitFor(() => server.pool.busyWorkers === 1, "a request to run");
    const leaving = httpRequest(new URL("/classify", server.url), { method: "POST", headers: { "content-type": "audio/wav" }, agent: false });
    leaving.on("error", () => {});
    leaving.end(DIGIT);
    await waitFor(() => server.pool.queueDepth === 1, "the leaving client to queue");
    leaving.destroy();
    await waitFor(() => server.pool.queueDepth === 0, "the queue to drop the client that left");
    assert.equal(server.pool.busyWorkers, 1, "dropped while the worker was still busy, not run");
    assert.equal((await again).status, 200);

    const metrics = parsePrometheus((await rawRequest(server.url, { method: "GET", path: "/metrics" })).text);
    assert.equal(metrics.value("audioclass_http_requests_total", { route: "/classify", status: "429" }), 1);
    assert.equal(metrics.value("audioclass_errors_total", { type: "QueueFullError" }), 1);
    assert.equal(metrics.value("audioclass_http_requests_total", { route: "/classify", status: "aborted" }), 1);
    assert.equal(metrics.value("audioclass_queue_capacity"), 1);
  } finally {
    await server.close();
  }
});

test("a request past its deadline gets 503, one whose worker dies 500; each worker is replaced and the server keeps serving", async () => {
  const server = await startTestServer({ requestTimeoutMs: 1000 });
  try {
    const late = await rawRequest(server.url, { path: SLOWER_PATH, ...wav(LONG) });
    assert.equal(late.status, 503, late.text);
    assert.equal(late.json().error.type, "InferenceTimeoutError");
    assert.match(late.json().error.message, /within 1 s \(--request-timeout\)/);
    await waitFor(() => server.pool.readyWorkers === 1, "the replacement worker to load");
    const ok = await rawRequest(server.url, { path: "/classify?top_k=1", ...wav(DIGIT) });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json()[0].label, "3");

    // a worker process that dies mid-request (here: SIGKILL from outside) fails only that request
    const dying = rawRequest(server.url, { path: SLOW_PATH, ...wav(LONG) });
    await waitFor(() => server.pool.busyWorkers === 1, "the request to run");
    const slots = (server.pool as unknown as { slots: Array<{ worker: { kill(signal: string): boolean } }> }).slots;
    slots[0]!.worker.kill("SIGKILL");
    const crashed = await dying;
    assert.equal(crashed.status, 500, crashed.text);
    assert.equal(crashed.json().error.type, "WorkerCrashedError");
    await waitFor(() => server.pool.readyWorkers === 1, "the crashed worker's replacement to load");
    const after = await rawRequest(server.url, { path: "/classify?top_k=1", ...wav(DIGIT) });
    assert.equal(after.status, 200, after.text);
  } finally {
    await server.close();
  }
});

test("close() finishes the requests in flight and queued, then stops listening", async () => {
  const server = await startTestServer();
  const running = rawRequest(server.url, { path: SLOW_PATH, ...wav(LONG) });
  await waitFor(() => server.pool.busyWorkers === 1, "the request to run");
  const queued = rawRequest(server.url, { path: "/classify?top_k=1", ...wav(DIGIT) });
  await waitFor(() => server.pool.queueDepth === 1, "the second request to queue");
  const closed = server.close();
  const [first, second] = await Promise.all([running, queued]);
  assert.equal(first.status, 200);
  assert.equal(first.json().segments.length, 221);
  assert.equal(second.status, 200);
  assert.equal(second.json()[0].label, "3");
  await closed;
  assert.equal(server.pool.readyWorkers, 0);
  await assert.rejects(rawRequest(server.url, { method: "GET", path: "/health" }), /ECONNREFUSED/);
});
