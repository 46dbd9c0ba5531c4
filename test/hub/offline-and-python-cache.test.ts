import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { downloadModel, NotCachedError, resolveModel } from "../../src/hub/index.js";
import { etagOf, fixtureFiles, startFakeHub, type FakeHub } from "./fake-hub.js";
import { CapturedStream, hubOptions, useSandbox, type Sandbox } from "./hub-test-env.js";

const ID = "acme/ast";
let hub: FakeHub;

before(async () => {
  hub = await startFakeHub([{ id: ID, files: fixtureFiles("ast") }]);
});
after(() => hub.close());

function offline(box: Sandbox, extra: Record<string, string> = {}) {
  const options = hubOptions(hub, box);
  return { ...options, cacheDir: undefined, env: { ...options.env, HF_HUB_OFFLINE: "1", ...extra } };
}

/**
 * Writes a cache the way Python's huggingface_hub does: blobs named by etag, relative symlinks
 * (or plain copies, as on Windows without developer mode), refs without a newline, a .no_exist
 * marker and an empty filelock file.
 */
function writePythonCache(cacheDir: string, id: string, commit: string, files: Record<string, Buffer>, opts: { symlinks: boolean; refs?: string[] }) {
  const repo = join(cacheDir, `models--${id.replace("/", "--")}`);
  for (const [name, bytes] of Object.entries(files)) {
    const etag = etagOf(name, bytes);
    const pointer = join(repo, "snapshots", commit, name);
    mkdirSync(dirname(pointer), { recursive: true });
    if (opts.symlinks) {
      mkdirSync(join(repo, "blobs"), { recursive: true });
      writeFileSync(join(repo, "blobs", etag), bytes);
      symlinkSync(`${"../".repeat(name.split("/").length + 1)}blobs/${etag}`, pointer);
    } else {
      writeFileSync(pointer, bytes);
    }
    mkdirSync(join(cacheDir, ".locks", `models--${id.replace("/", "--")}`), { recursive: true });
    writeFileSync(join(cacheDir, ".locks", `models--${id.replace("/", "--")}`, `${etag}.lock`), "");
  }
  for (const ref of opts.refs ?? ["main"]) {
    mkdirSync(dirname(join(repo, "refs", ref)), { recursive: true });
    writeFileSync(join(repo, "refs", ref), commit);
  }
  mkdirSync(join(repo, ".no_exist", commit), { recursive: true });
  writeFileSync(join(repo, ".no_exist", commit, "tokenizer.json"), "");
  return repo;
}

test("offline without a cached snapshot: the error names the model and how to fetch it", async (t) => {
  const box = useSandbox(t);
  const count = hub.requests.length;
  await assert.rejects(resolveModel(ID, offline(box)), (error: unknown) => {
    assert.ok(error instanceof NotCachedError);
    assert.equal(error.id, ID);
    assert.match(error.message, /'acme\/ast' is not in the cache at .*hf-home\/hub/);
    assert.match(error.message, /HF_HUB_OFFLINE/);
    assert.match(error.message, /audioclass download acme\/ast/);
    return true;
  });
  assert.equal(hub.requests.length, count, "offline means no request at all");
});

test("offline with a cached snapshot: served without any request", async (t) => {
  const box = useSandbox(t);
  const online = await downloadModel(ID, hubOptions(hub, box));
  const count = hub.requests.length;
  const resolved = await resolveModel(ID, offline(box));
  assert.deepEqual(resolved, { dir: online.dir, id: ID, revision: "main", commit: online.commit, source: "cache" });
  assert.equal(hub.requests.length, count);
  // localFilesOnly does the same without the environment variable.
  const local = await resolveModel(ID, hubOptions(hub, box, { localFilesOnly: true }));
  assert.equal(local.dir, online.dir);
  assert.equal(hub.requests.length, count);
});

test("offline with an incomplete snapshot names the missing file", async (t) => {
  const box = useSandbox(t);
  await downloadModel(ID, hubOptions(hub, box, { files: ["config.json", "preprocessor_config.json"] }));
  await assert.rejects(resolveModel(ID, offline(box)), (error: unknown) => {
    assert.ok(error instanceof NotCachedError);
    assert.match(error.message, /incomplete: there are no weights/);
    return true;
  });
  await assert.rejects(resolveModel(ID, { ...offline(box), files: ["config.json", "model.safetensors"] }), (error: unknown) => {
    assert.ok(error instanceof NotCachedError);
    assert.equal(error.file, "model.safetensors");
    assert.match(error.message, /model\.safetensors of 'acme\/ast' is not in the cached snapshot/);
    return true;
  });
});

test("a cache laid out by Python (symlinks, refs, .no_exist, filelocks) is found offline via HF_HOME", async (t) => {
  const box = useSandbox(t);
  const commit = "0123456789abcdef0123456789abcdef01234567";
  const files = fixtureFiles("wav2vec2");
  writePythonCache(box.cacheDir, "facebook/w2v-py", commit, files, { symlinks: true, refs: ["main", "v1.0"] });
  for (const ref of ["facebook/w2v-py", "facebook/w2v-py@v1.0", `facebook/w2v-py@${commit}`]) {
    const resolved = await resolveModel(ref, offline(box));
    assert.equal(resolved.commit, commit, ref);
    assert.equal(resolved.dir, join(box.cacheDir, "models--facebook--w2v-py", "snapshots", commit));
    assert.deepEqual(readFileSync(join(resolved.dir, "model.safetensors")), files["model.safetensors"]);
  }
});

test("a Python cache without symlinks (plain copies, as on Windows) is found too", async (t) => {
  const box = useSandbox(t);
  const commit = "89abcdef0123456789abcdef0123456789abcdef";
  writePythonCache(box.cacheDir, "facebook/w2v-win", commit, fixtureFiles("wav2vec2"), { symlinks: false });
  const resolved = await resolveModel("facebook/w2v-win", offline(box));
  assert.equal(resolved.commit, commit);
});

test("Python's leftover filelock files do not block our downloads", async (t) => {
  const box = useSandbox(t);
  const repo = hub.repos.get(ID)!;
  // Python left empty <etag>.lock files for every blob (filelock does not delete them).
  const locks = join(box.cacheDir, ".locks", "models--acme--ast");
  mkdirSync(locks, { recursive: true });
  for (const [name, bytes] of repo.files) writeFileSync(join(locks, `${etagOf(name, bytes)}.lock`), "");
  const started = Date.now();
  const result = await downloadModel(ID, hubOptions(hub, box));
  assert.equal(result.files.length, 3);
  assert.ok(Date.now() - started < 2000);
});

test("when the hub is unreachable, a complete cached snapshot is used with a warning", async (t) => {
  const box = useSandbox(t);
  const online = await downloadModel(ID, hubOptions(hub, box));
  const stderr = new CapturedStream();
  const resolved = await resolveModel(ID, hubOptions(undefined, box, { endpoint: "http://127.0.0.1:9", stderr }));
  assert.equal(resolved.dir, online.dir);
  assert.match(stderr.text, /audioclass: Could not reach .* Using the cached snapshot [0-9a-f]{12} of acme\/ast instead\./);
});

test("without symlinks, blobs are moved into the snapshot as plain files (huggingface_hub's fallback)", async (t) => {
  const box = useSandbox(t);
  const result = await downloadModel(ID, hubOptions(hub, box, { useSymlinks: false }));
  for (const file of result.files) {
    assert.ok(lstatSync(file.path).isFile(), `${file.name} is a regular file`);
    assert.deepEqual(readFileSync(file.path), hub.repos.get(ID)!.files.get(file.name));
  }
  assert.deepEqual(readdirSync(join(box.cacheDir, "models--acme--ast", "blobs")), [], "moved, not duplicated");
  const again = await resolveModel(ID, offline(box));
  assert.equal(again.dir, result.dir);
});
