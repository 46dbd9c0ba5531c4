/**
 * An in-memory cache of prepared examples, so that data which does not change between epochs
 * (an evaluation set, or a training set without augmentation) is decoded, resampled and turned
 * into features once. Keys name the file and everything that shapes the result: target rate,
 * crop, and the feature extractor's full configuration. Least recently used entries are evicted
 * beyond a memory budget.
 *
 * What is stored depends on the extractor (see batch-features.ts): the features themselves
 * when they do not depend on the rest of the batch (AST, Whisper), else the waveform, which the
 * extractor then pads and normalises with its batch (Wav2Vec2-style).
 */
import { describeValue } from "../../errors.js";
import type { FeatureExtractorOutput } from "../../features/feature-extractor.js";
import { TrainingDataError } from "../errors.js";

export type CachedExample = { readonly kind: "features"; readonly features: FeatureExtractorOutput } | { readonly kind: "waveform"; readonly samples: Float32Array };

export interface FeatureCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
  evictions: number;
}

export interface FeatureCacheOptions {
  /** Memory budget in bytes. Default 1 GiB. */
  maxBytes?: number;
}

function sizeOf(item: CachedExample): number {
  if (item.kind === "waveform") return item.samples.byteLength;
  let bytes = 0;
  for (const t of Object.values(item.features)) bytes += t.data.byteLength;
  return bytes;
}

/** JSON with object keys sorted, so equal configs give equal keys. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export class FeatureCache {
  readonly maxBytes: number;
  private readonly items = new Map<string, { item: CachedExample; bytes: number }>();
  private readonly counters: FeatureCacheStats = { hits: 0, misses: 0, entries: 0, bytes: 0, evictions: 0 };

  constructor(options: FeatureCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 2 ** 30;
    if (!(typeof this.maxBytes === "number" && this.maxBytes >= 0)) throw new TrainingDataError(`FeatureCache maxBytes must be a number ≥ 0, got ${describeValue(options.maxBytes)}`);
  }

  get(key: string): CachedExample | undefined {
    const entry = this.items.get(key);
    if (entry === undefined) {
      this.counters.misses++;
      return undefined;
    }
    this.counters.hits++;
    // re-insert to mark as most recently used
    this.items.delete(key);
    this.items.set(key, entry);
    return entry.item;
  }

  set(key: string, item: CachedExample): void {
    const bytes = sizeOf(item);
    const old = this.items.get(key);
    if (old !== undefined) {
      this.counters.bytes -= old.bytes;
      this.items.delete(key);
    }
    if (bytes > this.maxBytes) return;
    this.items.set(key, { item, bytes });
    this.counters.bytes += bytes;
    for (const [oldest, entry] of this.items) {
      if (this.counters.bytes <= this.maxBytes) break;
      this.items.delete(oldest);
      this.counters.bytes -= entry.bytes;
      this.counters.evictions++;
    }
    this.counters.entries = this.items.size;
  }

  clear(): void {
    this.items.clear();
    this.counters.bytes = 0;
    this.counters.entries = 0;
  }

  get stats(): Readonly<FeatureCacheStats> {
    return { ...this.counters, entries: this.items.size };
  }
}
