/**
 * The seam between "a model" and where its files live. Loaders that must work in browsers read
 * config.json, preprocessor_config.json, weights and tokenizer files through this interface:
 * in Node from a folder (folder-model-files.ts, after resolveModel found or downloaded it), in
 * browsers over HTTP from a Hugging Face-style URL with the Cache Storage API
 * (fetch-model-files.ts).
 */
import { describeValue } from "../errors.js";
import { HubResponseError } from "./errors.js";

export interface ModelFiles {
  /** Where the files are, for messages and session cache keys: a folder, or a base URL ending in "/". */
  readonly location: string;
  /** A file's bytes by its name in the repository ("config.json", "onnx/model.onnx"); undefined when there is no such file. */
  get(name: string): Promise<Uint8Array | undefined>;
}

/** A file of the model parsed as a JSON object; undefined when the model has no such file. */
export async function readJsonFile(files: ModelFiles, name: string): Promise<Record<string, unknown> | undefined> {
  const bytes = await files.get(name);
  if (bytes === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new HubResponseError(`${files.location}${name}`, `${files.location}${name} is not valid JSON: ${(cause as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HubResponseError(`${files.location}${name}`, `${files.location}${name} must hold a JSON object, got ${describeValue(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

/** A text file of the model; undefined when there is no such file. */
export async function readTextFile(files: ModelFiles, name: string): Promise<string | undefined> {
  const bytes = await files.get(name);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
