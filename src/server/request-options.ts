/**
 * The call options a request may give, as query parameters or form fields (snake_case, as the
 * Hugging Face Inference API spells them): their JSON schemas (Fastify validates and coerces
 * them), their translation into the pipeline's camelCase options, and validation errors turned
 * into messages that name the parameter and what would work.
 */
import { parseCandidateLabels } from "../pipelines/zero-shot-hypothesis.js";
import { RequestOptionError } from "./errors.js";
import type { ClassifyCallOptions, ZeroShotCallOptions } from "./inference-task.js";

/** More labels than this make the text tower's work (and the response) needlessly large. */
export const MAX_CANDIDATE_LABELS = 100;

const windowProperties = {
  // an hour bounds one window's memory whatever the model (see features/config-bounds.ts)
  window: { type: "number", exclusiveMinimum: 0, maximum: 3600 },
  hop: { type: "number", exclusiveMinimum: 0, maximum: 3600 },
  threshold: { type: "number" },
} as const;

export const CLASSIFY_QUERY_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    top_k: { type: "integer", minimum: 1 },
    function_to_apply: { type: "string", enum: ["softmax", "sigmoid", "none"] },
    ...windowProperties,
  },
} as const;

export const ZERO_SHOT_QUERY_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    candidate_labels: { type: "string", maxLength: 20_000 },
    hypothesis_template: { type: "string", maxLength: 1000 },
    ...windowProperties,
  },
} as const;

export interface ClassifyQuery {
  top_k?: number;
  function_to_apply?: "softmax" | "sigmoid" | "none";
  window?: number;
  hop?: number;
  threshold?: number;
}

export interface ZeroShotQuery {
  candidate_labels?: string;
  hypothesis_template?: string;
  window?: number;
  hop?: number;
  threshold?: number;
}

function windowOptions(query: { window?: number; hop?: number; threshold?: number }): ClassifyCallOptions {
  return {
    ...(query.window !== undefined && { window: query.window }),
    ...(query.hop !== undefined && { hop: query.hop }),
    ...(query.threshold !== undefined && { threshold: query.threshold }),
  };
}

export function classifyOptionsOf(query: ClassifyQuery): ClassifyCallOptions {
  return {
    ...(query.top_k !== undefined && { topK: query.top_k }),
    ...(query.function_to_apply !== undefined && { functionToApply: query.function_to_apply }),
    ...windowOptions(query),
  };
}

/** candidate_labels: a list, or one comma-separated string (as the CLI's --labels). */
export function candidateLabelsOf(value: unknown): string[] {
  if (value === undefined || value === "") {
    throw new RequestOptionError('give the labels to choose from: candidate_labels=dog,vacuum cleaner (a query parameter or form field, comma-separated)');
  }
  const labels = parseCandidateLabels(value);
  if (labels.length > MAX_CANDIDATE_LABELS) throw new RequestOptionError(`candidate_labels holds ${labels.length} labels; this server scores at most ${MAX_CANDIDATE_LABELS} at once`);
  return labels;
}

export function zeroShotOptionsOf(query: ZeroShotQuery): ZeroShotCallOptions {
  return {
    candidateLabels: candidateLabelsOf(query.candidate_labels),
    ...(query.hypothesis_template !== undefined && { hypothesisTemplate: query.hypothesis_template }),
    ...windowOptions(query),
  };
}

/** What ajv reports for one failed check (the fields used here). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * One message for a failed validation: "unknown query parameter "topk"; this route takes top_k,
 * function_to_apply, …" or "query parameter top_k must be >= 1".
 */
export function validationMessage(errors: readonly SchemaError[], what: string, schema: { properties: Record<string, unknown> }): string {
  const first = errors[0];
  const known = Object.keys(schema.properties).join(", ");
  if (first === undefined) return `invalid ${what}s; this route takes ${known}`;
  if (first.keyword === "additionalProperties") return `unknown ${what} ${JSON.stringify(first.params["additionalProperty"])}; this route takes ${known}`;
  const name = first.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const allowed = first.keyword === "enum" ? `: ${(first.params["allowedValues"] as unknown[]).join(", ")}` : "";
  return `${what} ${name || "(the whole)"} ${first.message ?? "is invalid"}${allowed}`;
}
