import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { FakeHub, fixtureFiles } from "../hub/fake-hub.js";
import { CapturedStream, makeSandbox } from "../hub/hub-test-env.js";

function captureIO(env: NodeJS.ProcessEnv): CliIO & { out: string; err: string } {
  const stream = new CapturedStream();
  const io = {
    out: "",
    err: "",
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stderrStream: stream,
    env,
  };
  return io;
}

test("download, cache ls and cache rm work end to end against a local hub", async () => {
  const hub = await new FakeHub().start();
  const box = makeSandbox();
  try {
    hub.addRepo({ id: "acme/tiny-ast", files: fixtureFiles("ast") });
    const env = { HF_HOME: box.hfHome, HF_ENDPOINT: hub.url, CI: "true" };

    const dl = captureIO(env);
    assert.equal(await runCli(["download", "acme/tiny-ast", "--format", "json", "--quiet"], dl), 0, dl.err);
    const result = JSON.parse(dl.out);
    assert.equal(result.id, "acme/tiny-ast");
    assert.deepEqual(result.files.map((f: { name: string }) => f.name).sort(), ["config.json", "model.safetensors", "preprocessor_config.json"]);
    assert.ok(existsSync(join(result.dir, "model.safetensors")));

    const ls = captureIO(env);
    assert.equal(await runCli(["cache", "ls"], ls), 0, ls.err);
    assert.match(ls.out, /acme\/tiny-ast/);
    assert.match(ls.out, /main/);

    const rm = captureIO(env);
    assert.equal(await runCli(["cache", "rm", "acme/tiny-ast"], rm), 0, rm.err);
    assert.match(rm.out, /Removed acme\/tiny-ast/);
    assert.ok(!existsSync(result.dir));

    const missing = captureIO(env);
    assert.equal(await runCli(["download", "acme/nope", "--quiet"], missing), 1);
    assert.match(missing.err, /acme\/nope/);
  } finally {
    await hub.close();
    box.cleanup();
  }
});

test("usage mistakes exit 2 with the verb's usage; unknown verbs list the commands", async () => {
  const io = captureIO({});
  assert.equal(await runCli(["download"], io), 2);
  assert.match(io.err, /exactly one model id/);
  assert.match(io.err, /Usage: audioclass download/);

  const bad = captureIO({});
  assert.equal(await runCli(["download", "a/b", "--bogus"], bad), 2);
  assert.match(bad.err, /--bogus/);

  const unknown = captureIO({});
  assert.equal(await runCli(["frobnicate"], unknown), 2);
  assert.match(unknown.err, /unknown command "frobnicate"/);
  assert.match(unknown.err, /download/);

  const help = captureIO({});
  assert.equal(await runCli(["cache", "--help"], help), 0);
  assert.match(help.out, /cache ls/);

  const version = captureIO({});
  assert.equal(await runCli(["--version"], version), 0);
  assert.match(version.out, /^\d+\.\d+\.\d+\n$/);
});
