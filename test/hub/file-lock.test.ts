import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { LockTimeoutError } from "../../src/hub/index.js";
import { acquireFileLock, withFileLock } from "../../src/hub/file-lock.js";
import { useSandbox } from "./hub-test-env.js";

test("a second holder waits until the first releases, then gets the lock", async (t) => {
  const box = useSandbox(t);
  const path = join(box.root, "locks", "x.lock");
  const order: string[] = [];
  const first = await acquireFileLock(path);
  let waited = 0;
  const second = withFileLock(path, { onWait: () => waited++ }, async () => {
    order.push("second");
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  order.push("first releases");
  await first.release();
  await second;
  assert.deepEqual(order, ["first releases", "second"]);
  assert.equal(waited, 1, "onWait is called once");
  assert.equal(existsSync(path), false, "released locks leave no file");
});

test("a lock left by a dead process on this host is taken over at once", async (t) => {
  const box = useSandbox(t);
  const path = join(box.root, "dead.lock");
  const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
  writeFileSync(path, JSON.stringify({ pid: deadPid, host: hostname(), nonce: "old", since: new Date().toISOString() }));
  const started = Date.now();
  const lock = await acquireFileLock(path, { timeoutMs: 5000 });
  assert.ok(Date.now() - started < 500);
  await lock.release();
  assert.deepEqual(readdirSync(box.root).filter((n) => n.includes("dead")), [], "no stale leftovers");
});

test("a lock whose heartbeat stopped (another host, or garbage) is stale after staleMs", async (t) => {
  const box = useSandbox(t);
  mkdirSync(join(box.root, "l"));
  for (const [name, content] of [["remote.lock", JSON.stringify({ pid: 1, host: "elsewhere", nonce: "r", since: "" })], ["garbage.lock", "not json"]] as const) {
    const path = join(box.root, "l", name);
    writeFileSync(path, content);
    const old = new Date(Date.now() - 10_000);
    utimesSync(path, old, old);
    const lock = await acquireFileLock(path, { staleMs: 5_000, timeoutMs: 2_000 });
    await lock.release();
  }
});

test("a live holder is waited for, up to lockTimeoutMs", async (t) => {
  const box = useSandbox(t);
  const path = join(box.root, "live.lock");
  const holder = await acquireFileLock(path);
  t.after(() => holder.release());
  await assert.rejects(acquireFileLock(path, { timeoutMs: 150 }), (error: unknown) => {
    assert.ok(error instanceof LockTimeoutError);
    assert.match(error.message, new RegExp(`process ${process.pid} on ${hostname()}`));
    assert.match(error.message, /delete that file/);
    return true;
  });
});

test("release never removes a lock that another holder took over", async (t) => {
  const box = useSandbox(t);
  const path = join(box.root, "taken.lock");
  const mine = await acquireFileLock(path);
  writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname(), nonce: "someone-else", since: "" }));
  await mine.release();
  assert.equal(existsSync(path), true);
});
