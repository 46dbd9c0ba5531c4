/** `audioclass serve`: starts, answers, and on SIGTERM finishes the request in flight before it exits 0. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { fixturePath } from "../helpers/fixtures.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { rawRequest } from "../server/server-helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function captureIO(): CliIO & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), stderrStream: new CapturedStream(), env: {} };
  return io;
}

test("serve --help lists the endpoints and limits; bad flags are usage errors", async () => {
  const help = captureIO();
  assert.equal(await runCli(["serve", "--help"], help), 0);
  for (const text of ["POST /classify", "POST /zero-shot", "POST /models/<name>", "--workers", "--max-queue", "--request-timeout", "--max-body-mb"]) assert.ok(help.out.includes(text), text);
  const bad = captureIO();
  assert.equal(await runCli(["serve", "--port", "70000"], bad), 2);
  assert.match(bad.err, /--port must be at most 65535/);
  const extra = captureIO();
  assert.equal(await runCli(["serve", "clip.wav"], extra), 2);
  assert.match(extra.err, /serve takes no files/);
});

test("serve listens, classifies, and on SIGTERM finishes the request in flight, then exits 0", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", "--threads", "1", "--log-level", "silent"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const check = (): void => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (m !== null) resolve(m[1]!);
      };
      child.stderr.on("data", check);
      void exited.then((code) => reject(new Error(`serve exited (${code}) before listening:\n${stderr}`)));
    });
    assert.match(stderr, /1 worker × 1 thread; 10 labels/);
    const long = readFileSync(fixturePath("audio/long_12s.wav"));
    const inFlight = rawRequest(url, { path: "/classify?window=1&hop=0.05&top_k=1", headers: { "content-type": "audio/wav", "content-length": long.length }, chunks: [long] });
    // wait until the request runs, then ask the server to stop
    for (;;) {
      const health = (await rawRequest(url, { method: "GET", path: "/health" })).json();
      if (health.workers.busy === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGTERM");
    const response = await inFlight;
    assert.equal(response.status, 200, response.text);
    assert.equal(response.json().segments.length, 221);
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /SIGTERM: shutting down; finishing 1 request in flight/);
    assert.match(stderr, /stopped\n$/);
  } finally {
    child.kill("SIGKILL");
  }
});
