/** `audioclass listen`: PCM fed in real time is classified window by window, as it arrives. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeWav, readAudio } from "../../src/audio/index.js";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { fixturePath } from "../helpers/fixtures.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function pcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  samples.forEach((s, i) => view.setInt16(2 * i, Math.max(-32768, Math.min(32767, Math.round(s * 32768))), true));
  return out;
}

test("listen emits its first result before the input ends, and its windows equal classify --window on the same audio", async () => {
  const rate = 16000;
  const audio = new Float32Array(rate * 5);
  for (const [name, at] of [["3_jackson_7", 0.5], ["8_nicolas_20", 3]] as const) {
    audio.set((await readAudio(fixturePath(`../fsdd/${name}.wav`), { samplingRate: rate, mono: true })).channels[0]!, at * rate);
  }
  const bytes = pcm16(audio);
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "listen", "--window", "1", "--hop", "0.5", "-k", "1", "--threads", "1"], { cwd: ROOT });
  const lines: Array<{ at: number; record: { start: number; end: number; predictions: Array<{ label: string; score: number }> } }> = [];
  let err = "";
  let pending = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text: string) => {
    pending += text;
    const parts = pending.split("\n");
    pending = parts.pop()!;
    for (const line of parts) lines.push({ at: Date.now(), record: JSON.parse(line) });
  });
  const listening = new Promise<void>((resolve) => {
    child.stderr.on("data", (t) => {
      err += t;
      if (err.includes("listening for s16le at 16000 Hz")) resolve();
    });
  });
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  // Once the model is loaded, feed 0.1 s every 40 ms (2.5× real time).
  const step = rate * 0.1 * 2;
  await Promise.race([listening, exited]);
  for (let i = 0; i < bytes.length; i += step) {
    child.stdin.write(bytes.subarray(i, i + step));
    await new Promise((r) => setTimeout(r, 40));
  }
  const inputEnded = Date.now();
  child.stdin.end();
  assert.equal(await exited, 0, err);
  assert.ok(lines.length > 0 && lines[0]!.at < inputEnded, "the first window's result came before the input ended");
  assert.match(err, /latency from a window's last sample to its result: p50 [\d.]+ ms/);

  const dir = mkdtempSync(join(tmpdir(), "audioclass-listen-"));
  try {
    const wav = join(dir, "same.wav");
    writeFileSync(wav, encodeWav([audio], rate));
    const io: CliIO & { out: string } = { out: "", stdout: (t) => void (io.out += t), stderr: () => {}, stderrStream: new CapturedStream(), env: { CI: "true" } };
    assert.equal(await runCli(["classify", "--window", "1", "--hop", "0.5", "-k", "1", "--format", "jsonl", "--threads", "1", wav], io), 0);
    const fileMode = io.out.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.record.start, l.record.end, l.record.predictions[0]!.label]), fileMode.map((r) => [r.start, r.end, r.predictions[0].label]));
    lines.forEach((l, i) => assert.ok(Math.abs(l.record.predictions[0]!.score - fileMode[i].predictions[0].score) <= 1e-6));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
