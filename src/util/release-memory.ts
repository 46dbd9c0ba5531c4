/**
 * Frees an ArrayBuffer's memory now instead of at the next major garbage collection, by
 * transferring it into a message that is never delivered. Used after onnxruntime has copied a
 * model's weights: our copy of a 300 MB checkpoint would otherwise stay resident through the
 * first inference runs. The buffer is detached afterwards (byteLength 0): only call this on
 * buffers nothing else will read.
 */
import { MessageChannel } from "node:worker_threads";

/**
 * Below this size a buffer may be Node's shared Buffer pool (8 KiB slabs that Node does not mark
 * untransferable): never detach those. Only large buffers are worth releasing anyway.
 */
const MIN_RELEASE_BYTES = 1 << 20;

/** Returns whether the buffer was released (small, shared or untransferable buffers are left alone). */
export function releaseArrayBuffer(buffer: ArrayBufferLike): boolean {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < MIN_RELEASE_BYTES) return false;
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(null, [buffer]);
    return true;
  } catch {
    return false;
  } finally {
    port1.close();
    port2.close();
  }
}
