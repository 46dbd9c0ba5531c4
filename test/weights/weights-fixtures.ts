/** Paths and small helpers shared by the weights tests (fixtures made by scripts/make-weight-fixtures.py). */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const WEIGHTS_DIR = fileURLToPath(new URL("../fixtures/weights/", import.meta.url));
export const HF_MODELS_DIR = fileURLToPath(new URL("../fixtures/hf/models/", import.meta.url));
export const HF_MODELS = ["ast", "clap", "hubert", "wav2vec2", "wavlm", "whisper"] as const;

export function weightsFixture(name: string): string {
  return join(WEIGHTS_DIR, name);
}

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(weightsFixture(name)));
}

export interface ExpectedTensor {
  dtype: string;
  shape: number[];
  /** Element bit patterns (floats) or values (integers), as decimal strings. */
  bits: string[];
}

export function expectedTensors(): Record<string, ExpectedTensor> {
  return JSON.parse(readFileSync(weightsFixture("tensors.json"), "utf8"));
}

/** The safetensors header parsed by hand (independently of the reader under test). */
export function handParsedHeader(bytes: Uint8Array): { dataStart: number; header: Record<string, any> } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  return { dataStart: 8 + n, header: JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString("utf8")) };
}

/** Runs `fn` with a fresh temp folder, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-weights-"));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes of any typed array, for exact comparisons. */
export function bytesOf(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}
