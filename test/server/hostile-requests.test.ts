/**
 * Every kind of bad request gets its 4xx and `{ error: { type, message } }` — never a 500, a
 * hang or a crash — and the server answers /health afterwards. The server here has small limits
 * (1 MB bodies, 5 s of audio, 1.5 s per request) so each limit is reached quickly.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { RunningServer } from "../../src/server/start-server.js";
import { buildWav, chunk, float32Body, fmtBody } from "../audio/wav-builder.js";
import { fixturePath } from "../helpers/fixtures.js";
import { parsePrometheus } from "../helpers/prometheus.js";
import { cutRequest, multipartBody, type RawRequest, rawRequest, startTestServer } from "./server-helpers.js";

const DIGIT = readFileSync(fixturePath("../fsdd/3_jackson_7.wav"));
const LONG = readFileSync(fixturePath("audio/long_12s.wav"));
const MAX_BODY = 1_000_000;
const TIMEOUT_MS = 1500;

let server: RunningServer;

before(async () => {
  server = await startTestServer({ maxBodyBytes: MAX_BODY, maxAudioSeconds: 5, requestTimeoutMs: TIMEOUT_MS });
});

after(async () => {
  await server?.close();
});

/** Sends a hostile request, checks its status and error type, then that the server still serves. */
async function expectRefused(spec: RawRequest, status: number, type: string | RegExp, message?: RegExp): Promise<void> {
  const response = await rawRequest(server.url, spec);
  const what = `${spec.method ?? "POST"} ${spec.path} ${JSON.stringify(spec.headers ?? {})}`;
  assert.equal(response.status, status, `${what}: ${response.text}`);
  const { error } = response.json();
  if (typeof type === "string") assert.equal(error.type, type, what);
  else assert.match(error.type, type, what);
  assert.equal(typeof error.message, "string");
  if (message !== undefined) assert.match(error.message, message, what);
  const health = await rawRequest(server.url, { method: "GET", path: "/health" });
  assert.equal(health.status, 200, `the server stopped serving after ${what}`);
}

const audio = (body: Buffer | string, type = "audio/wav"): Pick<RawRequest, "headers" | "chunks"> => ({
  headers: { "content-type": type, "content-length": Buffer.byteLength(body) },
  chunks: [body],
});

test("wrong content types get 415 before the body is read", async () => {
  await expectRefused({ path: "/classify", ...audio("hello", "text/plain") }, 415, "UnsupportedMediaTypeError", /audio\/\*/);
  await expectRefused({ path: "/classify", ...audio('{"inputs":"AAAA"}', "application/json") }, 415, "UnsupportedMediaTypeError");
  await expectRefused({ path: "/classify", ...audio("a=b", "application/x-www-form-urlencoded") }, 415, "UnsupportedMediaTypeError");
  await expectRefused({ path: "/classify", headers: { "content-length": DIGIT.length }, chunks: [DIGIT] }, 415, "UnsupportedMediaTypeError");
});

test("missing, truncated, corrupt and non-finite audio get 400/415/422 naming the problem", async () => {
  await expectRefused({ path: "/classify", headers: { "content-length": 0 } }, 400, "RequestBodyError", /no audio/);
  await expectRefused({ path: "/classify", ...audio(Buffer.alloc(0)) }, 400, "RequestBodyError");
  await expectRefused({ path: "/classify", ...audio(DIGIT.subarray(0, 44)) }, 422, "AudioDecodeError", /truncated/);
  await expectRefused({ path: "/classify", ...audio(DIGIT.subarray(0, 20)) }, 422, "AudioDecodeError");
  // a FLAC header the decoder refuses
  await expectRefused({ path: "/classify", ...audio(Buffer.concat([Buffer.from("fLaC"), Buffer.alloc(300, 0x80)]), "audio/flac") }, 415, "UnsupportedAudioFormatError", /FLAC/);
  const nan = Buffer.from(buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 1, rate: 16000, bits: 32 })), chunk("data", float32Body([0.1, NaN, 0.2]))]));
  await expectRefused({ path: "/classify", ...audio(nan) }, 422, "AudioDecodeError", /NaN/);
  await expectRefused({ path: "/models/x", headers: { "content-length": 10 }, chunks: ["not audio!"] }, 415, "UnsupportedAudioFormatError");
});

test("bad options get 400 naming the parameter", async () => {
  await expectRefused({ path: "/classify?top_k=0", ...audio(DIGIT) }, 400, "RequestOptionError", /top_k must be >= 1/);
  await expectRefused({ path: "/classify?top_k=three", ...audio(DIGIT) }, 400, "RequestOptionError", /top_k/);
  await expectRefused({ path: "/classify?function_to_apply=max", ...audio(DIGIT) }, 400, "RequestOptionError", /softmax, sigmoid, none/);
  await expectRefused({ path: "/classify?topk=3", ...audio(DIGIT) }, 400, "RequestOptionError", /unknown query parameter "topk"/);
  await expectRefused({ path: "/classify?window=-1", ...audio(DIGIT) }, 400, "RequestOptionError", /window/);
  await expectRefused({ path: "/classify?threshold=0.5", ...audio(DIGIT) }, 400, "PipelineOptionError", /window/);
  await expectRefused({ path: "/classify?window=0.1&hop=0.00001", ...audio(DIGIT) }, 400, "RequestOptionError", /make 388\d\d windows; this server scores at most 10000/);
  const form = multipartBody([{ name: "top_k", value: "-2" }, { name: "file", filename: "a.wav", data: DIGIT }]);
  await expectRefused({ path: "/classify", ...audio(form.body, form.contentType) }, 400, "RequestOptionError", /form field top_k/);
  await expectRefused({ path: "/classify?top_k=2", ...audio(multipartBody([{ name: "top_k", value: "2" }, { name: "file", filename: "a.wav", data: DIGIT }]).body, form.contentType) }, 400, "RequestOptionError", /both/);
});

test("oversized bodies and audio longer than the limit get 413", async () => {
  // announced: refused before the body is sent
  await expectRefused({ path: "/classify", headers: { "content-type": "audio/wav", "content-length": 50_000_000 }, chunks: [DIGIT], keepOpen: true }, 413, "PayloadTooLargeError", /--max-body-mb/);
  // not announced (chunked): refused once the limit is passed
  const big = Buffer.alloc(MAX_BODY + 100_000, 1);
  await expectRefused({ path: "/classify", headers: { "content-type": "application/octet-stream" }, chunks: [big.subarray(0, 600_000), big.subarray(600_000)] }, 413, "PayloadTooLargeError");
  const form = multipartBody([{ name: "file", filename: "big.wav", data: big }]);
  await expectRefused({ path: "/classify", headers: { "content-type": form.contentType }, chunks: [form.body] }, 413, "PayloadTooLargeError");
  const json = JSON.stringify({ inputs: Buffer.alloc(MAX_BODY * 2).toString("base64") });
  await expectRefused({ path: "/models/x", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(json) }, chunks: [json] }, 413, "PayloadTooLargeError");
  // small in bytes, too long once decoded (12 s against a 5 s limit)
  await expectRefused({ path: "/classify", ...audio(LONG) }, 413, "AudioTooLongError", /12\.0 s/);
});

test("slow senders and bodies shorter than their Content-Length get 408 at the deadline", async () => {
  const started = Date.now();
  // 2 bytes every 100 ms of a 1000-byte body: 5 s to send it all
  const dribble = Array.from({ length: 500 }, (_, i) => DIGIT.subarray(2 * i, 2 * i + 2));
  await expectRefused({ path: "/classify", headers: { "content-type": "audio/wav", "content-length": 1000 }, chunks: dribble, delayMs: 100 }, 408, "BodyTimeoutError", /--request-timeout/);
  assert.ok(Date.now() - started < TIMEOUT_MS + 2000, "answered at the deadline, not when the client gave up");
  await expectRefused({ path: "/classify", headers: { "content-type": "audio/wav", "content-length": DIGIT.length }, chunks: [DIGIT.subarray(0, 1000)], keepOpen: true }, 408, "BodyTimeoutError");
  const form = multipartBody([{ name: "file", filename: "a.wav", data: DIGIT }]);
  await expectRefused({ path: "/classify", headers: { "content-type": form.contentType, "content-length": form.body.length }, chunks: [form.body.subarray(0, 300)], keepOpen: true }, 408, "BodyTimeoutError");
  const json = JSON.stringify({ inputs: DIGIT.toString("base64") });
  await expectRefused({ path: "/models/x", headers: { "content-type": "application/json", "content-length": json.length }, chunks: [json.slice(0, 100)], keepOpen: true }, 408, "BodyTimeoutError");
});

test("garbage multipart and malformed JSON get 400", async () => {
  const type = "multipart/form-data; boundary=xyz";
  await expectRefused({ path: "/classify", ...audio("this is not multipart at all", type) }, 400, "RequestBodyError", /multipart/);
  await expectRefused({ path: "/classify", ...audio("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc", type) }, 400, "RequestBodyError");
  await expectRefused({ path: "/classify", ...audio("--xyz\r\ngarbage header line\r\n\r\nabc\r\n--xyz--\r\n", type) }, 400, "RequestBodyError");
  await expectRefused({ path: "/classify", ...audio("--abc\r\n", "multipart/form-data") }, 400, "RequestBodyError");
  const noFile = multipartBody([{ name: "top_k", value: "3" }]);
  await expectRefused({ path: "/classify", ...audio(noFile.body, noFile.contentType) }, 400, "RequestBodyError", /no field "file"/);
  const wrongField = multipartBody([{ name: "audio", filename: "a.wav", data: DIGIT }]);
  await expectRefused({ path: "/classify", ...audio(wrongField.body, wrongField.contentType) }, 400, "RequestBodyError", /"audio"/);
  const twoFiles = multipartBody([{ name: "file", filename: "a.wav", data: DIGIT }, { name: "file", filename: "b.wav", data: DIGIT }]);
  await expectRefused({ path: "/classify", ...audio(twoFiles.body, twoFiles.contentType) }, 413, "PayloadTooLargeError");
  await expectRefused({ path: "/models/x", ...audio("{ not json", "application/json") }, 400, "RequestBodyError", /not valid JSON/);
  await expectRefused({ path: "/models/x", ...audio('{"parameters":{}}', "application/json") }, 400, "RequestOptionError", /inputs/);
  await expectRefused({ path: "/models/x", ...audio('["AAAA"]', "application/json") }, 400, "RequestOptionError");
});

test("clients that hang up mid-upload leave the server serving; no hostile request was a 5xx", async () => {
  for (let i = 0; i < 5; i++) {
    await cutRequest(server.url, `POST /classify HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: ${DIGIT.length}\r\n\r\n`, DIGIT.subarray(0, 500));
  }
  const ok = await rawRequest(server.url, { path: "/classify?top_k=1", ...audio(DIGIT) });
  assert.equal(ok.status, 200);
  assert.equal(ok.json()[0].label, "3");
  const metrics = parsePrometheus((await rawRequest(server.url, { method: "GET", path: "/metrics" })).text);
  const fiveHundreds = metrics.samples.filter((s) => s.name === "audioclass_http_requests_total" && s.labels["status"]!.startsWith("5"));
  assert.deepEqual(fiveHundreds, []);
  assert.ok(metrics.value("audioclass_errors_total", { type: "BodyTimeoutError" })! >= 4);
});
