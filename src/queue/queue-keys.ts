/**
 * Where a queue lives in Redis, and how a file becomes a job id.
 *
 * BullMQ keeps a queue's jobs under `audioclass:<queue>:…` (its prefix and queue name). Our own
 * keys sit beside them under `audioclass:<queue>:ac:…`, away from BullMQ's names (it has its
 * own `failed`, `completed`, …), so deleting the queue is one pattern.
 */
import { createHash } from "node:crypto";
import { QueueOptionError } from "./errors.js";

/** BullMQ's key prefix for every audioclass queue. */
export const KEY_PREFIX = "audioclass";

/** The one job name every job carries (BullMQ wants a name; the queue does one thing). */
export const JOB_NAME = "classify";

export interface QueueKeys {
  /** Hash: file → its stored result (a classify record with predictions, segments or events). */
  results: string;
  /** Hash: file → its failure record `{ file, error: { type, message } }`. */
  failed: string;
  /** String: the queue's classification settings (JSON), set by the first `queue add`. */
  settings: string;
  /** Hash: interval number → results stored in it (status's rate and ETA). */
  rate: string;
}

const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Refuses names BullMQ cannot use (it forbids ':') or a shell would mangle. */
export function checkQueueName(name: string): string {
  if (!QUEUE_NAME.test(name)) {
    throw new QueueOptionError(
      `queue name ${JSON.stringify(name)} cannot be used: give 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. --queue fsdd-default)`,
    );
  }
  return name;
}

export function queueKeys(queue: string): QueueKeys {
  const base = `${KEY_PREFIX}:${checkQueueName(queue)}:ac`;
  return { results: `${base}:results`, failed: `${base}:failed`, settings: `${base}:settings`, rate: `${base}:rate` };
}

/**
 * The job id of a file: a hash of its path or URL, so adding the same file twice names the same
 * job and BullMQ keeps one. The "f" keeps it from ever being all digits (BullMQ reserves those
 * for its own ids).
 */
export function jobIdOf(file: string): string {
  return `f${createHash("sha256").update(file, "utf8").digest("hex").slice(0, 40)}`;
}
