import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { downloadModel, DownloadInterruptedError, IntegrityError } from "../../src/hub/index.js";
import { etagOf, fixtureFiles, sha256, startFakeHub, type FakeHub } from "./fake-hub.js";
import { hubOptions, useSandbox } from "./hub-test-env.js";

const ID = "acme/ast";
let hub: FakeHub;
let weights: Buffer;

before(async () => {
  hub = await startFakeHub([
    { id: ID, files: fixtureFiles("ast") },
    { id: "acme/bad-weights", files: fixtureFiles("wavlm"), corrupt: ["model.safetensors"] },
    { id: "acme/bad-config", files: fixtureFiles("hubert"), corrupt: ["config.json"] },
  ]);
  weights = hub.repos.get(ID)!.files.get("model.safetensors")!;
});
after(() => hub.close());

function blobsDir(cacheDir: string, id: string): string {
  return join(cacheDir, `models--${id.replace("/", "--")}`, "blobs");
}

test("a connection dropped mid-weights keeps the partial, and the next call resumes it with Range", async (t) => {
  const box = useSandbox(t);
  const etag = sha256(weights);
  hub.dropOnce.set(`${ID}/model.safetensors`, 150_000);
  const first = await downloadModel(ID, hubOptions(hub, box)).catch((e: unknown) => e);
  assert.ok(first instanceof DownloadInterruptedError, String(first));
  assert.equal(first.file, "model.safetensors");
  // Everything that arrived before the drop is kept (the server sent 150 000 bytes).
  assert.equal(first.receivedBytes, 150_000);
  assert.match(first.message, /next call resumes/);
  const partial = join(blobsDir(box.cacheDir, ID), `${etag}.incomplete`);
  assert.equal(statSync(partial).size, 150_000);

  const seen = hub.requests.length;
  const second = await downloadModel(ID, hubOptions(hub, box));
  const gets = hub.requests.slice(seen).filter((r) => r.server === "cdn" && r.method === "GET");
  assert.equal(gets.length, 1);
  assert.equal(gets[0]!.range, "bytes=150000-", "the server saw a Range request from where it stopped");
  const file = second.files.find((f) => f.name === "model.safetensors")!;
  assert.deepEqual(readFileSync(file.path), weights);
  assert.equal(existsSync(partial), false, "no .incomplete left");
});

test("with retries, one call survives a dropped connection by resuming", async (t) => {
  const box = useSandbox(t);
  hub.dropOnce.set(`${ID}/model.safetensors`, 50_000);
  const seen = hub.requests.length;
  const result = await downloadModel(ID, hubOptions(hub, box, { retries: 2, retryDelayMs: 5 }));
  const gets = hub.requests.slice(seen).filter((r) => r.server === "cdn" && r.method === "GET");
  assert.deepEqual(gets.map((r) => r.range), [undefined, "bytes=50000-"]);
  assert.deepEqual(readFileSync(result.files.find((f) => f.name === "model.safetensors")!.path), weights);
});

test("a server that ignores Range (200 instead of 206) gets a clean restart, not an appended mess", async (t) => {
  const box = useSandbox(t);
  hub.dropOnce.set(`${ID}/model.safetensors`, 120_000);
  await assert.rejects(downloadModel(ID, hubOptions(hub, box)), DownloadInterruptedError);
  hub.ignoreRange = true;
  t.after(() => (hub.ignoreRange = false));
  const seen = hub.requests.length;
  const result = await downloadModel(ID, hubOptions(hub, box));
  const gets = hub.requests.slice(seen).filter((r) => r.server === "cdn");
  assert.equal(gets[0]!.range, "bytes=120000-", "resume was asked for");
  assert.deepEqual(readFileSync(result.files.find((f) => f.name === "model.safetensors")!.path), weights);
});

test("a bad partial left by an earlier run fails verification and is downloaded again from zero", async (t) => {
  const box = useSandbox(t);
  // A partial whose bytes are wrong: if we appended to it, the hash would fail.
  const dir = blobsDir(box.cacheDir, ID);
  mkdirSync(dir, { recursive: true });
  const partial = join(dir, `${sha256(weights)}.incomplete`);
  writeFileSync(partial, Buffer.alloc(1000, 7));
  const result = await downloadModel(ID, hubOptions(hub, box));
  // The resume happened, the hash failed, and one full download from zero fixed it.
  assert.deepEqual(readFileSync(result.files.find((f) => f.name === "model.safetensors")!.path), weights);
  const gets = hub.requests.filter((r) => r.server === "cdn" && r.path.endsWith(sha256(weights)));
  assert.equal(gets.at(-1)!.range, undefined, "the last attempt started from zero");
  assert.equal(gets.at(-2)!.range, "bytes=1000-");
});

test("weights whose sha256 does not match the etag are rejected and nothing is kept", async (t) => {
  const box = useSandbox(t);
  const id = "acme/bad-weights";
  await assert.rejects(downloadModel(id, hubOptions(hub, box)), (error: unknown) => {
    assert.ok(error instanceof IntegrityError);
    assert.equal(error.file, "model.safetensors");
    assert.equal(error.expected, sha256(hub.repos.get(id)!.files.get("model.safetensors")!));
    assert.notEqual(error.actual, error.expected);
    assert.match(error.message, /sha256 .* nothing was kept/);
    return true;
  });
  const repoDir = join(box.cacheDir, "models--acme--bad-weights");
  const blobs = readdirSync(join(repoDir, "blobs"));
  assert.ok(!blobs.some((b) => b.startsWith(corruptEtag(id))), "no blob and no partial for the corrupt file");
  assert.ok(!blobs.some((b) => b.endsWith(".incomplete")));
  const snapshot = join(repoDir, "snapshots", hub.repos.get(id)!.commit);
  assert.equal(existsSync(join(snapshot, "model.safetensors")), false);
  assert.equal(existsSync(join(repoDir, "refs", "main")), false, "the ref is written only for a complete snapshot");
});

function corruptEtag(id: string): string {
  return sha256(hub.repos.get(id)!.files.get("model.safetensors")!);
}

test("a small file whose git blob sha1 does not match its etag is rejected too", async (t) => {
  const box = useSandbox(t);
  const id = "acme/bad-config";
  const config = hub.repos.get(id)!.files.get("config.json")!;
  await assert.rejects(downloadModel(id, hubOptions(hub, box)), (error: unknown) => {
    assert.ok(error instanceof IntegrityError);
    assert.equal(error.file, "config.json");
    assert.equal(error.expected, etagOf("config.json", config));
    assert.match(error.message, /git blob sha1/);
    return true;
  });
  const blobs = join(box.cacheDir, "models--acme--bad-config", "blobs");
  assert.deepEqual(existsSync(blobs) ? readdirSync(blobs) : [], []);
});
