import type { Tensor } from "../tensor.js";
import { InvalidTensorError } from "./errors.js";
import { type ByteSource, MemoryByteSource, toUint8Array } from "./byte-source.js";
import { FILE_BACKED_TYPES, FileBackedHalfTensor, FileBackedTensor } from "./file-backed-tensor.js";
import { type RawTensor, rawTensorFromBytes } from "./raw-tensor.js";
import { parseSafetensorsHeader, type SafetensorsEntry, type SafetensorsHeader } from "./safetensors-header.js";
import { BaseTensorSource, type TensorInfo } from "./tensor-source.js";

export interface SafetensorsFileOptions {
  /**
   * getTensor returns FileBackedTensors for dtypes stored exactly as a Tensor type holds them
   * (F32, F64, I64, I32, I8, U8, BOOL), when the source is a file on disk. Others are converted
   * as usual.
   */
  readonly fileBacked?: boolean;
}

/**
 * A parsed safetensors file. The header is validated up front; tensor data is only touched when a
 * tensor is asked for, and F32 data comes back as a zero-copy view whenever it is 4-byte aligned
 * (always, for files written by Python's safetensors). Browser-safe: no file system access here;
 * see `readSafetensors` (file-io) for paths.
 */
export class SafetensorsFile extends BaseTensorSource {
  readonly format = "safetensors" as const;
  readonly label: string;
  private readonly header: SafetensorsHeader;
  private readonly sortedNames: string[];
  private readonly fileBacked: boolean;

  constructor(
    private readonly source: ByteSource,
    options: SafetensorsFileOptions = {},
  ) {
    super();
    this.fileBacked = options.fileBacked === true && source.filePiece !== undefined;
    this.label = source.label;
    this.header = parseSafetensorsHeader(source);
    // Sorted like Python's `safe_open(...).keys()`.
    this.sortedNames = [...this.header.entries.keys()].sort();
  }

  /** Parses safetensors bytes already in memory (e.g. a fetch() result in a browser). */
  static fromBytes(bytes: Uint8Array | ArrayBuffer, label = "<safetensors bytes>"): SafetensorsFile {
    return new SafetensorsFile(new MemoryByteSource(toUint8Array(bytes), label));
  }

  names(): string[] {
    return [...this.sortedNames];
  }

  /** Tensor names in the order their data appears in the file. */
  namesInFileOrder(): string[] {
    return [...this.header.entries.values()].map((e) => e.name);
  }

  has(name: string): boolean {
    return this.header.entries.has(name);
  }

  info(name: string): TensorInfo {
    const { dtype, shape } = this.entry(name);
    return { name, dtype, shape };
  }

  /** Where the tensor's bytes sit in the file: [begin, end) as absolute file offsets. */
  byteRange(name: string): { begin: number; end: number } {
    const entry = this.entry(name);
    return { begin: this.header.dataStart + entry.begin, end: this.header.dataStart + entry.end };
  }

  getRaw(name: string): RawTensor {
    const entry = this.entry(name);
    const bytes = this.source.read(this.header.dataStart + entry.begin, entry.end - entry.begin);
    return rawTensorFromBytes(entry.dtype, entry.shape, bytes);
  }

  override getTensor(name: string): Tensor {
    const entry = this.entry(name);
    const type = FILE_BACKED_TYPES[entry.dtype];
    if (!this.fileBacked || type === undefined) return super.getTensor(name);
    const piece = this.source.filePiece!(this.header.dataStart + entry.begin, entry.end - entry.begin);
    return new FileBackedTensor(type, entry.shape, entry.dtype, piece);
  }

  /**
   * An F16 tensor as raw half bits ({ type: "float16", dims, data: Uint16Array }, the graph's
   * float16 form), file-backed like getTensor's when the file was opened with fileBacked.
   */
  getHalf(name: string): FileBackedHalfTensor | { readonly type: "float16"; readonly dims: readonly number[]; readonly data: Uint16Array } {
    const entry = this.entry(name);
    if (entry.dtype !== "F16") throw new InvalidTensorError(`tensor "${name}" in ${this.label} is ${entry.dtype}, not F16`, { tensor: name, file: this.label });
    if (this.fileBacked) return new FileBackedHalfTensor(entry.shape, this.source.filePiece!(this.header.dataStart + entry.begin, entry.end - entry.begin));
    return { type: "float16", dims: [...entry.shape], data: this.getRaw(name).data as Uint16Array };
  }

  metadata(): Readonly<Record<string, string>> {
    return { ...(this.header.metadata ?? {}) };
  }

  /** True when the header has a `__metadata__` entry at all (transformers needs `format` in it). */
  hasMetadata(): boolean {
    return this.header.metadata !== null;
  }

  close(): void {
    this.source.close();
  }

  private entry(name: string): SafetensorsEntry {
    const entry = this.header.entries.get(name);
    if (!entry) throw this.notFound(name);
    return entry;
  }
}
