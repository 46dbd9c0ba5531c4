/**
 * Reads the golden Hugging Face fixtures copied into test/fixtures/hf (schema hf-audio-fixture/1,
 * see test/fixtures/hf/README.md): case JSON files and their array references.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURE_ROOT = fileURLToPath(new URL("../fixtures/hf/", import.meta.url));

export interface ArrayRef {
  dtype: "float32" | "int32";
  shape: number[];
  source_dtype?: string;
  data?: number[];
  file?: string;
  const?: number;
}

export type FixtureArray = Float32Array | Int32Array;

export function fixturePath(relative: string): string {
  return join(FIXTURE_ROOT, relative);
}

export function readJson<T = any>(relative: string): T {
  return JSON.parse(readFileSync(fixturePath(relative), "utf8")) as T;
}

/** Materialises an array reference as a typed array (row-major, shape in ref.shape). */
export function loadArray(ref: ArrayRef): FixtureArray {
  const count = ref.shape.reduce((a, b) => a * b, 1);
  const Ctor = ref.dtype === "int32" ? Int32Array : Float32Array;
  if (ref.data !== undefined) return Ctor.from(ref.data);
  if (ref.const !== undefined) return new Ctor(count).fill(ref.const);
  if (ref.file !== undefined) {
    const bytes = readFileSync(fixturePath(ref.file));
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const arr = new Ctor(copy.buffer);
    if (arr.length !== count) throw new Error(`${ref.file}: ${arr.length} elements, shape says ${count}`);
    return arr;
  }
  throw new Error("array reference without data, const or file");
}

export function loadFloat(ref: ArrayRef): Float32Array {
  const arr = loadArray(ref);
  if (!(arr instanceof Float32Array)) throw new Error("expected a float32 array reference");
  return arr;
}

export interface ModelEntry {
  id: string;
  arch: string;
  dir: string;
  sampling_rate: number;
  feature_extractor_type: string;
  num_labels?: number;
  id2label?: Record<string, string>;
  cases: string[];
}

export function manifest(): { models: ModelEntry[] } {
  return readJson("manifest.json");
}

/** All per-audio case files of one fixture model (excludes _list_input.json). */
export function caseFiles(model: string): string[] {
  return readdirSync(fixturePath(`cases/${model}`))
    .filter((f) => f.endsWith(".json") && !f.startsWith("_"))
    .sort()
    .map((f) => `cases/${model}/${f}`);
}

export function modelDir(model: string): string {
  return fixturePath(`models/${model}`);
}

/** Largest absolute elementwise difference; throws on a length mismatch. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
