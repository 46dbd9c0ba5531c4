/**
 * JSON exactly as Python's `json.dumps(obj, indent=2, sort_keys=True)` writes it — the form of
 * transformers' config.json, preprocessor_config.json and trainer_state.json — so files we save
 * are byte-identical to Python's: keys sorted by code point (id2label's keys numerically, since
 * transformers holds them as ints), ensure_ascii escapes, floats in Python's repr ("0.0",
 * "1e-05", "1e+16"), NaN/Infinity as Python writes them.
 *
 * JavaScript numbers do not say whether they were ints or floats, so the caller decides through
 * `isFloat(pointer, value)`; without it, integral values are written as ints. -0 is always "-0.0"
 * (only a float can be negative zero). Shared by weights/ (sharded index files) and training/
 * (configs, trainer state).
 */
import { InvalidArgumentError, describeValue } from "../errors.js";

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface PythonJsonOptions {
  /** Whether the number at `pointer` (RFC 6901, e.g. "/log_history/0/loss") is a Python float. */
  readonly isFloat?: (pointer: string, value: number) => boolean;
  /** The error for a value JSON cannot hold (default InvalidArgumentError). */
  readonly invalid?: (message: string) => Error;
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "Infinity";
  if (x === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest digits that round-trip, like repr.
  const [mantissa, exponentText] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  let body: string;
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  } else if (exponent < 0) {
    body = `0.${"0".repeat(-exponent - 1)}${digits}`;
  } else {
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    body = `${whole}.${digits.slice(exponent + 1) || "0"}`;
  }
  return negative ? `-${body}` : body;
}

/** Python's repr of an int held in a double (no exponent form, however large). */
function pythonIntRepr(x: number): string {
  return Math.abs(x) < 1e21 ? String(x) : BigInt(x).toString();
}

/** `json.dumps(value, indent=indent, sort_keys=True)` without the trailing newline. */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}, indent = 2): string {
  return dump(value, "", "", 0, indent, options);
}

function dump(value: unknown, pointer: string, parentKey: string, depth: number, indent: number, options: PythonJsonOptions): string {
  const isFloat = options.isFloat;
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isInteger(value) || Object.is(value, -0) || (isFloat?.(pointer, value) ?? false)) return pythonFloatRepr(value);
      return pythonIntRepr(value);
    case "string":
      return quote(value);
    case "object":
      break;
    default:
      throw notJson(pointer, value, options);
  }
  const pad = "\n" + " ".repeat(indent * (depth + 1));
  const close = "\n" + " ".repeat(indent * depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v, i) => pad + dump(v, `${pointer}/${i}`, "", depth + 1, indent, options));
    return `[${items.join(",")}${close}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw notJson(pointer, value, options);
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).filter((k) => object[k] !== undefined);
  if (keys.length === 0) return "{}";
  keys.sort(parentKey === "id2label" && keys.every((k) => /^-?\d+$/.test(k)) ? (a, b) => Number(a) - Number(b) : compareCodePoints);
  const items = keys.map((k) => `${pad}${quote(k)}: ${dump(object[k], `${pointer}/${escapePointer(k)}`, k, depth + 1, indent, options)}`);
  return `{${items.join(",")}${close}}`;
}

function notJson(pointer: string, value: unknown, options: PythonJsonOptions): Error {
  const message = `the value at ${pointer || "the top level"} is ${describeValue(value)}, which JSON cannot hold; use plain objects, arrays, strings, numbers, booleans and null`;
  return options.invalid ? options.invalid(message) : new InvalidArgumentError(message);
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Orders strings by Unicode code point, as Python sorts str keys (and equal to UTF-8 byte order, Rust's String ordering). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/** ensure_ascii quoting: everything outside printable ASCII as \uXXXX (astral characters as surrogate pairs). */
function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return out + '"';
}
