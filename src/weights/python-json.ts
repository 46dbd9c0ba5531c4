/**
 * `json.dumps(value, indent=…, sort_keys=True)` as Python writes it (ensure_ascii on), so index
 * files we save are byte-identical to transformers'. Covers the JSON subset an index uses.
 */
import { compareCodePoints } from "./safetensors-encode.js";

export type PythonJsonValue = null | boolean | number | string | readonly PythonJsonValue[] | { readonly [key: string]: PythonJsonValue };

export function pythonJsonDumps(value: PythonJsonValue, indent = 2): string {
  return dump(value, indent, 0);
}

function dump(value: PythonJsonValue, indent: number, depth: number): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }
  if (typeof value === "string") return quote(value);
  const pad = "\n" + " ".repeat(indent * (depth + 1));
  const close = "\n" + " ".repeat(indent * depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[${value.map((v) => pad + dump(v, indent, depth + 1)).join(",")}${close}]`;
  }
  const object = value as { readonly [key: string]: PythonJsonValue };
  const keys = Object.keys(object).sort(compareCodePoints);
  if (keys.length === 0) return "{}";
  return `{${keys.map((k) => `${pad}${quote(k)}: ${dump(object[k], indent, depth + 1)}`).join(",")}${close}}`;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/** Python's ensure_ascii quoting: everything outside printable ASCII becomes \uXXXX (lowercase hex). */
function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const code = text.charCodeAt(i);
    if (SHORT_ESCAPES[c] !== undefined) out += SHORT_ESCAPES[c];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return out + '"';
}
