/**
 * The memory a single model run may use for its intermediate tensors. A run estimated above it
 * (graph/memory-estimate.ts) is refused with MemoryLimitError instead of being started: an
 * attention layer over an hour of audio asks for hundreds of GB, and the system would kill the
 * process or swap for minutes before ONNX Runtime failed.
 *
 * Default: half of the machine's memory. Users raise or lower it with `maxMemoryMB`
 * (`--max-memory MB` on the command line).
 */
import { InvalidArgumentError, describeValue } from "../errors.js";
import { type MemoryProfile, bindInputSizes, describeSizes, estimateRunMemory } from "../graph/memory-estimate.js";
import type { Tensor } from "../tensor.js";
import { registeredInferenceBackend } from "./backend.js";
import { MemoryLimitError } from "./errors.js";

const MIB = 2 ** 20;

/** What a platform that cannot say is taken to have (browsers report at most 8 GiB, if anything). */
const UNKNOWN_MACHINE_MEMORY = 4 * 2 ** 30;

export function defaultMaxMemoryMB(): number {
  return Math.floor((registeredInferenceBackend()?.totalMemoryBytes() ?? UNKNOWN_MACHINE_MEMORY) / 2 / MIB);
}

/** Checks a user's `maxMemoryMB` and turns it into bytes (undefined → the default). */
export function maxMemoryBytes(maxMemoryMB: number | undefined, label = "maxMemoryMB"): number {
  if (maxMemoryMB === undefined) return defaultMaxMemoryMB() * MIB;
  if (typeof maxMemoryMB !== "number" || !Number.isFinite(maxMemoryMB) || maxMemoryMB <= 0) {
    throw new InvalidArgumentError(`${label} must be a positive number of megabytes (MiB), e.g. 8192, got ${describeValue(maxMemoryMB)}`);
  }
  return maxMemoryMB * MIB;
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(bytes / MIB)} MiB`;
}

/** Throws MemoryLimitError when the run of `feeds` is estimated to need more than `limitBytes`. */
export function checkRunMemory(modelName: string, profile: MemoryProfile, feeds: Readonly<Record<string, Tensor>>, limitBytes: number): void {
  const dims = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, t.dims]));
  const estimate = estimateRunMemory(profile, bindInputSizes(profile, dims));
  if (estimate.peakBytes <= limitBytes) return;
  const { largest } = estimate;
  throw new MemoryLimitError(
    modelName,
    `running model "${modelName}" on ${describeSizes(dims)} would need about ${formatBytes(estimate.peakBytes)} of memory ` +
      `(the largest tensor, ${largest.name} [${largest.dims.join(", ")}], alone is ${formatBytes(largest.bytes)}), ` +
      `more than the limit of ${formatBytes(limitBytes)}. Give it shorter inputs (split long audio into pieces) or a smaller batch, ` +
      `or raise the limit with maxMemoryMB (--max-memory MB on the command line)`,
    { estimatedBytes: estimate.peakBytes, limitBytes },
  );
}
