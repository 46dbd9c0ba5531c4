import { test } from "node:test";
import assert from "node:assert/strict";
import { PickleCallable, PickleDict, UnsafePickleError, UnsupportedWeightsError, unpickle, WeightsFormatError } from "../../src/weights/index.js";
import { torchGlobalResolver } from "../../src/weights/torch-globals.js";
import { binint, binunicode, pickleBytes } from "./pickle-builder.js";

const resolver = torchGlobalResolver("test.pkl", { file: "test.pkl" });
const load = (bytes: Uint8Array, persistentLoad?: (pid: unknown) => unknown) => unpickle(bytes, { label: "test.pkl", file: "test.pkl", findGlobal: resolver, persistentLoad }).value;
const le = (n: number, bytes: number) => Array.from({ length: bytes }, (_, i) => Number((BigInt(n) >> BigInt(8 * i)) & 0xffn));

test("protocol 0 text opcodes: INT, LONG, FLOAT, STRING, UNICODE, PUT/GET, LIST, DICT", () => {
  const list = load(pickleBytes("(lp0\nI1\naI01\naI00\naL12345678901234567890L\naF1.5\naS'a\\nb\\x41\\101'\naVh\\u00e9\\U0001f600\naNag0\na."));
  assert.ok(Array.isArray(list));
  const [one, yes, no, big, float, str, uni, none, self] = list as unknown[];
  assert.deepEqual([one, yes, no, big, float, str, uni, none], [1, true, false, 12345678901234567890n, 1.5, "a\nbAA", "hé😀", null]);
  assert.equal(self, list, "GET returns the memoised object itself");
  const dict = load(pickleBytes("(dp0\nS'k'\np1\nI5\nsg1\nL-3L\ns.")) as PickleDict;
  assert.ok(dict instanceof PickleDict);
  assert.deepEqual([...dict.entries()], [["k", -3]]);
  const tuple = load(pickleBytes("(I1\nI2\ntp0\n."));
  assert.deepEqual(tuple, [1, 2]);
  assert.ok(Object.isFrozen(tuple));
});

test("binary opcodes of protocols 1–5 produce the Python values", () => {
  const value = load(
    pickleBytes(
      [0x80, 4],
      [0x95], le(0, 8),
      "]", [0x94], // EMPTY_LIST, MEMOIZE → memo[0]
      "(",
      "J", le(-5 >>> 0, 4), // BININT -5
      "K", [200], "M", le(40000, 2),
      [0x8a, 2, 0x00, 0x80], // LONG1 -32768
      [0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1], // LONG1 2^64
      "G", [0x3f, 0xf8, 0, 0, 0, 0, 0, 0], // BINFLOAT 1.5 (big-endian)
      "U", [2], "hi", "T", le(3, 4), "abc",
      "C", [2, 1, 2], "B", le(1, 4), [9],
      [0x8e], le(1, 8), [7], [0x96], le(1, 8), [8],
      [0x8c, 3], "abc", [0x8d], le(2, 8), "xy",
      [0x88], [0x89], "N",
      ")", "K", [1], [0x85], "K", [1], "K", [2], [0x86], "K", [1], "K", [2], "K", [3], [0x87],
      [0x8f], "(K", [1], "K", [1], "K", [2], [0x90], // set {1, 2}
      "(K", [3], [0x91], // frozenset {3}
      "K", [4], "2", [0x85], // DUP then TUPLE1 → (4,) with a stray 4 below
      "e", // APPENDS to the list
      "h", [0], "r", le(1, 4), "j", le(1, 4), "0", // BINGET 0, LONG_BINPUT 1, LONG_BINGET 1, POP
      "0", "(K", [9], "1", // POP; MARK 9 POP_MARK
      ".",
    ),
  ) as unknown[];
  assert.deepEqual(value.slice(0, 11), [-5, 200, 40000, -32768, 2n ** 64n, 1.5, "hi", "abc", Uint8Array.of(1, 2), Uint8Array.of(9), Uint8Array.of(7)]);
  assert.deepEqual(value.slice(11, 17), [Uint8Array.of(8), "abc", "xy", true, false, null]);
  assert.deepEqual(value.slice(17, 21), [[], [1], [1, 2], [1, 2, 3]]);
  assert.deepEqual([...(value[21] as Set<number>)], [1, 2]);
  assert.deepEqual([...(value[22] as Set<number>)], [3]);
  assert.deepEqual(value.slice(23), [4, [4]]);
  assert.ok(!Object.isFrozen(value) && Object.isFrozen(value[18]));
});

test("allow-listed globals work through GLOBAL and STACK_GLOBAL (OrderedDict, BUILD state, _codecs)", () => {
  const od = load(pickleBytes([0x80, 2], "ccollections\nOrderedDict\n)R", "(", binunicode("a"), "K", [1], "u", "}", binunicode("_metadata"), "K", [7], "s", [0x62], ".")) as PickleDict;
  assert.equal(od.pythonType, "collections.OrderedDict");
  assert.deepEqual([...od], [["a", 1]]);
  assert.deepEqual([...od.attributes], [["_metadata", 7]]);
  const viaStack = load(pickleBytes([0x80, 4], [0x8c, 11], "collections", [0x8c, 11], "OrderedDict", [0x93], ")", [0x81], "."));
  assert.ok(viaStack instanceof PickleDict);
  const bytes = load(pickleBytes([0x80, 2], "c_codecs\nencode\n", binunicode("\u00ffA"), binunicode("latin1"), [0x86], "R."));
  assert.deepEqual(bytes, Uint8Array.of(0xff, 0x41));
  const size = load(pickleBytes([0x80, 2], "ctorch\nSize\n", "(K", [2], "K", [3], "t", [0x85], "R."));
  assert.deepEqual(size, [2, 3]);
});

test("dangerous globals are refused before anything could run", () => {
  const refused = (bytes: Uint8Array, name: string) =>
    assert.throws(() => load(bytes), (e: unknown) => {
      assert.ok(e instanceof UnsafePickleError, `${name}: ${String(e)}`);
      assert.equal((e as UnsafePickleError).refused, name);
      assert.match((e as Error).message, /^test\.pkl/);
      return true;
    }, name);
  refused(pickleBytes([0x80, 2], "cos\nsystem\n", binunicode("touch /tmp/x"), [0x85], "R."), "os.system");
  refused(pickleBytes([0x80, 2], "cposix\nsystem\n."), "posix.system");
  refused(pickleBytes([0x80, 2], "c__builtin__\neval\n."), "builtins.eval");
  refused(pickleBytes([0x80, 4], [0x8c, 8], "builtins", [0x8c, 4], "exec", [0x93], "."), "builtins.exec");
  refused(pickleBytes("(S'ls'\nisubprocess\nPopen\n."), "subprocess.Popen");
  refused(pickleBytes([0x80, 2], "ctorch\nload\n."), "torch.load");
  refused(pickleBytes([0x80, 2], "ctorch._utils\n_import_dotted_name\n."), "torch._utils._import_dotted_name");
  refused(pickleBytes([0x80, 2], "ccollections\ndefaultdict\n."), "collections.defaultdict");
  // Calling something that is allow-listed but not callable (a storage class, a dtype).
  refused(pickleBytes([0x80, 2], "ctorch\nFloatStorage\n)R."), "torch.FloatStorage");
  refused(pickleBytes([0x80, 2], "ctorch\nfloat32\n)R."), "torch.float32");
  // Instantiating a function, or calling a non-global.
  refused(pickleBytes([0x80, 2], "ctorch._utils\n_rebuild_tensor_v2\n)", [0x81], "."), "torch._utils._rebuild_tensor_v2");
  refused(pickleBytes([0x80, 2], binunicode("os.system"), ")R."), "str");
  // _rebuild_from_type_v2 may only re-dispatch to a tensor rebuild function.
  refused(pickleBytes([0x80, 2], "ctorch._tensor\n_rebuild_from_type_v2\n", "(ccollections\nOrderedDict\nctorch\nTensor\n)}t", "R."), "collections.OrderedDict");
  // The extension registry maps integers to arbitrary globals.
  refused(pickleBytes([0x80, 2], [0x82, 1], "."), "EXT opcode 0x82");
  assert.throws(() => load(pickleBytes([0x80, 2], "ctorch._tensor\n_rebuild_from_type_v2\n", "(ctorch._utils\n_rebuild_tensor_v2\nccollections\nOrderedDict\n)}t", "R.")), UnsupportedWeightsError);
  assert.throws(() => load(pickleBytes([0x80, 2], "ctorch._utils\n_rebuild_qtensor\n.")), (e: unknown) => e instanceof UnsupportedWeightsError && /quantized/.test((e as Error).message));
});

test("malformed pickles are WeightsFormatErrors with the byte offset", () => {
  const broken = (bytes: Uint8Array, pattern: RegExp, what: string) =>
    assert.throws(() => load(bytes), (e: unknown) => e instanceof WeightsFormatError && pattern.test((e as Error).message) && /at byte \d+/.test((e as Error).message), what);
  broken(pickleBytes([0x80, 2, 0xff]), /unknown opcode 0xff .*at byte 2/, "unknown opcode");
  broken(pickleBytes([0x80, 2], "X", le(1000, 4), "abc"), /truncated: BINUNICODE needs 1000 bytes/, "long string");
  broken(pickleBytes([0x80, 2], "R."), /stack underflow/, "underflow");
  broken(pickleBytes([0x80, 2], "h", [7], "."), /memo entry 7/, "memo");
  broken(pickleBytes([0x80, 2], "N"), /ends before its STOP/, "no STOP");
  broken(pickleBytes([0x80, 2], "1."), /no MARK/, "POP_MARK");
  broken(pickleBytes([0x80, 2], "(N."), /unclosed MARK/, "STOP in MARK");
  broken(pickleBytes([0x80, 2], "}Na."), /APPEND\(S\) on a dict/, "append to dict");
  broken(pickleBytes([0x80, 2], "]NNs."), /SETITEM\(S\) on a list/, "setitem on list");
  broken(pickleBytes([0x80, 2], [0x8b], le(65, 4), new Uint8Array(65), "."), /integer of 65 bytes/, "huge long");
  broken(pickleBytes([0x80, 2], "X", le(2, 4), [0xc3, 0x28], "."), /not valid UTF-8/, "bad utf-8");
  broken(pickleBytes([0x80, 2], binunicode("x"), "Q."), /not a torch checkpoint/, "persistent id without hook");
  broken(pickleBytes([0x80, 2], binunicode("x"), "N", [0x62], "."), /BUILD on a str/, "BUILD on str");
  // Found by fuzzing (pytorch-bin): OBJ right after MARK used to throw a TypeError while naming the missing class.
  broken(pickleBytes([0x80, 2], "(o."), /OBJ has no class/, "OBJ with an empty MARK");
  assert.throws(() => load(pickleBytes([0x80, 2], "N)R.")), UnsafePickleError, "REDUCE on None is refused, not attempted");
  assert.throws(() => load(pickleBytes([0x80, 6], "N.")), UnsupportedWeightsError);
  assert.throws(() => load(pickleBytes([0x80, 5], [0x97], ".")), UnsupportedWeightsError);
});

test("consecutive pickles are read from a start offset (the legacy torch layout)", () => {
  const bytes = pickleBytes([0x80, 2], "K", [1], ".", [0x80, 2], binint(-7), ".");
  const first = unpickle(bytes, { label: "seq", findGlobal: resolver });
  assert.deepEqual(first, { value: 1, end: 5 });
  const second = unpickle(bytes, { label: "seq", findGlobal: resolver, start: first.end });
  assert.deepEqual(second, { value: -7, end: bytes.length });
});

test("persistent ids go to the hook; only PickleCallable globals can be called", () => {
  const seen: unknown[] = [];
  const value = load(pickleBytes([0x80, 2], binunicode("storage"), binunicode("0"), [0x86], "Q."), (pid) => {
    seen.push(pid);
    return "resolved";
  });
  assert.equal(value, "resolved");
  assert.deepEqual(seen, [["storage", "0"]]);
  let called = 0;
  const custom = unpickle(pickleBytes([0x80, 2], "cmy\nfn\n", "K", [3], [0x85], "R."), {
    label: "custom",
    findGlobal: (module, name) => new PickleCallable(`${module}.${name}`, (args) => {
      called++;
      return (args[0] as number) * 2;
    }),
  });
  assert.deepEqual([custom.value, called], [6, 1]);
});
