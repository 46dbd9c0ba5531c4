/**
 * The command line on inputs that once crashed, hung or lost files: poisoned headers in a
 * folder, devices, symbolic links, standard input, a reader that closes the pipe, and a long run
 * killed with SIGKILL and resumed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { fixturePath, modelDir } from "../helpers/fixtures.js";
import { buildWav, chunk, fmtBody, int16Body } from "../audio/wav-builder.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = ["--import", "tsx", "src/cli/main.ts"];

function captureIO(): CliIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stderrStream: new CapturedStream(),
    env: { CI: "true" },
  };
  return io;
}

function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-cli-"));
  return run(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function wavAt(rate: number, frames: number): Uint8Array {
  return buildWav([chunk("fmt ", fmtBody({ channels: 1, rate, bits: 16 })), chunk("data", int16Body(Array.from({ length: frames }, (_, i) => (i * 37) % 2000)))]);
}

type Record = { file: string; predictions?: Array<{ label: string; score: number }>; error?: { type: string; message: string } };

test("a folder with poisoned headers: those files get typed error records, every other file is classified", () =>
  withDir(async (dir) => {
    copyFileSync(fixturePath("audio/speech_16k.wav"), join(dir, "a.wav"));
    writeFileSync(join(dir, "b-one-hertz.wav"), wavAt(1, 1_000_000));
    writeFileSync(join(dir, "c-four-gigahertz.wav"), wavAt(0xffffffff, 16_000));
    copyFileSync(fixturePath("audio/tone_44k.wav"), join(dir, "d.wav"));
    const io = captureIO();
    const started = Date.now();
    assert.equal(await runCli(["classify", "-m", modelDir("ast"), "--threads", "1", "-k", "1", "--format", "json", dir], io), 1);
    assert.ok(Date.now() - started < 20_000, "no hang");
    const records: Record[] = JSON.parse(io.out);
    assert.deepEqual(records.map((r) => r.file), ["a.wav", "b-one-hertz.wav", "c-four-gigahertz.wav", "d.wav"].map((f) => join(dir, f)));
    assert.ok(records[0]!.predictions && records[3]!.predictions);
    for (const r of [records[1]!, records[2]!]) {
      assert.equal(r.error?.type, "AudioFormatError");
      assert.match(r.error!.message, /sampling rate of \d+ Hz, outside the 1000 – 768000 Hz/);
    }
    assert.match(io.err, /b-one-hertz\.wav: .*1 Hz/);
  }));

test("/dev/zero is cut off at --max-memory and recorded as failed; the next file still runs", async () => {
  const io = captureIO();
  const code = await runCli(["classify", "-m", modelDir("ast"), "--threads", "1", "--max-memory", "64", "-k", "1", "--format", "jsonl", "/dev/zero", fixturePath("audio/speech_16k.wav")], io);
  assert.equal(code, 1);
  const records: Record[] = io.out.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(records[0]!.error?.type, "AudioSourceError");
  assert.match(records[0]!.error!.message, /goes on past the 64\.0 MiB/);
  assert.ok(records[1]!.predictions);
});

test("a directory of symbolic links to audio files (and a link to a directory) is classified", () =>
  withDir(async (dir) => {
    const links = join(dir, "links");
    mkdirSync(links);
    symlinkSync(fixturePath("audio/speech_16k.wav"), join(links, "one.wav"));
    symlinkSync(fixturePath("audio/short_0p3s.wav"), join(links, "two.wav"));
    symlinkSync(join(dir, "nowhere.wav"), join(links, "dangling.wav"));
    mkdirSync(join(dir, "sub"));
    copyFileSync(fixturePath("audio/tone_44k.wav"), join(dir, "sub", "three.wav"));
    symlinkSync(join(dir, "sub"), join(links, "sub"));
    symlinkSync(links, join(links, "loop")); // a cycle is walked once
    const io = captureIO();
    assert.equal(await runCli(["classify", "-m", modelDir("ast"), "--threads", "1", "-k", "1", "--format", "jsonl", links], io), 0, io.err);
    const files = io.out.trim().split("\n").map((l) => (JSON.parse(l) as Record).file);
    assert.deepEqual(files, ["one.wav", "sub/three.wav", "two.wav"].map((f) => join(links, f)));
  }));

test("- reads the audio from standard input", () => {
  const run = spawnSync(process.execPath, [...CLI, "classify", "-m", modelDir("ast"), "-k", "1", "--format", "jsonl", "-"], {
    cwd: ROOT,
    input: readFileSync(fixturePath("audio/speech_16k.wav")),
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  const piped: Record = JSON.parse(run.stdout);
  const direct = spawnSync(process.execPath, [...CLI, "classify", "-m", modelDir("ast"), "-k", "1", "--format", "jsonl", fixturePath("audio/speech_16k.wav")], { cwd: ROOT, encoding: "utf8" });
  assert.equal(piped.file, "-");
  assert.deepEqual(piped.predictions, (JSON.parse(direct.stdout) as Record).predictions);
});

test("a reader that closes the pipe early (| head -1) ends the run quietly, without an EPIPE stack trace", () =>
  withDir(async (dir) => {
    const file = fixturePath("audio/short_0p3s.wav");
    const args = [process.execPath, ...CLI, "classify", "-m", modelDir("ast"), "--format", "jsonl", "--quiet", ...Array(300).fill(file)].map((a) => `'${a}'`).join(" ");
    const errFile = join(dir, "stderr.txt");
    const run = spawnSync("bash", ["-c", `set -o pipefail; ${args} 2>'${errFile}' | head -1; echo "status=$?"`], { cwd: ROOT, encoding: "utf8" });
    const lines = run.stdout.trim().split("\n");
    assert.ok((JSON.parse(lines[0]!) as Record).predictions);
    assert.equal(lines[1], "status=0", `stderr: ${readFileSync(errFile, "utf8")}`);
    assert.equal(readFileSync(errFile, "utf8"), "");
  }));

test("audioclass help classify prints classify's usage", async () => {
  const io = captureIO();
  assert.equal(await runCli(["help", "classify"], io), 0);
  assert.match(io.out, /^Usage: audioclass classify/);
  const unknown = captureIO();
  assert.equal(await runCli(["help", "bogus"], unknown), 2);
  assert.match(unknown.err, /no help for "bogus"/);
});

test("--output: killed with SIGKILL mid-run, --resume finishes with exactly one record per file, equal to a clean run", () =>
  withDir(async (dir) => {
    const inputs = Array.from({ length: 300 }, (_, i) => {
      const path = join(dir, `clip-${String(i).padStart(3, "0")}.wav`);
      copyFileSync(fixturePath(i % 2 === 0 ? "audio/short_0p3s.wav" : "audio/speech_16k.wav"), path);
      return path;
    });
    writeFileSync(join(dir, "clip-150.wav"), "not audio"); // a failed record, retried on resume
    const out = join(dir, "results.jsonl");
    const args = [...CLI, "classify", "-m", modelDir("ast"), "--threads", "1", "-k", "2", "--format", "jsonl", "--quiet", "--output", out];
    const child = spawn(process.execPath, [...args, ...inputs], { cwd: ROOT, stdio: "ignore" });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    for (;;) {
      await new Promise((r) => setTimeout(r, 25));
      const journal = existsSync(`${out}.partial`) ? readFileSync(`${out}.partial`, "utf8") : "";
      if (journal.split("\n").length > 40) break;
      assert.notEqual(child.exitCode, 0, "the run finished before it could be killed; make it longer");
    }
    child.kill("SIGKILL");
    await exited;
    assert.ok(!existsSync(out), "the output appears only when the run completes");
    const partial = readFileSync(`${out}.partial`, "utf8").trim().split("\n").length;
    assert.ok(partial >= 40 && partial < 300, `${partial} records before the kill`);

    const resumed = spawnSync(process.execPath, [...args, "--resume", ...inputs], { cwd: ROOT, encoding: "utf8" });
    assert.equal(resumed.status, 1, resumed.stderr); // clip-150 is not audio
    assert.match(resumed.stderr, /resuming: \d+ of 300 files already done/);
    assert.ok(!existsSync(`${out}.partial`));
    const records: Record[] = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.file), inputs, "exactly one record per file, in input order");
    assert.ok(records[150]!.error);

    const clean = join(dir, "clean.jsonl");
    spawnSync(process.execPath, [...args.slice(0, -1), clean, ...inputs], { cwd: ROOT });
    assert.equal(readFileSync(out, "utf8"), readFileSync(clean, "utf8"));
  }));

test("evaluate skips a file whose header claims 1 Hz, names it, and scores the rest", () =>
  withDir(async (dir) => {
    mkdirSync(join(dir, "7"));
    copyFileSync(fileURLToPath(new URL("../../models/default/example.wav", import.meta.url)), join(dir, "7", "a.wav"));
    writeFileSync(join(dir, "7", "poisoned.wav"), wavAt(1, 1_000_000));
    const run = spawnSync(process.execPath, [...CLI, "evaluate", "--model", "models/default", "--data", dir, "--format", "json", "--quiet"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /poisoned\.wav: its header declares a sampling rate of 1 Hz/);
    const report = JSON.parse(run.stdout);
    assert.equal(report.samples, 1);
    assert.deepEqual(report.skipped_files, [join(dir, "7", "poisoned.wav")]);
  }));
