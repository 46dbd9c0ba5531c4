/**
 * The options that say how a model is loaded into a session (threads, device, precision, memory
 * limit, …), shared by every loader: Node's from folders and the browser's over HTTP.
 */
import type { Env } from "../hub/environment.js";
import type { Device } from "../runtime/device.js";
import type { ModelDType } from "../runtime/model-dtype.js";
import type { ArchitectureBuildOptions } from "./architecture.js";

/**
 * Inference graphs use ONNX Runtime's fused attention (com.microsoft.MultiHeadAttention) unless
 * `fused: false`: the unfused form keeps the scores and the probabilities of every head as two
 * separate tensors. Measured on AST-base (bench/ast-base.ts, fresh process, 2 runs): peak RSS
 * fp32 658 → 532 MB, q8 415 → 290 MB, fp16 716 → 387 MB; CPU time per clip within ±7 % either
 * way on AST-base, wav2vec2-base and Whisper-base (bench/op-profile.ts forms). The fixture logits
 * stay within the same tolerances either way (test/models/*: both forms are tested).
 */
export const DEFAULT_FUSED_ATTENTION = true;

export interface ModelSessionOptions extends ArchitectureBuildOptions {
  /** Intra-op threads (default: all cores). */
  readonly threads?: number;
  /** Where the model runs: "cpu" (default) or "webgpu" (browsers with WebGPU). */
  readonly device?: Device;
  /** Reuse one session per folder and options while it lives (default true). */
  readonly cache?: boolean;
  /**
   * Let ONNX Runtime read large float32 safetensors weights straight from the checkpoint file
   * (default true): no copy of ours exists while it loads. false hands it every weight from memory.
   */
  readonly weightsInPlace?: boolean;
  /**
   * Precision of the weights, named as in transformers.js: "fp32" (default), "q8" / "int8" (int8
   * weights of the matrix products, ~4× smaller), "fp16" (half-precision weights, half the memory).
   * See models/weight-precision-policy.ts for what stays float32. An ONNX export loads its
   * model_quantized.onnx / model_int8.onnx / model_fp16.onnx instead.
   */
  readonly dtype?: ModelDType;
  /**
   * Where weights converted for "q8" / "fp16" are kept between loads (default: the
   * converted-weights folder of audioclass's cache, $AUDIOCLASS_CACHE or ~/.cache/audioclass);
   * false converts them at every load.
   */
  readonly weightsCacheDir?: string | false;
  /** Whether idle ONNX Runtime threads spin waiting for work (default true; see SessionOptions.spinning). */
  readonly spinning?: boolean;
  /** Environment to read AUDIOCLASS_CACHE / XDG_CACHE_HOME from (default process.env). */
  env?: Env;
  /**
   * Refuse a run whose intermediate tensors are estimated above this many MiB, with a
   * MemoryLimitError that says how to proceed (default: half the machine's memory).
   */
  readonly maxMemoryMB?: number;
}

/** Every ModelSessionOptions key (the type check below keeps the list complete). */
export const MODEL_SESSION_OPTION_KEYS = ["threads", "device", "cache", "weightsInPlace", "maxMemoryMB", "fused", "training", "dtype", "weightsCacheDir", "spinning", "env"] as const satisfies readonly (keyof ModelSessionOptions)[];
const SESSION_KEYS_COMPLETE: Exclude<keyof ModelSessionOptions, (typeof MODEL_SESSION_OPTION_KEYS)[number]> extends never ? true : never = true;
void SESSION_KEYS_COMPLETE;

