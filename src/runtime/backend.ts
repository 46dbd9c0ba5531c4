/**
 * The seam between audioclass and an ONNX Runtime build, after ORT's own `Backend` design: one
 * small interface, one implementation per platform — onnxruntime-node (node-backend.ts) and
 * onnxruntime-web (web-backend.ts). session.ts talks only to this interface, so nothing above
 * runtime/ knows which build runs, and a browser bundle never sees onnxruntime-node.
 *
 * The entry point wires the backend: runtime/index.ts (Node's) registers onnxruntime-node, the
 * browser entry (src/browser.ts) registers onnxruntime-web.
 */
import type { InferenceSession, Tensor as OrtTensor } from "onnxruntime-common";
import type { FileReferences } from "../graph/index.js";
import type { Device } from "./device.js";
import { NoInferenceBackendError } from "./errors.js";

export type OrtSession = InferenceSession;
export type OrtSessionOptions = InferenceSession.SessionOptions;
export type OrtTensorConstructor = typeof OrtTensor;

export interface InferenceBackend {
  /** "onnxruntime-node" or "onnxruntime-web". */
  readonly name: string;
  /** ORT's tensor class of the CPU build (onnxruntime-common's API). */
  readonly Tensor: OrtTensorConstructor;
  /** Intra-op threads when the caller names none. */
  defaultThreads(): number;
  /** Memory of this machine (or what the browser admits to), for the default run-memory limit. */
  totalMemoryBytes(): number;
  /**
   * The ORT build and execution providers that run sessions on `device`; a DeviceUnavailableError
   * when this platform cannot (WebGPU in Node, or in a browser without it).
   */
  runtimeFor(device: Device): Promise<OrtRuntime>;
  /**
   * Backends whose ORT can read weights straight from checkpoint files (Node): the check that
   * those files did not change under it. Absent: every weight is handed over from memory.
   */
  readonly checkFilesUnchanged?: (references: FileReferences, modelName: string, cause?: unknown) => Promise<void>;
}

/** One ORT build on one device: its tensor class (feeds must be of the session's own build) and sessions. */
export interface OrtRuntime {
  readonly Tensor: OrtTensorConstructor;
  readonly executionProviders: NonNullable<OrtSessionOptions["executionProviders"]>;
  /** Creates a session from ONNX bytes, or (a backend that reads files or URLs) an .onnx path. */
  createSession(model: Uint8Array | string, options: OrtSessionOptions): Promise<OrtSession>;
}

let active: InferenceBackend | undefined;

/** Makes `backend` the one every session is created with (the entry points call this once). */
export function useInferenceBackend(backend: InferenceBackend): void {
  active = backend;
}

/** The registered backend; NoInferenceBackendError when no entry point registered one. */
export function inferenceBackend(): InferenceBackend {
  if (active !== undefined) return active;
  throw new NoInferenceBackendError(
    "no ONNX Runtime backend is registered: import audioclass through its entry point (\"audioclass\" in Node, which registers onnxruntime-node; " +
      "the package's browser entry, which registers onnxruntime-web), or call useInferenceBackend() first",
  );
}

/** The registered backend, or undefined (for defaults that have a fallback). */
export function registeredInferenceBackend(): InferenceBackend | undefined {
  return active;
}
