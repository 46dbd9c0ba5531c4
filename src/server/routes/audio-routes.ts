/**
 * POST /classify and POST /zero-shot: the audio as the body (Content-Type audio/* or
 * application/octet-stream) or as the multipart field "file"; options as query parameters (or,
 * in a multipart body, as form fields). The answer is the pipeline's JSON: `[{ label, score }]`,
 * or with window / hop a timeline `{ segments, events }`.
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { RequestBodyError, RequestOptionError, ZeroShotUnavailableError } from "../errors.js";
import { checkDeclaredLength, readMultipartAudio, readStreamWithin } from "../request-body.js";
import {
  CLASSIFY_QUERY_SCHEMA,
  type ClassifyQuery,
  classifyOptionsOf,
  type SchemaError,
  validationMessage,
  ZERO_SHOT_QUERY_SCHEMA,
  type ZeroShotQuery,
  zeroShotOptionsOf,
} from "../request-options.js";
import { bodyLimitsOf, infer, type RouteContext } from "./route-context.js";

const NO_AUDIO =
  'no audio in the request: send the audio file\'s bytes as the body (Content-Type audio/wav, audio/mpeg, … or application/octet-stream), ' +
  'or as the field "file" of a multipart/form-data body (curl -F file=@clip.wav)';

/** The audio's bytes and the options, from a raw body + query, or from a multipart form (+ query). */
async function audioAndOptions<Q extends object>(request: FastifyRequest, context: RouteContext, schema: { properties: Record<string, unknown> }): Promise<{ audio: Buffer; query: Q }> {
  const query = request.query as Q;
  if (!request.isMultipart()) {
    const body = request.body;
    if (!(body instanceof Buffer) || body.length === 0) throw new RequestBodyError(NO_AUDIO);
    return { audio: body, query };
  }
  const form = await readMultipartAudio(request, bodyLimitsOf(request, context.limits));
  if (form.file.length === 0) throw new RequestBodyError(NO_AUDIO);
  // An empty form input means "not given", as in a browser form left blank.
  const fields = Object.fromEntries(Object.entries(form.fields).filter(([, value]) => value !== ""));
  const given = Object.keys(fields).filter((name) => name in query);
  if (given.length > 0) throw new RequestOptionError(`${given.join(", ")} given both as a query parameter and as a form field: give each once`);
  // The route's query schema checks (and converts) the form fields too: one set of rules.
  const validate = request.getValidationFunction("querystring")!;
  if (!validate(fields)) throw new RequestOptionError(validationMessage((validate.errors ?? []) as SchemaError[], "form field", schema));
  return { audio: form.file, query: { ...query, ...fields } as Q };
}

export async function audioRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { pool, limits } = context;
  // Only what these routes read: other content types are refused with 415 before any byte is read.
  app.removeAllContentTypeParsers();
  const rawAudio = (request: FastifyRequest, payload: NodeJS.ReadableStream): Promise<Buffer> => {
    const bodyLimits = bodyLimitsOf(request, limits);
    checkDeclaredLength(request, bodyLimits);
    return readStreamWithin(payload as never, bodyLimits, "the request body");
  };
  app.addContentTypeParser(/^audio\//i, rawAudio);
  app.addContentTypeParser("application/octet-stream", rawAudio);
  await app.register(multipart, { throwFileSizeLimit: false });

  app.post("/classify", { schema: { querystring: CLASSIFY_QUERY_SCHEMA } }, async (request, reply) => {
    const { audio, query } = await audioAndOptions<ClassifyQuery>(request, context, CLASSIFY_QUERY_SCHEMA);
    return infer(context, request, reply, { kind: "classify", audio, options: classifyOptionsOf(query) });
  });

  app.post(
    "/zero-shot",
    {
      schema: { querystring: ZERO_SHOT_QUERY_SCHEMA },
      // before the body is read: there is nothing to do with it
      onRequest: async () => {
        if (pool.models.zeroShot === undefined) {
          throw new ZeroShotUnavailableError("this server has no zero-shot model: start it with --zero-shot-model <CLAP folder or hub id>, e.g. laion/clap-htsat-unfused");
        }
      },
    },
    async (request, reply) => {
      const { audio, query } = await audioAndOptions<ZeroShotQuery>(request, context, ZERO_SHOT_QUERY_SCHEMA);
      return infer(context, request, reply, { kind: "zero-shot", audio, options: zeroShotOptionsOf(query) });
    },
  );
}
