import { UnsafePickleError, UnsupportedWeightsError, WeightsFormatError } from "./errors.js";
import { isList, isPickleStateful, isTuple, PickleCallable, PickleDict, pickleTypeName } from "./pickle-values.js";
import { decodeEscapedString, decodeRawUnicodeEscape } from "./pickle-text.js";
import { copyBytes } from "./dtypes.js";

export interface UnpickleOptions {
  /** Names the pickle in errors, e.g. "pytorch_model.bin (archive/data.pkl)". */
  label: string;
  /** The checkpoint file, recorded on errors. */
  file?: string;
  /** Resolves GLOBAL/STACK_GLOBAL; must throw UnsafePickleError for anything not allow-listed. */
  findGlobal(module: string, name: string): PickleCallable;
  /** Resolves BINPERSID/PERSID (torch's storages). */
  persistentLoad?(pid: unknown): unknown;
  /** Where to start reading (several pickles can follow each other, as in the legacy torch format). */
  start?: number;
}

export interface UnpickleResult {
  value: unknown;
  /** Offset just past the STOP opcode. */
  end: number;
}

/** Python ints wider than this many bytes have no place in a state dict; refusing them bounds the work. */
const MAX_LONG_BYTES = 64;

const MARK = 0x28;

/**
 * A pickle interpreter for protocols 0–5 that never executes anything: GLOBAL only yields what
 * `findGlobal` returns (an allow-listed PickleCallable with a JS stand-in), REDUCE/NEWOBJ only
 * apply those stand-ins, and every length is bounds-checked before it is used. Opcodes that reach
 * outside the byte stream (extension registry, out-of-band buffers) are refused.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): UnpickleResult {
  const { label } = options;
  const where = { file: options.file };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const latin1 = new TextDecoder("latin1");
  const names = new TextDecoder("utf-8");
  let pos = options.start ?? 0;
  let opcodeAt = pos;
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const fail: (message: string) => never = (message) => {
    throw new WeightsFormatError(`${label}: ${message} (pickle opcode at byte ${opcodeAt}); the checkpoint is corrupt or not a PyTorch pickle`, where);
  };
  const need = (n: number, what: string): void => {
    if (n < 0 || pos + n > bytes.byteLength) fail(`truncated: ${what} needs ${n} bytes but ${bytes.byteLength - pos} remain`);
  };
  const take = (n: number, what: string): Uint8Array => {
    need(n, what);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u8 = (): number => (need(1, "an argument"), bytes[pos++]);
  const u16 = (): number => (need(2, "an argument"), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = (): number => (need(4, "an argument"), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = (): number => (need(4, "an argument"), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = (): number => {
    need(8, "an argument");
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`a length of ${v} bytes`);
    return Number(v);
  };
  // Text arguments end at a newline; GLOBAL/INST names are UTF-8 (as pickle.py reads them), the rest latin-1.
  const line = (what: string, decoder: TextDecoder = latin1): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail(`truncated: ${what} has no terminating newline`);
    const text = decoder.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const text = (data: Uint8Array, what: string): string => {
    try {
      return utf8.decode(data);
    } catch {
      return fail(`${what} is not valid UTF-8`);
    }
  };
  // Reads `stack` when called, after the arguments ran: popMark() may have swapped the array.
  const push = (value: unknown): void => {
    stack.push(value);
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail("stack underflow");
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail("stack underflow");
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const previous = marks.pop();
    if (previous === undefined) fail("no MARK to pop to");
    stack = previous;
    return items;
  };
  const tuple = (items: unknown[]): readonly unknown[] => Object.freeze(items);
  const global = (module: string, name: string): PickleCallable => options.findGlobal(module, name);
  const callOf = (callable: unknown, what: string): PickleCallable => {
    if (!(callable instanceof PickleCallable) || !callable.callable) {
      throw new UnsafePickleError(`${label}: refusing ${what} on ${pickleTypeName(callable)}; only allow-listed tensor-rebuild functions may be called`, pickleTypeName(callable), where);
    }
    return callable;
  };
  const setItems = (dict: unknown, items: unknown[]): void => {
    if (!(dict instanceof PickleDict)) fail(`SETITEM(S) on a ${pickleTypeName(dict)}, not a dict`);
    if (items.length % 2 !== 0) fail("SETITEMS with an odd number of items");
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  };
  const append = (list: unknown, items: unknown[]): void => {
    if (!isList(list)) fail(`APPEND(S) on a ${pickleTypeName(list)}, not a list`);
    for (const item of items) list.push(item);
  };
  const persistent = (pid: unknown): unknown => {
    if (!options.persistentLoad) fail("a persistent id appears but this pickle is not a torch checkpoint");
    return options.persistentLoad(pid);
  };
  const long = (data: Uint8Array): number | bigint => {
    if (data.length === 0) return 0;
    if (data.length > MAX_LONG_BYTES) fail(`an integer of ${data.length} bytes`);
    let value = 0n;
    for (let i = data.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[i]);
    if (data[data.length - 1] & 0x80) value -= 1n << BigInt(8 * data.length);
    return narrow(value);
  };
  const decimal = (digits: string): number | bigint => {
    const trimmed = digits.endsWith("L") ? digits.slice(0, -1) : digits;
    if (!/^[+-]?\d{1,200}$/.test(trimmed)) fail(`"${digits.slice(0, 40)}" is not an integer`);
    return narrow(BigInt(trimmed));
  };

  for (;;) {
    opcodeAt = pos;
    if (pos >= bytes.byteLength) fail("truncated: the pickle ends before its STOP opcode");
    const op = bytes[pos++];
    switch (op) {
      case 0x80: { // PROTO
        const version = u8();
        if (version > 5) throw new UnsupportedWeightsError(`${label}: pickle protocol ${version} is newer than 5, the newest this reader knows`, where);
        break;
      }
      case 0x95: // FRAME: framing only groups reads; the whole pickle is already in memory.
        u64();
        break;
      case 0x2e: // STOP
        if (marks.length > 0) fail("STOP inside an unclosed MARK");
        return { value: pop(), end: pos };
      case MARK:
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length > 0) stack.pop();
        else popMark();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: push(null); break; // NONE
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4a: push(i32()); break; // BININT
      case 0x4b: push(u8()); break; // BININT1
      case 0x4d: push(u16()); break; // BININT2
      case 0x8a: push(long(take(u8(), "LONG1"))); break;
      case 0x8b: { // LONG4
        const n = i32();
        if (n < 0) fail("LONG4 with a negative length");
        push(long(take(n, "LONG4")));
        break;
      }
      case 0x49: { // INT (protocol 0; "01"/"00" are True/False)
        const digits = line("INT");
        push(digits === "01" ? true : digits === "00" ? false : decimal(digits));
        break;
      }
      case 0x4c: push(decimal(line("LONG"))); break; // LONG
      case 0x46: { // FLOAT
        const value = Number(line("FLOAT"));
        if (Number.isNaN(value)) fail("FLOAT is not a number");
        push(value);
        break;
      }
      case 0x47: // BINFLOAT: big-endian double
        need(8, "BINFLOAT");
        push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: push(text(take(u32(), "BINUNICODE"), "BINUNICODE")); break;
      case 0x8c: push(text(take(u8(), "SHORT_BINUNICODE"), "SHORT_BINUNICODE")); break;
      case 0x8d: push(text(take(u64(), "BINUNICODE8"), "BINUNICODE8")); break;
      case 0x56: push(decodeRawUnicodeEscape(line("UNICODE"), fail)); break; // UNICODE
      case 0x53: push(text(decodeEscapedString(line("STRING"), fail), "STRING")); break; // STRING
      // Python 2 str: torch.load decodes these with encoding="utf-8".
      case 0x54: {
        const n = i32();
        if (n < 0) fail("BINSTRING with a negative length");
        push(text(take(n, "BINSTRING"), "BINSTRING"));
        break;
      }
      case 0x55: push(text(take(u8(), "SHORT_BINSTRING"), "SHORT_BINSTRING")); break;
      case 0x42: push(copyBytes(take(u32(), "BINBYTES"))); break;
      case 0x43: push(copyBytes(take(u8(), "SHORT_BINBYTES"))); break;
      case 0x8e: push(copyBytes(take(u64(), "BINBYTES8"))); break;
      case 0x96: push(copyBytes(take(u64(), "BYTEARRAY8"))); break;
      case 0x29: push(tuple([])); break; // EMPTY_TUPLE
      case 0x85: push(tuple([pop()])); break; // TUPLE1
      case 0x86: { // TUPLE2
        const b = pop();
        push(tuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        push(tuple([pop(), b, c]));
        break;
      }
      case 0x74: push(tuple(popMark())); break; // TUPLE
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x6c: push(popMark()); break; // LIST
      case 0x61: { // APPEND
        const item = pop();
        append(top(), [item]);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x7d: push(new PickleDict()); break; // EMPTY_DICT
      case 0x64: { // DICT
        const dict = new PickleDict();
        setItems(dict, popMark());
        push(dict);
        break;
      }
      case 0x73: { // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x8f: push(new Set()); break; // EMPTY_SET
      case 0x90: { // ADDITEMS
        const items = popMark();
        const set = top();
        if (!(set instanceof Set)) fail(`ADDITEMS on a ${pickleTypeName(set)}`);
        for (const item of items) set.add(item);
        break;
      }
      case 0x91: push(new Set(popMark())); break; // FROZENSET
      case 0x70: memo.set(memoIndex(line("PUT"), fail), top()); break; // PUT
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x67: push(recall(memo, memoIndex(line("GET"), fail), fail)); break; // GET
      case 0x68: push(recall(memo, u8(), fail)); break; // BINGET
      case 0x6a: push(recall(memo, u32(), fail)); break; // LONG_BINGET
      case 0x63: { // GLOBAL
        const module = line("GLOBAL module", names);
        push(global(module, line("GLOBAL name", names)));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL needs two strings");
        push(global(module, name));
        break;
      }
      case 0x69: { // INST: module\nname\n, arguments since MARK, then klass(*args)
        const module = line("INST module", names);
        const cls = global(module, line("INST name", names));
        push(callOf(cls, "INST").call(popMark()));
        break;
      }
      case 0x6f: { // OBJ: MARK cls args… → cls(*args)
        const items = popMark();
        if (items.length === 0) fail("OBJ has no class between its MARK and the opcode");
        const [cls, ...args] = items;
        push(callOf(cls, "OBJ").call(args));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const callable = callOf(pop(), "REDUCE");
        if (!isTuple(args)) fail(`REDUCE arguments must be a tuple, got ${pickleTypeName(args)}`);
        push(callable.call(args));
        break;
      }
      case 0x81: // NEWOBJ
      case 0x92: { // NEWOBJ_EX
        const kwargs = op === 0x92 ? pop() : new PickleDict();
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PickleCallable) || !cls.constructible) {
          throw new UnsafePickleError(`${label}: refusing to create a ${pickleTypeName(cls)} object; only allow-listed classes may be instantiated`, pickleTypeName(cls), where);
        }
        if (!isTuple(args)) fail("NEWOBJ arguments must be a tuple");
        if (kwargs instanceof PickleDict && kwargs.size > 0) fail(`NEWOBJ_EX keyword arguments for ${cls.qualifiedName} are not supported`);
        push(cls.construct(args));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const target = top();
        if (target instanceof PickleDict) applyDictState(target, state, fail);
        else if (isPickleStateful(target)) target.applyPickleState(state);
        else fail(`BUILD on a ${pickleTypeName(target)}, which takes no state`);
        break;
      }
      case 0x51: push(persistent(pop())); break; // BINPERSID
      case 0x50: push(persistent(line("PERSID"))); break; // PERSID
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw new UnsafePickleError(`${label}: refusing an extension-registry reference (opcode 0x${op.toString(16)}), which resolves to arbitrary code`, `EXT opcode 0x${op.toString(16)}`, where);
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        throw new UnsupportedWeightsError(`${label}: the pickle uses out-of-band buffers (protocol 5), which torch.save never writes`, where);
      default:
        fail(`unknown opcode 0x${op.toString(16).padStart(2, "0")}`);
    }
  }
}

function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function memoIndex(text: string, fail: (message: string) => never): number {
  if (!/^\d{1,10}$/.test(text)) fail(`memo index "${text.slice(0, 20)}" is not a number`);
  return Number(text);
}

function recall(memo: Map<number, unknown>, index: number, fail: (message: string) => never): unknown {
  if (!memo.has(index)) fail(`memo entry ${index} is read before it is written`);
  return memo.get(index);
}

/** BUILD on a dict: an instance `__dict__` (e.g. a state dict's `_metadata`), possibly as (dict, slots). */
function applyDictState(target: PickleDict, state: unknown, fail: (message: string) => never): void {
  const parts = isTuple(state) && state.length === 2 ? state : [state];
  for (const part of parts) {
    if (part === null) continue;
    if (!(part instanceof PickleDict)) fail(`BUILD state for a dict must be a dict, got ${pickleTypeName(part)}`);
    for (const [key, value] of part) {
      if (typeof key !== "string") fail("BUILD state keys must be strings");
      target.attributes.set(key, value);
    }
  }
}
