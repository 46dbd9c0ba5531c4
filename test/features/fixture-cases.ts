/**
 * Shared plumbing for the feature-extractor fixture tests: the extractor of a fixture model, the
 * (waveform, expected features) pairs of its cases — the file path and, where present, the
 * dict-input path with torchaudio's resampled waveform.
 */
import { readJson, loadArray, caseFiles, type ArrayRef, type FixtureArray } from "../helpers/fixtures.js";
import type { FeatureExtractor } from "../../src/features/index.js";
import { AutoFeatureExtractor } from "../../src/models/index.js";

export interface FeatureCase {
  /** e.g. "speech_22k" or "speech_22k (dict)". */
  name: string;
  waveform: Float32Array;
  samplingRate: number;
  expected: Record<string, { shape: number[]; data: FixtureArray }>;
  randomCrop: boolean;
}

function expectedOf(refs: Record<string, ArrayRef>): FeatureCase["expected"] {
  return Object.fromEntries(Object.entries(refs).map(([k, ref]) => [k, { shape: ref.shape, data: loadArray(ref) }]));
}

export function featureCases(model: string): FeatureCase[] {
  const out: FeatureCase[] = [];
  for (const file of caseFiles(model)) {
    const c = readJson(file);
    out.push({
      name: c.audio,
      waveform: loadArray(c.waveform) as Float32Array,
      samplingRate: c.sampling_rate,
      expected: expectedOf(c.features),
      randomCrop: c.features_random_crop === true,
    });
    if (c.dict_input?.features !== undefined) {
      out.push({
        name: `${c.audio} (dict)`,
        waveform: loadArray(c.dict_input.resampled) as Float32Array,
        samplingRate: c.sampling_rate,
        expected: expectedOf(c.dict_input.features),
        randomCrop: false,
      });
    }
  }
  return out;
}

export function fixtureExtractor(model: string): FeatureExtractor {
  return AutoFeatureExtractor.fromConfig(readJson(`models/${model}/preprocessor_config.json`), { source: `${model}/preprocessor_config.json` });
}

export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Deterministic test signal: a few partials plus low-level xorshift noise. */
export function testSignal(length: number, sr: number, seed = 1): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length }, (_, i) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const t = i / sr;
    return 0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.1 * Math.sin(2 * Math.PI * 2500 * t) + 0.02 * (s / 2 ** 32 - 0.5);
  });
}
