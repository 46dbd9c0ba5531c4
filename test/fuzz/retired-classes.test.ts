// The four classes the harness once set apart (out-of-range sampling rates, unbounded config
// numbers, pickle inflation, non-finite outputs) are held to the plain invariant now: an input of
// each class, run through the real fuzz target, is a typed AudioclassError well inside the 5 s bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { AudioclassError } from "../../src/errors.js";
import { loadTarget } from "../../fuzz/targets/index.js";
import { buildWav, chunk, fmtBody, int16Body } from "../audio/wav-builder.js";

const FIXTURES = new URL("../fixtures/hf/models/", import.meta.url);
const TIME_BOUND_MS = 5000;

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const fixtureJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(path, FIXTURES), "utf8")) as Record<string, unknown>;

function wavAt(rate: number): Uint8Array {
  const values = Array.from({ length: 100_000 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
  return buildWav([chunk("fmt ", fmtBody({ channels: 1, rate, bits: 16 })), chunk("data", int16Body(values))]);
}

/** A torch zip whose data.pkl inflates to 96 MiB from well under 1 MiB on disk. */
function pickleBomb(): Uint8Array {
  const padding = new Uint8Array(96 * 2 ** 20);
  const pickle = new Uint8Array(3 + 4 + padding.length + 3);
  pickle.set([0x80, 2, 0x42]); // PROTO 2, BINBYTES
  new DataView(pickle.buffer).setUint32(3, padding.length, true);
  pickle.set([0x30, 0x7d, 0x2e], 7 + padding.length); // POP, EMPTY_DICT, STOP
  return zipSync({ "archive/data.pkl": [pickle, { level: 9 }], "archive/byteorder": [new TextEncoder().encode("little"), { level: 0 }] });
}

const CASES: [target: string, what: string, input: () => Uint8Array][] = [
  ["wav", "a WAV header claiming 1 Hz", () => wavAt(1)],
  ["wav", "a WAV header claiming 4 294 967 295 Hz", () => wavAt(0xffffffff)],
  ["preprocessor-config", "sampling_rate 1", () => json({ ...fixtureJson("wav2vec2/preprocessor_config.json"), sampling_rate: 1 })],
  ["preprocessor-config", "CLAP hop_length 1", () => json({ ...fixtureJson("clap/preprocessor_config.json"), hop_length: 1 })],
  ["preprocessor-config", "Whisper chunk_length 65536", () => json({ ...fixtureJson("whisper/preprocessor_config.json"), chunk_length: 65536 })],
  ["config-json", "num_hidden_layers 999999", () => json({ ...fixtureJson("ast/config.json"), num_hidden_layers: 999_999 })],
  ["config-json", "hidden_size 2^30", () => json({ ...fixtureJson("ast/config.json"), hidden_size: 2 ** 30 })],
  ["pytorch-bin", "a data.pkl inflating to 96 MiB", pickleBomb],
];

test("inputs of the retired known classes are typed errors through the fuzz targets, within the time bound", async () => {
  const scratchDir = mkdtempSync(join(tmpdir(), "audioclass-fuzz-retired-"));
  try {
    for (const [name, what, input] of CASES) {
      const target = (await loadTarget(name))!;
      const bytes = input();
      const start = performance.now();
      await assert.rejects(target.run(bytes, { scratchDir }), (error: unknown) => {
        assert.ok(error instanceof AudioclassError, `${name}, ${what}: ${String(error)}`);
        return true;
      });
      const ms = performance.now() - start;
      assert.ok(ms < TIME_BOUND_MS, `${name}, ${what}: took ${ms.toFixed(0)} ms`);
    }
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
});
