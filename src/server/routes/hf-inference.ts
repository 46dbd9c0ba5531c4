/**
 * POST /models/<anything>: the Hugging Face Inference API's request shape, so existing clients
 * (huggingface_hub's InferenceClient, huggingface.js, curl scripts) work when pointed here.
 *
 * - raw audio bytes, whatever the Content-Type (clients often send none);
 * - or JSON `{ "inputs": "<base64 audio>", "parameters": { "top_k": 3, "function_to_apply": "softmax" } }`;
 *   with `"candidate_labels"` in parameters the request is zero-shot classification instead.
 *
 * The answer is the Inference API's: a list of `{ label, score }`. The model named in the path
 * is not looked at: this server serves the models it was started with.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { RequestBodyError, RequestOptionError, ZeroShotUnavailableError } from "../errors.js";
import type { InferenceRequest } from "../inference-task.js";
import { checkDeclaredLength, readStreamWithin } from "../request-body.js";
import { candidateLabelsOf, type SchemaError, validationMessage } from "../request-options.js";
import { bodyLimitsOf, infer, type RouteContext } from "./route-context.js";

const HF_PARAMETERS_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    top_k: { type: "integer", minimum: 1 },
    function_to_apply: { type: "string", enum: ["softmax", "sigmoid", "none"] },
    candidate_labels: { anyOf: [{ type: "array", items: { type: "string" } }, { type: "string" }] },
    hypothesis_template: { type: "string", maxLength: 1000 },
  },
} as const;

const HF_JSON_SCHEMA = {
  type: "object",
  required: ["inputs"],
  additionalProperties: false,
  properties: {
    inputs: { type: "string", minLength: 1 },
    parameters: HF_PARAMETERS_SCHEMA,
    // the Inference API's own switches (wait_for_model, use_cache): nothing to do here
    options: { type: "object" },
  },
} as const;

interface HfJsonBody {
  inputs: string;
  parameters?: { top_k?: number; function_to_apply?: "softmax" | "sigmoid" | "none"; candidate_labels?: string[] | string; hypothesis_template?: string };
}

const EXAMPLE = '{ "inputs": "<the audio file, base64>", "parameters": { "top_k": 3 } }';

/** Base64 (standard or URL-safe, line breaks allowed, optionally as a data: URL) to bytes; anything else is refused, not skipped. */
function decodeBase64(text: string): Buffer {
  const payload = text.startsWith("data:") ? text.slice(text.indexOf(",") + 1) : text;
  const compact = payload.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new RequestBodyError(`"inputs" must be the audio file's bytes in base64, e.g. ${EXAMPLE}`);
  }
  return Buffer.from(compact, compact.includes("-") || compact.includes("_") ? "base64url" : "base64");
}

function requestOf(body: unknown, request: FastifyRequest, hasZeroShot: boolean): InferenceRequest {
  if (body instanceof Buffer) {
    if (body.length === 0) throw new RequestBodyError(`no audio in the request: send the audio file's bytes as the body, or JSON ${EXAMPLE}`);
    return { kind: "classify", audio: body, options: {} };
  }
  const validate = request.compileValidationSchema(HF_JSON_SCHEMA);
  if (!validate(body)) throw new RequestOptionError(`${validationMessage((validate.errors ?? []) as SchemaError[], "JSON field", HF_JSON_SCHEMA)}; send ${EXAMPLE}`);
  const { inputs, parameters = {} } = body as HfJsonBody;
  const audio = decodeBase64(inputs);
  if (audio.length === 0) throw new RequestBodyError(`"inputs" holds no bytes; send ${EXAMPLE}`);
  if (parameters.candidate_labels === undefined) {
    if (parameters.hypothesis_template !== undefined) throw new RequestOptionError("hypothesis_template applies to zero-shot classification: give candidate_labels too");
    return {
      kind: "classify",
      audio,
      options: {
        ...(parameters.top_k !== undefined && { topK: parameters.top_k }),
        ...(parameters.function_to_apply !== undefined && { functionToApply: parameters.function_to_apply }),
      },
    };
  }
  if (parameters.top_k !== undefined || parameters.function_to_apply !== undefined) {
    throw new RequestOptionError("top_k and function_to_apply apply to audio classification; with candidate_labels the request is zero-shot classification, which returns every label");
  }
  if (!hasZeroShot) throw new ZeroShotUnavailableError("candidate_labels asks for zero-shot classification, but this server has no zero-shot model: start it with --zero-shot-model");
  return {
    kind: "zero-shot",
    audio,
    options: {
      candidateLabels: candidateLabelsOf(parameters.candidate_labels),
      ...(parameters.hypothesis_template !== undefined && { hypothesisTemplate: parameters.hypothesis_template }),
    },
  };
}

export async function hfInferenceRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { pool, limits } = context;
  app.removeAllContentTypeParsers();
  // base64 is 4/3 of the bytes; allow a little for the rest of the JSON
  const jsonMaxBytes = Math.ceil((limits.maxBodyBytes * 4) / 3) + 64 * 1024;
  app.addContentTypeParser("application/json", async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    const bodyLimits = bodyLimitsOf(request, limits, jsonMaxBytes);
    checkDeclaredLength(request, bodyLimits);
    const text = (await readStreamWithin(payload as never, bodyLimits, "the JSON body")).toString("utf8");
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new RequestBodyError(`the body is not valid JSON (${(error as Error).message}); send ${EXAMPLE}, or the audio's bytes`);
    }
  });
  app.addContentTypeParser("*", async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    const bodyLimits = bodyLimitsOf(request, limits);
    checkDeclaredLength(request, bodyLimits);
    return readStreamWithin(payload as never, bodyLimits, "the request body");
  });

  app.post("/models/*", async (request, reply) => {
    const inference = requestOf(request.body ?? Buffer.alloc(0), request, pool.models.zeroShot !== undefined);
    return infer(context, request, reply, inference);
  });
}
