import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import {
  CacheOperationError,
  downloadModel,
  formatCacheListing,
  formatRemovedModel,
  InvalidModelRefError,
  listCachedModels,
  removeCachedModel,
} from "../../src/hub/index.js";
import { fixtureFiles, startFakeHub, type FakeHub } from "./fake-hub.js";
import { hubOptions, useSandbox, type Sandbox } from "./hub-test-env.js";

let hub: FakeHub;

before(async () => {
  hub = await startFakeHub([
    { id: "acme/ast", files: fixtureFiles("ast") },
    { id: "acme/wavlm", files: fixtureFiles("wavlm") },
  ]);
});
after(() => hub.close());

async function populated(t: { after: (fn: () => void) => void }): Promise<Sandbox> {
  const box = useSandbox(t);
  await downloadModel("acme/ast", hubOptions(hub, box));
  await downloadModel("acme/wavlm", hubOptions(hub, box));
  // A second revision of acme/ast, pinned by commit (no ref points at it).
  const other = join(box.cacheDir, "models--acme--ast", "snapshots", "f".repeat(40));
  mkdirSync(other, { recursive: true });
  symlinkSync(`../../blobs/does-not-exist`, join(other, "config.json"));
  return box;
}

test("cache ls lists ids, revisions, sizes, dates and paths", async (t) => {
  const box = await populated(t);
  const listing = await listCachedModels({ cacheDir: box.cacheDir });
  assert.equal(listing.cacheDir, box.cacheDir);
  assert.deepEqual(listing.models.map((m) => m.id), ["acme/ast", "acme/wavlm"]);
  const ast = listing.models[0]!;
  const files = hub.repos.get("acme/ast")!.files;
  // The blobs plus refs/main (a 40-byte sha): everything the folder holds on disk.
  const expectedSize = [...files.values()].reduce((sum, b) => sum + b.length, 0) + 40;
  assert.equal(ast.size, expectedSize);
  assert.equal(ast.path, join(box.cacheDir, "models--acme--ast"));
  assert.ok(ast.lastModified instanceof Date && Date.now() - ast.lastModified.getTime() < 60_000);
  assert.deepEqual(ast.revisions.map((r) => [r.commit, r.refs, r.fileCount]), [
    [hub.repos.get("acme/ast")!.commit, ["main"], 3],
    ["f".repeat(40), [], 0],
  ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  assert.equal(listing.totalSize, listing.models.reduce((s, m) => s + m.size, 0));

  const table = formatCacheListing(listing);
  assert.match(table, /^ID\s+REVISIONS\s+SIZE\s+LAST MODIFIED\s+PATH$/m);
  assert.match(table, /^acme\/ast\s+.*main.*ffffffffffff.*\s+38\d kB\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\S+models--acme--ast$/m);
  assert.match(table, /2 models, .* in /);
  const csv = formatCacheListing(listing, "csv").trimEnd().split("\n");
  assert.equal(csv[0], "id,revisions,size,last_modified,path");
  assert.equal(csv.length, 3);
  const jsonl = formatCacheListing(listing, "jsonl").trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(jsonl[1].id, "acme/wavlm");
  assert.equal(JSON.parse(formatCacheListing(listing, "json")).models.length, 2);
});

test("cache ls on an empty or missing cache says so", async (t) => {
  const box = useSandbox(t);
  const listing = await listCachedModels({ cacheDir: box.cacheDir });
  assert.deepEqual(listing.models, []);
  assert.match(formatCacheListing(listing), /No models in the cache at /);
  // Without cacheDir, the environment decides (HF_HUB_CACHE here).
  const viaEnv = await listCachedModels({ env: { HF_HUB_CACHE: box.cacheDir } });
  assert.equal(viaEnv.cacheDir, box.cacheDir);
});

test("cache rm removes one repo and nothing else", async (t) => {
  const box = await populated(t);
  // Something outside the cache that a careless rm could reach through a symlink.
  const outside = join(box.root, "precious");
  mkdirSync(outside);
  writeFileSync(join(outside, "keep.txt"), "keep");
  symlinkSync(outside, join(box.cacheDir, "models--acme--ast", "snapshots", "link-to-outside"));

  const removed = await removeCachedModel("acme/ast", { cacheDir: box.cacheDir });
  assert.equal(removed.id, "acme/ast");
  assert.equal(removed.path, join(box.cacheDir, "models--acme--ast"));
  assert.ok(removed.freedBytes > 380_000);
  assert.equal(existsSync(removed.path), false);
  assert.equal(existsSync(join(outside, "keep.txt")), true, "symlink targets are never followed");
  assert.deepEqual(readdirSync(box.cacheDir).filter((n) => !n.startsWith(".")), ["models--acme--wavlm"]);
  assert.match(formatRemovedModel(removed), /^Removed acme\/ast \(\d+.* freed\): /);
  await assert.rejects(removeCachedModel("acme/ast", { cacheDir: box.cacheDir }), (error: unknown) => {
    assert.ok(error instanceof CacheOperationError);
    assert.match(error.message, /not in the cache .* cache ls/);
    return true;
  });
});

test("cache rm refuses ids that could point elsewhere", async (t) => {
  const box = await populated(t);
  for (const id of ["../outside", "acme/../../x", "/etc", "acme/ast@main", ".", "a/b/c"]) {
    await assert.rejects(removeCachedModel(id, { cacheDir: box.cacheDir }), InvalidModelRefError, id);
  }
  assert.equal(existsSync(join(box.cacheDir, "models--acme--ast")), true);
});

test("cache rm waits for nobody but refuses while a live download holds a lock", async (t) => {
  const box = await populated(t);
  const locks = join(box.cacheDir, ".locks", "models--acme--wavlm");
  mkdirSync(locks, { recursive: true });
  writeFileSync(join(locks, "abc.audioclass.lock"), JSON.stringify({ pid: process.pid, host: hostname(), nonce: "n", since: "now" }));
  await assert.rejects(removeCachedModel("acme/wavlm", { cacheDir: box.cacheDir }), /being downloaded right now/);
  const forced = await removeCachedModel("acme/wavlm", { cacheDir: box.cacheDir, force: true });
  assert.equal(existsSync(forced.path), false);
  assert.equal(existsSync(locks), false);
});
