import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { downloadModel, resolveModel, formatDownloadResult } from "../../src/hub/index.js";
import { etagOf, fixtureFiles, startFakeHub, type FakeHub } from "./fake-hub.js";
import { CapturedStream, hubOptions, useSandbox } from "./hub-test-env.js";

const AST = "MIT/ast-tiny";
const CLAP = "laion/clap-tiny";
let hub: FakeHub;

before(async () => {
  hub = await startFakeHub([
    { id: AST, files: { ...fixtureFiles("ast"), "README.md": "# readme", "training_args.bin": Buffer.alloc(64, 1) } },
    { id: CLAP, files: fixtureFiles("clap") },
  ]);
});
after(() => hub.close());

/** Every entry under `dir` as "path" (file), "path/" (folder) or "path -> target" (symlink). */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      const rel = relative(dir, full);
      const info = lstatSync(full);
      if (info.isSymbolicLink()) out.push(`${rel} -> ${readlinkSync(full)}`);
      else if (info.isDirectory()) {
        out.push(`${rel}/`);
        walk(full);
      } else out.push(rel);
    }
  };
  walk(dir);
  return out;
}

test("a public download writes exactly huggingface_hub's cache layout", async (t) => {
  const box = useSandbox(t);
  const result = await downloadModel(AST, hubOptions(hub, box));
  const repo = hub.repos.get(AST)!;
  const files = repo.files;
  const e = (name: string) => etagOf(name, files.get(name)!);

  assert.equal(result.commit, repo.commit);
  assert.equal(result.revision, "main");
  assert.equal(result.dir, join(box.cacheDir, "models--MIT--ast-tiny", "snapshots", repo.commit));
  // Only what the model needs: not the README, not training_args.bin.
  assert.deepEqual(result.files.map((f) => f.name), ["config.json", "preprocessor_config.json", "model.safetensors"]);
  assert.ok(result.files.every((f) => f.downloaded));

  const expected = [
    "blobs/",
    ...["config.json", "preprocessor_config.json", "model.safetensors"].map((n) => `blobs/${e(n)}`).sort(),
    "refs/",
    "refs/main",
    "snapshots/",
    `snapshots/${repo.commit}/`,
    `snapshots/${repo.commit}/config.json -> ../../blobs/${e("config.json")}`,
    `snapshots/${repo.commit}/model.safetensors -> ../../blobs/${e("model.safetensors")}`,
    `snapshots/${repo.commit}/preprocessor_config.json -> ../../blobs/${e("preprocessor_config.json")}`,
  ];
  assert.deepEqual(tree(join(box.cacheDir, "models--MIT--ast-tiny")), expected);
  assert.equal(readFileSync(join(box.cacheDir, "models--MIT--ast-tiny", "refs", "main"), "utf8"), repo.commit);
  for (const [name, bytes] of files) {
    if (!result.files.some((f) => f.name === name)) continue;
    assert.deepEqual(readFileSync(join(result.dir, name)), bytes, name);
  }
  // Weights came through the CDN redirect.
  assert.equal(hub.requestsFor("/cdn/", "GET").length, 1);
  // Beside the repo only huggingface_hub's .locks folder (our locks released, no probe or temp files).
  assert.deepEqual(tree(box.cacheDir).filter((p) => !p.startsWith("models--")), [".locks/", ".locks/models--MIT--ast-tiny/"]);
});

test("downloads draw progress bars on stderr", async (t) => {
  const box = useSandbox(t);
  const stderr = new CapturedStream();
  stderr.isTTY = true;
  await downloadModel(AST, hubOptions(hub, box, { progress: true, stderr, env: { HF_HOME: box.hfHome } }));
  assert.match(stderr.text, /\rmodel\.safetensors .*\|/);
  assert.match(stderr.text, /model\.safetensors: 380 kB in \d+\.\d s/);
  assert.match(stderr.text, /config\.json: 887 B in/);
  // HF_HUB_DISABLE_PROGRESS_BARS silences them, as in huggingface_hub.
  const quiet = new CapturedStream();
  await downloadModel(CLAP, hubOptions(hub, box, { progress: true, stderr: quiet, env: { HF_HOME: box.hfHome, HF_HUB_DISABLE_PROGRESS_BARS: "1" } }));
  assert.equal(quiet.text, "");
});

test("a second call is served from the cache without downloading", async (t) => {
  const box = useSandbox(t);
  await downloadModel(AST, hubOptions(hub, box));
  const before = hub.requests.length;
  const again = await resolveModel(AST, hubOptions(hub, box));
  const made = hub.requests.slice(before);
  assert.equal(again.source, "cache");
  // One API call to learn the commit of "main"; no HEAD, no GET of files.
  assert.deepEqual(made.map((r) => `${r.method} ${r.path}`), [`GET /api/models/${AST}/revision/main`]);
  // With the commit sha as revision, no request at all.
  const count = hub.requests.length;
  const pinned = await resolveModel(`${AST}@${again.commit}`, hubOptions(hub, box));
  assert.equal(pinned.dir, again.dir);
  assert.equal(hub.requests.length, count);
});

test("CLAP downloads its tokenizer files", async (t) => {
  const box = useSandbox(t);
  const result = await downloadModel(CLAP, hubOptions(hub, box));
  assert.deepEqual(
    result.files.map((f) => f.name).sort(),
    ["config.json", "merges.txt", "model.safetensors", "preprocessor_config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.json"],
  );
  for (const file of result.files) assert.equal(statSync(file.path).size, hub.repos.get(CLAP)!.files.get(file.name)!.length);
});

test("formatDownloadResult renders table, json and csv", async (t) => {
  const box = useSandbox(t);
  const result = await downloadModel(AST, hubOptions(hub, box));
  const table = formatDownloadResult(result);
  assert.match(table, /^MIT\/ast-tiny @ main \(commit [0-9a-f]{12}\): 3 files, .* 3 downloaded/);
  assert.match(table, /model\.safetensors\s+380 kB\s+downloaded/);
  assert.ok(table.trimEnd().endsWith(result.dir));
  const json = JSON.parse(formatDownloadResult(result, "json"));
  assert.equal(json.commit, result.commit);
  assert.equal(json.files.length, 3);
  const csv = formatDownloadResult(result, "csv").trimEnd().split("\n");
  assert.equal(csv[0], "id,revision,commit,file,size,downloaded,path");
  assert.equal(csv.length, 4);
});
