/**
 * A JSON reader that remembers which numbers were written as floats ("0.0", "1e-05"), so a
 * config read and written back keeps Python's int/float distinction byte for byte. Accepts what
 * Python's json.loads accepts beyond strict JSON: NaN, Infinity and -Infinity.
 */
import { escapePointer } from "./python-json.js";

export interface ParsedJson {
  readonly value: unknown;
  /** RFC 6901 pointers of the numbers written as floats. */
  readonly floats: ReadonlySet<string>;
}

/** Thrown with the offset and a short description; callers wrap it into their own typed error. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function parseJsonTrackingFloats(text: string): ParsedJson {
  const floats = new Set<string>();
  let pos = 0;

  const fail = (what: string): never => {
    const line = text.slice(0, pos).split("\n").length;
    throw new JsonSyntaxError(`${what} at line ${line} (offset ${pos})`, pos);
  };
  const skipSpace = () => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "\n" || text[pos] === "\r" || text[pos] === "\t")) pos++;
  };
  const literal = (word: string, value: unknown, pointer: string, float = false): unknown => {
    if (!text.startsWith(word, pos)) fail(`unexpected ${JSON.stringify(text.slice(pos, pos + 12))}`);
    pos += word.length;
    if (float) floats.add(pointer);
    return value;
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = "";
    let start = pos;
    while (true) {
      if (pos >= text.length) fail("unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 0x22) break;
      if (c < 0x20) fail("control character in a string");
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(start, pos);
      const e = text[pos + 1];
      if (e === "u") {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else if (e !== undefined && Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, e)) {
        out += SIMPLE_ESCAPES[e];
        pos += 2;
      } else {
        fail("bad escape");
      }
      start = pos;
    }
    out += text.slice(start, pos);
    pos++; // closing quote
    return out;
  };

  const parseNumber = (pointer: string): number => {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!match) return fail("bad number") as never;
    pos += match[0].length;
    if (match[1] !== undefined || match[2] !== undefined) floats.add(pointer);
    return Number(match[0]);
  };

  const parseValue = (pointer: string, depth: number): unknown => {
    if (depth > 512) fail("nesting deeper than 512 levels");
    skipSpace();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        return object;
      }
      while (true) {
        skipSpace();
        if (text[pos] !== '"') fail("expected a string key");
        const key = parseString();
        skipSpace();
        if (text[pos] !== ":") fail("expected ':'");
        pos++;
        const value = parseValue(`${pointer}/${escapePointer(key)}`, depth + 1);
        // defineProperty: a "__proto__" key is data, never the prototype.
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return object;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      pos++;
      const array: unknown[] = [];
      skipSpace();
      if (text[pos] === "]") {
        pos++;
        return array;
      }
      while (true) {
        array.push(parseValue(`${pointer}/${array.length}`, depth + 1));
        skipSpace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return array;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (c === "t") return literal("true", true, pointer);
    if (c === "f") return literal("false", false, pointer);
    if (c === "n") return literal("null", null, pointer);
    if (c === "N") return literal("NaN", Number.NaN, pointer, true);
    if (c === "I") return literal("Infinity", Number.POSITIVE_INFINITY, pointer, true);
    if (c === "-" && text.startsWith("-Infinity", pos)) return literal("-Infinity", Number.NEGATIVE_INFINITY, pointer, true);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return parseNumber(pointer);
    return fail(c === undefined ? "unexpected end of input" : `unexpected ${JSON.stringify(c)}`);
  };

  const value = parseValue("", 0);
  skipSpace();
  if (pos < text.length) fail("unexpected text after the JSON value");
  return { value, floats };
}
