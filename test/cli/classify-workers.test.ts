/**
 * `classify --workers N`: inputs prepared in worker threads give byte-identical output to the
 * main thread alone, for clip-by-clip extractors (AST, Whisper) and for batch-padded ones
 * (Wav2Vec2, whose clips are bucketed by length), failed inputs included, in input order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { fixturePath, modelDir } from "../helpers/fixtures.js";

function captureIO(): CliIO & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), stderrStream: new CapturedStream(), env: { CI: "true" } };
  return io;
}

test("--workers 2 gives byte-identical output to --workers 0, failed inputs included", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-workers-"));
  try {
    const names = ["speech_16k", "short_0p3s", "long_12s", "tone_44k", "stereo_48k", "speech_8k", "noise_16k_float"];
    names.forEach((n, i) => copyFileSync(fixturePath(`audio/${n}.wav`), join(dir, `${i}-${n}.wav`)));
    writeFileSync(join(dir, "3b-broken.wav"), "not audio at all");
    for (const model of ["ast", "wav2vec2", "whisper"]) {
      const outputs: string[] = [];
      for (const workers of ["0", "2"]) {
        const io = captureIO();
        const code = await runCli(["classify", "-m", modelDir(model), "--threads", "1", "--batch-size", "3", "--workers", workers, "--format", "jsonl", dir], io);
        assert.equal(code, 1, io.err); // the broken file
        outputs.push(io.out);
      }
      assert.equal(outputs[1], outputs[0], `${model}: workers 2 vs 0`);
      const records = outputs[0]!.trim().split("\n").map((l) => JSON.parse(l));
      assert.equal(records.length, names.length + 1);
      assert.deepEqual(records.map((r) => r.file), [...records.map((r) => r.file)].sort(), "input order");
      assert.equal(records.find((r) => r.file.endsWith("3b-broken.wav")).error.type, "UnsupportedAudioFormatError");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
