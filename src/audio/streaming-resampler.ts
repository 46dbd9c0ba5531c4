/**
 * torchaudio's resampling applied to audio that arrives in pieces: pushing the chunks of a
 * signal and then ending gives exactly (bit for bit) what `resample` gives for the whole signal,
 * while holding only a kernel's reach of input. Long files and live streams are resampled this
 * way, so memory does not grow with duration.
 *
 * `resample` conceptually pads `width` zeros in front and `width + orig` behind and convolves
 * with stride `orig`; output o (frame ⌊o / new⌋, phase o mod new) reads the padded input from
 * frame·orig + start(phase) on. An output is computed as soon as its input is all here, and —
 * since the total length is unknown until the end — only while it is certainly one of the
 * ⌈new · length / orig⌉ outputs of the whole signal.
 */
import { InvalidArgumentError } from "../errors.js";
import { type ResampleOptions, resampleKernel } from "./resample.js";

export class StreamingResampler {
  private readonly orig: number;
  private readonly next: number;
  private readonly phases: Array<{ start: number; taps: Float32Array }>;
  /** Padded input not yet fully consumed; buffer[0] is padded index `base`. */
  private buffer: Float32Array;
  private filled: number;
  private base = 0;
  /** Input samples received so far. */
  private received = 0;
  /** Outputs produced so far. */
  private produced = 0;
  /** Furthest a frame reads past its start (max over phases of start + taps). */
  private readonly reach: number;
  private ended = false;
  readonly identity: boolean;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    options: ResampleOptions = {},
  ) {
    this.identity = fromRate === toRate;
    const identity = { start: 0, taps: Float32Array.of(1) };
    const kernel = this.identity ? { orig: 1, new: 1, width: 0, phase: () => identity } : resampleKernel(fromRate, toRate, options);
    this.orig = kernel.orig;
    this.next = kernel.new;
    // Every phase is needed by a stream of any length, so all are built now.
    this.phases = Array.from({ length: this.next }, (_, j) => kernel.phase(j));
    this.reach = this.phases.reduce((r, p) => Math.max(r, p.start + p.taps.length), 1);
    // Starts with the `width` leading zeros of the padding; everything past `filled` stays zero,
    // which is the trailing padding once the input ends.
    this.buffer = new Float32Array(Math.max(1024, kernel.width * 2 + this.orig * 2));
    this.filled = kernel.width;
  }

  /** Adds input; returns the outputs that became computable (possibly none). */
  push(chunk: Float32Array): Float32Array {
    if (this.ended) throw new InvalidArgumentError("StreamingResampler: push after end");
    this.received += chunk.length;
    if (this.identity) return chunk;
    this.append(chunk);
    return this.drain();
  }

  /** Ends the input; returns the remaining outputs. */
  end(): Float32Array {
    if (this.ended) return new Float32Array(0);
    this.ended = true;
    return this.identity ? new Float32Array(0) : this.drain();
  }

  private append(chunk: Float32Array): void {
    if (this.filled + chunk.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(this.buffer.length * 2, this.filled + chunk.length));
      grown.set(this.buffer.subarray(0, this.filled));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.filled);
    this.filled += chunk.length;
  }

  private drain(): Float32Array {
    // Outputs of the whole signal so far: certain once the input has reached this length.
    const total = Math.ceil((this.next * this.received) / this.orig);
    const out: number[] = [];
    for (;;) {
      const o = this.produced;
      if (o >= total) break;
      const frame = Math.floor(o / this.next);
      const phase = o - frame * this.next;
      const frameStart = frame * this.orig - this.base;
      if (!this.ended && frameStart + this.reach > this.filled) break;
      const { start, taps } = this.phases[phase]!;
      let acc = 0;
      const at = frameStart + start;
      for (let k = 0; k < taps.length; k++) acc += taps[k]! * (this.buffer[at + k] ?? 0);
      out.push(acc);
      this.produced++;
    }
    this.compact();
    return Float32Array.from(out);
  }

  /** Drops input no future output reads. */
  private compact(): void {
    const frame = Math.floor(this.produced / this.next);
    const keepFrom = frame * this.orig - this.base;
    if (keepFrom <= 0 || keepFrom < this.buffer.length / 2) return;
    this.buffer.copyWithin(0, keepFrom, this.filled);
    this.buffer.fill(0, this.filled - keepFrom, this.filled);
    this.filled -= keepFrom;
    this.base += keepFrom;
  }
}
