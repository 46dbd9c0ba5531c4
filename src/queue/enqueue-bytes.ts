/**
 * Audio sent with the job itself, for producers that share no file system or web server with
 * the workers (an upload handler, a recorder). Each item has a name that stands for the file:
 * its result is stored under that name, and adding the same name again adds nothing.
 *
 * The bytes travel in the job's data (base64, in Redis memory until the job is done: completed
 * jobs are removed), so this suits clips, not hours of audio: larger items are refused with a
 * QueueOptionError pointing to paths or URLs.
 */
import { QueueOptionError } from "./errors.js";
import { type EnqueueCounts, type EnqueueOptions, type QueuedInput, enqueueInputs } from "./enqueue-files.js";
import type { JobQueue } from "./job-queue.js";
import type { QueueSettings } from "./queue-settings.js";

/** Largest item: 16 MiB (a few minutes of 16-bit PCM at 44.1 kHz stereo). */
export const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface NamedAudio {
  /** What the result is stored under (e.g. "uploads/2026-12-07/call-17.wav"). */
  name: string;
  /** The encoded audio file (WAV, MP3, FLAC, Ogg…), as a file on disk would hold it. */
  bytes: Uint8Array;
}

export function enqueueBytes(queue: JobQueue, settings: QueueSettings, items: AsyncIterable<NamedAudio> | Iterable<NamedAudio>, options: EnqueueOptions = {}): Promise<EnqueueCounts> {
  return enqueueInputs(queue, settings, encoded(items), options);
}

async function* encoded(items: AsyncIterable<NamedAudio> | Iterable<NamedAudio>): AsyncGenerator<QueuedInput> {
  for await (const { name, bytes } of items) {
    if (typeof name !== "string" || name === "") throw new QueueOptionError("audio enqueued as bytes needs a non-empty name: its result is stored under it");
    if (bytes.byteLength > MAX_QUEUED_BYTES) {
      throw new QueueOptionError(
        `${name}: ${bytes.byteLength} bytes is more than ${MAX_QUEUED_BYTES} bytes to carry in a job; ` +
          `put the file where the workers can read it (a shared path or a URL) and enqueue that instead`,
      );
    }
    yield { file: name, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") };
  }
}
