/** `classify --window/--hop/--events/--timeline`: long files classified in windows from the command line. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav, readAudio } from "../../src/audio/index.js";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { fixturePath } from "../helpers/fixtures.js";

function captureIO(): CliIO & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), stderrStream: new CapturedStream(), env: { CI: "true" } };
  return io;
}

async function digitsFile(dir: string): Promise<string> {
  const rate = 16000;
  const long = new Float32Array(rate * 6);
  const clip = (await readAudio(fixturePath("../fsdd/3_jackson_7.wav"), { samplingRate: rate, mono: true })).channels[0]!;
  long.set(clip, 2 * rate);
  const path = join(dir, "three.wav");
  writeFileSync(path, encodeWav([long], rate));
  return path;
}

test("--window/--hop: one record per window in jsonl and csv; --events merges them; --timeline draws them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-windows-"));
  try {
    const file = await digitsFile(dir);
    const jsonl = captureIO();
    assert.equal(await runCli(["classify", "--window", "1", "--hop", "0.5", "-k", "2", "--format", "jsonl", "--threads", "1", file], jsonl), 0, jsonl.err);
    const windows = jsonl.out.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(windows.length, 11);
    assert.deepEqual(Object.keys(windows[0]), ["file", "start", "end", "predictions"]);
    assert.deepEqual(windows.map((w) => w.start), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    assert.equal(windows.find((w) => w.start === 2).predictions[0].label, "3");

    const csv = captureIO();
    assert.equal(await runCli(["classify", "--window", "1", "-k", "1", "--format", "csv", "--threads", "1", file], csv), 0);
    const rows = csv.out.trim().split("\n");
    assert.equal(rows[0], "file,start,end,rank,label,score,error_type,error_message");
    assert.equal(rows.length, 1 + 6);
    assert.match(rows[3]!, new RegExp(`^${file.replace(/[/.]/g, "\\$&")},2,3,1,3,0\\.9`));

    const events = captureIO();
    const svg = join(dir, "timeline.svg");
    assert.equal(await runCli(["classify", "--events", "--window", "1", "--hop", "0.5", "--format", "jsonl", "--timeline", svg, "--threads", "1", file], events), 0);
    const merged = events.out.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(merged[0]), ["file", "label", "start", "end", "score"]);
    assert.ok(merged.some((e) => e.label === "3" && e.start <= 2 && e.end >= 3));
    const drawing = readFileSync(svg, "utf8");
    assert.match(drawing, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(drawing, /<title>3: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file longer than the model's input, without --window, gets one warning line saying how much was ignored", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-windows-"));
  try {
    const io = captureIO();
    assert.equal(await runCli(["classify", "-k", "1", "--format", "json", "--threads", "1", await digitsFile(dir)], io), 0);
    assert.match(io.err, /three\.wav: 6\.0 s long; the model hears only the first 1\.00 s \(5\.0 s ignored\); pass --window to classify all of it\n$/);
    const short = captureIO();
    await runCli(["classify", "-k", "1", "--format", "json", "--threads", "1", fixturePath("../fsdd/3_jackson_7.wav")], short);
    assert.equal(short.err, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--window with --output and --resume: a finished file is kept, one record per window", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-windows-"));
  try {
    const file = await digitsFile(dir);
    const out = join(dir, "windows.jsonl");
    const args = ["classify", "--window", "1", "-k", "1", "--format", "jsonl", "--threads", "1", "--output", out];
    assert.equal(await runCli([...args, file], captureIO()), 0);
    const first = readFileSync(out, "utf8");
    assert.equal(first.trim().split("\n").length, 6);
    const again = captureIO();
    assert.equal(await runCli([...args, "--resume", file, fixturePath("../fsdd/0_george_3.wav")], again), 0);
    assert.match(again.err, /resuming: 1 of 2 files already done/);
    const records = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(records.length, 6 + 1);
    assert.equal(readFileSync(out, "utf8").startsWith(first), true);
    assert.ok(!existsSync(`${out}.partial`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
