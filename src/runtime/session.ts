import type { InferenceSession as OrtInferenceSession, Tensor as OrtTensor } from "onnxruntime-common";
import { InvalidArgumentError, describeValue } from "../errors.js";
import type { GraphModel } from "../graph/ir.js";
import { initializerBytes } from "../graph/traversal.js";
import { type ExternalDataFile, type FileReferences, type OnnxWriteOptions, type SerializedModel, serializeModel } from "../graph/onnx/onnx-writer.js";
import type { Tensor } from "../tensor.js";
import { SessionCreateError, SessionDisposedError, SessionFeedError, SessionRunError } from "./errors.js";
import { type InferenceBackend, type OrtSession, type OrtSessionOptions, type OrtTensorConstructor, inferenceBackend } from "./backend.js";
import { type Device, checkDevice } from "./device.js";
import { inPlaceWeights } from "./in-place-weights.js";
import { type MemoryProfile, memoryProfile } from "../graph/memory-estimate.js";
import { checkRunMemory, maxMemoryBytes } from "./memory-limit.js";
import { fromOrtTensor, toOrtTensor } from "./ort-tensor.js";
import { cachedSession, forgetSession } from "./session-cache.js";

export type OptimizationLevel = "disabled" | "basic" | "extended" | "all";
export type LogLevel = "verbose" | "info" | "warning" | "error" | "fatal";

export interface SessionOptions {
  /** Intra-op threads (default: the backend's — all cores in Node, see web-backend.ts in browsers). */
  readonly threads?: number;
  /** Where the model runs: "cpu" (default) or "webgpu" (browsers with WebGPU); see device.ts. */
  readonly device?: Device;
  /** ONNX Runtime graph optimisations (default "all": constant folding and fused kernels). */
  readonly optimizationLevel?: OptimizationLevel;
  /**
   * Reuse one session per key: a second createSession with the same key returns the first
   * session (without serialising or loading the model again) until it is disposed.
   */
  readonly cacheKey?: string;
  /** Name used in error messages (default: the graph's name, or "model" for bytes). */
  readonly name?: string;
  /** External data to go with ONNX bytes (a GraphModel's own external data is handled for you). */
  readonly externalData?: readonly ExternalDataFile[];
  /** Serialisation options for a GraphModel (e.g. a lower maxInlineBytes). */
  readonly write?: OnnxWriteOptions;
  /** ORT log level (default "error": ORT's warnings about removed initializers are noise here). */
  readonly logLevel?: LogLevel;
  /** Debugging: have ORT write its optimised graph to this path. */
  readonly optimizedModelPath?: string;
  /**
   * Profiling: ORT records every node's run time and writes them (Chrome trace JSON) to
   * `<prefix>_<timestamp>.json` when Session.endProfiling() is called. For benchmarks only.
   */
  readonly profileFilePrefix?: string;
  /**
   * ORT's memory pattern: after the first run, preallocate one block for all intermediate tensors
   * of that input shape. The arena keeps the first run's blocks too, so the block comes on top:
   * AST-base peaks at 2.45× its weights with it, 1.98× without, at the same speed; on tiny models
   * it saves ~2.5% of a ~1 ms run. Default: on for models up to 16 MB of weights, off above (and
   * for .onnx paths, whose size is not known here).
   */
  readonly memoryPattern?: boolean;
  /**
   * Let a GraphModel's file-backed weights be read by ORT straight from their checkpoint file
   * (default true): our copy of them is never made. See in-place-weights.ts for which weights.
   */
  readonly weightsInPlace?: boolean;
  /**
   * Folders whose files are only ever replaced by rename, never rewritten in place (audioclass's
   * cache of converted weights): ORT may read any weight there in place, not only prepacked ones.
   */
  readonly renameOnlyFolders?: readonly string[];
  /**
   * Largest constant ORT may compute at load (constant folding); larger constant subgraphs are
   * computed at each run. Keeps "fp16" weights' widening Casts from being folded back into float32
   * weights (see weight-precision-pass.ts). Default: ORT's own limit.
   */
  readonly constantFoldingLimitBytes?: number;
  /** ORT graph optimizers to leave out, by name (e.g. "FuseFp16InitializerToFp32NodeTransformer"). */
  readonly disabledOptimizers?: readonly string[];
  /**
   * Whether idle intra-op threads spin waiting for work (ORT's default: true, lowest latency).
   * false leaves the CPU to others between kernels, and makes the process's CPU time measure the
   * work done (benchmarks on a shared machine compare CPU time per run).
   */
  readonly spinning?: boolean;
}

export interface ValueMetadata {
  readonly name: string;
  readonly type?: string;
  /** Dims as ORT reports them: numbers, or names for symbolic dims. */
  readonly shape?: readonly (number | string)[];
}

export interface RunOptions {
  /** Fetch only these outputs (default: all). */
  readonly outputs?: readonly string[];
  /**
   * Refuse (MemoryLimitError) a run whose intermediate tensors are estimated above this many
   * bytes (default: half the machine's memory; see memory-limit.ts). Only sessions built from a
   * GraphModel can be estimated; others run unchecked.
   */
  readonly maxMemoryBytes?: number;
}

const LOG_LEVELS: Record<LogLevel, 0 | 1 | 2 | 3 | 4> = { verbose: 0, info: 1, warning: 2, error: 3, fatal: 4 };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A loaded ONNX Runtime session. Feeds and fetches are our Tensor; nothing is copied on the way. */
export class Session {
  readonly name: string;
  readonly inputs: readonly ValueMetadata[];
  readonly outputs: readonly ValueMetadata[];
  /** Milliseconds spent serialising the graph (0 for bytes) and loading it into ORT. */
  readonly timings: { readonly serializeMs: number; readonly loadMs: number };
  readonly cacheKey: string | undefined;
  /** Weight bytes ORT read straight from checkpoint files (0 when every weight was handed over). */
  readonly inPlaceWeightBytes: number;
  /** What estimates a run's memory (sessions built from a GraphModel). */
  readonly memoryProfile: MemoryProfile | undefined;
  /** Where the session runs. */
  readonly device: Device;
  #session: OrtSession | undefined;
  /** The tensor class of the ORT build the session belongs to (default: the backend's CPU build). */
  readonly #Tensor: OrtTensorConstructor | undefined;

  constructor(session: OrtSession, name: string, timings: Session["timings"], cacheKey?: string, inPlaceWeightBytes = 0, memoryProfile?: MemoryProfile, device: Device = "cpu", tensorClass?: OrtTensorConstructor) {
    this.#session = session;
    this.device = device;
    this.#Tensor = tensorClass;
    this.memoryProfile = memoryProfile;
    this.name = name;
    this.timings = timings;
    this.cacheKey = cacheKey;
    this.inPlaceWeightBytes = inPlaceWeightBytes;
    const meta = (list: readonly OrtInferenceSession.ValueMetadata[]): ValueMetadata[] =>
      list.map((m) => (m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name }));
    this.inputs = meta(session.inputMetadata);
    this.outputs = meta(session.outputMetadata);
  }

  get inputNames(): string[] {
    return this.inputs.map((m) => m.name);
  }

  get outputNames(): string[] {
    return this.outputs.map((m) => m.name);
  }

  get disposed(): boolean {
    return this.#session === undefined;
  }

  /**
   * Runs the model. Note: ORT's run blocks the event loop for the duration of the computation
   * (it is only deferred by one tick); serve concurrent requests from worker threads.
   */
  async run(feeds: Readonly<Record<string, Tensor>>, options: RunOptions = {}): Promise<Record<string, Tensor>> {
    const session = this.#session;
    if (session === undefined) throw new SessionDisposedError(this.name);
    const ortFeeds = this.checkFeeds(feeds);
    if (this.memoryProfile !== undefined) checkRunMemory(this.name, this.memoryProfile, feeds, options.maxMemoryBytes ?? maxMemoryBytes(undefined));
    const fetches = options.outputs === undefined ? undefined : this.checkFetches(options.outputs);
    let results: OrtInferenceSession.ReturnType;
    try {
      results = fetches === undefined ? await session.run(ortFeeds) : await session.run(ortFeeds, fetches);
    } catch (error) {
      throw new SessionRunError(this.name, `running model "${this.name}" failed: ${message(error)}`, { cause: error });
    }
    const out: Record<string, Tensor> = {};
    for (const [key, value] of Object.entries(results)) {
      const t = fromOrtTensor(value as OrtTensor);
      if (t === undefined) {
        throw new SessionRunError(this.name, `output "${key}" of model "${this.name}" has type ${(value as OrtTensor).type}, which audioclass tensors cannot hold; cast it to float32 in the graph`);
      }
      out[key] = t;
    }
    return out;
  }

  /** Writes the profile of the runs so far (see SessionOptions.profileFilePrefix). */
  endProfiling(): void {
    const session = this.#session;
    if (session === undefined) throw new SessionDisposedError(this.name);
    session.endProfiling();
  }

  /** Releases ORT's memory; the session (and its cache entry) can no longer be used. */
  async dispose(): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    this.#session = undefined;
    forgetSession(this);
    await session.release();
  }

  private checkFeeds(feeds: Readonly<Record<string, Tensor>>): Record<string, OrtTensor> {
    if (feeds === null || typeof feeds !== "object") {
      throw new SessionFeedError(this.name, `feeds for model "${this.name}" must be an object of tensors keyed by input name, got ${describeValue(feeds)}`);
    }
    const expected = this.inputNames;
    const missing = expected.filter((n) => !(n in feeds));
    if (missing.length > 0) {
      throw new SessionFeedError(this.name, `model "${this.name}" needs input${missing.length > 1 ? "s" : ""} ${missing.map((n) => `"${n}"`).join(", ")}; it takes ${expected.join(", ")}`);
    }
    const out: Record<string, OrtTensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      const meta = this.inputs.find((m) => m.name === name);
      if (meta === undefined) {
        throw new SessionFeedError(this.name, `model "${this.name}" has no input "${name}"; it takes ${expected.join(", ")}`);
      }
      if (t === null || typeof t !== "object" || !ArrayBuffer.isView(t.data) || !Array.isArray(t.dims)) {
        throw new SessionFeedError(this.name, `input "${name}" of model "${this.name}" must be a tensor {type, dims, data}, got ${describeValue(t)}`);
      }
      if (meta.type !== undefined && t.type !== meta.type) {
        throw new SessionFeedError(this.name, `input "${name}" of model "${this.name}" must be ${meta.type}, got ${t.type}`);
      }
      const count = t.dims.reduce((a, b) => a * b, 1);
      if (count !== (t.data as ArrayLike<unknown>).length) {
        throw new SessionFeedError(this.name, `input "${name}": dims [${t.dims.join(", ")}] need ${count} elements, data has ${(t.data as ArrayLike<unknown>).length}`);
      }
      if (meta.shape !== undefined) {
        const fixedMismatch = meta.shape.some((d, i) => typeof d === "number" && d >= 0 && t.dims[i] !== d);
        if (meta.shape.length !== t.dims.length || fixedMismatch) {
          throw new SessionFeedError(this.name, `input "${name}" of model "${this.name}" must have shape [${meta.shape.join(", ")}], got [${t.dims.join(", ")}]`);
        }
      }
      out[name] = toOrtTensor(t, this.#Tensor);
    }
    return out;
  }

  private checkFetches(names: readonly string[]): string[] {
    for (const n of names) {
      if (!this.outputNames.includes(n)) {
        throw new SessionFeedError(this.name, `model "${this.name}" has no output "${n}"; it produces ${this.outputNames.join(", ")}`);
      }
    }
    return [...names];
  }
}

function isGraphModel(source: unknown): source is GraphModel {
  return typeof source === "object" && source !== null && "nodes" in source && "values" in source && "initializers" in source;
}

/** Initializer bytes above which a GraphModel's weights are handed over as external data. */
const EXTERNAL_DATA_ABOVE_BYTES = 16 * 1024 * 1024;

function isSerializedModel(source: unknown): source is SerializedModel {
  return typeof source === "object" && source !== null && "bytes" in source && "externalData" in source;
}

function resolveThreads(threads: number | undefined, backend: InferenceBackend): number {
  if (threads === undefined) return backend.defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError(`threads must be a positive integer, got ${describeValue(threads)}`);
  return threads;
}

/** A model to load: built graph, serialised graph, ONNX bytes, or the path of an .onnx file. */
export type SessionSource = GraphModel | SerializedModel | Uint8Array | string;

/** What ORT is handed for a source, and how many weight bytes the model has (Infinity: unknown). */
interface PreparedModel {
  readonly model: Uint8Array | string;
  readonly externalData: readonly ExternalDataFile[];
  readonly fileReferences?: FileReferences;
  readonly weightBytes: number;
}

function prepareModel(source: SessionSource, options: SessionOptions, readsFiles: boolean): PreparedModel {
  const extra = options.externalData ?? [];
  const bytesOf = (files: readonly ExternalDataFile[]) => files.reduce((n, f) => n + f.data.byteLength, 0);
  if (isGraphModel(source)) {
    // Weights beyond a few MB go to ORT as external data: read by ORT from the checkpoint itself
    // when they are file-backed, else views on our tensors — serialising copies nothing either way
    // and loading is ~2× faster than one protobuf (AST-base: 1.1 s instead of 2.5 s).
    // Only a backend that reads files (Node) can take weights by reference to their checkpoint.
    const referenceFile = options.weightsInPlace === false || !readsFiles ? undefined : inPlaceWeights(source, options.renameOnlyFolders);
    const serialized = serializeModel(source, { maxInlineBytes: EXTERNAL_DATA_ABOVE_BYTES, referenceFile, ...options.write });
    return { model: serialized.bytes, externalData: [...extra, ...serialized.externalData], fileReferences: serialized.fileReferences, weightBytes: initializerBytes(source) };
  }
  if (isSerializedModel(source)) {
    const externalData = [...extra, ...source.externalData];
    return { model: source.bytes, externalData, fileReferences: source.fileReferences, weightBytes: source.bytes.byteLength + bytesOf(externalData) + (source.fileReferences?.bytes ?? 0) };
  }
  if (source instanceof Uint8Array) return { model: source, externalData: extra, weightBytes: source.byteLength + bytesOf(extra) };
  // A path lets ORT find external data files (model.onnx_data) next to the model.
  if (typeof source === "string") return { model: source, externalData: extra, weightBytes: Infinity };
  throw new InvalidArgumentError(`createSession needs a GraphModel, serialized model, ONNX bytes (Uint8Array) or an .onnx path, got ${describeValue(source)}`);
}

async function loadSession(source: SessionSource, options: SessionOptions): Promise<Session> {
  const name = options.name ?? (isGraphModel(source) ? source.name : typeof source === "string" ? source : "model");
  const backend = inferenceBackend();
  const device = checkDevice(options.device);
  const threads = resolveThreads(options.threads, backend);
  const runtime = await backend.runtimeFor(device);
  const started = performance.now();
  const checkFilesUnchanged = backend.checkFilesUnchanged;
  const { model, externalData, fileReferences, weightBytes } = prepareModel(source, options, checkFilesUnchanged !== undefined);
  if (fileReferences !== undefined && externalData.length > 0) {
    throw new InvalidArgumentError(`model "${name}" references weights in files and also carries in-memory external data; onnxruntime accepts one or the other`);
  }
  if (fileReferences !== undefined) await checkFilesUnchanged?.(fileReferences, name);
  const serialized = performance.now();
  const sessionOptions: OrtSessionOptions = {
    executionProviders: runtime.executionProviders,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    enableMemPattern: options.memoryPattern ?? weightBytes <= EXTERNAL_DATA_ABOVE_BYTES,
    graphOptimizationLevel: options.optimizationLevel ?? "all",
    logSeverityLevel: LOG_LEVELS[options.logLevel ?? "error"],
    // Denormal floats (e.g. softmax of masked scores, ~e^-100) make x86 matmuls up to 80× slower;
    // flushing them changes nothing above 1e-38.
    extra: {
      ...optimizationConfig(options),
      session: {
        set_denormal_as_zero: "1",
        ...(options.spinning === false ? { "intra_op.allow_spinning": "0" } : {}),
        // Where the `location`s of in-place weights are resolved (we load from bytes, not a path).
        ...(fileReferences ? { model_external_initializers_file_folder_path: fileReferences.folder } : {}),
      },
    },
    ...(externalData.length > 0 ? { externalData: externalData.map((f) => ({ path: f.path, data: f.data })) } : {}),
    ...(options.optimizedModelPath ? { optimizedModelFilePath: options.optimizedModelPath } : {}),
    ...(options.profileFilePrefix ? { enableProfiling: true, profileFilePrefix: options.profileFilePrefix } : {}),
  };
  let session: OrtSession;
  try {
    session = await runtime.createSession(model, sessionOptions);
  } catch (error) {
    // A checkpoint that vanished or changed under ORT is the likelier story than a bad model.
    if (fileReferences !== undefined) await checkFilesUnchanged?.(fileReferences, name, error);
    throw new SessionCreateError(name, `ONNX Runtime could not load model "${name}": ${message(error)}`, { cause: error });
  }
  if (fileReferences !== undefined) {
    try {
      await checkFilesUnchanged?.(fileReferences, name);
    } catch (error) {
      await session.release();
      throw error;
    }
  }
  const loaded = performance.now();
  const profile = isGraphModel(source) ? memoryProfile(source) : undefined;
  return new Session(session, name, { serializeMs: serialized - started, loadMs: loaded - serialized }, options.cacheKey, fileReferences?.bytes ?? 0, profile, device, runtime.Tensor);
}

/** ORT's "optimization.*" config entries for the options that set them. */
function optimizationConfig(options: SessionOptions): { optimization?: Record<string, string> } {
  const entries: Record<string, string> = {};
  const limit = options.constantFoldingLimitBytes;
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError(`constantFoldingLimitBytes must be a positive integer, got ${describeValue(limit)}`);
    entries["constant_folding_max_output_size_in_bytes"] = String(limit);
  }
  if (options.disabledOptimizers !== undefined && options.disabledOptimizers.length > 0) entries["disable_specified_optimizers"] = options.disabledOptimizers.join(",");
  return Object.keys(entries).length > 0 ? { optimization: entries } : {};
}

/**
 * Loads a model into ONNX Runtime: a built GraphModel (serialised here, its large weights passed
 * as external data), a SerializedModel, ONNX bytes, or an .onnx file path (external data files
 * are resolved next to it). With `cacheKey`, sessions are shared.
 */
export async function createSession(source: SessionSource, options: SessionOptions = {}): Promise<Session> {
  if (options.cacheKey === undefined) return loadSession(source, options);
  return cachedSession(options.cacheKey, () => loadSession(source, options));
}

/** session.run(feeds) as a function. */
export function run(session: Session, feeds: Readonly<Record<string, Tensor>>, options?: RunOptions): Promise<Record<string, Tensor>> {
  return session.run(feeds, options);
}
