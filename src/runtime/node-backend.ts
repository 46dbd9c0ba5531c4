/**
 * onnxruntime-node behind the backend interface: native CPU kernels, all cores by default, and
 * ORT reading large weights straight from checkpoint files (in-place-weights.ts). Node only.
 */
import { availableParallelism, totalmem } from "node:os";
import * as ort from "onnxruntime-node";
import type { InferenceBackend, OrtRuntime } from "./backend.js";
import type { Device } from "./device.js";
import { DeviceUnavailableError } from "./errors.js";
import { checkFilesUnchanged } from "./file-references-check.js";

const cpuRuntime: OrtRuntime = {
  Tensor: ort.Tensor,
  executionProviders: ["cpu"],
  createSession: (model, options) => (typeof model === "string" ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options)),
};

export const nodeInferenceBackend: InferenceBackend = {
  name: "onnxruntime-node",
  Tensor: ort.Tensor,
  defaultThreads: () => availableParallelism(),
  totalMemoryBytes: () => totalmem(),
  async runtimeFor(device: Device) {
    if (device !== "cpu") {
      throw new DeviceUnavailableError(device, `device "${device}" runs in browsers (onnxruntime-web); in Node, models run on "cpu"`);
    }
    return cpuRuntime;
  },
  checkFilesUnchanged,
};
