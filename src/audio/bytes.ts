/** Byte-input normalisation shared by the decoders. */
import { InvalidArgumentError, describeValue } from "../errors.js";

/** A Uint8Array over `input` without copying (Buffer is already one). */
export function toUint8Array(input: Uint8Array | ArrayBuffer): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) {
    const v = input as ArrayBufferView;
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  throw new InvalidArgumentError(`expected the encoded audio as a Uint8Array, Buffer or ArrayBuffer, got ${describeValue(input)}`);
}

/** How in-memory input is named in messages. */
export function describeBytes(bytes: Uint8Array): string {
  return `the ${bytes.length}-byte audio buffer`;
}
