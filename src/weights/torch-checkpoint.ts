import { type ByteSource, MemoryByteSource, toUint8Array } from "./byte-source.js";
import { dtypeSize } from "./dtypes.js";
import { UnsupportedWeightsError, WeightsFormatError } from "./errors.js";
import { PickleDict, pickleTypeName } from "./pickle-values.js";
import { type RawTensor, rawTensorFromBytes } from "./raw-tensor.js";
import { gatherStrided, isContiguous } from "./strided-copy.js";
import { BaseTensorSource, type TensorInfo } from "./tensor-source.js";
import { parseTorchLegacy } from "./torch-legacy-format.js";
import { TorchTensorRef } from "./torch-tensor-ref.js";
import { type ParsedTorchCheckpoint, parseTorchZip, type TorchZipOptions } from "./torch-zip-format.js";

export type TorchCheckpointOptions = TorchZipOptions;

/**
 * A `pytorch_model.bin` (any torch.save state dict: zip format or legacy), read without running
 * Python or any code from the file: the pickle goes through an allow-listed interpreter, tensors
 * are materialised lazily, non-contiguous views are made contiguous, shared storages (tied
 * weights) resolve to the same bytes, big-endian archives are byte-swapped.
 */
export class TorchCheckpoint extends BaseTensorSource {
  readonly label: string;
  readonly format = "pytorch" as const;
  /** "zip" for torch ≥ 1.6 files, "legacy" for `_use_new_zipfile_serialization=False`. */
  readonly container: "zip" | "legacy";
  private readonly tensors: Map<string, TorchTensorRef>;
  private readonly parsed: ParsedTorchCheckpoint;

  constructor(
    private readonly source: ByteSource,
    options: TorchCheckpointOptions = {},
  ) {
    super();
    this.label = source.label;
    this.container = detectContainer(source);
    this.parsed = this.container === "zip" ? parseTorchZip(source, options) : parseTorchLegacy(source);
    this.tensors = stateDictTensors(this.parsed.root, this.label);
  }

  static fromBytes(bytes: Uint8Array | ArrayBuffer, label = "<pytorch checkpoint bytes>", options: TorchCheckpointOptions = {}): TorchCheckpoint {
    return new TorchCheckpoint(new MemoryByteSource(toUint8Array(bytes), label), options);
  }

  names(): string[] {
    return [...this.tensors.keys()].sort();
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  info(name: string): TensorInfo {
    const ref = this.ref(name);
    return { name, dtype: ref.dtype, shape: [...ref.size] };
  }

  /** Storage key of a tensor: tensors saved from tied weights share one. */
  storageKey(name: string): string {
    return this.ref(name).storage.root.key;
  }

  /** Whether the tensor was pickled as an nn.Parameter (rather than a plain tensor or buffer). */
  isParameter(name: string): boolean {
    return this.ref(name).isParameter;
  }

  getRaw(name: string): RawTensor {
    const ref = this.ref(name);
    const elementSize = dtypeSize(ref.dtype);
    const storageBytes = this.parsed.storageBytes(ref.storage);
    const start = ref.storage.rootByteOffset + ref.storageOffset * elementSize;
    let numel = 1;
    for (const d of ref.size) numel *= d;
    const bytes = isContiguous(ref.size, ref.stride)
      ? storageBytes.subarray(start, start + numel * elementSize)
      : gatherStrided(storageBytes.subarray(ref.storage.rootByteOffset), elementSize, ref.storageOffset, ref.size, ref.stride);
    return rawTensorFromBytes(ref.dtype, ref.size, bytes);
  }

  metadata(): Readonly<Record<string, string>> {
    return {};
  }

  close(): void {
    this.source.close();
  }

  private ref(name: string): TorchTensorRef {
    const ref = this.tensors.get(name);
    if (!ref) throw this.notFound(name);
    return ref;
  }
}

function detectContainer(source: ByteSource): "zip" | "legacy" {
  const file = source.label;
  const head = source.read(0, Math.min(source.byteLength, 8));
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "zip";
  if (new TextDecoder("latin1").decode(head) === "PYTORCH1") {
    throw new UnsupportedWeightsError(`${file} is from a PyTorch preview release (PYTORCH1 archive), which no current loader reads`, { file });
  }
  if (source.byteLength >= 262 && new TextDecoder("latin1").decode(source.read(257, 5)) === "ustar") {
    throw new UnsupportedWeightsError(`${file} uses the tar-based torch.save format of PyTorch < 0.4, which audioclass does not read; re-save it with a newer torch`, { file });
  }
  if (head[0] === 0x80) return "legacy";
  const looksLikeSafetensors = source.byteLength >= 9 && source.read(8, 1)[0] === 0x7b;
  throw new WeightsFormatError(
    `${file} is neither a torch.save zip archive nor a legacy torch pickle${looksLikeSafetensors ? " (it looks like a safetensors file: open it with readSafetensors)" : "; the file is corrupt or not a PyTorch checkpoint"}`,
    { file },
  );
}

/** The name → tensor map of a state dict (a dict or OrderedDict whose values are all tensors). */
function stateDictTensors(root: unknown, file: string): Map<string, TorchTensorRef> {
  if (!(root instanceof PickleDict)) {
    throw new WeightsFormatError(`${file} holds a ${pickleTypeName(root)}, not a state dict (a dict of tensors)`, { file });
  }
  const tensors = new Map<string, TorchTensorRef>();
  for (const [key, value] of root) {
    if (typeof key !== "string") throw new WeightsFormatError(`${file}: a state-dict key is a ${pickleTypeName(key)}, not a string`, { file });
    if (!(value instanceof TorchTensorRef)) {
      const nested = value instanceof PickleDict ? ` — the tensors seem to be nested under "${key}" (a training checkpoint?); save model.state_dict() itself` : "";
      throw new WeightsFormatError(`${file}: entry "${key}" is a ${pickleTypeName(value)}, not a tensor; this is not a plain state dict${nested}`, { file, tensor: key });
    }
    tensors.set(key, value);
  }
  return tensors;
}
