/**
 * A Hugging Face JSON file (config.json, preprocessor_config.json) held so that writing it back
 * gives what Python's `to_json_string` gives: the object plus which of its numbers are floats.
 * Read one with `JsonDocument.read(path)` to keep every "0.0" a float; build one from a plain
 * object, a ModelConfig or a feature extractor (`toJSON()`) when there is no file, in which case
 * integral numbers are written as ints.
 */
import { readFile } from "node:fs/promises";
import { describeValue } from "../../errors.js";
import { ModelConfig } from "../../models/model-config.js";
import { CheckpointContentError, CheckpointNotFoundError, CorruptCheckpointError } from "../checkpoint-errors.js";
import { escapePointer, pythonJsonDumps } from "./python-json.js";
import { JsonSyntaxError, parseJsonTrackingFloats } from "./python-json-parse.js";

type JsonObject = Readonly<Record<string, unknown>>;

/** Anything a config can be given as. */
export type JsonDocumentInput = JsonDocument | ModelConfig | { toJSON(): Record<string, unknown> } | JsonObject;

export class JsonDocument {
  private constructor(
    private readonly object: JsonObject,
    private readonly floats: ReadonlySet<string>,
    /** Where it came from, for messages. */
    readonly source: string,
  ) {}

  /** Parses JSON text (the whole file). */
  static parse(text: string, source = "<json>"): JsonDocument {
    let parsed;
    try {
      parsed = parseJsonTrackingFloats(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new CorruptCheckpointError(`${source} is not valid JSON: ${error.message}`, source, { cause: error });
      throw error;
    }
    if (parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
      throw new CorruptCheckpointError(`${source} must hold a JSON object, got ${describeValue(parsed.value)}`, source);
    }
    return new JsonDocument(parsed.value as JsonObject, parsed.floats, source);
  }

  static async read(path: string): Promise<JsonDocument> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw new CheckpointNotFoundError(`${path} does not exist`, path, { cause });
      throw new CorruptCheckpointError(`cannot read ${path} (${code ?? String(cause)})`, path, { cause });
    }
    return JsonDocument.parse(text, path);
  }

  /** A document from any accepted form (a JsonDocument is returned as is). */
  static from(input: JsonDocumentInput, source = "<config>"): JsonDocument {
    if (input instanceof JsonDocument) return input;
    if (input instanceof ModelConfig) return new JsonDocument(input.raw, new Set(), input.source);
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      throw new CheckpointContentError(`a config must be a JsonDocument, a ModelConfig, a feature extractor or a plain object, got ${describeValue(input)}`);
    }
    const toJSON = (input as { toJSON?: unknown }).toJSON;
    const object = typeof toJSON === "function" ? (toJSON.call(input) as unknown) : input;
    if (object === null || typeof object !== "object" || Array.isArray(object)) {
      throw new CheckpointContentError(`${source}: toJSON() must return a plain object, got ${describeValue(object)}`);
    }
    // Validates now (pythonJsonDumps throws on non-JSON values) rather than halfway through a save.
    pythonJsonDumps(object);
    return new JsonDocument(copyJson(object) as JsonObject, new Set(), source);
  }

  /** The top-level value of `key` (undefined when absent). */
  get(key: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.object, key) ? this.object[key] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  keys(): string[] {
    return Object.keys(this.object);
  }

  /** A plain deep copy of the object (NaN, ±Infinity and -0 preserved, unlike a JSON.stringify round trip). */
  toObject(): Record<string, unknown> {
    return copyJson(this.object) as Record<string, unknown>;
  }

  /**
   * A copy with top-level keys replaced (`undefined` removes a key). Float markers below a
   * replaced key are dropped: the new value's integral numbers are written as ints, unless listed
   * in `floatKeys` (top-level keys whose numbers are floats, e.g. ["initializer_range"]).
   */
  with(changes: Readonly<Record<string, unknown>>, floatKeys: readonly string[] = []): JsonDocument {
    const object: Record<string, unknown> = { ...this.object };
    const replaced = Object.keys(changes);
    for (const key of replaced) {
      if (changes[key] === undefined) delete object[key];
      else Object.defineProperty(object, key, { value: changes[key], enumerable: true, writable: true, configurable: true });
    }
    const prefixes = replaced.map((k) => `/${escapePointer(k)}`);
    const floats = new Set([...this.floats].filter((p) => !prefixes.some((prefix) => p === prefix || p.startsWith(`${prefix}/`))));
    for (const key of floatKeys) if (typeof object[key] === "number") floats.add(`/${escapePointer(key)}`);
    pythonJsonDumps(object);
    return new JsonDocument(copyJson(object) as JsonObject, floats, this.source);
  }

  /** The file text: `json.dumps(obj, indent=2, sort_keys=True) + "\n"`, as transformers writes it. */
  toJsonString(): string {
    return pythonJsonDumps(this.object, { isFloat: (pointer) => this.floats.has(pointer) }) + "\n";
  }
}

/** Deep copy of a JSON-shaped value; "__proto__" keys stay data. */
function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key, { value: copyJson(item), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
