/**
 * The classification settings a queue is for. A queue holds one model configuration: the first
 * `queue add` records its settings in Redis, and adding files with other settings is refused
 * (QueueSettingsMismatchError) rather than namespaced, so a queue's results are always
 * comparable with each other and `queue results` has one record shape. Every job carries the
 * settings too, so a worker classifies a job exactly as it was asked, whatever it loaded first.
 *
 * Settings are stored normalised (defaults filled in, "int8" spelled "q8"), so `--dtype fp32`
 * and no --dtype are the same queue.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { weightPrecisionOf } from "../models/index.js";
import type { FunctionToApply } from "../pipelines/index.js";
import { QueueSettingsMismatchError } from "./errors.js";
import type { QueueKeys } from "./queue-keys.js";

/** What one record per file is: a clip's predictions, a file's windows, or its events. */
export type RecordMode = "clips" | "windows" | "events";

export interface QueueSettings {
  /** A model folder (absolute path) or a Hugging Face id; null: the bundled default model. */
  model: string | null;
  revision: string | null;
  dtype: "fp32" | "q8" | "fp16";
  /** Labels per prediction list; null: all. */
  topK: number | null;
  functionToApply: FunctionToApply;
  decoder: "builtin" | "ffmpeg";
  mode: RecordMode;
  /** Window modes: seconds per window and between window starts (null: the model's input length / the window). */
  window: number | null;
  hop: number | null;
  /** Events: the score a window needs to count for a label (null: the pipeline's default). */
  threshold: number | null;
}

export type QueueSettingsInput = Partial<Omit<QueueSettings, "dtype">> & { dtype?: string | undefined };

/** Defaults filled in, in one key order, so equal settings have equal JSON. */
export function normalizeSettings(input: QueueSettingsInput): QueueSettings {
  const mode = input.mode ?? "clips";
  return {
    model: input.model ?? null,
    revision: input.revision ?? null,
    dtype: weightPrecisionOf(input.dtype),
    topK: input.topK ?? null,
    functionToApply: input.functionToApply ?? "softmax",
    decoder: input.decoder ?? "builtin",
    mode,
    window: mode === "clips" ? null : (input.window ?? null),
    hop: mode === "clips" ? null : (input.hop ?? null),
    threshold: mode === "clips" ? null : (input.threshold ?? null),
  };
}

export function settingsJson(settings: QueueSettings): string {
  return JSON.stringify(normalizeSettings(settings as QueueSettingsInput));
}

/** A short stable name of the settings (logs, and a worker's cache of loaded pipelines). */
export function settingsFingerprint(settings: QueueSettings): string {
  return createHash("sha256").update(settingsJson(settings)).digest("hex").slice(0, 12);
}

/** The settings as the command-line options that give them, for messages. */
export function describeSettings(s: QueueSettings): string {
  const parts = [
    `model ${s.model ?? "(bundled default)"}${s.revision === null ? "" : `@${s.revision}`}`,
    `dtype ${s.dtype}`,
    `top-k ${s.topK ?? "all"}`,
    `function ${s.functionToApply}`,
    `decoder ${s.decoder}`,
  ];
  if (s.mode !== "clips") parts.push(`${s.mode === "events" ? "events, " : ""}window ${s.window ?? "(model's)"} s, hop ${s.hop ?? "(window)"} s${s.threshold === null ? "" : `, threshold ${s.threshold}`}`);
  return parts.join(", ");
}

/** The settings a job or the settings key holds, checked enough to trust their shape. */
export function parseSettings(text: string, source: string): QueueSettings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || !("mode" in value) || !("dtype" in value)) {
    throw new QueueSettingsMismatchError(source, `${source} holds no audioclass queue settings; was it written by another program? Empty the queue with \`audioclass queue clean\``);
  }
  return normalizeSettings(value as QueueSettingsInput);
}

/**
 * Records `settings` as the queue's, or checks that they equal the settings it already has.
 * Refuses with the differences and what to do instead.
 */
export async function lockSettings(redis: Redis, queue: string, keys: QueueKeys, settings: QueueSettings): Promise<void> {
  const json = settingsJson(settings);
  const created = await redis.set(keys.settings, json, "NX");
  if (created === "OK") return;
  const existingText = await redis.get(keys.settings);
  if (existingText === null) return lockSettings(redis, queue, keys, settings); // cleaned in between
  const existing = parseSettings(existingText, `queue ${queue}`);
  if (settingsJson(existing) === json) return;
  const differences = (Object.keys(existing) as Array<keyof QueueSettings>)
    .filter((k) => JSON.stringify(existing[k]) !== JSON.stringify(settings[k]))
    .map((k) => `${k} ${JSON.stringify(existing[k])} (you asked for ${JSON.stringify(settings[k])})`);
  throw new QueueSettingsMismatchError(
    queue,
    `queue ${queue} classifies with ${describeSettings(existing)}; these files were added with other settings: ${differences.join(", ")}. ` +
      `A queue holds one model configuration: add them with the queue's settings, use another --queue name, or empty this one first (audioclass queue clean --queue ${queue})`,
  );
}

/** The queue's settings, or undefined before the first `queue add`. */
export async function readSettings(redis: Redis, queue: string, keys: QueueKeys): Promise<QueueSettings | undefined> {
  const text = await redis.get(keys.settings);
  return text === null ? undefined : parseSettings(text, `queue ${queue}`);
}
