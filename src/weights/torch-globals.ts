import { type Dtype, dtypeSize } from "./dtypes.js";
import { UnsafePickleError, UnsupportedWeightsError, WeightsFormatError, type WeightsErrorLocation } from "./errors.js";
import { isTuple, PickleCallable, PickleDict, pickleTypeName } from "./pickle-values.js";
import { TorchStorageRef, TorchTensorRef } from "./torch-tensor-ref.js";

/**
 * The allow-list of globals a PyTorch checkpoint may name, each mapped to a JS stand-in. It covers
 * what `torch.save(state_dict)` writes (the same set torch's own `weights_only=True` loader allows,
 * minus quantized/sparse/subclass tensors). Everything else is refused by name.
 */

/** `torch.FloatStorage` & co: a marker carrying the storage's element type. */
export class TorchStorageType extends PickleCallable {
  constructor(
    qualifiedName: string,
    readonly dtype: Dtype,
    readonly untyped = false,
  ) {
    super(qualifiedName);
  }
}

/** `torch.float32` & co (used by `_rebuild_tensor_v3`). */
export class TorchDtype extends PickleCallable {
  constructor(
    qualifiedName: string,
    readonly dtype: Dtype,
  ) {
    super(qualifiedName);
  }
}

const STORAGE_TYPES: Record<string, Dtype> = {
  FloatStorage: "F32",
  DoubleStorage: "F64",
  HalfStorage: "F16",
  BFloat16Storage: "BF16",
  LongStorage: "I64",
  IntStorage: "I32",
  ShortStorage: "I16",
  CharStorage: "I8",
  ByteStorage: "U8",
  BoolStorage: "BOOL",
};

const TORCH_DTYPES: Record<string, Dtype> = {
  float32: "F32",
  float64: "F64",
  float16: "F16",
  bfloat16: "BF16",
  int64: "I64",
  int32: "I32",
  int16: "I16",
  int8: "I8",
  uint8: "U8",
  bool: "BOOL",
  uint16: "U16",
  uint32: "U32",
  uint64: "U64",
  float8_e4m3fn: "F8_E4M3",
  float8_e5m2: "F8_E5M2",
  float8_e8m0fnu: "F8_E8M0",
};

/** Safe torch globals we recognise but cannot turn into plain tensors. */
const UNSUPPORTED: Record<string, string> = {
  "torch._utils._rebuild_qtensor": "quantized tensors",
  "torch._utils._rebuild_sparse_tensor": "sparse tensors",
  "torch._utils._rebuild_sparse_csr_tensor": "sparse tensors",
  "torch._utils._rebuild_wrapper_subclass": "tensor subclasses",
  "torch._utils._rebuild_meta_tensor_no_storage": "meta tensors (no data)",
  "torch._utils._rebuild_device_tensor_from_numpy": "tensors pickled through numpy",
  "torch._utils._rebuild_device_tensor_from_cpu_tensor": "device tensors",
  "torch._utils._rebuild_xla_tensor": "XLA tensors",
  "torch._utils._rebuild_mtia_tensor": "MTIA tensors",
  "torch.ComplexFloatStorage": "complex tensors",
  "torch.ComplexDoubleStorage": "complex tensors",
  "torch.QInt8Storage": "quantized tensors",
  "torch.QUInt8Storage": "quantized tensors",
  "torch.QInt32Storage": "quantized tensors",
  "torch.QUInt4x2Storage": "quantized tensors",
  "torch.QUInt2x4Storage": "quantized tensors",
  "torch.complex64": "complex tensors",
  "torch.complex128": "complex tensors",
};

const PYTHON2_MODULES: Record<string, string> = { __builtin__: "builtins", copy_reg: "copyreg" };

/** Builds the `findGlobal` hook for one checkpoint (errors name its file). */
export function torchGlobalResolver(label: string, where: WeightsErrorLocation): (module: string, name: string) => PickleCallable {
  const table = allowedGlobals(label, where);
  return (writtenModule, name) => {
    // Protocol-2 pickles from Python 3 spell some modules the Python 2 way (fix_imports).
    const module = PYTHON2_MODULES[writtenModule] ?? writtenModule;
    const qualified = `${module}.${name}`;
    const found = table.get(qualified);
    if (found) return found;
    if (UNSUPPORTED[qualified]) {
      throw new UnsupportedWeightsError(`${label}: the checkpoint holds ${UNSUPPORTED[qualified]} (${qualified}), which audioclass does not load; save plain dense tensors instead`, where);
    }
    throw new UnsafePickleError(
      `${label}: refusing to load: the pickle references the global "${qualified}", which is not one of the tensor-rebuild globals a PyTorch state dict needs. ` +
        `Nothing was executed. If you trust this file, convert it to model.safetensors in Python and load that instead.`,
      qualified,
      where,
    );
  };
}

function allowedGlobals(label: string, where: WeightsErrorLocation): Map<string, PickleCallable> {
  const fail: (message: string) => never = (message) => {
    throw new WeightsFormatError(`${label}: ${message}`, where);
  };
  const table = new Map<string, PickleCallable>();
  const add = (callable: PickleCallable) => table.set(callable.qualifiedName, callable);

  for (const [name, dtype] of Object.entries(STORAGE_TYPES)) {
    add(new TorchStorageType(`torch.${name}`, dtype));
    // Pre-1.0 GPU checkpoints name the CUDA classes; the bytes are the same.
    add(new TorchStorageType(`torch.cuda.${name}`, dtype));
  }
  add(new TorchStorageType("torch.UntypedStorage", "U8", true));
  add(new TorchStorageType("torch.storage.UntypedStorage", "U8", true));
  for (const [name, dtype] of Object.entries(TORCH_DTYPES)) add(new TorchDtype(`torch.${name}`, dtype));

  const rebuild = (storage: unknown, offset: unknown, size: unknown, stride: unknown, requiresGrad: unknown, dtype?: unknown): TorchTensorRef => {
    if (!(storage instanceof TorchStorageRef)) fail(`a tensor's storage is a ${pickleTypeName(storage)}, not a persistent storage reference`);
    const ref = storage;
    let tensorDtype = ref.dtype;
    if (dtype !== undefined) {
      if (!(dtype instanceof TorchDtype)) fail(`_rebuild_tensor_v3 got ${pickleTypeName(dtype)} where a torch dtype belongs`);
      tensorDtype = dtype.dtype;
    }
    const dims = intTuple(size, "size", fail);
    const strides = intTuple(stride, "stride", fail);
    const start = nonNegativeInt(offset, "storage offset", fail);
    if (strides.length !== dims.length) fail(`a tensor has ${dims.length} dims but ${strides.length} strides`);
    checkBounds(ref, tensorDtype, start, dims, strides, fail);
    return new TorchTensorRef(ref, tensorDtype, start, dims, strides, requiresGrad === true);
  };
  const argsOf = (qualified: string, args: readonly unknown[], min: number, max: number): readonly unknown[] => {
    if (args.length < min || args.length > max) fail(`${qualified} expects ${min === max ? min : `${min}–${max}`} arguments, got ${args.length}`);
    return args;
  };

  add(new PickleCallable("torch._utils._rebuild_tensor", (args) => {
    const [storage, offset, size, stride] = argsOf("_rebuild_tensor", args, 4, 4);
    return rebuild(storage, offset, size, stride, false);
  }));
  add(new PickleCallable("torch._utils._rebuild_tensor_v2", (args) => {
    const [storage, offset, size, stride, requiresGrad] = argsOf("_rebuild_tensor_v2", args, 6, 7);
    return rebuild(storage, offset, size, stride, requiresGrad);
  }));
  add(new PickleCallable("torch._utils._rebuild_tensor_v3", (args) => {
    const [storage, offset, size, stride, requiresGrad, , dtype] = argsOf("_rebuild_tensor_v3", args, 7, 8);
    return rebuild(storage, offset, size, stride, requiresGrad, dtype);
  }));
  const parameter = (qualified: string, min: number, max: number) =>
    new PickleCallable(`torch._utils.${qualified}`, (args) => {
      const [data] = argsOf(qualified, args, min, max);
      if (!(data instanceof TorchTensorRef)) fail(`${qualified} wraps a ${pickleTypeName(data)}, not a tensor`);
      (data as TorchTensorRef).isParameter = true;
      return data;
    });
  add(parameter("_rebuild_parameter", 3, 3));
  add(parameter("_rebuild_parameter_with_state", 4, 4));

  // Tensor / Parameter classes only appear as the `new_type` of _rebuild_from_type_v2.
  const tensorClasses = new Set(["torch.Tensor", "torch._tensor.Tensor", "torch.nn.parameter.Parameter"]);
  for (const name of tensorClasses) add(new PickleCallable(name));
  add(new PickleCallable("torch._tensor._rebuild_from_type_v2", (args) => {
    const [func, newType, innerArgs] = argsOf("_rebuild_from_type_v2", args, 4, 4);
    if (!(newType instanceof PickleCallable) || !tensorClasses.has(newType.qualifiedName)) {
      throw new UnsupportedWeightsError(`${label}: a tensor of class ${pickleTypeName(newType)} (a torch.Tensor subclass) cannot be loaded; save plain tensors`, where);
    }
    if (!(func instanceof PickleCallable) || !func.callable || !func.qualifiedName.startsWith("torch._utils._rebuild_")) {
      throw new UnsafePickleError(`${label}: refusing _rebuild_from_type_v2 with ${pickleTypeName(func)} as its rebuild function`, pickleTypeName(func), where);
    }
    if (!isTuple(innerArgs)) fail("_rebuild_from_type_v2 arguments must be a tuple");
    return func.call(innerArgs as readonly unknown[]);
  }));

  const orderedDict = () => new PickleDict("collections.OrderedDict");
  add(new PickleCallable("collections.OrderedDict", (args) => {
    const dict = orderedDict();
    const [items] = argsOf("OrderedDict", args, 0, 1);
    if (items === undefined) return dict;
    if (items instanceof PickleDict) {
      for (const [k, v] of items) dict.set(k, v);
      return dict;
    }
    if (!Array.isArray(items)) fail(`OrderedDict(${pickleTypeName(items)}) is not supported`);
    for (const pair of items as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2) fail("OrderedDict items must be (key, value) pairs");
      dict.set((pair as unknown[])[0], (pair as unknown[])[1]);
    }
    return dict;
  }, () => orderedDict()));
  add(new PickleCallable("torch.Size", (args) => {
    const [dims] = argsOf("torch.Size", args, 0, 1);
    return Object.freeze(dims === undefined ? [] : intTuple(dims, "torch.Size", fail));
  }));
  add(new PickleCallable("torch.device", (args) => {
    const [type, index] = argsOf("torch.device", args, 1, 2);
    if (typeof type !== "string") fail("torch.device needs a device string");
    return index === undefined || index === null ? type : `${type}:${String(index)}`;
  }));
  // Protocol 2 pickles `bytes` as _codecs.encode(text, "latin1").
  add(new PickleCallable("_codecs.encode", (args) => {
    const [text, encoding] = argsOf("_codecs.encode", args, 1, 2);
    if (typeof text !== "string") fail("_codecs.encode needs a string");
    const codec = typeof encoding === "string" ? encoding.toLowerCase().replace(/[-_]/g, "") : "utf8";
    if (codec === "utf8") return new TextEncoder().encode(text as string);
    if (codec !== "latin1" && codec !== "iso88591") fail(`_codecs.encode with encoding ${String(encoding)} is not supported`);
    const out = new Uint8Array((text as string).length);
    for (let i = 0; i < out.length; i++) {
      const c = (text as string).charCodeAt(i);
      if (c > 0xff) fail("_codecs.encode latin1 text has a character above U+00FF");
      out[i] = c;
    }
    return out;
  }));
  return table;
}

function nonNegativeInt(value: unknown, what: string, fail: (message: string) => never): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) fail(`a tensor's ${what} is ${String(value)}, not a non-negative integer`);
  return value as number;
}

function intTuple(value: unknown, what: string, fail: (message: string) => never): number[] {
  if (!Array.isArray(value)) fail(`a tensor's ${what} is a ${pickleTypeName(value)}, not a tuple`);
  return (value as unknown[]).map((v) => nonNegativeInt(v, what, fail));
}

/** The strided view must stay inside its storage, or materialising it would read foreign bytes. */
function checkBounds(storage: TorchStorageRef, dtype: Dtype, offset: number, size: number[], stride: number[], fail: (message: string) => never): void {
  let numel = 1;
  let last = offset;
  for (let i = 0; i < size.length; i++) {
    numel *= size[i];
    if (size[i] > 0) last += (size[i] - 1) * stride[i];
  }
  if (numel === 0) return;
  const elementSize = dtypeSize(dtype);
  if (!Number.isSafeInteger(last) || (last + 1) * elementSize > storage.byteLength) {
    fail(`a tensor of size [${size.join(", ")}] with strides [${stride.join(", ")}] at offset ${offset} reaches element ${last} of a storage holding ${Math.floor(storage.byteLength / elementSize)}; the checkpoint is corrupt`);
  }
}
