import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixtureFiles, sha256, startFakeHub, type FakeHub } from "./fake-hub.js";
import { useSandbox } from "./hub-test-env.js";

const WORKER = fileURLToPath(new URL("./workers/download-worker.ts", import.meta.url));
const ID = "acme/ast";
let hub: FakeHub;

before(async () => {
  hub = await startFakeHub([{ id: ID, files: fixtureFiles("ast") }]);
});
after(() => hub.close());

function runWorker(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, ID], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test("two processes downloading the same model at once both succeed, with one transfer of the weights", async (t) => {
  const box = useSandbox(t);
  // Slow the weights (~1.2 s) so the second process arrives while the first is still downloading.
  hub.chunkDelayMs = 50;
  t.after(() => (hub.chunkDelayMs = 0));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: box.root,
    HF_HOME: box.hfHome,
    HF_HUB_CACHE: box.cacheDir,
    HF_ENDPOINT: hub.url,
    HF_TOKEN: hub.token,
  };
  const [a, b] = await Promise.all([runWorker(env), runWorker(env)]);
  for (const run of [a, b]) {
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stderr.includes(hub.token) && !run.stdout.includes(hub.token), "the token is never printed");
  }
  const weights = hub.repos.get(ID)!.files.get("model.safetensors")!;
  const etag = sha256(weights);
  const fullGets = hub.requests.filter((r) => r.server === "cdn" && r.path.endsWith(etag) && r.range === undefined);
  assert.equal(fullGets.length, 1, "the second process waited for the first instead of downloading again");
  const dirA = JSON.parse(a.stdout).dir as string;
  assert.equal(dirA, JSON.parse(b.stdout).dir);
  assert.equal(sha256(readFileSync(join(dirA, "model.safetensors"))), etag);
  const blobs = readdirSync(join(box.cacheDir, "models--acme--ast", "blobs"));
  assert.equal(blobs.length, 3);
  assert.ok(!blobs.some((name) => name.includes(".incomplete")));
  assert.deepEqual(readdirSync(join(box.cacheDir, ".locks", "models--acme--ast")), [], "locks released");
  const downloadedBy = [a, b].map((run) => JSON.parse(run.stdout).files.find((f: { name: string }) => f.name === "model.safetensors").downloaded);
  assert.deepEqual(downloadedBy.sort(), [false, true]);
});
