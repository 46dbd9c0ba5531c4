/**
 * Option checks every pipeline shares: unknown keys (with the camelCase spelling of Python's
 * snake_case names), batchSize, decoder, and telling a list of inputs from one waveform given as
 * number[]. One home, so the pipelines cannot drift apart on what they accept.
 */
import { describeValue } from "../errors.js";
import { PipelineOptionError } from "./errors.js";

export type Decoder = "builtin" | "ffmpeg";

function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Rejects keys outside `valid`. `what` names the options in the message, e.g.
 * "audio-classification call option" or "pipeline option".
 */
export function checkOptionKeys(options: object, valid: readonly string[], what: string): void {
  for (const [key, value] of Object.entries(options)) {
    if (valid.includes(key) || value === undefined) continue;
    const camel = camelCase(key);
    const hint = camel !== key && valid.includes(camel) ? ` (did you mean ${camel}? option names are camelCase)` : "";
    throw new PipelineOptionError(`unknown ${what} ${JSON.stringify(key)}${hint}; valid options: ${valid.join(", ")}`);
  }
}

/** Options must be a plain object (or absent). */
export function checkOptionsObject(options: unknown, example: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new PipelineOptionError(`options must be an object like ${example}, got ${describeValue(options)}`);
  }
}

export function checkBatchSize(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new PipelineOptionError(`batchSize must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

export function checkDecoder(value: unknown): Decoder | undefined {
  if (value === undefined || value === "builtin" || value === "ffmpeg") return value;
  throw new PipelineOptionError(`decoder must be "builtin" (built-in decoders) or "ffmpeg" (Python's exact path), got ${describeValue(value)}`);
}

/**
 * A list of inputs, as opposed to one waveform given as a plain number[]: an empty array, or an
 * array holding anything but numbers (paths, typed arrays, { samplingRate, raw } objects).
 */
export function isInputList(input: unknown): input is readonly unknown[] {
  return Array.isArray(input) && (input.length === 0 || input.some((x) => typeof x !== "number"));
}
