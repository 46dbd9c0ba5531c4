import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIO } from "../../src/cli/cli-io.js";
import { UsageError } from "../../src/cli/cli-io.js";
import { zeroShotCommand, zeroShotUsage } from "../../src/cli/commands/zero-shot.js";
import { fixturePath, modelDir, readJson } from "../helpers/fixtures.js";
import { needsFfmpeg } from "../helpers/ffmpeg.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { buildWav, chunk, float32Body, fmtBody } from "../audio/wav-builder.js";

function captureIO(): CliIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stderrStream: new CapturedStream(),
    env: { HF_HUB_OFFLINE: "1", HF_HUB_DISABLE_PROGRESS_BARS: "1" },
  };
  return io;
}

const MODEL = modelDir("clap");

test("zero-shot scores files like the pipeline (ffmpeg decoder = Python's numbers); a bad file is reported and the rest still run", needsFfmpeg, async () => {
  const io = captureIO();
  const files = [fixturePath("audio/speech_16k.wav"), fixturePath("audio/missing.wav"), fixturePath("audio/tone_44k.wav")];
  const code = await zeroShotCommand(
    ["--model", MODEL, "--labels", "dog barking, a person speaking", "--label", "music", "--decoder", "ffmpeg", "--threads", "1", "--format", "json", ...files],
    io,
  );
  assert.equal(code, 1, "exit 1: one input was missing");
  assert.match(io.err, /missing\.wav: no such file or directory/);
  const all = JSON.parse(io.out) as { file: string; predictions: { label: string; score: number }[]; error?: { type: string } }[];
  assert.deepEqual(all.filter((r) => r.error).map((r) => [r.file, r.error!.type]), [[files[1], "AudioSourceError"]]);
  const results = all.filter((r) => !r.error);
  assert.deepEqual(results.map((r) => r.file), [files[0], files[2]]);
  for (const [i, name] of [[0, "speech_16k"], [1, "tone_44k"]] as const) {
    const expected = readJson(`cases/clap/${name}.json`).zero_shot[0].output_from_file as { label: string; score: number }[];
    assert.deepEqual(results[i]!.predictions.map((p) => p.label), expected.map((p) => p.label));
    results[i]!.predictions.forEach((p, k) => assert.ok(Math.abs(p.score - expected[k]!.score) <= 1e-5));
  }
});

test("zero-shot --template, csv/jsonl/table output, exit 0 when every file runs; undecodable files are reported", needsFfmpeg, async () => {
  const expected = readJson("cases/clap/speech_8k.json").zero_shot[1].output_from_file as { label: string; score: number }[];
  const args = ["--model", MODEL, "--labels", "dog barking,a person speaking,music", "--template", "a recording of {}", "--decoder", "ffmpeg", "--threads", "1"];
  const csv = captureIO();
  assert.equal(await zeroShotCommand([...args, "--format", "csv", fixturePath("audio/speech_8k.wav")], csv), 0, csv.err);
  const lines = csv.out.trim().split("\n");
  assert.equal(lines[0], "file,rank,label,score,error_type,error_message");
  assert.deepEqual(lines.slice(1).map((l) => l.split(",")[2]), expected.map((p) => p.label));
  const jsonl = captureIO();
  assert.equal(await zeroShotCommand([...args, "--format", "jsonl", fixturePath("audio/speech_8k.wav"), fixturePath("audio/short_0p3s.wav")], jsonl), 0);
  assert.equal(jsonl.out.trim().split("\n").length, 2);
  const table = captureIO();
  assert.equal(await zeroShotCommand([...args, "--format", "table", fixturePath("audio/speech_8k.wav")], table), 0);
  assert.match(table.out, new RegExp(`speech_8k\\.wav\\n  ${expected[0]!.label}`));
  const json = captureIO();
  assert.equal(await zeroShotCommand([...args, fixturePath("audio/speech_8k.wav")], json), 0);
  assert.equal(JSON.parse(json.out).length, 1, "json when stdout is not a terminal, as classify");
  const broken = captureIO();
  assert.equal(await zeroShotCommand([...args, "--format", "jsonl", fixturePath("README.md"), fixturePath("audio/speech_8k.wav")], broken), 1);
  assert.match(broken.err, /README\.md: /);
  const brokenRecords = broken.out.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(brokenRecords.map((r) => [r.file, "error" in r]), [[fixturePath("README.md"), true], [fixturePath("audio/speech_8k.wav"), false]]);
});

test("zero-shot usage mistakes are UsageErrors; bad templates fail before the model loads", async () => {
  const io = captureIO();
  await assert.rejects(zeroShotCommand(["--labels", "a,b", "x.wav"], io), (e: unknown) => e instanceof UsageError && /--model is required/.test(e.message));
  await assert.rejects(zeroShotCommand(["--model", MODEL, "x.wav"], io), /--labels/);
  await assert.rejects(zeroShotCommand(["--model", MODEL, "--labels", " , ", "x.wav"], io), /--labels/);
  await assert.rejects(zeroShotCommand(["--model", MODEL, "--labels", "a,b"], io), /no input files/);
  await assert.rejects(zeroShotCommand(["--model", MODEL, "--labels", "a", "--format", "xml", "x.wav"], io), /--format must be one of/);
  await assert.rejects(zeroShotCommand(["--model", MODEL, "--labels", "a", "--bogus", "x.wav"], io), UsageError);
  await assert.rejects(zeroShotCommand(["--model", "/no/such/clap", "--labels", "a", "--template", "no placeholder", "x.wav"], io), /has no "\{\}"/);
  assert.match(zeroShotUsage, /audioclass zero-shot --model M --labels/);
});

test("zero-shot --batch-size: a clip the feature extractor refuses is reported alone, its batch mates still scored", needsFfmpeg, async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-zs-cli-"));
  try {
    // decodes fine, but a NaN sample is refused by the feature extractor
    const nan = join(dir, "nan.wav");
    writeFileSync(nan, buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 1, rate: 48000, bits: 32 })), chunk("data", float32Body([0.1, Number.NaN, 0.2, 0.1]))]));
    const io = captureIO();
    const files = [nan, fixturePath("audio/speech_16k.wav"), fixturePath("audio/tone_44k.wav")];
    const code = await zeroShotCommand(["--model", MODEL, "-l", "dog barking,a person speaking,music", "-b", "3", "--decoder", "ffmpeg", "--threads", "1", "-f", "jsonl", ...files], io);
    assert.equal(code, 1);
    assert.match(io.err, /nan\.wav: .*NaN/);
    const records = io.out.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(records.map((l) => l.file), files, "one record per input, in input order");
    assert.match(records[0].error.message, /NaN/);
    const lines = records.slice(1);
    const expected = readJson("cases/clap/tone_44k.json").zero_shot[0].output_from_file as { label: string; score: number }[];
    lines[1].predictions.forEach((p: { label: string; score: number }, k: number) => {
      assert.equal(p.label, expected[k]!.label);
      assert.ok(Math.abs(p.score - expected[k]!.score) <= 1e-5);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
