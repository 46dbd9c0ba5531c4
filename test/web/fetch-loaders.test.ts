/**
 * The browser's loaders (models/fetch-loaders.ts) and backend (onnxruntime-web's WASM build), run
 * in Node so they are tested on every machine, Chromium or not: models are fetched over HTTP from
 * a 127.0.0.1 server, as a page would fetch them, and the pipelines' results must equal those of
 * Node's loaders and onnxruntime-node for the same model and clip.
 *
 * Node's results are computed first; then this process switches its platform to the browser's
 * (the entry points do this once per process; each test file runs in its own).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pipeline } from "../../src/pipelines/index.js";
import { inferenceBackend, useInferenceBackend } from "../../src/runtime/backend.js";
import { webInferenceBackend } from "../../src/runtime/web-backend.js";
import { fetchLoaders } from "../../src/models/fetch-loaders.js";
import { installPretrainedLoaders } from "../../src/models/pretrained-loaders.js";
import { ModelFileNotFoundError } from "../../src/models/errors.js";
import { ModelConfig, architectureFor, buildGraph } from "../../src/models/index.js";
import { encodeOnnx } from "../../src/graph/index.js";
import { FetchModelFiles, hubFileUrl, modelBaseUrl } from "../../src/hub/fetch-model-files.js";
import { fixturePath, modelDir } from "../helpers/fixtures.js";
import { startStaticServer, type StaticServer } from "../helpers/static-server.js";

const DEFAULT_MODEL = fileURLToPath(new URL("../../models/default/", import.meta.url));
const EXAMPLE = `${DEFAULT_MODEL}example.wav`;
const SPEECH = fixturePath("audio/speech_16k.wav");
/** WASM and native CPU kernels differ in float rounding only. */
const SCORE_TOLERANCE = 1e-5;
const LABELS = ["speech", "music", "a dog barking"];

interface LabelScore {
  label: string;
  score: number;
}

let server: StaticServer;
const node: Record<string, LabelScore[]> = {};
/** A transformers.js-style export of the AST fixture: config files and onnx/model.onnx, no safetensors. */
let exportDir: string;

before(async () => {
  // Node's platform (the pipelines' index installed it): folders, onnxruntime-node.
  const digits = await pipeline("audio-classification", DEFAULT_MODEL);
  node["default"] = (await digits(EXAMPLE, { topK: 10 })) as LabelScore[];
  await digits.dispose();
  const ast = await pipeline("audio-classification", modelDir("ast"));
  node["ast"] = (await ast(SPEECH, { topK: 5 })) as LabelScore[];
  await ast.dispose();
  const clap = await pipeline("zero-shot-audio-classification", modelDir("clap"));
  node["clap"] = (await clap(SPEECH, { candidateLabels: LABELS })) as LabelScore[];
  await clap.dispose();

  exportDir = mkdtempSync(join(tmpdir(), "audioclass-onnx-export-"));
  const config = await ModelConfig.fromFile(join(modelDir("ast"), "config.json"));
  const { graph } = await buildGraph(modelDir("ast"), config, architectureFor(config));
  mkdirSync(join(exportDir, "onnx"));
  writeFileSync(join(exportDir, "onnx", "model.onnx"), encodeOnnx(graph));
  for (const f of ["config.json", "preprocessor_config.json"]) copyFileSync(join(modelDir("ast"), f), join(exportDir, f));

  server = await startStaticServer({
    "/models/default/": DEFAULT_MODEL,
    "/models/ast-onnx/": `${exportDir}/`,
    "/models/ast/": modelDir("ast"),
    // A hub-style path, for a hub id resolved against a configured endpoint.
    "/tiny/clap/resolve/main/": modelDir("clap"),
  });
  // The browser's platform, as src/browser.ts wires it.
  useInferenceBackend(webInferenceBackend);
  installPretrainedLoaders(fetchLoaders());
});

after(async () => {
  await server?.close();
  if (exportDir !== undefined) rmSync(exportDir, { recursive: true, force: true });
});

function assertSameScores(actual: LabelScore[], expected: LabelScore[], what: string): void {
  assert.deepEqual(actual.map((s) => s.label), expected.map((s) => s.label), `${what}: labels in Node's order`);
  const diff = Math.max(...actual.map((s, i) => Math.abs(s.score - expected[i]!.score)));
  assert.ok(diff <= SCORE_TOLERANCE, `${what}: scores differ from Node's by ${diff} > ${SCORE_TOLERANCE}`);
}

test("a model folder's URL: the default model classifies the example clip's bytes as in Node (onnxruntime-web, WASM)", async () => {
  const classify = await pipeline("audio-classification", `${server.origin}/models/default/`);
  assert.equal(inferenceBackend().name, "onnxruntime-web");
  assertSameScores((await classify(new Uint8Array(readFileSync(EXAMPLE)), { topK: 10 })) as LabelScore[], node["default"]!, "default model");
  await classify.dispose();
  assert.ok(server.requests.includes("/models/default/model.safetensors"));
});

test("a URL without the trailing slash works the same, and an AST checkpoint is built from its safetensors", async () => {
  const classify = await pipeline("audio-classification", `${server.origin}/models/ast`);
  assertSameScores((await classify(new Uint8Array(readFileSync(SPEECH)), { topK: 5 })) as LabelScore[], node["ast"]!, "ast");
  await classify.dispose();
});

test("a transformers.js-style export (onnx/model.onnx, no safetensors) runs as it is, with the checkpoint's scores", async () => {
  const classify = await pipeline("audio-classification", `${server.origin}/models/ast-onnx/`);
  assert.equal(classify.model.report.source, "onnx");
  assertSameScores((await classify(new Uint8Array(readFileSync(SPEECH)), { topK: 5 })) as LabelScore[], node["ast"]!, "ast export");
  await classify.dispose();
  assert.ok(server.requests.includes("/models/ast-onnx/onnx/model.onnx"));
});

test('dtype "q8" converts the weights at load (no disk cache in browsers): the same top label, scores within 0.065 of fp32', async () => {
  const classify = await pipeline("audio-classification", `${server.origin}/models/default/`, { dtype: "q8" });
  assert.equal(classify.model.report.dtype, "q8");
  assert.equal(classify.model.report.convertedWeights?.cache, "off");
  const scores = (await classify(new Uint8Array(readFileSync(EXAMPLE)), { topK: 10 })) as LabelScore[];
  await classify.dispose();
  assert.equal(scores[0]!.label, node["default"]![0]!.label);
  for (const { label, score } of scores) {
    const fp32 = node["default"]!.find((s) => s.label === label)!.score;
    assert.ok(Math.abs(score - fp32) < 0.065, `${label}: q8 ${score} vs fp32 ${fp32}`);
  }
});

test("a hub id is fetched from {endpoint}/{id}/resolve/{revision}/{file}: zero-shot CLAP (tokenizer and both towers) as in Node", async () => {
  const zs = await pipeline("zero-shot-audio-classification", "tiny/clap", { endpoint: server.origin });
  assertSameScores((await zs(new Uint8Array(readFileSync(SPEECH)), { candidateLabels: LABELS })) as LabelScore[], node["clap"]!, "clap");
  await zs.dispose();
  for (const file of ["config.json", "preprocessor_config.json", "tokenizer.json", "model.safetensors"]) {
    assert.ok(server.requests.includes(`/tiny/clap/resolve/main/${file}`), `fetched ${file}`);
  }
});

test("hub URLs follow the hub's layout; a folder with no config.json is a typed error naming the URL", async () => {
  assert.equal(hubFileUrl("https://huggingface.co/", "org/name", "v1.0", "onnx/model.onnx"), "https://huggingface.co/org/name/resolve/v1.0/onnx/model.onnx");
  assert.equal(modelBaseUrl("org/name@dev", { endpoint: "https://mirror.example" }), "https://mirror.example/org/name/resolve/dev/");
  assert.equal(await new FetchModelFiles(`${server.origin}/models/ast/`, { cache: false }).get("nothing.json"), undefined);
  await assert.rejects(
    pipeline("audio-classification", `${server.origin}/models/none/`),
    (e: unknown) => e instanceof ModelFileNotFoundError && e.path === `${server.origin}/models/none/config.json` && e.message.includes(e.path.replace("config.json", "")),
  );
});
