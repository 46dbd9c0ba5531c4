/**
 * The four classes of failure being fixed elsewhere (issue #10), recognised from the input so the
 * harness can set them apart from new findings:
 *   1. audio sampling rates outside 1 kHz – 768 kHz in a header,
 *   2. unbounded numbers in config.json / preprocessor_config.json causing huge allocations,
 *   3. pickle inflation (a deflated data.pkl or storage claiming a huge size),
 *   4. NaN/Inf in outputs.
 * Once those fixes land the inputs become AudioclassErrors and never reach these checks.
 */
import type { Outcome } from "./outcome.js";
import { KnownIssueSkip, type KnownIssue } from "./target.js";

export const MIN_SAMPLING_RATE = 1000;
export const MAX_SAMPLING_RATE = 768_000;
/** Config numbers beyond this (in magnitude) count as "unbounded" (real configs stay below: CLAP's nb_max_samples is 480000). */
export const CONFIG_NUMBER_BOUND = 2 ** 20;
/** Zip records claiming more than this (uncompressed) count as inflation. */
export const INFLATION_BOUND_BYTES = 64 * 1024 * 1024;

export function samplingRateIssue(rate: number, where: string): KnownIssue | undefined {
  if (Number.isFinite(rate) && rate >= MIN_SAMPLING_RATE && rate <= MAX_SAMPLING_RATE) return undefined;
  return { issue: "sampling-rate-range", detail: `${where} says ${rate} Hz` };
}

/** Throws KnownIssueSkip for a rate outside the supported range (the resampler would hang or allocate GBs). */
export function skipOutOfRangeRate(rate: number, where: string): void {
  const issue = samplingRateIssue(rate, where);
  if (issue !== undefined) throw new KnownIssueSkip(issue);
}

/** A number this many times the largest value the seeds hold under the same key counts as inflated. */
export const INFLATION_FACTOR = 4;
/** A value this many times below the smallest (≥ 64) the seeds hold under the same key counts as deflated. */
export const DEFLATION_FACTOR = 16;
/** Keys the seeds never use count as inflated above this. */
const UNSEEN_KEY_BOUND = 4096;

/** Every number in a JSON document by key path (array indices as "[]"), for comparing with seeds. */
function jsonNumbers(text: string): [path: string, value: number][] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return [];
  }
  const out: [string, number][] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === "number") out.push([path, value]);
    else if (Array.isArray(value)) value.forEach((item) => visit(item, `${path}[]`));
    else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) visit(item, path === "" ? key : `${path}.${key}`);
  };
  visit(root, "");
  return out;
}

/**
 * Recognises the "unbounded config number" class: an integer (sizes, lengths, counts, rates)
 * beyond CONFIG_NUMBER_BOUND, a rate outside the supported range, an integer inflated well past
 * what any seed holds under that key (encoder_layers 999999 where the seeds say 2, max_length_s
 * 10000 where they say 10), or one shrunk far below it (hop_length 1 where they say 160).
 */
export function unboundedConfigNumber(seedTexts: readonly string[]): (text: string) => KnownIssue | undefined {
  const seedMax = new Map<string, number>();
  const seedMin = new Map<string, number>();
  // Sizes, lengths and counts are integers; a float setting (initializer_range, mean) is not a size.
  const floatKeys = new Set<string>();
  for (const seed of seedTexts) {
    for (const [path, v] of jsonNumbers(seed)) {
      if (!Number.isInteger(v)) floatKeys.add(path);
      seedMax.set(path, Math.max(seedMax.get(path) ?? 0, Math.abs(v)));
      seedMin.set(path, Math.min(seedMin.get(path) ?? Infinity, Math.abs(v)));
    }
  }
  return (text) => {
    for (const [path, value] of jsonNumbers(text)) {
      if (floatKeys.has(path) || !Number.isInteger(value)) continue;
      const rateKey = /sampling_rate|sample_rate/.test(path);
      const seen = seedMax.get(path);
      const limit = seen === undefined ? UNSEEN_KEY_BOUND : Math.max(INFLATION_FACTOR * seen, 16);
      if (Math.abs(value) > CONFIG_NUMBER_BOUND || Math.abs(value) > limit || (rateKey && samplingRateIssue(value, path) !== undefined)) {
        return { issue: "unbounded-config-number", detail: `${path} = ${value}${seen === undefined ? "" : ` (the seeds have at most ${seen})`}` };
      }
      // A divisor shrunk (hop_length 1 where the seeds say 160) multiplies frames as much as a size grown.
      const least = seedMin.get(path);
      if (least !== undefined && least >= 64 && Math.abs(value) < least / DEFLATION_FACTOR) {
        return { issue: "unbounded-config-number", detail: `${path} = ${value} (the seeds have at least ${least})` };
      }
    }
    return undefined;
  };
}

/**
 * Failures the known classes can cause: hangs, memory, crashes, and RangeErrors from allocating
 * huge arrays. A TypeError is never put down to a known class, whatever the input holds.
 */
export function isResourceFailure(outcome: Outcome): boolean {
  if (outcome.kind === "timeout" || outcome.kind === "memory" || outcome.kind === "crash") return true;
  return outcome.kind === "untyped-error" && outcome.name === "RangeError" && /invalid (typed )?array( buffer)? length|allocation failed|out of memory/i.test(outcome.message);
}

/** Throws KnownIssueSkip when a float output holds NaN or ±Infinity. */
export function skipNonFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) throw new KnownIssueSkip({ issue: "non-finite-output", detail: `${what}[${i}] is ${v}` });
  }
}
