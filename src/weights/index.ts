// The weights layer: checkpoint reading and writing (safetensors, PyTorch pickles, shards) and
// Hugging Face parameter naming. Knows nothing of ONNX Runtime, models or audio.
export {
  WeightsError,
  WeightsFormatError,
  UnsupportedWeightsError,
  UnsafePickleError,
  WeightsNotFoundError,
  WeightsReadError,
  TensorNotFoundError,
  InvalidTensorError,
  WeightsWriteError,
  WeightsChangedError,
  type WeightsErrorLocation,
} from "./errors.js";
export { type Dtype, type DtypeArray, type DtypeArrayMap, DTYPES, dtypeSize, isDtype, isFloatDtype } from "./dtypes.js";
export {
  float16BitsToFloat32,
  bfloat16BitsToFloat32,
  float32ToFloat16Bits,
  float32ToBFloat16Bits,
  float8ToFloat32,
  type Float8Format,
} from "../util/float-conversion.js";
export { type RawTensor, type WritableTensor, rawToFloat32, rawToTensor, rawTensorBytes, shapeNumel } from "./raw-tensor.js";
export { type ByteSource, MemoryByteSource } from "./byte-source.js";
export { type TensorSource, type TensorInfo, type CheckpointFormat } from "./tensor-source.js";
export { SafetensorsFile, type SafetensorsFileOptions } from "./safetensors-file.js";
export { FileBackedTensor, FileBackedHalfTensor } from "./file-backed-tensor.js";
export type { FileIdentity, FilePiece, FileRange } from "./file-range.js";
export { parseSafetensorsHeader, type SafetensorsHeader, type SafetensorsEntry, MAX_HEADER_BYTES } from "./safetensors-header.js";
export { encodeSafetensors, layoutSafetensors, type SafetensorsLayout, type TensorDict } from "./safetensors-encode.js";
export { saveSafetensors, readSafetensors, readSafetensorsSync } from "./safetensors-io.js";
export { TorchCheckpoint, type TorchCheckpointOptions } from "./torch-checkpoint.js";
export { ZipArchive, type ZipEntry } from "./zip-archive.js";
export { unpickle, type UnpickleOptions, type UnpickleResult } from "./pickle-machine.js";
export { PickleCallable, PickleDict } from "./pickle-values.js";
export { crc32 } from "./crc32.js";
export { ShardedCheckpoint, parseShardIndex, type ShardIndex } from "./sharded-checkpoint.js";
export { planShards, parseShardSize, shardFileName, DEFAULT_MAX_SHARD_SIZE, type ShardPlan } from "./shard-plan.js";
export { saveShardedSafetensors, type SaveShardedOptions, type SavedWeights } from "./sharded-save.js";
export { normalizeCheckpointKey, planPrefix, inferWeightNormDim, foldWeightNorm, unfoldWeightNorm } from "./hf-naming.js";
export { WeightMap, type WeightMapOptions, type WeightLoadReport } from "./weight-map.js";
export {
  loadWeights,
  openCheckpoint,
  findCheckpointFile,
  withVariant,
  type LoadWeightsOptions,
  type OpenCheckpointOptions,
} from "./load-weights.js";
export { type OpenFileOptions, DEFAULT_MAX_IN_MEMORY_BYTES, FileByteSource } from "./file-io.js";
