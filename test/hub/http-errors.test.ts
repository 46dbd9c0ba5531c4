import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  downloadModel,
  DownloadInterruptedError,
  HubConnectionError,
  HubHttpError,
  HubResponseError,
  HubTimeoutError,
  RepositoryNotFoundError,
  RevisionNotFoundError,
  EntryNotFoundError,
} from "../../src/hub/index.js";
import { fixtureFiles, startFakeHub, type FakeHub } from "./fake-hub.js";
import { hubOptions, useSandbox } from "./hub-test-env.js";

let hub: FakeHub;

before(async () => {
  hub = await startFakeHub([
    { id: "acme/ast", files: fixtureFiles("ast") },
    { id: "acme/relative", files: fixtureFiles("wav2vec2"), lfsRedirect: "relative" },
    { id: "acme/direct", files: fixtureFiles("hubert"), lfsRedirect: "none" },
    { id: "acme/new-name", files: fixtureFiles("whisper") },
  ]);
  hub.renamed.set("acme/old-name", "acme/new-name");
});
after(() => hub.close());

test("an unknown repo is a 404 naming the id and the endpoint", async (t) => {
  const box = useSandbox(t);
  await assert.rejects(downloadModel("acme/does-not-exist", hubOptions(hub, box)), (error: unknown) => {
    assert.ok(error instanceof RepositoryNotFoundError);
    assert.equal(error.code, "HUB_REPO_NOT_FOUND");
    assert.match(error.message, /'acme\/does-not-exist'/);
    assert.ok(error.message.includes(hub.url), "names the endpoint");
    assert.match(error.message, /HTTP 404/);
    assert.match(error.message, /HF_TOKEN/, "mentions private repos need a token");
    return true;
  });
});

test("an unknown revision and an unknown file are told apart", async (t) => {
  const box = useSandbox(t);
  await assert.rejects(downloadModel("acme/ast@v42", hubOptions(hub, box)), (error: unknown) => {
    assert.ok(error instanceof RevisionNotFoundError);
    assert.match(error.message, /'v42' of 'acme\/ast'/);
    return true;
  });
  await assert.rejects(downloadModel("acme/ast", hubOptions(hub, box, { files: ["config.json", "missing.json"] })), (error: unknown) => {
    assert.ok(error instanceof EntryNotFoundError);
    assert.equal(error.file, "missing.json");
    assert.match(error.message, /The repo has: config\.json/);
    return true;
  });
});

test("weights redirected to a path on the hub itself (relative 302) are followed", async (t) => {
  const box = useSandbox(t);
  const result = await downloadModel("acme/relative", hubOptions(hub, box));
  const weights = result.files.find((f) => f.name === "model.safetensors")!;
  assert.deepEqual(readFileSync(weights.path), hub.repos.get("acme/relative")!.files.get("model.safetensors"));
  const cdnHits = hub.requests.filter((r) => r.server === "hub" && r.path.startsWith("/cdn/"));
  assert.equal(cdnHits.length, 1, "the bytes came from /cdn/... on the hub origin");
});

test("weights served without a redirect (mirror style) also work", async (t) => {
  const box = useSandbox(t);
  const result = await downloadModel("acme/direct", hubOptions(hub, box));
  assert.equal(result.files.length, 3);
});

test("a renamed repo's 307 is followed; the cache keeps the name asked for", async (t) => {
  const box = useSandbox(t);
  const result = await downloadModel("acme/old-name", hubOptions(hub, box));
  assert.equal(result.commit, hub.repos.get("acme/new-name")!.commit);
  assert.ok(result.dir.startsWith(join(box.cacheDir, "models--acme--old-name")));
});

test("transient 503s are retried; without retries the error says so", async (t) => {
  const box = useSandbox(t);
  hub.failNext.set("/api/models/acme/ast/", 2);
  const result = await downloadModel("acme/ast", hubOptions(hub, box, { retries: 2, retryDelayMs: 5 }));
  assert.equal(result.files.length, 3);
  hub.failNext.set("/api/models/acme/ast/", 1);
  await assert.rejects(downloadModel("acme/ast", hubOptions(hub, useSandbox(t))), (error: unknown) => {
    assert.ok(error instanceof HubHttpError);
    assert.equal(error.status, 503);
    assert.ok(error.retryable);
    assert.match(error.message, /retry later|HF_HUB_OFFLINE/);
    return true;
  });
});

test("a refused connection fails fast with the URL and what to check", async (t) => {
  const box = useSandbox(t);
  const started = Date.now();
  await assert.rejects(downloadModel("acme/ast", hubOptions(undefined, box, { endpoint: "http://127.0.0.1:9", retries: 3 })), (error: unknown) => {
    assert.ok(error instanceof HubConnectionError);
    assert.match(error.message, /127\.0\.0\.1:9/);
    assert.match(error.message, /ECONNREFUSED/);
    return true;
  });
  assert.ok(Date.now() - started < 1000, "not retried: a refused connection is not transient");
});

test("a server that never answers times out instead of hanging", async (t) => {
  const box = useSandbox(t);
  hub.stall.add("/api/models/acme/ast/");
  t.after(() => hub.stall.clear());
  const started = Date.now();
  await assert.rejects(downloadModel("acme/ast", hubOptions(hub, box, { metadataTimeoutMs: 200 })), (error: unknown) => {
    assert.ok(error instanceof HubTimeoutError);
    assert.match(error.message, /0\.2 s/);
    assert.match(error.message, /HF_HUB_ETAG_TIMEOUT|HF_HUB_DOWNLOAD_TIMEOUT/);
    return true;
  });
  assert.ok(Date.now() - started < 2000);
});

test("a download that goes silent mid-file times out and keeps the partial for resuming", async (t) => {
  const box = useSandbox(t);
  hub.stallAfter.set("acme/ast/model.safetensors", 100_000);
  const error = await downloadModel("acme/ast", hubOptions(hub, box, { downloadTimeoutMs: 200 })).catch((e: unknown) => e);
  assert.ok(error instanceof DownloadInterruptedError, String(error));
  assert.ok(error.cause instanceof HubTimeoutError, "the cause is the idle timeout");
  assert.equal(error.receivedBytes, 100_000);
  assert.match(error.message, /model\.safetensors of acme\/ast was interrupted at 100 kB of 380 kB/);
  const result = await downloadModel("acme/ast", hubOptions(hub, box));
  assert.equal(result.files.length, 3);
});

test("an endpoint that is not a hub gets a clear error", async (t) => {
  const box = useSandbox(t);
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<html>captive portal</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await assert.rejects(downloadModel("acme/ast", hubOptions(undefined, box, { endpoint })), (error: unknown) => {
    assert.ok(error instanceof HubResponseError);
    assert.match(error.message, /did not return JSON for 'acme\/ast'/);
    return true;
  });
});
