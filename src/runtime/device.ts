/**
 * Where a model runs. "cpu" (the default) is ONNX Runtime's CPU kernels: native in Node, WASM
 * (SIMD, multi-threaded when the page is cross-origin isolated) in browsers. "webgpu" is ORT's
 * WebGPU execution provider, in browsers that have WebGPU. Names as in transformers.js.
 */
import { describeValue } from "../errors.js";
import { UnknownDeviceError } from "./errors.js";

export const DEVICES = ["cpu", "webgpu"] as const;
export type Device = (typeof DEVICES)[number];

/** Checks a user's `device` option (undefined → "cpu"); anything else is an UnknownDeviceError. */
export function checkDevice(device: unknown): Device {
  if (device === undefined) return "cpu";
  if (typeof device === "string" && (DEVICES as readonly string[]).includes(device)) return device as Device;
  throw new UnknownDeviceError(`unknown device ${describeValue(device)}; audioclass runs models on ${DEVICES.map((d) => `"${d}"`).join(" or ")} ("webgpu" in browsers that have it)`, describeValue(device));
}
