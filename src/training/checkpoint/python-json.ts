/**
 * Python-exact JSON for checkpoint files (see util/python-json.ts); values JSON cannot hold are a
 * CheckpointContentError here.
 */
import { type PythonJsonOptions, pythonJsonDumps as dumps } from "../../util/python-json.js";
import { CheckpointContentError } from "../checkpoint-errors.js";

export type { JsonValue, PythonJsonOptions } from "../../util/python-json.js";
export { compareCodePoints, escapePointer, pythonFloatRepr } from "../../util/python-json.js";

/** `json.dumps(value, indent=indent, sort_keys=True)` without the trailing newline. */
export function pythonJsonDumps(value: unknown, options: Omit<PythonJsonOptions, "invalid"> = {}, indent = 2): string {
  return dumps(value, { ...options, invalid: (message) => new CheckpointContentError(message) }, indent);
}
