/**
 * What the server process and its inference workers say to each other: the setup a worker
 * loads, a request (the body's bytes and the pipeline's call options), and the outcome — a
 * result, or a failure already mapped to its HTTP status (classes do not survive the IPC channel).
 */
import type { FunctionToApply, LabelScore } from "../pipelines/classification-scores.js";
import type { Timeline } from "../pipelines/timeline.js";

/** Window options both tasks take; any of them makes the result a Timeline. */
export interface WindowCallOptions {
  window?: number;
  hop?: number;
  threshold?: number;
}

export interface ClassifyCallOptions extends WindowCallOptions {
  topK?: number;
  functionToApply?: FunctionToApply;
}

export interface ZeroShotCallOptions extends WindowCallOptions {
  candidateLabels: string[];
  hypothesisTemplate?: string;
}

export type InferenceRequest =
  | { kind: "classify"; audio: Uint8Array; options: ClassifyCallOptions }
  | { kind: "zero-shot"; audio: Uint8Array; options: ZeroShotCallOptions };

export type InferenceKind = InferenceRequest["kind"];

export type InferenceResult = LabelScore[] | Timeline;

/** What every worker loads. Model folders are resolved (downloaded if need be) once, by the main thread. */
export interface WorkerSetup {
  classifierDir: string;
  zeroShotDir?: string;
  /** Intra-op threads of each of the worker's sessions. */
  threads: number;
  maxMemoryMB?: number;
  /** Longest decoded audio one request may carry. */
  maxAudioSeconds: number;
}

export interface LoadedModelInfo {
  dir: string;
  samplingRate: number;
  /** Seconds of audio the model hears at once (the default window), when fixed. */
  inputSeconds: number | undefined;
}

export interface ModelsInfo {
  classify: LoadedModelInfo & { labels: string[] };
  zeroShot?: LoadedModelInfo;
}

/** A failure as data: the class name, message and HTTP status (error-status.ts), plus the stack of a bug. */
export interface TaskFailure {
  type: string;
  message: string;
  status: number;
  unexpected: boolean;
  stack?: string;
}

export interface TaskMessage {
  id: number;
  request: InferenceRequest;
}

export type WorkerMessage =
  | { type: "ready"; models: ModelsInfo }
  | { type: "load-failed"; error: TaskFailure }
  | { type: "result"; id: number; result: InferenceResult }
  | { type: "failed"; id: number; error: TaskFailure };
