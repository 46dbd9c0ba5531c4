/**
 * onnxruntime-web behind the backend interface. "cpu" runs ORT's WASM build (SIMD; threads when
 * the page is cross-origin isolated, since WASM threads need SharedArrayBuffer); "webgpu" loads
 * ORT's WebGPU build on first use, so pages that never ask for it never download it.
 *
 * WASM settings are global in ORT and fixed by the first session: configureWebBackend() must run
 * before any model loads (the demo calls it at start). Also runs in Node (onnxruntime-web's WASM
 * build works there), which is how tests compare it with onnxruntime-node without a browser.
 */
import * as ortWasm from "onnxruntime-web/wasm";
import type { Env } from "onnxruntime-common";
import type { InferenceBackend, OrtRuntime } from "./backend.js";
import type { Device } from "./device.js";
import { DeviceUnavailableError } from "./errors.js";

export interface WebBackendSettings {
  /**
   * Where ORT's .wasm / .mjs files are served from (a URL prefix ending in "/"); default: next to
   * the script, as onnxruntime-web looks.
   */
  wasmPaths?: string;
  /** WASM threads (default: up to 4 when cross-origin isolated, else 1). */
  numThreads?: number;
}

interface BrowserFacts {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number; deviceMemory?: number; gpu?: { requestAdapter(): Promise<unknown> } };
}

const host = globalThis as BrowserFacts;

/** WASM threads need SharedArrayBuffer, which browsers give only to cross-origin isolated pages. */
export function canUseWasmThreads(): boolean {
  return host.crossOriginIsolated === true || (typeof host.crossOriginIsolated !== "boolean" && typeof SharedArrayBuffer !== "undefined");
}

function defaultWasmThreads(): number {
  if (!canUseWasmThreads()) return 1;
  return Math.max(1, Math.min(4, host.navigator?.hardwareConcurrency ?? 1));
}

function applySettings(env: Env, settings: WebBackendSettings): void {
  if (settings.wasmPaths !== undefined) env.wasm.wasmPaths = settings.wasmPaths;
  env.wasm.numThreads = settings.numThreads ?? defaultWasmThreads();
}

let settings: WebBackendSettings = {};
let webgpu: Promise<OrtRuntime> | undefined;
// Set now, not at the first session: left unset, ORT guesses a thread count itself, and outside a
// browser its guess requires node:os, which a bundled ORT cannot load.
applySettings(ortWasm.env, settings);

/** Sets where ORT's WASM files are and how many threads it uses (before the first model loads). */
export function configureWebBackend(next: WebBackendSettings): void {
  settings = { ...settings, ...next };
  applySettings(ortWasm.env, settings);
}

/** The number of WASM threads sessions run with. */
export function webWasmThreads(): number {
  return ortWasm.env.wasm.numThreads ?? defaultWasmThreads();
}

async function webgpuRuntime(): Promise<OrtRuntime> {
  const gpu = host.navigator?.gpu;
  const adapter = gpu === undefined ? null : await gpu.requestAdapter().catch(() => null);
  if (adapter === null) {
    throw new DeviceUnavailableError("webgpu", 'device "webgpu" needs a browser with WebGPU enabled and a usable GPU adapter (navigator.gpu); this one has none — use device "cpu" (WASM)');
  }
  const ort = await import("onnxruntime-web/webgpu");
  applySettings(ort.env, settings);
  return { Tensor: ort.Tensor, executionProviders: ["webgpu"], createSession: (model, options) => ort.InferenceSession.create(model as Uint8Array, options) };
}

const wasmRuntime: OrtRuntime = {
  Tensor: ortWasm.Tensor,
  executionProviders: ["wasm"],
  createSession: (model, options) => (typeof model === "string" ? ortWasm.InferenceSession.create(model, options) : ortWasm.InferenceSession.create(model, options)),
};

export const webInferenceBackend: InferenceBackend = {
  name: "onnxruntime-web",
  Tensor: ortWasm.Tensor,
  defaultThreads: () => webWasmThreads(),
  // navigator.deviceMemory (Chromium) is rounded down and capped at 8 GiB; 4 GiB when unknown.
  totalMemoryBytes: () => (host.navigator?.deviceMemory ?? 4) * 2 ** 30,
  async runtimeFor(device: Device) {
    if (device === "webgpu") return (webgpu ??= webgpuRuntime().catch((error: unknown) => {
      webgpu = undefined;
      throw error;
    }));
    return wasmRuntime;
  },
};
