/**
 * Byte-level mutations, as AFL/libFuzzer do them: bit flips, "interesting" bytes and 32-bit
 * little-endian values (placed mostly in the first bytes, where format headers keep their sizes,
 * rates and counts), chunk duplication, deletion, insertion, truncation and splicing with another
 * seed. Several are stacked per input so that one input can both reach and break a check.
 */
import type { FuzzRandom } from "./random.js";

/** Bytes and words that sit on boundaries parsers get wrong (sign bits, all-ones, zero). */
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40, 0x2c, 0x22, 0x0a];
const INTERESTING_U32 = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x10000, 0xffff, 16000, 44100, 48000];

/** Inputs never grow beyond this, so a long run keeps bounded memory. */
export const MAX_INPUT_BYTES = 1 << 20;

export interface ByteMutationOptions {
  /** Other inputs to splice from (the corpus). */
  readonly donors: readonly Uint8Array[];
  /** How many leading bytes count as "header" (mutated more often). Default 64. */
  readonly headerBytes?: number;
}

type Mutation = (bytes: Uint8Array, random: FuzzRandom, options: ByteMutationOptions) => Uint8Array;

/** An offset biased towards the header: half of all edits land in its first bytes. */
function offsetIn(bytes: Uint8Array, random: FuzzRandom, options: ByteMutationOptions): number {
  if (bytes.length === 0) return 0;
  const header = Math.min(options.headerBytes ?? 64, bytes.length);
  return random.chance(0.5) ? random.below(header) : random.below(bytes.length);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const flipBit: Mutation = (bytes, random, options) => {
  if (bytes.length === 0) return bytes;
  const out = bytes.slice();
  out[offsetIn(out, random, options)]! ^= 1 << random.below(8);
  return out;
};

const setInterestingByte: Mutation = (bytes, random, options) => {
  if (bytes.length === 0) return bytes;
  const out = bytes.slice();
  out[offsetIn(out, random, options)] = random.pick(INTERESTING_BYTES);
  return out;
};

const setRandomByte: Mutation = (bytes, random, options) => {
  if (bytes.length === 0) return bytes;
  const out = bytes.slice();
  out[offsetIn(out, random, options)] = random.below(256);
  return out;
};

/** A little-endian 32-bit value, at a 4-aligned header offset half of the time. */
const setInterestingU32: Mutation = (bytes, random, options) => {
  if (bytes.length < 4) return bytes;
  const out = bytes.slice();
  let at = offsetIn(out, random, options);
  if (random.chance(0.5)) at -= at % 4;
  at = Math.min(at, out.length - 4);
  const value = random.chance(0.8) ? random.pick(INTERESTING_U32) : random.u32();
  const bigEndian = random.chance(0.15);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at, value >>> 0, !bigEndian);
  return out;
};

/** Adds or subtracts a small amount from a byte or 16/32-bit word (off-by-one sizes). */
const arithmetic: Mutation = (bytes, random, options) => {
  if (bytes.length < 4) return bytes;
  const out = bytes.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const at = Math.min(offsetIn(out, random, options), out.length - 4);
  const delta = random.between(-35, 35) || 1;
  if (random.chance(0.5)) view.setUint32(at, (view.getUint32(at, true) + delta) >>> 0, true);
  else view.setUint8(at, (view.getUint8(at) + delta) & 0xff);
  return out;
};

const deleteChunk: Mutation = (bytes, random) => {
  if (bytes.length < 2) return bytes;
  const start = random.below(bytes.length);
  const length = 1 + random.below(Math.min(bytes.length - start, random.chance(0.7) ? 16 : 4096));
  return concat(bytes.subarray(0, start), bytes.subarray(start + length));
};

const duplicateChunk: Mutation = (bytes, random) => {
  if (bytes.length === 0 || bytes.length >= MAX_INPUT_BYTES) return bytes;
  const start = random.below(bytes.length);
  const length = 1 + random.below(Math.min(bytes.length - start, random.chance(0.7) ? 32 : 8192));
  const at = random.below(bytes.length + 1);
  const chunk = bytes.slice(start, start + length);
  const copies = random.chance(0.1) ? random.between(2, 16) : 1;
  return concat(bytes.subarray(0, at), ...Array.from({ length: copies }, () => chunk), bytes.subarray(at));
};

const insertRandomBytes: Mutation = (bytes, random) => {
  if (bytes.length >= MAX_INPUT_BYTES) return bytes;
  const at = random.below(bytes.length + 1);
  const inserted = Uint8Array.from({ length: 1 + random.below(16) }, () => (random.chance(0.5) ? random.pick(INTERESTING_BYTES) : random.below(256)));
  return concat(bytes.subarray(0, at), inserted, bytes.subarray(at));
};

const truncate: Mutation = (bytes, random) => {
  if (bytes.length < 2) return bytes;
  // Cut short mostly near the start (headers) or near the end (a partial download).
  const cut = random.chance(0.5) ? random.below(Math.min(bytes.length, 256)) : random.below(bytes.length);
  return bytes.slice(0, cut);
};

/** Head of this input, tail of another: mixes two formats' structures. */
const splice: Mutation = (bytes, random, options) => {
  if (options.donors.length === 0) return bytes;
  const donor = random.pick(options.donors);
  const cut = random.below(bytes.length + 1);
  const from = random.below(donor.length + 1);
  return concat(bytes.subarray(0, cut), donor.subarray(from, Math.min(donor.length, from + MAX_INPUT_BYTES - cut)));
};

/** Overwrites a span with bytes copied from elsewhere in the input (e.g. a chunk id onto a size). */
const copyWithin: Mutation = (bytes, random) => {
  if (bytes.length < 8) return bytes;
  const out = bytes.slice();
  const length = 1 + random.below(Math.min(16, out.length / 2));
  const from = random.below(out.length - length);
  const to = random.below(out.length - length);
  out.copyWithin(to, from, from + length);
  return out;
};

const MUTATIONS: readonly Mutation[] = [
  flipBit,
  flipBit,
  setInterestingByte,
  setRandomByte,
  setInterestingU32,
  setInterestingU32,
  arithmetic,
  deleteChunk,
  duplicateChunk,
  insertRandomBytes,
  truncate,
  splice,
  copyWithin,
];

/** One to eight stacked byte mutations (mostly few: deep inputs need mostly-valid structure). */
export function mutateBytes(input: Uint8Array, random: FuzzRandom, options: ByteMutationOptions): Uint8Array {
  const count = random.chance(0.6) ? 1 : random.between(2, 8);
  let bytes = input;
  for (let i = 0; i < count; i++) bytes = random.pick(MUTATIONS)(bytes, random, options);
  return bytes.length > MAX_INPUT_BYTES ? bytes.slice(0, MAX_INPUT_BYTES) : bytes;
}
