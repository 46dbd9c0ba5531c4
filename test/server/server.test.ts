/**
 * The HTTP server answers with the same JSON as the CLI for the same files: raw and multipart
 * bodies, the Hugging Face Inference API's shapes, windows and zero-shot. One server (the bundled
 * default model, the CLAP fixture for zero-shot) serves every test here.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import type { RunningServer } from "../../src/server/start-server.js";
import { fixturePath, modelDir } from "../helpers/fixtures.js";
import { parsePrometheus } from "../helpers/prometheus.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { multipartBody, rawRequest, startTestServer } from "./server-helpers.js";

const DIGIT = fixturePath("../fsdd/3_jackson_7.wav");
const LONG = fixturePath("audio/long_12s.wav");
const SPEECH = fixturePath("audio/speech_16k.wav");

let server: RunningServer;

before(async () => {
  server = await startTestServer({ zeroShotModel: modelDir("clap") });
});

after(async () => {
  await server?.close();
});

/** The CLI's JSON records for one command line (threads 1, as the test server's worker). */
async function cliRecords(args: string[]): Promise<any[]> {
  const io: CliIO & { out: string; err: string } = { out: "", err: "", stdout: (t) => void (io.out += t), stderr: (t) => void (io.err += t), stderrStream: new CapturedStream(), env: { CI: "true" } };
  assert.equal(await runCli([...args, "--threads", "1", "--format", "json"], io), 0, io.err);
  return JSON.parse(io.out);
}

async function post(path: string, body: Buffer, contentType?: string): Promise<Response> {
  return fetch(new URL(path, server.url), { method: "POST", body: new Uint8Array(body), headers: contentType === undefined ? {} : { "content-type": contentType } });
}

test("POST /classify answers with the CLI's predictions for the same file, raw or multipart", async () => {
  for (const file of [DIGIT, SPEECH]) {
    const [record] = await cliRecords(["classify", file]);
    const raw = await post("/classify", readFileSync(file), "audio/wav");
    assert.equal(raw.status, 200);
    assert.match(raw.headers.get("content-type")!, /^application\/json/);
    assert.deepEqual(await raw.json(), record.predictions, file);
  }
  const [top3] = await cliRecords(["classify", "--top-k", "3", "--function", "sigmoid", DIGIT]);
  const octets = await post("/classify?top_k=3&function_to_apply=sigmoid", readFileSync(DIGIT), "application/octet-stream");
  assert.deepEqual(await octets.json(), top3.predictions);
  // multipart: the audio in "file", options as form fields (or in the query)
  const form = multipartBody([{ name: "top_k", value: "3" }, { name: "file", filename: "clip.wav", data: readFileSync(DIGIT) }, { name: "function_to_apply", value: "sigmoid" }]);
  const multipart = await post("/classify", form.body, form.contentType);
  assert.equal(multipart.status, 200);
  assert.deepEqual(await multipart.json(), top3.predictions);
  const queryAndForm = multipartBody([{ name: "file", filename: "clip.wav", data: readFileSync(DIGIT) }]);
  assert.deepEqual(await (await post("/classify?top_k=3&function_to_apply=sigmoid", queryAndForm.body, queryAndForm.contentType)).json(), top3.predictions);
});

test("POST /classify with window/hop answers with the timeline the CLI prints window by window", async () => {
  const windows = await cliRecords(["classify", "--window", "2", "--hop", "1", "--top-k", "2", LONG]);
  const events = await cliRecords(["classify", "--events", "--window", "2", "--hop", "1", "--top-k", "2", LONG]);
  const response = await post("/classify?window=2&hop=1&top_k=2", readFileSync(LONG), "audio/wav");
  assert.equal(response.status, 200);
  const timeline = await response.json();
  assert.deepEqual(Object.keys(timeline), ["segments", "events"]);
  assert.equal(timeline.segments.length, 11);
  assert.deepEqual(timeline.segments, windows.map(({ file: _, ...window }) => window));
  assert.deepEqual(timeline.events, events.map(({ file: _, ...event }) => event));
});

test("POST /models/<name> takes the Hugging Face Inference API's shapes and answers with its list of { label, score }", async () => {
  const bytes = readFileSync(DIGIT);
  const all = await (await post("/classify", bytes, "audio/wav")).json();
  // raw bytes, with no Content-Type (as huggingface_hub sends them) or any
  for (const type of [undefined, "audio/flac", "application/octet-stream"]) {
    const response = await post("/models/MIT/ast-finetuned-speech-commands-v2", bytes, type);
    assert.equal(response.status, 200, String(type));
    assert.deepEqual(await response.json(), all);
  }
  const json = JSON.stringify({ inputs: bytes.toString("base64"), parameters: { top_k: 2, function_to_apply: "sigmoid" }, options: { wait_for_model: true } });
  const top2 = await fetch(new URL("/models/any/model", server.url), { method: "POST", body: json, headers: { "content-type": "application/json" } });
  assert.equal(top2.status, 200);
  assert.deepEqual(await top2.json(), await (await post("/classify?top_k=2&function_to_apply=sigmoid", bytes, "audio/wav")).json());
  // candidate_labels make it zero-shot, as the Inference API's zero-shot-audio-classification task
  const zs = JSON.stringify({ inputs: readFileSync(SPEECH).toString("base64"), parameters: { candidate_labels: ["dog barking", "a person speaking"] } });
  const zsResponse = await fetch(new URL("/models/laion/clap-htsat-unfused", server.url), { method: "POST", body: zs, headers: { "content-type": "application/json" } });
  assert.equal(zsResponse.status, 200);
  const zsExpected = await (await post("/zero-shot?candidate_labels=dog%20barking,a%20person%20speaking", readFileSync(SPEECH), "audio/wav")).json();
  assert.deepEqual(await zsResponse.json(), zsExpected);
  // what the Inference API's shape cannot carry is refused by name
  const bad = await fetch(new URL("/models/x", server.url), { method: "POST", body: JSON.stringify({ inputs: "%%%" }), headers: { "content-type": "application/json" } });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.type, "RequestBodyError");
  const unknown = await fetch(new URL("/models/x", server.url), { method: "POST", body: JSON.stringify({ inputs: "AAAA", parameters: { topk: 3 } }), headers: { "content-type": "application/json" } });
  assert.equal(unknown.status, 400);
  assert.match((await unknown.json()).error.message, /unknown JSON field "topk"/);
});

test("POST /zero-shot scores candidate labels with the CLAP model, as the CLI's zero-shot does", async () => {
  const labels = "dog barking,a person speaking,music";
  const [record] = await cliRecords(["zero-shot", "--model", modelDir("clap"), "--labels", labels, SPEECH]);
  const query = await post(`/zero-shot?candidate_labels=${encodeURIComponent(labels)}`, readFileSync(SPEECH), "audio/wav");
  assert.equal(query.status, 200);
  assert.deepEqual(await query.json(), record.predictions);
  // as the page's form posts it without JavaScript: every field, the unused ones empty
  const form = multipartBody([
    { name: "file", filename: "speech.wav", data: readFileSync(SPEECH) },
    { name: "top_k", value: "" },
    { name: "function_to_apply", value: "" },
    { name: "candidate_labels", value: labels },
    { name: "window", value: "" },
  ]);
  const multipart = await post("/zero-shot", form.body, form.contentType);
  assert.equal(multipart.status, 200);
  assert.deepEqual(await multipart.json(), record.predictions);
  const missing = await post("/zero-shot", readFileSync(SPEECH), "audio/wav");
  assert.equal(missing.status, 400);
  assert.match((await missing.json()).error.message, /candidate_labels=/);
  // classification options do not apply here: refused by name
  const wrong = await post("/zero-shot?candidate_labels=a,b&top_k=1", readFileSync(SPEECH), "audio/wav");
  assert.equal(wrong.status, 400);
  assert.deepEqual((await wrong.json()).error.type, "RequestOptionError");
});

test("GET /health reports the workers, models and limits; GET / is a labelled form with a strict CSP", async () => {
  const health = await (await fetch(new URL("/health", server.url))).json();
  assert.equal(health.status, "ok");
  assert.deepEqual(health.workers, { configured: 1, ready: 1, busy: 0 });
  assert.deepEqual(health.models.classify.labels, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  assert.equal(health.models.zeroShot.samplingRate, 48000);
  const page = await fetch(new URL("/", server.url));
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type")!, /^text\/html/);
  assert.match(page.headers.get("content-security-policy")!, /script-src 'sha256-[^']+'/);
  const html = await page.text();
  // every input, select and textarea has a label pointing at it
  const ids = [...html.matchAll(/<(?:input|select|textarea)[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids.length >= 6);
  for (const id of ids) assert.match(html, new RegExp(`<label for="${id}">`), id);
  assert.match(html, /aria-live="polite"/);
  // the inline script at least parses (the CSP allows it by hash, so it must be exactly this text)
  const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
  assert.doesNotThrow(() => new Function(script));
});

test("GET /metrics parses as Prometheus text and counts requests by route and status, errors by type", async () => {
  const before = parsePrometheus(await (await fetch(new URL("/metrics", server.url))).text());
  const count = (p: ReturnType<typeof parsePrometheus>, labels: Record<string, string>) => p.value("audioclass_http_requests_total", labels) ?? 0;
  await post("/classify", readFileSync(DIGIT), "audio/wav");
  await post("/classify", Buffer.from("not audio at all"), "audio/wav");
  await post("/classify", Buffer.from("x"), "text/plain");
  const response = await fetch(new URL("/metrics", server.url));
  assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const now = parsePrometheus(await response.text());
  assert.equal(now.types.get("audioclass_http_request_duration_seconds"), "histogram");
  assert.equal(count(now, { route: "/classify", status: "200" }) - count(before, { route: "/classify", status: "200" }), 1);
  assert.equal(count(now, { route: "/classify", status: "415" }) - count(before, { route: "/classify", status: "415" }), 2, "plain text as audio/wav, and text/plain");
  const errors = (p: ReturnType<typeof parsePrometheus>, type: string) => p.value("audioclass_errors_total", { type }) ?? 0;
  assert.equal(errors(now, "UnsupportedAudioFormatError") - errors(before, "UnsupportedAudioFormatError"), 1);
  assert.equal(errors(now, "UnsupportedMediaTypeError") - errors(before, "UnsupportedMediaTypeError"), 1);
  const latency = (p: ReturnType<typeof parsePrometheus>) => p.value("audioclass_http_request_duration_seconds_count", { route: "/classify" }) ?? 0;
  assert.equal(latency(now) - latency(before), 3);
  assert.equal(now.value("audioclass_queue_depth"), 0);
  assert.equal(now.value("audioclass_workers_ready"), 1);
  assert.ok(now.value("process_resident_memory_bytes")! > 10e6);
  // the worker is its own process holding the model: tens of MB (read from /proc on Linux)
  if (process.platform === "linux") assert.ok(now.value("audioclass_workers_resident_memory_bytes")! > 30e6, "the worker process's memory is reported");
});

test("unknown routes and methods get a 404 in the same error shape", async () => {
  const response = await rawRequest(server.url, { method: "GET", path: "/classify" });
  assert.equal(response.status, 404);
  assert.equal(response.json().error.type, "RouteNotFoundError");
  assert.match(response.json().error.message, /POST \/classify/);
});
