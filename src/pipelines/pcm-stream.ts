/**
 * Live audio sources as float32 chunks: raw PCM bytes from a Node readable (s16le by default,
 * as `arecord -f S16_LE` and `ffmpeg -f s16le` write it; f32le too), or Float32Array chunks
 * already. Byte chunks need not align with samples: a trailing partial sample waits for the rest.
 */
import { describeValue } from "../errors.js";
import { PipelineInputError } from "./errors.js";

export type PcmFormat = "s16le" | "f32le";

export type PcmSource = AsyncIterable<Uint8Array | Float32Array | string>;

export async function* pcmChunks(source: PcmSource, format: PcmFormat = "s16le"): AsyncGenerator<Float32Array> {
  if (format !== "s16le" && format !== "f32le") throw new PipelineInputError(`format must be "s16le" or "f32le", got ${describeValue(format)}`);
  const width = format === "s16le" ? 2 : 4;
  let carry = new Uint8Array(0);
  for await (const chunk of source) {
    if (chunk instanceof Float32Array) {
      yield chunk;
      continue;
    }
    if (typeof chunk === "string") throw new PipelineInputError("the PCM stream yields text: open it without an encoding (raw bytes)");
    const bytes = carry.length === 0 ? chunk : concat(carry, chunk);
    const whole = bytes.length - (bytes.length % width);
    if (whole > 0) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
      const out = new Float32Array(whole / width);
      if (width === 2) for (let i = 0; i < out.length; i++) out[i] = view.getInt16(2 * i, true) / 32768;
      else for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
      yield out;
    }
    carry = bytes.slice(whole);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
