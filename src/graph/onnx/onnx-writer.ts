import type { Attribute } from "../attributes.js";
import { isUnknownDim } from "../dim.js";
import { DTYPE_BYTES, type FileIdentity, type FileRange, type GraphTensor, ONNX_DATA_TYPE, fileRangeOf, tensorByteLength } from "../dtype.js";
import { OnnxEncodeError } from "../errors.js";
import type { GraphModel, ValueId, ValueInfo } from "../ir.js";
import { ProtoWriter } from "../../util/protobuf-writer.js";
import { AttributeField, AttributeTypeCode, DimensionField, GraphField, IR_VERSION, ModelField, NodeField, OpsetField, StringEntryField, TensorField, TensorShapeField, TypeField, TypeTensorField, ValueInfoField } from "./onnx-fields.js";

export const PRODUCER_NAME = "audioclass";
export const PRODUCER_VERSION = "0.1.0";

/** Protobuf messages, and hence ONNX models without external data, must stay below 2 GiB. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;

export interface OnnxWriteOptions {
  /**
   * Total initializer bytes above which large tensors move to external data. Defaults to
   * 2,000,000,000, leaving headroom below protobuf's 2 GiB for the graph itself.
   */
  readonly maxInlineBytes?: number;
  /** In external mode, tensors smaller than this stay inline (default 1024 bytes). */
  readonly externalMinBytes?: number;
  /**
   * In external mode, file-backed initializers (see fileRangeOf) this accepts are referenced where
   * they lie in their file, so their bytes are never read here. Everything else then goes inline,
   * since onnxruntime cannot combine file references with in-memory external data; so references
   * are only used when that rest is smaller than what they cover (inlining it copies it twice,
   * while handing all weights over from memory would copy the referenced ones once more). Only
   * files in one folder (the one holding the most accepted bytes) are referenced. Default: no file
   * references.
   */
  readonly referenceFile?: (value: ValueInfo) => boolean;
}

/** Initializers left in their files: the folder their `location`s are relative to, and the files. */
export interface FileReferences {
  readonly folder: string;
  readonly files: readonly { readonly path: string; readonly identity: FileIdentity }[];
  /** Initializer bytes referenced in place. */
  readonly bytes: number;
}

/** One in-memory external data "file", in the form onnxruntime's `externalData` option takes. */
export interface ExternalDataFile {
  readonly path: string;
  readonly data: Uint8Array;
}

export interface SerializedModel {
  readonly bytes: Uint8Array;
  /** Empty unless the initializers exceeded maxInlineBytes (and always empty with fileReferences). */
  readonly externalData: readonly ExternalDataFile[];
  /** Set when initializers reference their checkpoint files in place (OnnxWriteOptions.referenceFile). */
  readonly fileReferences?: FileReferences;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A tensor's elements as little-endian bytes: a view on the tensor's own memory on LE hosts. */
export function tensorBytes(tensor: GraphTensor): Uint8Array {
  const data = tensor.data;
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndianHost || data.BYTES_PER_ELEMENT === 1) return view;
  const swapped = new Uint8Array(view.length);
  const width = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < view.length; i += width) for (let j = 0; j < width; j++) swapped[i + j] = view[i + width - 1 - j]!;
  return swapped;
}

function writeTensor(t: GraphTensor, name: string, external?: { path: string; offset: number; length: number }): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(TensorField.dims, t.dims);
  w.int(TensorField.dataType, ONNX_DATA_TYPE[t.type]);
  if (name !== "") w.string(TensorField.name, name);
  if (external === undefined) {
    w.bytes(TensorField.rawData, tensorBytes(t));
    return w;
  }
  for (const [key, value] of [["location", external.path], ["offset", String(external.offset)], ["length", String(external.length)]]) {
    const entry = new ProtoWriter();
    entry.string(StringEntryField.key, key!);
    entry.string(StringEntryField.value, value!);
    w.message(TensorField.externalData, entry);
  }
  w.int(TensorField.dataLocation, 1);
  return w;
}

function writeAttribute(name: string, a: Attribute): ProtoWriter {
  const w = new ProtoWriter();
  w.string(AttributeField.name, name);
  w.int(AttributeField.type, AttributeTypeCode[a.type]);
  switch (a.type) {
    case "int": w.int(AttributeField.i, a.value); break;
    case "float": w.float(AttributeField.f, a.value); break;
    case "string": w.string(AttributeField.s, a.value); break;
    case "ints": w.packedInts(AttributeField.ints, a.value); break;
    case "floats": w.packedFloats(AttributeField.floats, a.value); break;
    case "tensor": w.message(AttributeField.t, writeTensor(a.value, "")); break;
  }
  return w;
}

function writeValueInfo(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === "number") dim.int(DimensionField.dimValue, d);
    else if (!isUnknownDim(d)) dim.string(DimensionField.dimParam, d);
    shape.message(TensorShapeField.dim, dim);
  }
  const tensorType = new ProtoWriter();
  tensorType.int(TypeTensorField.elemType, ONNX_DATA_TYPE[v.dtype]);
  tensorType.message(TypeTensorField.shape, shape);
  const type = new ProtoWriter();
  type.message(TypeField.tensorType, tensorType);
  const w = new ProtoWriter();
  w.string(ValueInfoField.name, v.name);
  w.message(ValueInfoField.type, type);
  return w;
}

/** Safe, distinct external file name for the tensor at position `index`. */
function externalPath(index: number, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 80);
  return `${String(index).padStart(5, "0")}_${safe}.bin`;
}

/** The folder part of an absolute path (no node:path: the writer also runs in browsers). */
function folderOf(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")));
}

/** Most initializer bytes inlined next to file references (the graph itself needs headroom below 2 GiB). */
const MAX_INLINE_WITH_REFERENCES = 2_000_000_000;

/**
 * The file-backed initializers to reference in place: accepted by `referenceFile`, aligned for
 * their element type, in the folder of the first one; none when the rest outweighs them.
 */
function chooseFileReferences(model: GraphModel, total: number, externalMin: number, accept: (value: ValueInfo) => boolean) {
  const candidates: [ValueId, FileRange][] = [];
  const bytesPerFolder = new Map<string, number>();
  for (const [id, tensor] of model.initializers) {
    const range = fileRangeOf(tensor);
    if (range === undefined || range.length < externalMin || range.offset % DTYPE_BYTES[tensor.type] !== 0 || !accept(model.values[id]!)) continue;
    candidates.push([id, range]);
    bytesPerFolder.set(folderOf(range.path), (bytesPerFolder.get(folderOf(range.path)) ?? 0) + range.length);
  }
  // ORT resolves every location against one folder: take the one holding the most weight bytes.
  let folder: string | undefined;
  for (const [f, n] of bytesPerFolder) if (folder === undefined || n > bytesPerFolder.get(folder)!) folder = f;
  const ranges = new Map<ValueId, FileRange>();
  const files = new Map<string, FileIdentity>();
  let bytes = 0;
  for (const [id, range] of candidates) {
    if (folderOf(range.path) !== folder) continue;
    ranges.set(id, range);
    if (!files.has(range.path)) files.set(range.path, range.identity);
    bytes += range.length;
  }
  const rest = total - bytes;
  if (folder === undefined || rest > bytes || rest > MAX_INLINE_WITH_REFERENCES) return undefined;
  const references: FileReferences = { folder, files: [...files].map(([path, identity]) => ({ path, identity })), bytes };
  return { ranges, references };
}

/**
 * Serialises a built graph to ONNX ModelProto bytes. When the initializers exceed
 * `maxInlineBytes`, large tensors are emitted as external data whose bytes are views on the
 * tensors themselves (no copy); pass them to onnxruntime's `externalData` session option. With
 * `referenceFile`, file-backed tensors can instead point into their checkpoint file.
 */
export function serializeModel(model: GraphModel, options: OnnxWriteOptions = {}): SerializedModel {
  const maxInline = options.maxInlineBytes ?? 2_000_000_000;
  const externalMin = options.externalMinBytes ?? 1024;
  let total = 0;
  for (const t of model.initializers.values()) total += tensorByteLength(t);
  const externalMode = total > maxInline;
  const inPlace = externalMode && options.referenceFile ? chooseFileReferences(model, total, externalMin, options.referenceFile) : undefined;

  const graph = new ProtoWriter(1024);
  const externalData: ExternalDataFile[] = [];
  for (const node of model.nodes) {
    const n = new ProtoWriter(128);
    const inputs = [...node.inputs];
    while (inputs.length > 0 && inputs[inputs.length - 1] === null) inputs.pop();
    for (const id of inputs) n.string(NodeField.input, id === null ? "" : model.values[id]!.name);
    for (const id of node.outputs) n.string(NodeField.output, model.values[id]!.name);
    n.string(NodeField.name, node.name);
    n.string(NodeField.opType, node.opType);
    if (node.domain !== "") n.string(NodeField.domain, node.domain);
    for (const [key, a] of Object.entries(node.attributes)) n.message(NodeField.attribute, writeAttribute(key, a));
    graph.message(GraphField.node, n);
  }
  graph.string(GraphField.name, model.name);
  for (const [id, tensor] of model.initializers) {
    const name = model.values[id]!.name;
    const range = inPlace?.ranges.get(id);
    if (range !== undefined) {
      const location = range.path.slice(inPlace!.references.folder.length + 1);
      graph.message(GraphField.initializer, writeTensor(tensor, name, { path: location, offset: range.offset, length: range.length }));
      continue;
    }
    if (externalMode && inPlace === undefined && tensorByteLength(tensor) >= externalMin) {
      const bytes = tensorBytes(tensor);
      const path = externalPath(externalData.length, name);
      externalData.push({ path, data: bytes });
      graph.message(GraphField.initializer, writeTensor(tensor, name, { path, offset: 0, length: bytes.byteLength }));
    } else {
      graph.message(GraphField.initializer, writeTensor(tensor, name));
    }
  }
  if (model.docString) graph.string(GraphField.docString, model.docString);
  for (const id of model.inputs) graph.message(GraphField.input, writeValueInfo(model.values[id]!));
  for (const id of model.outputs) graph.message(GraphField.output, writeValueInfo(model.values[id]!));

  const m = new ProtoWriter(256);
  m.int(ModelField.irVersion, IR_VERSION);
  m.string(ModelField.producerName, PRODUCER_NAME);
  m.string(ModelField.producerVersion, PRODUCER_VERSION);
  m.message(ModelField.graph, graph);
  for (const opset of model.opsetImports) {
    const o = new ProtoWriter(32);
    if (opset.domain !== "") o.string(OpsetField.domain, opset.domain);
    o.int(OpsetField.version, opset.version);
    m.message(ModelField.opsetImport, o);
  }
  for (const [key, value] of Object.entries(model.metadata)) {
    const entry = new ProtoWriter();
    entry.string(StringEntryField.key, key);
    entry.string(StringEntryField.value, value);
    m.message(ModelField.metadataProps, entry);
  }
  if (m.length > PROTOBUF_LIMIT) {
    throw new OnnxEncodeError(
      `model "${model.name}" encodes to ${m.length} bytes, over protobuf's 2 GiB limit; lower maxInlineBytes (now ${maxInline}) so more weights go to external data`,
    );
  }
  return { bytes: m.finish(), externalData, ...(inPlace ? { fileReferences: inPlace.references } : {}) };
}

/**
 * Serialises a built graph to one self-contained ONNX buffer. Throws OnnxEncodeError when the
 * weights are too large for a single protobuf (use serializeModel, whose external data
 * createSession passes to onnxruntime automatically).
 */
export function encodeOnnx(model: GraphModel, options: OnnxWriteOptions = {}): Uint8Array {
  const serialized = serializeModel(model, { ...options, referenceFile: undefined });
  if (serialized.externalData.length > 0) {
    throw new OnnxEncodeError(
      `model "${model.name}" needs external data (${serialized.externalData.length} tensors beyond ${options.maxInlineBytes ?? 2_000_000_000} inline bytes); use serializeModel() or createSession(model), which pass it to onnxruntime`,
    );
  }
  return serialized.bytes;
}
