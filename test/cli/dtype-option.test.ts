/** --dtype, shared by the verbs that load a model (classify, zero-shot, evaluate); train refuses it. */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { fixturePath, modelDir } from "../helpers/fixtures.js";

const cacheRoot = mkdtempSync(join(tmpdir(), "audioclass-cli-dtype-"));
after(() => rm(cacheRoot, { recursive: true, force: true }));

function captureIO(): CliIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stderrStream: new CapturedStream(),
    env: { CI: "true", HF_HUB_OFFLINE: "1", AUDIOCLASS_CACHE: cacheRoot },
  };
  return io;
}

test("classify --dtype q8 / fp16: the fp32 top label, weights converted into $AUDIOCLASS_CACHE", async () => {
  const file = fixturePath("audio/speech_16k.wav");
  const top = async (dtype: string): Promise<string> => {
    const io = captureIO();
    assert.equal(await runCli(["classify", "--model", modelDir("hubert"), "--threads", "1", "--dtype", dtype, "--format", "json", file], io), 0, io.err);
    return JSON.parse(io.out)[0].predictions[0].label;
  };
  const fp32 = await top("fp32");
  assert.equal(await top("q8"), fp32);
  assert.equal(await top("fp16"), fp32);
  assert.deepEqual(readdirSync(join(cacheRoot, "converted-weights")).map((f) => f.split(".").at(-2)).sort(), ["fp16", "q8"]);
  const help = captureIO();
  assert.equal(await runCli(["classify", "--help"], help), 0);
  assert.match(help.out, /--dtype D {13}weight precision: fp32 \(default\), q8 or int8/);
});

test("--dtype outside fp32, q8, int8, fp16 is a usage error (exit 2); train refuses a reduced dtype", async () => {
  const wav = fixturePath("audio/speech_16k.wav");
  for (const argv of [["classify", wav], ["evaluate", "--data", "d"], ["zero-shot", "--labels", "a,b", wav]]) {
    const io = captureIO();
    assert.equal(await runCli([...argv, "--model", modelDir("ast"), "--dtype", "q4"], io), 2, argv[0]);
    assert.match(io.err, /--dtype must be one of fp32, q8, int8, fp16, got "q4"/);
  }
  const io = captureIO();
  assert.equal(await runCli(["train", "--model", "m", "--data", "d", "--output", "o", "--dtype", "q8"], io), 2);
  assert.match(io.err, /--dtype q8: training updates float32 weights/);
});
