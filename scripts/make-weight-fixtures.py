#!/usr/bin/env python3
"""Generates the small checkpoint fixtures in test/fixtures/weights/ with the Python standard
library only (no torch, no numpy, no safetensors package).

The PyTorch files imitate torch.save byte for byte where it matters: a fake `torch` package is
registered in sys.modules so that Python's own pickler writes the same GLOBAL opcodes torch does
(`torch._utils._rebuild_tensor_v2`, `torch.FloatStorage`, `collections.OrderedDict`, ...), the
persistent ids are torch's `('storage', StorageType, key, location, numel)` tuples, and the zip
layout follows caffe2's PyTorchStreamWriter (records under `<archive>/`, data aligned to 64 bytes
with an "FB" extra field, zip64 end records). The legacy (pre-1.6) format follows
torch/serialization.py `_legacy_save`. Safetensors files follow the Rust crate's `prepare`
(descending dtype alignment, then name; header padded with spaces to a multiple of 8).

Usage:
    python3 scripts/make-weight-fixtures.py              # rewrite test/fixtures/weights/
    python3 scripts/make-weight-fixtures.py --convert-safetensors IN.safetensors OUT.bin
        # writes OUT.bin as torch.save(state_dict) of the tensors in IN (used by bench/weights.ts)
"""
import collections
import json
import math
import os
import pickle
import random
import struct
import sys
import types
import zipfile
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "test", "fixtures", "weights")

# --------------------------------------------------------------------------------------------
# dtypes

DTYPES = {
    # name: (struct code, size, safetensors rank, torch storage class, torch dtype name)
    "BOOL": ("?", 1, 0, "BoolStorage", "bool"),
    "U8": ("B", 1, 4, "ByteStorage", "uint8"),
    "I8": ("b", 1, 5, "CharStorage", "int8"),
    "I16": ("h", 2, 9, "ShortStorage", "int16"),
    "F16": ("H", 2, 11, "HalfStorage", "float16"),  # packed as raw bit patterns
    "BF16": ("H", 2, 12, "BFloat16Storage", "bfloat16"),  # raw bit patterns
    "I32": ("i", 4, 13, "IntStorage", "int32"),
    "F32": ("f", 4, 15, "FloatStorage", "float32"),
    "F64": ("d", 8, 17, "DoubleStorage", "float64"),
    "I64": ("q", 8, 18, "LongStorage", "int64"),
}


def pack(dtype, values, endian="<"):
    code, _, _, _, _ = DTYPES[dtype]
    return struct.pack(endian + code * len(values), *values)


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def f16_bits(x):
    return struct.unpack("<H", struct.pack("<e", x))[0]


def bf16_bits(x):
    return f32_bits(x) >> 16  # truncation: the fixture only needs some valid bf16 patterns


class Tensor:
    """A dense row-major tensor: dtype, shape and flat values (floats as f16/bf16 bit patterns)."""

    def __init__(self, dtype, shape, values):
        assert len(values) == numel(shape), (dtype, shape, len(values))
        self.dtype, self.shape, self.values = dtype, list(shape), list(values)

    def data(self, endian="<"):
        return pack(self.dtype, self.values, endian)


# --------------------------------------------------------------------------------------------
# safetensors writer (Rust `prepare` rules)


def safetensors_bytes(tensors, metadata=None):
    metadata = {"format": "pt"} if metadata is None else metadata
    names = sorted(tensors, key=lambda n: (-DTYPES[tensors[n].dtype][2], n.encode("utf-8")))
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name in names:
        blob = tensors[name].data()
        header[name] = {"dtype": tensors[name].dtype, "shape": tensors[name].shape, "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    header.pop("__metadata__", None)
    out = collections.OrderedDict()
    for name in sorted(header, key=lambda k: header[k]["data_offsets"][0]):
        info = header[name]
        b, e = info["data_offsets"]
        out[name] = (info["dtype"], info["shape"], raw[8 + n + b : 8 + n + e])
    return out


# --------------------------------------------------------------------------------------------
# a fake `torch` package, so pickle writes the globals torch writes


def make_fake_torch():
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")
    tensor_mod = types.ModuleType("torch._tensor")
    nn = types.ModuleType("torch.nn")
    parameter_mod = types.ModuleType("torch.nn.parameter")
    torch._utils, torch._tensor, torch.nn, nn.parameter = utils, tensor_mod, nn, parameter_mod

    def define(module, name, fn):
        fn.__module__, fn.__qualname__, fn.__name__ = module.__name__, name, name
        setattr(module, name, fn)
        return fn

    for name in ["_rebuild_tensor_v2", "_rebuild_tensor_v3", "_rebuild_parameter", "_rebuild_parameter_with_state"]:
        define(utils, name, lambda *args: None)
    define(tensor_mod, "_rebuild_from_type_v2", lambda *args: None)

    for dtype, (_, _, _, storage_name, _) in DTYPES.items():
        cls = type(storage_name, (), {"__module__": "torch"})
        cls.dtype_name = dtype
        setattr(torch, storage_name, cls)
    torch.UntypedStorage = type("UntypedStorage", (), {"__module__": "torch"})
    torch.Tensor = type("Tensor", (), {"__module__": "torch"})
    parameter_mod.Parameter = type("Parameter", (), {"__module__": "torch.nn.parameter"})

    class dtype_cls:
        __module__ = "torch"

        def __init__(self, name):
            self.name = name

        def __reduce__(self):
            return self.name  # torch.dtype pickles as the global torch.<name>

    for dtype, (_, _, _, _, torch_name) in DTYPES.items():
        setattr(torch, torch_name, dtype_cls(torch_name))

    for name, module in [("torch", torch), ("torch._utils", utils), ("torch._tensor", tensor_mod), ("torch.nn", nn), ("torch.nn.parameter", parameter_mod)]:
        sys.modules[name] = module
    return torch


torch = make_fake_torch()


class Storage:
    """A storage: typed (dtype set) or untyped (raw bytes, used by _rebuild_tensor_v3)."""

    def __init__(self, dtype, values, untyped=False):
        self.dtype, self.values, self.untyped = dtype, list(values), untyped

    def numel(self):
        return len(self.data()) if self.untyped else len(self.values)

    def storage_type(self):
        return torch.UntypedStorage if self.untyped else getattr(torch, DTYPES[self.dtype][3])

    def data(self, endian="<"):
        return pack(self.dtype, self.values, endian)


class TensorView:
    """What torch.Tensor.__reduce_ex__ emits: a strided view of a storage."""

    def __init__(self, storage, offset, size, stride, style="v2", parameter=False):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)
        self.style, self.parameter = style, parameter

    def materialize(self):
        """The dense row-major values of this view (what the reader must produce)."""
        out = []

        def walk(dim, base):
            if dim == len(self.size):
                out.append(self.storage.values[base])
                return
            for i in range(self.size[dim]):
                walk(dim + 1, base + i * self.stride[dim])

        if numel(self.size) > 0:
            walk(0, self.offset)
        return Tensor(self.storage.dtype, list(self.size), out)

    def __reduce_ex__(self, protocol):
        hooks = collections.OrderedDict()
        if self.style == "v3":
            args = (self.storage, self.offset, self.size, self.stride, False, hooks, getattr(torch, DTYPES[self.storage.dtype][4]))
            reduced = (torch._utils._rebuild_tensor_v3, args)
        else:
            reduced = (torch._utils._rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False, hooks))
        if self.style == "from_type":
            reduced = (torch._tensor._rebuild_from_type_v2, (reduced[0], torch.Tensor, reduced[1], {"note": "python attribute"}))
        if self.parameter:
            return (torch._utils._rebuild_parameter, (TensorView(self.storage, self.offset, self.size, self.stride, self.style), True, collections.OrderedDict()))
        return reduced


def pickle_state_dict(obj, protocol, persistent_id):
    import io

    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=protocol)
    pickler.persistent_id = persistent_id
    pickler.dump(obj)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# torch.save zip format (caffe2 PyTorchStreamWriter layout)


def zip_bytes(archive, records):
    """Stored records under `archive/`, each data start aligned to 64 bytes, zip64 end records."""
    out = bytearray()
    central = []
    for name, data in records:
        full = f"{archive}/{name}".encode()
        offset = len(out)
        start = offset + 30 + len(full) + 4
        pad = (64 - start % 64) % 64
        extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
        crc = zlib.crc32(data)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, crc, len(data), len(data), len(full), len(extra))
        out += full + extra + data
        central.append((full, crc, len(data), offset))
    cd_offset = len(out)
    for full, crc, size, offset in central:
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0, 0, 0, 0x21, crc, size, size, len(full), 0, 0, 0, 0, 0, offset)
        out += full
    cd_size = len(out) - cd_offset
    n = len(central)
    z64 = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x031E, 45, 0, 0, n, n, cd_size, cd_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, z64, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, cd_size, cd_offset, 0)
    return bytes(out)


def torch_save_zip(obj, archive="archive", protocol=2, byteorder="little", deflate=False):
    storages = collections.OrderedDict()

    def persistent_id(o):
        if isinstance(o, Storage):
            key = storages.setdefault(id(o), (str(len(storages)), o))[0]
            return ("storage", o.storage_type(), key, "cpu", o.numel())
        return None

    data_pkl = pickle_state_dict(obj, protocol, persistent_id)
    endian = ">" if byteorder == "big" else "<"
    records = [("data.pkl", data_pkl)]
    if byteorder is not None:
        records.append(("byteorder", byteorder.encode()))
    for key, storage in sorted(storages.values(), key=lambda kv: kv[0]):
        records.append((f"data/{key}", storage.data(endian)))
    records.append(("version", b"3\n"))
    records.append((".data/serialization_id", b"0123456789012345678901234567890123456789"))
    if not deflate:
        return zip_bytes(archive, records)
    # A zip written by Python's zipfile to a non-seekable stream: deflate + data descriptors.
    import io

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.buf = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.buf += b
            return len(b)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in records:
            info = zipfile.ZipInfo(f"{archive}/{name}", date_time=(1980, 1, 1, 0, 0, 0))  # reproducible bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return bytes(sink.buf)


# --------------------------------------------------------------------------------------------
# legacy (pre-1.6) format, torch/serialization.py _legacy_save

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C


def torch_save_legacy(obj, protocol=2):
    import io

    f = io.BytesIO()
    storages = {}

    def persistent_id(o):
        if isinstance(o, Storage):
            key = str(140000000000 + 7919 * (len(storages) + 1)) if id(o) not in storages else storages[id(o)][0]
            storages.setdefault(id(o), (key, o))
            return ("storage", o.storage_type(), key, "cpu", o.numel(), None)
        return None

    sys_info = dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=8))
    pickle.dump(MAGIC_NUMBER, f, protocol=protocol)
    pickle.dump(1001, f, protocol=protocol)
    pickle.dump(sys_info, f, protocol=protocol)
    pickler = pickle.Pickler(f, protocol=protocol)
    pickler.persistent_id = persistent_id
    pickler.dump(obj)
    keys = sorted(key for key, _ in storages.values())
    pickle.dump(keys, f, protocol=protocol)
    by_key = {key: s for key, s in storages.values()}
    for key in keys:
        s = by_key[key]
        f.write(struct.pack("<q", s.numel()))
        f.write(s.data())
    return f.getvalue()


# --------------------------------------------------------------------------------------------
# fixture content


def random_f32(rng, n, scale=1.0):
    return [f32(rng.gauss(0.0, scale)) for _ in range(n)]


def build_views():
    """The state dict every .bin fixture holds: name → TensorView (several layouts on purpose)."""
    rng = random.Random(1234)
    views = collections.OrderedDict()
    matrix = Storage("F32", random_f32(rng, 12))
    views["f32.matrix"] = TensorView(matrix, 0, (3, 4), (4, 1))
    # Non-contiguous: the transpose of the same storage (shared storage, strides (1, 4)).
    views["f32.transposed"] = TensorView(matrix, 0, (4, 3), (1, 4))
    block = Storage("F32", random_f32(rng, 16))
    views["f32.block"] = TensorView(block, 0, (4, 4), (4, 1))
    # A 2×2 window at row 1, column 1: storage offset 5, strides (4, 1), not contiguous.
    views["f32.window"] = TensorView(block, 5, (2, 2), (4, 1))
    # A contiguous tail slice: storage offset 8.
    views["f32.tail"] = TensorView(block, 8, (8,), (1,))
    # Tied weights: two names, one storage, same view.
    tied = Storage("F32", random_f32(rng, 6))
    views["tied.input_embeddings"] = TensorView(tied, 0, (2, 3), (3, 1))
    views["tied.output_embeddings"] = TensorView(tied, 0, (2, 3), (3, 1))
    # expand(): stride 0 repeats a row.
    row = Storage("F32", random_f32(rng, 4))
    views["f32.expanded"] = TensorView(row, 0, (3, 4), (0, 1))
    # A 3-D permute (2, 0, 1) of a [3, 4, 2] tensor.
    cube = Storage("F32", random_f32(rng, 24))
    views["f32.permuted"] = TensorView(cube, 0, (2, 3, 4), (1, 8, 2))
    views["f32.scalar"] = TensorView(Storage("F32", [f32(3.25)]), 0, (), ())
    views["f32.empty"] = TensorView(Storage("F32", []), 0, (0, 3), (3, 1))
    special16 = [0.0, -0.0, 1.0, -2.5, 65504.0, float("inf"), float("-inf"), 2.0**-24, 2.0**-14 * 0.5]
    views["f16.values"] = TensorView(Storage("F16", [f16_bits(x) for x in special16] + [0x7E00, 0xFC01, 0x3555]), 0, (12,), (1,))
    views["bf16.values"] = TensorView(Storage("BF16", [bf16_bits(x) for x in [1.0, -3.140625, 1e-20, 3e38]] + [0x7FC0, 0xFF80]), 0, (2, 3), (3, 1))
    views["f64.values"] = TensorView(Storage("F64", [math.pi, -1e300, 1.0 / 3.0, 5e-324]), 0, (4,), (1,))
    views["i64.position_ids"] = TensorView(Storage("I64", list(range(6))), 0, (1, 6), (6, 1))
    views["i64.values"] = TensorView(Storage("I64", [-1, 2**40, -(2**53) + 1, 2**62 + 5]), 0, (4,), (1,))
    views["i32.values"] = TensorView(Storage("I32", [-(2**31), 7, 2**31 - 1]), 0, (3,), (1,))
    views["i16.values"] = TensorView(Storage("I16", [-32768, 12, 32767]), 0, (3,), (1,))
    views["i8.values"] = TensorView(Storage("I8", [-128, -1, 0, 127]), 0, (4,), (1,))
    views["u8.values"] = TensorView(Storage("U8", [0, 1, 128, 255]), 0, (2, 2), (2, 1))
    views["bool.mask"] = TensorView(Storage("BOOL", [True, False, True, True, False]), 0, (5,), (1,))
    return views


def restyle(views, styles):
    """A copy of the state dict where some tensors are pickled differently (Parameter, v3, subclass path)."""
    out = collections.OrderedDict()
    for name, v in views.items():
        style, parameter = styles.get(name, ("v2", False))
        storage = v.storage
        if style == "v3":
            storage = Storage(v.storage.dtype, v.storage.values, untyped=True)
        out[name] = TensorView(storage, v.offset, v.size, v.stride, style, parameter)
    # Re-share storages that were shared originally (untyped copies were made per view).
    originals = {}
    for name, v in views.items():
        originals.setdefault(id(v.storage), []).append(name)
    for names in originals.values():
        first = out[names[0]].storage
        for name in names[1:]:
            out[name].storage = first
    return out


def expected_json(tensors):
    """name -> {dtype, shape, bits}: floats as their IEEE bit patterns, integers as values (strings, exact)."""
    doc = {}
    for name, t in tensors.items():
        if t.dtype == "F32":
            raw = [f32_bits(v) for v in t.values]
        elif t.dtype == "F64":
            raw = [struct.unpack("<Q", struct.pack("<d", v))[0] for v in t.values]
        else:
            raw = [int(v) for v in t.values]  # F16/BF16 are stored as bit patterns already
        doc[name] = {"dtype": t.dtype, "shape": t.shape, "bits": [str(v) for v in raw]}
    return doc


class Evil:
    """What an attacker would pickle: calling os.system at load time."""

    def __init__(self, fn, arg):
        self.fn, self.arg = fn, arg

    def __reduce__(self):
        return (self.fn, (self.arg,))


def weight_norm_tensors():
    rng = random.Random(99)
    hidden, groups, kernel = 8, 2, 5
    v = random_f32(rng, hidden * (hidden // groups) * kernel)
    g = [f32(abs(rng.gauss(1.0, 0.3))) for _ in range(kernel)]
    # dim=2: one norm per kernel position, over dims 0 and 1.
    expected2 = [0.0] * len(v)
    for k in range(kernel):
        idx = [(i * (hidden // groups) + j) * kernel + k for i in range(hidden) for j in range(hidden // groups)]
        norm = math.sqrt(sum(v[p] * v[p] for p in idx))
        for p in idx:
            expected2[p] = f32(g[k] * v[p] / norm)
    # dim=0 (nn.utils.weight_norm's default): one norm per output channel.
    out_ch, in_ch, k0 = 4, 3, 2
    v0 = random_f32(rng, out_ch * in_ch * k0)
    g0 = [f32(abs(rng.gauss(1.0, 0.3))) for _ in range(out_ch)]
    expected0 = []
    for o in range(out_ch):
        chunk = v0[o * in_ch * k0 : (o + 1) * in_ch * k0]
        norm = math.sqrt(sum(x * x for x in chunk))
        expected0 += [f32(g0[o] * x / norm) for x in chunk]
    bias = random_f32(rng, hidden)
    return collections.OrderedDict(
        [
            ("wav2vec2.encoder.pos_conv_embed.conv.weight_g", Tensor("F32", [1, 1, kernel], g)),
            ("wav2vec2.encoder.pos_conv_embed.conv.weight_v", Tensor("F32", [hidden, hidden // groups, kernel], v)),
            ("wav2vec2.encoder.pos_conv_embed.conv.bias", Tensor("F32", [hidden], bias)),
            ("wav2vec2.other_conv.parametrizations.weight.original0", Tensor("F32", [out_ch, 1, 1], g0)),
            ("wav2vec2.other_conv.parametrizations.weight.original1", Tensor("F32", [out_ch, in_ch, k0], v0)),
            ("expected.pos_conv.weight", Tensor("F32", [hidden, hidden // groups, kernel], expected2)),
            ("expected.other_conv.weight", Tensor("F32", [out_ch, in_ch, k0], expected0)),
        ]
    )


def shard_plan(tensors, max_shard_size):
    """huggingface_hub.split_state_dict_into_shards_factory, for tensors without shared storage."""
    shards, current, current_size, total = [], collections.OrderedDict(), 0, 0
    for name, t in tensors.items():
        size = len(t.data())
        if size > max_shard_size:
            total += size
            shards.append(collections.OrderedDict([(name, t)]))
            continue
        if current_size + size > max_shard_size:
            shards.append(current)
            current, current_size = collections.OrderedDict(), 0
        current[name] = t
        current_size += size
        total += size
    if current:
        shards.append(current)
    return shards, total


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_index(path, total, weight_map):
    # transformers' save_pretrained: json.dumps(index, indent=2, sort_keys=True) + "\n"
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    write(path, (json.dumps(index, indent=2, sort_keys=True) + "\n").encode())


def as_views(tensors):
    return collections.OrderedDict((n, TensorView(Storage(t.dtype, t.values), 0, t.shape, contiguous_strides(t.shape))) for n, t in tensors.items())


def contiguous_strides(shape):
    strides, acc = [], 1
    for d in reversed(shape):
        strides.insert(0, acc)
        acc *= d
    return tuple(strides)


def main():
    views = build_views()
    dense = collections.OrderedDict((name, v.materialize()) for name, v in views.items())

    write(os.path.join(OUT, "tensors.safetensors"), safetensors_bytes(dense))
    with open(os.path.join(OUT, "tensors.json"), "w") as f:
        json.dump(expected_json(dense), f, indent=1, sort_keys=True)
        f.write("\n")

    write(os.path.join(OUT, "tensors.bin"), torch_save_zip(dict(views), archive="tensors"))
    styles = {
        "f32.matrix": ("v2", True),
        "f32.window": ("v3", False),
        "i64.values": ("v3", False),
        "f16.values": ("from_type", False),
        "tied.input_embeddings": ("v2", True),
    }
    state_dict = collections.OrderedDict(restyle(views, styles))
    state_dict._metadata = collections.OrderedDict([("", {"version": 1}), ("f32", {"version": 2})])
    write(os.path.join(OUT, "tensors-protocol4.bin"), torch_save_zip(state_dict, archive="archive", protocol=4, byteorder=None))
    write(os.path.join(OUT, "tensors-protocol5.bin"), torch_save_zip(dict(views), archive="pytorch_model", protocol=5))
    write(os.path.join(OUT, "tensors-big-endian.bin"), torch_save_zip(dict(views), archive="tensors-big-endian", byteorder="big"))
    write(os.path.join(OUT, "tensors-deflated.bin"), torch_save_zip(dict(views), archive="tensors-deflated", deflate=True))
    write(os.path.join(OUT, "tensors-legacy.bin"), torch_save_legacy(dict(views)))

    # Malicious checkpoints: valid containers whose pickle calls os.system / eval when unpickled.
    marker = "/tmp/audioclass-weights-pwned"
    evil_state = collections.OrderedDict([("weight", views["f32.matrix"]), ("payload", Evil(os.system, f"touch {marker}"))])
    write(os.path.join(OUT, "malicious-os-system.bin"), torch_save_zip(evil_state, archive="malicious-os-system"))
    evil_eval = {"weight": views["f32.matrix"], "payload": Evil(eval, f"__import__('os').system('touch {marker}')")}
    write(os.path.join(OUT, "malicious-eval-legacy.bin"), torch_save_legacy(evil_eval))

    write(os.path.join(OUT, "weight-norm.safetensors"), safetensors_bytes(weight_norm_tensors()))

    # Sharded checkpoints: the hub's greedy split over the sorted state dict.
    rng = random.Random(7)
    shard_tensors = collections.OrderedDict()
    for i in range(6):
        shard_tensors[f"encoder.layers.{i}.weight"] = Tensor("F32", [8, 8], random_f32(rng, 64))
        shard_tensors[f"encoder.layers.{i}.bias"] = Tensor("F32", [8], random_f32(rng, 8))
    shard_tensors["encoder.position_ids"] = Tensor("I64", [1, 10], list(range(10)))
    shard_tensors = collections.OrderedDict(sorted(shard_tensors.items()))
    shards, total = shard_plan(shard_tensors, 700)
    assert len(shards) == 3, len(shards)
    weight_map = {}
    for i, shard in enumerate(shards):
        name = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        write(os.path.join(OUT, "sharded-safetensors", name), safetensors_bytes(shard))
        weight_map.update({t: name for t in shard})
    write_index(os.path.join(OUT, "sharded-safetensors", "model.safetensors.index.json"), total, weight_map)

    bin_shards, bin_total = shard_plan(shard_tensors, 1000)
    assert len(bin_shards) == 2, len(bin_shards)
    weight_map = {}
    for i, shard in enumerate(bin_shards):
        name = f"pytorch_model-{i + 1:05d}-of-{len(bin_shards):05d}.bin"
        write(os.path.join(OUT, "sharded-bin", name), torch_save_zip(as_views(shard), archive=name[:-4]))
        weight_map.update({t: name for t in shard})
    write_index(os.path.join(OUT, "sharded-bin", "pytorch_model.bin.index.json"), bin_total, weight_map)

    # Sanity: Python's zipfile reads our torch archives and their CRCs check out.
    for name in ["tensors.bin", "tensors-protocol4.bin", "tensors-deflated.bin"]:
        with zipfile.ZipFile(os.path.join(OUT, name)) as zf:
            assert zf.testzip() is None, name
    total_size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print(f"wrote {OUT} ({total_size} bytes)")


def convert_safetensors(src, dst):
    """torch.save(state_dict) (zip format, protocol 2) of every tensor in a safetensors file."""
    views = collections.OrderedDict()
    for name, (dtype, shape, blob) in read_safetensors(src).items():
        storage = RawStorage(dtype, blob)
        views[name] = TensorView(storage, 0, tuple(shape), contiguous_strides(shape))
    with open(dst, "wb") as f:
        f.write(torch_save_zip(views, archive=os.path.splitext(os.path.basename(dst))[0]))


class RawStorage(Storage):
    """A storage whose bytes are already little-endian (no per-element packing)."""

    def __init__(self, dtype, blob):
        super().__init__(dtype, [])
        self.blob = blob

    def numel(self):
        return len(self.blob) // DTYPES[self.dtype][1]

    def data(self, endian="<"):
        assert endian == "<"
        return self.blob


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--convert-safetensors":
        convert_safetensors(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 1:
        main()
    else:
        sys.exit(__doc__)
