import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { FakeHub, fixtureFiles } from "../hub/fake-hub.js";
import { CapturedStream, makeSandbox } from "../hub/hub-test-env.js";
import { fixturePath, modelDir, readJson } from "../helpers/fixtures.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function captureIO(env: NodeJS.ProcessEnv = {}): CliIO & { out: string; err: string; stream: CapturedStream } {
  const stream = new CapturedStream();
  const io = {
    out: "",
    err: "",
    stream,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stderrStream: stream,
    env: { CI: "true", ...env },
  };
  return io;
}

/** The Python pipeline's default output for an AST fixture case (all labels, softmax). */
function pythonDefault(audio: string): Array<{ label: string; score: number }> {
  return readJson(`cases/ast/${audio}.json`).pipeline.find((p: { name: string }) => p.name === "default").output;
}

test("classify: directories expand, bad files are reported and the rest still run (exit 1)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-classify-"));
  try {
    copyFileSync(fixturePath("audio/speech_16k.wav"), join(dir, "a.wav"));
    copyFileSync(fixturePath("audio/long_12s.wav"), join(dir, "b.wav"));
    writeFileSync(join(dir, "broken.wav"), "this is not audio");
    const io = captureIO();
    const code = await runCli(["classify", "--model", modelDir("ast"), "--threads", "1", "--format", "json", dir, join(dir, "missing.wav")], io);
    assert.equal(code, 1);
    assert.match(io.err, /broken\.wav: /);
    assert.match(io.err, /missing\.wav: no such file/);
    const all = JSON.parse(io.out);
    // one record per input: the failed ones carry { type, message } instead of predictions
    assert.deepEqual(all.map((r: { file: string }) => r.file).sort(), ["a.wav", "b.wav", "broken.wav", "missing.wav"].map((f) => join(dir, f)).sort());
    const failed = Object.fromEntries(all.filter((r: { error?: unknown }) => r.error).map((r: { file: string; error: { type: string; message: string } }) => [r.file, r.error]));
    assert.equal(failed[join(dir, "missing.wav")].type, "AudioSourceError");
    assert.match(failed[join(dir, "broken.wav")].type, /AudioDecodeError|UnsupportedAudioFormatError/);
    assert.match(failed[join(dir, "broken.wav")].message, /broken\.wav/);
    const results = all.filter((r: { predictions?: unknown }) => r.predictions);
    assert.deepEqual(results.map((r: { file: string }) => r.file), [join(dir, "a.wav"), join(dir, "b.wav")]);
    for (const [i, audio] of ["speech_16k", "long_12s"].entries()) {
      const expected = pythonDefault(audio);
      assert.deepEqual(results[i].predictions.map((p: { label: string }) => p.label), expected.map((p) => p.label));
      results[i].predictions.forEach((p: { score: number }, k: number) => assert.ok(Math.abs(p.score - expected[k]!.score) < 1e-5));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("classify: --top-k, --function, --batch-size and csv/jsonl/table formats", async () => {
  const files = ["speech_16k", "noise_16k_float", "short_0p3s"].map((n) => fixturePath(`audio/${n}.wav`));
  const csv = captureIO();
  assert.equal(await runCli(["classify", "-m", modelDir("wav2vec2"), "--top-k", "2", "--batch-size", "3", "--format", "csv", ...files], csv), 0, csv.err);
  const lines = csv.out.trim().split("\n");
  assert.equal(lines[0], "file,rank,label,score,error_type,error_message");
  assert.equal(lines.length, 1 + 3 * 2);
  const jsonl = captureIO();
  assert.equal(await runCli(["classify", "-m", modelDir("wav2vec2"), "--function", "sigmoid", "--format", "jsonl", ...files], jsonl), 0, jsonl.err);
  const records = jsonl.out.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(records.length, 3);
  const sigmoid = readJson("cases/wav2vec2/speech_16k.json").pipeline.find((p: { name: string }) => p.name === "sigmoid").output;
  assert.equal(records[0].predictions[0].label, sigmoid[0].label);
  assert.ok(Math.abs(records[0].predictions[0].score - sigmoid[0].score) < 1e-5);
  // batching does not change results (beyond float32 summation order: 1e-6)
  const one = captureIO();
  assert.equal(await runCli(["classify", "-m", modelDir("wav2vec2"), "--top-k", "2", "--format", "csv", ...files], one), 0);
  const rows = (text: string) => text.trim().split("\n").slice(1).map((l) => l.split(","));
  rows(one.out).forEach((row, i) => {
    const batched = rows(csv.out)[i]!;
    assert.deepEqual(row.slice(0, 3), batched.slice(0, 3));
    assert.ok(Math.abs(Number(row[3]) - Number(batched[3])) < 1e-6);
  });
  const table = captureIO();
  assert.equal(await runCli(["classify", "-m", modelDir("whisper"), "-k", "1", "--format", "table", files[0]!], table), 0);
  assert.match(table.out, /speech_16k\.wav\n {2}\S+ +\d\.\d{4}\n/);
});

test("classify: a progress bar on stderr for many files; usage errors exit 2", async () => {
  const file = fixturePath("audio/short_0p3s.wav");
  const io = captureIO();
  assert.equal(await runCli(["classify", "-m", modelDir("ast"), "--format", "jsonl", ...Array(8).fill(file)], io), 0);
  assert.match(io.stream.text, /classify/);
  assert.match(io.stream.text, /classify: 8 in /);
  const bad = captureIO();
  assert.equal(await runCli(["classify", "-m", modelDir("ast"), "--function", "relu", file], bad), 2);
  assert.match(bad.err, /--function must be one of softmax, sigmoid, none/);
  const none = captureIO();
  assert.equal(await runCli(["classify", "-m", modelDir("ast")], none), 2);
});

test("after a download, HF_HUB_OFFLINE=1 classify --model org/name works with no server running", async () => {
  const hub = await new FakeHub().start();
  const box = makeSandbox();
  try {
    hub.addRepo({ id: "acme/tiny-ast", files: fixtureFiles("ast") });
    const env = { HF_HOME: box.hfHome, HF_ENDPOINT: hub.url };
    const dl = captureIO(env);
    assert.equal(await runCli(["download", "acme/tiny-ast", "--quiet"], dl), 0, dl.err);
    await hub.close();
    const io = captureIO({ ...env, HF_HUB_OFFLINE: "1" });
    const code = await runCli(["classify", "--model", "acme/tiny-ast", "--format", "json", fixturePath("audio/speech_16k.wav")], io);
    assert.equal(code, 0, io.err);
    assert.equal(JSON.parse(io.out)[0].predictions[0].label, pythonDefault("speech_16k")[0]!.label);
    const missing = captureIO({ ...env, HF_HUB_OFFLINE: "1" });
    assert.equal(await runCli(["classify", "--model", "acme/other", fixturePath("audio/speech_16k.wav")], missing), 1);
    assert.match(missing.err, /acme\/other/);
  } finally {
    await hub.close().catch(() => undefined);
    box.cleanup();
  }
});

test("the audioclass binary runs as a process", () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "classify", "-m", modelDir("ast"), "-k", "1", "--format", "json", fixturePath("audio/tone_44k.wav")], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  assert.equal(result.status, 0, result.stderr);
  const [record] = JSON.parse(result.stdout);
  assert.equal(record.predictions.length, 1);
});

test("a command line over 40 KB runs (onnxruntime-node 1.30 crashed with SIGSEGV past ~32 KB)", () => {
  // 40 spellings of one file, each padded with "./" segments to ~1.1 KB: 44 KB of arguments.
  const file = fixturePath("audio/short_0p3s.wav");
  const slash = file.lastIndexOf("/");
  const padded = (i: number) => `${file.slice(0, slash)}/${"./".repeat(540 + i)}${file.slice(slash + 1)}`;
  const inputs = Array.from({ length: 40 }, (_, i) => padded(i));
  assert.ok(inputs.join(" ").length > 40_000);
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "classify", "-m", modelDir("ast"), "-k", "1", "--format", "jsonl", "--quiet", ...inputs], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  assert.equal(result.signal, null, `killed by ${result.signal}`);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim().split("\n").length, 40);
});
